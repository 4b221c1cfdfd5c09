//! First run: the one-time page that creates the first administrator. It
//! posts a plain form to `/auth/setup` (works without JavaScript) and is
//! refused by the server once an administrator exists.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::form::{CARD, ErrorLine, INPUT, LABEL, PRIMARY_BUTTON};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::{Notice, use_session};

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageTitle text=|t| t.setup_title />
        <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || {
                session.0.get().map(|info| match info {
                    Ok(info) if !info.setup_needed => view! {
                        <Notice text=move || i18n.t().setup_done />
                        <a href="/signin" class=PRIMARY_BUTTON>{move || i18n.t().sign_in}</a>
                    }.into_any(),
                    _ => view! { <SetupForm /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = Signal::derive(move || query.read().get("error"));
    let kept = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    view! {
        <section class=format!("{CARD} mx-auto max-w-lg")>
            <h1 class="text-2xl font-bold tracking-tight">{move || i18n.t().setup_title}</h1>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().setup_intro}</p>
            <ErrorLine code=error />
            <form method="post" action="/auth/setup" class="mt-4 space-y-4" data-testid="setup-form">
                <label class=LABEL>
                    {move || i18n.t().field_email}
                    <input name="email" type="email" autocomplete="email" required class=INPUT value=kept("email") />
                </label>
                <label class=LABEL>
                    {move || i18n.t().field_display_name}
                    <input name="displayName" type="text" autocomplete="name" required class=INPUT value=kept("displayName") />
                </label>
                <label class=LABEL>
                    {move || i18n.t().field_new_password}
                    <input name="password" type="password" autocomplete="new-password" required minlength="8" class=INPUT />
                </label>
                <label class=LABEL>
                    {move || i18n.t().field_password_confirmation}
                    <input name="passwordConfirmation" type="password" autocomplete="new-password" required minlength="8" class=INPUT />
                </label>
                <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().setup_submit}</button>
            </form>
        </section>
    }
}
