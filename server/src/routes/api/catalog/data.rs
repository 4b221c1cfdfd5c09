//! `dataSources`, their collections, the collection designer and the API
//! documentation itself (`swagger`).

use model::data::{
    CollectionChanges, CollectionView, DataSourceInput, DataSourceView, FieldSpec, NewCollection,
    SchemaDiff, TableChoice,
};
use model::identity::SystemPermission;
use serde_json::{Value, json};

use super::{
    Access, GET, NAME_KEY, Operation, POST, Param, REMOVE, Reply, Resource, Scalar, WRITE,
};
use crate::openapi::schema::{Components, list_of, of};
use crate::routes::api::data_sources::LoadTables;

const ADMIN: Access = Access::Permission(SystemPermission::DataSources);

const SOURCE_KEY: Param = Param {
    name: "filterByTk",
    kind: Scalar::Text,
    required: true,
    description: "The key of the data source.",
};

pub const DATA_SOURCES: Resource = Resource {
    path: "dataSources",
    description: "The main database and external databases whose tables Ferrobase serves as collections. \
        A body may also be wrapped in `{\"values\": …}`, as NocoBase clients send it.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List data sources",
            access: ADMIN,
            query: &[],
            body: None,
            reply: Reply::Page(of::<DataSourceView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One data source",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: None,
            reply: Reply::Data(of::<DataSourceView>),
        },
        Operation {
            action: "create",
            verbs: POST,
            summary: "Add an external database",
            access: ADMIN,
            query: &[],
            body: Some(of::<DataSourceInput>),
            reply: Reply::Data(of::<DataSourceView>),
        },
        Operation {
            action: "update",
            verbs: WRITE,
            summary: "Change a data source's connection settings",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: Some(of::<DataSourceInput>),
            reply: Reply::Data(of::<DataSourceView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Remove a data source (its database is left as it is)",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: None,
            reply: Reply::Null,
        },
        Operation {
            action: "testConnection",
            verbs: POST,
            summary: "Try connection settings without saving them",
            access: ADMIN,
            query: &[],
            body: Some(of::<DataSourceInput>),
            reply: Reply::Data(success),
        },
        Operation {
            action: "readTables",
            verbs: &[super::Verb::Post, super::Verb::Get],
            summary: "The tables and views of a data source's database",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: None,
            reply: Reply::Data(list_of::<TableChoice>),
        },
        Operation {
            action: "loadTables",
            verbs: POST,
            summary: "Serve tables as collections (all of them when `tables` is absent)",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: Some(of::<LoadTables>),
            reply: Reply::Data(loaded),
        },
        Operation {
            action: "refresh",
            verbs: POST,
            summary: "Compare the database with the loaded collections (nothing changes)",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: None,
            reply: Reply::Data(of::<SchemaDiff>),
        },
        Operation {
            action: "applyRefresh",
            verbs: POST,
            summary: "Bring the loaded collections in line with the database",
            access: ADMIN,
            query: &[SOURCE_KEY],
            body: None,
            reply: Reply::Data(of::<SchemaDiff>),
        },
    ],
};

pub const SOURCE_COLLECTIONS: Resource = Resource {
    path: "dataSources/{dataSourceKey}/collections",
    description: "The collections loaded from a data source, as an admin shapes them.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List a data source's collections",
            access: ADMIN,
            query: &[],
            body: None,
            reply: Reply::Data(list_of::<CollectionView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One collection of a data source",
            access: ADMIN,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Data(of::<CollectionView>),
        },
        Operation {
            action: "update",
            verbs: WRITE,
            summary: "Titles, hidden fields, record key and declared relations of a collection",
            access: ADMIN,
            query: &[NAME_KEY],
            body: Some(of::<CollectionChanges>),
            reply: Reply::Data(of::<CollectionView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Stop serving a collection (its table is left as it is)",
            access: ADMIN,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Null,
        },
    ],
};

pub const COLLECTIONS: Resource = Resource {
    path: "collections",
    description: "The collection designer: tables Ferrobase creates in its main database.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List the main data source's collections",
            access: ADMIN,
            query: &[],
            body: None,
            reply: Reply::Data(list_of::<CollectionView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One collection of the main data source",
            access: ADMIN,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Data(of::<CollectionView>),
        },
        Operation {
            action: "create",
            verbs: POST,
            summary: "Create a collection (a new table)",
            access: ADMIN,
            query: &[],
            body: Some(of::<NewCollection>),
            reply: Reply::Data(of::<CollectionView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Delete a collection and its table",
            access: ADMIN,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Null,
        },
    ],
};

pub const FIELDS: Resource = Resource {
    path: "collections/{collectionName}/fields",
    description: "Fields of a designed collection.",
    operations: &[
        Operation {
            action: "create",
            verbs: POST,
            summary: "Add a field (a new column)",
            access: ADMIN,
            query: &[],
            body: Some(of::<FieldSpec>),
            reply: Reply::Data(of::<CollectionView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Remove a field and its column",
            access: ADMIN,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Data(of::<CollectionView>),
        },
    ],
};

/// The parameters of `swagger:get` and `/api/openapi.json`.
pub const DOCUMENT_QUERY: &[Param] = &[
    Param {
        name: "ns",
        kind: Scalar::Text,
        required: false,
        description: "A part of the document: `core` (Ferrobase's own resources), `collections` \
            (every collection you may see), `collections/<name>` (one). Absent: all of it.",
    },
    Param {
        name: "dataSource",
        kind: Scalar::Text,
        required: false,
        description: "Whose collections: a data source key (default: the `X-Data-Source` header, else `main`).",
    },
];

pub const SWAGGER: Resource = Resource {
    path: "swagger",
    description: "This documentation, as NocoBase's API documentation plugin serves it.",
    operations: &[
        Operation {
            action: "get",
            verbs: GET,
            summary: "The OpenAPI document (same as `GET /api/openapi.json`)",
            access: Access::Anyone,
            query: DOCUMENT_QUERY,
            body: None,
            reply: Reply::Document,
        },
        Operation {
            action: "getUrls",
            verbs: GET,
            summary: "The parts of the document you may read, for the explorer's definition list",
            access: Access::Anyone,
            query: &[],
            body: None,
            reply: Reply::Data(document_urls),
        },
    ],
};

fn success(_: &mut Components) -> Value {
    json!({
        "type": "object",
        "required": ["success"],
        "properties": {"success": {"const": true}}
    })
}

fn loaded(_: &mut Components) -> Value {
    json!({
        "type": "object",
        "required": ["loaded"],
        "properties": {"loaded": {"type": "integer", "minimum": 0, "description": "How many tables were loaded."}}
    })
}

fn document_urls(_: &mut Components) -> Value {
    json!({
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name", "url"],
            "properties": {"name": {"type": "string"}, "url": {"type": "string"}}
        }
    })
}
