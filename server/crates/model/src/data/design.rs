//! The collection designer's vocabulary: the field types a collection of
//! the main data source can have, as an admin picks them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum FieldType {
    Text,
    LongText,
    Integer,
    Decimal,
    Boolean,
    Date,
    Datetime,
    Json,
    /// One value from a list of options.
    Select,
    /// A many-to-one link to a record of another collection.
    Relation,
}

impl FieldType {
    pub const ALL: [FieldType; 10] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Integer,
        FieldType::Decimal,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Json,
        FieldType::Select,
        FieldType::Relation,
    ];
}

/// One field of a new collection, or a field added later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Only at creation: a field added later is optional.
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub unique: bool,
    /// The choices of a `select` field.
    #[serde(default)]
    pub options: Vec<String>,
    /// The collection a `relation` field points at.
    #[serde(default)]
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCollection {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
}
