//! Audit entries as auditors read them.

use custodia_core::vault::AuditEntry as Stored;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// One entry of the audit log; it names subjects by their random id only.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Unique, increasing along each chain; the log is listed by it. Numbers are
    /// consecutive on SQLite; on PostgreSQL a number taken by a write that did not
    /// commit is skipped.
    seq: i64,
    /// The chain the entry links into: one per instance writing at once (0 for the
    /// first, and the only one on SQLite).
    chain: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
    /// `user:<id>`, `apikey:<id>`, `system`, or `anonymous`.
    principal: String,
    #[schema(example = "subject.read")]
    action: String,
    /// The subject's random id, when one is concerned.
    subject_ref: Option<String>,
    /// Register category ids touched.
    categories: Vec<String>,
    purpose: Option<String>,
    /// `ok`, `denied`, `unauthenticated`, `not_found`, `invalid`...
    outcome: String,
    detail: Option<String>,
    /// The link of the previous entry of the same chain (hex).
    prev_hash: String,
    /// This entry's link: a keyed MAC over `prev_hash` and the entry (hex).
    hash: String,
}

impl From<Stored> for AuditEntry {
    fn from(e: Stored) -> AuditEntry {
        AuditEntry {
            seq: e.seq,
            chain: e.chain,
            at: e.at,
            principal: e.principal,
            action: e.action,
            subject_ref: e.subject_ref,
            categories: e.categories,
            purpose: e.purpose,
            outcome: e.outcome,
            detail: e.detail,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}
