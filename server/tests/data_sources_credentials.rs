//! A data source never sends the server's own credentials (issue 11 items 8
//! and 9): a fake PostgreSQL server on loopback asks every client for a
//! cleartext password and records what it gets. With an empty password the
//! answer must be empty, not the process's `PGPASSWORD` or `~/.pgpass`; an
//! `{{$env.NAME}}` the operator did not list never reaches it.
//!
//! The test runs itself again as a child process with `PGPASSWORD` set (the
//! workspace forbids `unsafe`, which changing this process's environment
//! would need).
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;
use support::identity::As;
use support::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CANARY: &str = "server-own-PGPASSWORD-canary-5150";

/// What the fake server was sent as passwords, one entry per connection
/// that answered the password request.
type Received = Arc<Mutex<Vec<String>>>;

async fn fake_postgres() -> (u16, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Received::default();
    let log = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                if let Some(password) = ask_for_password(stream).await {
                    log.lock().unwrap().push(password);
                }
            });
        }
    });
    (port, received)
}

/// One connection: refuse TLS, take the startup message, ask for a
/// cleartext password, read it, then fail the sign-in.
async fn ask_for_password(mut stream: TcpStream) -> Option<String> {
    loop {
        let length = stream.read_i32().await.ok()?;
        let mut body = vec![0; usize::try_from(length).ok()?.checked_sub(4)?];
        stream.read_exact(&mut body).await.ok()?;
        // SSLRequest: code 80877103. Anything else is the startup message.
        if body[..4] == 80_877_103_i32.to_be_bytes() {
            stream.write_all(b"N").await.ok()?;
            continue;
        }
        break;
    }
    // AuthenticationCleartextPassword.
    stream
        .write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3])
        .await
        .ok()?;
    if stream.read_u8().await.ok()? != b'p' {
        return None;
    }
    let length = stream.read_i32().await.ok()?;
    let mut body = vec![0; usize::try_from(length).ok()?.checked_sub(4)?];
    stream.read_exact(&mut body).await.ok()?;
    let password = String::from_utf8_lossy(body.strip_suffix(&[0]).unwrap_or(&body)).into_owned();
    let error = b"SFATAL\0C28P01\0Mpassword authentication failed\0\0";
    let mut reply = vec![b'E'];
    reply.extend_from_slice(&(i32::try_from(error.len()).unwrap() + 4).to_be_bytes());
    reply.extend_from_slice(error);
    let _ = stream.write_all(&reply).await;
    Some(password)
}

const TEST: &str = "a_data_source_never_sends_the_servers_own_credentials";

#[test]
fn a_data_source_never_sends_the_servers_own_credentials() {
    if std::env::var("PGPASSWORD").as_deref() == Ok(CANARY) {
        return tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(with_canary());
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env("PGPASSWORD", CANARY)
        .output()
        .unwrap();
    let output = String::from_utf8_lossy(&child.stdout).into_owned()
        + &String::from_utf8_lossy(&child.stderr);
    assert!(child.status.success(), "{output}");
    assert!(
        output.contains("1 passed"),
        "the child ran the test: {output}"
    );
}

/// The test proper, in a process whose `PGPASSWORD` is the canary.
async fn with_canary() {
    let (port, received) = fake_postgres().await;
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let admin = app.admin_token().await;
    let source = |password: &str| {
        json!({
            "key": "fake", "displayName": "Fake", "engine": "postgres",
            "host": "127.0.0.1", "port": port, "database": "shop",
            "username": "reader", "tls": "disable", "password": password,
        })
    };
    let test = |password: &'static str| {
        app.api_post(
            "/api/dataSources:testConnection",
            As::Bearer(&admin),
            source(password),
        )
    };

    // Empty password: the server asked, and got nothing.
    let reply = test("").await;
    assert_ne!(reply.status, StatusCode::OK, "{}", reply.body);
    let sent = received.lock().unwrap().clone();
    assert!(!sent.is_empty(), "the fake server was never asked");
    assert!(sent.iter().all(String::is_empty), "sent {sent:?}");

    // A variable the operator did not list is refused before connecting.
    received.lock().unwrap().clear();
    let reply = test("{{$env.HOME}}").await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let reply = test("{{$env.PGPASSWORD}}").await;
    reply.error(StatusCode::BAD_REQUEST, "INVALID_INPUT");
    let sent = received.lock().unwrap().clone();
    let home = std::env::var("HOME").unwrap();
    assert!(
        sent.iter().all(|p| p != &home && p != CANARY),
        "sent {sent:?}"
    );
}
