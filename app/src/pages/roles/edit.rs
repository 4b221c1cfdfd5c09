//! One role: title, description, default flag and the permission matrix.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::identity::{RoleChanges, RoleView, SystemPermission};

use super::fns::{delete_role, get_role, update_role};
use super::matrix::PermissionMatrix;
use crate::components::form::{
    CARD, DANGER_BUTTON, ErrorLine, INPUT, LABEL, PRIMARY_BUTTON, SavedLine, failure, succeeded,
};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::{Notice, RequirePermission};

#[component]
pub fn RolePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let role = Resource::new(
        move || params.read().get("name").unwrap_or_default(),
        get_role,
    );
    view! {
        <PageTitle text=|t| t.role_edit_title />
        <a href="/admin/roles" class="text-sm text-orange-700 underline dark:text-orange-400">{move || i18n.t().back_to_roles}</a>
        <h1 class="mt-2 text-3xl font-bold tracking-tight">{move || i18n.t().role_edit_title}</h1>
        <RequirePermission permission=SystemPermission::Users>
            <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
                {move || role.get().map(|result| match result {
                    Ok(role) => view! { <RoleForm role /> }.into_any(),
                    Err(_) => view! { <p role="alert" class="mt-6">{i18n.t().load_failed}</p> }.into_any(),
                })}
            </Suspense>
        </RequirePermission>
    }
}

#[component]
fn RoleForm(role: RoleView) -> impl IntoView {
    let i18n = use_i18n();
    let name = role.name.clone();
    let title = RwSignal::new(role.title.clone());
    let description = RwSignal::new(role.description.clone());
    let is_default = RwSignal::new(role.is_default);
    let permissions = RwSignal::new(role.permissions.clone());
    let everything = role.permissions.all;
    let save = Action::new({
        let name = name.clone();
        move |changes: &RoleChanges| {
            let (name, changes) = (name.clone(), changes.clone());
            async move { update_role(name, changes).await }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(RoleChanges {
            title: Some(title.get_untracked()),
            description: Some(description.get_untracked()),
            is_default: Some(is_default.get_untracked()),
            permissions: (!everything).then(|| permissions.get_untracked()),
        });
    };
    view! {
        <form class=format!("{CARD} mt-6") on:submit=submit data-testid="edit-role-form">
            <p class="font-mono text-sm text-slate-500">{role.name.clone()}</p>
            <div class="mt-2 grid gap-4 sm:grid-cols-2">
                <label class=LABEL>{move || i18n.t().field_title}
                    <input type="text" required class=INPUT bind:value=title />
                </label>
                <label class=LABEL>{move || i18n.t().field_description}
                    <input type="text" class=INPUT bind:value=description />
                </label>
            </div>
            <label class="mt-4 flex items-center gap-2 text-sm">
                <input type="checkbox" bind:checked=is_default />
                {move || i18n.t().role_default}
            </label>
            <h2 class="mt-6 text-xl font-semibold">{move || i18n.t().role_permissions}</h2>
            {if everything {
                view! { <Notice text=move || i18n.t().role_all_permissions /> }.into_any()
            } else {
                view! { <PermissionMatrix permissions /> }.into_any()
            }}
            <ErrorLine code=failure(save) />
            <SavedLine shown=succeeded(save) text=Signal::derive(move || i18n.t().saved) />
            <button type="submit" class=PRIMARY_BUTTON disabled=move || save.pending().get()>{move || i18n.t().save}</button>
        </form>
        {(!role.built_in).then(|| view! { <DeleteRole name=name.clone() /> })}
    }
}

#[component]
fn DeleteRole(name: String) -> impl IntoView {
    let i18n = use_i18n();
    let delete = Action::new(move |_: &()| delete_role(name.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            navigate("/admin/roles", Default::default());
        }
    });
    let click = move |_| {
        if window()
            .confirm_with_message(i18n.t().role_delete_confirm)
            .unwrap_or(false)
        {
            delete.dispatch(());
        }
    };
    view! {
        <section class=format!("{CARD} mt-6")>
            <ErrorLine code=failure(delete) />
            <button type="button" class=DANGER_BUTTON on:click=click data-testid="delete-role">{move || i18n.t().role_delete}</button>
        </section>
    }
}
