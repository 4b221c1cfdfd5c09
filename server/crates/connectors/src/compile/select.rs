//! SELECT statements for `list` and `get`: which fields, which related
//! records (appends), which order and which page.

use model::query::{FieldPath, ListQuery, Paging};

use super::appends::append_expression;
use super::reading::{read_expression, string_literal};
use super::{Builder, ROOT, Scope, Statement, key_value};
use crate::dialect::Dialect;
use crate::schema::{Catalog, Collection, Field, Relation, RelationKind};
use crate::{Error, Result};

/// Rows a `paginate=false` list may return before it must page instead.
pub const MAX_UNPAGED_ROWS: u64 = 10_000;
/// Related records an appended one-to-many relation carries per row.
pub const MAX_APPENDED_ROWS: u64 = 100;

/// Everything needed to run a list and shape its answer.
#[derive(Debug, Clone)]
pub struct ListPlan {
    pub rows: Statement,
    /// `None` in simple paging and for unpaged lists.
    pub count: Option<Statement>,
    pub shape: RowShape,
    /// The fields in the answer, in order, for decoding.
    pub fields: Vec<Field>,
    pub appends: Vec<Append>,
    pub paging: Paging,
}

/// How the database hands rows back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowShape {
    /// One text column holding the whole row as a JSON object.
    JsonText,
    /// One column per field, named after it.
    Columns,
}

/// A related record (many-to-one) or list (one-to-many) in each row.
#[derive(Debug, Clone)]
pub struct Append {
    pub name: String,
    pub many: bool,
    pub fields: Vec<Field>,
}

pub fn list(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    query: &ListQuery,
    scope: Option<Scope<'_>>,
) -> Result<ListPlan> {
    let fields = selected_fields(collection, query)?;
    let appends = appends(catalog, collection, &query.appends)?;
    let (limit, offset) = match query.paging {
        Paging::Counted { page, page_size } => (u64::from(page_size), offset(page, page_size)),
        // One extra row tells whether there is a next page.
        Paging::Simple { page, page_size } => (u64::from(page_size) + 1, offset(page, page_size)),
        Paging::All => (MAX_UNPAGED_ROWS + 1, 0),
    };
    let mut b = Builder::new(dialect, catalog);
    select_list(&mut b, collection, &fields, &appends)?;
    let filtered = query.filter.is_some() || scope.is_some();
    match late_lookup_key(dialect, collection, offset, filtered) {
        // Deep pages: the skipped rows are walked for their key only (an
        // index-only scan where an index fits), then the page's own rows
        // are read by key. Plain OFFSET reads every skipped row in full:
        // page 401 of 20 rows took 7.6 ms that way and 1.2 ms this way
        // (EXPLAIN ANALYZE over 10,000 rows).
        Some(key) => {
            let column = b.column(ROOT, key);
            let inner = format!(
                " WHERE {column} IN (SELECT {column} FROM {} {}",
                b.table(collection),
                dialect.quote(ROOT)
            );
            b.push(&inner);
            b.where_clause(collection, query.filter.as_ref(), scope, None)?;
            order_by(&mut b, collection, query)?;
            b.paging(limit, offset);
            b.push(")");
            order_by(&mut b, collection, query)?;
        }
        None => {
            b.where_clause(collection, query.filter.as_ref(), scope, None)?;
            order_by(&mut b, collection, query)?;
            b.paging(limit, offset);
        }
    }
    let rows = wrap(dialect, b.finish());
    let count = match query.paging {
        Paging::Counted { .. } => Some(count(dialect, catalog, collection, query, scope)?),
        _ => None,
    };
    Ok(ListPlan {
        rows,
        count,
        shape: shape(dialect),
        fields,
        appends: appends.into_iter().map(|(_, append)| append).collect(),
        paging: query.paging,
    })
}

/// One record by its key (`filterByTk`), with the list's field choice and
/// appends; `filter` narrows further, as in NocoBase.
pub fn get(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    key: &serde_json::Value,
    query: &ListQuery,
    scope: Option<Scope<'_>>,
) -> Result<ListPlan> {
    let (key_field, key) = key_value(collection, key)?;
    let fields = selected_fields(collection, query)?;
    let appends = appends(catalog, collection, &query.appends)?;
    let mut b = Builder::new(dialect, catalog);
    select_list(&mut b, collection, &fields, &appends)?;
    b.where_clause(
        collection,
        query.filter.as_ref(),
        scope,
        Some((key_field, key)),
    )?;
    if dialect == Dialect::Mssql {
        b.push(" ORDER BY (SELECT NULL)");
    }
    b.push(&dialect.paging(1, 0));
    Ok(ListPlan {
        rows: wrap(dialect, b.finish()),
        count: None,
        shape: shape(dialect),
        fields,
        appends: appends.into_iter().map(|(_, append)| append).collect(),
        paging: Paging::All,
    })
}

/// The key a page past the first is looked up by, where that pays and is
/// exact: PostgreSQL (its planner keeps the `IN (… LIMIT n OFFSET $1)`
/// shape as a semi-join), a single-column key (unique by definition), and
/// no filter or scope. A filter on columns outside the index makes the walk
/// read every skipped row anyway, and then the lookup only adds work: 15 %
/// fewer requests/s on a random range of a random page measured that way.
fn late_lookup_key(
    dialect: Dialect,
    collection: &Collection,
    offset: u64,
    filtered: bool,
) -> Option<&str> {
    match collection.key.as_slice() {
        [key] if dialect == Dialect::Postgres && offset > 0 && !filtered => Some(key),
        _ => None,
    }
}

pub(super) fn offset(page: u32, page_size: u32) -> u64 {
    u64::from(page.max(1) - 1) * u64::from(page_size)
}

pub(super) fn shape(dialect: Dialect) -> RowShape {
    match dialect {
        Dialect::Postgres | Dialect::Mysql => RowShape::JsonText,
        _ => RowShape::Columns,
    }
}

fn count(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    query: &ListQuery,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    let mut b = Builder::new(dialect, catalog);
    let from = format!(
        "SELECT COUNT(*) FROM {} {}",
        b.table(collection),
        dialect.quote(ROOT)
    );
    b.push(&from);
    b.where_clause(collection, query.filter.as_ref(), scope, None)?;
    Ok(b.finish())
}

/// `fields` (or every field) minus `except`; names must exist.
fn selected_fields(collection: &Collection, query: &ListQuery) -> Result<Vec<Field>> {
    let known = |path: &FieldPath| -> Result<&Field> {
        match path.0.as_slice() {
            [name] => collection.field(name).ok_or_else(|| {
                Error::InvalidQuery(format!("`{}` has no field `{name}`", collection.name))
            }),
            _ => Err(Error::InvalidQuery(format!(
                "`{path}`: related fields are requested with `appends`"
            ))),
        }
    };
    let mut fields: Vec<Field> = match &query.fields {
        Some(paths) => {
            let mut chosen: Vec<Field> = Vec::with_capacity(paths.len());
            for path in paths {
                let field = known(path)?;
                if !chosen.iter().any(|f| f.name == field.name) {
                    chosen.push(field.clone());
                }
            }
            chosen
        }
        None => collection.fields.clone(),
    };
    for path in &query.except {
        let field = known(path)?;
        fields.retain(|f| f.name != field.name);
    }
    if fields.is_empty() {
        return Err(Error::InvalidQuery("no fields left to return".into()));
    }
    Ok(fields)
}

fn appends<'c>(
    catalog: &'c dyn Catalog,
    collection: &'c Collection,
    paths: &[FieldPath],
) -> Result<Vec<(&'c Relation, Append)>> {
    let mut appends: Vec<(&Relation, Append)> = Vec::new();
    for path in paths {
        let [name] = path.0.as_slice() else {
            return Err(Error::InvalidQuery(format!(
                "`{path}`: only direct relations can be appended"
            )));
        };
        let relation = collection.relation(name).ok_or_else(|| {
            Error::InvalidQuery(format!("`{}` has no relation `{name}`", collection.name))
        })?;
        let target = catalog.collection(&relation.target).ok_or_else(|| {
            Error::InvalidQuery(format!(
                "`{name}` leads to a collection that is not available"
            ))
        })?;
        if appends.iter().all(|(r, _)| r.name != relation.name) {
            appends.push((
                relation,
                Append {
                    name: relation.name.clone(),
                    many: relation.kind == RelationKind::OneToMany,
                    fields: target.fields.clone(),
                },
            ));
        }
    }
    Ok(appends)
}

fn select_list(
    b: &mut Builder,
    collection: &Collection,
    fields: &[Field],
    appends: &[(&Relation, Append)],
) -> Result<()> {
    let dialect = b.dialect;
    let mut items: Vec<(String, String)> = fields
        .iter()
        .map(|field| {
            let column = b.column(ROOT, &field.name);
            (field.name.clone(), read_expression(dialect, &column, field))
        })
        .collect();
    for (relation, append) in appends {
        // Bound now, placed below: no other parameter may come between.
        let expression = append_expression(b, relation, append)?;
        items.push((append.name.clone(), expression));
    }
    push_select(b, &items);
    let from = format!(" FROM {} {}", b.table(collection), dialect.quote(ROOT));
    b.push(&from);
    Ok(())
}

/// `SELECT expression AS name, …`; on MySQL one JSON object per row.
pub(super) fn push_select(b: &mut Builder, items: &[(String, String)]) {
    let dialect = b.dialect;
    b.push("SELECT ");
    match dialect {
        // One JSON object per row: no per-type decoding on our side.
        Dialect::Mysql => {
            b.push("CAST(JSON_OBJECT(");
            for (i, (name, expression)) in items.iter().enumerate() {
                if i > 0 {
                    b.push(", ");
                }
                b.push(&format!("{}, {expression}", string_literal(dialect, name)));
            }
            b.push(") AS CHAR)");
        }
        _ => {
            for (i, (name, expression)) in items.iter().enumerate() {
                if i > 0 {
                    b.push(", ");
                }
                b.push(&format!("{expression} AS {}", dialect.quote(name)));
            }
        }
    }
}

fn order_by(b: &mut Builder, collection: &Collection, query: &ListQuery) -> Result<()> {
    let dialect = b.dialect;
    let mut terms = Vec::with_capacity(query.sort.len() + 1);
    for key in &query.sort {
        let [name] = key.path.0.as_slice() else {
            return Err(Error::InvalidQuery(format!(
                "sorting by a related field (`{}`) is not supported",
                key.path
            )));
        };
        let field = collection.field(name).ok_or_else(|| {
            Error::InvalidQuery(format!(
                "cannot sort: `{}` has no field `{name}`",
                collection.name
            ))
        })?;
        let column = b.column(ROOT, &field.name);
        terms.push(dialect.order_term(&column, key.descending, field.nullable));
    }
    // The record key last, so pages never overlap or skip rows.
    for key in &collection.key {
        if let Some(field) = collection.field(key)
            && !query.sort.iter().any(|s| s.path.head() == key)
        {
            let column = b.column(ROOT, key);
            terms.push(dialect.order_term(&column, false, field.nullable));
        }
    }
    if terms.is_empty() {
        if dialect == Dialect::Mssql {
            b.push(" ORDER BY (SELECT NULL)");
        }
        return Ok(());
    }
    b.push(" ORDER BY ");
    b.push(&terms.join(", "));
    Ok(())
}

/// PostgreSQL rows come back as one JSON text each.
pub(super) fn wrap(dialect: Dialect, inner: Statement) -> Statement {
    match dialect {
        Dialect::Postgres => Statement {
            sql: format!("SELECT CAST(row_to_json(q) AS text) FROM ({}) q", inner.sql),
            params: inner.params,
        },
        _ => inner,
    }
}
