//! Engines without a server here, run only against one you name:
//! `FERROBASE_TEST_KINGBASE_URL` (`postgres://user:pass@host:54321/db`, an
//! account that may create databases), `FERROBASE_TEST_MSSQL_URL`
//! (`mssql://sa:pass@host:1433/master`, likewise), `FERROBASE_TEST_ORACLE_URL`
//! (`oracle://user:pass@host:1521/FREEPDB1`, tables go into that user's
//! schema). Unset, each test says SKIPPED on stderr and passes without
//! testing anything: the `_live_or_skipped` names say so.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::io::Write;

use connectors::{Connector, Error};
use model::data::{Engine, FieldInterface};
use model::query::{ListQuery, Paging, parse_sort};
use serde_json::{Value, json};
use support::dataset::Dataset;
use support::{Server, TestDb, Url};

/// The URL in `variable`, or `None` after saying the test is skipped. The
/// line goes straight to stderr, past the test harness's output capture.
fn live_url(engine: Engine, variable: &str) -> Option<Url> {
    match std::env::var(variable) {
        Ok(url) if !url.trim().is_empty() => Some(
            Url::parse(url.trim())
                .unwrap_or_else(|| panic!("{variable} is not scheme://user:pass@host:port/db")),
        ),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} live test — set {variable}",
                engine.label()
            );
            None
        }
    }
}

/// SQL Server through tiberius, in a database of its own: introspection,
/// the shared filter table, values read back in the common shape, writes
/// with the keys the server assigns, and refusals sorted by cause. The URL
/// is `mssql://sa:password@host:1433/master` (an account that may create
/// databases); the connector goes over TLS without checking the certificate.
#[tokio::test]
async fn mssql_live_or_skipped() {
    let Some(admin) = live_url(Engine::Mssql, "FERROBASE_TEST_MSSQL_URL") else {
        return;
    };
    let server = Server {
        engine: Engine::Mssql,
        admin,
    };
    // Boxed: the whole run as one future is too large for a test thread's stack.
    Box::pin(mssql_round_trips(server)).await;
}

async fn mssql_round_trips(server: Server) {
    let data = Dataset::load_into(TestDb::on(&server).await).await;

    posts_are_recognised(&data, FieldInterface::Date).await;

    let failed = support::filter_cases::failures(&data).await;
    assert!(
        failed.is_empty(),
        "SQL Server differs from PostgreSQL in {} filter cases:\n{}",
        failed.len(),
        failed.join("\n")
    );

    related_records(&data).await;
    first_post_reads_back(&data, json!("2026-11-23")).await;
    second_page_is_counted(&data).await;

    // Keys from IDENTITY come back as numbers; writes count their rows.
    generated_keys_come_back(&data).await;
    writes_count_their_rows(&data).await;
    violations_are_named(&data).await;

    // Wrong credentials or database are reported when connecting, plainly.
    let mut wrong = server.admin.config(Engine::Mssql, &data.db.name);
    wrong.password = Some("not-the-password".into());
    match Connector::connect(&wrong).await {
        Err(Error::Connection(message)) => assert!(message.contains("Login failed"), "{message}"),
        other => panic!("expected a refused login, got {other:?}"),
    }
    let missing = server.admin.config(Engine::Mssql, "fbt_no_such_database");
    match Connector::connect(&missing).await {
        Err(Error::Connection(message)) => assert!(message.contains("database"), "{message}"),
        other => panic!("expected a missing database, got {other:?}"),
    }
    data.connector.close().await;
}

/// Oracle through the thin driver, in the given user's own schema
/// (`oracle://user:password@host:1521/FREEPDB1`, the path the service
/// name): its tables are created there and dropped afterwards.
#[tokio::test]
async fn oracle_live_or_skipped() {
    let Some(url) = live_url(Engine::Oracle, "FERROBASE_TEST_ORACLE_URL") else {
        return;
    };
    Box::pin(oracle_round_trips(url)).await;
}

async fn oracle_round_trips(url: Url) {
    let db = TestDb::oracle(&url);
    let _tables =
        support::oracle::Tables::new(&db.config, &["notes", "posts", "users", "fb_types"]);
    let data = Dataset::load_into(db).await;

    posts_are_recognised(&data, FieldInterface::Datetime).await;
    let id = data.collection("posts").field("id").unwrap().interface;
    assert_eq!(id, FieldInterface::Integer);

    let overrides = support::oracle::empty_string_overrides();
    let failed = support::filter_cases::failures_with(&data, &overrides).await;
    assert!(
        failed.is_empty(),
        "Oracle differs from PostgreSQL in {} filter cases:\n{}",
        failed.len(),
        failed.join("\n")
    );

    related_records(&data).await;
    first_post_reads_back(&data, json!("2026-11-23T00:00:00.000Z")).await;
    let empty_title = data.get("posts", json!(4), &[]).await.unwrap().unwrap();
    assert_eq!(empty_title["title"], Value::Null, "Oracle keeps '' as NULL");
    assert_eq!(
        data.get("posts", json!(5), &[]).await.unwrap().unwrap()["price"],
        json!("12.00")
    );
    second_page_is_counted(&data).await;

    // Keys from an identity column come back through RETURNING … INTO.
    generated_keys_come_back(&data).await;
    writes_count_their_rows(&data).await;
    violations_are_named(&data).await;

    oracle_types(&data).await;

    // Wrong credentials or service are reported when connecting, plainly.
    let mut wrong = url.config(Engine::Oracle, &url.database);
    wrong.password = Some("not-the-password".into());
    match Connector::connect(&wrong).await {
        Err(Error::Connection(message)) => assert!(message.contains("ORA-01017"), "{message}"),
        other => panic!("expected a refused login, got {other:?}"),
    }
    let unknown = url.config(Engine::Oracle, "FB_NO_SUCH_SERVICE");
    let refused = Connector::connect(&unknown).await;
    assert!(matches!(refused, Err(Error::Connection(_))), "{refused:?}");
    data.connector.close().await;
}

/// Oracle's other types, written and read back in the common shapes.
async fn oracle_types(data: &Dataset) {
    data.db
        .sql(
            r#"CREATE TABLE "fb_types" ("id" NUMBER(10) PRIMARY KEY,
                "doc" CLOB CHECK ("doc" IS JSON), "ratio" BINARY_DOUBLE, "share" FLOAT,
                "raw" RAW(16), "blob" BLOB, "fixed" CHAR(3), "label" NVARCHAR2(20),
                "at" TIMESTAMP(6), "big" NUMBER(38,0), "amount" NUMBER(12,4))"#,
        )
        .await;
    let schema = support::introspect_all(&data.connector).await;
    let types = schema.iter().find(|s| s.table.name == "fb_types").unwrap();
    let collection = support::collection(Engine::Oracle, types);
    let interface = |name: &str| collection.field(name).unwrap().interface;
    assert_eq!(interface("doc"), FieldInterface::Json);
    assert_eq!(interface("ratio"), FieldInterface::Number);
    assert_eq!(interface("share"), FieldInterface::Number);
    assert_eq!(interface("raw"), FieldInterface::Binary);
    assert_eq!(interface("blob"), FieldInterface::Binary);
    assert_eq!(interface("big"), FieldInterface::Integer);
    let mut catalog = data.catalog.clone();
    catalog.insert("fb_types".into(), collection);
    let values = json!({"id": 1, "doc": {"k": [1, 2]}, "ratio": 0.5, "share": 1.25,
        "raw": "00ff10", "blob": "cafe", "fixed": "ab", "label": "Ünï",
        "at": "2026-01-02T03:04:05.678Z", "big": 12345678901_i64, "amount": "3.5"});
    let plan = connectors::compile::insert(
        data.dialect(),
        &catalog,
        &catalog["fb_types"],
        values.as_object().unwrap(),
    )
    .unwrap();
    assert_eq!(data.connector.insert(&plan).await.unwrap(), Some(json!(1)));
    let query = ListQuery::default();
    let plan = connectors::compile::get(
        data.dialect(),
        &catalog,
        &catalog["fb_types"],
        &json!(1),
        &query,
        None,
    )
    .unwrap();
    let row = data.connector.fetch(&plan).await.unwrap().rows.remove(0);
    assert_eq!(
        Value::Object(row),
        json!({"id": 1, "doc": {"k": [1, 2]}, "ratio": 0.5, "share": 1.25,
            "raw": "00ff10", "blob": "cafe", "fixed": "ab ", "label": "Ünï",
            "at": "2026-01-02T03:04:05.678Z", "big": 12345678901_i64, "amount": "3.5000"})
    );
}

/// KingbaseES speaks PostgreSQL's protocol and dialect: the PostgreSQL
/// filter table and a round trip of one record must hold there as well.
#[tokio::test]
async fn kingbase_live_or_skipped() {
    let Some(admin) = live_url(Engine::Kingbase, "FERROBASE_TEST_KINGBASE_URL") else {
        return;
    };
    let server = Server {
        engine: Engine::Kingbase,
        admin,
    };
    let data = Dataset::load_into(TestDb::on(&server).await).await;
    let failed = support::filter_cases::failures(&data).await;
    assert!(
        failed.is_empty(),
        "KingbaseES differs from PostgreSQL in {} filter cases:\n{}",
        failed.len(),
        failed.join("\n")
    );
    let post = data
        .get("posts", json!(1), &["author"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post["price"], json!("9.99"));
    assert_eq!(post["published"], json!(true));
    assert_eq!(post["meta"], json!({"a": 1}));
    assert_eq!(post["published_at"], json!("2026-11-23T09:05:00.000Z"));
    assert_eq!(post["author"], json!({"id": 1, "name": "Ann"}));
    let key = data.insert("notes", &json!({"body": "kingbase"})).await;
    assert_eq!(key, Some(json!(1)));
    assert_eq!(data.delete("notes", json!(1)).await.unwrap(), 1);
    data.connector.close().await;
}

/// The test tables as introspected: key, interfaces, generated key, foreign
/// key. `day` is a DATE column, which Oracle reads as a datetime.
async fn posts_are_recognised(data: &Dataset, day: FieldInterface) {
    let posts = data.collection("posts");
    assert_eq!(posts.key, ["id"]);
    let interface = |name: &str| posts.field(name).unwrap().interface;
    assert_eq!(interface("title"), FieldInterface::Text);
    assert_eq!(posts.field("title").unwrap().max_length, Some(100));
    assert_eq!(interface("body"), FieldInterface::LongText);
    assert_eq!(interface("price"), FieldInterface::Decimal);
    assert_eq!(interface("published"), FieldInterface::Boolean);
    assert_eq!(interface("published_at"), FieldInterface::Datetime);
    assert_eq!(interface("day"), day);
    assert!(data.collection("notes").field("id").unwrap().generated);
    let schemas = support::introspect_all(&data.connector).await;
    let posts_schema = schemas.iter().find(|s| s.table.name == "posts").unwrap();
    assert_eq!(posts_schema.foreign_keys[0].columns, ["author_id"]);
    assert_eq!(posts_schema.foreign_keys[0].referenced_table, "users");
}

/// Post 1 in the common shapes: decimals as strings, booleans, UTC
/// datetimes, JSON text as stored; `day` as the engine reads a DATE.
async fn first_post_reads_back(data: &Dataset, day: Value) {
    let post = data.get("posts", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(post["title"], json!("Hello World"));
    assert_eq!(post["price"], json!("9.99"));
    assert_eq!(post["published"], json!(true));
    assert_eq!(post["published_at"], json!("2026-11-23T09:05:00.000Z"));
    assert_eq!(post["day"], day);
    assert_eq!(post["meta"], json!(r#"{"a":1}"#));
}

/// Updates and deletes by key count the rows they touched (0 for none);
/// the updated note reads back with its defaults.
async fn writes_count_their_rows(data: &Dataset) {
    let renamed = data.update("notes", json!(1), json!({"body": "uno"})).await;
    assert_eq!(renamed.unwrap(), 1);
    let missing = data
        .update("notes", json!(9), json!({"body": "none"}))
        .await;
    assert_eq!(missing.unwrap(), 0);
    let note = data.get("notes", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(note["body"], json!("uno"));
    assert_eq!(note["done"], json!(false));
    let created = note["created_at"].as_str().unwrap_or_default();
    assert!(created.ends_with('Z'), "{note:?}");
    assert_eq!(data.delete("notes", json!(1)).await.unwrap(), 1);
    assert_eq!(data.delete("notes", json!(1)).await.unwrap(), 0);
}

/// A duplicate key, a missing parent and a failed CHECK are each reported
/// as what they are.
async fn violations_are_named(data: &Dataset) {
    let duplicate = data
        .try_insert("users", &json!({"id": 1, "name": "again"}))
        .await;
    assert!(
        matches!(duplicate, Err(Error::Duplicate(_))),
        "{duplicate:?}"
    );
    let orphan = data
        .try_insert("posts", &json!({"id": 20, "author_id": 99}))
        .await;
    assert!(matches!(orphan, Err(Error::ForeignKey(_))), "{orphan:?}");
    let negative = data
        .try_insert("posts", &json!({"id": 21, "views": -1}))
        .await;
    assert!(
        matches!(negative, Err(Error::Constraint(_))),
        "{negative:?}"
    );
}

/// Appends both ways, as the local engines' listing tests check them.
async fn related_records(data: &Dataset) {
    let post = data.get("posts", json!(1), &["author"]).await.unwrap();
    assert_eq!(post.unwrap()["author"], json!({"id": 1, "name": "Ann"}));
    let user = data.get("users", json!(1), &["posts"]).await.unwrap();
    let posts = user.unwrap()["posts"].clone();
    let mut ids: Vec<i64> = posts
        .as_array()
        .unwrap_or_else(|| panic!("posts is not an array: {posts}"))
        .iter()
        .map(|post| post["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [1, 2]);
    let nobody = data.get("users", json!(4), &["posts"]).await.unwrap();
    assert_eq!(nobody.unwrap()["posts"], json!([]));
}

/// The second page of three posts, with the total.
async fn second_page_is_counted(data: &Dataset) {
    let query = ListQuery {
        sort: parse_sort(["id"]).unwrap(),
        paging: Paging::Counted {
            page: 2,
            page_size: 3,
        },
        ..ListQuery::default()
    };
    let page = data.list("posts", &query).await.unwrap();
    let ids: Vec<&Value> = page.rows.iter().map(|row| &row["id"]).collect();
    assert_eq!(ids, [&json!(4), &json!(5), &json!(6)]);
    assert_eq!(page.count, Some(8));
}

/// Keys the database generates come back from an insert, as numbers.
async fn generated_keys_come_back(data: &Dataset) {
    for (n, body) in [(1, "one"), (2, "two")] {
        let key = data.insert("notes", &json!({ "body": body })).await;
        assert_eq!(key, Some(json!(n)));
    }
}
