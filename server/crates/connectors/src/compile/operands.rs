//! A condition's operand checked against its field and turned into bound
//! values, or refused as the client's mistake.

use model::data::FieldInterface;
use model::query::{Operand, Operator};
use serde_json::Value;

use crate::schema::Field;
use crate::value::{SqlValue, coerce};
use crate::{Error, Result};

pub(super) fn scalar(field: &Field, operator: Operator, operand: &Operand) -> Result<SqlValue> {
    match operand {
        Operand::Value(Value::Null) => Ok(SqlValue::Null),
        Operand::Value(value) => {
            comparable_field(field, operator)?;
            coerce(field, value)
        }
        _ => Err(wrong_operand(field, operator, "one value")),
    }
}

/// JSON documents have no comparison every engine agrees on (PostgreSQL
/// has none for `json`, MySQL and SQLite compare the text as written).
fn comparable_field(field: &Field, operator: Operator) -> Result<()> {
    if field.interface == FieldInterface::Json {
        return Err(Error::InvalidQuery(format!(
            "{} cannot compare JSON documents (`{}`); use $empty or $notEmpty",
            operator.as_str(),
            field.name
        )));
    }
    Ok(())
}

pub(super) fn list(field: &Field, operator: Operator, operand: &Operand) -> Result<Vec<SqlValue>> {
    comparable_field(field, operator)?;
    let values: Vec<&Value> = match operand {
        Operand::List(values) => values.iter().collect(),
        Operand::Value(value) => vec![value],
        _ => return Err(wrong_operand(field, operator, "a list of values")),
    };
    let mut coerced = Vec::with_capacity(values.len());
    for value in values {
        match coerce(field, value)? {
            // `IN (NULL)` matches nothing, as in NocoBase: leave nulls out.
            SqlValue::Null => {}
            value => coerced.push(value),
        }
    }
    Ok(coerced)
}

pub(super) fn range(
    field: &Field,
    operator: Operator,
    operand: &Operand,
) -> Result<(SqlValue, SqlValue)> {
    comparable_field(field, operator)?;
    let Operand::Range(low, high) = operand else {
        return Err(wrong_operand(field, operator, "two values"));
    };
    match (coerce(field, low)?, coerce(field, high)?) {
        (SqlValue::Null, _) | (_, SqlValue::Null) => Err(wrong_operand(
            field,
            operator,
            "two values that are not null",
        )),
        pair => Ok(pair),
    }
}

pub(super) fn strings(field: &Field, operator: Operator, operand: &Operand) -> Result<Vec<String>> {
    let values: Vec<&Value> = match operand {
        Operand::Value(value) => vec![value],
        Operand::List(values) => values.iter().collect(),
        _ => return Err(wrong_operand(field, operator, "text")),
    };
    values
        .into_iter()
        .map(|value| match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(wrong_operand(field, operator, "text")),
        })
        .collect()
}

pub(super) fn require_text(field: &Field, operator: Operator, textual: bool) -> Result<()> {
    if textual {
        Ok(())
    } else {
        Err(wrong_type(field, operator, "text"))
    }
}

pub(super) fn wrong_type(field: &Field, operator: Operator, kind: &str) -> Error {
    Error::InvalidQuery(format!(
        "{} applies to {kind} fields; `{}` is {}",
        operator.as_str(),
        field.name,
        field.interface.as_str()
    ))
}

pub(super) fn wrong_operand(field: &Field, operator: Operator, expected: &str) -> Error {
    Error::invalid_value(
        &field.name,
        format!("{} needs {expected}", operator.as_str()),
    )
}
