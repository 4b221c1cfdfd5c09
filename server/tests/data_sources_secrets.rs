//! Data source passwords (SECURITY.md #15): sealed at rest and bound to
//! their source, so a copied ciphertext fails closed; never sent to another
//! server than the one they were entered for; environment references
//! resolved only when connecting.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use service::secrets::EnvAllowList;
use support::data::{Db, ExternalDb};
use support::identity::As;
use support::{Backend, TestApp};

on_both_backends!(
    passwords_are_sealed_at_rest_and_bound_to_their_source,
    a_stored_password_goes_only_where_it_was_entered_for,
    environment_references_are_checked_and_never_shown,
);

const PLAIN: &str = "pg-Plain-Secret-4711";
const OTHER: &str = "pg-Other-Secret-0815";

fn with_password(db: &ExternalDb, key: &str, password: &str) -> Value {
    let mut body = db.source(key);
    body["password"] = json!(password);
    body
}

async fn update(app: &TestApp, admin: &str, key: &str, body: &Value) -> support::identity::Reply {
    let path = format!("/api/dataSources:update?filterByTk={key}");
    app.api_post(&path, As::Bearer(admin), body.clone()).await
}

async fn passwords_are_sealed_at_rest_and_bound_to_their_source(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let pg = ExternalDb::shop(Db::Postgres).await;
    app.add_source(&admin, with_password(&pg, "one", PLAIN))
        .await;
    app.add_source(&admin, with_password(&pg, "two", OTHER))
        .await;

    // Nothing in the store holds the plain text.
    match backend {
        Backend::Sqlite => {
            let path = app.database_url.trim_start_matches("sqlite://").to_owned();
            for file in [path.clone(), format!("{path}-wal")] {
                let bytes = std::fs::read(&file).unwrap_or_default();
                for secret in [PLAIN, OTHER] {
                    let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
                    assert!(!found, "{secret} in {file}");
                }
            }
        }
        Backend::Postgres => {
            let one = app.stored_password("one").await.unwrap();
            let two = app.stored_password("two").await.unwrap();
            assert!(one.starts_with("v1.") && two.starts_with("v1."));
            assert!(!one.contains(PLAIN) && !two.contains(OTHER));
        }
    }

    // A ciphertext copied to another source does not open there.
    app.store_exec(
        "UPDATE data_sources SET \
         password = (SELECT password FROM data_sources WHERE key = 'one'), \
         updated_at = updated_at + 1 WHERE key = 'two'; \
         UPDATE catalog_version SET version = version + 1 WHERE id = 1",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let reply = app.ds_get(who, "two", "orders:list").await;
    assert_eq!(
        reply.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        reply.body
    );
    let text = reply.body.to_string();
    assert!(!text.contains(PLAIN) && !text.contains(OTHER), "{text}");
    let view = app.wait_status(&admin, "two").await;
    assert_eq!(view["status"], "failed", "{view}");
    let message = view["statusMessage"].as_str().unwrap();
    assert!(message.contains("enter the password again"), "{message}");
    assert_eq!(app.ds_get(who, "one", "orders:list").await.listed(), 5);
    // Settings can still change without the password (e.g. disabling).
    let mut disabled = pg.source("two");
    disabled["enabled"] = json!(false);
    let reply = update(&app, &admin, "two", &disabled).await;
    assert_eq!(reply.ok()["status"], "disabled", "{}", reply.body);
    // Entering the password again repairs it.
    let reply = update(&app, &admin, "two", &with_password(&pg, "two", OTHER)).await;
    reply.ok();
    assert_eq!(app.wait_status(&admin, "two").await["status"], "loaded");
    assert_eq!(app.ds_get(who, "two", "orders:list").await.listed(), 5);
}

async fn a_stored_password_goes_only_where_it_was_entered_for(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let pg = ExternalDb::shop(Db::Postgres).await;
    app.add_source(&admin, with_password(&pg, "pg", PLAIN))
        .await;
    let sealed = app.stored_password("pg").await.unwrap();

    let mut moved = pg.source("pg");
    moved["host"] = json!("localhost");
    let mut other_port = pg.source("pg");
    other_port["port"] = json!(5433);
    let mut other_engine = pg.source("pg");
    other_engine["engine"] = json!("kingbase");
    for body in [&moved, &other_port, &other_engine] {
        let reply = update(&app, &admin, "pg", body).await;
        reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("password again"), "{message}");
        // Testing the connection under the source's key is refused alike.
        let reply = app
            .api_post(
                "/api/dataSources:testConnection",
                As::Bearer(&admin),
                body.clone(),
            )
            .await;
        reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    }
    let view = app.wait_status(&admin, "pg").await;
    assert_eq!(view["host"], "127.0.0.1");
    assert_eq!(app.stored_password("pg").await.unwrap(), sealed);

    // Stronger TLS keeps the password; weaker TLS needs it again.
    let mut stronger = pg.source("pg");
    stronger["tls"] = json!("prefer");
    update(&app, &admin, "pg", &stronger).await.ok();
    let reply = update(&app, &admin, "pg", &pg.source("pg")).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    assert_eq!(app.stored_password("pg").await.unwrap(), sealed);

    // With the password typed again, the source may move.
    moved["password"] = json!(PLAIN);
    let reply = update(&app, &admin, "pg", &moved).await;
    assert_eq!(reply.ok()["host"], "localhost");
    assert_eq!(app.wait_status(&admin, "pg").await["status"], "loaded");
}

/// SECURITY.md #15 and issue 11 item 9: only the variables the operator
/// lists in `FERROBASE_ENV_ALLOW` can be referenced; one that exists but is
/// not listed (`HOME`) answers exactly like one that is listed but unset.
async fn environment_references_are_checked_and_never_shown(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |config| {
        config.env_allow = EnvAllowList::parse("PATH, FB_TEST_*").unwrap();
    })
    .await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let pg = ExternalDb::shop(Db::Postgres).await;
    assert!(std::env::var("HOME").is_ok(), "the test needs HOME set");

    let mut refusals = Vec::new();
    for (reference, why) in [
        ("{{$env.FERROBASE_MASTER_KEY}}", "Ferrobase's own setting"),
        ("{{$env.FB_TEST_SURELY_UNSET_8C1F}}", "listed, not set"),
        ("{{$env.HOME}}", "set, not listed"),
        ("{{$env.}}", "malformed"),
    ] {
        let body = with_password(&pg, "envy", reference);
        let reply = app.api_post("/api/dataSources:create", who, body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{why}: {}",
            reply.body
        );
        refusals.push(
            reply.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(
        refusals[1].replace("FB_TEST_SURELY_UNSET_8C1F", "X"),
        refusals[2].replace("HOME", "X"),
        "no oracle on which variables exist"
    );
    let listed = app.api_get("/api/dataSources:list", who).await;
    assert!(
        !listed.ok().to_string().contains("envy"),
        "nothing was created"
    );
    let view = app
        .add_source(&admin, with_password(&pg, "envy", "{{ $env.PATH }}"))
        .await;
    assert_eq!(view["status"], "loaded", "{view}");
    assert_eq!(view["passwordReference"], "{{ $env.PATH }}");
    assert_eq!(view["passwordSet"], false);
    assert_eq!(
        app.stored_password("envy").await.as_deref(),
        Some("{{ $env.PATH }}")
    );
    let text = app
        .api_get("/api/dataSources:list", who)
        .await
        .body
        .to_string();
    assert!(!text.contains(&std::env::var("PATH").unwrap()));
    // A reference moves with the source only when given again.
    let mut moved = pg.source("envy");
    moved["host"] = json!("localhost");
    let reply = update(&app, &admin, "envy", &moved).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    // Removing the password: an empty string.
    let mut cleared = pg.source("envy");
    cleared["password"] = json!("");
    let reply = update(&app, &admin, "envy", &cleared).await;
    assert_eq!(reply.ok()["passwordReference"], Value::Null);
    assert_eq!(app.stored_password("envy").await, None);
}
