//! Every request's bounds: a body over the configured size is refused with
//! 413 before it is buffered, a client too slow to send its request gets
//! 408, and cross-origin browser calls work only from listed origins.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use support::identity::As;
use support::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn body_size_and_slow_clients() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.limits.max_body_bytes = 64 * 1024;
        config.limits.timeout = Duration::from_secs(1);
    })
    .await;
    let big = vec![b'x'; 65 * 1024];
    let reply = TestApp::reply(
        app.request(Method::POST, "/api/users:create", As::Anonymous)
            .header("content-type", "application/json")
            .body(big),
    )
    .await;
    reply.error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");

    let address = app.base.trim_start_matches("http://");
    // A chunked body with no length, far over the limit: refused once the
    // limit is crossed, without reading (or buffering) the rest.
    let text = chunked_flood(address, "/api/users:create").await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");

    // Headers promising a body that never comes (slowloris).
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/users:create HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let text = head_of(&mut stream).await;
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// Issue 11 item 7: every door (the REST API, server functions, the sign-in
/// and set-up forms) answers an oversized body with the same 413 in the
/// errors envelope, whether the length is declared or the body is chunked.
/// Server functions answered `500 Deserialization|length limit exceeded`.
#[tokio::test]
async fn every_door_answers_an_oversized_body_with_413() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.limits.max_body_bytes = 64 * 1024;
    })
    .await;
    let big = vec![b'x'; 65 * 1024];
    let address = app.base.trim_start_matches("http://").to_owned();
    for (path, content_type) in [
        ("/api/users:create", "application/json"),
        ("/_sfn/status", "application/x-www-form-urlencoded"),
        ("/_sfn/audit/list", "application/json"),
        ("/auth/signin", "application/x-www-form-urlencoded"),
        ("/auth/setup", "application/x-www-form-urlencoded"),
    ] {
        let reply = TestApp::reply(
            app.request(Method::POST, path, As::Anonymous)
                .header("content-type", content_type)
                .header("sec-fetch-site", "same-origin")
                .body(big.clone()),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{path}: {}",
            reply.body
        );
        assert_eq!(reply.code(), "PAYLOAD_TOO_LARGE", "{path}");
        let text = chunked_flood(&address, path).await;
        assert!(text.starts_with("HTTP/1.1 413"), "{path}: {text}");
    }
    // Under the limit, the server function still works.
    let small = app
        .request(Method::POST, "/_sfn/status", As::Anonymous)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_ne!(small.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// A chunked POST of up to 10 MB to `path`; the answer's head. Panics if
/// the server kept reading all of it instead of answering at the limit.
async fn chunked_flood(address: &str, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nSec-Fetch-Site: same-origin\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "x".repeat(16 * 1024));
    let mut sent = 0usize;
    // The server answers long before and stops reading.
    while sent < 10 * 1024 * 1024 {
        let write = stream.write_all(chunk.as_bytes());
        let Ok(Ok(())) = tokio::time::timeout(Duration::from_secs(2), write).await else {
            break;
        };
        sent += chunk.len();
    }
    assert!(
        sent < 10 * 1024 * 1024,
        "{path}: the server kept reading {sent} bytes"
    );
    head_of(&mut stream).await
}

/// The status line and headers of the answer on a raw connection.
async fn head_of(stream: &mut tokio::net::TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buffer = [0u8; 4096];
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            answer.extend_from_slice(&buffer[..n]);
            if n == 0 || answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn cors_only_for_listed_origins() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.cors_origins = vec!["https://app.example.org".to_owned()];
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, format!("{}/api/users:list", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header(
                "access-control-request-headers",
                "authorization, x-data-source",
            )
            .send()
    };
    let allowed = preflight("https://app.example.org").await.unwrap();
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.org"
    );
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed_headers.contains("authorization"),
        "{allowed_headers}"
    );
    assert!(
        headers.get("access-control-allow-credentials").is_none(),
        "cross-origin calls never carry a visitor's cookie"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // Without the setting, no CORS headers at all.
    let closed = TestApp::spawn(Backend::Sqlite).await;
    let reply = closed
        .client
        .get(format!("{}/api/users:list", closed.base))
        .header("origin", "https://app.example.org")
        .send()
        .await
        .unwrap();
    assert!(reply.headers().get("access-control-allow-origin").is_none());
}
