//! The first administrator: created once on an empty store, from the
//! environment at start-up, from the one-time set-up page, or with
//! `ferrobase create-admin` (which also works later, to recover access).

use model::Rejection;
use model::identity::{NewUser, RoleName, UserView};

use crate::actor::{Actor, Origin};
use crate::audit::{self, Changes, Event};
use crate::auth::SignedInSession;
use crate::store::{Tx, with_pool, with_tx};
use crate::users::ValidUser;
use crate::{Error, Result, Services, password, sessions, users};

/// True until the first administrator exists.
pub async fn needed(services: &Services) -> Result<bool> {
    let store = &services.store;
    let done: bool = with_pool!(store, pool => {
        sqlx::query_scalar("SELECT admin_created FROM instance WHERE id = 1").fetch_one(pool).await?
    });
    Ok(!done)
}

/// The set-up page: creates the first administrator and signs them in.
/// Refused with `SETUP_DONE` once any administrator was created this way.
pub async fn create_first_admin(
    services: &Services,
    input: &NewUser,
    origin: Origin,
) -> Result<SignedInSession> {
    let actor = Actor::anonymous(origin.clone());
    let user = ValidUser::parse(input)?;
    // Refused before hashing: a closed set-up page must not be a free
    // Argon2 run for anyone who posts to it.
    if !needed(services).await? {
        return Err(Rejection::SetupDone.into());
    }
    let hash = password::hash(&user.password).await?;
    let mut tx = services.store.begin().await?;
    claim_setup(&mut tx).await?;
    let id = insert_admin(&mut tx, &actor, &user, &hash, "setup").await?;
    let token = sessions::create(&mut tx, services, id, &origin).await?;
    tx.commit().await?;
    let actor = sessions::resolve(services, &token, None, origin).await?;
    let user = crate::auth::current_user(services, &actor).await?;
    Ok(SignedInSession { token, user })
}

/// `FERROBASE_ADMIN_EMAIL` + `FERROBASE_ADMIN_PASSWORD` at start-up: does
/// nothing when an administrator was already created (so restarts with the
/// variables still set are harmless). Returns the user when it created one.
pub async fn admin_from_environment(
    services: &Services,
    input: &NewUser,
) -> Result<Option<UserView>> {
    let actor = Actor::system("environment (FERROBASE_ADMIN_EMAIL)");
    let user = ValidUser::parse(input)?;
    if !needed(services).await? {
        return Ok(None);
    }
    let hash = password::hash(&user.password).await?;
    let mut tx = services.store.begin().await?;
    match claim_setup(&mut tx).await {
        Err(Error::Rejected(Rejection::SetupDone)) => return Ok(None),
        other => other?,
    }
    let id = insert_admin(&mut tx, &actor, &user, &hash, "environment").await?;
    tx.commit().await?;
    users::load(services, id).await
}

/// `ferrobase create-admin`: an administrator at any time, for first runs
/// without a browser and for recovering a locked-out installation.
pub async fn create_admin(services: &Services, input: &NewUser) -> Result<UserView> {
    let actor = Actor::system("command line (ferrobase create-admin)");
    let user = ValidUser::parse(input)?;
    let hash = password::hash(&user.password).await?;
    let mut tx = services.store.begin().await?;
    let _ = claim_setup(&mut tx).await;
    let id = insert_admin(&mut tx, &actor, &user, &hash, "command line").await?;
    tx.commit().await?;
    users::load(services, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

/// Flips `admin_created` exactly once, even with several processes racing:
/// the row update is the lock.
async fn claim_setup(tx: &mut Tx) -> Result<()> {
    let claimed = with_tx!(tx, conn => {
        sqlx::query("UPDATE instance SET admin_created = TRUE WHERE id = 1 AND NOT admin_created")
            .execute(&mut *conn).await?.rows_affected()
    });
    if claimed == 1 {
        Ok(())
    } else {
        Err(Rejection::SetupDone.into())
    }
}

async fn insert_admin(
    tx: &mut Tx,
    actor: &Actor,
    user: &ValidUser,
    hash: &str,
    how: &str,
) -> Result<i64> {
    let id = users::insert(tx, user, hash).await?;
    with_tx!(tx, conn => {
        sqlx::query("INSERT INTO user_roles (user_id, role_name, is_default) VALUES ($1, $2, TRUE)")
            .bind(id).bind(RoleName::ADMIN).execute(&mut *conn).await?;
    });
    let mut changes = Changes::default();
    changes.field("email", serde_json::Value::Null, user.email.as_str());
    changes.field("roles", serde_json::Value::Null, vec![RoleName::ADMIN]);
    changes.field("via", serde_json::Value::Null, how);
    changes.secret("password");
    audit::record(
        tx,
        actor,
        &Event::success("users:createAdmin", "users", id).with_changes(changes),
    )
    .await?;
    crate::acl::bump(tx).await?;
    Ok(id)
}
