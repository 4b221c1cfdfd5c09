//! The signed-in user's own page: name and language, password, and
//! signing out of every device.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::identity::{ProfileChanges, UserView};

use crate::components::form::{
    CARD, DANGER_BUTTON, ErrorLine, INPUT, LABEL, LINK, LocaleSelect, PRIMARY_BUTTON, SavedLine,
    failure, succeeded,
};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::{RequireSignIn, use_session};

#[server(prefix = "/_sfn", endpoint = "profile/update", input = Json)]
pub async fn update_profile(changes: ProfileChanges) -> Result<UserView, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::update_profile(&services()?, &actor(), &changes)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "profile/password", input = Json)]
pub async fn change_password(current: String, new_password: String) -> Result<(), ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::users::change_own_password(&services()?, &actor(), &current, &new_password)
        .await
        .map_err(fail)
}

#[server(prefix = "/_sfn", endpoint = "profile/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    service::auth::sign_out_everywhere(&services()?, &actor())
        .await
        .map_err(fail)
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageTitle text=|t| t.profile_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().profile_title}</h1>
        <RequireSignIn>
            {move || session.0.get().and_then(Result::ok).and_then(|s| s.user).map(|current| view! {
                <ProfileForm user=current.user.clone() />
                <PasswordForm />
                <ApiKeysLink />
                <SignOutEverywhere />
            })}
        </RequireSignIn>
    }
}

#[component]
fn ProfileForm(user: UserView) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(user.display_name.clone());
    let locale = RwSignal::new(user.locale.clone().unwrap_or_default());
    let save = Action::new(|changes: &ProfileChanges| {
        let changes = changes.clone();
        async move { update_profile(changes).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(ProfileChanges {
            display_name: Some(name.get_untracked()),
            locale: Some(locale.get_untracked()),
        });
    };
    view! {
        <form class=format!("{CARD} mt-6 grid gap-4 sm:grid-cols-2") on:submit=submit data-testid="profile-form">
            <p class="text-sm text-slate-600 sm:col-span-2 dark:text-slate-400">{user.email.clone()}</p>
            <label class=LABEL>{move || i18n.t().field_display_name}
                <input type="text" required class=INPUT bind:value=name />
            </label>
            <LocaleSelect value=locale />
            <div class="sm:col-span-2">
                <ErrorLine code=failure(save) />
                <SavedLine shown=succeeded(save) text=Signal::derive(move || i18n.t().saved) />
                <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().save}</button>
            </div>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let (current, new_password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let change = Action::new(|(current, new_password): &(String, String)| {
        let (current, new_password) = (current.clone(), new_password.clone());
        async move { change_password(current, new_password).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch((current.get_untracked(), new_password.get_untracked()));
        current.set(String::new());
        new_password.set(String::new());
    };
    view! {
        <form class=format!("{CARD} mt-6 grid gap-4 sm:grid-cols-2") on:submit=submit data-testid="password-form">
            <h2 class="text-xl font-semibold sm:col-span-2">{move || i18n.t().change_password_title}</h2>
            <label class=LABEL>{move || i18n.t().field_current_password}
                <input type="password" required autocomplete="current-password" class=INPUT bind:value=current />
            </label>
            <label class=LABEL>{move || i18n.t().field_new_password}
                <input type="password" required minlength="8" autocomplete="new-password" class=INPUT bind:value=new_password />
            </label>
            <div class="sm:col-span-2">
                <ErrorLine code=failure(change) />
                <SavedLine shown=succeeded(change) text=Signal::derive(move || i18n.t().password_changed) />
                <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().change_password_title}</button>
            </div>
        </form>
    }
}

#[component]
fn SignOutEverywhere() -> impl IntoView {
    let i18n = use_i18n();
    let action = Action::new(|_: &()| sign_out_everywhere());
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            let _ = window().location().set_href("/signin");
        }
    });
    view! {
        <section class=format!("{CARD} mt-6")>
            <p class="text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().sign_out_everywhere_hint}</p>
            <ErrorLine code=failure(action) />
            <button type="button" class=format!("{DANGER_BUTTON} mt-3") on:click=move |_| { action.dispatch(()); } data-testid="sign-out-everywhere">
                {move || i18n.t().sign_out_everywhere}
            </button>
        </section>
    }
}

/// Scripts sign in with keys, not with the password above.
#[component]
fn ApiKeysLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=format!("{CARD} mt-6")>
            <h2 class="text-xl font-semibold">{move || i18n.t().keys_title}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().profile_api_keys_hint}</p>
            <a href="/settings/api-keys" class=format!("{LINK} mt-3 inline-block text-sm") data-testid="profile-api-keys">{move || i18n.t().profile_api_keys_link}</a>
        </section>
    }
}
