//! Shared looks and pieces of forms: classes, the translated error line and
//! the "saved" confirmation.

use leptos::prelude::*;

use crate::i18n::use_i18n;

pub const CARD: &str =
    "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";
pub const LABEL: &str = "block text-sm font-medium text-slate-700 dark:text-slate-300";
pub const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-orange-600 focus:outline-none focus:ring-1 focus:ring-orange-600 dark:border-slate-700 dark:bg-slate-950";
pub const PRIMARY_BUTTON: &str = "mt-4 inline-block rounded-md bg-orange-700 px-4 py-2 text-sm font-medium text-white hover:bg-orange-800 disabled:opacity-50 dark:bg-orange-600 dark:hover:bg-orange-500";
pub const SECONDARY_BUTTON: &str = "inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";
pub const DANGER_BUTTON: &str = "inline-block rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950";
pub const TABLE: &str = "mt-4 w-full divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900";
pub const TH: &str = "px-3 py-2 text-left font-medium text-slate-600 dark:text-slate-400";
pub const TD: &str = "px-3 py-2 align-top";

/// A user's language: a shipped locale, or "follow the browser" (empty).
#[component]
pub fn LocaleSelect(value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let initial = value.get_untracked();
    let options = model::Locale::ALL.map(|l| {
        view! { <option value=l.tag() selected=initial == l.tag()>{l.native_name()}</option> }
    });
    view! {
        <label class=LABEL>{move || i18n.t().field_locale}
            <select class=INPUT bind:value=value>
                <option value="">{move || i18n.t().locale_browser}</option>
                {options}
            </select>
        </label>
    }
}

/// The code a server function failed with (see `server_fns::fail`).
pub fn error_code(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(code) => code.clone(),
        _ => "UNAVAILABLE".to_owned(),
    }
}

/// The translated sentence for an error code, as an alert.
#[component]
pub fn ErrorLine(#[prop(into)] code: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        code.get().map(|code| {
            view! {
                <p role="alert" data-testid="form-error" data-code=code.clone() class="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
                    {i18n.t().error(&code)}
                </p>
            }
        })
    }
}

/// A polite confirmation after a successful save.
#[component]
pub fn SavedLine(
    #[prop(into)] shown: Signal<bool>,
    #[prop(into)] text: Signal<&'static str>,
) -> impl IntoView {
    move || {
        shown.get().then(|| {
            view! {
                <p role="status" data-testid="form-saved" class="mt-3 rounded-md bg-green-50 p-3 text-sm text-green-800 dark:bg-green-950 dark:text-green-200">
                    {text.get()}
                </p>
            }
        })
    }
}

/// The error code of a finished action, if it failed.
pub fn failure<I: Send + Sync + 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ServerFnError>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| error_code(&e))
    })
}

/// True once the action's latest run succeeded.
pub fn succeeded<I: Send + Sync + 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ServerFnError>>,
) -> Signal<bool> {
    Signal::derive(move || action.value().get().is_some_and(|r| r.is_ok()))
}
