//! Argon2id password hashes (PHC strings) with the OWASP parameters
//! (m = 19 MiB, t = 2, p = 1, the `argon2` crate's defaults).
//!
//! Hashing takes tens of milliseconds of CPU on purpose, so it runs on the
//! blocking pool, never on the async workers that serve other requests.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use model::identity::Password;

use crate::{Error, Result};

pub async fn hash(password: &Password) -> Result<String> {
    let secret = password.expose().to_owned();
    blocking(move || {
        Argon2::default()
            .hash_password(secret.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}").into()))
    })
    .await
}

/// Whether `password` matches `stored`. With no stored hash (no such user,
/// or a user without a password) a dummy hash is checked instead, so the
/// answer takes as long as for a real account and reveals nothing.
pub async fn verify(stored: Option<String>, password: &Password) -> Result<bool> {
    let secret = password.expose().to_owned();
    blocking(move || {
        let exists = stored.is_some();
        let stored = stored.as_deref().unwrap_or(DUMMY_HASH.as_str());
        let matches = PasswordHash::new(stored)
            .map(|hash| {
                Argon2::default()
                    .verify_password(secret.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false);
        Ok(exists && matches)
    })
    .await
}

/// A hash of a random string, computed once: verifying against it costs
/// exactly what verifying a real hash with today's parameters costs.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random = uuid::Uuid::new_v4().to_string();
    Argon2::default()
        .hash_password(random.as_bytes())
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = Password::parse("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(Some(stored.clone()), &password).await.unwrap());
        let wrong = Password::parse("correct horse battery!").unwrap();
        assert!(!verify(Some(stored), &wrong).await.unwrap());
        assert!(!verify(None, &password).await.unwrap());
        assert!(!verify(Some("not a hash".into()), &password).await.unwrap());
    }
}
