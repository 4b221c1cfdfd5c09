//! How a field is read in a SELECT, per dialect, and related records as
//! JSON subqueries (appends).

use model::data::FieldInterface;

use super::select::{Append, MAX_APPENDED_ROWS};
use super::{Builder, ROOT};
use crate::dialect::Dialect;
use crate::schema::{Field, Relation, RelationKind};

/// How a field is read: exact decimals and unsupported types as text,
/// binary as hex, everything else as the database gives it. JSON is read as
/// its text too: embedded in the row's JSON, a document that is a string
/// (`"[1]"`) could not be told from the document it spells.
pub(super) fn read_expression(dialect: Dialect, column: &str, field: &Field) -> String {
    use FieldInterface::{Binary, Decimal, Json, Unsupported};
    match (dialect, field.interface) {
        (Dialect::Postgres, Decimal | Json | Unsupported) => format!("CAST({column} AS text)"),
        (Dialect::Postgres, Binary) => format!("encode({column}, 'hex')"),
        (Dialect::Mysql, Unsupported) => mysql_unsupported(column, &field.db_type),
        (Dialect::Mysql, Decimal | Json) => format!("CAST({column} AS CHAR)"),
        (Dialect::Mysql | Dialect::Sqlite, Binary) => {
            format!("LOWER(HEX({column}))")
        }
        _ => column.to_owned(),
    }
}

/// MySQL casts most types to text, but refuses to for spatial types.
fn mysql_unsupported(column: &str, db_type: &str) -> String {
    const SPATIAL: [&str; 8] = [
        "geometry",
        "point",
        "linestring",
        "polygon",
        "multipoint",
        "multilinestring",
        "multipolygon",
        "geometrycollection",
    ];
    let base = db_type.split('(').next().unwrap_or_default().trim();
    if SPATIAL.iter().any(|t| base.eq_ignore_ascii_case(t)) {
        format!("ST_AsText({column})")
    } else if base.eq_ignore_ascii_case("bit") {
        format!("BIN({column})")
    } else {
        format!("CAST({column} AS CHAR)")
    }
}

/// A correlated subquery giving the related record as JSON (or a JSON
/// array of related records).
pub(super) fn append_expression(b: &mut Builder, relation: &Relation, append: &Append) -> String {
    let dialect = b.dialect;
    let alias = b.next_alias();
    let Some(target) = b.catalog.collection(&relation.target) else {
        return "NULL".to_owned();
    };
    let (outer, inner) = match relation.kind {
        RelationKind::ManyToOne => (&relation.foreign_key, &relation.target_key),
        RelationKind::OneToMany => (&relation.target_key, &relation.foreign_key),
    };
    let from = format!(
        "FROM {} {} WHERE {} = {}",
        b.table(target),
        dialect.quote(&alias),
        b.column(&alias, inner),
        b.column(ROOT, outer)
    );
    let pairs: Vec<String> = append
        .fields
        .iter()
        .map(|field| {
            let column = b.column(&alias, &field.name);
            format!(
                "{}, {}",
                string_literal(dialect, &field.name),
                read_expression(dialect, &column, field)
            )
        })
        .collect();
    let pairs = pairs.join(", ");
    let limit = if append.many { MAX_APPENDED_ROWS } else { 1 };
    // Related lists in key order, so the same records are cut off everywhere.
    let target_key = match target.key.as_slice() {
        [key] if append.many => Some(key),
        _ => None,
    };
    let order = target_key
        .map(|key| format!(" ORDER BY {}", b.column(&alias, key)))
        .unwrap_or_default();
    match dialect {
        Dialect::Postgres => {
            let columns: Vec<String> = append
                .fields
                .iter()
                .map(|field| {
                    let column = b.column(&alias, &field.name);
                    format!(
                        "{} AS {}",
                        read_expression(dialect, &column, field),
                        dialect.quote(&field.name)
                    )
                })
                .collect();
            let inner = format!("SELECT {} {from}{order} LIMIT {limit}", columns.join(", "));
            if append.many {
                format!("(SELECT COALESCE(json_agg(row_to_json(a)), '[]') FROM ({inner}) a)")
            } else {
                format!("(SELECT row_to_json(a) FROM ({inner}) a)")
            }
        }
        // MariaDB refuses outer columns inside a derived table, so the list
        // is cut off at the key of its last allowed record instead of LIMIT.
        Dialect::Mysql if append.many => {
            let cutoff = match target_key {
                Some(key_name) => {
                    let last = b.next_alias();
                    let key = b.column(&alias, key_name);
                    let last_key = b.column(&last, key_name);
                    format!(
                        " AND {key} <= COALESCE((SELECT {last_key} FROM {} {} WHERE {} = {} ORDER BY {last_key} LIMIT 1 OFFSET {}), {key})",
                        b.table(target),
                        dialect.quote(&last),
                        b.column(&last, inner),
                        b.column(ROOT, outer),
                        limit - 1
                    )
                }
                None => String::new(),
            };
            format!(
                "(SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT({pairs})), JSON_ARRAY()) {from}{cutoff})"
            )
        }
        Dialect::Mysql => format!("(SELECT JSON_OBJECT({pairs}) {from} LIMIT 1)"),
        Dialect::Sqlite if append.many => format!(
            "(SELECT json_group_array(json(a.j)) FROM (SELECT json_object({pairs}) AS j {from}{order} LIMIT {limit}) a)"
        ),
        Dialect::Sqlite => format!("(SELECT json_object({pairs}) {from} LIMIT 1)"),
        // Not yet composed for these engines: the relation reads as null.
        Dialect::Mssql | Dialect::Oracle => "NULL".to_owned(),
    }
}

/// A string literal for a JSON key: field names come from the catalog, but
/// a quote in one must still not end the literal (nor, in MySQL, a backslash).
pub(super) fn string_literal(dialect: Dialect, text: &str) -> String {
    let quoted = text.replace('\'', "''");
    match dialect {
        Dialect::Mysql => format!("'{}'", quoted.replace('\\', "\\\\")),
        _ => format!("'{quoted}'"),
    }
}
