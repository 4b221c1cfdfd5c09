//! Values across the wire: parameters as tiberius `ColumnData`, and result
//! cells back as the JSON every engine answers with (datetimes as UTC ISO
//! text with milliseconds, exact decimals as text, binary as hex, UUIDs in
//! lowercase).

use std::borrow::Cow;

use serde_json::{Map, Value};
use tiberius::time::{Date, DateTime2, Time};
use tiberius::{ColumnData, Row};

use crate::value::SqlValue;

const MS_PER_DAY: i64 = 86_400_000;
/// Days from 0001-01-01 (`date` and `datetime2` count from there) to 1970-01-01.
const UNIX_EPOCH_DAYS: i64 = 719_162;
/// Days from 1900-01-01 (`datetime` and `smalldatetime`) to 1970-01-01.
const DAYS_1900_TO_1970: i64 = 25_567;
/// 9999-12-31, the last day a `date` holds.
const LAST_DAY: i64 = 3_652_058;

/// A parameter as SQL Server receives it. Dates and instants go typed, so
/// no session DATEFORMAT or language can misread them; a value outside
/// SQL Server's range goes as text for the server to refuse. NULL travels as
/// an untyped-looking `nvarchar`, which converts to every column type but
/// binary ones (the dialect casts those placeholders).
pub(super) fn param(value: &SqlValue) -> ColumnData<'_> {
    match value {
        SqlValue::Null => ColumnData::String(None),
        SqlValue::Bool(b) => ColumnData::Bit(Some(*b)),
        SqlValue::Int(i) => ColumnData::I64(Some(*i)),
        SqlValue::Float(f) => ColumnData::F64(Some(*f)),
        SqlValue::Text(text) => ColumnData::String(Some(Cow::Borrowed(text))),
        SqlValue::Date(day) => match model::time::parse_date(day).and_then(date) {
            Some(date) => ColumnData::Date(Some(date)),
            None => ColumnData::String(Some(Cow::Borrowed(day))),
        },
        SqlValue::Datetime(ms) => match date(*ms) {
            // 100-nanosecond increments since midnight: datetime2(7).
            Some(day) => {
                let increments = ms.rem_euclid(MS_PER_DAY).unsigned_abs() * 10_000;
                ColumnData::DateTime2(Some(DateTime2::new(day, Time::new(increments, 7))))
            }
            None => ColumnData::String(Some(Cow::Owned(model::time::iso8601_millis(*ms)))),
        },
        SqlValue::Bytes(bytes) => ColumnData::Binary(Some(Cow::Borrowed(bytes))),
    }
}

/// The `date` holding the instant `unix_ms`, if SQL Server can store it.
fn date(unix_ms: i64) -> Option<Date> {
    let days = unix_ms.div_euclid(MS_PER_DAY) + UNIX_EPOCH_DAYS;
    let days = u32::try_from(days)
        .ok()
        .filter(|d| i64::from(*d) <= LAST_DAY)?;
    Some(Date::new(days))
}

/// One row as a JSON object keyed by column name.
pub(super) fn row_object(row: &Row) -> Map<String, Value> {
    row.cells()
        .map(|(column, data)| (column.name().to_owned(), cell(data)))
        .collect()
}

/// Any integer cell (`COUNT(*)` is an `int`, catalog numbers are `smallint`…).
pub(super) fn integer(data: &ColumnData<'_>) -> Option<i64> {
    match data {
        ColumnData::U8(v) => v.map(i64::from),
        ColumnData::I16(v) => v.map(i64::from),
        ColumnData::I32(v) => v.map(i64::from),
        ColumnData::I64(v) => *v,
        ColumnData::Numeric(v) => {
            v.and_then(|n| i64::try_from(n.value()).ok().filter(|_| n.scale() == 0))
        }
        _ => None,
    }
}

pub(super) fn cell(data: &ColumnData<'_>) -> Value {
    let value = match data {
        ColumnData::U8(v) => v.map(Value::from),
        ColumnData::I16(v) => v.map(Value::from),
        ColumnData::I32(v) => v.map(Value::from),
        ColumnData::I64(v) => v.map(Value::from),
        // Through its shortest text, so a `real` 0.1 reads 0.1, not 0.10000000149011612.
        ColumnData::F32(v) => v
            .and_then(|f| f.to_string().parse::<f64>().ok())
            .map(Value::from),
        ColumnData::F64(v) => v.map(Value::from),
        ColumnData::Bit(v) => v.map(Value::Bool),
        ColumnData::String(v) => v.as_ref().map(|s| Value::String(s.to_string())),
        ColumnData::Guid(v) => v.map(|id| Value::String(id.to_string())),
        ColumnData::Binary(v) => v
            .as_ref()
            .map(|b| Value::String(data_encoding::HEXLOWER.encode(b))),
        ColumnData::Numeric(v) => v.map(|n| Value::String(decimal_text(n.value(), n.scale()))),
        ColumnData::Xml(v) => v.as_ref().map(|xml| Value::String(xml.to_string())),
        ColumnData::DateTime(v) => v.map(|dt| {
            // 1/300 s ticks, rounded to the millisecond as SQL Server shows them.
            let ms = (i64::from(dt.seconds_fragments()) * 1000 + 150) / 300;
            instant(i64::from(dt.days()) - DAYS_1900_TO_1970, ms)
        }),
        ColumnData::SmallDateTime(v) => v.map(|dt| {
            let minutes = i64::from(dt.seconds_fragments());
            instant(i64::from(dt.days()) - DAYS_1900_TO_1970, minutes * 60_000)
        }),
        ColumnData::Date(v) => v.map(|d| {
            let days = i64::from(d.days()) - UNIX_EPOCH_DAYS;
            let iso = model::time::iso8601(days * MS_PER_DAY);
            Value::String(iso[..10].to_owned())
        }),
        ColumnData::Time(v) => v.map(|t| Value::String(time_of_day(nanos(t)))),
        ColumnData::DateTime2(v) => v.map(datetime2),
        // The date and time of a datetimeoffset are in UTC; the offset only
        // says where it was written.
        ColumnData::DateTimeOffset(v) => v.map(|dto| datetime2(dto.datetime2())),
    };
    value.unwrap_or(Value::Null)
}

fn datetime2(dt: DateTime2) -> Value {
    let days = i64::from(dt.date().days()) - UNIX_EPOCH_DAYS;
    let ms = i64::try_from(nanos(dt.time()) / 1_000_000).unwrap_or_default();
    instant(days, ms)
}

fn instant(unix_days: i64, ms_of_day: i64) -> Value {
    Value::String(model::time::iso8601_millis(
        unix_days * MS_PER_DAY + ms_of_day,
    ))
}

/// Nanoseconds since midnight of a `time` (its scale is 0 to 7).
fn nanos(time: Time) -> u64 {
    let scale = u32::from(time.scale().min(9));
    time.increments().saturating_mul(10u64.pow(9 - scale))
}

/// `09:05:00`, with the fraction only when there is one (`09:05:00.5`).
fn time_of_day(nanos: u64) -> String {
    let seconds = nanos / 1_000_000_000;
    let fraction = nanos % 1_000_000_000;
    let clock = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    );
    if fraction == 0 {
        clock
    } else {
        let digits = format!("{fraction:09}");
        format!("{clock}.{}", digits.trim_end_matches('0'))
    }
}

/// `value` scaled down by `scale` digits: 999 at scale 2 is `9.99`, and the
/// scale is kept (`12.00`), as the other engines show decimals.
fn decimal_text(value: i128, scale: u8) -> String {
    let digits = value.unsigned_abs().to_string();
    let sign = if value < 0 { "-" } else { "" };
    let scale = usize::from(scale);
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tiberius::numeric::Numeric;
    use tiberius::time::{DateTime, DateTimeOffset, SmallDateTime};

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal_text(999, 2), "9.99");
        assert_eq!(decimal_text(1200, 2), "12.00");
        assert_eq!(decimal_text(0, 2), "0.00");
        assert_eq!(decimal_text(-525, 2), "-5.25");
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(42, 0), "42");
        let numeric = ColumnData::Numeric(Some(Numeric::new_with_scale(10050, 2)));
        assert_eq!(cell(&numeric), json!("100.50"));
        assert_eq!(
            integer(&ColumnData::Numeric(Some(Numeric::new_with_scale(7, 0)))),
            Some(7)
        );
    }

    #[test]
    fn dates_and_instants_in_one_form() {
        // 2026-11-23 is day 739942 counted from 0001-01-01.
        let day = Date::new(739_942);
        assert_eq!(cell(&ColumnData::Date(Some(day))), json!("2026-11-23"));
        let nine_five = Time::new((9 * 3600 + 5 * 60) * 10_000_000 + 2_500_000, 7);
        let at = DateTime2::new(day, nine_five);
        assert_eq!(
            cell(&ColumnData::DateTime2(Some(at))),
            json!("2026-11-23T09:05:00.250Z")
        );
        // Stored in UTC; the +01:00 it was written with does not move it.
        let zoned = DateTimeOffset::new(at, 60);
        assert_eq!(
            cell(&ColumnData::DateTimeOffset(Some(zoned))),
            json!("2026-11-23T09:05:00.250Z")
        );
        // datetime: days since 1900 (46_347 is 2026-11-23), 1/300 s ticks.
        let legacy = DateTime::new(46_347, (9 * 3600 + 5 * 60) * 300 + 2);
        assert_eq!(
            cell(&ColumnData::DateTime(Some(legacy))),
            json!("2026-11-23T09:05:00.007Z")
        );
        let small = SmallDateTime::new(46_347, 9 * 60 + 5);
        assert_eq!(
            cell(&ColumnData::SmallDateTime(Some(small))),
            json!("2026-11-23T09:05:00.000Z")
        );
        assert_eq!(
            cell(&ColumnData::Time(Some(nine_five))),
            json!("09:05:00.25")
        );
        assert_eq!(
            cell(&ColumnData::Time(Some(Time::new(32_700, 0)))),
            json!("09:05:00")
        );
    }

    #[test]
    fn other_cells() {
        assert_eq!(cell(&ColumnData::Bit(Some(true))), json!(true));
        assert_eq!(cell(&ColumnData::I32(None)), Value::Null);
        assert_eq!(cell(&ColumnData::F32(Some(0.1))), json!(0.1));
        assert_eq!(cell(&ColumnData::U8(Some(255))), json!(255));
        let bytes = ColumnData::Binary(Some(Cow::Borrowed(&[0xde, 0xad][..])));
        assert_eq!(cell(&bytes), json!("dead"));
        let id = tiberius::Uuid::parse_str("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11").unwrap();
        assert_eq!(
            cell(&ColumnData::Guid(Some(id))),
            json!("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        );
    }

    #[test]
    fn parameters_are_typed() {
        let day = SqlValue::Date("2026-11-23".into());
        assert!(matches!(param(&day), ColumnData::Date(Some(d)) if d.days() == 739_942));
        let ms = model::time::parse_datetime("2026-11-23T09:05:00.250Z").unwrap();
        match param(&SqlValue::Datetime(ms)) {
            ColumnData::DateTime2(Some(at)) => {
                assert_eq!(at.date().days(), 739_942);
                assert_eq!(
                    at.time().increments(),
                    (9 * 3600 + 5 * 60) * 10_000_000 + 2_500_000
                );
                assert_eq!(at.time().scale(), 7);
            }
            other => panic!("expected datetime2, got {other:?}"),
        }
        // Before 0001-01-01: sent as text for the server to refuse.
        let ancient = model::time::parse_datetime("0001-01-01T00:00:00Z").unwrap() - 1;
        assert!(matches!(
            param(&SqlValue::Datetime(ancient)),
            ColumnData::String(Some(_))
        ));
        assert!(matches!(param(&SqlValue::Null), ColumnData::String(None)));
        assert!(matches!(param(&SqlValue::Int(7)), ColumnData::I64(Some(7))));
    }
}
