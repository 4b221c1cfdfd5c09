//! The cookies that remember a visitor's language and theme. The browser
//! (after hydration) and the server (without JavaScript) write the same cookie.

/// Routes that set a preference and redirect back, for browsers without
/// JavaScript: `GET {LOCALE_ROUTE}/<tag>?next=<path>`.
pub const LOCALE_ROUTE: &str = "/prefs/locale";
pub const THEME_ROUTE: &str = "/prefs/theme";

/// A year: preferences should outlive a browser restart.
const MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

/// The `Set-Cookie` / `document.cookie` value for a preference. Values are
/// our own enum tags, never user text, so no escaping is needed.
pub fn preference_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age={MAX_AGE_SECONDS}; SameSite=Lax")
}

/// Finds `name` in a `Cookie:` request header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| value.trim())
    })
}

/// The link that sets a preference without JavaScript and returns to `next`.
pub fn preference_link(route: &str, value: &str, next: &str) -> String {
    format!("{route}/{value}?next={}", encode_query_value(next))
}

/// Percent-encodes a query-string value (paths keep their `/`).
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_cookie_only() {
        let header = "a=1; fb_locale=cs ; fb_locale_old=ja";
        assert_eq!(read_cookie(header, "fb_locale"), Some("cs"));
        assert_eq!(read_cookie(header, "missing"), None);
        assert_eq!(read_cookie("", "fb_locale"), None);
    }

    #[test]
    fn link_encodes_the_return_path() {
        assert_eq!(
            preference_link(LOCALE_ROUTE, "cs", "/a b&c"),
            "/prefs/locale/cs?next=/a%20b%26c"
        );
    }

    #[test]
    fn cookie_is_site_wide_and_lax() {
        let cookie = preference_cookie("fb_theme", "dark");
        assert!(cookie.starts_with("fb_theme=dark;"));
        assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"));
    }
}
