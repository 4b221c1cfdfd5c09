//! What a role may do: system areas, and per data source and collection the
//! four record actions, each optionally limited to fields and a data scope.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Configuration areas gated by a role. Admins hold all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum SystemPermission {
    /// Users, roles and their permissions.
    Users,
    DataSources,
    ApiKeys,
    Sso,
    Workflows,
    Dashboards,
    AuditLog,
    /// System status and metrics.
    System,
}

impl SystemPermission {
    pub const ALL: [SystemPermission; 8] = [
        SystemPermission::Users,
        SystemPermission::DataSources,
        SystemPermission::ApiKeys,
        SystemPermission::Sso,
        SystemPermission::Workflows,
        SystemPermission::Dashboards,
        SystemPermission::AuditLog,
        SystemPermission::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SystemPermission::Users => "users",
            SystemPermission::DataSources => "dataSources",
            SystemPermission::ApiKeys => "apiKeys",
            SystemPermission::Sso => "sso",
            SystemPermission::Workflows => "workflows",
            SystemPermission::Dashboards => "dashboards",
            SystemPermission::AuditLog => "auditLog",
            SystemPermission::System => "system",
        }
    }

    pub fn parse(input: &str) -> Option<SystemPermission> {
        SystemPermission::ALL
            .into_iter()
            .find(|p| p.as_str() == input)
    }
}

/// NocoBase's action vocabulary: `view` covers get/list/query, `create`
/// covers firstOrCreate/updateOrCreate, `update`, `destroy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum CollectionAction {
    View,
    Create,
    Update,
    Destroy,
}

impl CollectionAction {
    pub const ALL: [CollectionAction; 4] = [
        CollectionAction::View,
        CollectionAction::Create,
        CollectionAction::Update,
        CollectionAction::Destroy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CollectionAction::View => "view",
            CollectionAction::Create => "create",
            CollectionAction::Update => "update",
            CollectionAction::Destroy => "destroy",
        }
    }

    pub fn parse(input: &str) -> Option<CollectionAction> {
        CollectionAction::ALL
            .into_iter()
            .find(|a| a.as_str() == input)
    }
}

/// Which records a grant reaches. `Filter` holds NocoBase filter JSON; it is
/// compiled by the data-source query layer, where `{{$user.id}}` resolves to
/// the acting user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", tag = "kind", content = "filter")]
pub enum DataScope {
    #[default]
    All,
    /// Records whose `createdById` is the acting user.
    Own,
    Filter(serde_json::Value),
}

/// One action on one collection (`"*"`: every collection of the source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollectionGrant {
    pub data_source: String,
    pub collection: String,
    pub action: CollectionAction,
    /// `None`: every field. `Some`: only these may be read, written or filtered on.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    #[serde(default)]
    pub scope: DataScope,
}

pub const ALL_COLLECTIONS: &str = "*";

/// The effective permissions of one role, as `GET /api/roles:check` shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RolePermissions {
    /// Everything, present and future (the built-in `admin` role).
    pub all: bool,
    pub system: BTreeSet<SystemPermission>,
    pub grants: Vec<CollectionGrant>,
}

impl RolePermissions {
    pub fn allows(&self, permission: SystemPermission) -> bool {
        self.all || self.system.contains(&permission)
    }

    /// The grant covering `action` on a collection: a grant naming the
    /// collection wins over the source-wide `"*"` grant.
    pub fn grant(
        &self,
        data_source: &str,
        collection: &str,
        action: CollectionAction,
    ) -> Option<&CollectionGrant> {
        let of_source = |g: &&CollectionGrant| g.data_source == data_source && g.action == action;
        self.grants
            .iter()
            .filter(of_source)
            .find(|g| g.collection == collection)
            .or_else(|| {
                self.grants
                    .iter()
                    .filter(of_source)
                    .find(|g| g.collection == ALL_COLLECTIONS)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(
        collection: &str,
        action: CollectionAction,
        fields: Option<Vec<&str>>,
    ) -> CollectionGrant {
        CollectionGrant {
            data_source: "main".into(),
            collection: collection.into(),
            action,
            fields: fields.map(|f| f.into_iter().map(String::from).collect()),
            scope: DataScope::All,
        }
    }

    #[test]
    fn a_named_collection_grant_beats_the_source_wide_one() {
        let permissions = RolePermissions {
            grants: vec![
                grant("*", CollectionAction::View, None),
                grant("orders", CollectionAction::View, Some(vec!["id", "total"])),
            ],
            ..RolePermissions::default()
        };
        let orders = permissions
            .grant("main", "orders", CollectionAction::View)
            .unwrap();
        assert_eq!(orders.fields.as_deref().map(<[String]>::len), Some(2));
        assert_eq!(
            permissions
                .grant("main", "customers", CollectionAction::View)
                .unwrap()
                .collection,
            "*"
        );
        assert!(
            permissions
                .grant("main", "orders", CollectionAction::Destroy)
                .is_none()
        );
        assert!(
            permissions
                .grant("erp", "orders", CollectionAction::View)
                .is_none()
        );
    }

    #[test]
    fn all_covers_every_system_permission() {
        let admin = RolePermissions {
            all: true,
            ..RolePermissions::default()
        };
        assert!(SystemPermission::ALL.iter().all(|p| admin.allows(*p)));
        assert!(!RolePermissions::default().allows(SystemPermission::Users));
    }

    #[test]
    fn permission_names_round_trip() {
        for p in SystemPermission::ALL {
            assert_eq!(SystemPermission::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        for a in CollectionAction::ALL {
            assert_eq!(CollectionAction::parse(a.as_str()), Some(a));
        }
    }
}
