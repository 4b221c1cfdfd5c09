//! Service accounts: non-human users that own API keys, so a key outlives
//! the person who made it. They have no password and never sign in (see
//! `auth::sign_in`); disabling or deleting one ends its keys.

use model::identity::{RoleName, ServiceAccountName};
use serde_json::Value;

use crate::actor::Actor;
use crate::audit::{self, Changes, Event};
use crate::clock::now_ms;
use crate::store::{Tx, with_tx};
use crate::{Error, Result, acl, roles};

/// The account called `name`, created on first use, holding `role` (added
/// to its roles if need be, under the usual delegation rule).
pub(super) async fn ensure(
    tx: &mut Tx,
    actor: &Actor,
    name: &ServiceAccountName,
    role: &RoleName,
) -> Result<i64> {
    let email = name.email();
    // Role membership changes queue on this row (as in `users::update`).
    acl::bump(tx).await?;
    let found: Option<(i64, String)> = with_tx!(tx, conn => {
        sqlx::query_as("SELECT id, kind FROM users WHERE email = $1")
            .bind(&email).fetch_optional(&mut *conn).await?
    });
    match found {
        Some((_, kind)) if kind != "service" => Err(Error::InvalidInput(format!(
            "{email} is a person's account, not a service account"
        ))),
        Some((id, _)) => {
            add_role(tx, actor, id, role).await?;
            Ok(id)
        }
        None => create(tx, actor, name, role).await,
    }
}

async fn create(
    tx: &mut Tx,
    actor: &Actor,
    name: &ServiceAccountName,
    role: &RoleName,
) -> Result<i64> {
    let email = name.email();
    let sql = "INSERT INTO users (email, display_name, enabled, password_hash, kind, created_at, updated_at) \
               VALUES ($1, $2, TRUE, NULL, 'service', $3, $3) RETURNING id";
    let id: i64 = with_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(&email).bind(name.as_str()).bind(now_ms())
            .fetch_one(&mut *conn).await?
    });
    let assigned = roles::assign(
        tx,
        actor,
        id,
        std::slice::from_ref(role),
        Some(role.as_str()),
    )
    .await?;
    let mut changes = Changes::default();
    changes.field("email", Value::Null, email.as_str());
    changes.field("kind", Value::Null, "service");
    changes.field("roles", Value::Null, assigned);
    let event = Event::success("users:create", "users", id).with_changes(changes);
    audit::record(tx, actor, &event).await?;
    Ok(id)
}

async fn add_role(tx: &mut Tx, actor: &Actor, id: i64, role: &RoleName) -> Result<()> {
    let held: Vec<(String, bool)> = with_tx!(tx, conn => {
        sqlx::query_as("SELECT role_name, is_default FROM user_roles WHERE user_id = $1")
            .bind(id).fetch_all(&mut *conn).await?
    });
    if held.iter().any(|(name, _)| name == role.as_str()) {
        return Ok(());
    }
    let before: Vec<String> = held.iter().map(|(name, _)| name.clone()).collect();
    let mut names = crate::users::parse_role_names(&before)?;
    names.push(role.clone());
    let default = held.iter().find(|(_, d)| *d).map(|(name, _)| name.as_str());
    let assigned = roles::assign(tx, actor, id, &names, default).await?;
    let mut changes = Changes::default();
    changes.field("roles", before, assigned);
    let event = Event::success("users:update", "users", id).with_changes(changes);
    audit::record(tx, actor, &event).await
}
