//! Health of a running Ferrobase, as the status page and `/readyz` report it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn display_name(self) -> &'static str {
        match self {
            DatabaseKind::Sqlite => "SQLite",
            DatabaseKind::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemStatus {
    pub version: String,
    pub database: DatabaseKind,
    pub database_reachable: bool,
    pub migrations_applied: u32,
    pub migrations_expected: u32,
}

impl SystemStatus {
    /// Ready to serve: the metadata store answers and every migration this
    /// binary knows has been applied.
    pub fn is_ready(&self) -> bool {
        self.database_reachable && self.migrations_applied == self.migrations_expected
    }
}
