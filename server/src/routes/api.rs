//! The public REST space `/api/*`. Until collections arrive every path is an
//! unknown resource, answered in the API's JSON envelope rather than as an
//! HTML page.

use axum::extract::Path;

use crate::api_error::ApiError;

pub async fn not_found(Path(path): Path<String>) -> ApiError {
    service::Error::NotFound(format!("API resource /api/{path}")).into()
}
