//! Filters over the shared dataset and the ids NocoBase on PostgreSQL
//! returns for them (the semantics table in `model/src/query/filter.rs`).
//! Every engine must return exactly these.

use serde_json::{Value, json};

pub struct Case {
    pub collection: &'static str,
    pub filter: Value,
    pub expected: &'static [i64],
}

fn posts(filter: Value, expected: &'static [i64]) -> Case {
    Case {
        collection: "posts",
        filter,
        expected,
    }
}

fn users(filter: Value, expected: &'static [i64]) -> Case {
    Case {
        collection: "users",
        filter,
        expected,
    }
}

pub fn cases() -> Vec<Case> {
    let mut cases = scalar_cases();
    cases.extend(text_cases());
    cases.extend(date_cases());
    cases.extend(relation_cases());
    cases
}

fn scalar_cases() -> Vec<Case> {
    vec![
        // $eq: case- and space-sensitive on text; null finds the NULLs.
        posts(json!({"title": "Hello World"}), &[1]),
        posts(json!({"title": "hello world"}), &[]),
        posts(json!({"title": "hello again "}), &[]),
        posts(json!({"title": null}), &[5]),
        posts(json!({"title": ""}), &[4]),
        posts(json!({"views": 10}), &[1]),
        posts(json!({"views": "10"}), &[1]),
        posts(json!({"published": true}), &[1, 4, 6]),
        posts(json!({"price": "9.99"}), &[1]),
        posts(json!({"price": 12}), &[5]),
        posts(json!({"status": "live"}), &[1, 4, 6]),
        posts(json!({"day": "2026-11-23"}), &[1, 7]),
        // $ne keeps the NULL rows unless the operand is null.
        posts(
            json!({"title": {"$ne": "Hello World"}}),
            &[2, 3, 4, 5, 6, 7, 8],
        ),
        posts(
            json!({"title": {"$ne": "hello world"}}),
            &[1, 2, 3, 4, 5, 6, 7, 8],
        ),
        posts(json!({"views": {"$ne": 10}}), &[2, 3, 4, 5, 6, 7, 8]),
        posts(json!({"title": {"$ne": null}}), &[1, 2, 3, 4, 6, 7, 8]),
        posts(json!({"published": {"$ne": true}}), &[2, 3, 5, 7, 8]),
        // $in / $notIn (NULL rows match $notIn), arrays as shorthands.
        posts(json!({"views": {"$in": [0, 10, 999]}}), &[1, 2]),
        posts(json!({"views": [5, 25]}), &[4, 5]),
        posts(json!({"title": {"$in": []}}), &[]),
        posts(json!({"title": {"$in": ["HELLO WORLD", "axb"]}}), &[8]),
        posts(json!({"status": {"$in": ["draft"]}}), &[2, 5]),
        posts(json!({"views": {"$notIn": [0, 10]}}), &[3, 4, 5, 6, 7, 8]),
        posts(json!({"views": {"$notIn": []}}), &[1, 2, 3, 4, 5, 6, 7, 8]),
        posts(
            json!({"title": {"$ne": ["Hello World", "hello again"]}}),
            &[3, 4, 5, 6, 7, 8],
        ),
        posts(
            json!({"title": {"$notIn": ["hello world"]}}),
            &[1, 2, 3, 4, 5, 6, 7, 8],
        ),
        // Comparisons never match NULL.
        posts(json!({"views": {"$gt": 10}}), &[4, 6]),
        posts(json!({"views": {"$gte": 10}}), &[1, 4, 6]),
        posts(json!({"views": {"$lt": 5}}), &[2]),
        posts(json!({"views": {"$lte": 5}}), &[2, 5]),
        posts(json!({"price": {"$gt": "10"}}), &[3, 5]),
        posts(json!({"price": {"$lt": 0}}), &[6]),
        posts(json!({"views": {"$between": [5, 10]}}), &[1, 5, 7, 8]),
        posts(json!({"views": {"$notBetween": [5, 10]}}), &[2, 4, 6]),
        posts(json!({"price": {"$between": ["0", "9.99"]}}), &[1, 2, 7]),
        // $empty: '' counts on text only.
        posts(json!({"title": {"$empty": true}}), &[4, 5]),
        posts(json!({"body": {"$empty": true}}), &[2, 3]),
        posts(json!({"views": {"$empty": true}}), &[3]),
        posts(json!({"status": {"$empty": true}}), &[3, 7, 8]),
        posts(json!({"title": {"$notEmpty": true}}), &[1, 2, 3, 6, 7, 8]),
        posts(
            json!({"views": {"$notEmpty": true}}),
            &[1, 2, 4, 5, 6, 7, 8],
        ),
        posts(json!({"status": {"$notEmpty": true}}), &[1, 2, 4, 5, 6]),
        posts(json!({"meta": null}), &[3, 5, 6, 7, 8]),
        posts(json!({"meta": {"$notEmpty": true}}), &[1, 2, 4]),
        // $isTruly / $isFalsy (NULL is falsy).
        posts(json!({"published": {"$isTruly": true}}), &[1, 4, 6]),
        posts(json!({"published": {"$isFalsy": true}}), &[2, 3, 5, 7, 8]),
        posts(json!({"published": {"$isTruly": false}}), &[2, 3, 5, 7, 8]),
        // Logic.
        posts(
            json!({"$or": [{"views": {"$lt": 5}}, {"title": {"$includes": "sale"}}]}),
            &[2, 3],
        ),
        posts(
            json!({"$and": [{"published": true}, {"views": {"$gt": 20}}]}),
            &[4, 6],
        ),
        posts(
            json!({"views": {"$or": [{"$lt": 5}, {"$gt": 50}]}}),
            &[2, 6],
        ),
        posts(
            json!({"$or": [{"$and": [{"published": true}, {"author.name": "bob"}]}, {"title": null}]}),
            &[5, 6],
        ),
    ]
}

fn text_cases() -> Vec<Case> {
    vec![
        // $includes: case-insensitive, accent-sensitive, wildcards literal.
        posts(json!({"title": {"$includes": "hello"}}), &[1, 2]),
        posts(json!({"title": {"$includes": "HELLO"}}), &[1, 2]),
        posts(json!({"title": {"$includes": "%"}}), &[3]),
        posts(json!({"title": {"$includes": "_"}}), &[3, 7]),
        posts(json!({"title": {"$includes": "a_b"}}), &[7]),
        posts(json!({"title": {"$includes": ["world", "sale"]}}), &[1, 3]),
        posts(json!({"title": {"$includes": null}}), &[5]),
        posts(json!({"title": {"$includes": "straße"}}), &[6]),
        posts(json!({"title": {"$includes": "unicode"}}), &[]),
        posts(json!({"body": {"$includes": "\\"}}), &[7]),
        posts(json!({"body": {"$includes": "!"}}), &[8]),
        posts(json!({"status": {"$includes": "LI"}}), &[1, 4, 6]),
        posts(
            json!({"title": {"$notIncludes": "hello"}}),
            &[3, 4, 6, 7, 8],
        ),
        posts(
            json!({"title": {"$notIncludes": ["hello", "sale"]}}),
            &[4, 6, 7, 8],
        ),
        posts(
            json!({"title": {"$notIncludes": null}}),
            &[1, 2, 3, 4, 6, 7, 8],
        ),
        posts(json!({"title": {"$startsWith": "hel"}}), &[1, 2]),
        posts(json!({"title": {"$startsWith": "50%"}}), &[3]),
        posts(
            json!({"title": {"$notStartsWith": "hel"}}),
            &[3, 4, 6, 7, 8],
        ),
        posts(json!({"title": {"$endWith": "WORLD"}}), &[1]),
        posts(json!({"title": {"$endWith": ["sale", " c"]}}), &[3, 7]),
        posts(json!({"title": {"$notEndWith": "b"}}), &[1, 2, 3, 4, 6, 7]),
        // $like / $iLike take raw patterns.
        posts(json!({"title": {"$like": "hello%"}}), &[2]),
        posts(json!({"title": {"$like": "%o_l%"}}), &[1]),
        posts(json!({"title": {"$like": "a_b%"}}), &[7, 8]),
        posts(json!({"title": {"$like": "%n_code%"}}), &[6]),
        posts(json!({"title": {"$like": "ün%"}}), &[]),
        posts(
            json!({"title": {"$notLike": "hello%"}}),
            &[1, 3, 4, 6, 7, 8],
        ),
        posts(json!({"title": {"$iLike": "HELLO%"}}), &[1, 2]),
        posts(json!({"title": {"$notILike": "%o%"}}), &[4, 7, 8]),
    ]
}

fn date_cases() -> Vec<Case> {
    vec![
        // A day is [midnight UTC, next midnight); an instant is exact.
        posts(
            json!({"published_at": {"$dateOn": "2026-11-23"}}),
            &[1, 2, 7],
        ),
        posts(
            json!({"published_at": {"$dateNotOn": "2026-11-23"}}),
            &[4, 5, 6],
        ),
        posts(
            json!({"published_at": {"$dateBefore": "2026-11-23"}}),
            &[4, 6],
        ),
        posts(json!({"published_at": {"$dateAfter": "2026-11-23"}}), &[5]),
        posts(
            json!({"published_at": {"$dateOn": "2026-11-23T09:05:00Z"}}),
            &[1],
        ),
        posts(
            json!({"published_at": {"$dateOn": "2026-11-23T10:05:00+01:00"}}),
            &[1],
        ),
        posts(
            json!({"published_at": {"$dateNotOn": "2026-11-23T09:05:00Z"}}),
            &[2, 4, 5, 6, 7],
        ),
        posts(
            json!({"published_at": {"$dateAfter": "2026-11-23T09:05:00Z"}}),
            &[2, 5],
        ),
        posts(
            json!({"published_at": {"$dateBefore": "2026-11-23T09:05:00Z"}}),
            &[4, 6, 7],
        ),
        posts(
            json!({"published_at": {"$dateBetween": ["2026-11-22", "2026-11-23"]}}),
            &[1, 2, 4, 7],
        ),
        posts(
            json!({"published_at": {"$dateBetween": ["2026-11-23T00:00:00Z", "2026-11-23T23:30:00Z"]}}),
            &[1, 7],
        ),
        posts(
            json!({"published_at": {"$dateNotBefore": "2026-11-23"}}),
            &[1, 2, 5, 7],
        ),
        posts(
            json!({"published_at": {"$dateNotAfter": "2026-11-23"}}),
            &[1, 2, 4, 6, 7],
        ),
        posts(
            json!({"published_at": {"$gt": "2026-11-23T09:05:00Z"}}),
            &[2, 5],
        ),
        posts(json!({"day": {"$dateOn": "2026-11-23"}}), &[1, 7]),
        posts(json!({"day": {"$dateAfter": "2026-11-23"}}), &[2, 5]),
        posts(json!({"day": {"$dateBefore": "2026-11-23"}}), &[4, 6]),
        posts(
            json!({"day": {"$dateBetween": ["2026-11-22", "2026-11-23"]}}),
            &[1, 4, 7],
        ),
    ]
}

fn relation_cases() -> Vec<Case> {
    vec![
        // Many-to-one: a post without an author counts as one of NULLs.
        posts(json!({"author.name": "Ann"}), &[1, 2]),
        posts(json!({"author": {"name": {"$includes": "B"}}}), &[3, 6, 7]),
        posts(json!({"author.name": {"$ne": "Ann"}}), &[3, 4, 5, 6, 7, 8]),
        posts(json!({"author.name": null}), &[4, 5, 8]),
        posts(json!({"author.name": {"$empty": true}}), &[4, 5, 8]),
        posts(
            json!({"author.name": {"$notEmpty": true}}),
            &[1, 2, 3, 6, 7],
        ),
        posts(json!({"author.id": {"$notIn": [1]}}), &[3, 4, 5, 6, 7, 8]),
        posts(json!({"author.name.$includes": "an"}), &[1, 2]),
        // One-to-many: any related row; none counts as one of NULLs.
        users(json!({"posts.views": {"$gt": 20}}), &[2]),
        users(json!({"posts.title": {"$includes": "hello"}}), &[1]),
        users(json!({"posts.id": null}), &[4]),
        users(json!({"posts.views": {"$ne": 10}}), &[1, 2, 3, 4]),
        users(json!({"posts.title": {"$empty": true}}), &[3, 4]),
        users(
            json!({"posts.published": {"$isFalsy": true}}),
            &[1, 2, 3, 4],
        ),
        users(json!({"posts.author.name": "bob"}), &[2]),
        users(json!({"name": {"$notIn": ["Ann"]}, "posts.views": 5}), &[3]),
    ]
}

/// Runs every case against `data`; answers one line per case that failed.
pub async fn failures(data: &super::dataset::Dataset) -> Vec<String> {
    failures_with(data, &[]).await
}

/// As [`failures`], with other expected ids for some cases (collection,
/// filter, ids): an engine's documented difference, such as Oracle storing
/// '' as NULL.
pub async fn failures_with(
    data: &super::dataset::Dataset,
    overrides: &[(&str, Value, &'static [i64])],
) -> Vec<String> {
    let mut failures = Vec::new();
    for mut case in cases() {
        if let Some((_, _, expected)) = overrides.iter().find(|(collection, filter, _)| {
            *collection == case.collection && *filter == case.filter
        }) {
            case.expected = expected;
        }
        match data.ids(case.collection, &case.filter).await {
            Ok(ids) if ids == case.expected => {}
            Ok(ids) => failures.push(format!(
                "{} {}: expected {:?}, got {ids:?}",
                case.collection, case.filter, case.expected
            )),
            Err(error) => failures.push(format!(
                "{} {}: expected {:?}, got {error}",
                case.collection, case.filter, case.expected
            )),
        }
    }
    failures
}
