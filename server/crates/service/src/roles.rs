//! Roles and their permissions. Admins (the `users` permission) manage
//! them; nobody can hand out more than their own role holds.

use std::collections::BTreeSet;

use model::Rejection;
use model::identity::{
    CollectionAction, CollectionGrant, DataScope, NewRole, RoleChanges, RoleName, RolePermissions,
    RoleView, SystemPermission,
};

use crate::actor::Actor;
use crate::audit::{self, Changes, Event};
use crate::clock::now_ms;
use crate::store::{Tx, is_unique_violation, with_pool, with_tx};
use crate::{Error, Result, Services, Store, acl};

pub async fn exists(store: &Store, name: &str) -> Result<bool> {
    let found: Option<String> = with_pool!(store, pool => {
        sqlx::query_scalar("SELECT name FROM roles WHERE name = $1").bind(name).fetch_optional(pool).await?
    });
    Ok(found.is_some())
}

type GrantRow = (String, String, String, Option<String>, String);
type PermissionRows = (Option<bool>, Vec<String>, Vec<GrantRow>);

/// The three reads of a role's permissions, on a pool or a transaction's
/// connection (`$conn` is evaluated for each query).
macro_rules! fetch_permissions {
    ($conn:expr, $name:expr) => {{
        let all: Option<bool> = sqlx::query_scalar("SELECT all_permissions FROM roles WHERE name = $1")
            .bind($name).fetch_optional($conn).await?;
        let system: Vec<String> = sqlx::query_scalar(
            "SELECT permission FROM role_system_permissions WHERE role_name = $1 ORDER BY permission")
            .bind($name).fetch_all($conn).await?;
        let grants: Vec<GrantRow> = sqlx::query_as(
            "SELECT data_source, collection, action, fields, scope FROM role_collection_grants \
             WHERE role_name = $1 ORDER BY data_source, collection, action")
            .bind($name).fetch_all($conn).await?;
        (all, system, grants)
    }};
}

/// The permissions a role grants, straight from the store (the cache in
/// `acl` calls this). `None` for an unknown role.
pub async fn load_permissions(store: &Store, name: &str) -> Result<Option<RolePermissions>> {
    let rows: PermissionRows = with_pool!(store, pool => fetch_permissions!(pool, name));
    Ok(permissions_from(rows))
}

/// The same, read inside a transaction.
async fn permissions_in(tx: &mut Tx, name: &str) -> Result<Option<RolePermissions>> {
    let rows: PermissionRows = with_tx!(tx, conn => fetch_permissions!(&mut *conn, name));
    Ok(permissions_from(rows))
}

/// A grant whose stored fields or scope cannot be read is dropped, never
/// widened to "every field" or "all records".
fn permissions_from((all, system, grants): PermissionRows) -> Option<RolePermissions> {
    let all = all?;
    let system = system
        .iter()
        .filter_map(|p| SystemPermission::parse(p))
        .collect();
    let grants = grants
        .into_iter()
        .filter_map(|(data_source, collection, action, fields, scope)| {
            Some(CollectionGrant {
                data_source,
                collection,
                action: CollectionAction::parse(&action)?,
                fields: match fields {
                    Some(f) => Some(serde_json::from_str(&f).ok()?),
                    None => None,
                },
                scope: serde_json::from_str(&scope).ok()?,
            })
        })
        .collect();
    Some(RolePermissions {
        all,
        system,
        grants,
    })
}

type RoleRow = (String, String, String, bool, bool, i64);

pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<RoleView>> {
    actor.require(SystemPermission::Users)?;
    let sql = "SELECT r.name, r.title, r.description, r.is_default, r.built_in, \
               (SELECT count(*) FROM user_roles ur WHERE ur.role_name = r.name) \
               FROM roles r ORDER BY r.built_in DESC, r.name";
    let store = &services.store;
    let rows: Vec<RoleRow> = with_pool!(store, pool => sqlx::query_as(sql).fetch_all(pool).await?);
    let mut roles = Vec::with_capacity(rows.len());
    for row in rows {
        let permissions = load_permissions(store, &row.0).await?.unwrap_or_default();
        roles.push(view(row, permissions));
    }
    Ok(roles)
}

pub async fn get(services: &Services, actor: &Actor, name: &str) -> Result<RoleView> {
    actor.require(SystemPermission::Users)?;
    load(&services.store, name)
        .await?
        .ok_or_else(|| Rejection::RoleUnknown.into())
}

async fn load(store: &Store, name: &str) -> Result<Option<RoleView>> {
    let sql = "SELECT r.name, r.title, r.description, r.is_default, r.built_in, \
               (SELECT count(*) FROM user_roles ur WHERE ur.role_name = r.name) FROM roles r WHERE r.name = $1";
    let row: Option<RoleRow> =
        with_pool!(store, pool => sqlx::query_as(sql).bind(name).fetch_optional(pool).await?);
    let Some(row) = row else { return Ok(None) };
    let permissions = load_permissions(store, name).await?.unwrap_or_default();
    Ok(Some(view(row, permissions)))
}

fn view(row: RoleRow, permissions: RolePermissions) -> RoleView {
    let (name, title, description, is_default, built_in, user_count) = row;
    RoleView {
        name,
        title,
        description,
        is_default,
        built_in,
        permissions,
        user_count,
    }
}

fn parse_title(title: &str) -> Result<String> {
    model::identity::DisplayName::parse(title)
        .map(|t| t.as_str().to_owned())
        .map_err(|_| Rejection::RoleTitleInvalid.into())
}

fn parse_description(text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > 500 {
        return Err(Error::InvalidInput(
            "a role description has at most 500 characters".into(),
        ));
    }
    Ok(text.to_owned())
}

/// Grants name a data source and a collection (or `*`); fields, if listed,
/// are non-empty names. Whether they exist is checked by the data-source
/// layer when the grant is used.
fn validate(permissions: &RolePermissions) -> Result<()> {
    let name_ok =
        |s: &str| !s.trim().is_empty() && s.len() <= 200 && !s.chars().any(char::is_control);
    for grant in &permissions.grants {
        let fields_ok = grant
            .fields
            .as_ref()
            .is_none_or(|f| f.iter().all(|f| name_ok(f)));
        let scope_ok = !matches!(&grant.scope, DataScope::Filter(f) if !f.is_object());
        if !name_ok(&grant.data_source) || !name_ok(&grant.collection) || !fields_ok || !scope_ok {
            return Err(Rejection::PermissionUnknown.into());
        }
    }
    Ok(())
}

/// Nobody hands out more than they hold: only an all-permissions actor may
/// touch an all-permissions role; system permissions must be a subset of
/// the actor's own, and every record grant covered by one of theirs.
fn ensure_delegable(actor: &Actor, permissions: &RolePermissions) -> Result<()> {
    let me = actor.user()?;
    if me.permissions.all {
        return Ok(());
    }
    if permissions.all
        || !grants_covered(&me.permissions, permissions)
        || !permissions.system.iter().all(|p| me.permissions.allows(*p))
    {
        return Err(Error::Forbidden(
            "a role cannot grant more than your own role holds".into(),
        ));
    }
    Ok(())
}

/// What `theirs` lets a role do with each collection is within what `mine`
/// does. Compared per collection on the effective grant (a named grant, or
/// else the source's `*`), not grant by grant: someone holding `*` plus a
/// narrower grant on one collection must not hand out a bare `*`, which
/// would reach that collection in full.
fn grants_covered(mine: &RolePermissions, theirs: &RolePermissions) -> bool {
    theirs.grants.iter().all(|grant| {
        let (source, action) = (&grant.data_source, grant.action);
        let named = |p: &'_ RolePermissions| {
            p.grants
                .iter()
                .filter(|g| &g.data_source == source && g.action == action)
                .map(|g| g.collection.clone())
                .collect::<Vec<_>>()
        };
        // `*` itself stands for every collection neither names.
        named(mine)
            .into_iter()
            .chain(named(theirs))
            .all(
                |collection| match theirs.grant(source, &collection, action) {
                    None => true,
                    Some(t) => mine
                        .grant(source, &collection, action)
                        .is_some_and(|m| covers(m, t)),
                },
            )
    })
}

/// `mine` reaches at least the fields and records `theirs` does.
fn covers(mine: &CollectionGrant, theirs: &CollectionGrant) -> bool {
    let fields = match (&mine.fields, &theirs.fields) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(mine), Some(theirs)) => theirs.iter().all(|f| mine.contains(f)),
    };
    fields && (mine.scope == DataScope::All || mine.scope == theirs.scope)
}

/// The actor may manage a user only if they could grant every role the
/// user holds: a user manager cannot take over (reset, re-address,
/// disable, delete) an account more powerful than their own.
pub(crate) async fn ensure_may_manage(tx: &mut Tx, actor: &Actor, held: &[String]) -> Result<()> {
    for role in held {
        if let Some(permissions) = permissions_in(tx, role).await? {
            ensure_delegable(actor, &permissions)?;
        }
    }
    Ok(())
}

pub async fn create(services: &Services, actor: &Actor, input: &NewRole) -> Result<RoleView> {
    actor.require(SystemPermission::Users)?;
    let name = RoleName::parse(&input.name)?;
    let title = parse_title(&input.title)?;
    let description = parse_description(&input.description)?;
    let mut permissions = input.permissions.clone();
    permissions.all = false;
    validate(&permissions)?;
    ensure_delegable(actor, &permissions)?;
    let mut tx = services.store.begin().await?;
    let now = now_ms();
    let sql = "INSERT INTO roles (name, title, description, is_default, built_in, all_permissions, created_at, updated_at) \
               VALUES ($1, $2, $3, FALSE, FALSE, FALSE, $4, $4)";
    let inserted: Result<_, sqlx::Error> = with_tx!(&mut tx, conn => {
        sqlx::query(sql).bind(name.as_str()).bind(&title).bind(&description).bind(now).execute(&mut *conn).await.map(drop)
    });
    inserted.map_err(|e| {
        if is_unique_violation(&e) {
            Rejection::RoleTaken.into()
        } else {
            Error::from(e)
        }
    })?;
    write_permissions(&mut tx, name.as_str(), &permissions).await?;
    if input.is_default {
        make_default(&mut tx, name.as_str()).await?;
    }
    acl::bump(&mut tx).await?;
    let mut changes = Changes::default();
    changes.field("title", serde_json::Value::Null, title.as_str());
    changes.field(
        "permissions",
        serde_json::Value::Null,
        serde_json::to_value(&permissions).unwrap_or_default(),
    );
    audit::record(
        &mut tx,
        actor,
        &Event::success("roles:create", "roles", name.as_str()).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    load(&services.store, name.as_str())
        .await?
        .ok_or_else(|| Rejection::RoleUnknown.into())
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    name: &str,
    input: &RoleChanges,
) -> Result<RoleView> {
    actor.require(SystemPermission::Users)?;
    let before = load(&services.store, name)
        .await?
        .ok_or(Rejection::RoleUnknown)?;
    ensure_delegable(actor, &before.permissions)?;
    let title = input
        .title
        .as_deref()
        .map(parse_title)
        .transpose()?
        .unwrap_or(before.title.clone());
    let description = input
        .description
        .as_deref()
        .map(parse_description)
        .transpose()?
        .unwrap_or(before.description.clone());
    if let Some(permissions) = &input.permissions {
        if before.permissions.all {
            return Err(Rejection::RoleBuiltIn.into());
        }
        validate(permissions)?;
        ensure_delegable(actor, permissions)?;
    }
    let mut tx = services.store.begin().await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("UPDATE roles SET title = $2, description = $3, updated_at = $4 WHERE name = $1")
            .bind(name).bind(&title).bind(&description).bind(now_ms())
            .execute(&mut *conn).await?;
    });
    let mut changes = Changes::default();
    changes.field("title", before.title.as_str(), title.as_str());
    changes.field(
        "description",
        before.description.as_str(),
        description.as_str(),
    );
    if let Some(permissions) = &input.permissions {
        let mut permissions = permissions.clone();
        permissions.all = false;
        write_permissions(&mut tx, name, &permissions).await?;
        changes.field(
            "permissions",
            serde_json::to_value(&before.permissions).unwrap_or_default(),
            serde_json::to_value(&permissions).unwrap_or_default(),
        );
    }
    match input.is_default {
        Some(true) if !before.is_default => make_default(&mut tx, name).await?,
        Some(false) if before.is_default => with_tx!(&mut tx, conn => {
            sqlx::query("UPDATE roles SET is_default = FALSE WHERE name = $1").bind(name).execute(&mut *conn).await?;
        }),
        _ => {}
    }
    if let Some(is_default) = input.is_default {
        changes.field("isDefault", before.is_default, is_default);
    }
    acl::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("roles:update", "roles", name).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    load(&services.store, name)
        .await?
        .ok_or_else(|| Rejection::RoleUnknown.into())
}

pub async fn delete(services: &Services, actor: &Actor, name: &str) -> Result<()> {
    actor.require(SystemPermission::Users)?;
    let before = load(&services.store, name)
        .await?
        .ok_or(Rejection::RoleUnknown)?;
    if before.built_in {
        return Err(Rejection::RoleBuiltIn.into());
    }
    ensure_delegable(actor, &before.permissions)?;
    let mut tx = services.store.begin().await?;
    with_tx!(&mut tx, conn => {
        sqlx::query("DELETE FROM roles WHERE name = $1").bind(name).execute(&mut *conn).await?;
    });
    acl::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("roles:destroy", "roles", name),
    )
    .await?;
    tx.commit().await
}

async fn make_default(tx: &mut Tx, name: &str) -> Result<()> {
    with_tx!(tx, conn => {
        sqlx::query("UPDATE roles SET is_default = (name = $1)").bind(name).execute(&mut *conn).await?;
    });
    Ok(())
}

async fn write_permissions(tx: &mut Tx, name: &str, permissions: &RolePermissions) -> Result<()> {
    let system: BTreeSet<&str> = permissions.system.iter().map(|p| p.as_str()).collect();
    with_tx!(tx, conn => {
        sqlx::query("DELETE FROM role_system_permissions WHERE role_name = $1").bind(name).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM role_collection_grants WHERE role_name = $1").bind(name).execute(&mut *conn).await?;
        for permission in &system {
            sqlx::query("INSERT INTO role_system_permissions (role_name, permission) VALUES ($1, $2)")
                .bind(name).bind(permission).execute(&mut *conn).await?;
        }
        for grant in &permissions.grants {
            let fields = grant.fields.as_ref().map(|f| serde_json::to_string(f).unwrap_or_default());
            let scope = serde_json::to_string(&grant.scope).unwrap_or_default();
            sqlx::query(
                "INSERT INTO role_collection_grants (role_name, data_source, collection, action, fields, scope) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(name).bind(grant.data_source.trim()).bind(grant.collection.trim())
                .bind(grant.action.as_str()).bind(&fields).bind(&scope)
                .execute(&mut *conn).await?;
        }
    });
    Ok(())
}

/// Sets a user's roles to `names` (the default one flagged); returns the
/// assigned names. Roles added or removed must be ones the actor could
/// grant, so a user manager cannot make anyone (or themselves) an admin.
pub(crate) async fn assign(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    names: &[RoleName],
    default: Option<&str>,
) -> Result<Vec<String>> {
    let wanted: BTreeSet<String> = names.iter().map(|n| n.as_str().to_owned()).collect();
    let held: Vec<String> = with_tx!(tx, conn => {
        sqlx::query_scalar("SELECT role_name FROM user_roles WHERE user_id = $1").bind(user_id).fetch_all(&mut *conn).await?
    });
    let held: BTreeSet<String> = held.into_iter().collect();
    for changed in wanted.symmetric_difference(&held) {
        let permissions = permissions_in(tx, changed)
            .await?
            .ok_or(Rejection::RoleUnknown)?;
        ensure_delegable(actor, &permissions)?;
    }
    let default = default
        .filter(|d| wanted.contains(*d))
        .or_else(|| wanted.iter().next().map(String::as_str));
    with_tx!(tx, conn => {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
        for name in &wanted {
            sqlx::query("INSERT INTO user_roles (user_id, role_name, is_default) VALUES ($1, $2, $3)")
                .bind(user_id).bind(name).bind(Some(name.as_str()) == default)
                .execute(&mut *conn).await?;
        }
    });
    Ok(wanted.into_iter().collect())
}

/// Gives a new user the default role(s).
pub(crate) async fn assign_default(tx: &mut Tx, user_id: i64) -> Result<Vec<String>> {
    let names: Vec<String> = with_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role_name, is_default) \
             SELECT $1, name, TRUE FROM roles WHERE is_default")
            .bind(user_id).execute(&mut *conn).await?;
        sqlx::query_scalar("SELECT role_name FROM user_roles WHERE user_id = $1").bind(user_id).fetch_all(&mut *conn).await?
    });
    Ok(names)
}

/// Refuses (and so rolls back) any change that leaves no enabled person
/// holding the admin role (a service account cannot sign in to fix things).
pub(crate) async fn ensure_an_admin_remains(tx: &mut Tx) -> Result<()> {
    let sql = "SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id \
               WHERE ur.role_name = $1 AND u.enabled AND u.kind = 'person'";
    let admins: i64 = with_tx!(tx, conn => {
        sqlx::query_scalar(sql).bind(RoleName::ADMIN).fetch_one(&mut *conn).await?
    });
    if admins == 0 {
        return Err(Rejection::LastAdmin.into());
    }
    Ok(())
}
