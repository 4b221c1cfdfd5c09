//! Refreshing after the database changed: the service compares first and
//! changes nothing; the admin reads the report and applies it on purpose,
//! because a dropped table unloads its collection.

use leptos::prelude::*;
use model::data::{SchemaDiff, TableChange};

use super::fns::{apply_refresh, refresh_source};
use crate::components::form::{
    CARD, ErrorLine, PRIMARY_BUTTON, SECONDARY_BUTTON, SavedLine, confirmed, failure,
    failure_detail, succeeded,
};
use crate::i18n::{Text, use_i18n};

#[component]
pub fn RefreshPanel(key: String, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let key = StoredValue::new(key);
    let refresh = Action::new(move |_: &()| refresh_source(key.get_value()));
    let apply = Action::new(move |_: &()| apply_refresh(key.get_value()));
    // The latest comparison stays on screen until it is applied.
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        if refresh.value().get().is_some() {
            shown.set(true);
        }
    });
    Effect::new(move |_| {
        if apply.value().get().is_some_and(|r| r.is_ok()) {
            shown.set(false);
            version.update(|v| *v += 1);
        }
    });
    let report = move || {
        shown
            .get()
            .then(|| refresh.value().get().and_then(Result::ok))
            .flatten()
    };
    let confirm_apply = move |_| {
        if confirmed(i18n.t().ds_apply_confirm) {
            apply.dispatch(());
        }
    };
    view! {
        <section class=format!("{CARD} mt-6") aria-labelledby="refresh-title" data-testid="refresh-section">
            <h2 id="refresh-title" class="text-xl font-semibold">{move || i18n.t().ds_refresh_title}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().ds_refresh_intro}</p>
            <button
                type="button"
                class=format!("{SECONDARY_BUTTON} mt-4")
                on:click=move |_| { refresh.dispatch(()); }
                disabled=move || refresh.pending().get()
                aria-busy=move || refresh.pending().get().to_string()
                data-testid="refresh-source"
            >
                {move || if refresh.pending().get() { i18n.t().ds_refreshing } else { i18n.t().ds_refresh }}
            </button>
            <ErrorLine code=failure(refresh) detail=failure_detail(refresh) />
            {move || report().map(|diff| {
                let empty = diff.is_empty();
                view! {
                    <DiffReport diff />
                    {(!empty).then(|| view! {
                        <button
                            type="button"
                            class=PRIMARY_BUTTON
                            on:click=confirm_apply
                            disabled=move || apply.pending().get()
                            aria-busy=move || apply.pending().get().to_string()
                            data-testid="apply-refresh"
                        >
                            {move || if apply.pending().get() { i18n.t().ds_applying } else { i18n.t().ds_apply }}
                        </button>
                    })}
                }
            })}
            <ErrorLine code=failure(apply) detail=failure_detail(apply) />
            <SavedLine shown=succeeded(apply) text=Signal::derive(move || i18n.t().ds_applied) />
        </section>
    }
    .into_any()
}

/// Tables added and removed; per changed table, its columns and keys.
#[component]
fn DiffReport(diff: SchemaDiff) -> impl IntoView {
    let i18n = use_i18n();
    if diff.is_empty() {
        return view! { <p role="status" class="mt-4 text-sm" data-testid="diff-empty">{move || i18n.t().ds_no_changes}</p> }.into_any();
    }
    let names = |names: Vec<String>, label: Text, testid: &'static str| {
        (!names.is_empty()).then(|| view! {
            <div data-testid=testid>
                <h3 class="font-medium">{move || label(i18n.t())}</h3>
                <ul class="ml-5 list-disc font-mono text-xs">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </div>
        })
    };
    view! {
        <div class="mt-4 space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950" data-testid="diff-report">
            {names(diff.tables_added, |t| t.ds_diff_tables_added, "diff-tables-added")}
            {names(diff.tables_removed, |t| t.ds_diff_tables_removed, "diff-tables-removed")}
            {diff.tables_changed.into_iter().map(|change| view! { <TableChangeView change /> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn TableChangeView(change: TableChange) -> impl IntoView {
    let i18n = use_i18n();
    let list = |items: Vec<String>, label: Text| {
        (!items.is_empty()).then(|| view! {
            <li>{move || label(i18n.t())}" "<span class="font-mono text-xs">{items.join(", ")}</span></li>
        })
    };
    let changed = (!change.columns_changed.is_empty()).then(|| {
        let items = change
            .columns_changed
            .into_iter()
            .map(|c| view! {
                <li class="font-mono text-xs" data-column=c.column.clone()>{c.column.clone()}": "<del>{c.before}</del>" → "<ins class="no-underline">{c.after}</ins></li>
            })
            .collect_view();
        view! { <li>{move || i18n.t().ds_diff_columns_changed}<ul class="ml-5 list-[circle]">{items}</ul></li> }
    });
    view! {
        <div data-testid="diff-table" data-table=change.table.clone()>
            <h3 class="font-medium">{move || i18n.t().ds_diff_table_changed}" "<span class="font-mono">{change.table.clone()}</span></h3>
            <ul class="ml-5 list-disc">
                {list(change.columns_added, |t| t.ds_diff_columns_added)}
                {list(change.columns_removed, |t| t.ds_diff_columns_removed)}
                {changed}
                {list(change.keys_changed, |t| t.ds_diff_keys_changed)}
            </ul>
        </div>
    }
    .into_any()
}
