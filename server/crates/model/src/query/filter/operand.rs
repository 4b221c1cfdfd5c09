//! Each operator's operand checked and brought to the one shape the module
//! documentation promises, so compilers need no fallbacks.

use serde_json::Value;

use super::date;
use super::{FieldPath, FilterError, Operand, Operator};

/// The operator (possibly normalised, e.g. `$eq` with an array becomes
/// `In`) and its operand. `token` is the operator as the client wrote it.
pub(super) fn shape(
    path: &FieldPath,
    token: &str,
    operator: Operator,
    value: &Value,
) -> Result<(Operator, Operand), FilterError> {
    let refuse = |what: &str| FilterError::new(format!("`{token}` on `{path}` {what}"));
    use Operator as Op;
    let operand = match operator {
        Op::Eq | Op::Ne => match value {
            Value::Array(items) => {
                let listed = if operator == Op::Eq {
                    Op::In
                } else {
                    Op::NotIn
                };
                return Ok((listed, Operand::List(scalars(items, &refuse)?)));
            }
            Value::Object(_) => return Err(refuse("takes a string, number, boolean or null")),
            _ => Operand::Value(value.clone()),
        },
        Op::In | Op::NotIn => match value {
            Value::Null => Operand::List(Vec::new()),
            Value::Array(items) => Operand::List(scalars(items, &refuse)?),
            Value::Object(_) => return Err(refuse("takes a list of values")),
            _ => Operand::List(vec![value.clone()]),
        },
        Op::Gt | Op::Gte | Op::Lt | Op::Lte => match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => Operand::Value(value.clone()),
            _ => return Err(refuse("takes a string, number or boolean")),
        },
        Op::Between | Op::NotBetween => match value {
            Value::Array(items) if items.len() == 2 => {
                let mut bounds = scalars(items, &refuse)?.into_iter();
                match (bounds.next(), bounds.next()) {
                    (Some(low), Some(high)) => Operand::Range(low, high),
                    _ => return Err(refuse("takes [low, high]")),
                }
            }
            _ => return Err(refuse("takes [low, high]")),
        },
        Op::Empty | Op::NotEmpty => match value {
            // NocoBase ignores the operand; `false` reading as "is empty"
            // would surprise, so it is refused.
            Value::Bool(false) => return Err(refuse("takes true")),
            Value::String(text) if text == "false" => return Err(refuse("takes true")),
            _ => Operand::None,
        },
        Op::IsTruly | Op::IsFalsy => {
            let holds = match value {
                Value::Bool(flag) => *flag,
                Value::String(text) if text == "true" => true,
                Value::String(text) if text == "false" => false,
                _ => return Err(refuse("takes true or false")),
            };
            let operator = match (operator, holds) {
                (Op::IsTruly, true) | (Op::IsFalsy, false) => Op::IsTruly,
                _ => Op::IsFalsy,
            };
            return Ok((operator, Operand::None));
        }
        Op::Includes
        | Op::NotIncludes
        | Op::StartsWith
        | Op::NotStartsWith
        | Op::EndWith
        | Op::NotEndWith => match value {
            Value::Null if matches!(operator, Op::Includes | Op::NotIncludes) => {
                Operand::Value(Value::Null)
            }
            Value::Array(items) if !items.is_empty() => Operand::List(
                items
                    .iter()
                    .map(|item| text(item).ok_or_else(|| refuse("takes strings")))
                    .collect::<Result<_, _>>()?,
            ),
            _ => Operand::Value(
                text(value)
                    .ok_or_else(|| refuse("takes a string or a non-empty list of strings"))?,
            ),
        },
        Op::Like | Op::NotLike | Op::ILike | Op::NotILike => match value {
            Value::String(_) => Operand::Value(value.clone()),
            _ => return Err(refuse("takes a pattern string")),
        },
        Op::DateOn | Op::DateNotOn | Op::DateBefore | Op::DateAfter => {
            Operand::Value(date_operand(value, &refuse)?)
        }
        Op::DateBetween => match value {
            Value::Array(items) if items.len() == 2 => Operand::Range(
                date_operand(&items[0], &refuse)?,
                date_operand(&items[1], &refuse)?,
            ),
            Value::Object(map) if map.contains_key("type") => {
                return Err(refuse(
                    "uses a relative date range; relative date ranges are not supported",
                ));
            }
            _ => return Err(refuse("takes [start, end] dates")),
        },
    };
    Ok((operator, operand))
}

/// Non-null scalars for a list operand.
fn scalars(
    items: &[Value],
    refuse: &impl Fn(&str) -> FilterError,
) -> Result<Vec<Value>, FilterError> {
    items
        .iter()
        .map(|item| match item {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(item.clone()),
            Value::Null => Err(refuse("cannot list null (use `$empty` or `$notEmpty`)")),
            _ => Err(refuse("takes a list of strings, numbers or booleans")),
        })
        .collect()
}

/// A search text; numbers and booleans are searched for as written.
fn text(value: &Value) -> Option<Value> {
    match value {
        Value::String(_) => Some(value.clone()),
        Value::Number(number) => Some(Value::String(number.to_string())),
        Value::Bool(flag) => Some(Value::String(flag.to_string())),
        _ => None,
    }
}

fn date_operand(
    value: &Value,
    refuse: &impl Fn(&str) -> FilterError,
) -> Result<Value, FilterError> {
    match value {
        Value::String(text) if date::is_day(text) || date::is_instant(text) => Ok(value.clone()),
        Value::Object(map) if map.contains_key("type") => Err(refuse(
            "uses a relative date range; relative date ranges are not supported",
        )),
        _ => Err(refuse(
            "takes a date (YYYY-MM-DD) or an RFC 3339 date-time with offset",
        )),
    }
}
