//! Subjects as stores see them: metadata, sealed fields and blind indexes. No value
//! here is plaintext personal data: fields are AEAD ciphertext under the subject's
//! data key, indexes are keyed HMACs.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A data subject's metadata row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectRecord {
    /// Random UUID, also the audit log's pseudonymous reference.
    pub id: String,
    /// A subject kind id from the register.
    pub kind: String,
    /// `adult`, `child` (below the age of digital consent) or `unknown`.
    pub age_status: String,
    /// When a parent's consent was recorded for a child.
    #[serde(with = "time::serde::rfc3339::option")]
    pub parental_consent_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Set once the subject is erased; the row stays so erasure can be proven.
    #[serde(with = "time::serde::rfc3339::option")]
    pub erased_at: Option<OffsetDateTime>,
}

/// One personal-data field, sealed with the subject's data key; `category` is a
/// register category id and part of the AEAD's associated data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedField {
    pub category: String,
    pub sealed: Vec<u8>,
}

/// A keyed blind index of a normalised value (`email`, `phone`, `login`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub kind: String,
    pub digest: Vec<u8>,
}

/// A lifecycle event: `collected`, `last_contact`, `account_opened`... or a custom
/// event of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectEvent {
    pub event: String,
    /// When it happened (may be in the past).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// When Custodia was told.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// A hand-over of a subject's data to a recipient of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub id: String,
    pub subject_id: String,
    pub recipient: String,
    pub categories: Vec<String>,
    pub purpose: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Principal that recorded it (`user:<id>` or `apikey:<id>`).
    pub recorded_by: String,
}

/// Everything a store holds about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSubject {
    pub record: SubjectRecord,
    /// Sorted by category.
    pub fields: Vec<SealedField>,
    /// Sorted by `at`, then `event`.
    pub events: Vec<SubjectEvent>,
    /// Sorted by `at`, then `id`.
    pub disclosures: Vec<Disclosure>,
}
