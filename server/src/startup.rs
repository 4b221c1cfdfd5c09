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
use service::store::StoreLocation;
use service::{Services, Store, instance, setup};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::master_key::{self, ResolvedKey};
use crate::router;
use crate::routes::assets;
use crate::state::AppState;

/// Name of the hydration bundle in `<site_root>/pkg` (`ferrobase.js`,
/// `ferrobase_bg.wasm`, `ferrobase.css`), as written by `build_site` in `.ci/lib.sh`.
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
        let opened = open_store(config).await?;
        let store = opened.store.clone();
        let services = match services(config, opened) {
            Ok(services) => services,
            Err(error) => {
                store.close().await;
                return Err(error);
            }
        };
        if let Err(error) = services.data.reload(&services.store).await {
            store.close().await;
            return Err(anyhow::anyhow!(
                "cannot read the data sources: {}",
                error.chain()
            ));
        }
        service::data::sources::connect_all_in_background(&services);
        if let Err(error) = create_first_admin(config, &services).await {
            store.close().await;
            return Err(error);
        }
        warn_if_assets_missing(config);
        let asset_version = assets::version(&config.site_root);
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            )
            .context("invalid metrics buckets")?
            .build_recorder();
        let state = AppState {
            services,
            secure_cookies: config.public_url.starts_with("https://"),
            public_origin: origin_of(&config.public_url),
            public_origin_given: config.public_url_given,
            trusted_proxies: config.trusted_proxies.clone().into(),
            limits: config.limits,
            cors_origins: config.cors_origins.clone().into(),
            leptos: leptos_options(config, listener.local_addr()?, &asset_version),
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

/// `https://hub.example.com/ferrobase` → `https://hub.example.com`.
fn origin_of(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    match url[authority_start..].find('/') {
        Some(end) => url[..authority_start + end].to_owned(),
        None => url.to_owned(),
    }
}

/// `FERROBASE_ADMIN_EMAIL`/`_PASSWORD` on a store without an administrator.
async fn create_first_admin(config: &Config, services: &Services) -> anyhow::Result<()> {
    let Some(admin) = &config.first_admin else {
        return Ok(());
    };
    let input = model::identity::NewUser {
        email: admin.email.clone(),
        display_name: "Administrator".to_owned(),
        password: admin.password.clone(),
        ..Default::default()
    };
    match setup::admin_from_environment(services, &input).await {
        Ok(Some(user)) => {
            tracing::info!(email = %user.email, "created the first administrator from FERROBASE_ADMIN_EMAIL");
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => bail!("FERROBASE_ADMIN_EMAIL/FERROBASE_ADMIN_PASSWORD: {error}"),
    }
}

/// `ferrobase create-admin`: the password comes from the environment or
/// standard input, never from the command line (other users can read it).
pub async fn create_admin(
    config: &Config,
    email: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<()> {
    let opened = open_store(config).await?;
    let store = opened.store.clone();
    let services = services(config, opened)?;
    let input = model::identity::NewUser {
        email: email.to_owned(),
        display_name: name.to_owned(),
        password: password.to_owned(),
        ..Default::default()
    };
    let created = setup::create_admin(&services, &input).await;
    store.close().await;
    let user = created.map_err(|e| anyhow::anyhow!("cannot create the administrator: {e}"))?;
    println!("created administrator {} (id {})", user.email, user.id);
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let opened = open_store(config).await?;
    println!(
        "{}: {} migration(s) applied now, {} in total",
        config.store.describe(),
        opened.newly_applied,
        opened.store.migrations_expected()
    );
    opened.store.close().await;
    Ok(())
}

struct OpenedStore {
    store: Store,
    newly_applied: usize,
    key: service::MasterKey,
}

/// The core over an opened store: its key seals secrets, and data sources
/// may not reach the store itself or link-local addresses.
fn services(config: &Config, opened: OpenedStore) -> anyhow::Result<Services> {
    use service::target_guard::{MetadataStore, TargetPolicy};
    let metadata =
        MetadataStore::from_location(&config.store).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut targets = TargetPolicy::new(&config.data_source_allow, Some(metadata))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let StoreLocation::Sqlite(path) = &config.store {
        targets = targets.protect_file(master_key::key_file_for(path));
    }
    let data = service::data::DataSources::new(opened.key, targets)
        .with_count_cache(config.count_cache)
        .with_env_allow(config.env_allow.clone());
    Ok(Services::new(opened.store, config.auth.clone(), data))
}

/// Opens the store with its master key settled, then migrates. A missing
/// SQLite file is only created once the key is known to be usable; on any
/// later failure the pool is closed so SQLite folds its WAL back in.
async fn open_store(config: &Config) -> anyhow::Result<OpenedStore> {
    let fresh_sqlite = matches!(&config.store, StoreLocation::Sqlite(path) if !path.exists());
    let early_key = match fresh_sqlite {
        true => Some(master_key::resolve(
            config.master_key.as_ref(),
            &config.store,
            false,
        )?),
        false => None,
    };
    let store = Store::open(&config.store).await?;
    match prepare(&store, config, early_key).await {
        Ok((newly_applied, key)) => Ok(OpenedStore {
            store,
            newly_applied,
            key,
        }),
        Err(error) => {
            store.close().await;
            Err(error)
        }
    }
}

/// Checks the key against the store's record, saves a generated key, then
/// migrates and records the installation. Returns how many migrations ran.
async fn prepare(
    store: &Store,
    config: &Config,
    early_key: Option<ResolvedKey>,
) -> anyhow::Result<(usize, service::MasterKey)> {
    let recorded = instance::recorded_fingerprint(store).await?;
    let resolved = match early_key {
        Some(resolved) => resolved,
        None => master_key::resolve(
            config.master_key.as_ref(),
            &config.store,
            recorded.is_some(),
        )?,
    };
    if recorded.is_some_and(|fingerprint| fingerprint != resolved.key.fingerprint()) {
        bail!(instance::key_mismatch());
    }
    // Saved before anything is recorded with it: a key the store depends on
    // must never exist only in memory.
    if let Some(path) = &resolved.save_to {
        master_key::save(&resolved.key, path)?;
        tracing::info!(path = %path.display(), "generated a master key for the embedded store; back it up with the database");
    }
    let before = store.migrations_applied().await?;
    let total = store.migrate().await?;
    instance::ensure(store, &resolved.key).await?;
    Ok((total.saturating_sub(before), resolved.key))
}

fn leptos_options(config: &Config, addr: SocketAddr, asset_version: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir(format!("{}/{asset_version}", assets::PKG))
        .site_addr(addr)
        .build()
}

/// Pages still render without the bundle, but nothing becomes interactive:
/// say so loudly instead of failing, so probes and the API keep working.
fn warn_if_assets_missing(config: &Config) {
    let bundle = config
        .site_root
        .join(assets::PKG)
        .join(format!("{OUTPUT_NAME}_bg.wasm"));
    if !bundle.exists() {
        tracing::warn!(
            missing = %bundle.display(),
            "web assets not found: pages will not be interactive; build them with `bash .ci/serve` (or `build_site` in .ci/lib.sh) or set FERROBASE_SITE_ROOT"
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
