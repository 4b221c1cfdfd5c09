//! Which tables of a data source are collections: reading the database's
//! tables, loading the chosen ones, refreshing after the database changed,
//! and unloading. None of this alters the database.

use std::collections::BTreeSet;

use leptos::prelude::*;
use model::data::{CollectionView, TableChoice};

use super::diff::RefreshPanel;
use super::fns::{load_tables, read_tables, unload_collection};
use crate::components::form::{
    BADGE, CARD, DANGER_BUTTON, ErrorLine, LINK, LoadFailed, PRIMARY_BUTTON, SECONDARY_BUTTON,
    SavedLine, TABLE, TD, TH, confirmed, failure, failure_detail, succeeded,
};
use crate::i18n::use_i18n;

#[component]
pub fn TablesSection(
    key: String,
    version: RwSignal<u32>,
    collections: Collections,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = StoredValue::new(key);
    let read = Action::new(move |_: &()| read_tables(key.get_value()));
    view! {
        <section class=format!("{CARD} mt-6") aria-labelledby="tables-title" data-testid="tables-section">
            <h2 id="tables-title" class="text-xl font-semibold">{move || i18n.t().ds_tables_title}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().ds_tables_intro}</p>
            <button type="button" class=format!("{SECONDARY_BUTTON} mt-4") on:click=move |_| { read.dispatch(()); } disabled=move || read.pending().get() aria-busy=move || read.pending().get().to_string() data-testid="read-tables">
                {move || if read.pending().get() { i18n.t().ds_reading_tables } else { i18n.t().ds_read_tables }}
            </button>
            <ErrorLine code=failure(read) detail=failure_detail(read) />
            {move || read.value().get().and_then(Result::ok).map(|tables| view! {
                <TableChooser key=key.get_value() tables version />
            })}
        </section>
        <RefreshPanel key=key.get_value() version />
        <CollectionList collections version />
    }
    .into_any()
}

/// The database's tables with checkboxes; loaded ones are marked.
#[component]
fn TableChooser(key: String, tables: Vec<TableChoice>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let loaded = RwSignal::new(
        tables
            .iter()
            .filter(|t| t.loaded)
            .map(|t| t.table.clone())
            .collect::<BTreeSet<_>>(),
    );
    let all: Vec<String> = tables.iter().map(|t| t.table.clone()).collect();
    // Answers with the tables it loaded: they are marked here rather than
    // read again, so the confirmation stays on screen.
    let load = Action::new(move |tables: &Vec<String>| {
        let (key, tables) = (key.clone(), tables.clone());
        async move { load_tables(key, tables.clone()).await.map(|_| tables) }
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = load.value().get() {
            loaded.update(|l| l.extend(done));
            chosen.set(BTreeSet::new());
            version.update(|v| *v += 1);
        }
    });
    if tables.is_empty() {
        return view! { <p class="mt-4 text-sm" data-testid="no-tables">{move || i18n.t().ds_no_tables}</p> }.into_any();
    }
    let rows = tables
        .into_iter()
        .map(|table| {
            let name = table.table.clone();
            let checked = {
                let name = name.clone();
                move || chosen.read().contains(&name)
            };
            let is_loaded = {
                let name = name.clone();
                move || loaded.read().contains(&name)
            };
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    if on { c.insert(name.clone()); } else { c.remove(&name); }
                });
            };
            view! {
                <tr>
                    <td class=TD>
                        <label class="flex items-center gap-2">
                            <input type="checkbox" prop:checked=checked on:change=toggle data-table=table.table.clone() />
                            <span class="font-mono text-xs">{table.table.clone()}</span>
                        </label>
                    </td>
                    <td class=TD>{table.name}</td>
                    <td class=TD>
                        {table.view.then(|| view! { <span class=format!("{BADGE} mr-1")>{move || i18n.t().ds_table_view}</span> })}
                        {move || is_loaded().then(|| view! { <span class=format!("{BADGE} bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200") data-testid="table-loaded">{move || i18n.t().ds_table_loaded}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let select_all = move |_| chosen.set(all.iter().cloned().collect());
    let load_selected = move |_| {
        load.dispatch(chosen.get_untracked().into_iter().collect());
    };
    view! {
        <div class="mt-4 flex flex-wrap gap-2">
            <button type="button" class=SECONDARY_BUTTON on:click=select_all>{move || i18n.t().select_all}</button>
            <button type="button" class=SECONDARY_BUTTON on:click=move |_| chosen.set(BTreeSet::new())>{move || i18n.t().select_none}</button>
        </div>
        <table class=TABLE data-testid="table-choices">
            <thead><tr>
                <th class=TH>{move || i18n.t().ds_col_table}</th>
                <th class=TH>{move || i18n.t().ds_col_collection}</th>
                <th class=TH>{move || i18n.t().col_status}</th>
            </tr></thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
        </table>
        <ErrorLine code=failure(load) detail=failure_detail(load) />
        <SavedLine shown=succeeded(load) text=Signal::derive(move || i18n.t().ds_tables_loaded) />
        <button
            type="button"
            class=PRIMARY_BUTTON
            on:click=load_selected
            disabled=move || chosen.read().is_empty() || load.pending().get()
            aria-busy=move || load.pending().get().to_string()
            data-testid="load-tables"
        >
            {move || if load.pending().get() { i18n.t().ds_loading_tables.to_owned() } else { i18n.t().ds_load_selected.replace("{count}", &chosen.read().len().to_string()) }}
        </button>
    }
    .into_any()
}

/// A data source's collections, read again whenever its version changes.
pub type Collections = Resource<Result<Vec<CollectionView>, ServerFnError>>;

/// The loaded collections, each linking to its records, with "Unload".
#[component]
pub fn CollectionList(collections: Collections, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=format!("{CARD} mt-6") aria-labelledby="collections-title" data-testid="collections-section">
            <h2 id="collections-title" class="text-xl font-semibold">{move || i18n.t().ds_collections_title}</h2>
            <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || collections.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-2 text-sm text-slate-600 dark:text-slate-400" data-testid="collections-empty">{i18n.t().ds_collections_empty}</p>
                    }.into_any(),
                    Ok(list) => view! { <CollectionRows list version /> }.into_any(),
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn CollectionRows(list: Vec<CollectionView>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let unload =
        Action::new(|(key, name): &(String, String)| unload_collection(key.clone(), name.clone()));
    Effect::new(move |_| {
        if unload.value().get().is_some_and(|r| r.is_ok()) {
            version.update(|v| *v += 1);
        }
    });
    let main = list.first().is_some_and(|c| c.data_source == super::MAIN);
    let rows = list
        .into_iter()
        .map(|c| {
            let href = format!("/data/{}/{}", c.data_source, c.name);
            let target = (c.data_source.clone(), c.name.clone());
            let click = move |_| {
                if confirmed(i18n.t().ds_unload_confirm) {
                    unload.dispatch(target.clone());
                }
            };
            view! {
                <tr data-collection=c.name.clone()>
                    <td class=TD><a class=LINK href=href>{c.title}</a></td>
                    <td class=format!("{TD} font-mono text-xs")>{c.table}</td>
                    <td class=TD>{c.fields.len()}</td>
                    <td class=TD>
                        {(!main).then(|| view! {
                            <button type="button" class=DANGER_BUTTON on:click=click disabled=move || unload.pending().get()>{move || i18n.t().ds_unload}</button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class=TABLE data-testid="collections-table">
            <thead><tr>
                <th class=TH>{move || i18n.t().field_title}</th>
                <th class=TH>{move || i18n.t().ds_col_table}</th>
                <th class=TH>{move || i18n.t().ds_col_fields}</th>
                <th class=TH><span class="sr-only">{move || i18n.t().ds_unload}</span></th>
            </tr></thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
        </table>
        <ErrorLine code=failure(unload) detail=failure_detail(unload) />
    }
    .into_any()
}
