//! Sign-in, sign-out and first-run set-up as plain HTML form posts, so they
//! work with JavaScript disabled. Success sets (or clears) the session
//! cookie and redirects; failure redirects back with the error code, which
//! the page shows translated.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::identity::NewUser;
use model::preference_cookie::encode_query_value;
use serde::Deserialize;
use service::actor::Principal;
use service::{Error, auth, sessions, setup};

use crate::edge::actor::CurrentActor;
use crate::edge::cookie::{clear_session_cookie, session_cookie};
use crate::routes::preferences::local_path;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SignInForm {
    account: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return back("/signin", "INVALID_INPUT", &[], None);
    };
    let next = local_path(form.next.as_deref());
    match auth::sign_in(
        &state.services,
        &form.account,
        &form.password,
        actor.origin.clone(),
    )
    .await
    {
        Ok(session) => {
            // A session the browser already had (someone else's, or a
            // planted one) ends here: the new id replaces it.
            if let Principal::User(previous) = &actor.principal
                && let Some(session) = previous.session()
            {
                let _ = sessions::revoke(&state.services, session).await;
            }
            signed_in(&state, &session.token, &next)
        }
        Err(error) => {
            let retry = match &error {
                Error::TooManyAttempts { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            back(
                "/signin",
                error.code(),
                &[("account", &form.account), ("next", &next)],
                retry,
            )
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Response {
    if let Err(error) = auth::sign_out(&state.services, &actor).await {
        tracing::warn!(error = %error.chain(), "sign-out failed");
    }
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, clear_session_cookie(state.secure_cookies));
    headers.insert(LOCATION, HeaderValue::from_static("/signin"));
    (StatusCode::SEE_OTHER, headers).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupForm {
    email: String,
    display_name: String,
    password: String,
    password_confirmation: String,
}

pub async fn setup(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    form: Result<Form<SetupForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return back("/setup", "INVALID_INPUT", &[], None);
    };
    let keep = [
        ("email", form.email.as_str()),
        ("displayName", form.display_name.as_str()),
    ];
    if form.password != form.password_confirmation {
        return back("/setup", "PASSWORD_MISMATCH", &keep, None);
    }
    let input = NewUser {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password,
        ..NewUser::default()
    };
    match setup::create_first_admin(&state.services, &input, actor.origin.clone()).await {
        Ok(session) => signed_in(&state, &session.token, "/"),
        Err(error) => back("/setup", error.code(), &keep, None),
    }
}

fn signed_in(state: &AppState, token: &str, next: &str) -> Response {
    let max_age = state.services.policy.session_max.as_secs();
    let mut headers = HeaderMap::new();
    headers.insert(
        SET_COOKIE,
        session_cookie(token, max_age, state.secure_cookies),
    );
    if let Ok(location) = HeaderValue::from_str(next) {
        headers.insert(LOCATION, location);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// Back to the form page with `?error=CODE` and the values worth keeping
/// (never the password).
fn back(page: &str, code: &str, keep: &[(&str, &str)], retry_after: Option<u64>) -> Response {
    let mut location = format!("{page}?error={code}");
    for (name, value) in keep {
        location.push_str(&format!("&{name}={}", encode_query_value(value)));
    }
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(LOCATION, value);
    }
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}
