//! How one Oracle connection is opened: a full connect descriptor built
//! from the settings (never a string the user typed, so nothing can be
//! slipped into it), TCP or TCPS, and a session in UTC.
//!
//! TLS: Oracle listeners do not upgrade a plain connection, a TCPS listener
//! is an endpoint of its own; so `prefer` cannot try TLS and fall back the
//! way PostgreSQL does, and connects over plain TCP like `disable`
//! (the default must keep working against a default listener on 1521).
//! `require`, `verify-ca` and `verify-full` connect over TCPS, and the
//! driver always checks the server's certificate against the public roots
//! plus the configured CA, and its host name: all three mean `verify-full`.
//! The driver takes a CA only from a wallet folder (`ewallet.pem`): the PEM
//! is written to a private temporary folder that lives as long as the pool.

use std::sync::Arc;
use std::time::Duration;

use model::data::TlsMode;
use tempfile::TempDir;

use crate::config::ConnectionConfig;
use crate::{Error, Result};

/// Sets the session's time zone to UTC, so naive TIMESTAMP parameters and
/// TIMESTAMP WITH TIME ZONE columns meet in UTC, and the decimal point to
/// `.`, so exact decimals sent as text read the same whatever the
/// database's territory.
const SESSION: &str = "ALTER SESSION SET TIME_ZONE = '+00:00' NLS_NUMERIC_CHARACTERS = '.,'";

pub(super) struct Settings {
    config: oracledb::Config,
    call_timeout: Duration,
    /// Read by the driver at every TCPS connect.
    _wallet: Option<Arc<TempDir>>,
}

impl Settings {
    pub(super) fn new(source: &ConnectionConfig) -> Result<Settings> {
        let tcps = match source.tls {
            TlsMode::Disable | TlsMode::Prefer => false,
            TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull => true,
        };
        // TCPS checks the certificate against the name; plain TCP goes to
        // the address the target guard checked.
        let descriptor = descriptor(
            &source.dial_host(tcps),
            source.port(),
            &source.database,
            tcps,
        )?;
        let password = source.password.as_deref().unwrap_or_default();
        if source.username.is_empty() || password.is_empty() {
            return Err(Error::InvalidConfig(
                "Oracle needs a user name and a password".into(),
            ));
        }
        let mut config = oracledb::Config::default()
            .set_credentials(&source.username, password)
            .set_transport_connect_timeout(Some(source.connect_timeout))
            .set_connect_string(&descriptor)
            .map_err(|e| Error::InvalidConfig(e.to_string()))?;
        let wallet = match (&source.ca_certificate, tcps) {
            (Some(pem), true) => {
                let wallet = ca_wallet(pem)?;
                config = config.set_wallet_location(wallet.path().display().to_string());
                Some(Arc::new(wallet))
            }
            _ => None,
        };
        Ok(Settings {
            config,
            call_timeout: source.statement_timeout,
            _wallet: wallet,
        })
    }

    /// Blocking: connects, logs in and prepares the session. The call
    /// timeout bounds every later round trip (the driver interrupts the
    /// statement when it passes); the login itself is bounded only by the
    /// TCP connect timeout and, for the caller, by `Connector`'s timer.
    pub(super) fn open(&self) -> Result<oracledb::Connection, oracledb::Error> {
        let connection = oracledb::connect(self.config.clone())?;
        connection.set_call_timeout(Some(self.call_timeout))?;
        connection.execute(SESSION, &[])?;
        Ok(connection)
    }
}

/// `(DESCRIPTION=(ADDRESS=…)(CONNECT_DATA=(SERVICE_NAME=…)))`, refusing
/// host and service names with characters that could end a value.
fn descriptor(host: &str, port: u16, service: &str, tcps: bool) -> Result<String> {
    let host_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':');
    if host.is_empty() || !host.chars().all(host_ok) {
        return Err(Error::InvalidConfig(format!(
            "`{host}` is not a host name or address"
        )));
    }
    let service_ok =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '$' | '#');
    if service.is_empty() || !service.chars().all(service_ok) {
        return Err(Error::InvalidConfig(format!(
            "`{service}` is not an Oracle service name (the database field holds the service name, e.g. FREEPDB1)"
        )));
    }
    let protocol = if tcps { "tcps" } else { "tcp" };
    Ok(format!(
        "(DESCRIPTION=(ADDRESS=(PROTOCOL={protocol})(HOST={host})(PORT={port}))\
         (CONNECT_DATA=(SERVICE_NAME={service})))"
    ))
}

/// A wallet folder holding only the CA certificate(s); without a private
/// key in it the driver adds its certificates to the trusted roots.
fn ca_wallet(pem: &str) -> Result<TempDir> {
    if !pem.contains("-----BEGIN CERTIFICATE-----") || pem.contains("PRIVATE KEY") {
        return Err(Error::InvalidConfig(
            "the CA certificate must be PEM certificates (-----BEGIN CERTIFICATE-----) and nothing else"
                .into(),
        ));
    }
    let wallet = tempfile::Builder::new()
        .prefix("ferrobase-oracle-ca")
        .tempdir()
        .and_then(|dir| std::fs::write(dir.path().join("ewallet.pem"), pem).map(|()| dir))
        .map_err(|e| Error::InvalidConfig(format!("cannot keep the CA certificate: {e}")))?;
    Ok(wallet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::data::Engine;

    #[test]
    fn descriptors_take_only_plain_names() {
        assert_eq!(
            descriptor("db.example.com", 1521, "FREEPDB1", false).unwrap(),
            "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=db.example.com)(PORT=1521))\
             (CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))"
        );
        assert!(
            descriptor("::1", 2484, "orcl.example", true)
                .unwrap()
                .contains("PROTOCOL=tcps")
        );
        for (host, service) in [
            ("h)(HOST=evil", "S"),
            ("", "S"),
            ("h", "S)(SERVER=shared"),
            ("h", ""),
            ("h o", "S"),
        ] {
            assert!(
                matches!(
                    descriptor(host, 1521, service, false),
                    Err(Error::InvalidConfig(_))
                ),
                "{host} {service}"
            );
        }
    }

    fn config(tls: TlsMode) -> ConnectionConfig {
        let mut config = ConnectionConfig::new(Engine::Oracle, "localhost", "FREEPDB1", "app");
        config.password = Some("secret".into());
        config.tls = tls;
        config
    }

    #[test]
    fn settings_check_credentials_and_keep_the_ca() {
        assert!(Settings::new(&config(TlsMode::Prefer)).is_ok());
        let mut anonymous = config(TlsMode::Disable);
        anonymous.password = None;
        assert!(matches!(
            Settings::new(&anonymous),
            Err(Error::InvalidConfig(_))
        ));

        let mut verified = config(TlsMode::VerifyFull);
        verified.ca_certificate = Some("not a certificate".into());
        assert!(matches!(
            Settings::new(&verified),
            Err(Error::InvalidConfig(_))
        ));
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        verified.ca_certificate = Some(pem.into());
        let settings = Settings::new(&verified).unwrap();
        let wallet = settings
            ._wallet
            .as_ref()
            .unwrap()
            .path()
            .join("ewallet.pem");
        assert_eq!(std::fs::read_to_string(&wallet).unwrap(), pem);
        drop(settings);
        assert!(!wallet.exists(), "the folder goes with the pool");
    }
}
