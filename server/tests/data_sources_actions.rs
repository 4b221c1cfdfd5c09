//! The REST API beyond single-record CRUD, on real PostgreSQL, MariaDB and
//! SQLite sources: REST-style paths, updates and deletes by filter or by a
//! list of keys, firstOrCreate / updateOrCreate, aggregates (`query`) and
//! relation paths (`/customers/1/orders:list`).
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::data::{Db, ExternalDb, column, query};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(postgres_actions, mariadb_actions, sqlite_actions,);

async fn postgres_actions(backend: Backend) {
    actions(backend, Db::Postgres).await;
}
async fn mariadb_actions(backend: Backend) {
    actions(backend, Db::Mariadb).await;
}
async fn sqlite_actions(backend: Backend) {
    actions(backend, Db::Sqlite).await;
}

async fn actions(backend: Backend, db: Db) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let external = ExternalDb::shop(db).await;
    let view = app.add_source(&admin, external.source("shop")).await;
    assert_eq!(view["status"], "loaded", "{view}");
    let who = As::Bearer(&admin);

    rest_style(&app, who).await;
    bulk_writes(&app, who).await;
    upserts(&app, who, &external).await;
    aggregates(&app, who).await;
    relation_paths(&app, who).await;
}

async fn send(
    app: &TestApp,
    who: As<'_>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let mut request = app
        .request(method, &format!("/api/{path}"), who)
        .header("x-data-source", "shop");
    if let Some(body) = body {
        request = request.json(&body);
    }
    TestApp::reply(request).await
}

async fn rest_style(app: &TestApp, who: As<'_>) {
    let all = send(app, who, Method::GET, "orders?sort=id", None).await;
    assert_eq!(all.listed(), 5, "{}", all.body);
    assert_eq!(all.body["meta"]["count"], 5);
    let one = send(app, who, Method::GET, "orders/1", None).await;
    assert_eq!(one.ok()["title"], "Apples");
    let none = send(app, who, Method::GET, "orders/999", None).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body["data"].is_null(), "{}", none.body);

    let body = json!({"title": "Figs", "status": "open", "amount": 5});
    let created = send(app, who, Method::POST, "orders", Some(body)).await;
    let id = created.ok()["id"].as_i64().unwrap();
    let patched = send(
        app,
        who,
        Method::PATCH,
        &format!("orders/{id}"),
        Some(json!({"amount": 6})),
    )
    .await;
    assert_eq!(patched.ok()[0]["amount"], 6, "{}", patched.body);
    let put = send(
        app,
        who,
        Method::PUT,
        &format!("orders/{id}"),
        Some(json!({"note": "dried"})),
    )
    .await;
    assert_eq!(put.ok()[0]["note"], "dried");
    let gone = send(app, who, Method::DELETE, &format!("orders/{id}"), None).await;
    assert_eq!(gone.ok(), &json!(1));
    let missing = send(
        app,
        who,
        Method::PATCH,
        &format!("orders/{id}"),
        Some(json!({"amount": 1})),
    )
    .await;
    missing.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    // A method REST style does not use for items.
    let wrong = send(app, who, Method::POST, "orders/1", None).await;
    wrong.error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

async fn bulk_writes(app: &TestApp, who: As<'_>) {
    for title in ["Grapes", "Honey", "Ice"] {
        let body = json!({"title": title, "status": "bulk", "amount": 1});
        send(app, who, Method::POST, "orders:create", Some(body))
            .await
            .ok();
    }
    let filter = query(&[("filter", r#"{"status":"bulk","title":{"$ne":"Ice"}}"#)]);
    let updated = send(
        app,
        who,
        Method::POST,
        &format!("orders:update?{filter}"),
        Some(json!({"amount": 7})),
    )
    .await;
    let mut titles = column(&updated, "title");
    titles.sort_by_key(|t| t.to_string());
    assert_eq!(
        titles,
        [json!("Grapes"), json!("Honey")],
        "{}",
        updated.body
    );
    assert_eq!(column(&updated, "amount"), [json!(7), json!(7)]);
    // Values that move records out of the filter: the answer still lists them.
    let moved = send(
        app,
        who,
        Method::POST,
        &format!("orders:update?{filter}"),
        Some(json!({"status": "moved"})),
    )
    .await;
    assert_eq!(moved.listed(), 2, "{}", moved.body);
    let again = send(
        app,
        who,
        Method::POST,
        &format!("orders:update?{filter}"),
        Some(json!({"amount": 8})),
    )
    .await;
    assert_eq!(
        again.listed(),
        0,
        "nothing matches any more: {}",
        again.body
    );

    // Several keys.
    let ids: Vec<i64> = column(&moved, "id")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let keys = format!("filterByTk[]={}&filterByTk[]={}", ids[0], ids[1]);
    let by_keys = send(
        app,
        who,
        Method::POST,
        &format!("orders:update?{keys}"),
        Some(json!({"note": "k"})),
    )
    .await;
    assert_eq!(column(&by_keys, "note"), [json!("k"), json!("k")]);

    // Nothing named: refused, never the whole table.
    for path in [
        "orders:update",
        &format!("orders:update?{}", query(&[("filter", "{}")])),
    ] {
        let reply = send(app, who, Method::POST, path, Some(json!({"amount": 0}))).await;
        reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    }
    let reply = send(app, who, Method::POST, "orders:destroy", None).await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let bad = send(
        app,
        who,
        Method::POST,
        &format!("orders:destroy?{}", query(&[("filter", "{\"status\":")])),
        None,
    )
    .await;
    bad.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    let by_filter = query(&[("filter", r#"{"status":{"$in":["moved","bulk"]}}"#)]);
    let deleted = send(
        app,
        who,
        Method::POST,
        &format!("orders:destroy?{by_filter}"),
        None,
    )
    .await;
    assert_eq!(deleted.ok(), &json!(3), "{}", deleted.body);
    let left = send(app, who, Method::GET, "orders:list", None).await;
    assert_eq!(left.listed(), 5);
}

async fn upserts(app: &TestApp, who: As<'_>, external: &ExternalDb) {
    let existing = json!({"email": "ada@example.org", "name": "Someone else"});
    let found = send(
        app,
        who,
        Method::POST,
        "customers:firstOrCreate?filterKeys[]=email",
        Some(existing),
    )
    .await;
    assert_eq!(
        found.ok()["name"],
        "Ada",
        "found, not changed: {}",
        found.body
    );
    assert_eq!(found.ok()["id"], 1);

    let new = json!({"email": "cy@example.org", "name": "Cy"});
    let created = send(
        app,
        who,
        Method::POST,
        "customers:firstOrCreate?filterKeys=email",
        Some(new.clone()),
    )
    .await;
    assert_eq!(created.ok()["name"], "Cy");
    let twice = send(
        app,
        who,
        Method::POST,
        "customers:firstOrCreate?filterKeys=email",
        Some(new),
    )
    .await;
    assert_eq!(
        twice.ok()["id"],
        created.ok()["id"],
        "the second call finds the first's record"
    );

    let rename = json!({"email": "bob@example.org", "name": "Robert"});
    let updated = send(
        app,
        who,
        Method::POST,
        "customers:updateOrCreate?filterKeys[]=email",
        Some(rename),
    )
    .await;
    assert_eq!(updated.ok()["name"], "Robert", "{}", updated.body);
    assert_eq!(updated.ok()["id"], 2);
    let fresh = json!({"email": "di@example.org", "name": "Di"});
    let inserted = send(
        app,
        who,
        Method::POST,
        "customers:updateOrCreate?filterKeys[]=email",
        Some(fresh),
    )
    .await;
    assert_eq!(inserted.ok()["name"], "Di");
    assert_eq!(external.count("SELECT COUNT(*) FROM customers").await, 4);

    for (path, body) in [
        (
            "customers:firstOrCreate",
            json!({"email": "x@example.org", "name": "X"}),
        ),
        (
            "customers:updateOrCreate?filterKeys[]=phone",
            json!({"email": "x@example.org", "name": "X"}),
        ),
        ("customers:firstOrCreate?filterKeys[]=email", json!([1])),
    ] {
        let reply = send(app, who, Method::POST, path, Some(body)).await;
        reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    }
    let get = send(
        app,
        who,
        Method::GET,
        "customers:firstOrCreate?filterKeys[]=email",
        None,
    )
    .await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
}

async fn aggregates(app: &TestApp, who: As<'_>) {
    let body = json!({
        "measures": [
            {"field": ["amount"], "aggregation": "sum", "alias": "total"},
            {"aggregation": "count", "alias": "n"},
            {"field": "amount", "aggregation": "avg", "alias": "mean"},
            {"field": "title", "aggregation": "max", "alias": "last"}
        ],
        "dimensions": [{"field": ["status"]}],
        "orders": [{"field": ["status"], "order": "desc"}]
    });
    let reply = send(app, who, Method::POST, "orders:query", Some(body)).await;
    let rows = reply.ok().as_array().unwrap();
    assert_eq!(rows.len(), 2, "{}", reply.body);
    assert_eq!(rows[0]["status"], "open");
    assert_eq!(rows[0]["total"], 70);
    assert_eq!(rows[0]["n"], 3);
    assert!(
        (rows[0]["mean"].as_f64().unwrap() - 70.0 / 3.0).abs() < 1e-9,
        "{}",
        rows[0]
    );
    assert_eq!(rows[0]["last"], "Dates");
    assert_eq!(rows[1]["status"], "closed");
    assert_eq!(rows[1]["total"], 60);

    let filtered = json!({
        "measures": [{"aggregation": "count", "alias": "n"}],
        "filter": {"customer.name": "Ada"},
        "limit": 1
    });
    let reply = send(app, who, Method::POST, "orders:query", Some(filtered)).await;
    assert_eq!(reply.ok(), &json!([{"n": 2}]), "{}", reply.body);

    for body in [
        json!({"measures": [{"field": "amount", "aggregation": "median"}]}),
        json!({"measures": [{"field": "title", "aggregation": "sum"}]}),
        json!({"dimensions": [{"field": "nope"}]}),
        json!({"dimensions": [{"field": "status"}], "orders": [{"field": "amount"}]}),
        json!({}),
    ] {
        let reply = send(app, who, Method::POST, "orders:query", Some(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
    }
}

async fn relation_paths(app: &TestApp, who: As<'_>) {
    let list = send(
        app,
        who,
        Method::GET,
        "customers/1/orders:list?sort=id",
        None,
    )
    .await;
    assert_eq!(
        column(&list, "title"),
        [json!("Apples"), json!("Cheese")],
        "{}",
        list.body
    );
    assert_eq!(list.body["meta"]["count"], 2);
    let rest = send(app, who, Method::GET, "customers/1/orders", None).await;
    assert_eq!(rest.listed(), 2);
    let narrowed = send(
        app,
        who,
        Method::GET,
        &format!(
            "customers/1/orders:list?{}",
            query(&[("filter", r#"{"amount":30}"#)])
        ),
        None,
    )
    .await;
    assert_eq!(column(&narrowed, "title"), [json!("Apples")]);

    // Through the relation only the related records are reachable.
    let other = send(
        app,
        who,
        Method::GET,
        "customers/1/orders:get?filterByTk=2",
        None,
    )
    .await;
    assert!(
        other.body["data"].is_null(),
        "order 2 is Bob's: {}",
        other.body
    );
    let own = send(app, who, Method::GET, "customers/1/orders/3", None).await;
    assert_eq!(own.ok()["title"], "Cheese");

    let added = send(
        app,
        who,
        Method::POST,
        "customers/2/orders:create",
        Some(json!({"title": "Jam", "status": "open", "customer_id": 1})),
    )
    .await;
    assert_eq!(
        added.ok()["customer_id"],
        2,
        "the path decides the link: {}",
        added.body
    );
    let jam = added.ok()["id"].as_i64().unwrap();
    let foreign = send(
        app,
        who,
        Method::POST,
        &format!("customers/1/orders:destroy?filterByTk={jam}"),
        None,
    )
    .await;
    assert_eq!(foreign.ok(), &json!(0), "not Ada's order");
    let mine = send(
        app,
        who,
        Method::POST,
        &format!("customers/2/orders:destroy?filterByTk={jam}"),
        None,
    )
    .await;
    assert_eq!(mine.ok(), &json!(1));

    // Many-to-one: the one record it leads to; read-only.
    let customer = send(app, who, Method::GET, "orders/1/customer:get", None).await;
    assert_eq!(customer.ok()["name"], "Ada", "{}", customer.body);
    let unlinked = send(app, who, Method::GET, "orders/4/customer:get", None).await;
    assert!(unlinked.body["data"].is_null());
    let refused = send(
        app,
        who,
        Method::POST,
        "orders/1/customer:create",
        Some(json!({"name": "Z"})),
    )
    .await;
    refused.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    for path in ["customers/99/orders:list", "customers/1/nope:list"] {
        let reply = send(app, who, Method::GET, path, None).await;
        reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }
}
