//! Values on their way into SQL: JSON from a request, checked against the
//! field it is meant for and turned into a typed parameter. A value that
//! does not fit is refused here, with the field's name, before any SQL runs.

use model::data::FieldInterface;
use serde_json::Value;

use crate::schema::Field;
use crate::{Error, Result};

/// A bound parameter. Dates travel as Unix milliseconds so each dialect can
/// render them the way its server reads them.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Text, exact decimals, JSON documents, times of day and UUIDs.
    Text(String),
    /// A calendar date, `YYYY-MM-DD`.
    Date(String),
    /// An instant, Unix milliseconds.
    Datetime(i64),
    Bytes(Vec<u8>),
}

impl SqlValue {
    /// The text form, for engines that receive every parameter as text and
    /// cast it on the server (PostgreSQL).
    pub fn to_text(&self) -> Option<String> {
        match self {
            SqlValue::Null => None,
            SqlValue::Bool(b) => Some(b.to_string()),
            SqlValue::Int(i) => Some(i.to_string()),
            SqlValue::Float(f) => Some(f.to_string()),
            SqlValue::Text(t) | SqlValue::Date(t) => Some(t.clone()),
            SqlValue::Datetime(ms) => Some(model::time::iso8601_millis(*ms)),
            SqlValue::Bytes(b) => Some(format!("\\x{}", data_encoding::HEXLOWER.encode(b))),
        }
    }
}

/// The longest text value accepted for a field without a declared length.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Checks `value` against `field` and converts it. `null` stays `Null`;
/// whether null is allowed is the caller's decision (filters and writes differ).
pub fn coerce(field: &Field, value: &Value) -> Result<SqlValue> {
    if value.is_null() {
        return Ok(SqlValue::Null);
    }
    let name = field.name.as_str();
    match field.interface {
        FieldInterface::Text | FieldInterface::LongText => text(field, value).map(SqlValue::Text),
        FieldInterface::Enum => {
            let choice = text(field, value)?;
            if !field.options.is_empty() && !field.options.contains(&choice) {
                return Err(Error::invalid_value(
                    name,
                    format!("must be one of: {}", field.options.join(", ")),
                ));
            }
            Ok(SqlValue::Text(choice))
        }
        FieldInterface::Uuid => {
            let id = text(field, value)?;
            if !is_uuid(&id) {
                return Err(Error::invalid_value(name, "must be a UUID"));
            }
            Ok(SqlValue::Text(id.to_ascii_lowercase()))
        }
        FieldInterface::Integer => integer(value)
            .map(SqlValue::Int)
            .ok_or_else(|| Error::invalid_value(name, "must be a whole number")),
        FieldInterface::Number => number(value)
            .map(SqlValue::Float)
            .ok_or_else(|| Error::invalid_value(name, "must be a number")),
        FieldInterface::Decimal => decimal(value)
            .map(SqlValue::Text)
            .ok_or_else(|| Error::invalid_value(name, "must be a decimal number")),
        FieldInterface::Boolean => boolean(value)
            .map(SqlValue::Bool)
            .ok_or_else(|| Error::invalid_value(name, "must be true or false")),
        FieldInterface::Date => value
            .as_str()
            .and_then(|s| parse_instant(s).map(model::time::iso8601))
            .map(|iso| SqlValue::Date(iso[..10].to_owned()))
            .ok_or_else(|| Error::invalid_value(name, "must be a date (YYYY-MM-DD)")),
        FieldInterface::Datetime => value
            .as_str()
            .and_then(parse_instant)
            .map(SqlValue::Datetime)
            .ok_or_else(|| {
                Error::invalid_value(
                    name,
                    "must be a date and time (ISO 8601, e.g. 2026-11-23T09:05:00Z)",
                )
            }),
        FieldInterface::Time => value
            .as_str()
            .filter(|s| is_time(s))
            // HH:MM:SS, as databases show times, so text comparison (SQLite) matches.
            .map(|s| {
                SqlValue::Text(if s.len() == 5 {
                    format!("{s}:00")
                } else {
                    s.to_owned()
                })
            })
            .ok_or_else(|| Error::invalid_value(name, "must be a time of day (HH:MM or HH:MM:SS)")),
        FieldInterface::Json => {
            let text = value.to_string();
            if text.len() > MAX_TEXT_BYTES {
                return Err(Error::invalid_value(name, "is too large"));
            }
            Ok(SqlValue::Text(text))
        }
        FieldInterface::Binary => value
            .as_str()
            .and_then(|s| data_encoding::HEXLOWER_PERMISSIVE.decode(s.as_bytes()).ok())
            .map(SqlValue::Bytes)
            .ok_or_else(|| Error::invalid_value(name, "must be hexadecimal bytes")),
        FieldInterface::Unsupported => Err(Error::invalid_value(
            name,
            format!("has a type Ferrobase cannot write ({})", field.db_type),
        )),
    }
}

fn text(field: &Field, value: &Value) -> Result<String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Err(Error::invalid_value(&field.name, "must be text")),
    };
    let limit = field.max_length.map(|n| n as usize);
    if let Some(limit) = limit
        && text.chars().count() > limit
    {
        return Err(Error::invalid_value(
            &field.name,
            format!("is longer than {limit} characters"),
        ));
    }
    if text.len() > MAX_TEXT_BYTES && limit.is_none() {
        return Err(Error::invalid_value(
            &field.name,
            format!("is longer than {} bytes", MAX_TEXT_BYTES),
        ));
    }
    Ok(text)
}

/// `model::time::parse_datetime`, for ASCII text only: it slices at byte
/// offsets and would panic inside a multi-byte character (`"2026-11-2😀"`).
pub(crate) fn parse_instant(text: &str) -> Option<i64> {
    if text.is_ascii() {
        model::time::parse_datetime(text)
    } else {
        None
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn decimal(value: &Value) -> Option<String> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let valid = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    valid.then_some(text)
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Some(true),
        Value::Number(n) if n.as_i64() == Some(0) => Some(false),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_time(text: &str) -> bool {
    let probe = format!("2000-01-01T{text}");
    parse_instant(&probe).is_some() && !text.contains(['Z', '+']) && text.len() >= 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(interface: FieldInterface) -> Field {
        Field {
            name: "f".into(),
            interface,
            db_type: "x".into(),
            nullable: true,
            max_length: None,
            generated: false,
            has_default: false,
            options: vec![],
        }
    }

    #[test]
    fn integers_accept_numbers_and_numeric_text_only() {
        let f = field(FieldInterface::Integer);
        assert_eq!(coerce(&f, &json!(42)).unwrap(), SqlValue::Int(42));
        assert_eq!(coerce(&f, &json!("42")).unwrap(), SqlValue::Int(42));
        assert_eq!(coerce(&f, &json!(4.0)).unwrap(), SqlValue::Int(4));
        for bad in [json!("abc"), json!(4.5), json!(true), json!([1]), json!({})] {
            let error = coerce(&f, &bad).unwrap_err();
            assert_eq!(error.to_string(), "f: must be a whole number", "{bad}");
        }
    }

    #[test]
    fn text_respects_declared_length_and_the_hard_cap() {
        let mut f = field(FieldInterface::Text);
        f.max_length = Some(3);
        assert_eq!(
            coerce(&f, &json!("äbc")).unwrap(),
            SqlValue::Text("äbc".into())
        );
        assert!(coerce(&f, &json!("abcd")).is_err());
        let huge = "x".repeat(10 << 20);
        assert!(coerce(&field(FieldInterface::LongText), &json!(huge)).is_err());
    }

    #[test]
    fn decimals_stay_exact_text() {
        let f = field(FieldInterface::Decimal);
        assert_eq!(
            coerce(&f, &json!("12345678901234567890.12")).unwrap(),
            SqlValue::Text("12345678901234567890.12".into())
        );
        for bad in ["1e5", "12.", ".5", "abc", "1.2.3", "--1"] {
            assert!(coerce(&f, &json!(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_times_and_others() {
        assert_eq!(
            coerce(&field(FieldInterface::Date), &json!("2026-11-23")).unwrap(),
            SqlValue::Date("2026-11-23".into())
        );
        assert!(coerce(&field(FieldInterface::Date), &json!("23.11.2026")).is_err());
        assert!(matches!(
            coerce(
                &field(FieldInterface::Datetime),
                &json!("2026-11-23T09:05:00Z")
            )
            .unwrap(),
            SqlValue::Datetime(_)
        ));
        assert!(coerce(&field(FieldInterface::Time), &json!("09:05")).is_ok());
        assert!(coerce(&field(FieldInterface::Time), &json!("9 o'clock")).is_err());
        assert_eq!(
            coerce(&field(FieldInterface::Boolean), &json!("true")).unwrap(),
            SqlValue::Bool(true)
        );
        assert!(coerce(&field(FieldInterface::Boolean), &json!("yes")).is_err());
        assert!(coerce(&field(FieldInterface::Uuid), &json!("not-a-uuid")).is_err());
        assert_eq!(
            coerce(&field(FieldInterface::Json), &json!({"a": [1]})).unwrap(),
            SqlValue::Text(r#"{"a":[1]}"#.into())
        );
        assert!(coerce(&field(FieldInterface::Unsupported), &json!("x")).is_err());
        for odd in ["2026-11-2😀", "2026-11-23T😀", "😀:05"] {
            for interface in [
                FieldInterface::Date,
                FieldInterface::Datetime,
                FieldInterface::Time,
            ] {
                assert!(coerce(&field(interface), &json!(odd)).is_err(), "{odd}");
            }
        }
        let mut choice = field(FieldInterface::Enum);
        choice.options = vec!["red".into(), "green".into()];
        assert!(coerce(&choice, &json!("red")).is_ok());
        assert_eq!(
            coerce(&choice, &json!("blue")).unwrap_err().to_string(),
            "f: must be one of: red, green"
        );
    }
}
