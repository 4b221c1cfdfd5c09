//! From configuration to a serving process. The order matters: bind the port
//! first and check the master key before migrating, so a start that fails
//! changes nothing on disk or in the database.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use service::{Store, instance};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::master_key;
use crate::router;
use crate::state::AppState;

/// Name of the hydration bundle in `<site_root>/pkg` (`ferrobase.js`,
/// `ferrobase_bg.wasm`, `ferrobase.css`), as written by `.ci/build`.
pub const OUTPUT_NAME: &str = "ferrobase";

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
}

impl Application {
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.addr).await.with_context(|| {
            format!(
                "cannot listen on {}; stop the process using it or set FERROBASE_ADDR to another address",
                config.addr
            )
        })?;
        let store = open_store(config).await?;
        warn_if_assets_missing(config);
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            )
            .context("invalid metrics buckets")?
            .build_recorder();
        let state = AppState {
            store: store.clone(),
            leptos: leptos_options(config, listener.local_addr()?),
            metrics: Arc::new(recorder),
        };
        Ok(Application {
            listener,
            router: router::build(state),
            store,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves, lets in-flight requests finish,
    /// then closes the database pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the HTTP server stopped unexpectedly")?;
        self.store.close().await;
        Ok(())
    }
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let shutdown = shutdown_signal()?;
    let app = Application::build(&config).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, public_url = %config.public_url, store = %config.store.describe(), "Ferrobase is ready");
    println!(
        "Ferrobase {} is running at {}",
        env!("CARGO_PKG_VERSION"),
        config.public_url
    );
    app.run_until(shutdown).await?;
    tracing::info!("Ferrobase stopped");
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let store = Store::open(&config.store).await?;
    let applied_before = store.migrations_applied().await?;
    let total = store.migrate().await?;
    println!(
        "{}: {} migration(s) applied now, {total} in total",
        config.store.describe(),
        total.saturating_sub(applied_before)
    );
    store.close().await;
    Ok(())
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::open(&config.store).await?;
    let recorded = instance::recorded_fingerprint(&store).await?;
    let resolved = master_key::resolve(
        config.master_key.as_ref(),
        &config.store,
        recorded.is_some(),
    )?;
    if recorded.is_some_and(|fingerprint| fingerprint != resolved.key.fingerprint()) {
        bail!(instance::key_mismatch());
    }
    store.migrate().await?;
    if let Some(path) = &resolved.save_to {
        master_key::save(&resolved.key, path)?;
        tracing::info!(path = %path.display(), "generated a master key for the embedded store; back it up with the database");
    }
    instance::ensure(&store, &resolved.key).await?;
    Ok(store)
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// Pages still render without the bundle, but nothing becomes interactive:
/// say so loudly instead of failing, so probes and the API keep working.
fn warn_if_assets_missing(config: &Config) {
    let bundle = config
        .site_root
        .join("pkg")
        .join(format!("{OUTPUT_NAME}_bg.wasm"));
    if !bundle.exists() {
        tracing::warn!(
            missing = %bundle.display(),
            "web assets not found: pages will not be interactive; build them with `bash .ci/build` or set FERROBASE_SITE_ROOT"
        );
    }
}

/// Registered before the port is bound, so a SIGTERM that arrives while
/// the store is still opening is a graceful stop, not the default kill.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutting down: finishing in-flight requests");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}
