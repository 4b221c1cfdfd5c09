//! Roles: the list with user counts, and a form to create one.

mod edit;
pub mod fns;
mod matrix;

pub use edit::RolePage;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::identity::{NewRole, RoleView, SystemPermission};

use crate::components::form::{
    CARD, ErrorLine, INPUT, LABEL, PRIMARY_BUTTON, TABLE, TD, TH, failure,
};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::pages::users::fns::list_roles;
use crate::session::RequirePermission;
use fns::create_role;

#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.roles_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().roles_title}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">{move || i18n.t().roles_intro}</p>
        <RequirePermission permission=SystemPermission::Users>
            <RoleList />
            <NewRoleForm />
        </RequirePermission>
    }
}

#[component]
fn RoleList() -> impl IntoView {
    let i18n = use_i18n();
    let roles = Resource::new(|| (), |_| list_roles());
    let row = move |role: RoleView| {
        let t = i18n.t();
        let badges = [(role.built_in, t.role_built_in), (role.is_default, t.role_default)]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, label)| view! { <span class="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">{label}</span> })
            .collect_view();
        view! {
            <tr>
                <td class=TD>
                    <a class="text-orange-700 underline dark:text-orange-400" href=format!("/admin/roles/{}", role.name)>{role.title}</a>
                    <span class="ml-2 font-mono text-xs text-slate-500">{role.name}</span>
                    {badges}
                </td>
                <td class=TD>{role.description}</td>
                <td class=TD>{role.user_count}</td>
            </tr>
        }
    };
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || roles.get().map(|result| match result {
                Ok(roles) => view! {
                    <table class=TABLE data-testid="roles-table">
                        <thead><tr>
                            <th class=TH>{i18n.t().col_role}</th>
                            <th class=TH>{i18n.t().field_description}</th>
                            <th class=TH>{i18n.t().col_users}</th>
                        </tr></thead>
                        <tbody class="divide-y divide-slate-200 dark:divide-slate-800">{roles.into_iter().map(row).collect_view()}</tbody>
                    </table>
                }.into_any(),
                Err(_) => view! { <p role="alert" class="mt-6">{i18n.t().load_failed}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NewRoleForm() -> impl IntoView {
    let i18n = use_i18n();
    let (name, title, description) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = Action::new(|input: &NewRole| {
        let input = input.clone();
        async move { create_role(input).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(role)) = create.value().get() {
            navigate(&format!("/admin/roles/{}", role.name), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewRole {
            name: name.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            ..NewRole::default()
        });
    };
    view! {
        <section class=format!("{CARD} mt-8") aria-labelledby="new-role">
            <h2 id="new-role" class="text-xl font-semibold">{move || i18n.t().roles_new}</h2>
            <form class="mt-4 grid gap-4 sm:grid-cols-2" on:submit=submit data-testid="new-role-form">
                <label class=LABEL>{move || i18n.t().field_role_name}
                    <input type="text" required pattern="[a-z][a-z0-9_\\-]*" class=INPUT bind:value=name name="name" />
                </label>
                <label class=LABEL>{move || i18n.t().field_title}
                    <input type="text" required class=INPUT bind:value=title name="title" />
                </label>
                <label class=format!("{LABEL} sm:col-span-2")>{move || i18n.t().field_description}
                    <input type="text" class=INPUT bind:value=description name="description" />
                </label>
                <div class="sm:col-span-2">
                    <ErrorLine code=failure(create) />
                    <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().roles_create}</button>
                </div>
            </form>
        </section>
    }
}
