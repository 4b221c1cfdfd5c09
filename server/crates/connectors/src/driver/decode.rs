//! One JSON shape for a record whatever the engine: booleans as booleans,
//! exact decimals as strings, JSON as JSON, datetimes with a `T`.

use model::data::FieldInterface;
use serde_json::{Map, Value};

use crate::compile::Append;
use crate::schema::Field;

pub(super) fn normalise(row: &mut Map<String, Value>, fields: &[Field], appends: &[Append]) {
    for field in fields {
        if let Some(value) = row.get_mut(&field.name) {
            normalise_value(value, field);
        }
    }
    for append in appends {
        let Some(value) = row.get_mut(&append.name) else {
            continue;
        };
        // MariaDB and SQLite hand nested JSON back as text, and MariaDB's
        // JSON_ARRAYAGG over JSON_OBJECTs may hold each record as text too.
        parse_text(value);
        match value {
            Value::Object(record) => normalise(record, &append.fields, &[]),
            Value::Array(records) => {
                for record in records.iter_mut() {
                    parse_text(record);
                    if let Value::Object(record) = record {
                        normalise(record, &append.fields, &[]);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The key an INSERT … RETURNING gave, from its one-element JSON array.
pub(super) fn returned_key(text: Option<String>) -> Option<Value> {
    let array: Value = serde_json::from_str(&text?).ok()?;
    array.get(0).cloned().filter(|key| !key.is_null())
}

fn parse_text(value: &mut Value) {
    if let Value::String(text) = value {
        *value = serde_json::from_str(text).unwrap_or(Value::Null);
    }
}

fn normalise_value(value: &mut Value, field: &Field) {
    match (field.interface, &*value) {
        (FieldInterface::Boolean, Value::Number(n)) => *value = Value::Bool(n.as_i64() != Some(0)),
        (FieldInterface::Json, Value::String(text)) => {
            if let Ok(parsed) = serde_json::from_str(text) {
                *value = parsed;
            }
        }
        // SQLite keeps NUMERIC as integers and floats: give the declared
        // scale back (`12` in a NUMERIC(10,2) is "12.00", as elsewhere).
        (FieldInterface::Decimal, Value::Number(n)) => {
            *value = Value::String(match (scale(&field.db_type), n.as_f64()) {
                (Some(scale), Some(f)) if n.is_f64() => format!("{f:.scale$}"),
                (Some(scale), _) if scale > 0 => format!("{n}.{}", "0".repeat(scale)),
                _ => n.to_string(),
            });
        }
        // Oracle hands exact NUMBERs over as their shortest text: give the
        // declared scale back here too (`12.5` in a NUMBER(10,2) is "12.50").
        (FieldInterface::Decimal, Value::String(text)) => {
            if let Some(padded) = scale(&field.db_type).and_then(|s| padded(text, s)) {
                *value = Value::String(padded);
            }
        }
        // … and floating NUMBERs (FLOAT) as text as well.
        (FieldInterface::Number, Value::String(text)) => {
            if let Some(n) = text.parse().ok().and_then(serde_json::Number::from_f64) {
                *value = Value::Number(n);
            }
        }
        // One form on every engine, the one NocoBase answers with
        // (JavaScript's toISOString): UTC, milliseconds, `Z`.
        (FieldInterface::Datetime, Value::String(text)) => {
            if let Some(ms) = crate::value::parse_instant(text) {
                *value = Value::String(model::time::iso8601_millis(ms));
            }
        }
        _ => {}
    }
}

/// `text` with at least `scale` fraction digits, if it is a plain decimal
/// with fewer (`-12.5` → `-12.50`, `7` → `7.00`).
fn padded(text: &str, scale: usize) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit());
    if !plain || fraction.len() >= scale {
        return None;
    }
    let point = if fraction.is_empty() { "." } else { "" };
    Some(format!(
        "{text}{point}{}",
        "0".repeat(scale - fraction.len())
    ))
}

/// The scale of `numeric(10,2)`, `DECIMAL(12, 4)`.
fn scale(db_type: &str) -> Option<usize> {
    let (_, modifiers) = db_type.split_once('(')?;
    let (_, scale) = modifiers.split_once(',')?;
    scale.trim().trim_end_matches(')').trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str, interface: FieldInterface) -> Field {
        Field {
            name: name.into(),
            interface,
            db_type: String::new(),
            nullable: true,
            max_length: None,
            generated: false,
            has_default: false,
            options: vec![],
        }
    }

    #[test]
    fn engines_agree_on_one_shape() {
        let mut exact = field("exact", FieldInterface::Decimal);
        exact.db_type = "NUMERIC(10, 2)".into();
        let fields = [
            field("done", FieldInterface::Boolean),
            field("meta", FieldInterface::Json),
            field("price", FieldInterface::Decimal),
            field("at", FieldInterface::Datetime),
            field("zoned", FieldInterface::Datetime),
            exact,
        ];
        let mut row = json!({"done": 1, "meta": "{\"a\":1}", "price": 1.5,
            "at": "2026-11-23 09:05:00", "zoned": "2026-11-23T10:05:00.123456+01:00", "exact": 12});
        let row = row.as_object_mut().unwrap();
        normalise(row, &fields, &[]);
        assert_eq!(
            Value::Object(row.clone()),
            json!({"done": true, "meta": {"a": 1}, "price": "1.5",
                "at": "2026-11-23T09:05:00.000Z", "zoned": "2026-11-23T09:05:00.123Z",
                "exact": "12.00"})
        );
    }

    /// Oracle's NUMBERs arrive as text unless they are whole.
    #[test]
    fn decimal_text_gets_its_scale_and_float_text_becomes_a_number() {
        let mut exact = field("exact", FieldInterface::Decimal);
        exact.db_type = "NUMBER(10,2)".into();
        let ratio = field("ratio", FieldInterface::Number);
        let fields = [exact, ratio];
        for (given, expected) in [
            (
                json!({"exact": "-12.5", "ratio": "0.25"}),
                json!({"exact": "-12.50", "ratio": 0.25}),
            ),
            (
                json!({"exact": "0.125", "ratio": "x"}),
                json!({"exact": "0.125", "ratio": "x"}),
            ),
            (
                json!({"exact": "7", "ratio": null}),
                json!({"exact": "7.00", "ratio": null}),
            ),
        ] {
            let mut row = given.as_object().unwrap().clone();
            normalise(&mut row, &fields, &[]);
            assert_eq!(Value::Object(row), expected);
        }
    }
}
