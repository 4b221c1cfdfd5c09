//! Users: a searchable, paged list and a form to create one.

mod edit;
pub mod fns;

pub use edit::UserPage;

use leptos::prelude::*;
use model::identity::{NewUser, SystemPermission};

use crate::components::form::{
    CARD, ErrorLine, INPUT, LABEL, PRIMARY_BUTTON, SECONDARY_BUTTON, TABLE, TD, TH, failure,
};
use crate::components::page_title::PageTitle;
use crate::components::paging::Paging;
use crate::components::role_picker::RolePicker;
use crate::i18n::use_i18n;
use crate::session::RequirePermission;
use fns::{create_user, list_users};

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.users_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().users_title}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">{move || i18n.t().users_intro}</p>
        <RequirePermission permission=SystemPermission::Users>
            <UserList />
        </RequirePermission>
    }
}

#[component]
fn UserList() -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let users = Resource::new(
        move || (search.get(), page.get()),
        |(s, p)| list_users(s, p),
    );
    let create = Action::new(|input: &NewUser| {
        let input = input.clone();
        async move { create_user(input).await }
    });
    Effect::new(move |_| {
        if create.value().get().is_some_and(|r| r.is_ok()) {
            users.refetch();
        }
    });
    let submit_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        search.set(typed.get_untracked());
    };
    view! {
        <form class="mt-6 flex gap-2" on:submit=submit_search role="search">
            <input
                type="search"
                class=INPUT
                bind:value=typed
                placeholder=move || i18n.t().users_search
                aria-label=move || i18n.t().users_search
                data-testid="user-search"
            />
            <button type="submit" class=SECONDARY_BUTTON>{move || i18n.t().search}</button>
        </form>
        <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || users.get().map(|result| match result {
                Ok(found) if found.items.is_empty() => view! {
                    <p class="mt-6 text-slate-600 dark:text-slate-400" data-testid="users-empty">{i18n.t().users_empty}</p>
                }.into_any(),
                Ok(found) => {
                    let (count, pages) = (found.count, found.total_pages());
                    view! {
                        <table class=TABLE data-testid="users-table">
                            <thead><tr>
                                <th class=TH>{i18n.t().col_name}</th>
                                <th class=TH>{i18n.t().field_email}</th>
                                <th class=TH>{i18n.t().field_roles}</th>
                                <th class=TH>{i18n.t().col_status}</th>
                            </tr></thead>
                            <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                                {found.items.into_iter().map(|user| view! {
                                    <tr>
                                        <td class=TD><a class="text-orange-700 underline dark:text-orange-400" href=format!("/admin/users/{}", user.id)>{user.display_name}</a></td>
                                        <td class=TD>{user.email}</td>
                                        <td class=TD>{user.roles.join(", ")}</td>
                                        <td class=TD>{if user.enabled { i18n.t().status_enabled } else { i18n.t().status_disabled }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Paging page count pages />
                    }.into_any()
                }
                Err(_) => view! { <p role="alert" class="mt-6">{i18n.t().load_failed}</p> }.into_any(),
            })}
        </Transition>
        <NewUserForm create />
    }
}

#[component]
fn NewUserForm(
    create: Action<NewUser, Result<model::identity::UserView, ServerFnError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (email, username, name, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let roles = RwSignal::new(Vec::<String>::new());
    let error = failure(create);
    Effect::new(move |_| {
        if create.value().get().is_some_and(|r| r.is_ok()) {
            for field in [email, username, name, password] {
                field.set(String::new());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = roles.get_untracked();
        create.dispatch(NewUser {
            email: email.get_untracked(),
            username: Some(username.get_untracked()),
            display_name: name.get_untracked(),
            password: password.get_untracked(),
            roles: (!chosen.is_empty()).then_some(chosen),
            locale: None,
        });
    };
    view! {
        <section class=format!("{CARD} mt-8") aria-labelledby="new-user">
            <h2 id="new-user" class="text-xl font-semibold">{move || i18n.t().users_new}</h2>
            <form class="mt-4 grid gap-4 sm:grid-cols-2" on:submit=submit data-testid="new-user-form">
                <label class=LABEL>{move || i18n.t().field_email}
                    <input type="email" required class=INPUT bind:value=email name="email" />
                </label>
                <label class=LABEL>{move || i18n.t().field_display_name}
                    <input type="text" required class=INPUT bind:value=name name="displayName" />
                </label>
                <label class=LABEL>{move || i18n.t().field_username}
                    <input type="text" class=INPUT bind:value=username name="username" />
                </label>
                <label class=LABEL>{move || i18n.t().field_new_password}
                    <input type="password" required minlength="8" autocomplete="new-password" class=INPUT bind:value=password name="password" />
                </label>
                <div class="sm:col-span-2"><RolePicker selected=roles /></div>
                <div class="sm:col-span-2">
                    <ErrorLine code=error />
                    <button type="submit" class=PRIMARY_BUTTON disabled=move || create.pending().get()>{move || i18n.t().users_create}</button>
                </div>
            </form>
        </section>
    }
}
