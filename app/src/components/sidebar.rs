//! The main menu. An area appears here only once it works; the home page
//! lists what is still to come.

use leptos::prelude::*;
use leptos_router::components::A;

use model::identity::SystemPermission;

use crate::i18n::{Text, use_i18n};
use crate::session::use_session;

/// Administration links and the permission each needs.
const ADMIN_LINKS: [(&str, SystemPermission, Text); 6] = [
    ("/admin/users", SystemPermission::Users, |t| t.nav_users),
    ("/admin/roles", SystemPermission::Users, |t| t.nav_roles),
    ("/admin/data-sources", SystemPermission::DataSources, |t| {
        t.nav_data_sources
    }),
    ("/admin/collections", SystemPermission::DataSources, |t| {
        t.nav_collections
    }),
    ("/admin/audit", SystemPermission::AuditLog, |t| t.nav_audit),
    ("/status", SystemPermission::System, |t| t.nav_status),
];

const LINK_CLASS: &str = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-orange-50 aria-[current=page]:text-orange-800 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-orange-950 dark:aria-[current=page]:text-orange-300";

#[component]
pub fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // What a role may browse is decided per collection, everyone manages
    // their own API keys, and the API documentation lists what the role may
    // call: every signed-in user gets these links.
    let signed_in = move || {
        session.0.get()?.ok()?.user?;
        Some(view! {
            <li><A href="/data" attr:class=LINK_CLASS>{move || i18n.t().nav_data}</A></li>
            <li><A href="/settings/api-keys" attr:class=LINK_CLASS>{move || i18n.t().keys_title}</A></li>
            // A page of its own outside the app's routes (Swagger UI):
            // `rel="external"` makes it a full page load. Anonymous callers
            // would see only the core API there, so the link waits for sign-in.
            <li><a href="/api-docs" rel="external" class=LINK_CLASS>{move || i18n.t().nav_api_docs}</a></li>
        })
    };
    // Hidden when the role lacks the permission; the server refuses anyway.
    let admin = move || {
        let info = session.0.get()?.ok()?;
        let links: Vec<_> = ADMIN_LINKS
            .into_iter()
            .filter(|(_, permission, _)| info.can(*permission))
            .map(|(href, _, label)| view! { <li><A href=href attr:class=LINK_CLASS>{move || label(i18n.t())}</A></li> })
            .collect();
        (!links.is_empty()).then(|| view! {
            <li class="mt-4 hidden px-3 text-xs font-semibold uppercase tracking-wide text-slate-500 md:block">{move || i18n.t().nav_admin}</li>
            {links}
        })
    };
    view! {
        <nav aria-label=move || i18n.t().main_navigation class="md:w-56 md:shrink-0">
            // Wraps on a phone instead of widening the page past the screen.
            <ul class="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
                <li>
                    <A href="/" exact=true attr:class=LINK_CLASS>
                        {move || i18n.t().nav_home}
                    </A>
                </li>
                <Suspense fallback=|| ()>{signed_in}{admin}</Suspense>
            </ul>
        </nav>
    }
}
