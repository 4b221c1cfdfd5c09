//! What introspection finds in a database, and the collection description
//! queries are compiled against.

use model::data::FieldInterface;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    Table,
    View,
}

impl TableKind {
    /// The kind as a catalog spells it: "view", "VIEW", "SYSTEM VIEW" are
    /// views; "table", "BASE TABLE" and anything else are tables.
    pub(crate) fn from_catalog(kind: &str) -> Self {
        if kind.to_ascii_lowercase().contains("view") {
            TableKind::View
        } else {
            TableKind::Table
        }
    }
}

/// A table or view as listed by the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub schema: Option<String>,
    pub name: String,
    pub kind: TableKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    /// The type as the database shows it, modifiers included (`varchar(80)`).
    pub db_type: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub max_length: Option<u32>,
    pub precision: Option<u32>,
    pub scale: Option<u32>,
    /// Filled by the database (identity, auto-increment, serial, generated).
    pub generated: bool,
    /// The labels of an enum type, in order; empty for other types.
    pub enum_values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referenced_schema: Option<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
}

/// Everything introspection learns about one table or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSchema {
    pub table: TableInfo,
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub unique: Vec<Vec<String>>,
    pub foreign_keys: Vec<ForeignKey>,
}

/// A field of a collection as queries see it: a column with its interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The column name; also the field's name in the API.
    pub name: String,
    pub interface: FieldInterface,
    /// The database type, used for casts on engines that need them.
    pub db_type: String,
    pub nullable: bool,
    pub max_length: Option<u32>,
    /// Filled by the database: may be omitted on create, never updated.
    pub generated: bool,
    pub has_default: bool,
    /// Allowed values of an enum field.
    pub options: Vec<String>,
}

impl Field {
    /// The field for an introspected column, with its interface.
    pub fn from_column(engine: model::data::Engine, column: &ColumnInfo) -> Field {
        let interface = if column.enum_values.is_empty() {
            crate::types::interface_for(engine, &column.db_type)
        } else {
            FieldInterface::Enum
        };
        Field {
            name: column.name.clone(),
            interface,
            db_type: column.db_type.clone(),
            nullable: column.nullable,
            max_length: column.max_length.filter(|_| interface.is_textual()),
            generated: column.generated,
            has_default: column.default.is_some(),
            options: column.enum_values.clone(),
        }
    }

    pub fn is_writable(&self) -> bool {
        !self.generated && self.interface != FieldInterface::Unsupported
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationKind {
    /// This collection holds the foreign key (`posts.author_id` → `users.id`).
    ManyToOne,
    /// The target holds the foreign key pointing back here.
    OneToMany,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub name: String,
    pub kind: RelationKind,
    /// The target collection's name in the same data source.
    pub target: String,
    /// Many-to-one: the column here; one-to-many: the column on the target.
    pub foreign_key: String,
    /// Many-to-one: the column on the target; one-to-many: the column here.
    pub target_key: String,
}

/// A table or view exposed as a collection: its fields, its record key and
/// its relations. Built by the service from introspection plus the admin's
/// choices (hidden fields, record key for views, declared relations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub name: String,
    pub schema: Option<String>,
    pub table: String,
    /// The record key: the primary key, or the unique column the admin chose.
    /// Empty for a view without one: such a collection is read-only.
    pub key: Vec<String>,
    pub fields: Vec<Field>,
    pub relations: Vec<Relation>,
}

impl Collection {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }
}

/// Looks up the other collections of the same data source, for relation
/// paths in filters and for appends: each as the caller may see it, with
/// the rows the caller may see (`scope`), so a relation cannot reveal what
/// the target's own grant hides.
pub trait Catalog {
    fn collection(&self, name: &str) -> Option<&Collection>;

    /// The rows of `name` the caller may see, if not all of them.
    fn scope(&self, _name: &str) -> Option<crate::compile::Scope<'_>> {
        None
    }
}

impl Catalog for std::collections::HashMap<String, Collection> {
    fn collection(&self, name: &str) -> Option<&Collection> {
        self.get(name)
    }
}
