//! The record form, generated from the collection's fields: one input per
//! field, typed by its interface, with the service's refusals shown next to
//! the field they are about.

use leptos::prelude::*;
use model::data::{CollectionView, FieldInterface, FieldView};
use serde_json::Value;

use super::fns::{Row, create_record, update_record};
use super::values::{input_text, input_value, parent_relation, read_only, record_href, required};
use crate::components::form::{
    CARD, ErrorLine, HINT, INPUT, LABEL, LINK, PRIMARY_BUTTON, SECONDARY_BUTTON, error_code,
    error_detail, failure,
};
use crate::i18n::{Text, use_i18n};

/// What the form sends: the record's key (editing) and the values.
#[derive(Clone)]
struct Submission {
    key: Option<String>,
    values: Row,
}

/// `record: None` creates; `Some((key, row))` edits that record.
#[component]
pub fn RecordForm(
    collection: CollectionView,
    record: Option<(String, Row)>,
    on_saved: Callback<Row>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = record.is_some();
    let original = record.as_ref().map(|(_, row)| row.clone());
    let key = record.map(|(key, _)| key);
    let inputs: Vec<(FieldView, RwSignal<String>)> = collection
        .fields
        .iter()
        .map(|f| {
            let start = original
                .as_ref()
                .map(|row| input_text(f, row.get(&f.name).unwrap_or(&Value::Null)));
            // A new yes/no field that must hold a value starts as "no"; with a
            // default it starts unset, so the database's default applies.
            let start = start.unwrap_or_else(|| {
                if f.interface == FieldInterface::Boolean && required(f) {
                    "false".into()
                } else {
                    String::new()
                }
            });
            (f.clone(), RwSignal::new(start))
        })
        .collect();
    let (source, name) = (collection.data_source.clone(), collection.name.clone());
    let save = Action::new(move |s: &Submission| {
        let (source, name, s) = (source.clone(), name.clone(), s.clone());
        async move {
            match s.key {
                Some(key) => update_record(source, name, key, s.values).await,
                None => create_record(source, name, s.values).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(row)) = save.value().get() {
            on_saved.run(row);
        }
    });
    // A JSON field that does not parse is refused here, before sending.
    let local_error = RwSignal::new(None::<(String, String)>);
    let names: Vec<String> = inputs.iter().map(|(f, _)| f.name.clone()).collect();
    let server_error = Signal::derive(move || {
        let error = save.value().get()?.err()?;
        (error_code(&error) == "INVALID_VALUE").then_some(())?;
        let (field, message) = error_detail(&error)?
            .split_once(": ")
            .map(|(f, m)| (f.to_owned(), m.to_owned()))?;
        names.contains(&field).then_some((field, message))
    });
    let field_error = Signal::derive(move || local_error.get().or_else(|| server_error.get()));
    let key_fields = collection.key.clone();
    let inputs = StoredValue::new(inputs);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        local_error.set(None);
        let built = inputs.with_value(|inputs| values(inputs, original.as_ref(), &key_fields));
        match built {
            Ok(values) => {
                save.dispatch(Submission {
                    key: key.clone(),
                    values,
                });
            }
            Err((field, _)) => {
                local_error.set(Some((field, i18n.t().data_json_invalid.to_owned())))
            }
        }
    };
    let collection = StoredValue::new(collection);
    let fields = move || {
        inputs.with_value(|inputs| {
            inputs
                .iter()
                .map(|(field, text)| {
                    let name = field.name.clone();
                    let error = Signal::derive(move || field_error.get().filter(|(f, _)| *f == name).map(|(_, m)| m));
                    let locked = editing && collection.with_value(|c| c.key.contains(&field.name));
                    let parent = collection.with_value(|c| {
                        parent_relation(c, &field.name).map(|r| (c.data_source.clone(), r.target.clone()))
                    });
                    view! { <FieldInput field=field.clone() text=*text locked creating=!editing parent error /> }
                })
                .collect_view()
        })
    };
    // The alert repeats the sentence; its detail moves to the field it names.
    let detail = Signal::derive(move || match server_error.get() {
        Some(_) => None,
        None => save
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| error_detail(&e)),
    });
    let code = failure(save);
    view! {
        <form class=format!("{CARD} mt-4 grid gap-4 sm:grid-cols-2") on:submit=submit data-testid="record-form">
            <h2 class="text-xl font-semibold sm:col-span-2">{move || if editing { i18n.t().data_edit_record } else { i18n.t().data_new_record }}</h2>
            {fields}
            <div class="sm:col-span-2">
                <ErrorLine code detail />
                <div class="flex flex-wrap items-baseline gap-3">
                    <button type="submit" class=PRIMARY_BUTTON disabled=move || save.pending().get() aria-busy=move || save.pending().get().to_string() data-testid="record-save">
                        {move || match (save.pending().get(), editing) {
                            (true, _) => i18n.t().saving,
                            (false, true) => i18n.t().save,
                            (false, false) => i18n.t().data_create,
                        }}
                    </button>
                    <button type="button" class=format!("{SECONDARY_BUTTON} mt-4") on:click=move |_| on_cancel.run(())>{move || i18n.t().cancel}</button>
                </div>
            </div>
        </form>
    }
    .into_any()
}

/// The values to send, or the field whose JSON does not parse. Creating
/// leaves out empty optional fields (the database's default or NULL
/// applies); editing sends only what changed, and never the key, which
/// addresses the record.
fn values(
    inputs: &[(FieldView, RwSignal<String>)],
    original: Option<&Row>,
    key_fields: &[String],
) -> Result<Row, (String, serde_json::Error)> {
    let mut values = Row::new();
    for (field, text) in inputs {
        if read_only(field) || (original.is_some() && key_fields.contains(&field.name)) {
            continue;
        }
        let text = text.get_untracked();
        match original {
            Some(row)
                if input_text(field, row.get(&field.name).unwrap_or(&Value::Null)) == text =>
            {
                continue;
            }
            None if text.is_empty() && !required(field) => continue,
            _ => {}
        }
        let value = if text.is_empty() && field.nullable {
            Value::Null
        } else {
            input_value(field, &text).map_err(|e| (field.name.clone(), e))?
        };
        values.insert(field.name.clone(), value);
    }
    Ok(values)
}

/// One field's label, input, hint and error.
#[component]
fn FieldInput(
    field: FieldView,
    text: RwSignal<String>,
    /// The record key while editing: it addresses the record.
    locked: bool,
    creating: bool,
    /// The data source and collection a foreign key points into.
    parent: Option<(String, String)>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{}", field.name);
    let error_id = format!("{id}-error");
    let fixed = read_only(&field) || locked;
    let wide = matches!(
        field.interface,
        FieldInterface::LongText | FieldInterface::Json
    );
    // The `required` attribute tells assistive technology; the star is for the eye.
    let marker = required(&field).then(|| view! { <span class="text-red-700 dark:text-red-400" aria-hidden="true" title=move || i18n.t().data_required>" *"</span> });
    let hint: Option<Text> = match () {
        _ if field.generated && creating => Some(|t| t.data_generated),
        _ if field.interface == FieldInterface::Unsupported => Some(|t| t.data_unsupported),
        _ if field.interface == FieldInterface::Datetime => Some(|t| t.data_utc),
        _ => None,
    };
    let link = move || {
        let (source, target) = parent.clone()?;
        let value = text.get();
        (!value.is_empty()).then(|| view! {
            <a class=format!("{LINK} mt-1 inline-block text-xs") href=record_href(&source, &target, &value) data-testid="parent-link">{move || i18n.t().data_open_parent}</a>
        })
    };
    let describedby = error_id.clone();
    view! {
        <div class=if wide { "sm:col-span-2" } else { "" } data-field=field.name.clone()>
            <label class=LABEL for=id.clone()>{field.title.clone()}{marker}</label>
            <Control field=field.clone() text id fixed invalid=Signal::derive(move || error.get().is_some()) describedby />
            {hint.map(|h| view! { <p class=HINT>{move || h(i18n.t())}</p> })}
            {link}
            {move || error.get().map(|m| view! { <p id=error_id.clone() class="mt-1 text-xs text-red-800 dark:text-red-300" data-testid="field-error">{m}</p> })}
        </div>
    }
    .into_any()
}

/// The input element for a field's interface.
#[component]
fn Control(
    field: FieldView,
    text: RwSignal<String>,
    id: String,
    fixed: bool,
    invalid: Signal<bool>,
    describedby: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let required = required(&field) && !fixed;
    let max = field.max_length.map(|n| n.to_string());
    let invalid = move || invalid.get().to_string();
    let mono = format!("{INPUT} font-mono text-xs");
    use FieldInterface as F;
    match field.interface {
        // A checkbox cannot say "unset": only for a value that must be yes or no.
        F::Boolean if !field.nullable && !text.get_untracked().is_empty() => view! {
            <input id=id type="checkbox" class="mt-2 block" disabled=fixed
                prop:checked=move || text.get() == "true"
                on:change=move |ev| text.set(event_target_checked(&ev).to_string()) />
        }.into_any(),
        F::Boolean | F::Enum => {
            // Yes and no are translated; an enum's options are the database's own.
            let choices: Vec<(String, Option<Text>)> = if field.interface == F::Boolean {
                vec![("true".into(), Some(|t| t.yes)), ("false".into(), Some(|t| t.no))]
            } else {
                field.options.iter().map(|o| (o.clone(), None)).collect()
            };
            let options = choices.into_iter().map(|(value, label)| {
                let current = value.clone();
                let shown = value.clone();
                let label = move || label.map_or_else(|| shown.clone(), |l| l(i18n.t()).to_owned());
                view! { <option value=value selected=move || text.get() == current>{label}</option> }
            }).collect_view();
            view! {
                <select id=id class=INPUT disabled=fixed required=required aria-invalid=invalid aria-describedby=describedby
                    on:change=move |ev| text.set(event_target_value(&ev))>
                    <option value="" selected=move || text.get().is_empty()>"—"</option>
                    {options}
                </select>
            }.into_any()
        }
        F::LongText | F::Json => view! {
            <textarea id=id rows="4" class=if field.interface == F::Json { mono.clone() } else { INPUT.to_owned() } readonly=fixed required=required maxlength=max
                aria-invalid=invalid aria-describedby=describedby bind:value=text></textarea>
        }.into_any(),
        other => {
            let (kind, step, mode) = match other {
                F::Integer => ("number", Some("1"), None),
                F::Number => ("number", Some("any"), None),
                F::Decimal => ("text", None, Some("decimal")),
                F::Date => ("date", None, None),
                F::Datetime => ("datetime-local", Some("1"), None),
                F::Time => ("time", Some("1"), None),
                _ => ("text", None, None),
            };
            let class = if matches!(other, F::Uuid | F::Binary) { mono } else { INPUT.to_owned() };
            view! {
                <input id=id type=kind step=step inputmode=mode class=class readonly=fixed required=required maxlength=max
                    aria-invalid=invalid aria-describedby=describedby bind:value=text />
            }.into_any()
        }
    }
}
