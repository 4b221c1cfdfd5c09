//! Session lifetimes, sign-in throttling and API key auditing, set from
//! configuration.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct AuthPolicy {
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_max: Duration,
    /// Failed sign-ins for one account before it is locked.
    pub account_failures: u32,
    /// Failed sign-ins from one address (any accounts) before it is locked:
    /// stops password spraying.
    pub address_failures: u32,
    /// Failures count within this window; a lock lasts as long.
    pub lockout: Duration,
    /// An API key used after this long unused gets an `apiKeys:use` audit
    /// entry: a dormant key waking up is worth a line, every request is not.
    pub api_key_use_audit: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            session_idle: Duration::from_secs(8 * 3600),
            session_max: Duration::from_secs(7 * 24 * 3600),
            account_failures: 5,
            address_failures: 50,
            lockout: Duration::from_secs(15 * 60),
            api_key_use_audit: Duration::from_secs(24 * 3600),
        }
    }
}

pub(crate) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
