//! MySQL and MariaDB catalogs (`information_schema`), for the connection's
//! database. Text columns are cast to CHAR: MySQL 8 hands some of them back
//! as binary strings.

use super::{Assembler, KeyKind, positive};
use crate::schema::{ColumnInfo, TableInfo, TableKind, TableSchema};

pub(crate) const TABLES: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR) \
    FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";

pub(crate) const COLUMNS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name, \
    CAST(COLUMN_NAME AS CHAR) AS column_name, CAST(COLUMN_TYPE AS CHAR) AS db_type, \
    CAST(IS_NULLABLE AS CHAR) AS nullable, CAST(COLUMN_DEFAULT AS CHAR) AS default_value, \
    CAST(EXTRA AS CHAR) AS extra, CAST(CHARACTER_MAXIMUM_LENGTH AS SIGNED) AS max_length, \
    CAST(NUMERIC_PRECISION AS SIGNED) AS numeric_precision, CAST(NUMERIC_SCALE AS SIGNED) AS numeric_scale \
    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
    ORDER BY TABLE_NAME, ORDINAL_POSITION";

pub(crate) const CONSTRAINTS: &str = "SELECT CAST(tc.TABLE_NAME AS CHAR) AS table_name, \
    CAST(tc.CONSTRAINT_NAME AS CHAR) AS name, CAST(tc.CONSTRAINT_TYPE AS CHAR) AS kind, \
    CAST(k.COLUMN_NAME AS CHAR) AS column_name, \
    CAST(k.REFERENCED_TABLE_SCHEMA AS CHAR) AS referenced_schema, \
    CAST(k.REFERENCED_TABLE_NAME AS CHAR) AS referenced_table, \
    CAST(k.REFERENCED_COLUMN_NAME AS CHAR) AS referenced_column \
    FROM information_schema.TABLE_CONSTRAINTS tc \
    JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
      AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.TABLE_NAME = tc.TABLE_NAME \
    WHERE tc.TABLE_SCHEMA = DATABASE() \
      AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') \
    ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/// MariaDB stores `JSON` as `longtext` with a `json_valid(`col`)` check;
/// the check is how a JSON column is recognised. MySQL has a real JSON type
/// and no `TABLE_NAME` here, so this query fails there and is skipped.
pub(crate) const JSON_CHECKS: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR) \
    FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
    AND CHECK_CLAUSE LIKE 'json\\_valid(%'";

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    pub db_type: String,
    pub nullable: String,
    pub default_value: Option<String>,
    pub extra: Option<String>,
    pub max_length: Option<i64>,
    pub numeric_precision: Option<i64>,
    pub numeric_scale: Option<i64>,
}

/// Key columns, as [`CONSTRAINTS`] lists them.
pub(crate) use super::KeyColumnRow as ConstraintRow;

pub(crate) fn tables(mut rows: Vec<(String, String)>) -> Vec<TableInfo> {
    // In name order by bytes, as the other engines list them; the
    // catalog's own collation puts `shops` before `shop_kinds`.
    rows.sort();
    rows.into_iter()
        .map(|(name, kind)| TableInfo {
            schema: None,
            name,
            kind: TableKind::from_catalog(&kind),
        })
        .collect()
}

/// `json_checks`: (table, check clause) pairs from [`JSON_CHECKS`].
pub(crate) fn assemble(
    tables: &[TableInfo],
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
    json_checks: &[(String, String)],
) -> Vec<TableSchema> {
    let mut assembler = Assembler::new(tables);
    for row in columns {
        let extra = row.extra.unwrap_or_default().to_ascii_lowercase();
        // MariaDB reports "no default" on nullable columns as the text NULL.
        let default = row.default_value.filter(|d| d != "NULL");
        let json_check = format!("json_valid(`{}`)", row.column_name.replace('`', "``"));
        let is_json = row.db_type == "longtext"
            && json_checks
                .iter()
                .any(|(table, clause)| *table == row.table_name && *clause == json_check);
        // MySQL 8 marks expression defaults (CURRENT_TIMESTAMP) DEFAULT_GENERATED.
        let generated = extra.contains("auto_increment")
            || extra.contains("virtual generated")
            || extra.contains("stored generated")
            || extra.contains("persistent generated");
        assembler.column(
            &row.table_name,
            ColumnInfo {
                enum_values: enum_values(&row.db_type),
                name: row.column_name,
                db_type: if is_json {
                    "json".to_owned()
                } else {
                    row.db_type
                },
                nullable: row.nullable == "YES",
                default,
                max_length: positive(row.max_length),
                precision: positive(row.numeric_precision),
                scale: row.numeric_scale.and_then(|s| u32::try_from(s).ok()),
                generated,
            },
        );
    }
    assembler.key_columns(constraints, |kind| match kind {
        "PRIMARY KEY" => KeyKind::Primary,
        "UNIQUE" => KeyKind::Unique,
        _ => KeyKind::Foreign,
    });
    assembler.finish()
}

/// The labels of `enum('a','b''c')`.
pub(crate) fn enum_values(db_type: &str) -> Vec<String> {
    let Some(inner) = db_type
        .strip_prefix("enum(")
        .and_then(|rest| rest.strip_suffix(')'))
    else {
        return Vec::new();
    };
    let mut values = Vec::new();
    let mut current = String::new();
    let mut chars = inner.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('\'', false) => quoted = true,
            ('\'', true) if chars.peek() == Some(&'\'') => {
                current.push('\'');
                chars.next();
            }
            ('\'', true) => {
                quoted = false;
                values.push(std::mem::take(&mut current));
            }
            (c, true) => current.push(c),
            _ => {}
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_labels_unquote() {
        assert_eq!(enum_values("enum('a','b''c','d,e')"), ["a", "b'c", "d,e"]);
        assert!(enum_values("varchar(3)").is_empty());
    }
}
