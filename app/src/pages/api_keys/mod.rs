//! API keys: every signed-in user makes, rotates and revokes their own; a
//! role with the `apiKeys` permission sees everyone's (the service decides).
//!
//! A new token is shown once, in place, so creating and rotating need
//! JavaScript; the list and revoking work without it.

pub mod fns;
mod form;
mod table;
mod token;

use leptos::prelude::*;
use model::identity::IssuedApiKey;

use crate::components::page_title::PageTitle;
use crate::i18n::use_i18n;
use crate::session::RequireSignIn;
use fns::{issuable_roles, list_api_keys};
use form::NewKeyForm;
use table::KeyList;
use token::IssuedToken;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(1u32);
    // Bumped after every change, so the list reads again.
    let version = RwSignal::new(0u32);
    // Made outside the sign-in guard's suspense boundary: made inside one,
    // the browser fetches again instead of hydrating with the server's data.
    let keys = Resource::new(
        move || (page.get(), version.get()),
        |(page, _)| list_api_keys(page),
    );
    let roles = Resource::new(|| (), |_| issuable_roles());
    // The token of the latest create or rotate, until "Done"; never stored.
    let issued = RwSignal::new(None::<IssuedApiKey>);
    view! {
        <PageTitle text=|t| t.keys_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().keys_title}</h1>
        <p class="mt-2 max-w-3xl text-slate-600 dark:text-slate-400">{move || i18n.t().keys_intro}</p>
        <RequireSignIn>
            <IssuedToken issued />
            <NewKeyForm roles issued version />
            <KeyList keys page version issued />
        </RequireSignIn>
    }
}

/// False in the server's HTML, true once the page runs in the browser:
/// what shows a token has to wait for it.
fn interactive() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_ready.set(true));
    ready
}
