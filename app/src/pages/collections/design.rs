//! One collection's design: its fields, adding and removing one, and
//! deleting the whole collection.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::data::{CollectionView, FieldSpec, FieldView};
use model::identity::SystemPermission;

use super::fields::{Row, RowEditor};
use super::fns::{add_field, delete_collection, get_main, list_main, remove_field};
use crate::components::form::{
    BADGE, CARD, DANGER_BUTTON, ErrorLine, HINT, LINK, LoadFailed, PRIMARY_BUTTON, TABLE, TD, TH,
    confirmed, failure, failure_detail,
};
use crate::components::page_title::PageTitle;
use crate::i18n::{Text, use_i18n};
use crate::session::RequirePermission;

/// Filled by Ferrobase in every designed collection; never removed.
const SYSTEM_FIELDS: [&str; 4] = ["id", "createdAt", "updatedAt", "createdById"];

#[component]
pub fn CollectionDesignPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let name = move || params.read().get("name").unwrap_or_default();
    // Bumped after every change, so the fields read again.
    let version = RwSignal::new(0u32);
    // Made outside the suspense boundary, so hydration reuses the server's data.
    let collection = Resource::new(move || (name(), version.get()), |(n, _)| get_main(n));
    let all = Resource::new(|| (), |_| list_main());
    view! {
        <PageTitle text=|t| t.coll_design_title />
        <a href="/admin/collections" class=format!("{LINK} text-sm")>{move || i18n.t().coll_back}</a>
        <RequirePermission permission=SystemPermission::DataSources>
            <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || match (collection.get(), all.get()) {
                    (Some(Ok(c)), Some(all)) => {
                        let targets = all.map(|l| l.into_iter().map(|c| c.name).collect()).unwrap_or_default();
                        Some(view! { <Design collection=c targets version /> }.into_any())
                    }
                    (Some(Err(error)), _) => Some(view! { <LoadFailed error /> }.into_any()),
                    _ => None,
                }}
            </Transition>
        </RequirePermission>
    }
}

#[component]
fn Design(
    collection: CollectionView,
    targets: Vec<String>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = collection.name.clone();
    let data = format!("/data/main/{name}");
    view! {
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{collection.title.clone()}</h1>
        <p class="mt-1 font-mono text-sm text-slate-600 dark:text-slate-400">{name.clone()}</p>
        <a class=format!("{LINK} mt-2 inline-block") href=data data-testid="collection-data">{move || i18n.t().coll_open_data}</a>
        <FieldTable collection version />
        <AddField name=name.clone() targets version />
        <DeleteCollection name />
    }
    .into_any()
}

#[component]
fn FieldTable(collection: CollectionView, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let name = collection.name.clone();
    let remove = Action::new(move |field: &String| remove_field(name.clone(), field.clone()));
    Effect::new(move |_| {
        if remove.value().get().is_some_and(|r| r.is_ok()) {
            version.update(|v| *v += 1);
        }
    });
    let rows = collection
        .fields
        .iter()
        .map(|f| field_row(f, &collection, remove))
        .collect_view();
    let headers: [Text; 5] = [
        |t| t.coll_field_name,
        |t| t.coll_field_title,
        |t| t.coll_field_type,
        |t| t.coll_required,
        |_| "",
    ];
    view! {
        <ErrorLine code=failure(remove) detail=failure_detail(remove) />
        <table class=TABLE data-testid="fields-table">
            <thead><tr>{headers.map(|h| view! { <th class=TH>{move || h(i18n.t())}</th> })}</tr></thead>
            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
        </table>
    }
    .into_any()
}

fn field_row(
    f: &FieldView,
    collection: &CollectionView,
    remove: Action<String, Result<CollectionView, ServerFnError>>,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let system = SYSTEM_FIELDS.contains(&f.name.as_str());
    let required = !f.nullable && !system;
    let target = collection
        .relations
        .iter()
        .find(|r| r.kind == "manyToOne" && r.foreign_key == f.name)
        .map(|r| format!(" → {}", r.target));
    let field = f.name.clone();
    let click = move |_| {
        if confirmed(i18n.t().coll_remove_field_confirm) {
            remove.dispatch(field.clone());
        }
    };
    view! {
        <tr data-field=f.name.clone()>
            <td class=format!("{TD} font-mono text-xs")>
                {f.name.clone()}
                {system.then(|| view! { <span class=format!("{BADGE} ml-2") data-testid="system-field">{move || i18n.t().coll_system}</span> })}
            </td>
            <td class=TD>{f.title.clone()}</td>
            <td class=format!("{TD} font-mono text-xs")>{f.interface.as_str()}{target}</td>
            <td class=TD>{move || if required { i18n.t().coll_yes } else { "" }}</td>
            <td class=TD>
                {(!system).then(|| view! {
                    <button type="button" class=DANGER_BUTTON on:click=click disabled=move || remove.pending().get() data-testid="remove-field">
                        {move || i18n.t().coll_remove_field}
                    </button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn AddField(name: String, targets: Vec<String>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let row = RwSignal::new(Row::new(0));
    let add = Action::new(move |spec: &FieldSpec| add_field(name.clone(), spec.clone()));
    Effect::new(move |_| {
        if add.value().get().is_some_and(|r| r.is_ok()) {
            version.update(|v| *v += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(row.get_untracked().spec());
    };
    view! {
        <form class=format!("{CARD} mt-6") on:submit=submit data-testid="add-field-form">
            <h2 class="text-xl font-semibold">{move || i18n.t().coll_add_field}</h2>
            <p class=HINT>{move || i18n.t().coll_add_field_note}</p>
            <div class="mt-3">
                <RowEditor row=row.get_untracked() targets with_required=false />
            </div>
            <ErrorLine code=failure(add) detail=failure_detail(add) />
            <button type="submit" class=PRIMARY_BUTTON disabled=move || add.pending().get() data-testid="add-field">
                {move || i18n.t().coll_add_field}
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn DeleteCollection(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let delete = Action::new(move |_: &()| delete_collection(name.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            navigate("/admin/collections", Default::default());
        }
    });
    let click = move |_| {
        if confirmed(i18n.t().coll_delete_confirm) {
            delete.dispatch(());
        }
    };
    view! {
        <section class=format!("{CARD} mt-6")>
            <h2 class="text-xl font-semibold">{move || i18n.t().coll_delete}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().coll_delete_hint}</p>
            <ErrorLine code=failure(delete) detail=failure_detail(delete) />
            <button type="button" class=format!("{DANGER_BUTTON} mt-4") on:click=click disabled=move || delete.pending().get() data-testid="delete-collection">
                {move || i18n.t().coll_delete}
            </button>
        </section>
    }
    .into_any()
}
