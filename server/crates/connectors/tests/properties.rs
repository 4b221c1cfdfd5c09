//! Properties over random filters: (a) no value a user wrote ever becomes
//! SQL text, on any dialect (pure compilation, no database); (b) the local
//! engines select the same rows from the shared dataset.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::collections::HashMap;

use connectors::compile::{self, Scope};
use connectors::schema::{Collection, Field, Relation, RelationKind};
use connectors::{Dialect, Error};
use model::data::{Engine, FieldInterface};
use model::query::{Condition, FieldPath, Filter, ListQuery, Operand, Operator, parse_filter};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use support::dataset::Dataset;

const DIALECTS: [Dialect; 5] = [
    Dialect::Postgres,
    Dialect::Mysql,
    Dialect::Sqlite,
    Dialect::Mssql,
    Dialect::Oracle,
];

/// Every user string starts with this; the SQL must never contain it.
const MARK: &str = "zq";

fn field(name: &str, interface: FieldInterface, db_type: &str) -> Field {
    Field {
        name: name.into(),
        interface,
        db_type: db_type.into(),
        nullable: true,
        max_length: None,
        generated: false,
        has_default: false,
        options: if interface == FieldInterface::Enum {
            vec!["draft".into(), "live".into()]
        } else {
            vec![]
        },
    }
}

/// `items` with a field of every interface, `owners` one-to-many back.
fn catalog() -> HashMap<String, Collection> {
    use FieldInterface::*;
    let kinds = [
        ("id", Integer, "integer"),
        ("title", Text, "character varying(80)"),
        ("body", LongText, "text"),
        ("views", Integer, "bigint"),
        ("ratio", Number, "double precision"),
        ("price", Decimal, "numeric(10,2)"),
        ("done", Boolean, "boolean"),
        ("day", Date, "date"),
        ("at", Datetime, "timestamp with time zone"),
        ("clock", Time, "time without time zone"),
        ("meta", Json, "jsonb"),
        ("status", Enum, "\"Status\""),
        ("ident", Uuid, "uuid"),
        ("raw", Binary, "bytea"),
        ("spot", Unsupported, "point"),
        ("owner_id", Integer, "integer"),
    ];
    let items = Collection {
        name: "items".into(),
        schema: Some("app".into()),
        table: "items".into(),
        key: vec!["id".into()],
        fields: kinds.iter().map(|(n, i, t)| field(n, *i, t)).collect(),
        relations: vec![relation("owner", RelationKind::ManyToOne, "owners")],
    };
    let owners = Collection {
        name: "owners".into(),
        schema: Some("app".into()),
        table: "owners".into(),
        key: vec!["id".into()],
        fields: vec![field("id", Integer, "integer"), field("name", Text, "text")],
        relations: vec![relation("items", RelationKind::OneToMany, "items")],
    };
    HashMap::from([("items".into(), items), ("owners".into(), owners)])
}

fn relation(name: &str, kind: RelationKind, target: &str) -> Relation {
    Relation {
        name: name.into(),
        kind,
        target: target.into(),
        foreign_key: "owner_id".into(),
        target_key: "id".into(),
    }
}

fn hostile_text() -> impl Strategy<Value = String> {
    let payloads = prop::sample::select(vec![
        "' OR '1'='1",
        "\"; DROP TABLE items; --",
        "`) UNION SELECT 1 --",
        "]]; EXEC x --",
        "\\'; --",
        "%_!*?[]",
        "$1 ?:1 @P1",
        "'||chr(39)||'",
        "\u{0}\u{ff}ÿ\u{1F600}",
        "2026-11-23' OR 'x",
        "*/ /*",
        "\n;\r\t",
    ]);
    (payloads, "[ -~]{0,6}").prop_map(|(payload, tail)| format!("{MARK}{payload}{tail}"))
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => hostile_text().prop_map(Value::String),
        1 => any::<i32>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => prop::sample::select(vec!["2026-11-23", "2026-11-23T09:05:00Z", "12.50",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "draft", "09:05", "00ff"])
            .prop_map(Value::from),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        Just(Operand::None),
        value().prop_map(Operand::Value),
        prop::collection::vec(value(), 0..4).prop_map(Operand::List),
        (value(), value()).prop_map(|(a, b)| Operand::Range(a, b)),
    ]
}

fn path() -> impl Strategy<Value = FieldPath> {
    let names: Vec<String> = catalog()["items"]
        .fields
        .iter()
        .map(|f| f.name.clone())
        .collect();
    prop_oneof![
        4 => prop::sample::select(names).prop_map(FieldPath::single),
        1 => prop::sample::select(vec!["owner.name", "owner.id", "owner.items.title"])
            .prop_map(|p| FieldPath(p.split('.').map(String::from).collect())),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    let condition = (
        path(),
        prop::sample::select(Operator::ALL.to_vec()),
        operand(),
    )
        .prop_map(|(path, operator, operand)| {
            Filter::Condition(Condition {
                path,
                operator,
                operand,
            })
        });
    condition.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Filter::And),
            prop::collection::vec(inner, 0..4).prop_map(Filter::Or),
        ]
    })
}

/// Placeholders in `sql` for `dialect`, in order of appearance.
fn placeholders(dialect: Dialect, sql: &str) -> usize {
    match dialect {
        Dialect::Mysql | Dialect::Sqlite => sql.matches('?').count(),
        _ => {
            let sigil = match dialect {
                Dialect::Postgres => "$",
                Dialect::Mssql => "@P",
                _ => ":",
            };
            sql.match_indices(sigil)
                .filter(|(at, _)| {
                    let rest = &sql[at + sigil.len()..];
                    rest.starts_with(|c: char| c.is_ascii_digit())
                })
                .count()
        }
    }
}

fn check_statement(dialect: Dialect, statement: &compile::Statement) -> Result<(), TestCaseError> {
    prop_assert!(
        !statement.sql.contains(MARK),
        "{dialect:?}: a value reached the SQL text: {}",
        statement.sql
    );
    prop_assert_eq!(
        placeholders(dialect, &statement.sql),
        statement.params.len()
    );
    Ok(())
}

/// An insert's parameters, plus Oracle's out bind for the new key: the
/// one placeholder that carries no value, and only in `RETURNING … INTO`.
fn check_insert(dialect: Dialect, plan: &compile::InsertPlan) -> Result<(), TestCaseError> {
    let statement = &plan.statement;
    let returning = format!(" INTO :{}", statement.params.len() + 1);
    match statement.sql.split_once(" RETURNING ") {
        Some((values, into)) if dialect == Dialect::Oracle && plan.key_field.is_some() => {
            prop_assert!(into.ends_with(&returning), "{}", statement.sql);
            let without_key = compile::Statement {
                sql: values.to_owned(),
                params: statement.params.clone(),
            };
            check_statement(dialect, &without_key)
        }
        _ => check_statement(dialect, statement),
    }
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    #[test]
    fn user_values_only_ever_travel_as_parameters(filter in filter(), scope in filter()) {
        let catalog = catalog();
        let items = &catalog["items"];
        let query = ListQuery { filter: Some(filter), ..ListQuery::default() };
        let scope = Scope { filter: &scope, collection: items };
        for dialect in DIALECTS {
            match compile::list(dialect, &catalog, items, &query, Some(scope)) {
                Ok(plan) => {
                    check_statement(dialect, &plan.rows)?;
                    check_statement(dialect, &plan.count.unwrap())?;
                }
                // Refusals are the client's fault, never a crash or a database error.
                Err(error) => prop_assert!(
                    matches!(error, Error::InvalidQuery(_) | Error::InvalidValue { .. }),
                    "{error:?}"
                ),
            }
            if let Ok(statement) = compile::delete(dialect, &catalog, items, &json!(7), Some(scope)) {
                check_statement(dialect, &statement)?;
            }
        }
    }

    #[test]
    fn written_values_only_ever_travel_as_parameters(text in hostile_text(), key in hostile_text()) {
        let catalog = catalog();
        let items = &catalog["items"];
        let values = json!({"title": text, "body": text, "status": "draft"});
        let values = values.as_object().unwrap();
        for dialect in DIALECTS {
            let plan = compile::insert(dialect, &catalog, items, values).unwrap();
            check_insert(dialect, &plan)?;
            let update = compile::update(dialect, &catalog, items, &json!(7), values, None).unwrap();
            check_statement(dialect, &update)?;
            let refused = compile::update(dialect, &catalog, items, &json!(key), values, None);
            prop_assert!(matches!(refused, Err(Error::InvalidValue { .. })), "{refused:?}");
        }
    }
}

/// Filters built from the dataset's own values, so that they select rows.
fn dataset_filter() -> impl Strategy<Value = Value> {
    let text = prop::sample::select(vec![
        "Hello World",
        "hello again",
        "50% off_sale",
        "",
        "axb",
        "a_b c",
        "hello",
        "HELLO",
        "o",
        "%",
        "_",
        "sale",
        "wow!",
        "!",
        "\\",
        "back\\slash",
        "x",
        "Zebra",
        "e",
    ]);
    let pattern = prop::sample::select(vec!["%o%", "h%", "%_%", "a_b%", "%!%", "H%", "%e", "_"]);
    let text_op = prop::sample::select(vec![
        "$eq",
        "$ne",
        "$in",
        "$notIn",
        "$includes",
        "$notIncludes",
        "$startsWith",
        "$notStartsWith",
        "$endWith",
        "$notEndWith",
    ]);
    let like_op = prop::sample::select(vec!["$like", "$notLike", "$iLike", "$notILike"]);
    let number_op = prop::sample::select(vec![
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$notIn",
    ]);
    let date_op = prop::sample::select(vec![
        "$dateOn",
        "$dateNotOn",
        "$dateBefore",
        "$dateAfter",
        "$dateNotBefore",
        "$dateNotAfter",
    ]);
    let day = prop::sample::select(vec!["2025-01-01", "2026-11-22", "2026-11-23", "2026-11-24"]);
    let instant = prop::sample::select(vec![
        "2026-11-23T09:05:00Z",
        "2026-11-23T00:00:00Z",
        "2026-11-22T23:59:59Z",
        "2026-11-24T01:00:00+01:00",
        "2026-11-23T23:30:00.000Z",
    ]);
    let text_field = prop::sample::select(vec!["title", "body", "author.name"]);
    let number_field = prop::sample::select(vec!["views", "price", "author.id", "author_id"]);
    let condition = prop_oneof![
        (text_field.clone(), text_op, text).prop_map(|(f, op, v)| match op {
            "$in" | "$notIn" => json!({f: {op: [v, "live"]}}),
            _ => json!({f: {op: v}}),
        }),
        (text_field.clone(), like_op, pattern).prop_map(|(f, op, p)| json!({f: {op: p}})),
        (
            text_field,
            prop::sample::select(vec!["$empty", "$notEmpty"])
        )
            .prop_map(|(f, op)| json!({f: {op: true}})),
        (number_field.clone(), number_op, -2i64..30).prop_map(|(f, op, v)| match op {
            "$in" | "$notIn" => json!({f: {op: [v, 10, 2]}}),
            _ => json!({f: {op: v}}),
        }),
        (
            number_field,
            prop::sample::select(vec!["$between", "$notBetween"]),
            0i64..10,
            5i64..30
        )
            .prop_map(|(f, op, a, b)| json!({f: {op: [a, b]}})),
        (prop::sample::select(vec!["$isTruly", "$isFalsy", "$empty"]))
            .prop_map(|op| json!({"published": {op: true}})),
        any::<bool>().prop_map(|b| json!({"published": b})),
        (
            prop::sample::select(vec!["published_at", "day"]),
            date_op.clone(),
            day.clone()
        )
            .prop_map(|(f, op, d)| json!({f: {op: d}})),
        (date_op, instant.clone()).prop_map(|(op, t)| json!({"published_at": {op: t}})),
        (day, instant).prop_map(|(d, t)| json!({"published_at": {"$dateBetween": [d, t]}})),
    ];
    condition.prop_recursive(2, 8, 3, |inner| {
        (
            prop::sample::select(vec!["$and", "$or"]),
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(group, items)| json!({group: items}))
    })
}

#[test]
fn local_engines_select_the_same_rows() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let engines = [Engine::Postgres, Engine::Sqlite, Engine::Mariadb];
    let datasets: Vec<Dataset> = runtime.block_on(async {
        let mut loaded = Vec::new();
        for engine in engines {
            loaded.push(Dataset::load(engine).await);
        }
        loaded
    });
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let collection = prop::sample::select(vec!["posts", "posts", "posts", "users"]);
    let result = runner.run(&(collection, dataset_filter()), |(collection, filter)| {
        // Relation paths are written from posts; from users, go through posts.
        let filter = if collection == "users" {
            json!({"posts": filter})
        } else {
            filter
        };
        let parsed = parse_filter(&filter).map_err(|e| TestCaseError::reject(e.message))?;
        let answers = runtime.block_on(async {
            let mut answers = Vec::new();
            for data in &datasets {
                answers.push(data.ids_where(collection, parsed.clone()).await);
            }
            answers
        });
        for (engine, answer) in engines.iter().zip(&answers).skip(1) {
            prop_assert_eq!(
                &answers[0],
                answer,
                "PostgreSQL vs {:?} on {} {}",
                engine,
                collection,
                filter
            );
        }
        Ok(())
    });
    runtime.block_on(async {
        for data in &datasets {
            data.connector.close().await;
        }
    });
    drop(datasets);
    result.unwrap();
}
