//! Microsoft SQL Server through tiberius (TDS): typed parameters, rows
//! decoded cell by cell, the new record's key from an OUTPUT clause.

mod connect;
mod errors;
mod pool;
mod values;

use serde_json::{Map, Value};
use tiberius::{Query, Row};

use crate::compile::{InsertKey, InsertPlan, Statement};
use crate::config::ConnectionConfig;
use crate::introspect::mssql::{self as catalog, ColumnRow, ConstraintRow};
use crate::schema::{TableInfo, TableSchema};
use connect::{Connection, Settings};
pub(crate) use pool::MssqlPool;

pub(super) fn pool(config: &ConnectionConfig) -> MssqlPool {
    MssqlPool::new(
        Settings::new(config),
        config.max_connections,
        config.connect_timeout,
    )
}

/// Runs `work` on a pooled connection. It goes back to the pool after a
/// success or an error the server reported (the connection is in step);
/// after anything else, or when the caller gives up on this future, it is
/// closed: it may be left in the middle of a response.
async fn with_connection<T>(
    pool: &MssqlPool,
    work: impl AsyncFnOnce(&mut Connection) -> tiberius::Result<T>,
) -> tiberius::Result<T> {
    let mut lease = pool.acquire().await?;
    let result = work(lease.connection()).await;
    if matches!(result, Ok(_) | Err(tiberius::error::Error::Server(_))) {
        lease.release();
    }
    result
}

fn query(statement: &Statement) -> Query<'_> {
    let mut query = Query::new(statement.sql.as_str());
    for param in &statement.params {
        query.bind(values::param(param));
    }
    query
}

async fn first_result(
    connection: &mut Connection,
    statement: &Statement,
) -> tiberius::Result<Vec<Row>> {
    query(statement)
        .query(connection)
        .await?
        .into_first_result()
        .await
}

pub(super) async fn rows(
    pool: &MssqlPool,
    statement: &Statement,
) -> tiberius::Result<Vec<Map<String, Value>>> {
    let rows = with_connection(pool, async |c| first_result(c, statement).await).await?;
    Ok(rows.iter().map(values::row_object).collect())
}

pub(super) async fn scalar_i64(pool: &MssqlPool, statement: &Statement) -> tiberius::Result<i64> {
    let rows = with_connection(pool, async |c| first_result(c, statement).await).await?;
    rows.first()
        .and_then(|row| row.cells().next())
        .and_then(|(_, data)| values::integer(data))
        .ok_or_else(|| tiberius::error::Error::Conversion("the count is not a number".into()))
}

/// The rows the statement touched. Each statement reports a count, and a
/// trigger's statements report theirs before the statement that fired
/// them: the last count is the statement's own.
pub(super) async fn execute(pool: &MssqlPool, statement: &Statement) -> tiberius::Result<u64> {
    let done = with_connection(pool, async |c| query(statement).execute(c).await).await?;
    Ok(done.rows_affected().last().copied().unwrap_or_default())
}

pub(super) async fn insert(pool: &MssqlPool, plan: &InsertPlan) -> tiberius::Result<Option<Value>> {
    match &plan.key {
        // The statement ends by selecting the key its OUTPUT clause kept.
        InsertKey::Returned => {
            let rows =
                with_connection(pool, async |c| first_result(c, &plan.statement).await).await?;
            Ok(rows
                .first()
                .and_then(|row| row.cells().next())
                .map(|(_, data)| values::cell(data))
                .filter(|key| !key.is_null()))
        }
        InsertKey::Given(key) => {
            execute(pool, &plan.statement).await?;
            Ok(Some(key.clone()))
        }
        InsertKey::LastInsertId | InsertKey::Unknown => {
            execute(pool, &plan.statement).await?;
            Ok(None)
        }
    }
}

pub(super) async fn list_tables(
    pool: &MssqlPool,
    schema: Option<&str>,
) -> tiberius::Result<Vec<TableInfo>> {
    let rows = with_connection(pool, async |c| {
        catalog_rows(c, catalog::TABLES, schema).await
    })
    .await?;
    let rows = rows
        .iter()
        .map(|row| Ok((text(row, 0)?, text(row, 1)?, text(row, 2)?)))
        .collect::<tiberius::Result<Vec<_>>>()?;
    Ok(catalog::tables(rows))
}

pub(super) async fn introspect(
    pool: &MssqlPool,
    schema: Option<&str>,
    tables: &[TableInfo],
) -> tiberius::Result<Vec<TableSchema>> {
    let (columns, constraints) = with_connection(pool, async |c| {
        let columns = catalog_rows(c, catalog::COLUMNS, schema).await?;
        let constraints = catalog_rows(c, catalog::CONSTRAINTS, schema).await?;
        Ok((columns, constraints))
    })
    .await?;
    let columns = columns
        .iter()
        .map(|row| {
            Ok(ColumnRow {
                table_name: text(row, 0)?,
                column_name: text(row, 1)?,
                data_type: text(row, 2)?,
                nullable: text(row, 3)?,
                default_value: optional_text(row, 4)?,
                max_length: row.try_get(5)?,
                numeric_precision: row.try_get(6)?,
                numeric_scale: row.try_get(7)?,
                is_identity: row.try_get(8)?,
                is_computed: row.try_get(9)?,
            })
        })
        .collect::<tiberius::Result<Vec<_>>>()?;
    let constraints = constraints
        .iter()
        .map(|row| {
            Ok(ConstraintRow {
                table_name: text(row, 0)?,
                name: text(row, 1)?,
                kind: text(row, 2)?,
                column_name: text(row, 3)?,
                referenced_schema: optional_text(row, 4)?,
                referenced_table: optional_text(row, 5)?,
                referenced_column: optional_text(row, 6)?,
            })
        })
        .collect::<tiberius::Result<Vec<_>>>()?;
    Ok(catalog::assemble(tables, columns, constraints))
}

/// A catalog query for `schema` (`None`: the user's default schema).
async fn catalog_rows(
    connection: &mut Connection,
    sql: &str,
    schema: Option<&str>,
) -> tiberius::Result<Vec<Row>> {
    let mut query = Query::new(sql);
    query.bind(schema);
    query.query(connection).await?.into_first_result().await
}

fn optional_text(row: &Row, index: usize) -> tiberius::Result<Option<String>> {
    Ok(row.try_get::<&str, _>(index)?.map(str::to_owned))
}

fn text(row: &Row, index: usize) -> tiberius::Result<String> {
    optional_text(row, index)?.ok_or_else(|| {
        tiberius::error::Error::Conversion(format!("catalog column {index} is NULL").into())
    })
}
