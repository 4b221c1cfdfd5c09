//! An admin shaping loaded collections without touching the database:
//! titles, hidden fields (gone for every caller, admin included), the record
//! key of a view, relations declared by hand, unloading a collection.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::data::{Db, ExternalDb, column, query};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(
    postgres_collections,
    sqlite_collections,
    tables_that_would_share_a_name_are_refused,
    a_table_prefix_filters_and_strips,
);

async fn postgres_collections(backend: Backend) {
    collections(backend, Db::Postgres).await;
}
async fn sqlite_collections(backend: Backend) {
    collections(backend, Db::Sqlite).await;
}

async fn change(app: &TestApp, admin: &str, name: &str, changes: Value) -> Reply {
    let path = format!("/api/dataSources/shop/collections:update?filterByTk={name}");
    app.api_post(&path, As::Bearer(admin), changes).await
}

async fn collections(backend: Backend, db: Db) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(db).await;
    external
        .exec(
            "CREATE VIEW open_orders AS SELECT id, title, amount FROM orders WHERE status = 'open'",
        )
        .await;
    app.add_source(&admin, external.source("shop")).await;
    let reply = app
        .api_get(
            "/api/dataSources/shop/collections:get?filterByTk=orders",
            who,
        )
        .await;
    let orders = reply.ok();
    assert_eq!(orders["key"], json!(["id"]));
    assert_eq!(orders["view"], false);
    let relation = &orders["relations"][0];
    assert_eq!(relation["name"], "customer", "{orders}");
    assert_eq!(relation["kind"], "manyToOne");

    // Titles and a hidden field.
    let reply = change(
        &app,
        &admin,
        "orders",
        json!({"title": "Orders", "fieldTitles": {"amount": "Amount (EUR)"}, "hidden": ["secret"]}),
    )
    .await;
    assert_eq!(reply.ok()["title"], "Orders");
    let fields = reply.ok()["fields"].as_array().unwrap();
    let secret = fields.iter().find(|f| f["name"] == "secret").unwrap();
    assert_eq!(secret["hidden"], true, "the admin still sees it is there");
    let amount = fields.iter().find(|f| f["name"] == "amount").unwrap();
    assert_eq!(amount["title"], "Amount (EUR)");
    let reply = app.ds_get(who, "shop", "orders:list").await;
    assert!(reply.ok()[0].get("secret").is_none(), "{}", reply.body);
    assert!(reply.ok()[0].get("note").is_some());
    for q in [("filter", r#"{"secret":"s1"}"#), ("sort", "secret")] {
        let path = format!("orders:list?{}", query(&[q]));
        let reply = app.ds_get(who, "shop", &path).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{q:?}: {}",
            reply.body
        );
    }
    let values = json!({"title": "X", "status": "open", "secret": "mine"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    for bad in [
        json!({"hidden": ["nope"]}),
        json!({"title": ""}),
        json!({"recordKey": ["nope"]}),
        json!({"whatever": 1}),
    ] {
        let reply = change(&app, &admin, "orders", bad.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }
    let reply = change(&app, &admin, "nothing", json!({"title": "X"})).await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");

    // A view has no key until one is chosen.
    let path = "/api/dataSources/shop/collections:get?filterByTk=open_orders";
    let view = app.api_get(path, who).await;
    assert_eq!(view.ok()["view"], true);
    assert_eq!(view.ok()["key"], json!([]));
    let reply = app.ds_get(who, "shop", "open_orders:list?sort=id").await;
    assert_eq!(column(&reply, "title"), ["Apples", "Cheese", "Dates"]);
    let reply = app
        .ds_get(who, "shop", "open_orders:get?filterByTk=1")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    change(&app, &admin, "open_orders", json!({"recordKey": ["id"]}))
        .await
        .ok();
    let reply = app
        .ds_get(who, "shop", "open_orders:get?filterByTk=3")
        .await;
    assert_eq!(reply.ok()["title"], "Cheese");

    // A relation declared by hand, both ways.
    let relations = json!({"relations": [
        {"name": "purchases", "kind": "oneToMany", "target": "orders",
         "foreignKey": "customer_id", "targetKey": "id"},
    ]});
    let reply = change(&app, &admin, "customers", relations).await;
    assert_eq!(
        reply.ok()["relations"][1]["declared"],
        true,
        "{}",
        reply.body
    );
    let reply = app
        .ds_get(who, "shop", "customers:get?filterByTk=1&appends=purchases")
        .await;
    let purchases = reply.ok()["purchases"].as_array().unwrap();
    let mut titles: Vec<&str> = purchases
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Apples", "Cheese"], "{}", reply.body);
    assert!(
        purchases[0].get("secret").is_none(),
        "hidden through relations too"
    );
    let bad = json!({"relations": [
        {"name": "x", "kind": "manyToMany", "target": "orders", "foreignKey": "id", "targetKey": "id"},
    ]});
    let reply = change(&app, &admin, "customers", bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let bad = json!({"relations": [
        {"name": "name", "kind": "oneToMany", "target": "orders", "foreignKey": "customer_id", "targetKey": "id"},
    ]});
    let reply = change(&app, &admin, "customers", bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);

    // Settings survive a reload of the tables.
    let reply = app
        .api_post(
            "/api/dataSources:loadTables?filterByTk=shop",
            who,
            json!({}),
        )
        .await;
    reply.ok();
    let reply = app.ds_get(who, "shop", "orders:list").await;
    assert!(reply.ok()[0].get("secret").is_none(), "{}", reply.body);

    // Unloading forgets the collection; the table stays.
    let path = "/api/dataSources/shop/collections:destroy?filterByTk=open_orders";
    app.api_post(path, who, json!({})).await.ok();
    let reply = app.ds_get(who, "shop", "open_orders:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    assert_eq!(external.count("SELECT COUNT(*) FROM open_orders").await, 3);
    let log = app.audit(&admin, "").await;
    for action in [
        "dataSources.collections:update",
        "dataSources.collections:destroy",
    ] {
        assert!(log.iter().any(|e| e["action"] == action), "{action}");
    }
}

/// `odd name` and `odd_name` both make the collection `odd_name`.
async fn tables_that_would_share_a_name_are_refused(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::create(Db::Sqlite).await;
    external
        .exec(
            "CREATE TABLE \"odd name\" ({PK}, a TEXT); CREATE TABLE odd_name ({PK}, b TEXT); \
             INSERT INTO \"odd name\" (a) VALUES ('spaced')",
        )
        .await;
    app.api_post("/api/dataSources:create", who, external.source("odd"))
        .await
        .ok();
    app.wait_status(&admin, "odd").await;
    let path = "/api/dataSources:loadTables?filterByTk=odd";
    let reply = app.api_post(path, who, json!({})).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply = app
        .api_post(path, who, json!({"tables": ["odd name", "odd name"]}))
        .await;
    assert_eq!(reply.ok()["loaded"], 1);
    let reply = app
        .api_post(path, who, json!({"tables": ["odd_name"]}))
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply = app.ds_get(who, "odd", "odd_name:list").await;
    assert_eq!(column(&reply, "a"), ["spaced"]);
}

/// NocoBase's table prefix: only tables carrying it are offered, and
/// their collections are named without it.
async fn a_table_prefix_filters_and_strips(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::create(Db::Mariadb).await;
    external
        .exec(
            "CREATE TABLE erp_items ({PK}, label VARCHAR(20)); CREATE TABLE other ({PK}); \
             INSERT INTO erp_items (label) VALUES ('bolt'), ('nut')",
        )
        .await;
    let mut body = external.source("erp");
    body["tablePrefix"] = json!("erp_");
    app.api_post("/api/dataSources:create", who, body)
        .await
        .ok();
    app.wait_status(&admin, "erp").await;
    let reply = app
        .api_post("/api/dataSources:readTables?filterByTk=erp", who, json!({}))
        .await;
    assert_eq!(reply.listed(), 1, "{}", reply.body);
    assert_eq!(reply.ok()[0]["name"], "items");
    assert_eq!(reply.ok()[0]["table"], "erp_items");
    let path = "/api/dataSources:loadTables?filterByTk=erp";
    let reply = app.api_post(path, who, json!({"tables": ["other"]})).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply = app.api_post(path, who, json!({"tables": ["items"]})).await;
    assert_eq!(reply.ok()["loaded"], 1);
    let reply = app.ds_get(who, "erp", "items:list?sort=-label").await;
    assert_eq!(column(&reply, "label"), ["nut", "bolt"]);
    let reply = app.ds_get(who, "erp", "erp_items:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
}
