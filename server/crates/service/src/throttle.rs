//! Failed sign-in counters per account and per client address, kept in the
//! store so that every process behind a load balancer enforces one limit.

use crate::policy::millis;
use crate::store::with_pool;
use crate::{AuthPolicy, Error, Result, Store};

/// The counters a sign-in attempt is charged to.
pub(crate) struct Subjects {
    pub account: String,
    pub address: Option<String>,
}

impl Subjects {
    pub fn new(account_key: &str, ip: Option<&str>) -> Subjects {
        Subjects {
            account: format!("account:{account_key}"),
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

pub(crate) async fn record_failure(
    store: &Store,
    policy: &AuthPolicy,
    subjects: &Subjects,
    now: i64,
) -> Result<()> {
    charge(
        store,
        policy,
        &subjects.account,
        policy.account_failures,
        now,
    )
    .await?;
    if let Some(address) = &subjects.address {
        charge(store, policy, address, policy.address_failures, now).await?;
    }
    Ok(())
}

/// A successful sign-in clears the account's counter (not the address's:
/// one good password must not reset a spraying run).
pub(crate) async fn record_success(store: &Store, subjects: &Subjects) -> Result<()> {
    with_pool!(store, pool => {
        sqlx::query("DELETE FROM login_throttle WHERE subject = $1")
            .bind(&subjects.account)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// One atomic upsert per counter; the counter restarts when its window has
/// passed, and reaching the limit locks the subject for the lockout time.
async fn charge(
    store: &Store,
    policy: &AuthPolicy,
    subject: &str,
    limit: u32,
    now: i64,
) -> Result<()> {
    let window = millis(policy.lockout);
    let upsert = "INSERT INTO login_throttle (subject, failures, window_started_at, locked_until) \
                  VALUES ($1, 1, $2, 0) ON CONFLICT (subject) DO UPDATE SET \
                  failures = CASE WHEN login_throttle.window_started_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
                  window_started_at = CASE WHEN login_throttle.window_started_at < $3 THEN $2 \
                                      ELSE login_throttle.window_started_at END \
                  RETURNING failures";
    let lock = "UPDATE login_throttle SET locked_until = $2, failures = 0, window_started_at = $3 WHERE subject = $1";
    with_pool!(store, pool => {
        let failures: i64 = sqlx::query_scalar(upsert)
            .bind(subject)
            .bind(now)
            .bind(now - window)
            .fetch_one(pool)
            .await?;
        if failures >= i64::from(limit) {
            sqlx::query(lock)
                .bind(subject)
                .bind(now + window)
                .bind(now)
                .execute(pool)
                .await?;
        }
    });
    Ok(())
}
