//! Data source changes reach every process and end cleanly: two servers
//! on one store see each other's changes within a second or so; disabling
//! stops records; deleting a source ends the role grants naming it, so a
//! new source under the same key starts closed.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use support::data::{Db, ExternalDb};
use support::identity::{As, Reply};
use support::{Backend, TestApp};

on_both_backends!(
    a_second_process_follows_changes,
    disabling_stops_records_and_enabling_resumes,
    deleting_a_source_ends_its_grants,
);

/// Retries `check` for up to three seconds (other processes reload within
/// `RECHECK`, one second); the last reply is returned.
async fn eventually<F, Fut>(mut call: F, check: impl Fn(&Reply) -> bool) -> Reply
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    let started = Instant::now();
    loop {
        let reply = call().await;
        if check(&reply) || started.elapsed() > Duration::from_secs(3) {
            return reply;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_second_process_follows_changes(backend: Backend) {
    let first = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = first.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(Db::Postgres).await;
    first.add_source(&admin, external.source("shop")).await;
    let second = TestApp::spawn_sharing(&first, |_| {}).await;

    // The other process connects on its own when the source is shown,
    // without waiting for someone to read records.
    let path = "/api/dataSources:get?filterByTk=shop";
    let reply = eventually(
        || second.api_get(path, who),
        |r| r.status == StatusCode::OK && r.ok()["status"] != "loading",
    )
    .await;
    assert_eq!(reply.ok()["status"], "loaded", "{}", reply.body);
    let reply = second.ds_get(who, "shop", "orders:list").await;
    assert_eq!(reply.listed(), 5, "{}", reply.body);

    // A change made on one process shows there too.
    let mut broken = external.source("shop");
    broken["port"] = json!(1);
    first
        .api_post("/api/dataSources:update?filterByTk=shop", who, broken)
        .await
        .ok();
    let reply = eventually(
        || second.api_get(path, who),
        |r| r.ok()["status"] == "failed",
    )
    .await;
    assert_eq!(reply.ok()["status"], "failed", "{}", reply.body);
    first
        .api_post(
            "/api/dataSources:update?filterByTk=shop",
            who,
            external.source("shop"),
        )
        .await
        .ok();
    let reply = eventually(
        || second.api_get(path, who),
        |r| r.ok()["status"] == "loaded",
    )
    .await;
    assert_eq!(reply.ok()["status"], "loaded", "{}", reply.body);

    // A field hidden on one process is gone on the other.
    let hide = json!({"hidden": ["secret"]});
    first
        .api_post(
            "/api/dataSources/shop/collections:update?filterByTk=orders",
            who,
            hide,
        )
        .await
        .ok();
    let reply = eventually(
        || second.ds_get(who, "shop", "orders:list"),
        |r| r.ok()[0].get("secret").is_none(),
    )
    .await;
    assert!(reply.ok()[0].get("secret").is_none(), "{}", reply.body);

    // A source deleted on one process is gone on the other.
    first
        .api_post("/api/dataSources:destroy?filterByTk=shop", who, json!({}))
        .await
        .ok();
    let reply = eventually(
        || second.ds_get(who, "shop", "orders:list"),
        |r| r.status == StatusCode::NOT_FOUND,
    )
    .await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
    drop(second);
}

async fn disabling_stops_records_and_enabling_resumes(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let external = ExternalDb::shop(Db::Sqlite).await;
    app.add_source(&admin, external.source("shop")).await;
    let path = "/api/dataSources:update?filterByTk=shop";

    let mut body = external.source("shop");
    body["enabled"] = json!(false);
    let reply = app.api_post(path, who, body.clone()).await;
    assert_eq!(reply.ok()["status"], "disabled");
    let reply = app.ds_get(who, "shop", "orders:list").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("disabled"), "{message}");
    let reply = app.api_get("/api/dataSources:list", who).await;
    let listed = reply.ok().as_array().unwrap();
    let shop = listed.iter().find(|s| s["key"] == "shop").unwrap();
    assert_eq!(shop["status"], "disabled");
    assert_eq!(shop["collections"], 2, "loaded collections are kept");

    body["enabled"] = json!(true);
    app.api_post(path, who, body).await.ok();
    assert_eq!(app.wait_status(&admin, "shop").await["status"], "loaded");
    assert_eq!(app.ds_get(who, "shop", "orders:list").await.listed(), 5);
}

async fn deleting_a_source_ends_its_grants(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let old = ExternalDb::shop(Db::Sqlite).await;
    app.add_source(&admin, old.source("shop")).await;
    let grants = json!([
        { "dataSource": "shop", "collection": "*", "action": "view" },
        { "dataSource": "main", "collection": "*", "action": "view" },
    ]);
    let reader = app.user_with_grants(&admin, "reader", grants).await;
    let reply = app.ds_get(As::Bearer(&reader), "shop", "orders:list").await;
    assert_eq!(reply.listed(), 5);

    app.api_post("/api/dataSources:destroy?filterByTk=shop", who, json!({}))
        .await
        .ok();
    let role = app.api_get("/api/roles:get?filterByTk=reader", who).await;
    let kept = role.ok()["permissions"]["grants"].as_array().unwrap();
    assert_eq!(kept.len(), 1, "{}", role.body);
    assert_eq!(kept[0]["dataSource"], "main");

    // Another database under the old key: the old grant does not open it.
    let new = ExternalDb::shop(Db::Postgres).await;
    app.add_source(&admin, new.source("shop")).await;
    let reply = app.ds_get(As::Bearer(&reader), "shop", "orders:list").await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let log = app.audit(&admin, "").await;
    let destroyed = log
        .iter()
        .find(|e| e["action"] == "dataSources:destroy")
        .unwrap();
    assert!(
        destroyed["changes"]
            .as_str()
            .unwrap()
            .contains("roleGrants"),
        "{destroyed}"
    );
}
