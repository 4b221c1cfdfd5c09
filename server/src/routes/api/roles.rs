//! `roles:list|get|create|update|destroy` and `roles:check`.

use axum::http::Method;
use model::identity::{NewRole, RoleChanges};
use serde_json::{Value, json};
use service::{Error, auth, roles};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    Some(match action {
        "check" if method == Method::GET => check(request).await,
        "list" if method == Method::GET => list(request).await,
        "get" if method == Method::GET => get(request).await,
        "create" if method == Method::POST => create(request).await,
        "update" if write => update(request).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => destroy(request).await,
        "check" | "list" | "get" | "create" | "update" | "destroy" => wrong_method(),
        _ => return None,
    })
}

/// The acting role and its effective permissions (NocoBase's ACL snapshot).
async fn check(request: &Request<'_>) -> Result<Answer, ApiError> {
    let current = auth::current_user(request.services(), request.actor).await?;
    Answer::data(json!({
        "role": current.role,
        "roles": current.user.roles,
        "permissions": current.permissions,
    }))
}

async fn list(request: &Request<'_>) -> Result<Answer, ApiError> {
    Answer::data(roles::list(request.services(), request.actor).await?)
}

fn name(request: &Request<'_>) -> Result<String, ApiError> {
    request
        .params
        .text("filterByTk")
        .map(str::to_owned)
        .ok_or_else(|| Error::InvalidInput("filterByTk is required".into()).into())
}

async fn get(request: &Request<'_>) -> Result<Answer, ApiError> {
    Answer::data(roles::get(request.services(), request.actor, &name(request)?).await?)
}

async fn create(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: NewRole = request.json()?;
    Answer::data(roles::create(request.services(), request.actor, &input).await?)
}

async fn update(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: RoleChanges = request.json()?;
    Answer::data(roles::update(request.services(), request.actor, &name(request)?, &input).await?)
}

async fn destroy(request: &Request<'_>) -> Result<Answer, ApiError> {
    roles::delete(request.services(), request.actor, &name(request)?).await?;
    Answer::data(Value::Null)
}
