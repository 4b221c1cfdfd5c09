//! Black-box tests of identity as a browser meets it: form sign-in and
//! sign-out, the session cookie, session fixation, first-run set-up, CSRF
//! and the security headers. Each runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::header::{
    CONTENT_SECURITY_POLICY, LOCATION, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::identity::{ADMIN_EMAIL, ADMIN_PASSWORD, As, set_cookie};
use support::{Backend, TestApp};

on_both_backends!(
    form_sign_in_sets_a_hardened_cookie,
    form_sign_out_clears_and_ends_the_session,
    sign_in_replaces_a_planted_session,
    setup_creates_the_first_admin_once,
    first_admin_from_the_environment_is_created_once,
    cross_site_posts_with_the_cookie_are_refused,
    every_response_has_security_headers,
);

/// Issue 11 items 12 and 14. With `FERROBASE_PUBLIC_URL` set, a form post
/// from another origin is refused even when `Host` matches it (before: the
/// Host was believed, so a rebound name passed); over https the session
/// cookie is `__Host-` prefixed and `Secure`, and responses carry HSTS.
#[tokio::test]
async fn a_configured_public_url_is_the_only_origin_and_https_hardens() {
    let public = "https://hub.example.org";
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |config| {
        config.public_url = public.to_owned();
        config.public_url_given = true;
    })
    .await;
    let sign_in = |origin: &str| {
        app.client
            .post(app.url("/auth/signin"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .header("sec-fetch-site", "same-origin")
            .body(support::identity::form_body(&[
                ("account", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
            ]))
            .send()
    };
    let refused = sign_in(&app.base).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let response = sign_in(public).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let (token, line) = set_cookie(response.headers(), "__Host-fb_session").unwrap();
    assert!(
        line.contains("; Secure") && line.contains("Path=/") && !line.contains("Domain"),
        "{line}"
    );
    let check = |cookie: String| {
        app.client
            .get(app.url("/api/auth:check"))
            .header("cookie", cookie)
            .send()
    };
    let ok = check(format!("__Host-fb_session={token}")).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    // The unprefixed name could be planted by a subdomain: not a session.
    let planted = check(format!("fb_session={token}")).await.unwrap();
    assert_eq!(planted.status(), StatusCode::UNAUTHORIZED);
}

/// Issue 11 item 12: the first-run form creates the administrator only for
/// a post the browser says comes from our own page. Before, a post naming
/// neither `Origin` nor `Sec-Fetch-Site` passed, as no cookie was at stake.
#[tokio::test]
async fn the_setup_form_refuses_a_post_of_unknown_origin() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let password = "set-up-Passw0rd";
    let fields = [
        ("email", "owner@example.org"),
        ("displayName", "Owner"),
        ("password", password),
        ("passwordConfirmation", password),
    ];
    for extra in [
        None,
        Some(("sec-fetch-site", "cross-site")),
        Some(("origin", "https://evil.example")),
    ] {
        let mut request = app
            .client
            .post(app.url("/auth/setup"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(support::identity::form_body(&fields));
        if let Some((name, value)) = extra {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{extra:?}");
    }
    let signed_in = app.sign_in("owner@example.org", password).await;
    assert_eq!(
        signed_in.status,
        StatusCode::UNAUTHORIZED,
        "no administrator was made"
    );
    let response = app.form("/auth/setup", &fields, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "plain http: no HSTS"
    );
}

async fn form_sign_in_sets_a_hardened_cookie(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let form = [
        ("account", ADMIN_EMAIL),
        ("password", ADMIN_PASSWORD),
        ("next", "/status"),
    ];
    let response = app.form("/auth/signin", &form, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/status");
    let (token, line) = set_cookie(response.headers(), "fb_session").unwrap();
    assert!(token.starts_with("fbs_"), "{line}");
    for flag in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=604800"] {
        assert!(
            line.split("; ").any(|part| part == flag),
            "{flag} missing: {line}"
        );
    }
    // Plain http public URL: no Secure flag (the browser would drop the cookie).
    assert!(!line.contains("Secure"), "{line}");
    let check = app.api_get("/api/auth:check", As::Cookie(&token)).await;
    assert_eq!(check.ok()["email"], ADMIN_EMAIL);
    // The cookie is a bearer token too, and vice versa: one session.
    app.api_get("/api/auth:check", As::Bearer(&token))
        .await
        .ok();

    // Failure: back to the form with the code and the account, never the password.
    let bad = [
        ("account", ADMIN_EMAIL),
        ("password", "wrong-password"),
        ("next", "/status"),
    ];
    let response = app.form("/auth/signin", &bad, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/signin?error=INVALID_CREDENTIALS"),
        "{location}"
    );
    assert!(
        location.contains("account=root%40example.org"),
        "{location}"
    );
    assert!(!location.contains("wrong-password"), "{location}");
    assert!(set_cookie(response.headers(), "fb_session").is_none());

    // `next` never leaves the site.
    for hostile in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let form = [
            ("account", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("next", hostile),
        ];
        let response = app.form("/auth/signin", &form, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/", "{hostile}");
    }
    // A malformed form is a redirect with a code, not a 500.
    let response = app
        .form("/auth/signin", &[("account", ADMIN_EMAIL)], None)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/signin?error=INVALID_INPUT"),
        "{location}"
    );
}

async fn form_sign_out_clears_and_ends_the_session(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let form = [("account", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)];
    let response = app.form("/auth/signin", &form, None).await;
    let (token, _) = set_cookie(response.headers(), "fb_session").unwrap();
    let cookie = format!("fb_theme=dark; fb_session={token}");
    let response = app.form("/auth/signout", &[], Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/signin");
    let (value, line) = set_cookie(response.headers(), "fb_session").unwrap();
    assert_eq!(value, "");
    assert!(
        line.contains("Max-Age=0") && line.contains("HttpOnly"),
        "{line}"
    );
    // A copy of the old cookie signs nobody in.
    let replay = app.api_get("/api/auth:check", As::Cookie(&token)).await;
    replay.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let replay = app.api_get("/api/auth:check", As::Bearer(&token)).await;
    replay.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
}

async fn sign_in_replaces_a_planted_session(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let form = [
        ("account", ADMIN_EMAIL),
        ("password", ADMIN_PASSWORD),
        ("next", "/"),
    ];

    // A value the attacker made up: never becomes a session.
    let planted = "fbs_AttackerChoseThisValue0000000000000000000";
    let response = app
        .form(
            "/auth/signin",
            &form,
            Some(&format!("fb_session={planted}")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (fresh, _) = set_cookie(response.headers(), "fb_session").unwrap();
    assert_ne!(fresh, planted);
    app.api_get("/api/auth:check", As::Cookie(&fresh))
        .await
        .ok();
    let reply = app.api_get("/api/auth:check", As::Cookie(planted)).await;
    reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");

    // A real session the attacker holds (theirs, planted in the victim's
    // browser): signing in ends it and hands out a new one.
    let attackers = app.admin_token().await;
    let response = app
        .form(
            "/auth/signin",
            &form,
            Some(&format!("fb_session={attackers}")),
        )
        .await;
    let (victims, _) = set_cookie(response.headers(), "fb_session").unwrap();
    assert_ne!(victims, attackers);
    app.api_get("/api/auth:check", As::Cookie(&victims))
        .await
        .ok();
    let reply = app.api_get("/api/auth:check", As::Bearer(&attackers)).await;
    reply.error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
}

async fn setup_creates_the_first_admin_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let password = "set-up-Passw0rd";
    let mismatch = [
        ("email", "owner@example.org"),
        ("displayName", "Owner"),
        ("password", password),
        ("passwordConfirmation", "something-else"),
    ];
    let response = app.form("/auth/setup", &mismatch, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/setup?error=PASSWORD_MISMATCH"),
        "{location}"
    );
    assert!(!location.contains(password));

    let bad_email = [
        ("email", "not-an-email"),
        ("displayName", "Owner"),
        ("password", password),
        ("passwordConfirmation", password),
    ];
    let response = app.form("/auth/setup", &bad_email, None).await;
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/setup?error=EMAIL_INVALID"),
        "{location}"
    );

    let fields = [
        ("email", "Owner@Example.org"),
        ("displayName", "Owner"),
        ("password", password),
        ("passwordConfirmation", password),
    ];
    let response = app.form("/auth/setup", &fields, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/");
    let (token, line) = set_cookie(response.headers(), "fb_session").unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax"),
        "{line}"
    );
    let me = app.api_get("/api/auth:check", As::Cookie(&token)).await;
    assert_eq!(me.ok()["email"], "owner@example.org");
    assert_eq!(me.ok()["roles"], json!(["admin"]));

    // Closed for good, whoever asks.
    let again = [
        ("email", "intruder@example.org"),
        ("displayName", "Intruder"),
        ("password", "intruder-Passw0rd"),
        ("passwordConfirmation", "intruder-Passw0rd"),
    ];
    let response = app.form("/auth/setup", &again, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/setup?error=SETUP_DONE"),
        "{location}"
    );
    assert!(set_cookie(response.headers(), "fb_session").is_none());
    let users = app.users(&token).await;
    assert_eq!(users.len(), 1);
    let intruder = app
        .sign_in("intruder@example.org", "intruder-Passw0rd")
        .await;
    intruder.error(StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS");
}

async fn first_admin_from_the_environment_is_created_once(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let token = app.admin_token().await;
    let users = app.users(&token).await;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], ADMIN_EMAIL);
    assert_eq!(users[0]["roles"], json!(["admin"]));

    // A restart with other values set: nothing happens, the start succeeds.
    let restarted = TestApp::spawn_sharing(&app, |config| {
        config.first_admin = Some(server::config::FirstAdmin {
            email: "second@example.org".to_owned(),
            password: "second-Passw0rd".to_owned(),
        });
    })
    .await;
    let second = restarted
        .sign_in("second@example.org", "second-Passw0rd")
        .await;
    second.error(StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS");
    restarted.admin_token().await;
    assert_eq!(restarted.users(&token).await.len(), 1);
    let created = app.audit(&token, "action=users:createAdmin").await;
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["outcome"], "success");
    assert!(
        created[0]["actor"]
            .as_str()
            .unwrap()
            .contains("FERROBASE_ADMIN_EMAIL")
    );

    // The set-up page is closed as well.
    let fields = [
        ("email", "late@example.org"),
        ("displayName", "Late"),
        ("password", "late-Passw0rd"),
        ("passwordConfirmation", "late-Passw0rd"),
    ];
    let response = app.form("/auth/setup", &fields, None).await;
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/setup?error=SETUP_DONE"),
        "{location}"
    );
    drop(restarted);
}

async fn cross_site_posts_with_the_cookie_are_refused(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let token = app.admin_token().await;
    let cookie = format!("fb_session={token}");
    let change = json!({ "displayName": "Pwned" });
    let forged = |headers: &[(&str, &str)]| {
        let mut request = app
            .client
            .post(app.url("/api/users:updateProfile"))
            .header("cookie", &cookie)
            .json(&change);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    };
    let hostile: [&[(&str, &str)]; 6] = [
        &[("sec-fetch-site", "cross-site")],
        // Another scheme is no bearer token: the cookie still authenticates.
        &[
            ("sec-fetch-site", "cross-site"),
            ("authorization", "Basic Zm9vOmJhcg=="),
        ],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        // A cookie but neither header: no current browser sends that.
        &[],
    ];
    for headers in hostile {
        let reply = TestApp::reply(forged(headers)).await;
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    // Fetch metadata decides even when the Origin looks right.
    let origin = app.base.clone();
    let mixed = [
        ("sec-fetch-site", "cross-site"),
        ("origin", origin.as_str()),
    ];
    TestApp::reply(forged(&mixed))
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    // Form posts are guarded the same way: no cross-site sign-out.
    let response = app
        .client
        .post(app.url("/auth/signout"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Server functions, the pages' own door, are no way around it either.
    for hostile in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = app
            .client
            .post(app.url("/_sfn/users/list"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(hostile.0, hostile.1)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{hostile:?}");
    }
    // Nor a cross-site sign-in (login CSRF), even without a cookie.
    let response = app
        .client
        .post(app.url("/auth/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(support::identity::form_body(&[
            ("account", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(response.headers(), "fb_session").is_none());
    let me = app.api_get("/api/auth:check", As::Bearer(&token)).await;
    assert_ne!(
        me.ok()["displayName"],
        "Pwned",
        "a refused request changed nothing"
    );

    // The same request from our own page, or with a bearer token, goes through.
    let own = [("origin", origin.as_str())];
    assert_eq!(
        TestApp::reply(forged(&own)).await.ok()["displayName"],
        "Pwned"
    );
    let same = [("sec-fetch-site", "same-origin")];
    TestApp::reply(forged(&same)).await.ok();
    let bearer = app
        .request(Method::POST, "/api/users:updateProfile", As::Bearer(&token))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .json(&json!({ "displayName": "Via token" }));
    assert_eq!(
        TestApp::reply(bearer).await.ok()["displayName"],
        "Via token"
    );
    // Safe methods are never refused.
    let get = app
        .client
        .get(app.url("/api/auth:check"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site");
    TestApp::reply(get).await.ok();
}

async fn every_response_has_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let requests = [
        app.client.get(app.url("/healthz")),
        app.client.get(app.url("/api/auth:check")),
        app.client.get(app.url("/api/nothing:here")),
        app.client.get(app.url("/signin")),
        app.client.get(app.url("/no/such/page")),
        app.client.post(app.url("/auth/signout")),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        let url = response.url().clone();
        let headers = response.headers();
        assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff", "{url}");
        assert_eq!(headers[X_FRAME_OPTIONS], "DENY", "{url}");
        assert!(headers.contains_key(REFERRER_POLICY), "{url}");
        let csp = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{url}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{url}: {csp}");
    }
    // Pages: scripts by nonce (this render's), WebAssembly allowed.
    let response = app.get("/").await;
    let csp = response.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in the page CSP: {csp}"));
    assert!(nonce.len() >= 16, "{csp}");
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the page's scripts lack the nonce"
    );
    let again = app.get("/").await;
    let csp_again = again.headers()[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(!csp_again.contains(nonce), "a nonce is for one render only");
}

/// Signed-in pages rendered many at once on a multi-threaded runtime, mixed
/// with the static files and API calls a browser sends beside them: every
/// HTML answer carries the page policy with the nonce its own scripts use.
/// Once in many CI runs `/admin/roles` came with the JSON policy instead
/// (`default-src 'none'`), and the browser blocked its CSS and WASM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_under_load_carries_its_own_nonce_policy() {
    let app = std::sync::Arc::new(TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await);
    let token = app.admin_token().await;
    let pages = [
        "/admin/roles",
        "/admin/roles/admin",
        "/admin/users",
        "/admin/audit",
        "/admin/data-sources",
        "/admin/collections",
        "/settings/api-keys",
        "/profile",
        "/status",
        "/",
        "/no-such-page",
    ];
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..8_usize {
        let (app, token) = (app.clone(), token.clone());
        tasks.spawn(async move {
            for round in 0..40_usize {
                let path = pages[(task * 7 + round) % pages.len()];
                // Beside each page, what its browser fetches next.
                let side = match round % 3 {
                    0 => app.request(Method::GET, "/favicon.ico", As::Anonymous),
                    1 => app.request(Method::GET, "/api/auth:check", As::Cookie(&token)),
                    _ => app.request(Method::GET, "/pkg/ferrobase.css", As::Anonymous),
                };
                let page = app.request(Method::GET, path, As::Cookie(&token));
                let (page, side) = tokio::join!(page.send(), side.send());
                side.unwrap();
                let page = page.unwrap();
                let csp = page.headers()[CONTENT_SECURITY_POLICY]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let Some(nonce) = csp
                    .split("'nonce-")
                    .nth(1)
                    .and_then(|n| n.split('\'').next())
                else {
                    panic!("{path} (task {task}, round {round}) got the non-page policy: {csp}");
                };
                let nonce = format!("nonce=\"{nonce}\"");
                let body = page.text().await.unwrap();
                assert!(
                    body.contains(&nonce),
                    "{path}: the scripts carry another nonce than {csp}"
                );
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}
