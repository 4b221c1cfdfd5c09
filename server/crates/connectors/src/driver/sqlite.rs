//! SQLite files: typed parameters, rows decoded column by column by their
//! storage class, and a deadline SQLite itself enforces.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Column, Row, SqliteConnection, SqlitePool, TypeInfo, ValueRef};

use crate::compile::{InsertKey, InsertPlan, Statement};
use crate::config::ConnectionConfig;
use crate::introspect;
use crate::schema::{TableInfo, TableSchema};
use crate::value::SqlValue;
use crate::{Error, Result};

pub(super) fn pool(config: &ConnectionConfig) -> Result<SqlitePool> {
    let path = Path::new(&config.database);
    if !path.is_file() {
        return Err(Error::Connection(format!(
            "there is no SQLite file at {}",
            path.display()
        )));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .foreign_keys(true)
        .busy_timeout(config.statement_timeout);
    Ok(SqlitePoolOptions::new()
        .max_connections(config.max_connections.max(1))
        .min_connections(0)
        .acquire_timeout(config.connect_timeout)
        .idle_timeout(std::time::Duration::from_secs(300))
        .connect_lazy_with(options))
}

fn query(
    statement: &Statement,
) -> sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    let mut query = sqlx::query(AssertSqlSafe(statement.sql.as_str()));
    for param in &statement.params {
        query = match param {
            SqlValue::Null => query.bind(None::<String>),
            SqlValue::Bool(b) => query.bind(i64::from(*b)),
            SqlValue::Int(i) => query.bind(*i),
            SqlValue::Float(f) => query.bind(*f),
            SqlValue::Text(t) | SqlValue::Date(t) => query.bind(t.clone()),
            SqlValue::Datetime(ms) => query.bind(model::time::iso8601_millis(*ms)),
            SqlValue::Bytes(b) => query.bind(b.clone()),
        };
    }
    query
}

/// How many virtual-machine steps SQLite takes between deadline checks.
const DEADLINE_CHECK_STEPS: i32 = 10_000;

/// Runs `work` on one connection that SQLite interrupts once `timeout` has
/// passed. SQLite has no statement timeout: the timer in
/// `Connector::bounded` alone would answer the caller but leave the
/// statement running on its worker thread, holding the connection.
async fn interruptible<T>(
    pool: &SqlitePool,
    timeout: Duration,
    work: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    let mut connection = pool.acquire().await?;
    let deadline = Instant::now() + timeout;
    // The handler stays on the connection until the next call replaces it;
    // disarmed (also when the caller gives up on this future) it never fires.
    let armed = Arc::new(AtomicBool::new(true));
    let disarm = Disarm(Arc::clone(&armed));
    connection
        .lock_handle()
        .await?
        .set_progress_handler(DEADLINE_CHECK_STEPS, move || {
            !armed.load(Ordering::Relaxed) || Instant::now() < deadline
        });
    let result = work(&mut connection).await;
    drop(disarm);
    result
}

struct Disarm(Arc<AtomicBool>);

impl Drop for Disarm {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

pub(super) async fn rows(
    pool: &SqlitePool,
    timeout: Duration,
    statement: &Statement,
) -> Result<Vec<Map<String, Value>>, sqlx::Error> {
    let rows = interruptible(pool, timeout, async |c| query(statement).fetch_all(c).await).await?;
    rows.iter().map(row_to_json).collect()
}

fn row_to_json(row: &sqlx::sqlite::SqliteRow) -> Result<Map<String, Value>, sqlx::Error> {
    let mut object = Map::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        let value = if raw.is_null() {
            Value::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" => Value::from(row.try_get::<i64, _>(i)?),
                "REAL" => Value::from(row.try_get::<f64, _>(i)?),
                "BLOB" => {
                    Value::from(data_encoding::HEXLOWER.encode(&row.try_get::<Vec<u8>, _>(i)?))
                }
                _ => Value::from(row.try_get::<String, _>(i)?),
            }
        };
        object.insert(column.name().to_owned(), value);
    }
    Ok(object)
}

pub(super) async fn scalar_i64(
    pool: &SqlitePool,
    timeout: Duration,
    statement: &Statement,
) -> Result<i64, sqlx::Error> {
    interruptible(pool, timeout, async |c| {
        query(statement).fetch_one(c).await?.try_get(0)
    })
    .await
}

pub(super) async fn execute(
    pool: &SqlitePool,
    timeout: Duration,
    statement: &Statement,
) -> Result<u64, sqlx::Error> {
    interruptible(pool, timeout, async |c| {
        Ok(query(statement).execute(c).await?.rows_affected())
    })
    .await
}

pub(super) async fn insert(
    pool: &SqlitePool,
    timeout: Duration,
    plan: &InsertPlan,
) -> Result<Option<Value>, sqlx::Error> {
    interruptible(pool, timeout, async |c| match &plan.key {
        InsertKey::Returned => {
            let key: Option<String> = query(&plan.statement).fetch_one(c).await?.try_get(0)?;
            Ok(super::decode::returned_key(key))
        }
        InsertKey::Given(key) => {
            query(&plan.statement).execute(c).await?;
            Ok(Some(key.clone()))
        }
        InsertKey::LastInsertId | InsertKey::Unknown => {
            query(&plan.statement).execute(c).await?;
            Ok(None)
        }
    })
    .await
}

pub(super) async fn list_tables(
    pool: &SqlitePool,
    timeout: Duration,
) -> Result<Vec<TableInfo>, sqlx::Error> {
    let rows: Vec<(String, String)> = interruptible(pool, timeout, async |c| {
        sqlx::query_as(introspect::sqlite::TABLES)
            .fetch_all(c)
            .await
    })
    .await?;
    Ok(introspect::sqlite::tables(rows))
}

pub(super) async fn introspect(
    pool: &SqlitePool,
    timeout: Duration,
    tables: &[TableInfo],
) -> Result<Vec<TableSchema>, sqlx::Error> {
    interruptible(pool, timeout, async |c| {
        let columns = sqlx::query_as(introspect::sqlite::COLUMNS)
            .fetch_all(&mut *c)
            .await?;
        let unique = sqlx::query_as(introspect::sqlite::UNIQUE)
            .fetch_all(&mut *c)
            .await?;
        let foreign = sqlx::query_as(introspect::sqlite::FOREIGN_KEYS)
            .fetch_all(&mut *c)
            .await?;
        Ok(introspect::sqlite::assemble(
            tables, columns, unique, foreign,
        ))
    })
    .await
}
