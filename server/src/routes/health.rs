//! Probes for orchestrators: `/healthz` (the process answers) and `/readyz`
//! (the metadata store answers and is fully migrated). Both are public and
//! say nothing else; the details are on the status page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

pub async fn live() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let ready = service::health::is_ready(&state.services.store).await;
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(json!({ "ready": ready })))
}
