//! Server functions of the data source pages: each resolves the actor and
//! calls one `service::data` function.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::data::{CollectionView, DataSourceInput, DataSourceView, SchemaDiff, TableChoice};

#[server(prefix = "/_sfn", endpoint = "data-sources/list")]
pub async fn list_sources() -> Result<Vec<DataSourceView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::list(&services()?, &actor())
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/get")]
pub async fn get_source(key: String) -> Result<DataSourceView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::get(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/create", input = Json)]
pub async fn create_source(input: DataSourceInput) -> Result<DataSourceView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::create(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/update", input = Json)]
pub async fn update_source(
    key: String,
    input: DataSourceInput,
) -> Result<DataSourceView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::update(&services()?, &actor(), &key, &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/delete")]
pub async fn delete_source(key: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::destroy(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/test", input = Json)]
pub async fn test_source(input: DataSourceInput) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::sources::test_connection(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/read-tables")]
pub async fn read_tables(key: String) -> Result<Vec<TableChoice>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::tables::read_tables(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

/// Answers how many tables were loaded.
#[server(prefix = "/_sfn", endpoint = "data-sources/load-tables", input = Json)]
pub async fn load_tables(key: String, tables: Vec<String>) -> Result<usize, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::tables::load_tables(&services()?, &actor(), &key, Some(&tables))
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/refresh")]
pub async fn refresh_source(key: String) -> Result<SchemaDiff, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::tables::refresh(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/apply-refresh")]
pub async fn apply_refresh(key: String) -> Result<SchemaDiff, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::tables::apply_refresh(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/collections")]
pub async fn list_collections(key: String) -> Result<Vec<CollectionView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::list(&services()?, &actor(), &key)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "data-sources/unload")]
pub async fn unload_collection(key: String, name: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::unload(&services()?, &actor(), &key, &name)
        .await
        .map_err(fail)
}
