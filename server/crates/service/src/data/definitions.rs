//! Data source rows in the metadata store: connection options as JSON, the
//! password sealed (or an environment reference), and the collections
//! loaded from each source.

use connectors::schema::TableSchema;
use model::data::{Engine, TlsMode};
use serde::{Deserialize, Serialize};

use super::settings::CollectionSettings;
use crate::store::{Tx, with_pool, with_tx};
use crate::{Error, Result, Store};

/// The key of the embedded data source: Ferrobase's own store.
pub const MAIN: &str = "main";

/// What a data source connects with, minus the password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub username: String,
    pub schema: Option<String>,
    pub table_prefix: String,
    pub tls: TlsMode,
    pub ca_certificate: Option<String>,
    /// The tables the database had at the last load or refresh, so a
    /// refresh can tell which tables are new.
    pub known_tables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub key: String,
    pub display_name: String,
    /// `None` for the main source.
    pub engine: Option<Engine>,
    pub options: Options,
    /// Sealed text or a `{{$env.NAME}}` reference.
    pub password: Option<String>,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct StoredCollection {
    pub data_source: String,
    pub name: String,
    pub structure: TableSchema,
    pub settings: CollectionSettings,
}

type DefinitionRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    bool,
    i64,
    i64,
);

fn definition(row: DefinitionRow) -> Result<Definition> {
    let (key, display_name, engine, options, password, enabled, created_at, updated_at) = row;
    let engine = match engine.as_str() {
        "main" => None,
        other => Some(Engine::parse(other).ok_or_else(|| {
            Error::Misconfigured(format!("data source {key} has an unknown engine {other}"))
        })?),
    };
    let options = serde_json::from_str(&options).map_err(|e| {
        Error::Misconfigured(format!("data source {key} has unreadable options: {e}"))
    })?;
    Ok(Definition {
        key,
        display_name,
        engine,
        options,
        password,
        enabled,
        created_at,
        updated_at,
    })
}

pub async fn load_all(store: &Store) -> Result<(i64, Vec<Definition>, Vec<StoredCollection>)> {
    let sql = "SELECT key, display_name, engine, options, password, enabled, created_at, updated_at \
               FROM data_sources ORDER BY key";
    let rows: Vec<DefinitionRow> =
        with_pool!(store, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
    let definitions = rows
        .into_iter()
        .map(definition)
        .collect::<Result<Vec<_>>>()?;
    let sql = "SELECT data_source, name, structure, settings FROM data_source_collections \
               ORDER BY data_source, position, name";
    let rows: Vec<(String, String, String, String)> =
        with_pool!(store, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
    let mut collections = Vec::with_capacity(rows.len());
    for (data_source, name, structure, settings) in rows {
        let structure = serde_json::from_str(&structure).map_err(|e| {
            Error::Misconfigured(format!(
                "collection {data_source}.{name} is unreadable: {e}"
            ))
        })?;
        let settings = serde_json::from_str(&settings).unwrap_or_default();
        collections.push(StoredCollection {
            data_source,
            name,
            structure,
            settings,
        });
    }
    let version = version(store).await?;
    Ok((version, definitions, collections))
}

pub async fn version(store: &Store) -> Result<i64> {
    let sql = "SELECT version FROM catalog_version WHERE id = 1";
    Ok(with_pool!(store, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
}

/// Marks every process's catalog stale; in the transaction of the change.
pub async fn bump(tx: &mut Tx) -> Result<()> {
    with_tx!(tx, conn => {
        sqlx::query("UPDATE catalog_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

pub async fn insert(tx: &mut Tx, d: &Definition) -> Result<()> {
    let sql = "INSERT INTO data_sources (key, display_name, engine, options, password, enabled, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let engine = d.engine.map_or("main", Engine::as_str);
    let options = serde_json::to_string(&d.options).map_err(|e| Error::Internal(e.into()))?;
    let result = with_tx!(tx, conn => sqlx::query(sql)
        .bind(&d.key).bind(&d.display_name).bind(engine).bind(&options).bind(&d.password)
        .bind(d.enabled).bind(d.created_at).bind(d.updated_at)
        .execute(&mut *conn).await.map(drop));
    match result {
        Err(e) if crate::store::is_unique_violation(&e) => Err(Error::InvalidInput(format!(
            "a data source with the key {} already exists",
            d.key
        ))),
        other => other.map_err(Into::into),
    }
}

pub async fn update(tx: &mut Tx, d: &Definition) -> Result<()> {
    let sql = "UPDATE data_sources SET display_name = $2, engine = $3, options = $4, password = $5, \
               enabled = $6, updated_at = $7 WHERE key = $1";
    let engine = d.engine.map_or("main", Engine::as_str);
    let options = serde_json::to_string(&d.options).map_err(|e| Error::Internal(e.into()))?;
    with_tx!(tx, conn => sqlx::query(sql)
        .bind(&d.key).bind(&d.display_name).bind(engine).bind(&options).bind(&d.password)
        .bind(d.enabled).bind(d.updated_at)
        .execute(&mut *conn).await.map(drop))?;
    Ok(())
}

/// Records the tables the database has now and changes nothing else, so
/// an update of the definition made while tables were being read is kept.
pub async fn set_known_tables(tx: &mut Tx, key: &str, tables: &[String]) -> Result<()> {
    let tables = serde_json::to_string(tables).map_err(|e| Error::Internal(e.into()))?;
    match tx {
        Tx::Sqlite(tx) => {
            let sql = "UPDATE data_sources SET options = json_set(options, '$.knownTables', json($2)) \
                       WHERE key = $1";
            sqlx::query(sql)
                .bind(key)
                .bind(&tables)
                .execute(&mut **tx)
                .await?;
        }
        Tx::Postgres(tx) => {
            let sql = "UPDATE data_sources \
                       SET options = jsonb_set(options::jsonb, '{knownTables}', $2::jsonb)::text \
                       WHERE key = $1";
            sqlx::query(sql)
                .bind(key)
                .bind(&tables)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Deletes the source, its collections and every role grant naming it, so
/// a later source with the same key starts with no one allowed in. Answers
/// how many grants went.
pub async fn delete(tx: &mut Tx, key: &str) -> Result<u64> {
    let grants = with_tx!(tx, conn => {
        sqlx::query("DELETE FROM data_source_collections WHERE data_source = $1")
            .bind(key).execute(&mut *conn).await?;
        let grants = sqlx::query("DELETE FROM role_collection_grants WHERE data_source = $1")
            .bind(key).execute(&mut *conn).await?.rows_affected();
        sqlx::query("DELETE FROM data_sources WHERE key = $1").bind(key).execute(&mut *conn).await?;
        grants
    });
    Ok(grants)
}

/// Replaces a collection's structure and settings (or adds it at the end).
pub async fn save_collection(tx: &mut Tx, collection: &StoredCollection) -> Result<()> {
    let structure =
        serde_json::to_string(&collection.structure).map_err(|e| Error::Internal(e.into()))?;
    let settings =
        serde_json::to_string(&collection.settings).map_err(|e| Error::Internal(e.into()))?;
    let sql = "INSERT INTO data_source_collections (data_source, name, structure, settings, position) \
               VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM data_source_collections WHERE data_source = $1)) \
               ON CONFLICT (data_source, name) DO UPDATE SET structure = excluded.structure, settings = excluded.settings";
    with_tx!(tx, conn => sqlx::query(sql)
        .bind(&collection.data_source).bind(&collection.name).bind(&structure).bind(&settings)
        .execute(&mut *conn).await.map(drop))?;
    Ok(())
}

/// Adds a collection with no settings, or gives a loaded one a fresh
/// structure and leaves its settings as they are now in the store (an
/// admin may have changed them while the tables were being read).
pub async fn save_structure(
    tx: &mut Tx,
    data_source: &str,
    name: &str,
    structure: &TableSchema,
) -> Result<()> {
    let structure = serde_json::to_string(structure).map_err(|e| Error::Internal(e.into()))?;
    let sql = "INSERT INTO data_source_collections (data_source, name, structure, settings, position) \
               VALUES ($1, $2, $3, '{}', (SELECT COALESCE(MAX(position), 0) + 1 FROM data_source_collections WHERE data_source = $1)) \
               ON CONFLICT (data_source, name) DO UPDATE SET structure = excluded.structure";
    with_tx!(tx, conn => sqlx::query(sql)
        .bind(data_source).bind(name).bind(&structure)
        .execute(&mut *conn).await.map(drop))?;
    Ok(())
}

pub async fn delete_collection(tx: &mut Tx, data_source: &str, name: &str) -> Result<()> {
    with_tx!(tx, conn => sqlx::query("DELETE FROM data_source_collections WHERE data_source = $1 AND name = $2")
        .bind(data_source).bind(name).execute(&mut *conn).await.map(drop))?;
    Ok(())
}
