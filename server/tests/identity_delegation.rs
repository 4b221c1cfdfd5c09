//! A user manager cannot gain rights through other accounts or roles: not by
//! taking over a user whose roles hold more, not by granting record access
//! they do not hold themselves. Each runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::identity::{As, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(
    server_functions_answer_refusals_with_their_status,
    a_user_manager_cannot_take_over_a_stronger_account,
    record_grants_are_delegated_only_as_held,
    a_wildcard_grant_cannot_widen_a_narrower_one,
);

async fn a_user_manager_cannot_take_over_a_stronger_account(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "usermgr", &["users"]).await;
    app.create_role(&admin, "ops", &["dataSources", "auditLog"])
        .await;
    app.create_user(&admin, "mgr@example.org", Some(&["usermgr"]))
        .await;
    let ops = app
        .create_user(&admin, "ops@example.org", Some(&["ops"]))
        .await;
    let peer = app
        .create_user(&admin, "peer@example.org", Some(&["usermgr"]))
        .await;
    let mgr = app.token("mgr@example.org", USER_PASSWORD).await;
    let who = As::Bearer(&mgr);

    let reset = json!({ "password": "taken-over-Passw0rd" });
    let reply = app
        .api_post(
            &format!("/api/users:resetPassword?filterByTk={ops}"),
            who,
            reset.clone(),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    for change in [
        json!({ "email": "mine@example.org" }),
        json!({ "enabled": false }),
    ] {
        let reply = app
            .api_post(&format!("/api/users:update?filterByTk={ops}"), who, change)
            .await;
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    let reply = app
        .api_post(
            &format!("/api/users:destroy?filterByTk={ops}"),
            who,
            json!({}),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // The stronger account is untouched and still signs in with its password.
    app.token("ops@example.org", USER_PASSWORD).await;

    // An account with no more than the manager's own rights is theirs to manage.
    let reply = app
        .api_post(
            &format!("/api/users:resetPassword?filterByTk={peer}"),
            who,
            reset,
        )
        .await;
    reply.ok();
}

async fn record_grants_are_delegated_only_as_held(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "usermgr", &["users"]).await;
    let me = app
        .create_user(&admin, "mgr@example.org", Some(&["usermgr"]))
        .await;
    let mgr = app.token("mgr@example.org", USER_PASSWORD).await;
    let who = As::Bearer(&mgr);

    let wide = json!({
        "name": "wide",
        "title": "Wide",
        "permissions": { "grants": [{ "dataSource": "main", "collection": "*", "action": "destroy" }] },
    });
    let reply = app.api_post("/api/roles:create", who, wide).await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");

    // Made by an administrator, such a role still cannot be self-assigned.
    let wide = json!({
        "name": "wide",
        "title": "Wide",
        "permissions": { "grants": [{ "dataSource": "main", "collection": "*", "action": "destroy" }] },
    });
    app.api_post("/api/roles:create", As::Bearer(&admin), wide)
        .await
        .ok();
    let grab = json!({ "roles": ["usermgr", "wide"] });
    let reply = app
        .api_post(&format!("/api/users:update?filterByTk={me}"), who, grab)
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let check = app.api_get("/api/roles:check", who).await;
    assert_eq!(check.ok()["roles"], json!(["usermgr"]));
}

/// Issue 11 item 3: a manager holding `*: view` plus a narrower grant on
/// `payroll` (fewer fields, own records) cannot hand out a bare `*: view`,
/// which would reach `payroll` in full. Before, "covers" compared grant
/// rows by name, so `*` was covered by their own `*` and the role was made.
async fn a_wildcard_grant_cannot_widen_a_narrower_one(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let view = |collection: &str| json!({ "dataSource": "main", "collection": collection, "action": "view" });
    let mut narrow = view("payroll");
    narrow["fields"] = json!(["id", "amount"]);
    narrow["scope"] = json!({ "kind": "own" });
    let manager = json!({
        "name": "usermgr", "title": "User manager",
        "permissions": { "system": ["users"], "grants": [view("*"), narrow.clone()] },
    });
    app.api_post("/api/roles:create", As::Bearer(&admin), manager)
        .await
        .ok();
    app.create_user(&admin, "mgr@example.org", Some(&["usermgr"]))
        .await;
    let mgr = app.token("mgr@example.org", USER_PASSWORD).await;
    let who = As::Bearer(&mgr);
    let role = |name: &str, grants: serde_json::Value| json!({ "name": name, "title": name, "permissions": { "grants": grants } });
    for (name, grants) in [
        ("bare", json!([view("*")])),
        ("wider", json!([view("*"), view("payroll")])),
        (
            "unscoped",
            json!([view("*"), { "dataSource": "main", "collection": "payroll", "action": "view", "fields": ["id", "amount"] }]),
        ),
        ("other", json!([view("payroll")])),
    ] {
        let reply = app
            .api_post("/api/roles:create", who, role(name, grants))
            .await;
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    // Exactly what they hold, or less, is theirs to give.
    for (name, grants) in [
        ("same", json!([view("*"), narrow.clone()])),
        ("less", json!([view("notes"), narrow])),
    ] {
        let reply = app
            .api_post("/api/roles:create", who, role(name, grants))
            .await;
        assert_eq!(reply.ok()["name"], name);
    }
}

/// The pages' server functions share the REST API's statuses: a refusal is
/// a 4xx carrying the code the page translates, never a 500.
async fn server_functions_answer_refusals_with_their_status(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let response = app
        .client
        .post(app.url("/_sfn/users/list"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("search=&page=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.text().await.unwrap().contains("UNAUTHENTICATED"));
}
