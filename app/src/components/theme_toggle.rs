//! Cycles system → light → dark. A plain link without JavaScript (the server
//! sets the cookie and redirects back); after hydration it switches in place.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use model::Theme;
use model::preference_cookie::{THEME_ROUTE, preference_link};

use super::icons::ThemeIcon;
use crate::i18n::use_i18n;
use crate::prefs::{ThemeChoice, remember_theme};

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let i18n = use_i18n();
    let ThemeChoice(theme) = expect_context::<ThemeChoice>();
    let location = use_location();
    let label = move || {
        let t = i18n.t();
        match theme.get() {
            Theme::System => t.theme_system,
            Theme::Light => t.theme_light,
            Theme::Dark => t.theme_dark,
        }
    };
    let href = move || {
        preference_link(
            THEME_ROUTE,
            theme.get().next().as_str(),
            &location.pathname.get(),
        )
    };
    let toggle = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let next = theme.get_untracked().next();
        theme.set(next);
        remember_theme(next);
    };
    view! {
        <a
            href=href
            on:click=toggle
            role="button"
            data-testid="theme-toggle"
            aria-label=label
            title=label
            class="inline-flex items-center rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
            {move || view! { <ThemeIcon theme=theme.get() /> }}
        </a>
    }
}
