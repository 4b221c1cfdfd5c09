//! Black-box tests of hostile and malformed input to the identity API:
//! each is a 4xx in the errors envelope and changes nothing; text that is
//! merely odd (SQL, HTML) is stored and returned verbatim. Each runs on
//! SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::identity::{As, Reply, USER_PASSWORD, encode};
use support::{Backend, TestApp};

on_both_backends!(
    bad_input_is_refused_and_changes_nothing,
    names_with_sql_and_html_are_kept_verbatim,
);

const CREATE: &str = "/api/users:create";
const ROLE: &str = "/api/roles:create";
const PROFILE: &str = "/api/users:updateProfile";

/// A valid `users:create` body with `changes` merged in.
fn new_user(changes: Value) -> Value {
    let mut body =
        json!({ "email": "new@example.org", "displayName": "X", "password": USER_PASSWORD });
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

fn email(address: &str) -> Value {
    new_user(json!({ "email": address }))
}

fn password(text: &str) -> Value {
    new_user(json!({ "password": text }))
}

fn role(name: &str, system: Value) -> Value {
    json!({ "name": name, "title": "X", "permissions": { "system": system } })
}

async fn bad_input_is_refused_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let users_before = app.users(&admin).await;
    let roles_before = app.api_get("/api/roles:list", who).await.ok().clone();
    let sql_name = "x'; DROP TABLE users; --";

    #[rustfmt::skip]
    let cases: Vec<(&str, &str, Value, u16, &str)> = vec![
        ("POST", CREATE, email("not-an-email"), 400, "EMAIL_INVALID"),
        ("POST", CREATE, email("a@b"), 400, "EMAIL_INVALID"),
        ("POST", CREATE, email("x'--@example.org"), 400, "EMAIL_INVALID"),
        ("POST", CREATE, email("<b>@example.org"), 400, "EMAIL_INVALID"),
        ("POST", CREATE, email(" ROOT@Example.ORG "), 409, "EMAIL_TAKEN"),
        ("POST", CREATE, password(""), 400, "PASSWORD_EMPTY"),
        ("POST", CREATE, password("short"), 400, "PASSWORD_TOO_SHORT"),
        ("POST", CREATE, password(&"p".repeat(1025)), 400, "PASSWORD_TOO_LONG"),
        ("POST", CREATE, new_user(json!({ "isAdmin": true })), 400, "INVALID_INPUT"),
        ("POST", CREATE, new_user(json!({ "createdById": 1 })), 400, "INVALID_INPUT"),
        ("POST", CREATE, new_user(json!({ "username": sql_name })), 400, "USERNAME_INVALID"),
        ("POST", CREATE, new_user(json!({ "roles": ["nope"] })), 400, "ROLE_UNKNOWN"),
        ("POST", CREATE, new_user(json!({ "roles": ["Admin"] })), 400, "ROLE_NAME_INVALID"),
        ("POST", CREATE, new_user(json!({ "displayName": "   " })), 400, "DISPLAY_NAME_INVALID"),
        ("POST", CREATE, new_user(json!({ "locale": "tlh" })), 400, "LOCALE_UNKNOWN"),
        ("GET", CREATE, Value::Null, 405, "METHOD_NOT_ALLOWED"),
        ("POST", "/api/users:update?filterByTk=1", json!({ "email": "<b>@x" }), 400, "EMAIL_INVALID"),
        ("POST", "/api/users:update?filterByTk=abc", json!({}), 400, "INVALID_INPUT"),
        ("POST", "/api/users:update", json!({}), 400, "INVALID_INPUT"),
        ("POST", "/api/users:update?filterByTk=999999", json!({ "displayName": "Y" }), 404, "NOT_FOUND"),
        ("GET", "/api/users:get?filterByTk=999999", Value::Null, 404, "NOT_FOUND"),
        ("POST", "/api/users:destroy?filterByTk=999999", json!({}), 404, "NOT_FOUND"),
        ("POST", "/api/users:resetPassword?filterByTk=1", json!({ "password": "" }), 400, "PASSWORD_EMPTY"),
        ("GET", "/api/users:list?page=-1", Value::Null, 400, "INVALID_INPUT"),
        ("GET", "/api/users:list?pageSize=lots", Value::Null, 400, "INVALID_INPUT"),
        ("POST", PROFILE, json!({ "locale": "klingon" }), 400, "LOCALE_UNKNOWN"),
        ("POST", PROFILE, json!({ "email": "me@evil.example" }), 400, "INVALID_INPUT"),
        ("POST", PROFILE, json!({ "displayName": "" }), 400, "DISPLAY_NAME_INVALID"),
        ("POST", ROLE, role("admin'; DROP TABLE roles;--", json!([])), 400, "ROLE_NAME_INVALID"),
        ("POST", ROLE, role("<script>", json!([])), 400, "ROLE_NAME_INVALID"),
        ("POST", ROLE, role("member", json!([])), 409, "ROLE_TAKEN"),
        ("POST", ROLE, role("ok", json!(["root"])), 400, "INVALID_INPUT"),
        ("POST", ROLE, json!({ "name": "ok", "title": "" }), 400, "ROLE_TITLE_INVALID"),
        ("POST", "/api/roles:destroy?filterByTk=member", json!({}), 403, "ROLE_BUILT_IN"),
        ("POST", "/api/roles:destroy?filterByTk=admin", json!({}), 403, "ROLE_BUILT_IN"),
        ("POST", "/api/roles:update?filterByTk=admin", json!({ "permissions": {} }), 403, "ROLE_BUILT_IN"),
        ("POST", "/api/roles:destroy?filterByTk=ghost", json!({}), 400, "ROLE_UNKNOWN"),
        ("POST", "/api/auditLogs:list", Value::Null, 405, "METHOD_NOT_ALLOWED"),
        ("GET", "/api/auditLogs:list?from=yesterday", Value::Null, 400, "INVALID_INPUT"),
    ];
    for (method, path, body, status, code) in cases {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = app.request(method.clone(), path, who);
        if !body.is_null() {
            request = request.json(&body);
        }
        let reply = TestApp::reply(request).await;
        let status = StatusCode::from_u16(status).unwrap();
        let got = (reply.status, reply.code());
        assert_eq!(
            got,
            (status, code),
            "{method} {path} {body}: {}",
            reply.body
        );
        reply.error(status, code);
    }
    // Malformed JSON is a 400 in the envelope, not a 500.
    let raw = app
        .request(Method::POST, CREATE, who)
        .header("content-type", "application/json")
        .body("{\"email\":");
    TestApp::reply(raw)
        .await
        .error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    // A struct's fields by position (serde accepts arrays): refused.
    let positional = serde_json::json!([
        "arr@example.org",
        null,
        "Array Person",
        "array-Passw0rd-1",
        null,
        null
    ]);
    let reply = app.api_post(CREATE, who, positional).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    assert!(
        app.users(&admin)
            .await
            .iter()
            .all(|u| u["email"] != "arr@example.org")
    );
    // 10 MB: refused before any hashing, in the envelope.
    let huge = password(&"p".repeat(10 * 1024 * 1024));
    let reply = app.api_post(CREATE, who, huge).await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    let codes = ["PAYLOAD_TOO_LARGE", "PASSWORD_TOO_LONG"];
    assert!(codes.contains(&reply.code()), "{}", reply.body);

    // X-Role: a role that does not exist, a role not held.
    let acting = |role: &str| {
        let request = app.request(Method::GET, "/api/users:list", who);
        TestApp::reply(request.header("x-role", role))
    };
    acting("ghost")
        .await
        .error(StatusCode::BAD_REQUEST, "ROLE_UNKNOWN");
    acting("member")
        .await
        .error(StatusCode::FORBIDDEN, "ROLE_NOT_HELD");
    acting("x'; DROP TABLE roles; --")
        .await
        .error(StatusCode::BAD_REQUEST, "ROLE_UNKNOWN");
    assert_eq!(acting("admin").await.listed(), 1);

    // Nothing was created, changed or deleted.
    assert_eq!(app.users(&admin).await, users_before);
    assert_eq!(
        app.api_get("/api/roles:list", who).await.ok(),
        &roles_before
    );
    let audit = app.audit(&admin, "").await;
    let changes: Vec<&Value> = audit
        .iter()
        .filter(|e| !e["action"].as_str().unwrap().starts_with("auth:"))
        .collect();
    assert_eq!(
        changes.len(),
        1,
        "only the first admin's creation: {changes:?}"
    );
}

async fn search(app: &TestApp, who: As<'_>, text: &str) -> Reply {
    let path = format!("/api/users:list?search={}", encode(text));
    app.api_get(&path, who).await
}

async fn names_with_sql_and_html_are_kept_verbatim(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let names = [
        "Robert'); DROP TABLE users;--",
        "<script>alert(\"x\")</script>",
        "\" OR 1=1 -- 50% _off_ \\",
    ];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        // `nickname`: NocoBase's name for the display name.
        let email = format!("odd{i}@example.org");
        let body = json!({ "email": email, "nickname": name, "password": USER_PASSWORD });
        let reply = app.api_post(CREATE, who, body).await;
        assert_eq!(reply.ok()["displayName"], *name);
        let id = reply.ok()["id"].as_i64().unwrap();
        let got = app
            .api_get(&format!("/api/users:get?filterByTk={id}"), who)
            .await;
        assert_eq!(got.ok()["displayName"], *name);
        ids.push(id);
    }
    let users = app.users(&admin).await;
    assert_eq!(users.len(), 4, "the users table is intact");
    for name in names {
        assert!(users.iter().any(|u| u["displayName"] == name), "{name}");
    }
    // An email taken in another case: refused, nothing changed.
    let path = format!("/api/users:update?filterByTk={}", ids[0]);
    let reply = app
        .api_post(&path, who, json!({ "email": "Root@Example.org" }))
        .await;
    reply.error(StatusCode::CONFLICT, "EMAIL_TAKEN");
    assert_eq!(
        app.users(&admin).await,
        users,
        "a refused update changed nothing"
    );

    // Search takes the text literally: `%` and `_` are no wildcards.
    let found = search(&app, who, "drop table").await;
    assert_eq!(found.listed(), 1);
    assert_eq!(found.body["meta"]["count"], 1);
    assert_eq!(search(&app, who, "50% _off_").await.listed(), 1);
    assert_eq!(search(&app, who, "%").await.listed(), 1);
    assert_eq!(search(&app, who, "_").await.listed(), 1);
    assert_eq!(search(&app, who, "' OR '1'='1").await.listed(), 0);
    let page = app.api_get("/api/users:list?page=2&pageSize=3", who).await;
    assert_eq!(page.listed(), 1);
    let meta = json!({ "count": 4, "page": 2, "pageSize": 3, "totalPage": 2 });
    assert_eq!(page.body["meta"], meta);

    // The profile and role titles too.
    let html = "<img src=x onerror=alert(1)>";
    let reply = app
        .api_post(PROFILE, who, json!({ "displayName": html }))
        .await;
    assert_eq!(reply.ok()["displayName"], html);
    let me = app.api_get("/api/auth:check", who).await;
    assert_eq!(me.ok()["displayName"], html);
    let title = "'; DELETE FROM roles; --";
    let body = json!({ "name": "odd", "title": title, "description": "<b>bold</b>" });
    let reply = app.api_post(ROLE, who, body).await;
    assert_eq!(reply.ok()["title"], title);
    assert_eq!(reply.ok()["description"], "<b>bold</b>");
    assert_eq!(app.api_get("/api/roles:list", who).await.listed(), 3);
}
