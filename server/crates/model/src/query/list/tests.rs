use serde_json::json;

use super::*;
use crate::query::{Condition, Operand, Operator};

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

fn query(pairs: &[(&str, &str)]) -> ListQuery {
    ListQuery::from_params(&params(pairs)).unwrap()
}

fn refused(pairs: &[(&str, &str)]) -> QueryError {
    ListQuery::from_params(&params(pairs)).unwrap_err()
}

fn path(dotted: &str) -> FieldPath {
    FieldPath(dotted.split('.').map(str::to_owned).collect())
}

#[test]
fn no_parameters_is_the_default() {
    let query = query(&[]);
    assert_eq!(query, ListQuery::default());
    assert_eq!(query.filter, None);
    assert_eq!(query.fields, None);
    assert_eq!(
        query.paging,
        Paging::Counted {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE
        }
    );
}

#[test]
fn a_full_nocobase_request() {
    let query = query(&[
        ("filter", r#"{"title":{"$includes":"x"}}"#),
        ("sort[]", "-createdAt"),
        ("sort[]", "title"),
        ("fields[]", "id"),
        ("fields[]", "title,author.name"),
        ("except", "body"),
        ("appends[]", "author"),
        ("appends[]", "tags,author.profile"),
        ("page", "3"),
        ("pageSize", "50"),
        ("filterByTk", "7"),
        ("token", "ignored"),
    ]);
    assert_eq!(
        query.filter,
        Some(Filter::Condition(Condition {
            path: path("title"),
            operator: Operator::Includes,
            operand: Operand::Value(json!("x")),
        }))
    );
    assert_eq!(
        query.sort,
        vec![
            SortKey {
                path: path("createdAt"),
                descending: true
            },
            SortKey {
                path: path("title"),
                descending: false
            },
        ]
    );
    assert_eq!(
        query.fields,
        Some(vec![path("id"), path("title"), path("author.name")])
    );
    assert_eq!(query.except, vec![path("body")]);
    assert_eq!(
        query.appends,
        vec![path("author"), path("tags"), path("author.profile")]
    );
    assert_eq!(
        query.paging,
        Paging::Counted {
            page: 3,
            page_size: 50
        }
    );
}

#[test]
fn sort_as_one_comma_string() {
    let sort = query(&[("sort", "-a, b")]).sort;
    assert_eq!(sort.len(), 2);
    assert!(sort[0].descending && !sort[1].descending);
}

#[test]
fn empty_list_parameters_are_ignored() {
    let query = query(&[
        ("fields", ""),
        ("except", ","),
        ("sort", ""),
        ("filter", ""),
    ]);
    assert_eq!(query.fields, Some(vec![]));
    assert!(query.except.is_empty() && query.sort.is_empty() && query.filter.is_none());
}

#[test]
fn paging_modes() {
    assert_eq!(
        query(&[("paginate", "false"), ("page", "2")]).paging,
        Paging::All
    );
    assert_eq!(
        query(&[("paginate", "false"), ("simplePaginate", "true")]).paging,
        Paging::All
    );
    assert_eq!(
        query(&[
            ("simplePaginate", "true"),
            ("page", "2"),
            ("pageSize", "10")
        ])
        .paging,
        Paging::Simple {
            page: 2,
            page_size: 10
        }
    );
    assert_eq!(
        query(&[("paginate", "true"), ("simplePaginate", "false")]).paging,
        Paging::default()
    );
    // Above the cap, the cap, as NocoBase clients expect an answer.
    for size in [
        MAX_PAGE_SIZE.to_string(),
        "1001".into(),
        "99999999999999999999".into(),
    ] {
        assert_eq!(
            query(&[("pageSize", &size)]).paging,
            Paging::Counted {
                page: 1,
                page_size: MAX_PAGE_SIZE
            },
            "{size}"
        );
    }
}

#[test]
fn bad_pages_are_refused() {
    for bad in ["0", "-1", "x", "", "1.5", "+2", "00"] {
        let error = refused(&[("page", bad)]);
        assert_eq!(error.parameter, "page", "{bad}");
        assert_eq!(error.message, "`page` must be a whole number from 1");
    }
}

#[test]
fn bad_page_sizes_are_refused() {
    for bad in ["0", "x", "", "-5", "2.5"] {
        let error = refused(&[("pageSize", bad)]);
        assert_eq!(error.parameter, "pageSize", "{bad}");
        assert_eq!(error.message, "`pageSize` must be a whole number from 1");
    }
}

#[test]
fn bad_filters_are_refused_as_filter() {
    let error = refused(&[("filter", "{")]);
    assert_eq!(error.parameter, "filter");
    assert!(
        error.message.starts_with("filter is not valid JSON"),
        "{}",
        error.message
    );
    let error = refused(&[("filter", r#"{"title":{"$foo":1}}"#)]);
    assert_eq!(error.parameter, "filter");
    assert_eq!(error.message, "unknown filter operator `$foo` on `title`");
    assert_eq!(
        error.to_string(),
        "invalid `filter` parameter: unknown filter operator `$foo` on `title`"
    );
}

#[test]
fn other_refusals_name_their_parameter() {
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[("sort", "--a")], "sort"),
        (&[("fields", "a..b")], "fields"),
        (&[("except[]", ".a")], "except"),
        (&[("appends", "a.")], "appends"),
        (&[("paginate", "no")], "paginate"),
        (&[("simplePaginate", "1")], "simplePaginate"),
        (&[("page", "1"), ("page", "2")], "page"),
    ];
    for (pairs, parameter) in cases {
        assert_eq!(refused(pairs).parameter, parameter, "{pairs:?}");
    }
    assert_eq!(
        refused(&[("filter", "{}"), ("filter", "{}")]).message,
        "`filter` may be given only once"
    );
}
