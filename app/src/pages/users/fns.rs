//! Server functions of the user pages: each one resolves the actor and
//! calls one `service::users` function.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::identity::{NewUser, Page, RoleView, UserChanges, UserView};

#[server(prefix = "/_sfn", endpoint = "users/list")]
pub async fn list_users(search: String, page: u32) -> Result<Page<UserView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::list(&services()?, &actor(), Some(&search), page, 20)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "users/get")]
pub async fn get_user(id: i64) -> Result<UserView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::get(&services()?, &actor(), id)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "users/create", input = Json)]
pub async fn create_user(input: NewUser) -> Result<UserView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::create(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "users/update", input = Json)]
pub async fn update_user(id: i64, changes: UserChanges) -> Result<UserView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::update(&services()?, &actor(), id, &changes)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "users/delete")]
pub async fn delete_user(id: i64) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::delete(&services()?, &actor(), id)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "users/reset-password", input = Json)]
pub async fn reset_password(id: i64, password: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::reset_password(&services()?, &actor(), id, &password)
        .await
        .map_err(fail)
}

/// Roles to pick from in user forms.
#[server(prefix = "/_sfn", endpoint = "roles/list")]
pub async fn list_roles() -> Result<Vec<RoleView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::roles::list(&services()?, &actor())
        .await
        .map_err(fail)
}
