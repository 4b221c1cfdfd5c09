//! Every URL space of Ferrobase in one place (see ARCHITECTURE.md: pages,
//! `/_sfn` server functions, `/api` REST, probes and metrics).

use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE};
use axum::middleware;
use axum::routing::{any, get, post};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use model::preference_cookie::{LOCALE_ROUTE, THEME_ROUTE};
use std::time::Duration;
use tower::ServiceBuilder;
use tower::util::option_layer;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::trace::TraceLayer;

use crate::edge::{actor, csrf, limits, security_headers};
use crate::http_metrics;
use crate::routes::{api, api_docs, assets, health, metrics, preferences, session_forms};
use crate::state::AppState;

pub fn build(state: AppState) -> Router {
    let services = state.services.clone();
    // What every page render and server fn may `use_context` for: the core,
    // the request's actor, and (for pages) the CSP naming this render's nonce.
    let context = move || {
        provide_context(services.clone());
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            provide_context(actor::actor_of(&parts));
            if let (Some(nonce), Some(slot)) = (
                leptos::nonce::use_nonce(),
                parts.extensions.get::<security_headers::PageNonce>(),
            ) {
                slot.set(&nonce);
            }
        }
    };
    let options = state.leptos.clone();
    let pages = generate_route_list(App);
    // What no route and no site file answers: the app's not-found page.
    let not_found = leptos_axum::render_app_to_stream_with_context(context.clone(), {
        let options = options.clone();
        move || shell(options.clone())
    });

    Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::render))
        .route(&format!("{LOCALE_ROUTE}/{{tag}}"), get(preferences::locale))
        .route(&format!("{THEME_ROUTE}/{{theme}}"), get(preferences::theme))
        .route("/auth/signin", post(session_forms::sign_in))
        .route("/auth/signout", post(session_forms::sign_out))
        .route("/auth/setup", post(session_forms::setup))
        .route("/api-docs", get(api_docs::page))
        .route("/api-docs/{file}", get(api_docs::asset))
        .route("/api/openapi.json", get(api::openapi_json))
        .route("/api/{*path}", any(api::dispatch))
        .route(
            &format!("/{}/{{version}}/{{*file}}", assets::PKG),
            get(assets::bundle),
        )
        .leptos_routes_with_context(&state, pages, context, move || shell(options.clone()))
        .fallback(move |State(state): State<AppState>, request: Request| {
            let not_found = not_found.clone();
            async move {
                match assets::site_file(&state, request).await {
                    Ok(file) => file,
                    Err(request) => not_found(request).await,
                }
            }
        })
        // Innermost first: the actor is resolved after the CSRF check has
        // refused forged requests, and every answer gets the security headers.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            actor::resolve,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        // Inside the deadline, so a body sent too slowly still gets its 408.
        .layer(middleware::from_fn_with_state(
            state.limits.max_body_bytes,
            limits::body_size,
        ))
        .layer(middleware::from_fn_with_state(
            state.secure_cookies,
            security_headers::add,
        ))
        .layer(middleware::from_fn_with_state(
            state.limits.timeout,
            limits::deadline,
        ))
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http_metrics::record,
        ))
        // Outside the CSRF check: a preflight carries no credentials and is
        // answered here; the request that follows is checked as usual.
        .layer(option_layer(limits::cors(&state.cors_origins)))
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
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_failure(log_failure),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new()),
        )
        .with_state(state)
}

/// A 500 is Ferrobase's own fault and logged as an error; a 502, 503 or 504
/// is a database or service behind it failing or busy (a connection test
/// that fails, say), a warning.
fn log_failure(failure: ServerErrorsFailureClass, latency: Duration, _: &tracing::Span) {
    let latency_ms = latency.as_millis();
    match failure {
        ServerErrorsFailureClass::StatusCode(status)
            if status != StatusCode::INTERNAL_SERVER_ERROR =>
        {
            tracing::warn!(%status, latency_ms, "response failed");
        }
        other => tracing::error!(classification = %other, latency_ms, "response failed"),
    }
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
