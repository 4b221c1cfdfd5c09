//! The list of keys and what can be done to each: revoke (a plain form
//! post underneath, so it works without JavaScript) and rotate.

use leptos::prelude::*;
use model::identity::{
    ApiKeyStatus, ApiKeyView, IssuedApiKey, Page, RotateApiKey, SystemPermission,
};
use model::time::iso8601;

use super::fns::{RevokeApiKey, rotate_secret};
use super::interactive;
use crate::components::form::{
    BADGE, CARD, DANGER_BUTTON, ErrorLine, INPUT, LoadFailed, SECONDARY_BUTTON, TABLE, TD, TH,
    confirmed, failure, failure_detail,
};
use crate::components::paging::Paging;
use crate::i18n::{Text, use_i18n};
use crate::session::use_session;

type Keys = Resource<Result<Page<ApiKeyView>, ServerFnError>>;

/// How long the replaced secret keeps working, in seconds, as offered.
const GRACES: [(u64, Text); 4] = [
    (0, |t| t.keys_grace_none),
    (3600, |t| t.keys_grace_1h),
    (86_400, |t| t.keys_grace_1d),
    (604_800, |t| t.keys_grace_7d),
];

const HEADERS: [Text; 9] = [
    |t| t.col_name,
    |t| t.col_role,
    |t| t.keys_col_owner,
    |t| t.keys_col_prefix,
    |t| t.keys_col_created,
    |t| t.keys_col_expires,
    |t| t.keys_col_last_used,
    |t| t.col_status,
    |t| t.keys_col_manage,
];

/// What the rows' buttons do, shared by every row.
#[derive(Clone, Copy)]
struct RowActions {
    revoke: ServerAction<RevokeApiKey>,
    rotate: Action<(String, u64), Result<(), ServerFnError>>,
    /// Rotating shows the new token, so it waits for the page to run.
    ready: ReadSignal<bool>,
    /// The key whose rotate panel is open. Held by id, not left to the
    /// `<details>` element: when the list reloads, rows are reused by
    /// position, and an open panel would then belong to another key.
    rotating: RwSignal<Option<String>>,
}

#[component]
pub fn KeyList(
    keys: Keys,
    page: RwSignal<u32>,
    version: RwSignal<u32>,
    issued: RwSignal<Option<IssuedApiKey>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let revoke = ServerAction::<RevokeApiKey>::new();
    Effect::new(move |_| {
        if revoke.value().get().is_some_and(|r| r.is_ok()) {
            version.update(|v| *v += 1);
        }
    });
    let rotating = RwSignal::new(None);
    // As with create, the token goes to the panel only; the rotate panel
    // closes, its work done.
    let rotate = Action::new(move |(id, grace): &(String, u64)| {
        let (id, grace_seconds) = (id.clone(), Some(*grace));
        async move {
            issued.set(Some(
                rotate_secret(id, RotateApiKey { grace_seconds }).await?,
            ));
            rotating.set(None);
            version.update(|v| *v += 1);
            Ok(())
        }
    });
    let actions = RowActions {
        revoke,
        rotate,
        ready: interactive(),
        rotating,
    };
    let sees_everyone = move || {
        session
            .0
            .get()
            .and_then(Result::ok)
            .is_some_and(|info| info.can(SystemPermission::ApiKeys))
    };
    // Rotation hands out a working secret, so only the owner or maker may
    // rotate; the list does not name the maker, so service accounts' keys
    // are offered too and the service has the last word.
    let my_email = move || {
        session
            .0
            .get()
            .and_then(Result::ok)
            .and_then(|info| info.user)
            .map(|current| current.user.email)
            .unwrap_or_default()
    };
    view! {
        <section class="mt-8" aria-labelledby="api-keys-list">
            <h2 id="api-keys-list" class="text-xl font-semibold">{move || i18n.t().keys_list_title}</h2>
            {move || sees_everyone().then(|| view! {
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="keys-all-users">{i18n.t().keys_all_users}</p>
            })}
            <ErrorLine code=failure(*revoke) detail=failure_detail(*revoke) />
            <ErrorLine code=failure(rotate) detail=failure_detail(rotate) />
            <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || keys.get().map(|result| match result {
                    Ok(found) if found.count == 0 => view! {
                        <p class=format!("{CARD} mt-4") data-testid="api-keys-empty">{i18n.t().keys_empty}</p>
                    }.into_any(),
                    Ok(found) => {
                        let (count, pages) = (found.count, found.total_pages());
                        let me = my_email();
                        let rows = found.items.into_iter().map(|key| {
                            let rotatable = key.service_account || key.owner == me;
                            view! { <KeyRow key rotatable actions /> }
                        }).collect_view();
                        view! {
                            <div class="overflow-x-auto">
                                <table class=TABLE data-testid="api-keys-table">
                                    <thead><tr>{HEADERS.map(|h| view! { <th class=format!("{TH} whitespace-nowrap")>{move || h(i18n.t())}</th> })}</tr></thead>
                                    <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{rows}</tbody>
                                </table>
                            </div>
                            {(pages > 1).then(|| view! { <Paging page count pages /> })}
                        }.into_any()
                    }
                    Err(error) => view! { <LoadFailed error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn KeyRow(key: ApiKeyView, rotatable: bool, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    let status = key.status;
    let when = |at: Option<i64>, none: Text| match at {
        Some(at) => iso8601(at).into_any(),
        None => (move || none(i18n.t())).into_any(),
    };
    let manage = (status != ApiKeyStatus::Revoked).then(|| {
        let rotate = (rotatable && status == ApiKeyStatus::Active)
            .then(|| view! { <RotateForm id=key.id.clone() actions /> });
        view! {
            <div class="flex flex-wrap items-start gap-2">
                <RevokeForm id=key.id.clone() revoke=actions.revoke />
                {rotate}
            </div>
        }
    });
    let (id, name) = (key.id.clone(), key.name.clone());
    view! {
        <tr data-key-id=id data-key-name=name>
            <td class=TD>
                {key.name}
                {key.service_account.then(|| view! { <span class=format!("{BADGE} ml-2")>{move || i18n.t().keys_service_badge}</span> })}
            </td>
            <td class=TD>{key.role}</td>
            <td class=TD>{key.owner}</td>
            <td class=format!("{TD} font-mono text-xs whitespace-nowrap")>{key.prefix}</td>
            <td class=format!("{TD} whitespace-nowrap")>{iso8601(key.created_at)}</td>
            <td class=format!("{TD} whitespace-nowrap")>{when(key.expires_at, |t| t.keys_expiry_never)}</td>
            <td class=format!("{TD} whitespace-nowrap")>{when(key.last_used_at, |t| t.keys_not_used)}</td>
            <td class=TD><StatusBadge status /></td>
            <td class=TD>{manage}</td>
        </tr>
    }
    .into_any()
}

#[component]
fn StatusBadge(status: ApiKeyStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (label, name, colour): (Text, &str, &str) = match status {
        ApiKeyStatus::Active => (
            |t| t.keys_status_active,
            "active",
            "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200",
        ),
        ApiKeyStatus::Expired => (
            |t| t.keys_status_expired,
            "expired",
            "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
        ),
        ApiKeyStatus::Revoked => (
            |t| t.keys_status_revoked,
            "revoked",
            "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
        ),
    };
    view! {
        <span class=format!("inline-block rounded-full px-2 py-0.5 text-xs font-medium {colour}") data-testid="key-status" data-status=name>
            {move || label(i18n.t())}
        </span>
    }
}

/// Asks first; without JavaScript the form posts straight away.
#[component]
fn RevokeForm(id: String, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let i18n = use_i18n();
    let ask = move |ev: leptos::ev::MouseEvent| {
        if !confirmed(i18n.t().keys_revoke_confirm) {
            ev.prevent_default();
        }
    };
    view! {
        <ActionForm action=revoke>
            <input type="hidden" name="id" value=id />
            <button type="submit" class=DANGER_BUTTON on:click=ask data-testid="revoke-key">{move || i18n.t().keys_revoke}</button>
        </ActionForm>
    }
}

/// A disclosure with the grace period to choose.
#[component]
fn RotateForm(id: String, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    let RowActions {
        rotate,
        ready,
        rotating,
        ..
    } = actions;
    let grace = RwSignal::new("0".to_owned());
    let open = {
        let id = id.clone();
        move || rotating.read().as_deref() == Some(id.as_str())
    };
    let toggle = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
            if now_open {
                rotating.set(Some(id.clone()));
            } else if rotating.read_untracked().as_deref() == Some(id.as_str()) {
                rotating.set(None);
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seconds = grace.get_untracked().parse().unwrap_or(0);
        rotate.dispatch((id.clone(), seconds));
    };
    let options = GRACES.map(|(seconds, label)| {
        view! { <option value=seconds.to_string() selected=seconds == 0>{move || label(i18n.t())}</option> }
    });
    view! {
        <details class="text-sm" data-testid="rotate-key" prop:open=open on:toggle=toggle>
            <summary class=format!("{SECONDARY_BUTTON} cursor-pointer list-none")>{move || i18n.t().keys_rotate}</summary>
            <form class="mt-2 grid w-56 gap-2" on:submit=submit>
                <label class="block text-xs font-medium text-slate-700 dark:text-slate-300">{move || i18n.t().keys_rotate_grace}
                    <select class=INPUT bind:value=grace data-testid="rotate-grace">{options}</select>
                </label>
                <button type="submit" class=SECONDARY_BUTTON disabled=move || !ready.get() || rotate.pending().get() data-testid="rotate-submit">
                    {move || i18n.t().keys_rotate_submit}
                </button>
            </form>
        </details>
    }
}
