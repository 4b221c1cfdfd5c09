//! PostgreSQL (and KingbaseES in PostgreSQL mode): every parameter is sent
//! as text and cast by the statement; rows come back as JSON text.

use serde_json::{Map, Value};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::{AssertSqlSafe, PgPool, Row};

use crate::Result;
use crate::compile::{InsertKey, InsertPlan, Statement};
use crate::config::ConnectionConfig;
use crate::introspect;
use crate::schema::{TableInfo, TableSchema};

pub(super) fn pool(config: &ConnectionConfig) -> Result<PgPool> {
    use model::data::TlsMode;
    let mut options = PgConnectOptions::new()
        .host(&config.dial_host(config.tls == TlsMode::VerifyFull))
        .port(config.port())
        .username(&config.username)
        .database(&config.database)
        .application_name("ferrobase")
        .ssl_mode(match config.tls {
            TlsMode::Disable => PgSslMode::Disable,
            TlsMode::Prefer => PgSslMode::Prefer,
            TlsMode::Require => PgSslMode::Require,
            TlsMode::VerifyCa => PgSslMode::VerifyCa,
            TlsMode::VerifyFull => PgSslMode::VerifyFull,
        })
        .options([
            (
                "statement_timeout",
                format!("{}ms", config.statement_timeout.as_millis()),
            ),
            ("TimeZone", "UTC".to_owned()),
        ]);
    // Always set, empty for "no password": left unset, sqlx falls back to
    // the process's `PGPASSWORD` and `~/.pgpass`, and would hand Ferrobase's
    // own credentials to whatever server the source names.
    options = options.password(config.password.as_deref().unwrap_or_default());
    if let Some(pem) = &config.ca_certificate {
        options = options.ssl_root_cert_from_pem(pem.as_bytes().to_vec());
    }
    Ok(PgPoolOptions::new()
        .max_connections(config.max_connections.max(1))
        .min_connections(0)
        .acquire_timeout(config.connect_timeout)
        .idle_timeout(std::time::Duration::from_secs(300))
        .connect_lazy_with(options))
}

fn query(
    statement: &Statement,
) -> sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let mut query = sqlx::query(AssertSqlSafe(statement.sql.as_str()));
    for param in &statement.params {
        query = query.bind(param.to_text());
    }
    query
}

pub(super) async fn rows(
    pool: &PgPool,
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

pub(super) async fn scalar_i64(pool: &PgPool, statement: &Statement) -> Result<i64, sqlx::Error> {
    query(statement).fetch_one(pool).await?.try_get(0)
}

pub(super) async fn execute(pool: &PgPool, statement: &Statement) -> Result<u64, sqlx::Error> {
    Ok(query(statement).execute(pool).await?.rows_affected())
}

pub(super) async fn insert(pool: &PgPool, plan: &InsertPlan) -> Result<Option<Value>, sqlx::Error> {
    match &plan.key {
        InsertKey::Returned => {
            let key: Option<String> = query(&plan.statement).fetch_one(pool).await?.try_get(0)?;
            Ok(super::decode::returned_key(key))
        }
        InsertKey::Given(key) => {
            query(&plan.statement).execute(pool).await?;
            Ok(Some(key.clone()))
        }
        InsertKey::LastInsertId | InsertKey::Unknown => {
            query(&plan.statement).execute(pool).await?;
            Ok(None)
        }
    }
}

pub(super) async fn list_tables(
    pool: &PgPool,
    schema: Option<&str>,
) -> Result<Vec<TableInfo>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(introspect::postgres::TABLES)
        .bind(schema.unwrap_or("public"))
        .fetch_all(pool)
        .await?;
    Ok(introspect::postgres::tables(schema, rows))
}

pub(super) async fn introspect(
    pool: &PgPool,
    schema: Option<&str>,
    tables: &[TableInfo],
) -> Result<Vec<TableSchema>, sqlx::Error> {
    let names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
    let schema_name = schema.unwrap_or("public");
    let columns: Vec<introspect::postgres::ColumnRow> =
        sqlx::query_as(introspect::postgres::COLUMNS)
            .bind(schema_name)
            .bind(&names)
            .fetch_all(pool)
            .await?;
    let constraints: Vec<introspect::postgres::ConstraintRow> =
        sqlx::query_as(introspect::postgres::CONSTRAINTS)
            .bind(schema_name)
            .bind(&names)
            .fetch_all(pool)
            .await?;
    Ok(introspect::postgres::assemble(tables, columns, constraints))
}
