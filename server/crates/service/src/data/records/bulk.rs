//! Updates and deletes of several records at once: by a list of keys
//! (`filterByTk=[…]`), by `filter`, or both.

use connectors::compile;
use connectors::schema::Collection;
use model::identity::CollectionAction;
use model::query::{
    Condition, FieldPath, Filter, ListQuery, MAX_PAGE_SIZE, Operand, Operator, Paging,
};
use serde_json::{Map, Value};

use super::access::Access;
use super::source_for;
use super::{fetch, stamp, without_stamps};
use crate::data::registry::Source;
use crate::{Actor, Error, Result, Services};

/// Which records a bulk update or destroy touches: NocoBase's `filterByTk`
/// (one key or a list) and `filter`, both applying when both are given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Target {
    pub keys: Vec<Value>,
    pub filter: Option<Filter>,
}

impl Target {
    /// One filter for both; refused when empty, so no call changes or
    /// deletes a whole table by leaving the filter out.
    fn filter(&self, collection: &Collection) -> Result<Filter> {
        let mut parts = Vec::with_capacity(2);
        if !self.keys.is_empty() {
            parts.push(keys_filter(collection, self.keys.clone())?);
        }
        parts.extend(self.filter.clone());
        match parts.len() {
            0 => Err(Error::InvalidInput(
                "say which records: filterByTk or a non-empty filter is required".into(),
            )),
            1 => Ok(parts.remove(0)),
            _ => Ok(Filter::And(parts)),
        }
    }
}

/// `key IN (keys)` on the collection's single-column record key.
fn keys_filter(collection: &Collection, keys: Vec<Value>) -> Result<Filter> {
    let [key] = collection.key.as_slice() else {
        return Err(Error::InvalidInput(format!(
            "`{}` has no single-column record key; address its records with `filter`",
            collection.name
        )));
    };
    Ok(Filter::Condition(Condition {
        path: FieldPath::single(key.clone()),
        operator: Operator::In,
        operand: Operand::List(keys),
    }))
}

/// Updates every record the target names (at most [`MAX_PAGE_SIZE`] per
/// call) and answers them as they are now. The keys are read first, so the
/// answer lists exactly the records changed even when the new values move
/// them out of the filter.
pub async fn update_many(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    target: &Target,
    values: &Map<String, Value>,
) -> Result<Vec<Map<String, Value>>> {
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Update)?;
    let mut values = without_stamps(access.full, values);
    access.check_writable(&values)?;
    stamp(access.full, &mut values, access.user.user_id, false);
    let filter = target.filter(&access.collection)?;
    access.check_filter(source.dialect(), &filter)?;
    let keys = matching_keys(services, &source, &access, filter).await?;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let by_keys = keys_filter(access.full, keys)?;
    let writable = access.with_stamps();
    let statement = compile::update_matching(
        source.dialect(),
        access.catalog(),
        &writable,
        &by_keys,
        &values,
        access.scope(),
    )?;
    services
        .data
        .run(&services.store, &source, async |c| {
            c.execute(&statement).await
        })
        .await?;
    let Ok(view) = Access::new(actor, &source, name, CollectionAction::View) else {
        return Ok(Vec::new());
    };
    let query = ListQuery {
        filter: Some(by_keys),
        paging: Paging::All,
        ..ListQuery::default()
    };
    Ok(fetch(services, &source, &view, &query).await?.rows)
}

/// The keys of the records `filter` matches within the role's scope;
/// more than [`MAX_PAGE_SIZE`] is refused rather than half-done.
async fn matching_keys(
    services: &Services,
    source: &Source,
    access: &Access<'_>,
    filter: Filter,
) -> Result<Vec<Value>> {
    let [key] = access.full.key.as_slice() else {
        return Err(Error::InvalidInput(format!(
            "`{}` has no single-column record key; update its records one at a time",
            access.full.name
        )));
    };
    let query = ListQuery {
        filter: Some(filter),
        fields: Some(vec![FieldPath::single(key.clone())]),
        paging: Paging::Simple {
            page: 1,
            page_size: MAX_PAGE_SIZE,
        },
        ..ListQuery::default()
    };
    let page = fetch(services, source, access, &query).await?;
    if page.has_next == Some(true) {
        return Err(Error::InvalidInput(format!(
            "the filter matches more than {MAX_PAGE_SIZE} records; narrow it and update in batches"
        )));
    }
    Ok(page
        .rows
        .into_iter()
        .filter_map(|mut row| row.remove(key))
        .collect())
}

/// Deletes every record the target names within the role's scope;
/// answers how many went.
pub async fn destroy_many(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    target: &Target,
) -> Result<u64> {
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::Destroy)?;
    let filter = target.filter(&access.collection)?;
    access.check_filter(source.dialect(), &filter)?;
    let statement = compile::delete_matching(
        source.dialect(),
        access.catalog(),
        &access.collection,
        &filter,
        access.scope(),
    )?;
    services
        .data
        .run(&services.store, &source, async |c| {
            c.execute(&statement).await
        })
        .await
}
