//! Oracle catalogs (`ALL_*` views), for one owner (the configured schema,
//! or the connected user's). Every query reads the whole owner at once, as
//! for MySQL: the assembler keeps only the tables asked for.

use super::{Assembler, KeyKind, positive};
use crate::schema::{ColumnInfo, TableInfo, TableKind, TableSchema};

/// The owner as written when a user by that exact name exists, else as
/// Oracle folds an unquoted name (`hr` means `HR`). Named bind: `:name`.
pub(crate) const OWNER: &str = "SELECT COALESCE(\
    (SELECT USERNAME FROM ALL_USERS WHERE USERNAME = :name), \
    (SELECT USERNAME FROM ALL_USERS WHERE USERNAME = UPPER(:name)), \
    :name) FROM DUAL";

pub(crate) const CURRENT_OWNER: &str = "SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL";

/// Tables (not nested tables, IOT overflow segments or dropped tables in the
/// recycle bin) and views. Binds: the owner, twice.
pub(crate) const TABLES: &str = "SELECT TABLE_NAME, 'table' FROM ALL_TABLES \
    WHERE OWNER = :1 AND NESTED = 'NO' AND SECONDARY = 'N' AND DROPPED = 'NO' \
      AND (IOT_TYPE IS NULL OR IOT_TYPE = 'IOT') \
    UNION ALL SELECT VIEW_NAME, 'view' FROM ALL_VIEWS WHERE OWNER = :2";

/// `ALL_TAB_COLS` rather than `ALL_TAB_COLUMNS`: only it tells virtual
/// columns, and hidden (system) columns are left out by hand. `DATA_DEFAULT`
/// is a LONG, read as text. Bind: the owner.
pub(crate) const COLUMNS: &str = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, \
    CHAR_LENGTH, DATA_PRECISION, DATA_SCALE, NULLABLE, DATA_DEFAULT, \
    IDENTITY_COLUMN, VIRTUAL_COLUMN \
    FROM ALL_TAB_COLS WHERE OWNER = :1 AND HIDDEN_COLUMN = 'NO' \
    ORDER BY TABLE_NAME, COLUMN_ID";

/// Primary (`P`), unique (`U`) and foreign (`R`) keys, one row per column
/// in key order, with the referenced column at the same position.
/// Bind: the owner.
pub(crate) const CONSTRAINTS: &str = "SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, \
    c.CONSTRAINT_TYPE, cc.COLUMN_NAME, r.OWNER, r.TABLE_NAME, rc.COLUMN_NAME \
    FROM ALL_CONSTRAINTS c \
    JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER \
      AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND cc.TABLE_NAME = c.TABLE_NAME \
    LEFT JOIN ALL_CONSTRAINTS r ON r.OWNER = c.R_OWNER \
      AND r.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME \
    LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER \
      AND rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND rc.POSITION = cc.POSITION \
    WHERE c.OWNER = :1 AND c.CONSTRAINT_TYPE IN ('P', 'U', 'R') \
    ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME, cc.POSITION";

/// Text columns holding JSON (an `IS JSON` check) and, from 21c, columns of
/// the JSON type. The view exists from 12.1.0.2; where it does not, this
/// query fails and JSON in text columns reads as text. Bind: the owner.
pub(crate) const JSON_COLUMNS: &str =
    "SELECT TABLE_NAME, COLUMN_NAME FROM ALL_JSON_COLUMNS WHERE OWNER = :1";

#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    /// `VARCHAR2`, `NUMBER`, `TIMESTAMP(6) WITH TIME ZONE`…
    pub data_type: String,
    /// Characters, for the character types; 0 otherwise.
    pub char_length: Option<i64>,
    pub precision: Option<i64>,
    pub scale: Option<i64>,
    /// `Y` or `N`.
    pub nullable: String,
    pub default_value: Option<String>,
    /// `YES` or `NO` (12c and later).
    pub identity: Option<String>,
    /// `YES` or `NO`.
    pub virtual_column: Option<String>,
}

/// Key columns, as [`CONSTRAINTS`] lists them.
pub(crate) use super::KeyColumnRow as ConstraintRow;

pub(crate) fn tables(owner: &str, mut rows: Vec<(String, String)>) -> Vec<TableInfo> {
    // In name order by bytes, as the other engines list them.
    rows.sort();
    rows.into_iter()
        .map(|(name, kind)| TableInfo {
            schema: Some(owner.to_owned()),
            name,
            kind: TableKind::from_catalog(&kind),
        })
        .collect()
}

/// `json_columns`: (table, column) pairs from [`JSON_COLUMNS`].
pub(crate) fn assemble(
    tables: &[TableInfo],
    columns: Vec<ColumnRow>,
    constraints: Vec<ConstraintRow>,
    json_columns: &[(String, String)],
) -> Vec<TableSchema> {
    let mut assembler = Assembler::new(tables);
    for row in columns {
        let is_json = json_columns
            .iter()
            .any(|(table, column)| *table == row.table_name && *column == row.column_name);
        let db_type = if is_json {
            "json".to_owned()
        } else {
            db_type(&row)
        };
        let default = row
            .default_value
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty() && !d.eq_ignore_ascii_case("null"));
        // Identity and virtual columns, and keys filled from a sequence
        // (`DEFAULT seq.NEXTVAL`, as PostgreSQL's serial).
        let generated = row.identity.as_deref() == Some("YES")
            || row.virtual_column.as_deref() == Some("YES")
            || default.as_deref().is_some_and(|d| {
                d.to_ascii_lowercase()
                    .replace('"', "")
                    .ends_with(".nextval")
            });
        let character = is_character(&row.data_type);
        assembler.column(
            &row.table_name,
            ColumnInfo {
                name: row.column_name,
                db_type,
                nullable: row.nullable == "Y",
                default,
                max_length: if character {
                    positive(row.char_length)
                } else {
                    None
                },
                precision: positive(row.precision),
                scale: row.scale.and_then(|s| u32::try_from(s).ok()),
                generated,
                enum_values: Vec::new(),
            },
        );
    }
    assembler.key_columns(constraints, |kind| match kind {
        "P" => KeyKind::Primary,
        "U" => KeyKind::Unique,
        _ => KeyKind::Foreign,
    });
    assembler.finish()
}

fn is_character(data_type: &str) -> bool {
    matches!(data_type, "VARCHAR2" | "NVARCHAR2" | "CHAR" | "NCHAR")
}

/// The type as a CREATE TABLE would spell it, with the modifiers that
/// change its meaning: `NUMBER(10,0)` is an integer and `NUMBER(10,2)` an
/// exact decimal (always with the scale, which `types` and decoding read);
/// `INTEGER` is stored as NUMBER with no precision and scale 0.
fn db_type(row: &ColumnRow) -> String {
    let data_type = row.data_type.as_str();
    match (data_type, row.precision, row.scale) {
        ("NUMBER", Some(p), Some(s)) => format!("NUMBER({p},{s})"),
        ("NUMBER", None, Some(0)) => "NUMBER(38,0)".to_owned(),
        ("FLOAT", Some(p), _) => format!("FLOAT({p})"),
        (t, _, _) if is_character(t) => match positive(row.char_length) {
            Some(length) => format!("{t}({length})"),
            None => t.to_owned(),
        },
        _ => data_type.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::interface_for;
    use model::data::{Engine, FieldInterface};

    fn column(table: &str, name: &str, data_type: &str) -> ColumnRow {
        ColumnRow {
            table_name: table.into(),
            column_name: name.into(),
            data_type: data_type.into(),
            nullable: "Y".into(),
            identity: Some("NO".into()),
            virtual_column: Some("NO".into()),
            ..ColumnRow::default()
        }
    }

    fn key(table: &str, name: &str, kind: &str, column: &str) -> ConstraintRow {
        ConstraintRow {
            table_name: table.into(),
            name: name.into(),
            kind: kind.into(),
            column_name: column.into(),
            ..ConstraintRow::default()
        }
    }

    /// Rows as `ALL_TAB_COLS` and `ALL_CONSTRAINTS` give them for:
    /// `CREATE TABLE "posts" ("id" NUMBER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///  "title" VARCHAR2(100 CHAR) NOT NULL, "price" NUMBER(10,2), "flag" NUMBER(1),
    ///  "n" INTEGER, "ratio" FLOAT, "at" TIMESTAMP(3) WITH TIME ZONE, "body" CLOB,
    ///  "meta" CLOB CHECK ("meta" IS JSON), "code" VARCHAR2(8) UNIQUE,
    ///  "author_id" NUMBER(10) REFERENCES "users" ("id"), "made" DATE DEFAULT SYSDATE,
    ///  "seq_id" NUMBER DEFAULT "S"."NEXTVAL")`
    #[test]
    fn catalog_rows_become_schemas() {
        let tables = tables(
            "APP",
            vec![
                ("users".into(), "table".into()),
                ("posts".into(), "table".into()),
                ("post_view".into(), "view".into()),
            ],
        );
        assert_eq!(tables[0].name, "post_view");
        assert_eq!(tables[0].kind, TableKind::View);
        assert_eq!(tables[1].schema.as_deref(), Some("APP"));

        let mut id = column("posts", "id", "NUMBER");
        id.nullable = "N".into();
        id.identity = Some("YES".into());
        id.default_value = Some("\"APP\".\"ISEQ$$_73000\".nextval".into());
        let mut title = column("posts", "title", "VARCHAR2");
        title.char_length = Some(100);
        title.nullable = "N".into();
        let mut price = column("posts", "price", "NUMBER");
        (price.precision, price.scale) = (Some(10), Some(2));
        let mut flag = column("posts", "flag", "NUMBER");
        (flag.precision, flag.scale) = (Some(1), Some(0));
        let mut n = column("posts", "n", "NUMBER");
        n.scale = Some(0);
        let mut ratio = column("posts", "ratio", "FLOAT");
        ratio.precision = Some(126);
        let mut at = column("posts", "at", "TIMESTAMP(3) WITH TIME ZONE");
        at.scale = Some(3);
        let body = column("posts", "body", "CLOB");
        let meta = column("posts", "meta", "CLOB");
        let mut code = column("posts", "code", "VARCHAR2");
        code.char_length = Some(8);
        let mut author = column("posts", "author_id", "NUMBER");
        (author.precision, author.scale) = (Some(10), Some(0));
        let mut made = column("posts", "made", "DATE");
        made.default_value = Some("SYSDATE ".into());
        let mut seq_id = column("posts", "seq_id", "NUMBER");
        seq_id.default_value = Some("\"S\".\"NEXTVAL\"".into());
        let mut nulled = column("users", "name", "VARCHAR2");
        nulled.default_value = Some("NULL\n".into());
        nulled.char_length = Some(50);
        let columns = vec![
            id,
            title,
            price,
            flag,
            n,
            ratio,
            at,
            body,
            meta,
            code,
            author,
            made,
            seq_id,
            nulled,
            column("elsewhere", "x", "NUMBER"),
        ];
        let mut foreign = key("posts", "POSTS_FK", "R", "author_id");
        foreign.referenced_schema = Some("APP".into());
        foreign.referenced_table = Some("users".into());
        foreign.referenced_column = Some("id".into());
        let constraints = vec![
            key("posts", "SYS_C001", "P", "id"),
            key("posts", "SYS_C002", "U", "code"),
            foreign,
        ];
        let json = [("posts".to_owned(), "meta".to_owned())];
        let schemas = assemble(&tables, columns, constraints, &json);
        assert_eq!(
            schemas.len(),
            2,
            "the view has no column rows; elsewhere is not asked for"
        );
        let posts = &schemas[0];
        assert_eq!(posts.table.name, "posts");
        assert_eq!(posts.primary_key, ["id"]);
        assert_eq!(posts.unique, [vec!["code".to_owned()]]);
        assert_eq!(posts.foreign_keys[0].referenced_table, "users");
        assert_eq!(posts.foreign_keys[0].referenced_columns, ["id"]);
        assert_eq!(posts.foreign_keys[0].columns, ["author_id"]);

        let found = |name: &str| posts.columns.iter().find(|c| c.name == name).unwrap();
        let interface = |name: &str| interface_for(Engine::Oracle, &found(name).db_type);
        assert!(found("id").generated && !found("id").nullable);
        assert!(found("seq_id").generated);
        assert!(!found("made").generated);
        assert_eq!(found("made").default.as_deref(), Some("SYSDATE"));
        assert_eq!(found("title").db_type, "VARCHAR2(100)");
        assert_eq!(found("title").max_length, Some(100));
        assert_eq!(found("price").db_type, "NUMBER(10,2)");
        assert_eq!(found("price").scale, Some(2));
        assert_eq!(interface("id"), FieldInterface::Decimal);
        assert_eq!(interface("title"), FieldInterface::Text);
        assert_eq!(interface("price"), FieldInterface::Decimal);
        assert_eq!(interface("flag"), FieldInterface::Boolean);
        assert_eq!(interface("n"), FieldInterface::Integer);
        assert_eq!(interface("author_id"), FieldInterface::Integer);
        assert_eq!(interface("ratio"), FieldInterface::Number);
        assert_eq!(interface("at"), FieldInterface::Datetime);
        assert_eq!(interface("made"), FieldInterface::Datetime);
        assert_eq!(interface("body"), FieldInterface::LongText);
        assert_eq!(interface("meta"), FieldInterface::Json);
        assert_eq!(found("price").max_length, None);
        let users = &schemas[1];
        assert_eq!(users.columns[0].default, None, "DEFAULT NULL is no default");
    }
}
