//! Builds SQL from the typed query language. Identifiers come only from the
//! [`Collection`] (itself built from introspection); every value is bound.
//! The service narrows the collection to what the actor may see before
//! compiling, so a hidden field is simply unknown here.

mod aggregate;
mod appends;
mod dates;
mod filter;
mod operands;
mod reading;
mod select;
mod write;

pub use aggregate::aggregate;
pub use select::{Append, ListPlan, MAX_APPENDED_ROWS, MAX_UNPAGED_ROWS, RowShape, get, list};
pub use write::{InsertKey, InsertPlan, delete, delete_matching, insert, update, update_matching};

use model::query::Filter;

use crate::dialect::Dialect;
use crate::schema::{Catalog, Collection, Field};
use crate::value::{SqlValue, coerce};
use crate::{Error, Result};

/// One statement and its parameters, in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

/// The rows a user may touch at all (their role's data scope), as a filter
/// over the whole collection: it may name fields the user cannot see.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub filter: &'a Filter,
    pub collection: &'a Collection,
}

/// The table alias of the queried collection; relation subqueries use t1, t2…
pub(crate) const ROOT: &str = "t0";

pub(crate) struct Builder<'c> {
    pub dialect: Dialect,
    pub catalog: &'c dyn Catalog,
    pub sql: String,
    pub params: Vec<SqlValue>,
    aliases: usize,
    /// Compiling a data scope: scopes are the administrator's rules over
    /// whole collections, so relations inside one add no further scopes
    /// (which could also recurse without end).
    in_scope: bool,
}

impl<'c> Builder<'c> {
    pub fn new(dialect: Dialect, catalog: &'c dyn Catalog) -> Builder<'c> {
        Builder {
            dialect,
            catalog,
            sql: String::with_capacity(256),
            params: Vec::new(),
            aliases: 0,
            in_scope: false,
        }
    }

    /// `scope` over the rows aliased `alias`, written into the statement.
    pub fn scope(&mut self, alias: &str, scope: Scope<'_>) -> Result<()> {
        let outer = std::mem::replace(&mut self.in_scope, true);
        self.push("(");
        let compiled = filter::compile(self, alias, scope.collection, scope.filter);
        self.push(")");
        self.in_scope = outer;
        compiled
    }

    /// The scope of the related collection `target`, for a subquery over it
    /// aliased `alias`: none inside a scope, or where the caller sees all.
    pub fn related_scope(&self, target: &str) -> Option<Scope<'c>> {
        if self.in_scope {
            return None;
        }
        self.catalog.scope(target)
    }

    /// What `write` adds to the statement, returned as text instead, for
    /// expressions assembled before they are placed. Their parameters are
    /// bound now, so the text must land before anything else is bound.
    pub fn detached(
        &mut self,
        write: impl FnOnce(&mut Builder<'c>) -> Result<()>,
    ) -> Result<String> {
        let outer = std::mem::take(&mut self.sql);
        let written = write(self);
        let fragment = std::mem::replace(&mut self.sql, outer);
        written.map(|()| fragment)
    }

    /// `LIMIT n OFFSET ?`: the offset is bound, so every page of a list is
    /// one prepared statement (parsed once per connection, not per page),
    /// while the limit stays written in, so PostgreSQL's cached plan still
    /// knows it reads only that many rows. SQL Server and Oracle keep both
    /// written in (not measured there).
    pub fn paging(&mut self, limit: u64, offset: u64) {
        match self.dialect {
            Dialect::Mssql | Dialect::Oracle => {
                let clause = self.dialect.paging(limit, offset);
                self.push(&clause);
            }
            _ if offset == 0 => self.push(&format!(" LIMIT {limit}")),
            dialect => {
                self.push(&format!(" LIMIT {limit} OFFSET "));
                self.params
                    .push(SqlValue::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
                let n = self.params.len();
                let placeholder = match dialect {
                    // Parameters travel as text (see `Dialect::placeholder`).
                    Dialect::Postgres => format!("CAST(${n} AS bigint)"),
                    _ => dialect.placeholder(n, None),
                };
                self.push(&placeholder);
            }
        }
    }

    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    pub fn bind(&mut self, value: SqlValue, field: Option<&Field>) {
        self.params.push(value);
        let placeholder = self.dialect.placeholder(self.params.len(), field);
        self.sql.push_str(&placeholder);
    }

    /// `alias."column"`.
    pub fn column(&self, alias: &str, column: &str) -> String {
        format!(
            "{}.{}",
            self.dialect.quote(alias),
            self.dialect.quote(column)
        )
    }

    pub fn table(&self, collection: &Collection) -> String {
        self.dialect
            .table(collection.schema.as_deref(), &collection.table)
    }

    pub fn next_alias(&mut self) -> String {
        self.aliases += 1;
        format!("t{}", self.aliases)
    }

    pub fn finish(self) -> Statement {
        Statement {
            sql: self.sql,
            params: self.params,
        }
    }

    /// `WHERE (filter) AND (scope)`, or nothing.
    pub fn where_clause(
        &mut self,
        collection: &Collection,
        filter: Option<&Filter>,
        scope: Option<Scope<'_>>,
        key: Option<(&Field, SqlValue)>,
    ) -> Result<()> {
        let mut first = true;
        let mut and = |b: &mut Builder| {
            b.push(if first { " WHERE " } else { " AND " });
            first = false;
        };
        if let Some((field, value)) = key {
            and(self);
            let column = self.column(ROOT, &field.name);
            self.push(&column);
            self.push(" = ");
            self.bind(value, Some(field));
        }
        if let Some(filter) = filter {
            and(self);
            self.push("(");
            filter::compile(self, ROOT, collection, filter)?;
            self.push(")");
        }
        if let Some(scope) = scope {
            and(self);
            self.scope(ROOT, scope)?;
        }
        Ok(())
    }
}

/// Checks that `filter` names only what `collection` and `catalog` show,
/// without building a statement: a write's filter must stay within what the
/// caller may read, or whether it matched would reveal hidden values.
pub fn check_filter(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    filter: &Filter,
) -> Result<()> {
    filter::compile(
        &mut Builder::new(dialect, catalog),
        ROOT,
        collection,
        filter,
    )
}

/// The single-column record key and the value of `filterByTk` for it.
pub(crate) fn key_value<'a>(
    collection: &'a Collection,
    value: &serde_json::Value,
) -> Result<(&'a Field, SqlValue)> {
    let [key] = collection.key.as_slice() else {
        return Err(Error::InvalidQuery(if collection.key.is_empty() {
            format!(
                "`{}` has no record key; choose one in the data source settings",
                collection.name
            )
        } else {
            format!(
                "`{}` has a composite key; address records with `filter` instead of `filterByTk`",
                collection.name
            )
        }));
    };
    let field = collection
        .field(key)
        .ok_or_else(|| Error::InvalidQuery(format!("the record key `{key}` is not visible")))?;
    match coerce(field, value)? {
        SqlValue::Null => Err(Error::InvalidQuery("filterByTk must not be null".into())),
        value => Ok((field, value)),
    }
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests;
