//! What differs between SQL dialects in the statements Ferrobase builds:
//! quoting, placeholders, casts, case-insensitive matching, null ordering
//! and paging. Everything else in `compile` is shared.

use model::data::{Engine, FieldInterface};

use crate::schema::Field;
use crate::value::SqlValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PostgreSQL and KingbaseES (in its PostgreSQL mode).
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
    Sqlite,
    Mssql,
    Oracle,
}

impl Dialect {
    pub fn for_engine(engine: Engine) -> Dialect {
        match engine {
            Engine::Postgres | Engine::Kingbase => Dialect::Postgres,
            Engine::Mysql | Engine::Mariadb => Dialect::Mysql,
            Engine::Sqlite => Dialect::Sqlite,
            Engine::Mssql => Dialect::Mssql,
            Engine::Oracle => Dialect::Oracle,
        }
    }

    /// Quotes an identifier, doubling the closing quote inside it.
    pub fn quote(self, ident: &str) -> String {
        match self {
            Dialect::Mysql => format!("`{}`", ident.replace('`', "``")),
            Dialect::Mssql => format!("[{}]", ident.replace(']', "]]")),
            _ => format!("\"{}\"", ident.replace('"', "\"\"")),
        }
    }

    pub fn table(self, schema: Option<&str>, table: &str) -> String {
        match schema {
            Some(schema) if !schema.is_empty() && self != Dialect::Sqlite => {
                format!("{}.{}", self.quote(schema), self.quote(table))
            }
            _ => self.quote(table),
        }
    }

    /// The placeholder for the `n`th parameter (1-based). PostgreSQL gets
    /// every parameter as text and casts it to the column's type, so one
    /// binding path serves integers, enums, dates and JSON alike.
    pub fn placeholder(self, n: usize, field: Option<&Field>) -> String {
        match self {
            Dialect::Postgres => match field.and_then(|f| postgres_cast(&f.db_type)) {
                Some(cast) => format!("CAST(${n} AS {cast})"),
                None => format!("${n}"),
            },
            Dialect::Mysql | Dialect::Sqlite => "?".to_owned(),
            // A NULL travels as nvarchar, which SQL Server does not convert
            // to a binary type by itself.
            Dialect::Mssql if field.is_some_and(|f| f.interface == FieldInterface::Binary) => {
                format!("CAST(@P{n} AS varbinary(max))")
            }
            Dialect::Mssql => format!("@P{n}"),
            Dialect::Oracle => format!(":{n}"),
        }
    }

    /// A boolean literal usable in comparisons.
    pub fn bool_value(self, value: bool) -> SqlValue {
        match self {
            Dialect::Postgres => SqlValue::Bool(value),
            _ => SqlValue::Int(i64::from(value)),
        }
    }

    /// `expr LIKE pattern`, case-insensitively when asked, with `!` as the
    /// escape character for patterns built from user text. SQLite's LIKE
    /// always ignores (ASCII) case: its case-sensitive match is [`glob`].
    pub fn like(self, expr: &str, pattern: &str, insensitive: bool, escaped: bool) -> String {
        let escape = if escaped { " ESCAPE '!'" } else { "" };
        match (self, insensitive) {
            (Dialect::Postgres, true) => format!("{expr} ILIKE {pattern}{escape}"),
            (Dialect::Postgres | Dialect::Sqlite, _) => format!("{expr} LIKE {pattern}{escape}"),
            // Default MySQL collations ignore case and accents. A binary
            // collation does not, and unlike bytes it lets `_` match one
            // character, not one byte.
            (Dialect::Mysql, false) => {
                format!("CONVERT({expr} USING utf8mb4) COLLATE utf8mb4_bin LIKE {pattern}{escape}")
            }
            (Dialect::Mysql, true) => format!(
                "LOWER(CONVERT({expr} USING utf8mb4)) COLLATE utf8mb4_bin LIKE LOWER({pattern}){escape}"
            ),
            // SQL Server's usual collations ignore case, some accents too; a
            // binary collation ignores neither.
            (Dialect::Mssql, false) => {
                format!("{expr} COLLATE Latin1_General_100_BIN2 LIKE {pattern}{escape}")
            }
            (Dialect::Mssql, true) => format!(
                "LOWER({expr}) COLLATE Latin1_General_100_BIN2 LIKE LOWER({pattern}){escape}"
            ),
            (_, true) => format!("LOWER({expr}) LIKE LOWER({pattern}){escape}"),
            (_, false) => format!("{expr} LIKE {pattern}{escape}"),
        }
    }

    /// One ORDER BY term, with NULLs after the values in either direction on
    /// every engine, as NocoBase sorts (`NULLS LAST`, or MySQL's `ISNULL`
    /// first). A column that cannot hold NULL gets the plain term, which an
    /// index can serve in both directions.
    pub fn order_term(self, expr: &str, descending: bool, nullable: bool) -> String {
        let direction = if descending { "DESC" } else { "ASC" };
        match self {
            _ if !nullable => format!("{expr} {direction}"),
            Dialect::Postgres | Dialect::Oracle | Dialect::Sqlite => {
                format!("{expr} {direction} NULLS LAST")
            }
            Dialect::Mysql | Dialect::Mssql => {
                format!("CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END, {expr} {direction}")
            }
        }
    }

    /// The paging clause; MSSQL needs an ORDER BY before it, which the
    /// select compiler always provides.
    pub fn paging(self, limit: u64, offset: u64) -> String {
        match self {
            Dialect::Mssql | Dialect::Oracle => {
                format!(" OFFSET {offset} ROWS FETCH NEXT {limit} ROWS ONLY")
            }
            _ if offset == 0 => format!(" LIMIT {limit}"),
            _ => format!(" LIMIT {limit} OFFSET {offset}"),
        }
    }
}

/// Turns a LIKE pattern into SQLite's case-sensitive GLOB: `%` and `_`
/// become `*` and `?`, GLOB's own wildcards are bracketed, and with
/// `escaped` a `!` makes the next character literal.
pub fn sqlite_glob(pattern: &str, escaped: bool) -> String {
    let mut glob = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '!' if escaped => match chars.next() {
                Some(next) => push_glob_literal(&mut glob, next),
                None => glob.push('!'),
            },
            '%' => glob.push('*'),
            '_' => glob.push('?'),
            other => push_glob_literal(&mut glob, other),
        }
    }
    glob
}

fn push_glob_literal(glob: &mut String, c: char) {
    match c {
        '*' | '?' | '[' | ']' => {
            glob.push('[');
            glob.push(c);
            glob.push(']');
        }
        other => glob.push(other),
    }
}

/// The type a text parameter is cast to: the column's type without length
/// or precision modifiers (a cast to `varchar(5)` would silently truncate).
/// Only names made of plain type-name characters are used; anything else
/// stays an uncast text parameter.
fn postgres_cast(db_type: &str) -> Option<String> {
    let mut cast = String::with_capacity(db_type.len());
    let mut depth = 0u32;
    for c in db_type.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return None,
            ')' => depth -= 1,
            _ if depth == 0 => cast.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    let cast = cast.split_whitespace().collect::<Vec<_>>().join(" ");
    let plain = cast
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '"' | '[' | ']'));
    (plain && !cast.is_empty() && cast.matches('"').count() % 2 == 0).then_some(cast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_the_quote_character() {
        assert_eq!(Dialect::Postgres.quote(r#"a"b"#), r#""a""b""#);
        assert_eq!(Dialect::Mysql.quote("a`b"), "`a``b`");
        assert_eq!(Dialect::Mssql.quote("a]b"), "[a]]b]");
        assert_eq!(Dialect::Postgres.table(Some("s"), "t"), r#""s"."t""#);
        assert_eq!(Dialect::Sqlite.table(Some("main"), "t"), r#""t""#);
    }

    #[test]
    fn postgres_casts_drop_modifiers_and_refuse_odd_names() {
        assert_eq!(
            postgres_cast("character varying(80)").as_deref(),
            Some("character varying")
        );
        assert_eq!(postgres_cast("numeric(10,2)").as_deref(), Some("numeric"));
        assert_eq!(
            postgres_cast("timestamp(3) with time zone").as_deref(),
            Some("timestamp with time zone")
        );
        assert_eq!(postgres_cast(r#""Mood""#).as_deref(), Some(r#""Mood""#));
        assert_eq!(postgres_cast("x); drop table t; --"), None);
        assert_eq!(postgres_cast(r#""odd"#), None);
    }

    #[test]
    fn like_patterns_become_globs() {
        assert_eq!(sqlite_glob("%a_b%", false), "*a?b*");
        assert_eq!(sqlite_glob("%50!%*%", true), "*50%[*]*");
    }

    #[test]
    fn paging_per_dialect() {
        assert_eq!(Dialect::Postgres.paging(20, 0), " LIMIT 20");
        assert_eq!(Dialect::Mysql.paging(20, 40), " LIMIT 20 OFFSET 40");
        assert_eq!(
            Dialect::Mssql.paging(20, 40),
            " OFFSET 40 ROWS FETCH NEXT 20 ROWS ONLY"
        );
    }
}
