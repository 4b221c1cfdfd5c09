//! The one state value handed to every handler, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusRecorder;
use service::Services;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    /// Served over https (the public URL says so): the session cookie is
    /// `Secure` with the `__Host-` prefix, and responses carry HSTS.
    pub secure_cookies: bool,
    /// `scheme://host[:port]` users reach Ferrobase at; the CSRF check
    /// accepts state-changing requests from this origin only.
    pub public_origin: String,
    /// The operator configured `public_origin`: then it is the only origin
    /// accepted, whatever `Host` the request names.
    pub public_origin_given: bool,
    /// See `Config::trusted_proxies`.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Body size and time bounds (see `Config::limits`).
    pub limits: crate::config::RequestLimits,
    /// Origins allowed to call `/api` cross-origin (see `Config::cors_origins`).
    pub cors_origins: Arc<[String]>,
    /// Its `site_pkg_dir` is `pkg/<version>`, the bundle's URLs (see
    /// `routes::assets::version`).
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
