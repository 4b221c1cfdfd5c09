//! SQL Server for the live test: scripts run as the administrator over a
//! connection of their own, outside the connector under test.

use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::TokioAsyncWriteCompatExt;

use super::Url;

/// Runs `script` (one T-SQL batch) in `database`.
pub async fn batch(url: &Url, database: &str, script: &str) -> Result<(), String> {
    let mut config = Config::new();
    config.host(&url.host);
    config.port(url.port.unwrap_or(1433));
    config.database(database);
    config.authentication(AuthMethod::sql_server(
        &url.user,
        url.password.as_deref().unwrap_or_default(),
    ));
    // Every SQL Server has a certificate, if only a self-signed one.
    config.encryption(EncryptionLevel::Required);
    config.trust_cert();
    let tcp = TcpStream::connect(config.get_addr())
        .await
        .map_err(|e| e.to_string())?;
    let mut client = Client::connect(config, tcp.compat_write())
        .await
        .map_err(|e| e.to_string())?;
    client
        .simple_query(script)
        .await
        .map_err(|e| e.to_string())?
        .into_results()
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
