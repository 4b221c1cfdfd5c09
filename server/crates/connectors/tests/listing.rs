//! Lists on every local engine: the three paging modes, sorting with
//! NocoBase's NULL placement (last, either way), field choice, and related records.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use connectors::compile::{MAX_APPENDED_ROWS, MAX_UNPAGED_ROWS};
use model::data::Engine;
use model::query::{FieldPath, ListQuery, Paging, parse_filter, parse_sort};
use serde_json::{Map, Value, json};
use std::time::Duration;
use support::dataset::Dataset;
use support::{TestDb, engine_tests};

engine_tests!(
    counted_simple_and_unpaged_lists,
    sorting_places_nulls_last_as_nocobase_does,
    fields_and_except_choose_the_columns,
    many_to_one_appends,
    one_to_many_appends,
    totals_are_reused_until_a_write,
);

fn ids(rows: &[Map<String, Value>]) -> Vec<i64> {
    rows.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

fn sorted(keys: &[&str], paging: Paging) -> ListQuery {
    ListQuery {
        sort: parse_sort(keys.iter().copied()).unwrap(),
        paging,
        ..ListQuery::default()
    }
}

async fn counted_simple_and_unpaged_lists(engine: Engine) {
    let data = Dataset::load(engine).await;
    let counted = |page| Paging::Counted { page, page_size: 3 };
    let page = data.list("posts", &sorted(&[], counted(2))).await.unwrap();
    assert_eq!(ids(&page.rows), [4, 5, 6], "{engine:?}");
    assert_eq!((page.count, page.has_next), (Some(8), None), "{engine:?}");
    let page = data.list("posts", &sorted(&[], counted(4))).await.unwrap();
    assert!(page.rows.is_empty(), "{engine:?}");
    assert_eq!(page.count, Some(8), "{engine:?}");
    // The count honours the filter.
    let mut published = sorted(&[], counted(1));
    published.filter = parse_filter(&json!({"published": true})).unwrap();
    let page = data.list("posts", &published).await.unwrap();
    assert_eq!((ids(&page.rows), page.count), (vec![1, 4, 6], Some(3)));
    // A later page of a filtered, sorted list: views 100, 25 | 10, 8 | 7, 5.
    let mut viewed = sorted(
        &["-views"],
        Paging::Counted {
            page: 2,
            page_size: 2,
        },
    );
    viewed.filter = parse_filter(&json!({"views": {"$gt": 4}})).unwrap();
    let page = data.list("posts", &viewed).await.unwrap();
    assert_eq!(
        (ids(&page.rows), page.count),
        (vec![1, 8], Some(6)),
        "{engine:?}"
    );

    let simple = |page| Paging::Simple { page, page_size: 3 };
    let page = data.list("posts", &sorted(&[], simple(1))).await.unwrap();
    assert_eq!(ids(&page.rows), [1, 2, 3], "{engine:?}");
    assert_eq!(
        (page.count, page.has_next),
        (None, Some(true)),
        "{engine:?}"
    );
    let page = data.list("posts", &sorted(&[], simple(3))).await.unwrap();
    assert_eq!(ids(&page.rows), [7, 8], "{engine:?}");
    assert_eq!(page.has_next, Some(false), "{engine:?}");
    let exact = Paging::Simple {
        page: 2,
        page_size: 4,
    };
    let page = data.list("posts", &sorted(&[], exact)).await.unwrap();
    assert_eq!(
        (ids(&page.rows), page.has_next),
        (vec![5, 6, 7, 8], Some(false))
    );

    let page = data.list("posts", &sorted(&[], Paging::All)).await.unwrap();
    assert_eq!(ids(&page.rows), [1, 2, 3, 4, 5, 6, 7, 8], "{engine:?}");
    assert_eq!((page.count, page.has_next), (None, None), "{engine:?}");
    data.connector.close().await;
}

/// `paginate=false` stops at MAX_UNPAGED_ROWS rather than reading a table
/// of any size into memory.
#[tokio::test]
async fn unpaged_lists_are_bounded() {
    let data = Dataset::load(Engine::Sqlite).await;
    let rows = MAX_UNPAGED_ROWS + 1;
    data.db
        .sql(&format!(
            "INSERT INTO notes (id, body) WITH RECURSIVE n(i) AS \
             (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) SELECT i, 'x' FROM n"
        ))
        .await;
    let all = data.list("notes", &sorted(&[], Paging::All)).await;
    assert!(
        matches!(all, Err(connectors::Error::InvalidQuery(_))),
        "{all:?}"
    );
    data.db.sql("DELETE FROM notes WHERE id = 1").await;
    let all = data.list("notes", &sorted(&[], Paging::All)).await.unwrap();
    assert_eq!(all.rows.len() as u64, MAX_UNPAGED_ROWS);
    data.connector.close().await;
}

/// A counted page's total is remembered (here for a minute) and forgotten
/// by any write through the connector; a write by another program is not
/// seen until then, which is what proves the total was reused.
async fn totals_are_reused_until_a_write(engine: Engine) {
    let mut db = TestDb::create(engine).await;
    db.config.count_cache = Duration::from_secs(60);
    let data = Dataset::load_into(db).await;
    let full_page = sorted(
        &[],
        Paging::Counted {
            page: 1,
            page_size: 2,
        },
    );
    assert_eq!(count_of(&data, &full_page).await, Some(4), "{engine:?}");
    data.insert("users", &json!({"id": 5, "name": "Eve"})).await;
    assert_eq!(
        count_of(&data, &full_page).await,
        Some(5),
        "{engine:?}: an insert forgets the total"
    );
    data.db
        .sql("INSERT INTO users (id, name) VALUES (6, 'Fay')")
        .await;
    assert_eq!(
        count_of(&data, &full_page).await,
        Some(5),
        "{engine:?}: the total was reused"
    );
    data.delete("users", json!(5)).await.unwrap();
    assert_eq!(
        count_of(&data, &full_page).await,
        Some(5),
        "{engine:?}: 6 rows less the deleted one"
    );
    data.connector.forget_counts();
    data.db.sql("DELETE FROM users WHERE id = 6").await;
    assert_eq!(
        count_of(&data, &full_page).await,
        Some(4),
        "{engine:?}: forgotten, counted again"
    );

    // Off: every page counts.
    let mut db = TestDb::create(engine).await;
    db.config.count_cache = Duration::ZERO;
    let data = Dataset::load_into(db).await;
    assert_eq!(count_of(&data, &full_page).await, Some(4));
    data.db
        .sql("INSERT INTO users (id, name) VALUES (6, 'Fay')")
        .await;
    assert_eq!(count_of(&data, &full_page).await, Some(5), "{engine:?}");
}

async fn count_of(data: &Dataset, query: &ListQuery) -> Option<u64> {
    data.list("users", query).await.unwrap().count
}

async fn sorting_places_nulls_last_as_nocobase_does(engine: Engine) {
    let data = Dataset::load(engine).await;
    let order = |keys: &'static [&'static str]| {
        let data = &data;
        async move {
            let page = data.list("posts", &sorted(keys, Paging::All)).await;
            ids(&page.unwrap().rows)
        }
    };
    // views: 10, 0, NULL, 25, 5, 100, 7, 8 for ids 1..8.
    assert_eq!(
        order(&["views"]).await,
        [2, 5, 7, 8, 1, 4, 6, 3],
        "{engine:?}"
    );
    assert_eq!(
        order(&["-views"]).await,
        [6, 4, 1, 8, 7, 5, 2, 3],
        "{engine:?}"
    );
    // Ties fall back to the key, ascending.
    let published = order(&["-published"]).await;
    assert_eq!(published, [1, 4, 6, 2, 5, 3, 7, 8], "{engine:?}");
    let published = order(&["published", "-id"]).await;
    assert_eq!(published, [5, 2, 6, 4, 1, 8, 7, 3], "{engine:?}");
    assert_eq!(
        order(&["day"]).await,
        [6, 4, 1, 7, 2, 5, 3, 8],
        "{engine:?}"
    );
    let instants = order(&["-published_at"]).await;
    assert_eq!(instants, [5, 2, 1, 7, 4, 6, 3, 8], "{engine:?}");
    assert_eq!(
        order(&["price"]).await,
        [6, 2, 7, 1, 5, 3, 4, 8],
        "{engine:?}"
    );
    // Sorting applies before paging (on PostgreSQL, a page past the first
    // is looked up by key after the skipped keys).
    let query = sorted(
        &["-views"],
        Paging::Counted {
            page: 2,
            page_size: 3,
        },
    );
    let page = data.list("posts", &query).await.unwrap();
    assert_eq!(ids(&page.rows), [8, 7, 5], "{engine:?}");
    data.connector.close().await;
}

async fn fields_and_except_choose_the_columns(engine: Engine) {
    let data = Dataset::load(engine).await;
    let mut query = sorted(&[], Paging::All);
    query.fields = Some(vec![FieldPath::single("title"), FieldPath::single("id")]);
    let page = data.list("posts", &query).await.unwrap();
    let mut keys: Vec<&String> = page.rows[0].keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "title"], "{engine:?}");
    let mut query = sorted(&[], Paging::All);
    query.except = vec![FieldPath::single("meta"), FieldPath::single("body")];
    let page = data.list("posts", &query).await.unwrap();
    assert_eq!(page.rows[0].len(), 9, "{engine:?}");
    assert!(!page.rows[0].contains_key("meta"), "{engine:?}");
    data.connector.close().await;
}

async fn many_to_one_appends(engine: Engine) {
    let data = Dataset::load(engine).await;
    let mut query = sorted(&[], Paging::All);
    query.appends = vec![FieldPath::single("author")];
    let page = data.list("posts", &query).await.unwrap();
    let authors: Vec<&Value> = page.rows.iter().map(|r| &r["author"]).collect();
    let ann = json!({"id": 1, "name": "Ann"});
    let bob = json!({"id": 2, "name": "bob"});
    let nameless = json!({"id": 3, "name": null});
    let none = Value::Null;
    assert_eq!(
        authors,
        [&ann, &ann, &bob, &none, &nameless, &bob, &bob, &none],
        "{engine:?}"
    );
    let post = data.get("posts", json!(1), &["author"]).await.unwrap();
    assert_eq!(post.unwrap()["author"], ann, "{engine:?}");
    data.connector.close().await;
}

async fn one_to_many_appends(engine: Engine) {
    let data = Dataset::load(engine).await;
    let mut query = sorted(&[], Paging::All);
    query.appends = vec![FieldPath::single("posts")];
    let page = data.list("users", &query).await.unwrap();
    let post_ids = |row: &Map<String, Value>| -> Vec<i64> {
        let posts = row["posts"].as_array().unwrap_or_else(|| {
            panic!("{engine:?}: posts is not an array: {}", row["posts"]);
        });
        let mut ids = ids(&posts
            .iter()
            .map(|p| p.as_object().unwrap().clone())
            .collect::<Vec<_>>());
        ids.sort_unstable();
        ids
    };
    let lists: Vec<Vec<i64>> = page.rows.iter().map(post_ids).collect();
    assert_eq!(
        lists,
        [vec![1, 2], vec![3, 6, 7], vec![5], vec![]],
        "{engine:?}"
    );
    // Related records have the same JSON shape as listed ones.
    let user = data
        .get("users", json!(1), &["posts"])
        .await
        .unwrap()
        .unwrap();
    let first = user["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == json!(1))
        .unwrap()
        .clone();
    let listed = data.get("posts", json!(1), &[]).await.unwrap().unwrap();
    assert_eq!(first, Value::Object(listed), "{engine:?}");
    // At most MAX_APPENDED_ROWS related records, the first ones by key.
    let many: Vec<String> = (100..205).map(|id| format!("({id}, 4)")).collect();
    let insert = format!(
        "INSERT INTO posts (id, author_id) VALUES {}",
        many.join(", ")
    );
    data.db.sql(&insert).await;
    let user = data
        .get("users", json!(4), &["posts"])
        .await
        .unwrap()
        .unwrap();
    let expected: Vec<i64> = (100..100 + MAX_APPENDED_ROWS as i64).collect();
    assert_eq!(post_ids(&user), expected, "{engine:?}");
    data.connector.close().await;
}
