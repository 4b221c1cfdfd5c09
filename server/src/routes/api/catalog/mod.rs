//! The REST API's table of contents: every `<resource>:<action>` that
//! `dispatch` answers, with the methods, parameters, body and answer it
//! documents. The OpenAPI document (`crate::openapi`) is written from these
//! tables and nothing else.
//!
//! A route cannot exist without its spec: `dispatch` asks [`admit`] before
//! any handler runs, and `admit` only lets through what these tables list
//! (unknown action: 404, undocumented method: 405). An arm added to a
//! handler without an entry here is unreachable, so its own tests fail; an
//! entry without a handler arm fails `tests/openapi.rs`
//! (`every_catalogued_operation_reaches_its_handler`), which calls every
//! listed operation and refuses dispatch's "no such API resource". The
//! collection actions are listed once ([`records::OPERATIONS`]) and
//! documented per collection at request time.

mod data;
mod identity;
pub mod records;

pub use data::DOCUMENT_QUERY;

use axum::http::header::ALLOW;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use model::identity::SystemPermission;

use super::Answer;
use crate::openapi::schema::SchemaFn;

/// The HTTP methods the API uses, const-friendly (unlike `http::Method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    pub fn of(method: &Method) -> Option<Verb> {
        Some(match *method {
            Method::GET => Verb::Get,
            Method::POST => Verb::Post,
            Method::PUT => Verb::Put,
            Method::PATCH => Verb::Patch,
            Method::DELETE => Verb::Delete,
            _ => return None,
        })
    }

    /// The key of an OpenAPI path item.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Put => "put",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
        }
    }
}

/// Reads: `GET`. Writes: `POST`, which NocoBase clients send, plus the
/// REST verbs the handlers accept too. The first verb is the one shown as
/// the operation; the others are documented as aliases.
pub const GET: &[Verb] = &[Verb::Get];
pub const POST: &[Verb] = &[Verb::Post];
pub const WRITE: &[Verb] = &[Verb::Post, Verb::Put, Verb::Patch];
pub const REMOVE: &[Verb] = &[Verb::Post, Verb::Delete];

/// One resource: `users`, or `collections/{collectionName}/fields` where a
/// `{…}` segment is a path parameter.
pub struct Resource {
    pub path: &'static str,
    pub description: &'static str,
    pub operations: &'static [Operation],
}

pub struct Operation {
    pub action: &'static str,
    pub verbs: &'static [Verb],
    pub summary: &'static str,
    pub access: Access,
    pub query: &'static [Param],
    pub body: Option<SchemaFn>,
    pub reply: Reply,
}

/// Who may call an operation; documents the 401/403 answers.
#[derive(Debug, Clone, Copy)]
pub enum Access {
    Anyone,
    SignedIn,
    Permission(SystemPermission),
}

/// A query-string parameter.
pub struct Param {
    pub name: &'static str,
    pub kind: Scalar,
    pub required: bool,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub enum Scalar {
    Text,
    Integer,
    /// A whole number from 1.
    Positive,
}

/// What a successful call answers with (status 200).
pub enum Reply {
    /// `{"data": …}`
    Data(SchemaFn),
    /// `{"data": [...], "meta": {"count", "page", "pageSize", "totalPage"}}`
    Page(SchemaFn),
    /// `{"data": null}`
    Null,
    /// A CSV file.
    Csv,
    /// The OpenAPI document itself, unwrapped (as NocoBase's `swagger:get`).
    Document,
}

/// `filterByTk`, NocoBase's name for the key of the record acted on.
pub const ID_KEY: Param = Param {
    name: "filterByTk",
    kind: Scalar::Integer,
    required: true,
    description: "The id of the record.",
};

pub const NAME_KEY: Param = Param {
    name: "filterByTk",
    kind: Scalar::Text,
    required: true,
    description: "The name of the record.",
};

pub const PAGE: Param = Param {
    name: "page",
    kind: Scalar::Positive,
    required: false,
    description: "The page, from 1 (default 1).",
};

pub const PAGE_SIZE: Param = Param {
    name: "pageSize",
    kind: Scalar::Positive,
    required: false,
    description: "Items per page (default 20; values past the resource's limit are clamped).",
};

/// Every resource apart from the collections' records.
pub const CORE: &[&Resource] = &[
    &identity::AUTH,
    &identity::USERS,
    &identity::ROLES,
    &identity::API_KEYS,
    &identity::AUDIT_LOGS,
    &data::DATA_SOURCES,
    &data::SOURCE_COLLECTIONS,
    &data::COLLECTIONS,
    &data::FIELDS,
    &data::SWAGGER,
];

/// What `dispatch` may do with a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    Documented,
    /// No such resource or action: 404.
    Unknown,
    /// A documented action called with another method: 405, with the
    /// methods it takes.
    WrongMethod(&'static [Verb]),
}

/// Whether `<segments>:<action>` with `method` is documented. Mirrors the
/// routing rule of `dispatch`: on an external source `<c>` and
/// `<c>/<id>/<relation>` always mean records; on `main` Ferrobase's own
/// resources come first.
pub fn admit(source: &str, segments: &[&str], action: &str, method: &Method) -> Admission {
    let records_only = source != service::data::MAIN && matches!(segments.len(), 1 | 3);
    let core = CORE
        .iter()
        .filter(|_| !records_only)
        .find(|resource| matches_path(resource.path, segments));
    let verb = Verb::of(method);
    let verbs = match (core, segments.len()) {
        (Some(resource), _) => resource
            .operations
            .iter()
            .find(|op| op.action == action)
            .map(|op| op.verbs),
        // `<collection>:<action>` and `<collection>/<id>/<relation>:<action>`.
        (None, 1) => records::find(action, false).map(|op| op.verbs),
        (None, 3) => records::find(action, true).map(|op| op.verbs),
        (None, _) => None,
    };
    match verbs {
        None => Admission::Unknown,
        Some(verbs) if verb.is_some_and(|v| verbs.contains(&v)) => Admission::Documented,
        Some(verbs) => Admission::WrongMethod(verbs),
    }
}

/// 405 in the errors envelope, with `Allow` naming the methods that work
/// (RFC 9110 asks for it).
pub fn method_not_allowed(verbs: &[Verb]) -> Response {
    let message = "use the method this action documents";
    let mut response = Answer::Status(StatusCode::METHOD_NOT_ALLOWED, message).into_response();
    let allow: Vec<String> = verbs.iter().map(|v| v.as_str().to_uppercase()).collect();
    if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
        response.headers_mut().insert(ALLOW, value);
    }
    response
}

/// `collections/{collectionName}/fields` matches `collections/orders/fields`.
fn matches_path(path: &str, segments: &[&str]) -> bool {
    let pattern: Vec<&str> = path.split('/').collect();
    pattern.len() == segments.len()
        && pattern
            .iter()
            .zip(segments)
            .all(|(p, s)| p.starts_with('{') || p == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_only_what_the_tables_list() {
        let main = service::data::MAIN;
        assert_eq!(
            admit(main, &["users"], "list", &Method::GET),
            Admission::Documented
        );
        assert_eq!(
            admit(main, &["users"], "list", &Method::POST),
            Admission::WrongMethod(GET)
        );
        assert_eq!(
            admit(main, &["users"], "frobnicate", &Method::GET),
            Admission::Unknown
        );
        assert_eq!(
            admit(
                main,
                &["collections", "orders", "fields"],
                "create",
                &Method::POST
            ),
            Admission::Documented
        );
        assert_eq!(
            admit(main, &["orders"], "list", &Method::GET),
            Admission::Documented
        );
        assert_eq!(
            admit(main, &["a", "b", "c", "d"], "list", &Method::GET),
            Admission::Unknown
        );
        assert_eq!(
            admit(main, &["orders", "1", "lines"], "list", &Method::GET),
            Admission::Documented
        );
        assert_eq!(
            admit(main, &["orders", "1", "lines"], "query", &Method::POST),
            Admission::Unknown
        );
        // On an external source, `users` is a table like any other.
        assert_eq!(
            admit("erp", &["users"], "resetPassword", &Method::POST),
            Admission::Unknown
        );
        assert_eq!(
            admit("erp", &["users"], "list", &Method::GET),
            Admission::Documented
        );
    }

    /// `admit` takes an unknown single segment for a collection, so a new
    /// resource whose actions share the records' names (`list`, `get`, …)
    /// would slip through uncatalogued: every resource `dispatch` names must
    /// be in `CORE`.
    #[test]
    fn every_resource_dispatch_names_is_catalogued() {
        let dispatch = include_str!("../mod.rs");
        let named: Vec<&str> = dispatch
            .split("[\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(named.contains(&"users"), "{named:?}");
        for name in named {
            assert!(
                CORE.iter().any(|r| r.path.split('/').next() == Some(name)),
                "dispatch answers `{name}`, which the catalog does not list"
            );
        }
    }

    #[test]
    fn every_operation_is_named_once_per_resource() {
        for resource in CORE {
            let mut actions: Vec<&str> = resource.operations.iter().map(|o| o.action).collect();
            actions.sort_unstable();
            let before = actions.len();
            actions.dedup();
            assert_eq!(before, actions.len(), "{}", resource.path);
            for op in resource.operations {
                assert!(!op.verbs.is_empty(), "{}:{}", resource.path, op.action);
            }
        }
    }
}
