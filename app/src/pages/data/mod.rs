//! Data: the collections the visitor's role may browse, their records as a
//! table, and one record at a time.

mod conditions;
mod editor;
mod filter;
pub mod fns;
mod record;
mod table;
mod values;

pub use record::RecordPage;
pub use table::CollectionPage;

use leptos::prelude::*;
use model::data::CollectionView;
use model::identity::SystemPermission;

use crate::components::form::{CARD, LINK, LoadFailed, PRIMARY_BUTTON};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::{RequireSignIn, use_session};
use fns::browsable;

#[component]
pub fn DataPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.data_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().data_title}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">{move || i18n.t().data_intro}</p>
        <RequireSignIn>
            <CollectionGroups />
        </RequireSignIn>
    }
}

#[component]
fn CollectionGroups() -> impl IntoView {
    let i18n = use_i18n();
    let collections = Resource::new(|| (), |_| browsable());
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || collections.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <NothingToBrowse /> }.into_any(),
                Ok(list) => group_by_source(list)
                    .into_iter()
                    .map(|(source, collections)| view! { <SourceGroup source collections /> })
                    .collect_view()
                    .into_any(),
                Err(error) => view! { <LoadFailed error /> }.into_any(),
            })}
        </Suspense>
    }
}

/// Groups in the order the service lists sources.
fn group_by_source(list: Vec<CollectionView>) -> Vec<(String, Vec<CollectionView>)> {
    let mut groups: Vec<(String, Vec<CollectionView>)> = Vec::new();
    for collection in list {
        match groups
            .iter_mut()
            .find(|(key, _)| *key == collection.data_source)
        {
            Some((_, members)) => members.push(collection),
            None => groups.push((collection.data_source.clone(), vec![collection])),
        }
    }
    groups
}

#[component]
fn SourceGroup(source: String, collections: Vec<CollectionView>) -> impl IntoView {
    let items = collections
        .into_iter()
        .map(|c| {
            let href = format!("/data/{}/{}", c.data_source, c.name);
            view! {
                <li class=CARD>
                    <a class=format!("{LINK} font-medium") href=href>{c.title}</a>
                    <p class="mt-1 font-mono text-xs text-slate-500">{c.table}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="mt-8" data-testid="data-source-group" data-source=source.clone()>
            <h2 class="text-xl font-semibold">{source.clone()}</h2>
            <ul class="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">{items}</ul>
        </section>
    }
}

/// Says who can change that: an administrator adds a data source.
#[component]
fn NothingToBrowse() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = move || {
        session
            .0
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.can(SystemPermission::DataSources))
    };
    view! {
        <section class=format!("{CARD} mt-6") data-testid="data-empty">
            <p>{move || if admin() { i18n.t().data_empty_admin } else { i18n.t().data_empty }}</p>
            {move || admin().then(|| view! { <a href="/admin/data-sources/new" class=PRIMARY_BUTTON>{i18n.t().ds_add}</a> })}
        </section>
    }
}
