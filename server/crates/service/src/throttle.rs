//! Failed sign-in counters, kept in the store so that every process behind
//! a load balancer enforces one limit:
//!
//! - per account *and* client address: the usual limit, so a stranger
//!   guessing from elsewhere cannot lock the administrator out of their own
//!   address;
//! - per account from anywhere: [`ACCOUNT_WIDE_FACTOR`] times that, so many
//!   addresses together still get only so many guesses;
//! - per address across accounts: stops password spraying.
//!
//! IPv6 clients count per /64, the block one subscriber usually holds.

use crate::policy::millis;
use crate::store::with_pool;
use crate::{AuthPolicy, Error, Result, Store};

/// How many times the per-address account limit the account takes from all
/// addresses together before it locks everywhere.
const ACCOUNT_WIDE_FACTOR: u32 = 10;

/// The counters a sign-in attempt is charged to: the account (its user id
/// when it exists, so email and username share one counter; else what was
/// typed) from this address, the account from anywhere, and the address.
pub(crate) struct Subjects {
    pub account_here: String,
    pub account: String,
    pub address: Option<String>,
}

impl Subjects {
    /// `user_id` when the account exists, else the typed account.
    pub fn new(user_id: Option<i64>, typed: &str, ip: Option<&str>) -> Subjects {
        let account = user_id.map_or_else(|| format!("account:{typed}"), |id| format!("user:{id}"));
        let address = ip.map(|ip| format!("ip:{}", client_block(ip)));
        Subjects {
            account_here: format!("{account}@{}", address.as_deref().unwrap_or("ip:unknown")),
            account,
            address,
        }
    }

    fn all(&self) -> [Option<&str>; 3] {
        [
            Some(&self.account_here),
            Some(&self.account),
            self.address.as_deref(),
        ]
    }
}

/// An IPv4 address as is; an IPv6 one as its /64 (an IPv4-mapped one as
/// the IPv4 address), so rotating through one subscriber's block does not
/// make fresh counters.
fn client_block(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => ip.to_owned(),
    }
}

/// `TooManyAttempts` while any of the attempt's counters is locked.
pub(crate) async fn check(store: &Store, subjects: &Subjects, now: i64) -> Result<()> {
    let sql = "SELECT max(locked_until) FROM login_throttle WHERE subject IN ($1, $2, $3)";
    let [here, account, address] = subjects.all();
    let locked_until: Option<i64> = with_pool!(store, pool => {
        sqlx::query_scalar(sql)
            .bind(here)
            .bind(account)
            .bind(address)
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

/// Charges this attempt to every counter before the password is checked,
/// so concurrent guesses cannot all slip under the limit; an attempt past
/// a limit is refused (and locks) without checking anything.
pub(crate) async fn charge(
    store: &Store,
    policy: &AuthPolicy,
    subjects: &Subjects,
    now: i64,
) -> Result<Charged> {
    let mut counts = [0; 3];
    for (count, subject) in counts.iter_mut().zip(subjects.all()) {
        if let Some(subject) = subject {
            *count = bump(store, policy, subject, now).await?;
        }
    }
    let charged = Charged(counts);
    if counts
        .iter()
        .zip(limits(policy))
        .any(|(count, limit)| *count > limit)
    {
        lock_reached(store, policy, subjects, &charged, now).await?;
        return Err(Error::TooManyAttempts {
            retry_after_secs: policy.lockout.as_secs().max(1),
        });
    }
    Ok(charged)
}

/// The limits of the counters, in [`Subjects::all`] order.
fn limits(policy: &AuthPolicy) -> [i64; 3] {
    let account = i64::from(policy.account_failures);
    [
        account,
        account.saturating_mul(i64::from(ACCOUNT_WIDE_FACTOR)),
        i64::from(policy.address_failures),
    ]
}

/// The counts an attempt was charged with, in [`Subjects::all`] order.
pub(crate) struct Charged([i64; 3]);

impl Charged {
    /// Which counters are at or past their limit.
    fn reached(&self, policy: &AuthPolicy) -> [bool; 3] {
        let limits = limits(policy);
        [0, 1, 2].map(|i| self.0[i] >= limits[i])
    }
}

/// After a failed attempt: locks each subject that reached its limit.
pub(crate) async fn lock_reached(
    store: &Store,
    policy: &AuthPolicy,
    subjects: &Subjects,
    charged: &Charged,
    now: i64,
) -> Result<()> {
    for (reached, subject) in charged.reached(policy).into_iter().zip(subjects.all()) {
        if let (true, Some(subject)) = (reached, subject) {
            lock(store, policy, subject, now).await?;
        }
    }
    Ok(())
}

/// A successful sign-in clears the account's counters and takes back its
/// charge from the address (only that one: a good password must not reset
/// a spraying run).
pub(crate) async fn record_success(store: &Store, subjects: &Subjects) -> Result<()> {
    with_pool!(store, pool => {
        sqlx::query("DELETE FROM login_throttle WHERE subject IN ($1, $2)")
            .bind(&subjects.account_here)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_per_64() {
        assert_eq!(client_block("203.0.113.9"), "203.0.113.9");
        assert_eq!(client_block("2001:db8:0:1::5"), "2001:db8:0:1::/64");
        assert_eq!(client_block("2001:db8:0:1:ffff:1:2:3"), "2001:db8:0:1::/64");
        assert_ne!(
            client_block("2001:db8:0:2::5"),
            client_block("2001:db8:0:1::5")
        );
        assert_eq!(client_block("::ffff:198.51.100.7"), "198.51.100.7");
        let subjects = Subjects::new(Some(7), "x", Some("2001:db8::1"));
        assert_eq!(subjects.account_here, "user:7@ip:2001:db8:0:0::/64");
        assert_eq!(subjects.account, "user:7");
    }
}
