//! The core part: Ferrobase's own resources, one operation per catalog
//! entry and verb, plus `GET /openapi.json` itself.

use serde_json::{Map, Value, json};

use super::document::Document;
use super::envelope::{self, add_errors, data, ok};
use super::schema::Components;
use crate::routes::api::catalog::{self, Access, Operation, Param, Reply, Resource, Scalar, Verb};

pub fn add(document: &mut Document) {
    for resource in catalog::CORE {
        document.tag(resource.path, resource.description);
        for operation in resource.operations {
            for (index, verb) in operation.verbs.iter().enumerate() {
                let alias = (index > 0).then_some(operation.verbs[0]);
                let value = describe(&mut document.components, resource, operation, *verb, alias);
                document.operation(
                    format!("/{}:{}", resource.path, operation.action),
                    *verb,
                    value,
                );
            }
        }
    }
    document.operation("/openapi.json".into(), Verb::Get, openapi_json());
}

/// `resource:action` as an identifier: `users_list`, `users_update_put`.
pub fn operation_id(path: &str, action: &str, alias_of: Option<Verb>, verb: Verb) -> String {
    match alias_of {
        Some(_) => identifier(&format!("{path}_{action}_{}", verb.as_str())),
        None => identifier(&format!("{path}_{action}")),
    }
}

/// Letters, digits and `_` only, for code generators.
pub fn identifier(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '{' | '}'))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// How to call an alias verb: the same operation as the first verb's.
pub fn alias_note(alias_of: Option<Verb>) -> String {
    alias_of
        .map(|verb| {
            format!(
                "\n\nThe same action as `{}`; this method is accepted too.",
                verb.as_str().to_uppercase()
            )
        })
        .unwrap_or_default()
}

fn describe(
    components: &mut Components,
    resource: &Resource,
    operation: &Operation,
    verb: Verb,
    alias_of: Option<Verb>,
) -> Value {
    let mut parameters: Vec<Value> = resource
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(operation.query.iter().map(query_parameter));
    let mut errors = vec![400, 401, 404];
    if !matches!(operation.access, Access::Anyone) {
        errors.push(403);
    }
    if verb != Verb::Get {
        errors.extend([409, 413]);
    }
    if resource.path == "auth" && matches!(operation.action, "signIn" | "changePassword") {
        errors.push(429);
    }
    let mut responses = Map::new();
    responses.insert("200".into(), reply(components, &operation.reply));
    add_errors(&mut responses, &errors);
    let (who, security) = match operation.access {
        Access::Anyone => ("Anyone may call this.".to_owned(), envelope::anyone()),
        Access::SignedIn => (
            "Needs a signed-in user or an API key.".to_owned(),
            envelope::signed_in(),
        ),
        Access::Permission(permission) => (
            format!("Needs the `{}` permission.", permission.as_str()),
            envelope::signed_in(),
        ),
    };
    let mut value = json!({
        "tags": [resource.path],
        "operationId": operation_id(resource.path, operation.action, alias_of, verb),
        "summary": operation.summary,
        "description": format!("{who}{}", alias_note(alias_of)),
        "parameters": parameters,
        "responses": responses,
        "security": security,
    });
    if let Some(body) = operation.body {
        value["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": body(components)}},
        });
    }
    value
}

fn query_parameter(param: &Param) -> Value {
    let schema = match param.kind {
        Scalar::Text => json!({"type": "string"}),
        Scalar::Integer => json!({"type": "integer", "format": "int64"}),
        Scalar::Positive => json!({"type": "integer", "minimum": 1, "maximum": u32::MAX}),
    };
    json!({
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": schema,
    })
}

fn reply(components: &mut Components, reply: &Reply) -> Value {
    match reply {
        Reply::Data(schema) => ok(data(schema(components))),
        Reply::Page(schema) => ok(json!({
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": {"type": "array", "items": schema(components)},
                "meta": {"$ref": "#/components/schemas/ListMeta"},
            },
        })),
        Reply::Null => ok(data(json!({"type": "null"}))),
        Reply::Csv => json!({
            "description": "OK",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }),
        Reply::Document => ok(json!({
            "type": "object",
            "description": "An OpenAPI 3.1 document.",
            "required": ["openapi", "info", "paths"],
        })),
    }
}

/// `GET /api/openapi.json`: a route of its own, beside the `<resource>:<action>` space.
fn openapi_json() -> Value {
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        reply(&mut Components::new(), &Reply::Document),
    );
    add_errors(&mut responses, &[400, 401, 404]);
    json!({
        "tags": ["swagger"],
        "operationId": "openapi_json",
        "summary": "The OpenAPI document (same as `swagger:get`)",
        "description": "Anyone may call this. Without a signed-in caller, only the core part.",
        "parameters": catalog::DOCUMENT_QUERY.iter().map(query_parameter).collect::<Vec<_>>(),
        "responses": responses,
        "security": envelope::anyone(),
    })
}
