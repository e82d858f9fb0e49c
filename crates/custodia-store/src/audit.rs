//! The audit log: append-only, each entry carrying the hash of the one before.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One audit entry as stored. `hash` = SHA-256 over `prev_hash` and the entry's
/// canonical form (see custodia-crypto); the store only keeps what it is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3... without gaps.
    pub seq: i64,
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
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    pub hash: String,
}

/// Which entries to list; every bound is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub subject_ref: Option<String>,
    pub principal: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Only entries with `seq` greater than this (paging).
    pub after_seq: Option<i64>,
    /// At most this many, ascending by `seq`.
    pub limit: u32,
}
