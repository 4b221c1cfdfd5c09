//! API key secrets are shown once and nowhere else: not in the store, not
//! in lists or the audit log, not in URLs, not in the server's log.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::api_keys::{issue, key_body};
use support::identity::{ADMIN_EMAIL, ADMIN_PASSWORD, As};
use support::process::{free_addr, start, terminate};
use support::{Backend, TestApp};

on_both_backends!(
    secrets_stay_out_of_the_store_lists_and_audit,
    keys_in_urls_are_refused,
);

async fn secrets_stay_out_of_the_store_lists_and_audit(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let key = issue(&app, &admin, key_body("stored", "admin")).await;
    app.api_get("/api/users:list", As::Bearer(&key.token))
        .await
        .ok();
    let rotate = format!("/api/apiKeys:rotate?filterByTk={}", key.id());
    let rotated = app
        .api_post(&rotate, As::Bearer(&admin), json!({"graceSeconds": 60}))
        .await;
    let new_secret = rotated.ok()["token"].as_str().unwrap()[17..].to_owned();
    let secrets = [key.secret(), new_secret.as_str()];

    let get = format!("/api/apiKeys:get?filterByTk={}", key.id());
    let shown = [
        app.api_get("/api/apiKeys:list", As::Bearer(&admin))
            .await
            .body,
        app.api_get(&get, As::Bearer(&admin)).await.body,
        json!(app.audit(&admin, "").await),
    ];
    for text in shown.iter().map(Value::to_string) {
        assert!(!text.contains("\"token\""), "{text}");
        assert!(secrets.iter().all(|s| !text.contains(s)), "{text}");
    }
    match backend {
        Backend::Sqlite => {
            let mut bytes = Vec::new();
            for file in ["ferrobase.db", "ferrobase.db-wal"] {
                bytes.extend(std::fs::read(app.dir.path().join(file)).unwrap_or_default());
            }
            let stored = String::from_utf8_lossy(&bytes);
            assert!(stored.contains(key.id()), "the key row is in the file");
            assert!(secrets.iter().all(|s| !stored.contains(s)));
        }
        Backend::Postgres => {
            for secret in secrets {
                app.store_exec(&format!(
                    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM api_keys k \
                     WHERE strpos(row_to_json(k)::text, '{secret}') > 0) \
                     THEN RAISE 'the secret is stored'; END IF; END $$"
                ))
                .await;
            }
        }
    }
}

async fn keys_in_urls_are_refused(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let key = issue(&app, &admin, key_body("url", "admin")).await;
    for query in [
        format!("token={}", key.token),
        format!("access_token={}", key.token),
        format!("api_key={}", key.token),
        format!("apiKey={}", key.token),
        format!("filter={}", key.token),
        format!("page=1&q={admin}"),
    ] {
        let path = format!("/api/users:list?{query}");
        for who in [As::Anonymous, As::Bearer(&key.token)] {
            let reply = app.api_get(&path, who).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{query}");
            let message = reply.body["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains("Authorization header"), "{message}");
        }
    }
    // Refused before use: the key was never used, so never audited as such.
    let uses = app.audit(&admin, "action=apiKeys:use").await;
    assert!(uses.is_empty(), "{uses:#?}");
}

/// The real binary at its most talkative: no token, secret or hash-able
/// part of one reaches its log, whatever happens to the key.
#[tokio::test]
async fn tokens_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let env = [
        ("FERROBASE_LOG", "debug".to_owned()),
        ("FERROBASE_ADMIN_EMAIL", ADMIN_EMAIL.to_owned()),
        ("FERROBASE_ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
    ];
    let child = start(dir.path(), &addr, &env);
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{addr}{path}");
    let call = async |method: Method, path: &str, token: &str, body: Value| {
        let request = client.request(method, url(path)).bearer_auth(token);
        let response = request.json(&body).send().await.unwrap();
        let status = response.status();
        (status, response.json::<Value>().await.unwrap())
    };
    let sign_in = json!({"account": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    let (_, signed_in) = call(Method::POST, "/api/auth:signIn", "", sign_in).await;
    let session = signed_in["data"]["token"].as_str().unwrap().to_owned();
    let (_, created) = call(
        Method::POST,
        "/api/apiKeys:create",
        &session,
        key_body("logged", "admin"),
    )
    .await;
    let token = created["data"]["token"].as_str().unwrap().to_owned();
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    let (status, _) = call(Method::GET, "/api/users:list", &token, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let wrong = format!("{}{}", &token[..token.len() - 1], "x");
    let (status, _) = call(Method::GET, "/api/users:list", &wrong, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let in_url = format!("/api/users:list?token={token}");
    let (status, _) = call(Method::GET, &in_url, "", Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let rotate = format!("/api/apiKeys:rotate?filterByTk={id}");
    let (_, rotated) = call(Method::POST, &rotate, &session, json!({"graceSeconds": 60})).await;
    let new_token = rotated["data"]["token"].as_str().unwrap().to_owned();
    let destroy = format!("/api/apiKeys:destroy?filterByTk={id}");
    call(Method::POST, &destroy, &session, json!({})).await;
    let (status, _) = call(Method::GET, "/api/users:list", &new_token, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let output = terminate(child);
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        log.contains("/api/users:list"),
        "requests are logged: {log}"
    );
    for secret in [&token[17..], &new_token[17..], &session[4..]] {
        assert!(!log.contains(secret), "a secret in the log: {log}");
    }
}
