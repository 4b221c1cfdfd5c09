//! `<collection>:<action>` on the data source named by the `X-Data-Source`
//! header (default `main`), in NocoBase's shapes: list, get, create, update,
//! destroy, firstOrCreate, updateOrCreate and query (aggregates).

use axum::http::Method;
use model::query::{AggregateQuery, Filter, ListQuery, Paging, parse_filter_text};
use serde_json::{Map, Value, json};
use service::Error;
use service::data::records::{self, Target};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;

mod association;

pub use association::{Path as AssociationPath, handle as handle_association};

pub async fn handle(
    method: &Method,
    source: &str,
    collection: &str,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    Some(match action {
        "list" if *method == Method::GET => list(request, source, collection, None).await,
        "get" if *method == Method::GET => get(request, source, collection, None).await,
        "create" if *method == Method::POST => create(request, source, collection).await,
        "update" if write => update(request, source, collection, None).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => {
            destroy(request, source, collection, None).await
        }
        "firstOrCreate" | "updateOrCreate" if *method == Method::POST => {
            upsert(request, source, collection, action == "updateOrCreate").await
        }
        "query" if *method == Method::POST => query(request, source, collection).await,
        "list" | "get" | "create" | "update" | "destroy" | "firstOrCreate" | "updateOrCreate"
        | "query" => wrong_method(),
        _ => return None,
    })
}

fn list_query(request: &Request<'_>) -> Result<ListQuery, ApiError> {
    ListQuery::from_params(&request.params.pairs)
        .map_err(|e| Error::InvalidInput(e.to_string()).into())
}

/// Every `filterByTk` (also `filterByTk[]`), as JSON text values: numbers
/// are read by the key field's type, as NocoBase does.
fn keys(request: &Request<'_>) -> Vec<Value> {
    request
        .params
        .pairs
        .iter()
        .filter(|(name, value)| {
            (name == "filterByTk" || name == "filterByTk[]") && !value.is_empty()
        })
        .map(|(_, value)| Value::String(value.clone()))
        .collect()
}

/// The records an update or destroy names: keys and/or `filter`, with an
/// extra condition from a relation path.
fn target(request: &Request<'_>, link: Option<&Filter>) -> Result<Target, ApiError> {
    let filter = match request.params.text("filter") {
        Some(text) => parse_filter_text(text)
            .map_err(|e| Error::InvalidInput(format!("invalid `filter` parameter: {e}")))?,
        None => None,
    };
    Ok(Target {
        keys: keys(request),
        filter: and(filter, link),
    })
}

/// The request's filter narrowed by a relation path's link.
fn and(filter: Option<Filter>, link: Option<&Filter>) -> Option<Filter> {
    match (filter, link) {
        (Some(filter), Some(link)) => Some(Filter::And(vec![filter, link.clone()])),
        (filter, link) => filter.or_else(|| link.cloned()),
    }
}

fn values(request: &Request<'_>) -> Result<Map<String, Value>, ApiError> {
    match request.json::<Value>()? {
        Value::Object(values) => Ok(values),
        _ => Err(Error::InvalidInput(
            "the request body must be a JSON object of field values".into(),
        )
        .into()),
    }
}

/// A list answer: NocoBase's `meta` for counted and simple paging.
async fn list(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    link: Option<&Filter>,
) -> Result<Answer, ApiError> {
    let mut query = list_query(request)?;
    query.filter = and(query.filter.take(), link);
    let page = records::list(
        request.services(),
        request.actor,
        source,
        collection,
        &query,
    )
    .await?;
    let rows = Value::Array(page.rows.into_iter().map(Value::Object).collect());
    Ok(match page.paging {
        Paging::Counted {
            page: number,
            page_size,
        } => {
            let count = page.count.unwrap_or_default();
            let total_page = count.div_ceil(u64::from(page_size.max(1)));
            Answer::List(
                rows,
                json!({"count": count, "page": number, "pageSize": page_size, "totalPage": total_page}),
            )
        }
        Paging::Simple {
            page: number,
            page_size,
        } => Answer::List(
            rows,
            json!({"page": number, "pageSize": page_size, "hasNext": page.has_next.unwrap_or(false)}),
        ),
        Paging::All => Answer::Data(rows),
    })
}

/// The key a `get` names, if any: without one, `get` answers the first
/// record its `filter` and `sort` pick (as NocoBase does).
fn optional_key(request: &Request<'_>) -> Result<Option<Value>, ApiError> {
    match keys(request).as_slice() {
        [] => Ok(None),
        [key] => Ok(Some(key.clone())),
        _ => Err(Error::InvalidInput("get takes one filterByTk".into()).into()),
    }
}

/// One record: `{"data": null}` when there is none the role may see.
async fn get(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    link: Option<&Filter>,
) -> Result<Answer, ApiError> {
    let mut query = list_query(request)?;
    query.filter = and(query.filter.take(), link);
    let key = optional_key(request)?;
    let found = records::find_one(
        request.services(),
        request.actor,
        source,
        collection,
        key.as_ref(),
        &query,
    )
    .await?;
    Answer::data(found.map(Value::Object).unwrap_or(Value::Null))
}

async fn create(request: &Request<'_>, source: &str, collection: &str) -> Result<Answer, ApiError> {
    let values = values(request)?;
    create_with(request, source, collection, values).await
}

async fn create_with(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    values: Map<String, Value>,
) -> Result<Answer, ApiError> {
    Answer::data(
        records::create(
            request.services(),
            request.actor,
            source,
            collection,
            &values,
        )
        .await?,
    )
}

/// NocoBase answers an update with the list of updated records. One key
/// and no filter is the common case and must find its record (404 if not);
/// a filter or several keys update whatever matches.
async fn update(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    link: Option<&Filter>,
) -> Result<Answer, ApiError> {
    let values = values(request)?;
    let target = target(request, link)?;
    let (services, actor) = (request.services(), request.actor);
    if let ([key], None) = (target.keys.as_slice(), &target.filter) {
        let updated = records::update(services, actor, source, collection, key, &values).await?;
        return Answer::data(vec![updated]);
    }
    Answer::data(records::update_many(services, actor, source, collection, &target, &values).await?)
}

/// Answers how many records were deleted.
async fn destroy(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    link: Option<&Filter>,
) -> Result<Answer, ApiError> {
    let target = target(request, link)?;
    let (services, actor) = (request.services(), request.actor);
    if let ([key], None) = (target.keys.as_slice(), &target.filter) {
        return Answer::data(records::destroy(services, actor, source, collection, key).await?);
    }
    Answer::data(records::destroy_many(services, actor, source, collection, &target).await?)
}

/// `filterKeys[]=name&…` (or a comma list) name the identifying fields.
async fn upsert(
    request: &Request<'_>,
    source: &str,
    collection: &str,
    update: bool,
) -> Result<Answer, ApiError> {
    let filter_keys: Vec<String> = request
        .params
        .pairs
        .iter()
        .filter(|(name, _)| name == "filterKeys" || name == "filterKeys[]")
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|key| !key.is_empty())
        .map(str::to_owned)
        .collect();
    let values = values(request)?;
    let (services, actor) = (request.services(), request.actor);
    let record = if update {
        records::update_or_create(services, actor, source, collection, &filter_keys, &values)
            .await?
    } else {
        records::first_or_create(services, actor, source, collection, &filter_keys, &values).await?
    };
    Answer::data(record)
}

/// Aggregates: the JSON body holds measures, dimensions, filter, orders, limit.
async fn query(request: &Request<'_>, source: &str, collection: &str) -> Result<Answer, ApiError> {
    let body: Value = request.json()?;
    let query = AggregateQuery::parse(&body).map_err(|e| Error::InvalidInput(e.to_string()))?;
    Answer::data(
        records::query(
            request.services(),
            request.actor,
            source,
            collection,
            &query,
        )
        .await?,
    )
}
