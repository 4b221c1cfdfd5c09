//! A list request's query string (`filter`, `sort`, `fields`, `except`,
//! `appends`, `page`, `pageSize`, `paginate`, `simplePaginate`) as NocoBase
//! clients send it, parsed into one [`ListQuery`].

use super::FieldPath;
use super::filter::{Filter, parse_filter_text};
use super::sort::{SortKey, dotted_path, parse_sort};

pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// A larger `pageSize` is served as this many: NocoBase has no cap, and its
/// clients page by `meta.totalPage`, which follows the size applied.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// `Default`: no filter, no sort, all fields, page 1 of
/// [`DEFAULT_PAGE_SIZE`], counted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    pub sort: Vec<SortKey>,
    /// Only these fields (`None`: all).
    pub fields: Option<Vec<FieldPath>>,
    pub except: Vec<FieldPath>,
    /// Relations to load along with each row.
    pub appends: Vec<FieldPath>,
    pub paging: Paging,
}

/// Pages are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A page plus the total count (`meta.count`, `meta.totalPage`).
    Counted { page: u32, page_size: u32 },
    /// A page without counting; one extra row is read to tell `hasNext`.
    Simple { page: u32, page_size: u32 },
    /// `paginate=false`: every row.
    All,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging::Counted {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// A refused query parameter; `message` is safe to show to API clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub parameter: String,
    pub message: String,
}

impl QueryError {
    pub(super) fn new(parameter: &str, message: impl Into<String>) -> QueryError {
        QueryError {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid `{}` parameter: {}",
            self.parameter, self.message
        )
    }
}

impl std::error::Error for QueryError {}

impl ListQuery {
    /// From decoded query-string pairs, in order. Keys this type does not
    /// know (`filterByTk`, `token`, …) are left to the caller. Repeatable:
    /// `sort`, `fields`, `except`, `appends` (each also as `name[]`, each
    /// value a comma list); the others may appear once.
    pub fn from_params(params: &[(String, String)]) -> Result<ListQuery, QueryError> {
        let mut seen = Singles::default();
        let mut sort = Vec::new();
        let mut query = ListQuery::default();
        let (mut page, mut page_size, mut paginate, mut simple) = (None, None, None, None);
        for (key, value) in params {
            match key.as_str() {
                "filter" => {
                    seen.once("filter")?;
                    query.filter = parse_filter_text(value)
                        .map_err(|error| QueryError::new("filter", error.message))?;
                }
                "sort" | "sort[]" => sort.push(value.as_str()),
                "fields" | "fields[]" => query
                    .fields
                    .get_or_insert_with(Vec::new)
                    .extend(paths("fields", value)?),
                "except" | "except[]" => query.except.extend(paths("except", value)?),
                "appends" | "appends[]" => query.appends.extend(paths("appends", value)?),
                "page" => {
                    seen.once("page")?;
                    page = Some(whole("page", value)?);
                }
                "pageSize" => {
                    seen.once("pageSize")?;
                    page_size = Some(whole("pageSize", value)?.min(MAX_PAGE_SIZE));
                }
                "paginate" => {
                    seen.once("paginate")?;
                    paginate = Some(flag("paginate", value)?);
                }
                "simplePaginate" => {
                    seen.once("simplePaginate")?;
                    simple = Some(flag("simplePaginate", value)?);
                }
                _ => {}
            }
        }
        query.sort = parse_sort(sort)?;
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        query.paging = match (paginate, simple) {
            (Some(false), _) => Paging::All,
            (_, Some(true)) => Paging::Simple { page, page_size },
            _ => Paging::Counted { page, page_size },
        };
        Ok(query)
    }
}

/// Parameters that may appear only once.
#[derive(Default)]
struct Singles(Vec<&'static str>);

impl Singles {
    fn once(&mut self, parameter: &'static str) -> Result<(), QueryError> {
        if self.0.contains(&parameter) {
            return Err(QueryError::new(
                parameter,
                format!("`{parameter}` may be given only once"),
            ));
        }
        self.0.push(parameter);
        Ok(())
    }
}

/// A comma list of dot paths; empty pieces are skipped.
fn paths(parameter: &str, value: &str) -> Result<Vec<FieldPath>, QueryError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(|piece| dotted_path(piece).map_err(|message| QueryError::new(parameter, message)))
        .collect()
}

/// A whole number from 1; one beyond `u32` is as large as `u32` goes
/// (a `pageSize` is capped anyway, a `page` that far is past the end).
fn whole(parameter: &str, value: &str) -> Result<u32, QueryError> {
    let text = value.trim();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(QueryError::new(
            parameter,
            format!("`{parameter}` must be a whole number from 1"),
        ));
    }
    match text.parse::<u32>() {
        Ok(0) => Err(QueryError::new(
            parameter,
            format!("`{parameter}` must be a whole number from 1"),
        )),
        Ok(number) => Ok(number),
        Err(_) => Ok(u32::MAX),
    }
}

fn flag(parameter: &str, value: &str) -> Result<bool, QueryError> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(QueryError::new(
            parameter,
            format!("`{parameter}` must be true or false"),
        )),
    }
}

#[cfg(test)]
mod tests;
