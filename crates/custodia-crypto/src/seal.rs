//! Sealing personal-data fields with a data key.
//!
//! A sealed value is `version (1) || nonce (24) || ciphertext || tag (16)`, made
//! with XChaCha20-Poly1305 and a fresh random 192-bit nonce (never a fixed or
//! counter nonce: random 192-bit nonces cannot realistically repeat). The AEAD's
//! associated data is the version byte followed by the caller's `aad`, normally
//! [`field_aad`], which ties the value to its subject and field so that a sealed
//! value copied to another subject or field does not open.

use chacha20poly1305::{AeadInOut, KeyInit, XChaCha20Poly1305};
use zeroize::Zeroizing;

use crate::{CryptoError, SecretKey, random_bytes};

/// Version byte of the sealed-value layout.
pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Bytes a sealed value adds to its plaintext.
pub const SEAL_OVERHEAD: usize = HEADER_LEN + TAG_LEN;

fn full_aad(aad: &[u8]) -> Vec<u8> {
    let mut full = Vec::with_capacity(1 + aad.len());
    full.push(SEAL_VERSION);
    full.extend_from_slice(aad);
    full
}

impl SecretKey {
    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.bytes().into())
    }

    /// Encrypts `plaintext` with XChaCha20-Poly1305 and a random 24-byte nonce,
    /// authenticating `aad`. Layout: 1 version byte, nonce, ciphertext and tag.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let nonce = random_bytes::<NONCE_LEN>()?;
        // Exact capacity: the buffer never reallocates, so no copy of the
        // plaintext is left behind in freed memory.
        let mut out = Vec::with_capacity(SEAL_OVERHEAD + plaintext.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(nonce.as_ref());
        out.extend_from_slice(plaintext);
        let tag = self
            .cipher()
            .encrypt_inout_detached(
                (&*nonce).into(),
                &full_aad(aad),
                (&mut out[HEADER_LEN..]).into(),
            )
            .map_err(|_| CryptoError::Seal)?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Decrypts a value made by [`SecretKey::seal`] with the same key and `aad`.
    /// Any other key or `aad`, an altered byte or a truncated value gives
    /// [`CryptoError::Open`]. The plaintext is wiped when the result is dropped.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (&[version], rest) = sealed.split_first_chunk::<1>().ok_or(CryptoError::Open)?;
        if version != SEAL_VERSION {
            return Err(CryptoError::Open);
        }
        let (nonce, rest) = rest
            .split_first_chunk::<NONCE_LEN>()
            .ok_or(CryptoError::Open)?;
        let (ciphertext, tag) = rest
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::Open)?;
        let mut plaintext = Zeroizing::new(ciphertext.to_vec());
        self.cipher()
            .decrypt_inout_detached(
                nonce.into(),
                &full_aad(aad),
                plaintext.as_mut_slice().into(),
                tag.into(),
            )
            .map_err(|_| CryptoError::Open)?;
        Ok(plaintext)
    }
}

/// Associated data binding a sealed field to its subject and field name:
/// `u64be(len(subject_id)) || subject_id || u64be(len(field)) || field`, so no two
/// different pairs encode to the same bytes.
pub fn field_aad(subject_id: &str, field: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(16 + subject_id.len() + field.len());
    for part in [subject_id, field] {
        aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::generate().unwrap()
    }

    #[test]
    fn seal_round_trips_including_empty_and_large_values() {
        let key = key();
        let aad = field_aad("subject-1", "email");
        for plaintext in [&b""[..], b"alice@example.org", &[0xAB; 4096][..]] {
            let sealed = key.seal(plaintext, &aad).unwrap();
            assert_eq!(sealed.len(), plaintext.len() + SEAL_OVERHEAD);
            assert_eq!(sealed[0], SEAL_VERSION);
            assert_eq!(&key.open(&sealed, &aad).unwrap()[..], plaintext);
        }
    }

    #[test]
    fn ciphertext_does_not_contain_the_plaintext_and_nonces_differ() {
        let key = key();
        let plaintext = b"+33612345678 is a phone number";
        let a = key.seal(plaintext, b"aad").unwrap();
        let b = key.seal(plaintext, b"aad").unwrap();
        assert_ne!(a[1..HEADER_LEN], b[1..HEADER_LEN], "nonces must differ");
        assert_ne!(a, b);
        assert!(!a.windows(plaintext.len()).any(|w| w == plaintext));
    }

    #[test]
    fn wrong_key_or_aad_fails() {
        let key = key();
        let sealed = key.seal(b"secret", &field_aad("s1", "email")).unwrap();
        assert!(matches!(
            key.open(&sealed, &field_aad("s2", "email")),
            Err(CryptoError::Open)
        ));
        assert!(matches!(
            key.open(&sealed, &field_aad("s1", "phone")),
            Err(CryptoError::Open)
        ));
        assert!(matches!(
            self::key().open(&sealed, &field_aad("s1", "email")),
            Err(CryptoError::Open)
        ));
    }

    #[test]
    fn every_tampered_byte_and_every_truncation_fails() {
        let key = key();
        let aad = field_aad("s1", "name");
        let sealed = key.seal(b"Ada Lovelace", &aad).unwrap();
        for i in 0..sealed.len() {
            for bit in [0x01u8, 0x80] {
                let mut tampered = sealed.clone();
                tampered[i] ^= bit;
                assert!(
                    matches!(key.open(&tampered, &aad), Err(CryptoError::Open)),
                    "byte {i}"
                );
            }
        }
        for len in 0..sealed.len() {
            assert!(matches!(
                key.open(&sealed[..len], &aad),
                Err(CryptoError::Open)
            ));
        }
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(key.open(&longer, &aad).is_err());
    }

    #[test]
    fn field_aad_is_unambiguous() {
        assert_ne!(field_aad("ab", "c"), field_aad("a", "bc"));
        assert_ne!(field_aad("", "ab"), field_aad("ab", ""));
        assert_eq!(
            field_aad("s", "f"),
            [
                &[0, 0, 0, 0, 0, 0, 0, 1][..],
                b"s",
                &[0, 0, 0, 0, 0, 0, 0, 1],
                b"f"
            ]
            .concat()
        );
    }
}
