//! Secrets at rest: data source passwords now, IdP client secrets later.
//!
//! A secret is sealed with XChaCha20-Poly1305 under a subkey of the
//! [`MasterKey`] and stored as `v1.<key id>.<base64(nonce || ciphertext)>`.
//! The caller's *context* (for example `dataSources:<key>:password`) is bound
//! in as associated data, so a ciphertext copied into another row or field
//! fails to open instead of handing out the other row's secret. The key id
//! lets a start with the wrong master key fail with an operator-readable
//! message rather than a bare "decryption failed".
//!
//! A value may instead be an environment reference, `{{$env.NAME}}`, which is
//! stored as written and read from the process environment when it is used,
//! provided the operator listed NAME in `FERROBASE_ENV_ALLOW` ([`EnvAllowList`]).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::BASE64;

use crate::{Error, MasterKey, Result};

const VERSION: &str = "v1";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// The subkey label; changing it makes every stored secret unreadable.
const SUBKEY_PURPOSE: &str = "secrets v1 xchacha20poly1305";

/// A sealed secret exactly as stored. `Debug` shows only the key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(String);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id().unwrap_or("<unrecognised>"))
            .finish_non_exhaustive()
    }
}

impl Sealed {
    /// Wraps text read from the store; it is checked when opened.
    pub fn from_stored(text: String) -> Sealed {
        Sealed(text)
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }

    /// The id of the master key this was sealed with, if the text is in a
    /// format this version knows.
    pub fn key_id(&self) -> Option<&str> {
        self.parts().map(|(key_id, _)| key_id)
    }

    fn parts(&self) -> Option<(&str, &str)> {
        let rest = self.0.strip_prefix(VERSION)?.strip_prefix('.')?;
        let (key_id, data) = rest.split_once('.')?;
        (!key_id.is_empty()).then_some((key_id, data))
    }
}

/// Why a sealed secret could not be opened; logged as the source of an
/// `Error::Internal`, never shown to a client, never containing the secret.
#[derive(Debug, thiserror::Error)]
enum OpenFailure {
    #[error("the stored secret for {0} is not in the v1.<key id>.<data> format")]
    Malformed(String),
    #[error(
        "the stored secret for {0} fails authentication: it was altered, or copied from \
         another record or field"
    )]
    Forged(String),
    #[error("the stored secret for {0} is not UTF-8 text")]
    NotText(String),
}

fn cipher(key: &MasterKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&key.derive_key(SUBKEY_PURPOSE).into())
}

/// The associated data: the format, the key and the caller's context, so no
/// part of the envelope can be swapped without failing authentication.
fn associated_data(key_id: &str, context: &str) -> String {
    format!("ferrobase-secret.{VERSION}.{key_id}.{context}")
}

/// Seals `plaintext` for the record field named by `context`. Every call
/// draws a fresh random 192-bit nonce, so sealing the same value twice gives
/// different text.
pub fn seal(key: &MasterKey, context: &str, plaintext: &str) -> Sealed {
    let key_id = key.key_id();
    let nonce = XNonce::from(rand::random::<[u8; NONCE_LEN]>());
    let aad = associated_data(&key_id, context);
    let ciphertext = cipher(key)
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .unwrap_or_else(|_| unreachable!("XChaCha20-Poly1305 seals any message under 256 GiB"));
    let mut data = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    data.extend_from_slice(&nonce);
    data.extend_from_slice(&ciphertext);
    Sealed(format!("{VERSION}.{key_id}.{}", BASE64.encode(&data)))
}

/// Opens a secret sealed by [`seal`] with the same key and context.
///
/// A secret sealed with another master key is `Error::Misconfigured` (the
/// operator must restore the key); a damaged, altered or moved one is
/// `Error::Internal`.
pub fn open(key: &MasterKey, context: &str, sealed: &Sealed) -> Result<String> {
    let malformed = || Error::Internal(Box::new(OpenFailure::Malformed(context.to_owned())));
    let (key_id, data) = sealed.parts().ok_or_else(malformed)?;
    let own_id = key.key_id();
    if key_id != own_id {
        return Err(Error::Misconfigured(format!(
            "the secret for {context} was sealed with key {key_id}, but this process has key \
             {own_id}; set FERROBASE_MASTER_KEY to the original key"
        )));
    }
    let data = BASE64.decode(data.as_bytes()).map_err(|_| malformed())?;
    if data.len() < NONCE_LEN + TAG_LEN {
        return Err(malformed());
    }
    let (nonce, ciphertext) = data.split_at(NONCE_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| malformed())?;
    let aad = associated_data(key_id, context);
    let plaintext = cipher(key)
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::Internal(Box::new(OpenFailure::Forged(context.to_owned()))))?;
    String::from_utf8(plaintext)
        .map_err(|_| Error::Internal(Box::new(OpenFailure::NotText(context.to_owned()))))
}

/// Names an environment reference may not use: Ferrobase's own settings
/// (the master key, the metadata store's URL). A reference is sent to
/// whatever server the data source names, so allowing these would let an
/// administrator ship the master key to a server of their choosing.
fn is_reserved(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.starts_with("FERROBASE_") || upper == "DATABASE_URL" || upper == "DATABASE_URL_FILE"
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a value as an environment reference.
///
/// The syntax is NocoBase's, `{{$env.NAME}}`, and must be the whole value;
/// spaces or tabs just inside the braces are allowed (`{{ $env.NAME }}`).
/// NAME is `[A-Za-z_][A-Za-z0-9_]*`.
///
/// - `Ok(None)`: a literal value (this includes text that merely contains a
///   reference, such as `x{{$env.A}}`, or `{{$envelope}}`).
/// - `Ok(Some(NAME))`: a reference.
/// - `Err(InvalidInput)`: the value is written as a reference (`{{$env}}` or
///   `{{$env.…}}`) but NAME is missing, malformed or reserved for Ferrobase's
///   own settings. Callers should check this when a value is saved.
///
/// Error messages never repeat the value: a literal may be a password.
pub fn env_reference_name(value: &str) -> Result<Option<&str>> {
    let Some(inner) = value
        .strip_prefix("{{")
        .and_then(|rest| rest.strip_suffix("}}"))
    else {
        return Ok(None);
    };
    let inner = inner.trim_matches([' ', '\t']);
    let name = match inner.strip_prefix("$env") {
        Some("") => "",
        Some(rest) => match rest.strip_prefix('.') {
            Some(name) => name,
            None => return Ok(None),
        },
        None => return Ok(None),
    };
    if !is_env_name(name) {
        return Err(Error::InvalidInput(
            "an environment reference must be written {{$env.NAME}}, where NAME is letters, \
             digits and _ and does not start with a digit"
                .into(),
        ));
    }
    if is_reserved(name) {
        return Err(Error::InvalidInput(format!(
            "environment variable {name} holds Ferrobase's own configuration and cannot be \
             referenced"
        )));
    }
    Ok(Some(name))
}

/// Whether the value is a well-formed `{{$env.NAME}}` reference (see
/// [`env_reference_name`], which also reports malformed ones).
pub fn is_env_reference(value: &str) -> bool {
    matches!(env_reference_name(value), Ok(Some(_)))
}

/// The environment variables a reference may read, as the operator listed
/// them (`FERROBASE_ENV_ALLOW=ERP_DB_PASSWORD,CRM_*`): exact names, or a
/// prefix ending in `*`. Everything else is out of reach, so an
/// administrator cannot send `AWS_SECRET_ACCESS_KEY` or `HOME` to a server
/// they control. Empty (the default): no references at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvAllowList {
    names: Vec<String>,
    prefixes: Vec<String>,
}

impl EnvAllowList {
    /// Parses a comma-separated list; the error names the bad entry.
    pub fn parse(text: &str) -> std::result::Result<EnvAllowList, String> {
        let mut list = EnvAllowList::default();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (name, is_prefix) = match entry.strip_suffix('*') {
                Some(prefix) => (prefix, true),
                None => (entry, false),
            };
            if !is_env_name(name) {
                return Err(format!(
                    "{entry:?} is not a variable name or a prefix ending in * (letters, digits \
                     and _, not starting with a digit; a lone * is not allowed)"
                ));
            }
            if is_reserved(name) {
                return Err(format!(
                    "{entry:?} names Ferrobase's own configuration, which is never readable"
                ));
            }
            if is_prefix {
                list.prefixes.push(name.to_owned());
            } else {
                list.names.push(name.to_owned());
            }
        }
        Ok(list)
    }

    pub fn allows(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name) || self.prefixes.iter().any(|p| name.starts_with(p))
    }

    /// The value of the referenced environment variable, or the value itself
    /// if it is not a reference. A variable that is not listed, unset, or not
    /// UTF-8 gets one and the same `InvalidInput` error, so the answer does
    /// not tell which variables exist; an empty value is returned as is.
    pub fn resolve(&self, value: &str) -> Result<String> {
        self.resolve_with(value, |name| std::env::var(name).ok())
    }

    /// [`EnvAllowList::resolve`] with the environment supplied by the caller.
    pub fn resolve_with(
        &self,
        value: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<String> {
        match env_reference_name(value)? {
            None => Ok(value.to_owned()),
            Some(name) => self
                .allows(name)
                .then(|| lookup(name))
                .flatten()
                .ok_or_else(|| {
                    Error::InvalidInput(format!(
                        "environment variable {name} is not available: the operator must list it \
                         in FERROBASE_ENV_ALLOW and set it where Ferrobase runs"
                    ))
                }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: &str = "dataSources:main:password";

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let key = MasterKey::generate();
        for secret in ["hunter2", "", "pässwörd with spaces and ünïcode 🔑"] {
            let sealed = seal(&key, CONTEXT, secret);
            if !secret.is_empty() {
                assert!(!sealed.as_stored().contains(secret));
            }
            let stored = Sealed::from_stored(sealed.as_stored().to_owned());
            assert_eq!(open(&key, CONTEXT, &stored).unwrap(), secret);
        }
    }

    #[test]
    fn stored_text_has_the_documented_shape() {
        let key = MasterKey::generate();
        let sealed = seal(&key, CONTEXT, "hunter2");
        let key_id = key.key_id();
        assert_eq!(sealed.key_id(), Some(key_id.as_str()));
        let data = sealed
            .as_stored()
            .strip_prefix(&format!("v1.{key_id}."))
            .unwrap();
        let bytes = BASE64.decode(data.as_bytes()).unwrap();
        assert_eq!(bytes.len(), NONCE_LEN + "hunter2".len() + TAG_LEN);
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce() {
        let key = MasterKey::generate();
        let first = seal(&key, CONTEXT, "same");
        let second = seal(&key, CONTEXT, "same");
        assert_ne!(first, second);
        let nonce = |s: &Sealed| {
            let (_, data) = s.parts().unwrap();
            BASE64.decode(data.as_bytes()).unwrap()[..NONCE_LEN].to_vec()
        };
        assert_ne!(nonce(&first), nonce(&second));
    }

    #[test]
    fn a_secret_moved_to_another_context_does_not_open() {
        let key = MasterKey::generate();
        let sealed = seal(&key, "dataSources:a:password", "secret-a");
        let error = open(&key, "dataSources:b:password", &sealed).unwrap_err();
        assert_eq!(error.code(), "INTERNAL");
        assert!(error.chain().contains("copied from another record"));
        assert!(!error.chain().contains("secret-a"));
    }

    #[test]
    fn tampering_is_detected() {
        let key = MasterKey::generate();
        let sealed = seal(&key, CONTEXT, "hunter2");
        let (key_id, data) = sealed.parts().unwrap();
        let mut bytes = BASE64.decode(data.as_bytes()).unwrap();
        for index in [0, NONCE_LEN, bytes.len() - 1] {
            bytes[index] ^= 1;
            let forged = Sealed::from_stored(format!("v1.{key_id}.{}", BASE64.encode(&bytes)));
            let error = open(&key, CONTEXT, &forged).unwrap_err();
            assert_eq!(error.code(), "INTERNAL");
            assert!(error.chain().contains("fails authentication"));
            bytes[index] ^= 1;
        }
        // Truncated, not base64, or not this format at all.
        let short = format!("v1.{key_id}.{}", BASE64.encode(&bytes[..NONCE_LEN + 3]));
        for text in [
            short,
            format!("v1.{key_id}.***"),
            "hunter2".into(),
            "v2.x.y".into(),
        ] {
            let error = open(&key, CONTEXT, &Sealed::from_stored(text)).unwrap_err();
            assert!(error.chain().contains("not in the v1"), "{}", error.chain());
        }
    }

    #[test]
    fn another_master_key_names_both_key_ids() {
        let original = MasterKey::generate();
        let other = MasterKey::generate();
        let sealed = seal(&original, CONTEXT, "hunter2");
        let error = open(&other, CONTEXT, &sealed).unwrap_err();
        assert_eq!(error.code(), "MISCONFIGURED");
        let message = error.to_string();
        assert!(message.contains(&original.key_id()), "{message}");
        assert!(message.contains(&other.key_id()), "{message}");
        assert!(message.contains("FERROBASE_MASTER_KEY"));
        assert!(!message.contains("hunter2"));
    }

    #[test]
    fn a_rewritten_key_id_still_fails_authentication() {
        let original = MasterKey::generate();
        let other = MasterKey::generate();
        let sealed = seal(&original, CONTEXT, "hunter2");
        let relabelled = sealed
            .as_stored()
            .replacen(&original.key_id(), &other.key_id(), 1);
        let error = open(&other, CONTEXT, &Sealed::from_stored(relabelled)).unwrap_err();
        assert_eq!(error.code(), "INTERNAL");
    }

    #[test]
    fn debug_shows_only_the_key_id() {
        let key = MasterKey::generate();
        let sealed = seal(&key, CONTEXT, "hunter2");
        let shown = format!("{sealed:?}");
        assert!(shown.contains(&key.key_id()));
        let (_, data) = sealed.parts().unwrap();
        assert!(!shown.contains(data));
    }

    fn env(name: &str) -> Option<String> {
        match name {
            "DB_PASSWORD" => Some("from-env".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn allowed() -> EnvAllowList {
        EnvAllowList::parse("DB_PASSWORD, EMPTY,CRM_*").unwrap()
    }

    #[test]
    fn env_references_resolve_from_the_environment() {
        for value in [
            "{{$env.DB_PASSWORD}}",
            "{{ $env.DB_PASSWORD }}",
            "{{\t$env.DB_PASSWORD}}",
        ] {
            assert!(is_env_reference(value), "{value}");
            assert_eq!(allowed().resolve_with(value, env).unwrap(), "from-env");
        }
        assert_eq!(allowed().resolve_with("{{$env.EMPTY}}", env).unwrap(), "");
    }

    #[test]
    fn only_listed_variables_are_read_and_the_rest_look_unset() {
        let everything = |name: &str| Some(format!("value of {name}"));
        let list = allowed();
        assert_eq!(
            list.resolve_with("{{$env.CRM_TOKEN}}", everything).unwrap(),
            "value of CRM_TOKEN"
        );
        let refused = |value: &str, lookup: &dyn Fn(&str) -> Option<String>| {
            let error = list.resolve_with(value, lookup).unwrap_err();
            assert_eq!(error.code(), "INVALID_INPUT");
            error
                .to_string()
                .replace("MISSING_ONE", "X")
                .replace("AWS_SECRET", "X")
        };
        // Not listed though set, and listed-pattern-free though set, and
        // listed but unset: one text, so no oracle on what exists.
        let not_listed = refused("{{$env.AWS_SECRET}}", &everything);
        let unset = refused("{{$env.MISSING_ONE}}", &env);
        assert_eq!(not_listed, unset);
        assert!(unset.contains("FERROBASE_ENV_ALLOW"), "{unset}");
        // Nothing listed: nothing readable, however set.
        let error = EnvAllowList::default()
            .resolve_with("{{$env.PATH}}", everything)
            .unwrap_err();
        assert!(error.to_string().contains("is not available"));
    }

    #[test]
    fn bad_allow_lists_are_refused_by_entry() {
        for (text, why) in [
            ("*", "a lone *"),
            ("A,B-C", "B-C"),
            ("1ABC", "1ABC"),
            ("FERROBASE_*", "Ferrobase's own"),
            ("DATABASE_URL", "Ferrobase's own"),
        ] {
            let error = EnvAllowList::parse(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
        assert_eq!(EnvAllowList::parse(" , ").unwrap(), EnvAllowList::default());
    }

    #[test]
    fn literals_pass_through_unchanged() {
        for value in [
            "hunter2",
            "",
            "{{$envelope}}",
            "{{$context.x}}",
            "x{{$env.DB_PASSWORD}}",
            "{{$env.DB_PASSWORD}} ",
            " {{$env.DB_PASSWORD}}",
            "{$env.DB_PASSWORD}",
            "$env.DB_PASSWORD",
        ] {
            assert!(!is_env_reference(value), "{value}");
            assert_eq!(allowed().resolve_with(value, env).unwrap(), value);
        }
    }

    #[test]
    fn malformed_references_are_refused_without_echoing_the_value() {
        for value in [
            "{{$env.}}",
            "{{$env}}",
            "{{$env.1ABC}}",
            "{{$env.A-B}}",
            "{{$env.A B}}",
            "{{$env. A}}",
            "{{$env.DB_PASSWORD.x}}",
        ] {
            assert!(!is_env_reference(value), "{value}");
            let error = allowed().resolve_with(value, env).unwrap_err();
            assert_eq!(error.code(), "INVALID_INPUT", "{value}");
            assert!(error.to_string().contains("{{$env.NAME}}"), "{value}");
        }
    }

    #[test]
    fn ferrobase_settings_cannot_be_referenced() {
        let everything = |_: &str| Some("leaked".to_owned());
        let list = EnvAllowList::parse("F*,D*").unwrap();
        for value in [
            "{{$env.FERROBASE_MASTER_KEY}}",
            "{{$env.ferrobase_master_key}}",
            "{{$env.DATABASE_URL}}",
        ] {
            let error = list.resolve_with(value, everything).unwrap_err();
            assert_eq!(error.code(), "INVALID_INPUT");
            assert!(error.to_string().contains("Ferrobase's own configuration"));
        }
    }

    #[test]
    fn the_real_environment_is_read() {
        // PATH is set for every test process; its value is not asserted.
        let list = EnvAllowList::parse("PATH,SURELY_UNSET_TEST_VARIABLE_8C1F").unwrap();
        assert!(list.resolve("{{$env.PATH}}").is_ok());
        let unset = "SURELY_UNSET_TEST_VARIABLE_8C1F";
        assert!(std::env::var(unset).is_err());
        let error = list.resolve(&format!("{{{{$env.{unset}}}}}")).unwrap_err();
        assert!(error.to_string().contains("is not available"));
    }
}
