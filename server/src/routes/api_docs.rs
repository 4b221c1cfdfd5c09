//! `/api-docs`: the API explorer, Swagger UI around `/api/openapi.json`.
//! Every file comes from Ferrobase itself: Swagger UI's are compiled in from
//! `utoipa-swagger-ui`'s vendored copy (no CDN, nothing downloaded at build
//! time), the page and its initializer from `api_docs/`. "Try it out" runs
//! as the signed-in session (same-origin requests carry its cookie) or as
//! an API key entered under "Authorize".

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::edge::security_headers::EXPLORER_CSP;

const PAGE: &str = include_str!("api_docs/index.html");
const EXPLORER_JS: &str = include_str!("api_docs/explorer.js");
const EXPLORER_CSS: &str = include_str!("api_docs/explorer.css");

/// The files of Swagger UI's distribution the page loads; nothing else of
/// it is served.
const SWAGGER_FILES: &[&str] = &[
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
];

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

pub async fn page() -> Response {
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(EXPLORER_CSP),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        PAGE,
    )
        .into_response()
}

/// `/api-docs/<file>`
pub async fn asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "explorer.js" => static_file(JAVASCRIPT, Body::from(EXPLORER_JS)),
        "explorer.css" => static_file(CSS, Body::from(EXPLORER_CSS)),
        name if SWAGGER_FILES.contains(&name) => swagger_file(name),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn swagger_file(name: &str) -> Response {
    // The configuration only fills `swagger-initializer.js`, which is not
    // served: `explorer.js` configures Swagger UI instead.
    let config = Arc::new(utoipa_swagger_ui::Config::new(["/api/openapi.json"]));
    match utoipa_swagger_ui::serve(name, config) {
        Ok(Some(file)) => {
            let kind = if name.ends_with(".css") {
                CSS
            } else {
                JAVASCRIPT
            };
            let body = match file.bytes {
                Cow::Borrowed(bytes) => Body::from(bytes),
                Cow::Owned(bytes) => Body::from(bytes),
            };
            static_file(kind, body)
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, file = name, "a Swagger UI file could not be served");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Not fingerprinted, so cached for an hour only: an upgrade shows up soon.
fn static_file(kind: &'static str, body: Body) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}
