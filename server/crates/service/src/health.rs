//! What `/readyz`, the status page and `/metrics` may tell whom. One check
//! backs the probe and the page, so they cannot disagree; only the probe's
//! yes/no is public, the details (version, store kind, migrations) need the
//! `system` permission.

use model::SystemStatus;
use model::identity::SystemPermission;

use crate::{Actor, Result, Store};

/// The installation's health, for a role holding `system`.
pub async fn status(actor: &Actor, store: &Store) -> Result<SystemStatus> {
    actor.require(SystemPermission::System)?;
    Ok(check(store).await)
}

/// Whether the installation can serve, for anyone (orchestrators probe
/// without credentials): nothing an attacker could fingerprint.
pub async fn is_ready(store: &Store) -> bool {
    check(store).await.is_ready()
}

/// Telemetry names routes, pool sizes and traffic: `system` only. A
/// Prometheus scraper authenticates with an API key of a role that holds it.
pub fn may_read_metrics(actor: &Actor) -> Result<()> {
    actor.require(SystemPermission::System).map(drop)
}

async fn check(store: &Store) -> SystemStatus {
    let reachable = store.ping().await;
    let applied = match &reachable {
        Ok(()) => store.migrations_applied().await,
        Err(_) => Ok(0),
    };
    if let Err(error) = reachable.as_ref().and(applied.as_ref()) {
        tracing::warn!(error = %error.chain(), "metadata store check failed");
    }
    SystemStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: store.kind(),
        database_reachable: reachable.is_ok(),
        migrations_applied: applied.unwrap_or(0) as u32,
        migrations_expected: store.migrations_expected() as u32,
    }
}
