//! Opening one SQL Server connection: the TDS settings from the data
//! source's configuration (TLS included), the TCP stream tiberius runs on
//! (to the address the target guard checked, while TLS still checks the
//! certificate against the host name), a redirect from the server (Azure
//! SQL gateways), checked like the first target, and the session limits.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use model::data::TlsMode;
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use crate::config::{ConnectionConfig, RedirectCheck};

pub(super) type Connection = Client<Compat<TcpStream>>;

/// Everything needed to open a connection, again and again.
#[derive(Clone)]
pub(super) struct Settings {
    config: Config,
    /// The checked address of `config`'s host and port; `None` resolves
    /// the name.
    address: Option<SocketAddr>,
    redirects: Option<Arc<dyn RedirectCheck>>,
    /// `prefer` falls back to a plain connection when the server has no TLS.
    plain_fallback: bool,
    /// Lock waits end with an error after this long, on the server.
    lock_timeout: Duration,
}

impl Settings {
    pub(super) fn new(source: &ConnectionConfig) -> Settings {
        let mut config = Config::new();
        config.host(&source.host);
        config.port(source.port());
        config.database(&source.database);
        config.application_name("ferrobase");
        config.authentication(AuthMethod::sql_server(
            &source.username,
            source.password.as_deref().unwrap_or_default(),
        ));
        config.handshake_timeout(Some(source.connect_timeout));
        // A server that stops answering mid-result is given up on with the
        // statement timeout; the connection is then discarded, not reused.
        config.command_timeout(Some(source.statement_timeout));
        // As PostgreSQL's modes: `prefer` and `require` encrypt without
        // checking the certificate, the `verify-` modes check it against the
        // given CA (or the system's). rustls always checks the host name, so
        // `verify-ca` is as strict as `verify-full` here.
        match source.tls {
            TlsMode::Disable => config.encryption(EncryptionLevel::NotSupported),
            TlsMode::Prefer => {
                config.encryption(EncryptionLevel::On);
                config.trust_cert();
            }
            TlsMode::Require => {
                config.encryption(EncryptionLevel::Required);
                config.trust_cert();
            }
            TlsMode::VerifyCa | TlsMode::VerifyFull => {
                config.encryption(EncryptionLevel::Required);
                if let Some(pem) = &source.ca_certificate {
                    config.trust_cert_ca_bundle(pem.as_bytes());
                }
            }
        }
        Settings {
            config,
            address: source
                .address
                .map(|address| SocketAddr::new(address, source.port())),
            redirects: source.redirects.clone(),
            plain_fallback: source.tls == TlsMode::Prefer,
            lock_timeout: source.statement_timeout,
        }
    }

    /// One new connection, with the session set up.
    pub(super) async fn open(&self) -> tiberius::Result<Connection> {
        let mut config = self.config.clone();
        let mut client = match connect(config.clone(), self.address).await {
            Err(tiberius::error::Error::Routing { host, port }) => {
                let address = self
                    .redirect(&host, port)
                    .await?
                    .map(|address| SocketAddr::new(address, port));
                config.host(host);
                config.port(port);
                connect(config, address).await?
            }
            Err(tiberius::error::Error::Protocol(message))
                if self.plain_fallback && message.contains("encryption level") =>
            {
                config.encryption(EncryptionLevel::NotSupported);
                connect(config, self.address).await?
            }
            other => other?,
        };
        // A batch, not a parameterised statement: SET inside sp_executesql
        // ends with it. SQL Server has no statement timeout of its own; this
        // at least ends lock waits on the server (error 1222).
        let lock_timeout = format!("SET LOCK_TIMEOUT {}", self.lock_timeout.as_millis());
        client
            .simple_query(lock_timeout)
            .await?
            .into_results()
            .await?;
        Ok(client)
    }

    /// Where a routing redirect may be followed to, or why not.
    async fn redirect(&self, host: &str, port: u16) -> tiberius::Result<Option<IpAddr>> {
        let Some(redirects) = &self.redirects else {
            return Ok(None);
        };
        redirects.check(host, port).await.map_err(|reason| {
            tiberius::error::Error::Protocol(
                format!("the server redirected to {host}:{port}, which is refused: {reason}")
                    .into(),
            )
        })
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("config", &self.config)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

async fn connect(config: Config, address: Option<SocketAddr>) -> tiberius::Result<Connection> {
    let tcp = match address {
        Some(address) => TcpStream::connect(address).await?,
        None => TcpStream::connect(config.get_addr()).await?,
    };
    tcp.set_nodelay(true)?;
    Client::connect(config, tcp.compat_write()).await
}
