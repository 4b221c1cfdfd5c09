//! What a first-time visitor sees: what Ferrobase is and what to do first.

use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::{Strings, Text, use_i18n};
use crate::session::use_session;

const CARD: &str =
    "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";

/// (title, body, page once it is ready) of each area, in menu order.
type Area = (&'static str, &'static str, Option<&'static str>);

fn roadmap(t: &'static Strings) -> [Area; 6] {
    [
        (
            t.cap_data_title,
            t.cap_data_body,
            Some("/admin/data-sources"),
        ),
        (t.cap_api_title, t.cap_api_body, Some("/settings/api-keys")),
        (t.cap_sso_title, t.cap_sso_body, None),
        (t.cap_workflows_title, t.cap_workflows_body, None),
        (t.cap_dashboards_title, t.cap_dashboards_body, None),
        (
            t.cap_security_title,
            t.cap_security_body,
            Some("/admin/roles"),
        ),
    ]
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let cards = move || {
        let t = i18n.t();
        roadmap(t)
            .into_iter()
            .map(|(title, body, page)| {
                let badge = match page {
                    Some(href) => view! {
                        <a
                            href=href
                            class="shrink-0 rounded-full bg-orange-100 px-2 py-0.5 text-xs font-medium text-orange-800 hover:bg-orange-200 dark:bg-orange-950 dark:text-orange-200"
                        >
                            {t.area_open}
                        </a>
                    }
                    .into_any(),
                    None => view! {
                        <span class="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                            {t.coming_soon}
                        </span>
                    }
                    .into_any(),
                };
                view! {
                    <li class=CARD>
                        <div class="flex items-start justify-between gap-2">
                            <h3 class="font-semibold">{title}</h3>
                            {badge}
                        </div>
                        <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{body}</p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <PageTitle text=|t| t.nav_home />
        <section class="space-y-3">
            <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().home_title}</h1>
            <p class="max-w-3xl text-slate-600 dark:text-slate-400">{move || i18n.t().home_intro}</p>
        </section>
        <AccountCallout />
        <section class=format!("{CARD} mt-8") aria-labelledby="first-steps">
            <h2 id="first-steps" class="text-xl font-semibold">{move || i18n.t().home_first_steps}</h2>
            <ol class="mt-4 list-decimal space-y-3 pl-5 text-sm">
                <li>
                    <p>{move || i18n.t().home_step_status}</p>
                    <a
                        href="/status"
                        class="mt-2 inline-block rounded-md bg-orange-700 px-3 py-1.5 font-medium text-white hover:bg-orange-800 dark:bg-orange-600 dark:hover:bg-orange-500"
                    >
                        {move || i18n.t().home_step_status_action}
                    </a>
                </li>
                <li>{move || i18n.t().home_step_database}</li>
                <li>{move || i18n.t().home_step_readme}</li>
            </ol>
        </section>
        <section class="mt-10" aria-labelledby="roadmap">
            <h2 id="roadmap" class="text-xl font-semibold">{move || i18n.t().home_roadmap_title}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().home_roadmap_intro}</p>
            <ul class="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{cards}</ul>
        </section>
    }
}

/// First run: create the administrator. Later: sign in, if not yet.
#[component]
fn AccountCallout() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let button = "mt-3 inline-block rounded-md bg-orange-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-orange-800 dark:bg-orange-600 dark:hover:bg-orange-500";
    view! {
        <Suspense fallback=|| ()>
            {move || session.0.get().and_then(Result::ok).and_then(|info| {
                let (text, action, href): (Text, Text, &str) =
                    if info.setup_needed {
                        (|t| t.home_setup_needed, |t| t.setup_title, "/setup")
                    } else if info.user.is_none() {
                        (|t| t.home_sign_in, |t| t.sign_in, "/signin")
                    } else {
                        return None;
                    };
                Some(view! {
                    <section class=format!("{CARD} mt-8 border-orange-300 dark:border-orange-800") data-testid="account-callout">
                        <p>{move || text(i18n.t())}</p>
                        <a href=href class=button>{move || action(i18n.t())}</a>
                    </section>
                })
            })}
        </Suspense>
    }
}
