//! Helpers for the identity tests: `/api` calls as anonymous, with a bearer
//! token or with the session cookie; sign-in; users and roles in one line;
//! browser form posts with the headers a browser sends.

use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use server::config::{Config, FirstAdmin};

use super::{Backend, TestApp};

pub const ADMIN_EMAIL: &str = "root@example.org";
pub const ADMIN_PASSWORD: &str = "first-admin-Passw0rd";
/// The password of every user `create_user` makes.
pub const USER_PASSWORD: &str = "member-Passw0rd-1";
pub const SESSION_COOKIE: &str = "fb_session";

/// Config tweak: the first administrator from the environment settings.
pub fn with_admin(config: &mut Config) {
    config.first_admin = Some(FirstAdmin {
        email: ADMIN_EMAIL.to_owned(),
        password: ADMIN_PASSWORD.to_owned(),
    });
}

/// How a request says who it is.
#[derive(Debug, Clone, Copy)]
pub enum As<'a> {
    Anonymous,
    Bearer(&'a str),
    /// The session cookie, with `Sec-Fetch-Site: same-origin` as a browser
    /// sends it from our own page.
    Cookie(&'a str),
}

/// A JSON answer of `/api`.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    pub fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }

    /// Asserts a 200 and returns `data`.
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        assert!(self.body.get("data").is_some(), "{}", self.body);
        &self.body["data"]
    }

    /// Asserts a 200 list answer and returns how many items it holds.
    #[track_caller]
    pub fn listed(&self) -> usize {
        self.ok().as_array().map_or(0, Vec::len)
    }

    /// Asserts an error in the envelope: status, code and a message.
    #[track_caller]
    pub fn error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.code(), code, "{}", self.body);
        let message = self.body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{}", self.body);
        assert!(self.body.get("data").is_none(), "{}", self.body);
    }
}

/// `name`'s value in the response's `Set-Cookie` headers, if it sets it.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<(String, String)> {
    headers.get_all(SET_COOKIE).iter().find_map(|header| {
        let line = header.to_str().ok()?;
        let value = line.strip_prefix(&format!("{name}="))?;
        let value = value.split(';').next().unwrap_or_default();
        Some((value.to_owned(), line.to_owned()))
    })
}

/// Percent-encodes every byte but the unreserved ones (for queries and forms).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `application/x-www-form-urlencoded`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    /// A fresh store whose first administrator comes from the configuration.
    pub async fn spawn_with_admin(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::spawn_with(backend, |config| {
            with_admin(config);
            tweak(config);
        })
        .await
    }

    pub fn request(&self, method: Method, path: &str, who: As<'_>) -> RequestBuilder {
        let request = self.client.request(method, self.url(path));
        match who {
            As::Anonymous => request,
            As::Bearer(token) => request.bearer_auth(token),
            As::Cookie(token) => request
                .header("cookie", format!("{SESSION_COOKIE}={token}"))
                .header("sec-fetch-site", "same-origin"),
        }
    }

    pub async fn reply(request: RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {status}: {text}"));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn api_get(&self, path: &str, who: As<'_>) -> Reply {
        TestApp::reply(self.request(Method::GET, path, who)).await
    }

    pub async fn api_post(&self, path: &str, who: As<'_>, body: Value) -> Reply {
        TestApp::reply(self.request(Method::POST, path, who).json(&body)).await
    }

    pub async fn sign_in(&self, account: &str, password: &str) -> Reply {
        let body = json!({ "account": account, "password": password });
        self.api_post("/api/auth:signIn", As::Anonymous, body).await
    }

    /// A session token for `account`; panics unless the sign-in works.
    pub async fn token(&self, account: &str, password: &str) -> String {
        let reply = self.sign_in(account, password).await;
        let token = reply.ok()["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("fbs_"), "{token}");
        token
    }

    pub async fn admin_token(&self) -> String {
        self.token(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Creates a user (password `USER_PASSWORD`) holding `roles`, or the
    /// default role when `None`; returns the id.
    pub async fn create_user(&self, token: &str, email: &str, roles: Option<&[&str]>) -> i64 {
        let mut body = json!({ "email": email, "displayName": email, "password": USER_PASSWORD });
        if let Some(roles) = roles {
            body["roles"] = json!(roles);
        }
        let reply = self
            .api_post("/api/users:create", As::Bearer(token), body)
            .await;
        reply.ok()["id"].as_i64().unwrap()
    }

    /// Creates a role holding exactly the `system` permissions.
    pub async fn create_role(&self, token: &str, name: &str, system: &[&str]) {
        let body = json!({
            "name": name,
            "title": format!("Role {name}"),
            "permissions": { "all": false, "system": system, "grants": [] },
        });
        let reply = self
            .api_post("/api/roles:create", As::Bearer(token), body)
            .await;
        assert_eq!(reply.ok()["name"], name);
    }

    /// Every user, as the admin API lists them.
    pub async fn users(&self, token: &str) -> Vec<Value> {
        let reply = self
            .api_get("/api/users:list?pageSize=200", As::Bearer(token))
            .await;
        reply.ok().as_array().unwrap().clone()
    }

    /// The whole audit log (newest first) as `auditLogs:list` shows it.
    pub async fn audit(&self, token: &str, query: &str) -> Vec<Value> {
        let path = format!("/api/auditLogs:list?pageSize=200&{query}");
        let reply = self.api_get(&path, As::Bearer(token)).await;
        reply.ok().as_array().unwrap().clone()
    }

    /// A browser form post: urlencoded, from our own origin, with `cookie`.
    pub async fn form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .body(form_body(fields));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }
}
