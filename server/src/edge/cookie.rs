//! The browser's session cookie: `HttpOnly` (no script reads it),
//! `SameSite=Lax` (not sent on cross-site POSTs), and when the public URL is
//! https `Secure` with the `__Host-` prefix, so no subdomain and no plain
//! http page can plant or overwrite it.

use axum::http::{HeaderMap, HeaderValue, header};
use model::preference_cookie::read_cookie;

pub const SESSION_COOKIE: &str = "fb_session";
/// The name over https: the browser accepts it only if `Secure`, `Path=/`
/// and without `Domain`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-fb_session";

fn name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{flags}",
        name(secure)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| clear_session_cookie(secure))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "__Host-fb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("fb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token from the request's cookies, if any: over https only
/// the `__Host-` cookie counts.
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| read_cookie(v, name(secure)).filter(|t| !t.is_empty()))
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
        assert_eq!(session_token(&headers, false).as_deref(), Some("abc"));
        // Over https the plain name may have been planted: ignored.
        assert_eq!(session_token(&headers, true), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("fb_session=planted; __Host-fb_session=real"),
        );
        assert_eq!(session_token(&headers, true).as_deref(), Some("real"));
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
        let secure = session_cookie("t", 60, true);
        let secure = secure.to_str().unwrap();
        assert!(
            secure.starts_with("__Host-fb_session=t; Path=/;"),
            "{secure}"
        );
        assert!(secure.ends_with("; Secure") && !secure.contains("Domain"));
    }
}
