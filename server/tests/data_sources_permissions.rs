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
    relations_hold_the_targets_scope_on_every_engine,
    write_filters_name_only_readable_fields,
    no_existence_oracle_for_sources_or_collections,
    the_creator_stamp_cannot_be_forged,
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

/// Issue 11 item 1: appends and relation filters apply the target's view
/// grant in full, its fields and its scope, on every engine. Before, the
/// scope on `customers` did not hold through `orders:list?appends=customer`
/// or `filter={"customer.name":…}`, nor the one on `orders` through
/// `customers:list?appends=orders`.
async fn relations_hold_the_targets_scope_on_every_engine(backend: Backend) {
    for db in [Db::Postgres, Db::Mariadb, Db::Sqlite] {
        let (app, _external, admin) = shop(backend, db).await;
        let grants = json!([
            { "dataSource": "shop", "collection": "customers", "action": "view",
              "fields": ["id", "name"], "scope": { "kind": "filter", "filter": { "id": 1 } } },
            { "dataSource": "shop", "collection": "orders", "action": "view",
              "scope": { "kind": "filter", "filter": { "amount": { "$lt": 25 } } } },
        ]);
        let viewer = app.user_with_grants(&admin, "viewer", grants).await;
        let who = As::Bearer(&viewer);
        let shared = &app;
        let get = |q: &[(&str, &str)]| {
            let path = format!("{}?{}", q[0].1, query(&q[1..]));
            async move { shared.ds_get(who, "shop", &path).await }
        };

        // Many-to-one: Bread's customer (Bob) is outside the scope.
        let reply = get(&[("", "orders:list"), ("appends", "customer"), ("sort", "id")]).await;
        assert_eq!(
            column(&reply, "title"),
            ["Bread", "Cheese", "Dates"],
            "{db:?}"
        );
        let customers: Vec<_> = reply
            .ok()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["customer"].clone())
            .collect();
        assert_eq!(
            customers,
            [json!(null), json!({"id": 1, "name": "Ada"}), json!(null)],
            "{db:?}"
        );
        assert!(
            !reply.body.to_string().contains("Bob"),
            "{db:?}: {}",
            reply.body
        );
        // One-to-many: Ada's Apples (30) is outside the orders scope.
        let reply = get(&[("", "customers:list"), ("appends", "orders")]).await;
        assert_eq!(column(&reply, "name"), ["Ada"], "{db:?}");
        let titles: Vec<_> = reply.ok()[0]["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].clone())
            .collect();
        assert_eq!(titles, ["Cheese"], "{db:?}: {}", reply.body);
        // Relation filters are no oracle over out-of-scope rows.
        for (path, filter) in [
            ("orders:list", r#"{"customer.name":"Bob"}"#),
            ("orders:list", r#"{"customer.id":{"$eq":2}}"#),
            ("customers:list", r#"{"orders.title":"Apples"}"#),
        ] {
            let reply = get(&[("", path), ("filter", filter)]).await;
            assert_eq!(reply.listed(), 0, "{db:?} {path} {filter}: {}", reply.body);
        }
        // Inside the scopes the same filters still find their rows.
        let reply = get(&[
            ("", "orders:list"),
            ("filter", r#"{"customer.name":"Ada"}"#),
        ])
        .await;
        assert_eq!(column(&reply, "title"), ["Cheese"], "{db:?}");
        // A hidden field of the target stays hidden through the relation.
        let reply = get(&[
            ("", "orders:list"),
            ("filter", r#"{"customer.email":"bob@example.org"}"#),
        ])
        .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{db:?}: {}",
            reply.body
        );
    }
}

/// Issue 11 item 2: a write's filter may name only fields the role can
/// view. Before, `destroy` and `update` checked it against their own grant
/// (all fields), so whether a row matched revealed `secret` and `amount`.
async fn write_filters_name_only_readable_fields(backend: Backend) {
    let (app, external, admin) = shop(backend, Db::Postgres).await;
    let grants = json!([
        { "dataSource": "shop", "collection": "orders", "action": "view",
          "fields": ["id", "title", "status"] },
        { "dataSource": "shop", "collection": "orders", "action": "update" },
        { "dataSource": "shop", "collection": "orders", "action": "destroy" },
    ]);
    let clerk = app.user_with_grants(&admin, "clerk", grants).await;
    let who = As::Bearer(&clerk);
    for (action, filter) in [
        ("destroy?filterByTk=1", r#"{"secret":"s1"}"#),
        ("destroy", r#"{"amount":{"$gt":25}}"#),
        ("update", r#"{"amount":{"$gt":25}}"#),
        ("update?filterByTk=1", r#"{"secret":{"$startsWith":"s"}}"#),
        ("update", r#"{"customer.email":"ada@example.org"}"#),
    ] {
        let sep = if action.contains('?') { '&' } else { '?' };
        let path = format!("orders:{action}{sep}{}", query(&[("filter", filter)]));
        let reply = app.ds_post(who, "shop", &path, &json!({})).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.body
        );
        assert!(!reply.body.to_string().contains("s1"));
    }
    assert_eq!(external.count("SELECT COUNT(*) FROM orders").await, 5);
    // Viewable fields still select what to change.
    let path = format!(
        "orders:update?{}",
        query(&[("filter", r#"{"title":"Eggs"}"#)])
    );
    let reply = app
        .ds_post(who, "shop", &path, &json!({"note": "boxed"}))
        .await;
    assert_eq!(column(&reply, "title"), ["Eggs"], "{}", reply.body);
    let path = format!(
        "orders:destroy?{}",
        query(&[("filter", r#"{"status":"closed"}"#)])
    );
    let reply = app.ds_post(who, "shop", &path, &json!({})).await;
    assert_eq!(reply.ok(), &json!(2));
}

/// Issue 11 item 6: anonymous callers get the same 401 for a source that
/// exists and one that does not (before: 404 for the unknown one); a role
/// without a grant gets the same 403 for a collection that exists and one
/// that does not (before: 404).
async fn no_existence_oracle_for_sources_or_collections(backend: Backend) {
    let (app, _external, admin) = shop(backend, Db::Sqlite).await;
    for path in ["orders:list", "orders:get?filterByTk=1", "nosuch:list"] {
        for source in ["shop", "nosuch"] {
            let reply = app.ds_get(As::Anonymous, source, path).await;
            reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
        }
    }
    let reply = app
        .ds_post(
            As::Anonymous,
            "nosuch",
            "orders:create",
            &json!({"title": "x"}),
        )
        .await;
    reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let grants = json!([{ "dataSource": "shop", "collection": "orders", "action": "view" }]);
    let viewer = app.user_with_grants(&admin, "viewer", grants).await;
    let who = As::Bearer(&viewer);
    let existing = app.ds_get(who, "shop", "customers:list").await;
    let missing = app.ds_get(who, "shop", "nosuch:list").await;
    existing.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    missing.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let message =
        |r: &support::identity::Reply| r.body["errors"][0]["message"].as_str().unwrap().to_owned();
    assert_eq!(
        message(&existing).replace("customers", "X"),
        message(&missing).replace("nosuch", "X")
    );
    // An administrator is still told what does not exist.
    let reply = app.ds_get(As::Bearer(&admin), "shop", "nosuch:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

/// Issue 11 item 4: on an external source the system fields NocoBase
/// maintains are Ferrobase's, whatever the body says (ignored, as on the
/// main source): before, `createdById` came from the body, so a user could
/// plant records in another user's own-records scope.
async fn the_creator_stamp_cannot_be_forged(backend: Backend) {
    for db in [Db::Postgres, Db::Mariadb] {
        let app = TestApp::spawn_with_admin(backend, |_| {}).await;
        let admin = app.admin_token().await;
        let external = ExternalDb::create(db).await;
        let stamp_type = if db == Db::Postgres {
            "TIMESTAMPTZ"
        } else {
            "DATETIME(3)"
        };
        external
            .exec(
                &format!(
                    "CREATE TABLE notes ({}, title VARCHAR(100) NOT NULL, \
                 \"createdById\" INTEGER, \"updatedById\" INTEGER, \
                 \"createdAt\" {stamp_type}, \"updatedAt\" {stamp_type})",
                    db.primary_key()
                )
                .replace('"', if db == Db::Mariadb { "`" } else { "\"" }),
            )
            .await;
        app.add_source(&admin, external.source("ext")).await;
        let grants = json!([
            { "dataSource": "ext", "collection": "notes", "action": "view", "scope": { "kind": "own" } },
            { "dataSource": "ext", "collection": "notes", "action": "create" },
            { "dataSource": "ext", "collection": "notes", "action": "update", "scope": { "kind": "own" } },
        ]);
        let writer = app.user_with_grants(&admin, "writer", grants).await;
        let me = app
            .api_get("/api/auth:check", As::Bearer(&writer))
            .await
            .ok()["id"]
            .clone();
        let who = As::Bearer(&writer);
        let forged = json!({
            "title": "planted", "createdById": 999, "updatedById": 999,
            "createdAt": "2001-01-01T00:00:00Z", "updatedAt": "2001-01-01T00:00:00Z",
        });
        let reply = app.ds_post(who, "ext", "notes:create", &forged).await;
        let note = reply.ok();
        assert_eq!(note["createdById"], me, "{db:?}: {note}");
        assert_eq!(note["updatedById"], me, "{db:?}: {note}");
        assert!(
            !note["createdAt"].as_str().unwrap().starts_with("2001"),
            "{db:?}: {note}"
        );
        assert_eq!(
            external
                .count(
                    "SELECT COUNT(*) FROM notes WHERE \"createdById\" = 999"
                        .replace('"', if db == Db::Mariadb { "`" } else { "\"" })
                        .as_str()
                )
                .await,
            0
        );
        let id = note["id"].to_string();
        let reply = app
            .ds_post(
                who,
                "ext",
                &format!("notes:update?filterByTk={id}"),
                &json!({"title": "moved", "createdById": 999}),
            )
            .await;
        assert_eq!(reply.ok()[0]["createdById"], me, "{db:?}: {}", reply.body);
        assert_eq!(reply.ok()[0]["title"], "moved");
    }
}
