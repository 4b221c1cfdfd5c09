//! Bounds on every request: body size, time to answer, and which other
//! origins' browser scripts may call the API (CORS, off unless listed).

use std::time::Duration;

use axum::body::Body;
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

/// Every door's body limit, in one place: a body over `max` bytes is
/// answered 413 in the errors envelope, before the handler runs. A declared
/// length over the limit is refused unread; a body without one is read only
/// up to the limit. (Leptos server functions read their bodies themselves
/// and would otherwise answer a 500.)
pub async fn body_size(State(max): State<usize>, request: Request, next: Next) -> Response {
    let too_large = || {
        Answer::Status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is too large",
        )
        .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, max).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let over = std::error::Error::source(&error)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            return if over {
                too_large()
            } else {
                Answer::Status(
                    StatusCode::BAD_REQUEST,
                    "the request body could not be read",
                )
                .into_response()
            };
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
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
