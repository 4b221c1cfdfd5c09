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
    #[error("{0} not found")]
    NotFound(String),
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
    #[error("internal error")]
    Internal(#[source] Source),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Unavailable { .. } => "UNAVAILABLE",
            Error::Misconfigured(_) => "MISCONFIGURED",
            Error::Internal(_) => "INTERNAL",
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
