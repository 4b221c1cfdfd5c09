//! The Ferrobase core. Every door (pages, REST, webhooks, workflow nodes) calls
//! these functions; none of them knows about HTTP or Leptos.

pub mod acl;
pub mod actor;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod data;
pub mod direct_reads;
pub mod error;
pub mod health;
pub mod instance;
pub mod master_key;
pub mod paging;
pub mod password;
pub mod policy;
pub mod roles;
pub mod secrets;
pub mod sessions;
pub mod setup;
pub mod store;
pub mod target_guard;
mod throttle;
pub mod users;

use std::sync::Arc;

pub use actor::{Actor, Origin};
pub use error::{Error, Result};
pub use master_key::MasterKey;
pub use policy::AuthPolicy;
pub use store::Store;

/// Everything a service function needs, built once at start-up and cloned
/// into every handler and page render.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub acl: acl::AclCache,
    pub policy: Arc<AuthPolicy>,
    pub data: Arc<data::DataSources>,
    /// The per-request lookups' fast path on a SQLite file store.
    pub direct_reads: Option<Arc<direct_reads::DirectReads>>,
}

impl Services {
    pub fn new(store: Store, policy: AuthPolicy, data: data::DataSources) -> Services {
        Services {
            direct_reads: direct_reads::DirectReads::for_store(&store).map(Arc::new),
            store,
            acl: acl::AclCache::default(),
            policy: Arc::new(policy),
            data: Arc::new(data),
        }
    }
}
