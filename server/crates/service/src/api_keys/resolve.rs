//! `Authorization: Bearer fbk_…` to an `Actor`. One indexed read per
//! request finds the key, its owner, whether the owner may still use the
//! key's role and the ACL version; nothing is cached between requests, so a
//! revocation (or a disabled owner) holds on the next request on every
//! process. On a SQLite store the read runs on the calling thread
//! ([`crate::direct_reads`]). Permissions come from the shared ACL cache.

use crate::actor::{Actor, Credential, Origin, Principal, SignedIn};
use crate::audit::{self, Event};
use crate::clock::now_ms;
use crate::policy::millis;
use crate::sessions::TOUCH_INTERVAL_MS;
use crate::store::{with_pool, with_tx};
use crate::{Error, Result, Services};

use super::token::{self, same_digest};

#[derive(sqlx::FromRow)]
struct KeyRow {
    name: String,
    role_name: String,
    user_id: i64,
    secret_hash: String,
    previous_secret_hash: Option<String>,
    previous_valid_until: Option<i64>,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    email: String,
    display_name: String,
    enabled: bool,
    /// The owner holds the role, or an all-permissions role: the key works
    /// only while its owner could still create it.
    may_act: bool,
    acl_version: i64,
}

const LOOKUP: &str = "SELECT k.name, k.role_name, k.user_id, k.secret_hash, k.previous_secret_hash, \
     k.previous_valid_until, k.expires_at, k.last_used_at, k.revoked_at, u.email, u.display_name, u.enabled, \
     EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.name = ur.role_name \
             WHERE ur.user_id = k.user_id AND (ur.role_name = k.role_name OR r.all_permissions)) AS may_act, \
     (SELECT version FROM acl_version WHERE id = 1) AS acl_version \
     FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1";

impl KeyRow {
    /// The same row read by [`crate::direct_reads`]; columns as in `LOOKUP`.
    fn from_direct(row: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
        Ok(KeyRow {
            name: row.get("name")?,
            role_name: row.get("role_name")?,
            user_id: row.get("user_id")?,
            secret_hash: row.get("secret_hash")?,
            previous_secret_hash: row.get("previous_secret_hash")?,
            previous_valid_until: row.get("previous_valid_until")?,
            expires_at: row.get("expires_at")?,
            last_used_at: row.get("last_used_at")?,
            revoked_at: row.get("revoked_at")?,
            email: row.get("email")?,
            display_name: row.get("display_name")?,
            enabled: row.get("enabled")?,
            may_act: row.get("may_act")?,
            acl_version: row.get("acl_version")?,
        })
    }

    /// Every reason to refuse is the same `false`, so the caller answers
    /// one `Unauthenticated` whatever the cause.
    fn accepts(&self, secret_hash: &str, now: i64) -> bool {
        let current = same_digest(secret_hash, &self.secret_hash);
        let previous = match (&self.previous_secret_hash, self.previous_valid_until) {
            (Some(hash), Some(until)) => now < until && same_digest(secret_hash, hash),
            _ => false,
        };
        (current || previous)
            && self.revoked_at.is_none()
            && self.expires_at.is_none_or(|at| now < at)
            && self.enabled
            && self.may_act
    }
}

/// The actor an API key stands for: its owner, acting as the key's role.
/// `requested_role` (`X-Role`) may only repeat that role: a key is bound
/// to one role, and a header must not widen it.
pub async fn resolve(
    services: &Services,
    token: &str,
    requested_role: Option<&str>,
    origin: Origin,
) -> Result<Actor> {
    let presented = token::parse(token).ok_or(Error::Unauthenticated)?;
    let store = &services.store;
    let direct = services
        .direct_reads
        .as_ref()
        .and_then(|reads| reads.first_row(LOOKUP, [presented.id], KeyRow::from_direct));
    let row = match direct {
        Some(row) => row,
        None => with_pool!(store, pool => {
            sqlx::query_as(LOOKUP).bind(presented.id).fetch_optional(pool).await?
        }),
    };
    let now = now_ms();
    let row = row
        .filter(|row| row.accepts(&presented.secret_hash, now))
        .ok_or(Error::Unauthenticated)?;
    if let Some(requested) = requested_role.map(str::trim).filter(|r| !r.is_empty())
        && requested != row.role_name
    {
        return Err(Error::Forbidden(format!(
            "an API key acts only as its own role ({}); drop the X-Role header",
            row.role_name
        )));
    }
    let permissions = services
        .acl
        .permissions(store, &row.role_name, row.acl_version)
        .await?;
    let actor = Actor {
        principal: Principal::User(SignedIn {
            user_id: row.user_id,
            label: format!("API key {} ({})", row.name, row.email),
            display_name: row.display_name,
            role: Some(row.role_name),
            permissions,
            credential: Credential::ApiKey(presented.id.to_owned()),
        }),
        origin,
    };
    record_use(services, &actor, presented.id, row.last_used_at, now).await?;
    Ok(actor)
}

/// `last_used_at` is written at most once a minute; the first use after
/// the policy's quiet interval also writes an `apiKeys:use` audit entry.
/// The conditional update decides which process records it, so concurrent
/// requests write one entry.
async fn record_use(
    services: &Services,
    actor: &Actor,
    id: &str,
    last_used: Option<i64>,
    now: i64,
) -> Result<()> {
    let quiet = millis(services.policy.api_key_use_audit);
    let idle = last_used.map_or(i64::MAX, |at| now.saturating_sub(at));
    let store = &services.store;
    if idle >= quiet {
        let sql = "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 \
                   AND (last_used_at IS NULL OR last_used_at <= $3)";
        let mut tx = store.begin().await?;
        let claimed = with_tx!(&mut tx, conn => {
            sqlx::query(sql).bind(id).bind(now).bind(now.saturating_sub(quiet))
                .execute(&mut *conn).await?.rows_affected()
        });
        if claimed == 1 {
            audit::record(
                &mut tx,
                actor,
                &Event::success("apiKeys:use", "apiKeys", id),
            )
            .await?;
        }
        tx.commit().await?;
    } else if idle > TOUCH_INTERVAL_MS {
        with_pool!(store, pool => {
            sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                .bind(id).bind(now).execute(pool).await?;
        });
    }
    Ok(())
}
