//! What every part of the document shares: the answer envelopes, the
//! errors, the record query parameters and how callers authenticate.

use model::query::{MAX_AGGREGATE_ROWS, MAX_PAGE_SIZE};
use serde_json::{Map, Value, json};

use super::schema::Components;

pub const DESCRIPTION: &str = "\
Ferrobase's REST API speaks NocoBase's wire format: `/api/<resource>:<action>`, \
answers `{\"data\": …}` (lists add `meta`), errors `{\"errors\": [{\"message\", \"code\"}]}` \
with a fitting status.\n\n\
**Authentication**: `Authorization: Bearer <API key>` (`fbk_…`) or a session token \
(`fbs_…` from `auth:signIn`); in the browser, the session cookie.\n\n\
**Data sources**: records of an external data source are reached with the header \
`X-Data-Source: <key>` (default `main`). This document describes one data source's \
collections at a time: `?dataSource=<key>`.\n\n\
**Parts**: `?ns=core`, `?ns=collections`, `?ns=collections/<name>`. \
Only the collections and fields your role may see are listed.";

/// The schemas the envelopes refer to.
pub fn schemas() -> Components {
    let mut schemas = Components::new();
    schemas.insert(
        "Errors".into(),
        json!({
            "type": "object",
            "description": "Every error answer.",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["message", "code"],
                        "properties": {
                            "message": {"type": "string", "description": "Safe to show to a person."},
                            "code": {"type": "string", "description": "Stable, for programs: `NOT_FOUND`, `INVALID_INPUT`, …"},
                        },
                    },
                },
            },
        }),
    );
    schemas.insert(
        "ListMeta".into(),
        json!({
            "type": "object",
            "required": ["count", "page", "pageSize", "totalPage"],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": "Items in all pages."},
                "page": {"type": "integer", "minimum": 1},
                "pageSize": {"type": "integer", "minimum": 1},
                "totalPage": {"type": "integer", "minimum": 0},
            },
        }),
    );
    schemas.insert(
        "SimpleListMeta".into(),
        json!({
            "type": "object",
            "description": "With `simplePaginate=true`: no count, only whether another page follows.",
            "required": ["page", "pageSize", "hasNext"],
            "properties": {
                "page": {"type": "integer", "minimum": 1},
                "pageSize": {"type": "integer", "minimum": 1},
                "hasNext": {"type": "boolean"},
            },
        }),
    );
    schemas.insert("AggregateQuery".into(), aggregate_query());
    schemas
}

/// The body of `<collection>:query` (`model::query::AggregateQuery`).
fn aggregate_query() -> Value {
    let field = json!({"anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 1},
    ], "description": "A field of the collection: `\"price\"` or `[\"price\"]`."});
    let alias = json!({"type": "string", "pattern": "^[\\w ]{1,64}$",
        "description": "The column name in the answer (default: `<aggregation>_<field>`, or the field)."});
    json!({
        "type": "object",
        "description": "At least one measure or dimension.",
        "additionalProperties": false,
        "properties": {
            "measures": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["aggregation"],
                "properties": {
                    "field": field,
                    "aggregation": {"enum": ["count", "sum", "avg", "min", "max"]},
                    "alias": alias,
                    "distinct": {"type": "boolean"},
                },
            }},
            "dimensions": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["field"],
                "properties": {"field": field, "alias": alias},
            }},
            "filter": {"type": "object", "description": "As the `filter` parameter of `list`."},
            "orders": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "field": field,
                    "alias": alias,
                    "order": {"enum": ["asc", "desc", "ASC", "DESC"]},
                },
            }},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_AGGREGATE_ROWS},
        },
    })
}

/// `{"data": <data>}`
pub fn data(data: Value) -> Value {
    json!({"type": "object", "required": ["data"], "properties": {"data": data}})
}

/// A 200 answer of JSON `schema`.
pub fn ok(schema: Value) -> Value {
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

/// The error answers, by status, as `#/components/responses/<name>`.
const ERRORS: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "The parameters or the body are not valid.",
    ),
    (
        401,
        "Unauthorized",
        "Not signed in, or the key or session is not valid.",
    ),
    (403, "Forbidden", "The role may not do this."),
    (
        404,
        "NotFound",
        "No such resource, action or record (or the role may not see it).",
    ),
    (
        409,
        "Conflict",
        "The change clashes with existing data (a duplicate, a reference).",
    ),
    (
        413,
        "PayloadTooLarge",
        "The request body is over the size limit.",
    ),
    (
        429,
        "TooManyRequests",
        "Too many failed attempts; see `Retry-After`.",
    ),
    (
        502,
        "BadGateway",
        "The data source's database failed or cannot be reached.",
    ),
    (
        504,
        "GatewayTimeout",
        "The data source's database did not answer in time.",
    ),
];

pub fn responses() -> Value {
    ERRORS
        .iter()
        .map(|(_, name, description)| {
            let response = json!({
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
            });
            ((*name).to_owned(), response)
        })
        .collect::<Map<String, Value>>()
        .into()
}

/// Adds `statuses` to an operation's `responses`.
pub fn add_errors(responses: &mut Map<String, Value>, statuses: &[u16]) {
    for status in statuses {
        if let Some((_, name, _)) = ERRORS.iter().find(|(s, _, _)| s == status) {
            responses.insert(
                status.to_string(),
                json!({"$ref": format!("#/components/responses/{name}")}),
            );
        }
    }
}

/// The record query parameters, as `#/components/parameters/<name>`.
pub fn parameters() -> Value {
    let text = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
            "schema": {"type": "string"}})
    };
    let flag = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "description": description,
            "schema": {"type": "boolean"}})
    };
    json!({
        "filter": {
            "name": "filter",
            "in": "query",
            "required": false,
            "description": "Which records, as NocoBase filter JSON: `{\"field\": value}` or \
                `{\"field\": {\"$op\": value}}`, combined with `$and` / `$or`; relations by dotted path, \
                e.g. `{\"$and\": [{\"name\": {\"$includes\": \"a\"}}, {\"id\": {\"$gt\": 1}}]}`. \
                Operators: `$eq $ne $in $notIn $empty $notEmpty $gt $gte $lt $lte $between \
                $includes $notIncludes $startsWith $endWith $like $dateOn $dateBefore $dateAfter \
                $isTruly $isFalsy` and more. An unknown field or operator is a 400.",
            // No `example`: Swagger UI would send it as the default filter.
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "sort": text("sort", "Sort keys, comma-separated; `-` for descending: `-createdAt,name`. \
            Records whose sort field is null come last in either direction, as in NocoBase."),
        "fields": {"name": "fields", "in": "query", "required": false,
            "description": "Only these fields, comma-separated.",
            "schema": {"type": "string", "minLength": 1}},
        "except": text("except", "All fields but these, comma-separated."),
        "appends": text("appends", "Relations to include with each record, comma-separated (dotted paths reach further)."),
        "page": {"name": "page", "in": "query", "required": false, "description": "The page, from 1.",
            "schema": {"type": "integer", "minimum": 1, "default": 1}},
        "pageSize": {"name": "pageSize", "in": "query", "required": false,
            "description": format!("Records per page. A larger size is served as {MAX_PAGE_SIZE} records, \
                and `meta.pageSize` reports the size applied (NocoBase has no cap; its clients page by `meta.totalPage`)."),
            "schema": {"type": "integer", "minimum": 1, "default": 20}},
        "paginate": flag("paginate", "`false`: every record at once, without `meta`."),
        "simplePaginate": flag("simplePaginate", "`true`: no count; `meta.hasNext` tells whether another page follows."),
    })
}

pub fn security_schemes() -> Value {
    json!({
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`fbk_…`) or a session token (`fbs_…`, from `auth:signIn`).",
        },
        "sessionCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": crate::edge::cookie::SESSION_COOKIE,
            "description": "The browser's session (named `__Host-fb_session` when Ferrobase is served over https); the explorer at `/api-docs` sends it by itself.",
        },
    })
}

/// The security requirement of operations that need a caller.
pub fn signed_in() -> Value {
    json!([{"bearerAuth": []}, {"sessionCookie": []}])
}

/// Operations anyone may call (with or without credentials).
pub fn anyone() -> Value {
    json!([{}, {"bearerAuth": []}, {"sessionCookie": []}])
}
