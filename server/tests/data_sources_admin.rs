//! Black-box tests of data source administration against real PostgreSQL,
//! MariaDB and SQLite databases: testing connections, creating sources,
//! reading and loading tables, status, secrecy of the password, updates,
//! deletion and the audit trail. Each runs on both metadata stores.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use service::secrets::EnvAllowList;
use sqlx::{Connection, Executor};
use support::data::{Db, ExternalDb, mariadb_admin_url};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(
    connections_are_tested_with_a_specific_reason,
    a_refused_port_is_reported_at_once,
    sources_are_created_loaded_and_shown_without_secrets,
    updates_keep_the_password_and_everything_is_audited,
);

const PLAIN: &str = "pg-Plain-Secret-4711";

/// The error message of a refused call, after checking status and code.
#[track_caller]
fn refused(reply: &Reply, status: StatusCode, code: &str) -> String {
    reply.error(status, code);
    reply.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn test_connection(app: &TestApp, admin: &str, body: Value) -> Reply {
    app.api_post(
        "/api/dataSources:testConnection",
        As::Bearer(admin),
        json!({ "values": body }),
    )
    .await
}

async fn connections_are_tested_with_a_specific_reason(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let dbs = [
        ExternalDb::create(Db::Postgres).await,
        ExternalDb::create(Db::Mariadb).await,
        ExternalDb::create(Db::Sqlite).await,
    ];
    for db in &dbs {
        let reply = test_connection(&app, &admin, db.source("probe")).await;
        assert_eq!(reply.ok()["success"], true, "{:?}", db.db);
    }

    // PostgreSQL on this machine trusts local connections, so a wrong
    // password is shown with a MariaDB account that has one.
    let maria = &dbs[1];
    let user = format!("fbu_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut conn = sqlx::MySqlConnection::connect(&mariadb_admin_url())
        .await
        .unwrap();
    for sql in [
        format!("CREATE USER '{user}'@'%' IDENTIFIED BY 'right-Passw0rd'"),
        format!("GRANT ALL ON {}.* TO '{user}'@'%'", maria.database),
    ] {
        conn.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    }
    let mut body = maria.source("probe");
    body["username"] = json!(user);
    body["password"] = json!("right-Passw0rd");
    test_connection(&app, &admin, body.clone()).await.ok();
    body["password"] = json!("wrong-Passw0rd");
    let reply = test_connection(&app, &admin, body).await;
    let message = refused(&reply, StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
    assert!(message.starts_with("cannot connect: "), "{message}");
    assert!(message.contains("Access denied"), "{message}");
    assert!(!message.contains("wrong-Passw0rd"), "{message}");
    conn.execute(sqlx::AssertSqlSafe(format!("DROP USER '{user}'@'%'")))
        .await
        .unwrap();

    for db in &dbs[..2] {
        let mut unknown = db.source("probe");
        unknown["database"] = json!("fb_no_such_database");
        let reply = test_connection(&app, &admin, unknown).await;
        let message = refused(&reply, StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
        assert!(message.contains("fb_no_such_database"), "{message}");
    }
    let mut missing_file = dbs[2].source("probe");
    missing_file["database"] = json!(format!("{}.missing", dbs[2].database));
    let reply = test_connection(&app, &admin, missing_file).await;
    refused(&reply, StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
    assert!(
        !std::path::Path::new(&format!("{}.missing", dbs[2].database)).exists(),
        "testing a connection must not create a SQLite file"
    );

    // A misspelt setting is named, wrapped in `values` or not.
    let mut typo = dbs[0].source("typo");
    typo["hostname"] = json!("db.example.org");
    for body in [typo.clone(), json!({ "values": typo })] {
        let reply = app
            .api_post("/api/dataSources:create", As::Bearer(&admin), body)
            .await;
        let message = refused(&reply, StatusCode::BAD_REQUEST, "INVALID_INPUT");
        assert!(message.contains("unknown field `hostname`"), "{message}");
    }

    // Nothing was stored by testing.
    let reply = app
        .api_get("/api/dataSources:list", As::Bearer(&admin))
        .await;
    assert_eq!(reply.listed(), 1, "only main: {}", reply.body);
}

/// A closed port is a connection failure, reported at once with the
/// reason, both when testing and as the status of a created source.
async fn a_refused_port_is_reported_at_once(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let db = ExternalDb::create(Db::Postgres).await;
    let mut body = db.source("broken");
    body["port"] = json!(1);
    let started = std::time::Instant::now();
    let reply = test_connection(&app, &admin, body.clone()).await;
    let message = refused(&reply, StatusCode::BAD_GATEWAY, "CONNECTION_FAILED");
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
    app.api_post("/api/dataSources:create", As::Bearer(&admin), body)
        .await
        .ok();
    let view = app.wait_status(&admin, "broken").await;
    assert_eq!(view["status"], "failed", "{view}");
    let message = view["statusMessage"].as_str().unwrap().to_lowercase();
    assert!(message.contains("refused"), "{view}");
}

async fn sources_are_created_loaded_and_shown_without_secrets(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |config| {
        config.env_allow = EnvAllowList::parse("PATH").unwrap();
    })
    .await;
    let admin = app.admin_token().await;
    let as_admin = As::Bearer(&admin);
    let pg = ExternalDb::shop(Db::Postgres).await;
    let maria = ExternalDb::shop(Db::Mariadb).await;
    let lite = ExternalDb::shop(Db::Sqlite).await;

    let mut body = pg.source("pg");
    body["password"] = json!(PLAIN);
    let reply = app
        .api_post(
            "/api/dataSources:create",
            as_admin,
            json!({ "values": body }),
        )
        .await;
    assert_eq!(reply.ok()["passwordSet"], true);
    let view = app.wait_status(&admin, "pg").await;
    assert_eq!(view["status"], "loaded", "{view}");
    assert_eq!(view["collections"], 0);

    // readTables before loading: offered, none loaded.
    let path = "/api/dataSources:readTables?filterByTk=pg";
    let tables = app.api_post(path, as_admin, json!({})).await;
    let mut names: Vec<&str> = tables
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["customers", "orders"], "{}", tables.body);
    assert!(
        tables
            .ok()
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["loaded"] == false)
    );

    // loadTables: some, then all (NocoBase's body shape).
    let some = json!({ "values": { "dataSourceKey": "pg", "tables": ["orders"] } });
    let reply = app
        .api_post("/api/dataSources:loadTables", as_admin, some)
        .await;
    assert_eq!(reply.ok()["loaded"], 1);
    let tables = app.api_post(path, as_admin, json!({})).await;
    for table in tables.ok().as_array().unwrap() {
        assert_eq!(table["loaded"], table["name"] == "orders", "{table}");
    }
    let unknown = json!({ "tables": ["no_such_table"] });
    let reply = app
        .api_post(
            "/api/dataSources:loadTables?filterByTk=pg",
            as_admin,
            unknown,
        )
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply = app
        .api_post(
            "/api/dataSources:loadTables?filterByTk=pg",
            as_admin,
            json!({}),
        )
        .await;
    assert_eq!(reply.ok()["loaded"], 2);
    let collections = app
        .api_get("/api/dataSources/pg/collections:list", as_admin)
        .await;
    assert_eq!(collections.listed(), 2);

    app.add_source(&admin, maria.source("maria")).await;
    app.add_source(&admin, lite.source("lite")).await;
    for key in ["maria", "lite"] {
        let reply = app.ds_get(as_admin, key, "orders:list").await;
        assert_eq!(reply.body["meta"]["count"], 5, "{key}: {}", reply.body);
    }

    // An environment reference is shown as written, never resolved.
    let mut by_env = pg.source("byenv");
    by_env["password"] = json!("{{$env.PATH}}");
    let reply = app
        .api_post("/api/dataSources:create", as_admin, by_env)
        .await;
    assert_eq!(reply.ok()["passwordReference"], "{{$env.PATH}}");
    assert_eq!(reply.ok()["passwordSet"], false);
    assert_eq!(app.wait_status(&admin, "byenv").await["status"], "loaded");
    let path_value = std::env::var("PATH").unwrap();

    let sealed = app.stored_password("pg").await.unwrap();
    assert!(sealed.starts_with("v1."), "{sealed}");
    assert!(!sealed.contains(PLAIN), "{sealed}");
    let list = app.api_get("/api/dataSources:list", as_admin).await;
    let texts = [
        list.body.to_string(),
        app.api_get("/api/dataSources:get?filterByTk=pg", as_admin)
            .await
            .body
            .to_string(),
        app.api_get("/api/dataSources:get?filterByTk=byenv", as_admin)
            .await
            .body
            .to_string(),
    ];
    for text in &texts {
        assert!(!text.contains(PLAIN), "{text}");
        assert!(!text.contains(&sealed), "{text}");
        assert!(!text.contains(&path_value), "{text}");
        assert!(!text.contains("\"password\""), "{text}");
    }
    let status = |key: &str| {
        list.ok()
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .map(|s| s["status"].clone())
            .unwrap_or_else(|| panic!("{key} not listed: {}", list.body))
    };
    assert_eq!(status("main"), "loaded");
    for key in ["pg", "maria", "lite", "byenv"] {
        assert_eq!(status(key), "loaded", "{key}: {}", list.body);
    }
    assert_eq!(list.body["meta"]["count"], 5);
}

async fn updates_keep_the_password_and_everything_is_audited(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let as_admin = As::Bearer(&admin);
    let pg = ExternalDb::shop(Db::Postgres).await;
    let maria = ExternalDb::shop(Db::Mariadb).await;
    let mut body = pg.source("pg");
    body["password"] = json!(PLAIN);
    app.add_source(&admin, body.clone()).await;
    let sealed = app.stored_password("pg").await.unwrap();

    // Update without a password: the sealed one stays, the source works.
    body.as_object_mut().unwrap().remove("password");
    body["displayName"] = json!("Renamed");
    let reply = app
        .api_post(
            "/api/dataSources:update?filterByTk=pg",
            as_admin,
            body.clone(),
        )
        .await;
    assert_eq!(reply.ok()["displayName"], "Renamed");
    assert_eq!(reply.ok()["passwordSet"], true);
    assert_eq!(app.stored_password("pg").await.unwrap(), sealed);
    assert_eq!(app.wait_status(&admin, "pg").await["status"], "loaded");
    let reply = app.ds_get(as_admin, "pg", "orders:list").await;
    assert_eq!(reply.body["meta"]["count"], 5, "{}", reply.body);
    // A new password is sealed anew; the key cannot change.
    body["password"] = json!("pg-Other-Secret-0815");
    app.api_post(
        "/api/dataSources:update?filterByTk=pg",
        as_admin,
        body.clone(),
    )
    .await
    .ok();
    assert_ne!(app.stored_password("pg").await.unwrap(), sealed);
    body["key"] = json!("renamed");
    let reply = app
        .api_post("/api/dataSources:update?filterByTk=pg", as_admin, body)
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    // Deleting forgets the source; the database keeps its tables and rows.
    app.add_source(&admin, maria.source("maria")).await;
    let reply = app
        .api_post(
            "/api/dataSources:destroy?filterByTk=maria",
            as_admin,
            json!({}),
        )
        .await;
    assert!(reply.ok().is_null());
    assert_eq!(maria.count("SELECT COUNT(*) FROM orders").await, 5);
    let reply = app
        .api_get("/api/dataSources:get?filterByTk=maria", as_admin)
        .await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let reply = app.ds_get(as_admin, "maria", "orders:list").await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let reply = app
        .api_post(
            "/api/dataSources:destroy?filterByTk=main",
            as_admin,
            json!({}),
        )
        .await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");

    let log = app.audit(&admin, "").await;
    let entries = |action: &str, record: &str| -> Vec<Value> {
        log.iter()
            .filter(|e| e["action"] == action && e["recordId"] == record)
            .cloned()
            .collect()
    };
    let created = entries("dataSources:create", "pg");
    assert_eq!(created.len(), 1, "{log:#?}");
    let changes: Value = serde_json::from_str(created[0]["changes"].as_str().unwrap()).unwrap();
    assert_eq!(changes["password"], "changed", "{changes}");
    assert_eq!(changes["host"]["to"], "127.0.0.1", "{changes}");
    let updates = entries("dataSources:update", "pg");
    assert_eq!(updates.len(), 2, "{log:#?}");
    let changes: Vec<Value> = updates
        .iter()
        .map(|e| serde_json::from_str(e["changes"].as_str().unwrap()).unwrap())
        .collect();
    // Newest first: the password change, then the rename without one.
    assert_eq!(changes[0]["password"], "changed", "{changes:?}");
    assert!(changes[1].get("password").is_none(), "{changes:?}");
    assert_eq!(changes[1]["displayName"]["to"], "Renamed", "{changes:?}");
    assert_eq!(entries("dataSources:destroy", "maria").len(), 1);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(PLAIN) && !text.contains("pg-Other-Secret-0815"));
    assert!(!text.contains(&sealed));
}
