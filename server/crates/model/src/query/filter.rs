//! NocoBase's filter JSON, parsed once into a [`Filter`] tree that the
//! per-dialect SQL compilers walk.
//!
//! # Grammar
//!
//! A filter is a JSON object; its keys are ANDed. `$and` / `$or` take an
//! array of filter objects (also inside a field, where they apply to that
//! field: `{"age": {"$or": [{"$lt": 3}, {"$gt": 9}]}}`). Any other key is a
//! field path, written with dots (`"author.name"`), by nesting
//! (`{"author": {"name": …}}`) or with the operator last
//! (`"author.name.$ne": …`). A field's value is an object of operators
//! (several are ANDed), an array (shorthand for `$in`) or a scalar
//! (shorthand for `$eq`). Keys of one object are taken in sorted order, so
//! the tree does not depend on serde_json's `preserve_order` feature.
//!
//! # Semantics, for the compilers (PostgreSQL)
//!
//! From NocoBase `packages/core/database/src/operators/*.ts` and Sequelize
//! v6's query generator (nocobase/nocobase 916a11c). `c` is the column;
//! "NULL rows" says whether rows with `c IS NULL` match.
//!
//! | operator | SQL on PostgreSQL | NULL rows |
//! |---|---|---|
//! | `Eq` | `c = v`; `v` null → `c IS NULL` | only for null |
//! | `Ne` | `(c <> v OR c IS NULL)`; `v` null → `c IS NOT NULL` | match (unless null) |
//! | `In` | `c IN (…)`; empty list → `FALSE` | no |
//! | `NotIn` | `(c NOT IN (…) OR c IS NULL)`; empty list → `TRUE` ¹ | match |
//! | `Gt` `Gte` `Lt` `Lte` | `c > v`, `>=`, `<`, `<=` | no |
//! | `Between` | `c BETWEEN a AND b` (inclusive; not SYMMETRIC) | no |
//! | `NotBetween` | `c NOT BETWEEN a AND b` | no |
//! | `Empty` | text: `(c IS NULL OR c = '')`; JSON array: `COALESCE(jsonb_array_length(c), 0) = 0`; else `c IS NULL` | match |
//! | `NotEmpty` | text: `(c IS NOT NULL AND c <> '')`; JSON array: `COALESCE(jsonb_array_length(c), 0) > 0`; else `c IS NOT NULL` | no |
//! | `Includes` | `CAST(c AS TEXT) ILIKE '%'‖esc(v)‖'%'`; list → OR (any of); null → `c IS NULL` | no |
//! | `NotIncludes` | `CAST(c AS TEXT) NOT ILIKE '%'‖esc(v)‖'%'`; list → AND (none of); null → `c IS NOT NULL` | no ² |
//! | `StartsWith` / `NotStartsWith` | `CAST(c AS TEXT) [NOT] ILIKE esc(v)‖'%'`; list → OR / AND | no |
//! | `EndWith` / `NotEndWith` | `CAST(c AS TEXT) [NOT] ILIKE '%'‖esc(v)`; list → OR / AND | no |
//! | `Like` / `NotLike` | `c [NOT] LIKE v`: raw pattern, case-sensitive | no |
//! | `ILike` / `NotILike` | `c [NOT] ILIKE v`: raw pattern | no |
//! | `IsTruly` | `c = TRUE` | no |
//! | `IsFalsy` | `(c IS NULL OR c = FALSE)` | match |
//! | `DateOn` | day: `c >= d0 AND c < d1`; instant: `c = t` | no |
//! | `DateNotOn` | day: `(c < d0 OR c >= d1)`; instant: `c <> t` | no |
//! | `DateBefore` | day: `c < d0`; instant: `c < t` | no |
//! | `DateAfter` | day: `c >= d1` (after the whole day); instant: `c > t` | no |
//! | `DateBetween` | `c >= lo AND c < hi`; lo = d0 of a start day or t; hi = d1 of an end day (whole end day included) or t (exclusive) | no |
//!
//! ¹ NocoBase drops an empty `NOT IN` and keeps only `c IS NULL`; we take
//! the empty list literally. ² Surprising but NocoBase's: `NULL NOT ILIKE …`
//! is NULL, so rows without a value do not "not contain" anything.
//!
//! - **Pattern escaping**: `esc` puts `\` before `\`, `%` and `_`; say
//!   `ESCAPE '\'` explicitly (SQLite has no default escape; NocoBase forgets
//!   `\`). The `CAST … AS TEXT` is NocoBase's, so `$includes` works on
//!   numbers, dates and uuids. On dialects without `ILIKE` use
//!   `LOWER(x) LIKE LOWER(p)`. `Like`/`ILike` patterns are used as given.
//! - **Dates**: a date operand of length 10 is a day (`YYYY-MM-DD`),
//!   otherwise an RFC 3339 instant with an offset (`T`, `t` or space; `Z`
//!   or `±hh:mm`; fraction allowed). `d0`/`d1` are the start of that day
//!   and of the next one in UTC (NocoBase: the server's `DB_TIMEZONE`,
//!   default `+00:00`, and always `+00:00` for `date` and `timestamp
//!   without time zone`). On `timestamp without time zone` read instants as
//!   UTC wall time; on `date` columns compare days directly (a compiler may
//!   refuse instants there).
//! - **Operand types**: NocoBase coerces `$eq` operands to text for string
//!   fields (`{"title": 5}` finds `"5"`). Coerce each scalar to the
//!   column's type (numeric text ↔ number, `"true"` ↔ bool) and refuse what
//!   does not convert, as a client error, never a database error.
//! - **Relation paths** (`author.name`): NocoBase LEFT JOINs the relation
//!   and tests the joined column. For to-many relations a row matches if
//!   *any* related row does, and a row without related rows counts as one
//!   all-NULL related row (so `Ne`, `NotIn`, `Empty`, `IsFalsy` match it).
//! - **Logic**: the parser never produces an empty `And`/`Or`. Empty
//!   `$and: []`/`$or: []` and `{}` items are dropped, as in NocoBase: no
//!   condition, not `FALSE`.
//!
//! The parser also normalises, so compilers never see these: `$eq` with an
//! array → `In`; `$ne` with an array → `NotIn` (NocoBase's array `$ne`
//! leaves NULL rows out; ours matches `$notIn`); `$isTruly: false` →
//! `IsFalsy` and `$isFalsy: false` → `IsTruly` (NocoBase reads the operand
//! that way); `$dateNotBefore: d` → `Or[DateOn d, DateAfter d]` and
//! `$dateNotAfter: d` → `Or[DateBefore d, DateOn d]`.
//!
//! Guaranteed operand shapes: `Eq`/`Ne` → `Value` (string, number, bool or
//! null); `In`/`NotIn` → `List` of non-null scalars (maybe empty);
//! `Gt`…`Lte` → `Value`, not null; `Between`/`NotBetween` → `Range` of
//! non-null scalars; `Empty`/`NotEmpty`/`IsTruly`/`IsFalsy` → `None`;
//! `Includes`/`NotIncludes` → `Value` (string or null) or a non-empty
//! `List` of strings; `StartsWith`…`NotEndWith` → `Value` (string) or a
//! non-empty `List` of strings; `Like`…`NotILike` → `Value` (string);
//! `DateOn`…`DateAfter` → `Value` (date string); `DateBetween` → `Range`
//! of date strings.

mod date;
mod operand;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::FieldPath;

/// How deep filter objects may nest (each `$and`/`$or` item and each
/// nested field object is one level).
pub const MAX_FILTER_DEPTH: usize = 12;
/// How many conditions one filter may hold.
pub const MAX_FILTER_CONDITIONS: usize = 256;

/// A parsed filter; what each operator means in SQL is the table at the top
/// of this file (`model/src/query/filter.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Condition(Condition),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub path: FieldPath,
    pub operator: Operator,
    pub operand: Operand,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    None,
    Value(Value),
    List(Vec<Value>),
    Range(Value, Value),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Eq,
    Ne,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    NotBetween,
    Empty,
    NotEmpty,
    Includes,
    NotIncludes,
    StartsWith,
    NotStartsWith,
    EndWith,
    NotEndWith,
    Like,
    NotLike,
    ILike,
    NotILike,
    IsTruly,
    IsFalsy,
    DateOn,
    DateNotOn,
    DateBefore,
    DateAfter,
    DateBetween,
}

impl Operator {
    pub const ALL: [Operator; 29] = [
        Operator::Eq,
        Operator::Ne,
        Operator::In,
        Operator::NotIn,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
        Operator::Between,
        Operator::NotBetween,
        Operator::Empty,
        Operator::NotEmpty,
        Operator::Includes,
        Operator::NotIncludes,
        Operator::StartsWith,
        Operator::NotStartsWith,
        Operator::EndWith,
        Operator::NotEndWith,
        Operator::Like,
        Operator::NotLike,
        Operator::ILike,
        Operator::NotILike,
        Operator::IsTruly,
        Operator::IsFalsy,
        Operator::DateOn,
        Operator::DateNotOn,
        Operator::DateBefore,
        Operator::DateAfter,
        Operator::DateBetween,
    ];

    /// The operator a NocoBase token (`"$eq"`) names, exactly as spelled.
    pub fn parse(token: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.as_str() == token)
    }

    /// The NocoBase token, `"$eq"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "$eq",
            Operator::Ne => "$ne",
            Operator::In => "$in",
            Operator::NotIn => "$notIn",
            Operator::Gt => "$gt",
            Operator::Gte => "$gte",
            Operator::Lt => "$lt",
            Operator::Lte => "$lte",
            Operator::Between => "$between",
            Operator::NotBetween => "$notBetween",
            Operator::Empty => "$empty",
            Operator::NotEmpty => "$notEmpty",
            Operator::Includes => "$includes",
            Operator::NotIncludes => "$notIncludes",
            Operator::StartsWith => "$startsWith",
            Operator::NotStartsWith => "$notStartsWith",
            Operator::EndWith => "$endWith",
            Operator::NotEndWith => "$notEndWith",
            Operator::Like => "$like",
            Operator::NotLike => "$notLike",
            Operator::ILike => "$iLike",
            Operator::NotILike => "$notILike",
            Operator::IsTruly => "$isTruly",
            Operator::IsFalsy => "$isFalsy",
            Operator::DateOn => "$dateOn",
            Operator::DateNotOn => "$dateNotOn",
            Operator::DateBefore => "$dateBefore",
            Operator::DateAfter => "$dateAfter",
            Operator::DateBetween => "$dateBetween",
        }
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a filter was refused; the message names the offending key or
/// operator and is safe to show to API clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
}

impl FilterError {
    fn new(message: impl Into<String>) -> FilterError {
        FilterError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}

/// NocoBase operators we know but do not offer, for a clearer refusal than
/// "unknown".
const UNSUPPORTED: [&str; 17] = [
    "$is",
    "$not",
    "$col",
    "$exists",
    "$notExists",
    "$regexp",
    "$notRegexp",
    "$iRegexp",
    "$notIRegexp",
    "$match",
    "$notMatch",
    "$anyOf",
    "$noneOf",
    "$arrayEmpty",
    "$arrayNotEmpty",
    "$childIn",
    "$childNotIn",
];

/// Parses the `filter` query parameter's text. Blank text is no filter.
pub fn parse_filter_text(text: &str) -> Result<Option<Filter>, FilterError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|error| FilterError::new(format!("filter is not valid JSON: {error}")))?;
    parse_filter(&value)
}

/// Parses filter JSON. `{}`, `null` and filters made only of empty groups
/// are no filter (`Ok(None)`).
pub fn parse_filter(value: &Value) -> Result<Option<Filter>, FilterError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Parser { conditions: 0 }.object(&[], map, 1),
        _ => Err(FilterError::new("filter must be a JSON object")),
    }
}

struct Parser {
    conditions: usize,
}

impl Parser {
    /// One filter object under `prefix` (the field path of the enclosing
    /// objects; empty at the top and in top-level `$and`/`$or` items).
    fn object(
        &mut self,
        prefix: &[String],
        map: &Map<String, Value>,
        depth: usize,
    ) -> Result<Option<Filter>, FilterError> {
        if depth > MAX_FILTER_DEPTH {
            return Err(FilterError::new(format!(
                "filter is nested more than {MAX_FILTER_DEPTH} levels deep"
            )));
        }
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut parts = Vec::new();
        for (key, value) in entries {
            parts.extend(self.entry(prefix, key, value, depth)?);
        }
        Ok(combine(parts, false))
    }

    fn entry(
        &mut self,
        prefix: &[String],
        key: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Filter>, FilterError> {
        let mut path = prefix.to_vec();
        let mut segments = key.split('.').peekable();
        while let Some(segment) = segments.next() {
            if segment.is_empty() {
                return Err(FilterError::new(format!(
                    "filter key `{key}` has an empty field name"
                )));
            }
            if segment.starts_with('$') {
                if segments.peek().is_some() {
                    return Err(FilterError::new(format!(
                        "operator `{segment}` must come last in filter key `{key}`"
                    )));
                }
                return self.operator(&path, segment, value, depth);
            }
            path.push(segment.to_owned());
        }
        self.field(path, value, depth)
    }

    /// A field's value: operators, or the `$in`/`$eq` shorthands.
    fn field(
        &mut self,
        path: Vec<String>,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Filter>, FilterError> {
        match value {
            Value::Object(map) if map.is_empty() => Err(FilterError::new(format!(
                "filter on `{}` has no operator",
                FieldPath(path)
            ))),
            Value::Object(map) => self.object(&path, map, depth + 1),
            Value::Array(_) => self
                .condition(FieldPath(path), "$in", Operator::In, value)
                .map(Some),
            _ => self
                .condition(FieldPath(path), "$eq", Operator::Eq, value)
                .map(Some),
        }
    }

    fn operator(
        &mut self,
        path: &[String],
        token: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Filter>, FilterError> {
        if token == "$and" || token == "$or" {
            return self.group(path, token, value, depth);
        }
        let known = Operator::parse(token).is_some()
            || token == "$dateNotBefore"
            || token == "$dateNotAfter";
        if path.is_empty() {
            return Err(FilterError::new(if known {
                format!(
                    "filter operator `{token}` needs a field, as in {{\"title\": {{\"{token}\": …}}}}"
                )
            } else {
                format!("unknown filter operator `{token}`")
            }));
        }
        let path = FieldPath(path.to_vec());
        match (Operator::parse(token), token) {
            (Some(operator), _) => self.condition(path, token, operator, value).map(Some),
            // Spelled out as unions so compilers need no operators of their own.
            (None, "$dateNotBefore") => {
                let parts = vec![
                    self.condition(path.clone(), token, Operator::DateOn, value)?,
                    self.condition(path, token, Operator::DateAfter, value)?,
                ];
                Ok(Some(Filter::Or(parts)))
            }
            (None, "$dateNotAfter") => {
                let parts = vec![
                    self.condition(path.clone(), token, Operator::DateBefore, value)?,
                    self.condition(path, token, Operator::DateOn, value)?,
                ];
                Ok(Some(Filter::Or(parts)))
            }
            (None, _) if UNSUPPORTED.contains(&token) => Err(FilterError::new(format!(
                "filter operator `{token}` on `{path}` is not supported"
            ))),
            (None, _) => Err(FilterError::new(format!(
                "unknown filter operator `{token}` on `{path}`"
            ))),
        }
    }

    fn group(
        &mut self,
        path: &[String],
        token: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Filter>, FilterError> {
        let Value::Array(items) = value else {
            return Err(FilterError::new(format!(
                "`{token}` takes an array of filter objects"
            )));
        };
        let mut parts = Vec::new();
        for item in items {
            let Value::Object(map) = item else {
                return Err(FilterError::new(format!(
                    "`{token}` takes an array of filter objects"
                )));
            };
            parts.extend(self.object(path, map, depth + 1)?);
        }
        Ok(combine(parts, token == "$or"))
    }

    /// `token` is what the client wrote, for error messages.
    fn condition(
        &mut self,
        path: FieldPath,
        token: &str,
        operator: Operator,
        value: &Value,
    ) -> Result<Filter, FilterError> {
        self.conditions += 1;
        if self.conditions > MAX_FILTER_CONDITIONS {
            return Err(FilterError::new(format!(
                "filter has more than {MAX_FILTER_CONDITIONS} conditions"
            )));
        }
        let (operator, operand) = operand::shape(&path, token, operator, value)?;
        Ok(Filter::Condition(Condition {
            path,
            operator,
            operand,
        }))
    }
}

/// Joins parts with AND (or OR), lifting a lone part and splicing nested
/// groups of the same kind.
fn combine(parts: Vec<Filter>, or: bool) -> Option<Filter> {
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Filter::And(inner) if !or => flat.extend(inner),
            Filter::Or(inner) if or => flat.extend(inner),
            other => flat.push(other),
        }
    }
    if flat.len() <= 1 {
        return flat.pop();
    }
    Some(if or {
        Filter::Or(flat)
    } else {
        Filter::And(flat)
    })
}
