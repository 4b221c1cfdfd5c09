//! What identity costs per request, measured (not asserted):
//! `cargo bench -p service --bench identity`.
//!
//! - the permission check of an authenticated request: a cached role lookup
//!   plus `allows`, against its peer, a plain `HashMap` lookup;
//! - one Argon2id verification, the floor under sign-in throughput.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use model::identity::{Password, SystemPermission};
use service::store::StoreLocation;
use service::{AuthPolicy, Services, Store, password};

fn per_op_ns(iterations: u32, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        op();
    }
    start.elapsed().as_nanos() as f64 / f64::from(iterations)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let location = StoreLocation::Sqlite(dir.path().join("bench.db"));
    let services = runtime.block_on(async {
        let store = Store::open(&location).await.unwrap();
        store.migrate().await.unwrap();
        let targets = service::target_guard::TargetPolicy::new::<&str>(&[], None).unwrap();
        let data = service::data::DataSources::new(service::MasterKey::generate(), targets);
        Services::new(store, AuthPolicy::default(), data)
    });
    // Warm the cache the way the first request of a role does.
    runtime
        .block_on(services.acl.permissions(&services.store, "member", 1))
        .unwrap();

    const N: u32 = 2_000_000;
    let check = per_op_ns(N, || {
        let permissions = services
            .acl
            .cached(black_box("member"), black_box(1))
            .unwrap();
        black_box(permissions.allows(black_box(SystemPermission::AuditLog)));
    });
    let peer: HashMap<String, u64> = [("member".to_owned(), 1)].into_iter().collect();
    let lookup = per_op_ns(N, || {
        black_box(peer.get(black_box("member")));
    });

    let secret = Password::parse("a benchmark password").unwrap();
    let hash = runtime.block_on(password::hash(&secret)).unwrap();
    const HASHES: u32 = 20;
    let verify = per_op_ns(HASHES, || {
        assert!(
            runtime
                .block_on(password::verify(Some(hash.clone()), &secret))
                .unwrap()
        );
    });

    println!("| metric | value |\n|---|---|");
    println!("| permission check, cached role + allows (ns) | {check:.0} |");
    println!("| peer: one HashMap<String, _> lookup (ns) | {lookup:.0} |");
    println!("| ratio check / lookup | {:.1} |", check / lookup);
    println!(
        "| Argon2id verification, m=19 MiB t=2 p=1 (ms) | {:.1} |",
        verify / 1e6
    );
    println!(
        "| sign-in ceiling on this machine, {} cores (sign-ins/s) | {:.0} |",
        num_cores(),
        f64::from(num_cores()) * 1e9 / verify
    );
}

fn num_cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
}
