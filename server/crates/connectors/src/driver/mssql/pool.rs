//! A small pool of SQL Server connections. The pool crates for tiberius
//! (bb8-tiberius, deadpool-tiberius) are built on tiberius 0.12, and what
//! the connector needs is little: a cap on open connections, a wait for a
//! free one bounded by the connect timeout, reuse of idle connections, and
//! never reusing one a cancelled or failed call left mid-response.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::connect::{Connection, Settings};

/// An idle connection unused for this long may have been closed by the
/// server or a firewall: it is dropped rather than tried.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub(crate) struct MssqlPool {
    shared: Arc<Shared>,
}

struct Shared {
    settings: Settings,
    max: u32,
    acquire_timeout: Duration,
    /// One permit per connection in use (or being opened).
    in_use: Arc<Semaphore>,
    /// Connections returned after a clean call, the latest last.
    idle: Mutex<Vec<(Connection, Instant)>>,
}

impl std::fmt::Debug for MssqlPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (open, idle) = self.size();
        f.debug_struct("MssqlPool")
            .field("max", &self.shared.max)
            .field("open", &open)
            .field("idle", &idle)
            .finish_non_exhaustive()
    }
}

/// A connection taken from the pool. Dropped, it closes; only
/// [`Lease::release`] gives it back for reuse.
pub(super) struct Lease {
    connection: Connection,
    _permit: OwnedSemaphorePermit,
    shared: Arc<Shared>,
}

impl MssqlPool {
    pub(super) fn new(settings: Settings, max: u32, acquire_timeout: Duration) -> MssqlPool {
        let max = max.max(1);
        MssqlPool {
            shared: Arc::new(Shared {
                settings,
                max,
                acquire_timeout,
                in_use: Arc::new(Semaphore::new(max as usize)),
                idle: Mutex::new(Vec::new()),
            }),
        }
    }

    /// A connection opened outside the pool, to prove the settings.
    pub(crate) async fn probe(&self) -> tiberius::Result<()> {
        Box::pin(self.shared.settings.open()).await?.close().await
    }

    /// An idle connection, or a new one while fewer than the maximum are
    /// open; waits for one to be released at most the connect timeout.
    pub(super) async fn acquire(&self) -> tiberius::Result<Lease> {
        let shared = &self.shared;
        let waiting = Arc::clone(&shared.in_use).acquire_owned();
        let permit = match tokio::time::timeout(shared.acquire_timeout, waiting).await {
            Err(_) => {
                return Err(io_error(
                    std::io::ErrorKind::TimedOut,
                    "no connection became free",
                ));
            }
            Ok(Err(_)) => {
                return Err(io_error(
                    std::io::ErrorKind::NotConnected,
                    "the pool is closed",
                ));
            }
            Ok(Ok(permit)) => permit,
        };
        let connection = match shared.take_idle() {
            Some(connection) => connection,
            None => {
                // Boxed: the TLS handshake and login make a large future,
                // which would otherwise sit inside every caller's.
                let opening = Box::pin(shared.settings.open());
                match tokio::time::timeout(shared.acquire_timeout, opening).await {
                    Err(_) => {
                        return Err(io_error(
                            std::io::ErrorKind::TimedOut,
                            "no answer while connecting",
                        ));
                    }
                    Ok(opened) => opened?,
                }
            }
        };
        Ok(Lease {
            connection,
            _permit: permit,
            shared: Arc::clone(shared),
        })
    }

    /// Connections open (in use or idle) and idle.
    pub(crate) fn size(&self) -> (u32, usize) {
        let shared = &self.shared;
        let in_use =
            shared.max as usize - shared.in_use.available_permits().min(shared.max as usize);
        let idle = shared.idle().len();
        (u32::try_from(in_use + idle).unwrap_or(u32::MAX), idle)
    }

    /// Refuses new leases and closes the idle connections; leased ones
    /// close when their call ends.
    pub(crate) fn close(&self) {
        self.shared.in_use.close();
        self.shared.idle().clear();
    }
}

impl Shared {
    fn idle(&self) -> MutexGuard<'_, Vec<(Connection, Instant)>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take_idle(&self) -> Option<Connection> {
        let mut idle = self.idle();
        idle.retain(|(_, since)| since.elapsed() < IDLE_TIMEOUT);
        idle.pop().map(|(connection, _)| connection)
    }
}

impl Lease {
    pub(super) fn connection(&mut self) -> &mut Connection {
        &mut self.connection
    }

    /// Back to the pool for the next call (unless the pool was closed).
    pub(super) fn release(self) {
        if !self.shared.in_use.is_closed() {
            self.shared.idle().push((self.connection, Instant::now()));
        }
    }
}

fn io_error(kind: std::io::ErrorKind, message: &str) -> tiberius::error::Error {
    tiberius::error::Error::Io {
        kind,
        message: message.to_owned(),
    }
}
