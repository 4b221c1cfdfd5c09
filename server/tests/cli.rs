//! The `ferrobase` binary as an operator meets it: help, bad configuration,
//! broken stores, busy ports, signals. Every failure must be one clear line,
//! a non-zero exit and an untouched data folder.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use service::MasterKey;
use support::process::{ferrobase, free_addr, start, terminate};

/// Asserts a failed start: exit code 1 and exactly one line on stderr.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "expected {expected:?} in: {stderr}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let content = std::fs::read(&path).unwrap_or_default();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                content,
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn help_documents_every_setting_and_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let output = ferrobase(dir.path()).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for (env, _, _) in server::config::SETTINGS {
        assert!(help.contains(env), "--help lacks {env}");
    }
    for subcommand in ["serve", "migrate", "gen-master-key"] {
        assert!(help.contains(subcommand), "--help lacks {subcommand}");
    }
}

#[test]
fn unknown_environment_variable_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let output = ferrobase(dir.path())
        .env("FERROBASE_PORT", "80")
        .output()
        .unwrap();
    assert_one_line_failure(&output, "unknown environment variable FERROBASE_PORT");
    assert!(
        listing(dir.path()).is_empty(),
        "a failed start created files"
    );
}

#[test]
fn unknown_file_key_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ferrobase.toml"),
        "listen = \"0.0.0.0:80\"\n",
    )
    .unwrap();
    let output = ferrobase(dir.path()).output().unwrap();
    assert_one_line_failure(&output, "unknown field `listen`");
}

#[test]
fn corrupt_sqlite_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("ferrobase.db"), vec![0x42_u8; 16384]).unwrap();
    let before = listing(&data);
    assert_store_refused(dir.path());
    assert_eq!(listing(&data), before, "the data folder changed");
}

/// Starts on the default SQLite file and expects it to be refused.
fn assert_store_refused(dir: &Path) {
    let output = ferrobase(dir)
        .env("FERROBASE_ADDR", free_addr())
        .output()
        .unwrap();
    assert_one_line_failure(
        &output,
        "cannot open the metadata store (SQLite file data/ferrobase.db)",
    );
}

#[test]
fn unreadable_sqlite_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the database file should be: SQLite cannot open it.
    std::fs::create_dir_all(dir.path().join("data/ferrobase.db")).unwrap();
    assert_store_refused(dir.path());
    assert!(!dir.path().join("data/master.key").exists());
}

#[test]
fn busy_port_is_reported_before_anything_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = ferrobase(dir.path())
        .env("FERROBASE_ADDR", &addr)
        .output()
        .unwrap();
    assert_one_line_failure(&output, &format!("cannot listen on {addr}"));
    assert!(
        !dir.path().join("data").exists(),
        "a failed start created the data folder"
    );
}

#[test]
fn unreachable_postgres_is_reported_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = ferrobase(dir.path())
        .env("FERROBASE_ADDR", free_addr())
        .env("DATABASE_URL", "postgres://fb:hunter2@127.0.0.1:1/fb")
        .env("FERROBASE_MASTER_KEY", MasterKey::generate().to_base64())
        .output()
        .unwrap();
    assert_one_line_failure(
        &output,
        "cannot open the metadata store (PostgreSQL postgres://fb:***@127.0.0.1:1/fb)",
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn postgres_without_a_master_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = ferrobase(dir.path())
        .env("DATABASE_URL", support::postgres_admin_url())
        .output()
        .unwrap();
    assert_one_line_failure(
        &output,
        "FERROBASE_MASTER_KEY (or FERROBASE_MASTER_KEY_FILE) is required",
    );
}

#[test]
fn migrate_applies_once_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let first = ferrobase(dir.path()).arg("migrate").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8(first.stdout).unwrap();
    assert!(stdout.contains("SQLite file data/ferrobase.db"), "{stdout}");
    assert!(!stdout.contains(" 0 migration(s) applied now"), "{stdout}");
    let second = ferrobase(dir.path()).arg("migrate").output().unwrap();
    assert!(
        String::from_utf8(second.stdout)
            .unwrap()
            .contains(": 0 migration(s) applied now")
    );
}

#[test]
fn gen_master_key_prints_a_usable_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = ferrobase(dir.path())
        .arg("gen-master-key")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(MasterKey::parse(&String::from_utf8(output.stdout).unwrap()).is_ok());
}

#[test]
fn sigterm_stops_gracefully_and_json_logs_are_json() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let child = start(
        dir.path(),
        &addr,
        &[("FERROBASE_LOG_FORMAT", "json".into())],
    );
    let output = terminate(child);
    assert!(output.status.success(), "exit: {:?}", output.status);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["message"] == "Ferrobase stopped"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&format!("running at http://{addr}")),
        "{stdout}"
    );
}

#[test]
fn a_different_master_key_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let original = MasterKey::generate();
    let addr = free_addr();
    let child = start(
        dir.path(),
        &addr,
        &[("FERROBASE_MASTER_KEY", original.to_base64())],
    );
    assert!(terminate(child).status.success());
    let data = dir.path().join("data");
    let before = listing(&data);

    let output = ferrobase(dir.path())
        .env("FERROBASE_ADDR", free_addr())
        .env("FERROBASE_MASTER_KEY", MasterKey::generate().to_base64())
        .output()
        .unwrap();
    assert_one_line_failure(&output, "the master key does not match");
    assert_eq!(
        listing(&data)
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        before.into_iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
}

#[test]
fn embedded_default_generates_its_key_once_and_refuses_to_lose_it() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    assert!(terminate(start(dir.path(), &addr, &[])).status.success());
    let key_file = dir.path().join("data/master.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(MasterKey::parse(&key).is_ok());
    // A second start reuses it.
    assert!(terminate(start(dir.path(), &addr, &[])).status.success());
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key);
    // Losing it is an error, never a silently new key.
    std::fs::remove_file(&key_file).unwrap();
    let output = ferrobase(dir.path())
        .env("FERROBASE_ADDR", free_addr())
        .output()
        .unwrap();
    assert_one_line_failure(&output, "master key file data/master.key is missing");
    assert!(!key_file.exists());
}

#[test]
fn a_damaged_key_file_stops_a_first_start_before_the_database_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/master.key"), "not a key\n").unwrap();
    let output = ferrobase(dir.path())
        .env("FERROBASE_ADDR", free_addr())
        .output()
        .unwrap();
    assert_one_line_failure(&output, "the master key file data/master.key is damaged");
    assert_eq!(
        listing(&dir.path().join("data")).len(),
        1,
        "only the key file may exist"
    );
}
