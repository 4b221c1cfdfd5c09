//! Server functions of the collection designer: each resolves the actor and
//! calls one `service::data` function on the main data source.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::data::{CollectionView, FieldSpec, NewCollection};

#[server(prefix = "/_sfn", endpoint = "collections/list")]
pub async fn list_main() -> Result<Vec<CollectionView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::list(&services()?, &actor(), service::data::MAIN)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "collections/get")]
pub async fn get_main(name: String) -> Result<CollectionView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::collections::get(&services()?, &actor(), service::data::MAIN, &name)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "collections/create", input = Json)]
pub async fn create_collection(input: NewCollection) -> Result<CollectionView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::designer::create(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "collections/add-field", input = Json)]
pub async fn add_field(name: String, spec: FieldSpec) -> Result<CollectionView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::designer::add_field(&services()?, &actor(), &name, &spec)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "collections/remove-field")]
pub async fn remove_field(name: String, field: String) -> Result<CollectionView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::designer::remove_field(&services()?, &actor(), &name, &field)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "collections/delete")]
pub async fn delete_collection(name: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::data::designer::delete(&services()?, &actor(), &name)
        .await
        .map_err(fail)
}
