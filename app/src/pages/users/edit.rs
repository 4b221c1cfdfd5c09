//! One user: edit the profile, roles and status, set a new password, delete.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::identity::{SystemPermission, UserChanges, UserView};

use super::fns::{delete_user, get_user, reset_password, update_user};
use crate::components::form::{
    CARD, DANGER_BUTTON, ErrorLine, INPUT, LABEL, LocaleSelect, PRIMARY_BUTTON, SavedLine, failure,
    succeeded,
};
use crate::components::page_title::PageTitle;
use crate::components::role_picker::RolePicker;
use crate::i18n::use_i18n;
use crate::session::RequirePermission;

#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let user = Resource::new(id, get_user);
    view! {
        <PageTitle text=|t| t.user_edit_title />
        <a href="/admin/users" class="text-sm text-orange-700 underline dark:text-orange-400">{move || i18n.t().back_to_users}</a>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{move || i18n.t().user_edit_title}</h1>
        <RequirePermission permission=SystemPermission::Users>
            <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || user.get().map(|result| match result {
                    Ok(user) => view! { <UserForms user /> }.into_any(),
                    Err(_) => view! { <p role="alert" class="mt-6">{i18n.t().load_failed}</p> }.into_any(),
                })}
            </Suspense>
        </RequirePermission>
    }
}

#[component]
fn UserForms(user: UserView) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let email = RwSignal::new(user.email.clone());
    let username = RwSignal::new(user.username.clone().unwrap_or_default());
    let name = RwSignal::new(user.display_name.clone());
    let locale = RwSignal::new(user.locale.clone().unwrap_or_default());
    let enabled = RwSignal::new(user.enabled);
    let roles = RwSignal::new(user.roles.clone());
    let save = Action::new(move |changes: &UserChanges| {
        let changes = changes.clone();
        async move { update_user(id, changes).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(UserChanges {
            email: Some(email.get_untracked()),
            username: Some(username.get_untracked()),
            display_name: Some(name.get_untracked()),
            locale: Some(locale.get_untracked()),
            enabled: Some(enabled.get_untracked()),
            roles: Some(roles.get_untracked()),
            default_role: None,
        });
    };
    view! {
        <form class=format!("{CARD} mt-6 grid gap-4 sm:grid-cols-2") on:submit=submit data-testid="edit-user-form">
            <label class=LABEL>{move || i18n.t().field_email}
                <input type="email" required class=INPUT bind:value=email />
            </label>
            <label class=LABEL>{move || i18n.t().field_display_name}
                <input type="text" required class=INPUT bind:value=name />
            </label>
            <label class=LABEL>{move || i18n.t().field_username}
                <input type="text" class=INPUT bind:value=username />
            </label>
            <LocaleSelect value=locale />
            <label class="flex items-center gap-2 text-sm sm:col-span-2">
                <input type="checkbox" bind:checked=enabled data-testid="user-enabled" />
                {move || i18n.t().user_enabled}
            </label>
            <div class="sm:col-span-2"><RolePicker selected=roles /></div>
            <div class="sm:col-span-2">
                <ErrorLine code=failure(save) />
                <SavedLine shown=succeeded(save) text=Signal::derive(move || i18n.t().saved) />
                <button type="submit" class=PRIMARY_BUTTON disabled=move || save.pending().get()>{move || i18n.t().save}</button>
            </div>
        </form>
        <ResetPassword id />
        <DeleteUser id />
    }
}

#[component]
fn ResetPassword(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let reset = Action::new(move |password: &String| {
        let password = password.clone();
        async move { reset_password(id, password).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        reset.dispatch(password.get_untracked());
        password.set(String::new());
    };
    view! {
        <form class=format!("{CARD} mt-6") on:submit=submit data-testid="reset-password-form">
            <h2 class="text-xl font-semibold">{move || i18n.t().user_reset_password}</h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().user_reset_password_hint}</p>
            <label class=format!("{LABEL} mt-4")>{move || i18n.t().field_new_password}
                <input type="password" required minlength="8" autocomplete="new-password" class=INPUT bind:value=password />
            </label>
            <ErrorLine code=failure(reset) />
            <SavedLine shown=succeeded(reset) text=Signal::derive(move || i18n.t().user_password_reset) />
            <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().user_reset_password}</button>
        </form>
    }
}

#[component]
fn DeleteUser(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let delete = Action::new(move |_: &()| delete_user(id));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            navigate("/admin/users", Default::default());
        }
    });
    let click = move |_| {
        if window()
            .confirm_with_message(i18n.t().user_delete_confirm)
            .unwrap_or(false)
        {
            delete.dispatch(());
        }
    };
    view! {
        <section class=format!("{CARD} mt-6")>
            <ErrorLine code=failure(delete) />
            <button type="button" class=DANGER_BUTTON on:click=click data-testid="delete-user">{move || i18n.t().user_delete}</button>
        </section>
    }
}
