//! Security headers on every response. Pages set their own
//! `Content-Security-Policy` with the render's nonce (see `page_csp`); every
//! other response (JSON, files) gets a policy that allows nothing active.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy for server-rendered pages. Scripts: our own files, the
/// render's inline hydration script (by nonce) and WebAssembly compilation.
/// No inline styles or scripts otherwise; no framing by other sites.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The API explorer (`/api-docs`, Swagger UI): scripts and styles only from
/// our own files, the initializer included (`explorer.js`, not an inline
/// script), so it needs neither a nonce nor `unsafe-inline`; requests only
/// to Ferrobase. Swagger UI's icons are `data:` images. The one hash is the
/// fixed `<style>` inside Swagger UI 5.32's logo (hidden by explorer.css),
/// allowed so the console stays free of CSP errors.
pub const EXPLORER_CSP: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub async fn add(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    response
}
