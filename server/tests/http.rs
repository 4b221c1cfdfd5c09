//! Black-box tests of the HTTP edge: the real router, a real metadata store.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::Method;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, COOKIE,
    IF_MODIFIED_SINCE, LAST_MODIFIED, LOCATION, SET_COOKIE, VARY,
};
use serde_json::Value;
use support::api_keys::{issue, key_body};
use support::identity::{As, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(
    healthz_answers,
    readyz_says_ready_and_nothing_more,
    status_server_fn_needs_the_system_permission,
    status_page_is_complete_without_javascript,
    home_page_speaks_the_negotiated_language,
    theme_cookie_reaches_the_html_element,
    unknown_page_is_a_translated_404,
    unknown_api_path_is_a_json_404,
    preference_links_set_a_cookie_and_stay_on_site,
    bad_preferences_are_clear_400s,
    responses_are_compressed,
    every_response_carries_a_request_id,
    metrics_count_requests_by_route_pattern,
);

/// Many pages rendered at once on a multi-threaded runtime, as in
/// production: each answers in its own request's language with its own CSP
/// nonce. A title read outside its render's reactive arena once panicked
/// (the connection closed without an answer) or took another request's
/// language under this load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pages_keep_their_own_language_and_nonce() {
    let app = std::sync::Arc::new(TestApp::spawn(Backend::Sqlite).await);
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..8 {
        let app = app.clone();
        tasks.spawn(async move {
            for round in 0..60 {
                let (language, title) = if (task + round) % 2 == 0 {
                    ("en", "<title>Sign in · Ferrobase</title>")
                } else {
                    ("cs", "<title>Přihlásit se · Ferrobase</title>")
                };
                let response = app
                    .client
                    .get(app.url("/signin"))
                    .header(ACCEPT_LANGUAGE, language)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("request {task}/{round} got no answer: {e}"));
                assert_eq!(response.status(), StatusCode::OK);
                let csp = response.headers()["content-security-policy"]
                    .to_str()
                    .unwrap();
                let nonce = csp
                    .split("'nonce-")
                    .nth(1)
                    .unwrap()
                    .split('\'')
                    .next()
                    .unwrap();
                let nonce = format!("nonce=\"{nonce}\"");
                let body = response.text().await.unwrap();
                assert!(body.contains(title), "{language}: {body}");
                assert!(
                    body.contains(&nonce),
                    "the page's scripts carry the header's nonce"
                );
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

async fn healthz_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
}

/// The probe is public and says only yes or no: no version, no store kind,
/// nothing to fingerprint the installation by.
async fn readyz_says_ready_and_nothing_more(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "ready": true }));
}

/// The details need the `system` permission: 401 anonymous, 403 without it,
/// the full check with it, agreeing with the probe.
async fn status_server_fn_needs_the_system_permission(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "clerk", &["users"]).await;
    app.create_user(&admin, "clerk@example.org", Some(&["clerk"]))
        .await;
    let clerk = app.token("clerk@example.org", USER_PASSWORD).await;
    let status = |who| app.request(Method::POST, "/_sfn/status", who).send();
    assert_eq!(
        status(As::Anonymous).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(As::Cookie(&clerk)).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let response = status(As::Cookie(&admin)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let status: Value = response.json().await.unwrap();
    let kind = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(status["database"], kind);
    assert_eq!(status["databaseReachable"], true);
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    assert!(status["migrationsExpected"].as_u64().unwrap() >= 1);
    assert_eq!(status["migrationsApplied"], status["migrationsExpected"]);
}

async fn status_page_is_complete_without_javascript(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let store = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let anonymous = app.get("/status").await.text().await.unwrap();
    assert!(
        anonymous.contains("data-testid=\"sign-in-required\""),
        "{anonymous}"
    );
    assert!(!anonymous.contains("status-table") && !anonymous.contains(store));
    let admin = app.admin_token().await;
    let html = app
        .text_with("/status", COOKIE, &format!("fb_session={admin}"))
        .await;
    assert!(html.contains("data-testid=\"status-table\""), "{html}");
    assert!(html.contains("Ready") && html.contains("Reachable"));
    assert!(html.contains(store));
}

async fn home_page_speaks_the_negotiated_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let japanese = app
        .text_with("/", ACCEPT_LANGUAGE, "ja-JP,ja;q=0.9,en;q=0.5")
        .await;
    assert!(japanese.contains("<html lang=\"ja\""), "{japanese}");
    assert!(japanese.contains("組織で使っているシステムをつなぐ"));

    // A chosen language (cookie) wins over the browser's list.
    let chosen = app
        .client
        .get(app.url("/"))
        .header(ACCEPT_LANGUAGE, "cs")
        .header(COOKIE, "fb_locale=pt-BR")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(chosen.contains("<html lang=\"pt-BR\""));
    assert!(chosen.contains("Conecte os sistemas que sua organização usa"));

    let default = app.get("/").await;
    let vary = default
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect::<Vec<_>>()
        .join(",");
    assert!(
        vary.contains("accept-language") && vary.contains("cookie"),
        "{vary}"
    );
    assert!(default.text().await.unwrap().contains("<html lang=\"en\""));
}

async fn theme_cookie_reaches_the_html_element(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let dark = app.text_with("/", COOKIE, "fb_theme=dark").await;
    assert!(dark.contains("data-theme=\"dark\""));
    let bogus = app.text_with("/", COOKIE, "fb_theme=<script>").await;
    assert!(bogus.contains("data-theme=\"system\""));
    assert!(!bogus.contains("<script>\""));
}

async fn unknown_page_is_a_translated_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .header(ACCEPT_LANGUAGE, "id")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("Halaman tidak ditemukan"), "{html}");
}

/// A path no resource answers is a 404 in the envelope. (`/api/widgets:list`
/// names a collection: anonymous callers get 401 before learning whether it
/// exists; `data_sources_records` covers the signed-in 404.)
async fn unknown_api_path_is_a_json_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/api/no/such/resource/here:list").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "NOT_FOUND");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("/api/no/such/resource/here:list")
    );
    let collection = app.get("/api/widgets:list").await;
    assert_eq!(collection.status(), StatusCode::UNAUTHORIZED);
}

async fn preference_links_set_a_cookie_and_stay_on_site(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/prefs/locale/zh-CN?next=/status").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/status");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("fb_locale=zh-CN;"), "{cookie}");

    for hostile in ["//evil.example", "/%5Cevil.example", "https://evil.example"] {
        let response = app.get(&format!("/prefs/theme/dark?next={hostile}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/", "{hostile}");
    }
}

async fn bad_preferences_are_clear_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/prefs/locale/klingon?next=/", "/prefs/theme/purple"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(response.headers().get(SET_COOKIE).is_none());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "INVALID_INPUT");
    }
}

async fn responses_are_compressed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url("/"))
            .header(ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()[CONTENT_ENCODING], encoding);
    }
}

async fn every_response_carries_a_request_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let generated = app.get("/healthz").await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let given = app
        .client
        .get(app.url("/nope"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");
}

/// Telemetry needs `system`: anonymous 401, a role without it 403, and a
/// Prometheus scraper's API key of a role holding only `system` reads it.
async fn metrics_count_requests_by_route_pattern(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "monitor", &["system"]).await;
    app.create_role(&admin, "clerk", &["users"]).await;
    app.create_user(&admin, "clerk@example.org", Some(&["clerk"]))
        .await;
    let clerk = app.token("clerk@example.org", USER_PASSWORD).await;
    let scraper = issue(&app, &admin, key_body("prometheus", "monitor")).await;
    app.get("/prefs/locale/cs?next=/").await;
    app.get("/prefs/locale/ja?next=/").await;
    app.get("/healthz").await;
    app.api_get("/metrics", As::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    app.api_get("/metrics", As::Bearer(&clerk))
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let response = app
        .request(Method::GET, "/metrics", As::Bearer(&scraper.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"http_requests_total{method="GET",route="/prefs/locale/{tag}",status="303"} 2"#
        ),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"db_pool_connections{state="open"}"#));
    assert!(
        !text.contains("/prefs/locale/cs"),
        "raw paths must not become labels"
    );
}

/// The bundle is served under a version taken from its contents, sent as
/// the `.br`/`.gz` file written at build time when the browser accepts it,
/// and cached for a year; other site files are revalidated. After a
/// rebuild the page names a new version and the old one is not found, so a
/// browser cannot pair new HTML with a cached old WASM.
#[tokio::test]
async fn site_files_are_versioned_precompressed_and_cached() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(dir.path().join("outside.txt"), "not for the web").unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg/>").unwrap();
    for (file, body) in [
        ("ferrobase.js", "export default 1;"),
        ("ferrobase.js.br", "brotli bytes"),
        ("ferrobase.js.gz", "gzip bytes"),
        ("ferrobase_bg.wasm", "wasm v1"),
        ("ferrobase.css", "body{}"),
    ] {
        std::fs::write(pkg.join(file), body).unwrap();
    }
    let serve = |site: std::path::PathBuf| {
        TestApp::spawn_with(Backend::Sqlite, move |c| c.site_root = site)
    };
    let app = serve(site.clone()).await;
    let version = bundle_version(&app.get("/").await.text().await.unwrap());
    assert_eq!(version.len(), 16, "{version}");

    let js = format!("/pkg/{version}/ferrobase.js");
    for (encoding, body) in [("br", "brotli bytes"), ("gzip", "gzip bytes")] {
        let response = app
            .client
            .get(app.url(&js))
            .header(ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers[CONTENT_ENCODING], encoding);
        assert_eq!(
            headers[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers[VARY], "accept-encoding");
        assert!(
            headers[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript"),
            "{headers:?}"
        );
        assert_eq!(response.text().await.unwrap(), body);
    }
    let plain = app
        .client
        .get(app.url(&js))
        .header(ACCEPT_ENCODING, "identity")
        .send()
        .await
        .unwrap();
    assert!(!plain.headers().contains_key(CONTENT_ENCODING));
    assert_eq!(plain.text().await.unwrap(), "export default 1;");

    // Another version, a missing file, a way out of the folder: not found.
    for path in [
        "/pkg/0123456789abcdef/ferrobase.js".to_owned(),
        format!("/pkg/{version}/missing.js"),
        format!("/pkg/{version}/..%2f..%2foutside.txt"),
        "/..%2foutside.txt".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            !response.text().await.unwrap().contains("not for the web"),
            "{path}"
        );
    }

    let icon = app.get("/favicon.svg").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()[CACHE_CONTROL], "no-cache");
    let modified = icon.headers()[LAST_MODIFIED].clone();
    let again = app
        .client
        .get(app.url("/favicon.svg"))
        .header(IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    drop(app);

    std::fs::write(pkg.join("ferrobase_bg.wasm"), "wasm v2").unwrap();
    let upgraded = serve(site).await;
    let html = upgraded.get("/").await.text().await.unwrap();
    let new_version = bundle_version(&html);
    assert_ne!(new_version, version);
    assert!(
        html.contains(&format!("/pkg/{new_version}/ferrobase.css")),
        "{html}"
    );
    assert_eq!(upgraded.get(&js).await.status(), StatusCode::NOT_FOUND);
}

/// The version in the page's module preload `/pkg/{version}/ferrobase.js`.
fn bundle_version(html: &str) -> String {
    let start = html.find("/pkg/").expect("the page names the bundle") + "/pkg/".len();
    let rest = &html[start..];
    let version = &rest[..rest.find('/').unwrap()];
    assert!(
        html.contains(&format!("/pkg/{version}/ferrobase.js")),
        "{html}"
    );
    version.to_owned()
}
