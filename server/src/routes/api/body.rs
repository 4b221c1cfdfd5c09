//! What every API handler receives and returns.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::identity::Page;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use service::{Actor, Error};

use crate::api_error::ApiError;
use crate::state::AppState;

pub struct Request<'a> {
    pub state: &'a AppState,
    pub actor: &'a Actor,
    pub params: Params,
    pub body: Bytes,
}

impl Request<'_> {
    /// The JSON body as `T`; malformed JSON, unknown keys or anything but
    /// an object (serde would take a struct's fields from an array by
    /// position) are a 400 that says what is wrong.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let invalid = |e: serde_json::Error| {
            ApiError::from(Error::InvalidInput(format!(
                "the request body is not valid: {e}"
            )))
        };
        let value: Value = serde_json::from_slice(&self.body).map_err(invalid)?;
        if !value.is_object() {
            return Err(
                Error::InvalidInput("the request body must be a JSON object".into()).into(),
            );
        }
        T::deserialize(value).map_err(invalid)
    }

    pub fn services(&self) -> &service::Services {
        &self.state.services
    }
}

/// Query-string parameters (`filterByTk`, `page`, `pageSize`, …): by name
/// (the last value wins) and as sent, for repeated ones like `sort[]`.
pub struct Params {
    pub named: HashMap<String, String>,
    pub pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(query: Option<&str>) -> Params {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        Params {
            named: pairs.iter().cloned().collect(),
            pairs,
        }
    }

    /// Replaces every value of `name` (a REST path's id as `filterByTk`).
    pub fn set(&mut self, name: &str, value: &str) {
        self.pairs
            .retain(|(n, _)| n != name && n.strip_suffix("[]") != Some(name));
        self.pairs.push((name.to_owned(), value.to_owned()));
        self.named.insert(name.to_owned(), value.to_owned());
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.named
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    Error::InvalidInput(format!("{name} must be a whole number")).into()
                })
            })
            .transpose()
    }

    /// `filterByTk`, NocoBase's record key parameter; required.
    pub fn key<T: std::str::FromStr>(&self) -> Result<T, ApiError> {
        self.number("filterByTk")?
            .ok_or_else(|| Error::InvalidInput("filterByTk is required".into()).into())
    }

    pub fn page(&self) -> Result<(u32, u32), ApiError> {
        Ok((
            self.number("page")?.unwrap_or(1),
            self.number("pageSize")?.unwrap_or(20),
        ))
    }
}

pub enum Answer {
    Data(Value),
    List(Value, Value),
    /// `{"data": …}` plus a `Set-Cookie`.
    WithCookie(Value, HeaderValue),
    Csv(String),
    Status(StatusCode, &'static str),
    /// JSON as it is, without `{"data": …}` (NocoBase's `swagger:get`).
    Unwrapped(Value),
}

impl Answer {
    pub fn data(value: impl Serialize) -> Result<Answer, ApiError> {
        serde_json::to_value(value)
            .map(Answer::Data)
            .map_err(|e| Error::Internal(Box::new(e)).into())
    }

    pub fn page<T: Serialize>(page: Page<T>) -> Result<Answer, ApiError> {
        let meta = json!({
            "count": page.count,
            "page": page.page,
            "pageSize": page.page_size,
            "totalPage": page.total_pages(),
        });
        let items = serde_json::to_value(page.items).map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(Answer::List(items, meta))
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Data(data) => Json(json!({ "data": data })).into_response(),
            Answer::Unwrapped(value) => Json(value).into_response(),
            Answer::List(data, meta) => Json(json!({ "data": data, "meta": meta })).into_response(),
            Answer::WithCookie(data, cookie) => {
                ([(SET_COOKIE, cookie)], Json(json!({ "data": data }))).into_response()
            }
            Answer::Csv(csv) => (
                [
                    (
                        CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        HeaderValue::from_static("attachment; filename=\"audit-log.csv\""),
                    ),
                ],
                csv,
            )
                .into_response(),
            Answer::Status(status, message) => {
                let code = status
                    .canonical_reason()
                    .unwrap_or("ERROR")
                    .to_uppercase()
                    .replace(' ', "_");
                (
                    status,
                    Json(json!({ "errors": [{ "message": message, "code": code }] })),
                )
                    .into_response()
            }
        }
    }
}

/// A body over the limit (413) or one that could not be read (400), in
/// the errors envelope.
pub fn too_large_or_unreadable(rejection: BytesRejection) -> Response {
    let status = rejection.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the request body is too large"
    } else {
        "the request body could not be read"
    };
    Answer::Status(status, message).into_response()
}
