//! INSERT, and UPDATE and DELETE by record key or by filter. Values are
//! checked field by field before any SQL is built, so a bad value never
//! half-writes a row.

use model::query::Filter;
use serde_json::{Map, Value};

use super::{Builder, ROOT, Scope, Statement, key_value};
use crate::dialect::Dialect;
use crate::schema::{Catalog, Collection, Field};
use crate::value::{SqlValue, coerce};
use crate::{Error, Result};

/// How the new record's key is learnt after an insert.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertKey {
    /// The caller gave it.
    Given(Value),
    /// The statement returns it: `RETURNING` a one-element JSON array, or
    /// on MSSQL an `OUTPUT` clause and a final SELECT of the typed key, or
    /// on Oracle `RETURNING … INTO` an out bind numbered after the
    /// statement's parameters, typed from [`InsertPlan::key_field`].
    Returned,
    /// MySQL: `LAST_INSERT_ID()` on the same connection.
    LastInsertId,
    /// The collection has no single-column key: the record cannot be read back.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct InsertPlan {
    pub statement: Statement,
    pub key: InsertKey,
    /// The key's field when the statement returns it: an out bind (Oracle)
    /// needs its type before the statement runs.
    pub key_field: Option<Field>,
}

pub fn insert(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    values: &Map<String, Value>,
) -> Result<InsertPlan> {
    let mut columns: Vec<(&Field, SqlValue)> = Vec::with_capacity(values.len());
    for (name, value) in values {
        let field = writable(collection, name)?;
        if field.interface == model::data::FieldInterface::Unsupported {
            return Err(Error::invalid_value(
                name,
                "has a type Ferrobase cannot write",
            ));
        }
        let value = coerce(field, value)?;
        if value == SqlValue::Null && !field.nullable {
            return Err(Error::invalid_value(name, "is required"));
        }
        columns.push((field, value));
    }
    for field in &collection.fields {
        let required = !field.nullable && !field.has_default && !field.generated;
        if required && !values.contains_key(&field.name) {
            return Err(Error::invalid_value(&field.name, "is required"));
        }
    }
    let single_key = match collection.key.as_slice() {
        [key] => collection.field(key),
        _ => None,
    };
    let key = match single_key {
        None => InsertKey::Unknown,
        Some(field) => match values.get(&field.name) {
            Some(value) if !value.is_null() => InsertKey::Given(value.clone()),
            _ if dialect == Dialect::Mysql => InsertKey::LastInsertId,
            _ => InsertKey::Returned,
        },
    };
    let mut b = Builder::new(dialect, catalog);
    // MSSQL: the key goes through a table variable, as an OUTPUT clause
    // straight to the client is refused on a table with triggers.
    let output = match (&key, single_key, dialect) {
        (InsertKey::Returned, Some(field), Dialect::Mssql) => {
            b.push("DECLARE @inserted TABLE ([key] sql_variant); ");
            format!(
                " OUTPUT INSERTED.{} INTO @inserted",
                dialect.quote(&field.name)
            )
        }
        _ => String::new(),
    };
    b.push(&format!("INSERT INTO {}", b.table(collection)));
    if columns.is_empty() {
        b.push(&output);
        b.push(&match (dialect, single_key.or(collection.fields.first())) {
            (Dialect::Mysql, _) => " () VALUES ()".to_owned(),
            // Oracle has no DEFAULT VALUES; one column set to its default
            // says the same.
            (Dialect::Oracle, Some(field)) => {
                format!(" ({}) VALUES (DEFAULT)", dialect.quote(&field.name))
            }
            _ => " DEFAULT VALUES".to_owned(),
        });
    } else {
        let names: Vec<String> = columns
            .iter()
            .map(|(f, _)| dialect.quote(&f.name))
            .collect();
        b.push(&format!(" ({}){output} VALUES (", names.join(", ")));
        for (i, (field, value)) in columns.into_iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(value, Some(field));
        }
        b.push(")");
    }
    if let (InsertKey::Returned, Some(field)) = (&key, single_key) {
        // As a one-element JSON array, so the key keeps its JSON type (a
        // number stays a number, as when the record is read).
        let column = dialect.quote(&field.name);
        match dialect {
            Dialect::Postgres => b.push(&format!(
                " RETURNING CAST(json_build_array({column}) AS text)"
            )),
            Dialect::Sqlite => b.push(&format!(" RETURNING json_array({column})")),
            // The key's own type survives in the sql_variant.
            Dialect::Mssql => b.push("; SELECT [key] FROM @inserted"),
            // Returned only into an out bind, which the driver adds.
            Dialect::Oracle => {
                let out = dialect.placeholder(b.params.len() + 1, None);
                b.push(&format!(" RETURNING {column} INTO {out}"));
            }
            // MySQL reads LAST_INSERT_ID() instead.
            Dialect::Mysql => {}
        }
    }
    let key_field = match key {
        InsertKey::Returned => single_key.cloned(),
        _ => None,
    };
    Ok(InsertPlan {
        statement: b.finish(),
        key,
        key_field,
    })
}

/// `UPDATE … SET … WHERE key = ? AND (scope)`; the affected row count tells
/// whether the record existed (and was within the scope).
pub fn update(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    key: &Value,
    values: &Map<String, Value>,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    let key = key_value(collection, key)?;
    update_rows(dialect, catalog, collection, Rows::Key(key), values, scope)
}

/// `UPDATE … SET … WHERE (filter) AND (scope)`: every matching record.
pub fn update_matching(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    filter: &Filter,
    values: &Map<String, Value>,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    update_rows(
        dialect,
        catalog,
        collection,
        Rows::Matching(filter),
        values,
        scope,
    )
}

/// Which rows a write touches. A filter is never optional: a write without
/// one would change the whole table, which no API call should do by accident.
enum Rows<'a> {
    Key((&'a Field, SqlValue)),
    Matching(&'a Filter),
}

impl Rows<'_> {
    fn where_clause(
        self,
        b: &mut Builder,
        collection: &Collection,
        scope: Option<Scope<'_>>,
    ) -> Result<()> {
        match self {
            Rows::Key(key) => b.where_clause(collection, None, scope, Some(key)),
            Rows::Matching(filter) => b.where_clause(collection, Some(filter), scope, None),
        }
    }
}

fn update_rows(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    rows: Rows<'_>,
    values: &Map<String, Value>,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    if values.is_empty() {
        return Err(Error::InvalidQuery(
            "there is nothing to update: the values are empty".into(),
        ));
    }
    let mut assignments: Vec<(&Field, SqlValue)> = Vec::with_capacity(values.len());
    for (name, value) in values {
        let field = writable(collection, name)?;
        if !field.is_writable() {
            return Err(Error::invalid_value(
                name,
                "is filled by the database and cannot be changed",
            ));
        }
        if collection.key.iter().any(|k| k == name) {
            return Err(Error::invalid_value(
                name,
                "is the record key and cannot be changed",
            ));
        }
        let value = coerce(field, value)?;
        if value == SqlValue::Null && !field.nullable {
            return Err(Error::invalid_value(name, "is required"));
        }
        assignments.push((field, value));
    }
    let mut b = Builder::new(dialect, catalog);
    let table = b.table(collection);
    let root = dialect.quote(ROOT);
    match dialect {
        Dialect::Mssql => b.push(&format!("UPDATE {root} SET ")),
        Dialect::Oracle => b.push(&format!("UPDATE {table} {root} SET ")),
        _ => b.push(&format!("UPDATE {table} AS {root} SET ")),
    }
    for (i, (field, value)) in assignments.into_iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        let target = match dialect {
            Dialect::Mysql => b.column(ROOT, &field.name),
            _ => dialect.quote(&field.name),
        };
        b.push(&format!("{target} = "));
        b.bind(value, Some(field));
    }
    if dialect == Dialect::Mssql {
        b.push(&format!(" FROM {table} AS {root}"));
    }
    rows.where_clause(&mut b, collection, scope)?;
    Ok(b.finish())
}

pub fn delete(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    key: &Value,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    let key = key_value(collection, key)?;
    delete_rows(dialect, catalog, collection, Rows::Key(key), scope)
}

/// `DELETE … WHERE (filter) AND (scope)`: every matching record.
pub fn delete_matching(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    filter: &Filter,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    delete_rows(dialect, catalog, collection, Rows::Matching(filter), scope)
}

fn delete_rows(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    rows: Rows<'_>,
    scope: Option<Scope<'_>>,
) -> Result<Statement> {
    let mut b = Builder::new(dialect, catalog);
    let table = b.table(collection);
    let root = dialect.quote(ROOT);
    match dialect {
        Dialect::Mysql | Dialect::Mssql => b.push(&format!("DELETE {root} FROM {table} AS {root}")),
        Dialect::Oracle => b.push(&format!("DELETE FROM {table} {root}")),
        _ => b.push(&format!("DELETE FROM {table} AS {root}")),
    }
    rows.where_clause(&mut b, collection, scope)?;
    Ok(b.finish())
}

fn writable<'c>(collection: &'c Collection, name: &str) -> Result<&'c Field> {
    collection.field(name).ok_or_else(|| {
        Error::invalid_value(name, format!("is not a field of `{}`", collection.name))
    })
}
