//! What can go wrong talking to an external database, sorted by what the
//! caller should do about it. Messages are safe to show to the user who
//! asked: they never carry SQL text or connection secrets.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query names an unknown field, misuses an operator, and the like.
    #[error("{0}")]
    InvalidQuery(String),
    /// A value does not fit its field (`age` must be an integer).
    #[error("{field}: {message}")]
    InvalidValue { field: String, message: String },
    /// The connection settings are incomplete or contradictory.
    #[error("{0}")]
    InvalidConfig(String),
    /// The server cannot be reached or refused us (wrong host, password, TLS).
    #[error("cannot connect: {0}")]
    Connection(String),
    #[error("the database did not answer within {0} seconds")]
    Timeout(u64),
    /// A unique constraint refused the write.
    #[error("a record with the same value already exists: {0}")]
    Duplicate(String),
    /// A foreign key refused the write or the delete.
    #[error("the record is referenced by, or refers to, a missing record: {0}")]
    ForeignKey(String),
    /// A NOT NULL or CHECK constraint refused the write.
    #[error("the database refused the value: {0}")]
    Constraint(String),
    /// The table or a column is gone: the schema changed behind our back.
    #[error("the database structure changed ({0}); refresh the data source")]
    SchemaChanged(String),
    /// Anything else the database reported.
    #[error("the database reported an error: {0}")]
    Database(String),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidQuery(_) => "INVALID_QUERY",
            Error::InvalidValue { .. } => "INVALID_VALUE",
            Error::InvalidConfig(_) => "INVALID_CONFIG",
            Error::Connection(_) => "CONNECTION_FAILED",
            Error::Timeout(_) => "QUERY_TIMEOUT",
            Error::Duplicate(_) => "DUPLICATE_KEY",
            Error::ForeignKey(_) => "FOREIGN_KEY_VIOLATION",
            Error::Constraint(_) => "CONSTRAINT_VIOLATION",
            Error::SchemaChanged(_) => "SCHEMA_CHANGED",
            Error::Database(_) => "DATABASE_ERROR",
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Error::InvalidQuery(_)
            | Error::InvalidValue { .. }
            | Error::InvalidConfig(_)
            | Error::Constraint(_) => 400,
            Error::Duplicate(_) | Error::ForeignKey(_) | Error::SchemaChanged(_) => 409,
            Error::Connection(_) | Error::Database(_) => 502,
            Error::Timeout(_) => 504,
        }
    }

    pub(crate) fn invalid_value(field: &str, message: impl Into<String>) -> Error {
        Error::InvalidValue {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A failed TLS set-up, with what the administrator can do about it.
    pub(crate) fn tls(reason: &str) -> Error {
        let hint = if reason.contains("certificate") {
            "; give the CA certificate that signed the server's, or choose a TLS mode that does \
             not check it (only on a network you trust)"
        } else if reason.contains("not support") {
            "; choose `disable` only if the network to the server is trusted"
        } else {
            ""
        };
        Error::Connection(format!("TLS: {reason}{hint}"))
    }

    /// Sorts a driver error by SQLSTATE (PostgreSQL, MySQL and SQLite all
    /// report one) so callers get a specific message, not "database error".
    pub(crate) fn from_sqlx(error: sqlx::Error, timeout_secs: u64) -> Error {
        match error {
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                match db.kind() {
                    sqlx::error::ErrorKind::UniqueViolation => Error::Duplicate(message),
                    sqlx::error::ErrorKind::ForeignKeyViolation => Error::ForeignKey(message),
                    sqlx::error::ErrorKind::NotNullViolation
                    | sqlx::error::ErrorKind::CheckViolation => Error::Constraint(message),
                    _ => classify_code(&code, message, timeout_secs),
                }
            }
            sqlx::Error::PoolTimedOut => Error::Timeout(timeout_secs),
            // rustls reports a refused certificate as an I/O error.
            sqlx::Error::Io(e) if e.to_string().contains("certificate") => {
                Error::tls(&e.to_string())
            }
            sqlx::Error::Io(e) => Error::Connection(e.to_string()),
            sqlx::Error::Tls(e) => Error::tls(&e.to_string()),
            sqlx::Error::Protocol(e) => Error::Connection(e),
            sqlx::Error::PoolClosed => Error::Connection("the pool is closed".into()),
            sqlx::Error::Configuration(e) => Error::InvalidConfig(e.to_string()),
            other => Error::Database(other.to_string()),
        }
    }
}

/// A driver's own error, sorted into [`Error`] so every engine's calls share
/// one timeout and error path (`Connector::bounded`). `timeout_secs` is the
/// statement timeout, for the errors that mean it ran out.
pub(crate) trait DriverError {
    fn into_error(self, timeout_secs: u64) -> Error;
}

impl DriverError for sqlx::Error {
    fn into_error(self, timeout_secs: u64) -> Error {
        Error::from_sqlx(self, timeout_secs)
    }
}

/// Drivers that sort their errors themselves (Oracle's, on its blocking
/// threads) hand over ours.
impl DriverError for Error {
    fn into_error(self, _timeout_secs: u64) -> Error {
        self
    }
}

fn classify_code(code: &str, message: String, timeout_secs: u64) -> Error {
    // PostgreSQL: statement timeout; MySQL/MariaDB: max_execution_time.
    if matches!(code, "57014" | "HY008" | "70100") {
        return Error::Timeout(timeout_secs);
    }
    // SQLite result codes: interrupted at our deadline, or still busy
    // (locked by another writer) when its busy timeout ran out.
    if matches!(code, "9" | "5" | "261" | "517" | "773") {
        return Error::Timeout(timeout_secs);
    }
    // Undefined table or column (PostgreSQL, MySQL) or SQLite's wording.
    if matches!(code, "42P01" | "42703" | "42S02" | "42S22")
        || message.starts_with("no such table")
        || message.starts_with("no such column")
    {
        return Error::SchemaChanged(message);
    }
    // Authentication failures and connection exceptions.
    if code.starts_with("28") || code.starts_with("08") || code == "3D000" {
        return Error::Connection(message);
    }
    // Data exceptions: bad text for a type, out of range, too long.
    if code.starts_with("22") {
        return Error::Constraint(message);
    }
    Error::Database(message)
}
