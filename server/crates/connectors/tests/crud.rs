//! Writes and reads through `compile::{insert,get,update,delete}` and the
//! connector, on every local engine: one JSON shape for a record, only the
//! given fields changed, and each refusal with its own error.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use connectors::Error;
use connectors::compile::{self, Scope};
use model::data::Engine;
use model::query::parse_filter;
use serde_json::{Value, json};
use support::dataset::Dataset;
use support::engine_tests;

engine_tests!(
    records_read_back_with_json_types,
    updates_change_only_the_given_fields,
    deletes_by_key,
    database_keys_come_back_typed,
    constraint_violations_have_their_own_errors,
    bad_values_are_refused_before_sql,
    a_table_dropped_behind_our_back_is_a_schema_change,
    scopes_limit_updates_and_deletes,
);

async fn records_read_back_with_json_types(engine: Engine) {
    let data = Dataset::load(engine).await;
    let post = data.get("posts", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(
        Value::Object(post),
        json!({
            "id": 1, "title": "Hello World", "body": "first post", "views": 10,
            "price": "9.99", "published": true, "published_at": "2026-11-23T09:05:00.000Z",
            "day": "2026-11-23", "status": "live", "author_id": 1, "meta": {"a": 1}
        }),
        "{engine:?}"
    );
    let post = data.get("posts", json!(2), &[]).await.unwrap().unwrap();
    assert_eq!(post["published"], json!(false), "{engine:?}");
    assert_eq!(post["price"], json!("0.00"), "{engine:?}");
    assert_eq!(post["meta"], json!([1, 2]), "{engine:?}");
    // A JSON document that is a string stays a string.
    let post = data.get("posts", json!(4), &[]).await.unwrap().unwrap();
    assert_eq!(post["meta"], json!("[1]"), "{engine:?}");
    assert_eq!(post["price"], Value::Null, "{engine:?}");
    let post = data.get("posts", json!(6), &[]).await.unwrap().unwrap();
    assert_eq!(post["title"], json!("Ünïcode Straße"), "{engine:?}");
    assert_eq!(post["body"], json!("日本"), "{engine:?}");
    assert_eq!(post["price"], json!("-5.25"), "{engine:?}");
    let post = data.get("posts", json!(7), &[]).await.unwrap().unwrap();
    assert_eq!(post["body"], json!("back\\slash"), "{engine:?}");
    assert_eq!(post["published"], Value::Null, "{engine:?}");
    // The key may arrive as text, as in `filterByTk=3`.
    let post = data.get("posts", json!("3"), &[]).await.unwrap().unwrap();
    assert_eq!(post["price"], json!("100.50"), "{engine:?}");
    assert_eq!(data.get("posts", json!(99), &[]).await.unwrap(), None);
    data.connector.close().await;
}

async fn updates_change_only_the_given_fields(engine: Engine) {
    let data = Dataset::load(engine).await;
    let before = data.get("posts", json!(1), &[]).await.unwrap().unwrap();
    let changes = json!({"title": "Changed", "price": "1.50", "published": false,
        "published_at": "2026-12-01T08:00:00+02:00", "meta": null});
    assert_eq!(data.update("posts", json!(1), changes).await.unwrap(), 1);
    let after = data.get("posts", json!(1), &[]).await.unwrap().unwrap();
    let mut expected = before.clone();
    expected.insert("title".into(), json!("Changed"));
    expected.insert("price".into(), json!("1.50"));
    expected.insert("published".into(), json!(false));
    expected.insert("published_at".into(), json!("2026-12-01T06:00:00.000Z"));
    expected.insert("meta".into(), Value::Null);
    assert_eq!(after, expected, "{engine:?}");
    // Other rows are untouched; a missing key touches nothing.
    let other = data.get("posts", json!(2), &[]).await.unwrap().unwrap();
    assert_eq!(other["title"], json!("hello again"));
    let missing = data.update("posts", json!(99), json!({"title": "x"})).await;
    assert_eq!(missing.unwrap(), 0, "{engine:?}");
    data.connector.close().await;
}

async fn deletes_by_key(engine: Engine) {
    let data = Dataset::load(engine).await;
    assert_eq!(
        data.delete("posts", json!(8)).await.unwrap(),
        1,
        "{engine:?}"
    );
    assert_eq!(data.get("posts", json!(8), &[]).await.unwrap(), None);
    assert_eq!(
        data.delete("posts", json!(8)).await.unwrap(),
        0,
        "{engine:?}"
    );
    let left = data.ids("posts", &json!({})).await.unwrap();
    assert_eq!(left, [1, 2, 3, 4, 5, 6, 7], "{engine:?}");
    data.connector.close().await;
}

async fn database_keys_come_back_typed(engine: Engine) {
    let data = Dataset::load(engine).await;
    let first = data.insert("notes", &json!({"body": "one"})).await;
    let second = data
        .insert("notes", &json!({"body": "two", "done": true}))
        .await;
    assert_eq!(first, Some(json!(1)), "{engine:?}");
    assert_eq!(second, Some(json!(2)), "{engine:?}");
    let note = data.get("notes", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(note["done"], json!(false), "{engine:?}");
    let created = note["created_at"].as_str().unwrap_or_default();
    assert!(
        created.len() == 24 && created.ends_with('Z') && created.as_bytes()[10] == b'T',
        "{engine:?}: created_at {created:?} is not an ISO instant"
    );
    let given = data
        .insert("notes", &json!({"id": 10, "body": "ten"}))
        .await;
    assert_eq!(given, Some(json!(10)), "{engine:?}");
    data.connector.close().await;
}

async fn constraint_violations_have_their_own_errors(engine: Engine) {
    let data = Dataset::load(engine).await;
    let duplicate = data.try_insert("posts", &json!({"id": 1})).await;
    assert!(
        matches!(duplicate, Err(Error::Duplicate(_))),
        "{engine:?}: {duplicate:?}"
    );
    let orphan = data
        .try_insert("posts", &json!({"id": 20, "author_id": 99}))
        .await;
    assert!(
        matches!(orphan, Err(Error::ForeignKey(_))),
        "{engine:?}: {orphan:?}"
    );
    let dangling = data
        .update("posts", json!(2), json!({"author_id": 99}))
        .await;
    assert!(
        matches!(dangling, Err(Error::ForeignKey(_))),
        "{engine:?}: {dangling:?}"
    );
    let referenced = data.delete("users", json!(1)).await;
    assert!(
        matches!(referenced, Err(Error::ForeignKey(_))),
        "{engine:?}: {referenced:?}"
    );
    let error = referenced.unwrap_err();
    assert_eq!(
        (error.code(), error.http_status()),
        ("FOREIGN_KEY_VIOLATION", 409)
    );
    let checked = data.update("posts", json!(2), json!({"views": -1})).await;
    assert!(
        matches!(checked, Err(Error::Constraint(_))),
        "{engine:?}: {checked:?}"
    );
    // A whole number too large for the column: the database's refusal.
    let overflow = data
        .update("posts", json!(2), json!({"views": 1_i64 << 40}))
        .await;
    if engine == Engine::Sqlite {
        assert_eq!(overflow.unwrap(), 1, "SQLite integers have 64 bits");
    } else {
        let error = overflow.unwrap_err();
        assert_eq!(
            (error.code(), error.http_status()),
            ("CONSTRAINT_VIOLATION", 400)
        );
    }
    // Nothing was half-written.
    let written = data.ids("posts", &json!({"id": {"$gte": 20}})).await;
    assert!(written.unwrap().is_empty(), "{engine:?}");
    data.connector.close().await;
}

async fn bad_values_are_refused_before_sql(engine: Engine) {
    let data = Dataset::load(engine).await;
    let invalid = |result: Result<(), Error>, field: &str| match result {
        Err(Error::InvalidValue { field: f, .. }) if f == field => {}
        other => panic!("{engine:?}: {field}: expected InvalidValue, got {other:?}"),
    };
    let huge = "x".repeat(10 << 20);
    invalid(
        data.try_insert("notes", &json!({"body": huge}))
            .await
            .map(drop),
        "body",
    );
    invalid(
        data.update("notes", json!(1), json!({"body": huge}))
            .await
            .map(drop),
        "body",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "views": "ten"}))
            .await
            .map(drop),
        "views",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "views": 1.5}))
            .await
            .map(drop),
        "views",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "price": "1e3"}))
            .await
            .map(drop),
        "price",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "published": "yes"}))
            .await
            .map(drop),
        "published",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "day": "23.11.2026"}))
            .await
            .map(drop),
        "day",
    );
    invalid(
        data.try_insert("posts", &json!({"id": 30, "nope": 1}))
            .await
            .map(drop),
        "nope",
    );
    invalid(
        data.try_insert("notes", &json!({"done": true}))
            .await
            .map(drop),
        "body",
    );
    invalid(
        data.try_insert("notes", &json!({"body": null}))
            .await
            .map(drop),
        "body",
    );
    invalid(
        data.update("posts", json!(1), json!({"id": 2}))
            .await
            .map(drop),
        "id",
    );
    if engine != Engine::Sqlite {
        // Declared lengths and enum labels (SQLite declares neither).
        let long = "t".repeat(101);
        invalid(
            data.try_insert("posts", &json!({"id": 30, "title": long}))
                .await
                .map(drop),
            "title",
        );
        invalid(
            data.try_insert("posts", &json!({"id": 30, "status": "gone"}))
                .await
                .map(drop),
            "status",
        );
    }
    let bad_key = data.get("posts", json!("one"), &[]).await;
    assert!(
        matches!(bad_key, Err(Error::InvalidValue { .. })),
        "{bad_key:?}"
    );
    let written = data.ids("posts", &json!({"id": 30})).await;
    assert!(written.unwrap().is_empty(), "{engine:?}");
    data.connector.close().await;
}

async fn a_table_dropped_behind_our_back_is_a_schema_change(engine: Engine) {
    let data = Dataset::load(engine).await;
    data.db.sql("ALTER TABLE posts DROP COLUMN meta").await;
    let gone_column = data.get("posts", json!(1), &[]).await;
    assert!(
        matches!(gone_column, Err(Error::SchemaChanged(_))),
        "{engine:?}: {gone_column:?}"
    );
    data.db.sql("DROP TABLE notes").await;
    let listed = data.ids("notes", &json!({})).await;
    assert!(
        listed.as_ref().is_err_and(|e| e.contains("SCHEMA_CHANGED")),
        "{engine:?}: {listed:?}"
    );
    let inserted = data.try_insert("notes", &json!({"body": "x"})).await;
    assert!(
        matches!(inserted, Err(Error::SchemaChanged(_))),
        "{engine:?}: {inserted:?}"
    );
    let error = inserted.unwrap_err();
    assert_eq!((error.code(), error.http_status()), ("SCHEMA_CHANGED", 409));
    data.connector.close().await;
}

/// A role's data scope narrows writes as it narrows reads: a record outside
/// it is as if missing.
async fn scopes_limit_updates_and_deletes(engine: Engine) {
    let data = Dataset::load(engine).await;
    let posts = data.collection("posts");
    let scope = parse_filter(&json!({"author.name": "Ann"}))
        .unwrap()
        .unwrap();
    let scope = Some(Scope {
        filter: &scope,
        collection: posts,
    });
    let values = json!({"title": "scoped"});
    let values = values.as_object().unwrap();
    let dialect = data.dialect();
    for (key, touched) in [(1, 1), (3, 0)] {
        let update = compile::update(dialect, &data.catalog, posts, &json!(key), values, scope);
        let changed = data.connector.execute(&update.unwrap()).await.unwrap();
        assert_eq!(changed, touched, "{engine:?}: update {key}");
        let delete = compile::delete(dialect, &data.catalog, posts, &json!(key), scope);
        let deleted = data.connector.execute(&delete.unwrap()).await.unwrap();
        assert_eq!(deleted, touched, "{engine:?}: delete {key}");
    }
    assert_eq!(
        data.ids("posts", &json!({"title": "scoped"}))
            .await
            .unwrap(),
        Vec::<i64>::new()
    );
    let left = data.ids("posts", &json!({})).await.unwrap();
    assert_eq!(left, [2, 3, 4, 5, 6, 7, 8], "{engine:?}");
    data.connector.close().await;
}
