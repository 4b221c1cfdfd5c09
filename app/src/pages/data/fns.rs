//! Server functions of the data pages. The role decides what each returns:
//! the service narrows collections and rows to its grants.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::data::CollectionView;
use model::identity::Page;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A record as the service returns it: field name → JSON value.
pub type Row = Map<String, Value>;

/// The data table's request, in the REST API's terms, so the same parser
/// (`ListQuery::from_params`) reads both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordQuery {
    /// NocoBase filter JSON, empty for none.
    pub filter: String,
    /// `name` or `-name`.
    pub sort: String,
    pub page: u32,
    pub page_size: u32,
}

#[server(prefix = "/_sfn", endpoint = "data/browsable")]
pub async fn browsable() -> Result<Vec<CollectionView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::browsable(&services()?, &actor())
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data/collection")]
pub async fn collection(source: String, name: String) -> Result<CollectionView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::for_actor(&services()?, &actor(), &source, &name)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data/list", input = Json)]
pub async fn list_records(
    source: String,
    name: String,
    query: RecordQuery,
) -> Result<Page<Row>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    let params = [
        ("filter", query.filter),
        ("sort", query.sort),
        ("page", query.page.max(1).to_string()),
        ("pageSize", query.page_size.max(1).to_string()),
    ]
    .map(|(k, v)| (k.to_owned(), v));
    let parsed = model::query::ListQuery::from_params(&params)
        .map_err(|e| fail(service::Error::InvalidInput(e.to_string())))?;
    let found = service::data::records::list(&services()?, &actor(), &source, &name, &parsed)
        .await
        .map_err(fail)?;
    Ok(Page {
        items: found.rows,
        count: found
            .count
            .map_or(0, |c| i64::try_from(c).unwrap_or(i64::MAX)),
        page: query.page.max(1),
        page_size: query.page_size.max(1),
    })
}

/// `key` is the record key as text; the service reads it by the key
/// field's type, as it does for the REST API's `filterByTk`.
#[server(prefix = "/_sfn", endpoint = "data/get")]
pub async fn get_record(source: String, name: String, key: String) -> Result<Row, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    let query = model::query::ListQuery::default();
    service::data::records::get(
        &services()?,
        &actor(),
        &source,
        &name,
        &Value::String(key.clone()),
        &query,
    )
    .await
    .map_err(fail)?
    .ok_or_else(|| fail(service::Error::NotFound(format!("record {key} in {name}"))))
}

#[server(prefix = "/_sfn", endpoint = "data/create", input = Json)]
pub async fn create_record(
    source: String,
    name: String,
    values: Row,
) -> Result<Row, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::records::create(&services()?, &actor(), &source, &name, &values)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data/update", input = Json)]
pub async fn update_record(
    source: String,
    name: String,
    key: String,
    values: Row,
) -> Result<Row, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::records::update(
        &services()?,
        &actor(),
        &source,
        &name,
        &Value::String(key),
        &values,
    )
    .await
    .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data/delete")]
pub async fn delete_record(source: String, name: String, key: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    let deleted = service::data::records::destroy(
        &services()?,
        &actor(),
        &source,
        &name,
        &Value::String(key.clone()),
    )
    .await
    .map_err(fail)?;
    // Nothing deleted: gone already, or outside the role's scope.
    match deleted {
        0 => Err(fail(service::Error::NotFound(format!(
            "record {key} in {name}"
        )))),
        _ => Ok(()),
    }
}
