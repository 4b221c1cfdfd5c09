//! The browser's session cookie: `HttpOnly` (no script reads it),
//! `SameSite=Lax` (not sent on cross-site POSTs), `Secure` when the public
//! URL is https.

use axum::http::{HeaderMap, HeaderValue, header};
use model::preference_cookie::read_cookie;

pub const SESSION_COOKIE: &str = "fb_session";

pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("fb_session=; Max-Age=0"))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static("fb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure")
    } else {
        HeaderValue::from_static("fb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token from the request's cookies, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| read_cookie(v, SESSION_COOKIE).filter(|t| !t.is_empty()))
        .map(str::to_owned)
}

/// The bearer token of `Authorization: Bearer …`, if any.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("fb_theme=dark; fb_session=abc; x=1"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  fbs_x "),
        );
        assert_eq!(bearer_token(&headers).as_deref(), Some("fbs_x"));
    }

    #[test]
    fn cookie_flags_follow_the_public_url() {
        let plain = session_cookie("t", 60, false);
        assert_eq!(
            plain,
            "fb_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        assert!(
            session_cookie("t", 60, true)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
    }
}
