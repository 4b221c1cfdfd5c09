//! JSON Schemas of Rust types, taken from their `utoipa::ToSchema` derive
//! (which reads the serde attributes, so the schema and the wire format
//! cannot drift), collected under `#/components/schemas`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use utoipa::ToSchema;

/// `#/components/schemas` of the document being written.
pub type Components = BTreeMap<String, Value>;

/// Writes a schema, registering the named ones it refers to.
pub type SchemaFn = fn(&mut Components) -> Value;

/// A reference to `T`'s schema, which is added to `components` with every
/// schema it refers to.
pub fn of<T: ToSchema>(components: &mut Components) -> Value {
    let mut nested = Vec::new();
    T::schemas(&mut nested);
    nested.push((T::name().into_owned(), T::schema()));
    for (name, schema) in nested {
        components
            .entry(name)
            .or_insert_with(|| serde_json::to_value(schema).unwrap_or(Value::Null));
    }
    reference(&T::name())
}

/// An array of `T`.
pub fn list_of<T: ToSchema>(components: &mut Components) -> Value {
    json!({"type": "array", "items": of::<T>(components)})
}

pub fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
