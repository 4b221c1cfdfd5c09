//! Black-box tests of the audit log: every identity change and sign-in is
//! recorded, filterable and exportable, and no password ever reaches it.
//! Each runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::identity::{ADMIN_EMAIL, ADMIN_PASSWORD, As, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(
    every_action_is_audited_without_passwords,
    the_audit_log_is_for_auditors_only
);

const AGENT: &str = "identity-tests/1.0 (audit)";
const WRONG: &str = "Wrong-Secret-000";
const CREATED: &str = "Create-Secret-111";
const RESET: &str = "Reset-Secret-222";
const CHANGED: &str = "Change-Secret-333";
const USER: &str = "audited@example.org";

async fn sign_in(app: &TestApp, account: &str, password: &str) -> Option<String> {
    let request = app
        .request(Method::POST, "/api/auth:signIn", As::Anonymous)
        .header(USER_AGENT, AGENT)
        .json(&json!({ "account": account, "password": password }));
    let reply = TestApp::reply(request).await;
    reply.data()["token"].as_str().map(str::to_owned)
}

/// The one entry of `action`, or a panic naming what there is.
fn only<'a>(log: &'a [Value], action: &str, outcome: &str) -> &'a Value {
    let found: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == action && e["outcome"] == outcome)
        .collect();
    assert_eq!(found.len(), 1, "{action} {outcome} in {log:#?}");
    found[0]
}

async fn every_action_is_audited_without_passwords(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let as_admin = As::Bearer(&admin);
    assert!(sign_in(&app, ADMIN_EMAIL, WRONG).await.is_none());
    let formula = "=HYPERLINK(\"http://evil.example\")";
    assert!(sign_in(&app, formula, WRONG).await.is_none());

    let body = json!({ "email": USER, "displayName": "Audited", "password": CREATED });
    let id = app.api_post("/api/users:create", as_admin, body).await.ok()["id"]
        .as_i64()
        .unwrap();
    let user = format!("?filterByTk={id}");
    let rename = json!({ "displayName": "Audited Person", "locale": "cs" });
    app.api_post(&format!("/api/users:update{user}"), as_admin, rename)
        .await
        .ok();
    let reset = json!({ "password": RESET });
    app.api_post(&format!("/api/users:resetPassword{user}"), as_admin, reset)
        .await
        .ok();
    assert!(
        sign_in(&app, USER, CREATED).await.is_none(),
        "the old password ended"
    );
    let token = sign_in(&app, USER, RESET).await.unwrap();
    let as_user = As::Bearer(&token);
    app.api_post(
        "/api/users:updateProfile",
        as_user,
        json!({ "displayName": "Me" }),
    )
    .await
    .ok();
    let change = json!({ "oldPassword": RESET, "newPassword": CHANGED });
    app.api_post("/api/auth:changePassword", as_user, change)
        .await
        .ok();
    app.api_post("/api/auth:signOut", as_user, json!({}))
        .await
        .ok();
    let token = sign_in(&app, USER, CHANGED).await.unwrap();
    app.api_post("/api/auth:signOutEverywhere", As::Bearer(&token), json!({}))
        .await
        .ok();

    let role = json!({ "name": "temp", "title": "Temp", "permissions": { "all": false, "system": [], "grants": [] } });
    app.api_post("/api/roles:create", as_admin, role).await.ok();
    app.api_post(
        "/api/roles:update?filterByTk=temp",
        as_admin,
        json!({ "title": "Temporary" }),
    )
    .await
    .ok();
    app.api_post("/api/roles:destroy?filterByTk=temp", as_admin, json!({}))
        .await
        .ok();
    app.api_post(&format!("/api/users:destroy{user}"), as_admin, json!({}))
        .await
        .ok();

    let reply = app
        .api_get("/api/auditLogs:list?pageSize=200", as_admin)
        .await;
    let log = reply.ok().as_array().unwrap().clone();
    assert_eq!(reply.body["meta"]["count"], log.len());
    let ids: Vec<i64> = log.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    for entry in &log {
        for key in [
            "id",
            "at",
            "userId",
            "actor",
            "role",
            "action",
            "resource",
            "recordId",
            "ip",
            "userAgent",
            "outcome",
            "changes",
        ] {
            assert!(entry.get(key).is_some(), "{key} missing in {entry}");
        }
        // Every request's peer address; start-up (the first admin) has none.
        let from_http = entry["action"] != "users:createAdmin";
        assert_eq!(entry["ip"] == "127.0.0.1", from_http, "{entry}");
    }

    let created_admin = only(&log, "users:createAdmin", "success");
    assert!(
        created_admin["changes"]
            .as_str()
            .unwrap()
            .contains(ADMIN_EMAIL)
    );
    let signed_in = log
        .iter()
        .filter(|e| e["action"] == "auth:signIn" && e["outcome"] == "success")
        .count();
    assert_eq!(signed_in, 3);
    let failures: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == "auth:signIn" && e["outcome"] == "failure")
        .collect();
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(
        failures
            .iter()
            .all(|e| e["userAgent"] == AGENT && e["role"].is_null())
    );
    assert!(
        failures
            .iter()
            .any(|e| e["actor"] == ADMIN_EMAIL && e["userId"].is_i64())
    );
    assert!(
        failures
            .iter()
            .any(|e| e["actor"] == USER && e["userId"] == id)
    );
    assert!(
        failures
            .iter()
            .any(|e| e["actor"].as_str().unwrap().contains("hyperlink") && e["userId"].is_null())
    );

    let create = only(&log, "users:create", "success");
    assert_eq!(create["actor"], ADMIN_EMAIL);
    assert_eq!(create["role"], "admin");
    assert_eq!(create["resource"], "users");
    assert_eq!(create["recordId"], id.to_string());
    let changes: Value = serde_json::from_str(create["changes"].as_str().unwrap()).unwrap();
    assert_eq!(changes["email"]["to"], USER);
    assert_eq!(changes["password"], "changed");
    let update = only(&log, "users:update", "success");
    let changes: Value = serde_json::from_str(update["changes"].as_str().unwrap()).unwrap();
    assert_eq!(
        changes["displayName"],
        json!({ "from": "Audited", "to": "Audited Person" })
    );
    assert_eq!(changes["locale"]["to"], "cs");
    for action in [
        "users:resetPassword",
        "users:destroy",
        "roles:create",
        "roles:update",
        "roles:destroy",
    ] {
        assert_eq!(
            only(&log, action, "success")["actor"],
            ADMIN_EMAIL,
            "{action}"
        );
    }
    for action in [
        "users:updateProfile",
        "auth:changePassword",
        "auth:signOut",
        "auth:signOutEverywhere",
    ] {
        let entry = only(&log, action, "success");
        assert_eq!(entry["actor"], USER, "{action}");
        assert_eq!(entry["userId"], id, "{action}");
        assert_eq!(entry["role"], "member", "{action}");
    }
    assert_eq!(only(&log, "roles:update", "success")["recordId"], "temp");

    // No password in any row, listed or exported.
    let secrets = [
        ADMIN_PASSWORD,
        USER_PASSWORD,
        WRONG,
        CREATED,
        RESET,
        CHANGED,
    ];
    let listed = serde_json::to_string(&log).unwrap();
    let response = app
        .request(Method::GET, "/api/auditLogs:export", as_admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    for secret in secrets {
        assert!(!listed.contains(secret), "{secret} in the audit list");
        assert!(!csv.contains(secret), "{secret} in the audit export");
    }
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("id,at,user_id,actor,"), "{}", lines[0]);
    assert_eq!(lines.len(), log.len() + 1);
    // A typed "account" cannot become a spreadsheet formula.
    assert!(csv.contains("\"'=hyperlink("), "{csv}");
    assert!(!csv.contains(",\"=hyperlink"), "{csv}");

    // Filters, on the list and the export alike.
    let count = |query: &str| {
        let path = format!("/api/auditLogs:list?pageSize=1&{query}");
        let app = &app;
        let admin = admin.clone();
        async move { app.api_get(&path, As::Bearer(&admin)).await.ok_meta_count() }
    };
    assert_eq!(count("action=auth:signIn").await, 6);
    assert_eq!(count("resource=roles").await, 3);
    assert_eq!(count("actor=AUDITED%40").await, 7);
    assert_eq!(count("actor=%25").await, 0);
    assert_eq!(count("from=2000-01-01").await, log.len());
    assert_eq!(count("to=1970-01-02").await, 0);
    let tomorrow = log[0]["at"].as_i64().unwrap() + 86_400_000;
    assert_eq!(count(&format!("from={tomorrow}")).await, 0);
    assert_eq!(
        count(&format!("to={tomorrow}&action=roles:create")).await,
        1
    );
    let path = "/api/auditLogs:export?action=roles:destroy";
    let csv = app
        .request(Method::GET, path, as_admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        2,
        "{csv}"
    );
}

trait MetaCount {
    fn ok_meta_count(&self) -> usize;
}

impl MetaCount for support::identity::Reply {
    fn ok_meta_count(&self) -> usize {
        self.ok();
        usize::try_from(self.body["meta"]["count"].as_u64().unwrap()).unwrap()
    }
}

async fn the_audit_log_is_for_auditors_only(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_user(&admin, "m@example.org", None).await;
    let member = app.token("m@example.org", USER_PASSWORD).await;
    for path in ["/api/auditLogs:list", "/api/auditLogs:export"] {
        let reply = app.api_get(path, As::Bearer(&member)).await;
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
        let reply = app.api_get(path, As::Anonymous).await;
        reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    }
    // Paging: meta names the pages.
    let reply = app
        .api_get("/api/auditLogs:list?page=2&pageSize=2", As::Bearer(&admin))
        .await;
    let count = reply.body["meta"]["count"].as_u64().unwrap();
    assert!(
        count >= 4,
        "createAdmin, 2 sign-ins, users:create: {}",
        reply.body
    );
    assert_eq!(reply.ok().as_array().unwrap().len(), 2);
    assert_eq!(reply.body["meta"]["page"], 2);
    assert_eq!(reply.body["meta"]["pageSize"], 2);
    assert_eq!(reply.body["meta"]["totalPage"], count.div_ceil(2));
}
