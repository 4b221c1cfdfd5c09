//! NocoBase filter semantics on every local engine: one dataset, one table
//! of (filter, expected ids), the same answers everywhere.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use connectors::{Dialect, Error, compile};
use model::data::Engine;
use model::query::{Filter, ListQuery, Operator, parse_filter};
use serde_json::json;
use support::dataset::Dataset;
use support::filter_cases::{cases, failures};

async fn every_case_on(engine: Engine) {
    let data = Dataset::load(engine).await;
    let failed = failures(&data).await;
    data.connector.close().await;
    assert!(
        failed.is_empty(),
        "{engine:?}: {} of {} filter cases differ from PostgreSQL/NocoBase:\n{}",
        failed.len(),
        cases().len(),
        failed.join("\n")
    );
}

#[tokio::test]
async fn filters_on_postgres() {
    every_case_on(Engine::Postgres).await;
}

#[tokio::test]
async fn filters_on_mariadb() {
    every_case_on(Engine::Mariadb).await;
}

#[tokio::test]
async fn filters_on_sqlite() {
    every_case_on(Engine::Sqlite).await;
}

fn operators(filter: &Filter, found: &mut Vec<Operator>) {
    match filter {
        Filter::And(items) | Filter::Or(items) => items.iter().for_each(|f| operators(f, found)),
        Filter::Condition(condition) => found.push(condition.operator),
    }
}

#[test]
fn the_cases_cover_every_operator() {
    let mut found = Vec::new();
    for case in cases() {
        let filter = parse_filter(&case.filter).unwrap().unwrap();
        operators(&filter, &mut found);
    }
    let missing: Vec<&str> = Operator::ALL
        .into_iter()
        .filter(|op| !found.contains(op))
        .map(Operator::as_str)
        .collect();
    assert!(missing.is_empty(), "no case uses {missing:?}");
}

/// Misused operators and unknown fields are the client's mistake, caught
/// before any SQL runs, with the same answer on every dialect.
#[tokio::test]
async fn misuse_is_refused_before_sql() {
    let data = Dataset::load(Engine::Sqlite).await;
    let refused = [
        (json!({"views": {"$includes": "1"}}), "INVALID_QUERY"),
        (json!({"title": {"$dateOn": "2026-11-23"}}), "INVALID_QUERY"),
        (json!({"title": {"$isTruly": true}}), "INVALID_QUERY"),
        (json!({"views": {"$gt": "many"}}), "INVALID_VALUE"),
        (json!({"views": "ten"}), "INVALID_VALUE"),
        (json!({"published": "yes"}), "INVALID_VALUE"),
        (json!({"meta": {"$eq": "[1]"}}), "INVALID_QUERY"),
        (json!({"meta": {"$in": ["[1]"]}}), "INVALID_QUERY"),
        (json!({"nope": 1}), "INVALID_QUERY"),
        (json!({"author.nope": 1}), "INVALID_QUERY"),
        (json!({"nope.name": 1}), "INVALID_QUERY"),
    ];
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        for (filter, code) in &refused {
            let query = ListQuery {
                filter: parse_filter(filter).unwrap(),
                ..ListQuery::default()
            };
            let posts = data.collection("posts");
            let error = compile::list(dialect, &data.catalog, posts, &query, None).unwrap_err();
            assert_eq!(error.code(), *code, "{dialect:?} {filter}: {error}");
            assert!(
                matches!(error, Error::InvalidQuery(_) | Error::InvalidValue { .. }),
                "{error:?}"
            );
        }
    }
}
