//! The field row editor, shared by "New collection" and "Add field": name,
//! title, type, flags, and the options or target the type needs.

use leptos::prelude::*;
use model::data::{FieldSpec, FieldType};

use crate::components::form::{INPUT, LABEL, SECONDARY_BUTTON};
use crate::i18n::{Text, use_i18n};

/// One field as typed, before it becomes a `FieldSpec`.
#[derive(Clone, Copy)]
pub struct Row {
    pub id: usize,
    pub name: RwSignal<String>,
    pub title: RwSignal<String>,
    pub kind: RwSignal<String>,
    pub required: RwSignal<bool>,
    pub unique: RwSignal<bool>,
    pub options: RwSignal<String>,
    pub target: RwSignal<String>,
}

impl Row {
    pub fn new(id: usize) -> Row {
        Row {
            id,
            name: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            kind: RwSignal::new(type_value(FieldType::Text).to_owned()),
            required: RwSignal::new(false),
            unique: RwSignal::new(false),
            options: RwSignal::new(String::new()),
            target: RwSignal::new(String::new()),
        }
    }

    fn field_type(&self) -> FieldType {
        let kind = self.kind.get();
        FieldType::ALL
            .into_iter()
            .find(|t| type_value(*t) == kind)
            .unwrap_or(FieldType::Text)
    }

    /// What the service receives; options and target only where they apply.
    pub fn spec(&self) -> FieldSpec {
        let field_type = self.field_type();
        let title = self.title.get_untracked().trim().to_owned();
        let target = self.target.get_untracked();
        FieldSpec {
            name: self.name.get_untracked().trim().to_owned(),
            title: (!title.is_empty()).then_some(title),
            field_type,
            required: self.required.get_untracked(),
            unique: self.unique.get_untracked(),
            options: if field_type == FieldType::Select {
                self.options
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect()
            } else {
                Vec::new()
            },
            target: (field_type == FieldType::Relation && !target.is_empty()).then_some(target),
        }
    }
}

/// The wire name of a field type (`FieldType`'s serde name).
pub fn type_value(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "text",
        FieldType::LongText => "longText",
        FieldType::Integer => "integer",
        FieldType::Decimal => "decimal",
        FieldType::Boolean => "boolean",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime",
        FieldType::Json => "json",
        FieldType::Select => "select",
        FieldType::Relation => "relation",
    }
}

fn type_label(t: FieldType) -> Text {
    match t {
        FieldType::Text => |t| t.type_text,
        FieldType::LongText => |t| t.type_long_text,
        FieldType::Integer => |t| t.type_integer,
        FieldType::Decimal => |t| t.type_decimal,
        FieldType::Boolean => |t| t.type_boolean,
        FieldType::Date => |t| t.type_date,
        FieldType::Datetime => |t| t.type_datetime,
        FieldType::Json => |t| t.type_json,
        FieldType::Select => |t| t.type_select,
        FieldType::Relation => |t| t.type_relation,
    }
}

/// One row's inputs. `targets` are the collections a relation may point at;
/// `with_required` is false when adding to an existing collection.
#[component]
pub fn RowEditor(
    row: Row,
    targets: Vec<String>,
    with_required: bool,
    #[prop(optional)] on_remove: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let types = FieldType::ALL.map(|t| {
        let label = type_label(t);
        view! { <option value=type_value(t)>{move || label(i18n.t())}</option> }
    });
    let targets = targets
        .into_iter()
        .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
        .collect_view();
    let is = move |t: FieldType| row.field_type() == t;
    view! {
        <fieldset class="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-3 dark:border-slate-800" data-testid="field-row">
            <label class=LABEL>{move || i18n.t().coll_field_name}
                <input class=INPUT bind:value=row.name required=true autocomplete="off" data-testid="field-name" />
            </label>
            <label class=LABEL>{move || i18n.t().coll_field_title}
                <input class=INPUT bind:value=row.title autocomplete="off" data-testid="field-title" />
            </label>
            <label class=LABEL>{move || i18n.t().coll_field_type}
                <select class=INPUT bind:value=row.kind data-testid="field-type">{types}</select>
            </label>
            <div class="flex flex-wrap items-center gap-4 text-sm sm:col-span-3">
                {with_required.then(|| view! {
                    <label class="flex items-center gap-2">
                        <input type="checkbox" bind:checked=row.required data-testid="field-required" />
                        {move || i18n.t().coll_required}
                    </label>
                })}
                <label class="flex items-center gap-2">
                    <input type="checkbox" bind:checked=row.unique data-testid="field-unique" />
                    {move || i18n.t().coll_unique}
                </label>
                {on_remove.map(|remove| view! {
                    <button type="button" class=SECONDARY_BUTTON on:click=move |_| remove.run(()) data-testid="field-row-remove">
                        {move || i18n.t().coll_remove_row}
                    </button>
                })}
            </div>
            <label class=format!("{LABEL} sm:col-span-3") class:hidden=move || !is(FieldType::Select)>{move || i18n.t().coll_options}
                <textarea class=INPUT rows="3" bind:value=row.options data-testid="field-options"></textarea>
            </label>
            <label class=format!("{LABEL} sm:col-span-3") class:hidden=move || !is(FieldType::Relation)>{move || i18n.t().coll_target}
                <select class=INPUT bind:value=row.target data-testid="field-target">
                    <option value="">"—"</option>
                    {targets}
                </select>
            </label>
        </fieldset>
    }
    .into_any()
}
