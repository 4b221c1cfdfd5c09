//! Server functions of the API keys page: each resolves the actor and calls
//! one `service::api_keys` function, which decides whose keys are visible.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::identity::{ApiKeyView, IssuedApiKey, NewApiKey, Page, RotateApiKey};

#[server(prefix = "/_sfn", endpoint = "api-keys/list")]
pub async fn list_api_keys(page: u32) -> Result<Page<ApiKeyView>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::api_keys::list(&services()?, &actor(), page, 20)
        .await
        .map_err(fail)
}

/// The roles the create form offers.
#[server(prefix = "/_sfn", endpoint = "api-keys/roles")]
pub async fn issuable_roles() -> Result<Vec<String>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::api_keys::issuable_roles(&services()?, &actor())
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "api-keys/create", input = Json)]
pub async fn create_api_key(input: NewApiKey) -> Result<IssuedApiKey, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::api_keys::create(&services()?, &actor(), &input)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "api-keys/rotate", input = Json)]
pub async fn rotate_secret(id: String, input: RotateApiKey) -> Result<IssuedApiKey, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::api_keys::rotate(&services()?, &actor(), &id, &input)
        .await
        .map_err(fail)
}

/// Form-encoded, so the revoke button posts without JavaScript too.
#[server(prefix = "/_sfn", endpoint = "api-keys/revoke")]
pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::api_keys::revoke(&services()?, &actor(), &id)
        .await
        .map_err(fail)
}
