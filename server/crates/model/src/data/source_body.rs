//! A data source as a request body names it: Ferrobase's flat shape
//! (`{key, displayName, engine, host, …}`) or NocoBase's (`{key,
//! displayName, type, options: {host, port, database, username, password,
//! schema, tablePrefix}}`). Both become one [`DataSourceInput`], so every
//! door judges them alike.

use serde::Deserialize;
use serde_json::Value;

use super::{DataSourceInput, TlsMode};

/// NocoBase's data source body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NocoBaseSource {
    #[serde(default)]
    key: String,
    #[serde(default)]
    display_name: String,
    #[serde(rename = "type")]
    engine: String,
    #[serde(default)]
    options: SourceOptions,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// NocoBase's `options`, plus Ferrobase's TLS settings, which NocoBase
/// keeps elsewhere.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SourceOptions {
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: Option<u16>,
    #[serde(default)]
    database: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    table_prefix: String,
    #[serde(default)]
    tls: TlsMode,
    #[serde(default)]
    ca_certificate: Option<String>,
}

impl DataSourceInput {
    /// The input a request body describes, in either shape. The error is
    /// serde's own sentence (`unknown field hostname`), fit to show.
    pub fn from_body(body: Value) -> Result<DataSourceInput, String> {
        let nocobase = body
            .as_object()
            .is_some_and(|map| map.contains_key("type") || map.contains_key("options"));
        if !nocobase {
            return serde_json::from_value(body).map_err(|e| e.to_string());
        }
        let source: NocoBaseSource = serde_json::from_value(body).map_err(|e| e.to_string())?;
        let options = source.options;
        Ok(DataSourceInput {
            key: source.key,
            display_name: source.display_name,
            engine: source.engine,
            host: options.host,
            port: options.port,
            database: options.database,
            username: options.username,
            password: options.password,
            schema: options.schema,
            table_prefix: options.table_prefix,
            tls: options.tls,
            ca_certificate: options.ca_certificate,
            enabled: source.enabled,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn both_shapes_give_one_input() {
        let flat = json!({"key": "erp", "displayName": "ERP", "engine": "postgres",
            "host": "db", "port": 5433, "database": "erp", "username": "u", "password": "p",
            "schema": "sales", "tablePrefix": "t_", "tls": "require"});
        let nocobase = json!({"key": "erp", "displayName": "ERP", "type": "postgres",
            "options": {"host": "db", "port": 5433, "database": "erp", "username": "u",
                "password": "p", "schema": "sales", "tablePrefix": "t_", "tls": "require"}});
        let expected = DataSourceInput::from_body(flat).unwrap();
        assert_eq!(expected.host, "db");
        assert_eq!(expected.tls, TlsMode::Require);
        assert_eq!(DataSourceInput::from_body(nocobase).unwrap(), expected);
    }

    #[test]
    fn mistakes_are_named() {
        let wrong = |body: Value| DataSourceInput::from_body(body).unwrap_err();
        assert!(
            wrong(json!({"key": "a", "type": "postgres", "options": {"hostname": "db"}}))
                .contains("unknown field `hostname`")
        );
        assert!(
            wrong(json!({"key": "a", "type": "postgres", "engine": "postgres"}))
                .contains("unknown field `engine`")
        );
        assert!(wrong(json!({"key": "a", "options": {}})).contains("missing field `type`"));
        assert!(
            wrong(json!({"key": "a", "type": "mysql", "options": {"port": "3306"}}))
                .contains("invalid type")
        );
    }
}
