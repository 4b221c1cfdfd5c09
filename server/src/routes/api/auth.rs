//! `auth:signIn`, `auth:signOut`, `auth:signOutEverywhere`, `auth:check`,
//! `auth:changePassword` and `roles:check`'s sibling for the current user.

use axum::http::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use service::{auth, users};

use super::body::{Answer, Request};
use super::wrong_method;
use crate::api_error::ApiError;
use crate::edge::cookie::clear_session_cookie;

/// NocoBase's body; `email` is accepted for `account` as NocoBase does.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignIn {
    #[serde(alias = "email", alias = "username")]
    account: String,
    password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangePassword {
    old_password: String,
    new_password: String,
    /// NocoBase clients send the new password twice.
    #[serde(default)]
    confirm_password: Option<String>,
}

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    let services = request.services();
    let actor = request.actor;
    Some(match (action, method) {
        ("signIn", &Method::POST) => sign_in(request).await,
        ("signOut", &Method::POST) => auth::sign_out(services, actor)
            .await
            .map(|()| {
                Answer::WithCookie(
                    Value::Null,
                    clear_session_cookie(request.state.secure_cookies),
                )
            })
            .map_err(ApiError::from),
        ("signOutEverywhere", &Method::POST) => {
            match auth::sign_out_everywhere(services, actor).await {
                Ok(ended) => Ok(Answer::WithCookie(
                    json!({ "sessionsEnded": ended }),
                    clear_session_cookie(request.state.secure_cookies),
                )),
                Err(error) => Err(error.into()),
            }
        }
        ("check", &Method::GET) => match auth::current_user(services, actor).await {
            Ok(current) => Answer::data(current.user),
            Err(error) => Err(error.into()),
        },
        ("changePassword", &Method::POST) => change_password(request).await,
        ("signIn" | "signOut" | "signOutEverywhere" | "check" | "changePassword", _) => {
            wrong_method()
        }
        _ => return None,
    })
}

async fn sign_in(request: &Request<'_>) -> Result<Answer, ApiError> {
    let body: SignIn = request.json()?;
    let origin = request.actor.origin.clone();
    let session = auth::sign_in(request.services(), &body.account, &body.password, origin).await?;
    Answer::data(json!({ "token": session.token, "user": session.user.user }))
}

async fn change_password(request: &Request<'_>) -> Result<Answer, ApiError> {
    let body: ChangePassword = request.json()?;
    if body
        .confirm_password
        .as_ref()
        .is_some_and(|c| *c != body.new_password)
    {
        return Err(service::Error::InvalidInput(
            "the new password and its confirmation differ".into(),
        )
        .into());
    }
    users::change_own_password(
        request.services(),
        request.actor,
        &body.old_password,
        &body.new_password,
    )
    .await?;
    Answer::data(Value::Null)
}
