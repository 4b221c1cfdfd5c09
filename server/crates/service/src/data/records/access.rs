//! What one role may do with one collection: the granted action, the
//! granted fields and the data scope; and what it may read through
//! relations and name in filters.

use std::borrow::Cow;
use std::collections::HashMap;

use connectors::Dialect;
use connectors::compile::{self, Scope};
use connectors::schema::{Catalog, Collection};
use model::identity::{CollectionAction, CollectionGrant, DataScope, RolePermissions};
use model::query::{Condition, FieldPath, Filter, Operand, Operator};
use serde_json::{Map, Value};

use super::{CREATED_BY, is_stamp};
use crate::actor::SignedIn;
use crate::data::registry::Source;
use crate::{Actor, Error, Result};

/// What one role may do with one collection for one action.
pub(super) struct Access<'s> {
    pub user: &'s SignedIn,
    pub full: &'s Collection,
    /// The collection narrowed to the granted fields.
    pub collection: Cow<'s, Collection>,
    /// The role's view grant on the collection, which decides what a write's
    /// filter may name (see `check_filter`; unused by an all-permissions role).
    view: Option<&'s CollectionGrant>,
    scope: Option<Filter>,
    /// Collections reachable through relations, as the role may view them.
    catalog: Visible<'s>,
}

/// The collections a role may view, narrowed to their granted fields and
/// with their view scopes: what relation paths and appends may reach.
struct Visible<'s> {
    collections: Cow<'s, HashMap<String, Collection>>,
    /// View scopes by collection, over the whole collection.
    scopes: HashMap<String, Filter>,
    full: &'s HashMap<String, Collection>,
}

impl Catalog for Visible<'_> {
    fn collection(&self, name: &str) -> Option<&Collection> {
        self.collections.get(name)
    }

    fn scope(&self, name: &str) -> Option<Scope<'_>> {
        Some(Scope {
            filter: self.scopes.get(name)?,
            collection: self.full.get(name)?,
        })
    }
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
        let permissions = &user.permissions;
        let role = user.role.as_deref().unwrap_or("(none)");
        // The grant first: a role without one learns nothing, not even
        // whether the collection exists.
        let grant = if permissions.all {
            None
        } else {
            Some(permissions.grant(key, name, action).ok_or_else(|| {
                Error::Forbidden(format!(
                    "the role {role} may not {} records of {name}",
                    action.as_str()
                ))
            })?)
        };
        let full = source
            .catalog
            .get(name)
            .ok_or_else(|| Error::NotFound(format!("collection {name} in data source {key}")))?;
        let Some(grant) = grant else {
            return Ok(Access {
                user,
                full,
                collection: Cow::Borrowed(full),
                view: None,
                scope: None,
                catalog: Visible {
                    collections: Cow::Borrowed(&source.catalog),
                    scopes: HashMap::new(),
                    full: &source.catalog,
                },
            });
        };
        let scope = scope_filter(&grant.scope, full, user.user_id).map_err(|e| {
            Error::Misconfigured(format!(
                "the role {role} has an invalid data scope on {name}: {e}"
            ))
        })?;
        Ok(Access {
            user,
            full,
            collection: Cow::Owned(narrow(full, grant.fields.as_deref())),
            view: permissions.grant(key, name, CollectionAction::View),
            scope,
            catalog: visible_catalog(source, permissions, user.user_id),
        })
    }

    /// `filter` may name only fields the role can view, whatever the action:
    /// otherwise whether a write matched would reveal hidden values.
    /// Built here, not with every `Access`: only bulk writes need it.
    pub fn check_filter(&self, dialect: Dialect, filter: &Filter) -> Result<()> {
        let readable = if self.user.permissions.all {
            Cow::Borrowed(self.full)
        } else {
            Cow::Owned(readable(self.full, self.view))
        };
        compile::check_filter(dialect, &self.catalog, &readable, filter).map_err(
            |error| match error {
                connectors::Error::InvalidQuery(message) => Error::InvalidInput(format!(
                    "{message} (a filter may name only fields this role can view)"
                )),
                other => other.into(),
            },
        )
    }

    pub fn scope(&self) -> Option<Scope<'_>> {
        self.scope.as_ref().map(|filter| Scope {
            filter,
            collection: self.full,
        })
    }

    pub fn catalog(&self) -> &dyn Catalog {
        &self.catalog
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
    /// back) and the stamp fields Ferrobase fills even where the role may
    /// not write them. Values were checked against the grant before, so
    /// these extras take only Ferrobase's values.
    pub fn with_stamps(&self) -> Collection {
        let mut writable = self.collection.clone().into_owned();
        let stamps = self
            .full
            .fields
            .iter()
            .filter(|f| is_stamp(&f.name, f.interface))
            .map(|f| &f.name);
        for name in self.full.key.iter().chain(stamps) {
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

/// What a filter may name: the view grant's fields and the record key
/// (without a view grant, the key alone).
fn readable(full: &Collection, view: Option<&CollectionGrant>) -> Collection {
    let mut fields: Vec<String> = match view {
        Some(grant) => match &grant.fields {
            None => return full.clone(),
            Some(fields) => fields.clone(),
        },
        None => Vec::new(),
    };
    fields.extend(full.key.iter().cloned());
    narrow(full, Some(&fields))
}

/// A grant's data scope as a filter over the whole collection (`None`: all
/// rows); the error says why an administrator's scope does not parse.
fn scope_filter(
    scope: &DataScope,
    full: &Collection,
    user_id: i64,
) -> std::result::Result<Option<Filter>, String> {
    Ok(match scope {
        DataScope::All => None,
        DataScope::Own => Some(match full.field(CREATED_BY) {
            Some(_) => Filter::Condition(Condition {
                path: FieldPath::single(CREATED_BY),
                operator: Operator::Eq,
                operand: Operand::Value(Value::from(user_id)),
            }),
            // No creator recorded: no record is the user's own.
            None => Filter::Or(Vec::new()),
        }),
        DataScope::Filter(json) => {
            model::query::parse_filter(&with_user(json, user_id)).map_err(|e| e.to_string())?
        }
    })
}

/// The collections the role may view, narrowed to their granted fields and
/// limited to their scopes. A collection whose scope does not parse is left
/// out (and logged): unreachable rather than unscoped.
fn visible_catalog<'s>(
    source: &'s Source,
    permissions: &RolePermissions,
    user_id: i64,
) -> Visible<'s> {
    let mut collections = HashMap::new();
    let mut scopes = HashMap::new();
    for (name, collection) in &source.catalog {
        let Some(grant) = permissions.grant(&source.definition.key, name, CollectionAction::View)
        else {
            continue;
        };
        match scope_filter(&grant.scope, collection, user_id) {
            Ok(scope) => scopes.extend(scope.map(|scope| (name.clone(), scope))),
            Err(error) => {
                tracing::warn!(collection = %name, %error, "invalid data scope; collection hidden from relations");
                continue;
            }
        }
        collections.insert(name.clone(), narrow(collection, grant.fields.as_deref()));
    }
    Visible {
        collections: Cow::Owned(collections),
        scopes,
        full: &source.catalog,
    }
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
