//! Generated SQL per dialect, frozen: the dialects without a server here
//! (MSSQL, Oracle) are covered by these, and a change to any statement
//! shows up as a reviewed diff.

use model::query::{ListQuery, Paging, parse_filter, parse_sort};
use serde_json::json;

use super::fixtures::catalog;
use super::*;

const DIALECTS: [Dialect; 5] = [
    Dialect::Postgres,
    Dialect::Mysql,
    Dialect::Sqlite,
    Dialect::Mssql,
    Dialect::Oracle,
];

fn query() -> ListQuery {
    ListQuery {
        filter: parse_filter(&json!({
            "$and": [{"title": {"$includes": "50%"}}, {"views": {"$gt": 10}}],
            "author.name": "ann"
        }))
        .unwrap(),
        sort: parse_sort(["-views"]).unwrap(),
        fields: None,
        except: vec![],
        appends: vec![],
        paging: Paging::Counted {
            page: 2,
            page_size: 20,
        },
    }
}

fn snapshot(dialect: Dialect) -> String {
    let catalog = catalog();
    let posts = &catalog["posts"];
    let mut query = query();
    query.fields = Some(vec![
        model::query::FieldPath::single("id"),
        model::query::FieldPath::single("title"),
        model::query::FieldPath::single("price"),
    ]);
    let plan = list(dialect, &catalog, posts, &query, None).unwrap();
    let count = plan.count.unwrap();
    let values = json!({"title": "Hello", "views": 3})
        .as_object()
        .cloned()
        .unwrap();
    let insert = insert(dialect, &catalog, posts, &values).unwrap();
    let update = update(dialect, &catalog, posts, &json!(7), &values, None).unwrap();
    let delete = delete(dialect, &catalog, posts, &json!(7), None).unwrap();
    // Related records both ways: a post's author, a user's posts.
    let related = |collection: &str, relation: &str| {
        let query = ListQuery {
            appends: vec![model::query::FieldPath::single(relation)],
            ..ListQuery::default()
        };
        let plan = list(dialect, &catalog, &catalog[collection], &query, None).unwrap();
        plan.rows.sql
    };
    format!(
        "{}\n{:?}\n{}\n{}\n{}\n{}\n{}\n{}",
        plan.rows.sql,
        plan.rows.params,
        count.sql,
        insert.statement.sql,
        update.sql,
        delete.sql,
        related("posts", "author"),
        related("users", "posts")
    )
}

/// Compares with `snapshots/<dialect>.sql`; `UPDATE_SNAPSHOTS=1` rewrites
/// them after a deliberate change (review the diff before committing).
#[test]
fn statements_per_dialect() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compile/snapshots");
    for dialect in DIALECTS {
        let actual = snapshot(dialect) + "\n";
        let path = folder.join(format!("{dialect:?}.sql").to_lowercase());
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(&path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            actual,
            expected,
            "{dialect:?} differs from {}",
            path.display()
        );
    }
}

/// Oracle: no DEFAULT VALUES, the new key comes back through an out bind
/// after the parameters, and '' is NULL (so "empty" is exactly NULL).
#[test]
fn oracle_inserts_and_empty_text() {
    let catalog = catalog();
    let users = &catalog["users"];
    let empty = insert(Dialect::Oracle, &catalog, users, &serde_json::Map::new()).unwrap();
    assert_eq!(
        empty.statement.sql,
        r#"INSERT INTO "public"."users" ("id") VALUES (DEFAULT) RETURNING "id" INTO :1"#
    );
    assert_eq!(empty.key_field.map(|f| f.name).as_deref(), Some("id"));
    let given = json!({"id": 7}).as_object().cloned().unwrap();
    let given = insert(Dialect::Oracle, &catalog, users, &given).unwrap();
    assert_eq!(given.key, InsertKey::Given(json!(7)));
    assert!(given.key_field.is_none() && !given.statement.sql.contains("RETURNING"));

    let query = |filter| ListQuery {
        filter: parse_filter(&filter).unwrap(),
        ..ListQuery::default()
    };
    for (filter, condition) in [
        (
            json!({"name": {"$empty": true}}),
            r#"WHERE ("t0"."name" IS NULL)"#,
        ),
        (
            json!({"name": {"$notEmpty": true}}),
            r#"WHERE ("t0"."name" IS NOT NULL)"#,
        ),
    ] {
        let plan = list(Dialect::Oracle, &catalog, users, &query(filter), None).unwrap();
        assert!(plan.rows.sql.contains(condition), "{}", plan.rows.sql);
    }
}
