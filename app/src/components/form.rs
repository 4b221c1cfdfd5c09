//! Shared looks and pieces of forms: classes, the translated error line and
//! the "saved" confirmation.

use leptos::prelude::*;

use crate::i18n::use_i18n;

pub const CARD: &str =
    "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";
pub const LABEL: &str = "block text-sm font-medium text-slate-700 dark:text-slate-300";
pub const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-orange-600 focus:outline-none focus:ring-1 focus:ring-orange-600 dark:border-slate-700 dark:bg-slate-950";
/// The main button's looks, as a literal so Tailwind finds its classes.
macro_rules! primary {
    () => {
        "inline-block rounded-md bg-orange-700 px-4 py-2 text-sm font-medium text-white hover:bg-orange-800 disabled:opacity-50 dark:bg-orange-600 dark:hover:bg-orange-500"
    };
}
/// Under a form: spaced from the fields above.
pub const PRIMARY_BUTTON: &str = concat!("mt-4 ", primary!());
/// In a toolbar row, beside other controls.
pub const PRIMARY_INLINE: &str = primary!();
pub const SECONDARY_BUTTON: &str = "inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";
pub const DANGER_BUTTON: &str = "inline-block rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950";
pub const TABLE: &str = "mt-4 w-full divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900";
pub const TH: &str = "px-3 py-2 text-left font-medium text-slate-600 dark:text-slate-400";
pub const TD: &str = "px-3 py-2 align-top";
pub const LINK: &str = "text-orange-700 underline dark:text-orange-400";
pub const BADGE: &str = "inline-block rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300";
pub const HINT: &str = "mt-1 text-xs font-normal text-slate-500 dark:text-slate-400";

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
    split_error(error).0
}

/// The service's own message after the code, when `server_fns::fail`
/// added one: which input is wrong, or what the external database said.
pub fn error_detail(error: &ServerFnError) -> Option<String> {
    split_error(error).1
}

fn split_error(error: &ServerFnError) -> (String, Option<String>) {
    match error {
        ServerFnError::ServerError(text) => match text.split_once(": ") {
            Some((code, detail)) => (code.to_owned(), Some(detail.to_owned())),
            None => (text.clone(), None),
        },
        _ => ("UNAVAILABLE".to_owned(), None),
    }
}

/// The translated sentence for an error code, as an alert, with the
/// service's untranslated detail under it when there is one. Only server
/// functions supply a detail: a code from the address bar (`?error=`) is
/// looked up, never echoed, so a link cannot put words on the page.
#[component]
pub fn ErrorLine(
    #[prop(into)] code: Signal<Option<String>>,
    #[prop(optional, into)] detail: MaybeProp<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        code.get().map(|code| {
            let detail = detail.get().map(|d| view! { <span class="mt-1 block break-words font-mono text-xs" data-testid="form-error-detail">{d}</span> });
            view! {
                <p role="alert" data-testid="form-error" data-code=code.clone() class="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
                    {i18n.t().error(&code)}
                    {detail}
                </p>
            }
        })
    }
}

/// A failed load (a resource's error), with its detail.
#[component]
pub fn LoadFailed(error: ServerFnError) -> impl IntoView {
    view! { <ErrorLine code=Some(error_code(&error)) detail=error_detail(&error) /> }
}

/// Asks before something that cannot be undone; a dialog the browser
/// refuses to show counts as "no".
pub fn confirmed(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
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

/// The detail of a finished action's failure (see [`error_detail`]).
pub fn failure_detail<I: Send + Sync + 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ServerFnError>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| error_detail(&e))
    })
}

/// True once the action's latest run succeeded.
pub fn succeeded<I: Send + Sync + 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ServerFnError>>,
) -> Signal<bool> {
    Signal::derive(move || action.value().get().is_some_and(|r| r.is_ok()))
}
