//! Where an external data source may point (SECURITY.md #20, the data-source
//! half of the SSRF rules).
//!
//! A data source is a connection an administrator aims from inside the
//! server's network, so it is refused when it would reach:
//! - a cloud metadata service, a link-local, unspecified, multicast or
//!   broadcast address (also when written as an IPv4-mapped IPv6 address or
//!   reached through a host name resolving to one);
//! - a Unix socket;
//! - the PostgreSQL server holding Ferrobase's metadata database, on any
//!   of its addresses (any address of this machine when it runs here);
//! - Ferrobase's own metadata database, or its SQLite file, journals or
//!   master key file.
//!
//! Loopback and private ranges are allowed: connecting to a database on the
//! same machine or LAN is the common case. An operator can allow a refused
//! network target by listing its host name, address or CIDR block in
//! FERROBASE_DATA_SOURCE_ALLOW; Ferrobase's own database and files can
//! never be allowed.
//!
//! The check resolves the host itself and hands back the address it
//! checked: connectors connect there, so a name whose DNS answer changes
//! afterwards (rebinding) cannot move a pooled connection elsewhere. Where
//! TLS checks the certificate against the host name (`verify-full`), the
//! name is used instead: a rebound name cannot present a valid certificate.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::store::StoreLocation;
use crate::{Error, Result};

/// The setting whose entries are passed to [`TargetPolicy::new`].
pub const ALLOW_SETTING: &str = "FERROBASE_DATA_SOURCE_ALLOW";

const RESOLVE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the guard enforces; built once at start-up.
#[derive(Clone, Debug)]
pub struct TargetPolicy {
    allow: Vec<Allowed>,
    metadata: Option<MetadataStore>,
    protected_files: Vec<PathBuf>,
}

/// Ferrobase's own metadata store, which no data source may point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetadataStore {
    /// `host: None` means a local Unix socket.
    Postgres {
        host: Option<String>,
        port: u16,
        database: String,
    },
    Sqlite {
        path: PathBuf,
    },
}

/// Where a data source would connect.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// A server database; `host` may be a name, an IP address (IPv6 with or
    /// without brackets) or a Unix socket path.
    Network {
        host: &'a str,
        port: u16,
        database: &'a str,
    },
    /// A SQLite file.
    File { path: &'a Path },
}

/// One FERROBASE_DATA_SOURCE_ALLOW entry.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Allowed {
    /// A host name, lower-case without a trailing dot, or a socket path.
    Host(String),
    /// An address (a full-length prefix) or a CIDR block.
    Block { network: IpAddr, prefix: u8 },
}

impl MetadataStore {
    /// The metadata store as configured. A PostgreSQL URL is read the way the
    /// store connects (including the PG* environment defaults).
    pub fn from_location(location: &StoreLocation) -> Result<MetadataStore> {
        match location {
            StoreLocation::Sqlite(path) => Ok(MetadataStore::Sqlite { path: path.clone() }),
            StoreLocation::Postgres(url) => {
                let options: sqlx::postgres::PgConnectOptions = url.parse().map_err(|_| {
                    Error::InvalidInput("DATABASE_URL is not a valid PostgreSQL URL".into())
                })?;
                Ok(MetadataStore::Postgres {
                    host: options
                        .get_socket()
                        .is_none()
                        .then(|| options.get_host().to_owned()),
                    port: options.get_port(),
                    database: options
                        .get_database()
                        .unwrap_or(options.get_username())
                        .to_owned(),
                })
            }
        }
    }
}

impl TargetPolicy {
    /// `allow` holds the FERROBASE_DATA_SOURCE_ALLOW entries: host names, IP
    /// addresses or CIDR blocks (`10.0.0.0/8`, `fd00::/8`), or Unix socket
    /// paths. Blank entries are ignored; anything else malformed is an error.
    pub fn new<S: AsRef<str>>(
        allow: &[S],
        metadata: Option<MetadataStore>,
    ) -> Result<TargetPolicy> {
        let allow = allow
            .iter()
            .map(|entry| entry.as_ref().trim())
            .filter(|entry| !entry.is_empty())
            .map(Allowed::parse)
            .collect::<Result<_>>()?;
        Ok(TargetPolicy {
            allow,
            metadata,
            protected_files: Vec::new(),
        })
    }

    /// Also refuse this file as a SQLite data source (e.g. a master key file
    /// given with FERROBASE_MASTER_KEY_FILE).
    pub fn protect_file(mut self, path: impl Into<PathBuf>) -> TargetPolicy {
        self.protected_files.push(path.into());
        self
    }

    /// `Ok` if a data source may connect to `target`, with the addresses its
    /// host was checked at, for the connection to use (none for files and
    /// for host names the operator listed, whose DNS they vouch for);
    /// otherwise `Error::InvalidInput` saying why and how to allow it.
    pub async fn check(&self, target: Target<'_>) -> Result<Vec<IpAddr>> {
        match target {
            Target::Network {
                host,
                port,
                database,
            } => self.check_network(host, port, database).await,
            Target::File { path } => self.check_file(path).map(|()| Vec::new()),
        }
    }

    /// Checks a server's redirect to `host:port` as a target of its own, for
    /// a source on `database`.
    pub fn redirects(&self, database: &str) -> Redirects {
        Redirects {
            policy: self.clone(),
            database: database.to_owned(),
        }
    }

    async fn check_network(&self, host: &str, port: u16, database: &str) -> Result<Vec<IpAddr>> {
        let host = strip_brackets(host.trim());
        if host.is_empty() {
            return Err(Error::InvalidInput("the data source has no host".into()));
        }
        let literal = host.parse::<IpAddr>().ok();
        if literal.is_none() && self.allows_host(host) {
            // Still never the metadata database itself, whatever it resolves to.
            let addresses = match is_socket_path(host) {
                true => Vec::new(),
                false => resolve(host, port).await.unwrap_or_default(),
            };
            self.check_metadata_server(host, &addresses, port, database, true)
                .await?;
            return Ok(Vec::new());
        }
        if is_socket_path(host) {
            return Err(refused(format!(
                "data source host {host} is a Unix socket, which reaches local services directly"
            )));
        }
        let addresses = resolve(host, port).await?;
        for address in &addresses {
            if let Some(reason) = dangerous(*address)
                && !self.allows_address(*address)
            {
                return Err(refused(if literal.is_some() {
                    format!("data source address {address} is {reason}")
                } else {
                    format!("data source host {host} resolves to {address}, {reason}")
                }));
            }
        }
        let listed = addresses
            .iter()
            .any(|address| self.allows_address(*address));
        self.check_metadata_server(host, &addresses, port, database, listed)
            .await?;
        Ok(addresses)
    }

    /// The metadata store's PostgreSQL server is recognised by what it is:
    /// its host, any of its addresses, and, when it runs on this machine,
    /// any address of this machine, on its port. Its database is never a
    /// data source; its other databases only when the operator listed the
    /// host or address (`listed`), as when one cluster holds everything.
    async fn check_metadata_server(
        &self,
        host: &str,
        addresses: &[IpAddr],
        port: u16,
        database: &str,
        listed: bool,
    ) -> Result<()> {
        let Some(MetadataStore::Postgres {
            host: metadata_host,
            port: metadata_port,
            database: metadata_database,
        }) = &self.metadata
        else {
            return Ok(());
        };
        if port != *metadata_port
            || !on_server(metadata_host.as_deref(), host, addresses, port).await
        {
            return Ok(());
        }
        if database == metadata_database {
            return Err(Error::InvalidInput(format!(
                "data source {host}:{port}/{database} is Ferrobase's own metadata database; it \
                 can never be used as a data source"
            )));
        }
        if listed {
            return Ok(());
        }
        Err(refused(format!(
            "data source {host}:{port} is the PostgreSQL server that holds Ferrobase's metadata \
             database; its other databases may be used only if it is listed"
        )))
    }

    fn check_file(&self, path: &Path) -> Result<()> {
        let target = canonical(path);
        let mut protected: Vec<(PathBuf, &str)> = Vec::new();
        if let Some(MetadataStore::Sqlite { path: store }) = &self.metadata {
            let store = canonical(store);
            for suffix in ["-wal", "-shm", "-journal"] {
                let mut journal = store.clone().into_os_string();
                journal.push(suffix);
                protected.push((journal.into(), "a journal of Ferrobase's metadata store"));
            }
            protected.push((
                store.with_file_name("master.key"),
                "Ferrobase's master key file",
            ));
            protected.push((store, "Ferrobase's own metadata store"));
        }
        for file in &self.protected_files {
            protected.push((canonical(file), "a file Ferrobase protects"));
        }
        match protected
            .iter()
            .find(|(file, _)| *file == target || same_file(file, &target))
        {
            Some((_, what)) => Err(Error::InvalidInput(format!(
                "data source file {} is {what}; it can never be used as a data source",
                path.display()
            ))),
            None => Ok(()),
        }
    }

    fn allows_host(&self, host: &str) -> bool {
        let host = normalise_host(host);
        if let Ok(address) = host.parse::<IpAddr>() {
            return self.allows_address(address);
        }
        self.allow
            .iter()
            .any(|entry| matches!(entry, Allowed::Host(allowed) if *allowed == host))
    }

    /// An IPv4-mapped address is allowed by an entry for either form.
    fn allows_address(&self, address: IpAddr) -> bool {
        self.allow
            .iter()
            .any(|entry| entry.contains(address) || entry.contains(unmapped(address)))
    }
}

impl Allowed {
    fn parse(entry: &str) -> Result<Allowed> {
        let invalid = || {
            Error::InvalidInput(format!(
                "{ALLOW_SETTING}: {entry:?} is not a host name, an IP address, a CIDR block \
                 or a socket path"
            ))
        };
        if is_socket_path(entry) {
            return Ok(Allowed::Host(entry.to_owned()));
        }
        if let Some((network, prefix)) = entry.split_once('/') {
            let network: IpAddr = strip_brackets(network).parse().map_err(|_| invalid())?;
            let prefix: u8 = prefix.parse().map_err(|_| invalid())?;
            if prefix > address_bits(network) {
                return Err(invalid());
            }
            return Ok(Allowed::Block { network, prefix });
        }
        let host = normalise_host(entry);
        if let Ok(network) = host.parse::<IpAddr>() {
            let prefix = address_bits(network);
            return Ok(Allowed::Block { network, prefix });
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if host.split('.').all(label_ok) {
            Ok(Allowed::Host(host))
        } else {
            Err(invalid())
        }
    }

    fn contains(&self, address: IpAddr) -> bool {
        let Allowed::Block { network, prefix } = self else {
            return false;
        };
        let (bits, network, address) = match (network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                (32, u128::from(u32::from(*n)), u128::from(u32::from(a)))
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => (128, u128::from(*n), u128::from(a)),
            _ => return false,
        };
        (network ^ address)
            .checked_shr(bits - u32::from(*prefix))
            .unwrap_or(0)
            == 0
    }
}

fn refused(reason: String) -> Error {
    Error::InvalidInput(format!(
        "{reason}; data sources may not connect there unless the host or address is listed in \
         {ALLOW_SETTING}"
    ))
}

/// Whether `host` (resolved to `addresses`) reaches the metadata server at
/// `metadata_host` (`None`: a local socket) on the same port.
async fn on_server(
    metadata_host: Option<&str>,
    host: &str,
    addresses: &[IpAddr],
    port: u16,
) -> bool {
    let metadata_host = metadata_host.map(strip_brackets);
    if metadata_host.is_some_and(|m| normalise_host(m) == normalise_host(host)) {
        return true;
    }
    // A host we cannot resolve now cannot be matched by address; a local
    // server is still matched by every address of this machine.
    let metadata_addresses: Vec<IpAddr> = match metadata_host {
        Some(m) if !is_socket_path(m) => resolve(m, port).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let metadata_addresses: Vec<IpAddr> = metadata_addresses.into_iter().map(unmapped).collect();
    let metadata_local = metadata_host.is_none_or(is_socket_path)
        || metadata_addresses.iter().any(|address| is_local(*address));
    addresses
        .iter()
        .map(|address| unmapped(*address))
        .any(|address| {
            metadata_addresses.contains(&address) || (metadata_local && is_local(address))
        })
}

/// An address of this machine: loopback, or one a socket can be bound to.
fn is_local(address: IpAddr) -> bool {
    address.is_loopback()
        || (!address.is_unspecified() && std::net::UdpSocket::bind((address, 0)).is_ok())
}

/// Why an address must not be reached, if it must not.
fn dangerous(address: IpAddr) -> Option<&'static str> {
    const METADATA: &str = "a cloud metadata service address";
    match unmapped(address) {
        IpAddr::V4(v4) => {
            if v4 == Ipv4Addr::new(169, 254, 169, 254) || v4 == Ipv4Addr::new(100, 100, 100, 200) {
                Some(METADATA)
            } else if v4.octets()[0] == 0 {
                Some("an unspecified (0.0.0.0/8) address")
            } else if v4.is_link_local() {
                Some("a link-local address")
            } else if v4.is_multicast() {
                Some("a multicast address")
            } else if v4.is_broadcast() {
                Some("the broadcast address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
                Some(METADATA)
            } else if v6.is_unspecified() {
                Some("the unspecified address")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

/// `::ffff:a.b.c.d` as `a.b.c.d`; every other address unchanged.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

async fn resolve(host: &str, port: u16) -> Result<Vec<IpAddr>> {
    let cannot =
        |why: String| Error::InvalidInput(format!("cannot resolve data source host {host}: {why}"));
    let found = tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| cannot("the lookup timed out".into()))?
        .map_err(|e| cannot(e.to_string()))?;
    let addresses: Vec<IpAddr> = found.map(|address: SocketAddr| address.ip()).collect();
    if addresses.is_empty() {
        return Err(cannot("no addresses".into()));
    }
    Ok(addresses)
}

fn address_bits(address: IpAddr) -> u8 {
    if address.is_ipv4() { 32 } else { 128 }
}

fn is_socket_path(host: &str) -> bool {
    host.starts_with('/') || host.starts_with('@')
}

fn strip_brackets(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

fn normalise_host(host: &str) -> String {
    let host = strip_brackets(host);
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

/// Of the checked addresses, the first that accepts a TCP connection on
/// `port` (the probe is closed at once), as a driver given the name would
/// try them; the first when none answers, so the driver reports why.
pub async fn first_answering(addresses: &[IpAddr], port: u16, timeout: Duration) -> Option<IpAddr> {
    if let [only] = addresses {
        return Some(*only);
    }
    for address in addresses {
        let probe = tokio::net::TcpStream::connect((*address, port));
        if let Ok(Ok(_)) = tokio::time::timeout(timeout, probe).await {
            return Some(*address);
        }
    }
    addresses.first().copied()
}

/// A [`TargetPolicy`] applied to the redirects of one source's server.
pub struct Redirects {
    policy: TargetPolicy,
    database: String,
}

impl connectors::config::RedirectCheck for Redirects {
    fn check<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> std::pin::Pin<
        Box<dyn Future<Output = std::result::Result<Option<IpAddr>, String>> + Send + 'a>,
    > {
        Box::pin(async move {
            let target = Target::Network {
                host,
                port,
                database: &self.database,
            };
            let addresses = self.policy.check(target).await.map_err(|e| e.to_string())?;
            Ok(first_answering(&addresses, port, RESOLVE_TIMEOUT).await)
        })
    }
}

/// The absolute path with symbolic links resolved, also for a file that does
/// not exist yet (through its directory), so spellings of a protected file
/// compare equal.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(resolved) = std::fs::canonicalize(path) {
        return resolved;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|parent| parent.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

/// The same file under another name (a hard link).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow: &[&str]) -> TargetPolicy {
        TargetPolicy::new(allow, None).unwrap()
    }

    fn postgres_metadata(host: Option<&str>) -> Option<MetadataStore> {
        Some(MetadataStore::Postgres {
            host: host.map(str::to_owned),
            port: 5432,
            database: "ferrobase".into(),
        })
    }

    async fn check_host(policy: &TargetPolicy, host: &str) -> Result<()> {
        policy
            .check(Target::Network {
                host,
                port: 5432,
                database: "app",
            })
            .await
            .map(drop)
    }

    async fn refusal(policy: &TargetPolicy, host: &str) -> String {
        match check_host(policy, host).await {
            Ok(()) => panic!("{host} was allowed"),
            Err(error) => {
                assert_eq!(error.code(), "INVALID_INPUT");
                error.to_string()
            }
        }
    }

    #[tokio::test]
    async fn loopback_and_private_addresses_are_allowed() {
        let open = policy(&[]);
        for host in [
            "127.0.0.1",
            "localhost",
            "::1",
            "[::1]",
            "10.0.0.5",
            "172.16.0.1",
            "192.168.1.10",
            "fd12:3456::1",
            "100.64.0.1",
            "8.8.8.8",
        ] {
            check_host(&open, host).await.unwrap();
        }
    }

    #[tokio::test]
    async fn cloud_metadata_addresses_are_refused() {
        let open = policy(&[]);
        for host in [
            "169.254.169.254",
            "100.100.100.200",
            "fd00:ec2::254",
            "[fd00:ec2::254]",
        ] {
            let message = refusal(&open, host).await;
            assert!(message.contains("cloud metadata"), "{message}");
            assert!(message.contains(ALLOW_SETTING), "{message}");
        }
    }

    #[tokio::test]
    async fn ipv4_mapped_and_numeric_spellings_are_refused() {
        let open = policy(&[]);
        for host in ["::ffff:169.254.169.254", "[::ffff:a9fe:a9fe]"] {
            let message = refusal(&open, host).await;
            assert!(message.contains("cloud metadata"), "{host}: {message}");
        }
        // glibc's resolver reads these inet_aton spellings as 169.254.169.254;
        // a resolver that does not is refused for failing to resolve.
        for host in ["2852039166", "0xa9.0xfe.0xa9.0xfe", "169.254.43518"] {
            let message = refusal(&open, host).await;
            assert!(
                message.contains("resolves to 169.254.169.254, a cloud metadata")
                    || message.contains("cannot resolve"),
                "{host}: {message}"
            );
        }
    }

    #[tokio::test]
    async fn link_local_unspecified_multicast_and_broadcast_are_refused() {
        let open = policy(&[]);
        for (host, reason) in [
            ("169.254.1.1", "link-local"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("::ffff:169.254.1.1", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("::", "unspecified"),
            ("::ffff:0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("ff02::1", "multicast"),
            ("255.255.255.255", "broadcast"),
        ] {
            let message = refusal(&open, host).await;
            assert!(message.contains(reason), "{host}: {message}");
        }
    }

    #[tokio::test]
    async fn allow_list_entries_let_refused_addresses_through() {
        let by_address = policy(&["169.254.169.254"]);
        check_host(&by_address, "169.254.169.254").await.unwrap();
        check_host(&by_address, "::ffff:169.254.169.254")
            .await
            .unwrap();
        refusal(&by_address, "169.254.169.253").await;

        let by_block = policy(&["169.254.0.0/16", "fe80::/10"]);
        check_host(&by_block, "169.254.1.1").await.unwrap();
        check_host(&by_block, "fe80::1").await.unwrap();
        refusal(&by_block, "100.100.100.200").await;

        let everything = policy(&["0.0.0.0/0"]);
        check_host(&everything, "224.0.0.1").await.unwrap();
    }

    #[tokio::test]
    async fn unix_sockets_are_refused_unless_listed() {
        let message = refusal(&policy(&[]), "/var/run/postgresql").await;
        assert!(message.contains("Unix socket"), "{message}");
        check_host(&policy(&["/var/run/postgresql"]), "/var/run/postgresql")
            .await
            .unwrap();
    }

    async fn check_pg(policy: &TargetPolicy, host: &str, port: u16, database: &str) -> Result<()> {
        policy
            .check(Target::Network {
                host,
                port,
                database,
            })
            .await
            .map(drop)
    }

    #[tokio::test]
    async fn a_checked_name_gives_the_address_to_connect_to() {
        let open = policy(&[]);
        let target = |host| Target::Network {
            host,
            port: 5432,
            database: "app",
        };
        let addresses = open.check(target("localhost")).await.unwrap();
        assert!(!addresses.is_empty());
        assert!(addresses.iter().all(IpAddr::is_loopback), "{addresses:?}");
        assert_eq!(
            open.check(target("[::1]")).await.unwrap(),
            vec![IpAddr::V6(Ipv6Addr::LOCALHOST)]
        );
        // A listed name is the operator's to resolve.
        let listed = policy(&["localhost"]);
        assert!(listed.check(target("localhost")).await.unwrap().is_empty());
    }

    /// Every address this machine answers on, beside loopback.
    fn own_addresses() -> Vec<IpAddr> {
        let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        // Connecting a UDP socket sends nothing; it picks the outgoing address.
        match probe.connect("192.0.2.1:9") {
            Ok(()) => vec![probe.local_addr().unwrap().ip()],
            Err(_) => Vec::new(),
        }
    }

    #[tokio::test]
    async fn the_metadata_server_is_refused_under_any_local_address_and_database() {
        let guard =
            TargetPolicy::new(&[] as &[&str], postgres_metadata(Some("localhost"))).unwrap();
        let own: Vec<String> = own_addresses().iter().map(IpAddr::to_string).collect();
        let hosts = ["127.0.0.1", "localhost", "LocalHost", "::1", "127.0.0.2"];
        for host in hosts.iter().copied().chain(own.iter().map(String::as_str)) {
            for database in ["ferrobase", "sales"] {
                let error = check_pg(&guard, host, 5432, database).await.unwrap_err();
                assert!(
                    error.to_string().contains("metadata database"),
                    "{host}: {error}"
                );
            }
        }
        // Another port is another server.
        check_pg(&guard, "127.0.0.1", 5433, "ferrobase")
            .await
            .unwrap();

        // Listing the server opens its other databases, never the metadata one.
        let allowed = TargetPolicy::new(
            &["localhost", "127.0.0.1"],
            postgres_metadata(Some("localhost")),
        )
        .unwrap();
        check_pg(&allowed, "localhost", 5432, "sales")
            .await
            .unwrap();
        check_pg(&allowed, "127.0.0.1", 5432, "sales")
            .await
            .unwrap();
        for host in ["localhost", "127.0.0.1"] {
            let error = check_pg(&allowed, host, 5432, "ferrobase")
                .await
                .unwrap_err();
            assert!(error.to_string().contains("can never"), "{host}: {error}");
        }
    }

    #[tokio::test]
    async fn a_remote_metadata_server_is_matched_by_host_and_address() {
        let guard = TargetPolicy::new(&[] as &[&str], postgres_metadata(Some("10.1.2.3"))).unwrap();
        for host in ["10.1.2.3", "::ffff:10.1.2.3"] {
            for database in ["ferrobase", "sales"] {
                assert!(
                    check_pg(&guard, host, 5432, database).await.is_err(),
                    "{host}"
                );
            }
        }
        // A remote metadata server is not this machine.
        check_pg(&guard, "127.0.0.1", 5432, "ferrobase")
            .await
            .unwrap();
        check_pg(&guard, "10.1.2.4", 5432, "ferrobase")
            .await
            .unwrap();

        let allowed =
            TargetPolicy::new(&["10.1.2.3"], postgres_metadata(Some("10.1.2.3"))).unwrap();
        check_pg(&allowed, "10.1.2.3", 5432, "sales").await.unwrap();
        assert!(
            check_pg(&allowed, "10.1.2.3", 5432, "ferrobase")
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn a_socket_metadata_server_is_refused_over_loopback() {
        let guard = TargetPolicy::new(&[] as &[&str], postgres_metadata(None)).unwrap();
        assert!(check_pg(&guard, "127.0.0.1", 5432, "sales").await.is_err());
        check_pg(&guard, "10.0.0.5", 5432, "ferrobase")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn redirects_are_checked_like_targets() {
        use connectors::config::RedirectCheck;
        let redirects = policy(&[]).redirects("app");
        let refusal = redirects.check("169.254.169.254", 1433).await.unwrap_err();
        assert!(refusal.contains("cloud metadata"), "{refusal}");
        let address = redirects.check("127.0.0.1", 1433).await.unwrap();
        assert_eq!(address, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }

    fn sqlite_guard(dir: &Path) -> TargetPolicy {
        let metadata = MetadataStore::Sqlite {
            path: dir.join("ferrobase.db"),
        };
        TargetPolicy::new(&["0.0.0.0/0"], Some(metadata)).unwrap()
    }

    async fn check_file(policy: &TargetPolicy, path: &Path) -> Result<()> {
        policy.check(Target::File { path }).await.map(drop)
    }

    #[tokio::test]
    async fn the_metadata_sqlite_file_and_its_companions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ferrobase.db"), b"").unwrap();
        std::fs::write(dir.path().join("master.key"), b"").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let guard = sqlite_guard(dir.path());
        for (name, what) in [
            ("ferrobase.db", "own metadata store"),
            ("sub/../ferrobase.db", "own metadata store"),
            ("./ferrobase.db-wal", "journal"),
            ("ferrobase.db-shm", "journal"),
            ("ferrobase.db-journal", "journal"),
            ("master.key", "master key"),
        ] {
            let error = check_file(&guard, &dir.path().join(name))
                .await
                .unwrap_err();
            assert_eq!(error.code(), "INVALID_INPUT");
            assert!(error.to_string().contains(what), "{name}: {error}");
            assert!(error.to_string().contains("never"), "{name}: {error}");
        }
        check_file(&guard, &dir.path().join("sales.db"))
            .await
            .unwrap();
        check_file(&guard, &dir.path().join("sub/ferrobase.db"))
            .await
            .unwrap();
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn links_to_the_metadata_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ferrobase.db");
        std::fs::write(&store, b"").unwrap();
        let guard = sqlite_guard(dir.path());
        let symlink = dir.path().join("innocent.db");
        std::os::unix::fs::symlink(&store, &symlink).unwrap();
        assert!(check_file(&guard, &symlink).await.is_err());
        let hard_link = dir.path().join("copy.db");
        std::fs::hard_link(&store, &hard_link).unwrap();
        assert!(check_file(&guard, &hard_link).await.is_err());
    }

    #[tokio::test]
    async fn extra_protected_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("elsewhere.key");
        let guard = policy(&[]).protect_file(&key_file);
        assert!(check_file(&guard, &key_file).await.is_err());
        check_file(&guard, &dir.path().join("data.db"))
            .await
            .unwrap();
    }

    #[test]
    fn allow_entries_are_parsed_once() {
        let parsed = policy(&[
            " db.example.COM. ",
            "",
            "10.0.0.0/8",
            "[fd00::1]",
            "/run/pg",
        ]);
        assert_eq!(
            parsed.allow,
            vec![
                Allowed::Host("db.example.com".into()),
                Allowed::Block {
                    network: "10.0.0.0".parse().unwrap(),
                    prefix: 8
                },
                Allowed::Block {
                    network: "fd00::1".parse().unwrap(),
                    prefix: 128
                },
                Allowed::Host("/run/pg".into()),
            ]
        );
        assert!(parsed.allows_host("DB.example.com"));
        assert!(parsed.allows_address("10.200.0.1".parse().unwrap()));
        assert!(!parsed.allows_address("11.0.0.1".parse().unwrap()));
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/x",
            "a b",
            "http://x",
            "x/8",
            "a..b",
        ] {
            let error = TargetPolicy::new(&[bad], None).unwrap_err();
            assert!(error.to_string().contains(ALLOW_SETTING), "{bad}");
        }
    }

    #[test]
    fn metadata_store_is_read_from_the_store_location() {
        let sqlite = StoreLocation::Sqlite("data/ferrobase.db".into());
        assert_eq!(
            MetadataStore::from_location(&sqlite).unwrap(),
            MetadataStore::Sqlite {
                path: "data/ferrobase.db".into()
            }
        );
        let pg = StoreLocation::Postgres("postgres://fb:secret@db.internal:6543/meta".into());
        assert_eq!(
            MetadataStore::from_location(&pg).unwrap(),
            MetadataStore::Postgres {
                host: Some("db.internal".into()),
                port: 6543,
                database: "meta".into()
            }
        );
    }
}
