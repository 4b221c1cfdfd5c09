//! The document being written: paths, tags and named schemas, put together
//! with the shared parts (`envelope`) at the end.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::envelope;
use super::schema::Components;
use crate::routes::api::catalog::Verb;

#[derive(Default)]
pub struct Document {
    paths: BTreeMap<String, Map<String, Value>>,
    tags: Vec<Value>,
    pub components: Components,
}

impl Document {
    /// Tag names must be unique; the first description wins.
    pub fn tag(&mut self, name: &str, description: &str) {
        if !self.tags.iter().any(|t| t["name"] == name) {
            self.tags
                .push(json!({"name": name, "description": description}));
        }
    }

    /// `path` is relative to the server URL `/api`, e.g. `/users:list`.
    pub fn operation(&mut self, path: String, verb: Verb, operation: Value) {
        self.paths
            .entry(path)
            .or_default()
            .insert(verb.as_str().to_owned(), operation);
    }

    pub fn into_json(self) -> Value {
        let mut schemas = envelope::schemas();
        schemas.extend(self.components);
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "Ferrobase API",
                "version": env!("CARGO_PKG_VERSION"),
                "description": envelope::DESCRIPTION,
            },
            "servers": [{"url": "/api"}],
            "security": envelope::signed_in(),
            "tags": self.tags,
            "paths": self.paths,
            "components": {
                "schemas": schemas,
                "parameters": envelope::parameters(),
                "responses": envelope::responses(),
                "securitySchemes": envelope::security_schemes(),
            },
        })
    }
}
