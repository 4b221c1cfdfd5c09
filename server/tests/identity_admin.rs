//! Black-box tests of user and role administration: who may do what, the
//! rules that protect the installation, and input that must be refused
//! without changing anything. Each runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // test harness: a failed step should panic

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::identity::{ADMIN_EMAIL, ADMIN_PASSWORD, As, Reply, USER_PASSWORD};
use support::{Backend, TestApp};

on_both_backends!(
    permission_matrix,
    the_last_admin_cannot_be_removed,
    roles_can_be_managed_but_not_beyond_ones_own,
);

/// One row per (caller, action): the status the caller must get.
async fn permission_matrix(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    app.create_role(&admin, "usermgr", &["users"]).await;
    app.create_role(&admin, "auditor", &["auditLog"]).await;
    app.create_user(&admin, "member@example.org", None).await;
    app.create_user(&admin, "usermgr@example.org", Some(&["usermgr"]))
        .await;
    app.create_user(&admin, "auditor@example.org", Some(&["auditor"]))
        .await;
    let member = app.token("member@example.org", USER_PASSWORD).await;
    let usermgr = app.token("usermgr@example.org", USER_PASSWORD).await;
    let auditor = app.token("auditor@example.org", USER_PASSWORD).await;

    use StatusCode as S;
    const OK: S = S::OK;
    const NO: S = S::FORBIDDEN;
    const ANON: S = S::UNAUTHORIZED;
    // users:list, users:create, roles:create, auditLogs:list, auth:check, roles:check
    let table: [(&str, As, [S; 6]); 5] = [
        ("admin", As::Bearer(&admin), [OK, OK, OK, OK, OK, OK]),
        ("member", As::Bearer(&member), [NO, NO, NO, NO, OK, OK]),
        ("usermgr", As::Bearer(&usermgr), [OK, OK, OK, NO, OK, OK]),
        ("auditor", As::Bearer(&auditor), [NO, NO, NO, OK, OK, OK]),
        ("anonymous", As::Anonymous, [ANON; 6]),
    ];
    for (caller, who, expected) in table {
        let replies: [Reply; 6] = [
            app.api_get("/api/users:list", who).await,
            app.api_post(
                "/api/users:create",
                who,
                json!({
                    "email": format!("by-{caller}@example.org"),
                    "displayName": format!("Made by {caller}"),
                    "password": "created-Passw0rd",
                }),
            )
            .await,
            app.api_post(
                "/api/roles:create",
                who,
                json!({
                    "name": format!("by-{caller}"),
                    "title": "Nothing special",
                    "permissions": { "all": false, "system": [], "grants": [] },
                }),
            )
            .await,
            app.api_get("/api/auditLogs:list", who).await,
            app.api_get("/api/auth:check", who).await,
            app.api_get("/api/roles:check", who).await,
        ];
        let actions = [
            "users:list",
            "users:create",
            "roles:create",
            "auditLogs:list",
            "auth:check",
            "roles:check",
        ];
        for ((reply, want), action) in replies.iter().zip(expected).zip(actions) {
            assert_eq!(reply.status, want, "{caller} {action}: {}", reply.body);
            if want == S::FORBIDDEN {
                reply.error(want, "FORBIDDEN");
            } else if want == S::UNAUTHORIZED {
                reply.error(want, "UNAUTHENTICATED");
            } else {
                assert!(reply.body.get("data").is_some(), "{caller} {action}");
            }
        }
    }
    // What roles:check says matches the table.
    let check = |token: &str| {
        let token = token.to_owned();
        let app = &app;
        async move {
            app.api_get("/api/roles:check", As::Bearer(&token))
                .await
                .ok()
                .clone()
        }
    };
    let mine = check(&usermgr).await;
    assert_eq!(mine["role"], "usermgr");
    assert_eq!(mine["permissions"]["all"], false);
    assert_eq!(mine["permissions"]["system"], json!(["users"]));
    assert_eq!(
        check(&auditor).await["permissions"]["system"],
        json!(["auditLog"])
    );
    assert_eq!(check(&member).await["permissions"]["system"], json!([]));
    // Only the allowed callers made anything.
    let emails: Vec<String> = app
        .users(&admin)
        .await
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect();
    assert!(emails.contains(&"by-admin@example.org".to_owned()));
    assert!(emails.contains(&"by-usermgr@example.org".to_owned()));
    assert_eq!(
        emails.iter().filter(|e| e.starts_with("by-")).count(),
        2,
        "{emails:?}"
    );

    // Two roles: the default one acts unless X-Role picks the other.
    let auditor_id = app
        .api_get("/api/auth:check", As::Bearer(&auditor))
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let both = json!({ "roles": ["auditor", "usermgr"], "defaultRole": "auditor" });
    let path = format!("/api/users:update?filterByTk={auditor_id}");
    assert_eq!(
        app.api_post(&path, As::Bearer(&admin), both).await.ok()["defaultRole"],
        "auditor"
    );
    let as_role = |path: &str, role: Option<&str>| {
        let request = app.request(Method::GET, path, As::Bearer(&auditor));
        TestApp::reply(match role {
            Some(role) => request.header("x-role", role),
            None => request,
        })
    };
    as_role("/api/users:list", None)
        .await
        .error(S::FORBIDDEN, "FORBIDDEN");
    as_role("/api/auditLogs:list", None).await.ok();
    as_role("/api/users:list", Some("usermgr")).await.ok();
    as_role("/api/auditLogs:list", Some("usermgr"))
        .await
        .error(S::FORBIDDEN, "FORBIDDEN");
    assert_eq!(
        as_role("/api/roles:check", Some("usermgr")).await.ok()["role"],
        "usermgr"
    );
    as_role("/api/roles:check", Some("admin"))
        .await
        .error(S::FORBIDDEN, "ROLE_NOT_HELD");

    // A deleted user's sessions end with them.
    let member_id = app
        .api_get("/api/auth:check", As::Bearer(&member))
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    app.api_post(
        &format!("/api/users:destroy?filterByTk={member_id}"),
        As::Bearer(&admin),
        json!({}),
    )
    .await
    .ok();
    let gone = app.api_get("/api/auth:check", As::Bearer(&member)).await;
    gone.error(S::UNAUTHORIZED, "UNAUTHENTICATED");
}

async fn the_last_admin_cannot_be_removed(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let me = app
        .api_get("/api/auth:check", As::Bearer(&admin))
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let mine = format!("?filterByTk={me}");
    let as_admin = As::Bearer(&admin);

    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_admin,
            json!({ "roles": ["member"] }),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "LAST_ADMIN");
    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_admin,
            json!({ "roles": [] }),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "LAST_ADMIN");
    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_admin,
            json!({ "enabled": false }),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "SELF_DISABLE");
    let reply = app
        .api_post(&format!("/api/users:destroy{mine}"), as_admin, json!({}))
        .await;
    reply.error(StatusCode::FORBIDDEN, "SELF_DELETE");

    // A user manager cannot get rid of the administrator either.
    app.create_role(&admin, "usermgr", &["users"]).await;
    app.create_user(&admin, "mgr@example.org", Some(&["usermgr"]))
        .await;
    let mgr = app.token("mgr@example.org", USER_PASSWORD).await;
    let as_mgr = As::Bearer(&mgr);
    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_mgr,
            json!({ "enabled": false }),
        )
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let reply = app
        .api_post(&format!("/api/users:destroy{mine}"), as_mgr, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_mgr,
            json!({ "roles": ["member"] }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let reset = json!({ "password": "taken-over-Passw0rd" });
    let reply = app
        .api_post(&format!("/api/users:resetPassword{mine}"), as_mgr, reset)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);

    // Nothing changed: still one enabled admin, still signed in, same password.
    let users = app.users(&admin).await;
    let root = users.iter().find(|u| u["id"] == me).unwrap();
    assert_eq!(root["enabled"], true);
    assert_eq!(root["roles"], json!(["admin"]));
    app.api_get("/api/auth:check", as_admin).await.ok();
    app.token(ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // With a second administrator, the first may step down.
    app.create_user(&admin, "second@example.org", Some(&["admin"]))
        .await;
    let reply = app
        .api_post(
            &format!("/api/users:update{mine}"),
            as_admin,
            json!({ "roles": ["member"] }),
        )
        .await;
    assert_eq!(reply.ok()["roles"], json!(["member"]));
}

async fn roles_can_be_managed_but_not_beyond_ones_own(backend: Backend) {
    let app = TestApp::spawn_with_admin(backend, |_| {}).await;
    let admin = app.admin_token().await;
    let who = As::Bearer(&admin);
    // `all` and `grants` may be left out.
    let role = json!({
        "name": "sales",
        "title": "Sales",
        "description": "Orders, read-only",
        "permissions": {
            "system": ["dashboards"],
            "grants": [{ "dataSource": "main", "collection": "orders", "action": "view", "fields": ["id", "total"] }],
        },
    });
    let created = app.api_post("/api/roles:create", who, role).await;
    let created = created.ok();
    assert_eq!(created["builtIn"], false);
    assert_eq!(created["permissions"]["system"], json!(["dashboards"]));
    assert_eq!(
        created["permissions"]["grants"][0]["fields"],
        json!(["id", "total"])
    );
    let got = app.api_get("/api/roles:get?filterByTk=sales", who).await;
    assert_eq!(got.ok()["title"], "Sales");
    let update =
        json!({ "title": "Sales team", "isDefault": true, "permissions": { "system": [] } });
    let updated = app
        .api_post("/api/roles:update?filterByTk=sales", who, update)
        .await;
    assert_eq!(updated.ok()["title"], "Sales team");
    assert_eq!(updated.ok()["isDefault"], true);
    assert_eq!(updated.ok()["permissions"]["grants"], json!([]));
    // The new default role goes to new users.
    let id = app.create_user(&admin, "newbie@example.org", None).await;
    let newbie = app
        .api_get(&format!("/api/users:get?filterByTk={id}"), who)
        .await;
    assert_eq!(newbie.ok()["roles"], json!(["sales"]));
    let member = app.api_get("/api/roles:get?filterByTk=member", who).await;
    assert_eq!(member.ok()["isDefault"], false);
    // Deleting a held role takes it from its users.
    app.api_post("/api/roles:destroy?filterByTk=sales", who, json!({}))
        .await
        .ok();
    let gone = app.api_get("/api/roles:get?filterByTk=sales", who).await;
    gone.error(StatusCode::BAD_REQUEST, "ROLE_UNKNOWN");
    let newbie = app
        .api_get(&format!("/api/users:get?filterByTk={id}"), who)
        .await;
    assert_eq!(newbie.ok()["roles"], json!([]));

    // A user manager hands out no more than their own role holds.
    app.create_role(&admin, "usermgr", &["users"]).await;
    let mgr_id = app
        .create_user(&admin, "mgr@example.org", Some(&["usermgr"]))
        .await;
    let mgr = app.token("mgr@example.org", USER_PASSWORD).await;
    let as_mgr = As::Bearer(&mgr);
    let wider = json!({ "name": "wider", "title": "W", "permissions": { "all": false, "system": ["users", "auditLog"], "grants": [] } });
    app.api_post("/api/roles:create", as_mgr, wider)
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let everything = json!({ "name": "everything", "title": "E", "permissions": { "all": true, "system": [], "grants": [] } });
    let reply = app.api_post("/api/roles:create", as_mgr, everything).await;
    if reply.status == StatusCode::OK {
        assert_eq!(
            reply.ok()["permissions"]["all"],
            false,
            "`all` must never be granted this way"
        );
    } else {
        reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    let self_admin = json!({ "roles": ["usermgr", "admin"] });
    let path = format!("/api/users:update?filterByTk={mgr_id}");
    app.api_post(&path, as_mgr, self_admin)
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let body = json!({ "email": "sneaky@example.org", "displayName": "S", "password": USER_PASSWORD, "roles": ["admin"] });
    app.api_post("/api/users:create", as_mgr, body)
        .await
        .error(StatusCode::FORBIDDEN, "FORBIDDEN");
    let widen_own =
        json!({ "permissions": { "all": false, "system": ["users", "system"], "grants": [] } });
    let reply = app
        .api_post("/api/roles:update?filterByTk=usermgr", as_mgr, widen_own)
        .await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
    app.api_post("/api/roles:destroy?filterByTk=admin", as_mgr, json!({}))
        .await
        .error(StatusCode::FORBIDDEN, "ROLE_BUILT_IN");
    // Still a plain user manager; no sneaky user.
    let check = app.api_get("/api/roles:check", as_mgr).await;
    assert_eq!(check.ok()["permissions"]["system"], json!(["users"]));
    assert_eq!(check.ok()["roles"], json!(["usermgr"]));
    assert!(
        !app.users(&admin)
            .await
            .iter()
            .any(|u| u["email"] == "sneaky@example.org")
    );
    // Taking the role away takes effect on the next request.
    let path = format!("/api/users:update?filterByTk={mgr_id}");
    let demote = json!({ "roles": ["member"] });
    app.api_post(&path, who, demote).await.ok();
    let reply = app.api_get("/api/users:list", as_mgr).await;
    reply.error(StatusCode::FORBIDDEN, "FORBIDDEN");
}
