//! The tamper-evident audit chain: each entry's link covers the previous link and
//! the entry's canonical bytes, so altering, removing or reordering an entry breaks
//! every later link. Entries refer to subjects pseudonymously, so erasing a
//! subject's data leaves the chain verifiable.
//!
//! Links are an HMAC under a key of the key store ([`AuditKey::link`]), so whoever
//! holds the database alone cannot recompute them after an edit. Signed checkpoints
//! of `(seq, head)` ([`AuditKey::sign_checkpoint`]), kept outside the data database
//! and optionally by a witness, show when the log was cut short. [`chain_hash`], the
//! unkeyed SHA-256 link, remains for entries written before keyed links existed.

use crate::SecretKey;
use crate::kdf::hkdf_expand_32;
use ed25519_dalek::Signer;
use hmac::{Hmac, Mac};
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
    feed_link(&mut hasher, prev_hash_hex, canonical_entry);
    hex::encode(hasher.finalize())
}

const MAC_LABEL: &[u8] = b"custodia audit chain mac v2";
const SIGNING_LABEL: &[u8] = b"custodia audit checkpoint signing v1";
const CHECKPOINT_DOMAIN: &[u8] = b"custodia audit checkpoint v1\0";

/// The audit log's keys, both derived from one system key of the key store (wrapped
/// by the master key, rewrapped when it rotates): an HMAC-SHA256 key for the links
/// and an Ed25519 key for checkpoints.
pub struct AuditKey {
    /// Keyed once; each link clones this state instead of re-keying.
    mac: Hmac<Sha256>,
    signing: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// What a checkpoint states: the log held `seq` entries, the last one's link being
/// `head`, at `at_micros` (Unix microseconds); entries from `keyed_from` on carry
/// keyed links, those before it unkeyed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointClaim<'a> {
    /// The audit chain (0: the first; signed only when another, so checkpoints of
    /// the first chain read as before chains).
    pub chain: i32,
    pub seq: i64,
    pub head: &'a str,
    pub at_micros: i64,
    pub keyed_from: i64,
}

impl CheckpointClaim<'_> {
    /// The signed bytes: a domain, then every field at a fixed width (the head as
    /// text, so a malformed one is still covered exactly).
    fn message(&self) -> Vec<u8> {
        let mut m = Vec::with_capacity(CHECKPOINT_DOMAIN.len() + 32 + self.head.len());
        m.extend_from_slice(CHECKPOINT_DOMAIN);
        m.extend_from_slice(&self.seq.to_be_bytes());
        m.extend_from_slice(&self.at_micros.to_be_bytes());
        m.extend_from_slice(&self.keyed_from.to_be_bytes());
        m.extend_from_slice(&(self.head.len() as u64).to_be_bytes());
        m.extend_from_slice(self.head.as_bytes());
        if self.chain != 0 {
            m.extend_from_slice(&self.chain.to_be_bytes());
        }
        m
    }
}

impl AuditKey {
    pub fn new(secret: &SecretKey) -> AuditKey {
        let mac_key = hkdf_expand_32(&secret.0, &[MAC_LABEL]);
        let seed = hkdf_expand_32(&secret.0, &[SIGNING_LABEL]);
        AuditKey {
            mac: crate::kdf::hmac_with_key(&mac_key),
            signing: ed25519_dalek::SigningKey::from_bytes(&seed),
        }
    }

    /// Lowercase hex HMAC-SHA256 over the same input as [`chain_hash`]: domain,
    /// previous link, canonical entry.
    pub fn link(&self, prev_hash_hex: &str, canonical_entry: &[u8]) -> String {
        let mut mac = self.mac.clone();
        feed_link(&mut mac, prev_hash_hex, canonical_entry);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Ed25519 signature of the claim (64 bytes).
    pub fn sign_checkpoint(&self, claim: &CheckpointClaim<'_>) -> Vec<u8> {
        self.signing.sign(&claim.message()).to_bytes().to_vec()
    }

    /// The public half, which is all a witness needs to check checkpoints.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }
}

/// Whether `signature` is `public_key`'s signature of `claim`.
pub fn checkpoint_signature_valid(
    public_key: &[u8; 32],
    claim: &CheckpointClaim<'_>,
    signature: &[u8],
) -> bool {
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    key.verify_strict(&claim.message(), &signature).is_ok()
}

/// The link's input, shared by the keyed and the unkeyed form.
fn feed_link(out: &mut impl sha2::digest::Update, prev_hash_hex: &str, canonical_entry: &[u8]) {
    out.update(DOMAIN);
    let mut prev = [0u8; 32];
    if hex::decode_to_slice(prev_hash_hex, &mut prev).is_ok() {
        out.update(&[0x01]);
        out.update(&prev);
    } else {
        out.update(&[0x02]);
        out.update(&(prev_hash_hex.len() as u64).to_be_bytes());
        out.update(prev_hash_hex.as_bytes());
    }
    out.update(canonical_entry);
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

    #[test]
    fn keyed_links_need_the_key() {
        let a = AuditKey::new(&SecretKey::generate().unwrap());
        let b = AuditKey::new(&SecretKey::generate().unwrap());
        let link = a.link(GENESIS_HASH, b"entry");
        assert_eq!(link.len(), 64);
        assert_eq!(link, a.link(GENESIS_HASH, b"entry"));
        // Neither the unkeyed hash nor another key gives the same link.
        assert_ne!(link, chain_hash(GENESIS_HASH, b"entry"));
        assert_ne!(link, b.link(GENESIS_HASH, b"entry"));
        assert_ne!(link, a.link(GENESIS_HASH, b"entrz"));
        assert_ne!(link, a.link(&link, b"entry"));
    }

    #[test]
    fn checkpoints_verify_with_the_public_key_only() {
        let key = AuditKey::new(&SecretKey::generate().unwrap());
        let head = chain_hash(GENESIS_HASH, b"x");
        let claim = CheckpointClaim {
            chain: 0,
            seq: 42,
            head: &head,
            at_micros: 1_700_000_000_000_000,
            keyed_from: 7,
        };
        let signature = key.sign_checkpoint(&claim);
        assert_eq!(signature.len(), 64);
        let public = key.public_key();
        assert!(checkpoint_signature_valid(&public, &claim, &signature));
        for changed in [
            CheckpointClaim { seq: 41, ..claim },
            CheckpointClaim { chain: 1, ..claim },
            CheckpointClaim {
                at_micros: 1,
                ..claim
            },
            CheckpointClaim {
                keyed_from: 1,
                ..claim
            },
            CheckpointClaim {
                head: GENESIS_HASH,
                ..claim
            },
        ] {
            assert!(!checkpoint_signature_valid(&public, &changed, &signature));
        }
        let other = AuditKey::new(&SecretKey::generate().unwrap());
        assert!(!checkpoint_signature_valid(
            &other.public_key(),
            &claim,
            &signature
        ));
        assert!(!checkpoint_signature_valid(
            &public,
            &claim,
            &signature[..63]
        ));
    }
}
