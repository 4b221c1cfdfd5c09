//! The public REST space `/api/<resource>:<action>`, NocoBase's URL grammar.
//! Each handler is a thin door: parse, call one service function, wrap the
//! answer in `{"data": …}` (lists add `meta`) or the errors envelope.

mod api_keys;
mod audit_logs;
mod auth;
mod body;
pub mod catalog;
mod collections;
mod data_sources;
mod records;
mod roles;
mod swagger;
mod users;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::edge::actor::CurrentActor;
use crate::state::AppState;

pub use body::{Answer, Params};
pub use swagger::openapi_json;

pub async fn dispatch(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    method: Method,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body::too_large_or_unreadable(rejection),
    };
    let mut params = Params::parse(query.as_deref());
    // `<resource>:<action>` or `<resource>/<id>/<association>:<action>`, or
    // the same in REST style (`GET /api/posts/1`).
    let (resource, action) = match name.rsplit_once(':') {
        Some(action_style) => action_style,
        None => match rest_style(&method, &name) {
            Some((resource, action, id)) => {
                if let Some(id) = id {
                    params.set("filterByTk", id);
                }
                (resource, action)
            }
            None => return not_found(&name).into_response(),
        },
    };
    let request = body::Request {
        state: &state,
        actor: &actor,
        params,
        body,
    };
    // A named external source always means its collections, whatever their
    // names; on `main`, Ferrobase's own resources come first.
    let source = headers
        .get("x-data-source")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(service::data::MAIN);
    let segments: Vec<&str> = resource.split('/').collect();
    // Only what the API's catalog documents is answered: see `catalog`.
    match catalog::admit(source, &segments, action, &method) {
        catalog::Admission::Documented => {}
        catalog::Admission::Unknown => return not_found(&name).into_response(),
        catalog::Admission::WrongMethod(verbs) => return catalog::method_not_allowed(verbs),
    }
    let answer = match segments.as_slice() {
        [collection] if source != service::data::MAIN => {
            records::handle(&method, source, collection, action, &request).await
        }
        [collection, id, relation] if source != service::data::MAIN => {
            let path = records::AssociationPath {
                collection,
                id,
                relation,
            };
            records::handle_association(&method, source, &path, action, &request).await
        }
        ["auth"] => auth::handle(&method, action, &request).await,
        ["users"] => users::handle(&method, action, &request).await,
        ["roles"] => roles::handle(&method, action, &request).await,
        ["apiKeys"] => api_keys::handle(&method, action, &request).await,
        ["auditLogs"] => audit_logs::handle(&method, action, &request).await,
        ["swagger"] => swagger::handle(&method, action, &request).await,
        ["dataSources"] => data_sources::handle(&method, action, &request).await,
        ["collections"] => collections::handle(&method, action, &request).await,
        ["collections", name, "fields"] => {
            collections::handle_fields(&method, name, action, &request).await
        }
        ["dataSources", key, "collections"] => {
            data_sources::handle_collections(&method, key, action, &request).await
        }
        [collection] => records::handle(&method, source, collection, action, &request).await,
        [collection, id, relation] => {
            let path = records::AssociationPath {
                collection,
                id,
                relation,
            };
            records::handle_association(&method, source, &path, action, &request).await
        }
        _ => None,
    };
    match answer {
        Some(Ok(answer)) => answer.into_response(),
        Some(Err(error)) => error.into_response(),
        None => not_found(&name).into_response(),
    }
}

/// REST style as the action it stands for: `/posts` lists (GET) or
/// creates (POST); `/posts/1` gets (GET), updates (PUT, PATCH) or destroys
/// (DELETE) with `filterByTk=1`; likewise `/posts/1/comments[/2]`.
fn rest_style<'n>(
    method: &Method,
    name: &'n str,
) -> Option<(&'n str, &'static str, Option<&'n str>)> {
    let segments = name.split('/').count();
    if segments % 2 == 1 {
        let action = match *method {
            Method::GET => "list",
            Method::POST => "create",
            _ => return None,
        };
        return Some((name, action, None));
    }
    let (resource, id) = name.rsplit_once('/')?;
    let action = match *method {
        Method::GET => "get",
        Method::PUT | Method::PATCH => "update",
        Method::DELETE => "destroy",
        _ => return None,
    };
    Some((resource, action, Some(id)))
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
