//! Master-key rotation without downtime and without re-encrypting data: only the
//! wrapped keys change. The new key becomes the primary first (running servers
//! re-read the key files periodically and on any unknown key id), the old one is
//! kept as a retired file so nothing becomes unreadable mid-way, then every wrapped
//! key is rewrapped under the new key with a compare-and-swap.

use crate::keyring::{Keyring, KeyringError, retired_path, system_key_context};
use custodia_crypto::{MasterKey, wrapped_key_id};
use custodia_store::{KeyStore, StoreError};
use std::path::{Path, PathBuf};
use std::time::Duration;

const PAGE: u32 = 1000;
const MAX_PASSES: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Key(#[from] custodia_crypto::KeyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: cannot switch key files: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "keys wrapped by the old master key remain after {MAX_PASSES} passes; run the rotation again"
    )]
    Unfinished,
}

#[derive(Debug)]
pub struct RotationReport {
    pub new_key_id: String,
    pub data_keys: u64,
    pub system_keys: u64,
    pub retired_file: PathBuf,
}

pub async fn rotate(
    file: &Path,
    keyring: &Keyring,
    keys: &dyn KeyStore,
    grace: Duration,
    mut progress: impl FnMut(u64),
) -> Result<RotationReport, RotationError> {
    let old = keyring.primary();
    let retired = retired_path(file, &old);
    if !retired.exists() {
        old.write_new(&retired)?;
    }
    let new = MasterKey::generate()?;
    let mut next = file.as_os_str().to_os_string();
    next.push(".next");
    let next = PathBuf::from(next);
    let _ = std::fs::remove_file(&next);
    new.write_new(&next)?;
    // Atomic: a reader sees the old file or the new one, never none.
    std::fs::rename(&next, file).map_err(|source| RotationError::Io {
        path: file.display().to_string(),
        source,
    })?;
    keyring.reload()?;
    let new_id = keyring.primary().key_id();
    tokio::time::sleep(grace).await;

    let mut data_keys = 0;
    let mut system_keys = 0;
    for _ in 0..MAX_PASSES {
        let mut stale = 0;
        for (name, wrapped) in keys.system_keys().await? {
            if wrapped_key_id(&wrapped) == Some(new_id) {
                continue;
            }
            stale += 1;
            let context = system_key_context(&name);
            let key = keyring.unwrap(&wrapped, context.as_bytes())?;
            let rewrapped = keyring.wrap(&key, context.as_bytes())?;
            if keys.rewrap_system_key(&name, wrapped, rewrapped).await? {
                system_keys += 1;
            }
        }
        let mut after: Option<String> = None;
        loop {
            let page = keys.data_keys_page(after.as_deref(), PAGE).await?;
            let Some((last, _)) = page.last() else {
                break;
            };
            after = Some(last.clone());
            let mut changes = Vec::new();
            for (subject, wrapped) in page {
                if wrapped_key_id(&wrapped) == Some(new_id) {
                    continue;
                }
                stale += 1;
                let key = keyring.unwrap(&wrapped, subject.as_bytes())?;
                let rewrapped = keyring.wrap(&key, subject.as_bytes())?;
                changes.push((subject, wrapped, rewrapped));
            }
            if !changes.is_empty() {
                data_keys += keys.rewrap_data_keys(changes).await?;
                progress(data_keys);
            }
        }
        if stale == 0 {
            return Ok(RotationReport {
                new_key_id: keyring.primary().key_id_hex(),
                data_keys,
                system_keys,
                retired_file: retired,
            });
        }
    }
    Err(RotationError::Unfinished)
}
