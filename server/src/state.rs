//! The one state value handed to every handler, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusRecorder;
use service::Services;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    /// Cookies get `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// `scheme://host[:port]` users reach Ferrobase at; the CSRF check
    /// accepts state-changing requests from this origin only.
    pub public_origin: String,
    /// See `Config::trusted_proxies`.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Body size and time bounds (see `Config::limits`).
    pub limits: crate::config::RequestLimits,
    /// Origins allowed to call `/api` cross-origin (see `Config::cors_origins`).
    pub cors_origins: Arc<[String]>,
    pub leptos: LeptosOptions,
    /// Per-application (not global) so several servers in one test process
    /// keep separate figures.
    pub metrics: Arc<PrometheusRecorder>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
