//! The collection designer of the main data source:
//! `collections:list|get|create|destroy` and
//! `collections/<name>/fields:create|destroy`.

use axum::http::Method;
use model::data::{FieldSpec, NewCollection};
use serde_json::Value;
use service::Error;
use service::data::{MAIN, collections, designer};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

fn name(request: &Request<'_>, parameter: &str) -> Result<String, ApiError> {
    request
        .params
        .text(parameter)
        .map(str::to_owned)
        .ok_or_else(|| Error::InvalidInput(format!("{parameter} is required")).into())
}

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let (services, actor) = (request.services(), request.actor);
    Some(match action {
        "list" if *method == Method::GET => collections::list(services, actor, MAIN)
            .await
            .map_err(Into::into)
            .and_then(Answer::data),
        "get" if *method == Method::GET => match name(request, "filterByTk") {
            Ok(name) => collections::get(services, actor, MAIN, &name)
                .await
                .map_err(Into::into)
                .and_then(Answer::data),
            Err(e) => Err(e),
        },
        "create" if *method == Method::POST => match request.json::<NewCollection>() {
            Ok(input) => designer::create(services, actor, &input)
                .await
                .map_err(Into::into)
                .and_then(Answer::data),
            Err(e) => Err(e),
        },
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => {
            match name(request, "filterByTk") {
                Ok(name) => designer::delete(services, actor, &name)
                    .await
                    .map_err(Into::into)
                    .and_then(|()| Answer::data(Value::Null)),
                Err(e) => Err(e),
            }
        }
        "list" | "get" | "create" | "destroy" => wrong_method(),
        _ => return None,
    })
}

/// `collections/<name>/fields:create|destroy`.
pub async fn handle_fields(
    method: &Method,
    collection: &str,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let (services, actor) = (request.services(), request.actor);
    Some(match action {
        "create" if *method == Method::POST => match request.json::<FieldSpec>() {
            Ok(spec) => designer::add_field(services, actor, collection, &spec)
                .await
                .map_err(Into::into)
                .and_then(Answer::data),
            Err(e) => Err(e),
        },
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => {
            match name(request, "filterByTk") {
                Ok(field) => designer::remove_field(services, actor, collection, &field)
                    .await
                    .map_err(Into::into)
                    .and_then(Answer::data),
                Err(e) => Err(e),
            }
        }
        "create" | "destroy" => wrong_method(),
        _ => return None,
    })
}
