//! The Ferrobase core. Every door (pages, REST, webhooks, workflow nodes) calls
//! these functions; none of them knows about HTTP or Leptos.

pub mod error;
pub mod health;
pub mod instance;
pub mod master_key;
pub mod store;

pub use error::{Error, Result};
pub use master_key::MasterKey;
pub use store::Store;
