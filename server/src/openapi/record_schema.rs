//! A collection's records as JSON Schema, from the introspected fields:
//! how the API answers them, and what it accepts to create or change one.

use model::data::{CollectionView, FieldInterface, FieldView};
use model::identity::CollectionAction;
use serde_json::{Map, Value, json};
use service::data::records::is_stamp;

use super::collections::Visible;
use super::document::Document;

/// `{"$ref": …}` to a collection's schema.
pub fn reference(collection: &str, suffix: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", name(collection, suffix))})
}

/// Adds the answer schema of `collection`, and of the collections its
/// relations lead to (which it refers to).
pub fn add_answer(document: &mut Document, collection: &CollectionView, visible: &Visible<'_>) {
    let key = name(&collection.name, "");
    if document.components.contains_key(&key) {
        return;
    }
    let schema = answer(collection, &|name| visible.contains(name));
    document.components.insert(key, schema);
    for relation in &collection.relations {
        if let Some(target) = visible.by_name.get(relation.target.as_str()) {
            add_answer(document, target, visible);
        }
    }
}

/// Adds the schema of the values a create (or update) of `collection`
/// takes, narrowed to the fields the role's grant lets it write, and
/// answers a reference to it.
pub fn add_values(
    document: &mut Document,
    visible: &Visible<'_>,
    collection: &CollectionView,
    create: bool,
) -> Value {
    let (suffix, action) = if create {
        (".create", CollectionAction::Create)
    } else {
        (".update", CollectionAction::Update)
    };
    let permissions = visible.permissions;
    let grant = permissions.grant(&collection.data_source, &collection.name, action);
    let writable = |field: &str| {
        permissions.all
            || grant.is_some_and(|g| {
                g.fields
                    .as_ref()
                    .is_none_or(|f| f.iter().any(|n| n == field))
            })
    };
    document
        .components
        .entry(name(&collection.name, suffix))
        .or_insert_with(|| values(collection, &writable, create));
    reference(&collection.name, suffix)
}

/// The schema name of a collection's records (`collection.orders`), with
/// characters OpenAPI does not allow in component names replaced.
pub fn name(collection: &str, suffix: &str) -> String {
    let safe: String = collection
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("collection.{safe}{suffix}")
}

/// A record as answered: every visible field (any may be left out by
/// `fields`/`except`), relations when appended.
pub fn answer(collection: &CollectionView, visible: &dyn Fn(&str) -> bool) -> Value {
    let mut properties = Map::new();
    for field in &collection.fields {
        let mut schema = value_schema(field, Direction::Answer);
        if field.generated
            || is_stamp(&field.name, field.interface)
            || field.interface == FieldInterface::Unsupported
        {
            schema["readOnly"] = Value::Bool(true);
        }
        properties.insert(field.name.clone(), schema);
    }
    for relation in &collection.relations {
        if !visible(&relation.target) {
            continue;
        }
        let target =
            json!({"$ref": format!("#/components/schemas/{}", name(&relation.target, ""))});
        let schema = match relation.kind.as_str() {
            "oneToMany" => json!({"type": "array", "items": target}),
            _ => json!({"anyOf": [target, {"type": "null"}]}),
        };
        let mut schema = schema;
        schema["description"] = Value::String(format!(
            "With `appends={}`: the related {} record{}.",
            relation.name,
            relation.target,
            if relation.kind == "oneToMany" {
                "s"
            } else {
                ""
            }
        ));
        schema["readOnly"] = Value::Bool(true);
        properties.insert(relation.name.clone(), schema);
    }
    json!({"type": "object", "title": collection.title, "properties": properties})
}

/// The values a create (`required` set) or an update accepts: the fields
/// the role may write, minus those the database or Ferrobase fills.
pub fn values(collection: &CollectionView, writable: &dyn Fn(&str) -> bool, create: bool) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &collection.fields {
        let filled = field.generated || is_stamp(&field.name, field.interface);
        if filled || field.interface == FieldInterface::Unsupported || !writable(&field.name) {
            continue;
        }
        properties.insert(field.name.clone(), value_schema(field, Direction::Request));
        if create && !field.nullable && !field.has_default {
            required.push(field.name.clone());
        }
    }
    json!({
        "type": "object",
        "title": collection.title,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Answer,
    Request,
}

/// One field's value, as `model::data::FieldInterface` and the connectors
/// define it (`connectors::value::coerce` reads, `driver::decode` answers).
fn value_schema(field: &FieldView, direction: Direction) -> Value {
    let request = direction == Direction::Request;
    let mut schema = match field.interface {
        FieldInterface::Text | FieldInterface::LongText => json!({"type": "string"}),
        FieldInterface::Integer => json!({"type": "integer", "format": "int64"}),
        FieldInterface::Number => json!({"type": "number"}),
        // Exact numbers travel as text, so no digit is lost (a plain JSON
        // number without exponent is accepted as well).
        FieldInterface::Decimal if request => {
            json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"})
        }
        FieldInterface::Decimal => {
            json!({"type": "string", "description": "An exact decimal number, as text."})
        }
        FieldInterface::Boolean => json!({"type": "boolean"}),
        FieldInterface::Date => json!({"type": "string", "format": "date"}),
        FieldInterface::Datetime => json!({"type": "string", "format": "date-time"}),
        FieldInterface::Time if request => {
            json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"})
        }
        FieldInterface::Time => {
            json!({"type": "string", "description": "A time of day, `HH:MM:SS`."})
        }
        FieldInterface::Json => json!({}),
        FieldInterface::Enum if !field.options.is_empty() => {
            json!({"type": "string", "enum": field.options})
        }
        FieldInterface::Enum => json!({"type": "string"}),
        FieldInterface::Uuid => json!({"type": "string", "format": "uuid"}),
        FieldInterface::Binary if request => {
            json!({"type": "string", "pattern": "^([0-9a-fA-F]{2})*$", "description": "Bytes in hexadecimal."})
        }
        FieldInterface::Binary => json!({"type": "string"}),
        FieldInterface::Unsupported => {
            json!({"type": "string", "description": "A type Ferrobase cannot write; shown as text."})
        }
    };
    if let (Some(max), true) = (field.max_length, field.interface.is_textual()) {
        schema["maxLength"] = Value::from(max);
    }
    if field.nullable && field.interface != FieldInterface::Json {
        schema = nullable(schema);
    }
    if !field.title.is_empty() && field.title != field.name {
        schema["title"] = Value::String(field.title.clone());
    }
    schema
}

/// `schema` or `null`: a second `type` where there is one, else `anyOf`.
fn nullable(mut schema: Value) -> Value {
    if let Some(Value::Array(choices)) = schema.get_mut("enum") {
        choices.push(Value::Null);
    }
    match schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
    {
        Some(kind) => {
            schema["type"] = json!([kind, "null"]);
            schema
        }
        None => json!({"anyOf": [schema, {"type": "null"}]}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, interface: FieldInterface, nullable: bool) -> FieldView {
        FieldView {
            name: name.into(),
            title: name.into(),
            interface,
            db_type: String::new(),
            nullable,
            max_length: None,
            generated: false,
            has_default: false,
            hidden: false,
            options: vec![],
        }
    }

    fn orders() -> CollectionView {
        let mut id = field("id", FieldInterface::Integer, false);
        id.generated = true;
        let mut status = field("status", FieldInterface::Enum, true);
        status.options = vec!["open".into(), "paid".into()];
        CollectionView {
            data_source: "main".into(),
            name: "orders".into(),
            title: "Orders".into(),
            table: "orders".into(),
            view: false,
            key: vec!["id".into()],
            fields: vec![
                id,
                field("total", FieldInterface::Decimal, false),
                status,
                field("createdAt", FieldInterface::Datetime, true),
            ],
            relations: vec![],
            actions: vec![],
        }
    }

    #[test]
    fn answers_mark_what_the_database_or_ferrobase_fills() {
        let schema = answer(&orders(), &|_| true);
        assert_eq!(schema["properties"]["id"]["readOnly"], true);
        assert_eq!(schema["properties"]["createdAt"]["readOnly"], true);
        assert_eq!(schema["properties"]["total"]["type"], "string");
        assert_eq!(
            schema["properties"]["status"],
            json!({"type": ["string", "null"], "enum": ["open", "paid", null]})
        );
    }

    #[test]
    fn creates_require_what_has_no_default_and_refuse_the_rest() {
        let schema = values(&orders(), &|_| true, true);
        assert_eq!(schema["required"], json!(["total"]));
        assert!(schema["properties"].get("id").is_none());
        assert!(schema["properties"].get("createdAt").is_none());
        assert_eq!(schema["additionalProperties"], false);
        let narrowed = values(&orders(), &|name| name == "status", false);
        assert_eq!(narrowed["required"], json!([]));
        assert_eq!(
            narrowed["properties"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["status"]
        );
    }

    #[test]
    fn component_names_keep_to_what_openapi_allows() {
        assert_eq!(
            name("order lines", ".create"),
            "collection.order_lines.create"
        );
    }
}
