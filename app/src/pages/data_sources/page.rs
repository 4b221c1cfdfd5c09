//! A data source's pages: adding one, and one source with its live status,
//! settings, tables and collections. The database itself is never touched.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::data::{DataSourceView, SourceStatus};
use model::identity::SystemPermission;

use super::fns::{delete_source, get_source, list_collections};
use super::form::SourceForm;
use super::tables::{CollectionList, Collections, TablesSection};
use super::{MAIN, StatusBadge};
use crate::components::form::{
    CARD, DANGER_BUTTON, ErrorLine, LINK, LoadFailed, confirmed, failure, failure_detail,
};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::{Notice, RequirePermission};

#[component]
pub fn NewDataSourcePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.ds_new_title />
        <a href="/admin/data-sources" class=format!("{LINK} text-sm")>{move || i18n.t().back_to_data_sources}</a>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{move || i18n.t().ds_new_title}</h1>
        <RequirePermission permission=SystemPermission::DataSources>
            <SourceForm existing=None />
        </RequirePermission>
    }
}

#[component]
pub fn DataSourcePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || params.read().get("key").unwrap_or_default();
    // Bumped after every change, so the status and the lists read again.
    let version = RwSignal::new(0u32);
    // Both resources are made here, outside the suspense boundaries: made
    // inside one, the browser fetches again instead of hydrating with the
    // server's data, and the page it hydrates no longer matches.
    let source = Resource::new(key, get_source);
    let collections = Resource::new(
        move || (key(), version.get()),
        |(key, _)| list_collections(key),
    );
    view! {
        <PageTitle text=|t| t.ds_edit_title />
        <a href="/admin/data-sources" class=format!("{LINK} text-sm")>{move || i18n.t().back_to_data_sources}</a>
        <RequirePermission permission=SystemPermission::DataSources>
            <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || source.get().map(|result| match result {
                    Ok(source) if source.key == MAIN => view! { <MainSource source collections /> }.into_any(),
                    Ok(source) => view! { <ExternalSource source version collections /> }.into_any(),
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                })}
            </Suspense>
        </RequirePermission>
    }
}

/// The embedded store: configured by the server, so only its collections.
#[component]
fn MainSource(source: DataSourceView, collections: Collections) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{source.display_name}</h1>
        <div class="mt-4"><Notice text=Signal::derive(move || i18n.t().ds_main_note) /></div>
        <CollectionList collections version=RwSignal::new(0) />
    }
}

#[component]
fn ExternalSource(
    source: DataSourceView,
    version: RwSignal<u32>,
    collections: Collections,
) -> impl IntoView {
    let key = source.key.clone();
    view! {
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{source.display_name.clone()}</h1>
        <LiveStatus source=source.clone() version />
        <SourceForm existing=Some(source) version />
        <TablesSection key=key.clone() version collections />
        <DeleteSource key />
    }
}

/// The connection state as the page loaded it, asked again after a save
/// and while the server is still connecting. Only the browser asks again
/// (effects do not run on the server), so hydration starts from the same
/// value the server rendered.
#[component]
fn LiveStatus(source: DataSourceView, version: RwSignal<u32>) -> impl IntoView {
    let state = RwSignal::new((source.status, source.status_message));
    let key = source.key;
    let check = Action::new(move |_: &()| get_source(key.clone()));
    Effect::new(move |previous: Option<u32>| {
        let current = version.get();
        if previous.is_some() {
            check.dispatch(());
        }
        current
    });
    Effect::new(move |_| {
        if let Some(Ok(view)) = check.value().get() {
            state.set((view.status, view.status_message));
        }
    });
    Effect::new(move |_| {
        if state.get().0 == SourceStatus::Loading {
            set_timeout(
                move || {
                    check.dispatch(());
                },
                std::time::Duration::from_millis(1500),
            );
        }
    });
    view! {
        <p class="mt-2 text-sm" data-testid="source-live-status">
            {move || {
                let (status, message) = state.get();
                view! { <StatusBadge status message /> }
            }}
        </p>
    }
}

#[component]
fn DeleteSource(key: String) -> impl IntoView {
    let i18n = use_i18n();
    let delete = Action::new(move |_: &()| delete_source(key.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            navigate("/admin/data-sources", Default::default());
        }
    });
    let click = move |_| {
        if confirmed(i18n.t().ds_delete_confirm) {
            delete.dispatch(());
        }
    };
    view! {
        <section class=format!("{CARD} mt-6")>
            <h2 class="text-xl font-semibold">{move || i18n.t().ds_delete}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().ds_delete_hint}</p>
            <ErrorLine code=failure(delete) detail=failure_detail(delete) />
            <button type="button" class=format!("{DANGER_BUTTON} mt-4") on:click=click disabled=move || delete.pending().get() data-testid="delete-data-source">
                {move || i18n.t().ds_delete}
            </button>
        </section>
    }
}
