//! What NocoBase clients depend on, on a real PostgreSQL, MariaDB and
//! SQLite source: data source bodies in NocoBase's shape (`type` and
//! `options`, wrapped in `values` or not), `get` by `filter` without a key,
//! a `pageSize` above the cap served at the cap, and NULLs last in either
//! sort direction.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::data::{Db, ExternalDb, column, query};
use support::identity::As;
use support::{Backend, TestApp};

#[tokio::test]
async fn postgres() {
    nocobase_clients_work(Db::Postgres).await;
}
#[tokio::test]
async fn mariadb() {
    nocobase_clients_work(Db::Mariadb).await;
}
#[tokio::test]
async fn sqlite() {
    nocobase_clients_work(Db::Sqlite).await;
}

/// Ferrobase's flat data source body in NocoBase's shape.
fn nocobase_shape(flat: &Value) -> Value {
    let mut options = flat.as_object().unwrap().clone();
    let mut body = json!({"type": options.remove("engine").unwrap()});
    for name in ["key", "displayName"] {
        body[name] = options.remove(name).unwrap();
    }
    body["options"] = Value::Object(options);
    body
}

async fn nocobase_clients_work(db: Db) {
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(db).await;
    let body = nocobase_shape(&external.source("shop"));

    // NocoBase's test body has neither key nor name.
    let trial = json!({"values": {"type": body["type"], "options": body["options"]}});
    let reply = app
        .api_post("/api/dataSources:testConnection", who, trial)
        .await;
    assert_eq!(reply.ok(), &json!({"success": true}), "{db:?}");
    let view = app.add_source(&admin, body.clone()).await;
    assert_eq!(view["status"], "loaded", "{view}");
    assert_eq!(
        (&view["type"], &view["engine"]),
        (&body["type"], &body["type"])
    );
    assert_eq!(view["options"]["database"], body["options"]["database"]);
    assert!(view["options"].get("password").is_none(), "{view}");
    let mut renamed = body.clone();
    renamed["displayName"] = json!("Shop, renamed");
    let reply = app
        .api_post(
            "/api/dataSources:update?filterByTk=shop",
            who,
            json!({"values": renamed}),
        )
        .await;
    assert_eq!(reply.ok()["displayName"], "Shop, renamed");
    let mut misspelt = body.clone();
    misspelt["options"]["hostname"] = json!("db");
    let reply = app
        .api_post("/api/dataSources:testConnection", who, misspelt)
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    assert!(
        reply.body.to_string().contains("unknown field `hostname`"),
        "{}",
        reply.body
    );

    // `get` without a key: the first record the filter and sort pick.
    let get = |q: &[(&str, &str)]| format!("orders:get?{}", query(q));
    let closed = r#"{"status":"closed"}"#;
    let reply = app.ds_get(who, "shop", &get(&[("filter", closed)])).await;
    assert_eq!(reply.ok()["title"], "Bread", "{db:?}: {}", reply.body);
    let reply = app
        .ds_get(
            who,
            "shop",
            &get(&[("filter", closed), ("sort", "-amount")]),
        )
        .await;
    assert_eq!(reply.ok()["title"], "Eggs", "{db:?}: {}", reply.body);
    let none = r#"{"status":"lost"}"#;
    let reply = app.ds_get(who, "shop", &get(&[("filter", none)])).await;
    assert_eq!(reply.body, json!({"data": null}));
    let reply = app
        .ds_get(who, "shop", "orders:get?filterByTk=1&filterByTk=2")
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    // Above the cap: served at the cap, and `meta` says so.
    let reply = app.ds_get(who, "shop", "orders:list?pageSize=5000").await;
    assert_eq!(
        reply.body["meta"],
        json!({"count": 5, "page": 1, "pageSize": 1000, "totalPage": 1}),
        "{db:?}"
    );
    let reply = app.ds_get(who, "shop", "orders:list?pageSize=0").await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    // The order without a customer comes last either way.
    let sorted = |sort: &str| format!("orders:list?{}", query(&[("sort", sort)]));
    let reply = app.ds_get(who, "shop", &sorted("customer_id")).await;
    let titles = ["Apples", "Cheese", "Bread", "Eggs", "Dates"];
    assert_eq!(column(&reply, "title"), titles, "{db:?}");
    let reply = app.ds_get(who, "shop", &sorted("-customer_id")).await;
    let titles = ["Bread", "Eggs", "Apples", "Cheese", "Dates"];
    assert_eq!(column(&reply, "title"), titles, "{db:?}");
    // A page past the first keeps the order (looked up by key on PostgreSQL).
    let reply = app
        .ds_get(
            who,
            "shop",
            &format!(
                "orders:list?{}",
                query(&[("sort", "-customer_id"), ("page", "2"), ("pageSize", "2")])
            ),
        )
        .await;
    assert_eq!(column(&reply, "title"), ["Apples", "Cheese"], "{db:?}");
}
