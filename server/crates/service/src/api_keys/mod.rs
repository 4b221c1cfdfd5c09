//! API keys: integrators send `Authorization: Bearer fbk_<id>_<secret>` and
//! act as the key's owner in the key's role, never more.
//!
//! The rules:
//! - Anyone signed in may create keys for a role they hold; an administrator
//!   (acting role with all permissions) for any role. A key works only while
//!   its owner could still create it (checked on every request).
//! - Keys never mint keys: create and rotate refuse a request authenticated
//!   by an API key. Even a same-role key would let a leaked key outlive its
//!   revocation or expiry by copying itself; managing keys takes a person.
//! - Everyone sees and revokes their own keys (made by them or acting as
//!   them); the `apiKeys` permission sees and revokes everyone's. Rotation
//!   hands out a working secret, so only the maker or owner may rotate.
//! - A service account owner needs the `apiKeys` permission, and the role
//!   goes to the account under the usual delegation rule.

mod resolve;
mod service_account;
mod token;

use model::Rejection;
use model::identity::{
    ApiKeyName, ApiKeyStatus, ApiKeyView, Expiry, IssuedApiKey, NewApiKey, Page, RoleName,
    RotateApiKey, RotationGrace, ServiceAccountName, SystemPermission,
};
use serde_json::Value;

use crate::actor::{Actor, Credential, SignedIn};
use crate::audit::{self, Changes, Event};
use crate::clock::now_ms;
use crate::store::{with_pool, with_tx};
use crate::{Error, Result, Services, roles, users};

pub use resolve::resolve;
pub use token::PREFIX;

pub const MAX_PAGE_SIZE: u32 = 200;

#[derive(sqlx::FromRow)]
struct KeyRecord {
    id: String,
    name: String,
    role_name: String,
    user_id: i64,
    created_by: Option<i64>,
    email: String,
    kind: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

const SELECT: &str = "SELECT k.id, k.name, k.role_name, k.user_id, k.created_by, u.email, u.kind, \
                      k.created_at, k.expires_at, k.last_used_at, k.revoked_at \
                      FROM api_keys k JOIN users u ON u.id = k.user_id";

impl KeyRecord {
    fn is_own(&self, me: &SignedIn) -> bool {
        self.user_id == me.user_id || self.created_by == Some(me.user_id)
    }

    fn is_service(&self) -> bool {
        self.kind == "service"
    }

    fn status(&self, now: i64) -> ApiKeyStatus {
        if self.revoked_at.is_some() {
            ApiKeyStatus::Revoked
        } else if self.expires_at.is_some_and(|at| at <= now) {
            ApiKeyStatus::Expired
        } else {
            ApiKeyStatus::Active
        }
    }

    fn view(self, now: i64) -> ApiKeyView {
        ApiKeyView {
            status: self.status(now),
            service_account: self.is_service(),
            prefix: token::prefix(&self.id),
            id: self.id,
            name: self.name,
            role: self.role_name,
            owner: self.email,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
        }
    }
}

/// One page of keys, newest first: the actor's own, or everyone's with the
/// `apiKeys` permission.
pub async fn list(
    services: &Services,
    actor: &Actor,
    page: u32,
    page_size: u32,
) -> Result<Page<ApiKeyView>> {
    let me = actor.user()?;
    let everyone = actor.can(SystemPermission::ApiKeys);
    let (page, page_size) = crate::paging::clamp(page, page_size, MAX_PAGE_SIZE);
    let offset = i64::from(page - 1) * i64::from(page_size);
    let visible = "WHERE ($1 OR k.created_by = $2 OR k.user_id = $2)";
    let count_sql = format!("SELECT count(*) FROM api_keys k {visible}");
    let rows_sql =
        format!("{SELECT} {visible} ORDER BY k.created_at DESC, k.id LIMIT $3 OFFSET $4");
    let store = &services.store;
    let (count, rows) = with_pool!(store, pool => {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
            .bind(everyone).bind(me.user_id).fetch_one(pool).await?;
        let rows: Vec<KeyRecord> = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(everyone).bind(me.user_id).bind(i64::from(page_size)).bind(offset)
            .fetch_all(pool).await?;
        (count, rows)
    });
    let now = now_ms();
    Ok(Page {
        items: rows.into_iter().map(|row| row.view(now)).collect(),
        count,
        page,
        page_size,
    })
}

pub async fn get(services: &Services, actor: &Actor, id: &str) -> Result<ApiKeyView> {
    Ok(visible(services, actor, id).await?.view(now_ms()))
}

async fn load(services: &Services, id: &str) -> Result<Option<KeyRecord>> {
    let sql = format!("{SELECT} WHERE k.id = $1");
    let store = &services.store;
    let row = with_pool!(store, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?
    });
    Ok(row)
}

/// The key, if the actor may see it; someone else's key is `NotFound`, so
/// ids cannot be probed.
async fn visible(services: &Services, actor: &Actor, id: &str) -> Result<KeyRecord> {
    let me = actor.user()?;
    load(services, id)
        .await?
        .filter(|key| key.is_own(me) || actor.can(SystemPermission::ApiKeys))
        .ok_or_else(|| Error::NotFound(format!("API key {id}")))
}

/// The signed-in person behind a key-management change; never an API key.
fn person(actor: &Actor) -> Result<&SignedIn> {
    let me = actor.user()?;
    match me.credential {
        Credential::Session(_) => Ok(me),
        Credential::ApiKey(_) => Err(Error::Forbidden(
            "API keys cannot create or rotate API keys; sign in to manage keys".into(),
        )),
    }
}

/// The actor may issue a key for `role`: it exists, and they hold it or are
/// an administrator; a service account's key also takes `apiKeys`.
async fn ensure_may_issue(
    services: &Services,
    actor: &Actor,
    role: &str,
    service_account: bool,
) -> Result<()> {
    let me = actor.user()?;
    if service_account {
        actor.require(SystemPermission::ApiKeys)?;
    }
    if !roles::exists(&services.store, role).await? {
        return Err(Rejection::RoleUnknown.into());
    }
    if me.permissions.all {
        return Ok(());
    }
    let held = users::load(services, me.user_id)
        .await?
        .is_some_and(|user| user.roles.iter().any(|r| r == role));
    if held {
        Ok(())
    } else {
        Err(Rejection::RoleNotHeld.into())
    }
}

/// The roles `create` accepts from the actor, for the settings page to
/// offer: every role for an administrator, else the roles they hold.
pub async fn issuable_roles(services: &Services, actor: &Actor) -> Result<Vec<String>> {
    let me = person(actor)?;
    if me.permissions.all {
        let store = &services.store;
        let names = with_pool!(store, pool => {
            sqlx::query_scalar("SELECT name FROM roles ORDER BY name").fetch_all(pool).await?
        });
        return Ok(names);
    }
    let held = users::load(services, me.user_id).await?;
    Ok(held.map(|user| user.roles).unwrap_or_default())
}

/// Creates a key; the answer holds the token, shown this once.
pub async fn create(services: &Services, actor: &Actor, input: &NewApiKey) -> Result<IssuedApiKey> {
    let me = person(actor)?;
    let name = ApiKeyName::parse(&input.name)?;
    let role = RoleName::parse(&input.role.name)?;
    let now = now_ms();
    let expiry = Expiry::parse(
        input.expires_in.as_deref(),
        input.expires_at.as_deref(),
        now,
    )?;
    let service_account = input
        .service_account
        .as_deref()
        .map(ServiceAccountName::parse)
        .transpose()?;
    ensure_may_issue(services, actor, role.as_str(), service_account.is_some()).await?;
    let fresh = token::Fresh::new();
    let mut tx = services.store.begin().await?;
    let owner = match &service_account {
        Some(account) => service_account::ensure(&mut tx, actor, account, &role).await?,
        None => me.user_id,
    };
    let sql = "INSERT INTO api_keys (id, name, role_name, user_id, created_by, secret_hash, created_at, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    with_tx!(&mut tx, conn => {
        sqlx::query(sql)
            .bind(&fresh.id).bind(name.as_str()).bind(role.as_str()).bind(owner).bind(me.user_id)
            .bind(fresh.secret_hash()).bind(now).bind(expiry.at())
            .execute(&mut *conn).await?;
    });
    let mut changes = Changes::default();
    changes.field("name", Value::Null, name.as_str());
    changes.field("role", Value::Null, role.as_str());
    changes.field("ownerId", Value::Null, owner);
    changes.field("expiresAt", Value::Null, expiry.at());
    let event = Event::success("apiKeys:create", "apiKeys", &fresh.id).with_changes(changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    issued(services, &fresh).await
}

async fn issued(services: &Services, fresh: &token::Fresh) -> Result<IssuedApiKey> {
    let key = load(services, &fresh.id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("API key {}", fresh.id)))?;
    Ok(IssuedApiKey {
        token: fresh.token(),
        key: key.view(now_ms()),
    })
}

/// Revokes a key: the next request with it is refused, on every process.
/// The row stays, so lists show it as revoked. Revoking twice is no error.
pub async fn revoke(services: &Services, actor: &Actor, id: &str) -> Result<()> {
    visible(services, actor, id).await?;
    let now = now_ms();
    let mut tx = services.store.begin().await?;
    let revoked = with_tx!(&mut tx, conn => {
        sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id).bind(now).execute(&mut *conn).await?.rows_affected()
    });
    if revoked == 1 {
        let mut changes = Changes::default();
        changes.field("revokedAt", Value::Null, now);
        let event = Event::success("apiKeys:destroy", "apiKeys", id).with_changes(changes);
        audit::record(&mut tx, actor, &event).await?;
    }
    tx.commit().await
}

/// A new secret for a key (same id, role and expiry). The old secret keeps
/// working for the grace period, so clients can switch without an outage;
/// only the latest replaced secret is kept.
pub async fn rotate(
    services: &Services,
    actor: &Actor,
    id: &str,
    input: &RotateApiKey,
) -> Result<IssuedApiKey> {
    let me = person(actor)?;
    let grace = RotationGrace::parse(input.grace_seconds)?;
    let key = visible(services, actor, id).await?;
    if !key.is_own(me) {
        return Err(Error::Forbidden(
            "only the key's maker or owner may rotate it".into(),
        ));
    }
    let now = now_ms();
    if key.status(now) != ApiKeyStatus::Active {
        return Err(Error::InvalidInput(
            "a revoked or expired key cannot be rotated; create a new one".into(),
        ));
    }
    ensure_may_issue(services, actor, &key.role_name, key.is_service()).await?;
    let fresh = token::Fresh::for_key(key.id);
    let keep_previous = grace.millis() > 0;
    let sql = "UPDATE api_keys SET secret_hash = $2, \
               previous_secret_hash = CASE WHEN $3 THEN secret_hash ELSE NULL END, \
               previous_valid_until = $4 WHERE id = $1";
    let mut tx = services.store.begin().await?;
    with_tx!(&mut tx, conn => {
        sqlx::query(sql)
            .bind(&fresh.id).bind(fresh.secret_hash()).bind(keep_previous)
            .bind(keep_previous.then(|| now.saturating_add(grace.millis())))
            .execute(&mut *conn).await?;
    });
    let mut changes = Changes::default();
    changes.secret("secret");
    changes.field("graceSeconds", Value::Null, grace.seconds());
    let event = Event::success("apiKeys:rotate", "apiKeys", &fresh.id).with_changes(changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    issued(services, &fresh).await
}
