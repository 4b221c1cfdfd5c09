//! The collections part: for each collection of one data source that the
//! caller may see, the record actions its role may take (action style,
//! REST style and through relations), with the record schemas narrowed to
//! the fields its grants leave.

use std::collections::BTreeMap;

use model::data::CollectionView;
use model::identity::{CollectionAction, RolePermissions};
use service::Error;
use service::data::MAIN;

use super::builtin::identifier;
use super::document::Document;
use super::record_operation::{Route, describe};
use super::record_schema;
use crate::routes::api::catalog::records::{OPERATIONS, RecordKey, RecordOperation, Rest};
use crate::routes::api::catalog::{self, Verb};

/// What the operations of one document need to know about its collections.
pub struct Visible<'a> {
    pub by_name: BTreeMap<&'a str, &'a CollectionView>,
    pub permissions: &'a RolePermissions,
}

impl Visible<'_> {
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether the role may take `operation` on `collection` (operations
    /// naming a record need a record key).
    fn allows(&self, collection: &CollectionView, operation: &RecordOperation) -> bool {
        collection
            .actions
            .iter()
            .any(|a| a == operation.needs.as_str())
            && (operation.key == RecordKey::None || !collection.key.is_empty())
    }
}

/// Adds `source`'s collections among `visible` (all, or the one named
/// `only`). `NotFound` for a source or collection the caller cannot see.
pub fn add(
    document: &mut Document,
    visible: &[CollectionView],
    permissions: &RolePermissions,
    source: &str,
    only: Option<&str>,
) -> Result<(), Error> {
    let by_name: BTreeMap<&str, &CollectionView> = visible
        .iter()
        .filter(|c| c.data_source == source)
        // On `main`, Ferrobase's own resources win over a collection of the
        // same name (see `dispatch`): its records are not reachable.
        .filter(|c| source != MAIN || !catalog::CORE.iter().any(|r| r.path == c.name))
        .map(|c| (c.name.as_str(), c))
        .collect();
    if source != MAIN && by_name.is_empty() {
        return Err(Error::NotFound(format!("data source {source}")));
    }
    let visible = Visible {
        by_name,
        permissions,
    };
    let chosen: Vec<&CollectionView> = match only {
        Some(name) => vec![
            *visible
                .by_name
                .get(name)
                .ok_or_else(|| Error::NotFound(format!("collection {name}")))?,
        ],
        None => visible.by_name.values().copied().collect(),
    };
    for collection in chosen {
        add_collection(document, collection, &visible);
    }
    Ok(())
}

fn add_collection(document: &mut Document, collection: &CollectionView, visible: &Visible<'_>) {
    let name = &collection.name;
    document.tag(
        name,
        &format!(
            "Records of the collection {} (data source `{}`).",
            collection.title, collection.data_source
        ),
    );
    record_schema::add_answer(document, collection, visible);
    for operation in OPERATIONS {
        if !visible.allows(collection, operation) {
            continue;
        }
        let id = format!("records_{name}_{}", operation.action);
        let route = Route::action(collection, format!("/{name}:{}", operation.action));
        add_verbs(document, visible, operation, operation.verbs, &route, &id);
        let rest = match operation.rest {
            Some(Rest::Collection(verbs)) => Some((Route::rest(collection, false), verbs)),
            Some(Rest::Record(verbs)) => Some((Route::rest(collection, true), verbs)),
            None => None,
        };
        if let Some((route, verbs)) = rest {
            add_verbs(
                document,
                visible,
                operation,
                verbs,
                &route,
                &format!("{id}_rest"),
            );
        }
    }
    add_relations(document, collection, visible);
}

/// `/<collection>/{id}/<relation>:<action>`: the related records, for
/// relations whose target the role may see. Through a many-to-one
/// relation, only reads (writes change the parent's foreign key instead).
fn add_relations(document: &mut Document, parent: &CollectionView, visible: &Visible<'_>) {
    if parent.key.is_empty() {
        return;
    }
    for relation in &parent.relations {
        let Some(target) = visible.by_name.get(relation.target.as_str()) else {
            continue;
        };
        let many = relation.kind == "oneToMany";
        for operation in OPERATIONS.iter().filter(|op| op.related) {
            let reads = operation.needs == CollectionAction::View;
            if !(many || reads) || !visible.allows(target, operation) {
                continue;
            }
            let route = Route::related(parent, &relation.name, target, operation.action);
            let id = format!(
                "records_{}_{}_{}",
                parent.name, relation.name, operation.action
            );
            add_verbs(document, visible, operation, operation.verbs, &route, &id);
        }
    }
}

/// One operation per verb; verbs after the first are documented as aliases.
fn add_verbs(
    document: &mut Document,
    visible: &Visible<'_>,
    operation: &RecordOperation,
    verbs: &[Verb],
    route: &Route<'_>,
    id: &str,
) {
    for (index, verb) in verbs.iter().enumerate() {
        let alias = (index > 0).then_some(verbs[0]);
        let id = match alias {
            Some(_) => identifier(&format!("{id}_{}", verb.as_str())),
            None => identifier(id),
        };
        let value = describe(document, visible, route, operation, *verb, alias, id);
        document.operation(route.path.clone(), *verb, value);
    }
}
