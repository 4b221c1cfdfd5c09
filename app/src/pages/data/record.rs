//! One record: every field, links along its relations, and editing and
//! deleting as the role allows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::data::CollectionView;
use model::preference_cookie::encode_query_value;
use serde_json::{Value, json};

use super::editor::RecordForm;
use super::fns::{Row, collection, delete_record, get_record};
use super::table::{Cell, collection_params};
use super::values::parent_link;
use crate::components::form::{
    CARD, DANGER_BUTTON, ErrorLine, LINK, LoadFailed, SECONDARY_BUTTON, confirmed, failure,
    failure_detail,
};
use crate::i18n::use_i18n;
use crate::session::RequireSignIn;

#[component]
pub fn RecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let (source, name) = collection_params();
    let params = use_params_map();
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    // Bumped after an edit, so the record is read back as stored.
    let version = RwSignal::new(0u32);
    // Made here, outside the suspense boundary (see `table::CollectionPage`).
    let found = Resource::new(
        move || (source.get(), name.get()),
        |(s, n)| collection(s, n),
    );
    let record = Resource::new(
        move || (source.get(), name.get(), key.get(), version.get()),
        |(s, n, k, _)| get_record(s, n, k),
    );
    let back = move || format!("/data/{}/{}", source.get(), name.get());
    view! {
        <a href=back class=format!("{LINK} text-sm") data-testid="back-to-table">{move || i18n.t().back_to_table}</a>
        <RequireSignIn>
            <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || match (found.get(), record.get()) {
                    (Some(Err(error)), _) | (_, Some(Err(error))) => Some(view! { <LoadFailed error /> }.into_any()),
                    (Some(Ok(collection)), Some(Ok(row))) => Some(view! { <RecordView collection key=key.get() row version /> }.into_any()),
                    _ => None,
                }}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn RecordView(
    collection: CollectionView,
    key: String,
    row: Row,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let can = |action: &str| collection.actions.iter().any(|a| a == action);
    let (can_update, can_delete) = (can("update") && !collection.key.is_empty(), can("destroy"));
    let heading = format!("{} · {key}", collection.title);
    let items = collection
        .fields
        .iter()
        .map(|field| {
            let value = row.get(&field.name).cloned().unwrap_or(Value::Null);
            let link = parent_link(&collection, &field.name, &value);
            view! {
                <div class="grid gap-1 py-2 sm:grid-cols-3" data-field=field.name.clone()>
                    <dt class="text-sm font-medium text-slate-600 dark:text-slate-400">{field.title.clone()}</dt>
                    <dd class="text-sm sm:col-span-2"><Cell value link /></dd>
                </div>
            }
        })
        .collect_view();
    let related = children_links(&collection, &row);
    let stored = StoredValue::new((collection.clone(), key.clone(), row));
    let form = move || {
        editing.get().then(|| {
            let (collection, key, row) = stored.get_value();
            let saved = Callback::new(move |_: Row| {
                editing.set(false);
                version.update(|v| *v += 1);
            });
            view! { <RecordForm collection record=Some((key, row)) on_saved=saved on_cancel=Callback::new(move |()| editing.set(false)) /> }
        })
    };
    view! {
        <Title text=heading.clone() />
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{heading}</h1>
        <div class="mt-4 flex flex-wrap gap-3">
            {can_update.then(|| view! {
                <button type="button" class=SECONDARY_BUTTON on:click=move |_| editing.update(|e| *e = !*e) data-testid="edit-record">{move || i18n.t().data_edit}</button>
            })}
            {can_delete.then(|| view! { <DeleteRecord collection=collection.clone() key=key.clone() /> })}
        </div>
        {form}
        <dl class=format!("{CARD} mt-4 divide-y divide-slate-200 dark:divide-slate-800") data-testid="record-detail">{items}</dl>
        {(!related.is_empty()).then(|| view! {
            <section class=format!("{CARD} mt-4")>
                <h2 class="font-semibold">{move || i18n.t().data_related}</h2>
                <ul class="mt-2 list-disc pl-5 text-sm">{related}</ul>
            </section>
        })}
    }
    .into_any()
}

/// One-to-many relations as links to the target table, filtered to the
/// rows that refer to this record (the builder's own filter shape).
fn children_links(collection: &CollectionView, row: &Row) -> Vec<AnyView> {
    collection
        .relations
        .iter()
        .filter(|r| r.kind == "oneToMany")
        .filter_map(|r| {
            let value = row.get(&r.target_key).filter(|v| !v.is_null())?;
            let filter = json!({ "$and": [{ r.foreign_key.clone(): { "$eq": value } }] }).to_string();
            let href = format!("/data/{}/{}?filter={}", collection.data_source, r.target, encode_query_value(&filter));
            Some(view! { <li><a class=LINK href=href>{format!("{} ({})", r.target, r.foreign_key)}</a></li> }.into_any())
        })
        .collect()
}

#[component]
fn DeleteRecord(collection: CollectionView, key: String) -> impl IntoView {
    let i18n = use_i18n();
    let (source, name) = (collection.data_source, collection.name);
    let table = format!("/data/{source}/{name}");
    let delete =
        Action::new(move |_: &()| delete_record(source.clone(), name.clone(), key.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            navigate(&table, Default::default());
        }
    });
    let click = move |_| {
        if confirmed(i18n.t().data_delete_confirm) {
            delete.dispatch(());
        }
    };
    view! {
        <button type="button" class=DANGER_BUTTON on:click=click disabled=move || delete.pending().get() data-testid="delete-record">{move || i18n.t().data_delete}</button>
        <ErrorLine code=failure(delete) detail=failure_detail(delete) />
    }
}
