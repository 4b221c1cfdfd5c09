//! What every server function needs on the server: the core, the actor the
//! HTTP edge resolved, and the error mapping. Errors cross to the browser
//! as their stable code only; the UI translates the code.

use leptos::prelude::*;
use service::{Actor, Origin, Services};

pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("UNAVAILABLE"))
}

pub fn actor() -> Actor {
    use_context::<Actor>().unwrap_or_else(|| Actor::anonymous(Origin::default()))
}

/// The error's code for the UI, with the same HTTP status the REST API
/// gives it (a refused input is a 4xx, not a server fault); server faults
/// are logged with their cause.
pub fn fail(error: service::Error) -> ServerFnError {
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.http_status()),
    ) {
        response.set_status(status);
    }
    if matches!(
        error,
        service::Error::Internal(_)
            | service::Error::Unavailable { .. }
            | service::Error::Misconfigured(_)
    ) {
        leptos::logging::error!("server function failed: {}", error.chain());
    }
    ServerFnError::ServerError(error.code().to_owned())
}
