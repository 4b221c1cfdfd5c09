//! One collection's records as a table: chosen columns, sorting, the filter
//! builder, paging. The query lives in the address too (`?filter=&sort=&page=
//! &pageSize=`), so a filtered view can be bookmarked or shared.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use model::data::{CollectionView, FieldView};
use model::preference_cookie::encode_query_value;
use serde_json::Value;

use super::editor::RecordForm;
use super::filter::FilterBuilder;
use super::fns::{RecordQuery, Row, collection, list_records};
use super::values::{cell_text, key_text, parent_link, record_href};
use crate::components::form::{LINK, LoadFailed, PRIMARY_INLINE, TABLE, TD, TH};
use crate::components::paging::Paging;
use crate::i18n::use_i18n;
use crate::session::RequireSignIn;

const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

/// The `source` and `collection` route parameters.
pub fn collection_params() -> (Memo<String>, Memo<String>) {
    let params = use_params_map();
    (
        Memo::new(move |_| params.read().get("source").unwrap_or_default()),
        Memo::new(move |_| params.read().get("collection").unwrap_or_default()),
    )
}

/// The table's query, read from the address once and mirrored back.
#[derive(Clone, Copy)]
struct TableQuery {
    page: RwSignal<u32>,
    page_size: RwSignal<u32>,
    sort: RwSignal<String>,
    filter: RwSignal<String>,
}

impl TableQuery {
    fn from_address() -> TableQuery {
        let address = use_query_map().get_untracked();
        let number = |key: &str, default: u32| {
            address
                .get(key)
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        TableQuery {
            page: RwSignal::new(number("page", 1)),
            page_size: RwSignal::new(number("pageSize", 20)),
            sort: RwSignal::new(address.get("sort").unwrap_or_default()),
            filter: RwSignal::new(address.get("filter").unwrap_or_default()),
        }
    }

    fn get(&self) -> RecordQuery {
        RecordQuery {
            filter: self.filter.get(),
            sort: self.sort.get(),
            page: self.page.get(),
            page_size: self.page_size.get(),
        }
    }
}

type RowsResource = Resource<Result<model::identity::Page<Row>, ServerFnError>>;

#[component]
pub fn CollectionPage() -> impl IntoView {
    let i18n = use_i18n();
    let (source, name) = collection_params();
    // Both resources are made here, outside the suspense boundaries: made
    // inside one, the browser fetches again instead of hydrating with the
    // server's data, and the page it hydrates no longer matches.
    let found = Resource::new(
        move || (source.get(), name.get()),
        |(s, n)| collection(s, n),
    );
    let query = TableQuery::from_address();
    let records = Resource::new(
        move || (source.get(), name.get(), query.get()),
        |(s, n, q)| list_records(s, n, q),
    );
    mirror_in_address(query);
    view! {
        <a href="/data" class=format!("{LINK} text-sm")>{move || i18n.t().back_to_data}</a>
        <RequireSignIn>
            <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || found.get().map(|result| match result {
                    Ok(collection) => view! {
                        <Title text=collection.title.clone() />
                        <h1 class="mt-2 text-3xl font-bold tracking-tight">{collection.title.clone()}</h1>
                        <p class="mt-1 font-mono text-xs text-slate-500">{format!("{} · {}", collection.data_source, collection.table)}</p>
                        <DataTable collection query records />
                    }.into_any(),
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn DataTable(
    collection: CollectionView,
    query: TableQuery,
    records: RowsResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let TableQuery {
        page,
        page_size,
        sort,
        filter,
    } = query;
    let hidden = RwSignal::new(BTreeSet::<String>::new());
    let creating = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let collection = StoredValue::new(collection);
    let can = move |action: &str| collection.with_value(|c| c.actions.iter().any(|a| a == action));
    // A new record opens on its own page; without a one-field key it has
    // none, and the table is read again instead.
    let navigate = use_navigate();
    let created = Callback::new(move |row: Row| {
        creating.set(false);
        match collection
            .with_value(|c| key_text(c, &row).map(|k| record_href(&c.data_source, &c.name, &k)))
        {
            Some(href) => navigate(&href, Default::default()),
            None => records.refetch(),
        }
    });
    view! {
        <div class="mt-4 flex flex-wrap items-center gap-3">
            <ColumnChooser fields=collection.with_value(|c| c.fields.clone()) hidden />
            <label class="flex items-center gap-2 text-sm">{move || i18n.t().data_page_size}
                <select class="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950" on:change=move |ev| {
                    page_size.set(event_target_value(&ev).parse().unwrap_or(20));
                    page.set(1);
                } data-testid="page-size">
                    {PAGE_SIZES.map(|n| view! { <option value=n.to_string() selected=move || page_size.get() == n>{n}</option> })}
                </select>
            </label>
            {move || can("create").then(|| view! {
                <button type="button" class=PRIMARY_INLINE on:click=move |_| creating.update(|c| *c = !*c) data-testid="new-record">
                    {move || i18n.t().data_new_record}
                </button>
            })}
            <span class="text-sm text-slate-500" aria-live="polite">{move || busy.get().then(|| i18n.t().loading)}</span>
        </div>
        {move || creating.get().then(|| view! { <RecordForm collection=collection.get_value() record=None on_saved=created on_cancel=Callback::new(move |()| creating.set(false)) /> })}
        <FilterBuilder fields=collection.with_value(|c| c.fields.clone()) filter page />
        <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> } set_pending=busy.write_only()>
            {move || records.get().map(|result| match result {
                Ok(found) if found.items.is_empty() => view! {
                    <p class="mt-6 text-slate-600 dark:text-slate-400" data-testid="records-empty">
                        {if filter.get_untracked().is_empty() { i18n.t().data_records_empty } else { i18n.t().data_records_none_match }}
                    </p>
                }.into_any(),
                Ok(found) => {
                    let (count, pages) = (found.count, found.total_pages());
                    view! {
                        <Records collection=collection.get_value() rows=found.items hidden sort page />
                        <Paging page count pages />
                    }.into_any()
                }
                Err(error) => view! { <LoadFailed error /> }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}

/// Keeps the address in step with the table's query, replacing the history
/// entry (paging through a table should not fill the back button).
fn mirror_in_address(query: TableQuery) {
    let navigate = use_navigate();
    let path = leptos_router::hooks::use_location().pathname;
    Effect::new(move |first_run: Option<()>| {
        let q = query.get();
        if first_run.is_none() {
            return;
        }
        let mut pairs = vec![
            format!("page={}", q.page),
            format!("pageSize={}", q.page_size),
        ];
        if !q.sort.is_empty() {
            pairs.push(format!("sort={}", encode_query_value(&q.sort)));
        }
        if !q.filter.is_empty() {
            pairs.push(format!("filter={}", encode_query_value(&q.filter)));
        }
        let href = format!("{}?{}", path.get_untracked(), pairs.join("&"));
        navigate(
            &href,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
}

/// Which of the collection's fields are shown as columns.
#[component]
fn ColumnChooser(fields: Vec<FieldView>, hidden: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let boxes = fields
        .into_iter()
        .map(|f| {
            let name = f.name.clone();
            let shown = {
                let name = name.clone();
                move || !hidden.read().contains(&name)
            };
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                hidden.update(|h| {
                    if on { h.remove(&name); } else { h.insert(name.clone()); }
                });
            };
            view! {
                <label class="flex items-center gap-2 py-0.5">
                    <input type="checkbox" prop:checked=shown on:change=toggle data-column=f.name.clone() />
                    {f.title}
                </label>
            }
        })
        .collect_view();
    view! {
        <details class="relative text-sm" data-testid="column-chooser">
            <summary class="cursor-pointer rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700">{move || i18n.t().data_columns}</summary>
            <div class="absolute z-10 mt-1 max-h-80 w-64 overflow-auto rounded-md border border-slate-200 bg-white p-3 shadow dark:border-slate-800 dark:bg-slate-900">{boxes}</div>
        </details>
    }
}

#[component]
fn Records(
    collection: CollectionView,
    rows: Vec<Row>,
    hidden: RwSignal<BTreeSet<String>>,
    sort: RwSignal<String>,
    page: RwSignal<u32>,
) -> impl IntoView {
    let collection = StoredValue::new(collection);
    let columns = move || {
        collection.with_value(|c| {
            c.fields
                .iter()
                .filter(|f| !hidden.read().contains(&f.name))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let navigate = use_navigate();
    let body = move || {
        let columns = columns();
        rows.iter()
            .map(|row| {
                let key = collection.with_value(|c| key_text(c, row));
                let href = key.as_ref().map(|k| collection.with_value(|c| record_href(&c.data_source, &c.name, k)));
                let cells = columns
                    .iter()
                    .enumerate()
                    .map(|(i, field)| {
                        let value = row.get(&field.name).cloned().unwrap_or(Value::Null);
                        // The first cell links to the record, for keyboards and no-JS.
                        let link = match i {
                            0 => href.clone(),
                            _ => collection.with_value(|c| parent_link(c, &field.name, &value)),
                        };
                        view! { <td class=TD><Cell value link /></td> }
                    })
                    .collect_view();
                let navigate = navigate.clone();
                let open = href.clone();
                view! {
                    <tr class=if href.is_some() { "cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800" } else { "" } on:click=move |_| {
                        if let Some(href) = &open { navigate(href, Default::default()); }
                    } data-key=key>{cells}</tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="overflow-x-auto">
            <table class=TABLE data-testid="records-table">
                <thead><tr>{move || columns().into_iter().map(|f| view! { <SortHeader field=f sort page /> }).collect_view()}</tr></thead>
                <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A column header; a click sorts by it, a second click reverses. A new
/// order starts at its first page.
#[component]
fn SortHeader(field: FieldView, sort: RwSignal<String>, page: RwSignal<u32>) -> impl IntoView {
    let name = StoredValue::new(field.name.clone());
    let state = move || {
        let current = sort.get();
        name.with_value(|n| {
            if current == *n {
                "ascending"
            } else if current.strip_prefix('-') == Some(n.as_str()) {
                "descending"
            } else {
                "none"
            }
        })
    };
    let click = move |_| {
        let next = name.with_value(|n| {
            if sort.get_untracked() == *n {
                format!("-{n}")
            } else {
                n.clone()
            }
        });
        sort.set(next);
        page.set(1);
    };
    view! {
        <th class=TH aria-sort=state>
            <button type="button" class="inline-flex items-center gap-1 hover:underline" on:click=click data-sort=field.name.clone()>
                {field.title}
                <span aria-hidden="true">{move || match state() { "ascending" => "▲", "descending" => "▼", _ => "" }}</span>
            </button>
        </th>
    }
}

/// A value in a cell or a detail row: null as a dash, yes/no, and with
/// `link` (the record itself, or the one a foreign key points at) a link.
#[component]
pub fn Cell(value: Value, link: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    if let Value::Bool(yes) = value {
        return view! { <span>{move || if yes { i18n.t().yes } else { i18n.t().no }}</span> }
            .into_any();
    }
    let Some(text) = cell_text(&value) else {
        return view! { <span class="text-slate-400">"—"</span> }.into_any();
    };
    match link {
        Some(href) => {
            view! { <a class=LINK href=href on:click=|ev| ev.stop_propagation()>{text}</a> }
                .into_any()
        }
        None => view! { <span class="whitespace-pre-wrap break-words">{text}</span> }.into_any(),
    }
}
