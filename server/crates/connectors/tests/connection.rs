//! Connection faults and timeouts, each reported as its own error, and
//! promptly: a wrong port must not look like a slow server.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use connectors::{ConnectionConfig, Connector, Error};
use model::data::{Engine, TlsMode};
use support::{Server, TestDb, admin_sql, run_detached, unique_name};

const SERVERS: [Engine; 2] = [Engine::Postgres, Engine::Mariadb];

fn server(engine: Engine) -> Server {
    Server::local(engine).unwrap()
}

/// Connects with `config` and expects a connection error, well within the
/// connect timeout; answers its message.
async fn refused(config: &ConnectionConfig, what: &str) -> String {
    let started = Instant::now();
    let result = Connector::connect(config).await;
    let elapsed = started.elapsed();
    match result {
        Err(Error::Connection(message)) => {
            assert!(
                elapsed < config.connect_timeout / 2,
                "{:?} {what}: took {elapsed:?}",
                config.engine
            );
            message
        }
        other => panic!(
            "{:?} {what}: expected a connection error, got {other:?}",
            config.engine
        ),
    }
}

#[tokio::test]
async fn a_wrong_port_is_a_prompt_connection_error() {
    for engine in SERVERS {
        let mut config = server(engine).admin.config(engine, "postgres");
        config.port = Some(1);
        config.connect_timeout = Duration::from_secs(6);
        let message = refused(&config, "wrong port").await;
        assert!(
            message.to_lowercase().contains("refused"),
            "{engine:?}: {message}"
        );
        let error = Error::Connection(message);
        assert_eq!(
            (error.code(), error.http_status()),
            ("CONNECTION_FAILED", 502)
        );
    }
}

#[tokio::test]
async fn an_unknown_database_is_a_connection_error() {
    for engine in SERVERS {
        let config = server(engine)
            .admin
            .config(engine, &unique_name("fbt_missing"));
        let message = refused(&config, "unknown database").await;
        assert!(message.contains("fbt_missing"), "{engine:?}: {message}");
    }
}

#[tokio::test]
async fn a_missing_sqlite_file_is_a_connection_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let config = ConnectionConfig::new(Engine::Sqlite, "", &path.display().to_string(), "");
    let message = refused(&config, "missing file").await;
    assert!(message.contains("absent.db"), "{message}");
    assert!(!path.exists(), "connecting must not create the file");
}

/// A login role (PostgreSQL) or user (MariaDB) that exists for one test.
struct Account {
    server: Server,
    name: String,
}

impl Account {
    async fn create(server: &Server, password: &str) -> Account {
        let name = unique_name("fbt_user");
        let statement = match server.engine {
            Engine::Postgres => format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'"),
            _ => format!("CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'"),
        };
        admin_sql(server, &statement).await;
        Account {
            server: server.clone(),
            name,
        }
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        let server = self.server.clone();
        let statement = match server.engine {
            Engine::Postgres => format!("DROP ROLE IF EXISTS {}", self.name),
            _ => format!("DROP USER IF EXISTS '{}'@'%'", self.name),
        };
        run_detached(move || async move { admin_sql(&server, &statement).await });
    }
}

/// Whether the server checks passwords from 127.0.0.1 (a PostgreSQL set up
/// with `trust` lets any password in).
async fn checks_passwords(db: &TestDb) -> bool {
    db.engine != Engine::Postgres
        || db
            .query_text(
                "SELECT CAST(count(*) AS text) FROM pg_hba_file_rules \
                 WHERE type = 'host' AND auth_method = 'trust'",
            )
            .await
            == "0"
}

#[tokio::test]
async fn wrong_credentials_are_connection_errors() {
    for engine in SERVERS {
        let server = server(engine);
        let db = TestDb::on(&server).await;
        let account = Account::create(&server, "right-password").await;
        let mut config = db.config.clone();
        config.username = account.name.clone();
        config.password = Some("wrong-password".into());
        if checks_passwords(&db).await {
            let message = refused(&config, "wrong password").await;
            assert!(message.contains(&account.name), "{engine:?}: {message}");
        } else {
            // Said past the output capture: a reader should know this part did not run.
            let note = "NOTE: PostgreSQL trusts 127.0.0.1 here; a wrong password is not checked";
            let _ = writeln!(std::io::stderr(), "{note}");
        }
        config.username = unique_name("fbt_nobody");
        let message = refused(&config, "unknown user").await;
        assert!(message.contains("fbt_nobody"), "{engine:?}: {message}");
    }
}

/// `Require` needs the server to speak TLS; `verify-full` also needs its
/// certificate to check out against the CA we were given.
#[tokio::test]
async fn tls_that_cannot_be_had_is_a_connection_error() {
    for engine in SERVERS {
        let db = TestDb::create(engine).await;
        let mut config = db.config.clone();
        config.tls = TlsMode::Require;
        let offers_tls = match engine {
            Engine::Postgres => db.query_text("SHOW ssl").await == "on",
            _ => db.query_text("SELECT CAST(@@have_ssl AS CHAR)").await == "YES",
        };
        if offers_tls {
            let connector = Connector::connect(&config).await.unwrap();
            connector.close().await;
            config.tls = TlsMode::VerifyFull;
            let message = refused(&config, "verify-full, unknown CA").await;
            assert!(message.contains("certificate"), "{engine:?}: {message}");
        } else {
            let message = refused(&config, "require, server without TLS").await;
            assert!(message.contains("TLS"), "{engine:?}: {message}");
        }
    }
}

/// A view that takes 3 s, queried with a 1 s statement timeout.
async fn slow_view(engine: Engine) -> (TestDb, Connector, connectors::compile::ListPlan) {
    let db = TestDb::create(engine).await;
    db.sql(match engine {
        Engine::Postgres => "CREATE VIEW slow AS SELECT 1 AS id FROM pg_sleep(3)",
        Engine::Mariadb => "CREATE VIEW slow AS SELECT 1 AS id FROM (SELECT SLEEP(3) AS s) n",
        _ => {
            "CREATE VIEW slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL \
              SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) AS id FROM n"
        }
    })
    .await;
    let mut config = db.config.clone();
    config.statement_timeout = Duration::from_secs(1);
    // One connection: the check afterwards must get the same one back.
    config.max_connections = 1;
    let connector = Connector::connect(&config).await.unwrap();
    let collections = db.collections(&connector).await;
    let query = model::query::ListQuery::default();
    let plan = connectors::compile::list(
        connector.dialect(),
        &collections,
        &collections["slow"],
        &query,
        None,
    )
    .unwrap();
    (db, connector, plan)
}

#[tokio::test]
async fn a_slow_statement_times_out() {
    for engine in support::LOCAL_ENGINES {
        let (_db, connector, plan) = slow_view(engine).await;
        let started = Instant::now();
        let result = connector.fetch(&plan).await;
        let elapsed = started.elapsed();
        assert!(
            matches!(result, Err(Error::Timeout(1))),
            "{engine:?}: {result:?}"
        );
        assert!(
            elapsed < Duration::from_millis(2500),
            "{engine:?}: took {elapsed:?}"
        );
        let error = result.unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("QUERY_TIMEOUT", 504));
        // The connection is free again: the statement was stopped.
        let tables = connector.list_tables().await.unwrap();
        assert_eq!(tables.len(), 1, "{engine:?}");
        connector.close().await;
    }
}

/// Oracle without an Oracle server: a closed port, and a listener that
/// speaks another protocol (PostgreSQL's), in plain TCP and in TLS, are
/// each a prompt connection error, never a hang or a panic.
#[tokio::test]
async fn oracle_connection_faults_are_connection_errors() {
    let postgres = server(Engine::Postgres).admin;
    let mut config = ConnectionConfig::new(Engine::Oracle, &postgres.host, "FREEPDB1", "app");
    config.password = Some("secret".into());
    config.connect_timeout = Duration::from_secs(6);
    config.tls = TlsMode::Disable;
    config.port = Some(1);
    let message = refused(&config, "wrong port").await;
    assert!(message.to_lowercase().contains("refused"), "{message}");
    config.port = postgres.port.or(Some(5432));
    refused(&config, "not an Oracle listener").await;
    config.tls = TlsMode::Require;
    refused(&config, "TLS to a listener without it").await;
}
