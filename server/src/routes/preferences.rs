//! Language and theme for browsers without JavaScript: the switcher links
//! here, we set the cookie and send the visitor back where they were.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use model::locale::LOCALE_COOKIE;
use model::preference_cookie::preference_cookie;
use model::theme::THEME_COOKIE;
use model::{Locale, Theme};
use serde::Deserialize;

use crate::api_error::ApiError;

#[derive(Deserialize)]
pub struct ReturnTo {
    next: Option<String>,
}

pub async fn locale(Path(tag): Path<String>, Query(back): Query<ReturnTo>) -> Response {
    match Locale::from_tag(&tag) {
        Some(locale) => set_and_return(LOCALE_COOKIE, locale.tag(), back),
        None => invalid(format!("unknown language {tag:?}")),
    }
}

pub async fn theme(Path(name): Path<String>, Query(back): Query<ReturnTo>) -> Response {
    match Theme::parse(&name) {
        Some(theme) => set_and_return(THEME_COOKIE, theme.as_str(), back),
        None => invalid(format!("unknown theme {name:?}; use system, light or dark")),
    }
}

fn invalid(message: String) -> Response {
    ApiError(service::Error::InvalidInput(message)).into_response()
}

fn set_and_return(cookie: &str, value: &str, back: ReturnTo) -> Response {
    let location = local_path(back.next.as_deref());
    (
        StatusCode::SEE_OTHER,
        [
            (LOCATION, location),
            (SET_COOKIE, preference_cookie(cookie, value)),
        ],
    )
        .into_response()
}

/// Only a path on this site: `//evil.example` or `/\evil.example` would make
/// the redirect leave it (an open redirect).
pub(crate) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            header_safe(path)
        }
        _ => "/".to_owned(),
    }
}

/// `Location` must be ASCII: percent-encode what the query decoding turned
/// back into raw UTF-8 (and spaces); everything else is kept as sent.
fn header_safe(path: &str) -> String {
    let mut safe = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            safe.push(byte as char);
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/status")), "/status");
        assert_eq!(local_path(Some("/a/b?c=d")), "/a/b?c=d");
        for hostile in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "status",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some("/č x")), "/%C4%8D%20x");
        assert_eq!(local_path(Some("/a%20b")), "/a%20b");
    }
}
