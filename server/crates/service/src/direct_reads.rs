//! The reads every request makes on the SQLite metadata store (the session
//! or API key behind a token), run on the calling thread. sqlx runs each
//! SQLite connection on a worker thread of its own, and handing a query over
//! and back costs more than the indexed read itself: about a third of the
//! CPU of an API request (docs/benchmarks.md, "direct reads").
//!
//! Nothing is cached: every read sees the file as it is, so a revocation by
//! any process holds on the next request. The connections are opened
//! read-only, so no write can bypass the store's transactions. A read that
//! cannot run at once (the file busy, a connection failing) answers `None`
//! and the caller takes the pool as before; the calling thread is never held
//! for longer than [`BUSY_WAIT`].

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Params, Row};

use crate::Store;

/// Idle connections kept for the next requests; more are opened under load
/// and closed when they come back to a full shelf.
const KEEP_IDLE: usize = 4;

/// In WAL mode a reader is let in at once unless the file is being
/// recovered; waiting longer is the async pool's job.
const BUSY_WAIT: Duration = Duration::from_millis(20);

pub struct DirectReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl DirectReads {
    /// Direct reads for a store kept in a SQLite file; PostgreSQL and
    /// in-memory SQLite (which another connection cannot open) have none.
    pub fn for_store(store: &Store) -> Option<DirectReads> {
        let Store::Sqlite(pool) = store else {
            return None;
        };
        let options = pool.connect_options();
        let path = options.get_filename();
        if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
            return None;
        }
        Some(DirectReads {
            path: path.to_owned(),
            idle: Mutex::default(),
        })
    }

    /// The first row `sql` answers, through `map`; `None` when the read
    /// could not run here and the caller should ask the pool.
    pub fn first_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Option<Option<T>> {
        self.with_connection(|conn| conn.prepare_cached(sql)?.query_row(params, map).optional())
    }

    /// Every row `sql` answers, through `map`; `None` as for [`first_row`].
    ///
    /// [`first_row`]: DirectReads::first_row
    pub fn all_rows<T>(
        &self,
        sql: &str,
        params: impl Params,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Option<Vec<T>> {
        self.with_connection(|conn| {
            conn.prepare_cached(sql)?
                .query_map(params, map)?
                .collect::<rusqlite::Result<Vec<T>>>()
        })
    }

    fn with_connection<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Option<T> {
        let taken = self.shelf().pop();
        let conn = match taken {
            Some(conn) => conn,
            None => self.open().inspect_err(refused).ok()?,
        };
        match read(&conn) {
            Ok(value) => {
                let mut shelf = self.shelf();
                if shelf.len() < KEEP_IDLE {
                    shelf.push(conn);
                }
                Some(value)
            }
            // The connection is dropped: a broken one must not come back.
            Err(error) => {
                refused(&error);
                None
            }
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(BUSY_WAIT)?;
        Ok(conn)
    }

    /// A panic while the shelf was held cannot leave it inconsistent (a
    /// push or pop), so a poisoned lock is still good.
    fn shelf(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn refused(error: &rusqlite::Error) {
    tracing::debug!(%error, "direct SQLite read refused; asking the pool");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed step should panic
mod tests {
    use super::DirectReads;
    use crate::store::{Store, StoreLocation};

    const REVOKED: &str = "SELECT revoked FROM keys WHERE id = $1";

    fn revoked(reads: &DirectReads, id: &str) -> Option<Option<bool>> {
        reads.first_row(REVOKED, [id], |row| row.get(0))
    }

    #[tokio::test]
    async fn reads_what_the_pool_wrote_at_once_and_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&StoreLocation::Sqlite(dir.path().join("meta.db")))
            .await
            .unwrap();
        let Store::Sqlite(pool) = &store else {
            unreachable!("opened a SQLite file")
        };
        let run = async |sql: &'static str| sqlx::query(sql).execute(pool).await.unwrap();
        run("CREATE TABLE keys (id TEXT PRIMARY KEY, revoked BOOLEAN NOT NULL)").await;
        run("INSERT INTO keys VALUES ('a', FALSE), ('b', FALSE)").await;
        let reads = DirectReads::for_store(&store).unwrap();

        assert_eq!(revoked(&reads, "a"), Some(Some(false)));
        assert_eq!(revoked(&reads, "missing"), Some(None));
        // A write through the pool shows on the next read: nothing is kept.
        run("UPDATE keys SET revoked = TRUE WHERE id = 'a'").await;
        assert_eq!(revoked(&reads, "a"), Some(Some(true)));
        let ids = reads.all_rows("SELECT id FROM keys ORDER BY id", [], |row| row.get(0));
        assert_eq!(ids, Some(vec!["a".to_owned(), "b".to_owned()]));

        // The connections are read-only: a write is refused (the caller
        // would take the pool) and changes nothing.
        let delete = "DELETE FROM keys WHERE id = $1 RETURNING id";
        let deleted: Option<Option<String>> = reads.first_row(delete, ["b"], |row| row.get(0));
        assert_eq!(deleted, None);
        assert_eq!(revoked(&reads, "b"), Some(Some(false)));
        // A statement that fails is refused too, and the next read works.
        assert_eq!(revoked_from_missing_table(&reads), None);
        assert_eq!(revoked(&reads, "b"), Some(Some(false)));
    }

    fn revoked_from_missing_table(reads: &DirectReads) -> Option<Option<bool>> {
        reads.first_row("SELECT revoked FROM gone WHERE id = $1", ["a"], |row| {
            row.get(0)
        })
    }

    #[tokio::test]
    async fn a_postgres_store_has_none() {
        // Opening is lazy, so no server is needed to build the pool.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .connect_lazy("postgres://nobody@127.0.0.1:9/none")
            .unwrap();
        assert!(DirectReads::for_store(&Store::Postgres(pool)).is_none());
    }
}
