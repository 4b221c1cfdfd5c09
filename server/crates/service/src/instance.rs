//! The installation record: created on first start, checked on every start.

use crate::store::{is_missing_table, with_pool};
use crate::{Error, MasterKey, Result, Store};

/// Records the installation on an empty store, or verifies that `key` is the
/// key the store was created with. Idempotent and safe when several
/// processes start together: the first insert wins, everyone compares.
pub async fn ensure(store: &Store, key: &MasterKey) -> Result<()> {
    let install_id = uuid::Uuid::new_v4().to_string();
    let fingerprint = key.fingerprint();
    let insert = "INSERT INTO instance (id, install_id, master_key_check) VALUES (1, $1, $2) \
                  ON CONFLICT (id) DO NOTHING";
    let select = "SELECT master_key_check FROM instance WHERE id = 1";
    let stored: String = with_pool!(store, pool => {
        sqlx::query(insert)
            .bind(&install_id)
            .bind(&fingerprint)
            .execute(pool)
            .await?;
        sqlx::query_scalar(select).fetch_one(pool).await?
    });
    if stored != fingerprint {
        return Err(key_mismatch());
    }
    Ok(())
}

pub fn key_mismatch() -> Error {
    Error::Misconfigured(
        "the master key does not match the one this metadata store was created with; \
         set FERROBASE_MASTER_KEY (or FERROBASE_MASTER_KEY_FILE) to the original key"
            .into(),
    )
}

/// The key fingerprint this store was initialised with, or `None` for a
/// store that was never started (not even migrated). Lets start-up refuse a
/// wrong key before it changes anything.
pub async fn recorded_fingerprint(store: &Store) -> Result<Option<String>> {
    let sql = "SELECT master_key_check FROM instance WHERE id = 1";
    let found: Result<Option<String>, sqlx::Error> =
        with_pool!(store, pool => sqlx::query_scalar(sql).fetch_optional(pool).await);
    match found {
        Err(error) if is_missing_table(&error) => Ok(None),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreLocation;

    #[tokio::test]
    async fn first_key_is_recorded_and_another_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&StoreLocation::Sqlite(dir.path().join("m.db")))
            .await
            .unwrap();
        assert_eq!(recorded_fingerprint(&store).await.unwrap(), None);
        store.migrate().await.unwrap();
        assert_eq!(recorded_fingerprint(&store).await.unwrap(), None);
        let key = MasterKey::generate();
        ensure(&store, &key).await.unwrap();
        ensure(&store, &key).await.unwrap();
        assert_eq!(
            recorded_fingerprint(&store).await.unwrap(),
            Some(key.fingerprint())
        );
        let error = ensure(&store, &MasterKey::generate()).await.unwrap_err();
        assert_eq!(error.code(), "MISCONFIGURED");
    }
}
