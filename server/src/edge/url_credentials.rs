//! Credentials never belong in a URL: URLs end up in proxy and server logs,
//! browser history and `Referer` headers. A request that carries one is
//! refused before any handler runs, loudly, so the integrator fixes the
//! client instead of leaking the key on every call.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::routes::api::Answer;

/// Parameter names clients use for tokens (compared ignoring case), refused
/// on the REST API whatever their value.
const TOKEN_NAMES: &[&str] = &["token", "access_token", "api_key", "apikey"];

/// Ferrobase's own token prefixes (API keys, sessions), refused as any
/// parameter's value anywhere.
const TOKEN_PREFIXES: &[&str] = &[service::api_keys::PREFIX, service::sessions::TOKEN_PREFIX];

pub fn carries_credentials(uri: &Uri) -> bool {
    let Some(query) = uri.query() else {
        return false;
    };
    let api = uri.path().starts_with("/api/");
    form_urlencoded::parse(query.as_bytes()).any(|(name, value)| {
        (api && TOKEN_NAMES.iter().any(|t| name.eq_ignore_ascii_case(t)))
            || TOKEN_PREFIXES.iter().any(|p| value.trim().starts_with(p))
    })
}

pub fn refusal() -> Response {
    Answer::Status(
        StatusCode::UNAUTHORIZED,
        "send API keys in the Authorization header, never in the URL",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(uri: &str) -> bool {
        carries_credentials(&uri.parse().unwrap())
    }

    #[test]
    fn token_parameters_and_token_values_are_refused() {
        for uri in [
            "/api/users:list?token=abc",
            "/api/users:list?page=1&access_token=abc",
            "/api/users:list?API_KEY=abc",
            "/api/users:list?apiKey=abc",
            "/api/users:list?filter=fbk_abc_def",
            "/api/users:list?x=%20fbs_abc",
            "/some/page?q=fbk_x",
        ] {
            assert!(refused(uri), "{uri}");
        }
        for uri in [
            "/api/users:list",
            "/api/users:list?page=1&pageSize=20",
            "/api/orders:list?filter=%7B%22title%22%3A%22fbk%22%7D",
            "/signin?next=/api-docs",
            "/invite?token=abc",
        ] {
            assert!(!refused(uri), "{uri}");
        }
    }
}
