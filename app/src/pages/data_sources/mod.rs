//! Data sources: the list with each connection's state, the form that adds
//! or changes one, and its tables.

mod diff;
pub mod fns;
mod form;
mod page;
mod tables;

pub use page::{DataSourcePage, NewDataSourcePage};

use leptos::prelude::*;
use model::data::{DataSourceView, Engine, SourceStatus};
use model::identity::SystemPermission;

use crate::components::form::{BADGE, CARD, LINK, LoadFailed, PRIMARY_BUTTON, TABLE, TD, TH};
use crate::components::page_title::PageTitle;
use crate::i18n::{Strings, Text, use_i18n};
use crate::session::RequirePermission;
use fns::list_sources;

/// The key of the embedded data source (`service::data::MAIN`).
pub const MAIN: &str = "main";

#[component]
pub fn DataSourcesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.ds_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().ds_title}</h1>
        <p class="mt-2 max-w-3xl text-slate-600 dark:text-slate-400">{move || i18n.t().ds_intro}</p>
        <RequirePermission permission=SystemPermission::DataSources>
            <SourceList />
        </RequirePermission>
    }
}

#[component]
fn SourceList() -> impl IntoView {
    let i18n = use_i18n();
    let sources = Resource::new(|| (), |_| list_sources());
    view! {
        <a href="/admin/data-sources/new" class=PRIMARY_BUTTON data-testid="add-data-source">{move || i18n.t().ds_add}</a>
        <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || sources.get().map(|result| match result {
                Ok(sources) => {
                    // The embedded source is always listed; "empty" means no external one yet.
                    let only_main = sources.iter().all(|s| s.key == MAIN);
                    view! {
                        {only_main.then(|| view! {
                            <section class=format!("{CARD} mt-6 border-orange-300 dark:border-orange-800") data-testid="data-sources-empty">
                                <p>{i18n.t().ds_empty}</p>
                            </section>
                        })}
                        <SourceTable sources />
                    }.into_any()
                }
                Err(error) => view! { <LoadFailed error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn SourceTable(sources: Vec<DataSourceView>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = sources
        .into_iter()
        .map(|source| {
            let href = format!("/admin/data-sources/{}", source.key);
            let (engine, enabled) = (source.engine, source.enabled);
            view! {
                <tr data-key=source.key.clone()>
                    <td class=TD><a class=LINK href=href>{source.display_name}</a></td>
                    <td class=format!("{TD} font-mono text-xs")>{source.key.clone()}</td>
                    <td class=TD>
                        {move || engine_label(i18n.t(), &engine)}
                        {source.experimental.then(|| view! { <span class=format!("{BADGE} ml-2")>{move || i18n.t().ds_experimental}</span> })}
                    </td>
                    <td class=TD><StatusBadge status=source.status message=source.status_message /></td>
                    <td class=TD>{source.collections}</td>
                    <td class=TD>{move || if enabled { i18n.t().status_enabled } else { i18n.t().status_disabled }}</td>
                </tr>
            }
        })
        .collect_view();
    let headers: [Text; 6] = [
        |t| t.col_name,
        |t| t.ds_field_key,
        |t| t.ds_field_engine,
        |t| t.col_status,
        |t| t.ds_col_collections,
        |t| t.ds_field_enabled,
    ];
    view! {
        <table class=TABLE data-testid="data-sources-table">
            <thead><tr>{headers.map(|h| view! { <th class=TH>{move || h(i18n.t())}</th> })}</tr></thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
        </table>
    }
}

/// The engine's product name; `main` is the embedded store, whatever it runs on.
pub fn engine_label(t: &'static Strings, engine: &str) -> &'static str {
    Engine::parse(engine).map_or(t.ds_engine_main, Engine::label)
}

/// Loading, loaded, failed (with the reason) or disabled.
#[component]
pub fn StatusBadge(status: SourceStatus, message: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (label, colour): (Text, &str) = match status {
        SourceStatus::Loading => (
            |t| t.ds_status_loading,
            "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
        ),
        SourceStatus::Loaded => (
            |t| t.ds_status_loaded,
            "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200",
        ),
        SourceStatus::Failed => (
            |t| t.ds_status_failed,
            "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
        ),
        SourceStatus::Disabled => (
            |t| t.ds_status_disabled,
            "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
        ),
    };
    view! {
        <span class=format!("inline-block rounded-full px-2 py-0.5 text-xs font-medium {colour}") data-testid="source-status" data-status=status.as_str()>
            {move || label(i18n.t())}
        </span>
        {message.map(|m| view! { <span class="mt-1 block break-words text-xs text-red-800 dark:text-red-300" data-testid="source-status-message">{m}</span> })}
    }
}
