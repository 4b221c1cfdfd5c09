//! Users, roles and permissions as the UI, the REST API and the core all see
//! them. Input is parsed into these types once (`Email::parse`, …), so the
//! browser form and the API reject exactly the same things.

mod api_keys;
mod fields;
mod inputs;
mod permissions;
mod rejection;
mod views;

pub use api_keys::{
    ApiKeyName, ApiKeyStatus, ApiKeyView, Expiry, IssuedApiKey, NewApiKey, RoleRef, RotateApiKey,
    RotationGrace, ServiceAccountName,
};
pub use fields::{DisplayName, Email, Password, RoleName, Username, parse_locale};
pub use inputs::{NewRole, NewUser, ProfileChanges, RoleChanges, UserChanges};
pub use permissions::{
    ALL_COLLECTIONS, CollectionAction, CollectionGrant, DataScope, RolePermissions,
    SystemPermission,
};
pub use rejection::Rejection;
pub use views::{AuditEntry, CurrentUser, Page, RoleView, UserView};
