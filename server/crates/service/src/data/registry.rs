//! The data sources of this process: definitions and collections read from
//! the store (cheap, no network), live connection pools created on first
//! use, and a status per source. Every change bumps `catalog_version`; other
//! processes notice within [`RECHECK`] and reload.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use connectors::schema::Collection;
use connectors::{ConnectionConfig, Connector};
use model::data::{Engine, SourceStatus, is_source_key};

use super::definitions::{self, Definition, MAIN, StoredCollection};
use super::settings::build_catalog;
use crate::secrets::{self, EnvAllowList, Sealed};
use crate::target_guard::{Target, TargetPolicy, first_answering};
use crate::{Error, MasterKey, Result, Store};

/// How stale another process's change may be seen here.
pub const RECHECK: Duration = Duration::from_secs(1);

/// One data source as loaded: its definition, its collections as stored
/// and as queries see them.
#[derive(Debug)]
pub struct Source {
    pub definition: Definition,
    /// The engine whose type names the collections use.
    pub engine: Engine,
    pub stored: Vec<StoredCollection>,
    pub catalog: HashMap<String, Collection>,
}

impl Source {
    pub fn is_main(&self) -> bool {
        self.definition.key == MAIN
    }

    /// The SQL dialect its collections are queried in.
    pub fn dialect(&self) -> connectors::Dialect {
        connectors::Dialect::for_engine(self.engine)
    }

    pub fn stored(&self, name: &str) -> Option<&StoredCollection> {
        self.stored.iter().find(|c| c.name == name)
    }
}

#[derive(Default)]
struct Snapshot {
    version: i64,
    sources: HashMap<String, Arc<Source>>,
}

pub struct DataSources {
    master_key: MasterKey,
    targets: TargetPolicy,
    /// The variables a password's `{{$env.NAME}}` may read.
    env_allow: EnvAllowList,
    snapshot: RwLock<Arc<Snapshot>>,
    checked_at: Mutex<Option<Instant>>,
    /// Live pools by source key, with the `updated_at` they were built for.
    pools: Mutex<HashMap<String, (i64, Connector)>>,
    statuses: Mutex<HashMap<String, (SourceStatus, Option<String>)>>,
    /// How long a counted list's total may be reused, for every source.
    count_cache: Duration,
    /// The `main` source's connector over the store's own pool, kept so its
    /// count cache lives as long as the process.
    main: OnceLock<Connector>,
}

impl std::fmt::Debug for DataSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataSources").finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl DataSources {
    pub fn new(master_key: MasterKey, targets: TargetPolicy) -> DataSources {
        DataSources {
            master_key,
            targets,
            env_allow: EnvAllowList::default(),
            snapshot: RwLock::default(),
            checked_at: Mutex::new(None),
            pools: Mutex::default(),
            statuses: Mutex::default(),
            count_cache: ConnectionConfig::DEFAULT_COUNT_CACHE,
            main: OnceLock::new(),
        }
    }

    /// Sets how long a counted list's total may be reused (zero: never).
    pub fn with_count_cache(mut self, ttl: Duration) -> DataSources {
        self.count_cache = ttl;
        self
    }

    /// Sets which environment variables password references may read.
    pub fn with_env_allow(mut self, allow: EnvAllowList) -> DataSources {
        self.env_allow = allow;
        self
    }

    /// A password reference's value, if the operator allows the variable.
    pub fn resolve_env_reference(&self, reference: &str) -> Result<String> {
        self.env_allow.resolve(reference)
    }

    pub fn master_key(&self) -> &MasterKey {
        &self.master_key
    }

    pub fn targets(&self) -> &TargetPolicy {
        &self.targets
    }

    /// The source `key` as currently loaded (reloading first if another
    /// process changed the catalog).
    pub async fn source(&self, store: &Store, key: &str) -> Result<Arc<Source>> {
        self.refresh_if_stale(store).await?;
        self.current().sources.get(key).cloned().ok_or_else(|| {
            // Echoed only when it could be a key: a header or URL of
            // any length and content is not repeated back.
            let name = if is_source_key(key) {
                key
            } else {
                "(not a valid key)"
            };
            Error::NotFound(format!("data source {name}"))
        })
    }

    pub async fn all(&self, store: &Store) -> Result<Vec<Arc<Source>>> {
        self.refresh_if_stale(store).await?;
        let mut sources: Vec<Arc<Source>> = self.current().sources.values().cloned().collect();
        sources.sort_by(|a, b| {
            (!a.is_main(), &a.definition.key).cmp(&(!b.is_main(), &b.definition.key))
        });
        Ok(sources)
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    async fn refresh_if_stale(&self, store: &Store) -> Result<()> {
        let due = {
            let mut checked = lock(&self.checked_at);
            let due = checked.is_none_or(|at| at.elapsed() >= RECHECK);
            if due {
                *checked = Some(Instant::now());
            }
            due
        };
        if due && definitions::version(store).await? != self.current().version {
            self.reload(store).await?;
        }
        Ok(())
    }

    /// Reads every definition and collection again; after a change here,
    /// or when another process made one.
    pub async fn reload(&self, store: &Store) -> Result<()> {
        let (version, all, mut collections) = definitions::load_all(store).await?;
        let main_engine = match store {
            Store::Sqlite(_) => Engine::Sqlite,
            Store::Postgres(_) => Engine::Postgres,
        };
        let mut sources = HashMap::with_capacity(all.len());
        for definition in all {
            let engine = definition.engine.unwrap_or(main_engine);
            let (mine, rest): (Vec<_>, Vec<_>) = collections
                .into_iter()
                .partition(|c| c.data_source == definition.key);
            collections = rest;
            let catalog = build_catalog(engine, &mine);
            sources.insert(
                definition.key.clone(),
                Arc::new(Source {
                    definition,
                    engine,
                    stored: mine,
                    catalog,
                }),
            );
        }
        // Pools for deleted or changed sources are closed.
        let stale: Vec<Connector> = {
            let mut pools = lock(&self.pools);
            let gone: Vec<String> = pools
                .iter()
                .filter(|(key, (built_for, _))| {
                    sources.get(*key).is_none_or(|s: &Arc<Source>| {
                        s.definition.updated_at != *built_for || !s.definition.enabled
                    })
                })
                .map(|(key, _)| key.clone())
                .collect();
            gone.into_iter()
                .filter_map(|key| pools.remove(&key).map(|(_, c)| c))
                .collect()
        };
        for connector in stale {
            connector.close().await;
        }
        // A collection created, dropped or re-read since may reuse a name a
        // remembered total was counted under.
        for connector in lock(&self.pools)
            .values()
            .map(|(_, c)| c)
            .chain(self.main.get())
        {
            connector.forget_counts();
        }
        // A status describes the settings it was found with: a source that
        // changed or went (here or on another process) is untried again.
        let previous = self.current();
        lock(&self.statuses).retain(
            |key, _| match (previous.sources.get(key), sources.get(key)) {
                (Some(before), Some(after)) => {
                    before.definition.updated_at == after.definition.updated_at
                }
                _ => false,
            },
        );
        *self
            .snapshot
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Arc::new(Snapshot { version, sources });
        Ok(())
    }

    /// The live pool of a source, connecting on first use. A failure marks
    /// the source failed with the reason; success marks it loaded.
    pub async fn connector(&self, store: &Store, source: &Source) -> Result<Connector> {
        let key = &source.definition.key;
        if source.is_main() {
            return Ok(self
                .main
                .get_or_init(|| {
                    let timeout = ConnectionConfig::DEFAULT_STATEMENT_TIMEOUT;
                    match store {
                        Store::Sqlite(pool) => {
                            Connector::for_sqlite_pool(pool.clone(), timeout, self.count_cache)
                        }
                        Store::Postgres(pool) => {
                            Connector::for_postgres_pool(pool.clone(), timeout, self.count_cache)
                        }
                    }
                })
                .clone());
        }
        if !source.definition.enabled {
            return Err(Error::InvalidInput(format!(
                "data source {key} is disabled; enable it to use it"
            )));
        }
        if let Some((built_for, connector)) = lock(&self.pools).get(key)
            && *built_for == source.definition.updated_at
        {
            return Ok(connector.clone());
        }
        self.set_status(key, SourceStatus::Loading, None);
        let connected = self.open(&source.definition).await;
        match connected {
            Ok(connector) => {
                self.set_status(key, SourceStatus::Loaded, None);
                lock(&self.pools).insert(
                    key.clone(),
                    (source.definition.updated_at, connector.clone()),
                );
                Ok(connector)
            }
            Err(error) => {
                self.set_status(key, SourceStatus::Failed, Some(error.to_string()));
                Err(error)
            }
        }
    }

    /// Runs `work` on the source's live pool and notes the outcome in its
    /// status.
    pub async fn run<T>(
        &self,
        store: &Store,
        source: &Source,
        work: impl AsyncFnOnce(&Connector) -> connectors::Result<T>,
    ) -> Result<T> {
        let connector = self.connector(store, source).await?;
        let outcome = work(&connector).await.map_err(Error::from);
        self.observe(&source.definition.key, &outcome);
        outcome
    }

    /// Notes the outcome of a use of the source: a connection failure marks
    /// it failed, any answer from the database marks it loaded again.
    fn observe<T>(&self, key: &str, outcome: &Result<T>) {
        match outcome {
            Err(Error::DataSource(e)) if matches!(e, connectors::Error::Connection(_)) => {
                self.set_status(key, SourceStatus::Failed, Some(e.to_string()));
                lock(&self.pools).remove(key);
            }
            _ => {
                if !matches!(self.status(key).0, SourceStatus::Loaded) {
                    self.set_status(key, SourceStatus::Loaded, None);
                }
            }
        }
    }

    /// Whether this process has not yet tried to connect with the source's
    /// current settings.
    pub fn untried(&self, key: &str) -> bool {
        !lock(&self.statuses).contains_key(key)
    }

    pub fn status(&self, key: &str) -> (SourceStatus, Option<String>) {
        lock(&self.statuses)
            .get(key)
            .cloned()
            .unwrap_or((SourceStatus::Loading, None))
    }

    pub(crate) fn set_status(&self, key: &str, status: SourceStatus, message: Option<String>) {
        lock(&self.statuses).insert(key.to_owned(), (status, message));
    }

    pub(crate) fn forget(&self, key: &str) -> Option<Connector> {
        lock(&self.statuses).remove(key);
        lock(&self.pools).remove(key).map(|(_, c)| c)
    }

    /// The connection settings with the password opened (or read from the
    /// environment); for connecting only, never for showing.
    pub fn connection_config(&self, definition: &Definition) -> Result<ConnectionConfig> {
        let engine = definition.engine.ok_or_else(|| {
            Error::InvalidInput("the main data source has no connection settings".into())
        })?;
        let options = &definition.options;
        let mut config =
            ConnectionConfig::new(engine, &options.host, &options.database, &options.username);
        config.port = options.port;
        config.schema = options.schema.clone().filter(|s| !s.is_empty());
        config.tls = options.tls;
        config.ca_certificate = options.ca_certificate.clone().filter(|s| !s.is_empty());
        config.count_cache = self.count_cache;
        config.password = match &definition.password {
            None => None,
            Some(stored) if secrets::is_env_reference(stored) => {
                Some(self.resolve_env_reference(stored)?)
            }
            Some(stored) => Some(
                secrets::open(
                    &self.master_key,
                    &password_context(&definition.key),
                    &Sealed::from_stored(stored.clone()),
                )
                // Said plainly in the source's status, for the admin to act on.
                .map_err(|error| match error {
                    Error::Internal(_) => Error::Misconfigured(format!(
                        "the stored password of data source {} cannot be opened (damaged, or \
                         copied from another source); enter the password again",
                        definition.key
                    )),
                    other => other,
                })?,
            ),
        };
        Ok(config)
    }

    /// Connects to a source where the guard allows it: to the address it
    /// checked, with the server's redirects checked the same way.
    pub async fn open(&self, definition: &Definition) -> Result<Connector> {
        let mut config = self.connection_config(definition)?;
        let checked = self.check_target(&config).await?;
        config.address = first_answering(&checked, config.port(), config.connect_timeout).await;
        config.redirects = Some(Arc::new(self.targets.redirects(&config.database)));
        Connector::connect(&config).await.map_err(Error::from)
    }

    /// Where `config` points is refused, or allowed with the addresses to use.
    pub async fn check_target(&self, config: &ConnectionConfig) -> Result<Vec<IpAddr>> {
        let target = match config.engine {
            Engine::Sqlite => Target::File {
                path: std::path::Path::new(&config.database),
            },
            _ => Target::Network {
                host: &config.host,
                port: config.port(),
                database: &config.database,
            },
        };
        self.targets.check(target).await
    }
}

/// The associated data a data source password is sealed with: a sealed
/// password copied to another source does not open.
pub fn password_context(key: &str) -> String {
    format!("dataSources:{key}:password")
}
