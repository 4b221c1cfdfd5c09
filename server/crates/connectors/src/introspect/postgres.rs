//! PostgreSQL catalogs (`pg_catalog`): one query for tables, one for all
//! columns, one for all key constraints.

use super::{Assembler, positive};
use crate::schema::{ColumnInfo, ForeignKey, TableInfo, TableKind, TableSchema};

pub(crate) const TABLES: &str = "SELECT c.relname::text, \
    CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END \
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
    ORDER BY c.relname";

pub(crate) const COLUMNS: &str = "SELECT c.relname::text AS table_name, a.attname::text AS column_name, \
    format_type(a.atttypid, a.atttypmod) AS db_type, NOT a.attnotnull AS nullable, \
    pg_get_expr(d.adbin, d.adrelid) AS default_value, \
    (a.attidentity <> '' OR a.attgenerated <> '' \
      OR COALESCE(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS generated, \
    CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN (a.atttypmod - 4)::int8 END AS max_length, \
    CASE WHEN a.atttypid = 1700 AND a.atttypmod > 4 THEN (((a.atttypmod - 4) >> 16) & 65535)::int8 END AS numeric_precision, \
    CASE WHEN a.atttypid = 1700 AND a.atttypmod > 4 THEN ((a.atttypmod - 4) & 65535)::int8 END AS numeric_scale, \
    ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder) AS enum_values \
    FROM pg_attribute a \
    JOIN pg_class c ON c.oid = a.attrelid \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
    WHERE n.nspname = $1 AND c.relname::text = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped \
    ORDER BY c.relname, a.attnum";

pub(crate) const CONSTRAINTS: &str = "SELECT c.relname::text AS table_name, con.conname::text AS name, \
    con.contype::text AS kind, \
    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) \
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns, \
    fn.nspname::text AS referenced_schema, fc.relname::text AS referenced_table, \
    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) \
      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS referenced_columns \
    FROM pg_constraint con \
    JOIN pg_class c ON c.oid = con.conrelid \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
    LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
    WHERE n.nspname = $1 AND c.relname::text = ANY($2) AND con.contype IN ('p', 'u', 'f') \
    ORDER BY c.relname, con.conname";

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    pub db_type: String,
    pub nullable: bool,
    pub default_value: Option<String>,
    pub generated: bool,
    pub max_length: Option<i64>,
    pub numeric_precision: Option<i64>,
    pub numeric_scale: Option<i64>,
    pub enum_values: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConstraintRow {
    pub table_name: String,
    pub name: String,
    /// `p`rimary, `u`nique or `f`oreign.
    pub kind: String,
    pub columns: Vec<String>,
    pub referenced_schema: Option<String>,
    pub referenced_table: Option<String>,
    pub referenced_columns: Vec<String>,
}

pub(crate) fn tables(schema: Option<&str>, rows: Vec<(String, String)>) -> Vec<TableInfo> {
    rows.into_iter()
        .map(|(name, kind)| TableInfo {
            schema: Some(schema.unwrap_or("public").to_owned()),
            name,
            kind: TableKind::from_catalog(&kind),
        })
        .collect()
}

pub(crate) fn assemble(
    tables: &[TableInfo],
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
) -> Vec<TableSchema> {
    let mut assembler = Assembler::new(tables);
    for row in columns {
        assembler.column(
            &row.table_name,
            ColumnInfo {
                name: row.column_name,
                db_type: row.db_type,
                nullable: row.nullable,
                default: row.default_value,
                max_length: positive(row.max_length),
                precision: positive(row.numeric_precision),
                scale: row.numeric_scale.and_then(|s| u32::try_from(s).ok()),
                generated: row.generated,
                enum_values: row.enum_values,
            },
        );
    }
    for row in constraints {
        match row.kind.as_str() {
            "p" => assembler.primary_key(&row.table_name, row.columns),
            "u" => assembler.unique(&row.table_name, row.columns),
            _ => {
                let Some(referenced_table) = row.referenced_table else {
                    continue;
                };
                assembler.foreign_key(
                    &row.table_name,
                    ForeignKey {
                        name: row.name,
                        columns: row.columns,
                        referenced_schema: row.referenced_schema,
                        referenced_table,
                        referenced_columns: row.referenced_columns,
                    },
                );
            }
        }
    }
    assembler.finish()
}
