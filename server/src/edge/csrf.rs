//! Cross-site request forgery protection without tokens: the browser tells
//! us where a request comes from (`Sec-Fetch-Site`, else `Origin`), and a
//! state-changing request carrying our cookie must come from our own pages.
//!
//! Requests with an `Authorization: Bearer` token are exempt: a cross-site
//! page cannot add one without a CORS preflight, and the token, not an
//! ambient cookie, authenticates them. (Another scheme is ignored by the
//! actor lookup, so the cookie would act: such requests are checked.) A
//! cookie-carrying request that names neither header is refused, since every
//! current browser sends at least one on a POST.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::edge::cookie::{bearer_token, session_token};
use crate::state::AppState;

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || bearer_token(request.headers()).is_some() {
        return next.run(request).await;
    }
    let headers = request.headers();
    if same_origin(headers, &state.public_origin).unwrap_or(session_token(headers).is_none()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a cross-site state-changing request");
    ApiError(service::Error::Forbidden(
        "cross-site request refused (CSRF protection)".into(),
    ))
    .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `Some(true)`/`Some(false)` when the browser said where the request came
/// from, `None` when it did not.
fn same_origin(headers: &HeaderMap, public_origin: &str) -> Option<bool> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed in the address bar or a bookmark, not another site.
        return Some(matches!(site, "same-origin" | "none"));
    }
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    Some(origin == public_origin || (authority.is_some() && authority == host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_first() {
        let public = "https://hub.example.com";
        assert_eq!(
            same_origin(&headers(&[("sec-fetch-site", "same-origin")]), public),
            Some(true)
        );
        assert_eq!(
            same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public),
            Some(false)
        );
        assert_eq!(
            same_origin(&headers(&[("sec-fetch-site", "same-site")]), public),
            Some(false)
        );
    }

    #[test]
    fn origin_must_match_the_public_url_or_the_host() {
        let public = "https://hub.example.com";
        let ok = headers(&[("origin", "https://hub.example.com")]);
        assert_eq!(same_origin(&ok, public), Some(true));
        let by_host = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(same_origin(&by_host, public), Some(true));
        let evil = headers(&[
            ("origin", "https://evil.example"),
            ("host", "hub.example.com"),
        ]);
        assert_eq!(same_origin(&evil, public), Some(false));
        assert_eq!(
            same_origin(&headers(&[("origin", "null")]), public),
            Some(false)
        );
        assert_eq!(same_origin(&headers(&[]), public), None);
    }
}
