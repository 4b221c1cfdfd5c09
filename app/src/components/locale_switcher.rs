//! Language menu. A `<details>` disclosure of plain links works without
//! JavaScript (the server sets the cookie and redirects back); after
//! hydration a choice re-renders every string in place.

use leptos::html::Details;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use model::Locale;
use model::preference_cookie::{LOCALE_ROUTE, preference_link};

use super::icons::GlobeIcon;
use crate::i18n::use_i18n;
use crate::prefs::remember_locale;

#[component]
pub fn LocaleSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let menu = NodeRef::<Details>::new();
    let choose = move |locale: Locale| {
        move |event: leptos::ev::MouseEvent| {
            event.prevent_default();
            i18n.locale.set(locale);
            remember_locale(locale);
            if let Some(details) = menu.get() {
                details.set_open(false);
            }
        }
    };
    let items = Locale::ALL
        .into_iter()
        .map(|locale| {
            let href = move || preference_link(LOCALE_ROUTE, locale.tag(), &location.pathname.get());
            let current = move || (i18n.locale.get() == locale).then_some("true");
            view! {
                <li>
                    <a
                        href=href
                        hreflang=locale.tag()
                        lang=locale.tag()
                        aria-current=current
                        on:click=choose(locale)
                        class="block px-3 py-1.5 text-sm hover:bg-slate-100 aria-[current=true]:font-semibold dark:hover:bg-slate-800"
                    >
                        {locale.native_name()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <details node_ref=menu class="relative" data-testid="locale-switcher">
            <summary
                class="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                aria-label=move || i18n.t().language
            >
                <GlobeIcon />
                <span>{move || i18n.locale.get().native_name()}</span>
            </summary>
            <ul class="absolute right-0 z-20 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                {items}
            </ul>
        </details>
    }
}
