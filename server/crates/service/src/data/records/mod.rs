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
use std::sync::Arc;

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
const UPDATED_BY: &str = "updatedById";
const CREATED_AT: &str = "createdAt";
const UPDATED_AT: &str = "updatedAt";
/// The system fields NocoBase maintains, with the kind of value they hold.
/// Ferrobase fills them on every source wherever a collection has them, and
/// ignores what a client sends for them: an own-records scope can trust
/// `createdById`, and no one can backdate a record.
const STAMPS: [(&str, FieldInterface); 4] = [
    (CREATED_BY, FieldInterface::Integer),
    (UPDATED_BY, FieldInterface::Integer),
    (CREATED_AT, FieldInterface::Datetime),
    (UPDATED_AT, FieldInterface::Datetime),
];

/// Whether Ferrobase fills this field itself (so clients cannot set it).
pub fn is_stamp(name: &str, interface: FieldInterface) -> bool {
    STAMPS.contains(&(name, interface))
}

/// The source a record action runs on, for signed-in callers only: an
/// anonymous one gets the same 401 whether the source exists or not.
async fn source_for(services: &Services, actor: &Actor, key: &str) -> Result<Arc<Source>> {
    actor.user()?;
    services.data.source(&services.store, key).await
}

pub async fn list(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    query: &ListQuery,
) -> Result<RecordPage> {
    let source = source_for(services, actor, source_key).await?;
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
    find_one(services, actor, source_key, name, Some(key), query).await
}

/// NocoBase's `get`: the record `key` names (`query.filter` narrowing it
/// further), or without a key the first record `query`'s filter and sort
/// pick; `None` when the role may see no such record.
pub async fn find_one(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    key: Option<&Value>,
    query: &ListQuery,
) -> Result<Option<Map<String, Value>>> {
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::View)?;
    let Some(key) = key else {
        let first = ListQuery {
            paging: Paging::Simple {
                page: 1,
                page_size: 1,
            },
            ..query.clone()
        };
        let page = fetch(services, &source, &access, &first).await?;
        return Ok(page.rows.into_iter().next());
    };
    read_back(services, &source, &access, key, query).await
}

pub async fn create(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    values: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Create)?;
    let mut values = without_stamps(access.full, values);
    access.check_writable(&values)?;
    stamp(access.full, &mut values, access.user.user_id, true);
    let writable = access.with_stamps();
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
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Update)?;
    let mut values = without_stamps(access.full, values);
    access.check_writable(&values)?;
    stamp(access.full, &mut values, access.user.user_id, false);
    let writable = access.with_stamps();
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
    let source = source_for(services, actor, source_key).await?;
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

/// The client's values without the stamp fields the collection has: those
/// are Ferrobase's, so what was sent for them is ignored (before the grant's
/// field list is checked, so the answer does not depend on it).
fn without_stamps(collection: &Collection, values: &Map<String, Value>) -> Map<String, Value> {
    let mut values = values.clone();
    values.retain(|name, _| {
        !collection
            .field(name)
            .is_some_and(|f| is_stamp(&f.name, f.interface))
    });
    values
}

/// Fills the stamp fields the collection has: the user and the time on
/// create, the updater and the time on create and update.
fn stamp(collection: &Collection, values: &mut Map<String, Value>, user_id: i64, creating: bool) {
    let now = Value::from(model::time::iso8601_millis(crate::clock::now_ms()));
    let mut fill = |name: &str, value: &Value| {
        if let Some(field) = collection.field(name)
            && is_stamp(name, field.interface)
        {
            values.insert(name.to_owned(), value.clone());
        }
    };
    let user = Value::from(user_id);
    if creating {
        fill(CREATED_BY, &user);
        fill(CREATED_AT, &now);
    }
    fill(UPDATED_BY, &user);
    fill(UPDATED_AT, &now);
}
