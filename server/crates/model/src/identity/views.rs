//! What the UI and the API show of users, roles and the audit log.

use serde::{Deserialize, Serialize};

use super::RolePermissions;

/// A user as lists and forms show it; never the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub username: Option<String>,
    pub display_name: String,
    pub locale: Option<String>,
    pub enabled: bool,
    pub roles: Vec<String>,
    pub default_role: Option<String>,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    pub name: String,
    pub title: String,
    pub description: String,
    /// Given to users created without a role.
    pub is_default: bool,
    /// `admin` and `member`: seeded, cannot be deleted.
    pub built_in: bool,
    pub permissions: RolePermissions,
    pub user_count: i64,
}

/// Who is signed in and as which role: `GET /api/auth:check`, the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    pub user: UserView,
    pub role: String,
    pub permissions: RolePermissions,
}

/// One row of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    /// The actor as they were then (the user may be renamed or deleted since).
    pub actor: String,
    pub role: Option<String>,
    pub action: String,
    pub resource: String,
    pub record_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
    /// Changed fields as JSON: `{"field": {"from": …, "to": …}}`; secrets
    /// appear only as `"changed"`.
    pub changes: Option<String>,
}

/// One page of a list, with what NocoBase's `meta` needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub count: i64,
    pub page: u32,
    pub page_size: u32,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u32 {
        let size = i64::from(self.page_size.max(1));
        u32::try_from((self.count + size - 1) / size).unwrap_or(u32::MAX)
    }
}
