//! Filter rows as data: which operators fit a field, and the rows to and
//! from the filter JSON the REST API takes. The server parses that JSON
//! with the same parser (`model::query`), so what the builder writes works
//! in an API call and the other way round.

use model::data::{FieldInterface, FieldView};
use model::query::Operator;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
}

impl Logic {
    fn token(self) -> &'static str {
        match self {
            Logic::And => "$and",
            Logic::Or => "$or",
        }
    }
}

/// One row as typed; `upper` is the second bound of "between".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    pub field: String,
    pub operator: String,
    pub value: String,
    pub upper: String,
}

/// How many values an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    None,
    One,
    Two,
}

pub fn arity(operator: Operator) -> Arity {
    use Operator::*;
    match operator {
        Empty | NotEmpty | IsTruly | IsFalsy => Arity::None,
        Between | NotBetween | DateBetween => Arity::Two,
        _ => Arity::One,
    }
}

/// The operators offered for a field: those its type supports (the
/// connector refuses text operators on numbers, for example).
pub fn operators(interface: FieldInterface) -> &'static [Operator] {
    use FieldInterface as F;
    use Operator::*;
    match interface {
        F::Text | F::LongText | F::Uuid => &[
            Includes,
            NotIncludes,
            Eq,
            Ne,
            StartsWith,
            EndWith,
            Empty,
            NotEmpty,
        ],
        F::Enum => &[Eq, Ne, Empty, NotEmpty],
        F::Integer | F::Number | F::Decimal => {
            &[Eq, Ne, Gt, Gte, Lt, Lte, Between, Empty, NotEmpty]
        }
        F::Boolean => &[IsTruly, IsFalsy],
        F::Date | F::Datetime => &[
            DateOn,
            DateNotOn,
            DateBefore,
            DateAfter,
            DateBetween,
            Empty,
            NotEmpty,
        ],
        F::Time => &[Eq, Ne, Gt, Lt, Empty, NotEmpty],
        F::Json | F::Binary | F::Unsupported => &[Empty, NotEmpty],
    }
}

/// A typed value: numbers as numbers for numeric fields, text otherwise.
fn operand_value(interface: FieldInterface, text: &str) -> Value {
    let text = text.trim();
    if interface.is_numeric() {
        if let Ok(n) = text.parse::<i64>() {
            return json!(n);
        }
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

/// The filter JSON for the complete rows (empty text when there are none):
/// `{"$and": [{"title": {"$includes": "rust"}}, …]}`.
pub fn to_json(logic: Logic, rows: &[Condition], fields: &[FieldView]) -> String {
    let items: Vec<Value> = rows
        .iter()
        .filter_map(|row| {
            let field = fields.iter().find(|f| f.name == row.field)?;
            let operator = Operator::parse(&row.operator)?;
            let operand = match arity(operator) {
                Arity::None => Value::Bool(true),
                Arity::One if row.value.trim().is_empty() => return None,
                Arity::One => operand_value(field.interface, &row.value),
                Arity::Two if row.value.trim().is_empty() || row.upper.trim().is_empty() => {
                    return None;
                }
                Arity::Two => json!([
                    operand_value(field.interface, &row.value),
                    operand_value(field.interface, &row.upper)
                ]),
            };
            Some(json!({ row.field.clone(): { operator.as_str(): operand } }))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    json!({ logic.token(): items }).to_string()
}

/// The rows of a filter this builder wrote; `None` for any other shape
/// (hand-written in the address bar), which then stays applied as it is.
pub fn from_json(text: &str) -> Option<(Logic, Vec<Condition>)> {
    let value: Value = serde_json::from_str(text).ok()?;
    let (token, items) = single(value.as_object()?)?;
    let logic = match token.as_str() {
        "$and" => Logic::And,
        "$or" => Logic::Or,
        _ => return None,
    };
    let rows = items
        .as_array()?
        .iter()
        .map(|item| {
            let (field, test) = single(item.as_object()?)?;
            let (operator, operand) = single(test.as_object()?)?;
            let text = |v: &Value| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let (value, upper) = match (arity(Operator::parse(operator)?), operand) {
                (Arity::None, _) => (String::new(), String::new()),
                (Arity::Two, Value::Array(pair)) if pair.len() == 2 => {
                    (text(&pair[0]), text(&pair[1]))
                }
                (Arity::One, v) if !v.is_array() && !v.is_object() => (text(v), String::new()),
                _ => return None,
            };
            Some(Condition {
                field: field.clone(),
                operator: operator.clone(),
                value,
                upper,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((logic, rows))
}

fn single(map: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut entries = map.iter();
    let first = entries.next()?;
    entries.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, interface: FieldInterface) -> FieldView {
        FieldView {
            name: name.into(),
            title: name.into(),
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

    fn row(field: &str, operator: &str, value: &str, upper: &str) -> Condition {
        Condition {
            field: field.into(),
            operator: operator.into(),
            value: value.into(),
            upper: upper.into(),
        }
    }

    #[test]
    fn rows_become_the_api_filter_and_parse_on_the_server() {
        let fields = [
            field("title", FieldInterface::Text),
            field("pages", FieldInterface::Integer),
            field("done", FieldInterface::Boolean),
        ];
        let rows = [
            row("title", "$includes", "rust", ""),
            row("pages", "$between", "10", "20.5"),
            row("done", "$isTruly", "", ""),
            row("title", "$eq", "", ""),
        ];
        let text = to_json(Logic::Or, &rows, &fields);
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"$or": [{"title": {"$includes": "rust"}}, {"pages": {"$between": [10, 20.5]}}, {"done": {"$isTruly": true}}]})
        );
        assert!(model::query::parse_filter_text(&text).unwrap().is_some());
        let (logic, back) = from_json(&text).unwrap();
        assert_eq!(logic, Logic::Or);
        assert_eq!(
            back,
            vec![
                row("title", "$includes", "rust", ""),
                row("pages", "$between", "10", "20.5"),
                row("done", "$isTruly", "", "")
            ]
        );
    }

    #[test]
    fn no_complete_row_is_no_filter_and_foreign_shapes_are_left_alone() {
        assert_eq!(
            to_json(
                Logic::And,
                &[row("title", "$eq", " ", "")],
                &[field("title", FieldInterface::Text)]
            ),
            ""
        );
        assert_eq!(from_json(r#"{"title": "x"}"#), None);
        assert_eq!(
            from_json(r#"{"$and": [{"a": {"$eq": 1}, "b": {"$eq": 2}}]}"#),
            None
        );
    }

    #[test]
    fn every_offered_operator_is_one_the_parser_knows() {
        for interface in [
            FieldInterface::Text,
            FieldInterface::Integer,
            FieldInterface::Boolean,
            FieldInterface::Date,
            FieldInterface::Json,
        ] {
            for operator in operators(interface) {
                assert_eq!(Operator::parse(operator.as_str()), Some(*operator));
            }
        }
    }
}
