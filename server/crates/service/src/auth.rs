//! Password sign-in and sign-out.
//!
//! Every failure answers the same: an unknown account, a wrong password and
//! a disabled user are one `InvalidCredentials`, and all three cost one
//! Argon2 verification, so neither the answer nor its timing tells them
//! apart. Failures are counted per account and per client address in the
//! store, so the limits hold across processes.

use model::identity::{CurrentUser, Password};

use crate::actor::{Actor, Origin, Principal};
use crate::audit::{self, Event, Outcome};
use crate::clock::now_ms;
use crate::store::with_pool;
use crate::throttle::{self, Subjects};
use crate::{Error, Result, Services, password, sessions, users};

/// A started session: the token for the cookie or `Authorization: Bearer`.
pub struct SignedInSession {
    pub token: String,
    pub user: CurrentUser,
}

pub async fn sign_in(
    services: &Services,
    account: &str,
    password_text: &str,
    origin: Origin,
) -> Result<SignedInSession> {
    let account_key = account.trim().to_lowercase();
    if account_key.is_empty() || account_key.chars().count() > 254 {
        return Err(Error::InvalidInput(
            "enter the email address or username of the account".into(),
        ));
    }
    let attempt = Password::parse_attempt(password_text)?;
    let store = &services.store;
    // A service account never signs in: it counts as disabled here.
    let sql = "SELECT id, password_hash, enabled AND kind = 'person' FROM users \
               WHERE email = $1 OR username_key = $1";
    let found: Option<(i64, Option<String>, bool)> = with_pool!(store, pool => sqlx::query_as(sql).bind(&account_key).fetch_optional(pool).await?);
    let (user_id, hash) = match found {
        Some((id, hash, true)) => (Some(id), hash),
        Some((id, _, false)) => (Some(id), None),
        None => (None, None),
    };
    let subjects = Subjects::new(user_id, &account_key, origin.ip.as_deref());
    let now = now_ms();
    throttle::check(store, &subjects, now).await?;
    let charged = throttle::charge(store, &services.policy, &subjects, now).await?;

    let anonymous = Actor::anonymous(origin.clone());
    if !password::verify(hash, &attempt).await? {
        throttle::lock_reached(store, &services.policy, &subjects, &charged, now).await?;
        let mut tx = store.begin().await?;
        let event = Event {
            action: "auth:signIn",
            resource: "users",
            record_id: user_id.map(|id| id.to_string()),
            outcome: Outcome::Failure,
            changes: None,
        };
        audit::record_as(&mut tx, &anonymous, user_id, &account_key, &event).await?;
        tx.commit().await?;
        return Err(Error::InvalidCredentials);
    }
    let user_id = user_id.ok_or(Error::InvalidCredentials)?;
    throttle::record_success(store, &subjects).await?;
    // Read before the transaction: a second pool connection taken while
    // holding SQLite's write lock could starve the pool under load.
    let user = users::load(services, user_id)
        .await?
        .ok_or(Error::InvalidCredentials)?;
    let mut tx = store.begin().await?;
    let token = sessions::create(&mut tx, services, user_id, &origin).await?;
    audit::record_as(
        &mut tx,
        &anonymous,
        Some(user_id),
        &user.email,
        &Event::success("auth:signIn", "users", user_id),
    )
    .await?;
    tx.commit().await?;
    let actor = sessions::resolve(services, &token, None, origin).await?;
    let user = current_user(services, &actor).await?;
    Ok(SignedInSession { token, user })
}

/// Ends the actor's session. Signing out twice is not an error.
pub async fn sign_out(services: &Services, actor: &Actor) -> Result<()> {
    // An API key is not a session: signing out with one ends nothing.
    let Principal::User(me) = &actor.principal else {
        return Ok(());
    };
    let Some(session) = me.session() else {
        return Ok(());
    };
    sessions::revoke(services, session).await?;
    let mut tx = services.store.begin().await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("auth:signOut", "users", me.user_id),
    )
    .await?;
    tx.commit().await
}

/// Ends every session of the actor's user, on every device.
pub async fn sign_out_everywhere(services: &Services, actor: &Actor) -> Result<u64> {
    let me = actor.user()?;
    let mut tx = services.store.begin().await?;
    let ended = sessions::revoke_all(&mut tx, me.user_id, None).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("auth:signOutEverywhere", "users", me.user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// The signed-in user, the acting role and its permissions.
pub async fn current_user(services: &Services, actor: &Actor) -> Result<CurrentUser> {
    let me = actor.user()?;
    let user = users::load(services, me.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok(CurrentUser {
        user,
        role: me.role.clone().unwrap_or_default(),
        permissions: (*me.permissions).clone(),
    })
}
