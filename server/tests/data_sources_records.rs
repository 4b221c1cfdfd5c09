//! Records of external collections over REST with `X-Data-Source`, in
//! NocoBase's shapes: listing with filter, sort, fields, except, appends and
//! the three kinds of paging; get, create, update, destroy; and the errors
//! a client must be able to tell apart. Every scenario runs against a real
//! PostgreSQL, MariaDB and SQLite database, on both metadata stores.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::data::{Db, ExternalDb, column, query};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(
    postgres_records,
    mariadb_records,
    sqlite_records,
    postgres_errors,
    mariadb_errors,
    sqlite_errors,
);

async fn postgres_records(backend: Backend) {
    reading_and_writing(backend, Db::Postgres).await;
}
async fn mariadb_records(backend: Backend) {
    reading_and_writing(backend, Db::Mariadb).await;
}
async fn sqlite_records(backend: Backend) {
    reading_and_writing(backend, Db::Sqlite).await;
}
async fn postgres_errors(backend: Backend) {
    errors(backend, Db::Postgres).await;
}
async fn mariadb_errors(backend: Backend) {
    errors(backend, Db::Mariadb).await;
}
async fn sqlite_errors(backend: Backend) {
    errors(backend, Db::Sqlite).await;
}

/// A server with the shop loaded as source `shop`, and the admin's token.
async fn shop(backend: Backend, db: Db) -> (TestApp, ExternalDb, String) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let external = ExternalDb::shop(db).await;
    let view = app.add_source(&admin, external.source("shop")).await;
    assert_eq!(view["status"], "loaded", "{view}");
    assert_eq!(view["collections"], 2, "{view}");
    (app, external, admin)
}

fn titles(reply: &Reply) -> Vec<Value> {
    column(reply, "title")
}

async fn reading_and_writing(backend: Backend, db: Db) {
    let (app, external, admin) = shop(backend, db).await;
    let who = As::Bearer(&admin);
    let list = |q: &[(&str, &str)]| format!("orders:list?{}", query(q));

    let all = app.ds_get(who, "shop", "orders:list").await;
    assert_eq!(all.listed(), 5);
    assert_eq!(
        all.body["meta"],
        json!({"count": 5, "page": 1, "pageSize": 20, "totalPage": 1})
    );
    assert_eq!(all.ok()[0]["title"], "Apples");
    assert_eq!(
        all.ok()[0]["amount"],
        30,
        "numbers stay numbers: {}",
        all.body
    );
    assert_eq!(all.ok()[0]["note"], "crisp");
    assert!(all.ok()[1]["note"].is_null());

    let open = r#"{"status":"open","amount":{"$gte":20}}"#;
    let reply = app
        .ds_get(who, "shop", &list(&[("filter", open), ("sort", "id")]))
        .await;
    assert_eq!(titles(&reply), ["Apples", "Cheese", "Dates"]);
    assert_eq!(reply.body["meta"]["count"], 3);
    let either = r#"{"$or":[{"title":{"$includes":"rea"}},{"customer_id":{"$empty":true}}]}"#;
    let reply = app
        .ds_get(who, "shop", &list(&[("filter", either), ("sort", "id")]))
        .await;
    assert_eq!(titles(&reply), ["Bread", "Dates"]);

    let expected = ["Eggs", "Apples", "Cheese", "Dates", "Bread"];
    let reply = app
        .ds_get(who, "shop", &list(&[("sort", "-amount,title")]))
        .await;
    assert_eq!(titles(&reply), expected);
    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("sort[]", "-amount"), ("sort[]", "title")]),
        )
        .await;
    assert_eq!(titles(&reply), expected);

    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("fields", "id,title"), ("sort", "id")]),
        )
        .await;
    let first = reply.ok()[0].as_object().unwrap();
    let mut keys: Vec<&String> = first.keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "title"], "{}", reply.body);
    let reply = app
        .ds_get(who, "shop", &list(&[("except", "secret,note")]))
        .await;
    let first = reply.ok()[0].as_object().unwrap();
    assert!(!first.contains_key("secret") && !first.contains_key("note"));
    assert!(first.contains_key("status"), "{}", reply.body);

    // appends: the many-to-one read from the foreign key.
    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("appends", "customer"), ("sort", "id")]),
        )
        .await;
    let rows = reply.ok().as_array().unwrap();
    assert_eq!(rows[0]["customer"]["name"], "Ada", "{}", reply.body);
    assert_eq!(rows[1]["customer"]["email"], "bob@example.org");
    assert!(rows[3]["customer"].is_null(), "{}", reply.body);
    let by_customer = r#"{"customer.name":"Bob"}"#;
    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("filter", by_customer), ("sort", "id")]),
        )
        .await;
    assert_eq!(titles(&reply), ["Bread", "Eggs"]);

    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("page", "2"), ("pageSize", "2"), ("sort", "id")]),
        )
        .await;
    assert_eq!(titles(&reply), ["Cheese", "Dates"]);
    assert_eq!(
        reply.body["meta"],
        json!({"count": 5, "page": 2, "pageSize": 2, "totalPage": 3})
    );
    let simple = |page: &'static str| {
        list(&[
            ("simplePaginate", "true"),
            ("page", page),
            ("pageSize", "2"),
            ("sort", "id"),
        ])
    };
    let reply = app.ds_get(who, "shop", &simple("2")).await;
    assert_eq!(titles(&reply), ["Cheese", "Dates"]);
    assert_eq!(reply.body["meta"]["hasNext"], true, "{}", reply.body);
    assert!(reply.body["meta"].get("count").is_none());
    let reply = app.ds_get(who, "shop", &simple("3")).await;
    assert_eq!(titles(&reply), ["Eggs"]);
    assert_eq!(reply.body["meta"]["hasNext"], false);
    let reply = app
        .ds_get(
            who,
            "shop",
            &list(&[("paginate", "false"), ("pageSize", "2")]),
        )
        .await;
    assert_eq!(reply.listed(), 5, "{}", reply.body);

    let reply = app.ds_get(who, "shop", "orders:get?filterByTk=3").await;
    assert_eq!(reply.ok()["title"], "Cheese");
    let reply = app
        .ds_get(
            who,
            "shop",
            "orders:get?filterByTk=1&appends=customer&except=secret",
        )
        .await;
    assert_eq!(reply.ok()["customer"]["name"], "Ada");
    assert!(reply.ok().get("secret").is_none());
    let reply = app.ds_get(who, "shop", "orders:get?filterByTk=999").await;
    assert_eq!(reply.body, json!({"data": null}));

    let values = json!({"title": "Figs", "status": "open", "amount": 5, "customer_id": 2});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    let created = reply.ok().clone();
    assert_eq!(created["title"], "Figs");
    assert_eq!(created["amount"], 5);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(id, 6, "{created}");
    let path = format!("orders:update?filterByTk={id}");
    let reply = app.ds_post(who, "shop", &path, &json!({"amount": 7})).await;
    assert_eq!(reply.ok().as_array().unwrap().len(), 1, "{}", reply.body);
    assert_eq!(reply.ok()[0]["amount"], 7);
    assert_eq!(reply.ok()[0]["title"], "Figs");
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=999",
            &json!({"amount": 1}),
        )
        .await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let path = format!("orders:destroy?filterByTk={id}");
    let reply = app.ds_post(who, "shop", &path, &json!({})).await;
    assert_eq!(reply.body, json!({"data": 1}));
    let reply = app.ds_post(who, "shop", &path, &json!({})).await;
    assert_eq!(reply.body, json!({"data": 0}));
    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 5);
    // The main source is not where external collections live.
    let reply = app.ds_get(who, "main", "orders:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

async fn errors(backend: Backend, db: Db) {
    let (app, external, admin) = shop(backend, db).await;
    let who = As::Bearer(&admin);
    let list = |filter: &str| format!("orders:list?{}", query(&[("filter", filter)]));

    for (filter, what) in [
        ("{\"status\":", "malformed"),
        ("[1,2]", "not an object"),
        (r#"{"amount":{"$nope":1}}"#, "unknown operator"),
        (r#"{"nope":1}"#, "unknown field"),
        (r#"{"customer.nope":1}"#, "unknown field behind a relation"),
    ] {
        let reply = app.ds_get(who, "shop", &list(filter)).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.body
        );
        assert!(reply.body["errors"][0]["message"].is_string(), "{what}");
    }
    for path in [
        "orders:list?sort=nope",
        "orders:list?fields=nope",
        "orders:list?appends=nope",
        "orders:list?pageSize=0",
        "orders:list?page=x",
    ] {
        let reply = app.ds_get(who, "shop", path).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.body
        );
    }
    let reply = app.ds_get(who, "shop", "nothing:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let reply = app.ds_get(who, "nosuchsource", "orders:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    // A header that cannot be a key is not repeated back, whatever it holds.
    let header = format!("<script>{}", "x".repeat(2000));
    let reply = app.ds_get(who, &header, "orders:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    assert!(!reply.body.to_string().contains("xxxx"), "{}", reply.body);

    let bad = json!({"title": "X", "status": "open", "amount": "abc"});
    let reply = app.ds_post(who, "shop", "orders:create", &bad).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_VALUE");
    let bad = json!({"title": "X", "status": "open", "bogus": 1});
    let reply = app.ds_post(who, "shop", "orders:create", &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=1",
            &json!({"amount": "x1"}),
        )
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_VALUE");
    let missing = json!({"status": "open"});
    let reply = app.ds_post(who, "shop", "orders:create", &missing).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "NOT NULL: {}",
        reply.body
    );
    let reply = app
        .ds_post(who, "shop", "orders:create", &json!([1, 2]))
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    let duplicate = json!({"name": "Ada again", "email": "ada@example.org"});
    let reply = app
        .ds_post(who, "shop", "customers:create", &duplicate)
        .await;
    reply.error(StatusCode::CONFLICT, "DUPLICATE_KEY");
    let dangling = json!({"title": "X", "status": "open", "customer_id": 999});
    let reply = app.ds_post(who, "shop", "orders:create", &dangling).await;
    reply.error(StatusCode::CONFLICT, "FOREIGN_KEY_VIOLATION");
    let reply = app
        .ds_post(who, "shop", "customers:destroy?filterByTk=1", &json!({}))
        .await;
    reply.error(StatusCode::CONFLICT, "FOREIGN_KEY_VIOLATION");

    // 10 MB of text: refused by the body limit, nothing written.
    let huge = json!({"title": "Huge", "status": "open", "note": "x".repeat(10 * 1024 * 1024)});
    let reply = app.ds_post(who, "shop", "orders:create", &huge).await;
    assert!(
        matches!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE | StatusCode::BAD_REQUEST
        ),
        "{}",
        reply.status
    );
    assert!(reply.body["errors"][0]["message"].is_string());
    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 5);
    assert_eq!(external.count("SELECT COUNT(*) FROM customers").await, 2);

    // Nothing above broke the source.
    let reply = app.ds_get(who, "shop", "orders:list").await;
    assert_eq!(reply.listed(), 5);
}
