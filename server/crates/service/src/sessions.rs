//! Sign-in sessions, kept in the metadata store so that every Ferrobase
//! process behind a load balancer shares them. The browser carries the token
//! in an HttpOnly cookie, API clients as `Authorization: Bearer`; the store
//! holds only its SHA-256, so a copy of the table signs nobody in.

use std::sync::Arc;

use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};

use crate::actor::{Actor, Credential, Origin, Principal, SignedIn};
use crate::clock::now_ms;
use crate::policy::millis;
use crate::store::{Tx, with_pool, with_tx};
use crate::{Error, Result, Services};
use model::Rejection;

/// Session tokens start with this, so they are recognisable in a leak.
pub const TOKEN_PREFIX: &str = "fbs_";

/// Writes of `last_seen_at` are skipped within this interval (or a quarter
/// of the idle limit, if shorter, so a session in use never idles out):
/// idle expiry needs minutes of precision, not a write per request.
pub(crate) const TOUCH_INTERVAL_MS: i64 = 60_000;

/// A fresh random token.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// 256 bits from the OS generator, base64url without padding (43 characters).
pub(crate) fn random_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    BASE64URL_NOPAD.encode(&bytes)
}

pub fn token_hash(token: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(token.as_bytes()))
}

/// Starts a session for `user_id`; returns the token to hand out.
pub(crate) async fn create(
    tx: &mut Tx,
    services: &Services,
    user_id: i64,
    origin: &Origin,
) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    let expires = now.saturating_add(millis(services.policy.session_max));
    let user_agent: Option<String> = origin
        .user_agent
        .as_ref()
        .map(|ua| ua.chars().take(300).collect());
    let sql = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) \
               VALUES ($1, $2, $3, $3, $4, $5, $6)";
    with_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(token_hash(&token))
            .bind(user_id)
            .bind(now)
            .bind(expires)
            .bind(&origin.ip)
            .bind(&user_agent)
            .execute(&mut *conn)
            .await?;
    });
    Ok(token)
}

type SessionRow = (i64, i64, i64, String, String, bool, i64);

/// The actor a token stands for, acting as `requested_role` (the `X-Role`
/// header) or the user's default role. A missing, expired or signed-out
/// session, or a disabled user, is `Unauthenticated`.
pub async fn resolve(
    services: &Services,
    token: &str,
    requested_role: Option<&str>,
    origin: Origin,
) -> Result<Actor> {
    let hash = token_hash(token);
    let now = now_ms();
    let sql = "SELECT s.user_id, s.last_seen_at, s.expires_at, u.email, u.display_name, u.enabled, \
               (SELECT version FROM acl_version WHERE id = 1) \
               FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
    let roles_sql =
        "SELECT role_name, is_default FROM user_roles WHERE user_id = $1 ORDER BY role_name";
    let store = &services.store;
    let direct = services.direct_reads.as_ref().and_then(|reads| {
        let row = reads.first_row(sql, [&hash], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        let roles = match &row {
            Some((user_id, ..)) => {
                reads.all_rows(roles_sql, [user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            }
            None => Vec::new(),
        };
        Some((row, roles))
    });
    let (row, roles): (Option<SessionRow>, Vec<(String, bool)>) = match direct {
        Some(read) => read,
        None => with_pool!(store, pool => {
            let row: Option<SessionRow> =
                sqlx::query_as(sql).bind(&hash).fetch_optional(pool).await?;
            let roles = match &row {
                Some((user_id, ..)) => {
                    sqlx::query_as(roles_sql).bind(user_id).fetch_all(pool).await?
                }
                None => Vec::new(),
            };
            (row, roles)
        }),
    };
    let Some((user_id, last_seen, expires, email, display_name, enabled, version)) = row else {
        return Err(Error::Unauthenticated);
    };
    let idle_limit = last_seen.saturating_add(millis(services.policy.session_idle));
    if !enabled || now >= expires || now >= idle_limit {
        revoke(services, &hash).await?;
        return Err(Error::Unauthenticated);
    }
    let role = acting_role(services, &roles, requested_role).await?;
    let permissions = match &role {
        Some(role) => services.acl.permissions(store, role, version).await?,
        None => Arc::default(),
    };
    if now - last_seen > TOUCH_INTERVAL_MS.min(millis(services.policy.session_idle) / 4) {
        with_pool!(store, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(&hash)
                .bind(now)
                .execute(pool)
                .await?;
        });
    }
    Ok(Actor {
        principal: Principal::User(SignedIn {
            user_id,
            label: email,
            display_name,
            role,
            permissions,
            credential: Credential::Session(hash),
        }),
        origin,
    })
}

/// `X-Role` must name a role the user holds; without it, the default role,
/// else the first held role (by name).
async fn acting_role(
    services: &Services,
    held: &[(String, bool)],
    requested: Option<&str>,
) -> Result<Option<String>> {
    match requested.map(str::trim).filter(|r| !r.is_empty()) {
        Some(requested) => {
            if held.iter().any(|(name, _)| name == requested) {
                return Ok(Some(requested.to_owned()));
            }
            let exists = crate::roles::exists(&services.store, requested).await?;
            Err(if exists {
                Rejection::RoleNotHeld
            } else {
                Rejection::RoleUnknown
            }
            .into())
        }
        None => Ok(held
            .iter()
            .find(|(_, is_default)| *is_default)
            .or_else(|| held.first())
            .map(|(name, _)| name.clone())),
    }
}

/// Ends one session (sign-out). Unknown hashes are ignored.
pub async fn revoke(services: &Services, hash: &str) -> Result<()> {
    let store = &services.store;
    with_pool!(store, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash).execute(pool).await?;
    });
    Ok(())
}

/// Ends every session of a user but `keep` (the one changing its password).
pub(crate) async fn revoke_all(tx: &mut Tx, user_id: i64, keep: Option<&str>) -> Result<u64> {
    let sql = "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)";
    let removed = with_tx!(tx, conn => {
        sqlx::query(sql).bind(user_id).bind(keep).execute(&mut *conn).await?.rows_affected()
    });
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(
            a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 43,
            "{a}"
        );
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
