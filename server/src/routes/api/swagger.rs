//! The API documentation: `GET /api/openapi.json` and NocoBase's
//! `swagger:get|getUrls`. The document comes from `crate::openapi`.

use axum::extract::{RawQuery, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use service::Error;

use super::body::{Answer, Params, Request};
use super::wrong_method;
use crate::api_error::ApiError;
use crate::edge::actor::CurrentActor;
use crate::openapi::{self, Namespace};
use crate::state::AppState;

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "get" if method == Method::GET => {
            document(request.services(), request.actor, &request.params).await
        }
        "getUrls" if method == Method::GET => {
            match openapi::urls(request.services(), request.actor).await {
                Ok(urls) => Answer::data(
                    urls.into_iter()
                        .map(|(name, url)| json!({"name": name, "url": url}))
                        .collect::<Vec<_>>(),
                ),
                Err(error) => Err(error.into()),
            }
        }
        "get" | "getUrls" => wrong_method(),
        _ => return None,
    })
}

/// `GET /api/openapi.json?ns=…&dataSource=…`
pub async fn openapi_json(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.as_deref());
    match document(&state.services, &actor, &params).await {
        Ok(answer) => answer.into_response(),
        Err(error) => error.into_response(),
    }
}

async fn document(
    services: &service::Services,
    actor: &service::Actor,
    params: &Params,
) -> Result<Answer, ApiError> {
    let ns = params.text("ns");
    let namespace = Namespace::parse(ns)
        .ok_or_else(|| Error::NotFound(format!("documentation part {}", ns.unwrap_or_default())))?;
    // The source is a parameter, not `X-Data-Source`: on `swagger:get` that
    // header would mean a collection named `swagger` of that source.
    let source = params.text("dataSource").unwrap_or(service::data::MAIN);
    let document = openapi::document(services, actor, &namespace, source).await?;
    Ok(Answer::Unwrapped(document))
}
