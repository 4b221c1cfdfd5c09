//! The public REST space `/api/<resource>:<action>`, NocoBase's URL grammar.
//! Each handler is a thin door: parse, call one service function, wrap the
//! answer in `{"data": …}` (lists add `meta`) or the errors envelope.

mod audit_logs;
mod auth;
mod body;
mod roles;
mod users;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::edge::actor::CurrentActor;
use crate::state::AppState;

pub use body::{Answer, Params};

pub async fn dispatch(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    method: Method,
    Path(name): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body::too_large_or_unreadable(rejection),
    };
    let request = body::Request {
        state: &state,
        actor: &actor,
        params: Params(params),
        body,
    };
    // `<resource>:<action>`; deeper paths (relations) arrive with collections.
    let Some((resource, action)) = name.split_once(':').filter(|_| !name.contains('/')) else {
        return not_found(&name).into_response();
    };
    let answer = match resource {
        "auth" => auth::handle(&method, action, &request).await,
        "users" => users::handle(&method, action, &request).await,
        "roles" => roles::handle(&method, action, &request).await,
        "auditLogs" => audit_logs::handle(&method, action, &request).await,
        _ => None,
    };
    match answer {
        Some(Ok(answer)) => answer.into_response(),
        Some(Err(error)) => error.into_response(),
        None => not_found(&name).into_response(),
    }
}

/// Unknown paths below `/api` answer in the envelope, never with a page.
fn not_found(name: &str) -> ApiError {
    service::Error::NotFound(format!("API resource /api/{name}")).into()
}

/// A known action called with the wrong method.
fn wrong_method() -> Result<Answer, ApiError> {
    Ok(Answer::Status(
        StatusCode::METHOD_NOT_ALLOWED,
        "use the method this action documents",
    ))
}
