//! Failed sign-in counters per account and per client address, kept in the
//! store so that every process behind a load balancer enforces one limit.

use crate::policy::millis;
use crate::store::with_pool;
use crate::{AuthPolicy, Error, Result, Store};

/// The counters a sign-in attempt is charged to: the account (its user id
/// when it exists, so email and username share one counter; else what was
/// typed) and the client address.
pub(crate) struct Subjects {
    pub account: String,
    pub address: Option<String>,
}

impl Subjects {
    /// `user_id` when the account exists, else the typed account.
    pub fn new(user_id: Option<i64>, typed: &str, ip: Option<&str>) -> Subjects {
        Subjects {
            account: user_id.map_or_else(|| format!("account:{typed}"), |id| format!("user:{id}")),
            address: ip.map(|ip| format!("ip:{ip}")),
        }
    }
}

/// `TooManyAttempts` while the account or the address is locked.
pub(crate) async fn check(store: &Store, subjects: &Subjects, now: i64) -> Result<()> {
    let sql = "SELECT max(locked_until) FROM login_throttle WHERE subject = $1 OR subject = $2";
    let locked_until: Option<i64> = with_pool!(store, pool => {
        sqlx::query_scalar(sql)
            .bind(&subjects.account)
            .bind(&subjects.address)
            .fetch_one(pool)
            .await?
    });
    match locked_until {
        Some(until) if until > now => Err(Error::TooManyAttempts {
            retry_after_secs: u64::try_from((until - now + 999) / 1000).unwrap_or(1),
        }),
        _ => Ok(()),
    }
}

/// Charges this attempt to both counters before the password is checked,
/// so concurrent guesses cannot all slip under the limit; an attempt past
/// a limit is refused (and locks) without checking anything.
pub(crate) async fn charge(
    store: &Store,
    policy: &AuthPolicy,
    subjects: &Subjects,
    now: i64,
) -> Result<Charged> {
    let account = bump(store, policy, &subjects.account, now).await?;
    let address = match &subjects.address {
        Some(address) => bump(store, policy, address, now).await?,
        None => 0,
    };
    let charged = Charged { account, address };
    if account > i64::from(policy.account_failures) || address > i64::from(policy.address_failures)
    {
        lock_reached(store, policy, subjects, &charged, now).await?;
        return Err(Error::TooManyAttempts {
            retry_after_secs: policy.lockout.as_secs().max(1),
        });
    }
    Ok(charged)
}

/// The counts an attempt was charged with.
pub(crate) struct Charged {
    account: i64,
    address: i64,
}

/// After a failed attempt: locks each subject that reached its limit.
pub(crate) async fn lock_reached(
    store: &Store,
    policy: &AuthPolicy,
    subjects: &Subjects,
    charged: &Charged,
    now: i64,
) -> Result<()> {
    if charged.account >= i64::from(policy.account_failures) {
        lock(store, policy, &subjects.account, now).await?;
    }
    if let Some(address) = &subjects.address
        && charged.address >= i64::from(policy.address_failures)
    {
        lock(store, policy, address, now).await?;
    }
    Ok(())
}

/// A successful sign-in clears the account's counter and takes back its
/// charge from the address (only that one: a good password must not reset
/// a spraying run).
pub(crate) async fn record_success(store: &Store, subjects: &Subjects) -> Result<()> {
    with_pool!(store, pool => {
        sqlx::query("DELETE FROM login_throttle WHERE subject = $1")
            .bind(&subjects.account)
            .execute(pool)
            .await?;
        sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE subject = $1 AND failures > 0")
            .bind(&subjects.address)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The count is kept (so attempts racing this one still see the limit
/// passed) and a new window starts, so it resets once the lock is over.
async fn lock(store: &Store, policy: &AuthPolicy, subject: &str, now: i64) -> Result<()> {
    let sql =
        "UPDATE login_throttle SET locked_until = $2, window_started_at = $3 WHERE subject = $1";
    with_pool!(store, pool => {
        sqlx::query(sql)
            .bind(subject)
            .bind(now + millis(policy.lockout))
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// One atomic upsert per counter, returning its new count; the counter
/// restarts when its window has passed.
async fn bump(store: &Store, policy: &AuthPolicy, subject: &str, now: i64) -> Result<i64> {
    let upsert = "INSERT INTO login_throttle (subject, failures, window_started_at, locked_until) \
                  VALUES ($1, 1, $2, 0) ON CONFLICT (subject) DO UPDATE SET \
                  failures = CASE WHEN login_throttle.window_started_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
                  window_started_at = CASE WHEN login_throttle.window_started_at < $3 THEN $2 \
                                      ELSE login_throttle.window_started_at END \
                  RETURNING failures";
    let failures: i64 = with_pool!(store, pool => {
        sqlx::query_scalar(upsert)
            .bind(subject)
            .bind(now)
            .bind(now - millis(policy.lockout))
            .fetch_one(pool)
            .await?
    });
    Ok(failures)
}
