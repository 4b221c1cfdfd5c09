//! `/<collection>/<id>/<relation>:<action>`: list, get, create, update and
//! destroy the records one record's relation leads to. Many-to-one
//! relations are read-only here: change the parent's foreign key instead.

use axum::http::Method;
use serde_json::Value;
use service::Error;
use service::data::records::{self, Association};

use super::super::body::{Answer, Request};
use super::super::wrong_method;
use super::{create_with, destroy, get, list, update, values};
use crate::api_error::ApiError;

pub struct Path<'a> {
    pub collection: &'a str,
    pub id: &'a str,
    pub relation: &'a str,
}

pub async fn handle(
    method: &Method,
    source: &str,
    path: &Path<'_>,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    if !matches!(action, "list" | "get" | "create" | "update" | "destroy") {
        return None;
    }
    let id = Value::String(path.id.to_owned());
    let association = Association {
        source,
        collection: path.collection,
        id: &id,
        relation: path.relation,
    };
    let related = match records::association(request.services(), request.actor, &association).await
    {
        Ok(related) => related,
        Err(error) => return Some(Err(error.into())),
    };
    let target = related.target.as_str();
    let link = Some(&related.filter);
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    if matches!(action, "create" | "update" | "destroy") && !related.many {
        return Some(Err(Error::InvalidInput(format!(
            "{} leads to one record; change {}'s own field to relink it",
            path.relation, path.collection
        ))
        .into()));
    }
    Some(match action {
        "list" if *method == Method::GET => list(request, source, target, link).await,
        // By `filterByTk` among the related records, or the first of them
        // (the only one, for many-to-one).
        "get" if *method == Method::GET => get(request, source, target, link).await,
        "create" if *method == Method::POST => match (values(request), related.link) {
            (Ok(mut values), Some((field, value))) => {
                values.insert(field, value);
                create_with(request, source, target, values).await
            }
            (Ok(_), None) => Err(Error::InvalidInput(format!(
                "record {} of {} has no value to link new {} to",
                path.id, path.collection, path.relation
            ))
            .into()),
            (Err(error), _) => Err(error),
        },
        "update" if write => update(request, source, target, link).await,
        "destroy" if matches!(*method, Method::POST | Method::DELETE) => {
            destroy(request, source, target, link).await
        }
        _ => wrong_method(),
    })
}
