//! `/metrics` in Prometheus text format: HTTP figures recorded by
//! `http_metrics`, plus the metadata pool sampled at scrape time. Needs the
//! `system` permission (a scraper sends an API key as a bearer token).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::edge::actor::CurrentActor;
use crate::state::AppState;

pub async fn render(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> Response {
    if let Err(error) = service::health::may_read_metrics(&actor) {
        return ApiError(error).into_response();
    }
    let (open, idle) = state.services.store.pool_stats();
    metrics::with_local_recorder(&*state.metrics, || {
        metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(open));
        metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    });
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.handle().render(),
    )
        .into_response()
}
