//! `dataSources:list|get|create|update|destroy|testConnection|readTables|
//! loadTables|refresh|applyRefresh` and the association
//! `dataSources/<key>/collections:list|get|update|destroy`, as in NocoBase's
//! data source manager.

use axum::http::Method;
use model::data::{CollectionChanges, DataSourceInput};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use service::Error;
use service::data::{collections, sources, tables};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

/// The JSON body, unwrapped when NocoBase-style wrapped in `values`.
fn unwrapped(request: &Request<'_>) -> Result<Value, ApiError> {
    let mut body: Value = request.json()?;
    if let Value::Object(map) = &mut body
        && map.len() == 1
        && let Some(inner) = map.remove("values")
    {
        body = inner;
    }
    Ok(body)
}

fn invalid_body(error: impl std::fmt::Display) -> ApiError {
    Error::InvalidInput(format!("the request body is not valid: {error}")).into()
}

/// The JSON body as `T`. Read by hand rather than through an untagged enum,
/// so a mistake gets serde's own message (`unknown field hostname`), not
/// "no variant matched".
fn values<T: DeserializeOwned>(request: &Request<'_>) -> Result<T, ApiError> {
    serde_json::from_value(unwrapped(request)?).map_err(invalid_body)
}

/// Connection settings in Ferrobase's shape or NocoBase's.
fn source_input(request: &Request<'_>) -> Result<DataSourceInput, ApiError> {
    DataSourceInput::from_body(unwrapped(request)?).map_err(invalid_body)
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LoadTables {
    /// Table names; absent means every table.
    #[serde(default)]
    tables: Option<Vec<String>>,
    #[serde(default)]
    data_source_key: Option<String>,
}

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let post = *method == Method::POST;
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    // Who may ask is settled before the body is read: a caller without the
    // permission hears 401/403, never what is wrong with the body.
    if let Err(error) = sources::authorize(request.actor) {
        return Some(Err(error.into()));
    }
    Some(match action {
        "list" if *method == Method::GET => list(request).await,
        "get" if *method == Method::GET => get(request).await,
        "create" if post => create(request).await,
        "update" if write => update(request).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => destroy(request).await,
        "testConnection" if post => test_connection(request).await,
        "readTables" if post || *method == Method::GET => read_tables(request).await,
        "loadTables" if post => load_tables(request).await,
        "refresh" if post => refresh(request, false).await,
        "applyRefresh" if post => refresh(request, true).await,
        "list" | "get" | "create" | "update" | "destroy" | "testConnection" | "readTables"
        | "loadTables" | "refresh" | "applyRefresh" => wrong_method(),
        _ => return None,
    })
}

/// `dataSources/<key>/collections:<action>`.
pub async fn handle_collections(
    method: &Method,
    key: &str,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let services = request.services();
    let actor = request.actor;
    if let Err(error) = sources::authorize(actor) {
        return Some(Err(error.into()));
    }
    let name = || source_key_param(request, "filterByTk");
    Some(match action {
        "list" if *method == Method::GET => collections::list(services, actor, key)
            .await
            .map_err(Into::into)
            .and_then(Answer::data),
        "get" if *method == Method::GET => match name() {
            Ok(name) => collections::get(services, actor, key, &name)
                .await
                .map_err(Into::into)
                .and_then(Answer::data),
            Err(e) => Err(e),
        },
        "update" if matches!(*method, Method::POST | Method::PUT | Method::PATCH) => {
            let changes = values::<CollectionChanges>(request);
            match (name(), changes) {
                (Ok(name), Ok(changes)) => {
                    collections::update(services, actor, key, &name, &changes)
                        .await
                        .map_err(Into::into)
                        .and_then(Answer::data)
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => match name() {
            Ok(name) => collections::unload(services, actor, key, &name)
                .await
                .map_err(Into::into)
                .and_then(|()| Answer::data(Value::Null)),
            Err(e) => Err(e),
        },
        "list" | "get" | "update" | "destroy" => wrong_method(),
        _ => return None,
    })
}

fn source_key_param(request: &Request<'_>, name: &str) -> Result<String, ApiError> {
    request
        .params
        .text(name)
        .map(str::to_owned)
        .ok_or_else(|| Error::InvalidInput(format!("{name} is required")).into())
}

async fn list(request: &Request<'_>) -> Result<Answer, ApiError> {
    let all = sources::list(request.services(), request.actor).await?;
    let count = all.len();
    let meta = json!({"count": count, "page": 1, "pageSize": count, "totalPage": 1});
    Ok(Answer::List(
        serde_json::to_value(all).map_err(|e| Error::Internal(Box::new(e)))?,
        meta,
    ))
}

async fn get(request: &Request<'_>) -> Result<Answer, ApiError> {
    let key = source_key_param(request, "filterByTk")?;
    Answer::data(sources::get(request.services(), request.actor, &key).await?)
}

async fn create(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input = source_input(request)?;
    Answer::data(sources::create(request.services(), request.actor, &input).await?)
}

async fn update(request: &Request<'_>) -> Result<Answer, ApiError> {
    let key = source_key_param(request, "filterByTk")?;
    let input = source_input(request)?;
    Answer::data(sources::update(request.services(), request.actor, &key, &input).await?)
}

async fn destroy(request: &Request<'_>) -> Result<Answer, ApiError> {
    let key = source_key_param(request, "filterByTk")?;
    sources::destroy(request.services(), request.actor, &key).await?;
    Answer::data(Value::Null)
}

async fn test_connection(request: &Request<'_>) -> Result<Answer, ApiError> {
    let input = source_input(request)?;
    sources::test_connection(request.services(), request.actor, &input).await?;
    Answer::data(json!({"success": true}))
}

/// The source is `filterByTk`, or NocoBase's `values.dataSourceKey`.
fn key_of(request: &Request<'_>, body: Option<&LoadTables>) -> Result<String, ApiError> {
    request
        .params
        .text("filterByTk")
        .map(str::to_owned)
        .or_else(|| body.and_then(|b| b.data_source_key.clone()))
        .ok_or_else(|| {
            Error::InvalidInput("filterByTk (the data source key) is required".into()).into()
        })
}

async fn read_tables(request: &Request<'_>) -> Result<Answer, ApiError> {
    let body = parse_load(request)?;
    let key = key_of(request, body.as_ref())?;
    Answer::data(tables::read_tables(request.services(), request.actor, &key).await?)
}

async fn load_tables(request: &Request<'_>) -> Result<Answer, ApiError> {
    let body = parse_load(request)?;
    let key = key_of(request, body.as_ref())?;
    let chosen = body.and_then(|b| b.tables);
    let loaded =
        tables::load_tables(request.services(), request.actor, &key, chosen.as_deref()).await?;
    Answer::data(json!({"loaded": loaded}))
}

async fn refresh(request: &Request<'_>, apply: bool) -> Result<Answer, ApiError> {
    let key = key_of(request, None)?;
    let report = if apply {
        tables::apply_refresh(request.services(), request.actor, &key).await?
    } else {
        tables::refresh(request.services(), request.actor, &key).await?
    };
    Answer::data(report)
}

fn parse_load(request: &Request<'_>) -> Result<Option<LoadTables>, ApiError> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    Ok(Some(values::<LoadTables>(request)?))
}
