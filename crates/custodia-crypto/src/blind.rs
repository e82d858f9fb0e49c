//! Blind indexes: keyed digests of normalised values, so that stores can find a
//! subject by e-mail, phone or login without holding those values in clear.
//!
//! The system key (stored wrapped under the master key, context
//! `system:blind_index`) goes through HKDF-Extract with the salt
//! `custodia blind index v1`; each kind (`email`, `phone`, `login`...) then gets its
//! own subkey by HKDF-Expand with info `u64be(len(kind)) || kind`, and the index is
//! HMAC-SHA256(subkey, normalized). Equal values of different kinds thus give
//! unrelated digests, and the index says nothing about the value without the key.

use crate::kdf;
use crate::keys::SecretKey;

const EXTRACT_SALT: &[u8] = b"custodia blind index v1";

/// The key of blind indexes. Holds the HKDF pseudo-random key derived from the
/// system key, never the system key itself; `Debug` prints `BlindIndexKey(..)`.
pub struct BlindIndexKey(SecretKey);

impl std::fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndexKey(..)")
    }
}

impl BlindIndexKey {
    pub fn new(key: SecretKey) -> Self {
        BlindIndexKey(SecretKey(kdf::hkdf_extract(EXTRACT_SALT, key.bytes())))
    }

    /// The blind index of a value of the given kind. `normalized` must already be
    /// in normal form (see [`crate::normalize`]), or equal values will not match.
    pub fn digest(&self, kind: &str, normalized: &str) -> [u8; 32] {
        let len = (kind.len() as u64).to_be_bytes();
        let subkey = kdf::hkdf_expand_32(self.0.bytes(), &[&len, kind.as_bytes()]);
        kdf::hmac_sha256(&subkey, &[normalized.as_bytes()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed_key(byte: u8) -> SecretKey {
        SecretKey(zeroize::Zeroizing::new([byte; 32]))
    }

    #[test]
    fn deterministic_for_one_key_and_kind() {
        let a = BlindIndexKey::new(fixed_key(7));
        let b = BlindIndexKey::new(fixed_key(7));
        assert_eq!(
            a.digest("email", "alice@example.org"),
            b.digest("email", "alice@example.org")
        );
    }

    #[test]
    fn separated_by_key_kind_and_value() {
        let key = BlindIndexKey::new(fixed_key(7));
        let base = key.digest("email", "alice@example.org");
        assert_ne!(base, key.digest("login", "alice@example.org"));
        assert_ne!(base, key.digest("email", "alice@example.com"));
        assert_ne!(
            base,
            BlindIndexKey::new(fixed_key(8)).digest("email", "alice@example.org")
        );
        // The kind is length-prefixed: no shifting of bytes between kind and value.
        assert_ne!(key.digest("ab", "c"), key.digest("a", "bc"));
    }

    #[test]
    fn is_not_a_plain_hash_and_debug_hides_the_key() {
        let key = BlindIndexKey::new(fixed_key(7));
        let digest = key.digest("email", "alice@example.org");
        assert_ne!(hex::encode(digest), crate::sha256_hex(b"alice@example.org"));
        assert_eq!(format!("{key:?}"), "BlindIndexKey(..)");
    }

    #[test]
    fn matches_the_documented_construction() {
        let system = [9u8; 32];
        let (_, hk) =
            hkdf::Hkdf::<sha2::Sha256>::extract(Some(b"custodia blind index v1"), &system);
        let mut subkey = [0u8; 32];
        hk.expand(&[&5u64.to_be_bytes()[..], b"phone"].concat(), &mut subkey)
            .unwrap();
        use hmac::{KeyInit, Mac};
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&subkey).unwrap();
        mac.update(b"+33612345678");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(
            BlindIndexKey::new(fixed_key(9)).digest("phone", "+33612345678"),
            expected
        );
    }
}
