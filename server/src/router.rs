//! Every URL space of Ferrobase in one place (see ARCHITECTURE.md: pages,
//! `/_sfn` server functions, `/api` REST, probes and metrics).

use app::{App, shell};
use axum::Router;
use axum::http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE};
use axum::middleware;
use axum::routing::{any, get};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use model::preference_cookie::{LOCALE_ROUTE, THEME_ROUTE};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::trace::TraceLayer;

use crate::http_metrics;
use crate::routes::{api, health, metrics, preferences};
use crate::state::AppState;

pub fn build(state: AppState) -> Router {
    let store = state.store.clone();
    // What every page render and server fn may `use_context` for.
    let context = move || provide_context(store.clone());
    let options = state.leptos.clone();
    let pages = generate_route_list(App);

    Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::render))
        .route(&format!("{LOCALE_ROUTE}/{{tag}}"), get(preferences::locale))
        .route(&format!("{THEME_ROUTE}/{{theme}}"), get(preferences::theme))
        .route("/api/{*path}", any(api::not_found))
        .leptos_routes_with_context(&state, pages, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http_metrics::record,
        ))
        .layer(
            ServiceBuilder::new()
                // Marked before tracing so credentials never reach a log line.
                .layer(SetSensitiveRequestHeadersLayer::new([
                    AUTHORIZATION,
                    PROXY_AUTHORIZATION,
                    COOKIE,
                ]))
                .layer(SetSensitiveResponseHeadersLayer::new([SET_COOKIE]))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new()),
        )
        .with_state(state)
}

/// The span every log line of a request carries: method, path and the
/// request id that is also returned to the client as `x-request-id`.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}
