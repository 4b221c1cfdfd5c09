//! The sign-in page: a plain form posted to `/auth/signin`, so it works
//! with JavaScript disabled; errors come back as `?error=CODE`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::form::{CARD, ErrorLine, INPUT, LABEL, PRIMARY_BUTTON};
use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = Signal::derive(move || query.read().get("error"));
    let account = move || query.read().get("account").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    view! {
        <PageTitle text=|t| t.sign_in />
        <section class=format!("{CARD} mx-auto max-w-md")>
            <h1 class="text-2xl font-bold tracking-tight">{move || i18n.t().signin_title}</h1>
            <ErrorLine code=error />
            <form method="post" action="/auth/signin" class="mt-4 space-y-4" data-testid="sign-in-form">
                <input type="hidden" name="next" value=next />
                <label class=LABEL>
                    {move || i18n.t().signin_account}
                    <input name="account" type="text" autocomplete="username" required class=INPUT value=account />
                </label>
                <label class=LABEL>
                    {move || i18n.t().signin_password}
                    <input name="password" type="password" autocomplete="current-password" required class=INPUT />
                </label>
                <button type="submit" class=PRIMARY_BUTTON>{move || i18n.t().sign_in}</button>
            </form>
        </section>
    }
}
