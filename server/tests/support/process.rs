//! The `ferrobase` binary as a child process, for tests that need what only
//! a real process has: its exit code, signals, its log on stderr.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn ferrobase(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferrobase"));
    // A clean environment: a developer's own DATABASE_URL must not leak in.
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("FERROBASE_SITE_ROOT", super::site_root())
        .current_dir(dir)
        .stdin(Stdio::null());
    command
}

pub fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// Starts `serve`, waits until it listens, and returns the child.
pub fn start(dir: &Path, addr: &str, envs: &[(&str, String)]) -> Child {
    let mut command = ferrobase(dir);
    command
        .env("FERROBASE_ADDR", addr)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in envs {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            panic!(
                "ferrobase exited with {status}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(Instant::now() < deadline, "ferrobase did not start");
        std::thread::sleep(Duration::from_millis(25));
    }
    child
}

/// SIGTERM, then everything the child wrote.
pub fn terminate(child: Child) -> Output {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait_with_output().unwrap()
}
