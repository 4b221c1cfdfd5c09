//! The collection designer: the main data source's collections, a form
//! that creates one, and each collection's fields.

mod design;
mod fields;
pub mod fns;

pub use design::CollectionDesignPage;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::data::{CollectionView, NewCollection};
use model::identity::SystemPermission;

use crate::components::form::{
    CARD, ErrorLine, HINT, INPUT, LABEL, LINK, LoadFailed, PRIMARY_BUTTON, SECONDARY_BUTTON, TABLE,
    TD, TH, failure, failure_detail,
};
use crate::components::page_title::PageTitle;
use crate::i18n::{Text, use_i18n};
use crate::session::RequirePermission;
use fields::{Row, RowEditor};
use fns::{create_collection, list_main};

#[component]
pub fn CollectionsPage() -> impl IntoView {
    let i18n = use_i18n();
    // Made outside the suspense boundary, so hydration reuses the server's data.
    let collections = Resource::new(|| (), |_| list_main());
    view! {
        <PageTitle text=|t| t.coll_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().coll_title}</h1>
        <p class="mt-2 max-w-3xl text-slate-600 dark:text-slate-400">{move || i18n.t().coll_intro}</p>
        <RequirePermission permission=SystemPermission::DataSources>
            <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || collections.get().map(|result| match result {
                    Ok(list) => view! { <CollectionTable list=list.clone() /> <NewCollectionForm list /> }.into_any(),
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                })}
            </Transition>
        </RequirePermission>
    }
}

#[component]
fn CollectionTable(list: Vec<CollectionView>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! {
            <section class=format!("{CARD} mt-6 border-orange-300 dark:border-orange-800") data-testid="collections-empty">
                <p>{move || i18n.t().coll_empty}</p>
            </section>
        }
        .into_any();
    }
    let rows = list
        .into_iter()
        .map(|c| {
            let data = format!("/data/main/{}", c.name);
            let design = format!("/admin/collections/{}", c.name);
            view! {
                <tr data-name=c.name.clone()>
                    <td class=TD><a class=LINK href=design>{c.title}</a></td>
                    <td class=format!("{TD} font-mono text-xs")>{c.name.clone()}</td>
                    <td class=TD>{c.fields.len()}</td>
                    <td class=TD><a class=LINK href=data data-testid="collection-data">{move || i18n.t().coll_open_data}</a></td>
                </tr>
            }
        })
        .collect_view();
    let headers: [Text; 4] = [
        |t| t.coll_field_title,
        |t| t.coll_field_name,
        |t| t.ds_col_fields,
        |t| t.coll_records,
    ];
    view! {
        <table class=TABLE data-testid="collections-table">
            <thead><tr>{headers.map(|h| view! { <th class=TH>{move || h(i18n.t())}</th> })}</tr></thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn NewCollectionForm(list: Vec<CollectionView>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let next = StoredValue::new(1usize);
    let rows = RwSignal::new(vec![Row::new(0)]);
    let targets: Vec<String> = list.into_iter().map(|c| c.name).collect();
    let create = Action::new(|input: &NewCollection| create_collection(input.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            navigate(
                &format!("/admin/collections/{}", created.name),
                Default::default(),
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = title.get_untracked().trim().to_owned();
        create.dispatch(NewCollection {
            name: name.get_untracked().trim().to_owned(),
            title: (!title.is_empty()).then_some(title),
            fields: rows.get_untracked().iter().map(Row::spec).collect(),
        });
    };
    let add_row = move |_| {
        let id = next.get_value();
        next.set_value(id + 1);
        rows.update(|r| r.push(Row::new(id)));
    };
    view! {
        <form class=format!("{CARD} mt-6") on:submit=submit data-testid="new-collection-form">
            <h2 class="text-xl font-semibold">{move || i18n.t().coll_new}</h2>
            <div class="mt-4 grid gap-4 sm:grid-cols-2">
                <label class=LABEL>{move || i18n.t().coll_field_name}
                    <input class=INPUT bind:value=name required=true autocomplete="off" data-testid="collection-name" />
                    <span class=HINT>{move || i18n.t().coll_name_hint}</span>
                </label>
                <label class=LABEL>{move || i18n.t().coll_field_title}
                    <input class=INPUT bind:value=title autocomplete="off" data-testid="collection-title" />
                </label>
            </div>
            <h3 class="mt-4 font-medium">{move || i18n.t().ds_col_fields}</h3>
            <div class="mt-2 grid gap-3">
                <For each=move || rows.get() key=|row| row.id let(row)>
                    <RowEditor row targets=targets.clone() with_required=true
                        on_remove=Callback::new(move |_| rows.update(|r| r.retain(|x| x.id != row.id))) />
                </For>
            </div>
            <button type="button" class=format!("{SECONDARY_BUTTON} mt-3") on:click=add_row data-testid="add-field-row">
                {move || i18n.t().coll_add_row}
            </button>
            <ErrorLine code=failure(create) detail=failure_detail(create) />
            <div>
                <button type="submit" class=PRIMARY_BUTTON disabled=move || create.pending().get() data-testid="create-collection">
                    {move || i18n.t().coll_create}
                </button>
            </div>
        </form>
    }
    .into_any()
}
