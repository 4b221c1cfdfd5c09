//! The append-only audit log. Changes are recorded in the same transaction
//! as the change itself, so a change without its record (or the reverse)
//! cannot happen; the tables refuse UPDATE and DELETE by trigger.

use model::identity::{AuditEntry, Page, SystemPermission};
use serde_json::{Map, Value};

use crate::actor::{Actor, Principal};
use crate::clock::now_ms;
use crate::store::{Tx, with_pool, with_tx};
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// What happened, to be recorded with who did it and from where.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub resource: &'static str,
    pub record_id: Option<String>,
    pub outcome: Outcome,
    pub changes: Option<Value>,
}

impl Event {
    pub fn success(
        action: &'static str,
        resource: &'static str,
        record_id: impl ToString,
    ) -> Event {
        Event {
            action,
            resource,
            record_id: Some(record_id.to_string()),
            outcome: Outcome::Success,
            changes: None,
        }
    }

    pub fn with_changes(mut self, changes: Changes) -> Event {
        self.changes = (!changes.0.is_empty()).then_some(Value::Object(changes.0));
        self
    }
}

/// The changed fields of a record: `{"field": {"from": …, "to": …}}`.
/// Secrets go through `secret`, which records only that they changed.
#[derive(Debug, Default)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn field(&mut self, name: &str, from: impl Into<Value>, to: impl Into<Value>) {
        let (from, to) = (from.into(), to.into());
        if from != to {
            self.0.insert(
                name.to_owned(),
                serde_json::json!({ "from": from, "to": to }),
            );
        }
    }

    pub fn secret(&mut self, name: &str) {
        self.0.insert(name.to_owned(), Value::from("changed"));
    }
}

/// The actor columns; `who` overrides the label for failed sign-ins, where
/// the only name known is the account that was typed.
struct Who {
    user_id: Option<i64>,
    label: String,
    role: Option<String>,
}

fn who(actor: &Actor) -> Who {
    match &actor.principal {
        Principal::User(user) => Who {
            user_id: Some(user.user_id),
            label: user.label.clone(),
            role: user.role.clone(),
        },
        Principal::Anonymous => Who {
            user_id: None,
            label: "anonymous".to_owned(),
            role: None,
        },
        Principal::System(name) => Who {
            user_id: None,
            label: (*name).to_owned(),
            role: None,
        },
    }
}

pub async fn record(tx: &mut Tx, actor: &Actor, event: &Event) -> Result<()> {
    insert(tx, actor, who(actor), event).await
}

/// Records an event for a named but unauthenticated party (a sign-in).
pub(crate) async fn record_as(
    tx: &mut Tx,
    actor: &Actor,
    user_id: Option<i64>,
    label: &str,
    event: &Event,
) -> Result<()> {
    let label: String = label
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let who = Who {
        user_id,
        label,
        role: None,
    };
    insert(tx, actor, who, event).await
}

async fn insert(tx: &mut Tx, actor: &Actor, who: Who, event: &Event) -> Result<()> {
    let sql = "INSERT INTO audit_log (at, user_id, actor, role_name, action, resource, record_id, \
               ip, user_agent, outcome, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    let user_agent: Option<String> = actor
        .origin
        .user_agent
        .as_ref()
        .map(|ua| ua.chars().take(300).collect());
    let changes = event.changes.as_ref().map(Value::to_string);
    with_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(now_ms())
            .bind(who.user_id)
            .bind(&who.label)
            .bind(&who.role)
            .bind(event.action)
            .bind(event.resource)
            .bind(&event.record_id)
            .bind(&actor.origin.ip)
            .bind(&user_agent)
            .bind(event.outcome.as_str())
            .bind(&changes)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Filters of the audit page and `auditLogs:list`; every one optional.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Part of the actor's email or name, case-insensitive.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    /// Unix milliseconds, inclusive.
    pub from: Option<i64>,
    /// Unix milliseconds, exclusive.
    pub to: Option<i64>,
    pub page: u32,
    pub page_size: u32,
}

pub const MAX_PAGE_SIZE: u32 = 200;
/// An export is one response; past this many rows, narrow the filter.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

const FILTER: &str = "WHERE ($1 IS NULL OR lower(actor) LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR action = $2) \
                      AND ($3 IS NULL OR resource = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5)";

type Row = (
    i64,
    i64,
    Option<i64>,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

pub async fn list(store: &Store, actor: &Actor, query: &Query) -> Result<Page<AuditEntry>> {
    actor.require(SystemPermission::AuditLog)?;
    let (page, page_size) = crate::paging::clamp(query.page, query.page_size, MAX_PAGE_SIZE);
    let offset = i64::from(page - 1) * i64::from(page_size);
    let (count, rows) = fetch(store, query, i64::from(page_size), offset).await?;
    Ok(Page {
        items: rows.into_iter().map(entry).collect(),
        count,
        page,
        page_size,
    })
}

/// The whole filtered log as CSV (RFC 4180), newest first.
pub async fn export_csv(store: &Store, actor: &Actor, query: &Query) -> Result<String> {
    actor.require(SystemPermission::AuditLog)?;
    let (_, rows) = fetch(store, query, i64::from(MAX_EXPORT_ROWS), 0).await?;
    let mut csv = String::from(
        "id,at,user_id,actor,role,action,resource,record_id,ip,user_agent,outcome,changes\r\n",
    );
    for row in rows.into_iter().map(entry) {
        let at = model::time::iso8601(row.at);
        let fields = [
            row.id.to_string(),
            at,
            row.user_id.map(|id| id.to_string()).unwrap_or_default(),
            row.actor,
            row.role.unwrap_or_default(),
            row.action,
            row.resource,
            row.record_id.unwrap_or_default(),
            row.ip.unwrap_or_default(),
            row.user_agent.unwrap_or_default(),
            row.outcome,
            row.changes.unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    Ok(csv)
}

/// Quotes a CSV field, and defuses spreadsheet formulas (a value starting
/// with `=`, `+`, `-`, `@` gets a leading `'`), since the log holds text
/// that outsiders typed (failed sign-in accounts, user agents).
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

async fn fetch(store: &Store, query: &Query, limit: i64, offset: i64) -> Result<(i64, Vec<Row>)> {
    let actor = query
        .actor
        .as_deref()
        .filter(|a| !a.trim().is_empty())
        .map(crate::paging::like_pattern);
    let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let (action, resource) = (blank(&query.action), blank(&query.resource));
    let count_sql = format!("SELECT count(*) FROM audit_log {FILTER}");
    let rows_sql = format!(
        "SELECT id, at, user_id, actor, role_name, action, resource, record_id, ip, user_agent, outcome, changes \
         FROM audit_log {FILTER} ORDER BY id DESC LIMIT $6 OFFSET $7"
    );
    let result = with_pool!(store, pool => {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
            .bind(&actor).bind(&action).bind(&resource).bind(query.from).bind(query.to)
            .fetch_one(pool)
            .await?;
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(&actor).bind(&action).bind(&resource).bind(query.from).bind(query.to)
            .bind(limit).bind(offset)
            .fetch_all(pool)
            .await?;
        (count, rows)
    });
    Ok(result)
}

fn entry(row: Row) -> AuditEntry {
    let (
        id,
        at,
        user_id,
        actor,
        role,
        action,
        resource,
        record_id,
        ip,
        user_agent,
        outcome,
        changes,
    ) = row;
    AuditEntry {
        id,
        at,
        user_id,
        actor,
        role,
        action,
        resource,
        record_id,
        ip,
        user_agent,
        outcome,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("plain, text"), "\"plain, text\"");
    }

    #[test]
    fn unchanged_fields_are_not_recorded_and_secrets_never_are() {
        let mut changes = Changes::default();
        changes.field("displayName", "Ada", "Ada");
        changes.field("email", "a@x.org", "b@x.org");
        changes.secret("password");
        let value = Value::Object(changes.0);
        assert_eq!(value["email"]["to"], "b@x.org");
        assert_eq!(value["password"], "changed");
        assert!(value.get("displayName").is_none());
    }
}
