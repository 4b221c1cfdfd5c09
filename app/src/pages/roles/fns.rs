//! Server functions of the role pages.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::identity::{NewRole, RoleChanges, RoleView};

#[server(prefix = "/_sfn", endpoint = "roles/get")]
pub async fn get_role(name: String) -> Result<RoleView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::roles::get(&services()?, &actor(), &name)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "roles/create", input = Json)]
pub async fn create_role(input: NewRole) -> Result<RoleView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::roles::create(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "roles/update", input = Json)]
pub async fn update_role(name: String, changes: RoleChanges) -> Result<RoleView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::roles::update(&services()?, &actor(), &name, &changes)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "roles/delete")]
pub async fn delete_role(name: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::roles::delete(&services()?, &actor(), &name)
        .await
        .map_err(fail)
}
