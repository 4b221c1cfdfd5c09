//! The collection designer: tables of the main data source, created and
//! altered by admins in Ferrobase's own store. Each gets an `id` key,
//! `createdAt`, `updatedAt` and `createdById` (filled by the records
//! service), and lives as `data_<name>` so it can never collide with
//! Ferrobase's own tables.

use connectors::schema::{ColumnInfo, ForeignKey, TableInfo, TableKind, TableSchema};
use model::data::{CollectionView, FieldSpec, FieldType, NewCollection};
use model::identity::SystemPermission;

use super::definitions::{self, MAIN, StoredCollection};
use super::registry::Source;
use super::settings::CollectionSettings;
use crate::audit::{self, Changes, Event};
use crate::store::{Tx, with_tx};
use crate::{Actor, Error, Result, Services, Store};

/// Prefix of designer tables in the store.
pub const TABLE_PREFIX: &str = "data_";

/// Names the API uses for Ferrobase's own resources; a collection may not
/// take them (its `/api/<name>:list` would be shadowed).
const RESERVED: [&str; 10] = [
    "auth",
    "users",
    "roles",
    "auditLogs",
    "dataSources",
    "collections",
    "apiKeys",
    "workflows",
    "swagger",
    "app",
];
const SYSTEM_FIELDS: [&str; 4] = ["id", "createdAt", "updatedAt", "createdById"];

pub async fn create(
    services: &Services,
    actor: &Actor,
    input: &NewCollection,
) -> Result<CollectionView> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, MAIN).await?;
    let name = identifier(&input.name, "collection")?;
    if RESERVED.contains(&name.as_str()) || source.stored(&name).is_some() {
        return Err(Error::InvalidInput(format!(
            "the collection name {name} is taken"
        )));
    }
    let mut structure = TableSchema {
        table: TableInfo {
            schema: None,
            name: format!("{TABLE_PREFIX}{name}"),
            kind: TableKind::Table,
        },
        columns: system_columns(&services.store),
        primary_key: vec!["id".into()],
        unique: Vec::new(),
        foreign_keys: Vec::new(),
    };
    let mut settings = CollectionSettings {
        title: Some(title(input.title.as_deref(), &name)?),
        ..CollectionSettings::default()
    };
    for spec in &input.fields {
        add_to(
            &services.store,
            &source,
            &mut structure,
            &mut settings,
            spec,
            true,
        )?;
    }
    let ddl = create_table(&services.store, &structure);
    let stored = StoredCollection {
        data_source: MAIN.into(),
        name: name.clone(),
        structure,
        settings,
    };
    let mut tx = services.store.begin().await?;
    for statement in &ddl {
        execute(&mut tx, statement).await?;
    }
    definitions::save_collection(&mut tx, &stored).await?;
    definitions::bump(&mut tx).await?;
    let mut changes = Changes::default();
    changes.field("fields", serde_json::Value::Null, input.fields.len());
    audit::record(
        &mut tx,
        actor,
        &Event::success("collections:create", "collections", &name).with_changes(changes),
    )
    .await?;
    tx.commit().await?;
    reloaded_view(services, &name).await
}

pub async fn add_field(
    services: &Services,
    actor: &Actor,
    collection: &str,
    spec: &FieldSpec,
) -> Result<CollectionView> {
    let (source, mut stored) = designed(services, actor, collection).await?;
    if spec.required {
        return Err(Error::InvalidInput(
            "a field added to an existing collection cannot be required: its rows have no value yet".into(),
        ));
    }
    let before = stored.structure.columns.len();
    add_to(
        &services.store,
        &source,
        &mut stored.structure,
        &mut stored.settings,
        spec,
        false,
    )?;
    let table = quote(&stored.structure.table.name);
    let mut ddl = Vec::new();
    for column in &stored.structure.columns[before..] {
        let fk = stored
            .structure
            .foreign_keys
            .iter()
            .find(|k| k.columns == [column.name.clone()]);
        ddl.push(format!(
            "ALTER TABLE {table} ADD COLUMN {}",
            column_ddl(&services.store, column, fk)
        ));
    }
    if spec.unique {
        ddl.push(unique_index(
            &stored.structure.table.name,
            &stored.structure.columns[before].name,
        ));
    }
    let mut tx = services.store.begin().await?;
    for statement in &ddl {
        execute(&mut tx, statement).await?;
    }
    definitions::save_collection(&mut tx, &stored).await?;
    definitions::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success(
            "collections.fields:create",
            "collections",
            format!("{collection}.{}", spec.name),
        ),
    )
    .await?;
    tx.commit().await?;
    reloaded_view(services, collection).await
}

pub async fn remove_field(
    services: &Services,
    actor: &Actor,
    collection: &str,
    field: &str,
) -> Result<CollectionView> {
    let (_, mut stored) = designed(services, actor, collection).await?;
    if SYSTEM_FIELDS.contains(&field) {
        return Err(Error::InvalidInput(format!(
            "{field} is a system field and cannot be removed"
        )));
    }
    if !stored.structure.columns.iter().any(|c| c.name == field) {
        return Err(Error::NotFound(format!("field {field} of {collection}")));
    }
    stored.structure.columns.retain(|c| c.name != field);
    stored
        .structure
        .foreign_keys
        .retain(|k| !k.columns.contains(&field.to_owned()));
    stored
        .structure
        .unique
        .retain(|u| !u.contains(&field.to_owned()));
    stored.settings.field_options.remove(field);
    stored.settings.field_titles.remove(field);
    let table = &stored.structure.table.name;
    let mut tx = services.store.begin().await?;
    // An index on the column must go first, or SQLite refuses the drop.
    execute(
        &mut tx,
        &format!("DROP INDEX IF EXISTS {}", quote(&index_name(table, field))),
    )
    .await?;
    execute(
        &mut tx,
        &format!("ALTER TABLE {} DROP COLUMN {}", quote(table), quote(field)),
    )
    .await?;
    definitions::save_collection(&mut tx, &stored).await?;
    definitions::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success(
            "collections.fields:destroy",
            "collections",
            format!("{collection}.{field}"),
        ),
    )
    .await?;
    tx.commit().await?;
    reloaded_view(services, collection).await
}

/// Drops the table and its rows. Refused while another collection links here.
pub async fn delete(services: &Services, actor: &Actor, collection: &str) -> Result<()> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, MAIN).await?;
    let stored = source
        .stored(collection)
        .ok_or_else(|| Error::NotFound(format!("collection {collection}")))?;
    let table = &stored.structure.table.name;
    if let Some(other) = source.stored.iter().find(|c| {
        c.name != collection
            && c.structure
                .foreign_keys
                .iter()
                .any(|k| &k.referenced_table == table)
    }) {
        return Err(Error::InvalidInput(format!(
            "{} has a relation to {collection}; remove that field first",
            other.name
        )));
    }
    let mut tx = services.store.begin().await?;
    execute(&mut tx, &format!("DROP TABLE {}", quote(table))).await?;
    definitions::delete_collection(&mut tx, MAIN, collection).await?;
    definitions::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success("collections:destroy", "collections", collection),
    )
    .await?;
    tx.commit().await?;
    services.data.reload(&services.store).await
}

/// The main source and one of its collections, for an admin changing it.
async fn designed(
    services: &Services,
    actor: &Actor,
    collection: &str,
) -> Result<(std::sync::Arc<Source>, StoredCollection)> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, MAIN).await?;
    let stored = source
        .stored(collection)
        .cloned()
        .ok_or_else(|| Error::NotFound(format!("collection {collection}")))?;
    Ok((source, stored))
}

async fn reloaded_view(services: &Services, name: &str) -> Result<CollectionView> {
    services.data.reload(&services.store).await?;
    let source = services.data.source(&services.store, MAIN).await?;
    let stored = source
        .stored(name)
        .ok_or_else(|| Error::NotFound(format!("collection {name}")))?;
    Ok(super::collections::view(&source, stored))
}

/// Letters, digits and `_`, starting with a letter: safe as a column and
/// in URLs; quoted anyway.
fn identifier(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    let valid = (1..=63).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(text.to_owned())
    } else {
        Err(Error::InvalidInput(format!(
            "the {what} name must start with a letter and hold at most 63 letters, digits or _"
        )))
    }
}

fn title(title: Option<&str>, fallback: &str) -> Result<String> {
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback);
    if title.chars().count() > 100 {
        return Err(Error::InvalidInput(
            "a title is at most 100 characters".into(),
        ));
    }
    Ok(title.to_owned())
}

/// Adds the column(s) for `spec` to the structure, checking the name and
/// the type's parameters.
fn add_to(
    store: &Store,
    source: &Source,
    structure: &mut TableSchema,
    settings: &mut CollectionSettings,
    spec: &FieldSpec,
    creating: bool,
) -> Result<()> {
    let name = identifier(&spec.name, "field")?;
    let column_name = match spec.field_type {
        FieldType::Relation => format!("{name}Id"),
        _ => name.clone(),
    };
    for taken in [&name, &column_name] {
        if SYSTEM_FIELDS.contains(&taken.as_str())
            || structure.columns.iter().any(|c| &c.name == taken)
        {
            return Err(Error::InvalidInput(format!(
                "the field name {taken} is taken"
            )));
        }
    }
    let mut column = column(store, &column_name, spec.field_type);
    column.nullable = !(creating && spec.required);
    match spec.field_type {
        FieldType::Select => {
            let options: Vec<String> = spec
                .options
                .iter()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            if options.is_empty()
                || options.len() > 200
                || options.iter().any(|o| o.chars().count() > 255)
            {
                return Err(Error::InvalidInput(format!(
                    "{name}: a select needs 1 to 200 options of at most 255 characters"
                )));
            }
            settings.field_options.insert(column_name.clone(), options);
        }
        FieldType::Relation => {
            let target = spec.target.as_deref().unwrap_or_default();
            let target_table = if target == structure.table.name.trim_start_matches(TABLE_PREFIX) {
                structure.table.name.clone()
            } else {
                source
                    .stored(target)
                    .map(|t| t.structure.table.name.clone())
                    .ok_or_else(|| {
                        Error::InvalidInput(format!(
                            "{name}: there is no collection {target:?} to relate to"
                        ))
                    })?
            };
            structure.foreign_keys.push(ForeignKey {
                name: format!("{}_{column_name}_fkey", structure.table.name),
                columns: vec![column_name.clone()],
                referenced_schema: None,
                referenced_table: target_table,
                referenced_columns: vec!["id".into()],
            });
        }
        _ => {}
    }
    if spec.unique {
        structure.unique.push(vec![column_name.clone()]);
    }
    if let Some(title) = &spec.title {
        settings
            .field_titles
            .insert(column_name.clone(), self::title(Some(title), &name)?);
    }
    structure.columns.push(column);
    Ok(())
}

/// The column as the store's own introspection would describe it, so the
/// collection's fields are the same whether designed or read back.
fn column(store: &Store, name: &str, field_type: FieldType) -> ColumnInfo {
    let postgres = matches!(store, Store::Postgres(_));
    let (sqlite, pg, max_length) = match field_type {
        FieldType::Text | FieldType::Select => {
            ("VARCHAR(255)", "character varying(255)", Some(255))
        }
        FieldType::LongText => ("TEXT", "text", None),
        FieldType::Integer | FieldType::Relation => ("BIGINT", "bigint", None),
        FieldType::Decimal => ("DECIMAL", "numeric", None),
        FieldType::Boolean => ("BOOLEAN", "boolean", None),
        FieldType::Date => ("DATE", "date", None),
        FieldType::Datetime => ("DATETIME", "timestamp with time zone", None),
        FieldType::Json => ("JSON", "jsonb", None),
    };
    ColumnInfo {
        name: name.to_owned(),
        db_type: if postgres { pg } else { sqlite }.to_owned(),
        nullable: true,
        default: None,
        max_length,
        precision: None,
        scale: None,
        generated: false,
        enum_values: Vec::new(),
    }
}

fn system_columns(store: &Store) -> Vec<ColumnInfo> {
    let mut id = column(store, "id", FieldType::Integer);
    id.nullable = false;
    id.generated = true;
    if matches!(store, Store::Sqlite(_)) {
        // SQLite fills only an INTEGER PRIMARY KEY (the rowid) by itself.
        id.db_type = "INTEGER".into();
    }
    vec![
        id,
        column(store, "createdAt", FieldType::Datetime),
        column(store, "updatedAt", FieldType::Datetime),
        column(store, "createdById", FieldType::Integer),
    ]
}

fn create_table(store: &Store, structure: &TableSchema) -> Vec<String> {
    let parts: Vec<String> = structure
        .columns
        .iter()
        .map(|column| {
            let fk = structure
                .foreign_keys
                .iter()
                .find(|k| k.columns == [column.name.clone()]);
            column_ddl(store, column, fk)
        })
        .collect();
    let table = &structure.table.name;
    let mut ddl = vec![format!(
        "CREATE TABLE {} ({})",
        quote(table),
        parts.join(", ")
    )];
    // Unique fields get named indexes, so removing the field can drop them.
    ddl.extend(
        structure
            .unique
            .iter()
            .filter_map(|u| u.first())
            .map(|c| unique_index(table, c)),
    );
    ddl
}

fn column_ddl(store: &Store, column: &ColumnInfo, fk: Option<&ForeignKey>) -> String {
    let postgres = matches!(store, Store::Postgres(_));
    let ddl_type = match (postgres, column.name.as_str(), column.db_type.as_str()) {
        (true, "id", _) => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY".to_owned(),
        (false, "id", _) => "INTEGER PRIMARY KEY".to_owned(),
        (true, _, "character varying(255)") => "VARCHAR(255)".to_owned(),
        (true, _, "timestamp with time zone") => "TIMESTAMPTZ".to_owned(),
        (_, _, other) => other.to_uppercase(),
    };
    let mut ddl = format!("{} {ddl_type}", quote(&column.name));
    if !column.nullable && column.name != "id" {
        ddl.push_str(" NOT NULL");
    }
    if let Some(fk) = fk {
        ddl.push_str(&format!(
            " REFERENCES {} (\"id\")",
            quote(&fk.referenced_table)
        ));
    }
    ddl
}

fn index_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_unique")
}

fn unique_index(table: &str, column: &str) -> String {
    format!(
        "CREATE UNIQUE INDEX {} ON {} ({})",
        quote(&index_name(table, column)),
        quote(table),
        quote(column)
    )
}

/// Identifiers here passed `identifier` (or are ours); quoted regardless.
fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

async fn execute(tx: &mut Tx, sql: &str) -> Result<()> {
    let sql = sql.to_owned();
    with_tx!(tx, conn => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *conn).await.map(drop))?;
    Ok(())
}
