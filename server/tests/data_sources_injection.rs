//! SQL injection through the REST query language (SECURITY.md #2), against
//! the real databases: values are bound, names must be known fields,
//! operators must be known, sizes and depths are bounded.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::data::{Db, ExternalDb, query};
use support::identity::As;
use support::{Backend, TestApp};

on_both_backends!(postgres_injection, mariadb_injection, sqlite_injection);

async fn postgres_injection(backend: Backend) {
    injection(backend, Db::Postgres).await;
}
async fn mariadb_injection(backend: Backend) {
    injection(backend, Db::Mariadb).await;
}
async fn sqlite_injection(backend: Backend) {
    injection(backend, Db::Sqlite).await;
}

async fn injection(backend: Backend, db: Db) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(db).await;
    app.add_source(&admin, external.source("shop")).await;
    let list = |pairs: &[(&str, &str)]| format!("orders:list?{}", query(pairs));

    // Values are data: nothing matches, nothing breaks.
    for value in [
        "x' OR 1=1 --",
        "x\" OR 1=1 --",
        "x'); DROP TABLE orders; --",
        "\\' OR 1=1 #",
    ] {
        for operator in ["$eq", "$includes", "$startsWith", "$like"] {
            let filter = json!({"title": {operator: value}}).to_string();
            let reply = app.ds_get(who, "shop", &list(&[("filter", &filter)])).await;
            assert_eq!(reply.listed(), 0, "{operator} {value}: {}", reply.body);
        }
        let values = json!({"title": value, "status": "open"});
        let reply = app.ds_post(who, "shop", "orders:create", &values).await;
        assert_eq!(reply.ok()["title"], value);
    }
    // `%` and `_` in $includes are literal characters, not wildcards.
    let filter = json!({"title": {"$includes": "%"}}).to_string();
    let reply = app.ds_get(who, "shop", &list(&[("filter", &filter)])).await;
    assert_eq!(reply.listed(), 0, "{}", reply.body);

    // Names and operators must be known; sort and paging are checked.
    // Built as text: a nested `Value` this deep would overflow our own stack.
    let deep = format!(
        "{}{{\"title\":\"x\"}}{}",
        "{\"$and\":[".repeat(1_000),
        "]}".repeat(1_000)
    );
    for (pairs, what) in [
        (
            vec![("filter", r#"{"title\" OR 1=1 --":"x"}"#)],
            "field name",
        ),
        (vec![("filter", r#"{"title":{"$raw":"1=1"}}"#)], "operator"),
        (vec![("filter", &deep)], "depth"),
        (vec![("sort", "-title;DROP TABLE orders")], "sort"),
        (vec![("sort", "title desc")], "sort with a space"),
        (vec![("fields", "title,(SELECT 1)")], "fields"),
        (vec![("appends", "customer;--")], "appends"),
    ] {
        let reply = app.ds_get(who, "shop", &list(&pairs)).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.body
        );
        let text = reply.body.to_string().to_lowercase();
        // Refused by the query language, never by the database.
        assert!(
            !text.contains("syntax") && !text.contains("database"),
            "{what}: {text}"
        );
    }
    // A huge page is refused or clamped (SECURITY.md says clamped; the
    // query parser refuses above 1000), never run as asked.
    let reply = app
        .ds_get(who, "shop", &list(&[("pageSize", "10000000")]))
        .await;
    assert!(
        reply.status == StatusCode::BAD_REQUEST
            || reply.body["meta"]["pageSize"]
                .as_u64()
                .is_some_and(|n| n <= 1000),
        "{}",
        reply.body
    );
    let reply = app
        .ds_get(who, "shop", "orders:get?filterByTk=1%20OR%201%3D1")
        .await;
    assert!(
        reply.status == StatusCode::BAD_REQUEST || reply.body == json!({"data": null}),
        "{}",
        reply.body
    );
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:destroy?filterByTk=1%20OR%201%3D1",
            &json!({}),
        )
        .await;
    assert!(
        reply.status == StatusCode::BAD_REQUEST || reply.body == json!({"data": 0}),
        "{}",
        reply.body
    );
    let values = json!({"title); DROP TABLE orders; --": "x"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);

    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 9);
    assert_eq!(external.count("SELECT COUNT(*) FROM customers").await, 2);
}
