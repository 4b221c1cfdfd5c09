//! The API documentation end to end: `/api/openapi.json` and its parts as
//! an administrator, a member with narrow grants and an anonymous caller;
//! the documents pass PyPI's `openapi-spec-validator`; every catalogued
//! operation reaches a handler; the `/api-docs` explorer is served from
//! Ferrobase with its own Content-Security-Policy.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use std::path::PathBuf;
use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::routes::api::catalog::{self, Verb, records};
use support::data::{Db, ExternalDb};
use support::identity::As;
use support::{Backend, TestApp};

/// Customers and orders (orders → customers) on the main source, one
/// customer, and a member who may view customers' `id` and `name` and
/// create customers with a `name` only. Answers (admin, member) tokens.
async fn shop(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    let customers = json!({"name": "customers", "title": "Customers", "fields": [
        {"name": "name", "type": "text", "required": true},
        {"name": "email", "type": "text", "unique": true},
        {"name": "vip", "type": "boolean"},
    ]});
    app.api_post("/api/collections:create", who, customers)
        .await
        .ok();
    let orders = json!({"name": "orders", "fields": [
        {"name": "customer", "type": "relation", "target": "customers"},
        {"name": "total", "type": "decimal"},
        {"name": "quantity", "type": "integer"},
        {"name": "status", "type": "select", "options": ["open", "paid"]},
        {"name": "placed", "type": "date"},
        {"name": "shippedAt", "type": "datetime"},
        {"name": "notes", "type": "longText"},
        {"name": "extra", "type": "json"},
    ]});
    app.api_post("/api/collections:create", who, orders)
        .await
        .ok();
    app.api_post("/api/customers:create", who, json!({"name": "Ann"}))
        .await
        .ok();
    let grants = json!([
        {"dataSource": "main", "collection": "customers", "action": "view", "fields": ["id", "name"]},
        {"dataSource": "main", "collection": "customers", "action": "create", "fields": ["name"]},
    ]);
    let member = app.user_with_grants(&admin, "clerk", grants).await;
    (admin, member)
}

async fn document(app: &TestApp, query: &str, who: As<'_>) -> support::identity::Reply {
    app.api_get(&format!("/api/openapi.json{query}"), who).await
}

fn paths(document: &Value) -> Vec<String> {
    document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn properties(document: &Value, schema: &str) -> Vec<String> {
    let mut names: Vec<String> = document["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no schema {schema}"))
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn collections_appear_as_the_role_may_see_them() {
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let (admin, member) = shop(&app).await;

    let full = document(&app, "", As::Bearer(&admin)).await;
    assert_eq!(full.status, StatusCode::OK);
    let all = paths(&full.body);
    for path in [
        "/users:list",
        "/customers:list",
        "/customers:destroy",
        "/customers/{filterByTk}",
        "/orders:query",
        "/orders/{id}/customer:get",
        "/customers/{id}/orders:create",
    ] {
        assert!(all.iter().any(|p| p == path), "{path} missing: {all:?}");
    }
    assert_eq!(
        properties(&full.body, "collection.customers"),
        [
            "createdAt",
            "createdById",
            "email",
            "id",
            "name",
            "orders",
            "updatedAt",
            "vip"
        ]
    );
    let orders = &full.body["components"]["schemas"]["collection.orders"]["properties"];
    assert_eq!(orders["total"]["type"], json!(["string", "null"]));
    assert_eq!(orders["shippedAt"]["format"], "date-time");
    assert_eq!(orders["id"]["readOnly"], true);

    // The member: customers only, read and create, with the granted fields.
    let narrow = document(&app, "", As::Bearer(&member)).await;
    let seen = paths(&narrow.body);
    assert!(seen.iter().any(|p| p == "/customers:list"), "{seen:?}");
    assert!(seen.iter().any(|p| p == "/customers:create"), "{seen:?}");
    assert!(
        seen.iter().any(|p| p == "/users:list"),
        "core is for everyone"
    );
    for hidden in ["/customers:update", "/customers:destroy", "/orders:list"] {
        assert!(
            !seen.iter().any(|p| p == hidden),
            "{hidden} shown: {seen:?}"
        );
    }
    assert!(!narrow.body.to_string().contains("collection.orders"));
    assert_eq!(
        properties(&narrow.body, "collection.customers"),
        ["id", "name"]
    );
    assert_eq!(
        properties(&narrow.body, "collection.customers.create"),
        ["name"]
    );

    // Anonymous callers get the core part; collection names stay private.
    let anonymous = document(&app, "", As::Anonymous).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(!anonymous.body.to_string().contains("customers"));
    assert_eq!(
        paths(&anonymous.body),
        paths(&document(&app, "?ns=core", As::Bearer(&admin)).await.body)
    );
    document(&app, "?ns=collections", As::Anonymous)
        .await
        .error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    let urls = app.api_get("/api/swagger:getUrls", As::Anonymous).await;
    assert!(
        !urls.body.to_string().contains("customers"),
        "{}",
        urls.body
    );
    let urls = app
        .api_get("/api/swagger:getUrls", As::Bearer(&member))
        .await;
    assert!(
        urls.body.to_string().contains("collections%2Fcustomers"),
        "{}",
        urls.body
    );
    assert!(!urls.body.to_string().contains("orders"), "{}", urls.body);
}

#[tokio::test]
async fn parts_are_named_as_nocobase_names_them() {
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let (admin, member) = shop(&app).await;
    let who = As::Bearer(&admin);

    let core = document(&app, "?ns=core", who).await;
    assert!(paths(&core.body).iter().all(|p| !p.contains("customers")));
    let collections = document(&app, "?ns=collections", who).await;
    let listed = paths(&collections.body);
    assert!(
        listed.iter().all(|p| !p.starts_with("/users")),
        "{listed:?}"
    );
    assert!(listed.iter().any(|p| p == "/orders:list"));
    let one = document(&app, "?ns=collections/orders", who).await;
    let listed = paths(&one.body);
    assert!(
        listed.iter().all(|p| p.starts_with("/orders")),
        "{listed:?}"
    );
    // Orders refer to customers: that schema comes along.
    assert!(one.body["components"]["schemas"]["collection.customers"].is_object());
    let same = app
        .api_get("/api/swagger:get?ns=collections/orders", who)
        .await;
    assert_eq!(same.body, one.body);

    document(&app, "?ns=plugins", who)
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
    document(&app, "?ns=collections/nothing", who)
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
    // A collection the role may not see is as unknown as a missing one.
    document(&app, "?ns=collections/orders", As::Bearer(&member))
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
    document(&app, "?ns=collections&dataSource=nowhere", who)
        .await
        .error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

/// `openapi-spec-validator` (PyPI): `$OPENAPI_SPEC_VALIDATOR` (set by
/// `.ci/test`), else one on PATH, else a venv this test makes next to the
/// build. `None` only when there is no Python at all.
fn validator() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OPENAPI_SPEC_VALIDATOR") {
        return Some(PathBuf::from(path));
    }
    let on_path = Command::new("openapi-spec-validator")
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return Some(PathBuf::from("openapi-spec-validator"));
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok())?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let venv = target.join("python-tools");
    let tool = venv.join("bin/openapi-spec-validator");
    if !tool.exists() {
        let made = Command::new(python)
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .unwrap();
        assert!(made.success(), "python3 -m venv {} failed", venv.display());
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "openapi-spec-validator==0.9.0"])
            .status()
            .unwrap();
        assert!(pip.success(), "pip install openapi-spec-validator failed");
    }
    Some(tool)
}

fn validate(tool: &PathBuf, name: &str, document: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.json"));
    std::fs::write(&file, serde_json::to_vec_pretty(document).unwrap()).unwrap();
    let output = Command::new(tool).arg(&file).output().unwrap_or_else(|e| {
        panic!("cannot run {}: {e}", tool.display());
    });
    assert!(
        output.status.success(),
        "{name} is not a valid OpenAPI document:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_documents_pass_an_external_validator() {
    let Some(tool) = validator() else {
        eprintln!(
            "\n!!!!! SKIPPED: no Python, so the OpenAPI documents were NOT validated with \
             openapi-spec-validator. Install python3 (CI must have it). !!!!!\n"
        );
        return;
    };
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let (admin, member) = shop(&app).await;
    let shop_db = ExternalDb::shop(Db::Sqlite).await;
    app.add_source(&admin, shop_db.source("shop")).await;

    validate(&tool, "core", &document(&app, "", As::Anonymous).await.body);
    validate(
        &tool,
        "admin",
        &document(&app, "", As::Bearer(&admin)).await.body,
    );
    validate(
        &tool,
        "member",
        &document(&app, "", As::Bearer(&member)).await.body,
    );
    let orders = document(&app, "?ns=collections/orders", As::Bearer(&admin)).await;
    validate(&tool, "orders", &orders.body);
    let external = document(&app, "?ns=collections&dataSource=shop", As::Bearer(&admin)).await;
    assert_eq!(external.status, StatusCode::OK, "{}", external.body);
    let list = &external.body["paths"]["/orders:list"]["get"]["parameters"][0];
    assert_eq!(list["name"], "X-Data-Source");
    assert_eq!(list["schema"]["enum"], json!(["shop"]));
    validate(&tool, "shop", &external.body);
}

/// Every operation the catalog lists is answered by a handler: called as
/// documented (no parameters, no body), it never meets dispatch's "no such
/// API resource" 404 nor a 405. (`dispatch` refuses what the catalog does
/// not list, so together: no route without its spec, no spec without its
/// route.)
#[tokio::test]
async fn every_catalogued_operation_reaches_its_handler() {
    let app = TestApp::spawn_with_admin(Backend::Sqlite, |_| {}).await;
    let (admin, _) = shop(&app).await;
    let mut calls: Vec<(Verb, String)> = Vec::new();
    for resource in catalog::CORE {
        let path = resource
            .path
            .replace("{dataSourceKey}", "main")
            .replace("{collectionName}", "customers");
        for operation in resource.operations {
            for verb in operation.verbs {
                calls.push((*verb, format!("/api/{path}:{}", operation.action)));
            }
        }
    }
    for operation in records::OPERATIONS {
        for verb in operation.verbs {
            calls.push((*verb, format!("/api/customers:{}", operation.action)));
            if operation.related {
                calls.push((
                    *verb,
                    format!("/api/customers/1/orders:{}", operation.action),
                ));
            }
        }
        match operation.rest {
            Some(records::Rest::Collection(verbs)) => {
                calls.extend(verbs.iter().map(|v| (*v, "/api/customers".to_owned())));
            }
            Some(records::Rest::Record(verbs)) => {
                calls.extend(verbs.iter().map(|v| (*v, "/api/customers/999".to_owned())));
            }
            None => {}
        }
    }
    for (verb, path) in calls {
        // Sign-outs end sessions: those run on a session of their own.
        let token = if path.starts_with("/api/auth:signOut") {
            app.admin_token().await
        } else {
            admin.clone()
        };
        let method = Method::from_bytes(verb.as_str().to_uppercase().as_bytes()).unwrap();
        let response = app
            .request(method, &path, As::Bearer(&token))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{verb:?} {path}: {body}"
        );
        let unknown = status == StatusCode::NOT_FOUND && body.contains("API resource");
        assert!(
            !unknown,
            "{verb:?} {path} is catalogued but no handler answers: {body}"
        );
        assert!(
            !status.is_server_error(),
            "{verb:?} {path}: {status} {body}"
        );
    }
    // A documented action with another method: 405 naming the right ones.
    let response = app
        .request(Method::GET, "/api/customers:create", As::Bearer(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
    // And what the catalog does not list is not answered.
    let reply = app
        .api_post("/api/customers:frobnicate", As::Bearer(&admin), json!({}))
        .await;
    reply.error(StatusCode::NOT_FOUND, "NOT_FOUND");
}

#[tokio::test]
async fn the_explorer_is_served_by_ferrobase_under_its_own_policy() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let page = app.get("/api-docs").await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"href="/""#), "a way back into the app");
    assert!(
        !html.contains("<script>") && !html.contains("https://"),
        "{html}"
    );
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/api-docs/"))
        .collect();
    assert_eq!(assets.len(), 5, "{assets:?}");
    for asset in assets {
        let response = app.get(asset).await;
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let expected = if asset.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(kind.starts_with(expected), "{asset}: {kind}");
    }
    let initializer = app.get("/api-docs/explorer.js").await.text().await.unwrap();
    assert!(initializer.contains("/api/swagger:getUrls"));
    assert!(!initializer.contains("https://"));
    // Only the files the page needs: not the rest of Swagger UI's folder.
    let other = app.get("/api-docs/oauth2-redirect.html").await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}
