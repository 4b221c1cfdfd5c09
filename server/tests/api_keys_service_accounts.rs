//! Keys owned by service accounts: non-human users that never sign in and
//! outlive the person who made the key. On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::api_keys::{issue, key_body};
use support::identity::{ADMIN_EMAIL, As, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(service_account_keys_outlive_their_maker);

async fn service_account_keys_outlive_their_maker(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "integrator", &["apiKeys"]).await;
    let ops_id = app
        .create_user(&admin, "ops@example.org", Some(&["integrator"]))
        .await;
    let ops = app.token("ops@example.org", USER_PASSWORD).await;
    let mut body = key_body("erp", "integrator");
    body["serviceAccount"] = json!("erp-sync");
    let service = issue(&app, &ops, body.clone()).await;
    assert_eq!(service.view["serviceAccount"], true);
    assert_eq!(service.view["owner"], "erp-sync@service.invalid");
    let again = issue(&app, &ops, body).await;
    let personal = issue(&app, &ops, key_body("mine", "integrator")).await;
    let accounts = app.users(&admin).await;
    let bots: Vec<&Value> = accounts
        .iter()
        .filter(|u| u["email"] == "erp-sync@service.invalid")
        .collect();
    assert_eq!(bots.len(), 1, "one account, reused: {accounts:#?}");
    assert_eq!(bots[0]["roles"], json!(["integrator"]));
    // A service account never signs in, even once it has a password.
    let bot_id = bots[0]["id"].as_i64().unwrap();
    let reset = format!("/api/users:resetPassword?filterByTk={bot_id}");
    app.api_post(
        &reset,
        As::Bearer(&admin),
        json!({"password": USER_PASSWORD}),
    )
    .await
    .ok();
    app.sign_in("erp-sync@service.invalid", USER_PASSWORD)
        .await
        .error(StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS");
    // Its maker leaves: the service account's keys keep working.
    let path = format!("/api/users:destroy?filterByTk={ops_id}");
    app.api_post(&path, As::Bearer(&admin), json!({}))
        .await
        .ok();
    for key in [&service, &again] {
        let reply = app
            .api_get("/api/apiKeys:list", As::Bearer(&key.token))
            .await;
        assert_eq!(reply.listed(), 2, "{}", reply.body);
    }
    let reply = app
        .api_get("/api/apiKeys:list", As::Bearer(&personal.token))
        .await;
    reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    // A service account is not an administrator who could fix things.
    let mut root_bot = key_body("root", "admin");
    root_bot["serviceAccount"] = json!("root-bot");
    issue(&app, &admin, root_bot).await;
    let me = app
        .users(&admin)
        .await
        .into_iter()
        .find(|u| u["email"] == ADMIN_EMAIL)
        .unwrap();
    let demote = format!("/api/users:update?filterByTk={}", me["id"]);
    app.api_post(&demote, As::Bearer(&admin), json!({"roles": ["member"]}))
        .await
        .error(StatusCode::FORBIDDEN, "LAST_ADMIN");
    // Without `apiKeys`, no service accounts.
    app.create_user(&admin, "member@example.org", None).await;
    let member = app.token("member@example.org", USER_PASSWORD).await;
    let mut body = key_body("bot", "member");
    body["serviceAccount"] = json!("member-bot");
    app.api_post("/api/apiKeys:create", As::Bearer(&member), body)
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
}
