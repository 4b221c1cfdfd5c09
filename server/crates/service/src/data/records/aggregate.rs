//! The `query` action: measures grouped by dimensions over the records the
//! role may view, for charts and reports.

use connectors::compile;
use model::identity::CollectionAction;
use model::query::AggregateQuery;
use serde_json::{Map, Value};

use super::access::Access;
use crate::{Actor, Error, Result, Services};

pub async fn query(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    query: &AggregateQuery,
) -> Result<Vec<Map<String, Value>>> {
    let source = services.data.source(&services.store, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::View)?;
    let plan = compile::aggregate(
        source.dialect(),
        access.catalog(),
        &access.collection,
        query,
        access.scope(),
    )?;
    let connector = services.data.connector(&services.store, &source).await?;
    let outcome = connector.fetch(&plan).await.map_err(Error::from);
    services.data.observe(source_key, &outcome);
    Ok(outcome?.rows)
}
