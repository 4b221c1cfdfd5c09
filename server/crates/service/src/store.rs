//! The metadata store: an embedded SQLite file by default, PostgreSQL to scale
//! out. Both run the same migrations (kept per backend under
//! `server/migrations/`), so everything above this module is backend-agnostic.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use model::DatabaseKind;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

use crate::{Error, Result};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the metadata lives, parsed from configuration. `Debug` shows the
/// redacted description: the URL may hold a password.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

impl StoreLocation {
    /// Accepts `postgres://…`/`postgresql://…`, `sqlite://path`/`sqlite:path`.
    pub fn parse(url: &str) -> Result<StoreLocation> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StoreLocation::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unsupported database URL scheme in {:?}: use postgres://… or sqlite://path",
                    redact_url(url)
                ))
            })?;
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(Error::InvalidInput("sqlite URL has no file path".into()));
        }
        Ok(StoreLocation::Sqlite(PathBuf::from(path)))
    }

    /// A description safe to log or print: never the password.
    pub fn describe(&self) -> String {
        match self {
            StoreLocation::Sqlite(path) => format!("SQLite file {}", path.display()),
            StoreLocation::Postgres(url) => format!("PostgreSQL {}", redact_url(url)),
        }
    }
}

/// `scheme://user:secret@host/db?password=x` → `scheme://user:***@host/db?…`:
/// the userinfo ends at the last `@` of the authority (passwords may contain
/// `@`), and query parameters may carry passwords too, so they are hidden.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "<unparsable URL>".to_owned();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, _)) => (rest, "?…"),
        None => (rest, ""),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{user}:***@{host}")
            } else {
                format!("{user}@{host}")
            }
        }
        None => authority.to_owned(),
    };
    format!("{scheme}://{authority}{path}{query}")
}

/// Runs the same sqlx code against whichever pool backs the store. The two
/// pools have different types, so the body is compiled once per backend.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// A transaction on either backend; `with_tx!` gives the body a
/// `&mut SqliteConnection` or `&mut PgConnection` as `$conn`.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(tx) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                $body
            }
            $crate::store::Tx::Postgres(tx) => {
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

impl std::fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens the store. A missing SQLite file is created (with its folder);
    /// an existing one is never rewritten here, so a corrupt file stays as it was.
    pub async fn open(location: &StoreLocation) -> Result<Store> {
        let unreachable = |source: sqlx::Error| {
            Error::Misconfigured(format!(
                "cannot open the metadata store ({}): {source}",
                location.describe()
            ))
        };
        match location {
            StoreLocation::Sqlite(path) => {
                create_parent_dir(path)?;
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(CONNECT_TIMEOUT);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(unreachable)?;
                // Reading the schema is what exposes a file that is not a database.
                sqlx::query("SELECT count(*) FROM sqlite_master")
                    .execute(&pool)
                    .await
                    .map_err(unreachable)?;
                Ok(Store::Sqlite(pool))
            }
            StoreLocation::Postgres(url) => {
                let options = PgConnectOptions::from_str(url).map_err(unreachable)?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(unreachable)?;
                Ok(Store::Postgres(pool))
            }
        }
    }

    /// Starts a write transaction. SQLite takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead
    /// of one failing when it upgrades a read lock.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub fn kind(&self) -> DatabaseKind {
        match self {
            Store::Sqlite(_) => DatabaseKind::Sqlite,
            Store::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Store::Sqlite(_) => &SQLITE_MIGRATIONS,
            Store::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations. Safe to run from several processes at once
    /// on PostgreSQL (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> Result<usize> {
        let result = with_pool!(self, pool => self.migrator().run(pool).await);
        result.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(version) => Error::Misconfigured(format!(
                "the metadata store was migrated by a newer Ferrobase (migration {version} is \
                 unknown to this binary); run the newer version or restore a backup"
            )),
            other => Error::Misconfigured(format!("migrating the metadata store failed: {other}")),
        })?;
        Ok(self.migrations_expected())
    }

    pub fn migrations_expected(&self) -> usize {
        self.migrator()
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .count()
    }

    /// Counts successfully applied migrations that this binary knows.
    pub async fn migrations_applied(&self) -> Result<usize> {
        let known: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        let sql = "SELECT version FROM _sqlx_migrations WHERE success";
        let applied: Vec<i64> =
            with_pool!(self, pool => sqlx::query_scalar(sql).fetch_all(pool).await).or_else(
                |e| {
                    // A store that was never migrated has no bookkeeping table yet.
                    if is_missing_table(&e) {
                        Ok(vec![])
                    } else {
                        Err(e)
                    }
                },
            )?;
        Ok(applied.iter().filter(|v| known.contains(v)).count())
    }

    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Pool figures for `/metrics`: (open connections, idle connections).
    pub fn pool_stats(&self) -> (u32, usize) {
        with_pool!(self, pool => (pool.size(), pool.num_idle()))
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// A unique constraint refused the write, on either backend.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// "No such table" on either backend (PostgreSQL `42P01`, SQLite's message).
pub(crate) fn is_missing_table(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("42P01") || db.message().starts_with("no such table")
        }
        _ => false,
    }
}

fn create_parent_dir(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|e| {
                Error::Misconfigured(format!(
                    "cannot create the data folder {}: {e}",
                    dir.display()
                ))
            }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locations() {
        assert_eq!(
            StoreLocation::parse("sqlite://./data/x.db").unwrap(),
            StoreLocation::Sqlite("./data/x.db".into())
        );
        assert_eq!(
            StoreLocation::parse("sqlite:x.db?mode=rwc").unwrap(),
            StoreLocation::Sqlite("x.db".into())
        );
        assert!(matches!(
            StoreLocation::parse("postgresql://u@h/db").unwrap(),
            StoreLocation::Postgres(_)
        ));
        assert!(StoreLocation::parse("mysql://u:p@h/db").is_err());
        assert!(StoreLocation::parse("sqlite://").is_err());
    }

    #[test]
    fn describe_never_shows_a_password() {
        let location = StoreLocation::parse("postgres://fb:hunter2@db:5432/fb").unwrap();
        assert_eq!(
            location.describe(),
            "PostgreSQL postgres://fb:***@db:5432/fb"
        );
        let error = StoreLocation::parse("mysql://fb:hunter2@db/fb").unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
        let tricky =
            StoreLocation::parse("postgres://fb:p@ss:w@rd@db/fb?password=hunter2").unwrap();
        assert_eq!(tricky.describe(), "PostgreSQL postgres://fb:***@db/fb?…");
        assert!(!format!("{tricky:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn sqlite_store_migrates_and_reports() {
        let dir = tempfile::tempdir().unwrap();
        let location = StoreLocation::Sqlite(dir.path().join("nested/meta.db"));
        let store = Store::open(&location).await.unwrap();
        assert_eq!(store.migrations_applied().await.unwrap(), 0);
        let expected = store.migrate().await.unwrap();
        assert!(expected >= 1);
        assert_eq!(store.migrations_applied().await.unwrap(), expected);
        // Migrating twice is a no-op.
        store.migrate().await.unwrap();
        assert_eq!(store.migrations_applied().await.unwrap(), expected);
    }

    #[tokio::test]
    async fn corrupt_sqlite_file_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meta.db");
        let garbage = vec![0x5a_u8; 8192];
        std::fs::write(&path, &garbage).unwrap();
        let error = Store::open(&StoreLocation::Sqlite(path.clone()))
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("cannot open the metadata store"),
            "{error}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
    }
}
