//! What introspection reports for a schema with every kind of column,
//! keys (composite too), foreign keys and a view, on every local engine;
//! and that such a table reads back, unsupported columns included.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use connectors::schema::{TableKind, TableSchema};
use model::data::{Engine, FieldInterface as I};
use support::{TestDb, engine_tests, introspect_all};

engine_tests!(
    tables_and_views_are_listed,
    columns_get_their_interfaces,
    keys_and_foreign_keys_are_found,
    a_row_of_every_type_reads_back,
);

fn ddl(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => {
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE kinds (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                small smallint NOT NULL DEFAULT 0, big bigint, name varchar(80) NOT NULL,
                code char(3), notes text, price numeric(10,2), ratio real,
                score double precision, flag boolean NOT NULL DEFAULT true, born date,
                seen timestamp, seen_tz timestamptz DEFAULT now(), at_time time, doc json,
                docb jsonb, ident uuid UNIQUE, raw bytea, feeling mood, spot point,
                words tsvector, doubled integer GENERATED ALWAYS AS (small * 2) STORED);
            CREATE TABLE serials (id serial PRIMARY KEY, other bigserial);"
        }
        Engine::Mariadb => {
            "CREATE TABLE kinds (id INT AUTO_INCREMENT PRIMARY KEY,
                small SMALLINT NOT NULL DEFAULT 0, big BIGINT UNSIGNED, name VARCHAR(80) NOT NULL,
                code CHAR(3), notes TEXT, price DECIMAL(10,2), ratio FLOAT, score DOUBLE,
                flag BOOLEAN NOT NULL DEFAULT TRUE, born DATE, seen DATETIME,
                seen_tz TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, at_time TIME, doc JSON,
                docb JSON, ident UUID UNIQUE, raw BLOB, feeling ENUM('sad', 'ok', 'happy'),
                spot POINT, words SET('a', 'b'), doubled INT AS (small * 2) VIRTUAL);
            CREATE TABLE serials (id BIGINT AUTO_INCREMENT PRIMARY KEY, other INT);"
        }
        _ => {
            "CREATE TABLE kinds (id INTEGER PRIMARY KEY, small SMALLINT NOT NULL DEFAULT 0,
                big BIGINT, name VARCHAR(80) NOT NULL, code CHAR(3), notes TEXT,
                price NUMERIC(10,2), ratio REAL, score DOUBLE, flag BOOLEAN NOT NULL DEFAULT 1,
                born DATE, seen DATETIME, seen_tz TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                at_time TIME, doc JSON, docb JSON, ident UUID UNIQUE, raw BLOB,
                feeling TEXT CHECK (feeling IN ('sad', 'ok', 'happy')), spot GEOMETRY,
                words TSVECTOR, doubled INTEGER GENERATED ALWAYS AS (small * 2) VIRTUAL);
            CREATE TABLE serials (id INTEGER PRIMARY KEY AUTOINCREMENT, other INTEGER);"
        }
    }
}

/// The same on every engine: a composite key, a composite foreign key, a
/// foreign key to an implicit primary key (SQLite) and a view.
const RELATED: &str = "
    CREATE TABLE regions (country CHAR(2) NOT NULL, code VARCHAR(10) NOT NULL,
        name VARCHAR(40) NOT NULL, PRIMARY KEY (country, code), UNIQUE (name));
    CREATE TABLE shops (id INTEGER NOT NULL PRIMARY KEY, country CHAR(2) NOT NULL,
        region VARCHAR(10) NOT NULL, kind_id INTEGER,
        FOREIGN KEY (country, region) REFERENCES regions (country, code),
        UNIQUE (country, region, id));
    CREATE VIEW shop_names AS SELECT s.id, r.name FROM shops s
        JOIN regions r ON r.country = s.country AND r.code = s.region;";

fn kind_id_key(engine: Engine) -> &'static str {
    match engine {
        // A foreign key naming no column points at the primary key.
        Engine::Sqlite => {
            "CREATE TABLE shop_kinds (shop_id INTEGER REFERENCES shops,
            kind_id INTEGER REFERENCES kinds, PRIMARY KEY (shop_id, kind_id));"
        }
        _ => {
            "CREATE TABLE shop_kinds (shop_id INTEGER NOT NULL REFERENCES shops (id),
            kind_id INTEGER NOT NULL REFERENCES kinds (id), PRIMARY KEY (shop_id, kind_id));"
        }
    }
}

async fn schema(engine: Engine) -> (TestDb, connectors::Connector, Vec<TableSchema>) {
    let db = TestDb::create(engine).await;
    db.sql(ddl(engine)).await;
    db.sql(RELATED).await;
    db.sql(kind_id_key(engine)).await;
    let connector = db.connect().await;
    let schemas = introspect_all(&connector).await;
    (db, connector, schemas)
}

fn table<'s>(schemas: &'s [TableSchema], name: &str) -> &'s TableSchema {
    schemas
        .iter()
        .find(|s| s.table.name == name)
        .unwrap_or_else(|| panic!("{name} was not introspected"))
}

async fn tables_and_views_are_listed(engine: Engine) {
    let (db, connector, _) = schema(engine).await;
    let tables = connector.list_tables().await.unwrap();
    let listed: Vec<(&str, TableKind)> = tables.iter().map(|t| (t.name.as_str(), t.kind)).collect();
    use TableKind::{Table, View};
    let expected = [
        ("kinds", Table),
        ("regions", Table),
        ("serials", Table),
        ("shop_kinds", Table),
        ("shop_names", View),
        ("shops", Table),
    ];
    assert_eq!(listed, expected, "{engine:?}");
    let schema = tables
        .iter()
        .map(|t| t.schema.as_deref())
        .collect::<Vec<_>>();
    let expected_schema = (engine == Engine::Postgres).then_some("public");
    assert!(
        schema.iter().all(|s| *s == expected_schema),
        "{engine:?}: {schema:?}"
    );
    // Introspecting some tables reads only those.
    let some = connector.introspect(&tables[4..5]).await.unwrap();
    assert_eq!(some.len(), 1);
    let columns: Vec<&str> = some[0].columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["id", "name"], "{engine:?}");
    assert!(some[0].primary_key.is_empty(), "{engine:?}");
    drop(db);
}

async fn columns_get_their_interfaces(engine: Engine) {
    let (_db, _connector, schemas) = schema(engine).await;
    let kinds = support::collection(engine, table(&schemas, "kinds"));
    let interfaces: Vec<(&str, I)> = kinds
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.interface))
        .collect();
    let (feeling, text_limits) = match engine {
        Engine::Sqlite => (I::LongText, (None, None)),
        _ => (I::Enum, (Some(80), Some(3))),
    };
    let expected = [
        ("id", I::Integer),
        ("small", I::Integer),
        ("big", I::Integer),
        ("name", I::Text),
        ("code", I::Text),
        ("notes", I::LongText),
        ("price", I::Decimal),
        ("ratio", I::Number),
        ("score", I::Number),
        ("flag", I::Boolean),
        ("born", I::Date),
        ("seen", I::Datetime),
        ("seen_tz", I::Datetime),
        ("at_time", I::Time),
        ("doc", I::Json),
        ("docb", I::Json),
        ("ident", I::Uuid),
        ("raw", I::Binary),
        ("feeling", feeling),
        ("spot", I::Unsupported),
        ("words", I::Unsupported),
        ("doubled", I::Integer),
    ];
    assert_eq!(interfaces, expected, "{engine:?}");
    let field = |name| kinds.field(name).unwrap();
    // (nullable, generated, has_default) of the columns that differ.
    let flags = |name| {
        (
            field(name).nullable,
            field(name).generated,
            field(name).has_default,
        )
    };
    assert_eq!(flags("id"), (false, true, false), "{engine:?} id");
    assert_eq!(flags("small"), (false, false, true), "{engine:?} small");
    assert_eq!(flags("name"), (false, false, false), "{engine:?} name");
    assert_eq!(flags("flag"), (false, false, true), "{engine:?} flag");
    assert_eq!(flags("seen_tz"), (true, false, true), "{engine:?} seen_tz");
    assert!(flags("doubled").1, "{engine:?} doubled");
    assert_eq!(flags("big"), (true, false, false), "{engine:?} big");
    assert!(!field("doubled").is_writable() && !field("spot").is_writable());
    let limits = (field("name").max_length, field("code").max_length);
    assert_eq!(limits, text_limits, "{engine:?}");
    if engine != Engine::Sqlite {
        assert_eq!(
            field("feeling").options,
            ["sad", "ok", "happy"],
            "{engine:?}"
        );
        let price = table(&schemas, "kinds")
            .columns
            .iter()
            .find(|c| c.name == "price");
        let price = price.unwrap();
        assert_eq!(
            (price.precision, price.scale),
            (Some(10), Some(2)),
            "{engine:?}"
        );
    }
    let serials = support::collection(engine, table(&schemas, "serials"));
    assert!(serials.field("id").unwrap().generated, "{engine:?}");
    let other = serials.field("other").unwrap();
    assert_eq!(
        other.generated,
        engine == Engine::Postgres,
        "{engine:?} bigserial"
    );
}

async fn keys_and_foreign_keys_are_found(engine: Engine) {
    let (db, _connector, schemas) = schema(engine).await;
    assert_eq!(table(&schemas, "kinds").primary_key, ["id"]);
    assert_eq!(table(&schemas, "kinds").unique, [["ident"]], "{engine:?}");
    let regions = table(&schemas, "regions");
    assert_eq!(regions.primary_key, ["country", "code"], "{engine:?}");
    assert_eq!(regions.unique, [["name"]], "{engine:?}");
    let shops = table(&schemas, "shops");
    assert_eq!(shops.unique, [["country", "region", "id"]], "{engine:?}");
    let referenced_schema = match engine {
        Engine::Postgres => Some("public".to_owned()),
        Engine::Sqlite => None,
        _ => Some(db.name.clone()),
    };
    let [key] = shops.foreign_keys.as_slice() else {
        panic!("{engine:?}: {:?}", shops.foreign_keys);
    };
    assert_eq!(key.columns, ["country", "region"], "{engine:?}");
    assert_eq!(key.referenced_table, "regions");
    assert_eq!(key.referenced_columns, ["country", "code"], "{engine:?}");
    assert_eq!(key.referenced_schema, referenced_schema, "{engine:?}");
    let links = table(&schemas, "shop_kinds");
    assert_eq!(links.primary_key, ["shop_id", "kind_id"], "{engine:?}");
    let mut keys: Vec<(Vec<String>, &str, Vec<String>)> = links
        .foreign_keys
        .iter()
        .map(|k| {
            (
                k.columns.clone(),
                k.referenced_table.as_str(),
                k.referenced_columns.clone(),
            )
        })
        .collect();
    keys.sort();
    let id = vec!["id".to_owned()];
    let expected = [
        (vec!["kind_id".to_owned()], "kinds", id.clone()),
        (vec!["shop_id".to_owned()], "shops", id),
    ];
    assert_eq!(keys, expected, "{engine:?}");
    assert!(table(&schemas, "shop_names").foreign_keys.is_empty());
}

async fn a_row_of_every_type_reads_back(engine: Engine) {
    let (db, connector, schemas) = schema(engine).await;
    db.sql(match engine {
        Engine::Postgres => {
            "INSERT INTO kinds (name, price, flag, doc, docb, ident, raw, feeling,
            spot, words, at_time, born) VALUES ('n', 1.5, false, '{\"a\": [1]}', '[true]',
            'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '\\x00ff', 'ok', '(1,2)', 'a b',
            '09:05:00', '2026-11-23')"
        }
        Engine::Mariadb => {
            "INSERT INTO kinds (name, price, flag, doc, docb, ident, raw, feeling,
            spot, words, at_time, born) VALUES ('n', 1.5, false, '{\"a\": [1]}', '[true]',
            'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', x'00ff', 'ok', POINT(1, 2), 'a,b',
            '09:05:00', '2026-11-23')"
        }
        _ => {
            "INSERT INTO kinds (name, price, flag, doc, docb, ident, raw, feeling,
            spot, words, at_time, born) VALUES ('n', 1.5, 0, '{\"a\": [1]}', '[true]',
            'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', x'00ff', 'ok', 'POINT(1 2)', 'a b',
            '09:05:00', '2026-11-23')"
        }
    })
    .await;
    let catalog = std::collections::HashMap::from([(
        "kinds".to_owned(),
        support::collection(engine, table(&schemas, "kinds")),
    )]);
    let query = model::query::ListQuery::default();
    let plan = connectors::compile::list(
        connector.dialect(),
        &catalog,
        &catalog["kinds"],
        &query,
        None,
    )
    .unwrap();
    let page = connector.fetch(&plan).await.unwrap();
    let row = &page.rows[0];
    use serde_json::json;
    assert_eq!(row["id"], json!(1), "{engine:?}");
    assert_eq!(row["small"], json!(0), "{engine:?}");
    assert_eq!(row["doubled"], json!(0), "{engine:?}");
    assert_eq!(row["price"], json!("1.50"), "{engine:?}");
    assert_eq!(row["flag"], json!(false), "{engine:?}");
    assert_eq!(row["doc"], json!({"a": [1]}), "{engine:?}");
    assert_eq!(row["docb"], json!([true]), "{engine:?}");
    assert_eq!(row["ident"], json!("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    assert_eq!(row["raw"], json!("00ff"), "{engine:?}");
    assert_eq!(row["feeling"], json!("ok"), "{engine:?}");
    assert_eq!(row["at_time"], json!("09:05:00"), "{engine:?}");
    assert_eq!(row["born"], json!("2026-11-23"), "{engine:?}");
    assert!(
        row["seen_tz"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{row:?}"
    );
    // Unsupported columns read as text, never as an error.
    assert!(
        row["spot"].is_string() && row["words"].is_string(),
        "{engine:?}: {row:?}"
    );
    // Values of these types compare as written (a time without seconds, a
    // UUID in capitals).
    let filter = json!({"at_time": "09:05", "born": {"$dateOn": "2026-11-23"},
        "ident": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "raw": "00FF", "flag": false,
        "feeling": {"$in": ["ok"]}, "spot": {"$notEmpty": true}});
    let query = model::query::ListQuery {
        filter: model::query::parse_filter(&filter).unwrap(),
        ..Default::default()
    };
    let dialect = connector.dialect();
    let plan = connectors::compile::list(dialect, &catalog, &catalog["kinds"], &query, None);
    let page = connector.fetch(&plan.unwrap()).await.unwrap();
    assert_eq!(page.count, Some(1), "{engine:?}");
    connector.close().await;
}

/// Tables come from the configured schema, and queries name it.
#[tokio::test]
async fn a_postgres_schema_other_than_public() {
    let db = TestDb::create(Engine::Postgres).await;
    db.sql("CREATE SCHEMA sales; CREATE TABLE sales.orders (id integer PRIMARY KEY, total numeric(8,2));
        INSERT INTO sales.orders VALUES (1, 2.5); CREATE TABLE public.decoy (id integer);")
        .await;
    let mut config = db.config.clone();
    config.schema = Some("sales".into());
    let connector = connectors::Connector::connect(&config).await.unwrap();
    assert_eq!(connector.schema(), Some("sales"));
    let schemas = introspect_all(&connector).await;
    assert_eq!(schemas.len(), 1);
    assert_eq!(schemas[0].table.schema.as_deref(), Some("sales"));
    let orders = support::collection(Engine::Postgres, &schemas[0]);
    let catalog = std::collections::HashMap::from([("orders".to_owned(), orders)]);
    let query = model::query::ListQuery::default();
    let plan = connectors::compile::list(
        connector.dialect(),
        &catalog,
        &catalog["orders"],
        &query,
        None,
    );
    let page = connector.fetch(&plan.unwrap()).await.unwrap();
    assert_eq!(page.rows[0]["total"], serde_json::json!("2.50"));
    connector.close().await;
}
