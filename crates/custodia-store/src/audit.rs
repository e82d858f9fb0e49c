//! The audit log: append-only, each entry carrying the hash of the one before.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One audit entry as stored. `hash` = SHA-256 over `prev_hash` and the entry's
/// canonical form (see custodia-crypto); the store only keeps what it is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Unique and increasing along each chain; 1, 2, 3... without gaps where one
    /// chain takes every number (SQLite); with several chains (PostgreSQL) a shared
    /// sequence numbers them, and a number taken by a batch that rolled back is skipped.
    pub seq: i64,
    /// The chain the entry links into: each writing instance appends to a chain of
    /// its own, so instances never wait for each other's head (0: the first chain,
    /// and the only one on SQLite).
    #[serde(default)]
    pub chain: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `user:<id>`, `apikey:<id>`, `system`, or `anonymous`.
    pub principal: String,
    /// What was done: `subject.read`, `subject.create`, `auth.login`...
    pub action: String,
    /// Pseudonymous subject reference (the subject's random id), when one is concerned.
    pub subject_ref: Option<String>,
    /// Register category ids touched.
    pub categories: Vec<String>,
    /// Register purpose id, when the action serves one.
    pub purpose: Option<String>,
    /// `ok`, `denied`, `unauthenticated`, `not_found`, `invalid`.
    pub outcome: String,
    /// Short free text without personal data (a role name, a key id).
    pub detail: Option<String>,
    /// The link of the previous entry of the same chain (64 zeros for a chain's first).
    pub prev_hash: String,
    pub hash: String,
}

/// Which entries to list; every bound is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub subject_ref: Option<String>,
    pub principal: Option<String>,
    /// An `AuditAction` name (`audit.verify`).
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Only entries with `seq` greater than this (paging).
    pub after_seq: Option<i64>,
    /// Only entries of this chain: paging one chain by `after_seq` misses nothing,
    /// since a chain's entries commit in `seq` order.
    pub chain: Option<i32>,
    /// At most this many, ascending by `seq` (descending with `newest_first`).
    pub limit: u32,
    /// The latest entries first: `limit` 1 reads the last matching entry.
    pub newest_first: bool,
}

/// A signed statement, kept outside the data database (in the key store), that the
/// audit log held `seq` entries ending with the link `head`. A log that ends before
/// the latest checkpoint, or disagrees with it, was cut or rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheckpoint {
    /// The chain whose head this is (0: the first chain).
    #[serde(default)]
    pub chain: i32,
    pub seq: i64,
    pub head: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The first entry with a keyed link; those before it (written by versions
    /// without keyed links) carry unkeyed SHA-256 links.
    pub keyed_from: i64,
    /// Ed25519 over the four fields above (see custodia-crypto).
    #[serde(with = "hex_bytes")]
    pub signature: Vec<u8>,
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        hex::decode(text).map_err(serde::de::Error::custom)
    }
}
