//! The only crate that touches key material.
//!
//! - [`MasterKey`] (the KEK) lives in a file or an environment variable and wraps
//!   every other key with AES-256-GCM-SIV ([`MasterKey::wrap`], [`keys`]).
//! - A [`SecretKey`] is a subject's data key (DEK) or one of Custodia's own system
//!   keys; data keys seal personal-data fields with XChaCha20-Poly1305 ([`seal`]).
//! - [`BlindIndexKey`] computes keyed, per-kind blind indexes of normalised values
//!   ([`blind`], [`normalize`]).
//! - [`password`], [`token`] and [`chain`]: staff passwords (Argon2id), session and
//!   API tokens, and the tamper-evident audit chain.
//!
//! No error of this crate ever contains key bytes, plaintext or a password.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use zeroize::Zeroize;

pub use zeroize::Zeroizing;

pub mod blind;
pub mod chain;
mod kdf;
pub mod keys;
pub mod normalize;
pub mod password;
pub mod seal;
pub mod token;
pub mod totp;

pub use blind::BlindIndexKey;
pub use chain::{AuditKey, CheckpointClaim, GENESIS_HASH, chain_hash, checkpoint_signature_valid};
pub use keys::{SecretKey, wrapped_key_id};
pub use normalize::NormalizeError;
pub use password::{
    MIN_STAFF_PASSWORD_BITS, generate_password, hash_password, password_entropy_bits,
    verify_password,
};
pub use seal::field_aad;
pub use token::{constant_time_eq, generate_token, hash_token, verification_code};

pub const MASTER_KEY_LEN: usize = 32;

/// Errors of the cryptographic operations. Deliberately vague about *why* a
/// decryption failed (wrong key, wrong context, tampering and truncation look the
/// same to an attacker), and never carrying key bytes, plaintext or passwords.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the system random generator failed: {0}")]
    Random(String),
    #[error(
        "cannot unwrap the key: it was wrapped by another master key or for another context, or it was altered or truncated"
    )]
    Unwrap,
    #[error(
        "cannot open the sealed value: wrong data key or associated data, or the value was altered or truncated"
    )]
    Open,
    #[error("encryption failed (the value or its associated data is too long)")]
    Seal,
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
}

pub(crate) fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>, CryptoError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(bytes)
}

/// Lowercase hexadecimal SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

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
///
/// Besides the key itself it caches what is derived from it: the AES-256-GCM-SIV
/// wrapping key (HKDF-Expand of the master key, label `custodia key wrap v1`) and
/// the public [`key_id`](MasterKey::key_id).
pub struct MasterKey {
    key: Zeroizing<[u8; MASTER_KEY_LEN]>,
    wrap_key: Zeroizing<[u8; 32]>,
    id: [u8; 8],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    fn from_key(key: Zeroizing<[u8; MASTER_KEY_LEN]>) -> Self {
        let wrap_key = kdf::hkdf_expand_32(&key, &[keys::WRAP_KEY_LABEL]);
        let id = keys::compute_key_id(&key);
        MasterKey { key, wrap_key, id }
    }

    pub fn generate() -> Result<Self, KeyError> {
        let mut bytes = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        getrandom::fill(bytes.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(MasterKey::from_key(bytes))
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
        Ok(MasterKey::from_key(bytes))
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
        let encoded = Zeroizing::new(hex::encode(self.key.as_ref()));
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
        &self.key
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

    #[test]
    fn sha256_hex_is_lowercase_sha256() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
