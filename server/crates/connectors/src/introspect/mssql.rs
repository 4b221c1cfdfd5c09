//! SQL Server catalogs, for one schema (the connection user's default
//! schema, usually `dbo`, when none is configured). Columns come from
//! `INFORMATION_SCHEMA` (it names alias types by their base type); keys and
//! foreign keys from `sys.*`, which also knows unique indexes and foreign
//! keys that point at them. Every query takes the schema as `@P1`.

use super::{Assembler, KeyKind, positive};
use crate::schema::{ColumnInfo, TableInfo, TableKind, TableSchema};

pub(crate) const TABLES: &str = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE \
    FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(@P1, SCHEMA_NAME())";

pub(crate) const COLUMNS: &str = "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.IS_NULLABLE, \
    c.COLUMN_DEFAULT, CAST(c.CHARACTER_MAXIMUM_LENGTH AS bigint), \
    CAST(c.NUMERIC_PRECISION AS bigint), CAST(c.NUMERIC_SCALE AS bigint), \
    CAST(COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + '.' + QUOTENAME(c.TABLE_NAME)), \
      c.COLUMN_NAME, 'IsIdentity') AS bigint), \
    CAST(COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + '.' + QUOTENAME(c.TABLE_NAME)), \
      c.COLUMN_NAME, 'IsComputed') AS bigint) \
    FROM INFORMATION_SCHEMA.COLUMNS c WHERE c.TABLE_SCHEMA = COALESCE(@P1, SCHEMA_NAME()) \
    ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

/// Primary keys and unique indexes (unique constraints are unique indexes;
/// a filtered one is not unique over the whole table), then foreign keys,
/// one row per column in key order.
pub(crate) const CONSTRAINTS: &str = "SELECT o.name, i.name, \
    CASE WHEN i.is_primary_key = 1 THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, c.name, \
    CAST(NULL AS sysname), CAST(NULL AS sysname), CAST(NULL AS sysname), CAST(ic.key_ordinal AS bigint) \
    FROM sys.indexes i \
    JOIN sys.objects o ON o.object_id = i.object_id \
    JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id \
      AND ic.is_included_column = 0 \
    JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id \
    WHERE o.schema_id = SCHEMA_ID(COALESCE(@P1, SCHEMA_NAME())) AND o.type IN ('U', 'V') \
      AND (i.is_primary_key = 1 OR (i.is_unique = 1 AND i.has_filter = 0)) \
    UNION ALL \
    SELECT o.name, fk.name, 'FOREIGN KEY', pc.name, SCHEMA_NAME(r.schema_id), r.name, rc.name, \
      CAST(fkc.constraint_column_id AS bigint) \
    FROM sys.foreign_keys fk \
    JOIN sys.objects o ON o.object_id = fk.parent_object_id \
    JOIN sys.objects r ON r.object_id = fk.referenced_object_id \
    JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id \
    JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id \
    JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id \
      AND rc.column_id = fkc.referenced_column_id \
    WHERE o.schema_id = SCHEMA_ID(COALESCE(@P1, SCHEMA_NAME())) \
    ORDER BY 1, 3, 2, 8";

/// A row of [`COLUMNS`], in its column order.
#[derive(Debug, Clone)]
pub(crate) struct ColumnRow {
    pub table_name: String,
    pub column_name: String,
    /// `DATA_TYPE`: the base type's name, without length or precision.
    pub data_type: String,
    pub nullable: String,
    pub default_value: Option<String>,
    /// In characters (bytes for binary types); -1 for `max`.
    pub max_length: Option<i64>,
    pub numeric_precision: Option<i64>,
    pub numeric_scale: Option<i64>,
    pub is_identity: Option<i64>,
    pub is_computed: Option<i64>,
}

/// Key columns, as [`CONSTRAINTS`] lists them.
pub(crate) use super::KeyColumnRow as ConstraintRow;

/// `rows`: (schema, name, `BASE TABLE` or `VIEW`) from [`TABLES`].
pub(crate) fn tables(mut rows: Vec<(String, String, String)>) -> Vec<TableInfo> {
    // In name order by bytes, as the other engines list them, whatever the
    // database's collation.
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    rows.into_iter()
        .map(|(schema, name, kind)| TableInfo {
            schema: Some(schema),
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
        let db_type = db_type(&row);
        // A rowversion is written by the server on every change.
        let generated = row.is_identity == Some(1)
            || row.is_computed == Some(1)
            || row.data_type == "timestamp";
        assembler.column(
            &row.table_name,
            ColumnInfo {
                name: row.column_name,
                nullable: row.nullable == "YES",
                default: row.default_value,
                max_length: positive(row.max_length).filter(|_| !db_type.ends_with("(max)")),
                precision: positive(row.numeric_precision),
                scale: row.numeric_scale.and_then(|s| u32::try_from(s).ok()),
                generated,
                enum_values: Vec::new(),
                db_type,
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

/// The type as written in DDL: `nvarchar(50)`, `nvarchar(max)`,
/// `decimal(10,2)`; other types by name alone.
fn db_type(row: &ColumnRow) -> String {
    let base = row.data_type.to_ascii_lowercase();
    match base.as_str() {
        "char" | "varchar" | "nchar" | "nvarchar" | "binary" | "varbinary" => {
            match row.max_length {
                Some(-1) => format!("{base}(max)"),
                Some(length) if length > 0 => format!("{base}({length})"),
                _ => base,
            }
        }
        "decimal" | "numeric" => match (row.numeric_precision, row.numeric_scale) {
            (Some(precision), Some(scale)) => format!("{base}({precision},{scale})"),
            _ => base,
        },
        _ => base,
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
            nullable: "YES".into(),
            default_value: None,
            max_length: None,
            numeric_precision: None,
            numeric_scale: None,
            is_identity: Some(0),
            is_computed: Some(0),
        }
    }

    fn constraint(table: &str, name: &str, kind: &str, column: &str) -> ConstraintRow {
        ConstraintRow {
            table_name: table.into(),
            name: name.into(),
            kind: kind.into(),
            column_name: column.into(),
            referenced_schema: None,
            referenced_table: None,
            referenced_column: None,
        }
    }

    /// Rows as SQL Server 2022 answers the catalog queries for
    /// `users (id int IDENTITY PRIMARY KEY, email nvarchar(80) UNIQUE, bio nvarchar(max))`
    /// and `posts (id bigint PRIMARY KEY, price decimal(10,2) NOT NULL DEFAULT 0,
    /// author_id int REFERENCES users, ver rowversion, a int, b int, UNIQUE (a, b))`.
    #[test]
    fn catalog_rows_become_schemas() {
        let tables = tables(vec![
            ("dbo".into(), "users".into(), "BASE TABLE".into()),
            ("dbo".into(), "posts".into(), "BASE TABLE".into()),
            ("dbo".into(), "post_view".into(), "VIEW".into()),
        ]);
        assert_eq!(
            tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["post_view", "posts", "users"]
        );
        assert_eq!(tables[0].kind, TableKind::View);
        assert_eq!(tables[1].schema.as_deref(), Some("dbo"));

        let mut user_id = column("users", "id", "int");
        user_id.nullable = "NO".into();
        user_id.is_identity = Some(1);
        user_id.numeric_precision = Some(10);
        user_id.numeric_scale = Some(0);
        let mut email = column("users", "email", "nvarchar");
        email.max_length = Some(80);
        let mut bio = column("users", "bio", "nvarchar");
        bio.max_length = Some(-1);
        let mut price = column("posts", "price", "decimal");
        price.nullable = "NO".into();
        price.default_value = Some("((0))".into());
        price.numeric_precision = Some(10);
        price.numeric_scale = Some(2);
        let mut version = column("posts", "ver", "timestamp");
        version.nullable = "NO".into();
        let columns = vec![
            column("posts", "id", "bigint"),
            price,
            column("posts", "author_id", "int"),
            version,
            column("posts", "a", "int"),
            column("posts", "b", "int"),
            user_id,
            email,
            bio,
        ];
        let mut author = constraint("posts", "FK_posts_author", "FOREIGN KEY", "author_id");
        author.referenced_schema = Some("dbo".into());
        author.referenced_table = Some("users".into());
        author.referenced_column = Some("id".into());
        let constraints = vec![
            author,
            constraint("posts", "PK_posts", "PRIMARY KEY", "id"),
            constraint("posts", "UQ_posts_ab", "UNIQUE", "a"),
            constraint("posts", "UQ_posts_ab", "UNIQUE", "b"),
            constraint("users", "PK_users", "PRIMARY KEY", "id"),
            constraint("users", "UQ_users_email", "UNIQUE", "email"),
        ];
        let schemas = assemble(&tables[1..], columns, constraints);
        let (posts, users) = (&schemas[0], &schemas[1]);

        assert_eq!(posts.primary_key, ["id"]);
        assert_eq!(posts.unique, [vec!["a".to_owned(), "b".to_owned()]]);
        assert_eq!(posts.foreign_keys.len(), 1);
        assert_eq!(posts.foreign_keys[0].columns, ["author_id"]);
        assert_eq!(posts.foreign_keys[0].referenced_table, "users");
        assert_eq!(posts.foreign_keys[0].referenced_columns, ["id"]);
        let price = &posts.columns[1];
        assert_eq!(price.db_type, "decimal(10,2)");
        assert!(!price.nullable);
        assert_eq!(price.default.as_deref(), Some("((0))"));
        assert_eq!((price.precision, price.scale), (Some(10), Some(2)));
        let version = &posts.columns[3];
        assert!(version.generated, "a rowversion is never written");

        assert_eq!(users.primary_key, ["id"]);
        assert_eq!(users.unique, [vec!["email".to_owned()]]);
        assert!(users.columns[0].generated, "identity");
        assert_eq!(users.columns[1].db_type, "nvarchar(80)");
        assert_eq!(users.columns[1].max_length, Some(80));
        assert_eq!(users.columns[2].db_type, "nvarchar(max)");
        assert_eq!(users.columns[2].max_length, None);

        let interface = |c: &ColumnInfo| interface_for(Engine::Mssql, &c.db_type);
        assert_eq!(interface(price), FieldInterface::Decimal);
        assert_eq!(interface(version), FieldInterface::Unsupported);
        assert_eq!(interface(&users.columns[1]), FieldInterface::Text);
        assert_eq!(interface(&users.columns[2]), FieldInterface::LongText);
    }
}
