//! How to reach one data source. Secrets arrive here already resolved
//! (decrypted, `{{$env.X}}` substituted) and never leave in `Debug`.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use model::data::{Engine, TlsMode};

/// Checks a server's redirect to another host (SQL Server's routing, as
/// Azure SQL gateways send) the way the source's own target was checked.
pub trait RedirectCheck: Send + Sync {
    /// The address to connect to for `host:port` (`None`: resolve the name),
    /// or why the redirect is refused.
    fn check<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = Result<Option<IpAddr>, String>> + Send + 'a>>;
}

#[derive(Clone)]
pub struct ConnectionConfig {
    pub engine: Engine,
    pub host: String,
    /// The address the target guard checked `host` at. Drivers connect there
    /// instead of resolving `host` again for each pooled connection, so a
    /// name whose DNS answer changes later (rebinding) cannot move the pool;
    /// `host` still names the server wherever TLS checks a certificate
    /// against it. `None`: resolve `host` (a name the operator allowed).
    pub address: Option<IpAddr>,
    /// How a redirect from the server is checked; `None` follows it.
    pub redirects: Option<Arc<dyn RedirectCheck>>,
    /// `None` takes the engine's default port.
    pub port: Option<u16>,
    /// The database name; for SQLite the path of the database file.
    pub database: String,
    pub username: String,
    pub password: Option<String>,
    /// The schema whose tables are read (PostgreSQL `public` when empty).
    pub schema: Option<String>,
    pub tls: TlsMode,
    /// A PEM CA certificate for `verify-ca` and `verify-full`.
    pub ca_certificate: Option<String>,
    pub connect_timeout: Duration,
    pub statement_timeout: Duration,
    pub max_connections: u32,
    /// How long the total of a counted list may be reused (zero: never).
    pub count_cache: Duration,
}

impl std::fmt::Debug for ConnectionConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionConfig")
            .field("engine", &self.engine)
            .field("host", &self.host)
            .field("address", &self.address)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("schema", &self.schema)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl ConnectionConfig {
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_MAX_CONNECTIONS: u32 = 5;
    pub const DEFAULT_COUNT_CACHE: Duration = Duration::from_secs(1);

    /// A configuration with the default timeouts and pool size.
    pub fn new(engine: Engine, host: &str, database: &str, username: &str) -> ConnectionConfig {
        ConnectionConfig {
            engine,
            host: host.to_owned(),
            address: None,
            redirects: None,
            port: None,
            database: database.to_owned(),
            username: username.to_owned(),
            password: None,
            schema: None,
            tls: TlsMode::default(),
            ca_certificate: None,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            statement_timeout: Self::DEFAULT_STATEMENT_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            count_cache: Self::DEFAULT_COUNT_CACHE,
        }
    }

    pub fn port(&self) -> u16 {
        self.port.or(self.engine.default_port()).unwrap_or_default()
    }

    /// Where to open TCP connections: the checked address, unless the TLS
    /// mode checks the certificate against the host name, which a rebound
    /// name cannot satisfy (and SNI-routed servers need the name).
    pub(crate) fn dial_host(&self, tls_checks_name: bool) -> String {
        match self.address {
            Some(address) if !tls_checks_name => address.to_string(),
            _ => self.host.clone(),
        }
    }

    pub fn statement_timeout_secs(&self) -> u64 {
        self.statement_timeout.as_secs().max(1)
    }
}
