//! The main menu. An area appears here only once it works; the home page
//! lists what is still to come.

use leptos::prelude::*;
use leptos_router::components::A;

use model::identity::SystemPermission;

use crate::i18n::{Text, use_i18n};
use crate::session::use_session;

/// Administration links and the permission each needs.
const ADMIN_LINKS: [(&str, SystemPermission, Text); 3] = [
    ("/admin/users", SystemPermission::Users, |t| t.nav_users),
    ("/admin/roles", SystemPermission::Users, |t| t.nav_roles),
    ("/admin/audit", SystemPermission::AuditLog, |t| t.nav_audit),
];

const LINK_CLASS: &str = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-orange-50 aria-[current=page]:text-orange-800 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-orange-950 dark:aria-[current=page]:text-orange-300";

#[component]
pub fn Sidebar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
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
                <Suspense fallback=|| ()>{admin}</Suspense>
            </ul>
        </nav>
    }
}
