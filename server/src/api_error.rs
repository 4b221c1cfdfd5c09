//! `service::Error` as an HTTP answer: `{"errors":[{"message","code"}]}`, the
//! envelope NocoBase clients expect. Internal causes go to the log with their
//! whole chain and never into the response.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use service::Error;

pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError(error)
    }
}

fn status_of(error: &Error) -> StatusCode {
    StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let status = status_of(&error);
        // 500 is Ferrobase's own fault; 502, 503 and 504 are a database or
        // service behind it failing or busy, worth a warning, not an alert.
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(code = error.code(), error = %error.chain(), "request failed");
        } else if status.is_server_error() {
            tracing::warn!(code = error.code(), error = %error.chain(), "request failed");
        }
        // A misconfiguration message names hosts and databases: log it, but
        // tell the client only that the server has a problem.
        let message = match &error {
            Error::Misconfigured(_) => {
                "the server is misconfigured; its log has the details".to_owned()
            }
            other => other.to_string(),
        };
        let body = json!({ "errors": [{ "message": message, "code": error.code() }] });
        let mut response = (status, Json(body)).into_response();
        if let Error::TooManyAttempts { retry_after_secs } = error {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}
