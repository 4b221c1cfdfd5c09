//! A token as create and rotate hand it out: shown this once, read-only,
//! with a copy button, and gone for good after "Done".

use leptos::html::Input;
use leptos::prelude::*;
use model::identity::IssuedApiKey;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlDocument, HtmlInputElement};

use crate::components::form::{INPUT, LABEL, PRIMARY_BUTTON, SECONDARY_BUTTON};
use crate::i18n::use_i18n;

#[derive(Clone, Copy, PartialEq)]
enum Copied {
    NotYet,
    Yes,
    Failed,
}

#[component]
pub fn IssuedToken(issued: RwSignal<Option<IssuedApiKey>>) -> impl IntoView {
    move || issued.get().map(|key| view! { <TokenPanel key issued /> })
}

#[component]
fn TokenPanel(key: IssuedApiKey, issued: RwSignal<Option<IssuedApiKey>>) -> impl IntoView {
    let i18n = use_i18n();
    let field = NodeRef::<Input>::new();
    let copied = RwSignal::new(Copied::NotYet);
    let token = StoredValue::new(key.token);
    // The panel may appear above the row that was rotated, out of sight:
    // focusing the token brings it into view and announces it.
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
            input.select();
        }
    });
    let copy = move |_| {
        let input = field.get_untracked();
        leptos::task::spawn_local(async move {
            let done = write_clipboard(&token.get_value(), input).await;
            copied.set(if done { Copied::Yes } else { Copied::Failed });
        });
    };
    let status = move || match copied.get() {
        Copied::NotYet => "",
        Copied::Yes => i18n.t().token_copied,
        Copied::Failed => i18n.t().token_copy_failed,
    };
    let state = move || match copied.get() {
        Copied::NotYet => "idle",
        Copied::Yes => "copied",
        Copied::Failed => "failed",
    };
    let colour = move || match copied.get() {
        Copied::Failed => "mt-2 min-h-5 text-sm text-red-800 dark:text-red-300",
        _ => "mt-2 min-h-5 text-sm text-green-800 dark:text-green-300",
    };
    let about = format!("{} · {} · {}", key.key.name, key.key.role, key.key.prefix);
    view! {
        <section class="mt-6 rounded-lg border-2 border-amber-400 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950" aria-labelledby="issued-token-title" data-testid="issued-token">
            <h2 id="issued-token-title" class="text-xl font-semibold">{move || i18n.t().token_title}</h2>
            <p class="mt-1 text-sm font-medium text-amber-900 dark:text-amber-200">{move || i18n.t().token_warning}</p>
            <p class="mt-3 font-mono text-xs text-slate-600 dark:text-slate-400">{about}</p>
            <label for="issued-token-value" class=format!("{LABEL} mt-3")>{move || i18n.t().token_label}</label>
            <div class="flex items-start gap-2">
                <input id="issued-token-value" node_ref=field type="text" readonly spellcheck="false" autocomplete="off" class=format!("{INPUT} font-mono") value=token.get_value() on:focus=move |_| select(field) data-testid="token-value" />
                <button type="button" class=format!("{SECONDARY_BUTTON} mt-1 shrink-0") on:click=copy data-testid="copy-token">{move || i18n.t().token_copy}</button>
            </div>
            // Always present, so screen readers announce the change.
            <p role="status" class=colour data-testid="copy-status" data-state=state>{status}</p>
            <button type="button" class=PRIMARY_BUTTON on:click=move |_| issued.set(None) data-testid="token-done">{move || i18n.t().token_done}</button>
        </section>
    }
    .into_any()
}

fn select(field: NodeRef<Input>) {
    if let Some(input) = field.get_untracked() {
        input.select();
    }
}

/// The Clipboard API exists only on secure origins (HTTPS, localhost); a
/// self-hosted install on plain HTTP falls back to selecting the field and
/// the older copy command.
async fn write_clipboard(text: &str, field: Option<HtmlInputElement>) -> bool {
    let clipboard = window().navigator().clipboard();
    if !clipboard.is_undefined() && JsFuture::from(clipboard.write_text(text)).await.is_ok() {
        return true;
    }
    let Some(field) = field else {
        return false;
    };
    field.select();
    document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|page| page.exec_command("copy").ok())
        .unwrap_or(false)
}
