//! Users: the admin operations (behind the `users` permission) and what
//! every signed-in user may do to their own account.

use model::Rejection;
use model::identity::{
    DisplayName, Email, NewUser, Page, Password, ProfileChanges, RoleName, SystemPermission,
    UserChanges, UserView, Username, parse_locale,
};

use crate::actor::Actor;
use crate::audit::{self, Changes, Event};
use crate::clock::now_ms;
use crate::store::{Tx, is_unique_violation, with_pool, with_tx};
use crate::throttle::{self, Subjects};
use crate::{Error, Result, Services, acl, password, roles, sessions};

pub const MAX_PAGE_SIZE: u32 = 200;

type UserRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    bool,
    i64,
    i64,
);

const COLUMNS: &str = "id, email, username, display_name, locale, enabled, created_at, updated_at";
const SEARCH: &str = "WHERE ($1 IS NULL OR email LIKE $1 ESCAPE '\\' OR username_key LIKE $1 ESCAPE '\\' \
                      OR lower(display_name) LIKE $1 ESCAPE '\\')";

/// One page of users, newest first, optionally matching `search` in the
/// email, username or display name.
pub async fn list(
    services: &Services,
    actor: &Actor,
    search: Option<&str>,
    page: u32,
    page_size: u32,
) -> Result<Page<UserView>> {
    actor.require(SystemPermission::Users)?;
    let (page, page_size) = crate::paging::clamp(page, page_size, MAX_PAGE_SIZE);
    let pattern = search
        .filter(|s| !s.trim().is_empty())
        .map(crate::paging::like_pattern);
    let offset = i64::from(page - 1) * i64::from(page_size);
    let count_sql = format!("SELECT count(*) FROM users {SEARCH}");
    let rows_sql =
        format!("SELECT {COLUMNS} FROM users {SEARCH} ORDER BY id DESC LIMIT $2 OFFSET $3");
    let roles_sql = format!(
        "SELECT user_id, role_name, is_default FROM user_roles WHERE user_id IN \
         (SELECT id FROM users {SEARCH} ORDER BY id DESC LIMIT $2 OFFSET $3) ORDER BY role_name"
    );
    let store = &services.store;
    let (count, rows, roles) = with_pool!(store, pool => {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(&pattern).fetch_one(pool).await?;
        let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
            .bind(&pattern).bind(i64::from(page_size)).bind(offset)
            .fetch_all(pool).await?;
        let roles: Vec<(i64, String, bool)> = sqlx::query_as(sqlx::AssertSqlSafe(roles_sql))
            .bind(&pattern).bind(i64::from(page_size)).bind(offset)
            .fetch_all(pool).await?;
        (count, rows, roles)
    });
    let items = rows
        .into_iter()
        .map(|row| {
            let held: Vec<(String, bool)> = roles
                .iter()
                .filter(|(id, ..)| *id == row.0)
                .map(|(_, name, default)| (name.clone(), *default))
                .collect();
            view(row, &held)
        })
        .collect();
    Ok(Page {
        items,
        count,
        page,
        page_size,
    })
}

pub async fn get(services: &Services, actor: &Actor, id: i64) -> Result<UserView> {
    let me = actor.user()?;
    if me.user_id != id {
        actor.require(SystemPermission::Users)?;
    }
    existing(services, id).await
}

pub(crate) async fn load(services: &Services, id: i64) -> Result<Option<UserView>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let store = &services.store;
    let (row, held) = with_pool!(store, pool => {
        let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
        let held: Vec<(String, bool)> =
            sqlx::query_as("SELECT role_name, is_default FROM user_roles WHERE user_id = $1 ORDER BY role_name")
                .bind(id).fetch_all(pool).await?;
        (row, held)
    });
    Ok(row.map(|row| view(row, &held)))
}

/// The user, or `NotFound`.
async fn existing(services: &Services, id: i64) -> Result<UserView> {
    load(services, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

fn view(row: UserRow, held: &[(String, bool)]) -> UserView {
    let (id, email, username, display_name, locale, enabled, created_at, updated_at) = row;
    UserView {
        id,
        email,
        username,
        display_name,
        locale,
        enabled,
        roles: held.iter().map(|(name, _)| name.clone()).collect(),
        default_role: held.iter().find(|(_, d)| *d).map(|(name, _)| name.clone()),
        created_at,
        updated_at,
    }
}

/// A user checked field by field, ready to insert.
pub(crate) struct ValidUser {
    pub email: Email,
    pub username: Option<Username>,
    pub display_name: DisplayName,
    pub password: Password,
    pub locale: Option<String>,
}

impl ValidUser {
    pub fn parse(input: &NewUser) -> Result<ValidUser> {
        Ok(ValidUser {
            email: Email::parse(&input.email)?,
            username: optional_username(input.username.as_deref())?,
            display_name: DisplayName::parse(&input.display_name)?,
            password: Password::parse(&input.password)?,
            locale: parse_locale(input.locale.as_deref().unwrap_or_default())?,
        })
    }
}

fn optional_username(input: Option<&str>) -> Result<Option<Username>> {
    match input.map(str::trim).filter(|u| !u.is_empty()) {
        Some(name) => Ok(Some(Username::parse(name)?)),
        None => Ok(None),
    }
}

pub async fn create(services: &Services, actor: &Actor, input: &NewUser) -> Result<UserView> {
    actor.require(SystemPermission::Users)?;
    let user = ValidUser::parse(input)?;
    let role_names = match &input.roles {
        Some(names) => parse_role_names(names)?,
        None => Vec::new(),
    };
    let hash = password::hash(&user.password).await?;
    let mut tx = services.store.begin().await?;
    let id = insert(&mut tx, &user, &hash).await?;
    let assigned = if input.roles.is_some() {
        roles::assign(&mut tx, actor, id, &role_names, None).await?
    } else {
        roles::assign_default(&mut tx, id).await?
    };
    let mut changes = Changes::default();
    changes.field("email", serde_json::Value::Null, user.email.as_str());
    changes.field(
        "displayName",
        serde_json::Value::Null,
        user.display_name.as_str(),
    );
    changes.field("roles", serde_json::Value::Null, assigned);
    changes.secret("password");
    audit::record(
        &mut tx,
        actor,
        &Event::success("users:create", "users", id).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    existing(services, id).await
}

pub(crate) async fn insert(tx: &mut Tx, user: &ValidUser, hash: &str) -> Result<i64> {
    let now = now_ms();
    let sql = "INSERT INTO users (email, username, username_key, display_name, locale, enabled, password_hash, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $7) RETURNING id";
    let inserted: Result<i64, sqlx::Error> = with_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(user.email.as_str())
            .bind(user.username.as_ref().map(Username::as_str))
            .bind(user.username.as_ref().map(Username::key))
            .bind(user.display_name.as_str())
            .bind(&user.locale)
            .bind(hash)
            .bind(now)
            .fetch_one(&mut *conn)
            .await
    });
    inserted.map_err(|e| taken(e, user.username.is_some()))
}

/// A unique violation names the email or the username: both backends put
/// the constraint (column) name in the message.
fn taken(error: sqlx::Error, has_username: bool) -> Error {
    if !is_unique_violation(&error) {
        return error.into();
    }
    let message = match &error {
        sqlx::Error::Database(db) => db.message().to_owned(),
        _ => String::new(),
    };
    if has_username && message.contains("username") {
        Rejection::UsernameTaken.into()
    } else {
        Rejection::EmailTaken.into()
    }
}

pub(crate) fn parse_role_names(names: &[String]) -> Result<Vec<RoleName>> {
    names
        .iter()
        .map(|n| RoleName::parse(n).map_err(Error::from))
        .collect()
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    id: i64,
    input: &UserChanges,
) -> Result<UserView> {
    let me = actor.require(SystemPermission::Users)?;
    if input.enabled == Some(false) && me.user_id == id {
        return Err(Rejection::SelfDisable.into());
    }
    let before = existing(services, id).await?;
    let email = match &input.email {
        Some(e) => Email::parse(e)?.as_str().to_owned(),
        None => before.email.clone(),
    };
    let username = match &input.username {
        Some(u) => optional_username(Some(u))?,
        None => optional_username(before.username.as_deref())?,
    };
    let display_name = match &input.display_name {
        Some(d) => DisplayName::parse(d)?.as_str().to_owned(),
        None => before.display_name.clone(),
    };
    let locale = match &input.locale {
        Some(l) => parse_locale(l)?,
        None => before.locale.clone(),
    };
    let enabled = input.enabled.unwrap_or(before.enabled);
    let role_names = input.roles.as_deref().map(parse_role_names).transpose()?;

    let mut tx = services.store.begin().await?;
    // First, the shared row every role change writes: concurrent changes to
    // users queue here, so the last-admin count below sees committed truth.
    acl::bump(&mut tx).await?;
    roles::ensure_may_manage(&mut tx, actor, &before.roles).await?;
    let sql = "UPDATE users SET email = $2, username = $3, username_key = $4, display_name = $5, locale = $6, \
               enabled = $7, updated_at = $8 WHERE id = $1";
    let updated: Result<_, sqlx::Error> = with_tx!(&mut tx, conn => {
        sqlx::query(sql)
            .bind(id)
            .bind(&email)
            .bind(username.as_ref().map(Username::as_str))
            .bind(username.as_ref().map(Username::key))
            .bind(&display_name)
            .bind(&locale)
            .bind(enabled)
            .bind(now_ms())
            .execute(&mut *conn)
            .await
            .map(drop)
    });
    updated.map_err(|e| taken(e, username.is_some()))?;
    let mut changes = Changes::default();
    changes.field("email", before.email.as_str(), email.as_str());
    changes.field(
        "username",
        before.username.clone(),
        username.as_ref().map(|u| u.as_str().to_owned()),
    );
    changes.field(
        "displayName",
        before.display_name.as_str(),
        display_name.as_str(),
    );
    changes.field("locale", before.locale.clone(), locale.clone());
    changes.field("enabled", before.enabled, enabled);
    if role_names.is_some() || input.default_role.is_some() {
        let names = match &role_names {
            Some(names) => names.clone(),
            None => parse_role_names(&before.roles)?,
        };
        let default = input
            .default_role
            .as_deref()
            .or(before.default_role.as_deref());
        let assigned = roles::assign(&mut tx, actor, id, &names, default).await?;
        changes.field("roles", before.roles.clone(), assigned);
    }
    if !enabled {
        sessions::revoke_all(&mut tx, id, None).await?;
    }
    roles::ensure_an_admin_remains(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("users:update", "users", id).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    existing(services, id).await
}

pub async fn delete(services: &Services, actor: &Actor, id: i64) -> Result<()> {
    let me = actor.require(SystemPermission::Users)?;
    if me.user_id == id {
        return Err(Rejection::SelfDelete.into());
    }
    let before = existing(services, id).await?;
    let mut tx = services.store.begin().await?;
    acl::bump(&mut tx).await?;
    roles::ensure_may_manage(&mut tx, actor, &before.roles).await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *conn).await?;
    });
    roles::ensure_an_admin_remains(&mut tx).await?;
    let mut changes = Changes::default();
    changes.field("email", before.email.as_str(), serde_json::Value::Null);
    audit::record(
        &mut tx,
        actor,
        &Event::success("users:destroy", "users", id).with_changes(changes),
    )
    .await?;
    tx.commit().await
}

/// An administrator sets a new password for someone; all their sessions end.
pub async fn reset_password(
    services: &Services,
    actor: &Actor,
    id: i64,
    new_password: &str,
) -> Result<()> {
    actor.require(SystemPermission::Users)?;
    let target = existing(services, id).await?;
    let hash = password::hash(&Password::parse(new_password)?).await?;
    let mut tx = services.store.begin().await?;
    roles::ensure_may_manage(&mut tx, actor, &target.roles).await?;
    set_password(&mut tx, id, &hash).await?;
    sessions::revoke_all(&mut tx, id, None).await?;
    let mut changes = Changes::default();
    changes.secret("password");
    audit::record(
        &mut tx,
        actor,
        &Event::success("users:resetPassword", "users", id).with_changes(changes),
    )
    .await?;
    tx.commit().await
}

async fn set_password(tx: &mut Tx, id: i64, hash: &str) -> Result<()> {
    with_tx!(tx, conn => {
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(now_ms())
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Users change their own password with the current one; every other
/// session of theirs ends, this one stays.
pub async fn change_own_password(
    services: &Services,
    actor: &Actor,
    current: &str,
    new_password: &str,
) -> Result<()> {
    let me = actor.user()?;
    let new_password = Password::parse(new_password)?;
    let current = Password::parse_attempt(current).map_err(|_| Rejection::PasswordWrong)?;
    let store = &services.store;
    let stored: Option<String> = with_pool!(store, pool => {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(me.user_id)
            .fetch_optional(pool)
            .await?
            .flatten()
    });
    // Guessing the current password with a stolen session is throttled
    // like signing in, on the same counters.
    let subjects = Subjects::new(Some(me.user_id), "", actor.origin.ip.as_deref());
    let now = now_ms();
    throttle::check(store, &subjects, now).await?;
    let charged = throttle::charge(store, &services.policy, &subjects, now).await?;
    if !password::verify(stored, &current).await? {
        throttle::lock_reached(store, &services.policy, &subjects, &charged, now).await?;
        return Err(Rejection::PasswordWrong.into());
    }
    throttle::record_success(store, &subjects).await?;
    let hash = password::hash(&new_password).await?;
    let mut tx = services.store.begin().await?;
    set_password(&mut tx, me.user_id, &hash).await?;
    sessions::revoke_all(&mut tx, me.user_id, me.session()).await?;
    let mut changes = Changes::default();
    changes.secret("password");
    let event = Event::success("auth:changePassword", "users", me.user_id).with_changes(changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await
}

pub async fn update_profile(
    services: &Services,
    actor: &Actor,
    input: &ProfileChanges,
) -> Result<UserView> {
    let me = actor.user()?;
    let before = load(services, me.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let display_name = match &input.display_name {
        Some(d) => DisplayName::parse(d)?.as_str().to_owned(),
        None => before.display_name.clone(),
    };
    let locale = match &input.locale {
        Some(l) => parse_locale(l)?,
        None => before.locale.clone(),
    };
    let mut tx = services.store.begin().await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("UPDATE users SET display_name = $2, locale = $3, updated_at = $4 WHERE id = $1")
            .bind(me.user_id)
            .bind(&display_name)
            .bind(&locale)
            .bind(now_ms())
            .execute(&mut *conn)
            .await?;
    });
    let mut changes = Changes::default();
    changes.field(
        "displayName",
        before.display_name.as_str(),
        display_name.as_str(),
    );
    changes.field("locale", before.locale.clone(), locale.clone());
    let event = Event::success("users:updateProfile", "users", me.user_id).with_changes(changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    load(services, me.user_id)
        .await?
        .ok_or(Error::Unauthenticated)
}
