//! `service::Error` as an HTTP answer: `{"errors":[{"message","code"}]}`, the
//! envelope NocoBase clients expect. Internal causes go to the log with their
//! whole chain and never into the response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use service::Error;

pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        let status = match &error {
            Error::InvalidInput(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Misconfigured(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!(code = error.code(), error = %error.chain(), "request failed");
        }
        let body = json!({ "errors": [{ "message": error.to_string(), "code": error.code() }] });
        (status, Json(body)).into_response()
    }
}
