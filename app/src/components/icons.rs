//! Inline SVG icons: no icon font or sprite to download, and they render
//! identically on the server and after hydration.

use leptos::prelude::*;
use model::Theme;

const ICON_CLASS: &str = "h-5 w-5";

#[component]
pub fn ThemeIcon(theme: Theme) -> impl IntoView {
    let path = match theme {
        // A monitor: follow the operating system.
        Theme::System => "M4 5h16v10H4z M8 19h8 M12 15v4",
        // A sun.
        Theme::Light => {
            "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4"
        }
        // A moon.
        Theme::Dark => "M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z",
    };
    view! {
        <svg class=ICON_CLASS viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d=path />
        </svg>
    }
}

#[component]
pub fn GlobeIcon() -> impl IntoView {
    view! {
        <svg class=ICON_CLASS viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d="M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M3 12h18 M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9s1.3-6.3 3.8-9z" />
        </svg>
    }
}
