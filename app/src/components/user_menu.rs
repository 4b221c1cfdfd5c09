//! The header's account corner: the signed-in user with profile and
//! sign-out (a plain form post, so it works without JavaScript), or a
//! sign-in link.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::session::use_session;

const LINK: &str = "rounded-md px-3 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800";

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || session.0.get().and_then(Result::ok).map(|info| match info.user {
                Some(current) => view! {
                    <a href="/profile" class=LINK data-testid="current-user" title=current.user.email.clone()>
                        {current.user.display_name.clone()}
                    </a>
                    <form method="post" action="/auth/signout">
                        <button type="submit" class=LINK data-testid="sign-out">{move || i18n.t().sign_out}</button>
                    </form>
                }.into_any(),
                None if info.setup_needed => view! {
                    <a href="/setup" class=LINK>{move || i18n.t().setup_title}</a>
                }.into_any(),
                None => view! {
                    <a href="/signin" class=LINK data-testid="sign-in-link">{move || i18n.t().sign_in}</a>
                }.into_any(),
            })}
        </Suspense>
    }
}
