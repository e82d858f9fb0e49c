//! The master keys a running instance knows. New keys are wrapped with the primary
//! (`master.key`); unwrapping picks the key whose id the blob carries, so keys
//! wrapped before or during a rotation stay readable. The files are re-read when an
//! unknown key id shows up, which is how a running server follows `keys rotate`
//! without a restart.

use custodia_crypto::{CryptoError, KeyError, MasterKey, SecretKey, wrapped_key_id};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// A retired key file: `master.key.retired-<key id>`.
pub const RETIRED_PREFIX: &str = "retired-";

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("no master key with id {0} is available (was a retired key file removed too early?)")]
    UnknownKey(String),
}

struct Keys {
    primary: Arc<MasterKey>,
    others: Vec<Arc<MasterKey>>,
}

pub struct Keyring {
    /// `None` when the key came from the environment: nothing to reload.
    file: Option<PathBuf>,
    keys: RwLock<Keys>,
}

impl Keyring {
    /// Reads `file` (the primary) and every `file.retired-*` beside it.
    pub fn from_file(file: &Path) -> Result<Keyring, KeyringError> {
        Ok(Keyring {
            keys: RwLock::new(read_keys(file)?),
            file: Some(file.to_path_buf()),
        })
    }

    pub fn from_key(key: MasterKey) -> Keyring {
        Keyring {
            file: None,
            keys: RwLock::new(Keys {
                primary: Arc::new(key),
                others: Vec::new(),
            }),
        }
    }

    pub fn primary(&self) -> Arc<MasterKey> {
        Arc::clone(&self.keys.read().unwrap_or_else(|p| p.into_inner()).primary)
    }

    pub fn wrap(&self, key: &SecretKey, context: &[u8]) -> Result<Vec<u8>, KeyringError> {
        Ok(self.primary().wrap(key, context)?)
    }

    fn find(&self, id: [u8; 8]) -> Option<Arc<MasterKey>> {
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
        std::iter::once(&keys.primary)
            .chain(keys.others.iter())
            .find(|k| k.key_id() == id)
            .cloned()
    }

    pub fn unwrap(&self, wrapped: &[u8], context: &[u8]) -> Result<SecretKey, KeyringError> {
        let id = wrapped_key_id(wrapped).ok_or(CryptoError::Unwrap)?;
        let key = match self.find(id) {
            Some(k) => k,
            None => {
                self.reload()?;
                self.find(id)
                    .ok_or_else(|| KeyringError::UnknownKey(hex_id(id)))?
            }
        };
        Ok(key.unwrap(wrapped, context)?)
    }

    /// Re-reads the key files.
    pub fn reload(&self) -> Result<(), KeyringError> {
        if let Some(file) = &self.file {
            let fresh = read_keys(file)?;
            *self.keys.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        }
        Ok(())
    }
}

fn hex_id(id: [u8; 8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Path of the retired copy of a key file.
pub fn retired_path(file: &Path, key: &MasterKey) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{RETIRED_PREFIX}{}", key.key_id_hex()));
    file.with_file_name(name)
}

fn read_keys(file: &Path) -> Result<Keys, KeyError> {
    let primary = Arc::new(MasterKey::read(file)?);
    let mut others = Vec::new();
    let prefix = format!(
        "{}.{RETIRED_PREFIX}",
        file.file_name().unwrap_or_default().to_string_lossy()
    );
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                others.push(Arc::new(MasterKey::read(&entry.path())?));
            }
        }
    }
    Ok(Keys { primary, others })
}

/// Associated data binding a wrapped system key to its name.
pub fn system_key_context(name: &str) -> String {
    format!("system:{name}")
}
