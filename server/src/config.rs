//! Typed, layered configuration: defaults → `ferrobase.toml` → environment.
//!
//! Every setting has exactly one environment name. Unknown `FERROBASE_*`
//! variables and unknown file keys are errors, so a typo never silently
//! falls back to a default. Secrets also come as `*_FILE` (a path whose
//! content is the value), for container secrets.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;
use std::time::Duration;

use connectors::ConnectionConfig;
use service::store::StoreLocation;
use service::{AuthPolicy, MasterKey};

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/ferrobase.db";
pub const DEFAULT_CONFIG_FILE: &str = "ferrobase.toml";
pub const DEFAULT_SITE_ROOT: &str = "target/site";

/// (environment variable, file key, description) for `--help` and errors.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    (
        "FERROBASE_CONFIG",
        "-",
        "configuration file [default: ./ferrobase.toml if present]",
    ),
    (
        "FERROBASE_ADDR",
        "addr",
        "address to listen on [default: 127.0.0.1:3000]",
    ),
    (
        "DATABASE_URL",
        "database_url",
        "metadata store: sqlite://path or postgres://… [default: sqlite://data/ferrobase.db]",
    ),
    (
        "DATABASE_URL_FILE",
        "database_url_file",
        "file holding DATABASE_URL (it may contain a password)",
    ),
    (
        "FERROBASE_PUBLIC_URL",
        "public_url",
        "URL users reach Ferrobase at [default: http://<addr>]",
    ),
    (
        "FERROBASE_MASTER_KEY",
        "master_key",
        "base64 key sealing secrets at rest; required with PostgreSQL [default with SQLite: generated into <data dir>/master.key]",
    ),
    (
        "FERROBASE_MASTER_KEY_FILE",
        "master_key_file",
        "file holding the master key",
    ),
    (
        "FERROBASE_LOG",
        "log",
        "log filter, e.g. info or ferrobase=debug,sqlx=warn [default: info]",
    ),
    (
        "FERROBASE_LOG_FORMAT",
        "log_format",
        "text or json [default: text]",
    ),
    (
        "FERROBASE_ADMIN_EMAIL",
        "admin_email",
        "on an empty store, create this first administrator at start-up (with FERROBASE_ADMIN_PASSWORD)",
    ),
    (
        "FERROBASE_ADMIN_PASSWORD",
        "admin_password",
        "password of the first administrator",
    ),
    (
        "FERROBASE_ADMIN_PASSWORD_FILE",
        "admin_password_file",
        "file holding the first administrator's password",
    ),
    (
        "FERROBASE_SESSION_IDLE_MINUTES",
        "session_idle_minutes",
        "a session unused this long ends [default: 480]",
    ),
    (
        "FERROBASE_SESSION_MAX_HOURS",
        "session_max_hours",
        "a session ends this long after sign-in [default: 168]",
    ),
    (
        "FERROBASE_LOGIN_MAX_FAILURES",
        "login_max_failures",
        "failed sign-ins that lock an account [default: 5]",
    ),
    (
        "FERROBASE_LOGIN_MAX_FAILURES_PER_ADDRESS",
        "login_max_failures_per_address",
        "failed sign-ins that lock a client address [default: 50]",
    ),
    (
        "FERROBASE_LOGIN_LOCKOUT_MINUTES",
        "login_lockout_minutes",
        "how long failures count and a lock lasts [default: 15]",
    ),
    (
        "FERROBASE_API_KEY_USE_AUDIT_HOURS",
        "api_key_use_audit_hours",
        "an API key used after this long unused is recorded in the audit log [default: 24]",
    ),
    (
        "FERROBASE_TRUSTED_PROXIES",
        "trusted_proxies",
        "comma-separated addresses of reverse proxies whose X-Forwarded-For is believed [default: none]",
    ),
    (
        "FERROBASE_DATA_SOURCE_ALLOW",
        "data_source_allow",
        "comma-separated hosts, IPs or CIDR blocks data sources may reach although link-local or the metadata database [default: none]",
    ),
    (
        "FERROBASE_ENV_ALLOW",
        "env_allow",
        "comma-separated environment variables a data source password may reference as {{$env.NAME}}; NAME or PREFIX_* [default: none]",
    ),
    (
        "FERROBASE_COUNT_CACHE_MS",
        "count_cache_ms",
        "how long the total of a counted list is reused; writes through Ferrobase forget it at once, other writers show within this time (0: count every page) [default: 1000]",
    ),
    (
        "FERROBASE_MAX_BODY_MB",
        "max_body_mb",
        "largest request body accepted, in megabytes [default: 10]",
    ),
    (
        "FERROBASE_REQUEST_TIMEOUT_SECONDS",
        "request_timeout_seconds",
        "a request still unanswered after this long gets 408 [default: 60]",
    ),
    (
        "FERROBASE_CORS_ORIGINS",
        "cors_origins",
        "comma-separated origins (https://app.example.org) whose browser scripts may call /api with an API key [default: none, CORS off]",
    ),
    (
        "FERROBASE_SITE_ROOT",
        "site_root",
        "folder with the built web assets [default: target/site]",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The administrator to create on an empty store. `Debug` hides the password.
#[derive(Clone)]
pub struct FirstAdmin {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for FirstAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FirstAdmin({}, ******)", self.email)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Peers whose `X-Forwarded-For` names the real client (sign-in limits
    /// and the audit log key on it); everyone else is taken at their word
    /// of the TCP connection.
    pub trusted_proxies: Vec<IpAddr>,
    /// Targets a data source may reach although the guard would refuse them.
    pub data_source_allow: Vec<String>,
    /// Environment variables `{{$env.NAME}}` may read.
    pub env_allow: service::secrets::EnvAllowList,
    /// How long a counted list's total may be reused.
    pub count_cache: Duration,
    pub first_admin: Option<FirstAdmin>,
    pub auth: AuthPolicy,
    pub addr: SocketAddr,
    pub store: StoreLocation,
    pub public_url: String,
    /// Whether the operator set the public URL (else it is `http://<addr>`):
    /// only then is it the one origin state-changing requests may come from.
    pub public_url_given: bool,
    pub master_key: Option<MasterKey>,
    pub log: String,
    pub log_format: LogFormat,
    pub site_root: PathBuf,
    pub limits: RequestLimits,
    /// Origins allowed to call `/api` from a browser (CORS); empty: none.
    pub cors_origins: Vec<String>,
}

/// Bounds every request lives within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    pub max_body_bytes: usize,
    pub timeout: Duration,
}

impl Default for RequestLimits {
    fn default() -> RequestLimits {
        RequestLimits {
            max_body_bytes: 10 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// One source of settings; later layers override earlier ones key by key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    addr: Option<String>,
    database_url: Option<String>,
    database_url_file: Option<PathBuf>,
    public_url: Option<String>,
    master_key: Option<String>,
    master_key_file: Option<PathBuf>,
    log: Option<String>,
    log_format: Option<String>,
    site_root: Option<PathBuf>,
    trusted_proxies: Option<String>,
    data_source_allow: Option<String>,
    env_allow: Option<String>,
    admin_email: Option<String>,
    admin_password: Option<String>,
    admin_password_file: Option<PathBuf>,
    session_idle_minutes: Option<u64>,
    session_max_hours: Option<u64>,
    login_max_failures: Option<u64>,
    login_max_failures_per_address: Option<u64>,
    login_lockout_minutes: Option<u64>,
    api_key_use_audit_hours: Option<u64>,
    count_cache_ms: Option<u64>,
    max_body_mb: Option<u64>,
    request_timeout_seconds: Option<u64>,
    cors_origins: Option<String>,
}

impl Layer {
    fn from_file(path: &Path) -> anyhow::Result<Layer> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "invalid configuration file {}: {}",
                path.display(),
                e.message()
            )
        })
    }

    fn from_env(vars: &[(String, String)]) -> anyhow::Result<Layer> {
        let mut layer = Layer::default();
        for (name, value) in vars {
            let value = value.clone();
            match name.as_str() {
                "FERROBASE_ADDR" => layer.addr = Some(value),
                "DATABASE_URL" => layer.database_url = Some(value),
                "DATABASE_URL_FILE" => layer.database_url_file = Some(value.into()),
                "FERROBASE_PUBLIC_URL" => layer.public_url = Some(value),
                "FERROBASE_MASTER_KEY" => layer.master_key = Some(value),
                "FERROBASE_MASTER_KEY_FILE" => layer.master_key_file = Some(value.into()),
                "FERROBASE_LOG" => layer.log = Some(value),
                "FERROBASE_LOG_FORMAT" => layer.log_format = Some(value),
                "FERROBASE_SITE_ROOT" => layer.site_root = Some(value.into()),
                "FERROBASE_ADMIN_EMAIL" => layer.admin_email = Some(value),
                "FERROBASE_TRUSTED_PROXIES" => layer.trusted_proxies = Some(value),
                "FERROBASE_DATA_SOURCE_ALLOW" => layer.data_source_allow = Some(value),
                "FERROBASE_ENV_ALLOW" => layer.env_allow = Some(value),
                "FERROBASE_ADMIN_PASSWORD" => layer.admin_password = Some(value),
                "FERROBASE_ADMIN_PASSWORD_FILE" => layer.admin_password_file = Some(value.into()),
                "FERROBASE_SESSION_IDLE_MINUTES" => {
                    layer.session_idle_minutes = Some(number(name, &value)?)
                }
                "FERROBASE_SESSION_MAX_HOURS" => {
                    layer.session_max_hours = Some(number(name, &value)?)
                }
                "FERROBASE_LOGIN_MAX_FAILURES" => {
                    layer.login_max_failures = Some(number(name, &value)?)
                }
                "FERROBASE_LOGIN_MAX_FAILURES_PER_ADDRESS" => {
                    layer.login_max_failures_per_address = Some(number(name, &value)?)
                }
                "FERROBASE_LOGIN_LOCKOUT_MINUTES" => {
                    layer.login_lockout_minutes = Some(number(name, &value)?)
                }
                "FERROBASE_API_KEY_USE_AUDIT_HOURS" => {
                    layer.api_key_use_audit_hours = Some(number(name, &value)?)
                }
                "FERROBASE_COUNT_CACHE_MS" => {
                    layer.count_cache_ms = Some(zero_or_more(name, &value)?)
                }
                "FERROBASE_MAX_BODY_MB" => layer.max_body_mb = Some(number(name, &value)?),
                "FERROBASE_REQUEST_TIMEOUT_SECONDS" => {
                    layer.request_timeout_seconds = Some(number(name, &value)?)
                }
                "FERROBASE_CORS_ORIGINS" => layer.cors_origins = Some(value),
                "FERROBASE_CONFIG" => {}
                unknown if unknown.starts_with("FERROBASE_") => {
                    let known: Vec<&str> = SETTINGS.iter().map(|(env, _, _)| *env).collect();
                    bail!(
                        "unknown environment variable {unknown}; known settings are {} \
                         (see `ferrobase --help`)",
                        known.join(", ")
                    );
                }
                _ => {}
            }
        }
        Ok(layer)
    }

    /// A value and its `_FILE` twin are one setting: both in one layer is
    /// ambiguous; across layers the later one wins whichever form it uses.
    fn overlay(mut self, top: Layer, top_name: &str) -> anyhow::Result<Layer> {
        fn pick<T>(base: Option<T>, top: Option<T>) -> Option<T> {
            top.or(base)
        }
        fn secret(
            base: (Option<String>, Option<PathBuf>),
            top: (Option<String>, Option<PathBuf>),
            what: &str,
            top_name: &str,
        ) -> anyhow::Result<(Option<String>, Option<PathBuf>)> {
            match top {
                (Some(_), Some(_)) => {
                    bail!("{what} and {what}_FILE are both set in {top_name}; keep one")
                }
                (None, None) => Ok(base),
                given => Ok(given),
            }
        }
        (self.database_url, self.database_url_file) = secret(
            (self.database_url, self.database_url_file),
            (top.database_url, top.database_url_file),
            "DATABASE_URL",
            top_name,
        )?;
        (self.master_key, self.master_key_file) = secret(
            (self.master_key, self.master_key_file),
            (top.master_key, top.master_key_file),
            "FERROBASE_MASTER_KEY",
            top_name,
        )?;
        (self.admin_password, self.admin_password_file) = secret(
            (self.admin_password, self.admin_password_file),
            (top.admin_password, top.admin_password_file),
            "FERROBASE_ADMIN_PASSWORD",
            top_name,
        )?;
        self.admin_email = pick(self.admin_email, top.admin_email);
        self.trusted_proxies = pick(self.trusted_proxies, top.trusted_proxies);
        self.data_source_allow = pick(self.data_source_allow, top.data_source_allow);
        self.env_allow = pick(self.env_allow, top.env_allow);
        self.session_idle_minutes = pick(self.session_idle_minutes, top.session_idle_minutes);
        self.session_max_hours = pick(self.session_max_hours, top.session_max_hours);
        self.login_max_failures = pick(self.login_max_failures, top.login_max_failures);
        self.login_max_failures_per_address = pick(
            self.login_max_failures_per_address,
            top.login_max_failures_per_address,
        );
        self.login_lockout_minutes = pick(self.login_lockout_minutes, top.login_lockout_minutes);
        self.api_key_use_audit_hours =
            pick(self.api_key_use_audit_hours, top.api_key_use_audit_hours);
        self.count_cache_ms = pick(self.count_cache_ms, top.count_cache_ms);
        self.max_body_mb = pick(self.max_body_mb, top.max_body_mb);
        self.request_timeout_seconds =
            pick(self.request_timeout_seconds, top.request_timeout_seconds);
        self.cors_origins = pick(self.cors_origins, top.cors_origins);
        self.addr = pick(self.addr, top.addr);
        self.public_url = pick(self.public_url, top.public_url);
        self.log = pick(self.log, top.log);
        self.log_format = pick(self.log_format, top.log_format);
        self.site_root = pick(self.site_root, top.site_root);
        Ok(self)
    }
}

/// A positive whole number from the environment, or an error naming it.
fn number(name: &str, value: &str) -> anyhow::Result<u64> {
    match value.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("{name} {value:?} must be a whole number above 0"),
    }
}

/// For settings where 0 means "off".
fn zero_or_more(name: &str, value: &str) -> anyhow::Result<u64> {
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| anyhow::anyhow!("{name} {value:?} must be a whole number (0 or more)"))
}

/// `scheme://host[:port]` exactly as browsers send it in `Origin`; a
/// wildcard would let any site drive the API with a visitor's key.
fn cors_origin(origin: &str) -> anyhow::Result<String> {
    let url = url::Url::parse(origin)
        .map_err(|_| anyhow::anyhow!("FERROBASE_CORS_ORIGINS: {origin:?} is not an origin"))?;
    let exact = url.origin().ascii_serialization();
    if !matches!(url.scheme(), "http" | "https") || exact != origin.trim_end_matches('/') {
        bail!(
            "FERROBASE_CORS_ORIGINS: {origin:?} must be scheme://host[:port] with no path, such as https://app.example.org"
        );
    }
    Ok(exact)
}

fn read_secret_file(path: &Path, what: &str) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {what}_FILE {}", path.display()))?;
    Ok(text.trim().to_owned())
}

impl Config {
    /// Loads from the given (or default) file and the given environment.
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> anyhow::Result<Config> {
        let env_file = env
            .iter()
            .find(|(k, _)| k == "FERROBASE_CONFIG")
            .map(|(_, v)| PathBuf::from(v));
        let file_layer = match file.map(Path::to_path_buf).or(env_file) {
            Some(path) => Layer::from_file(&path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                Layer::from_file(Path::new(DEFAULT_CONFIG_FILE))?
            }
            None => Layer::default(),
        };
        let merged = Layer::default()
            .overlay(file_layer, "the configuration file")?
            .overlay(Layer::from_env(env)?, "the environment")?;
        Config::resolve(merged)
    }

    fn resolve(layer: Layer) -> anyhow::Result<Config> {
        let addr_text = layer.addr.as_deref().unwrap_or(DEFAULT_ADDR);
        let addr: SocketAddr = addr_text.parse().map_err(|_| {
            anyhow::anyhow!(
                "FERROBASE_ADDR {addr_text:?} is not a socket address; use host:port such as 127.0.0.1:3000"
            )
        })?;
        let database_url = match (layer.database_url, layer.database_url_file) {
            (_, Some(path)) => read_secret_file(&path, "DATABASE_URL")?,
            (Some(url), None) => url,
            (None, None) => DEFAULT_DATABASE_URL.to_owned(),
        };
        let store = StoreLocation::parse(&database_url)
            .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
        let master_key = match (layer.master_key, layer.master_key_file) {
            (_, Some(path)) => Some(read_secret_file(&path, "FERROBASE_MASTER_KEY")?),
            (key, None) => key,
        }
        .map(|text| {
            MasterKey::parse(&text).map_err(|e| anyhow::anyhow!("FERROBASE_MASTER_KEY: {e}"))
        })
        .transpose()?;
        if master_key.is_none() && matches!(store, StoreLocation::Postgres(_)) {
            bail!(
                "FERROBASE_MASTER_KEY (or FERROBASE_MASTER_KEY_FILE) is required when the metadata \
                 store is PostgreSQL, because every process sharing it must seal secrets with the \
                 same key; generate one with `ferrobase gen-master-key`"
            );
        }
        let public_url_given = layer.public_url.is_some();
        let public_url = parse_public_url(layer.public_url, addr)?;
        let log = layer.log.unwrap_or_else(|| "info".to_owned());
        tracing_subscriber::EnvFilter::try_new(&log)
            .map_err(|e| anyhow::anyhow!("FERROBASE_LOG {log:?} is not a valid log filter: {e}"))?;
        let log_format = match layer.log_format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                bail!("FERROBASE_LOG_FORMAT {other:?} is not supported; use text or json")
            }
        };
        let first_admin = match (
            layer.admin_email,
            layer.admin_password,
            layer.admin_password_file,
        ) {
            (None, None, None) => None,
            (Some(email), password, file) => {
                let password = match (password, file) {
                    (_, Some(path)) => read_secret_file(&path, "FERROBASE_ADMIN_PASSWORD")?,
                    (Some(password), None) => password,
                    (None, None) => bail!(
                        "FERROBASE_ADMIN_EMAIL needs FERROBASE_ADMIN_PASSWORD (or FERROBASE_ADMIN_PASSWORD_FILE)"
                    ),
                };
                Some(FirstAdmin { email, password })
            }
            (None, _, _) => bail!("FERROBASE_ADMIN_PASSWORD needs FERROBASE_ADMIN_EMAIL"),
        };
        let defaults = AuthPolicy::default();
        let minutes = |n: u64| Duration::from_secs(n.saturating_mul(60));
        let auth = AuthPolicy {
            session_idle: layer
                .session_idle_minutes
                .map(minutes)
                .unwrap_or(defaults.session_idle),
            session_max: layer
                .session_max_hours
                .map(|h| minutes(h.saturating_mul(60)))
                .unwrap_or(defaults.session_max),
            account_failures: limit(layer.login_max_failures, defaults.account_failures),
            address_failures: limit(
                layer.login_max_failures_per_address,
                defaults.address_failures,
            ),
            lockout: layer
                .login_lockout_minutes
                .map(minutes)
                .unwrap_or(defaults.lockout),
            api_key_use_audit: layer
                .api_key_use_audit_hours
                .map(|h| minutes(h.saturating_mul(60)))
                .unwrap_or(defaults.api_key_use_audit),
        };
        let trusted_proxies = layer
            .trusted_proxies
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<IpAddr>().map_err(|_| {
                    anyhow::anyhow!("FERROBASE_TRUSTED_PROXIES: {a:?} is not an IP address")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let data_source_allow = layer
            .data_source_allow
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        let env_allow =
            service::secrets::EnvAllowList::parse(layer.env_allow.as_deref().unwrap_or_default())
                .map_err(|e| anyhow::anyhow!("FERROBASE_ENV_ALLOW: {e}"))?;
        let count_cache = match layer.count_cache_ms {
            Some(ms) if ms > 60_000 => {
                bail!("FERROBASE_COUNT_CACHE_MS {ms} is above 60000 (one minute)")
            }
            Some(ms) => Duration::from_millis(ms),
            None => ConnectionConfig::DEFAULT_COUNT_CACHE,
        };
        let defaults = RequestLimits::default();
        let limits = RequestLimits {
            max_body_bytes: match layer.max_body_mb {
                Some(mb) if mb > 1024 => bail!("FERROBASE_MAX_BODY_MB {mb} is above 1024"),
                Some(mb) => usize::try_from(mb * 1024 * 1024)?,
                None => defaults.max_body_bytes,
            },
            timeout: layer
                .request_timeout_seconds
                .map(Duration::from_secs)
                .unwrap_or(defaults.timeout),
        };
        let cors_origins = layer
            .cors_origins
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(cors_origin)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Config {
            limits,
            cors_origins,
            trusted_proxies,
            data_source_allow,
            env_allow,
            count_cache,
            first_admin,
            auth,
            addr,
            store,
            public_url,
            public_url_given,
            master_key,
            log,
            log_format,
            site_root: layer.site_root.unwrap_or_else(|| DEFAULT_SITE_ROOT.into()),
        })
    }
}

fn limit(given: Option<u64>, default: u32) -> u32 {
    given.map_or(default, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

fn parse_public_url(given: Option<String>, addr: SocketAddr) -> anyhow::Result<String> {
    let Some(url) = given else {
        return Ok(format!("http://{addr}"));
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !host.starts_with('/') && !host.contains(['?', '#', ' ']) =>
        {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => bail!(
            "FERROBASE_PUBLIC_URL {url:?} must be an absolute http:// or https:// URL such as https://hub.example.com"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn load(file: Option<&str>, pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        let path = file.map(|text| {
            let path = dir.path().join("ferrobase.toml");
            std::fs::write(&path, text).unwrap();
            path
        });
        Config::load(path.as_deref(), &env(pairs))
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let config = load(None, &[]).unwrap();
        assert_eq!(config.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(
            config.store,
            StoreLocation::Sqlite("data/ferrobase.db".into())
        );
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert!(config.master_key.is_none());
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn environment_overrides_file_overrides_defaults() {
        let file = "addr = \"127.0.0.1:4000\"\nlog = \"debug\"\n";
        let config = load(Some(file), &[("FERROBASE_ADDR", "0.0.0.0:5000")]).unwrap();
        assert_eq!(config.addr.to_string(), "0.0.0.0:5000");
        assert_eq!(config.log, "debug");
    }

    #[test]
    fn unknown_settings_are_rejected_with_their_name() {
        let error = load(None, &[("FERROBASE_ADRR", "x")])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("FERROBASE_ADRR") && error.contains("FERROBASE_ADDR"),
            "{error}"
        );
        let error = load(Some("adress = \"x\""), &[]).unwrap_err().to_string();
        assert!(error.contains("adress"), "{error}");
    }

    #[test]
    fn request_limits_and_cors_origins() {
        let config = load(None, &[]).unwrap();
        assert_eq!(config.limits, RequestLimits::default());
        assert!(config.cors_origins.is_empty(), "CORS is off by default");
        let config = load(
            None,
            &[
                ("FERROBASE_MAX_BODY_MB", "2"),
                ("FERROBASE_REQUEST_TIMEOUT_SECONDS", "5"),
                (
                    "FERROBASE_CORS_ORIGINS",
                    "https://app.example.org, http://localhost:5173/",
                ),
            ],
        )
        .unwrap();
        assert_eq!(config.limits.max_body_bytes, 2 * 1024 * 1024);
        assert_eq!(config.limits.timeout, Duration::from_secs(5));
        assert_eq!(config.count_cache, ConnectionConfig::DEFAULT_COUNT_CACHE);
        let off = load(None, &[("FERROBASE_COUNT_CACHE_MS", "0")]).unwrap();
        assert!(off.count_cache.is_zero());
        assert_eq!(
            config.cors_origins,
            ["https://app.example.org", "http://localhost:5173"]
        );
        for (name, value) in [
            ("FERROBASE_CORS_ORIGINS", "*"),
            ("FERROBASE_CORS_ORIGINS", "https://app.example.org/path"),
            ("FERROBASE_CORS_ORIGINS", "ftp://files.example.org"),
            ("FERROBASE_MAX_BODY_MB", "0"),
            ("FERROBASE_MAX_BODY_MB", "4096"),
            ("FERROBASE_REQUEST_TIMEOUT_SECONDS", "soon"),
            ("FERROBASE_COUNT_CACHE_MS", "120000"),
            ("FERROBASE_COUNT_CACHE_MS", "-1"),
        ] {
            let error = load(None, &[(name, value)]).unwrap_err().to_string();
            assert!(error.contains(name), "{value}: {error}");
        }
    }

    #[test]
    fn unrelated_variables_are_ignored() {
        assert!(load(None, &[("PATH", "/bin"), ("RUST_LOG", "x")]).is_ok());
    }

    #[test]
    fn secrets_come_from_files_and_a_later_layer_wins() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::generate();
        let key_file = dir.path().join("key");
        std::fs::write(&key_file, format!("{}\n", key.to_base64())).unwrap();
        let file = format!("master_key = \"{}\"", MasterKey::generate().to_base64());
        let config = load(
            Some(&file),
            &[("FERROBASE_MASTER_KEY_FILE", key_file.to_str().unwrap())],
        )
        .unwrap();
        assert_eq!(config.master_key.unwrap().fingerprint(), key.fingerprint());
    }

    #[test]
    fn a_value_and_its_file_twin_together_are_ambiguous() {
        let error = load(
            None,
            &[
                ("FERROBASE_MASTER_KEY", "x"),
                ("FERROBASE_MASTER_KEY_FILE", "/k"),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("both set"), "{error}");
    }

    #[test]
    fn auth_settings_come_from_file_and_environment() {
        let file = "session_idle_minutes = 30\nlogin_max_failures = 3\nadmin_email = \"ada@example.org\"\n";
        let config = load(
            Some(file),
            &[
                ("FERROBASE_ADMIN_PASSWORD", "a long secret"),
                ("FERROBASE_SESSION_MAX_HOURS", "2"),
            ],
        )
        .unwrap();
        assert_eq!(config.auth.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(config.auth.session_max, Duration::from_secs(2 * 3600));
        assert_eq!(config.auth.account_failures, 3);
        let admin = config.first_admin.unwrap();
        assert_eq!(admin.email, "ada@example.org");
        assert!(!format!("{admin:?}").contains("a long secret"));
    }

    #[test]
    fn postgres_needs_a_master_key() {
        let error = load(None, &[("DATABASE_URL", "postgres://u@localhost/db")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("FERROBASE_MASTER_KEY"), "{error}");
    }

    #[test]
    fn bad_values_name_the_setting() {
        for (name, value) in [
            ("FERROBASE_ADDR", "localhost"),
            ("FERROBASE_PUBLIC_URL", "hub.example.com"),
            ("FERROBASE_LOG_FORMAT", "xml"),
            ("FERROBASE_MASTER_KEY", "short"),
            ("DATABASE_URL", "mysql://u:secret@h/db"),
            ("FERROBASE_MASTER_KEY_FILE", "/nonexistent/key"),
            ("FERROBASE_SESSION_IDLE_MINUTES", "0"),
            ("FERROBASE_LOGIN_MAX_FAILURES", "five"),
            ("FERROBASE_TRUSTED_PROXIES", "10.0.0.1, proxy.internal"),
            ("FERROBASE_ADMIN_PASSWORD", "secret-password"),
        ] {
            let error = load(None, &[(name, value)]).unwrap_err();
            let text = format!("{error:#}");
            assert!(text.contains(name), "{name}: {text}");
            assert!(!text.contains("secret"), "{name} leaked a password: {text}");
        }
    }
}
