//! The `query` action: measures grouped by dimensions over the records the
//! role may view, for charts and reports.

use connectors::compile;
use model::identity::CollectionAction;
use model::query::AggregateQuery;
use serde_json::{Map, Value};

use super::access::Access;
use super::source_for;
use crate::{Actor, Result, Services};

pub async fn query(
    services: &Services,
    actor: &Actor,
    source_key: &str,
    name: &str,
    query: &AggregateQuery,
) -> Result<Vec<Map<String, Value>>> {
    let source = source_for(services, actor, source_key).await?;
    let access = Access::new(actor, &source, name, CollectionAction::View)?;
    let plan = compile::aggregate(
        source.dialect(),
        access.catalog(),
        &access.collection,
        query,
        access.scope(),
    )?;
    let page = services
        .data
        .run(&services.store, &source, async |c| c.fetch(&plan).await)
        .await?;
    Ok(page.rows)
}
