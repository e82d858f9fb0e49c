//! The tamper-evident audit chain: each entry's hash covers the previous hash and
//! the entry's canonical bytes, so altering, removing or reordering an entry breaks
//! every later link. Entries refer to subjects pseudonymously, so erasing a
//! subject's data leaves the chain verifiable.

use sha2::{Digest, Sha256};

/// The "previous hash" of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"custodia audit chain v1\0";

/// Lowercase hex SHA-256(`custodia audit chain v1\0` || 0x01 || previous hash as
/// 32 bytes || canonical entry).
///
/// `prev_hash_hex` is normally [`GENESIS_HASH`] or an earlier result of this
/// function (hex is case-insensitive). Anything that is not 64 hex characters is
/// still hashed, deterministically and distinctly, as 0x02 || u64be(length) ||
/// its bytes, so a corrupted link shows up as a mismatch when the chain is
/// verified rather than as an error here.
pub fn chain_hash(prev_hash_hex: &str, canonical_entry: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    let mut prev = [0u8; 32];
    if hex::decode_to_slice(prev_hash_hex, &mut prev).is_ok() {
        hasher.update([0x01]);
        hasher.update(prev);
    } else {
        hasher.update([0x02]);
        hasher.update((prev_hash_hex.len() as u64).to_be_bytes());
        hasher.update(prev_hash_hex.as_bytes());
    }
    hasher.update(canonical_entry);
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genesis_is_64_zeros() {
        assert_eq!(GENESIS_HASH.len(), 64);
        assert!(GENESIS_HASH.bytes().all(|b| b == b'0'));
    }

    #[test]
    fn deterministic_hex_and_documented() {
        let h = chain_hash(GENESIS_HASH, b"{\"action\":\"created\"}");
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(h, chain_hash(GENESIS_HASH, b"{\"action\":\"created\"}"));
        let expected = crate::sha256_hex(
            &[
                &b"custodia audit chain v1\0"[..],
                &[0x01],
                &[0u8; 32],
                b"{\"action\":\"created\"}",
            ]
            .concat(),
        );
        assert_eq!(h, expected);
        assert_eq!(chain_hash(&h.to_uppercase(), b"x"), chain_hash(&h, b"x"));
    }

    #[test]
    fn any_changed_byte_changes_the_hash() {
        let prev = chain_hash(GENESIS_HASH, b"first");
        let entry = b"{\"at\":\"2025-01-01T00:00:00Z\",\"subject\":\"p-1\"}".to_vec();
        let base = chain_hash(&prev, &entry);
        for i in 0..entry.len() {
            let mut changed = entry.clone();
            changed[i] ^= 0x01;
            assert_ne!(chain_hash(&prev, &changed), base, "entry byte {i}");
        }
        for i in 0..prev.len() {
            let mut changed = prev.clone().into_bytes();
            changed[i] = if changed[i] == b'0' { b'1' } else { b'0' };
            let changed = String::from_utf8(changed).unwrap();
            assert_ne!(chain_hash(&changed, &entry), base, "prev byte {i}");
        }
        assert_ne!(chain_hash(&prev, &entry[..entry.len() - 1]), base);
        let mut longer = entry.clone();
        longer.push(b' ');
        assert_ne!(chain_hash(&prev, &longer), base);
    }

    #[test]
    fn malformed_previous_hashes_do_not_collide() {
        let a = chain_hash("", b"entry");
        let b = chain_hash("e", b"ntry");
        assert_ne!(a, b);
        assert_ne!(chain_hash("zz", b"x"), chain_hash(GENESIS_HASH, b"x"));
        assert_ne!(
            chain_hash(&GENESIS_HASH[..62], b"x"),
            chain_hash(GENESIS_HASH, b"x")
        );
    }

    #[test]
    fn a_chain_detects_a_removed_entry() {
        let entries: [&[u8]; 3] = [b"one", b"two", b"three"];
        let mut hashes = vec![GENESIS_HASH.to_owned()];
        for e in entries {
            let next = chain_hash(hashes.last().unwrap(), e);
            hashes.push(next);
        }
        // Dropping "two": recomputing "three" on top of "one" no longer matches.
        assert_ne!(chain_hash(&hashes[1], b"three"), hashes[3]);
    }
}
