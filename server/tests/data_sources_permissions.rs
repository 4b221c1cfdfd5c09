//! Who may reach external records (SECURITY.md items 2 and 8): an action
//! must be granted per collection; a field list narrows what a role reads,
//! writes, filters and sorts on; a data scope limits rows for reading and
//! writing alike; data source administration needs its system permission.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::data::{Db, ExternalDb, column, query};
use support::identity::As;
use support::{Backend, TestApp};

on_both_backends!(
    a_view_grant_reaches_one_collection_only,
    field_lists_and_scopes_narrow_rows_and_columns,
    data_source_administration_needs_its_permission,
);

async fn shop(backend: Backend, db: Db) -> (TestApp, ExternalDb, String) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let external = ExternalDb::shop(db).await;
    app.add_source(&admin, external.source("shop")).await;
    (app, external, admin)
}

async fn a_view_grant_reaches_one_collection_only(backend: Backend) {
    let (app, external, admin) = shop(backend, Db::Postgres).await;
    let grants = json!([
        { "dataSource": "shop", "collection": "orders", "action": "view" },
    ]);
    let viewer = app.user_with_grants(&admin, "viewer", grants).await;
    let who = As::Bearer(&viewer);

    assert_eq!(app.ds_get(who, "shop", "orders:list").await.listed(), 5);
    let reply = app.ds_get(who, "shop", "orders:get?filterByTk=2").await;
    assert_eq!(reply.ok()["title"], "Bread");
    let reply = app.ds_get(who, "shop", "customers:list").await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // A relation into a collection the role cannot view is not there.
    let reply = app
        .ds_get(who, "shop", "orders:list?appends=customer")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let filter = query(&[("filter", r#"{"customer.name":"Ada"}"#)]);
    let reply = app
        .ds_get(who, "shop", &format!("orders:list?{filter}"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);

    let values = json!({"title": "Figs", "status": "open"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=1",
            &json!({"amount": 1}),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let reply = app
        .ds_post(who, "shop", "orders:destroy?filterByTk=1", &json!({}))
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // The same grant on another source key gives nothing there.
    let reply = app.ds_get(who, "main", "orders:list").await;
    assert!(
        matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        reply.body
    );

    let reply = app.ds_get(As::Anonymous, "shop", "orders:list").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    let reply = app
        .ds_post(As::Anonymous, "shop", "orders:create", &values)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 5);
}

async fn field_lists_and_scopes_narrow_rows_and_columns(backend: Backend) {
    let (app, external, admin) = shop(backend, Db::Mariadb).await;
    let open = json!({ "kind": "filter", "filter": { "status": "open" } });
    let grants = json!([
        { "dataSource": "shop", "collection": "orders", "action": "view",
          "fields": ["id", "title", "status", "amount"], "scope": open },
        { "dataSource": "shop", "collection": "orders", "action": "update",
          "fields": ["title", "amount"], "scope": open },
        { "dataSource": "shop", "collection": "orders", "action": "destroy", "scope": open },
        { "dataSource": "shop", "collection": "orders", "action": "create",
          "fields": ["title", "status"] },
    ]);
    let clerk = app.user_with_grants(&admin, "clerk", grants).await;
    let who = As::Bearer(&clerk);
    let list = |q: &[(&str, &str)]| format!("orders:list?{}", query(q));

    let reply = app.ds_get(who, "shop", &list(&[("sort", "id")])).await;
    assert_eq!(column(&reply, "title"), ["Apples", "Cheese", "Dates"]);
    assert_eq!(reply.body["meta"]["count"], 3);
    for row in reply.ok().as_array().unwrap() {
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["amount", "id", "status", "title"], "{row}");
    }
    // Hidden fields cannot be probed: filter, sort, fields, appends.
    for q in [
        ("filter", r#"{"secret":"s1"}"#),
        ("filter", r#"{"$or":[{"secret":{"$startsWith":"s"}}]}"#),
        ("sort", "secret"),
        ("fields", "id,secret"),
        ("appends", "customer"),
    ] {
        let reply = app.ds_get(who, "shop", &list(&[q])).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{q:?}: {}",
            reply.body
        );
        assert!(!reply.body.to_string().contains("s1"));
    }
    // The scope is part of every statement: closed orders do not exist.
    let reply = app.ds_get(who, "shop", "orders:get?filterByTk=2").await;
    assert_eq!(reply.body, json!({"data": null}));
    let widen = query(&[("filter", r#"{"status":"closed"}"#)]);
    let reply = app
        .ds_get(who, "shop", &format!("orders:list?{widen}"))
        .await;
    assert_eq!(reply.listed(), 0);
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=2",
            &json!({"amount": 1}),
        )
        .await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let reply = app
        .ds_post(who, "shop", "orders:destroy?filterByTk=2", &json!({}))
        .await;
    assert_eq!(reply.body, json!({"data": 0}));
    // Inside the scope: allowed fields only.
    let reply = app
        .ds_post(
            who,
            "shop",
            "orders:update?filterByTk=1",
            &json!({"amount": 31}),
        )
        .await;
    assert_eq!(reply.ok()[0]["amount"], 31);
    assert!(reply.ok()[0].get("secret").is_none());
    for values in [json!({"secret": "mine"}), json!({"status": "closed"})] {
        let reply = app
            .ds_post(who, "shop", "orders:update?filterByTk=1", &values)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{values}: {}",
            reply.body
        );
    }
    let values = json!({"title": "Figs", "status": "open", "secret": "x"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let values = json!({"title": "Figs", "status": "open"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    assert_eq!(reply.ok()["title"], "Figs");
    assert!(reply.ok().get("secret").is_none(), "{}", reply.body);
    // A record created outside the scope is written but not shown back.
    let values = json!({"title": "Grapes", "status": "closed"});
    let reply = app.ds_post(who, "shop", "orders:create", &values).await;
    assert!(reply.ok().get("title").is_none(), "{}", reply.body);
    assert_eq!(
        external
            .count("SELECT COUNT(*) FROM orders WHERE status = 'closed' AND amount = 10")
            .await,
        1,
        "Bread untouched"
    );
    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 7);
}

async fn data_source_administration_needs_its_permission(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let external = ExternalDb::create(Db::Sqlite).await;
    app.create_user(&admin, "member@example.org", None).await;
    let member = app
        .token("member@example.org", support::identity::USER_PASSWORD)
        .await;
    app.create_role(&admin, "dsadmin", &["dataSources"]).await;
    app.create_user(&admin, "ds@example.org", Some(&["dsadmin"]))
        .await;
    let ds_admin = app
        .token("ds@example.org", support::identity::USER_PASSWORD)
        .await;
    let body = external.source("lite");
    for (who, expected) in [
        (As::Bearer(&member), StatusCode::FORBIDDEN),
        (As::Anonymous, StatusCode::UNAUTHORIZED),
    ] {
        for path in [
            "dataSources:list",
            "dataSources:get?filterByTk=main",
            "dataSources/main/collections:list",
        ] {
            let reply = app.api_get(&format!("/api/{path}"), who).await;
            assert_eq!(reply.status, expected, "{path}: {}", reply.body);
        }
        for path in [
            "dataSources:create",
            "dataSources:testConnection",
            "dataSources:readTables?filterByTk=main",
            "dataSources:loadTables?filterByTk=main",
            "dataSources:refresh?filterByTk=main",
            "dataSources:destroy?filterByTk=main",
            "dataSources/main/collections:update?filterByTk=users",
        ] {
            let reply = app
                .api_post(&format!("/api/{path}"), who, body.clone())
                .await;
            assert_eq!(reply.status, expected, "{path}: {}", reply.body);
        }
    }
    let reply = app
        .api_post("/api/dataSources:create", As::Bearer(&ds_admin), body)
        .await;
    assert_eq!(reply.ok()["key"], "lite");
    let reply = app
        .api_get("/api/dataSources:list", As::Bearer(&member))
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
}
