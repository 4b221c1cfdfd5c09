//! Which tables of a database are collections: offering them, loading the
//! chosen ones, and refreshing after the database changed (a diff first,
//! applied only when the admin confirms).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use connectors::schema::{TableInfo, TableSchema};
use model::data::{SchemaDiff, TableChoice};
use model::identity::SystemPermission;

use super::definitions::{self, StoredCollection};
use super::registry::Source;
use super::settings::CollectionSettings;
use crate::audit::{self, Changes, Event};
use crate::{Actor, Error, Result, Services};

/// As in NocoBase: more collections per source make the UI unusable.
pub const MAX_COLLECTIONS: usize = 500;

const RESOURCE: &str = "dataSources";

pub async fn read_tables(
    services: &Services,
    actor: &Actor,
    key: &str,
) -> Result<Vec<TableChoice>> {
    actor.require(SystemPermission::DataSources)?;
    let source = external(services, key).await?;
    let tables = list(services, &source).await?;
    let loaded: HashSet<&str> = source
        .stored
        .iter()
        .map(|c| c.structure.table.name.as_str())
        .collect();
    Ok(tables
        .iter()
        .map(|table| TableChoice {
            name: collection_name(&source, &table.name),
            table: table.name.clone(),
            view: table.kind == connectors::schema::TableKind::View,
            loaded: loaded.contains(table.name.as_str()),
        })
        .collect())
}

/// Loads the named tables (or, with `None`, every table) as collections;
/// tables already loaded keep their settings and get a fresh structure.
pub async fn load_tables(
    services: &Services,
    actor: &Actor,
    key: &str,
    tables: Option<&[String]>,
) -> Result<usize> {
    actor.require(SystemPermission::DataSources)?;
    let source = external(services, key).await?;
    let available = list(services, &source).await?;
    let chosen: Vec<TableInfo> = match tables {
        None => available.clone(),
        Some(names) => {
            let mut chosen = Vec::with_capacity(names.len());
            for name in names {
                // A table's own name first: `odd_name` may also be what
                // the table `odd name` loads as.
                let table = available
                    .iter()
                    .find(|t| &t.name == name)
                    .or_else(|| {
                        available
                            .iter()
                            .find(|t| collection_name(&source, &t.name) == *name)
                    })
                    .ok_or_else(|| {
                        Error::InvalidInput(format!("the database has no table {name}"))
                    })?;
                if !chosen.contains(table) {
                    chosen.push(table.clone());
                }
            }
            chosen
        }
    };
    check_unique_names(&source, &chosen)?;
    let already: HashSet<&str> = source
        .stored
        .iter()
        .map(|c| c.structure.table.name.as_str())
        .collect();
    let adding = chosen
        .iter()
        .filter(|t| !already.contains(t.name.as_str()))
        .count();
    if source.stored.len() + adding > MAX_COLLECTIONS {
        return Err(Error::InvalidInput(format!(
            "a data source holds at most {MAX_COLLECTIONS} collections; choose fewer tables"
        )));
    }
    let structures = introspect(services, &source, &chosen).await?;
    let mut tx = services.store.begin().await?;
    for structure in &structures {
        let name = collection_name(&source, &structure.table.name);
        definitions::save_structure(&mut tx, key, &name, structure).await?;
    }
    remember_tables(&mut tx, &source, &available).await?;
    definitions::bump(&mut tx).await?;
    let mut changes = Changes::default();
    changes.field("tables", serde_json::Value::Null, structures.len());
    audit::record(
        &mut tx,
        actor,
        &Event::success("dataSources:loadTables", RESOURCE, key).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    services.data.reload(&services.store).await?;
    Ok(structures.len())
}

/// Reads the loaded tables again and reports the differences; nothing changes.
pub async fn refresh(services: &Services, actor: &Actor, key: &str) -> Result<SchemaDiff> {
    actor.require(SystemPermission::DataSources)?;
    let source = external(services, key).await?;
    Ok(compare(services, &source).await?.0)
}

/// Applies what [`refresh`] reports: changed tables get their new
/// structure, dropped tables are unloaded, new tables are loaded.
pub async fn apply_refresh(services: &Services, actor: &Actor, key: &str) -> Result<SchemaDiff> {
    actor.require(SystemPermission::DataSources)?;
    let source = external(services, key).await?;
    let (report, current, available) = compare(services, &source).await?;
    let added: Vec<TableInfo> = available
        .iter()
        .filter(|t| report.tables_added.contains(&t.name))
        .cloned()
        .collect();
    check_unique_names(&source, &added)?;
    let added = introspect(services, &source, &added).await?;
    let structures: Vec<(String, &TableSchema)> = current
        .iter()
        .chain(added.iter())
        .map(|s| (collection_name(&source, &s.table.name), s))
        .collect();
    let columns_of = |collection: &str| {
        structures
            .iter()
            .find(|(name, _)| name == collection)
            .map(|(_, s)| {
                s.columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<BTreeSet<&str>>()
            })
    };
    let mut tx = services.store.begin().await?;
    for (name, structure) in &structures {
        let mut settings: CollectionSettings = source
            .stored(name)
            .map(|c| c.settings.clone())
            .unwrap_or_default();
        // Settings naming a column that is gone would break every query
        // reaching it, and no later refresh could repair that.
        settings.prune(name, &columns_of);
        let stored = StoredCollection {
            data_source: key.to_owned(),
            name: name.clone(),
            structure: (*structure).clone(),
            settings,
        };
        definitions::save_collection(&mut tx, &stored).await?;
    }
    for table in &report.tables_removed {
        definitions::delete_collection(&mut tx, key, &collection_name(&source, table)).await?;
    }
    remember_tables(&mut tx, &source, &available).await?;
    definitions::bump(&mut tx).await?;
    let mut changes = Changes::default();
    changes.field("added", serde_json::Value::Null, report.tables_added.len());
    changes.field(
        "removed",
        serde_json::Value::Null,
        report.tables_removed.len(),
    );
    changes.field(
        "changed",
        serde_json::Value::Null,
        report.tables_changed.len(),
    );
    audit::record(
        &mut tx,
        actor,
        &Event::success("dataSources:applyRefresh", RESOURCE, key).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    services.data.reload(&services.store).await?;
    Ok(report)
}

async fn compare(
    services: &Services,
    source: &Source,
) -> Result<(SchemaDiff, Vec<TableSchema>, Vec<TableInfo>)> {
    let available = list(services, source).await?;
    let loaded: Vec<&TableSchema> = source.stored.iter().map(|c| &c.structure).collect();
    let still_there: Vec<TableInfo> = available
        .iter()
        .filter(|t| loaded.iter().any(|l| l.table.name == t.name))
        .cloned()
        .collect();
    let current = introspect(services, source, &still_there).await?;
    let known: HashSet<&str> = source
        .definition
        .options
        .known_tables
        .iter()
        .map(String::as_str)
        .collect();
    let loaded_names: HashSet<&str> = loaded.iter().map(|t| t.table.name.as_str()).collect();
    let new_tables = available
        .iter()
        .filter(|t| !known.contains(t.name.as_str()) && !loaded_names.contains(t.name.as_str()))
        .map(|t| t.name.clone())
        .collect();
    Ok((
        super::diff::diff(&loaded, &current, new_tables),
        current,
        available,
    ))
}

/// Two tables must not load as one collection (`a b` and `a_b` both
/// become `a_b`): the second would silently replace the first.
fn check_unique_names(source: &Source, tables: &[TableInfo]) -> Result<()> {
    let mut taken: HashMap<String, &str> = source
        .stored
        .iter()
        .map(|c| (c.name.clone(), c.structure.table.name.as_str()))
        .collect();
    for table in tables {
        let name = collection_name(source, &table.name);
        match taken.get(&name) {
            Some(other) if *other != table.name => {
                return Err(Error::InvalidInput(format!(
                    "the tables {other:?} and {:?} would both load as the collection {name}; \
                     load only one of them",
                    table.name
                )));
            }
            _ => {
                taken.insert(name, &table.name);
            }
        }
    }
    Ok(())
}

async fn remember_tables(
    tx: &mut crate::store::Tx,
    source: &Source,
    available: &[TableInfo],
) -> Result<()> {
    let names: Vec<String> = available.iter().map(|t| t.name.clone()).collect();
    definitions::set_known_tables(tx, &source.definition.key, &names).await
}

/// The tables of the source's schema that carry its table prefix.
async fn list(services: &Services, source: &Source) -> Result<Vec<TableInfo>> {
    let tables = services
        .data
        .run(&services.store, source, async |c| c.list_tables().await)
        .await?;
    let prefix = &source.definition.options.table_prefix;
    Ok(tables
        .into_iter()
        .filter(|t| t.name.starts_with(prefix.as_str()))
        .collect())
}

async fn introspect(
    services: &Services,
    source: &Source,
    tables: &[TableInfo],
) -> Result<Vec<TableSchema>> {
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    services
        .data
        .run(&services.store, source, async |c| {
            c.introspect(tables).await
        })
        .await
}

/// The table name without the source's prefix, with characters that would
/// break `/api/<collection>:<action>` URLs replaced.
pub fn collection_name(source: &Source, table: &str) -> String {
    let bare = table
        .strip_prefix(source.definition.options.table_prefix.as_str())
        .unwrap_or(table);
    let bare = if bare.is_empty() { table } else { bare };
    bare.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

async fn external(services: &Services, key: &str) -> Result<Arc<Source>> {
    let source = services.data.source(&services.store, key).await?;
    if source.is_main() {
        return Err(Error::InvalidInput(
            "the main data source's collections are made with the collection designer".into(),
        ));
    }
    Ok(source)
}
