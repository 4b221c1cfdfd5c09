//! What `/readyz` and the status page report. Both call `status`, so they
//! cannot disagree.

use model::SystemStatus;

use crate::Store;

pub async fn status(store: &Store) -> SystemStatus {
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
