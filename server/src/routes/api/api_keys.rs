//! `apiKeys:list|get|create|destroy|rotate`. Create and rotate answer
//! `{"data":{"token", …}}`: the only time a token is ever sent.

use axum::http::Method;
use model::identity::{NewApiKey, RotateApiKey};
use serde_json::Value;
use service::{Error, api_keys};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "list" if method == Method::GET => list(request).await,
        "get" if method == Method::GET => get(request).await,
        "create" if method == Method::POST => create(request).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => destroy(request).await,
        "rotate" if method == Method::POST => rotate(request).await,
        "list" | "get" | "create" | "destroy" | "rotate" => wrong_method(),
        _ => return None,
    })
}

async fn list(request: &Request<'_>) -> Result<Answer, ApiError> {
    let (page, page_size) = request.params.page()?;
    Answer::page(api_keys::list(request.services(), request.actor, page, page_size).await?)
}

/// Keys are named by their public id.
fn id<'a>(request: &'a Request<'_>) -> Result<&'a str, ApiError> {
    request
        .params
        .text("filterByTk")
        .ok_or_else(|| Error::InvalidInput("filterByTk is required".into()).into())
}

async fn get(request: &Request<'_>) -> Result<Answer, ApiError> {
    Answer::data(api_keys::get(request.services(), request.actor, id(request)?).await?)
}

async fn create(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: NewApiKey = request.json()?;
    Answer::data(api_keys::create(request.services(), request.actor, &input).await?)
}

async fn destroy(request: &Request<'_>) -> Result<Answer, ApiError> {
    api_keys::revoke(request.services(), request.actor, id(request)?).await?;
    Answer::data(Value::Null)
}

/// An empty body rotates without a grace period.
async fn rotate(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input: RotateApiKey = if request.body.is_empty() {
        RotateApiKey::default()
    } else {
        request.json()?
    };
    let id = id(request)?;
    Answer::data(api_keys::rotate(request.services(), request.actor, id, &input).await?)
}
