//! Plain axum handlers (everything that is not a Leptos page or server fn).

pub mod api;
pub mod api_docs;
pub mod assets;
pub mod health;
pub mod metrics;
pub mod preferences;
pub mod session_forms;
