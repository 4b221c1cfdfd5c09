//! `users:list|get|create|update|destroy|resetPassword|updateProfile`.

use axum::http::Method;
use model::identity::{NewUser, ProfileChanges, UserChanges};
use serde::Deserialize;
use serde_json::Value;
use service::users;

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetPassword {
    password: String,
}

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    Some(match action {
        "list" if method == Method::GET => list(request).await,
        "get" if method == Method::GET => get(request).await,
        "create" if method == Method::POST => create(request).await,
        "update" if write => update(request).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => destroy(request).await,
        "resetPassword" if method == Method::POST => reset_password(request).await,
        "updateProfile" if write => update_profile(request).await,
        "list" | "get" | "create" | "update" | "destroy" | "resetPassword" | "updateProfile" => {
            wrong_method()
        }
        _ => return None,
    })
}

async fn list(request: &Request<'_>) -> Result<Answer, ApiError> {
    let (page, page_size) = request.params.page()?;
    let search = request.params.text("search");
    Answer::page(users::list(request.services(), request.actor, search, page, page_size).await?)
}

async fn get(request: &Request<'_>) -> Result<Answer, ApiError> {
    Answer::data(users::get(request.services(), request.actor, request.params.key()?).await?)
}

async fn create(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: NewUser = request.json()?;
    Answer::data(users::create(request.services(), request.actor, &input).await?)
}

async fn update(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: UserChanges = request.json()?;
    let id = request.params.key()?;
    Answer::data(users::update(request.services(), request.actor, id, &input).await?)
}

async fn destroy(request: &Request<'_>) -> Result<Answer, ApiError> {
    users::delete(request.services(), request.actor, request.params.key()?).await?;
    Answer::data(Value::Null)
}

async fn reset_password(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: ResetPassword = request.json()?;
    let id = request.params.key()?;
    users::reset_password(request.services(), request.actor, id, &input.password).await?;
    Answer::data(Value::Null)
}

async fn update_profile(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: ProfileChanges = request.json()?;
    Answer::data(users::update_profile(request.services(), request.actor, &input).await?)
}
