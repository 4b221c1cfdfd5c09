//! Catalog queries per engine, and the pure functions that turn their rows
//! into [`TableSchema`](crate::schema::TableSchema)s (tested on recorded
//! rows, so engines without a server here are still covered).

pub(crate) mod mysql;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::collections::HashMap;

use crate::schema::{ColumnInfo, ForeignKey, TableInfo, TableSchema};

/// Collects per-table parts into schemas in the order `tables` lists them;
/// tables that vanished between listing and reading are left out.
pub(crate) struct Assembler {
    order: Vec<TableInfo>,
    columns: HashMap<String, Vec<ColumnInfo>>,
    primary: HashMap<String, Vec<String>>,
    unique: HashMap<String, Vec<Vec<String>>>,
    foreign: HashMap<String, Vec<ForeignKey>>,
}

impl Assembler {
    pub fn new(tables: &[TableInfo]) -> Assembler {
        Assembler {
            order: tables.to_vec(),
            columns: HashMap::new(),
            primary: HashMap::new(),
            unique: HashMap::new(),
            foreign: HashMap::new(),
        }
    }

    pub fn column(&mut self, table: &str, column: ColumnInfo) {
        self.columns
            .entry(table.to_owned())
            .or_default()
            .push(column);
    }

    pub fn primary_key(&mut self, table: &str, columns: Vec<String>) {
        self.primary.insert(table.to_owned(), columns);
    }

    pub fn unique(&mut self, table: &str, columns: Vec<String>) {
        self.unique
            .entry(table.to_owned())
            .or_default()
            .push(columns);
    }

    pub fn foreign_key(&mut self, table: &str, key: ForeignKey) {
        self.foreign.entry(table.to_owned()).or_default().push(key);
    }

    pub fn finish(mut self) -> Vec<TableSchema> {
        let order = std::mem::take(&mut self.order);
        order
            .into_iter()
            .filter_map(|table| {
                let columns = self.columns.remove(&table.name)?;
                Some(TableSchema {
                    primary_key: self.primary.remove(&table.name).unwrap_or_default(),
                    unique: self.unique.remove(&table.name).unwrap_or_default(),
                    foreign_keys: self.foreign.remove(&table.name).unwrap_or_default(),
                    columns,
                    table,
                })
            })
            .collect()
    }
}

fn positive(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok()).filter(|v| *v > 0)
}
