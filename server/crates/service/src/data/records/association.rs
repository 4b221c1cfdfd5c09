//! `/<collection>/<id>/<relation>`: the records a relation of one record
//! leads to. The parent must be visible to the role (so an id outside its
//! scope reveals nothing); the related records are then read and written
//! through the target collection's own grants, narrowed by the link.

use model::identity::CollectionAction;
use model::query::{Condition, FieldPath, Filter, ListQuery, Operand, Operator};
use serde_json::Value;

use super::access::Access;
use super::read_back;
use super::source_for;
use crate::{Actor, Error, Result, Services};

/// One record's relation, as the API path names it.
pub struct Association<'a> {
    pub source: &'a str,
    pub collection: &'a str,
    pub id: &'a Value,
    pub relation: &'a str,
}

/// Where the related records live and what ties them to the parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub target: String,
    /// Matches exactly the related records.
    pub filter: Filter,
    /// One-to-many: a list, and new records can be added to it.
    pub many: bool,
    /// One-to-many: the target's foreign key and the value that links a new
    /// record to the parent.
    pub link: Option<(String, Value)>,
}

pub async fn association(
    services: &Services,
    actor: &Actor,
    path: &Association<'_>,
) -> Result<Related> {
    let source = source_for(services, actor, path.source).await?;
    let access = Access::new(actor, &source, path.collection, CollectionAction::View)?;
    let relation = access.collection.relation(path.relation).ok_or_else(|| {
        Error::NotFound(format!(
            "relation {} of collection {}",
            path.relation, path.collection
        ))
    })?;
    let many = relation.kind == connectors::schema::RelationKind::OneToMany;
    // The parent's column the link starts from, and the target's it meets.
    let (own, theirs) = if many {
        (&relation.target_key, &relation.foreign_key)
    } else {
        (&relation.foreign_key, &relation.target_key)
    };
    let query = ListQuery {
        fields: Some(vec![FieldPath::single(own.clone())]),
        ..ListQuery::default()
    };
    let parent = read_back(services, &source, &access, path.id, &query)
        .await?
        .ok_or_else(|| Error::NotFound(format!("record {} in {}", path.id, path.collection)))?;
    let value = parent.get(own).cloned().unwrap_or(Value::Null);
    let filter = if value.is_null() {
        // Not linked: nothing is related (`= NULL` would match no row either,
        // but `$eq: null` means IS NULL in the query language).
        Filter::Or(Vec::new())
    } else {
        Filter::Condition(Condition {
            path: FieldPath::single(theirs.clone()),
            operator: Operator::Eq,
            operand: Operand::Value(value.clone()),
        })
    };
    Ok(Related {
        target: relation.target.clone(),
        filter,
        many,
        link: (many && !value.is_null()).then(|| (theirs.clone(), value)),
    })
}
