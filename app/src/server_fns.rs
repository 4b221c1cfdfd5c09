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
///
/// Where the code alone cannot say what is wrong (which input, what the
/// external database answered), the service's message follows it as
/// `CODE: message`; those messages are the ones the REST API shows too.
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
    match error {
        service::Error::InvalidInput(_) | service::Error::DataSource(_) => {
            ServerFnError::ServerError(format!("{}: {error}", error.code()))
        }
        _ => ServerFnError::ServerError(error.code().to_owned()),
    }
}
