//! The actions on any collection's records, `/api/<collection>:<action>`
//! (and through a relation, `/api/<collection>/<id>/<relation>:<action>`),
//! documented for each collection the caller may see
//! (`openapi::collections`).

use model::identity::CollectionAction;

use super::{GET, POST, REMOVE, Verb, WRITE};

pub struct RecordOperation {
    pub action: &'static str,
    pub verbs: &'static [Verb],
    pub summary: &'static str,
    /// The grant the role needs; collections without it omit the operation.
    pub needs: CollectionAction,
    pub key: RecordKey,
    pub query: RecordQuery,
    pub body: RecordBody,
    pub reply: RecordReply,
    /// Also answered through a relation of another record.
    pub related: bool,
    /// The same action in REST style (`GET /api/<c>/<id>`), if any.
    pub rest: Option<Rest>,
}

/// How an operation names its records with `filterByTk`. Operations that
/// need a key are omitted for collections without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKey {
    None,
    /// At most one key; without it, the first record `filter` and `sort`
    /// pick (NocoBase's `get`).
    One,
    /// Keys (`filterByTk`, repeatable) and/or `filter`.
    Target,
}

/// Which query parameters an operation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordQuery {
    None,
    /// `filter`, `sort` and the shape parameters `fields`, `except`,
    /// `appends`: one record.
    Find,
    /// `filter`, `sort`, paging and the shape parameters.
    List,
    /// `filterKeys`: the fields that identify a record.
    FilterKeys,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordBody {
    None,
    /// A record's values; required fields must be present.
    Create,
    /// The values to change.
    Update,
    /// Measures, dimensions, filter, orders, limit.
    Aggregate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordReply {
    /// `{"data": [...], "meta": …}`, or `{"data": [...]}` with `paginate=false`.
    Page,
    /// `{"data": {…}}`
    One,
    /// `{"data": {…}}` or `{"data": null}` when there is no such record.
    OneOrNull,
    /// `{"data": [{…}]}`
    Many,
    /// `{"data": <how many records went>}`
    Count,
    /// `{"data": [{<alias>: value}]}`: aggregate rows.
    Rows,
}

/// A REST-style route: on the collection (`/api/<c>`) or on one record
/// (`/api/<c>/<filterByTk>`), with the methods that mean this action.
#[derive(Debug, Clone, Copy)]
pub enum Rest {
    Collection(&'static [Verb]),
    Record(&'static [Verb]),
}

pub const OPERATIONS: &[RecordOperation] = &[
    RecordOperation {
        action: "list",
        verbs: GET,
        summary: "List records",
        needs: CollectionAction::View,
        key: RecordKey::None,
        query: RecordQuery::List,
        body: RecordBody::None,
        reply: RecordReply::Page,
        related: true,
        rest: Some(Rest::Collection(GET)),
    },
    RecordOperation {
        action: "get",
        verbs: GET,
        summary: "One record",
        needs: CollectionAction::View,
        key: RecordKey::One,
        query: RecordQuery::Find,
        body: RecordBody::None,
        reply: RecordReply::OneOrNull,
        related: true,
        rest: Some(Rest::Record(GET)),
    },
    RecordOperation {
        action: "create",
        verbs: POST,
        summary: "Create a record",
        needs: CollectionAction::Create,
        key: RecordKey::None,
        query: RecordQuery::None,
        body: RecordBody::Create,
        reply: RecordReply::One,
        related: true,
        rest: Some(Rest::Collection(POST)),
    },
    RecordOperation {
        action: "update",
        verbs: WRITE,
        summary: "Change records (by key and/or filter); answers the updated records",
        needs: CollectionAction::Update,
        key: RecordKey::Target,
        query: RecordQuery::None,
        body: RecordBody::Update,
        reply: RecordReply::Many,
        related: true,
        rest: Some(Rest::Record(&[Verb::Put, Verb::Patch])),
    },
    RecordOperation {
        action: "destroy",
        verbs: REMOVE,
        summary: "Delete records (by key and/or filter); answers how many went",
        needs: CollectionAction::Destroy,
        key: RecordKey::Target,
        query: RecordQuery::None,
        body: RecordBody::None,
        reply: RecordReply::Count,
        related: true,
        rest: Some(Rest::Record(&[Verb::Delete])),
    },
    RecordOperation {
        action: "firstOrCreate",
        verbs: POST,
        summary: "The record whose `filterKeys` fields equal the values, else a new one",
        needs: CollectionAction::Create,
        key: RecordKey::None,
        query: RecordQuery::FilterKeys,
        body: RecordBody::Create,
        reply: RecordReply::One,
        related: false,
        rest: None,
    },
    RecordOperation {
        action: "updateOrCreate",
        verbs: POST,
        summary: "Update the record whose `filterKeys` fields equal the values, else create it",
        needs: CollectionAction::Create,
        key: RecordKey::None,
        query: RecordQuery::FilterKeys,
        body: RecordBody::Create,
        reply: RecordReply::One,
        related: false,
        rest: None,
    },
    RecordOperation {
        action: "query",
        verbs: POST,
        summary: "Aggregates: measures grouped by dimensions",
        needs: CollectionAction::View,
        key: RecordKey::None,
        query: RecordQuery::None,
        body: RecordBody::Aggregate,
        reply: RecordReply::Rows,
        related: false,
        rest: None,
    },
];

/// The operation `action` names: directly on a collection, or through a
/// relation (`related`).
pub fn find(action: &str, related: bool) -> Option<&'static RecordOperation> {
    OPERATIONS
        .iter()
        .find(|op| op.action == action && (op.related || !related))
}
