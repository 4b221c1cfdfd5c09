//! Data sources as the UI, the REST API and the connectors all see them:
//! which engines exist, how a connection is secured, and which field
//! interface a column is shown and edited with.

mod design;
mod engine;
mod interface;
mod key;
mod source_body;
mod views;

pub use design::{FieldSpec, FieldType, NewCollection};
pub use engine::{Engine, TlsMode};
pub use interface::FieldInterface;
pub use key::{MAX_KEY_LEN, is_source_key};
pub use views::{
    CollectionChanges, CollectionView, ColumnChange, DataSourceInput, DataSourceView, FieldView,
    RelationDeclaration, RelationView, SchemaDiff, SourceOptionsView, SourceStatus, TableChange,
    TableChoice,
};
