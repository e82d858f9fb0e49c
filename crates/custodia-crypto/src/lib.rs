//! The only crate that touches key material. For now: the master key (KEK) that
//! will wrap every subject's data key.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use zeroize::{Zeroize, Zeroizing};

pub const MASTER_KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: cannot {action} the master key file: {source}")]
    Io {
        path: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the master key file already exists; refusing to overwrite it")]
    Exists { path: String },
    #[error("{origin}: a master key is {expected} hexadecimal characters (256 bits)")]
    Malformed { origin: String, expected: usize },
    #[error(
        "{path}: the master key file is readable by other users (mode {mode:o}); run `chmod 600 {path}`"
    )]
    TooOpen { path: String, mode: u32 },
    #[error("the system random generator failed: {0}")]
    Random(String),
}

/// The key-encryption key. Never printed: `Debug` shows only a fingerprint-free
/// placeholder, and the bytes are wiped on drop.
pub struct MasterKey(Zeroizing<[u8; MASTER_KEY_LEN]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    pub fn generate() -> Result<Self, KeyError> {
        let mut bytes = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        getrandom::fill(bytes.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(MasterKey(bytes))
    }

    /// Parses the hex form used in the key file and `CUSTODIA_MASTER_KEY`.
    pub fn from_hex(origin: &str, text: &str) -> Result<Self, KeyError> {
        let malformed = || KeyError::Malformed {
            origin: origin.to_owned(),
            expected: MASTER_KEY_LEN * 2,
        };
        let mut decoded = Zeroizing::new(hex::decode(text.trim()).map_err(|_| malformed())?);
        let mut bytes = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        if decoded.len() != MASTER_KEY_LEN {
            return Err(malformed());
        }
        bytes.copy_from_slice(&decoded);
        decoded.zeroize();
        Ok(MasterKey(bytes))
    }

    /// Writes a new key file readable by its owner only; never overwrites one, so a
    /// second `init` cannot make existing data unreadable.
    pub fn write_new(&self, path: &Path) -> Result<(), KeyError> {
        let display = path.display().to_string();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                KeyError::Exists {
                    path: display.clone(),
                }
            } else {
                KeyError::Io {
                    path: display.clone(),
                    action: "create",
                    source,
                }
            }
        })?;
        let encoded = Zeroizing::new(hex::encode(self.0.as_ref()));
        file.write_all(encoded.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.sync_all())
            .map_err(|source| KeyError::Io {
                path: display,
                action: "write",
                source,
            })
    }

    /// Reads a key file, refusing one that other users can read.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        let display = path.display().to_string();
        let io = |action| {
            let display = display.clone();
            move |source| KeyError::Io {
                path: display,
                action,
                source,
            }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(io("read"))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(KeyError::TooOpen {
                    path: display,
                    mode: mode & 0o777,
                });
            }
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(io("read"))?);
        MasterKey::from_hex(&display, &text)
    }

    pub fn bytes(&self) -> &[u8; MASTER_KEY_LEN] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trips_with_owner_only_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let key = MasterKey::generate().unwrap();
        key.write_new(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(MasterKey::read(&path).unwrap().bytes(), key.bytes());
        assert!(matches!(key.write_new(&path), Err(KeyError::Exists { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_key_file_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        MasterKey::generate().unwrap().write_new(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            MasterKey::read(&path),
            Err(KeyError::TooOpen { .. })
        ));
    }

    #[test]
    fn rejects_short_keys_and_hides_bytes_in_debug() {
        assert!(MasterKey::from_hex("env", "abcd").is_err());
        let key = MasterKey::generate().unwrap();
        assert_eq!(format!("{key:?}"), "MasterKey(..)");
    }
}
