//! Date conditions: a day or an instant as NocoBase reads them, and
//! datetime columns compared in one form on every engine.

use model::data::FieldInterface;
use model::query::{Operand, Operator};
use serde_json::Value;

use super::Builder;
use super::operands::{wrong_operand, wrong_type};
use crate::dialect::Dialect;
use crate::schema::Field;
use crate::value::SqlValue;
use crate::{Error, Result};

/// The column as compared with a value. SQLite keeps datetimes as text in
/// whatever form the writer chose (`CURRENT_TIMESTAMP` writes
/// `2026-11-23 09:05:00`, Ferrobase `2026-11-23T09:05:00.000Z`); text
/// comparison across forms is wrong, so both sides meet in Ferrobase's form.
pub(super) fn comparable(dialect: Dialect, column: &str, field: &Field) -> String {
    match (dialect, field.interface) {
        (Dialect::Sqlite, FieldInterface::Datetime) => {
            format!("strftime('%Y-%m-%dT%H:%M:%fZ', {column})")
        }
        _ => column.to_owned(),
    }
}

/// A date operand is a whole day (`YYYY-MM-DD`: midnight UTC to the next
/// midnight) or an exact instant (a full timestamp), as in NocoBase.
pub(super) fn date_condition(
    b: &mut Builder,
    column: &str,
    field: &Field,
    operator: Operator,
    operand: &Operand,
) -> Result<()> {
    use Operator::*;
    const DAY: i64 = 86_400_000;
    if !matches!(
        field.interface,
        FieldInterface::Date | FieldInterface::Datetime
    ) {
        return Err(wrong_type(field, operator, "date"));
    }
    // (start, end): a day spans [start, end); an instant has start == end.
    let moment = |value: &Value| -> Result<(i64, i64)> {
        let text = value.as_str().unwrap_or_default();
        let parsed = if text.len() == 10 {
            model::time::parse_date(text).map(|day| (day, day + DAY))
        } else {
            crate::value::parse_instant(text).map(|at| (at, at))
        };
        parsed.ok_or_else(|| {
            Error::invalid_value(&field.name, format!("{} needs a date", operator.as_str()))
        })
    };
    let bound = |ms: i64| match field.interface {
        FieldInterface::Date => SqlValue::Date(model::time::iso8601(ms)[..10].to_owned()),
        _ => SqlValue::Datetime(ms),
    };
    let compare = |b: &mut Builder, symbol: &str, ms: i64| {
        b.push(&format!("{column} {symbol} "));
        b.bind(bound(ms), Some(field));
    };
    match (operator, operand) {
        (DateBetween, Operand::Range(low, high)) => {
            let ((from, _), (_, until)) = (moment(low)?, moment(high)?);
            b.push("(");
            compare(b, ">=", from);
            b.push(" AND ");
            compare(b, "<", until);
            b.push(")");
        }
        (DateBetween, _) => return Err(wrong_operand(field, operator, "two dates")),
        (_, Operand::Value(value)) => {
            let (start, end) = moment(value)?;
            let instant = start == end;
            match operator {
                DateBefore => compare(b, "<", start),
                DateAfter => compare(b, if instant { ">" } else { ">=" }, end),
                DateOn if instant => compare(b, "=", start),
                DateNotOn if instant => compare(b, "<>", start),
                DateOn => {
                    b.push("(");
                    compare(b, ">=", start);
                    b.push(" AND ");
                    compare(b, "<", end);
                    b.push(")");
                }
                _ => {
                    b.push("(");
                    compare(b, "<", start);
                    b.push(" OR ");
                    compare(b, ">=", end);
                    b.push(")");
                }
            }
        }
        _ => return Err(wrong_operand(field, operator, "a date")),
    }
    Ok(())
}
