//! Data and names Ferrobase did not make: rows another program wrote in
//! its own datetime text, and tables and columns with spaces, capitals,
//! quotes and backslashes in their names.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use connectors::Dialect;
use connectors::compile;
use model::data::Engine;
use model::query::parse_filter;
use serde_json::{Value, json};
use support::dataset::Dataset;
use support::engine_tests;

engine_tests!(
    datetimes_written_by_other_programs_filter_and_read,
    odd_identifiers_round_trip,
);

/// Rows another program wrote, in the engine's own datetime text (SQLite:
/// `CURRENT_TIMESTAMP`'s `YYYY-MM-DD HH:MM:SS`), filter and read like ours.
async fn datetimes_written_by_other_programs_filter_and_read(engine: Engine) {
    let data = Dataset::load(engine).await;
    data.db
        .sql(
            "INSERT INTO notes (id, body, created_at) VALUES
                (1, 'morning', '2026-11-23 09:05:00'), (2, 'late', '2026-11-23 23:59:59'),
                (3, 'next', '2026-11-24 00:00:00')",
        )
        .await;
    let data = &data;
    let ids = |filter: Value| async move { data.ids("notes", &filter).await.unwrap() };
    assert_eq!(
        ids(json!({"created_at": {"$dateOn": "2026-11-23"}})).await,
        [1, 2]
    );
    assert_eq!(
        ids(json!({"created_at": {"$dateAfter": "2026-11-23"}})).await,
        [3]
    );
    assert_eq!(
        ids(json!({"created_at": {"$dateBefore": "2026-11-24"}})).await,
        [1, 2]
    );
    let instant = json!({"created_at": {"$dateOn": "2026-11-23T09:05:00Z"}});
    assert_eq!(ids(instant).await, [1], "{engine:?}");
    let later = json!({"created_at": {"$gt": "2026-11-23T09:05:00Z"}});
    assert_eq!(ids(later).await, [2, 3], "{engine:?}");
    let note = data.get("notes", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(note["created_at"], json!("2026-11-23T09:05:00.000Z"));
    data.connector.close().await;
}

/// Names with spaces, capitals, quotes and backslashes, quoted right in
/// SQL and in the JSON keys the rows are built with.
async fn odd_identifiers_round_trip(engine: Engine) {
    let data = Dataset::load(engine).await;
    let ddl = "CREATE TABLE \"Odd Table\" (\"Id\" INTEGER PRIMARY KEY, \"Mixed Case\" TEXT,
        \"it's\" VARCHAR(20), \"back\\slash\" TEXT, \"quo\"\"te\" TEXT)";
    data.db
        .sql(&match engine {
            Engine::Mariadb => ddl
                .replace("\"\"", "\"")
                .replace('"', "`")
                .replace("quo`te", "quo\"te"),
            _ => ddl.to_owned(),
        })
        .await;
    let catalog = data.db.collections(&data.connector).await;
    let odd = &catalog["Odd Table"];
    let names: Vec<&str> = odd.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["Id", "Mixed Case", "it's", "back\\slash", "quo\"te"],
        "{engine:?}"
    );
    let record =
        json!({"Id": 1, "Mixed Case": "a", "it's": "b'", "back\\slash": "c\\", "quo\"te": "d\""});
    let dialect: Dialect = data.dialect();
    let plan = compile::insert(dialect, &catalog, odd, record.as_object().unwrap()).unwrap();
    assert_eq!(
        data.connector.insert(&plan).await.unwrap(),
        Some(json!(1)),
        "{engine:?}"
    );
    let query = model::query::ListQuery {
        filter: parse_filter(&json!({"it's": "b'", "quo\"te": {"$includes": "D\""}})).unwrap(),
        ..Default::default()
    };
    let plan = compile::list(dialect, &catalog, odd, &query, None).unwrap();
    let page = data.connector.fetch(&plan).await.unwrap();
    assert_eq!(page.count, Some(1), "{engine:?}");
    assert_eq!(Value::Object(page.rows[0].clone()), record, "{engine:?}");
    let changes = json!({"Mixed Case": "z"});
    let update = compile::update(
        dialect,
        &catalog,
        odd,
        &json!(1),
        changes.as_object().unwrap(),
        None,
    );
    assert_eq!(
        data.connector.execute(&update.unwrap()).await.unwrap(),
        1,
        "{engine:?}"
    );
    let delete = compile::delete(dialect, &catalog, odd, &json!(1), None).unwrap();
    assert_eq!(
        data.connector.execute(&delete).await.unwrap(),
        1,
        "{engine:?}"
    );
    data.connector.close().await;
}
