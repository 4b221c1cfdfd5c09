//! Black-box tests of API keys: a key acts as its role and never more,
//! every refusal is the same 401, and revocation and rotation hold on the
//! next request. Each scenario runs on the SQLite and the PostgreSQL store.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::api_keys::{issue, key_body, notes_and_clerk};
use support::identity::As;
use support::{Backend, TestApp};

on_both_backends!(
    a_key_acts_as_its_role_and_no_more,
    every_refusal_is_the_same_401,
    revocation_holds_on_every_process,
    rotation_keeps_the_old_secret_only_for_the_grace,
    creation_input_is_checked,
    the_page_offers_the_roles_create_accepts,
);

async fn a_key_acts_as_its_role_and_no_more(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let clerk = notes_and_clerk(&app, &admin).await;
    let key = issue(&app, &clerk, key_body("sync", "clerk")).await;
    assert_eq!(key.view["role"], "clerk");
    assert_eq!(key.view["owner"], "clerk@example.org");
    assert_eq!(key.view["status"], "active");
    assert_eq!(key.view["serviceAccount"], false);
    let who = As::Bearer(&key.token);

    let notes = app.api_get("/api/notes:list?sort=id", who).await;
    assert_eq!(notes.listed(), 2);
    assert!(notes.ok()[0].get("secret").is_none(), "{}", notes.body);
    let check = app.api_get("/api/roles:check", who).await;
    assert_eq!(check.ok()["role"], "clerk");
    // Within its role only: no other collection, no hidden field, no admin.
    let payroll = app.api_get("/api/payroll:list", who).await;
    payroll.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let hidden = app
        .api_get("/api/notes:list?filter=%7B%22secret%22%3A%22x%22%7D", who)
        .await;
    assert_eq!(hidden.status, StatusCode::BAD_REQUEST, "{}", hidden.body);
    let users = app.api_get("/api/users:list", who).await;
    users.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // X-Role cannot switch a key to another role.
    let switched = app
        .request(Method::GET, "/api/notes:list", who)
        .header("x-role", "admin");
    TestApp::reply(switched)
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // A key never mints a key, not even for its own role; a clerk's
    // session cannot mint an admin key.
    for role in ["clerk", "admin"] {
        let reply = app
            .api_post("/api/apiKeys:create", who, key_body("copy", role))
            .await;
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    let reply = app
        .api_post(
            "/api/apiKeys:create",
            As::Bearer(&clerk),
            key_body("x", "admin"),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "ROLE_NOT_HELD");
    // Bearer keys are exempt from the CSRF check: no cookie rides along.
    let forged_origin = app
        .request(Method::POST, "/api/notes:create", who)
        .header("origin", "https://evil.example")
        .json(&json!({"title": "from a script"}));
    assert_eq!(
        TestApp::reply(forged_origin).await.ok()["title"],
        "from a script"
    );
    // An admin's key reaches what the admin role does; signing out with a
    // key ends nothing.
    let root = issue(&app, &admin, key_body("root", "admin")).await;
    let root_who = As::Bearer(&root.token);
    assert_eq!(app.api_get("/api/users:list", root_who).await.listed(), 2);
    app.api_post("/api/auth:signOut", root_who, json!({})).await;
    app.api_get("/api/users:list", root_who).await.ok();

    let log = app.audit(&admin, "resource=apiKeys").await;
    let uses: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == "apiKeys:use")
        .collect();
    assert_eq!(uses.len(), 2, "one first use per key: {log:#?}");
    assert!(
        uses.iter()
            .any(|e| e["actor"] == "API key sync (clerk@example.org)"),
        "{log:#?}"
    );
    assert!(log.iter().any(|e| e["action"] == "apiKeys:create"));
}

async fn every_refusal_is_the_same_401(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let clerk = notes_and_clerk(&app, &admin).await;
    let probe = async |token: &str| app.api_get("/api/notes:list", As::Bearer(token)).await;
    let first = issue(&app, &clerk, key_body("one", "clerk")).await;
    probe(&first.token).await.ok();

    let unknown = probe(&format!("fbk_{}_{}", "a".repeat(12), first.secret())).await;
    unknown.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let reference = unknown.body;
    let wrong_secret = format!("fbk_{}_{}", first.id(), "A".repeat(43));
    let mut refused = vec![probe(&wrong_secret).await, probe("fbk_not-a-key").await];
    let expired = issue(&app, &clerk, key_body("expired", "clerk")).await;
    let sql = format!(
        "UPDATE api_keys SET expires_at = 1 WHERE id = '{}'",
        expired.id()
    );
    app.store_exec(&sql).await;
    refused.push(probe(&expired.token).await);
    let revoked = issue(&app, &clerk, key_body("revoked", "clerk")).await;
    let destroy = format!("/api/apiKeys:destroy?filterByTk={}", revoked.id());
    app.api_post(&destroy, As::Bearer(&clerk), json!({}))
        .await
        .ok();
    refused.push(probe(&revoked.token).await);
    // The owner loses the role, then regains it and is disabled.
    let clerk_id = app
        .users(&admin)
        .await
        .iter()
        .find(|u| u["email"] == "clerk@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let update = format!("/api/users:update?filterByTk={clerk_id}");
    let demote = json!({"roles": ["member"]});
    app.api_post(&update, As::Bearer(&admin), demote).await.ok();
    refused.push(probe(&first.token).await);
    let restore = json!({"roles": ["clerk"], "enabled": false});
    app.api_post(&update, As::Bearer(&admin), restore)
        .await
        .ok();
    refused.push(probe(&first.token).await);
    // A bad key is refused at the edge, whatever the path: not ignored.
    refused.push(
        app.api_get("/api/auth:check", As::Bearer(&wrong_secret))
            .await,
    );
    for reply in refused {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        assert_eq!(reply.body, reference);
    }
}

async fn revocation_holds_on_every_process(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let other = TestApp::spawn_sharing(&app, |_| {}).await;
    let key = issue(&app, &admin, key_body("shared", "admin")).await;
    for server in [&app, &other] {
        server
            .api_get("/api/users:list", As::Bearer(&key.token))
            .await
            .ok();
    }
    // REST style: DELETE /api/apiKeys/<id>.
    let path = format!("/api/apiKeys/{}", key.id());
    let request = app.request(Method::DELETE, &path, As::Bearer(&admin));
    TestApp::reply(request).await.ok();
    for server in [&other, &app] {
        let reply = server
            .api_get("/api/users:list", As::Bearer(&key.token))
            .await;
        reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    }
    let get = format!("/api/apiKeys:get?filterByTk={}", key.id());
    let view = app.api_get(&get, As::Bearer(&admin)).await;
    assert_eq!(view.ok()["status"], "revoked");
    let rotate = format!("/api/apiKeys:rotate?filterByTk={}", key.id());
    let reply = app.api_post(&rotate, As::Bearer(&admin), json!({})).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    drop(other);
}

async fn rotation_keeps_the_old_secret_only_for_the_grace(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let clerk = notes_and_clerk(&app, &admin).await;
    let first = issue(&app, &clerk, key_body("rotating", "clerk")).await;
    let works = async |token: &str| {
        let reply = app.api_get("/api/notes:list", As::Bearer(token)).await;
        reply.status == StatusCode::OK
    };
    let rotate = format!("/api/apiKeys:rotate?filterByTk={}", first.id());
    let clerk_who = As::Bearer(&clerk);

    let reply = app
        .api_post(&rotate, clerk_who, json!({"graceSeconds": 3600}))
        .await;
    let second = reply.ok()["token"].as_str().unwrap().to_owned();
    assert_eq!(reply.ok()["id"], first.id(), "the id stays");
    assert_ne!(second, first.token);
    assert!(works(&first.token).await && works(&second).await);

    let reply = app.api_post(&rotate, clerk_who, json!({})).await;
    let third = reply.ok()["token"].as_str().unwrap().to_owned();
    assert!(works(&third).await);
    assert!(!works(&second).await, "no grace: the old secret ends now");
    assert!(!works(&first.token).await, "only the latest secret is kept");

    let too_long = json!({"graceSeconds": 8 * 24 * 3600});
    let reply = app.api_post(&rotate, clerk_who, too_long).await;
    reply.error(StatusCode::BAD_REQUEST, "API_KEY_GRACE_INVALID");
    let by_key = app.api_post(&rotate, As::Bearer(&third), json!({})).await;
    by_key.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // Rotation hands out a working secret: not even an admin rotates
    // someone else's key. Revoking it is fine.
    let by_admin = app.api_post(&rotate, As::Bearer(&admin), json!({})).await;
    by_admin.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let mine = issue(&app, &admin, key_body("admin's", "admin")).await;
    let get = format!("/api/apiKeys:get?filterByTk={}", mine.id());
    app.api_get(&get, clerk_who)
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let listed = app.api_get("/api/apiKeys:list", clerk_who).await;
    assert_eq!(listed.listed(), 1, "the clerk sees their own key only");
    let everyone = app.api_get("/api/apiKeys:list", As::Bearer(&admin)).await;
    assert_eq!(everyone.listed(), 2);
    assert_eq!(everyone.body["meta"]["count"], 2);
    let destroy = format!("/api/apiKeys:destroy?filterByTk={}", first.id());
    app.api_post(&destroy, As::Bearer(&admin), json!({}))
        .await
        .ok();
    assert!(!works(&third).await);
}

async fn creation_input_is_checked(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let create = async |body: Value| {
        app.api_post("/api/apiKeys:create", As::Bearer(&admin), body)
            .await
    };
    let role = json!({"name": "member"});
    for body in [
        json!({"name": "k", "role": role, "expiresIn": "2d"}),
        json!({"name": "k", "role": role}),
        json!({"name": "k", "role": role, "expiresIn": "1d", "expiresAt": "2999-01-01"}),
        json!({"name": "k", "role": role, "expiresAt": "2001-01-01"}),
        json!({"name": "k", "role": role, "expiresAt": "tomorrow"}),
    ] {
        let reply = create(body.clone()).await;
        reply.error(StatusCode::BAD_REQUEST, "API_KEY_EXPIRY_INVALID");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        for choice in ["1d", "7d", "30d", "90d", "never", "expiresAt"] {
            assert!(message.contains(choice), "{body}: {message}");
        }
    }
    let reply = create(json!({"name": " ", "role": role, "expiresIn": "7d"})).await;
    reply.error(StatusCode::BAD_REQUEST, "API_KEY_NAME_INVALID");
    let reply = create(json!({"name": "k", "role": {"name": "nobody"}, "expiresIn": "7d"})).await;
    reply.error(StatusCode::BAD_REQUEST, "ROLE_UNKNOWN");
    let reply = create(json!({"name": "k", "role": role, "expiresIn": "7d", "admin": true})).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply =
        create(json!({"name": "k", "role": role, "expiresIn": "7d", "serviceAccount": "Bad Name"}))
            .await;
    reply.error(StatusCode::BAD_REQUEST, "SERVICE_ACCOUNT_NAME_INVALID");

    let never = create(json!({"name": "k", "role": role, "expiresIn": "never"})).await;
    assert_eq!(never.ok()["expiresAt"], Value::Null);
    let dated = create(json!({"name": "k", "role": role, "expiresAt": "2999-01-31"})).await;
    assert_eq!(dated.ok()["expiresAt"], 32_474_736_000_000_i64);
    let day = create(json!({"name": "k", "role": role, "expiresIn": "1d"})).await;
    let lifetime =
        day.ok()["expiresAt"].as_i64().unwrap() - day.ok()["createdAt"].as_i64().unwrap();
    assert!((86_399_000..=86_401_000).contains(&lifetime), "{lifetime}");
    let anonymous = app
        .api_post(
            "/api/apiKeys:create",
            As::Anonymous,
            key_body("k", "member"),
        )
        .await;
    anonymous.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
}

/// The settings page's role choice is what create accepts: every role for
/// an administrator, only the roles held for anyone else.
async fn the_page_offers_the_roles_create_accepts(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let clerk = notes_and_clerk(&app, &admin).await;
    let offered = async |token: &str| -> Vec<String> {
        let response = app
            .request(Method::POST, "/_sfn/api-keys/roles", As::Bearer(token))
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    };
    let everything = offered(&admin).await;
    assert!(
        ["admin", "clerk"]
            .iter()
            .all(|r| everything.contains(&(*r).to_owned())),
        "{everything:?}"
    );
    assert_eq!(offered(&clerk).await, ["clerk"]);
}
