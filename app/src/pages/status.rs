//! Live health of the installation, for roles with the `system`
//! permission. The same check backs `/readyz`, so the page and the probe
//! cannot disagree.

use leptos::prelude::*;
use model::SystemStatus;
use model::identity::SystemPermission;

use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::RequirePermission;

#[server(prefix = "/_sfn", endpoint = "status")]
pub async fn get_status() -> Result<SystemStatus, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::health::status(&actor(), &services()?.store)
        .await
        .map_err(fail)
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.status_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().status_title}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">{move || i18n.t().status_intro}</p>
        <RequirePermission permission=SystemPermission::System>
            <LiveStatus />
        </RequirePermission>
    }
}

#[component]
fn LiveStatus() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| get_status());
    let refresh = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        status.refetch();
    };
    view! {
        <Transition fallback=move || view! { <p class="mt-6" aria-busy="true">{move || i18n.t().status_checking}</p> }>
            {move || {
                status
                    .get()
                    .map(|result| match result {
                        Ok(status) => view! { <StatusTable status /> }.into_any(),
                        Err(_) => {
                            view! {
                                <p role="alert" class="mt-6 rounded-md bg-red-50 p-3 text-red-800 dark:bg-red-950 dark:text-red-200">
                                    {move || i18n.t().status_failed}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
        <a
            href="/status"
            on:click=refresh
            data-testid="status-refresh"
            class="mt-6 inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
            {move || i18n.t().status_refresh}
        </a>
    }
}

#[component]
fn StatusTable(status: SystemStatus) -> impl IntoView {
    let i18n = use_i18n();
    let ready = status.is_ready();
    let reachable = status.database_reachable;
    let badge = move |ok: bool, yes: &'static str, no: &'static str| {
        let class = if ok {
            "rounded-full bg-green-100 px-2 py-0.5 text-sm text-green-800 dark:bg-green-950 dark:text-green-300"
        } else {
            "rounded-full bg-red-100 px-2 py-0.5 text-sm text-red-800 dark:bg-red-950 dark:text-red-300"
        };
        view! { <span class=class>{if ok { yes } else { no }}</span> }
    };
    let row = |label: AnyView, value: AnyView| {
        view! {
            <div class="flex justify-between gap-4 px-4 py-3">
                <dt class="text-slate-600 dark:text-slate-400">{label}</dt>
                <dd class="text-right font-medium">{value}</dd>
            </div>
        }
    };
    view! {
        <dl
            data-testid="status-table"
            class="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
            {row(
                (move || i18n.t().status_overall).into_any(),
                (move || badge(ready, i18n.t().status_ready, i18n.t().status_not_ready)).into_any(),
            )}
            {row((move || i18n.t().status_version).into_any(), status.version.into_any())}
            {row(
                (move || i18n.t().status_store).into_any(),
                status.database.display_name().into_any(),
            )}
            {row(
                (move || i18n.t().status_connection).into_any(),
                (move || badge(reachable, i18n.t().status_reachable, i18n.t().status_unreachable))
                    .into_any(),
            )}
            {row(
                (move || i18n.t().status_migrations).into_any(),
                format!("{} / {}", status.migrations_applied, status.migrations_expected).into_any(),
            )}
        </dl>
    }
}
