//! Helpers for the data source tests: throwaway external databases
//! (PostgreSQL, MariaDB, a SQLite file) with a small shop schema, the
//! `dataSources:create` body pointing at them, and record calls carrying
//! `X-Data-Source`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::{Connection, Executor};
use tempfile::TempDir;

use super::identity::{As, Reply, encode};
use super::{PgDatabase, TestApp};

/// The MariaDB server of `TEST_MARIADB_URL` without its database path
/// (`mysql://root@127.0.0.1:3306/mysql` → `mysql://root@127.0.0.1:3306`), so
/// a test database's name can be appended.
pub fn mariadb_admin_url() -> String {
    let url = std::env::var("TEST_MARIADB_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/mysql".to_owned());
    let authority = url.find("://").map_or(0, |i| i + 3);
    match url[authority..].find('/') {
        Some(slash) => url[..authority + slash].to_owned(),
        None => url,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Postgres,
    Mariadb,
    Sqlite,
}

impl Db {
    pub const ALL: [Db; 3] = [Db::Postgres, Db::Mariadb, Db::Sqlite];

    pub fn engine(self) -> &'static str {
        match self {
            Db::Postgres => "postgres",
            Db::Mariadb => "mariadb",
            Db::Sqlite => "sqlite",
        }
    }

    /// An auto-numbered integer primary key column named `id`.
    pub fn primary_key(self) -> &'static str {
        match self {
            Db::Postgres => "id SERIAL PRIMARY KEY",
            Db::Mariadb => "id INT AUTO_INCREMENT PRIMARY KEY",
            Db::Sqlite => "id INTEGER PRIMARY KEY AUTOINCREMENT",
        }
    }
}

/// A database made for one test, dropped when the test ends.
pub struct ExternalDb {
    pub db: Db,
    /// The database name, or the SQLite file's path.
    pub database: String,
    pg: Option<PgDatabase>,
    _dir: Option<TempDir>,
    dropped: bool,
}

impl ExternalDb {
    pub async fn create(db: Db) -> ExternalDb {
        let name = format!("fb_ext_{}", uuid::Uuid::new_v4().simple());
        let mut external = ExternalDb {
            db,
            database: name.clone(),
            pg: None,
            _dir: None,
            dropped: false,
        };
        match db {
            Db::Postgres => {
                let pg = PgDatabase::create().await;
                external.database = pg.name.clone();
                external.pg = Some(pg);
            }
            Db::Mariadb => {
                let mut conn = sqlx::MySqlConnection::connect(&mariadb_admin_url())
                    .await
                    .unwrap_or_else(|e| panic!("MariaDB is needed (set TEST_MARIADB_URL): {e}"));
                conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .unwrap();
            }
            Db::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("external.db");
                external.database = path.display().to_string();
                external._dir = Some(dir);
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true);
                sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .unwrap()
                    .close()
                    .await
                    .unwrap();
            }
        }
        external
    }

    /// A database with `customers` and `orders` (see [`SHOP`]).
    pub async fn shop(db: Db) -> ExternalDb {
        let external = ExternalDb::create(db).await;
        external.exec(&SHOP.replace("{PK}", db.primary_key())).await;
        external
    }

    pub fn url(&self) -> String {
        match self.db {
            Db::Postgres => self
                .pg
                .as_ref()
                .map(|pg| pg.url.clone())
                .unwrap_or_default(),
            Db::Mariadb => format!("{}/{}", mariadb_admin_url(), self.database),
            Db::Sqlite => format!("sqlite://{}", self.database),
        }
    }

    /// Runs `;`-separated statements (no `;` inside literals); `{PK}` is
    /// this engine's auto-numbered `id` primary key.
    pub async fn exec(&self, sql: &str) {
        let sql = sql.replace("{PK}", self.db.primary_key());
        let statements: Vec<String> = sql
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        macro_rules! run {
            ($conn:expr) => {{
                let mut conn = $conn;
                for statement in statements {
                    conn.execute(sqlx::AssertSqlSafe(statement.clone()))
                        .await
                        .unwrap_or_else(|e| panic!("{statement}: {e}"));
                }
                conn.close().await.unwrap();
            }};
        }
        match self.db {
            Db::Postgres => run!(sqlx::PgConnection::connect(&self.url()).await.unwrap()),
            Db::Mariadb => run!(sqlx::MySqlConnection::connect(&self.url()).await.unwrap()),
            Db::Sqlite => run!(sqlx::SqliteConnection::connect(&self.url()).await.unwrap()),
        }
    }

    /// One integer read with `sql`.
    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self.db {
            Db::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url()).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
            Db::Mariadb => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url()).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
            Db::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url()).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
        }
    }

    /// The `dataSources:create` body for this database.
    pub fn source(&self, key: &str) -> Value {
        match self.db {
            Db::Sqlite => json!({
                "key": key, "displayName": format!("Source {key}"), "engine": "sqlite",
                "database": self.database,
            }),
            Db::Postgres => json!({
                "key": key, "displayName": format!("Source {key}"), "engine": "postgres",
                "host": "127.0.0.1", "port": 5432, "database": self.database,
                "username": "postgres", "tls": "disable",
            }),
            Db::Mariadb => json!({
                "key": key, "displayName": format!("Source {key}"), "engine": "mariadb",
                "host": "127.0.0.1", "port": 3306, "database": self.database,
                "username": "root", "tls": "disable",
            }),
        }
    }

    /// Drops the database now (SQLite: deletes the file), as an operator
    /// would behind Ferrobase's back.
    pub async fn drop_now(&mut self) {
        self.dropped = true;
        match self.db {
            Db::Postgres => {
                if let Some(pg) = self.pg.take() {
                    drop(pg);
                }
            }
            Db::Mariadb => drop_mariadb(self.database.clone()),
            Db::Sqlite => std::fs::remove_file(&self.database).unwrap(),
        }
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.database)
    }
}

fn drop_mariadb(name: String) {
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime
            .block_on(async move {
                let mut conn = sqlx::MySqlConnection::connect(&mariadb_admin_url()).await?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name}"
                )))
                .await
                .map(drop)
            })
            .map_err(std::io::Error::other)
    })
    .join();
}

impl Drop for ExternalDb {
    fn drop(&mut self) {
        if self.db == Db::Mariadb && !self.dropped {
            drop_mariadb(self.database.clone());
        }
    }
}

/// Two customers and five orders, the orders pointing at customers.
pub const SHOP: &str = "
CREATE TABLE customers (
    {PK}, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL UNIQUE
);
CREATE TABLE orders (
    {PK}, title VARCHAR(200) NOT NULL, status VARCHAR(20) NOT NULL,
    amount INTEGER, note TEXT, secret VARCHAR(50), customer_id INTEGER,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
);
INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.org'), ('Bob', 'bob@example.org');
INSERT INTO orders (title, status, amount, note, secret, customer_id) VALUES
    ('Apples', 'open', 30, 'crisp', 's1', 1),
    ('Bread', 'closed', 10, NULL, 's2', 2),
    ('Cheese', 'open', 20, NULL, 's3', 1),
    ('Dates', 'open', 20, NULL, 's4', NULL),
    ('Eggs', 'closed', 50, NULL, 's5', 2)
";

/// A query string from name/value pairs, each value percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `field` of every row in a list answer, in order.
pub fn column(reply: &Reply, field: &str) -> Vec<Value> {
    reply
        .ok()
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", reply.body))
        .iter()
        .map(|row| row[field].clone())
        .collect()
}

impl TestApp {
    /// `GET /api/<path>` on data source `source`.
    pub async fn ds_get(&self, who: As<'_>, source: &str, path: &str) -> Reply {
        let request = self
            .request(Method::GET, &format!("/api/{path}"), who)
            .header("x-data-source", source);
        TestApp::reply(request).await
    }

    /// `POST /api/<path>` on data source `source` with a JSON body.
    pub async fn ds_post(&self, who: As<'_>, source: &str, path: &str, body: &Value) -> Reply {
        let request = self
            .request(Method::POST, &format!("/api/{path}"), who)
            .header("x-data-source", source)
            .json(body);
        TestApp::reply(request).await
    }

    /// Creates the source, waits until it connected, loads every table.
    pub async fn add_source(&self, admin: &str, body: Value) -> Value {
        let key = body["key"].as_str().unwrap().to_owned();
        let reply = self
            .api_post("/api/dataSources:create", As::Bearer(admin), body)
            .await;
        assert_eq!(reply.ok()["key"], key.as_str());
        self.wait_status(admin, &key).await;
        let path = format!("/api/dataSources:loadTables?filterByTk={key}");
        let reply = self.api_post(&path, As::Bearer(admin), json!({})).await;
        assert!(reply.ok()["loaded"].as_u64().unwrap() > 0, "{}", reply.body);
        self.wait_status(admin, &key).await
    }

    /// `dataSources:get` once the background connection has an outcome.
    pub async fn wait_status(&self, admin: &str, key: &str) -> Value {
        let started = Instant::now();
        loop {
            let reply = self
                .api_get(
                    &format!("/api/dataSources:get?filterByTk={key}"),
                    As::Bearer(admin),
                )
                .await;
            let view = reply.ok().clone();
            if view["status"] != "loading" || started.elapsed() > Duration::from_secs(20) {
                return view;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs one statement on the metadata store, as an operator with
    /// database access could.
    pub async fn store_exec(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.database_url)
                .await
                .unwrap();
            conn.execute(sql).await.unwrap();
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url)
                .await
                .unwrap();
            conn.execute(sql).await.unwrap();
        }
    }

    /// The stored `password` column of a source, read from the metadata store.
    pub async fn stored_password(&self, key: &str) -> Option<String> {
        let sql = "SELECT password FROM data_sources WHERE key = $1";
        if self.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql)
                .bind(key)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql)
                .bind(key)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
    }

    /// Creates a role holding exactly `grants` (CollectionGrant JSON) and a
    /// user in it; returns the user's session token.
    pub async fn user_with_grants(&self, admin: &str, role: &str, grants: Value) -> String {
        let body = json!({
            "name": role,
            "title": format!("Role {role}"),
            "permissions": { "all": false, "system": [], "grants": grants },
        });
        let reply = self
            .api_post("/api/roles:create", As::Bearer(admin), body)
            .await;
        assert_eq!(reply.ok()["name"], role);
        let email = format!("{role}@example.org");
        self.create_user(admin, &email, Some(&[role])).await;
        self.token(&email, super::identity::USER_PASSWORD).await
    }
}
