//! The visitor's language and theme. On the server they come from the request
//! (cookie, then `Accept-Language`); on hydration from the attributes the
//! server wrote on `<html>`, so both sides start from the same value.

use leptos::prelude::*;
use model::locale::LOCALE_COOKIE;
use model::theme::THEME_COOKIE;
use model::{Locale, Theme};

/// The chosen theme, shared through context.
#[derive(Clone, Copy)]
pub struct ThemeChoice(pub RwSignal<Theme>);

#[cfg(feature = "ssr")]
pub fn initial() -> (Locale, Theme) {
    use model::preference_cookie::read_cookie;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Default::default();
    };
    // The page depends on these request headers: a shared cache must key on them.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(
            http::header::VARY,
            http::HeaderValue::from_static("cookie, accept-language"),
        );
    }
    let header = |name: http::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let cookies = header(http::header::COOKIE).unwrap_or_default();
    let accept_language = header(http::header::ACCEPT_LANGUAGE);
    let locale = Locale::negotiate(
        read_cookie(&cookies, LOCALE_COOKIE),
        accept_language.as_deref(),
    );
    let theme = read_cookie(&cookies, THEME_COOKIE)
        .and_then(Theme::parse)
        .unwrap_or_default();
    (locale, theme)
}

#[cfg(not(feature = "ssr"))]
pub fn initial() -> (Locale, Theme) {
    let root = document().document_element();
    let attribute = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
    let locale = attribute("lang")
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or_default();
    let theme = attribute("data-theme")
        .as_deref()
        .and_then(Theme::parse)
        .unwrap_or_default();
    (locale, theme)
}

/// Persists a choice in the browser; the server reads it on the next request.
pub fn remember_locale(locale: Locale) {
    write_cookie(LOCALE_COOKIE, locale.tag());
}

pub fn remember_theme(theme: Theme) {
    write_cookie(THEME_COOKIE, theme.as_str());
}

fn write_cookie(name: &str, value: &str) {
    use wasm_bindgen::JsCast;
    if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
        // A refused cookie (privacy mode) only loses persistence, not the change.
        let _ = document.set_cookie(&model::preference_cookie::preference_cookie(name, value));
    }
}
