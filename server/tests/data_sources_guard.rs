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
    // A Unix socket reaches local services with the server's own identity.
    let body = postgres_at("socket", "/var/run/postgresql", 5432, "postgres");
    let message = both_refuse(&app, &admin, &body).await;
    assert!(message.contains("Unix socket"), "{message}");

    match backend {
        Backend::Postgres => {
            // The store's own database, even with its server listed (as the
            // tests' configuration does): never.
            let (_, database) = app.database_url.rsplit_once('/').unwrap();
            for host in ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"] {
                let body = postgres_at("own", host, 5432, database);
                let message = both_refuse(&app, &admin, &body).await;
                assert!(message.contains("own metadata database"), "{message}");
                assert!(message.contains("can never"), "{message}");
            }
            // Its server's other databases, under any local address, only
            // when the operator lists the server.
            let unlisted = TestApp::spawn_with_admin(backend, |config| {
                config.data_source_allow.clear();
            })
            .await;
            let unlisted_admin = unlisted.admin_token().await;
            let other = ExternalDb::create(Db::Postgres).await;
            for host in ["127.0.0.1", "localhost", "127.0.0.2", "::1"] {
                let body = postgres_at("cluster", host, 5432, &other.database);
                let message = both_refuse(&unlisted, &unlisted_admin, &body).await;
                assert!(
                    message.contains("holds Ferrobase's metadata"),
                    "{host}: {message}"
                );
                assert!(message.contains(ALLOW), "{host}: {message}");
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
    // A legitimate database on the same server (listed, for a PostgreSQL
    // store) is allowed.
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

/// A new source checks the server's certificate unless told otherwise
/// (issue 11 item 11): the local servers' self-signed certificates, or
/// their lack of TLS, fail with the reason; `disable` is the explicit way
/// to a plain connection.
#[tokio::test]
async fn new_sources_verify_certificates_by_default() {
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let admin = app.admin_token().await;
    // MariaDB here offers no TLS; the local PostgreSQL offers it with a
    // self-signed (Debian snakeoil) certificate no trusted CA issued. Both
    // must be refused under `verify-full`.
    for db in [Db::Postgres, Db::Mariadb] {
        let external = ExternalDb::create(db).await;
        let mut body = external.source("tls");
        body.as_object_mut().unwrap().remove("tls");
        let reply = app
            .api_post(
                "/api/dataSources:testConnection",
                As::Bearer(&admin),
                body.clone(),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_GATEWAY,
            "{db:?}: {}",
            reply.body
        );
        reply.error(StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("TLS"), "{db:?}: {message}");

        let reply = app
            .api_post("/api/dataSources:create", As::Bearer(&admin), body.clone())
            .await;
        assert_eq!(reply.ok()["tls"], "verify-full", "{db:?}");
        let view = app.wait_status(&admin, "tls").await;
        assert_eq!(view["status"], "failed", "{db:?}: {view}");
        let reply = app
            .api_post(
                "/api/dataSources:destroy?filterByTk=tls",
                As::Bearer(&admin),
                json!({}),
            )
            .await;
        reply.ok();

        body["tls"] = "disable".into();
        let reply = app
            .api_post("/api/dataSources:testConnection", As::Bearer(&admin), body)
            .await;
        reply.ok();
    }
}

/// SQL Server never falls back to a plain login when TLS was asked for
/// (issue 11 item 11): a fake server that answers the pre-login with
/// "encryption not supported" gets no LOGIN7 packet (which carries the
/// password) from `require`, `verify-ca` or `verify-full`; `prefer` falls
/// back as documented.
#[tokio::test]
async fn sql_server_never_logs_in_in_plain_text_when_tls_was_asked_for() {
    let (port, packets) = fake_tds_server().await;
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let admin = app.admin_token().await;
    for (tls, falls_back) in [
        ("require", false),
        ("verify-ca", false),
        ("verify-full", false),
        ("prefer", true),
    ] {
        packets.lock().unwrap().clear();
        let body = json!({
            "key": "tds", "displayName": "TDS", "engine": "mssql", "host": "127.0.0.1",
            "port": port, "database": "shop", "username": "sa", "password": "tds-secret",
            "tls": tls,
        });
        let reply = app
            .api_post("/api/dataSources:testConnection", As::Bearer(&admin), body)
            .await;
        reply.error(StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        let received = packets.lock().unwrap().clone();
        const PRELOGIN: u8 = 0x12;
        const LOGIN7: u8 = 0x10;
        assert!(received.contains(&PRELOGIN), "{tls}: {received:?}");
        assert_eq!(
            received.contains(&LOGIN7),
            falls_back,
            "{tls}: {received:?}; {message}"
        );
        if !falls_back {
            assert!(message.contains("encryption"), "{tls}: {message}");
        }
    }
}

/// Answers every pre-login with "encryption not supported" and records the
/// type of each packet a client sends.
async fn fake_tds_server() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let packets = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = packets.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut header = [0u8; 8];
                while stream.read_exact(&mut header).await.is_ok() {
                    log.lock().unwrap().push(header[0]);
                    let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
                    let mut body = vec![0; length.saturating_sub(8)];
                    if stream.read_exact(&mut body).await.is_err() || header[0] != 0x12 {
                        return;
                    }
                    // VERSION at 11 (6 bytes), ENCRYPTION at 17: NOT_SUP.
                    let payload = [
                        0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xff, 15, 0, 0, 0, 0, 0, 0x02,
                    ];
                    let mut reply = vec![0x04, 0x01, 0, 8 + payload.len() as u8, 0, 0, 1, 0];
                    reply.extend_from_slice(&payload);
                    if stream.write_all(&reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, packets)
}
