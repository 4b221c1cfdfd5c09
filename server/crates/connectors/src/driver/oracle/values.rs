//! Parameters into Oracle's types, and column values out as the JSON every
//! engine answers with: whole NUMBERs as numbers, other NUMBERs as exact
//! text (`decode::normalise` gives decimals their scale and turns floating
//! ones into numbers), instants as ISO 8601 in UTC, binary as hex.

use oracledb::{DbType, JsonValue, OracleNumber, OracleTimestamp, Row, ToDbValue};
use serde_json::{Map, Value};

use crate::value::SqlValue;
use crate::{Error, Result};

/// One bound value. Booleans are bound as 1 and 0: columns holding flags
/// are NUMBER(1) (a BOOLEAN bind needs 23ai). Instants are naive
/// TIMESTAMPs in UTC, the session's time zone (see `connect`), so a
/// TIMESTAMP WITH TIME ZONE column compares them as UTC too.
pub(super) fn param(value: &SqlValue) -> Result<Box<dyn ToDbValue>> {
    Ok(match value {
        SqlValue::Null => Box::new(None::<String>),
        SqlValue::Bool(b) => Box::new(i64::from(*b)),
        SqlValue::Int(i) => Box::new(*i),
        SqlValue::Float(f) => Box::new(*f),
        SqlValue::Text(t) => Box::new(t.clone()),
        SqlValue::Date(day) => Box::new(date(day)?),
        SqlValue::Datetime(ms) => Box::new(instant(*ms)?),
        SqlValue::Bytes(b) => Box::new(b.clone()),
    })
}

fn date(day: &str) -> Result<OracleTimestamp> {
    let ms = model::time::parse_date(day)
        .ok_or_else(|| Error::InvalidQuery(format!("`{day}` is not a date")))?;
    instant(ms)
}

/// Unix milliseconds as the civil UTC time Oracle stores.
fn instant(ms: i64) -> Result<OracleTimestamp> {
    let iso = model::time::iso8601_millis(ms);
    let part = |range: std::ops::Range<usize>| iso.get(range).and_then(|p| p.parse::<u32>().ok());
    let parsed = (|| {
        let year = i16::try_from(part(0..4)?).ok()?;
        let narrow = |range| part(range).and_then(|v| u8::try_from(v).ok());
        Some(OracleTimestamp::new_timestamp(
            year,
            narrow(5..7)?,
            narrow(8..10)?,
            narrow(11..13)?,
            narrow(14..16)?,
            narrow(17..19)?,
            part(20..23)? * 1_000_000,
        ))
    })();
    parsed.ok_or_else(|| Error::InvalidQuery(format!("{iso} is outside the dates Oracle stores")))
}

/// The type of the out bind that receives an inserted key, by its field.
pub(super) fn key_type(interface: model::data::FieldInterface) -> &'static DbType {
    use model::data::FieldInterface::*;
    match interface {
        Integer | Decimal | Number | Boolean => oracledb::DB_TYPE_NUMBER,
        Binary => oracledb::DB_TYPE_RAW,
        Datetime | Date => oracledb::DB_TYPE_TIMESTAMP,
        _ => oracledb::DB_TYPE_VARCHAR,
    }
}

/// Every column of `row`, named by its alias.
pub(super) fn row_object(row: &Row) -> Map<String, Value> {
    row.columns()
        .iter()
        .enumerate()
        .map(|(i, column)| (column.name().to_owned(), cell(row, i, column.db_type())))
        .collect()
}

/// One value, by the column's type. A value of a type Ferrobase does not
/// show (objects, vectors) reads as null rather than failing the page.
pub(super) fn cell(row: &Row, index: usize, db_type: &DbType) -> Value {
    use oracledb::{
        DB_TYPE_BINARY_DOUBLE, DB_TYPE_BINARY_FLOAT, DB_TYPE_BINARY_INTEGER, DB_TYPE_BOOLEAN,
        DB_TYPE_INTERVAL_DS, DB_TYPE_INTERVAL_YM, DB_TYPE_JSON, DB_TYPE_NUMBER, OracleIntervalDS,
        OracleIntervalYM,
    };
    let t = db_type;
    let value = if t == DB_TYPE_NUMBER || t == DB_TYPE_BINARY_INTEGER {
        row.get::<Option<OracleNumber>>(index)
            .map(|n| n.map(|n| number(&n.to_string())))
    } else if t == DB_TYPE_BINARY_DOUBLE {
        row.get::<Option<f64>>(index).map(|f| f.map(Value::from))
    } else if t == DB_TYPE_BINARY_FLOAT {
        row.get::<Option<f32>>(index)
            .map(|f| f.map(|f| Value::from(f64::from(f))))
    } else if t.is_date_type() {
        row.get::<Option<OracleTimestamp>>(index)
            .map(|at| at.map(|at| Value::String(timestamp(&at))))
    } else if t == DB_TYPE_BOOLEAN {
        row.get::<Option<bool>>(index).map(|b| b.map(Value::Bool))
    } else if t.is_binary_type() {
        row.get::<Option<Vec<u8>>>(index)
            .map(|b| b.map(|b| Value::String(data_encoding::HEXLOWER.encode(&b))))
    } else if t == DB_TYPE_JSON {
        row.get::<Option<JsonValue>>(index)
            .map(|j| j.map(|j| json(&j)))
    } else if t == DB_TYPE_INTERVAL_DS {
        row.get::<Option<OracleIntervalDS>>(index)
            .map(|i| i.map(|i| Value::String(i.to_string())))
    } else if t == DB_TYPE_INTERVAL_YM {
        row.get::<Option<OracleIntervalYM>>(index)
            .map(|i| i.map(|i| Value::String(i.to_string())))
    } else {
        // Text of every kind: (N)VARCHAR2, (N)CHAR, (N)CLOB and LONG read
        // whole, ROWID.
        row.get::<Option<String>>(index)
            .map(|s| s.map(Value::String))
    };
    value.ok().flatten().unwrap_or(Value::Null)
}

/// A whole number that fits as a JSON number; anything else as exact text.
fn number(text: &str) -> Value {
    match text.parse::<i64>() {
        Ok(whole) => Value::from(whole),
        Err(_) => Value::String(text.to_owned()),
    }
}

/// `2026-11-23T09:05:00.250Z`: DATE and TIMESTAMP hold UTC by Ferrobase's
/// writing (the session is UTC), and TIMESTAMP WITH TIME ZONE arrives in UTC.
fn timestamp(at: &OracleTimestamp) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanoseconds() / 1_000_000
    )
}

/// A native JSON (21c) document as serde JSON; Oracle's extended scalars
/// (timestamps, binary) take the forms the columns of those types read as.
fn json(value: &JsonValue) -> Value {
    match value {
        JsonValue::Null => Value::Null,
        JsonValue::Boolean(b) => Value::Bool(*b),
        JsonValue::String(s) => Value::String(s.clone()),
        JsonValue::Number(n) => {
            let text = n.to_string();
            match number(&text) {
                Value::String(_) => text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::String(text), Value::Number),
                whole => whole,
            }
        }
        JsonValue::BinaryDouble(f) => Value::from(*f),
        JsonValue::BinaryFloat(f) => Value::from(f64::from(*f)),
        JsonValue::Timestamp(at) => Value::String(timestamp(at)),
        JsonValue::IntervalDS(i) => Value::String(i.to_string()),
        JsonValue::IntervalYM(i) => Value::String(i.to_string()),
        JsonValue::Raw(b) | JsonValue::JsonId(b) => {
            Value::String(data_encoding::HEXLOWER.encode(b))
        }
        JsonValue::JsonArray(items) => Value::Array(items.iter().map(json).collect()),
        JsonValue::JsonObject(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), json(value)))
                .collect(),
        ),
        JsonValue::Vector(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_stay_exact() {
        assert_eq!(number("42"), json!(42));
        assert_eq!(number("-7"), json!(-7));
        assert_eq!(number("9.99"), json!("9.99"));
        assert_eq!(
            number("123456789012345678901234567890"),
            json!("123456789012345678901234567890")
        );
    }

    #[test]
    fn instants_bind_as_utc_civil_time() {
        let ms = model::time::parse_datetime("2026-11-23T10:05:00.250+01:00").unwrap();
        let at = instant(ms).unwrap();
        assert_eq!(
            (
                at.year(),
                at.month(),
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            ),
            (2026, 11, 23, 9, 5, 0)
        );
        assert_eq!(at.nanoseconds(), 250_000_000);
        assert_eq!(timestamp(&at), "2026-11-23T09:05:00.250Z");
        let day = date("2026-02-28").unwrap();
        assert_eq!(timestamp(&day), "2026-02-28T00:00:00.000Z");
        assert!(date("2026-02-30").is_err());
    }

    #[test]
    fn native_json_documents_convert() {
        let mut fields = std::collections::HashMap::new();
        fields.insert("a".to_owned(), JsonValue::Number("1".parse().unwrap()));
        fields.insert("b".to_owned(), JsonValue::Number("0.5".parse().unwrap()));
        let document = JsonValue::JsonArray(vec![
            JsonValue::JsonObject(fields),
            JsonValue::String("x".into()),
            JsonValue::Boolean(true),
            JsonValue::Null,
        ]);
        assert_eq!(
            json(&document),
            json!([{"a": 1, "b": 0.5}, "x", true, null])
        );
    }
}
