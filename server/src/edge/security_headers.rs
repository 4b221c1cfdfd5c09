//! Security headers on every response, decided here and nowhere else. A page
//! render reports its nonce into the request's [`PageNonce`]; its response
//! then gets `page_csp` with that nonce. Every other response (JSON, files)
//! gets a policy that allows nothing active, unless its handler chose one
//! (the API explorer).
//!
//! The policy used to travel through Leptos' `ResponseOptions`, and once in
//! many CI runs an admin page arrived with the JSON policy instead, so the
//! browser blocked its stylesheet and script. Deciding it here, from a slot
//! the middleware owns, does not depend on how the render hands headers on.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
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

/// Where a page render leaves its nonce (one per request, in its extensions).
#[derive(Clone, Default)]
pub struct PageNonce(Arc<OnceLock<String>>);

impl PageNonce {
    pub fn set(&self, nonce: &str) {
        // A render sets it once; a second call would be the same render.
        let _ = self.0.set(nonce.to_owned());
    }
}

/// Served over https (the public URL says so): browsers are told to use
/// https only for a year, so a network attacker cannot downgrade a later
/// visit to plain http. Not for subdomains, which may be other services.
const HSTS: &str = "max-age=31536000";

pub async fn add(State(https): State<bool>, mut request: Request, next: Next) -> Response {
    let page_nonce = PageNonce::default();
    request.extensions_mut().insert(page_nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(nonce) = page_nonce.0.get()
        && !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&page_csp(nonce))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
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
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}
