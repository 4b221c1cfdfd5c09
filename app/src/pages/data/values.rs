//! Field values between the service's JSON and the browser's inputs and
//! cells. Values go to the service as typed text: the connector parses
//! them against the column (one place for "must be a whole number"), so
//! here only JSON, which text cannot stand for, is parsed.

use model::data::{CollectionView, FieldInterface, FieldView, RelationView};
use model::preference_cookie::encode_query_value;
use serde_json::Value;

/// Longest text a table cell shows before cutting it.
const CELL_CHARS: usize = 120;

/// A value as a table cell shows it; `None` for null.
pub fn cell_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(match text.char_indices().nth(CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    })
}

/// A value as its input holds it.
pub fn input_text(field: &FieldView, value: &Value) -> String {
    match (field.interface, value) {
        (_, Value::Null) => String::new(),
        // datetime-local takes `YYYY-MM-DDTHH:MM:SS`, no zone: the form is in UTC.
        (FieldInterface::Datetime, Value::String(s)) => model::time::parse_datetime(s)
            .map(|ms| model::time::iso8601(ms)[..19].to_owned())
            .unwrap_or_else(|| s.clone()),
        (FieldInterface::Json, other) => serde_json::to_string_pretty(other).unwrap_or_default(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// What an input's text sends; JSON that does not parse is refused here,
/// because as a string it would be stored silently as a JSON string.
pub fn input_value(field: &FieldView, text: &str) -> Result<Value, serde_json::Error> {
    match field.interface {
        FieldInterface::Json => serde_json::from_str(text),
        FieldInterface::Boolean => Ok(Value::Bool(text == "true")),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// Filled by the database or unknown to Ferrobase: shown, never sent.
pub fn read_only(field: &FieldView) -> bool {
    field.generated || field.interface == FieldInterface::Unsupported
}

/// Must be given on create: no NULL, no default, not generated.
pub fn required(field: &FieldView) -> bool {
    !field.nullable && !field.has_default && !read_only(field)
}

/// The record key as text, for collections with a one-field key; others
/// have no page per record (the service addresses records by one key).
pub fn key_text(
    collection: &CollectionView,
    row: &serde_json::Map<String, Value>,
) -> Option<String> {
    let [key] = collection.key.as_slice() else {
        return None;
    };
    match row.get(key)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `/data/<source>/<collection>/<key>`, the key escaped as a path segment.
pub fn record_href(source: &str, collection: &str, key: &str) -> String {
    format!(
        "/data/{source}/{collection}/{}",
        encode_query_value(key).replace('/', "%2F")
    )
}

/// Where a foreign key's value leads: the record it points at.
pub fn parent_link(collection: &CollectionView, field: &str, value: &Value) -> Option<String> {
    let relation = parent_relation(collection, field)?;
    let target = cell_text(value)?;
    Some(record_href(
        &collection.data_source,
        &relation.target,
        &target,
    ))
}

/// The many-to-one relation whose foreign key is `field`, if any.
pub fn parent_relation<'c>(
    collection: &'c CollectionView,
    field: &str,
) -> Option<&'c RelationView> {
    collection
        .relations
        .iter()
        .find(|r| r.kind == "manyToOne" && r.foreign_key == field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(interface: FieldInterface) -> FieldView {
        FieldView {
            name: "f".into(),
            title: "F".into(),
            interface,
            db_type: String::new(),
            nullable: true,
            max_length: None,
            generated: false,
            has_default: false,
            hidden: false,
            options: vec![],
        }
    }

    #[test]
    fn datetimes_fill_a_datetime_local_input_in_utc() {
        let f = field(FieldInterface::Datetime);
        assert_eq!(
            input_text(&f, &json!("2026-11-23T09:05:07.250Z")),
            "2026-11-23T09:05:07"
        );
        assert_eq!(input_text(&f, &Value::Null), "");
    }

    #[test]
    fn only_json_is_parsed_in_the_browser() {
        assert_eq!(
            input_value(&field(FieldInterface::Integer), "12").unwrap(),
            json!("12")
        );
        assert_eq!(
            input_value(&field(FieldInterface::Json), "{\"a\":1}").unwrap(),
            json!({"a": 1})
        );
        assert!(input_value(&field(FieldInterface::Json), "{a}").is_err());
        assert_eq!(
            input_value(&field(FieldInterface::Boolean), "true").unwrap(),
            json!(true)
        );
    }

    #[test]
    fn long_cells_are_cut_and_null_is_none() {
        assert_eq!(cell_text(&Value::Null), None);
        assert_eq!(cell_text(&json!(5)).as_deref(), Some("5"));
        let long = "é".repeat(200);
        assert_eq!(
            cell_text(&json!(long)).unwrap().chars().count(),
            CELL_CHARS + 1
        );
    }

    #[test]
    fn record_links_escape_the_key() {
        assert_eq!(
            record_href("pg", "books", "a b/c"),
            "/data/pg/books/a%20b%2Fc"
        );
    }
}
