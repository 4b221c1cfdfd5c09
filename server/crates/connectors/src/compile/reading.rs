//! How a field is read in a SELECT, per dialect.

use model::data::FieldInterface;

use crate::dialect::Dialect;
use crate::schema::Field;

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

/// A string literal for a JSON key: field names come from the catalog, but
/// a quote in one must still not end the literal (nor, in MySQL, a backslash).
pub(super) fn string_literal(dialect: Dialect, text: &str) -> String {
    let quoted = text.replace('\'', "''");
    match dialect {
        Dialect::Mysql => format!("'{}'", quoted.replace('\\', "\\\\")),
        _ => format!("'{quoted}'"),
    }
}
