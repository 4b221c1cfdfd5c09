//! Oracle Database through the pure-Rust thin driver (`oracledb`, no
//! Instant Client). The driver blocks, so every call runs on tokio's
//! blocking threads (see `pool`). Writes are committed at once: the driver
//! never commits by itself.

mod connect;
mod errors;
mod pool;
mod values;

use oracledb::{Connection, ToDbValue};
use serde_json::{Map, Value};

use crate::Result;
use crate::compile::{InsertKey, InsertPlan, Statement};
use crate::config::ConnectionConfig;
use crate::introspect;
use crate::schema::{TableInfo, TableSchema};
use pool::Failed;
pub(crate) use pool::OraclePool;

pub(super) fn pool(config: &ConnectionConfig) -> Result<OraclePool> {
    Ok(OraclePool::new(
        connect::Settings::new(config)?,
        config.max_connections,
        config.connect_timeout,
        config.statement_timeout,
    ))
}

/// Runs `work` with the statement's parameters bound in order.
fn with_params<T>(
    statement: &Statement,
    work: impl FnOnce(&[&dyn ToDbValue]) -> Result<T, Failed>,
) -> Result<T, Failed> {
    let owned = statement
        .params
        .iter()
        .map(values::param)
        .collect::<Result<Vec<_>>>()?;
    let params: Vec<&dyn ToDbValue> = owned.iter().map(|p| p.as_ref()).collect();
    work(&params)
}

pub(super) async fn rows(
    pool: &OraclePool,
    statement: &Statement,
) -> Result<Vec<Map<String, Value>>> {
    let statement = statement.clone();
    pool.run(move |c| {
        with_params(&statement, |params| {
            let mut rows = Vec::new();
            for row in c.query(&statement.sql, params)? {
                rows.push(values::row_object(&row?));
            }
            Ok(rows)
        })
    })
    .await
}

pub(super) async fn scalar_i64(pool: &OraclePool, statement: &Statement) -> Result<i64> {
    let statement = statement.clone();
    pool.run(move |c| {
        with_params(&statement, |params| {
            Ok(c.query_row(&statement.sql, params)?.get::<i64>(0)?)
        })
    })
    .await
}

pub(super) async fn execute(pool: &OraclePool, statement: &Statement) -> Result<u64> {
    let statement = statement.clone();
    pool.run(move |c| {
        with_params(&statement, |params| {
            committed(c, |c| {
                Ok(c.execute(&statement.sql, params)?.rows_affected())
            })
        })
    })
    .await
}

pub(super) async fn insert(pool: &OraclePool, plan: &InsertPlan) -> Result<Option<Value>> {
    let plan = plan.clone();
    pool.run(move |c| {
        with_params(&plan.statement, |params| {
            match (&plan.key, &plan.key_field) {
                // `RETURNING "key" INTO :n`: the last placeholder is an out
                // bind, given as the type it receives.
                (InsertKey::Returned, Some(field)) => {
                    let out = values::key_type(field.interface);
                    let mut all = params.to_vec();
                    all.push(&out);
                    committed(c, |c| {
                        let mut done = c.execute(&plan.statement.sql, &all)?;
                        let returned = done.returned_data();
                        Ok(returned
                            .first()
                            .map_or(Value::Null, |row| values::cell(row, 0, out)))
                    })
                    .map(|key| Some(key).filter(|key| !key.is_null()))
                }
                (InsertKey::Given(key), _) => {
                    committed(c, |c| c.execute(&plan.statement.sql, params))?;
                    Ok(Some(key.clone()))
                }
                _ => {
                    committed(c, |c| c.execute(&plan.statement.sql, params))?;
                    Ok(None)
                }
            }
        })
    })
    .await
}

/// Runs one write and commits it, or rolls back what it left.
fn committed<T>(
    connection: &Connection,
    write: impl FnOnce(&Connection) -> Result<T, oracledb::Error>,
) -> Result<T, Failed> {
    match write(connection) {
        Ok(done) => {
            connection.commit()?;
            Ok(done)
        }
        Err(error) => {
            let _ = connection.rollback();
            Err(error.into())
        }
    }
}

/// The owner whose tables are read: the configured schema as Oracle names
/// it, or the connected user's own.
fn owner(connection: &Connection, schema: Option<&str>) -> Result<String, Failed> {
    let row = match schema {
        Some(name) => connection.query_row_named(introspect::oracle::OWNER, &[("name", &name)])?,
        None => connection.query_row(introspect::oracle::CURRENT_OWNER, &[])?,
    };
    Ok(row.get::<String>(0)?)
}

pub(super) async fn list_tables(pool: &OraclePool, schema: Option<&str>) -> Result<Vec<TableInfo>> {
    let schema = schema.map(str::to_owned);
    pool.run(move |c| {
        let owner = owner(c, schema.as_deref())?;
        let mut rows = Vec::new();
        for row in c.query(introspect::oracle::TABLES, &[&owner, &owner])? {
            let row = row?;
            rows.push((row.get::<String>(0)?, row.get::<String>(1)?));
        }
        Ok(introspect::oracle::tables(&owner, rows))
    })
    .await
}

pub(super) async fn introspect(
    pool: &OraclePool,
    schema: Option<&str>,
    tables: &[TableInfo],
) -> Result<Vec<TableSchema>> {
    let schema = schema.map(str::to_owned);
    let tables = tables.to_vec();
    pool.run(move |c| {
        let owner = owner(c, schema.as_deref())?;
        let mut columns = Vec::new();
        for row in c.query(introspect::oracle::COLUMNS, &[&owner])? {
            let row = row?;
            columns.push(introspect::oracle::ColumnRow {
                table_name: row.get(0)?,
                column_name: row.get(1)?,
                data_type: row.get(2)?,
                char_length: row.get(3)?,
                precision: row.get(4)?,
                scale: row.get(5)?,
                nullable: row.get(6)?,
                default_value: row.get(7)?,
                identity: row.get(8)?,
                virtual_column: row.get(9)?,
            });
        }
        let mut constraints = Vec::new();
        for row in c.query(introspect::oracle::CONSTRAINTS, &[&owner])? {
            let row = row?;
            constraints.push(introspect::oracle::ConstraintRow {
                table_name: row.get(0)?,
                name: row.get(1)?,
                kind: row.get(2)?,
                column_name: row.get(3)?,
                referenced_schema: row.get(4)?,
                referenced_table: row.get(5)?,
                referenced_column: row.get(6)?,
            });
        }
        let json_columns = json_columns(c, &owner).unwrap_or_default();
        Ok(introspect::oracle::assemble(
            &tables,
            columns,
            constraints,
            &json_columns,
        ))
    })
    .await
}

fn json_columns(c: &Connection, owner: &str) -> Result<Vec<(String, String)>, oracledb::Error> {
    let mut pairs = Vec::new();
    for row in c.query(introspect::oracle::JSON_COLUMNS, &[&owner])? {
        let row = row?;
        pairs.push((row.get(0)?, row.get(1)?));
    }
    Ok(pairs)
}
