//! Rows of collections, for every door: list, get, create, update, delete.
//! The acting role decides what is reachable: the action must be granted,
//! the grant's field list narrows the collection (a field outside it is
//! unknown, for reading, writing and filtering alike), and its data scope
//! is added to every statement's WHERE.

mod access;
mod aggregate;
mod association;
mod bulk;
mod upsert;

pub use aggregate::query;
pub use association::{Association, Related, association};
pub use bulk::{Target, destroy_many, update_many};
pub use upsert::{first_or_create, update_or_create};

use connectors::compile;
use connectors::schema::Collection;
use model::data::FieldInterface;
use model::identity::CollectionAction;
use model::query::{ListQuery, Paging};
use serde_json::{Map, Value};

use super::registry::Source;
use crate::{Actor, Error, Result, Services};
use access::Access;

/// One page of records.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPage {
    pub rows: Vec<Map<String, Value>>,
    /// Counted paging only.
    pub count: Option<u64>,
    /// Simple paging only.
    pub has_next: Option<bool>,
    pub paging: Paging,
}

/// The field Ferrobase fills with the creating user, as NocoBase does.
pub const CREATED_BY: &str = "createdById";
const CREATED_AT: &str = "createdAt";
const UPDATED_AT: &str = "updatedAt";
/// The fields Ferrobase fills on main-source records, whatever a client sends.
pub const STAMPS: [&str; 3] = [CREATED_BY, CREATED_AT, UPDATED_AT];

pub async fn list(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    query: &ListQuery,
) -> Result<RecordPage> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::View)?;
    fetch(services, &source, &access, query).await
}

/// One page of what `access` may see.
async fn fetch(
    services: &Services,
    source: &Source,
    access: &Access<'_>,
    query: &ListQuery,
) -> Result<RecordPage> {
    let plan = compile::list(
        source.dialect(),
        access.catalog(),
        &access.collection,
        query,
        access.scope(),
    )?;
    let page = services
        .data
        .run(&services.store, source, async |c| c.fetch(&plan).await)
        .await?;
    Ok(RecordPage {
        rows: page.rows,
        count: page.count,
        has_next: page.has_next,
        paging: query.paging,
    })
}

/// The record with key `key`, if it exists and the role may see it.
pub async fn get(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    key: &Value,
    query: &ListQuery,
) -> Result<Option<Map<String, Value>>> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::View)?;
    read_back(services, &source, &access, key, query).await
}

pub async fn create(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    values: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Create)?;
    access.check_writable(values)?;
    let mut values = values.clone();
    if source.is_main() {
        stamp(access.full, &mut values, access.user.user_id, true);
    }
    let writable = access.with_stamps(source.is_main());
    let dialect = source.dialect();
    let plan = compile::insert(dialect, access.catalog(), &writable, &values)?;
    let key = services
        .data
        .run(&services.store, &source, async |c| c.insert(&plan).await)
        .await?;
    // Read back as the role may see it; without that right, the key alone.
    let shown = match (
        &key,
        Access::new(actor, &source, name, CollectionAction::View),
    ) {
        (Some(key), Ok(view)) => {
            read_back(services, &source, &view, key, &ListQuery::default()).await?
        }
        _ => None,
    };
    Ok(shown.unwrap_or_else(|| {
        let mut only_key = Map::new();
        if let (Some(key), [key_field]) = (key, access.full.key.as_slice()) {
            only_key.insert(key_field.clone(), key);
        }
        only_key
    }))
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    key: &Value,
    values: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Update)?;
    access.check_writable(values)?;
    let mut values = values.clone();
    if source.is_main() {
        stamp(access.full, &mut values, access.user.user_id, false);
    }
    let writable = access.with_stamps(source.is_main());
    let dialect = source.dialect();
    let statement = compile::update(
        dialect,
        access.catalog(),
        &writable,
        key,
        &values,
        access.scope(),
    )?;
    let updated = services
        .data
        .run(&services.store, &source, async |c| {
            c.execute(&statement).await
        })
        .await?;
    if updated == 0 {
        return Err(Error::NotFound(format!("record {key} in {name}")));
    }
    let view = Access::new(actor, &source, name, CollectionAction::View);
    let shown = match view {
        Ok(view) => read_back(services, &source, &view, key, &ListQuery::default()).await?,
        Err(_) => None,
    };
    Ok(shown.unwrap_or_default())
}

/// Deletes the record; answers how many rows went (0 when it did not
/// exist or lies outside the role's scope).
pub async fn destroy(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    key: &Value,
) -> Result<u64> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Destroy)?;
    let dialect = source.dialect();
    let statement = compile::delete(
        dialect,
        access.catalog(),
        &access.collection,
        key,
        access.scope(),
    )?;
    services
        .data
        .run(&services.store, &source, async |c| {
            c.execute(&statement).await
        })
        .await
}

async fn read_back(
    services: &Services,
    source: &Source,
    access: &Access<'_>,
    key: &Value,
    query: &ListQuery,
) -> Result<Option<Map<String, Value>>> {
    let plan = compile::get(
        source.dialect(),
        access.catalog(),
        &access.collection,
        key,
        query,
        access.scope(),
    )?;
    let page = services
        .data
        .run(&services.store, source, async |c| c.fetch(&plan).await)
        .await?;
    Ok(page.rows.into_iter().next())
}

/// Fills created/updated stamps and the creator on the main source, where
/// the collection designer adds those fields; what a client sent for them
/// is overwritten.
fn stamp(collection: &Collection, values: &mut Map<String, Value>, user_id: i64, creating: bool) {
    let now = Value::from(model::time::iso8601_millis(crate::clock::now_ms()));
    let has = |name: &str, interface: FieldInterface| {
        collection
            .field(name)
            .is_some_and(|f| f.interface == interface)
    };
    if creating && has(CREATED_BY, FieldInterface::Integer) {
        values.insert(CREATED_BY.to_owned(), Value::from(user_id));
    }
    if creating && has(CREATED_AT, FieldInterface::Datetime) {
        values.insert(CREATED_AT.to_owned(), now.clone());
    } else {
        values.remove(CREATED_AT);
    }
    if has(UPDATED_AT, FieldInterface::Datetime) {
        values.insert(UPDATED_AT.to_owned(), now);
    }
    if !creating {
        values.remove(CREATED_BY);
    }
}
