//! Which field interface each database type gets, per engine. A type not
//! listed here is `Unsupported`: shown as text, never written.

use model::data::{Engine, FieldInterface};

/// `db_type` as introspection reports it (`character varying(80)`,
/// `tinyint(1)`, `NUMBER(10,0)`); modifiers matter only where they change
/// the meaning (MySQL `tinyint(1)` is a boolean, Oracle `NUMBER(p,0)` an integer).
pub fn interface_for(engine: Engine, db_type: &str) -> FieldInterface {
    let full = db_type.trim().to_ascii_lowercase();
    let base = full.split('(').next().unwrap_or_default().trim().to_owned();
    // MySQL appends attributes: `bigint unsigned`, `int(11) unsigned zerofill`.
    let first_word = base.split_whitespace().next().unwrap_or_default();
    match engine {
        Engine::Postgres | Engine::Kingbase => postgres(&base),
        Engine::Mysql | Engine::Mariadb => mysql(first_word, &full),
        Engine::Sqlite => sqlite(&base),
        Engine::Mssql => mssql(&base, &full),
        Engine::Oracle => oracle(&base, &full),
    }
}

fn postgres(base: &str) -> FieldInterface {
    use FieldInterface::*;
    if base.ends_with("[]") {
        return Unsupported;
    }
    match base {
        "smallint" | "integer" | "bigint" | "int" | "int2" | "int4" | "int8" | "smallserial"
        | "serial" | "bigserial" => Integer,
        "real" | "double precision" | "float4" | "float8" => Number,
        "numeric" | "decimal" => Decimal,
        "boolean" | "bool" => Boolean,
        "date" => Date,
        "timestamp without time zone"
        | "timestamp with time zone"
        | "timestamp"
        | "timestamptz" => Datetime,
        "time without time zone" | "time with time zone" | "time" | "timetz" => Time,
        "json" | "jsonb" => Json,
        "uuid" => Uuid,
        "bytea" => Binary,
        "text" | "citext" => LongText,
        "character varying" | "varchar" | "character" | "char" | "bpchar" | "name" => Text,
        _ => Unsupported,
    }
}

fn mysql(base: &str, full: &str) -> FieldInterface {
    use FieldInterface::*;
    if full.starts_with("tinyint(1)") || base == "bool" || base == "boolean" {
        return Boolean;
    }
    match base {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "year" => Integer,
        "float" | "double" | "real" | "double precision" => Number,
        "decimal" | "numeric" | "dec" => Decimal,
        "date" => Date,
        "datetime" | "timestamp" => Datetime,
        "time" => Time,
        "json" => Json,
        "enum" => Enum,
        "char" | "varchar" => Text,
        "tinytext" | "text" | "mediumtext" | "longtext" => LongText,
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => Binary,
        // MariaDB 10.7+.
        "uuid" => Uuid,
        _ => Unsupported,
    }
}

/// SQLite has type affinity, not types: the declared name decides, first by
/// the names people use for dates and booleans, then by SQLite's own rules.
fn sqlite(base: &str) -> FieldInterface {
    use FieldInterface::*;
    match base {
        "boolean" | "bool" => return Boolean,
        "date" => return Date,
        "datetime" | "timestamp" => return Datetime,
        "time" => return Time,
        "json" | "jsonb" => return Json,
        "uuid" => return Uuid,
        "decimal" | "numeric" => return Decimal,
        _ => {}
    }
    if base.contains("int") {
        Integer
    } else if base.contains("char") || base.contains("clob") {
        Text
    } else if base.contains("text") {
        LongText
    } else if base.contains("real") || base.contains("floa") || base.contains("doub") {
        Number
    } else if base.contains("blob") {
        Binary
    } else {
        Unsupported
    }
}

fn mssql(base: &str, full: &str) -> FieldInterface {
    use FieldInterface::*;
    match base {
        "bit" => Boolean,
        "tinyint" | "smallint" | "int" | "bigint" => Integer,
        "float" | "real" => Number,
        "decimal" | "numeric" | "money" | "smallmoney" => Decimal,
        "date" => Date,
        "datetime" | "datetime2" | "smalldatetime" | "datetimeoffset" => Datetime,
        "time" => Time,
        "varchar" | "nvarchar" if full.contains("(max)") => LongText,
        "char" | "varchar" | "nchar" | "nvarchar" => Text,
        "text" | "ntext" => LongText,
        "uniqueidentifier" => Uuid,
        "binary" | "varbinary" | "image" => Binary,
        _ => Unsupported,
    }
}

fn oracle(base: &str, full: &str) -> FieldInterface {
    use FieldInterface::*;
    match base {
        // NUMBER(1) is how Oracle schemas spelt a flag before 23ai's
        // BOOLEAN, as MySQL's tinyint(1): read and written as 0 and 1.
        "number" if full == "number(1,0)" => Boolean,
        "boolean" => Boolean,
        "number" if full.ends_with(",0)") => Integer,
        "number" => Decimal,
        "integer" | "smallint" => Integer,
        "binary_float" | "binary_double" | "float" => Number,
        "date" => Datetime,
        "varchar2" | "nvarchar2" | "char" | "nchar" => Text,
        "clob" | "nclob" => LongText,
        "raw" | "blob" => Binary,
        "json" => Json,
        b if b.starts_with("timestamp") => Datetime,
        _ => Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FieldInterface::*;

    #[test]
    fn postgres_types() {
        let cases = [
            ("integer", Integer),
            ("bigint", Integer),
            ("character varying(80)", Text),
            ("text", LongText),
            ("numeric(10,2)", Decimal),
            ("double precision", Number),
            ("boolean", Boolean),
            ("timestamp with time zone", Datetime),
            ("date", Date),
            ("time without time zone", Time),
            ("jsonb", Json),
            ("uuid", Uuid),
            ("bytea", Binary),
            ("integer[]", Unsupported),
            ("tsvector", Unsupported),
            ("point", Unsupported),
        ];
        for (db_type, expected) in cases {
            assert_eq!(
                interface_for(Engine::Postgres, db_type),
                expected,
                "{db_type}"
            );
            assert_eq!(
                interface_for(Engine::Kingbase, db_type),
                expected,
                "{db_type}"
            );
        }
    }

    #[test]
    fn mysql_types() {
        let cases = [
            ("tinyint(1)", Boolean),
            ("tinyint(4)", Integer),
            ("int(11)", Integer),
            ("bigint unsigned", Integer),
            ("varchar(255)", Text),
            ("longtext", LongText),
            ("decimal(12,2)", Decimal),
            ("double", Number),
            ("datetime(3)", Datetime),
            ("enum('a','b')", Enum),
            ("json", Json),
            ("blob", Binary),
            ("set('a','b')", Unsupported),
            ("geometry", Unsupported),
        ];
        for (db_type, expected) in cases {
            assert_eq!(interface_for(Engine::Mysql, db_type), expected, "{db_type}");
        }
    }

    #[test]
    fn sqlite_types_follow_affinity() {
        let cases = [
            ("INTEGER", Integer),
            ("BIGINT", Integer),
            ("VARCHAR(20)", Text),
            ("TEXT", LongText),
            ("REAL", Number),
            ("BOOLEAN", Boolean),
            ("DATETIME", Datetime),
            ("DATE", Date),
            ("JSON", Json),
            ("BLOB", Binary),
            ("", Unsupported),
        ];
        for (db_type, expected) in cases {
            assert_eq!(
                interface_for(Engine::Sqlite, db_type),
                expected,
                "{db_type}"
            );
        }
    }

    #[test]
    fn mssql_and_oracle_types() {
        assert_eq!(interface_for(Engine::Mssql, "bit"), Boolean);
        assert_eq!(interface_for(Engine::Mssql, "nvarchar(max)"), LongText);
        assert_eq!(interface_for(Engine::Mssql, "nvarchar(40)"), Text);
        assert_eq!(interface_for(Engine::Mssql, "uniqueidentifier"), Uuid);
        assert_eq!(interface_for(Engine::Mssql, "xml"), Unsupported);
        assert_eq!(interface_for(Engine::Oracle, "NUMBER(10,0)"), Integer);
        assert_eq!(interface_for(Engine::Oracle, "NUMBER(10,2)"), Decimal);
        assert_eq!(interface_for(Engine::Oracle, "NUMBER(1,0)"), Boolean);
        assert_eq!(interface_for(Engine::Oracle, "BOOLEAN"), Boolean);
        assert_eq!(interface_for(Engine::Oracle, "FLOAT(126)"), Number);
        assert_eq!(
            interface_for(Engine::Oracle, "TIMESTAMP(6) WITH TIME ZONE"),
            Datetime
        );
        assert_eq!(interface_for(Engine::Oracle, "VARCHAR2(100)"), Text);
        assert_eq!(interface_for(Engine::Oracle, "SDO_GEOMETRY"), Unsupported);
    }
}
