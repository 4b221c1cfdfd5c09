//! Engines without a server here, run only against one you name:
//! `FERROBASE_TEST_KINGBASE_URL` (`postgres://user:pass@host:54321/db`, an
//! account that may create databases), `FERROBASE_TEST_MSSQL_URL`,
//! `FERROBASE_TEST_ORACLE_URL`. Unset, each test says SKIPPED on stderr and
//! passes without testing anything: the `_live_or_skipped` names say so.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::io::Write;

use connectors::{Connector, Error};
use model::data::Engine;
use serde_json::json;
use support::dataset::Dataset;
use support::{Server, TestDb, Url};

/// The URL in `variable`, or `None` after saying the test is skipped. The
/// line goes straight to stderr, past the test harness's output capture.
fn live_url(engine: Engine, variable: &str) -> Option<Url> {
    match std::env::var(variable) {
        Ok(url) if !url.trim().is_empty() => Some(
            Url::parse(url.trim())
                .unwrap_or_else(|| panic!("{variable} is not scheme://user:pass@host:port/db")),
        ),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} live test — set {variable}",
                engine.label()
            );
            None
        }
    }
}

/// The connectors for these engines are not built yet: connecting must say
/// so plainly, not fail obscurely.
async fn refused_as_not_available(engine: Engine, variable: &str) {
    let Some(url) = live_url(engine, variable) else {
        return;
    };
    let config = url.config(engine, &url.database);
    match Connector::connect(&config).await {
        Err(Error::InvalidConfig(message)) => {
            assert!(message.contains(engine.label()), "{message}");
            assert!(message.contains("not available"), "{message}");
        }
        other => panic!("{engine:?}: expected InvalidConfig, got {other:?}"),
    }
}

#[tokio::test]
async fn mssql_live_or_skipped() {
    refused_as_not_available(Engine::Mssql, "FERROBASE_TEST_MSSQL_URL").await;
}

#[tokio::test]
async fn oracle_live_or_skipped() {
    refused_as_not_available(Engine::Oracle, "FERROBASE_TEST_ORACLE_URL").await;
}

/// KingbaseES speaks PostgreSQL's protocol and dialect: the PostgreSQL
/// filter table and a round trip of one record must hold there as well.
#[tokio::test]
async fn kingbase_live_or_skipped() {
    let Some(admin) = live_url(Engine::Kingbase, "FERROBASE_TEST_KINGBASE_URL") else {
        return;
    };
    let server = Server {
        engine: Engine::Kingbase,
        admin,
    };
    let data = Dataset::load_into(TestDb::on(&server).await).await;
    let failed = support::filter_cases::failures(&data).await;
    assert!(
        failed.is_empty(),
        "KingbaseES differs from PostgreSQL in {} filter cases:\n{}",
        failed.len(),
        failed.join("\n")
    );
    let post = data
        .get("posts", json!(1), &["author"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post["price"], json!("9.99"));
    assert_eq!(post["published"], json!(true));
    assert_eq!(post["meta"], json!({"a": 1}));
    assert_eq!(post["published_at"], json!("2026-11-23T09:05:00.000Z"));
    assert_eq!(post["author"], json!({"id": 1, "name": "Ann"}));
    let key = data.insert("notes", &json!({"body": "kingbase"})).await;
    assert_eq!(key, Some(json!(1)));
    assert_eq!(data.delete("notes", json!(1)).await.unwrap(), 1);
    data.connector.close().await;
}
