//! What one role may do with one collection: the granted action, the
//! granted fields and the data scope.

use std::borrow::Cow;
use std::collections::HashMap;

use connectors::compile::Scope;
use connectors::schema::{Catalog, Collection};
use model::identity::{CollectionAction, DataScope, RolePermissions};
use model::query::{Condition, FieldPath, Filter, Operand, Operator};
use serde_json::{Map, Value};

use super::{CREATED_BY, STAMPS};
use crate::actor::SignedIn;
use crate::data::registry::Source;
use crate::{Actor, Error, Result};

/// What one role may do with one collection for one action.
pub(super) struct Access<'s> {
    pub user: &'s SignedIn,
    pub full: &'s Collection,
    /// The collection narrowed to the granted fields.
    pub collection: Cow<'s, Collection>,
    scope: Option<Filter>,
    /// Collections reachable through relations, narrowed likewise.
    catalog: Cow<'s, HashMap<String, Collection>>,
}

impl<'s> Access<'s> {
    pub fn new(
        actor: &'s Actor,
        source: &'s Source,
        name: &str,
        action: CollectionAction,
    ) -> Result<Access<'s>> {
        let user = actor.user()?;
        let key = &source.definition.key;
        if !source.definition.enabled {
            return Err(Error::InvalidInput(format!(
                "data source {key} is disabled"
            )));
        }
        let full = source
            .catalog
            .get(name)
            .ok_or_else(|| Error::NotFound(format!("collection {name} in data source {key}")))?;
        let permissions = &user.permissions;
        if permissions.all {
            return Ok(Access {
                user,
                full,
                collection: Cow::Borrowed(full),
                scope: None,
                catalog: Cow::Borrowed(&source.catalog),
            });
        }
        let role = user.role.as_deref().unwrap_or("(none)");
        let grant = permissions.grant(key, name, action).ok_or_else(|| {
            Error::Forbidden(format!(
                "the role {role} may not {} records of {name}",
                action.as_str()
            ))
        })?;
        let collection = narrow(full, grant.fields.as_deref());
        let scope = match &grant.scope {
            DataScope::All => None,
            DataScope::Own => Some(match full.field(CREATED_BY) {
                Some(_) => Filter::Condition(Condition {
                    path: FieldPath::single(CREATED_BY),
                    operator: Operator::Eq,
                    operand: Operand::Value(Value::from(user.user_id)),
                }),
                // No creator recorded: no record is the user's own.
                None => Filter::Or(Vec::new()),
            }),
            DataScope::Filter(json) => {
                let json = with_user(json, user.user_id);
                model::query::parse_filter(&json).map_err(|e| {
                    Error::Misconfigured(format!(
                        "the role {role} has an invalid data scope on {name}: {e}"
                    ))
                })?
            }
        };
        Ok(Access {
            user,
            full,
            collection: Cow::Owned(collection),
            scope,
            catalog: Cow::Owned(visible_catalog(source, permissions)),
        })
    }

    pub fn scope(&self) -> Option<Scope<'_>> {
        self.scope.as_ref().map(|filter| Scope {
            filter,
            collection: self.full,
        })
    }

    pub fn catalog(&self) -> &dyn Catalog {
        self.catalog.as_ref()
    }

    /// Every value must be for a field the grant lets the role write.
    pub fn check_writable(&self, values: &Map<String, Value>) -> Result<()> {
        match values
            .keys()
            .find(|name| self.collection.field(name).is_none())
        {
            Some(name) => Err(connectors::Error::InvalidValue {
                field: name.clone(),
                message: format!(
                    "is not a field of {} that this role may write",
                    self.full.name
                ),
            }
            .into()),
            None => Ok(()),
        }
    }

    /// The writable collection plus the record key (to read the new record
    /// back) and, on the main source, the stamp fields Ferrobase fills
    /// even where the role may not write them. Values were checked against
    /// the grant before, so these extras take only Ferrobase's values.
    pub fn with_stamps(&self, main: bool) -> Collection {
        let mut writable = self.collection.clone().into_owned();
        let stamps: &[&str] = if main { &STAMPS } else { &[] };
        let extras = self
            .full
            .key
            .iter()
            .map(String::as_str)
            .chain(stamps.iter().copied());
        for name in extras {
            if writable.field(name).is_none()
                && let Some(field) = self.full.field(name)
            {
                writable.fields.push(field.clone());
            }
        }
        writable
    }
}

/// The collection with only the granted fields (`None`: all of them).
/// Relations survive when their own column does.
fn narrow(full: &Collection, fields: Option<&[String]>) -> Collection {
    let Some(fields) = fields else {
        return full.clone();
    };
    let mut narrowed = full.clone();
    narrowed.fields.retain(|f| fields.contains(&f.name));
    narrowed.relations.retain(|r| {
        let own_column = match r.kind {
            connectors::schema::RelationKind::ManyToOne => &r.foreign_key,
            connectors::schema::RelationKind::OneToMany => &r.target_key,
        };
        fields.contains(own_column) || fields.contains(&r.name)
    });
    narrowed
}

/// The collections the role may view, narrowed to their granted fields:
/// what relation paths and appends may reach.
fn visible_catalog(source: &Source, permissions: &RolePermissions) -> HashMap<String, Collection> {
    source
        .catalog
        .iter()
        .filter_map(|(name, collection)| {
            let grant = permissions.grant(&source.definition.key, name, CollectionAction::View)?;
            Some((name.clone(), narrow(collection, grant.fields.as_deref())))
        })
        .collect()
}

/// `{{$user.id}}` in a scope filter becomes the acting user's id.
fn with_user(json: &Value, user_id: i64) -> Value {
    match json {
        Value::String(s) if s.trim() == "{{$user.id}}" || s.trim() == "{{ $user.id }}" => {
            Value::from(user_id)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| with_user(v, user_id)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), with_user(v, user_id)))
                .collect(),
        ),
        other => other.clone(),
    }
}
