//! Who is signed in, as every page and the header see it, and the guard
//! admin pages render through. Pages only hide what the actor cannot do;
//! the service functions behind the server functions are the authority.

use leptos::prelude::*;
use model::identity::{CurrentUser, SystemPermission};
use serde::{Deserialize, Serialize};

use crate::i18n::use_i18n;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<CurrentUser>,
    /// No administrator exists yet: every page points to `/setup`.
    pub setup_needed: bool,
}

impl SessionInfo {
    pub fn can(&self, permission: SystemPermission) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.permissions.allows(permission))
    }
}

#[server(prefix = "/_sfn", endpoint = "session")]
pub async fn load_session() -> Result<SessionInfo, ServerFnError> {
    let services = crate::server_fns::services()?;
    let actor = crate::server_fns::actor();
    let setup_needed = service::setup::needed(&services)
        .await
        .map_err(crate::server_fns::fail)?;
    let user = match actor.user() {
        Ok(_) => Some(
            service::auth::current_user(&services, &actor)
                .await
                .map_err(crate::server_fns::fail)?,
        ),
        Err(_) => None,
    };
    Ok(SessionInfo { user, setup_needed })
}

/// The session resource, loaded once per page load and shared.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<SessionInfo, ServerFnError>>);

pub fn provide_session() {
    // Blocking: the header and menu depend on it, so the server resolves it
    // before the first byte and the browser hydrates with it in hand.
    provide_context(Session(Resource::new_blocking(|| (), |_| load_session())));
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Renders `children` when the visitor is signed in and their role holds
/// `permission`; otherwise says what to do (sign in, or ask for access).
#[component]
pub fn RequirePermission(permission: SystemPermission, children: ChildrenFn) -> impl IntoView {
    view! { <Guard allowed=move |info: &SessionInfo| info.can(permission)>{children()}</Guard> }
}

/// Renders `children` for any signed-in visitor.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    view! { <Guard allowed=|info: &SessionInfo| info.user.is_some()>{children()}</Guard> }
}

#[component]
fn Guard(
    allowed: impl Fn(&SessionInfo) -> bool + Send + Sync + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || {
                session.0.get().map(|info| match info {
                    Ok(info) if allowed(&info) => children.with_value(|c| c()).into_any(),
                    Ok(info) if info.user.is_some() => view! { <Notice text=move || i18n.t().no_permission /> }.into_any(),
                    _ => view! { <SignInPrompt /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let next = leptos_router::hooks::use_location().pathname;
    let href = move || {
        format!(
            "/signin?next={}",
            model::preference_cookie::encode_query_value(&next.get())
        )
    };
    view! {
        <div class="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900" data-testid="sign-in-required">
            <p>{move || i18n.t().signin_required}</p>
            <a href=href class=crate::components::form::PRIMARY_BUTTON>{move || i18n.t().sign_in}</a>
        </div>
    }
}

#[component]
pub fn Notice(#[prop(into)] text: Signal<&'static str>) -> impl IntoView {
    view! {
        <p role="alert" class="rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            {text}
        </p>
    }
}
