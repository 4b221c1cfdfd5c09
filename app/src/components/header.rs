use leptos::prelude::*;

use super::{locale_switcher::LocaleSwitcher, theme_toggle::ThemeToggle, user_menu::UserMenu};
use crate::i18n::use_i18n;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            // On a phone the controls wrap below the brand rather than
            // widening the page.
            <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
                <a href="/" class="flex items-baseline gap-3" data-testid="brand">
                    <span class="text-lg font-semibold tracking-tight text-orange-700 dark:text-orange-400">
                        "Ferrobase"
                    </span>
                    <span class="hidden text-sm text-slate-500 sm:inline dark:text-slate-400">
                        {move || i18n.t().tagline}
                    </span>
                </a>
                <div class="ml-auto flex flex-wrap items-center justify-end gap-2">
                    <LocaleSwitcher />
                    <ThemeToggle />
                    <UserMenu />
                </div>
            </div>
        </header>
    }
}
