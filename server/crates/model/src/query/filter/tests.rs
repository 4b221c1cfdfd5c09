use serde_json::{Value, json};

use super::*;

fn parse(value: Value) -> Option<Filter> {
    parse_filter(&value).unwrap()
}

fn refused(value: Value) -> String {
    parse_filter(&value).unwrap_err().message
}

fn path(dotted: &str) -> FieldPath {
    FieldPath(dotted.split('.').map(str::to_owned).collect())
}

fn cond(dotted: &str, operator: Operator, operand: Operand) -> Filter {
    Filter::Condition(Condition {
        path: path(dotted),
        operator,
        operand,
    })
}

fn value(v: Value) -> Operand {
    Operand::Value(v)
}

fn list(items: Value) -> Operand {
    match items {
        Value::Array(items) => Operand::List(items),
        other => panic!("not a list: {other}"),
    }
}

#[test]
fn operator_tokens_round_trip() {
    for operator in Operator::ALL {
        assert_eq!(Operator::parse(operator.as_str()), Some(operator));
        assert_eq!(operator.to_string(), operator.as_str());
    }
    let mut tokens: Vec<_> = Operator::ALL.iter().map(|op| op.as_str()).collect();
    tokens.sort_unstable();
    tokens.dedup();
    assert_eq!(tokens.len(), Operator::ALL.len());
    for unknown in ["eq", "$EQ", "$and", "$or", "$ilike", "$dateNotBefore", ""] {
        assert_eq!(Operator::parse(unknown), None, "{unknown}");
    }
}

#[test]
fn empty_filters_are_no_filter() {
    assert_eq!(parse(json!({})), None);
    assert_eq!(parse(Value::Null), None);
    assert_eq!(parse(json!({"$and": []})), None);
    assert_eq!(parse(json!({"$and": [{}, {"$or": []}]})), None);
    assert_eq!(parse_filter_text("").unwrap(), None);
    assert_eq!(parse_filter_text("  {} ").unwrap(), None);
    assert_eq!(parse_filter_text("null").unwrap(), None);
}

#[test]
fn top_level_must_be_an_object() {
    for bad in [json!([]), json!("title"), json!(3), json!(true)] {
        assert_eq!(refused(bad), "filter must be a JSON object");
    }
}

#[test]
fn malformed_json_text_is_refused() {
    let message = parse_filter_text("{\"title\":").unwrap_err().message;
    assert!(
        message.starts_with("filter is not valid JSON: "),
        "{message}"
    );
}

#[test]
fn scalar_shorthand_is_eq_and_array_shorthand_is_in() {
    assert_eq!(
        parse(json!({"title": "x"})),
        Some(cond("title", Operator::Eq, value(json!("x"))))
    );
    assert_eq!(
        parse(json!({"deletedAt": null})),
        Some(cond("deletedAt", Operator::Eq, value(Value::Null)))
    );
    assert_eq!(
        parse(json!({"status": ["a", 2, true]})),
        Some(cond("status", Operator::In, list(json!(["a", 2, true]))))
    );
    assert_eq!(
        parse(json!({"status": []})),
        Some(cond("status", Operator::In, list(json!([]))))
    );
}

#[test]
fn keys_of_one_object_are_anded_in_sorted_order() {
    assert_eq!(
        parse(json!({"title": "x", "age": {"$gt": 3, "$lt": 9}})),
        Some(Filter::And(vec![
            cond("age", Operator::Gt, value(json!(3))),
            cond("age", Operator::Lt, value(json!(9))),
            cond("title", Operator::Eq, value(json!("x"))),
        ]))
    );
}

#[test]
fn and_or_nest_and_single_items_are_lifted() {
    let filter = json!({"$and": [
        {"title": {"$includes": "x"}},
        {"$or": [{"author.name": {"$eq": "a"}}, {"author.name": "b"}]},
    ]});
    assert_eq!(
        parse(filter),
        Some(Filter::And(vec![
            cond("title", Operator::Includes, value(json!("x"))),
            Filter::Or(vec![
                cond("author.name", Operator::Eq, value(json!("a"))),
                cond("author.name", Operator::Eq, value(json!("b"))),
            ]),
        ]))
    );
    assert_eq!(
        parse(json!({"$or": [{"a": 1}, {}]})),
        Some(cond("a", Operator::Eq, value(json!(1))))
    );
    // Nested groups of the same kind are spliced into their parent.
    assert_eq!(
        parse(json!({"$or": [{"$or": [{"a": 1}, {"b": 2}]}, {"c": 3}]})),
        Some(Filter::Or(vec![
            cond("a", Operator::Eq, value(json!(1))),
            cond("b", Operator::Eq, value(json!(2))),
            cond("c", Operator::Eq, value(json!(3))),
        ]))
    );
    // An object with several keys inside `$or` is one AND.
    assert_eq!(
        parse(json!({"$or": [{"a": 1, "b": 2}, {"c": 3}]})),
        Some(Filter::Or(vec![
            Filter::And(vec![
                cond("a", Operator::Eq, value(json!(1))),
                cond("b", Operator::Eq, value(json!(2))),
            ]),
            cond("c", Operator::Eq, value(json!(3))),
        ]))
    );
}

#[test]
fn dot_paths_nesting_and_operator_keys_agree() {
    let expected = Some(cond("author.name", Operator::Ne, value(json!("a"))));
    for spelling in [
        json!({"author.name": {"$ne": "a"}}),
        json!({"author": {"name": {"$ne": "a"}}}),
        json!({"author.name.$ne": "a"}),
        json!({"author": {"name.$ne": "a"}}),
        json!({"author": {"name": {"$and": [{"$ne": "a"}]}}}),
    ] {
        assert_eq!(parse(spelling.clone()), expected, "{spelling}");
    }
    assert_eq!(
        parse(json!({"author": {"name": "a"}})),
        Some(cond("author.name", Operator::Eq, value(json!("a"))))
    );
    assert_eq!(
        parse(json!({"a.b": {"c": {"d.$gt": 1}}})),
        Some(cond("a.b.c.d", Operator::Gt, value(json!(1))))
    );
}

#[test]
fn groups_inside_a_field_apply_to_that_field() {
    assert_eq!(
        parse(json!({"age": {"$or": [{"$lt": 3}, {"$gt": 9}]}})),
        Some(Filter::Or(vec![
            cond("age", Operator::Lt, value(json!(3))),
            cond("age", Operator::Gt, value(json!(9))),
        ]))
    );
    assert_eq!(
        parse(json!({"author": {"$or": [{"name": "a"}, {"email.$includes": "@x"}]}})),
        Some(Filter::Or(vec![
            cond("author.name", Operator::Eq, value(json!("a"))),
            cond("author.email", Operator::Includes, value(json!("@x"))),
        ]))
    );
    assert_eq!(
        parse(json!({"author.$or": [{"name": "a"}, {"name": "b"}]})),
        Some(Filter::Or(vec![
            cond("author.name", Operator::Eq, value(json!("a"))),
            cond("author.name", Operator::Eq, value(json!("b"))),
        ]))
    );
}

#[test]
fn eq_and_ne_take_scalars_and_arrays_become_in_lists() {
    for operand in [json!("x"), json!(1.5), json!(false), Value::Null] {
        assert_eq!(
            parse(json!({"f": {"$eq": operand}})),
            Some(cond("f", Operator::Eq, value(operand.clone())))
        );
        assert_eq!(
            parse(json!({"f": {"$ne": operand}})),
            Some(cond("f", Operator::Ne, value(operand.clone())))
        );
    }
    assert_eq!(
        parse(json!({"f": {"$eq": ["a", "b"]}})),
        Some(cond("f", Operator::In, list(json!(["a", "b"]))))
    );
    assert_eq!(
        parse(json!({"f": {"$ne": ["a"]}})),
        Some(cond("f", Operator::NotIn, list(json!(["a"]))))
    );
    assert_eq!(
        refused(json!({"meta": {"$eq": {"a": 1}}})),
        "`$eq` on `meta` takes a string, number, boolean or null"
    );
}

#[test]
fn in_and_not_in_take_lists_of_non_null_scalars() {
    assert_eq!(
        parse(json!({"f": {"$in": [1, 2]}})),
        Some(cond("f", Operator::In, list(json!([1, 2]))))
    );
    assert_eq!(
        parse(json!({"f": {"$in": 1}})),
        Some(cond("f", Operator::In, list(json!([1]))))
    );
    assert_eq!(
        parse(json!({"f": {"$in": null}})),
        Some(cond("f", Operator::In, list(json!([]))))
    );
    assert_eq!(
        parse(json!({"f": {"$notIn": ["a"]}})),
        Some(cond("f", Operator::NotIn, list(json!(["a"]))))
    );
    assert_eq!(
        parse(json!({"f": {"$notIn": "a"}})),
        Some(cond("f", Operator::NotIn, list(json!(["a"]))))
    );
    assert_eq!(
        refused(json!({"f": {"$in": [1, null]}})),
        "`$in` on `f` cannot list null (use `$empty` or `$notEmpty`)"
    );
    assert_eq!(
        refused(json!({"f": {"$notIn": [[1]]}})),
        "`$notIn` on `f` takes a list of strings, numbers or booleans"
    );
    assert_eq!(
        refused(json!({"f": {"$in": {"a": 1}}})),
        "`$in` on `f` takes a list of values"
    );
    assert_eq!(
        refused(json!({"f": [1, {"a": 1}]})),
        "`$in` on `f` takes a list of strings, numbers or booleans"
    );
}

#[test]
fn comparisons_take_non_null_scalars() {
    for (token, operator) in [
        ("$gt", Operator::Gt),
        ("$gte", Operator::Gte),
        ("$lt", Operator::Lt),
        ("$lte", Operator::Lte),
    ] {
        assert_eq!(
            parse(json!({"n": {token: 5}})),
            Some(cond("n", operator, value(json!(5))))
        );
        assert_eq!(
            parse(json!({"n": {token: "b"}})),
            Some(cond("n", operator, value(json!("b"))))
        );
        for bad in [Value::Null, json!([1]), json!({})] {
            assert_eq!(
                refused(json!({"n": {token: bad}})),
                format!("`{token}` on `n` takes a string, number or boolean")
            );
        }
    }
}

#[test]
fn between_takes_exactly_two_values() {
    assert_eq!(
        parse(json!({"n": {"$between": [1, 9]}})),
        Some(cond(
            "n",
            Operator::Between,
            Operand::Range(json!(1), json!(9))
        ))
    );
    assert_eq!(
        parse(json!({"n": {"$notBetween": ["a", "m"]}})),
        Some(cond(
            "n",
            Operator::NotBetween,
            Operand::Range(json!("a"), json!("m"))
        ))
    );
    for bad in [json!([1]), json!([1, 2, 3]), json!(1), json!({"a": 1})] {
        assert_eq!(
            refused(json!({"n": {"$between": bad}})),
            "`$between` on `n` takes [low, high]"
        );
    }
    assert_eq!(
        refused(json!({"n": {"$notBetween": [1, null]}})),
        "`$notBetween` on `n` cannot list null (use `$empty` or `$notEmpty`)"
    );
}

#[test]
fn empty_operators_ignore_their_operand_but_refuse_false() {
    for operand in [json!(true), Value::Null, json!("true"), json!(1)] {
        assert_eq!(
            parse(json!({"f": {"$empty": operand}})),
            Some(cond("f", Operator::Empty, Operand::None))
        );
        assert_eq!(
            parse(json!({"f": {"$notEmpty": operand}})),
            Some(cond("f", Operator::NotEmpty, Operand::None))
        );
    }
    assert_eq!(
        refused(json!({"f": {"$empty": false}})),
        "`$empty` on `f` takes true"
    );
    assert_eq!(
        refused(json!({"f": {"$notEmpty": "false"}})),
        "`$notEmpty` on `f` takes true"
    );
}

#[test]
fn truthiness_operators_read_their_operand_like_nocobase() {
    for (filter, expected) in [
        (json!({"b": {"$isTruly": true}}), Operator::IsTruly),
        (json!({"b": {"$isTruly": "true"}}), Operator::IsTruly),
        (json!({"b": {"$isTruly": false}}), Operator::IsFalsy),
        (json!({"b": {"$isFalsy": true}}), Operator::IsFalsy),
        (json!({"b": {"$isFalsy": "false"}}), Operator::IsTruly),
    ] {
        assert_eq!(
            parse(filter.clone()),
            Some(cond("b", expected, Operand::None)),
            "{filter}"
        );
    }
    assert_eq!(
        refused(json!({"b": {"$isTruly": 1}})),
        "`$isTruly` on `b` takes true or false"
    );
    assert_eq!(
        refused(json!({"b": {"$isFalsy": null}})),
        "`$isFalsy` on `b` takes true or false"
    );
}

#[test]
fn substring_operators_take_strings_or_any_of_lists() {
    let family = [
        ("$includes", Operator::Includes),
        ("$notIncludes", Operator::NotIncludes),
        ("$startsWith", Operator::StartsWith),
        ("$notStartsWith", Operator::NotStartsWith),
        ("$endWith", Operator::EndWith),
        ("$notEndWith", Operator::NotEndWith),
    ];
    for (token, operator) in family {
        assert_eq!(
            parse(json!({"t": {token: "50%_off"}})),
            Some(cond("t", operator, value(json!("50%_off"))))
        );
        // Numbers and booleans are searched for as written.
        assert_eq!(
            parse(json!({"t": {token: 42}})),
            Some(cond("t", operator, value(json!("42"))))
        );
        assert_eq!(
            parse(json!({"t": {token: ["a", 1.5, false]}})),
            Some(cond("t", operator, list(json!(["a", "1.5", "false"]))))
        );
        for bad in [json!([]), json!({}), json!(["a", null]), json!([["a"]])] {
            let message = refused(json!({"t": {token: bad}}));
            assert!(
                message.starts_with(&format!("`{token}` on `t` takes")),
                "{message}"
            );
        }
    }
    assert_eq!(
        parse(json!({"t": {"$includes": null}})),
        Some(cond("t", Operator::Includes, value(Value::Null)))
    );
    assert_eq!(
        parse(json!({"t": {"$notIncludes": null}})),
        Some(cond("t", Operator::NotIncludes, value(Value::Null)))
    );
    assert_eq!(
        refused(json!({"t": {"$startsWith": null}})),
        "`$startsWith` on `t` takes a string or a non-empty list of strings"
    );
}

#[test]
fn like_operators_take_a_raw_pattern() {
    for (token, operator) in [
        ("$like", Operator::Like),
        ("$notLike", Operator::NotLike),
        ("$iLike", Operator::ILike),
        ("$notILike", Operator::NotILike),
    ] {
        assert_eq!(
            parse(json!({"t": {token: "a%b_"}})),
            Some(cond("t", operator, value(json!("a%b_"))))
        );
        for bad in [json!(1), Value::Null, json!(["a"])] {
            assert_eq!(
                refused(json!({"t": {token: bad}})),
                format!("`{token}` on `t` takes a pattern string")
            );
        }
    }
}

#[test]
fn date_operators_take_days_or_instants() {
    for (token, operator) in [
        ("$dateOn", Operator::DateOn),
        ("$dateNotOn", Operator::DateNotOn),
        ("$dateBefore", Operator::DateBefore),
        ("$dateAfter", Operator::DateAfter),
    ] {
        for date in [
            "2026-11-23",
            "2026-11-23T09:05:00Z",
            "2026-11-23 09:05:00.5+08:00",
        ] {
            assert_eq!(
                parse(json!({"at": {token: date}})),
                Some(cond("at", operator, value(json!(date))))
            );
        }
        for bad in [
            json!("2026-02-30"),
            json!("2026-11-23T09:05:00"),
            json!("yesterday"),
            json!(20261123),
            Value::Null,
            json!(["2026-01-01", "2026-01-02"]),
        ] {
            assert_eq!(
                refused(json!({"at": {token: bad}})),
                format!(
                    "`{token}` on `at` takes a date (YYYY-MM-DD) or an RFC 3339 date-time with offset"
                )
            );
        }
        assert_eq!(
            refused(json!({"at": {token: {"type": "today"}}})),
            format!(
                "`{token}` on `at` uses a relative date range; relative date ranges are not supported"
            )
        );
    }
}

#[test]
fn date_between_takes_two_dates() {
    assert_eq!(
        parse(json!({"at": {"$dateBetween": ["2026-01-01", "2026-01-31T12:00:00Z"]}})),
        Some(cond(
            "at",
            Operator::DateBetween,
            Operand::Range(json!("2026-01-01"), json!("2026-01-31T12:00:00Z"))
        ))
    );
    for bad in [
        json!(["2026-01-01"]),
        json!(["2026-01-01", "2026-01-02", "[]"]),
        json!("[2026-01-01,2026-01-31]"),
    ] {
        assert_eq!(
            refused(json!({"at": {"$dateBetween": bad}})),
            "`$dateBetween` on `at` takes [start, end] dates"
        );
    }
    assert_eq!(
        refused(json!({"at": {"$dateBetween": ["2026-01-01", "soon"]}})),
        "`$dateBetween` on `at` takes a date (YYYY-MM-DD) or an RFC 3339 date-time with offset"
    );
    assert_eq!(
        refused(json!({"at": {"$dateBetween": {"type": "past", "number": 1, "unit": "day"}}})),
        "`$dateBetween` on `at` uses a relative date range; relative date ranges are not supported"
    );
}

#[test]
fn on_or_before_and_on_or_after_become_unions() {
    assert_eq!(
        parse(json!({"at": {"$dateNotBefore": "2026-01-01"}})),
        Some(Filter::Or(vec![
            cond("at", Operator::DateOn, value(json!("2026-01-01"))),
            cond("at", Operator::DateAfter, value(json!("2026-01-01"))),
        ]))
    );
    assert_eq!(
        parse(json!({"at.$dateNotAfter": "2026-01-01T00:00:00Z"})),
        Some(Filter::Or(vec![
            cond(
                "at",
                Operator::DateBefore,
                value(json!("2026-01-01T00:00:00Z"))
            ),
            cond("at", Operator::DateOn, value(json!("2026-01-01T00:00:00Z"))),
        ]))
    );
    assert_eq!(
        refused(json!({"at": {"$dateNotAfter": {"type": "today"}}})),
        "`$dateNotAfter` on `at` uses a relative date range; relative date ranges are not supported"
    );
}

#[test]
fn unknown_and_unsupported_operators_are_named() {
    assert_eq!(
        refused(json!({"title": {"$foo": 1}})),
        "unknown filter operator `$foo` on `title`"
    );
    assert_eq!(
        refused(json!({"author.name.$foo": 1})),
        "unknown filter operator `$foo` on `author.name`"
    );
    assert_eq!(
        refused(json!({"title": {"$regexp": "^a"}})),
        "filter operator `$regexp` on `title` is not supported"
    );
    assert_eq!(
        refused(json!({"tags": {"$anyOf": ["a"]}})),
        "filter operator `$anyOf` on `tags` is not supported"
    );
    assert_eq!(
        refused(json!({"$foo": 1})),
        "unknown filter operator `$foo`"
    );
}

#[test]
fn operators_need_a_field() {
    assert_eq!(
        refused(json!({"$eq": 1})),
        "filter operator `$eq` needs a field, as in {\"title\": {\"$eq\": …}}"
    );
    assert_eq!(
        refused(json!({"$and": [{"$gt": 1}]})),
        "filter operator `$gt` needs a field, as in {\"title\": {\"$gt\": …}}"
    );
}

#[test]
fn malformed_keys_are_refused() {
    assert_eq!(
        refused(json!({"author..name": 1})),
        "filter key `author..name` has an empty field name"
    );
    assert_eq!(
        refused(json!({"": 1})),
        "filter key `` has an empty field name"
    );
    assert_eq!(
        refused(json!({".a": 1})),
        "filter key `.a` has an empty field name"
    );
    assert_eq!(
        refused(json!({"a.": 1})),
        "filter key `a.` has an empty field name"
    );
    assert_eq!(
        refused(json!({"a.$ne.b": 1})),
        "operator `$ne` must come last in filter key `a.$ne.b`"
    );
    assert_eq!(
        refused(json!({"author": {"$name": 1}})),
        "unknown filter operator `$name` on `author`"
    );
    assert_eq!(
        refused(json!({"title": {}})),
        "filter on `title` has no operator"
    );
}

#[test]
fn groups_take_arrays_of_objects() {
    assert_eq!(
        refused(json!({"$and": {"a": 1}})),
        "`$and` takes an array of filter objects"
    );
    assert_eq!(
        refused(json!({"$or": [{"a": 1}, "b"]})),
        "`$or` takes an array of filter objects"
    );
    assert_eq!(
        refused(json!({"age": {"$or": [3]}})),
        "`$or` takes an array of filter objects"
    );
}

fn nested(levels: usize) -> Value {
    let mut filter = json!({"a": 1});
    for _ in 1..levels {
        filter = json!({"$and": [filter]});
    }
    filter
}

#[test]
fn depth_is_capped() {
    assert_eq!(
        parse(nested(MAX_FILTER_DEPTH)),
        Some(cond("a", Operator::Eq, value(json!(1))))
    );
    assert_eq!(
        refused(nested(MAX_FILTER_DEPTH + 1)),
        format!("filter is nested more than {MAX_FILTER_DEPTH} levels deep")
    );
    // Nested field objects count too.
    let mut deep = json!({"$eq": 1});
    for _ in 0..MAX_FILTER_DEPTH {
        deep = json!({"a": deep});
    }
    assert_eq!(
        refused(deep),
        format!("filter is nested more than {MAX_FILTER_DEPTH} levels deep")
    );
}

#[test]
fn conditions_are_capped() {
    let at_cap: Vec<Value> = (0..MAX_FILTER_CONDITIONS)
        .map(|i| json!({"n": i}))
        .collect();
    match parse(json!({"$or": at_cap})) {
        Some(Filter::Or(parts)) => assert_eq!(parts.len(), MAX_FILTER_CONDITIONS),
        other => panic!("{other:?}"),
    }
    let over: Vec<Value> = (0..=MAX_FILTER_CONDITIONS)
        .map(|i| json!({"n": i}))
        .collect();
    assert_eq!(
        refused(json!({"$or": over})),
        format!("filter has more than {MAX_FILTER_CONDITIONS} conditions")
    );
}

#[test]
fn a_realistic_nocobase_filter() {
    let text = r#"{"$and":[{"title":{"$includes":"rust"}},{"author.name":{"$eq":"ada"}},
        {"$or":[{"status":["draft","review"]},{"publishedAt":{"$dateBefore":"2026-01-01"}}]},
        {"archived":{"$isFalsy":true}},{"tags":{"$and":[]}}]}"#;
    // `tags` holds only an empty group: no condition, as in NocoBase.
    assert_eq!(
        parse_filter_text(text).unwrap(),
        Some(Filter::And(vec![
            cond("title", Operator::Includes, value(json!("rust"))),
            cond("author.name", Operator::Eq, value(json!("ada"))),
            Filter::Or(vec![
                cond("status", Operator::In, list(json!(["draft", "review"]))),
                cond(
                    "publishedAt",
                    Operator::DateBefore,
                    value(json!("2026-01-01"))
                ),
            ]),
            cond("archived", Operator::IsFalsy, Operand::None),
        ]))
    );
}

#[test]
fn errors_display_their_message() {
    let error = parse_filter(&json!({"title": {"$foo": 1}})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown filter operator `$foo` on `title`"
    );
    let _: &dyn std::error::Error = &error;
}
