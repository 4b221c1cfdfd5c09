//! The REST API's OpenAPI 3.1 document, `GET /api/openapi.json` (and
//! NocoBase's `swagger:get`), written for the caller:
//!
//! - **core**: Ferrobase's own resources, from the table `dispatch` admits
//!   requests by (`routes::api::catalog`), with the schemas of the model's
//!   views and inputs from their `utoipa::ToSchema` derives. It is the same
//!   for everyone and is snapshot-tested (`snapshots/core.json`).
//! - **collections**: at request time, paths and schemas for every
//!   collection of one data source that the caller's role may see, with the
//!   fields its grants leave (`service::data::collections::browsable`) and
//!   the record actions it may take. Anonymous callers get the core part
//!   only: collection names are not public.
//!
//! The document is JSON built directly rather than with utoipa's builders:
//! most of it is per-collection data, and `tests/openapi.rs` checks every
//! part with PyPI's `openapi-spec-validator`.

mod builtin;
mod collections;
mod document;
mod envelope;
mod record_operation;
mod record_schema;
pub mod schema;

use serde_json::Value;
use service::data::collections::browsable;
use service::{Actor, Error, Services};

use document::Document;

/// A part of the document, as NocoBase's `swagger:get?ns=` names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    All,
    Core,
    Collections,
    Collection(String),
}

impl Namespace {
    /// `None` for an unknown namespace.
    pub fn parse(ns: Option<&str>) -> Option<Namespace> {
        Some(match ns.map(str::trim).filter(|ns| !ns.is_empty()) {
            None => Namespace::All,
            Some("core") => Namespace::Core,
            Some("collections") => Namespace::Collections,
            Some(other) => match other.strip_prefix("collections/") {
                Some(name) if !name.is_empty() => Namespace::Collection(name.to_owned()),
                _ => return None,
            },
        })
    }
}

/// The part `ns` of the document for `actor`, with the collections of the
/// data source `source`. Collections need a signed-in caller (the whole
/// document of an anonymous caller is the core part); a source or
/// collection the caller cannot see is `NotFound`, as if it did not exist.
pub async fn document(
    services: &Services,
    actor: &Actor,
    ns: &Namespace,
    source: &str,
) -> Result<Value, Error> {
    let mut document = Document::default();
    if matches!(ns, Namespace::All | Namespace::Core) {
        builtin::add(&mut document);
    }
    let signed_in = actor.user();
    match (ns, signed_in) {
        (Namespace::Core, _) | (Namespace::All, Err(_)) => {}
        (_, Err(error)) => return Err(error),
        (_, Ok(user)) => {
            let visible = browsable(services, actor).await?;
            let only = match ns {
                Namespace::Collection(name) => Some(name.as_str()),
                _ => None,
            };
            collections::add(&mut document, &visible, &user.permissions, source, only)?;
        }
    }
    Ok(document.into_json())
}

/// The parts of the document `actor` may read, for the explorer's
/// definition list: `(title, url)`.
pub async fn urls(services: &Services, actor: &Actor) -> Result<Vec<(String, String)>, Error> {
    let mut urls = vec![
        ("Ferrobase API".to_owned(), "/api/openapi.json".to_owned()),
        (
            "Ferrobase API: core".to_owned(),
            "/api/openapi.json?ns=core".to_owned(),
        ),
    ];
    if actor.user().is_err() {
        return Ok(urls);
    }
    let visible = browsable(services, actor).await?;
    let mut sources: Vec<&str> = visible.iter().map(|c| c.data_source.as_str()).collect();
    sources.dedup();
    for source in sources {
        let key = encode(source);
        urls.push((
            format!("Collections of {source}"),
            format!("/api/openapi.json?ns=collections&dataSource={key}"),
        ));
        for collection in visible.iter().filter(|c| c.data_source == source) {
            urls.push((
                format!("Collection {} ({source})", collection.title),
                format!(
                    "/api/openapi.json?ns={}&dataSource={key}",
                    encode(&format!("collections/{}", collection.name))
                ),
            ));
        }
    }
    Ok(urls)
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The core part is the API's contract with integrators: any change to
    /// it shows up here for review. `UPDATE_SNAPSHOTS=1` rewrites the file.
    #[test]
    fn the_core_document_matches_its_snapshot() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/openapi/snapshots/core.json");
        let mut core = Document::default();
        builtin::add(&mut core);
        let actual = serde_json::to_string_pretty(&core.into_json()).unwrap() + "\n";
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &actual).unwrap();
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some((line, (want, got))) = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (want, got))| want != got)
        {
            panic!(
                "the core OpenAPI document differs from {} at line {}:\n  snapshot: {want}\n  now:      {got}\n\
                 Review the change, then rerun with UPDATE_SNAPSHOTS=1.",
                path.display(),
                line + 1
            );
        }
        assert_eq!(
            expected.lines().count(),
            actual.lines().count(),
            "the core OpenAPI document grew or shrank; rerun with UPDATE_SNAPSHOTS=1 after review"
        );
    }

    #[test]
    fn namespaces_as_nocobase_names_them() {
        assert_eq!(Namespace::parse(None), Some(Namespace::All));
        assert_eq!(Namespace::parse(Some("")), Some(Namespace::All));
        assert_eq!(Namespace::parse(Some("core")), Some(Namespace::Core));
        assert_eq!(
            Namespace::parse(Some("collections")),
            Some(Namespace::Collections)
        );
        assert_eq!(
            Namespace::parse(Some("collections/orders")),
            Some(Namespace::Collection("orders".into()))
        );
        assert_eq!(Namespace::parse(Some("collections/")), None);
        assert_eq!(Namespace::parse(Some("plugins")), None);
    }
}
