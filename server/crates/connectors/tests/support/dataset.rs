//! One small dataset, the same on every engine: `users` (one-to-many
//! `posts`) and `posts` (many-to-one `author`), with NULLs, empty strings,
//! LIKE wildcards, mixed case, non-ASCII text and instants around midnight.
//! Rows go in through the connector itself (`compile::insert`), so every
//! engine stores them the way Ferrobase writes them.

use std::collections::HashMap;

use connectors::compile;
use connectors::schema::{Collection, RelationKind};
use connectors::{Connector, Dialect, Error, Page};
use model::data::{Engine, FieldInterface};
use model::query::{FieldPath, ListQuery, Paging, parse_filter, parse_sort};
use serde_json::{Map, Value, json};

use super::{TestDb, relate};

pub fn ddl(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres | Engine::Kingbase => {
            "CREATE TYPE post_status AS ENUM ('draft', 'live');
            CREATE TABLE users (id integer PRIMARY KEY, name varchar(50));
            CREATE TABLE posts (id integer PRIMARY KEY, title varchar(100), body text,
                views integer CHECK (views >= 0), price numeric(10,2), published boolean,
                published_at timestamptz, day date, status post_status,
                author_id integer REFERENCES users (id), meta jsonb);"
        }
        Engine::Mariadb | Engine::Mysql => {
            "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50));
            CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(100), body TEXT,
                views INT CHECK (views >= 0), price DECIMAL(10,2), published BOOLEAN,
                published_at DATETIME(3), day DATE, status ENUM('draft', 'live'),
                author_id INT, meta JSON, FOREIGN KEY (author_id) REFERENCES users (id));"
        }
        Engine::Oracle => super::oracle::DDL,
        // No JSON type before SQL Server 2025: `meta` is its text.
        Engine::Mssql => {
            "CREATE TABLE users (id int PRIMARY KEY, name nvarchar(50));
            CREATE TABLE posts (id int PRIMARY KEY, title nvarchar(100), body nvarchar(max),
                views int CHECK (views >= 0), price decimal(10,2), published bit,
                published_at datetime2(3), day date, status nvarchar(10),
                author_id int REFERENCES users (id), meta nvarchar(max));"
        }
        _ => {
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));
            CREATE TABLE posts (id INTEGER PRIMARY KEY, title VARCHAR(100), body TEXT,
                views INTEGER CHECK (views >= 0), price NUMERIC(10,2), published BOOLEAN,
                published_at DATETIME, day DATE, status TEXT,
                author_id INTEGER REFERENCES users (id), meta JSON);"
        }
    }
}

/// User 4 has no posts; posts 4 and 8 have no author; user 3 has no name.
pub fn users() -> Vec<Value> {
    vec![
        json!({"id": 1, "name": "Ann"}),
        json!({"id": 2, "name": "bob"}),
        json!({"id": 3, "name": null}),
        json!({"id": 4, "name": "Dan"}),
    ]
}

pub fn posts() -> Vec<Value> {
    vec![
        json!({"id": 1, "title": "Hello World", "body": "first post", "views": 10,
            "price": "9.99", "published": true, "published_at": "2026-11-23T09:05:00Z",
            "day": "2026-11-23", "status": "live", "author_id": 1, "meta": {"a": 1}}),
        json!({"id": 2, "title": "hello again", "body": "", "views": 0, "price": "0.00",
            "published": false, "published_at": "2026-11-23T23:30:00Z", "day": "2026-11-24",
            "status": "draft", "author_id": 1, "meta": [1, 2]}),
        json!({"id": 3, "title": "50% off_sale", "body": null, "views": null,
            "price": "100.50", "published": null, "published_at": null, "day": null,
            "status": null, "author_id": 2, "meta": null}),
        json!({"id": 4, "title": "", "body": "Zebra", "views": 25, "price": null,
            "published": true, "published_at": "2026-11-22T23:59:59Z", "day": "2026-11-22",
            "status": "live", "author_id": null, "meta": "[1]"}),
        json!({"id": 5, "title": null, "body": "x", "views": 5, "price": "12.00",
            "published": false, "published_at": "2026-11-24T00:00:00Z", "day": "2026-11-24",
            "status": "draft", "author_id": 3}),
        json!({"id": 6, "title": "Ünïcode Straße", "body": "日本", "views": 100,
            "price": "-5.25", "published": true, "published_at": "2025-01-01T00:00:00Z",
            "day": "2025-01-01", "status": "live", "author_id": 2}),
        json!({"id": 7, "title": "a_b c", "body": "back\\slash", "views": 7, "price": "7.00",
            "published_at": "2026-11-23T00:00:00Z", "day": "2026-11-23", "author_id": 2}),
        json!({"id": 8, "title": "axb", "body": "wow!", "views": 8}),
    ]
}

/// The dataset loaded into a fresh database, with its catalog.
pub struct Dataset {
    pub db: TestDb,
    pub connector: Connector,
    pub catalog: HashMap<String, Collection>,
}

impl Dataset {
    pub async fn load(engine: Engine) -> Dataset {
        Dataset::load_into(TestDb::create(engine).await).await
    }

    pub async fn load_into(db: TestDb) -> Dataset {
        db.sql(ddl(db.engine)).await;
        db.sql(super::notes_ddl(db.engine)).await;
        let connector = db.connect().await;
        let mut catalog = db.collections(&connector).await;
        relate(
            &mut catalog,
            "posts",
            "author",
            RelationKind::ManyToOne,
            "users",
            "author_id",
        );
        relate(
            &mut catalog,
            "users",
            "posts",
            RelationKind::OneToMany,
            "posts",
            "author_id",
        );
        let dataset = Dataset {
            db,
            connector,
            catalog,
        };
        for user in users() {
            dataset.insert("users", &user).await;
        }
        let meta_is_json = dataset
            .collection("posts")
            .field("meta")
            .is_some_and(|meta| meta.interface == FieldInterface::Json);
        for mut post in posts() {
            if !meta_is_json && let Some(meta) = post.get_mut("meta").filter(|m| !m.is_null()) {
                *meta = Value::String(meta.to_string());
            }
            dataset.insert("posts", &post).await;
        }
        dataset
    }

    pub fn dialect(&self) -> Dialect {
        self.connector.dialect()
    }

    pub fn collection(&self, name: &str) -> &Collection {
        &self.catalog[name]
    }

    pub async fn insert(&self, collection: &str, values: &Value) -> Option<Value> {
        self.try_insert(collection, values)
            .await
            .unwrap_or_else(|e| panic!("{:?}: insert of {values} failed: {e}", self.db.engine))
    }

    /// Compiles and runs an insert; either step may refuse.
    pub async fn try_insert(
        &self,
        collection: &str,
        values: &Value,
    ) -> Result<Option<Value>, Error> {
        let values = values.as_object().unwrap();
        let collection = self.collection(collection);
        let plan = compile::insert(self.dialect(), &self.catalog, collection, values)?;
        self.connector.insert(&plan).await
    }

    pub async fn update(&self, collection: &str, key: Value, values: Value) -> Result<u64, Error> {
        let values = values.as_object().unwrap();
        let collection = self.collection(collection);
        let statement = compile::update(
            self.dialect(),
            &self.catalog,
            collection,
            &key,
            values,
            None,
        )?;
        self.connector.execute(&statement).await
    }

    pub async fn delete(&self, collection: &str, key: Value) -> Result<u64, Error> {
        let collection = self.collection(collection);
        let statement = compile::delete(self.dialect(), &self.catalog, collection, &key, None)?;
        self.connector.execute(&statement).await
    }

    pub async fn list(&self, collection: &str, query: &ListQuery) -> Result<Page, Error> {
        let collection = self.collection(collection);
        let plan = compile::list(self.dialect(), &self.catalog, collection, query, None)?;
        self.connector.fetch(&plan).await
    }

    /// One record by key, with `appends` (relation names).
    pub async fn get(
        &self,
        collection: &str,
        key: Value,
        appends: &[&str],
    ) -> Result<Option<Map<String, Value>>, Error> {
        let query = ListQuery {
            appends: appends.iter().map(|a| FieldPath::single(*a)).collect(),
            ..ListQuery::default()
        };
        let collection = self.collection(collection);
        let plan = compile::get(
            self.dialect(),
            &self.catalog,
            collection,
            &key,
            &query,
            None,
        )?;
        let page = self.connector.fetch(&plan).await?;
        Ok(page.rows.into_iter().next())
    }

    /// The ids `filter` selects from `collection`, in order.
    pub async fn ids(&self, collection: &str, filter: &Value) -> Result<Vec<i64>, String> {
        let filter = parse_filter(filter).map_err(|e| format!("parse: {e}"))?;
        self.ids_where(collection, filter).await
    }

    pub async fn ids_where(
        &self,
        collection: &str,
        filter: Option<model::query::Filter>,
    ) -> Result<Vec<i64>, String> {
        let query = ListQuery {
            filter,
            sort: parse_sort(["id"]).unwrap(),
            fields: Some(vec![FieldPath::single("id")]),
            paging: Paging::All,
            ..ListQuery::default()
        };
        let plan = compile::list(
            self.dialect(),
            &self.catalog,
            self.collection(collection),
            &query,
            None,
        )
        .map_err(|e| format!("compile: {e} ({})", e.code()))?;
        let page = self
            .connector
            .fetch(&plan)
            .await
            .map_err(|e| format!("fetch: {e} ({})\n{}", e.code(), plan.rows.sql))?;
        Ok(page
            .rows
            .iter()
            .map(|row| row["id"].as_i64().unwrap_or(-1))
            .collect())
    }
}
