//! External databases behind one interface. A [`Connector`] connects to one
//! data source with its own pool and timeouts, reads its structure and runs
//! queries that the [`compile`] module builds from the typed query language
//! in `model::query`. Identifiers only ever come from an introspected
//! [`schema::Collection`]; every value is a bound parameter.

pub mod compile;
pub mod config;
mod crypto;
mod dialect;
mod driver;
pub mod error;
mod introspect;
pub mod schema;
mod types;
pub mod value;

pub use config::ConnectionConfig;
pub use crypto::install_crypto_provider;
pub use dialect::Dialect;
pub use driver::{Connector, Page};
pub use error::{Error, Result};
pub use types::interface_for;
