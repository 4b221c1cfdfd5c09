//! The main menu. An area appears here only once it works; the home page
//! lists what is still to come.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

const LINK_CLASS: &str = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-orange-50 aria-[current=page]:text-orange-800 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-orange-950 dark:aria-[current=page]:text-orange-300";

#[component]
pub fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav aria-label=move || i18n.t().main_navigation class="md:w-56 md:shrink-0">
            <ul class="flex gap-1 md:flex-col">
                <li>
                    <A href="/" exact=true attr:class=LINK_CLASS>
                        {move || i18n.t().nav_home}
                    </A>
                </li>
                <li>
                    <A href="/status" attr:class=LINK_CLASS>
                        {move || i18n.t().nav_status}
                    </A>
                </li>
            </ul>
        </nav>
    }
}
