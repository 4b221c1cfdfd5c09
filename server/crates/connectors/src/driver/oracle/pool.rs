//! A small pool of blocking Oracle connections. The driver has a pool of
//! its own, but its `acquire` blocks a thread while it waits (with no time
//! limit) and it runs a manager thread per pool; here the wait is async (a
//! semaphore sized to `max_connections`), and a thread is taken from
//! tokio's blocking pool only for the work itself.
//!
//! Each call takes a permit, then on a blocking thread takes an idle
//! connection (pinging one that sat idle for a while) or opens one, runs,
//! and puts the connection back unless it failed in a way that may have
//! left it unusable. The permit travels with the blocking work, so a caller
//! that gave up (its timer ran out) does not free the slot before the
//! thread is done with the connection.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use oracledb::{Connection, ErrorKind};
use tokio::sync::Semaphore;

use super::connect::Settings;
use crate::error::DriverError;
use crate::{Error, Result};

/// An idle connection older than this is pinged before it is used: the
/// server or a firewall may have dropped it meanwhile.
const PING_AFTER: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub(crate) struct OraclePool {
    shared: Arc<Shared>,
}

struct Shared {
    settings: Settings,
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<(Connection, Instant)>>,
    /// Connections open, idle or in use.
    open: AtomicUsize,
    closed: AtomicBool,
    acquire_timeout: Duration,
    timeout_secs: u64,
}

impl std::fmt::Debug for OraclePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (open, idle) = self.size();
        f.debug_struct("OraclePool")
            .field("open", &open)
            .field("idle", &idle)
            .finish_non_exhaustive()
    }
}

impl OraclePool {
    pub(super) fn new(
        settings: Settings,
        max: u32,
        acquire_timeout: Duration,
        statement_timeout: Duration,
    ) -> OraclePool {
        let max = usize::try_from(max.max(1)).unwrap_or(1);
        OraclePool {
            shared: Arc::new(Shared {
                settings,
                permits: Arc::new(Semaphore::new(max)),
                idle: Mutex::new(Vec::with_capacity(max)),
                open: AtomicUsize::new(0),
                closed: AtomicBool::new(false),
                acquire_timeout,
                timeout_secs: statement_timeout.as_secs().max(1),
            }),
        }
    }

    /// Runs `work` on a pooled connection, on a blocking thread.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Failed> + Send + 'static,
    ) -> Result<T> {
        let shared = Arc::clone(&self.shared);
        let acquire = Arc::clone(&shared.permits).acquire_owned();
        let permit = match tokio::time::timeout(shared.acquire_timeout, acquire).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(Error::Connection("the pool is closed".into())),
            Err(_) => return Err(Error::Timeout(shared.acquire_timeout.as_secs().max(1))),
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let connection = shared.checkout()?;
            match work(&connection) {
                Ok(value) => {
                    shared.checkin(connection);
                    Ok(value)
                }
                Err(Failed::Ours(error)) => {
                    shared.checkin(connection);
                    Err(error)
                }
                // The server answered with an error, or the driver
                // interrupted a call past its timeout and the session
                // answered again: either way it is usable.
                Err(Failed::Driver(error))
                    if matches!(
                        error.kind(),
                        ErrorKind::DbError(_) | ErrorKind::CallTimeoutExceeded
                    ) =>
                {
                    shared.checkin(connection);
                    Err(shared.sorted(error))
                }
                // A lost connection, a failed recovery, a protocol surprise.
                Err(Failed::Driver(error)) => {
                    shared.discard(connection);
                    Err(shared.sorted(error))
                }
            }
        })
        .await
        .map_err(|e| Error::Database(format!("the Oracle driver failed: {e}")))?
    }

    /// Opens one connection outside the pool and closes it, so a wrong
    /// host, service, password or certificate is reported at once.
    pub(crate) async fn probe(&self) -> Result<()> {
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || {
            let mut connection = shared.settings.open().map_err(|e| shared.sorted(e))?;
            connection.close().map_err(|e| shared.sorted(e))
        })
        .await
        .map_err(|e| Error::Connection(format!("the Oracle driver failed: {e}")))?
    }

    /// Connections open and idle.
    pub(crate) fn size(&self) -> (u32, usize) {
        let open = self.shared.open.load(Ordering::Relaxed);
        (
            u32::try_from(open).unwrap_or(u32::MAX),
            self.shared.idle().len(),
        )
    }

    /// Refuses new work and logs the idle connections off; connections in
    /// use are closed as their work ends.
    pub(crate) async fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.permits.close();
        let idle: Vec<_> = std::mem::take(&mut *self.shared.idle());
        let shared = Arc::clone(&self.shared);
        let _ = tokio::task::spawn_blocking(move || {
            for (connection, _) in idle {
                shared.discard(connection);
            }
        })
        .await;
    }
}

impl Shared {
    fn idle(&self) -> MutexGuard<'_, Vec<(Connection, Instant)>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sorted(&self, error: oracledb::Error) -> Error {
        error.into_error(self.timeout_secs)
    }

    /// The most recently used idle connection that still answers, or a new one.
    fn checkout(&self) -> Result<Connection> {
        while let Some((connection, since)) = self.idle().pop() {
            if since.elapsed() < PING_AFTER || connection.ping().is_ok() {
                return Ok(connection);
            }
            self.discard(connection);
        }
        let connection = self.settings.open().map_err(|e| self.sorted(e))?;
        self.open.fetch_add(1, Ordering::AcqRel);
        Ok(connection)
    }

    fn checkin(&self, connection: Connection) {
        if self.closed.load(Ordering::Acquire) {
            self.discard(connection);
        } else {
            self.idle().push((connection, Instant::now()));
        }
    }

    /// Closes a connection that is not coming back. Logging off a broken
    /// connection fails fast: the driver closed its socket already.
    fn discard(&self, mut connection: Connection) {
        self.open.fetch_sub(1, Ordering::AcqRel);
        let _ = connection.close();
    }
}

/// Why work on a connection failed: the driver (which may have broken the
/// connection) or Ferrobase's own checks (which leave it as it was).
pub(super) enum Failed {
    Driver(oracledb::Error),
    Ours(Error),
}

impl From<oracledb::Error> for Failed {
    fn from(error: oracledb::Error) -> Failed {
        Failed::Driver(error)
    }
}

impl From<Error> for Failed {
    fn from(error: Error) -> Failed {
        Failed::Ours(error)
    }
}
