//! Related records (appends) as correlated JSON subqueries, per dialect: a
//! many-to-one relation as one JSON object (or null), a one-to-many as a
//! JSON array of at most [`MAX_APPENDED_ROWS`] records in key order, so the
//! same records are cut off on every engine. Only the related records the
//! caller may see are appended: the target's data scope is part of the
//! subquery.

use model::data::FieldInterface;

use super::reading::{read_expression, string_literal};
use super::select::{Append, MAX_APPENDED_ROWS};
use super::{Builder, ROOT, Scope};
use crate::Result;
use crate::dialect::Dialect;
use crate::schema::{Collection, Field, Relation, RelationKind};

/// What every dialect's subquery is made of.
struct Related<'c> {
    target: &'c Collection,
    alias: String,
    /// The target's column matched against the row's, and the row's.
    inner: &'c str,
    outer: &'c str,
    /// `FROM target alias WHERE alias.inner = t0.outer AND (scope)`.
    from: String,
    scope: Option<Scope<'c>>,
    /// The target's one key column, when records are listed.
    key: Option<&'c str>,
    limit: u64,
}

pub(super) fn append_expression(
    b: &mut Builder,
    relation: &Relation,
    append: &Append,
) -> Result<String> {
    let Some(target) = b.catalog.collection(&relation.target) else {
        return Ok("NULL".to_owned());
    };
    let (outer, inner) = match relation.kind {
        RelationKind::ManyToOne => (&relation.foreign_key, &relation.target_key),
        RelationKind::OneToMany => (&relation.target_key, &relation.foreign_key),
    };
    let alias = b.next_alias();
    let scope = b.related_scope(&relation.target);
    let mut from = format!(
        "FROM {} {} WHERE {} = {}",
        b.table(target),
        b.dialect.quote(&alias),
        b.column(&alias, inner),
        b.column(ROOT, outer)
    );
    if let Some(scope) = scope {
        from.push_str(" AND ");
        from.push_str(&b.detached(|b| b.scope(&alias, scope))?);
    }
    let key = match target.key.as_slice() {
        [key] if append.many => Some(key.as_str()),
        _ => None,
    };
    let related = Related {
        target,
        alias,
        inner,
        outer,
        from,
        scope,
        key,
        limit: if append.many { MAX_APPENDED_ROWS } else { 1 },
    };
    Ok(match b.dialect {
        Dialect::Postgres => postgres(b, &related, append),
        Dialect::Mysql => mysql(b, &related, append)?,
        Dialect::Sqlite => sqlite(b, &related, append),
        Dialect::Mssql => mssql(b, &related, append),
        Dialect::Oracle => oracle(b, &related, append)?,
    })
}

fn postgres(b: &Builder, related: &Related<'_>, append: &Append) -> String {
    let Related { from, limit, .. } = related;
    let inner = format!(
        "SELECT {} {from}{} LIMIT {limit}",
        columns(b, related, append, read_expression),
        order(b, related)
    );
    if append.many {
        format!("(SELECT COALESCE(json_agg(row_to_json(a)), '[]') FROM ({inner}) a)")
    } else {
        format!("(SELECT row_to_json(a) FROM ({inner}) a)")
    }
}

/// MariaDB refuses outer columns inside a derived table, so a list is cut
/// off at the key of its last allowed record instead of by LIMIT.
fn mysql(b: &mut Builder, related: &Related<'_>, append: &Append) -> Result<String> {
    let pairs = pairs(b, related, append, read_expression);
    let from = &related.from;
    Ok(if append.many {
        let cutoff = cutoff(b, related)?;
        format!(
            "(SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT({pairs})), JSON_ARRAY()) {from}{cutoff})"
        )
    } else {
        format!("(SELECT JSON_OBJECT({pairs}) {from} LIMIT 1)")
    })
}

fn sqlite(b: &Builder, related: &Related<'_>, append: &Append) -> String {
    let pairs = pairs(b, related, append, read_expression);
    let Related { from, limit, .. } = related;
    if append.many {
        let order = order(b, related);
        format!(
            "(SELECT json_group_array(json(a.j)) FROM (SELECT json_object({pairs}) AS j {from}{order} LIMIT {limit}) a)"
        )
    } else {
        format!("(SELECT json_object({pairs}) {from} LIMIT 1)")
    }
}

/// FOR JSON answers nothing, not `[]`, when no record is related.
fn mssql(b: &Builder, related: &Related<'_>, append: &Append) -> String {
    let Related { from, limit, .. } = related;
    let inner = format!(
        "SELECT TOP ({limit}) {} {from}{} FOR JSON PATH, INCLUDE_NULL_VALUES",
        columns(b, related, append, mssql_json_expression),
        order(b, related)
    );
    if append.many {
        format!("COALESCE(({inner}), '[]')")
    } else {
        format!("({inner}, WITHOUT_ARRAY_WRAPPER)")
    }
}

/// Oracle (19c and later) lets a subquery see the outer row only in its
/// WHERE clause, so lists are cut off as on MariaDB. CLOB results, since
/// a record may not fit the default VARCHAR2(4000).
fn oracle(b: &mut Builder, related: &Related<'_>, append: &Append) -> Result<String> {
    let pairs = pairs(b, related, append, oracle_json_expression);
    let object = format!("JSON_OBJECT({pairs} NULL ON NULL RETURNING CLOB)");
    let from = &related.from;
    Ok(if append.many {
        let order = order(b, related);
        let cutoff = cutoff(b, related)?;
        format!(
            "(SELECT COALESCE(JSON_ARRAYAGG({object}{order} RETURNING CLOB), TO_CLOB('[]')) {from}{cutoff})"
        )
    } else {
        format!("(SELECT {object} {from} FETCH FIRST 1 ROWS ONLY)")
    })
}

/// `expression AS name, …` for dialects that turn a row into JSON.
fn columns(
    b: &Builder,
    related: &Related<'_>,
    append: &Append,
    read: fn(Dialect, &str, &Field) -> String,
) -> String {
    let items: Vec<String> = append
        .fields
        .iter()
        .map(|field| {
            let column = b.column(&related.alias, &field.name);
            let expression = read(b.dialect, &column, field);
            format!("{expression} AS {}", b.dialect.quote(&field.name))
        })
        .collect();
    items.join(", ")
}

/// `'name', expression, …` (Oracle: `'name' VALUE expression`) for a
/// JSON object constructor.
fn pairs(
    b: &Builder,
    related: &Related<'_>,
    append: &Append,
    read: fn(Dialect, &str, &Field) -> String,
) -> String {
    let separator = if b.dialect == Dialect::Oracle {
        " VALUE "
    } else {
        ", "
    };
    let items: Vec<String> = append
        .fields
        .iter()
        .map(|field| {
            let column = b.column(&related.alias, &field.name);
            let name = string_literal(b.dialect, &field.name);
            format!("{name}{separator}{}", read(b.dialect, &column, field))
        })
        .collect();
    items.join(", ")
}

fn order(b: &Builder, related: &Related<'_>) -> String {
    related
        .key
        .map(|key| format!(" ORDER BY {}", b.column(&related.alias, key)))
        .unwrap_or_default()
}

/// ` AND key <= (the key of the last record allowed)`, for dialects that
/// cannot page inside a correlated derived table; counted among the records
/// the caller may see.
fn cutoff(b: &mut Builder, related: &Related<'_>) -> Result<String> {
    let Some(key_name) = related.key else {
        return Ok(String::new());
    };
    let last = b.next_alias();
    let key = b.column(&related.alias, key_name);
    let last_key = b.column(&last, key_name);
    let skip = related.limit - 1;
    let page = match b.dialect {
        Dialect::Oracle => format!("OFFSET {skip} ROWS FETCH NEXT 1 ROWS ONLY"),
        _ => format!("LIMIT 1 OFFSET {skip}"),
    };
    let scope = match related.scope {
        Some(scope) => format!(" AND {}", b.detached(|b| b.scope(&last, scope))?),
        None => String::new(),
    };
    Ok(format!(
        " AND {key} <= COALESCE((SELECT {last_key} FROM {} {} WHERE {} = {}{scope} ORDER BY {last_key} {page}), {key})",
        b.table(related.target),
        b.dialect.quote(&last),
        b.column(&last, related.inner),
        b.column(ROOT, related.outer),
    ))
}

/// FOR JSON writes binary as base64 and GUIDs in capitals; a related
/// record's values read as the record's own do (hex, lower case).
fn mssql_json_expression(_: Dialect, column: &str, field: &Field) -> String {
    match field.interface {
        FieldInterface::Binary => format!("LOWER(CONVERT(varchar(max), {column}, 2))"),
        FieldInterface::Uuid => format!("LOWER(CONVERT(char(36), {column}))"),
        _ => column.to_owned(),
    }
}

/// JSON_OBJECT writes RAW in capitals; related records read hex in lower case.
fn oracle_json_expression(_: Dialect, column: &str, field: &Field) -> String {
    match field.interface {
        FieldInterface::Binary => format!("LOWER(RAWTOHEX({column}))"),
        _ => column.to_owned(),
    }
}
