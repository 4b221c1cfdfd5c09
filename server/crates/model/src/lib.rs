//! Types shared by the browser (WASM), the server and later the workflow engine.
//! Nothing here may depend on a runtime, a database or the network.

pub mod data;
pub mod identity;
pub mod locale;
pub mod preference_cookie;
pub mod query;
pub mod status;
pub mod theme;
pub mod time;

pub use identity::Rejection;
pub use locale::Locale;
pub use status::{DatabaseKind, SystemStatus};
pub use theme::Theme;
