//! Data source costs, measured against their peers in the same run:
//! - a filtered, sorted page of a 1,000,000-row PostgreSQL table through
//!   `records::list` (ACL, compile, fetch, decode) against the same SQL
//!   run directly with sqlx (fetch and JSON parse): the overhead ratio;
//! - introspecting a 500-table schema;
//! - memory per idle data source pool.
//!
//! Needs PostgreSQL at TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
//! Run: `cargo bench -p service --bench data_sources` (or `bash .ci/bench-data`).
#![allow(clippy::unwrap_used)] // a benchmark: a failed step should stop it

use std::sync::Arc;
use std::time::{Duration, Instant};

use connectors::{ConnectionConfig, Connector};
use model::data::{DataSourceInput, Engine};
use model::identity::RolePermissions;
use model::query::{ListQuery, Paging, parse_filter, parse_sort};
use service::actor::{Credential, Principal, SignedIn};
use service::data::{records, sources, tables};
use service::store::StoreLocation;
use service::target_guard::TargetPolicy;
use service::{Actor, AuthPolicy, MasterKey, Origin, Services, Store};
use sqlx::{AssertSqlSafe, Connection, Row};

const ROWS: u32 = 1_000_000;
const TABLES: u32 = 500;
const ITERATIONS: usize = 2_000;

fn admin() -> Actor {
    Actor {
        principal: Principal::User(SignedIn {
            user_id: 1,
            label: "bench@example.org".into(),
            display_name: "Bench".into(),
            role: Some("admin".into()),
            permissions: Arc::new(RolePermissions {
                all: true,
                ..RolePermissions::default()
            }),
            credential: Credential::Session(String::new()),
        }),
        origin: Origin::default(),
    }
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn create_database(name: &str, setup: &[&str]) -> String {
    let admin = admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    for statement in setup {
        sqlx::raw_sql(AssertSqlSafe(statement.to_string()))
            .execute(&mut db)
            .await
            .unwrap();
    }
    url
}

async fn drop_database(name: &str) {
    let mut conn = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| {
        samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)].as_secs_f64() * 1e3
    };
    (at(0.50), at(0.99))
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&StoreLocation::Sqlite(dir.path().join("bench.db")))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let targets = TargetPolicy::new::<&str>(&[], None).unwrap();
    let services = Services::new(
        store,
        AuthPolicy::default(),
        service::data::DataSources::new(MasterKey::generate(), targets),
    );
    services.data.reload(&services.store).await.unwrap();
    let actor = admin();

    let started = Instant::now();
    let url = create_database(
        "fb_bench_items",
        &[
            "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, category int NOT NULL, price numeric(10,2), created_at timestamptz NOT NULL DEFAULT now())",
            &format!("INSERT INTO items (name, category, price) SELECT 'item ' || g, g % 100, (g % 1000) / 10.0 FROM generate_series(1, {ROWS}) g"),
            "CREATE INDEX items_category ON items (category, id)",
            "ANALYZE items",
        ],
    )
    .await;
    eprintln!(
        "seeded {ROWS} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let input = DataSourceInput {
        key: "bench".into(),
        display_name: "Bench".into(),
        engine: "postgres".into(),
        host: "127.0.0.1".into(),
        port: Some(5432),
        database: "fb_bench_items".into(),
        username: "postgres".into(),
        ..DataSourceInput::default()
    };
    sources::create(&services, &actor, &input).await.unwrap();
    tables::load_tables(&services, &actor, "bench", None)
        .await
        .unwrap();

    let query = ListQuery {
        filter: parse_filter(
            &serde_json::json!({"$and": [{"category": 7}, {"price": {"$gt": 50}}]}),
        )
        .unwrap(),
        sort: parse_sort(["-id"]).unwrap(),
        paging: Paging::Simple {
            page: 1,
            page_size: 20,
        },
        ..ListQuery::default()
    };
    // The identical statement, for the direct sqlx baseline.
    let source = services
        .data
        .source(&services.store, "bench")
        .await
        .unwrap();
    let plan = connectors::compile::list(
        connectors::Dialect::Postgres,
        &source.catalog,
        &source.catalog["items"],
        &query,
        None,
    )
    .unwrap();
    let direct = sqlx::postgres::PgPoolOptions::new()
        .max_connections(5)
        .connect(&url)
        .await
        .unwrap();
    for _ in 0..50 {
        records::list(&services, &actor, "bench", "items", &query)
            .await
            .unwrap();
    }
    let mut through_service = Vec::with_capacity(ITERATIONS);
    let mut through_sqlx = Vec::with_capacity(ITERATIONS);
    // Alternating which goes first, so neither always finds the other's
    // work cached.
    for i in 0..ITERATIONS {
        for turn in [i % 2, 1 - i % 2] {
            let t = Instant::now();
            if turn == 0 {
                let page = records::list(&services, &actor, "bench", "items", &query)
                    .await
                    .unwrap();
                through_service.push(t.elapsed());
                assert_eq!(page.rows.len(), 20);
            } else {
                let mut q = sqlx::query(AssertSqlSafe(plan.rows.sql.as_str()));
                for p in &plan.rows.params {
                    q = q.bind(p.to_text());
                }
                let rows = q.fetch_all(&direct).await.unwrap();
                let parsed: Vec<serde_json::Map<String, serde_json::Value>> = rows
                    .iter()
                    .map(|r| serde_json::from_str(r.get::<&str, _>(0)).unwrap())
                    .collect();
                through_sqlx.push(t.elapsed());
                assert_eq!(parsed.len(), 21);
            }
        }
    }
    let (service_p50, service_p99) = percentiles(through_service);
    let (sqlx_p50, sqlx_p99) = percentiles(through_sqlx);
    println!(
        "| list 20 of {ROWS} rows, 2-condition filter + sort, in-process ({ITERATIONS} runs) | service p50 {service_p50:.3} ms, p99 {service_p99:.3} ms | direct sqlx p50 {sqlx_p50:.3} ms, p99 {sqlx_p99:.3} ms | overhead p50 {:+.1} % |",
        (service_p50 / sqlx_p50 - 1.0) * 100.0
    );
    direct.close().await;

    let mut setup = vec![];
    let statements: Vec<String> = (0..TABLES)
        .map(|i| {
            let fk = if i > 0 { format!(", parent_id int REFERENCES t{} (id)", i - 1) } else { String::new() };
            format!("CREATE TABLE t{i} (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE, amount numeric(12,2), flag boolean, at timestamptz{fk})")
        })
        .collect();
    setup.extend(statements.iter().map(String::as_str));
    let wide = create_database("fb_bench_schema", &setup).await;
    let mut config =
        ConnectionConfig::new(Engine::Postgres, "127.0.0.1", "fb_bench_schema", "postgres");
    config.port = Some(5432);
    let connector = Connector::connect(&config).await.unwrap();
    let t = Instant::now();
    let listed = connector.list_tables().await.unwrap();
    let schemas = connector.introspect(&listed).await.unwrap();
    let introspection = t.elapsed();
    assert_eq!(schemas.len(), TABLES as usize);
    println!(
        "| introspect a {TABLES}-table schema (tables, columns, keys, foreign keys) | {:.0} ms | target ≤ 5,000 ms |",
        introspection.as_secs_f64() * 1e3
    );
    connector.close().await;
    let _ = wide;

    // Idle pools: one connection each after the connect check.
    const POOLS: usize = 50;
    let before = rss_kib();
    let mut pools = Vec::with_capacity(POOLS);
    for _ in 0..POOLS {
        pools.push(Connector::connect(&config).await.unwrap());
    }
    let after = rss_kib();
    println!(
        "| memory per idle data source pool (1 open connection, {POOLS} pools) | {:.0} KiB |",
        (after.saturating_sub(before)) as f64 / POOLS as f64
    );
    for pool in pools {
        pool.close().await;
    }
    drop_database("fb_bench_items").await;
    drop_database("fb_bench_schema").await;
}
