//! Helpers for the API key tests: issuing a key, the create body, and a
//! collection with a role that may see only part of it.

use serde_json::{Value, json};

use super::TestApp;
use super::identity::As;

/// A key as issued: the token and the view beside it.
pub struct Issued {
    pub token: String,
    pub view: Value,
}

impl Issued {
    pub fn id(&self) -> &str {
        self.view["id"].as_str().unwrap()
    }

    /// The part after `fbk_<id>_`: what must never be stored or shown.
    pub fn secret(&self) -> &str {
        &self.token[self.token.len() - 43..]
    }
}

pub async fn issue(app: &TestApp, who: &str, body: Value) -> Issued {
    let reply = app
        .api_post("/api/apiKeys:create", As::Bearer(who), body)
        .await;
    let data = reply.ok();
    let token = data["token"].as_str().unwrap().to_owned();
    let mut view = data.clone();
    view.as_object_mut().unwrap().remove("token");
    assert!(
        token.starts_with(&format!("{}_", view["prefix"].as_str().unwrap())),
        "{token}"
    );
    Issued { token, view }
}

pub fn key_body(name: &str, role: &str) -> Value {
    json!({ "name": name, "role": { "name": role }, "expiresIn": "30d" })
}

/// A `notes` collection with a hidden field, two notes, a `clerk` role that
/// views and creates titles only, and a clerk's session.
pub async fn notes_and_clerk(app: &TestApp, admin: &str) -> String {
    let notes = json!({"name": "notes", "fields": [
        {"name": "title", "type": "text"}, {"name": "secret", "type": "text"},
    ]});
    let who = As::Bearer(admin);
    app.api_post("/api/collections:create", who, notes)
        .await
        .ok();
    let payroll = json!({"name": "payroll", "fields": [{"name": "amount", "type": "integer"}]});
    app.api_post("/api/collections:create", who, payroll)
        .await
        .ok();
    for title in ["first", "second"] {
        let note = json!({"title": title, "secret": "hidden-value"});
        app.api_post("/api/notes:create", who, note).await.ok();
    }
    let grant = |action: &str| json!({"dataSource": "main", "collection": "notes", "action": action, "fields": ["id", "title"]});
    app.user_with_grants(admin, "clerk", json!([grant("view"), grant("create")]))
        .await
}
