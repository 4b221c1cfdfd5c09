//! Real databases for the connector tests: a fresh PostgreSQL or MariaDB
//! database with a random name (dropped when the handle goes, even after a
//! failed assertion), or a SQLite file in a temporary folder.
//!
//! Servers: `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and `TEST_MARIADB_URL` (default `mysql://root@127.0.0.1:3306/mysql`), each an
//! account allowed to create databases and roles.
#![allow(dead_code)] // each test binary uses a different part

pub mod dataset;
pub mod filter_cases;
pub mod mssql;
pub mod oracle;

use std::collections::HashMap;
use std::time::Duration;

use connectors::schema::{Collection, Field, Relation, RelationKind, TableSchema};
use connectors::{ConnectionConfig, Connector};
use model::data::{Engine, TlsMode};
use sqlx::{AssertSqlSafe, Connection};
use tempfile::TempDir;

/// The engines that run here, with the server that hosts them.
pub const LOCAL_ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mariadb, Engine::Sqlite];

/// A database server reachable as an administrator.
#[derive(Debug, Clone)]
pub struct Server {
    pub engine: Engine,
    pub admin: Url,
}

impl Server {
    /// The local server for `engine` (`None` for SQLite, which has none).
    pub fn local(engine: Engine) -> Option<Server> {
        let (variable, default) = match engine {
            Engine::Postgres => (
                "TEST_POSTGRES_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            Engine::Mariadb | Engine::Mysql => {
                ("TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/mysql")
            }
            _ => return None,
        };
        let url = std::env::var(variable).unwrap_or_else(|_| default.to_owned());
        Some(Server {
            engine,
            admin: Url::parse(&url).unwrap_or_else(|| panic!("{variable} is not a URL: {url}")),
        })
    }
}

/// `scheme://user[:password]@host[:port]/database`, enough for test servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
}

impl Url {
    pub fn parse(text: &str) -> Option<Url> {
        let (scheme, rest) = text.split_once("://")?;
        let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, address) = authority.rsplit_once('@').unwrap_or(("", authority));
        let (user, password) = match credentials.split_once(':') {
            Some((user, password)) => (user, Some(password.to_owned())),
            None => (credentials, None),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, Some(port.parse().ok()?)),
            None => (address, None),
        };
        Some(Url {
            scheme: scheme.to_owned(),
            user: user.to_owned(),
            password,
            host: host.to_owned(),
            port,
            database: database.split('?').next().unwrap_or_default().to_owned(),
        })
    }

    pub fn with_database(&self, database: &str) -> String {
        let password = self
            .password
            .as_deref()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "{}://{}{password}@{}{port}/{database}",
            self.scheme, self.user, self.host
        )
    }

    /// The connector's settings for `database` on this server.
    pub fn config(&self, engine: Engine, database: &str) -> ConnectionConfig {
        let mut config = ConnectionConfig::new(engine, &self.host, database, &self.user);
        config.port = self.port;
        config.password = self.password.clone();
        // SQL Server always offers TLS (with a self-signed certificate at
        // least), so its test goes through the TLS path too.
        config.tls = match engine {
            Engine::Mssql => TlsMode::Require,
            _ => TlsMode::Disable,
        };
        config.connect_timeout = Duration::from_secs(5);
        config.statement_timeout = Duration::from_secs(20);
        config
    }
}

/// A name no other test (or test run) uses.
pub fn unique_name(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

/// One database for one test; dropped with this handle.
pub struct TestDb {
    pub engine: Engine,
    pub config: ConnectionConfig,
    /// The database's name on its server, or the SQLite file's path.
    pub name: String,
    server: Option<Server>,
    _dir: Option<TempDir>,
}

impl TestDb {
    /// A fresh database on the local server for `engine`, or a new SQLite file.
    pub async fn create(engine: Engine) -> TestDb {
        match Server::local(engine) {
            Some(server) => TestDb::on(&server).await,
            None => TestDb::sqlite().await,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap()
            .close()
            .await
            .unwrap();
        let name = path.display().to_string();
        let mut config = ConnectionConfig::new(Engine::Sqlite, "", &name, "");
        config.statement_timeout = Duration::from_secs(20);
        TestDb {
            engine: Engine::Sqlite,
            config,
            name,
            server: None,
            _dir: Some(dir),
        }
    }

    /// The schema of the user in `url` on an Oracle service: an Oracle user
    /// is a schema, and a new one needs DBA rights, so tests create their
    /// tables there and drop them with [`oracle::Tables`].
    pub fn oracle(url: &Url) -> TestDb {
        TestDb {
            engine: Engine::Oracle,
            config: url.config(Engine::Oracle, &url.database),
            name: url.database.clone(),
            server: None,
            _dir: None,
        }
    }

    /// A fresh database on `server` (PostgreSQL, MySQL or SQL Server).
    pub async fn on(server: &Server) -> TestDb {
        let name = unique_name("fbt");
        admin_sql(server, &format!("CREATE DATABASE {name}")).await;
        TestDb {
            engine: server.engine,
            config: server.admin.config(server.engine, &name),
            name,
            server: Some(server.clone()),
            _dir: None,
        }
    }

    /// Runs a setup script (several statements) in this database, as the
    /// administrator, outside the connector under test.
    pub async fn sql(&self, script: &str) {
        self.try_sql(script)
            .await
            .unwrap_or_else(|e| panic!("setup failed on {:?}: {e}\n{script}", self.engine));
    }

    pub async fn try_sql(&self, script: &str) -> Result<(), sqlx::Error> {
        let script = AssertSqlSafe(script.to_owned());
        match (&self.server, self.engine) {
            (None, Engine::Oracle) => {
                let config = self.config.clone();
                let script = script.0;
                tokio::task::spawn_blocking(move || oracle::script(&config, &script))
                    .await
                    .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
                    .map_err(sqlx::Error::Protocol)
            }
            (None, _) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&self.name)
                    .foreign_keys(true);
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                sqlx::raw_sql(script).execute(&mut conn).await?;
                conn.close().await
            }
            (Some(server), Engine::Mariadb | Engine::Mysql) => {
                let url = server.admin.with_database(&self.name);
                let mut conn = sqlx::MySqlConnection::connect(&url).await?;
                sqlx::raw_sql(script).execute(&mut conn).await?;
                conn.close().await
            }
            (Some(server), Engine::Mssql) => mssql::batch(&server.admin, &self.name, &script.0)
                .await
                .map_err(sqlx::Error::Protocol),
            (Some(server), _) => {
                let url = server.admin.with_database(&self.name);
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                sqlx::raw_sql(script).execute(&mut conn).await?;
                conn.close().await
            }
        }
    }

    /// The first column of the first row, as text (the query casts it).
    pub async fn query_text(&self, sql: &str) -> String {
        let sql = AssertSqlSafe(sql.to_owned());
        let result: Result<(String,), sqlx::Error> = match (&self.server, self.engine) {
            (None, _) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&self.name);
                let mut conn = sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .unwrap();
                sqlx::query_as(sql).fetch_one(&mut conn).await
            }
            (Some(server), Engine::Mariadb | Engine::Mysql) => {
                let url = server.admin.with_database(&self.name);
                let mut conn = sqlx::MySqlConnection::connect(&url).await.unwrap();
                sqlx::query_as(sql).fetch_one(&mut conn).await
            }
            (Some(server), _) => {
                let url = server.admin.with_database(&self.name);
                let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::query_as(sql).fetch_one(&mut conn).await
            }
        };
        result.unwrap().0
    }

    pub async fn connect(&self) -> Connector {
        Connector::connect(&self.config)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {:?}: {e}", self.engine))
    }

    /// Every table and view, introspected, as collections keyed by table name.
    pub async fn collections(&self, connector: &Connector) -> HashMap<String, Collection> {
        let schemas = introspect_all(connector).await;
        schemas
            .iter()
            .map(|schema| (schema.table.name.clone(), collection(self.engine, schema)))
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(server) = self.server.clone() else {
            return;
        };
        let statement = match server.engine {
            Engine::Mariadb | Engine::Mysql => format!("DROP DATABASE IF EXISTS {}", self.name),
            Engine::Mssql => format!(
                "IF DB_ID('{0}') IS NOT NULL BEGIN \
                 ALTER DATABASE {0} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {0}; END",
                self.name
            ),
            _ => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        };
        run_detached(move || async move { admin_sql(&server, &statement).await });
    }
}

/// Runs async clean-up from `Drop`, on a thread and runtime of its own, so
/// it works inside or outside the test's runtime and after a panic.
pub fn run_detached<F, Fut>(work: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let _ = std::thread::spawn(move || {
        if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            runtime.block_on(work());
        }
    })
    .join();
}

/// One statement as the server's administrator, in its admin database.
pub async fn admin_sql(server: &Server, statement: &str) {
    let url = server.admin.with_database(&server.admin.database);
    let statement = AssertSqlSafe(statement.to_owned());
    let result = match server.engine {
        Engine::Mariadb | Engine::Mysql => match sqlx::MySqlConnection::connect(&url).await {
            Ok(mut conn) => sqlx::raw_sql(statement).execute(&mut conn).await.map(drop),
            Err(e) => Err(e),
        },
        Engine::Mssql => mssql::batch(&server.admin, &server.admin.database, &statement.0)
            .await
            .map_err(sqlx::Error::Protocol),
        _ => match sqlx::PgConnection::connect(&url).await {
            Ok(mut conn) => sqlx::raw_sql(statement).execute(&mut conn).await.map(drop),
            Err(e) => Err(e),
        },
    };
    if let Err(e) = result {
        panic!(
            "{:?} at {}:{} is needed for these tests: {e}",
            server.engine,
            server.admin.host,
            server.admin.port.unwrap_or_default()
        );
    }
}

pub async fn introspect_all(connector: &Connector) -> Vec<TableSchema> {
    let tables = connector.list_tables().await.unwrap();
    connector.introspect(&tables).await.unwrap()
}

/// A table as the service would expose it: every column, the primary key
/// as the record key, no relations yet.
pub fn collection(engine: Engine, schema: &TableSchema) -> Collection {
    Collection {
        name: schema.table.name.clone(),
        schema: schema.table.schema.clone(),
        table: schema.table.name.clone(),
        key: schema.primary_key.clone(),
        fields: schema
            .columns
            .iter()
            .map(|c| Field::from_column(engine, c))
            .collect(),
        relations: Vec::new(),
    }
}

/// Declares `from.name` → `target` (the foreign key column is on `from`
/// for many-to-one and on `target` for one-to-many).
pub fn relate(
    catalog: &mut HashMap<String, Collection>,
    from: &str,
    name: &str,
    kind: RelationKind,
    target: &str,
    foreign_key: &str,
) {
    let relation = Relation {
        name: name.to_owned(),
        kind,
        target: target.to_owned(),
        foreign_key: foreign_key.to_owned(),
        target_key: "id".to_owned(),
    };
    catalog
        .get_mut(from)
        .unwrap_or_else(|| panic!("no collection {from}"))
        .relations
        .push(relation);
}

/// `engine_tests!(check)` makes a module `check` with one test per local
/// engine, each calling `check(engine)`.
#[allow(unused_macros)]
macro_rules! engine_tests {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            use model::data::Engine;

            #[tokio::test]
            async fn postgres() {
                super::$check(Engine::Postgres).await;
            }

            #[tokio::test]
            async fn mariadb() {
                super::$check(Engine::Mariadb).await;
            }

            #[tokio::test]
            async fn sqlite() {
                super::$check(Engine::Sqlite).await;
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use engine_tests;

/// `notes`: a table whose key the database assigns, with defaults.
pub fn notes_ddl(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres | Engine::Kingbase => {
            "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL,
                done boolean NOT NULL DEFAULT false,
                created_at timestamp NOT NULL DEFAULT now())"
        }
        Engine::Mariadb | Engine::Mysql => {
            "CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL,
                done BOOLEAN NOT NULL DEFAULT FALSE,
                created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        }
        Engine::Oracle => oracle::NOTES_DDL,
        Engine::Mssql => {
            "CREATE TABLE notes (id int IDENTITY PRIMARY KEY, body nvarchar(max) NOT NULL,
                done bit NOT NULL DEFAULT 0,
                created_at datetime2 NOT NULL DEFAULT SYSUTCDATETIME())"
        }
        _ => {
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL,
                done BOOLEAN NOT NULL DEFAULT 0,
                created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        }
    }
}
