//! Previous/next paging under a list, with "page x of y · n in total".

use leptos::prelude::*;

use super::form::SECONDARY_BUTTON;
use crate::i18n::use_i18n;

#[component]
pub fn Paging(page: RwSignal<u32>, count: i64, pages: u32) -> impl IntoView {
    let i18n = use_i18n();
    let current = page.get_untracked();
    let summary = move || {
        i18n.t()
            .paging_summary
            .replace("{page}", &current.to_string())
            .replace("{pages}", &pages.max(1).to_string())
            .replace("{count}", &count.to_string())
    };
    view! {
        <nav class="mt-3 flex items-center gap-3 text-sm" aria-label=move || i18n.t().paging_label>
            <button type="button" class=SECONDARY_BUTTON disabled={current <= 1} on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                {move || i18n.t().paging_previous}
            </button>
            <span data-testid="paging-summary">{summary}</span>
            <button type="button" class=SECONDARY_BUTTON disabled={current >= pages} on:click=move |_| page.update(|p| *p += 1)>
                {move || i18n.t().paging_next}
            </button>
        </nav>
    }
}
