//! SQL Server errors sorted into the connector's vocabulary. SQL Server
//! reports an error number, not a SQLSTATE; the numbers below are the ones
//! a user's write or a changed schema can cause.

use crate::Error;
use crate::error::DriverError;

impl DriverError for tiberius::error::Error {
    fn into_error(self, timeout_secs: u64) -> Error {
        match self {
            tiberius::error::Error::Server(token) => {
                classify(token.code(), token.message().to_owned(), timeout_secs)
            }
            // The pool's acquire timeout and tiberius's own command and
            // handshake deadlines all surface as a timed-out I/O error.
            tiberius::error::Error::Io {
                kind: std::io::ErrorKind::TimedOut,
                ..
            } => Error::Timeout(timeout_secs),
            tiberius::error::Error::Io { message, .. } => Error::Connection(message),
            tiberius::error::Error::Tls(message) => Error::tls(&message),
            tiberius::error::Error::Protocol(message) => Error::Connection(message.into_owned()),
            tiberius::error::Error::Routing { host, port } => {
                Error::Connection(format!("the server redirected to {host}:{port} twice"))
            }
            other => Error::Database(other.to_string()),
        }
    }
}

/// The server's error number and message as an [`Error`].
fn classify(code: u32, message: String, timeout_secs: u64) -> Error {
    match code {
        // Violation of a PRIMARY KEY or UNIQUE constraint; duplicate key in a unique index.
        2627 | 2601 => Error::Duplicate(message),
        // One number for FOREIGN KEY, REFERENCE and CHECK conflicts.
        547 if message.contains("CHECK constraint") => Error::Constraint(message),
        547 => Error::ForeignKey(message),
        // NULL into a NOT NULL column; truncated text; failed conversions;
        // arithmetic overflow; dates out of range.
        515 | 2628 | 8152 | 245 | 8114 | 8115 | 220 | 232 | 241 | 242 | 517 | 8134 => {
            Error::Constraint(message)
        }
        // Invalid object name; invalid column name.
        208 | 207 => Error::SchemaChanged(message),
        // Login failed; cannot open the database; the login cannot use the
        // database; disabled or expired logins.
        18456 | 4060 | 916 | 18452 | 18470 | 18486 | 18487 | 18488 => Error::Connection(message),
        // The lock wait reached SET LOCK_TIMEOUT; the query was cancelled.
        1222 | 3617 => Error::Timeout(timeout_secs),
        _ => Error::Database(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(code: u32, message: &str) -> &'static str {
        classify(code, message.to_owned(), 30).code()
    }

    #[test]
    fn server_errors_by_number() {
        let duplicate = "Violation of PRIMARY KEY constraint 'PK_t'. Cannot insert duplicate key";
        assert_eq!(sorted(2627, duplicate), "DUPLICATE_KEY");
        assert_eq!(
            sorted(2601, "Cannot insert duplicate key row"),
            "DUPLICATE_KEY"
        );
        let foreign = "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_a\".";
        assert_eq!(sorted(547, foreign), "FOREIGN_KEY_VIOLATION");
        let check = "The INSERT statement conflicted with the CHECK constraint \"CK_views\".";
        assert_eq!(sorted(547, check), "CONSTRAINT_VIOLATION");
        assert_eq!(
            sorted(515, "Cannot insert the value NULL"),
            "CONSTRAINT_VIOLATION"
        );
        assert_eq!(
            sorted(208, "Invalid object name 'dbo.t'."),
            "SCHEMA_CHANGED"
        );
        assert_eq!(sorted(207, "Invalid column name 'x'."), "SCHEMA_CHANGED");
        assert_eq!(
            sorted(18456, "Login failed for user 'sa'."),
            "CONNECTION_FAILED"
        );
        assert_eq!(
            sorted(4060, "Cannot open database \"x\""),
            "CONNECTION_FAILED"
        );
        assert_eq!(
            sorted(1222, "Lock request time out period exceeded."),
            "QUERY_TIMEOUT"
        );
        assert_eq!(sorted(1205, "deadlock victim"), "DATABASE_ERROR");
    }

    #[test]
    fn driver_errors_by_kind() {
        let timed_out = tiberius::error::Error::Io {
            kind: std::io::ErrorKind::TimedOut,
            message: "no connection became free".into(),
        };
        assert!(matches!(timed_out.into_error(5), Error::Timeout(5)));
        let refused = tiberius::error::Error::Io {
            kind: std::io::ErrorKind::ConnectionRefused,
            message: "Connection refused (os error 111)".into(),
        };
        match refused.into_error(5) {
            Error::Connection(message) => assert!(message.contains("refused"), "{message}"),
            other => panic!("expected Connection, got {other:?}"),
        }
        let tls = tiberius::error::Error::Tls("invalid peer certificate".into());
        assert_eq!(tls.into_error(5).code(), "CONNECTION_FAILED");
        let conversion = tiberius::error::Error::Conversion("bad".into());
        assert_eq!(conversion.into_error(5).code(), "DATABASE_ERROR");
    }
}
