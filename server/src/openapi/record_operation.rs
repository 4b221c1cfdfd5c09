//! One record operation of one collection on one route (action style, REST
//! style or through a relation), as an OpenAPI operation.

use model::data::{CollectionView, FieldInterface};
use serde_json::{Map, Value, json};
use service::data::MAIN;

use super::builtin::alias_note;
use super::collections::Visible;
use super::document::Document;
use super::envelope::{self, add_errors, data, ok};
use super::record_schema;
use crate::routes::api::catalog::Verb;
use crate::routes::api::catalog::records::{
    RecordBody, RecordKey, RecordOperation, RecordQuery, RecordReply,
};

/// Where an operation is reached, and whose records it acts on.
pub struct Route<'a> {
    pub path: String,
    /// The collection whose records are acted on.
    target: &'a CollectionView,
    /// The collection the path starts at: the operation's tag.
    tag: &'a str,
    path_parameters: Vec<Value>,
    /// REST style: the record key is the last path segment.
    key_in_path: bool,
    /// Through a relation of a parent record (`get` may omit the key).
    related: Option<&'a str>,
}

impl<'a> Route<'a> {
    /// `/<collection>:<action>`
    pub fn action(collection: &'a CollectionView, path: String) -> Route<'a> {
        Route {
            path,
            target: collection,
            tag: &collection.name,
            path_parameters: Vec::new(),
            key_in_path: false,
            related: None,
        }
    }

    /// `/<collection>` or `/<collection>/{filterByTk}`
    pub fn rest(collection: &'a CollectionView, record: bool) -> Route<'a> {
        let name = &collection.name;
        let (path, path_parameters) = if record {
            let key = json!({"name": "filterByTk", "in": "path", "required": true,
                "description": key_description(collection), "schema": key_schema(collection)});
            (format!("/{name}/{{filterByTk}}"), vec![key])
        } else {
            (format!("/{name}"), Vec::new())
        };
        Route {
            path,
            target: collection,
            tag: name,
            path_parameters,
            key_in_path: record,
            related: None,
        }
    }

    /// `/<parent>/{id}/<relation>:<action>`
    pub fn related(
        parent: &'a CollectionView,
        relation: &'a str,
        target: &'a CollectionView,
        action: &str,
    ) -> Route<'a> {
        let id = json!({"name": "id", "in": "path", "required": true,
            "description": format!("The key of the {} record.", parent.name),
            "schema": key_schema(parent)});
        Route {
            path: format!("/{}/{{id}}/{relation}:{action}", parent.name),
            target,
            tag: &parent.name,
            path_parameters: vec![id],
            key_in_path: false,
            related: Some(relation),
        }
    }
}

pub fn describe(
    document: &mut Document,
    visible: &Visible<'_>,
    route: &Route<'_>,
    operation: &RecordOperation,
    verb: Verb,
    alias_of: Option<Verb>,
    operation_id: String,
) -> Value {
    let target = route.target;
    let mut parameters = Vec::new();
    if target.data_source != MAIN {
        parameters.push(json!({
            "name": "X-Data-Source",
            "in": "header",
            "required": true,
            "description": "The data source of the collection.",
            "schema": {"type": "string", "enum": [target.data_source], "default": target.data_source},
        }));
    }
    parameters.extend(route.path_parameters.iter().cloned());
    parameters.extend(key_parameters(route, operation.key));
    parameters.extend(query_parameters(operation.query));
    let record = record_schema::reference(&target.name, "");
    let answer = match operation.reply {
        RecordReply::Page => json!({
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": record},
                "meta": {"anyOf": [
                    {"$ref": "#/components/schemas/ListMeta"},
                    {"$ref": "#/components/schemas/SimpleListMeta"},
                ]},
            },
        }),
        RecordReply::One => data(record),
        RecordReply::OneOrNull => data(json!({"anyOf": [record, {"type": "null"}]})),
        RecordReply::Many => data(json!({"type": "array", "items": record})),
        RecordReply::Count => data(json!({"type": "integer", "minimum": 0})),
        RecordReply::Rows => data(json!({"type": "array", "items": {"type": "object"}})),
    };
    let mut responses = Map::new();
    responses.insert("200".into(), ok(answer));
    let mut errors = vec![400, 401, 403, 404, 502, 504];
    if verb != Verb::Get {
        errors.extend([409, 413]);
    }
    add_errors(&mut responses, &errors);
    let mut description = format!(
        "Needs the role's `{}` grant on {}.",
        operation.needs.as_str(),
        target.name
    );
    if let Some(relation) = route.related {
        description.push_str(&format!(
            " Only the records that `{relation}` of record `id` leads to."
        ));
    }
    if operation.key == RecordKey::Target && !route.key_in_path {
        description.push_str(
            " Name the records with `filterByTk` (repeatable) and/or `filter`; \
             one key alone must find its record (else 404).",
        );
    }
    description.push_str(&alias_note(alias_of));
    let mut value = json!({
        "tags": [route.tag],
        "operationId": operation_id,
        "summary": operation.summary,
        "description": description,
        "parameters": parameters,
        "responses": responses,
        "security": envelope::signed_in(),
    });
    let body = match operation.body {
        RecordBody::None => None,
        RecordBody::Create => Some(record_schema::add_values(document, visible, target, true)),
        RecordBody::Update => Some(record_schema::add_values(document, visible, target, false)),
        RecordBody::Aggregate => Some(json!({"$ref": "#/components/schemas/AggregateQuery"})),
    };
    if let Some(schema) = body {
        value["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": schema}},
        });
    }
    value
}

fn key_parameters(route: &Route<'_>, key: RecordKey) -> Vec<Value> {
    let collection = route.target;
    let description = key_description(collection);
    match key {
        _ if route.key_in_path => Vec::new(),
        RecordKey::None => Vec::new(),
        RecordKey::One => vec![json!({
            "name": "filterByTk",
            "in": "query",
            // Without a key: the first record `filter` and `sort` pick.
            "required": false,
            "description": format!("{description} Without it, the first record that `filter` and `sort` pick."),
            "schema": key_schema(collection),
        })],
        RecordKey::Target => vec![
            json!({
                "name": "filterByTk",
                "in": "query",
                "required": false,
                "description": description,
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "items": key_schema(collection)},
            }),
            json!({"$ref": "#/components/parameters/filter"}),
        ],
    }
}

fn query_parameters(query: RecordQuery) -> Vec<Value> {
    let shared: &[&str] = match query {
        RecordQuery::None => &[],
        RecordQuery::Find => &["filter", "sort", "fields", "except", "appends"],
        RecordQuery::List => &[
            "filter",
            "sort",
            "fields",
            "except",
            "appends",
            "page",
            "pageSize",
            "paginate",
            "simplePaginate",
        ],
        RecordQuery::FilterKeys => {
            return vec![json!({
                "name": "filterKeys",
                "in": "query",
                "required": true,
                "description": "The fields whose values (from the body) identify the record.",
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            })];
        }
    };
    shared
        .iter()
        .map(|p| json!({"$ref": format!("#/components/parameters/{p}")}))
        .collect()
}

fn key_description(collection: &CollectionView) -> String {
    format!("The record key ({}).", collection.key.join(", "))
}

/// The record key's type (text for composite keys, or a key field the
/// role cannot see).
fn key_schema(collection: &CollectionView) -> Value {
    let field = match collection.key.as_slice() {
        [single] => collection.fields.iter().find(|f| &f.name == single),
        _ => None,
    };
    match field.map(|f| f.interface) {
        Some(FieldInterface::Integer) => json!({"type": "integer", "format": "int64"}),
        Some(FieldInterface::Uuid) => json!({"type": "string", "format": "uuid"}),
        _ => json!({"type": "string"}),
    }
}
