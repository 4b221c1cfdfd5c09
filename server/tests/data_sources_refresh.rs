//! The database changes behind Ferrobase's back: a refresh reports the
//! difference and changes nothing, applying it updates the collections;
//! dropped tables and columns answer 409 SCHEMA_CHANGED until then; and a
//! source whose database vanished fails clearly while others keep serving.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::data::{Db, ExternalDb};
use support::identity::As;
use support::{Backend, TestApp};

on_both_backends!(
    postgres_refresh,
    mariadb_refresh,
    sqlite_refresh,
    one_source_down_does_not_stop_the_others,
    a_dropped_mariadb_database_is_a_connection_failure,
);

async fn postgres_refresh(backend: Backend) {
    refresh(backend, Db::Postgres).await;
}
async fn mariadb_refresh(backend: Backend) {
    refresh(backend, Db::Mariadb).await;
}
async fn sqlite_refresh(backend: Backend) {
    refresh(backend, Db::Sqlite).await;
}

async fn collection_names(app: &TestApp, admin: &str, key: &str) -> Vec<String> {
    let path = format!("/api/dataSources/{key}/collections:list");
    let reply = app.api_get(&path, As::Bearer(admin)).await;
    let mut names: Vec<String> = reply
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn refresh(backend: Backend, db: Db) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(db).await;
    external
        .exec(
            "CREATE TABLE notes ({PK}, body VARCHAR(100)); INSERT INTO notes (body) VALUES ('hi')",
        )
        .await;
    app.add_source(&admin, external.source("shop")).await;
    assert_eq!(
        collection_names(&app, &admin, "shop").await,
        ["customers", "notes", "orders"]
    );
    let reply = app.ds_get(who, "shop", "notes:list").await;
    assert_eq!(reply.listed(), 1);
    // Settings naming the column about to go.
    let settings = json!({
        "fieldTitles": {"note": "Note", "title": "Title"},
        "relations": [{"name": "noteRef", "kind": "manyToOne", "target": "customers",
                       "foreignKey": "note", "targetKey": "email"}],
    });
    let path = "/api/dataSources/shop/collections:update?filterByTk=orders";
    app.api_post(path, who, settings).await.ok();
    let reply = app.ds_get(who, "shop", "orders:list?appends=noteRef").await;
    assert_eq!(reply.listed(), 5);

    external
        .exec(
            "ALTER TABLE orders ADD COLUMN priority INTEGER; \
             ALTER TABLE orders DROP COLUMN note; \
             CREATE TABLE tags ({PK}, label VARCHAR(50)); \
             DROP TABLE notes",
        )
        .await;
    // Until the refresh is applied, the gone table and column are reported
    // as a changed structure, not as a server error.
    let reply = app.ds_get(who, "shop", "notes:list").await;
    reply.error(StatusCode::CONFLICT, "SCHEMA_CHANGED");
    let reply = app.ds_get(who, "shop", "orders:list").await;
    reply.error(StatusCode::CONFLICT, "SCHEMA_CHANGED");
    let reply = app.ds_get(who, "shop", "customers:list").await;
    assert_eq!(reply.listed(), 2, "untouched tables keep working");

    let reply = app
        .api_post("/api/dataSources:refresh?filterByTk=shop", who, json!({}))
        .await;
    let report = reply.ok().clone();
    assert_eq!(report["tablesAdded"], json!(["tags"]), "{report}");
    assert_eq!(report["tablesRemoved"], json!(["notes"]), "{report}");
    let changed = report["tablesChanged"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{report}");
    assert_eq!(changed[0]["table"], "orders");
    assert_eq!(changed[0]["columnsAdded"], json!(["priority"]));
    assert_eq!(changed[0]["columnsRemoved"], json!(["note"]));
    // Reporting changed nothing.
    assert_eq!(
        collection_names(&app, &admin, "shop").await,
        ["customers", "notes", "orders"]
    );
    let reply = app.ds_get(who, "shop", "tags:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let again = app
        .api_post("/api/dataSources:refresh?filterByTk=shop", who, json!({}))
        .await;
    assert_eq!(again.ok(), &report);

    let reply = app
        .api_post(
            "/api/dataSources:applyRefresh?filterByTk=shop",
            who,
            json!({}),
        )
        .await;
    assert_eq!(reply.ok(), &report);
    assert_eq!(
        collection_names(&app, &admin, "shop").await,
        ["customers", "orders", "tags"]
    );
    let reply = app.ds_get(who, "shop", "orders:list?sort=id").await;
    let first = reply.ok()[0].as_object().unwrap();
    assert!(first.contains_key("priority"), "{}", reply.body);
    assert!(!first.contains_key("note"), "{}", reply.body);
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=1",
            &json!({"priority": 3}),
        )
        .await;
    assert_eq!(reply.ok()[0]["priority"], 3);
    let reply = app.ds_get(who, "shop", "tags:list").await;
    assert_eq!(reply.listed(), 0);
    // What named the dropped column is forgotten; the rest is kept.
    let reply = app.ds_get(who, "shop", "orders:list?appends=noteRef").await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_QUERY");
    let reply = app
        .api_get(
            "/api/dataSources/shop/collections:get?filterByTk=orders",
            who,
        )
        .await;
    let relations: Vec<&Value> = reply.ok()["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(relations, [&json!("customer")], "{}", reply.body);
    let title = reply.ok()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "title")
        .unwrap()["title"]
        .clone();
    assert_eq!(title, "Title");
    let reply = app
        .api_post("/api/dataSources:refresh?filterByTk=shop", who, json!({}))
        .await;
    assert_eq!(
        reply.ok(),
        &json!({"tablesAdded": [], "tablesRemoved": [], "tablesChanged": []})
    );
    let log = app.audit(&admin, "").await;
    assert!(
        log.iter()
            .any(|e| e["action"] == "dataSources:applyRefresh")
    );
}

async fn one_source_down_does_not_stop_the_others(backend: Backend) {
    source_down(backend, Db::Postgres).await;
}

/// MariaDB keeps a pooled connection to a dropped database open; it must
/// still be reported as the database being gone, not as a changed table
/// a refresh would "fix" by unloading every collection.
async fn a_dropped_mariadb_database_is_a_connection_failure(backend: Backend) {
    source_down(backend, Db::Mariadb).await;
}

async fn source_down(backend: Backend, db: Db) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let mut doomed = ExternalDb::shop(db).await;
    let healthy = ExternalDb::shop(Db::Sqlite).await;
    app.add_source(&admin, doomed.source("doomed")).await;
    app.add_source(&admin, healthy.source("healthy")).await;
    for key in ["doomed", "healthy"] {
        assert_eq!(app.ds_get(who, key, "orders:list").await.listed(), 5);
    }

    doomed.drop_now().await;
    // Twice: the broken pool is noticed, then the reconnect fails.
    for attempt in 0..2 {
        let started = std::time::Instant::now();
        let reply = app.ds_get(who, "doomed", "orders:list").await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_GATEWAY,
            "#{attempt}: {}",
            reply.body
        );
        assert_eq!(reply.code(), "CONNECTION_FAILED", "{}", reply.body);
        assert!(started.elapsed().as_secs() < 15, "answered slowly");
        let reply = app.ds_get(who, "healthy", "orders:list").await;
        assert_eq!(reply.listed(), 5);
    }
    let view: Value = app.wait_status(&admin, "doomed").await;
    assert_eq!(view["status"], "failed", "{view}");
    assert!(view["statusMessage"].is_string(), "{view}");
    let reply = app
        .api_post("/api/dataSources:refresh?filterByTk=doomed", who, json!({}))
        .await;
    reply.error(StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
    assert_eq!(collection_names(&app, &admin, "doomed").await.len(), 2);
    let reply = app.api_get("/api/dataSources:list", who).await;
    assert_eq!(reply.listed(), 3);
    // The healthy source still writes.
    let values = json!({"title": "Figs", "status": "open"});
    let reply = app.ds_post(who, "healthy", "orders:create", &values).await;
    assert_eq!(reply.ok()["id"], 6);
}
