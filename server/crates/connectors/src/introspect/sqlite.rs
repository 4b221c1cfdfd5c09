//! SQLite: `sqlite_schema` and the table-valued pragmas, a few queries for
//! the whole file.

use super::Assembler;
use crate::schema::{ColumnInfo, ForeignKey, TableInfo, TableKind, TableSchema};

pub(crate) const TABLES: &str = "SELECT name, type FROM sqlite_schema \
    WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
    AND name NOT LIKE '\\_sqlx\\_%' ESCAPE '\\' ORDER BY name";

/// `hidden` is 2 or 3 for generated columns.
pub(crate) const COLUMNS: &str = "SELECT m.name AS table_name, p.name AS column_name, \
    p.type AS db_type, p.\"notnull\" AS not_null, p.dflt_value AS default_value, p.pk AS pk, \
    p.hidden AS hidden \
    FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p \
    WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid";

/// Unique constraints and unique indexes (not the primary key's).
pub(crate) const UNIQUE: &str = "SELECT m.name AS table_name, l.name AS index_name, i.name AS column_name \
    FROM sqlite_schema m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i \
    WHERE m.type = 'table' AND l.\"unique\" = 1 AND l.origin <> 'pk' AND l.partial = 0 \
    ORDER BY m.name, l.name, i.seqno";

pub(crate) const FOREIGN_KEYS: &str = "SELECT m.name AS table_name, f.id AS id, f.\"table\" AS referenced_table, \
    f.\"from\" AS column_name, f.\"to\" AS referenced_column \
    FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f \
    WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq";

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    pub db_type: String,
    pub not_null: i64,
    pub default_value: Option<String>,
    pub pk: i64,
    pub hidden: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UniqueRow {
    pub table_name: String,
    pub index_name: String,
    pub column_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ForeignKeyRow {
    pub table_name: String,
    pub id: i64,
    pub referenced_table: String,
    pub column_name: String,
    /// Null when the key points at the referenced table's primary key.
    pub referenced_column: Option<String>,
}

pub(crate) fn tables(rows: Vec<(String, String)>) -> Vec<TableInfo> {
    rows.into_iter()
        .map(|(name, kind)| TableInfo {
            schema: None,
            name,
            kind: TableKind::from_catalog(&kind),
        })
        .collect()
}

pub(crate) fn assemble(
    tables: &[TableInfo],
    columns: Vec<ColumnRow>,
    unique: Vec<UniqueRow>,
    foreign: Vec<ForeignKeyRow>,
) -> Vec<TableSchema> {
    let wanted: std::collections::HashSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    // Every table's key columns in key order, for foreign keys that name none.
    let mut primary_keys: Vec<(String, i64, String)> = columns
        .iter()
        .filter(|r| r.pk > 0)
        .map(|r| (r.table_name.clone(), r.pk, r.column_name.clone()))
        .collect();
    primary_keys.sort();
    let mut assembler = Assembler::new(tables);
    let mut primary: Vec<(String, i64, String, String)> = Vec::new();
    for row in columns
        .iter()
        .filter(|r| wanted.contains(r.table_name.as_str()))
    {
        if row.pk > 0 {
            primary.push((
                row.table_name.clone(),
                row.pk,
                row.column_name.clone(),
                row.db_type.clone(),
            ));
        }
    }
    primary.sort();
    for row in columns
        .into_iter()
        .filter(|r| wanted.contains(r.table_name.as_str()))
    {
        let keys: Vec<&(String, i64, String, String)> =
            primary.iter().filter(|p| p.0 == row.table_name).collect();
        // A lone INTEGER PRIMARY KEY is the rowid: SQLite fills it in.
        let rowid = keys.len() == 1
            && keys[0].2 == row.column_name
            && row.db_type.eq_ignore_ascii_case("integer");
        assembler.column(
            &row.table_name,
            ColumnInfo {
                name: row.column_name,
                db_type: row.db_type,
                nullable: row.not_null == 0 && row.pk == 0,
                default: row.default_value,
                max_length: None,
                precision: None,
                scale: None,
                generated: rowid || row.hidden >= 2,
                enum_values: Vec::new(),
            },
        );
    }
    let mut tables_with_keys: Vec<String> = primary.iter().map(|p| p.0.clone()).collect();
    tables_with_keys.dedup();
    for table in tables_with_keys {
        let columns = primary
            .iter()
            .filter(|p| p.0 == table)
            .map(|p| p.2.clone())
            .collect();
        assembler.primary_key(&table, columns);
    }
    let mut groups: Vec<(String, String, Vec<String>)> = Vec::new();
    for row in unique
        .into_iter()
        .filter(|r| wanted.contains(r.table_name.as_str()))
    {
        match groups.last_mut() {
            Some((table, index, columns))
                if *table == row.table_name && *index == row.index_name =>
            {
                columns.push(row.column_name);
            }
            _ => groups.push((row.table_name, row.index_name, vec![row.column_name])),
        }
    }
    for (table, _, columns) in groups {
        assembler.unique(&table, columns);
    }
    let mut keys: Vec<(String, i64, ForeignKey)> = Vec::new();
    for row in foreign
        .into_iter()
        .filter(|r| wanted.contains(r.table_name.as_str()))
    {
        match keys.last_mut() {
            Some((table, id, key)) if *table == row.table_name && *id == row.id => {
                key.columns.push(row.column_name);
                key.referenced_columns.extend(row.referenced_column);
            }
            _ => keys.push((
                row.table_name.clone(),
                row.id,
                ForeignKey {
                    name: format!("{}_fk_{}", row.table_name, row.id),
                    columns: vec![row.column_name],
                    referenced_schema: None,
                    referenced_table: row.referenced_table,
                    referenced_columns: row.referenced_column.into_iter().collect(),
                },
            )),
        }
    }
    for (table, _, mut key) in keys {
        // `REFERENCES t` without columns means t's primary key.
        if key.referenced_columns.is_empty() {
            key.referenced_columns = primary_keys
                .iter()
                .filter(|(t, _, _)| *t == key.referenced_table)
                .map(|(_, _, column)| column.clone())
                .collect();
        }
        assembler.foreign_key(&table, key);
    }
    assembler.finish()
}
