//! `firstOrCreate` and `updateOrCreate`: find a record by the values of its
//! identifying fields (NocoBase's `filterKeys`), then return, update or
//! create it. Integrators use these to sync from another system without
//! reading first.

use std::collections::HashMap;

use connectors::schema::Collection;
use model::query::{Condition, FieldPath, Filter, ListQuery, Operand, Operator};
use serde_json::{Map, Value};

use super::source_for;
use super::{create, find_one, update};
use crate::{Actor, Error, Result, Services};

/// The record whose `filter_keys` equal those in `values`, else a new one
/// made of `values`.
pub async fn first_or_create(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    filter_keys: &[String],
    values: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let filter = identity(filter_keys, values)?;
    if let Some(found) = find(services, actor, source_key, name, &filter).await? {
        return Ok(found);
    }
    match create(services, actor, source_key, name, values).await {
        // Created concurrently by someone else: theirs is the record.
        Err(error) if is_duplicate(&error) => find(services, actor, source_key, name, &filter)
            .await?
            .ok_or(error),
        created => created,
    }
}

/// Updates the record whose `filter_keys` equal those in `values` with
/// `values`, else creates it.
pub async fn update_or_create(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    filter_keys: &[String],
    values: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let filter = identity(filter_keys, values)?;
    let update_existing = async |found: Map<String, Value>| {
        let source = source_for(services, actor, source_key).await?;
        let key = record_key(&source.catalog, name, &found)?;
        // The identifying values are already equal; the key may not be set.
        let mut changes = values.clone();
        if let Some(collection) = source.catalog.get(name) {
            changes.retain(|field, _| !collection.key.contains(field));
        }
        if changes.is_empty() {
            return Ok(found);
        }
        update(services, actor, source_key, name, &key, &changes).await
    };
    if let Some(found) = find(services, actor, source_key, name, &filter).await? {
        return update_existing(found).await;
    }
    match create(services, actor, source_key, name, values).await {
        Err(error) if is_duplicate(&error) => {
            match find(services, actor, source_key, name, &filter).await? {
                Some(found) => update_existing(found).await,
                None => Err(error),
            }
        }
        created => created,
    }
}

/// `filterKeys` as an equality filter on the values given for them.
fn identity(filter_keys: &[String], values: &Map<String, Value>) -> Result<Filter> {
    if filter_keys.is_empty() {
        return Err(Error::InvalidInput(
            "filterKeys is required: name the fields that identify the record".into(),
        ));
    }
    let mut conditions = Vec::with_capacity(filter_keys.len());
    for key in filter_keys {
        let value = values.get(key).ok_or_else(|| {
            Error::InvalidInput(format!(
                "filterKeys names `{key}`, but the values do not give it"
            ))
        })?;
        conditions.push(Filter::Condition(Condition {
            path: FieldPath::single(key.clone()),
            operator: Operator::Eq,
            operand: Operand::Value(value.clone()),
        }));
    }
    Ok(Filter::And(conditions))
}

async fn find(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    filter: &Filter,
) -> Result<Option<Map<String, Value>>> {
    let query = ListQuery {
        filter: Some(filter.clone()),
        ..ListQuery::default()
    };
    find_one(services, actor, source_key, name, None, &query).await
}

fn record_key(
    catalog: &HashMap<String, Collection>,
    name: &str,
    record: &Map<String, Value>,
) -> Result<Value> {
    let collection = catalog.get(name);
    match collection.map(|c| c.key.as_slice()) {
        Some([key]) => record.get(key).cloned().ok_or_else(|| {
            Error::Forbidden(format!(
                "the record key `{key}` of {name} is not visible to this role"
            ))
        }),
        _ => Err(Error::InvalidInput(format!(
            "`{name}` has no single-column record key; updateOrCreate needs one"
        ))),
    }
}

fn is_duplicate(error: &Error) -> bool {
    matches!(error, Error::DataSource(connectors::Error::Duplicate(_)))
}
