//! The token format `fbk_<id>_<secret>`: a fixed prefix secret scanners
//! recognise, a public id (one indexed lookup finds the key) and 256 random
//! bits. Only the SHA-256 of the secret is stored: a fast hash is enough for
//! a random secret (nothing to guess), and it keeps the check off Argon2.

use data_encoding::BASE32_NOPAD;
use subtle::ConstantTimeEq;

use crate::sessions::{random_secret, token_hash};

pub const PREFIX: &str = "fbk_";
const ID_CHARS: usize = 12;
const SECRET_CHARS: usize = 43;

/// A new key's parts; `token()` is what the client gets, once.
pub(crate) struct Fresh {
    pub id: String,
    pub secret: String,
}

impl Fresh {
    pub fn new() -> Fresh {
        // 60 bits of lowercase base32: short to read, never guessed twice.
        let bytes: [u8; 8] = rand::random();
        let mut id = BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
        id.truncate(ID_CHARS);
        Fresh::for_key(id)
    }

    /// A new secret for the key `id` (a rotation).
    pub fn for_key(id: String) -> Fresh {
        Fresh {
            id,
            secret: random_secret(),
        }
    }

    pub fn token(&self) -> String {
        format!("{PREFIX}{}_{}", self.id, self.secret)
    }

    pub fn secret_hash(&self) -> String {
        token_hash(&self.secret)
    }
}

/// `fbk_<id>`: how a key is shown in lists.
pub(crate) fn prefix(id: &str) -> String {
    format!("{PREFIX}{id}")
}

/// A token as presented: its id and the SHA-256 (hex) of its secret.
pub(crate) struct Presented<'a> {
    pub id: &'a str,
    pub secret_hash: String,
}

/// Splits a token; anything not shaped like one is `None`.
pub(crate) fn parse(token: &str) -> Option<Presented<'_>> {
    let (id, secret) = token.strip_prefix(PREFIX)?.split_once('_')?;
    let id_ok = id.len() == ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    let secret_ok = secret.len() == SECRET_CHARS
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (id_ok && secret_ok).then(|| Presented {
        id,
        secret_hash: token_hash(secret),
    })
}

/// Compares two hex digests without an early exit.
pub(crate) fn same_digest(presented: &str, stored: &str) -> bool {
    presented.as_bytes().ct_eq(stored.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_tokens_parse_back_to_their_id_and_digest() {
        let fresh = Fresh::new();
        let token = fresh.token();
        assert!(token.starts_with(PREFIX), "{token}");
        assert_eq!(token.len(), PREFIX.len() + ID_CHARS + 1 + SECRET_CHARS);
        let presented = parse(&token).unwrap();
        assert_eq!(presented.id, fresh.id);
        assert!(same_digest(&presented.secret_hash, &fresh.secret_hash()));
        assert_eq!(fresh.secret_hash().len(), 64);
        assert!(!fresh.secret_hash().contains(&fresh.secret));
        assert_ne!(Fresh::new().id, fresh.id);
        assert_ne!(Fresh::new().secret, fresh.secret);
    }

    #[test]
    fn malformed_tokens_and_other_secrets_do_not_match() {
        let fresh = Fresh::new();
        let token = fresh.token();
        for bad in [
            "",
            "fbk_",
            "fbs_abc",
            &token[..token.len() - 1],
            &format!("{token}x"),
            &token.replacen(PREFIX, "FBK_", 1),
            &token.replace(&fresh.id, &fresh.id.to_uppercase()),
            &format!("{PREFIX}{}_{}", fresh.id, "!".repeat(SECRET_CHARS)),
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
        let other = Fresh::new();
        let forged = format!("{PREFIX}{}_{}", fresh.id, other.secret);
        let presented = parse(&forged).unwrap();
        assert!(!same_digest(&presented.secret_hash, &fresh.secret_hash()));
        assert!(!same_digest(&presented.secret_hash, ""));
    }
}
