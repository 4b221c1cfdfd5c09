//! The `query` action's aggregate request, in NocoBase's chart shape:
//! `measures` (an aggregation of a field), `dimensions` (group-by fields),
//! `filter`, `orders` and `limit`. Parsed here, WASM-safe, so the API and
//! chart blocks share one definition; the connectors compile it.

use serde::Deserialize;
use serde_json::Value;

use super::filter::{Filter, parse_filter};
use super::list::QueryError;

/// Rows an aggregate answers when `limit` is not given.
pub const DEFAULT_AGGREGATE_ROWS: u32 = 1000;
/// The most rows one aggregate may answer.
pub const MAX_AGGREGATE_ROWS: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl Aggregation {
    fn parse(text: &str) -> Option<Aggregation> {
        Some(match text {
            "count" => Aggregation::Count,
            "sum" => Aggregation::Sum,
            "avg" => Aggregation::Avg,
            "min" => Aggregation::Min,
            "max" => Aggregation::Max,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// `None`: `count` of records.
    pub field: Option<String>,
    pub aggregation: Aggregation,
    pub distinct: bool,
    pub alias: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub field: String,
    pub alias: String,
}

/// An order by the alias (or field name) of a measure or dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateOrder {
    pub alias: String,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AggregateQuery {
    pub measures: Vec<Measure>,
    pub dimensions: Vec<Dimension>,
    pub filter: Option<Filter>,
    pub orders: Vec<AggregateOrder>,
    pub limit: u32,
}

/// A field as NocoBase sends it: `"price"` or `["price"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum FieldRef {
    Name(String),
    Path(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    field: Option<FieldRef>,
    aggregation: String,
    alias: Option<String>,
    #[serde(default)]
    distinct: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    field: FieldRef,
    alias: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrder {
    field: Option<FieldRef>,
    alias: Option<String>,
    order: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    #[serde(default)]
    measures: Vec<RawMeasure>,
    #[serde(default)]
    dimensions: Vec<RawDimension>,
    #[serde(default)]
    filter: Value,
    #[serde(default)]
    orders: Vec<RawOrder>,
    limit: Option<u32>,
}

fn error(message: impl Into<String>) -> QueryError {
    QueryError::new("query", message)
}

impl FieldRef {
    /// One field of the queried collection; related fields are refused.
    fn name(self, what: &str) -> Result<String, QueryError> {
        let name = match self {
            FieldRef::Name(name) => name,
            FieldRef::Path(mut path) if path.len() == 1 => path.remove(0),
            FieldRef::Path(path) => {
                return Err(error(format!(
                    "{what} `{}`: aggregating related fields is not supported; query the related collection",
                    path.join(".")
                )));
            }
        };
        if name.is_empty() {
            return Err(error(format!("{what} needs a field name")));
        }
        Ok(name)
    }
}

/// Aliases become column names in the answer: short, printable, unique.
fn alias(given: Option<String>, fallback: String) -> Result<String, QueryError> {
    let alias = given.unwrap_or(fallback);
    let plain = alias
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == ' ');
    if alias.is_empty() || alias.chars().count() > 64 || !plain {
        return Err(error(format!(
            "alias `{alias}` must be 1 to 64 letters, digits, spaces or underscores"
        )));
    }
    Ok(alias)
}

impl AggregateQuery {
    /// From the JSON body of `<collection>:query`.
    pub fn parse(json: &Value) -> Result<AggregateQuery, QueryError> {
        let raw = RawQuery::deserialize(json).map_err(|e| error(e.to_string()))?;
        let mut measures = Vec::with_capacity(raw.measures.len());
        for m in raw.measures {
            let aggregation = Aggregation::parse(&m.aggregation).ok_or_else(|| {
                error(format!(
                    "unknown aggregation `{}`; use count, sum, avg, min or max",
                    m.aggregation
                ))
            })?;
            let field = m.field.map(|f| f.name("measure")).transpose()?;
            if field.is_none() && aggregation != Aggregation::Count {
                return Err(error(format!("{} needs a field", m.aggregation)));
            }
            let fallback = match &field {
                Some(field) => format!("{}_{field}", m.aggregation),
                None => "count".to_owned(),
            };
            measures.push(Measure {
                field,
                aggregation,
                distinct: m.distinct,
                alias: alias(m.alias, fallback)?,
            });
        }
        let mut dimensions = Vec::with_capacity(raw.dimensions.len());
        for d in raw.dimensions {
            let field = d.field.name("dimension")?;
            dimensions.push(Dimension {
                alias: alias(d.alias, field.clone())?,
                field,
            });
        }
        if measures.is_empty() && dimensions.is_empty() {
            return Err(error("give at least one measure or dimension"));
        }
        let mut aliases: Vec<&str> = measures.iter().map(|m| m.alias.as_str()).collect();
        aliases.extend(dimensions.iter().map(|d| d.alias.as_str()));
        for (i, a) in aliases.iter().enumerate() {
            if aliases[..i].contains(a) {
                return Err(error(format!("alias `{a}` is used twice")));
            }
        }
        let mut orders = Vec::with_capacity(raw.orders.len());
        for o in raw.orders {
            let by = match (o.alias, o.field) {
                (Some(alias), _) => alias,
                (None, Some(field)) => field.name("order")?,
                (None, None) => return Err(error("an order needs an alias or a field")),
            };
            // A dimension may be ordered by its field name as well.
            let alias = dimensions
                .iter()
                .find(|d| d.field == by)
                .map(|d| d.alias.clone())
                .unwrap_or(by);
            if !aliases.contains(&alias.as_str()) {
                return Err(error(format!(
                    "cannot order by `{alias}`: it is neither a measure nor a dimension"
                )));
            }
            let descending = match o.order.as_deref().unwrap_or("asc") {
                "asc" | "ASC" => false,
                "desc" | "DESC" => true,
                other => return Err(error(format!("order `{other}` must be asc or desc"))),
            };
            orders.push(AggregateOrder { alias, descending });
        }
        let limit = raw.limit.unwrap_or(DEFAULT_AGGREGATE_ROWS);
        if limit == 0 || limit > MAX_AGGREGATE_ROWS {
            return Err(error(format!(
                "limit must be between 1 and {MAX_AGGREGATE_ROWS}"
            )));
        }
        Ok(AggregateQuery {
            measures,
            dimensions,
            filter: parse_filter(&raw.filter).map_err(|e| QueryError::new("filter", e.message))?,
            orders,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nocobase_chart_shapes_parse() {
        let q = AggregateQuery::parse(&json!({
            "measures": [{"field": ["price"], "aggregation": "sum", "alias": "total"},
                         {"aggregation": "count"}],
            "dimensions": [{"field": ["category"]}],
            "filter": {"qty": {"$gt": 1}},
            "orders": [{"field": ["category"], "order": "desc"}, {"alias": "total"}],
            "limit": 5
        }))
        .unwrap();
        assert_eq!(q.measures[0].alias, "total");
        assert_eq!(q.measures[1].field, None);
        assert_eq!(q.measures[1].alias, "count");
        assert_eq!(q.dimensions[0].alias, "category");
        assert!(q.filter.is_some());
        assert_eq!(
            q.orders,
            vec![
                AggregateOrder {
                    alias: "category".into(),
                    descending: true
                },
                AggregateOrder {
                    alias: "total".into(),
                    descending: false
                },
            ]
        );
        assert_eq!(q.limit, 5);
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            (json!({}), "at least one measure"),
            (
                json!({"measures": [{"field": "a", "aggregation": "median"}]}),
                "unknown aggregation",
            ),
            (
                json!({"measures": [{"aggregation": "sum"}]}),
                "sum needs a field",
            ),
            (
                json!({"dimensions": [{"field": ["author", "name"]}]}),
                "related fields",
            ),
            (
                json!({"dimensions": [{"field": "a"}, {"field": "b", "alias": "a"}]}),
                "used twice",
            ),
            (
                json!({"dimensions": [{"field": "a", "alias": "x\"; DROP"}]}),
                "alias",
            ),
            (
                json!({"dimensions": [{"field": "a"}], "orders": [{"field": "b"}]}),
                "neither",
            ),
            (
                json!({"dimensions": [{"field": "a"}], "orders": [{"field": "a", "order": "up"}]}),
                "asc or desc",
            ),
            (json!({"dimensions": [{"field": "a"}], "limit": 0}), "limit"),
            (
                json!({"dimensions": [{"field": "a"}], "limit": 10_001}),
                "limit",
            ),
            (
                json!({"dimensions": [{"field": "a"}], "filter": {"a": {"$nope": 1}}}),
                "$nope",
            ),
            (
                json!({"dimensions": [{"field": "a"}], "having": {}}),
                "unknown field",
            ),
        ];
        for (input, expected) in cases {
            let message = AggregateQuery::parse(&input).unwrap_err().to_string();
            assert!(message.contains(expected), "{input}: {message}");
        }
    }
}
