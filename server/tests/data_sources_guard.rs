//! Where a data source may not point (SECURITY.md #20): cloud metadata
//! addresses, Ferrobase's own metadata database and its SQLite file; and
//! how an operator allows a refused network target.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::data::{Db, ExternalDb};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(
    dangerous_targets_are_refused,
    the_allow_list_opens_a_network_target,
);

const ALLOW: &str = "FERROBASE_DATA_SOURCE_ALLOW";

#[track_caller]
fn refused(reply: &Reply) -> String {
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    reply.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn postgres_at(key: &str, host: &str, port: u16, database: &str) -> Value {
    json!({
        "key": key, "displayName": key, "engine": "postgres", "host": host,
        "port": port, "database": database, "username": "postgres", "tls": "disable",
    })
}

/// Create and testConnection both refuse `body`; the message is returned.
async fn both_refuse(app: &TestApp, admin: &str, body: &Value) -> String {
    let test = app
        .api_post(
            "/api/dataSources:testConnection",
            As::Bearer(admin),
            body.clone(),
        )
        .await;
    let message = refused(&test);
    let create = app
        .api_post("/api/dataSources:create", As::Bearer(admin), body.clone())
        .await;
    assert_eq!(refused(&create), message);
    message
}

async fn dangerous_targets_are_refused(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;

    for host in [
        "169.254.169.254",
        "[::ffff:169.254.169.254]",
        "fd00:ec2::254",
    ] {
        let body = postgres_at("meta", host, 5432, "postgres");
        let message = both_refuse(&app, &admin, &body).await;
        assert!(message.contains(ALLOW), "{host}: {message}");
    }

    match backend {
        Backend::Postgres => {
            let (_, database) = app.database_url.rsplit_once('/').unwrap();
            for host in ["127.0.0.1", "localhost"] {
                let body = postgres_at("own", host, 5432, database);
                let message = both_refuse(&app, &admin, &body).await;
                assert!(message.contains("metadata database"), "{message}");
                assert!(message.contains(ALLOW), "{message}");
            }
        }
        Backend::Sqlite => {
            let path = app.database_url.trim_start_matches("sqlite://").to_owned();
            for file in [path.clone(), format!("{path}-wal")] {
                let body = json!({
                    "key": "own", "displayName": "Own", "engine": "sqlite", "database": file,
                });
                let message = both_refuse(&app, &admin, &body).await;
                assert!(message.contains("can never be used"), "{message}");
            }
        }
    }
    // A legitimate database on the same server stays allowed.
    let other = ExternalDb::create(Db::Postgres).await;
    let reply = app
        .api_post(
            "/api/dataSources:create",
            As::Bearer(&admin),
            other.source("other"),
        )
        .await;
    reply.ok();
    let reply = app
        .api_get("/api/dataSources:list", As::Bearer(&admin))
        .await;
    assert_eq!(reply.listed(), 2, "{}", reply.body);
}

async fn the_allow_list_opens_a_network_target(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |config| {
        config.data_source_allow = vec!["169.254.169.254".to_owned()];
    })
    .await;
    let admin = app.admin_token().await;
    let body = postgres_at("meta", "169.254.169.254", 5432, "postgres");
    let reply = app
        .api_post("/api/dataSources:create", As::Bearer(&admin), body)
        .await;
    assert_eq!(reply.ok()["key"], "meta");
    assert_ne!(reply.ok()["status"], "loaded");
    // Only the listed address: its neighbour stays refused.
    let body = postgres_at("near", "169.254.169.253", 5432, "postgres");
    let reply = app
        .api_post("/api/dataSources:create", As::Bearer(&admin), body)
        .await;
    assert!(refused(&reply).contains(ALLOW));
}
