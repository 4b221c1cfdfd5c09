//! The site's files: the browser bundle under a versioned path, cached for
//! a year, and everything else in the site folder (favicon, …) revalidated
//! on every use. Both send the `.br`/`.gz` files `build_site` wrote next to
//! each asset when the browser accepts them, so the bytes on the wire are
//! brotli at quality 11 instead of what on-the-fly compression affords.
//!
//! The version is a hash of the bundle's files, taken at start-up: after an
//! upgrade, a page names new URLs, so a browser can never pair new HTML with
//! a cached old WASM (the hydration would fail). A request for another
//! version is refused rather than answered with today's files for the same
//! reason; that page still works as server-rendered HTML until reloaded.
//!
//! These files used to go through `leptos_axum::file_and_error_handler`,
//! which runs the page render context for every file, inside an
//! `Owner::new()` that becomes a child of the thread's current reactive
//! owner when one is set, and then moves any `ResponseOptions` headers it
//! can see onto the file's response. A file needs none of that.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use data_encoding::HEXLOWER;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// Where the bundle lives inside the site folder, and the URL prefix before
/// the version.
pub const PKG: &str = "pkg";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The bundle's version: the first 16 hex digits of a SHA-256 over its
/// files' names and contents, so any rebuilt file gives another one. The
/// `.br` and `.gz` copies are left out: they follow from the originals, and
/// would triple what start-up reads.
pub fn version(site_root: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site_root.join(PKG))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| !path.extension().is_some_and(|e| e == "br" || e == "gz"))
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.update([0]);
        // An unreadable file is served as missing anyway; it only has to
        // change the version when it changes.
        hash.update(std::fs::read(&file).unwrap_or_default());
    }
    HEXLOWER.encode(&hash.finalize()[..8])
}

/// `/pkg/{version}/{*file}`: today's bundle, immutable; any other version
/// is not found.
pub async fn bundle(
    State(state): State<AppState>,
    UrlPath((version, _)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    // The options' `site_pkg_dir` is `pkg/<today's version>`.
    if state
        .leptos
        .site_pkg_dir
        .strip_prefix(PKG)
        .and_then(|v| v.strip_prefix('/'))
        != Some(version.as_str())
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let folder = Path::new(state.leptos.site_root.as_ref()).join(PKG);
    let request = inside_version(request, &version);
    match serve(&folder, request, IMMUTABLE).await {
        Ok(response) => response,
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A file of the site folder for a `GET` or `HEAD` of its path; otherwise
/// the request back, for the not-found page.
pub async fn site_file(state: &AppState, request: Request) -> Result<Response, Request> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Err(request);
    }
    serve(
        Path::new(state.leptos.site_root.as_ref()),
        request,
        REVALIDATE,
    )
    .await
}

/// Serves the request's path from `folder` (ServeDir refuses `..`,
/// absolute paths and folders) with the precompressed variant the request
/// accepts; a missing file gives the request back.
async fn serve(folder: &Path, request: Request, cache: &'static str) -> Result<Response, Request> {
    let (parts, body) = request.into_parts();
    let files = ServeDir::new(folder)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let probe = Request::from_parts(parts.clone(), Body::empty());
    let mut response = match files.oneshot(probe).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return Err(Request::from_parts(parts, body));
    }
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The same URL answers br, gzip or plain bytes by Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// The request with `/pkg/{version}` taken off its path, as sent (still
/// percent-encoded: ServeDir decodes it once).
fn inside_version(request: Request, version: &str) -> Request {
    let (mut parts, body) = request.into_parts();
    let prefix = format!("/{PKG}/{version}");
    if let Some(Ok(uri)) = parts
        .uri
        .path()
        .strip_prefix(&prefix)
        .map(str::parse::<Uri>)
    {
        parts.uri = uri;
    }
    Request::from_parts(parts, body)
}
