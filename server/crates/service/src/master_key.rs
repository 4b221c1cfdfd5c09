//! The master key seals secrets at rest (database passwords, IdP secrets).
//! It never leaves memory in clear: `Debug` is redacted and only a keyed
//! fingerprint is ever stored.

use data_encoding::BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Error, Result};

pub const KEY_LEN: usize = 32;

#[derive(Clone)]
pub struct MasterKey([u8; KEY_LEN]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// Parses the base64 form (`ferrobase gen-master-key` prints one).
    pub fn parse(text: &str) -> Result<MasterKey> {
        let invalid = || {
            Error::InvalidInput(format!(
                "the master key must be {KEY_LEN} random bytes in base64 (44 characters); \
                 generate one with `ferrobase gen-master-key`"
            ))
        };
        let bytes = BASE64
            .decode(text.trim().as_bytes())
            .map_err(|_| invalid())?;
        let bytes: [u8; KEY_LEN] = bytes.try_into().map_err(|_| invalid())?;
        Ok(MasterKey(bytes))
    }

    pub fn generate() -> MasterKey {
        MasterKey(rand::random())
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.0)
    }

    /// A value that identifies the key without revealing it, stored so a start
    /// with a different key fails loudly instead of producing unreadable secrets.
    pub fn fingerprint(&self) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(b"ferrobase master key check v1");
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    }

    /// A short public name for the key (the first 12 hex digits of its
    /// fingerprint), written beside every sealed secret so a secret sealed
    /// with another key is recognised before decryption is attempted.
    pub fn key_id(&self) -> String {
        let mut id = self.fingerprint();
        id.truncate(12);
        id
    }

    /// A subkey for one purpose, so the master key itself is never used
    /// directly by a cipher and two uses can never share a key. The label is
    /// prefixed, so no purpose can reproduce the (stored) fingerprint.
    pub(crate) fn derive_key(&self, purpose: &str) -> [u8; KEY_LEN] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(b"ferrobase subkey v1:");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fingerprints_deterministically() {
        let key = MasterKey::generate();
        let again = MasterKey::parse(&key.to_base64()).unwrap();
        assert_eq!(key.fingerprint(), again.fingerprint());
        assert_ne!(key.fingerprint(), MasterKey::generate().fingerprint());
    }

    #[test]
    fn rejects_wrong_length_and_garbage() {
        assert!(MasterKey::parse("c2hvcnQ=").is_err());
        assert!(MasterKey::parse("not base64 at all!").is_err());
        assert!(MasterKey::parse("").is_err());
    }

    #[test]
    fn key_id_is_a_fingerprint_prefix_and_subkeys_differ() {
        let key = MasterKey::generate();
        assert_eq!(key.key_id().len(), 12);
        assert!(key.fingerprint().starts_with(&key.key_id()));
        assert_ne!(key.derive_key("a"), key.derive_key("b"));
        assert_ne!(key.derive_key("a"), key.0);
        assert_eq!(key.derive_key("a"), key.derive_key("a"));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = MasterKey::generate();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&key.to_base64()));
        assert!(shown.contains("redacted"));
    }
}
