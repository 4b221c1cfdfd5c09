//! Collections as an admin shapes them: titles, hidden fields, the record
//! key of views, and relations declared by hand. Nothing here alters a
//! database.

use std::collections::BTreeSet;

use connectors::schema::RelationKind;
use model::data::{CollectionChanges, CollectionView};
use model::identity::SystemPermission;

use super::definitions::{self, StoredCollection};
use super::registry::Source;
use super::settings::{DeclaredRelation, collection_view};
use crate::audit::{self, Changes, Event};
use crate::{Actor, Error, Result, Services};

pub async fn list(services: &Services, actor: &Actor, key: &str) -> Result<Vec<CollectionView>> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, key).await?;
    Ok(source.stored.iter().map(|c| view(&source, c)).collect())
}

pub async fn get(
    services: &Services,
    actor: &Actor,
    key: &str,
    name: &str,
) -> Result<CollectionView> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, key).await?;
    let stored = find(&source, name)?;
    Ok(view(&source, stored))
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    key: &str,
    name: &str,
    changes: &CollectionChanges,
) -> Result<CollectionView> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, key).await?;
    let mut stored = find(&source, name)?.clone();
    let columns: BTreeSet<&str> = stored
        .structure
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let unknown = |field: &str| Error::InvalidInput(format!("{name} has no field {field}"));
    let mut audit_changes = Changes::default();
    if let Some(title) = &changes.title {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            return Err(Error::InvalidInput(
                "the title must be 1 to 100 characters".into(),
            ));
        }
        audit_changes.field("title", stored.settings.title.clone(), title);
        stored.settings.title = Some(title.to_owned());
    }
    if let Some(titles) = &changes.field_titles {
        for (field, title) in titles {
            if !columns.contains(field.as_str()) {
                return Err(unknown(field));
            }
            if title.trim().is_empty() || title.chars().count() > 100 {
                return Err(Error::InvalidInput(format!(
                    "the title of {field} must be 1 to 100 characters"
                )));
            }
        }
        stored.settings.field_titles = titles.clone();
        audit_changes.field("fieldTitles", serde_json::Value::Null, titles.len());
    }
    if let Some(hidden) = &changes.hidden {
        if let Some(field) = hidden.iter().find(|f| !columns.contains(f.as_str())) {
            return Err(unknown(field));
        }
        audit_changes.field("hidden", serde_json::Value::Null, hidden.join(", "));
        stored.settings.hidden = hidden.iter().cloned().collect();
    }
    if let Some(key_fields) = &changes.record_key {
        if let Some(field) = key_fields.iter().find(|f| !columns.contains(f.as_str())) {
            return Err(unknown(field));
        }
        audit_changes.field("recordKey", serde_json::Value::Null, key_fields.join(", "));
        stored.settings.record_key = (!key_fields.is_empty()).then(|| key_fields.clone());
    }
    if let Some(relations) = &changes.relations {
        let mut declared = Vec::with_capacity(relations.len());
        for relation in relations {
            let kind = match relation.kind.as_str() {
                "manyToOne" => RelationKind::ManyToOne,
                "oneToMany" => RelationKind::OneToMany,
                other => {
                    return Err(Error::InvalidInput(format!(
                        "unknown relation kind {other}; use manyToOne or oneToMany"
                    )));
                }
            };
            let target = source.stored(&relation.target).ok_or_else(|| {
                Error::InvalidInput(format!("{key} has no collection {}", relation.target))
            })?;
            let target_columns: BTreeSet<&str> = target
                .structure
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            let (here, there) = match kind {
                RelationKind::ManyToOne => (&relation.foreign_key, &relation.target_key),
                RelationKind::OneToMany => (&relation.target_key, &relation.foreign_key),
            };
            if !columns.contains(here.as_str()) {
                return Err(unknown(here));
            }
            if !target_columns.contains(there.as_str()) {
                return Err(Error::InvalidInput(format!(
                    "{} has no field {there}",
                    relation.target
                )));
            }
            if relation.name.trim().is_empty() || columns.contains(relation.name.as_str()) {
                return Err(Error::InvalidInput(format!(
                    "the relation name {:?} is empty or taken by a field",
                    relation.name
                )));
            }
            declared.push(DeclaredRelation {
                name: relation.name.trim().to_owned(),
                kind,
                target: relation.target.clone(),
                foreign_key: relation.foreign_key.clone(),
                target_key: relation.target_key.clone(),
            });
        }
        audit_changes.field("relations", serde_json::Value::Null, declared.len());
        stored.settings.relations = declared;
    }
    let mut tx = services.store.begin().await?;
    definitions::save_collection(&mut tx, &stored).await?;
    definitions::bump(&mut tx).await?;
    let event = Event::success(
        "dataSources.collections:update",
        "dataSources",
        format!("{key}.{name}"),
    )
    .with_changes(audit_changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    services.data.reload(&services.store).await?;
    let source = services.data.source(&services.store, key).await?;
    Ok(view(&source, find(&source, name)?))
}

/// Stops offering a collection; its table stays as it is.
pub async fn unload(services: &Services, actor: &Actor, key: &str, name: &str) -> Result<()> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, key).await?;
    find(&source, name)?;
    if source.is_main() {
        return Err(Error::InvalidInput(
            "collections of the main data source are deleted with the collection designer".into(),
        ));
    }
    let mut tx = services.store.begin().await?;
    definitions::delete_collection(&mut tx, key, name).await?;
    definitions::bump(&mut tx).await?;
    audit::record(
        &mut tx,
        actor,
        &Event::success(
            "dataSources.collections:destroy",
            "dataSources",
            format!("{key}.{name}"),
        ),
    )
    .await?;
    tx.commit().await?;
    services.data.reload(&services.store).await
}

pub(crate) fn view(source: &Source, stored: &StoredCollection) -> CollectionView {
    collection_view(
        &source.definition.key,
        source.engine,
        stored,
        source.catalog.get(&stored.name),
    )
}

fn find<'s>(source: &'s Source, name: &str) -> Result<&'s StoredCollection> {
    source.stored(name).ok_or_else(|| {
        Error::NotFound(format!(
            "collection {name} in data source {}",
            source.definition.key
        ))
    })
}

/// Every collection the actor's role may view, across enabled sources, as
/// that role sees it (fields outside its grant left out): the "Data" menu.
pub async fn browsable(services: &Services, actor: &Actor) -> Result<Vec<CollectionView>> {
    let user = actor.user()?;
    let mut visible = Vec::new();
    for source in services.data.all(&services.store).await? {
        if !source.definition.enabled {
            continue;
        }
        for stored in &source.stored {
            if let Some(view) = narrowed_view(&source, stored, &user.permissions) {
                visible.push(view);
            }
        }
    }
    Ok(visible)
}

/// One collection as the actor's role sees it, for the data table and the
/// record forms; `Forbidden` without view rights.
pub async fn for_actor(
    services: &Services,
    actor: &Actor,
    key: &str,
    name: &str,
) -> Result<CollectionView> {
    let user = actor.user()?;
    let source = services.data.source(&services.store, key).await?;
    let stored = find(&source, name)?;
    narrowed_view(&source, stored, &user.permissions)
        .ok_or_else(|| Error::Forbidden(format!("the role may not view records of {name}")))
}

fn narrowed_view(
    source: &Source,
    stored: &StoredCollection,
    permissions: &model::identity::RolePermissions,
) -> Option<CollectionView> {
    use model::identity::CollectionAction;
    let mut view = view(source, stored);
    view.fields.retain(|f| !f.hidden);
    if permissions.all {
        return Some(view);
    }
    let grant = permissions.grant(&source.definition.key, &stored.name, CollectionAction::View)?;
    view.actions = CollectionAction::ALL
        .into_iter()
        .filter(|a| {
            permissions
                .grant(&source.definition.key, &stored.name, *a)
                .is_some()
        })
        .map(|a| a.as_str().to_owned())
        .collect();
    if let Some(fields) = &grant.fields {
        view.fields.retain(|f| fields.contains(&f.name));
        view.relations.retain(|r| {
            fields.contains(&r.foreign_key)
                || fields.contains(&r.target_key)
                || fields.contains(&r.name)
        });
    }
    Some(view)
}
