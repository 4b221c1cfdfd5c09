//! The settings form of a data source: key, engine and connection, a
//! connection test before saving. Stored secrets never come back to it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::data::{DataSourceInput, DataSourceView, Engine, TlsMode};

use super::fns::{create_source, test_source, update_source};
use crate::components::form::{
    BADGE, CARD, ErrorLine, HINT, INPUT, LABEL, PRIMARY_BUTTON, SECONDARY_BUTTON, SavedLine,
    failure, failure_detail, succeeded,
};
use crate::i18n::{Strings, use_i18n};

/// Every setting as typed, before it becomes a `DataSourceInput`.
#[derive(Clone, Copy)]
struct Fields {
    key: RwSignal<String>,
    name: RwSignal<String>,
    engine: RwSignal<String>,
    host: RwSignal<String>,
    port: RwSignal<String>,
    database: RwSignal<String>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    forget_password: RwSignal<bool>,
    schema: RwSignal<String>,
    prefix: RwSignal<String>,
    tls: RwSignal<String>,
    ca: RwSignal<String>,
    forget_ca: RwSignal<bool>,
    enabled: RwSignal<bool>,
}

impl Fields {
    fn new(existing: Option<&DataSourceView>) -> Fields {
        let text = |read: fn(&DataSourceView) -> String| {
            RwSignal::new(existing.map(read).unwrap_or_default())
        };
        Fields {
            key: text(|s| s.key.clone()),
            name: text(|s| s.display_name.clone()),
            engine: RwSignal::new(existing.map_or_else(
                || Engine::Postgres.as_str().to_owned(),
                |s| s.engine.clone(),
            )),
            host: text(|s| s.host.clone()),
            port: text(|s| s.port.map(|p| p.to_string()).unwrap_or_default()),
            database: text(|s| s.database.clone()),
            username: text(|s| s.username.clone()),
            // Stored secrets are never sent to the browser; empty keeps them.
            password: RwSignal::new(String::new()),
            forget_password: RwSignal::new(false),
            schema: text(|s| s.schema.clone().unwrap_or_default()),
            prefix: text(|s| s.table_prefix.clone()),
            tls: RwSignal::new(
                existing
                    .map_or(TlsMode::default(), |s| s.tls)
                    .as_str()
                    .to_owned(),
            ),
            ca: RwSignal::new(String::new()),
            forget_ca: RwSignal::new(false),
            enabled: RwSignal::new(existing.is_none_or(|s| s.enabled)),
        }
    }

    fn engine(&self) -> Option<Engine> {
        Engine::parse(&self.engine.get())
    }

    /// What the service receives. Settings the chosen engine does not use
    /// are left out, so a switch to SQLite does not keep a stale host.
    fn input(&self) -> DataSourceInput {
        let engine = Engine::parse(&self.engine.get_untracked());
        let server = engine != Some(Engine::Sqlite);
        let kept = |s: RwSignal<String>| {
            if server {
                s.get_untracked().trim().to_owned()
            } else {
                String::new()
            }
        };
        // `None` keeps the stored secret, `Some("")` removes it.
        let secret = |value: RwSignal<String>, forget: RwSignal<bool>| {
            if !server {
                None
            } else if forget.get_untracked() {
                Some(String::new())
            } else {
                Some(value.get_untracked()).filter(|v| !v.trim().is_empty())
            }
        };
        DataSourceInput {
            key: self.key.get_untracked().trim().to_owned(),
            display_name: self.name.get_untracked().trim().to_owned(),
            engine: self.engine.get_untracked(),
            host: kept(self.host),
            port: kept(self.port).parse().ok(),
            database: self.database.get_untracked().trim().to_owned(),
            username: kept(self.username),
            password: secret(self.password, self.forget_password),
            schema: engine
                .is_some_and(Engine::has_schemas)
                .then(|| self.schema.get_untracked().trim().to_owned()),
            table_prefix: self.prefix.get_untracked().trim().to_owned(),
            tls: if server {
                TlsMode::parse(&self.tls.get_untracked()).unwrap_or_default()
            } else {
                TlsMode::Disable
            },
            ca_certificate: secret(self.ca, self.forget_ca),
            enabled: self.enabled.get_untracked(),
        }
    }
}

#[component]
pub fn SourceForm(
    existing: Option<DataSourceView>,
    #[prop(optional)] version: Option<RwSignal<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields::new(existing.as_ref());
    let editing = existing.is_some();
    let original_key = existing.as_ref().map(|s| s.key.clone());
    let save = Action::new(move |input: &DataSourceInput| {
        let (input, key) = (input.clone(), original_key.clone());
        async move {
            match key {
                Some(key) => update_source(key, input).await,
                None => create_source(input).await,
            }
        }
    });
    let test = Action::new(|input: &DataSourceInput| test_source(input.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            match version {
                Some(version) => {
                    fields.password.set(String::new());
                    version.update(|v| *v += 1);
                }
                None => navigate(
                    &format!("/admin/data-sources/{}", saved.key),
                    Default::default(),
                ),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(fields.input());
    };
    let run_test = move |_| {
        test.dispatch(fields.input());
    };
    let sqlite = move || fields.engine() == Some(Engine::Sqlite);
    view! {
        <form class=format!("{CARD} mt-6 grid gap-4 sm:grid-cols-2") on:submit=submit data-testid="data-source-form">
            <IdentityFields fields editing />
            {move || if sqlite() {
                view! {
                    <div class="sm:col-span-2">
                        <label class=LABEL>{move || i18n.t().ds_field_file}
                            <input type="text" required class=INPUT bind:value=fields.database placeholder="/var/lib/app/data.sqlite" aria-describedby="ds-file-hint" />
                        </label>
                        <p id="ds-file-hint" class=HINT>{move || i18n.t().ds_file_hint}</p>
                    </div>
                }.into_any()
            } else {
                view! { <ServerFields fields existing=existing.clone() /> }.into_any()
            }}
            <div>
                <label class=LABEL>{move || i18n.t().ds_field_prefix}
                    <input type="text" class=INPUT bind:value=fields.prefix aria-describedby="ds-prefix-hint" />
                </label>
                <p id="ds-prefix-hint" class=HINT>{move || i18n.t().ds_prefix_hint}</p>
            </div>
            <label class="flex items-center gap-2 self-end text-sm">
                <input type="checkbox" bind:checked=fields.enabled />
                {move || i18n.t().ds_field_enabled}
            </label>
            <div class="sm:col-span-2" aria-live="polite">
                <ErrorLine code=failure(test) detail=failure_detail(test) />
                <SavedLine shown=succeeded(test) text=Signal::derive(move || i18n.t().ds_test_ok) />
                <ErrorLine code=failure(save) detail=failure_detail(save) />
                <SavedLine shown=Signal::derive(move || editing && succeeded(save).get()) text=Signal::derive(move || i18n.t().saved) />
                <div class="flex flex-wrap items-baseline gap-3">
                    <button type="button" class=format!("{SECONDARY_BUTTON} mt-4") on:click=run_test disabled=move || test.pending().get() aria-busy=move || test.pending().get().to_string() data-testid="test-connection">
                        {move || if test.pending().get() { i18n.t().ds_testing } else { i18n.t().ds_test }}
                    </button>
                    <button type="submit" class=PRIMARY_BUTTON disabled=move || save.pending().get() aria-busy=move || save.pending().get().to_string()>
                        {move || match (save.pending().get(), editing) {
                            (true, _) => i18n.t().saving,
                            (false, true) => i18n.t().save,
                            (false, false) => i18n.t().ds_add,
                        }}
                    </button>
                </div>
            </div>
        </form>
    }
    .into_any()
}

/// Key, name and engine: what every data source has.
#[component]
fn IdentityFields(fields: Fields, editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let initial = fields.engine.get_untracked();
    let options = Engine::ALL.map(|engine| {
        let label = move || match engine.is_experimental() {
            true => format!("{} ({})", engine.label(), i18n.t().ds_experimental),
            false => engine.label().to_owned(),
        };
        view! { <option value=engine.as_str() selected=initial == engine.as_str()>{label}</option> }
    });
    let experimental = move || fields.engine().is_some_and(Engine::is_experimental);
    view! {
        <div>
            <label class=LABEL>{move || i18n.t().ds_field_key}
                <input type="text" required readonly=editing maxlength="40" pattern="[A-Za-z][A-Za-z0-9_\\-]*" class=INPUT bind:value=fields.key name="key" aria-describedby="ds-key-hint" />
            </label>
            <p id="ds-key-hint" class=HINT>{move || i18n.t().ds_key_hint}</p>
        </div>
        <label class=LABEL>{move || i18n.t().field_display_name}
            <input type="text" required maxlength="100" class=INPUT bind:value=fields.name name="displayName" />
        </label>
        <div>
            <label class=LABEL>{move || i18n.t().ds_field_engine}
                <select class=INPUT bind:value=fields.engine name="engine">{options}</select>
            </label>
            {move || experimental().then(|| view! { <p class=format!("{BADGE} mt-1 bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200") data-testid="engine-experimental">{i18n.t().ds_experimental_hint}</p> })}
        </div>
    }
    .into_any()
}

/// Host, port, credentials, schema and TLS: what a database server needs.
#[component]
fn ServerFields(fields: Fields, existing: Option<DataSourceView>) -> impl IntoView {
    let i18n = use_i18n();
    let default_port = move || {
        fields
            .engine()
            .and_then(Engine::default_port)
            .map(|p| p.to_string())
            .unwrap_or_default()
    };
    let password_stored = existing
        .as_ref()
        .is_some_and(|s| s.password_set || s.password_reference.is_some());
    let reference = existing.as_ref().and_then(|s| s.password_reference.clone());
    let ca_stored = existing.as_ref().is_some_and(|s| s.ca_certificate_set);
    let initial_tls = fields.tls.get_untracked();
    let tls_options = TlsMode::ALL.map(|mode| {
        view! { <option value=mode.as_str() selected=initial_tls == mode.as_str()>{move || tls_label(i18n.t(), mode)}</option> }
    });
    view! {
        <label class=LABEL>{move || i18n.t().ds_field_host}
            <input type="text" required class=INPUT bind:value=fields.host name="host" placeholder="db.example.org" />
        </label>
        <label class=LABEL>{move || i18n.t().ds_field_port}
            <input type="number" min="1" max="65535" step="1" class=INPUT bind:value=fields.port name="port" placeholder=default_port />
        </label>
        <label class=LABEL>{move || i18n.t().ds_field_database}
            <input type="text" required class=INPUT bind:value=fields.database name="database" />
        </label>
        <label class=LABEL>{move || i18n.t().ds_field_username}
            <input type="text" autocomplete="off" class=INPUT bind:value=fields.username name="username" />
        </label>
        <div>
            <label class=LABEL>{move || i18n.t().ds_field_password}
                <input
                    type="password"
                    autocomplete="new-password"
                    class=INPUT
                    bind:value=fields.password
                    name="password"
                    placeholder=move || if password_stored { i18n.t().ds_password_keep } else { "" }
                    aria-describedby="ds-password-hint"
                />
            </label>
            <p id="ds-password-hint" class=HINT>{move || i18n.t().ds_password_env_hint}</p>
            {reference.map(|r| view! { <p class=HINT>{move || i18n.t().ds_password_from_env}" "<code>{r}</code></p> })}
        </div>
        {password_stored.then(|| view! {
            <label class="flex items-center gap-2 self-center text-sm">
                <input type="checkbox" bind:checked=fields.forget_password />
                {move || i18n.t().ds_password_remove}
            </label>
        })}
        {move || fields.engine().is_some_and(Engine::has_schemas).then(|| view! {
            <div>
                <label class=LABEL>{move || i18n.t().ds_field_schema}
                    <input type="text" class=INPUT bind:value=fields.schema name="schema" aria-describedby="ds-schema-hint" />
                </label>
                <p id="ds-schema-hint" class=HINT>{move || i18n.t().ds_schema_hint}</p>
            </div>
        })}
        <label class=LABEL>{move || i18n.t().ds_field_tls}
            <select class=INPUT bind:value=fields.tls name="tls">{tls_options}</select>
        </label>
        <div class="sm:col-span-2">
            <label class=LABEL>{move || i18n.t().ds_field_ca}
                <textarea
                    rows="3"
                    class=format!("{INPUT} font-mono text-xs")
                    bind:value=fields.ca
                    name="caCertificate"
                    placeholder=move || if ca_stored { i18n.t().ds_ca_keep } else { "-----BEGIN CERTIFICATE-----" }
                    aria-describedby="ds-ca-hint"
                ></textarea>
            </label>
            <p id="ds-ca-hint" class=HINT>{move || i18n.t().ds_ca_hint}</p>
        </div>
        {ca_stored.then(|| view! {
            <label class="flex items-center gap-2 text-sm sm:col-span-2">
                <input type="checkbox" bind:checked=fields.forget_ca />
                {move || i18n.t().ds_ca_remove}
            </label>
        })}
    }
    .into_any()
}

fn tls_label(t: &'static Strings, mode: TlsMode) -> &'static str {
    match mode {
        TlsMode::Disable => t.tls_disable,
        TlsMode::Prefer => t.tls_prefer,
        TlsMode::Require => t.tls_require,
        TlsMode::VerifyCa => t.tls_verify_ca,
        TlsMode::VerifyFull => t.tls_verify_full,
    }
}
