//! Bounds on every request: body size, time to answer, and which other
//! origins' browser scripts may call the API (CORS, off unless listed).

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::routes::api::Answer;

/// Answers 408 in the errors envelope when a request (a slow client's
/// body included) is not done within `timeout`; the work is dropped.
pub async fn deadline(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Answer::Status(
            StatusCode::REQUEST_TIMEOUT,
            "the request was not completed in time",
        )
        .into_response(),
    }
}

/// CORS for the listed origins only. No credentials: cross-origin callers
/// authenticate with an API key, never with a visitor's session cookie.
pub fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static("x-data-source"),
                HeaderName::from_static("x-role"),
            ])
            .max_age(Duration::from_secs(600)),
    )
}
