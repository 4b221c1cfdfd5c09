//! The form that makes a key: a name, a role the user may hand out, when it
//! expires and, for key managers, the service account that owns it.

use leptos::prelude::*;
use model::identity::{IssuedApiKey, NewApiKey, RoleRef, SystemPermission};

use super::fns::create_api_key;
use super::interactive;
use crate::components::form::{
    CARD, ErrorLine, HINT, INPUT, LABEL, PRIMARY_BUTTON, failure, failure_detail,
};
use crate::i18n::{Text, use_i18n};
use crate::session::use_session;

/// The expiry choice that asks for a date (`expiresAt`); the others are
/// `expiresIn` values as the API takes them.
const CUSTOM: &str = "custom";
const DEFAULT_EXPIRY: &str = "30d";
const EXPIRIES: [(&str, Text); 6] = [
    ("1d", |t| t.keys_expiry_1d),
    ("7d", |t| t.keys_expiry_7d),
    ("30d", |t| t.keys_expiry_30d),
    ("90d", |t| t.keys_expiry_90d),
    (CUSTOM, |t| t.keys_expiry_custom),
    ("never", |t| t.keys_expiry_never),
];

type Roles = Resource<Result<Vec<String>, ServerFnError>>;

#[component]
pub fn NewKeyForm(
    roles: Roles,
    issued: RwSignal<Option<IssuedApiKey>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let ready = interactive();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let expiry = RwSignal::new(DEFAULT_EXPIRY.to_owned());
    let date = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    // The token goes to the panel and nowhere else: the action keeps only
    // whether it worked.
    let create = Action::new(move |input: &NewApiKey| {
        let input = input.clone();
        async move {
            issued.set(Some(create_api_key(input).await?));
            name.set(String::new());
            account.set(String::new());
            version.update(|v| *v += 1);
            Ok(())
        }
    });
    // One role to choose from is the choice.
    Effect::new(move |_| {
        if let Some(Ok([only])) = roles.get().as_ref().map(|r| r.as_deref()) {
            role.set(only.clone());
        }
    });
    let manages_keys = move || {
        session
            .0
            .get()
            .and_then(Result::ok)
            .is_some_and(|info| info.can(SystemPermission::ApiKeys))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = expiry.get_untracked();
        let (expires_in, expires_at) = if chosen == CUSTOM {
            (None, Some(date.get_untracked()))
        } else {
            (Some(chosen), None)
        };
        let account = account.get_untracked();
        create.dispatch(NewApiKey {
            name: name.get_untracked(),
            role: RoleRef {
                name: role.get_untracked(),
            },
            expires_in,
            expires_at,
            service_account: (!account.trim().is_empty()).then_some(account),
        });
    };
    let role_options = move || {
        roles.get().and_then(Result::ok).map(|names| {
            names
                .into_iter()
                .map(|n| view! { <option value=n.clone()>{n.clone()}</option> })
                .collect_view()
        })
    };
    let expiry_options = EXPIRIES.map(|(value, label)| {
        view! { <option value=value selected=value == DEFAULT_EXPIRY>{move || label(i18n.t())}</option> }
    });
    view! {
        <section class=format!("{CARD} mt-6") aria-labelledby="new-api-key">
            <h2 id="new-api-key" class="text-xl font-semibold">{move || i18n.t().keys_new}</h2>
            <form class="mt-4 grid gap-4 sm:grid-cols-2" on:submit=submit data-testid="new-api-key-form">
                <label class=LABEL>{move || i18n.t().col_name}
                    <input type="text" required maxlength="100" class=INPUT bind:value=name placeholder=move || i18n.t().keys_name_placeholder data-testid="key-name" />
                </label>
                <div>
                    <label class=LABEL>{move || i18n.t().col_role}
                        <select required class=INPUT bind:value=role aria-describedby="key-role-hint" data-testid="key-role">
                            <option value="" selected>{move || i18n.t().keys_role_choose}</option>
                            {role_options}
                        </select>
                    </label>
                    <p id="key-role-hint" class=HINT>{move || i18n.t().keys_role_hint}</p>
                </div>
                <label class=LABEL>{move || i18n.t().keys_col_expires}
                    <select class=INPUT bind:value=expiry data-testid="key-expiry">{expiry_options}</select>
                </label>
                <Show when=move || expiry.get() == CUSTOM>
                    <div>
                        <label class=LABEL>{move || i18n.t().keys_expiry_date}
                            <input type="date" required class=INPUT bind:value=date aria-describedby="key-expiry-hint" data-testid="key-expiry-date" />
                        </label>
                        <p id="key-expiry-hint" class=HINT>{move || i18n.t().keys_expiry_date_hint}</p>
                    </div>
                </Show>
                <Show when=manages_keys>
                    <div class="sm:col-span-2">
                        <label class=LABEL>{move || i18n.t().keys_service_account}
                            <input type="text" maxlength="50" class=INPUT bind:value=account aria-describedby="key-account-hint" data-testid="key-service-account" />
                        </label>
                        <p id="key-account-hint" class=HINT>{move || i18n.t().keys_service_account_hint}</p>
                    </div>
                </Show>
                <div class="sm:col-span-2">
                    <ErrorLine code=failure(create) detail=failure_detail(create) />
                    // Only in the server's HTML: gone once the page runs.
                    {move || (!ready.get()).then(|| view! { <p class=HINT data-testid="needs-javascript">{i18n.t().keys_needs_js}</p> })}
                    <button type="submit" class=PRIMARY_BUTTON disabled=move || !ready.get() || create.pending().get() data-testid="create-api-key">
                        {move || i18n.t().keys_create}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
