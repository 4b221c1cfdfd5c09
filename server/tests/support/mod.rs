//! Boots the real router on 127.0.0.1:0 against a fresh SQLite file or a
//! fresh PostgreSQL database per test (dropped afterwards).
#![allow(dead_code)] // each test binary uses a different part

pub mod api_keys;
pub mod data;
pub mod identity;
pub mod process;

use std::path::PathBuf;

use server::config::Config;
use server::startup::Application;
use sqlx::Connection;
use tempfile::TempDir;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site")
}

/// A database created for one test and dropped when the test ends.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        let admin = postgres_admin_url();
        let name = format!("fb_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL at {admin} is needed for these tests (set TEST_POSTGRES_URL): {e}"
                )
            });
        // `name` is our own uuid-derived identifier, never outside input.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        PgDatabase {
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async work on a thread
        // of its own so it cannot deadlock that runtime.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(async move {
                    let mut conn = sqlx::PgConnection::connect(&postgres_admin_url()).await?;
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await
                    .map(drop)
                })
                .map_err(std::io::Error::other)
        })
        .join();
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
    /// `DATABASE_URL` and master key, so a second process can share the store.
    pub database_url: String,
    pub master_key: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    // Dropped after the shutdown signal is sent; the drop uses
    // `DROP DATABASE … WITH (FORCE)`, so connections still closing do not block it.
    _database: Option<PgDatabase>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// A fresh store, with `tweak` applied to the loaded configuration
    /// (first administrator, session and sign-in limits, …).
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (url, key, database) = match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("ferrobase.db").display());
                (url, None, None)
            }
            Backend::Postgres => {
                let database = PgDatabase::create().await;
                let key = service::MasterKey::generate().to_base64();
                (database.url.clone(), Some(key), Some(database))
            }
        };
        TestApp::start(dir, url, key, database, tweak).await
    }

    /// A second server process on the store of `other` (same database, same
    /// master key), as behind a load balancer. Drop it before `other`.
    pub async fn spawn_sharing(other: &TestApp, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (url, key) = (other.database_url.clone(), other.master_key.clone());
        TestApp::start(dir, url, key, None, tweak).await
    }

    async fn start(
        dir: TempDir,
        database_url: String,
        master_key: Option<String>,
        database: Option<PgDatabase>,
        tweak: impl FnOnce(&mut Config),
    ) -> TestApp {
        let site = site_root();
        let mut env = vec![
            ("FERROBASE_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
            ("FERROBASE_SITE_ROOT".to_owned(), site.display().to_string()),
            ("DATABASE_URL".to_owned(), database_url.clone()),
        ];
        if let Some(key) = &master_key {
            env.push(("FERROBASE_MASTER_KEY".to_owned(), key.clone()));
        }
        let mut config = Config::load(None, &env).unwrap();
        if database_url.starts_with("postgres") {
            // The tests' external PostgreSQL databases live on the store's
            // own server, which the target guard refuses unless listed: as
            // an operator with one cluster for everything lists it.
            config.data_source_allow = vec!["127.0.0.1".to_owned()];
        }
        tweak(&mut config);
        let app = Application::build(&config).await.unwrap();
        let addr = app.local_addr().unwrap();
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            client,
            dir,
            database_url,
            master_key,
            shutdown: Some(shutdown),
            _database: database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// The body of `path` fetched with one extra request header.
    pub async fn text_with(
        &self,
        path: &str,
        header: reqwest::header::HeaderName,
        value: &str,
    ) -> String {
        let response = self
            .client
            .get(self.url(path))
            .header(header, value)
            .send()
            .await
            .unwrap();
        response.text().await.unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Runs each listed async test once per metadata backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::support::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name($crate::support::Backend::Postgres).await })*
        }
    };
}
