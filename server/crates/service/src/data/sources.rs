//! Managing data source definitions: create, change, test, delete. Behind
//! the `dataSources` system permission; every change is audited without
//! secret values.

use model::data::{
    DataSourceInput, DataSourceView, Engine, MAX_KEY_LEN, SourceOptionsView, SourceStatus, TlsMode,
    is_source_key,
};
use model::identity::SystemPermission;

use super::definitions::{self, Definition, MAIN, Options};
use super::registry::{Source, password_context};
use crate::audit::{self, Changes, Event};
use crate::clock::now_ms;
use crate::{Actor, Error, Result, Services, secrets};

const RESOURCE: &str = "dataSources";

/// Whether `actor` may manage data sources at all; every function here
/// checks it again.
pub fn authorize(actor: &Actor) -> Result<()> {
    actor.require(SystemPermission::DataSources).map(drop)
}

pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<DataSourceView>> {
    actor.require(SystemPermission::DataSources)?;
    let sources = services.data.all(&services.store).await?;
    for source in &sources {
        connect_if_untried(services, source);
    }
    Ok(sources.iter().map(|s| view(services, s)).collect())
}

pub async fn get(services: &Services, actor: &Actor, key: &str) -> Result<DataSourceView> {
    actor.require(SystemPermission::DataSources)?;
    let source = services.data.source(&services.store, key).await?;
    connect_if_untried(services, &source);
    Ok(view(services, &source))
}

/// A source created or changed by another process has no status here
/// yet: connecting now makes the status shown a fact, not "loading".
fn connect_if_untried(services: &Services, source: &std::sync::Arc<Source>) {
    if !source.is_main()
        && source.definition.enabled
        && services.data.untried(&source.definition.key)
    {
        services
            .data
            .set_status(&source.definition.key, SourceStatus::Loading, None);
        connect_in_background(services, source);
    }
}

pub async fn create(
    services: &Services,
    actor: &Actor,
    input: &DataSourceInput,
) -> Result<DataSourceView> {
    actor.require(SystemPermission::DataSources)?;
    let definition = validate(services, input, None).await?;
    let mut tx = services.store.begin().await?;
    definitions::insert(&mut tx, &definition).await?;
    definitions::bump(&mut tx).await?;
    let event = Event::success("dataSources:create", RESOURCE, &definition.key)
        .with_changes(changes(None, &definition));
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    services.data.reload(&services.store).await?;
    let source = services
        .data
        .source(&services.store, &definition.key)
        .await?;
    connect_in_background(services, &source);
    Ok(view(services, &source))
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    key: &str,
    input: &DataSourceInput,
) -> Result<DataSourceView> {
    actor.require(SystemPermission::DataSources)?;
    let existing = services.data.source(&services.store, key).await?;
    if existing.is_main() {
        return Err(Error::InvalidInput(
            "the main data source cannot be changed".into(),
        ));
    }
    if !input.key.is_empty() && input.key != key {
        return Err(Error::InvalidInput(
            "the key of a data source cannot be changed".into(),
        ));
    }
    let mut input = input.clone();
    input.key = key.to_owned();
    let mut definition = validate(services, &input, Some(&existing.definition)).await?;
    definition.created_at = existing.definition.created_at;
    let mut tx = services.store.begin().await?;
    definitions::update(&mut tx, &definition).await?;
    definitions::bump(&mut tx).await?;
    let event = Event::success("dataSources:update", RESOURCE, key)
        .with_changes(changes(Some(&existing.definition), &definition));
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    services.data.reload(&services.store).await?;
    let source = services.data.source(&services.store, key).await?;
    if !source.definition.enabled {
        services.data.set_status(key, SourceStatus::Disabled, None);
    } else {
        connect_in_background(services, &source);
    }
    Ok(view(services, &source))
}

/// Forgets the source and its collections; the database itself is untouched.
pub async fn destroy(services: &Services, actor: &Actor, key: &str) -> Result<()> {
    actor.require(SystemPermission::DataSources)?;
    let existing = services.data.source(&services.store, key).await?;
    if existing.is_main() {
        return Err(Error::InvalidInput(
            "the main data source cannot be deleted".into(),
        ));
    }
    let mut tx = services.store.begin().await?;
    let grants = definitions::delete(&mut tx, key).await?;
    definitions::bump(&mut tx).await?;
    let mut changes = Changes::default();
    if grants > 0 {
        crate::acl::bump(&mut tx).await?;
        changes.field("roleGrants", grants, 0);
    }
    let event = Event::success("dataSources:destroy", RESOURCE, key).with_changes(changes);
    audit::record(&mut tx, actor, &event).await?;
    tx.commit().await?;
    if let Some(connector) = services.data.forget(key) {
        connector.close().await;
    }
    services.data.reload(&services.store).await
}

/// Connects with the given settings and disconnects. For an existing source,
/// a missing password means the stored one.
pub async fn test_connection(
    services: &Services,
    actor: &Actor,
    input: &DataSourceInput,
) -> Result<()> {
    actor.require(SystemPermission::DataSources)?;
    let existing = match services.data.source(&services.store, &input.key).await {
        Ok(source) if !source.is_main() => Some(source),
        _ => None,
    };
    // Only tried, never saved: NocoBase's body (`{type, options}`) and a
    // half-filled form carry no key or name yet, and need none.
    let mut input = input.clone();
    if input.key.trim().is_empty() {
        "trial".clone_into(&mut input.key);
    }
    if input.display_name.trim().is_empty() {
        input.display_name.clone_from(&input.key);
    }
    let definition = validate(services, &input, existing.as_ref().map(|s| &s.definition)).await?;
    let connector = services.data.open(&definition).await?;
    connector.close().await;
    Ok(())
}

/// At start-up: every enabled external source connects in the background,
/// so its status shows loaded or failed without delaying the server.
pub fn connect_all_in_background(services: &Services) {
    let services = services.clone();
    tokio::spawn(async move {
        if let Ok(sources) = services.data.all(&services.store).await {
            for source in sources {
                connect_in_background(&services, &source);
            }
        }
    });
}

fn connect_in_background(services: &Services, source: &std::sync::Arc<Source>) {
    if source.is_main() || !source.definition.enabled {
        return;
    }
    let services = services.clone();
    let source = source.clone();
    tokio::spawn(async move {
        // The outcome lands in the source's status; nobody waits for it.
        let _ = services.data.connector(&services.store, &source).await;
    });
}

pub(crate) fn view(services: &Services, source: &Source) -> DataSourceView {
    let d = &source.definition;
    let (status, status_message) = if source.is_main() {
        (SourceStatus::Loaded, None)
    } else if !d.enabled {
        (SourceStatus::Disabled, None)
    } else {
        services.data.status(&d.key)
    };
    let reference = d
        .password
        .as_ref()
        .filter(|p| secrets::is_env_reference(p))
        .cloned();
    let engine = d.engine.map_or(MAIN, Engine::as_str).to_owned();
    DataSourceView {
        key: d.key.clone(),
        display_name: d.display_name.clone(),
        kind: engine.clone(),
        engine,
        options: SourceOptionsView {
            host: d.options.host.clone(),
            port: d.options.port,
            database: d.options.database.clone(),
            username: d.options.username.clone(),
            schema: d.options.schema.clone(),
            table_prefix: d.options.table_prefix.clone(),
        },
        host: d.options.host.clone(),
        port: d.options.port,
        database: d.options.database.clone(),
        username: d.options.username.clone(),
        password_set: d.password.is_some() && reference.is_none(),
        password_reference: reference,
        schema: d.options.schema.clone(),
        table_prefix: d.options.table_prefix.clone(),
        tls: d.options.tls,
        ca_certificate_set: d.options.ca_certificate.is_some(),
        enabled: d.enabled,
        status,
        status_message,
        collections: source.stored.len(),
        experimental: d.engine.is_some_and(Engine::is_experimental),
        created_at: model::time::iso8601(d.created_at),
        updated_at: model::time::iso8601(d.updated_at),
    }
}

/// Checks every field and seals the password; `existing` supplies what an
/// update leaves out.
async fn validate(
    services: &Services,
    input: &DataSourceInput,
    existing: Option<&Definition>,
) -> Result<Definition> {
    let invalid = |message: &str| Err(Error::InvalidInput(message.to_owned()));
    let key = input.key.trim();
    if !is_source_key(key) {
        return Err(Error::InvalidInput(format!(
            "the key must start with a letter and hold at most {MAX_KEY_LEN} letters, digits, _ or -"
        )));
    }
    if key == MAIN && existing.is_none() {
        return invalid("the key main belongs to the embedded data source");
    }
    // `/admin/data-sources/new` is the page that creates one.
    if key == "new" {
        return invalid("the key new is reserved; choose another");
    }
    let display_name = input.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return invalid("the display name must be 1 to 100 characters");
    }
    let Some(engine) = Engine::parse(&input.engine) else {
        return Err(Error::InvalidInput(format!(
            "unknown engine {:?}; use one of: {}",
            input.engine,
            Engine::ALL.map(Engine::as_str).join(", ")
        )));
    };
    let text = |value: &str, limit: usize, what: &str| -> Result<String> {
        let value = value.trim();
        if value.chars().count() > limit || value.chars().any(char::is_control) {
            return Err(Error::InvalidInput(format!(
                "the {what} is too long or holds control characters"
            )));
        }
        Ok(value.to_owned())
    };
    let host = text(&input.host, 253, "host")?;
    let database = text(&input.database, 1024, "database")?;
    if engine == Engine::Sqlite {
        if database.is_empty() {
            return invalid("a SQLite data source needs the path of its database file");
        }
    } else {
        if host.is_empty() || host.contains(char::is_whitespace) {
            return invalid("the host is required and cannot contain spaces");
        }
        if database.is_empty() {
            return invalid("the database name is required");
        }
        if input.port == Some(0) {
            return invalid("the port must be from 1 to 65535");
        }
    }
    let ca_certificate = match input.ca_certificate.as_deref().map(str::trim) {
        None => existing.and_then(|e| e.options.ca_certificate.clone()),
        Some("") => None,
        Some(pem) if pem.len() > 65_536 || !pem.contains("-----BEGIN CERTIFICATE-----") => {
            return invalid("the CA certificate must be PEM text (-----BEGIN CERTIFICATE-----)");
        }
        Some(pem) => Some(pem.to_owned()),
    };
    let password = match input.password.as_deref() {
        // The stored password only goes where it was entered for: whoever
        // aims the source at another server must type it again.
        None => match existing {
            Some(e) if e.password.is_some() && retargeted(e, engine, &host, input) => {
                return invalid(
                    "enter the password again when changing the engine, host or port or \
                     weakening TLS; the stored one is only sent the way it was entered for",
                );
            }
            _ => existing.and_then(|e| e.password.clone()),
        },
        Some("") => None,
        Some(value) if secrets::env_reference_name(value)?.is_some() => Some(value.to_owned()),
        Some(value) if value.len() > 4096 => return invalid("the password is too long"),
        Some(value) => Some(
            secrets::seal(services.data.master_key(), &password_context(key), value)
                .as_stored()
                .to_owned(),
        ),
    };
    let now = now_ms();
    let definition = Definition {
        key: key.to_owned(),
        display_name: display_name.to_owned(),
        engine: Some(engine),
        options: Options {
            host,
            port: input.port,
            database,
            username: text(&input.username, 128, "user name")?,
            schema: Some(text(
                input.schema.as_deref().unwrap_or_default(),
                63,
                "schema",
            )?)
            .filter(|s| !s.is_empty()),
            table_prefix: text(&input.table_prefix, 63, "table prefix")?,
            tls: input.tls,
            ca_certificate,
            known_tables: existing
                .map(|e| e.options.known_tables.clone())
                .unwrap_or_default(),
        },
        password,
        enabled: input.enabled,
        created_at: now,
        updated_at: now,
    };
    // Where it points is checked without opening the stored password, so
    // a source whose sealed password no longer opens can still be changed
    // (disabled, or given the password again); a reference must be set.
    if let Some(reference) = definition
        .password
        .as_deref()
        .filter(|p| secrets::is_env_reference(p))
    {
        services.data.resolve_env_reference(reference)?;
    }
    let target = Definition {
        password: None,
        ..definition.clone()
    };
    let config = services.data.connection_config(&target)?;
    services.data.check_target(&config).await?;
    Ok(definition)
}

/// Whether the settings point at another server than `existing` does, or
/// reach it with weaker TLS.
fn retargeted(existing: &Definition, engine: Engine, host: &str, input: &DataSourceInput) -> bool {
    let port_of = |engine: Engine, port: Option<u16>| port.or(engine.default_port());
    let strength = |mode: TlsMode| TlsMode::ALL.iter().position(|m| *m == mode);
    existing.engine != Some(engine)
        || !existing.options.host.eq_ignore_ascii_case(host)
        || Some(port_of(engine, input.port))
            != existing.engine.map(|e| port_of(e, existing.options.port))
        || strength(input.tls) < strength(existing.options.tls)
}

/// What changed, for the audit log; the password only as "changed".
fn changes(before: Option<&Definition>, after: &Definition) -> Changes {
    let mut changes = Changes::default();
    let text = |d: Option<&Definition>, f: fn(&Definition) -> String| d.map(f).unwrap_or_default();
    type Read = fn(&Definition) -> String;
    let fields: [(&str, Read); 9] = [
        ("displayName", |d| d.display_name.clone()),
        ("engine", |d| {
            d.engine.map_or(MAIN, Engine::as_str).to_owned()
        }),
        ("host", |d| d.options.host.clone()),
        ("port", |d| {
            d.options.port.map(|p| p.to_string()).unwrap_or_default()
        }),
        ("database", |d| d.options.database.clone()),
        ("username", |d| d.options.username.clone()),
        ("schema", |d| d.options.schema.clone().unwrap_or_default()),
        ("tls", |d| d.options.tls.as_str().to_owned()),
        ("enabled", |d| d.enabled.to_string()),
    ];
    for (name, read) in fields {
        let (from, to) = (text(before, read), read(after));
        if before.is_none() || from != to {
            changes.field(name, from, to);
        }
    }
    if before.map(|b| &b.password) != Some(&after.password) && after.password.is_some() {
        changes.secret("password");
    }
    changes
}
