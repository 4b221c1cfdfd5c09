//! The filter builder: rows of field / operator / value joined by `$and`
//! or `$or`, written as the REST API's filter JSON (see `conditions`).

use leptos::prelude::*;
use model::data::{FieldInterface, FieldView};
use model::query::Operator;

use super::conditions::{Arity, Condition, Logic, arity, from_json, operators, to_json};
use crate::components::form::{DANGER_BUTTON, INPUT, PRIMARY_BUTTON, SECONDARY_BUTTON};
use crate::i18n::{Strings, use_i18n};

pub fn operator_label(t: &'static Strings, operator: Operator) -> &'static str {
    use Operator::*;
    match operator {
        Includes => t.op_includes,
        NotIncludes => t.op_not_includes,
        Eq => t.op_eq,
        Ne => t.op_ne,
        StartsWith => t.op_starts_with,
        EndWith => t.op_ends_with,
        Empty => t.op_empty,
        NotEmpty => t.op_not_empty,
        Gt => t.op_gt,
        Gte => t.op_gte,
        Lt => t.op_lt,
        Lte => t.op_lte,
        Between | DateBetween => t.op_between,
        IsTruly => t.op_is_true,
        IsFalsy => t.op_is_false,
        DateOn => t.op_date_on,
        DateNotOn => t.op_date_not_on,
        DateBefore => t.op_date_before,
        DateAfter => t.op_date_after,
        // Not offered by the builder; named for filters from elsewhere.
        _ => t.op_eq,
    }
}

/// One row's inputs; signals, so a row keeps what was typed while others change.
#[derive(Clone, Copy)]
struct RowState {
    id: usize,
    field: RwSignal<String>,
    operator: RwSignal<String>,
    value: RwSignal<String>,
    upper: RwSignal<String>,
}

impl RowState {
    fn new(id: usize, c: Condition) -> RowState {
        RowState {
            id,
            field: RwSignal::new(c.field),
            operator: RwSignal::new(c.operator),
            value: RwSignal::new(c.value),
            upper: RwSignal::new(c.upper),
        }
    }

    fn condition(&self) -> Condition {
        Condition {
            field: self.field.get_untracked(),
            operator: self.operator.get_untracked(),
            value: self.value.get_untracked(),
            upper: self.upper.get_untracked(),
        }
    }
}

/// Edits `filter` (the applied JSON text); applying returns to page 1.
#[component]
pub fn FilterBuilder(
    fields: Vec<FieldView>,
    filter: RwSignal<String>,
    page: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let fields = StoredValue::new(fields);
    let (logic, initial) = from_json(&filter.get_untracked()).unwrap_or((Logic::And, Vec::new()));
    let logic = RwSignal::new(logic);
    let next_id = StoredValue::new(initial.len());
    let rows = RwSignal::new(
        initial
            .into_iter()
            .enumerate()
            .map(|(i, c)| RowState::new(i, c))
            .collect::<Vec<_>>(),
    );
    let add = move |_| {
        let first = fields.with_value(|f| f.first().cloned());
        let Some(first) = first else { return };
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let operator = operators(first.interface)[0].as_str().to_owned();
        rows.update(|r| {
            r.push(RowState::new(
                id,
                Condition {
                    field: first.name,
                    operator,
                    ..Condition::default()
                },
            ))
        });
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let conditions: Vec<Condition> = rows
            .get_untracked()
            .iter()
            .map(RowState::condition)
            .collect();
        let text = fields.with_value(|f| to_json(logic.get_untracked(), &conditions, f));
        page.set(1);
        filter.set(text);
    };
    let clear = move |_| {
        rows.set(Vec::new());
        page.set(1);
        filter.set(String::new());
    };
    view! {
        <form class="mt-4 space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900" on:submit=apply data-testid="filter-builder">
            <div class="flex flex-wrap items-center gap-2">
                <span class="font-medium">{move || i18n.t().filter_title}</span>
                <select
                    class="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
                    aria-label=move || i18n.t().filter_logic
                    on:change=move |ev| logic.set(if event_target_value(&ev) == "$or" { Logic::Or } else { Logic::And })
                    data-testid="filter-logic"
                >
                    <option value="$and" selected=move || logic.get() == Logic::And>{move || i18n.t().filter_all}</option>
                    <option value="$or" selected=move || logic.get() == Logic::Or>{move || i18n.t().filter_any}</option>
                </select>
            </div>
            <For each=move || rows.get() key=|row| row.id let:row>
                <FilterRow row fields=fields.get_value() remove=move || rows.update(|r| r.retain(|x| x.id != row.id)) />
            </For>
            <div class="flex flex-wrap items-baseline gap-2">
                <button type="button" class=format!("{SECONDARY_BUTTON} mt-4") on:click=add data-testid="filter-add">{move || i18n.t().filter_add}</button>
                <button type="submit" class=PRIMARY_BUTTON data-testid="filter-apply">{move || i18n.t().filter_apply}</button>
                <button type="button" class=format!("{SECONDARY_BUTTON} mt-4") on:click=clear data-testid="filter-clear">{move || i18n.t().filter_clear}</button>
            </div>
            {move || (!filter.get().is_empty()).then(|| view! {
                <details class="text-xs text-slate-600 dark:text-slate-400">
                    <summary class="cursor-pointer">{move || i18n.t().filter_json}</summary>
                    <code class="mt-1 block break-all font-mono" data-testid="filter-json">{move || filter.get()}</code>
                </details>
            })}
        </form>
    }
    .into_any()
}

#[component]
fn FilterRow(
    row: RowState,
    fields: Vec<FieldView>,
    remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let fields = StoredValue::new(fields);
    let field =
        move || fields.with_value(|f| f.iter().find(|x| x.name == row.field.get()).cloned());
    let interface = move || field().map_or(FieldInterface::Text, |f| f.interface);
    let operator = move || Operator::parse(&row.operator.get());
    let arity_now = move || operator().map_or(Arity::One, arity);
    let field_options = fields.with_value(|f| {
        f.iter()
            .map(|x| {
                let name = x.name.clone();
                view! { <option value=x.name.clone() selected=move || row.field.get() == name>{x.title.clone()}</option> }
            })
            .collect_view()
    });
    let choose_field = move |ev: leptos::ev::Event| {
        row.field.set(event_target_value(&ev));
        // Each field starts at its own most useful operator ("contains" for
        // text, "is" for numbers), as when a row is added.
        row.operator
            .set(operators(interface())[0].as_str().to_owned());
    };
    let operator_options = move || {
        operators(interface())
            .iter()
            .map(|o| {
                let token = o.as_str();
                view! { <option value=token selected=move || row.operator.get() == token>{move || operator_label(i18n.t(), *o)}</option> }
            })
            .collect_view()
    };
    let select = "rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950";
    view! {
        <div class="flex flex-wrap items-center gap-2" data-testid="filter-row">
            <select class=select on:change=choose_field aria-label=move || i18n.t().filter_field data-testid="filter-field">{field_options}</select>
            <select class=select on:change=move |ev| row.operator.set(event_target_value(&ev)) aria-label=move || i18n.t().filter_operator data-testid="filter-operator">
                {operator_options}
            </select>
            {move || (arity_now() != Arity::None).then(|| view! { <ValueInput field=field() value=row.value /> })}
            {move || (arity_now() == Arity::Two).then(|| view! {
                <span>{move || i18n.t().filter_and}</span>
                <ValueInput field=field() value=row.upper />
            })}
            <button type="button" class=DANGER_BUTTON on:click=move |_| remove() aria-label=move || i18n.t().filter_remove>"×"</button>
        </div>
    }
    .into_any()
}

/// The operand input, typed as the field is (dates filter by day).
#[component]
fn ValueInput(field: Option<FieldView>, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let interface = field.as_ref().map_or(FieldInterface::Text, |f| f.interface);
    let class = format!("{INPUT} mt-0 w-48");
    if interface == FieldInterface::Enum {
        let options = field.map(|f| f.options).unwrap_or_default().into_iter().map(|o| {
            let current = o.clone();
            view! { <option value=o.clone() selected=move || value.get() == current>{o.clone()}</option> }
        });
        return view! {
            <select class=class on:change=move |ev| value.set(event_target_value(&ev)) aria-label=move || i18n.t().filter_value data-testid="filter-value">
                <option value="">"—"</option>
                {options.collect_view()}
            </select>
        }.into_any();
    }
    let kind = match interface {
        _ if interface.is_numeric() => "number",
        FieldInterface::Date | FieldInterface::Datetime => "date",
        FieldInterface::Time => "time",
        _ => "text",
    };
    view! {
        <input type=kind step="any" class=class bind:value=value aria-label=move || i18n.t().filter_value data-testid="filter-value" />
    }
    .into_any()
}
