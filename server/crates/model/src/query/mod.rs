//! The one query language of Ferrobase: NocoBase's filter JSON, sort and
//! paging parameters parsed into typed values. The REST API, the data table
//! in the browser and workflow nodes all produce a [`ListQuery`]; the
//! connectors compile it to SQL per dialect. Field names here are only
//! *requests*: the connector resolves them against the introspected schema
//! and refuses any it does not know.

mod aggregate;
mod filter;
mod list;
mod sort;

pub use aggregate::{
    AggregateOrder, AggregateQuery, Aggregation, DEFAULT_AGGREGATE_ROWS, Dimension,
    MAX_AGGREGATE_ROWS, Measure,
};
pub use filter::{
    Condition, Filter, FilterError, MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, Operand, Operator,
    parse_filter, parse_filter_text,
};
pub use list::{DEFAULT_PAGE_SIZE, ListQuery, MAX_PAGE_SIZE, Paging, QueryError};
pub use sort::{SortKey, parse_sort};

/// A field reference: one name, or a dot path through relations
/// (`author.name`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FieldPath(pub Vec<String>);

impl FieldPath {
    pub fn single(name: impl Into<String>) -> FieldPath {
        FieldPath(vec![name.into()])
    }

    /// The field on the queried collection itself (`author` in `author.name`).
    pub fn head(&self) -> &str {
        self.0.first().map(String::as_str).unwrap_or_default()
    }

    pub fn is_relation_path(&self) -> bool {
        self.0.len() > 1
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}
