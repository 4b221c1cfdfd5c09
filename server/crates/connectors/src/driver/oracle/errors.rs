//! Oracle's errors sorted into [`Error`]: by ORA- number for what the
//! server reported, by the driver's own kind for everything else.

use oracledb::ErrorKind;

use crate::Error;
use crate::error::DriverError;

impl DriverError for oracledb::Error {
    fn into_error(self, timeout_secs: u64) -> Error {
        let message = self.to_string();
        match self.kind() {
            ErrorKind::DbError(db) => by_code(db.code(), db.message().to_owned(), timeout_secs),
            ErrorKind::CallTimeoutExceeded => Error::Timeout(timeout_secs),
            ErrorKind::DeadConnection
            | ErrorKind::NotConnected
            | ErrorKind::StreamOperation
            | ErrorKind::TlsOperation
            | ErrorKind::PemFileOperation
            | ErrorKind::UnableToRecover
            | ErrorKind::ListenerRefusedConnection(..)
            | ErrorKind::InvalidServiceName(..)
            | ErrorKind::InvalidSid(..)
            | ErrorKind::UnexpectedRefuse(_)
            | ErrorKind::InvalidRedirect(_)
            | ErrorKind::ServerVersionNotSupported
            | ErrorKind::WalletUnreadable(_) => Error::Connection(message),
            ErrorKind::InvalidConnectString(..)
            | ErrorKind::InvalidDescriptorNode(..)
            | ErrorKind::InvalidNetworkName(_)
            | ErrorKind::NoCredentials
            | ErrorKind::NoConnectString => Error::InvalidConfig(message),
            _ => Error::Database(message),
        }
    }
}

/// The ORA- numbers that say something the caller can act on.
fn by_code(code: usize, message: String, timeout_secs: u64) -> Error {
    match code {
        // Unique constraint violated.
        1 => Error::Duplicate(message),
        // Parent key not found; child record found.
        2291 | 2292 => Error::ForeignKey(message),
        // NULL into NOT NULL, check constraint, value too large or of the
        // wrong form for its column (number, date).
        1400 | 1407 | 2290 | 12899 | 1438 | 1401 | 1722 | 1830 | 1839 | 1840 | 1841 | 1843
        | 1847 | 1861 => Error::Constraint(message),
        // Table or view, or column, does not exist.
        942 | 904 => Error::SchemaChanged(message),
        // The statement was cancelled: the call timeout interrupted it.
        1013 => Error::Timeout(timeout_secs),
        // Bad login, locked or expired account, unknown service, no
        // listener, the instance down or the session lost.
        1017 | 1005 | 28000 | 28001 | 12505 | 12514 | 12516 | 12520 | 12521 | 12526 | 12528
        | 12537 | 12541 | 12543 | 12170 | 1033 | 1034 | 1089 | 1092 | 3113 | 3114 | 3135
        | 28547 => Error::Connection(message),
        _ => Error::Database(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ora_numbers_sort_into_kinds() {
        let sort = |code| by_code(code, format!("ORA-{code:05}: …"), 30).code();
        assert_eq!(sort(1), "DUPLICATE_KEY");
        assert_eq!(sort(2291), "FOREIGN_KEY_VIOLATION");
        assert_eq!(sort(2292), "FOREIGN_KEY_VIOLATION");
        assert_eq!(sort(1400), "CONSTRAINT_VIOLATION");
        assert_eq!(sort(12899), "CONSTRAINT_VIOLATION");
        assert_eq!(sort(942), "SCHEMA_CHANGED");
        assert_eq!(sort(1013), "QUERY_TIMEOUT");
        assert_eq!(sort(1017), "CONNECTION_FAILED");
        assert_eq!(sort(12514), "CONNECTION_FAILED");
        assert_eq!(sort(1031), "DATABASE_ERROR");
        assert_eq!(
            by_code(1017, "ORA-01017: invalid credential".into(), 30).to_string(),
            "cannot connect: ORA-01017: invalid credential"
        );
    }
}
