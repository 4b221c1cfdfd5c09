//! Which master key this process uses. An operator-given key always wins.
//! On the embedded SQLite default a key is generated once and kept beside the
//! database file, so a first start needs no setup; it is never regenerated
//! for a store that already has one.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use service::MasterKey;
use service::store::StoreLocation;

pub struct ResolvedKey {
    pub key: MasterKey,
    /// Where a freshly generated key must be saved before it is recorded.
    pub save_to: Option<PathBuf>,
}

pub fn key_file_for(database: &Path) -> PathBuf {
    database.with_file_name("master.key")
}

pub fn resolve(
    configured: Option<&MasterKey>,
    location: &StoreLocation,
    store_initialised: bool,
) -> anyhow::Result<ResolvedKey> {
    if let Some(key) = configured {
        return Ok(ResolvedKey {
            key: key.clone(),
            save_to: None,
        });
    }
    let StoreLocation::Sqlite(database) = location else {
        bail!("FERROBASE_MASTER_KEY is required with PostgreSQL");
    };
    let path = key_file_for(database);
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the master key file {}", path.display()))?;
        let key = MasterKey::parse(&text)
            .with_context(|| format!("the master key file {} is damaged", path.display()))?;
        return Ok(ResolvedKey { key, save_to: None });
    }
    if store_initialised {
        bail!(
            "the master key file {} is missing but the metadata store was initialised with it; \
             restore the file or set FERROBASE_MASTER_KEY to the original key",
            path.display()
        );
    }
    Ok(ResolvedKey {
        key: MasterKey::generate(),
        save_to: Some(path),
    })
}

/// Writes a new key readable by the owner only; never overwrites a file.
pub fn save(key: &MasterKey, path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create the master key file {}", path.display()))?;
    writeln!(file, "{}", key.to_base64())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write the master key file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_then_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let location = StoreLocation::Sqlite(dir.path().join("f.db"));
        let first = resolve(None, &location, false).unwrap();
        let path = first.save_to.clone().unwrap();
        save(&first.key, &path).unwrap();
        let again = resolve(None, &location, true).unwrap();
        assert!(again.save_to.is_none());
        assert_eq!(again.key.fingerprint(), first.key.fingerprint());
        assert!(
            save(&first.key, &path).is_err(),
            "must never overwrite a key"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn refuses_to_invent_a_key_for_an_initialised_store() {
        let dir = tempfile::tempdir().unwrap();
        let location = StoreLocation::Sqlite(dir.path().join("f.db"));
        let error = resolve(None, &location, true).err().unwrap().to_string();
        assert!(error.contains("missing"), "{error}");
    }

    #[test]
    fn configured_key_wins() {
        let key = MasterKey::generate();
        let location = StoreLocation::Sqlite("unused.db".into());
        let resolved = resolve(Some(&key), &location, true).unwrap();
        assert_eq!(resolved.key.fingerprint(), key.fingerprint());
    }
}
