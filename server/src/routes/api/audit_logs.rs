//! `auditLogs:list` and `auditLogs:export` (CSV), with the same filters.

use axum::http::Method;
use service::{Error, audit};

use super::body::{Answer, Params, Request};
use super::wrong_method;
use crate::api_error::ApiError;

pub async fn handle(
    method: &Method,
    action: &str,
    request: &Request<'_>,
) -> Option<Result<Answer, ApiError>> {
    Some(match action {
        "list" if method == Method::GET => list(request).await,
        "export" if method == Method::GET => export(request).await,
        "list" | "export" => wrong_method(),
        _ => return None,
    })
}

/// `from`/`to` as `YYYY-MM-DD` (UTC; `to` includes that day) or Unix ms.
fn instant(params: &Params, name: &str, end_of_day: bool) -> Result<Option<i64>, ApiError> {
    let Some(text) = params.text(name) else {
        return Ok(None);
    };
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(Some(ms));
    }
    let day = model::time::parse_date(text).ok_or_else(|| {
        Error::InvalidInput(format!(
            "{name} must be a date (YYYY-MM-DD) or Unix milliseconds"
        ))
    })?;
    Ok(Some(if end_of_day { day + 86_400_000 } else { day }))
}

fn query(params: &Params) -> Result<audit::Query, ApiError> {
    let (page, page_size) = params.page()?;
    Ok(audit::Query {
        actor: params.text("actor").map(str::to_owned),
        action: params.text("action").map(str::to_owned),
        resource: params.text("resource").map(str::to_owned),
        from: instant(params, "from", false)?,
        to: instant(params, "to", true)?,
        page,
        page_size,
    })
}

async fn list(request: &Request<'_>) -> Result<Answer, ApiError> {
    let query = query(&request.params)?;
    Answer::page(audit::list(&request.services().store, request.actor, &query).await?)
}

async fn export(request: &Request<'_>) -> Result<Answer, ApiError> {
    let query = query(&request.params)?;
    Ok(Answer::Csv(
        audit::export_csv(&request.services().store, request.actor, &query).await?,
    ))
}
