//! Filter AST to a SQL condition, with NocoBase's PostgreSQL semantics on
//! every engine (see `model::query::filter` for the table).

use model::data::FieldInterface;
use model::query::{Condition, Filter, Operand, Operator};
use serde_json::Value;

use super::Builder;
use super::dates::{comparable, date_condition};
use super::operands::{list, range, require_text, scalar, strings, wrong_type};
use crate::dialect::{Dialect, sqlite_glob};
use crate::schema::{Collection, Field, RelationKind};
use crate::value::SqlValue;
use crate::{Error, Result};

pub(crate) fn compile(
    b: &mut Builder,
    alias: &str,
    collection: &Collection,
    filter: &Filter,
) -> Result<()> {
    match filter {
        Filter::And(items) => group(b, alias, collection, items, " AND ", "1=1"),
        Filter::Or(items) => group(b, alias, collection, items, " OR ", "1=0"),
        Filter::Condition(condition) => condition_on(b, alias, collection, condition, 0),
    }
}

fn group(
    b: &mut Builder,
    alias: &str,
    collection: &Collection,
    items: &[Filter],
    joiner: &str,
    empty: &str,
) -> Result<()> {
    if items.is_empty() {
        b.push(empty);
        return Ok(());
    }
    b.push("(");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            b.push(joiner);
        }
        compile(b, alias, collection, item)?;
    }
    b.push(")");
    Ok(())
}

/// A condition on `path[segment..]`: a field here, or a relation to follow
/// with an EXISTS subquery (a related row must match).
fn condition_on(
    b: &mut Builder,
    alias: &str,
    collection: &Collection,
    condition: &Condition,
    segment: usize,
) -> Result<()> {
    let names = &condition.path.0;
    let name = names.get(segment).map(String::as_str).unwrap_or_default();
    if segment + 1 == names.len() {
        let Some(field) = collection.field(name) else {
            return Err(unknown_field(collection, &condition.path.to_string()));
        };
        return field_condition(b, alias, field, condition.operator, &condition.operand);
    }
    let relation = collection
        .relation(name)
        .ok_or_else(|| unknown_field(collection, &condition.path.to_string()))?;
    let target = b.catalog.collection(&relation.target).ok_or_else(|| {
        Error::InvalidQuery(format!(
            "`{}` leads to `{}`, which is not available",
            relation.name, relation.target
        ))
    })?;
    let inner = b.next_alias();
    let (outer_column, inner_column) = match relation.kind {
        RelationKind::ManyToOne => (&relation.foreign_key, &relation.target_key),
        RelationKind::OneToMany => (&relation.target_key, &relation.foreign_key),
    };
    let related = format!(
        "SELECT 1 FROM {} {} WHERE {} = {}",
        b.table(target),
        b.dialect.quote(&inner),
        b.column(&inner, inner_column),
        b.column(alias, outer_column),
    );
    // Only the related rows the caller may see take part, in both the
    // match and the "no related row" case.
    let scope = b.related_scope(&relation.target);
    let related_rows = |b: &mut Builder| -> Result<()> {
        b.push(&related);
        if let Some(scope) = scope {
            b.push(" AND ");
            b.scope(&inner, scope)?;
        }
        Ok(())
    };
    // NocoBase joins relations with LEFT JOIN: a row without any related
    // row counts as one related row of NULLs, which some conditions match.
    let absent = matches_null(condition.operator, &condition.operand);
    if absent {
        b.push("(");
    }
    b.push("EXISTS (");
    related_rows(b)?;
    b.push(" AND ");
    condition_on(b, &inner, target, condition, segment + 1)?;
    b.push(")");
    if absent {
        b.push(" OR NOT EXISTS (");
        related_rows(b)?;
        b.push("))");
    }
    Ok(())
}

/// Whether a condition holds for a NULL value.
fn matches_null(operator: Operator, operand: &Operand) -> bool {
    use Operator::*;
    match operator {
        Eq | Includes | StartsWith | EndWith => matches!(operand, Operand::Value(Value::Null)),
        Ne => !matches!(operand, Operand::Value(Value::Null)),
        NotIn | Empty | IsFalsy => true,
        _ => false,
    }
}

fn unknown_field(collection: &Collection, path: &str) -> Error {
    Error::InvalidQuery(format!(
        "`{}` has no field `{path}` that can be used here",
        collection.name
    ))
}

fn field_condition(
    b: &mut Builder,
    alias: &str,
    field: &Field,
    operator: Operator,
    operand: &Operand,
) -> Result<()> {
    use Operator::*;
    let column = b.column(alias, &field.name);
    let compared = comparable(b.dialect, &column, field);
    let textual = field.interface.is_textual() || field.interface == FieldInterface::Time;
    match operator {
        Eq | Ne | Gt | Gte | Lt | Lte => {
            let value = scalar(field, operator, operand)?;
            if value == SqlValue::Null {
                // As Sequelize (so NocoBase) writes it: `{"f": null}` finds
                // the rows without a value, `$ne: null` those with one.
                b.push(&match operator {
                    Eq => format!("{column} IS NULL"),
                    Ne => format!("{column} IS NOT NULL"),
                    _ => "1=0".to_owned(),
                });
                return Ok(());
            }
            let symbol = match operator {
                Eq => "=",
                Ne => "<>",
                Gt => ">",
                Gte => ">=",
                Lt => "<",
                _ => "<=",
            };
            if exact_text(b.dialect, field) && matches!(operator, Eq | Ne) {
                let bytes = column_bytes(b.dialect, &column);
                if operator == Eq {
                    // The first test lets the server use an index on the column.
                    b.push(&format!("({column} = "));
                    b.bind(value.clone(), Some(field));
                    b.push(&format!(" AND {bytes} = "));
                    bind_bytes(b, value, field);
                    b.push(")");
                } else {
                    b.push(&format!("({bytes} <> "));
                    bind_bytes(b, value, field);
                    b.push(&format!(" OR {column} IS NULL)"));
                }
            } else if operator == Ne {
                b.push(&format!("({compared} <> "));
                b.bind(value, Some(field));
                b.push(&format!(" OR {column} IS NULL)"));
            } else {
                b.push(&format!("{compared} {symbol} "));
                b.bind(value, Some(field));
            }
        }
        In | NotIn => {
            let values = list(field, operator, operand)?;
            if values.is_empty() {
                b.push(if operator == In { "1=0" } else { "1=1" });
                return Ok(());
            }
            let exact = exact_text(b.dialect, field);
            b.push("(");
            if operator == In {
                b.push(&compared);
                b.push(" IN ");
                bind_list(b, &values, field, false);
                if exact {
                    b.push(&format!(" AND {} IN ", column_bytes(b.dialect, &column)));
                    bind_list(b, &values, field, true);
                }
            } else {
                b.push(&if exact {
                    column_bytes(b.dialect, &column)
                } else {
                    compared
                });
                b.push(" NOT IN ");
                bind_list(b, &values, field, exact);
                b.push(&format!(" OR {column} IS NULL"));
            }
            b.push(")");
        }
        Between | NotBetween => {
            let (low, high) = range(field, operator, operand)?;
            b.push(&compared);
            b.push(if operator == Between {
                " BETWEEN "
            } else {
                " NOT BETWEEN "
            });
            b.bind(low, Some(field));
            b.push(" AND ");
            b.bind(high, Some(field));
        }
        // Oracle stores '' as NULL (and `<> ''` is never true there): a
        // text is empty exactly when it is NULL.
        Empty | NotEmpty if b.dialect == Dialect::Oracle => {
            let test = if operator == Empty {
                "IS NULL"
            } else {
                "IS NOT NULL"
            };
            b.push(&format!("{column} {test}"));
        }
        // Compared as text: PostgreSQL reads '' as a value of an enum or
        // uuid column's own type, and refuses it.
        Empty if textual => {
            let text = text_expression(b.dialect, &column, field);
            b.push(&format!("({column} IS NULL OR {text} = '')"));
        }
        Empty => b.push(&format!("{column} IS NULL")),
        NotEmpty if textual => {
            let text = text_expression(b.dialect, &column, field);
            b.push(&format!("({column} IS NOT NULL AND {text} <> '')"));
        }
        NotEmpty => b.push(&format!("{column} IS NOT NULL")),
        Includes | NotIncludes | StartsWith | NotStartsWith | EndWith | NotEndWith => {
            require_text(field, operator, textual)?;
            if let Operand::Value(Value::Null) = operand {
                b.push(&match operator {
                    NotIncludes => format!("{column} IS NOT NULL"),
                    _ => format!("{column} IS NULL"),
                });
                return Ok(());
            }
            let needles = strings(field, operator, operand)?;
            let column = text_expression(b.dialect, &column, field);
            let negated = matches!(operator, NotIncludes | NotStartsWith | NotEndWith);
            let dialect = b.dialect;
            let patterns = needles.iter().map(|needle| {
                let escaped = escape_like(dialect, needle);
                match operator {
                    Includes | NotIncludes => format!("%{escaped}%"),
                    StartsWith | NotStartsWith => format!("{escaped}%"),
                    _ => format!("%{escaped}"),
                }
            });
            like_terms(b, &column, patterns.collect(), true, true, negated);
        }
        Like | NotLike | ILike | NotILike => {
            require_text(field, operator, textual)?;
            let pattern = strings(field, operator, operand)?;
            let column = text_expression(b.dialect, &column, field);
            let insensitive = matches!(operator, ILike | NotILike);
            let negated = matches!(operator, NotLike | NotILike);
            like_terms(b, &column, pattern, insensitive, false, negated);
        }
        IsTruly | IsFalsy => {
            if field.interface != FieldInterface::Boolean {
                return Err(wrong_type(field, operator, "boolean"));
            }
            let truth = b.dialect.bool_value(true);
            if operator == IsTruly {
                b.push(&format!("{column} = "));
                b.bind(truth, Some(field));
            } else {
                b.push(&format!("({column} IS NULL OR {column} <> "));
                b.bind(truth, Some(field));
                b.push(")");
            }
        }
        DateOn | DateNotOn | DateBefore | DateAfter | DateBetween => {
            date_condition(b, &compared, field, operator, operand)?;
        }
    }
    Ok(())
}

/// MySQL and SQL Server compare text by the column's collation, usually
/// blind to case (and on MySQL accents), and both ignore trailing spaces;
/// PostgreSQL's `=` compares exactly. Equality on their text therefore
/// compares the bytes of one encoding (UTF-8; SQL Server's UTF-16).
/// (A SQL Server `uniqueidentifier` compares as a value, whatever its case.)
fn exact_text(dialect: Dialect, field: &Field) -> bool {
    match dialect {
        Dialect::Mysql => field.interface.is_textual(),
        Dialect::Mssql => field.interface.is_textual() && field.interface != FieldInterface::Uuid,
        _ => false,
    }
}

fn column_bytes(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Mssql => mssql_bytes(column),
        _ => format!("CAST(CONVERT({column} USING utf8mb4) AS BINARY)"),
    }
}

fn mssql_bytes(expression: &str) -> String {
    format!("CAST(CAST({expression} AS nvarchar(max)) AS varbinary(max))")
}

/// A parameter compared as the bytes [`column_bytes`] gives.
fn bind_bytes(b: &mut Builder, value: SqlValue, field: &Field) {
    let placeholder_at = b.sql.len();
    b.bind(value, Some(field));
    let placeholder = b.sql.split_off(placeholder_at);
    b.push(&match b.dialect {
        Dialect::Mssql => mssql_bytes(&placeholder),
        _ => format!("CAST({placeholder} AS BINARY)"),
    });
}

/// `(?, ?, …)`, each value as bytes when `bytes`.
fn bind_list(b: &mut Builder, values: &[SqlValue], field: &Field, bytes: bool) {
    b.push("(");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        if bytes {
            bind_bytes(b, value.clone(), field);
        } else {
            b.bind(value.clone(), Some(field));
        }
    }
    b.push(")");
}

/// One LIKE per pattern: any may match, or (negated) none may. As on
/// PostgreSQL, a NULL neither contains nor "does not contain" anything.
fn like_terms(
    b: &mut Builder,
    column: &str,
    patterns: Vec<String>,
    insensitive: bool,
    escaped: bool,
    negated: bool,
) {
    if patterns.is_empty() {
        b.push(if negated { "1=1" } else { "1=0" });
        return;
    }
    b.push("(");
    if negated {
        b.push("NOT (");
    }
    for (i, pattern) in patterns.into_iter().enumerate() {
        if i > 0 {
            b.push(" OR ");
        }
        if b.dialect == Dialect::Sqlite && !insensitive {
            b.push(&format!("{column} GLOB "));
            b.bind(SqlValue::Text(sqlite_glob(&pattern, escaped)), None);
            continue;
        }
        let placeholder_at = b.sql.len();
        b.bind(SqlValue::Text(pattern), None);
        let placeholder = b.sql.split_off(placeholder_at);
        let term = b.dialect.like(column, &placeholder, insensitive, escaped);
        b.push(&term);
    }
    if negated {
        b.push(")");
    }
    b.push(")");
}

/// PostgreSQL has no LIKE for enums and UUIDs, SQL Server none for UUIDs:
/// match their text.
fn text_expression(dialect: Dialect, column: &str, field: &Field) -> String {
    let plain_text = matches!(
        field.interface,
        FieldInterface::Text | FieldInterface::LongText
    );
    if dialect == Dialect::Postgres && !plain_text {
        format!("CAST({column} AS text)")
    } else if dialect == Dialect::Mssql && field.interface == FieldInterface::Uuid {
        // SQL Server spells UUIDs in capitals; Ferrobase shows them in lowercase.
        format!("LOWER(CAST({column} AS nvarchar(36)))")
    } else {
        column.to_owned()
    }
}

/// `%`, `_` and the escape character itself match literally (and on SQL
/// Server `[`, which opens a character class there).
fn escape_like(dialect: Dialect, text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '!') || (c == '[' && dialect == Dialect::Mssql) {
            escaped.push('!');
        }
        escaped.push(c);
    }
    escaped
}
