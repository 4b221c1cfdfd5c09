//! A live connection pool to one data source, and the few operations the
//! service needs: structure, rows, and writes. Every call is bounded by the
//! statement timeout, on the server where the engine supports it and by a
//! timer here as well.

mod counts;
mod decode;
mod mssql;
mod mysql;
mod oracle;
mod postgres;
mod sqlite;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::compile::{InsertPlan, ListPlan, Statement};
use crate::config::ConnectionConfig;
use crate::dialect::Dialect;
use crate::error::DriverError;
use crate::schema::{TableInfo, TableSchema};
use crate::{Error, Result};
use counts::{CountCache, Lookup};

/// The total a counted page tells by itself, sparing the COUNT(*): a page
/// with fewer rows than its size is the last one, so the total is the rows
/// before it plus its own. A full page, or an empty one past the first
/// (the total may be anything up to its offset), tells nothing.
fn total_from_page(paging: model::query::Paging, rows: usize) -> Option<u64> {
    let model::query::Paging::Counted { page, page_size } = paging else {
        return None;
    };
    let rows = rows as u64;
    if rows >= u64::from(page_size) || (rows == 0 && page > 1) {
        return None;
    }
    Some(u64::from(page.max(1) - 1) * u64::from(page_size) + rows)
}

/// One page of rows as JSON objects, with the total (counted paging) or
/// whether more follow (simple paging).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub rows: Vec<Map<String, Value>>,
    pub count: Option<u64>,
    pub has_next: Option<bool>,
}

#[derive(Clone, Debug)]
enum Pool {
    Postgres(sqlx::PgPool),
    Mysql(sqlx::MySqlPool),
    Sqlite(sqlx::SqlitePool),
    Mssql(mssql::MssqlPool),
    Oracle(oracle::OraclePool),
}

#[derive(Clone, Debug)]
pub struct Connector {
    pool: Pool,
    dialect: Dialect,
    /// The schema tables are read from (PostgreSQL; `None` = `public`).
    schema: Option<String>,
    timeout: Duration,
    /// Shared by clones, so every request to this source sees one cache.
    counts: Arc<CountCache>,
}

impl Connector {
    /// Opens a pool and proves it with one round trip, so a wrong host,
    /// password or database is reported now, not at the first query.
    pub async fn connect(config: &ConnectionConfig) -> Result<Connector> {
        crate::crypto::install_crypto_provider();
        let timeout = config.statement_timeout;
        let pool = match Dialect::for_engine(config.engine) {
            Dialect::Postgres => Pool::Postgres(postgres::pool(config)?),
            Dialect::Mysql => Pool::Mysql(mysql::pool(config)?),
            Dialect::Sqlite => Pool::Sqlite(sqlite::pool(config)?),
            Dialect::Mssql => Pool::Mssql(mssql::pool(config)),
            Dialect::Oracle => Pool::Oracle(oracle::pool(config)?),
        };
        let connector = Connector {
            pool,
            dialect: Dialect::for_engine(config.engine),
            schema: config.schema.clone().filter(|s| !s.is_empty()),
            timeout,
            counts: Arc::new(CountCache::new(config.count_cache)),
        };
        connector.ping(config.connect_timeout).await?;
        Ok(connector)
    }

    /// Serves Ferrobase's own metadata store as the `main` data source.
    pub fn for_sqlite_pool(
        pool: sqlx::SqlitePool,
        timeout: Duration,
        count_cache: Duration,
    ) -> Connector {
        Connector::for_pool(Pool::Sqlite(pool), Dialect::Sqlite, timeout, count_cache)
    }

    pub fn for_postgres_pool(
        pool: sqlx::PgPool,
        timeout: Duration,
        count_cache: Duration,
    ) -> Connector {
        Connector::for_pool(
            Pool::Postgres(pool),
            Dialect::Postgres,
            timeout,
            count_cache,
        )
    }

    fn for_pool(
        pool: Pool,
        dialect: Dialect,
        timeout: Duration,
        count_cache: Duration,
    ) -> Connector {
        Connector {
            pool,
            dialect,
            schema: None,
            timeout,
            counts: Arc::new(CountCache::new(count_cache)),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// Opens one connection outside the pool: the pool retries a refused
    /// connection until its acquire timeout and then reports only that it
    /// timed out, where the caller needs "connection refused" at once.
    async fn ping(&self, connect_timeout: Duration) -> Result<()> {
        use sqlx::ConnectOptions;
        let secs = connect_timeout.as_secs();
        let probe = async {
            match &self.pool {
                Pool::Postgres(p) => close_probe(p.connect_options().connect().await, secs).await,
                Pool::Mysql(p) => close_probe(p.connect_options().connect().await, secs).await,
                Pool::Sqlite(p) => close_probe(p.connect_options().connect().await, secs).await,
                Pool::Mssql(p) => p.probe().await.map_err(|e| e.into_error(secs)),
                Pool::Oracle(p) => p.probe().await,
            }
        };
        match tokio::time::timeout(connect_timeout, probe).await {
            Err(_) => Err(Error::Connection(format!(
                "no answer within {} seconds",
                connect_timeout.as_secs()
            ))),
            // Anything failing while connecting is a connection problem.
            Ok(Err(error)) => Err(match error {
                error @ (Error::Connection(_) | Error::InvalidConfig(_)) => error,
                Error::Database(message)
                | Error::SchemaChanged(message)
                | Error::Constraint(message)
                | Error::InvalidQuery(message) => Error::Connection(message),
                other => Error::Connection(other.to_string()),
            }),
            Ok(Ok(())) => Ok(()),
        }
    }

    /// Runs `work` under the statement timeout.
    async fn bounded<T, E: DriverError>(
        &self,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T> {
        let secs = self.timeout.as_secs().max(1);
        let outcome = match tokio::time::timeout(self.timeout + Duration::from_secs(1), work).await
        {
            Err(_) => Err(Error::Timeout(secs)),
            Ok(result) => result.map_err(|e| e.into_error(secs)),
        };
        match outcome {
            Err(Error::SchemaChanged(message)) => Err(self.missing_database_or(message).await),
            Err(Error::InvalidConfig(message)) if message.contains("no longer exists") => {
                Err(Error::Connection(message))
            }
            other => other,
        }
    }

    /// A missing table on MySQL/MariaDB may mean the whole database was
    /// dropped: that is a connection failure, not a schema change to refresh.
    async fn missing_database_or(&self, message: String) -> Error {
        if let Pool::Mysql(pool) = &self.pool
            && let Ok(false) = mysql::database_exists(pool).await
        {
            return Error::Connection("the database no longer exists".into());
        }
        Error::SchemaChanged(message)
    }

    pub async fn list_tables(&self) -> Result<Vec<TableInfo>> {
        let schema = self.schema.as_deref();
        match &self.pool {
            Pool::Postgres(p) => self.bounded(postgres::list_tables(p, schema)).await,
            Pool::Mysql(p) => self.bounded(mysql::list_tables(p)).await,
            Pool::Sqlite(p) => self.bounded(sqlite::list_tables(p, self.timeout)).await,
            Pool::Mssql(p) => self.bounded(mssql::list_tables(p, schema)).await,
            Pool::Oracle(p) => self.bounded(oracle::list_tables(p, schema)).await,
        }
    }

    /// Columns, keys and foreign keys of the named tables, read in a few
    /// catalog queries however many tables there are.
    pub async fn introspect(&self, tables: &[TableInfo]) -> Result<Vec<TableSchema>> {
        let schema = self.schema.as_deref();
        match &self.pool {
            Pool::Postgres(p) => self.bounded(postgres::introspect(p, schema, tables)).await,
            Pool::Mysql(p) => self.bounded(mysql::introspect(p, tables)).await,
            Pool::Sqlite(p) => {
                self.bounded(sqlite::introspect(p, self.timeout, tables))
                    .await
            }
            Pool::Mssql(p) => self.bounded(mssql::introspect(p, schema, tables)).await,
            Pool::Oracle(p) => self.bounded(oracle::introspect(p, schema, tables)).await,
        }
    }

    pub async fn fetch(&self, plan: &ListPlan) -> Result<Page> {
        let mut rows = match &self.pool {
            Pool::Postgres(p) => self.bounded(postgres::rows(p, &plan.rows)).await?,
            Pool::Mysql(p) => self.bounded(mysql::rows(p, &plan.rows)).await?,
            Pool::Sqlite(p) => {
                self.bounded(sqlite::rows(p, self.timeout, &plan.rows))
                    .await?
            }
            Pool::Mssql(p) => self.bounded(mssql::rows(p, &plan.rows)).await?,
            Pool::Oracle(p) => self.bounded(oracle::rows(p, &plan.rows)).await?,
        };
        let count = match (&plan.count, total_from_page(plan.paging, rows.len())) {
            (Some(_), Some(total)) => Some(total),
            (Some(statement), None) => Some(self.count(statement).await?),
            (None, _) => None,
        };
        for row in &mut rows {
            decode::normalise(row, &plan.fields, &plan.appends);
        }
        let has_next = match plan.paging {
            model::query::Paging::Simple { page_size, .. } => {
                let more = rows.len() > page_size as usize;
                rows.truncate(page_size as usize);
                Some(more)
            }
            model::query::Paging::All if rows.len() as u64 > crate::compile::MAX_UNPAGED_ROWS => {
                return Err(Error::InvalidQuery(format!(
                    "more than {} records match; page through them instead of paginate=false",
                    crate::compile::MAX_UNPAGED_ROWS
                )));
            }
            _ => None,
        };
        Ok(Page {
            rows,
            count,
            has_next,
        })
    }

    async fn count(&self, statement: &Statement) -> Result<u64> {
        let pending = match self.counts.lookup(statement) {
            Lookup::Remembered(total) => return Ok(total),
            Lookup::Wait(mut waiting) => match waiting.wait_for(Option::is_some).await {
                Ok(total) => return Ok(total.unwrap_or_default()),
                // That count failed or its request went away: count here.
                Err(_) => None,
            },
            Lookup::Count(pending) => pending,
        };
        let count = match &self.pool {
            Pool::Postgres(p) => self.bounded(postgres::scalar_i64(p, statement)).await?,
            Pool::Mysql(p) => self.bounded(mysql::scalar_i64(p, statement)).await?,
            Pool::Sqlite(p) => {
                self.bounded(sqlite::scalar_i64(p, self.timeout, statement))
                    .await?
            }
            Pool::Mssql(p) => self.bounded(mssql::scalar_i64(p, statement)).await?,
            Pool::Oracle(p) => self.bounded(oracle::scalar_i64(p, statement)).await?,
        };
        let total = u64::try_from(count).unwrap_or_default();
        if let Some(pending) = pending {
            pending.remember(total);
        }
        Ok(total)
    }

    /// Inserts one record and answers its key, when it can be known.
    pub async fn insert(&self, plan: &InsertPlan) -> Result<Option<Value>> {
        self.writing(async {
            match &self.pool {
                Pool::Postgres(p) => self.bounded(postgres::insert(p, plan)).await,
                Pool::Mysql(p) => self.bounded(mysql::insert(p, plan)).await,
                Pool::Sqlite(p) => self.bounded(sqlite::insert(p, self.timeout, plan)).await,
                Pool::Mssql(p) => self.bounded(mssql::insert(p, plan)).await,
                Pool::Oracle(p) => self.bounded(oracle::insert(p, plan)).await,
            }
        })
        .await
    }

    /// Runs an UPDATE or DELETE and answers the number of rows it touched.
    pub async fn execute(&self, statement: &Statement) -> Result<u64> {
        self.writing(async {
            match &self.pool {
                Pool::Postgres(p) => self.bounded(postgres::execute(p, statement)).await,
                Pool::Mysql(p) => self.bounded(mysql::execute(p, statement)).await,
                Pool::Sqlite(p) => {
                    self.bounded(sqlite::execute(p, self.timeout, statement))
                        .await
                }
                Pool::Mssql(p) => self.bounded(mssql::execute(p, statement)).await,
                Pool::Oracle(p) => self.bounded(oracle::execute(p, statement)).await,
            }
        })
        .await
    }

    /// For changes made around this connector (tables created or dropped).
    pub fn forget_counts(&self) {
        self.counts.forget_all();
    }

    /// A write makes remembered totals wrong: they are forgotten before it
    /// (no count may start from the old state and be kept) and after it
    /// (none counted meanwhile survives), whether or not it succeeded.
    async fn writing<T>(&self, write: impl Future<Output = Result<T>>) -> Result<T> {
        self.counts.forget_all();
        let outcome = write.await;
        self.counts.forget_all();
        outcome
    }

    /// Connections open and idle, for the status page and metrics.
    pub fn pool_size(&self) -> (u32, usize) {
        match &self.pool {
            Pool::Postgres(p) => (p.size(), p.num_idle()),
            Pool::Mysql(p) => (p.size(), p.num_idle()),
            Pool::Sqlite(p) => (p.size(), p.num_idle()),
            Pool::Mssql(p) => p.size(),
            Pool::Oracle(p) => p.size(),
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Postgres(p) => p.close().await,
            Pool::Mysql(p) => p.close().await,
            Pool::Sqlite(p) => p.close().await,
            Pool::Mssql(p) => p.close(),
            Pool::Oracle(p) => p.close().await,
        }
    }
}

/// Closes a connection opened only to prove the settings.
async fn close_probe(
    opened: Result<impl sqlx::Connection, sqlx::Error>,
    timeout_secs: u64,
) -> Result<()> {
    let closed = match opened {
        Ok(connection) => connection.close().await,
        Err(error) => Err(error),
    };
    closed.map_err(|e| e.into_error(timeout_secs))
}

#[cfg(test)]
mod tests {
    use model::query::Paging;

    use super::total_from_page;

    #[test]
    fn a_page_that_is_not_full_tells_the_total() {
        let counted = |page, page_size| Paging::Counted { page, page_size };
        assert_eq!(total_from_page(counted(1, 20), 0), Some(0));
        assert_eq!(total_from_page(counted(1, 20), 11), Some(11));
        assert_eq!(total_from_page(counted(3, 20), 5), Some(45));
        // A full page may have more after it; an empty page past the end
        // may follow any number of rows: both are counted.
        assert_eq!(total_from_page(counted(1, 20), 20), None);
        assert_eq!(total_from_page(counted(2, 20), 0), None);
        assert_eq!(total_from_page(counted(1, 0), 0), None);
        // Only counted paging has a total.
        let simple = Paging::Simple {
            page: 1,
            page_size: 20,
        };
        assert_eq!(total_from_page(simple, 3), None);
        assert_eq!(total_from_page(Paging::All, 3), None);
    }
}
