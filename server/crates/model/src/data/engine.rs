use serde::{Deserialize, Serialize};

/// A database engine Ferrobase can connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Mysql,
    Mariadb,
    Sqlite,
    Mssql,
    Oracle,
    Kingbase,
}

impl Engine {
    pub const ALL: [Engine; 7] = [
        Engine::Postgres,
        Engine::Mysql,
        Engine::Mariadb,
        Engine::Sqlite,
        Engine::Mssql,
        Engine::Oracle,
        Engine::Kingbase,
    ];

    /// The `type` NocoBase stores for a data source of this engine.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
            Engine::Sqlite => "sqlite",
            Engine::Mssql => "mssql",
            Engine::Oracle => "oracle",
            Engine::Kingbase => "kingbase",
        }
    }

    pub fn parse(text: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Engine::Postgres => "PostgreSQL",
            Engine::Mysql => "MySQL",
            Engine::Mariadb => "MariaDB",
            Engine::Sqlite => "SQLite",
            Engine::Mssql => "Microsoft SQL Server",
            Engine::Oracle => "Oracle",
            Engine::Kingbase => "KingbaseES",
        }
    }

    /// `None` for SQLite, which is a file, not a server.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Engine::Postgres => Some(5432),
            Engine::Mysql | Engine::Mariadb => Some(3306),
            Engine::Sqlite => None,
            Engine::Mssql => Some(1433),
            Engine::Oracle => Some(1521),
            Engine::Kingbase => Some(54321),
        }
    }

    /// Engines whose connector has not been run against a live server here.
    pub fn is_experimental(self) -> bool {
        matches!(self, Engine::Kingbase | Engine::Mssql | Engine::Oracle)
    }

    /// Whether tables live in named schemas the admin may choose.
    pub fn has_schemas(self) -> bool {
        matches!(
            self,
            Engine::Postgres | Engine::Mssql | Engine::Oracle | Engine::Kingbase
        )
    }
}

/// How the connection to a database server is secured, with libpq's names.
///
/// A new source verifies by default (`verify-full`, unlike libpq's
/// `prefer`): a mode that encrypts without checking the certificate stops
/// only eavesdroppers, so choosing one is the administrator's explicit act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    Disable,
    /// TLS when the server offers it, plain otherwise.
    Prefer,
    /// TLS without checking the certificate.
    Require,
    /// TLS with the certificate checked against the CA.
    VerifyCa,
    /// As `VerifyCa`, and the host name must match the certificate.
    #[default]
    VerifyFull,
}

impl TlsMode {
    pub const ALL: [TlsMode; 5] = [
        TlsMode::Disable,
        TlsMode::Prefer,
        TlsMode::Require,
        TlsMode::VerifyCa,
        TlsMode::VerifyFull,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        }
    }

    pub fn parse(text: &str) -> Option<TlsMode> {
        TlsMode::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for engine in Engine::ALL {
            assert_eq!(Engine::parse(engine.as_str()), Some(engine));
        }
        for mode in TlsMode::ALL {
            assert_eq!(TlsMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(Engine::parse("db2"), None);
    }
}
