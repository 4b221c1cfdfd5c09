use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.not_found_title />
        <section class="py-16 text-center">
            <p class="text-sm font-semibold text-orange-700 dark:text-orange-400">"404"</p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight">{move || i18n.t().not_found_title}</h1>
            <p class="mt-3 text-slate-600 dark:text-slate-400">{move || i18n.t().not_found_body}</p>
            <a href="/" class="mt-6 inline-block rounded-md bg-orange-700 px-4 py-2 text-sm font-medium text-white hover:bg-orange-800">
                {move || i18n.t().not_found_home}
            </a>
        </section>
    }
}
