//! The one error vocabulary of the core.
//!
//! Each variant has a stable machine `code()` that the REST API puts in
//! `{"errors":[{"message","code"}]}`. Messages of user-facing variants are safe
//! to show; the `source` of `Internal` and `Unavailable` is for the log only and
//! never reaches a client.

use std::error::Error as StdError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

type Source = Box<dyn StdError + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    /// A domain rule turned the input down; the UI translates it by code.
    #[error("{0}")]
    Rejected(model::Rejection),
    #[error("{0} not found")]
    NotFound(String),
    /// No valid session or token. One message for every cause, so a caller
    /// cannot tell an unknown account from an expired session.
    #[error("sign in first: the session or API key is missing, expired or revoked")]
    Unauthenticated,
    /// A sign-in with a wrong account or password (or a disabled user):
    /// one answer for all, so accounts cannot be enumerated.
    #[error("the account or the password is not correct")]
    InvalidCredentials,
    /// Signed in, but the acting role lacks the permission.
    #[error("no permission: {0}")]
    Forbidden(String),
    /// Too many failed sign-ins for this account or address.
    #[error("too many failed sign-in attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A dependency (the metadata store) cannot be reached right now.
    #[error("{what} is unavailable")]
    Unavailable {
        what: &'static str,
        #[source]
        source: Source,
    },
    /// The store and the configuration disagree (wrong master key, a store
    /// migrated by a newer Ferrobase). Needs an operator, not a retry.
    #[error("{0}")]
    Misconfigured(String),
    /// An external database refused or failed: a specific, safe message.
    #[error("{0}")]
    DataSource(#[from] connectors::Error),
    #[error("internal error")]
    Internal(#[source] Source),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::Rejected(rejection) => rejection.code(),
            Error::NotFound(_) => "NOT_FOUND",
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::InvalidCredentials => "INVALID_CREDENTIALS",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::TooManyAttempts { .. } => "TOO_MANY_ATTEMPTS",
            Error::Unavailable { .. } => "UNAVAILABLE",
            Error::Misconfigured(_) => "MISCONFIGURED",
            Error::DataSource(e) => e.code(),
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status every door answers this error with (REST and server
    /// functions alike), kept here so they cannot disagree.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::InvalidInput(_) => 400,
            Error::Rejected(r) if r.is_conflict() => 409,
            Error::Rejected(r) if r.is_forbidden() => 403,
            Error::Rejected(_) => 400,
            Error::NotFound(_) => 404,
            Error::Unauthenticated | Error::InvalidCredentials => 401,
            Error::Forbidden(_) => 403,
            Error::TooManyAttempts { .. } => 429,
            Error::Unavailable { .. } => 503,
            Error::DataSource(e) => e.http_status(),
            Error::Misconfigured(_) | Error::Internal(_) => 500,
        }
    }

    /// The message and every cause below it, for logs and start-up failures.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = self.source();
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }
}

impl From<model::Rejection> for Error {
    fn from(rejection: model::Rejection) -> Self {
        Error::Rejected(rejection)
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                Error::Unavailable {
                    what: "metadata store",
                    source: Box::new(error),
                }
            }
            other => Error::Internal(Box::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_includes_every_cause_but_display_hides_them() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = Error::Unavailable {
            what: "metadata store",
            source: Box::new(io),
        };
        assert_eq!(error.to_string(), "metadata store is unavailable");
        assert_eq!(error.chain(), "metadata store is unavailable: refused");
        assert_eq!(error.code(), "UNAVAILABLE");
    }
}
