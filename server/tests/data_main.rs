//! The main data source end to end: the collection designer makes tables in
//! Ferrobase's own store, and records go through the same REST API as any
//! external source, with Ferrobase's stamps and the role's grants. Each
//! scenario runs on the SQLite and the PostgreSQL store.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::identity::{As, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(
    designed_collections_hold_typed_records,
    the_designer_refuses_bad_definitions,
    grants_limit_fields_and_own_scope,
);

async fn customers_and_orders(app: &TestApp, admin: &str) {
    let customers = json!({"name": "customers", "title": "Customers", "fields": [
        {"name": "name", "type": "text", "required": true},
        {"name": "email", "type": "text", "unique": true},
        {"name": "vip", "type": "boolean"},
    ]});
    app.api_post("/api/collections:create", As::Bearer(admin), customers)
        .await
        .ok();
    let orders = json!({"name": "orders", "fields": [
        {"name": "customer", "type": "relation", "target": "customers"},
        {"name": "total", "type": "decimal"},
        {"name": "quantity", "type": "integer"},
        {"name": "status", "type": "select", "options": ["open", "paid"]},
        {"name": "placed", "type": "date"},
        {"name": "shippedAt", "type": "datetime"},
        {"name": "notes", "type": "longText"},
        {"name": "extra", "type": "json"},
    ]});
    let created = app
        .api_post("/api/collections:create", As::Bearer(admin), orders)
        .await;
    let fields = created.ok()["fields"].as_array().unwrap().clone();
    let interface =
        |name: &str| fields.iter().find(|f| f["name"] == name).unwrap()["interface"].clone();
    assert_eq!(interface("customerId"), "integer");
    assert_eq!(interface("status"), "enum");
    assert_eq!(interface("total"), "decimal");
    assert_eq!(interface("shippedAt"), "datetime");
    let relations = created.ok()["relations"].as_array().unwrap();
    assert_eq!(relations[0]["name"], "customer");
}

async fn designed_collections_hold_typed_records(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    customers_and_orders(&app, &admin).await;
    let who = As::Bearer(&admin);
    let ann = app
        .api_post(
            "/api/customers:create",
            who,
            json!({"name": "Ann", "email": "ann@example.org", "vip": true}),
        )
        .await;
    let ann_id = ann.ok()["id"].as_i64().unwrap();
    assert_eq!(ann.ok()["vip"], true);
    assert!(
        ann.ok()["createdAt"].as_str().unwrap().starts_with("20"),
        "{}",
        ann.body
    );
    assert!(ann.ok()["createdById"].as_i64().is_some());
    let order = json!({"customerId": ann_id, "total": "12345678.90", "quantity": "3", "status": "open",
        "placed": "2026-11-23", "shippedAt": "2026-11-23T09:05:00Z", "notes": "x".repeat(5000), "extra": {"a": [1, 2]}});
    let created = app.api_post("/api/orders:create", who, order).await;
    let order = created.ok();
    assert_eq!(order["quantity"], 3);
    assert_eq!(order["extra"], json!({"a": [1, 2]}));
    assert!(
        order["total"].as_str().unwrap().starts_with("12345678.9"),
        "{order}"
    );
    let id = order["id"].as_i64().unwrap();

    // Filters, appends and paging through the main source.
    let filter = r#"{"$and":[{"status":"open"},{"customer.name":{"$includes":"an"}}]}"#;
    let path = format!(
        "/api/orders:list?filter={}&appends=customer",
        support::identity::encode(filter)
    );
    let listed = app.api_get(&path, who).await;
    assert_eq!(listed.ok().as_array().unwrap().len(), 1, "{}", listed.body);
    assert_eq!(listed.ok()[0]["customer"]["name"], "Ann");
    assert_eq!(listed.body["meta"]["count"], 1);

    // Update stamps updatedAt and keeps createdById; bad values change nothing.
    let path = format!("/api/orders:update?filterByTk={id}");
    let updated = app
        .api_post(&path, who, json!({"status": "paid", "createdById": 999}))
        .await;
    assert_eq!(updated.ok()[0]["status"], "paid");
    assert_ne!(updated.ok()[0]["createdById"], 999);
    for (body, code) in [
        (json!({"status": "lost"}), "INVALID_VALUE"),
        (json!({"quantity": "many"}), "INVALID_VALUE"),
        (json!({"customerId": 424242}), "FOREIGN_KEY_VIOLATION"),
        (json!({"nope": 1}), "INVALID_VALUE"),
    ] {
        let refused = app.api_post(&path, who, body.clone()).await;
        assert_eq!(refused.code(), code, "{body}: {}", refused.body);
    }
    let missing_name = app
        .api_post(
            "/api/customers:create",
            who,
            json!({"email": "x@example.org"}),
        )
        .await;
    missing_name.error(StatusCode::BAD_REQUEST, "INVALID_VALUE");
    let duplicate = app
        .api_post(
            "/api/customers:create",
            who,
            json!({"name": "B", "email": "ann@example.org"}),
        )
        .await;
    duplicate.error(StatusCode::CONFLICT, "DUPLICATE_KEY");
    let got = app
        .api_get(&format!("/api/orders:get?filterByTk={id}"), who)
        .await;
    assert_eq!(got.ok()["status"], "paid");
    assert_eq!(got.ok()["quantity"], 3);

    // Designer changes: add and remove a field; a referenced collection stays.
    let added = app
        .api_post(
            "/api/collections/orders/fields:create",
            who,
            json!({"name": "coupon", "type": "text"}),
        )
        .await;
    assert!(
        added.ok()["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "coupon")
    );
    app.api_post(
        "/api/orders:update?filterByTk=1",
        who,
        json!({"coupon": "SAVE"}),
    )
    .await
    .ok();
    app.api_post(
        "/api/collections/orders/fields:destroy?filterByTk=coupon",
        who,
        json!({}),
    )
    .await
    .ok();
    let blocked = app
        .api_post(
            "/api/collections:destroy?filterByTk=customers",
            who,
            json!({}),
        )
        .await;
    blocked.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let destroyed = app
        .api_post(
            &format!("/api/orders:destroy?filterByTk={id}"),
            who,
            json!({}),
        )
        .await;
    assert_eq!(destroyed.ok(), &json!(1));
    app.api_post("/api/collections:destroy?filterByTk=orders", who, json!({}))
        .await
        .ok();
    app.api_post(
        "/api/collections:destroy?filterByTk=customers",
        who,
        json!({}),
    )
    .await
    .ok();
    app.api_get("/api/orders:list", who)
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

async fn the_designer_refuses_bad_definitions(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let bad: [Value; 7] = [
        json!({"name": "users"}),
        json!({"name": "1abc"}),
        json!({"name": "a\"; DROP TABLE users; --"}),
        json!({"name": "t", "fields": [{"name": "id", "type": "text"}]}),
        json!({"name": "t", "fields": [{"name": "s", "type": "select", "options": []}]}),
        json!({"name": "t", "fields": [{"name": "r", "type": "relation", "target": "nowhere"}]}),
        json!({"name": "t", "fields": [{"name": "x", "type": "colour"}]}),
    ];
    for body in bad {
        let reply = app
            .api_post("/api/collections:create", who, body.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
    }
    let listed = app.api_get("/api/collections:list", who).await;
    assert_eq!(listed.ok(), &json!([]), "nothing was created");
    app.api_post("/api/collections:create", who, json!({"name": "notes"}))
        .await
        .ok();
    let later_required = app
        .api_post(
            "/api/collections/notes/fields:create",
            who,
            json!({"name": "t", "type": "text", "required": true}),
        )
        .await;
    later_required.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let member = app.create_user(&admin, "m@example.org", None).await;
    assert!(member > 0);
    let token = app.token("m@example.org", USER_PASSWORD).await;
    let forbidden = app
        .api_post(
            "/api/collections:create",
            As::Bearer(&token),
            json!({"name": "x"}),
        )
        .await;
    forbidden.error(StatusCode::FORBIDDEN, "FORBIDDEN");
}

async fn grants_limit_fields_and_own_scope(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    customers_and_orders(&app, &admin).await;
    let grant = |action: &str, fields: Value, scope: Value| json!({"dataSource": "main", "collection": "customers", "action": action, "fields": fields, "scope": scope});
    let role = json!({"name": "clerk", "title": "Clerk", "permissions": {"all": false, "system": [], "grants": [
        grant("view", json!(["id", "name", "createdById"]), json!({"kind": "own"})),
        grant("create", json!(["name"]), json!({"kind": "all"})),
    ]}});
    app.api_post("/api/roles:create", As::Bearer(&admin), role)
        .await
        .ok();
    app.create_user(&admin, "clerk@example.org", Some(&["clerk"]))
        .await;
    let clerk = app.token("clerk@example.org", USER_PASSWORD).await;
    let by_admin = app
        .api_post(
            "/api/customers:create",
            As::Bearer(&admin),
            json!({"name": "Admin's", "email": "a@example.org"}),
        )
        .await;
    by_admin.ok();
    let mine = app
        .api_post(
            "/api/customers:create",
            As::Bearer(&clerk),
            json!({"name": "Mine"}),
        )
        .await;
    assert_eq!(mine.ok()["name"], "Mine");
    assert!(
        mine.ok().get("email").is_none(),
        "email is outside the view grant: {}",
        mine.body
    );
    let writes_hidden = app
        .api_post(
            "/api/customers:create",
            As::Bearer(&clerk),
            json!({"name": "X", "email": "x@example.org"}),
        )
        .await;
    assert_eq!(
        writes_hidden.status,
        StatusCode::BAD_REQUEST,
        "{}",
        writes_hidden.body
    );
    let listed = app.api_get("/api/customers:list", As::Bearer(&clerk)).await;
    let names: Vec<&str> = listed
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Mine"], "own scope hides the admin's record");
    let by_hidden = app
        .api_get(
            "/api/customers:list?filter=%7B%22email%22%3A%22a%40example.org%22%7D",
            As::Bearer(&clerk),
        )
        .await;
    by_hidden.error(StatusCode::BAD_REQUEST, "INVALID_QUERY");
    let sort_hidden = app
        .api_get("/api/customers:list?sort=-email", As::Bearer(&clerk))
        .await;
    sort_hidden.error(StatusCode::BAD_REQUEST, "INVALID_QUERY");
    let orders = app.api_get("/api/orders:list", As::Bearer(&clerk)).await;
    orders.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let update = app
        .api_post(
            "/api/customers:update?filterByTk=1",
            As::Bearer(&clerk),
            json!({"name": "Mine!"}),
        )
        .await;
    update.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    app.api_get("/api/customers:list", As::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
}
