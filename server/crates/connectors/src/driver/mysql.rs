//! MySQL and MariaDB: typed parameters, rows as JSON text from JSON_OBJECT,
//! the session in UTC with a server-side statement limit.

use serde_json::{Map, Value};
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions, MySqlSslMode};
use sqlx::{AssertSqlSafe, MySqlPool, Row};

use crate::Result;
use crate::compile::{InsertKey, InsertPlan, Statement};
use crate::config::ConnectionConfig;
use crate::introspect;
use crate::schema::{TableInfo, TableSchema};
use crate::value::SqlValue;

pub(super) fn pool(config: &ConnectionConfig) -> Result<MySqlPool> {
    use model::data::TlsMode;
    let mut options = MySqlConnectOptions::new()
        .host(&config.dial_host(config.tls == TlsMode::VerifyFull))
        .port(config.port())
        .username(&config.username)
        .database(&config.database)
        .charset("utf8mb4")
        .timezone(Some("+00:00".to_owned()))
        .ssl_mode(match config.tls {
            TlsMode::Disable => MySqlSslMode::Disabled,
            TlsMode::Prefer => MySqlSslMode::Preferred,
            TlsMode::Require => MySqlSslMode::Required,
            TlsMode::VerifyCa => MySqlSslMode::VerifyCa,
            TlsMode::VerifyFull => MySqlSslMode::VerifyIdentity,
        });
    if let Some(password) = &config.password {
        options = options.password(password);
    }
    if let Some(pem) = &config.ca_certificate {
        options = options.ssl_ca_from_pem(pem.as_bytes().to_vec());
    }
    let timeout = config.statement_timeout;
    Ok(MySqlPoolOptions::new()
        .max_connections(config.max_connections.max(1))
        .min_connections(0)
        .acquire_timeout(config.connect_timeout)
        .idle_timeout(std::time::Duration::from_secs(300))
        .after_connect(move |connection, _| {
            Box::pin(async move {
                // MariaDB and MySQL name the limit differently; each ignores
                // the other's by failing, which is fine.
                let mariadb = format!("SET SESSION max_statement_time = {}", timeout.as_secs_f64());
                let mysql = format!("SET SESSION max_execution_time = {}", timeout.as_millis());
                let _ = sqlx::query(AssertSqlSafe(mariadb))
                    .execute(&mut *connection)
                    .await;
                let _ = sqlx::query(AssertSqlSafe(mysql))
                    .execute(&mut *connection)
                    .await;
                Ok(())
            })
        })
        .connect_lazy_with(options))
}

fn query(
    statement: &Statement,
) -> sqlx::query::Query<'_, sqlx::MySql, sqlx::mysql::MySqlArguments> {
    let mut query = sqlx::query(AssertSqlSafe(statement.sql.as_str()));
    for param in &statement.params {
        query = match param {
            SqlValue::Null => query.bind(None::<String>),
            SqlValue::Bool(b) => query.bind(*b),
            SqlValue::Int(i) => query.bind(*i),
            SqlValue::Float(f) => query.bind(*f),
            SqlValue::Text(t) | SqlValue::Date(t) => query.bind(t.as_str()),
            SqlValue::Datetime(ms) => query.bind(mysql_datetime(*ms)),
            SqlValue::Bytes(b) => query.bind(b.as_slice()),
        };
    }
    query
}

/// `2026-11-23 09:05:00.250`: the session is UTC, and MariaDB reads no zone.
fn mysql_datetime(ms: i64) -> String {
    let iso = model::time::iso8601_millis(ms);
    format!("{} {}", &iso[..10], &iso[11..23])
}

pub(super) async fn rows(
    pool: &MySqlPool,
    statement: &Statement,
) -> Result<Vec<Map<String, Value>>, sqlx::Error> {
    let rows = query(statement).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let text: String = row.try_get(0)?;
            serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .collect()
}

pub(super) async fn scalar_i64(
    pool: &MySqlPool,
    statement: &Statement,
) -> Result<i64, sqlx::Error> {
    query(statement).fetch_one(pool).await?.try_get(0)
}

pub(super) async fn execute(pool: &MySqlPool, statement: &Statement) -> Result<u64, sqlx::Error> {
    Ok(query(statement).execute(pool).await?.rows_affected())
}

pub(super) async fn insert(
    pool: &MySqlPool,
    plan: &InsertPlan,
) -> Result<Option<Value>, sqlx::Error> {
    let done = query(&plan.statement).execute(pool).await?;
    Ok(match &plan.key {
        InsertKey::Given(key) => Some(key.clone()),
        // The id the server assigned on this very connection.
        // 0 means the table has no AUTO_INCREMENT column to report.
        InsertKey::LastInsertId | InsertKey::Returned => Some(done.last_insert_id())
            .filter(|id| *id != 0)
            .map(Value::from),
        InsertKey::Unknown => None,
    })
}

/// Whether the connection's database still exists: MariaDB keeps a dropped
/// database as the session's current one and reports missing tables.
pub(super) async fn database_exists(pool: &MySqlPool) -> Result<bool, sqlx::Error> {
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
    )
    .fetch_one(pool)
    .await?;
    Ok(found > 0)
}

pub(super) async fn list_tables(pool: &MySqlPool) -> Result<Vec<TableInfo>, sqlx::Error> {
    if !database_exists(pool).await? {
        return Err(sqlx::Error::Configuration(
            "the database no longer exists".into(),
        ));
    }
    let rows: Vec<(String, String)> = sqlx::query_as(introspect::mysql::TABLES)
        .fetch_all(pool)
        .await?;
    Ok(introspect::mysql::tables(rows))
}

pub(super) async fn introspect(
    pool: &MySqlPool,
    tables: &[TableInfo],
) -> Result<Vec<TableSchema>, sqlx::Error> {
    let columns: Vec<introspect::mysql::ColumnRow> = sqlx::query_as(introspect::mysql::COLUMNS)
        .fetch_all(pool)
        .await?;
    let constraints: Vec<introspect::mysql::ConstraintRow> =
        sqlx::query_as(introspect::mysql::CONSTRAINTS)
            .fetch_all(pool)
            .await?;
    let json_checks: Vec<(String, String)> = sqlx::query_as(introspect::mysql::JSON_CHECKS)
        .fetch_all(pool)
        .await
        .unwrap_or_default();
    Ok(introspect::mysql::assemble(
        tables,
        columns,
        constraints,
        &json_checks,
    ))
}
