//! What the UI and the REST API exchange about data sources and their
//! collections. Secrets never appear in a view: a password is only "set"
//! or an environment reference.

use serde::{Deserialize, Serialize};

use super::{FieldInterface, TlsMode};

/// A data source as listed and shown; `engine` is `main` for the embedded one.
/// `type` and `options` repeat the connection settings in NocoBase's shape,
/// for NocoBase clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataSourceView {
    pub key: String,
    pub display_name: String,
    pub engine: String,
    /// NocoBase's name for `engine`.
    #[serde(rename = "type")]
    pub kind: String,
    pub options: SourceOptionsView,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub username: String,
    /// A password is stored (sealed); its value is never returned.
    pub password_set: bool,
    /// `{{$env.NAME}}` when the password comes from the environment.
    pub password_reference: Option<String>,
    pub schema: Option<String>,
    pub table_prefix: String,
    pub tls: TlsMode,
    pub ca_certificate_set: bool,
    pub enabled: bool,
    pub status: SourceStatus,
    /// Why loading failed, when it did.
    pub status_message: Option<String>,
    pub collections: usize,
    pub experimental: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// NocoBase's `options` of a data source, without secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SourceOptionsView {
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub username: String,
    pub schema: Option<String>,
    pub table_prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum SourceStatus {
    Loading,
    Loaded,
    Failed,
    Disabled,
}

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Loading => "loading",
            SourceStatus::Loaded => "loaded",
            SourceStatus::Failed => "failed",
            SourceStatus::Disabled => "disabled",
        }
    }
}

/// Connection settings as an admin enters them. On update, `password: None`
/// keeps the stored one and `Some("")` removes it. The REST API also takes
/// NocoBase's shape, `{key, displayName, type, options: {host, port,
/// database, username, password, schema, tablePrefix, tls, caCertificate}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataSourceInput {
    pub key: String,
    pub display_name: String,
    pub engine: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub database: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub table_prefix: String,
    #[serde(default)]
    pub tls: TlsMode,
    #[serde(default)]
    pub ca_certificate: Option<String>,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// Blank, and enabled like a source created through the API.
impl Default for DataSourceInput {
    fn default() -> Self {
        DataSourceInput {
            key: String::new(),
            display_name: String::new(),
            engine: String::new(),
            host: String::new(),
            port: None,
            database: String::new(),
            username: String::new(),
            password: None,
            schema: None,
            table_prefix: String::new(),
            tls: TlsMode::default(),
            ca_certificate: None,
            enabled: true,
        }
    }
}

/// A table or view of the database, offered for loading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TableChoice {
    /// The collection name it loads as (the table prefix removed).
    pub name: String,
    pub table: String,
    pub view: bool,
    pub loaded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollectionView {
    pub data_source: String,
    pub name: String,
    pub title: String,
    pub table: String,
    pub view: bool,
    /// The record key; empty means the collection can be read but not edited.
    pub key: Vec<String>,
    pub fields: Vec<FieldView>,
    pub relations: Vec<RelationView>,
    /// What the viewer's role may do here: `view`, `create`, `update`, `destroy`.
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FieldView {
    pub name: String,
    pub title: String,
    pub interface: FieldInterface,
    pub db_type: String,
    pub nullable: bool,
    pub max_length: Option<u32>,
    /// Filled by the database (identity, auto-increment, generated).
    pub generated: bool,
    pub has_default: bool,
    pub hidden: bool,
    /// Allowed values of an enum field.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RelationView {
    pub name: String,
    /// `manyToOne` or `oneToMany`.
    pub kind: String,
    pub target: String,
    pub foreign_key: String,
    pub target_key: String,
    /// Declared by an admin rather than read from a foreign key.
    pub declared: bool,
}

/// What a refresh found: applied only when the admin confirms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SchemaDiff {
    pub tables_added: Vec<String>,
    pub tables_removed: Vec<String>,
    pub tables_changed: Vec<TableChange>,
}

impl SchemaDiff {
    pub fn is_empty(&self) -> bool {
        self.tables_added.is_empty()
            && self.tables_removed.is_empty()
            && self.tables_changed.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TableChange {
    pub table: String,
    pub columns_added: Vec<String>,
    pub columns_removed: Vec<String>,
    /// `name: before → after` for type, nullability or default changes.
    pub columns_changed: Vec<ColumnChange>,
    pub keys_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ColumnChange {
    pub column: String,
    pub before: String,
    pub after: String,
}

/// An admin's changes to a collection; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CollectionChanges {
    pub title: Option<String>,
    pub field_titles: Option<std::collections::BTreeMap<String, String>>,
    pub hidden: Option<Vec<String>>,
    pub record_key: Option<Vec<String>>,
    /// Relations declared by hand; replaces the earlier declarations.
    pub relations: Option<Vec<RelationDeclaration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelationDeclaration {
    pub name: String,
    /// `manyToOne` or `oneToMany`.
    pub kind: String,
    pub target: String,
    pub foreign_key: String,
    pub target_key: String,
}
