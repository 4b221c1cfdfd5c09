//! The document title of a page, in the visitor's language.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Text, use_i18n};

/// `<title>` for a page whose title is a catalogue string.
///
/// On the server the string is read now, during the render: leptos_meta
/// reads a title closure only after the render, outside the request's
/// reactive arena, where reading the locale signal panicked (or read another
/// request's) under concurrent requests and the connection was dropped
/// without an answer. In the browser the title follows a language change.
#[component]
pub fn PageTitle(text: Text) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let title = text(i18n.t());
    #[cfg(not(feature = "ssr"))]
    let title = move || text(i18n.t());
    view! { <Title text=title /> }
}
