//! Catalog queries per engine, and the pure functions that turn their rows
//! into [`TableSchema`](crate::schema::TableSchema)s (tested on recorded
//! rows, so engines without a server here are still covered).

pub(crate) mod mssql;
pub(crate) mod mysql;
pub(crate) mod oracle;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::collections::HashMap;

use crate::schema::{ColumnInfo, ForeignKey, TableInfo, TableSchema};

/// One column of a key, as the MySQL, SQL Server and Oracle catalogs list
/// keys: a row per column, in key order.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub(crate) struct KeyColumnRow {
    pub table_name: String,
    pub name: String,
    /// The engine's word for the kind of key.
    pub kind: String,
    pub column_name: String,
    pub referenced_schema: Option<String>,
    pub referenced_table: Option<String>,
    pub referenced_column: Option<String>,
}

pub(crate) enum KeyKind {
    Primary,
    Unique,
    Foreign,
}

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

    /// Adds the keys whose columns `rows` list, one row per column in key
    /// order; `kind` reads the engine's word for the kind of key.
    pub fn key_columns(&mut self, rows: Vec<KeyColumnRow>, kind: impl Fn(&str) -> KeyKind) {
        let mut groups: Vec<(KeyColumnRow, Vec<String>, Vec<String>)> = Vec::new();
        for row in rows {
            let same = groups.last().is_some_and(|(c, _, _)| {
                c.table_name == row.table_name && c.kind == row.kind && c.name == row.name
            });
            if !same {
                groups.push((row.clone(), Vec::new(), Vec::new()));
            }
            if let Some((_, columns, referenced)) = groups.last_mut() {
                columns.push(row.column_name);
                referenced.extend(row.referenced_column);
            }
        }
        for (row, columns, referenced_columns) in groups {
            match kind(&row.kind) {
                KeyKind::Primary => self.primary_key(&row.table_name, columns),
                KeyKind::Unique => self.unique(&row.table_name, columns),
                KeyKind::Foreign => {
                    let Some(referenced_table) = row.referenced_table else {
                        continue;
                    };
                    self.foreign_key(
                        &row.table_name,
                        ForeignKey {
                            name: row.name,
                            columns,
                            referenced_schema: row.referenced_schema,
                            referenced_table,
                            referenced_columns,
                        },
                    );
                }
            }
        }
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
