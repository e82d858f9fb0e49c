//! Data keys and system keys, and their wrapping by the master key.
//!
//! A wrapped key is `version (1) || master key id (8) || nonce (12) || ciphertext (32)
//! || tag (16)` = 69 bytes. The cipher is AES-256-GCM-SIV (misuse-resistant, so even
//! a repeated random nonce leaks only equality) under a wrapping key derived from
//! the master key by HKDF-Expand (label `custodia key wrap v1`). The associated data
//! is the 9-byte header followed by the caller's `context`, so the version, the key
//! id and the context are all authenticated.

use aes_gcm_siv::aead::AeadInOut;
use aes_gcm_siv::{Aes256GcmSiv, KeyInit};
use zeroize::Zeroizing;

use crate::{CryptoError, MasterKey, kdf, random_bytes};

pub(crate) const WRAP_KEY_LABEL: &[u8] = b"custodia key wrap v1";
const KEY_ID_LABEL: &[u8] = b"custodia key id v1";

/// Version byte of the wrapped-key layout.
pub const WRAP_VERSION: u8 = 1;
const KEY_ID_LEN: usize = 8;
const WRAP_NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const WRAP_HEADER_LEN: usize = 1 + KEY_ID_LEN;
/// Length of a wrapped [`SecretKey`].
pub const WRAPPED_KEY_LEN: usize = WRAP_HEADER_LEN + WRAP_NONCE_LEN + SECRET_KEY_LEN + TAG_LEN;
/// Length of a [`SecretKey`] in bytes (256 bits).
pub const SECRET_KEY_LEN: usize = 32;

/// A 256-bit key: a subject's data key (DEK) or one of Custodia's system keys.
/// Wiped on drop; `Debug` prints `SecretKey(..)`; deliberately not `Clone`.
pub struct SecretKey(pub(crate) Zeroizing<[u8; SECRET_KEY_LEN]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(SecretKey(random_bytes::<SECRET_KEY_LEN>()?))
    }

    pub(crate) fn bytes(&self) -> &[u8; SECRET_KEY_LEN] {
        &self.0
    }
}

pub(crate) fn compute_key_id(master: &[u8; 32]) -> [u8; KEY_ID_LEN] {
    let mac = kdf::hmac_sha256(master, &[KEY_ID_LABEL]);
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&mac[..KEY_ID_LEN]);
    id
}

fn wrap_aad(header: &[u8; WRAP_HEADER_LEN], context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(WRAP_HEADER_LEN + context.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(context);
    aad
}

impl MasterKey {
    fn wrap_cipher(&self) -> Aes256GcmSiv {
        Aes256GcmSiv::new((&*self.wrap_key).into())
    }

    /// Wraps a key with AES-256-GCM-SIV under the master key; `context` (e.g. the
    /// subject id, or `system:blind_index`) is bound as associated data.
    ///
    /// Output layout: 1 version byte, 8-byte key id (see [`MasterKey::key_id`]),
    /// 12-byte random nonce, ciphertext and tag ([`WRAPPED_KEY_LEN`] bytes in all).
    pub fn wrap(&self, key: &SecretKey, context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut header = [0u8; WRAP_HEADER_LEN];
        header[0] = WRAP_VERSION;
        header[1..].copy_from_slice(&self.id);
        let nonce = random_bytes::<WRAP_NONCE_LEN>()?;

        let mut out = Vec::with_capacity(WRAPPED_KEY_LEN);
        out.extend_from_slice(&header);
        out.extend_from_slice(nonce.as_ref());
        out.extend_from_slice(key.bytes());
        let body_start = WRAP_HEADER_LEN + WRAP_NONCE_LEN;
        let tag = self
            .wrap_cipher()
            .encrypt_inout_detached(
                (&*nonce).into(),
                &wrap_aad(&header, context),
                (&mut out[body_start..]).into(),
            )
            .map_err(|_| CryptoError::Seal)?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Unwraps a key made by [`MasterKey::wrap`] with the same master key and
    /// context. A wrong master key, a wrong context, a truncated blob or any altered
    /// byte gives [`CryptoError::Unwrap`].
    pub fn unwrap(&self, wrapped: &[u8], context: &[u8]) -> Result<SecretKey, CryptoError> {
        if wrapped.len() != WRAPPED_KEY_LEN {
            return Err(CryptoError::Unwrap);
        }
        let (header, rest) = wrapped
            .split_first_chunk::<WRAP_HEADER_LEN>()
            .ok_or(CryptoError::Unwrap)?;
        if header[0] != WRAP_VERSION || header[1..] != self.id {
            return Err(CryptoError::Unwrap);
        }
        let (nonce, rest) = rest
            .split_first_chunk::<WRAP_NONCE_LEN>()
            .ok_or(CryptoError::Unwrap)?;
        let (ciphertext, tag) = rest
            .split_first_chunk::<SECRET_KEY_LEN>()
            .ok_or(CryptoError::Unwrap)?;
        let tag: &[u8; TAG_LEN] = tag.try_into().map_err(|_| CryptoError::Unwrap)?;

        let mut key = Zeroizing::new(*ciphertext);
        self.wrap_cipher()
            .decrypt_inout_detached(
                nonce.into(),
                &wrap_aad(header, context),
                key.as_mut_slice().into(),
                tag.into(),
            )
            .map_err(|_| CryptoError::Unwrap)?;
        Ok(SecretKey(key))
    }

    /// 8 bytes identifying this master key: HMAC-SHA256(master, "custodia key id
    /// v1")[..8]. Not secret; lets key rotation tell which master key wrapped a blob.
    pub fn key_id(&self) -> [u8; 8] {
        self.id
    }

    /// [`MasterKey::key_id`] as 16 lowercase hexadecimal characters.
    pub fn key_id_hex(&self) -> String {
        hex::encode(self.id)
    }
}

/// The id of the master key that wrapped `wrapped` (see [`MasterKey::key_id`]), or
/// `None` when it is not a wrapped key of a known layout version.
pub fn wrapped_key_id(wrapped: &[u8]) -> Option<[u8; 8]> {
    if wrapped.len() != WRAPPED_KEY_LEN || wrapped.first() != Some(&WRAP_VERSION) {
        return None;
    }
    wrapped.get(1..WRAP_HEADER_LEN)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterKey {
        MasterKey::generate().unwrap()
    }

    #[test]
    fn wrap_round_trips_and_has_the_documented_layout() {
        let master = master();
        let key = SecretKey::generate().unwrap();
        let wrapped = master.wrap(&key, b"subject-42").unwrap();
        assert_eq!(wrapped.len(), WRAPPED_KEY_LEN);
        assert_eq!(wrapped.len(), 1 + 8 + 12 + 32 + 16);
        assert_eq!(wrapped[0], WRAP_VERSION);
        assert_eq!(wrapped[1..9], master.key_id());
        assert!(!wrapped.windows(32).any(|w| w == key.bytes()));
        let unwrapped = master.unwrap(&wrapped, b"subject-42").unwrap();
        assert_eq!(unwrapped.bytes(), key.bytes());
    }

    #[test]
    fn two_wraps_of_the_same_key_differ() {
        let master = master();
        let key = SecretKey::generate().unwrap();
        let a = master.wrap(&key, b"s").unwrap();
        let b = master.wrap(&key, b"s").unwrap();
        assert_ne!(a, b);
        assert_ne!(a[9..21], b[9..21]);
    }

    #[test]
    fn wrong_master_key_or_context_fails() {
        let master = master();
        let key = SecretKey::generate().unwrap();
        let wrapped = master.wrap(&key, b"subject-42").unwrap();
        assert!(matches!(
            master.unwrap(&wrapped, b"subject-43"),
            Err(CryptoError::Unwrap)
        ));
        assert!(matches!(
            master.unwrap(&wrapped, b""),
            Err(CryptoError::Unwrap)
        ));
        let other = MasterKey::generate().unwrap();
        assert!(matches!(
            other.unwrap(&wrapped, b"subject-42"),
            Err(CryptoError::Unwrap)
        ));
        // Even with the key id forged to the other key's, the tag does not verify.
        let mut forged = wrapped.clone();
        forged[1..9].copy_from_slice(&other.key_id());
        assert!(matches!(
            other.unwrap(&forged, b"subject-42"),
            Err(CryptoError::Unwrap)
        ));
    }

    #[test]
    fn every_tampered_byte_and_every_truncation_fails() {
        let master = master();
        let key = SecretKey::generate().unwrap();
        let wrapped = master.wrap(&key, b"system:blind_index").unwrap();
        for i in 0..wrapped.len() {
            let mut tampered = wrapped.clone();
            tampered[i] ^= 0x01;
            assert!(
                matches!(
                    master.unwrap(&tampered, b"system:blind_index"),
                    Err(CryptoError::Unwrap)
                ),
                "byte {i}"
            );
        }
        for len in 0..wrapped.len() {
            assert!(
                master
                    .unwrap(&wrapped[..len], b"system:blind_index")
                    .is_err()
            );
        }
        let mut longer = wrapped.clone();
        longer.push(0);
        assert!(master.unwrap(&longer, b"system:blind_index").is_err());
    }

    #[test]
    fn key_id_is_stable_and_matches_the_wrapped_blob() {
        let text = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let a = MasterKey::from_hex("test", text).unwrap();
        let b = MasterKey::from_hex("test", text).unwrap();
        assert_eq!(a.key_id(), b.key_id());
        assert_eq!(a.key_id_hex(), hex::encode(a.key_id()));
        assert_eq!(a.key_id_hex().len(), 16);
        // HMAC-SHA256(master, "custodia key id v1")[..8], computed independently.
        use hmac::{KeyInit, Mac};
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(a.bytes()).unwrap();
        mac.update(b"custodia key id v1");
        assert_eq!(a.key_id()[..], mac.finalize().into_bytes()[..8]);

        let other = master();
        assert_ne!(a.key_id(), other.key_id());
        let wrapped = a.wrap(&SecretKey::generate().unwrap(), b"s").unwrap();
        assert_eq!(wrapped_key_id(&wrapped), Some(a.key_id()));
        assert_eq!(wrapped_key_id(&wrapped[..20]), None);
        let mut future = wrapped.clone();
        future[0] = 2;
        assert_eq!(wrapped_key_id(&future), None);
    }

    #[test]
    fn rewrap_under_a_new_master_key() {
        let old = master();
        let new = master();
        let key = SecretKey::generate().unwrap();
        let wrapped = old.wrap(&key, b"s").unwrap();
        let rewrapped = new
            .wrap(&old.unwrap(&wrapped, b"s").unwrap(), b"s")
            .unwrap();
        assert_eq!(wrapped_key_id(&rewrapped), Some(new.key_id()));
        assert_eq!(new.unwrap(&rewrapped, b"s").unwrap().bytes(), key.bytes());
    }

    #[test]
    fn debug_hides_the_key() {
        let key = SecretKey::generate().unwrap();
        assert_eq!(format!("{key:?}"), "SecretKey(..)");
    }
}
