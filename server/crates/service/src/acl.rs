//! Role permissions cached in memory, so an authenticated request's
//! permission check is a map lookup, not a query.
//!
//! Every change to roles, grants or role membership bumps `acl_version` in
//! the store, in the same transaction. Session lookups read the version with
//! the session row, so every process sees a change on its next request and
//! reloads; nothing stale survives behind a load balancer.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use model::identity::RolePermissions;

use crate::{Result, Store, roles};

#[derive(Clone, Default)]
pub struct AclCache(Arc<RwLock<Cached>>);

#[derive(Default)]
struct Cached {
    version: i64,
    roles: HashMap<String, Arc<RolePermissions>>,
}

impl AclCache {
    /// The permissions of `role` as of `version` (read from the store with
    /// the session). An unknown role has no permissions.
    pub async fn permissions(
        &self,
        store: &Store,
        role: &str,
        version: i64,
    ) -> Result<Arc<RolePermissions>> {
        if let Some(found) = self.cached(role, version) {
            return Ok(found);
        }
        let loaded = Arc::new(
            roles::load_permissions(store, role)
                .await?
                .unwrap_or_default(),
        );
        let mut cached = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cached.version != version {
            cached.roles.clear();
            cached.version = version;
        }
        cached.roles.insert(role.to_owned(), loaded.clone());
        Ok(loaded)
    }

    /// The cached permissions, if still current: the hot path.
    pub fn cached(&self, role: &str, version: i64) -> Option<Arc<RolePermissions>> {
        let cached = self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (cached.version == version)
            .then(|| cached.roles.get(role).cloned())
            .flatten()
    }
}

/// Marks every cached permission set stale, on every process.
pub(crate) async fn bump(tx: &mut crate::store::Tx) -> Result<()> {
    crate::store::with_tx!(tx, conn => {
        sqlx::query("UPDATE acl_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
