//! Cross-site request forgery protection without tokens: the browser tells
//! us where a request comes from (`Sec-Fetch-Site`, else `Origin`), and a
//! state-changing request carrying our cookie must come from our own pages.
//!
//! Requests with an `Authorization: Bearer` token are exempt: a cross-site
//! page cannot add one without a CORS preflight, and the token, not an
//! ambient cookie, authenticates them. (Another scheme is ignored by the
//! actor lookup, so the cookie would act: such requests are checked.) A
//! cookie-carrying request that names neither header is refused, since every
//! current browser sends at least one on a POST. The sign-in and first-run
//! forms need no cookie to matter (login CSRF; a stranger's page creating
//! the first administrator), so they need that positive evidence too.
//!
//! With `FERROBASE_PUBLIC_URL` set, its origin is the only one accepted: a
//! page on another name that resolves to this server (DNS rebinding) sends
//! its own `Origin` and `Host`, and the browser calls it same-origin. Without
//! it, the `Host` the request names is believed; the README tells operators
//! to set the URL before exposing Ferrobase.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::edge::cookie::{bearer_token, session_token};
use crate::state::AppState;

/// Browser forms that act without a session cookie.
const COOKIELESS_FORMS: &[&str] = &["/auth/signin", "/auth/setup"];

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || bearer_token(request.headers()).is_some() {
        return next.run(request).await;
    }
    let headers = request.headers();
    let expected = Expected {
        origin: &state.public_origin,
        only: state.public_origin_given,
    };
    let unsaid = !COOKIELESS_FORMS.contains(&request.uri().path())
        && session_token(headers, state.secure_cookies).is_none();
    if same_origin(headers, expected).unwrap_or(unsaid) {
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

/// The origin our own pages have, and whether the operator fixed it.
#[derive(Clone, Copy)]
struct Expected<'a> {
    origin: &'a str,
    only: bool,
}

/// `Some(true)`/`Some(false)` when the browser said where the request came
/// from, `None` when it did not.
fn same_origin(headers: &HeaderMap, expected: Expected<'_>) -> Option<bool> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if let (true, Some(origin)) = (expected.only, origin) {
        return Some(origin == expected.origin);
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed in the address bar or a bookmark, not another site.
        return Some(matches!(site, "same-origin" | "none"));
    }
    let origin = origin?;
    if expected.only {
        return Some(origin == expected.origin);
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    Some(origin == expected.origin || (authority.is_some() && authority == host))
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

    const GUESSED: Expected = Expected {
        origin: "https://hub.example.com",
        only: false,
    };
    const GIVEN: Expected = Expected {
        origin: "https://hub.example.com",
        only: true,
    };

    #[test]
    fn fetch_metadata_decides_first() {
        let public = GUESSED;
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
        let public = GUESSED;
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

    #[test]
    fn a_configured_public_url_is_the_only_origin() {
        // Another name resolving here: the browser calls it same-origin and
        // the Host matches, but the origin is not ours.
        let rebound = headers(&[
            ("origin", "http://evil.example:3000"),
            ("host", "evil.example:3000"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(same_origin(&rebound, GUESSED), Some(true));
        assert_eq!(same_origin(&rebound, GIVEN), Some(false));
        let by_host = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(same_origin(&by_host, GIVEN), Some(false));
        let ours = headers(&[
            ("origin", "https://hub.example.com"),
            ("host", "10.0.0.5:3000"),
        ]);
        assert_eq!(same_origin(&ours, GIVEN), Some(true));
        let fetch_only = headers(&[("sec-fetch-site", "same-origin")]);
        assert_eq!(same_origin(&fetch_only, GIVEN), Some(true));
    }
}
