//! The target guard holds for the life of a pool (issue 11 item 10): once a
//! source's host name was checked, a DNS answer that changes afterwards
//! (rebinding) cannot move the pool's next connection somewhere else.
//!
//! The name is resolved through `/etc/hosts`. The test runs itself again in
//! a private mount namespace (`unshare --mount`) with a file of its own bound
//! over `/etc/hosts`, so it can change what the name resolves to without
//! touching the machine. Each engine's server is reached through a proxy on
//! 127.0.0.1; after the source is loaded the name is moved to 127.0.0.2,
//! where a listener only counts who arrives, and the proxied connections are
//! cut, so the pool must open new ones.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::data::{Db, ExternalDb};
use support::identity::As;
use support::{Backend, TestApp};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

const TEST: &str = "a_rebound_name_cannot_move_a_pooled_connection";
const NAME: &str = "rebind.ferrobase.test";
/// Set in the child: the file bound over `/etc/hosts`.
const HOSTS: &str = "FERROBASE_TEST_HOSTS_FILE";

#[test]
fn a_rebound_name_cannot_move_a_pooled_connection() {
    if let Ok(hosts) = std::env::var(HOSTS) {
        return tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(rebound(Path::new(&hosts)));
    }
    let dir = tempfile::tempdir().unwrap();
    let hosts = dir.path().join("hosts");
    point(&hosts, "127.0.0.1");
    let child = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "--", "sh", "-c"])
        .arg(r#"mount --bind "$0" /etc/hosts && exec "$@""#)
        .arg(&hosts)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(HOSTS, &hosts)
        .output();
    let child = match child {
        Ok(child) => child,
        Err(error) => {
            eprintln!("SKIPPED {TEST}: util-linux `unshare` cannot run here: {error}");
            return;
        }
    };
    let output = String::from_utf8_lossy(&child.stdout).into_owned()
        + &String::from_utf8_lossy(&child.stderr);
    if !child.status.success() && output.contains("Operation not permitted") {
        eprintln!("SKIPPED {TEST}: a private mount namespace needs root here: {output}");
        return;
    }
    assert!(child.status.success(), "{output}");
    assert!(
        output.contains("1 passed"),
        "the child ran the test: {output}"
    );
}

/// Rewrites the hosts file in place (the bind mount follows the inode).
fn point(hosts: &Path, address: &str) {
    let mut file = std::fs::File::create(hosts).unwrap();
    writeln!(file, "127.0.0.1 localhost\n::1 localhost\n{address} {NAME}").unwrap();
}

/// The test proper, where `/etc/hosts` is `hosts`.
async fn rebound(hosts: &Path) {
    for (db, server_port) in [(Db::Postgres, 5432), (Db::Mariadb, 3306)] {
        point(hosts, "127.0.0.1");
        let external = ExternalDb::shop(db).await;
        let proxy = Proxy::start(server_port).await;
        let elsewhere = Counter::start(proxy.port).await;
        let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
        let admin = app.admin_token().await;
        let mut body = external.source("moving");
        body["host"] = NAME.into();
        body["port"] = proxy.port.into();
        let view = app.add_source(&admin, body).await;
        assert_eq!(view["status"], "loaded", "{db:?}: {view}");

        // The name now answers with another address, and every pooled
        // connection is gone: the next query needs a new one.
        point(hosts, "127.0.0.2");
        proxy.cut().await;
        for _ in 0..3 {
            let reply = app
                .ds_get(As::Bearer(&admin), "moving", "customers:list")
                .await;
            assert!(reply.listed() > 0, "{db:?}: {}", reply.body);
            proxy.cut().await;
        }
        assert_eq!(
            elsewhere.arrived(),
            0,
            "{db:?}: a pooled connection followed the rebound name to 127.0.0.2"
        );
        assert!(proxy.accepted() > 1, "{db:?}: the pool reconnected");
    }
}

/// Forwards 127.0.0.1:port to the database server, and can cut every
/// connection it carries.
struct Proxy {
    port: u16,
    accepted: Arc<AtomicUsize>,
    connections: Arc<tokio::sync::Mutex<JoinSet<()>>>,
}

impl Proxy {
    async fn start(server_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
        let (count, carried) = (accepted.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                carried.lock().await.spawn(async move {
                    let Ok(mut server) = TcpStream::connect(("127.0.0.1", server_port)).await
                    else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                });
            }
        });
        Proxy {
            port,
            accepted,
            connections,
        }
    }

    async fn cut(&self) {
        self.connections.lock().await.abort_all();
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Counts the connections that arrive at 127.0.0.2:port and drops them.
struct Counter(Arc<AtomicUsize>);

impl Counter {
    async fn start(port: u16) -> Counter {
        let listener = TcpListener::bind(("127.0.0.2", port)).await.unwrap();
        let arrived = Arc::new(AtomicUsize::new(0));
        let count = arrived.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Counter(arrived)
    }

    fn arrived(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}
