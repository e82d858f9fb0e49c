//! Writes are applied in batches: one transaction for many requests, so that
//! concurrent writers share one durable commit.

use crate::audit::AuditEntry;
use crate::consent::{ConsentRecord, VisitorLink};
use crate::staff::{ApiKey, Session, StaffUser};
use crate::vault::{Disclosure, IndexEntry, SealedField, SubjectEvent, SubjectRecord};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    CreateSubject {
        subject: SubjectRecord,
        fields: Vec<SealedField>,
        indexes: Vec<IndexEntry>,
    },
    /// Upserts `set`, deletes `remove`; when `indexes` is Some, the subject's index
    /// entries of each kind listed there are replaced by those given (an empty digest
    /// list for a kind removes it: see `index_kinds`).
    UpdateSubject {
        subject_id: String,
        kind: Option<String>,
        set: Vec<SealedField>,
        remove: Vec<String>,
        index_kinds: Vec<String>,
        indexes: Vec<IndexEntry>,
        updated_at: OffsetDateTime,
    },
    SetAge {
        subject_id: String,
        age_status: String,
        parental_consent_at: Option<OffsetDateTime>,
        updated_at: OffsetDateTime,
    },
    AddEvent {
        subject_id: String,
        event: SubjectEvent,
    },
    AddDisclosure(Disclosure),
    /// Deletes fields, indexes and events; keeps the subject row with `erased_at`
    /// and its disclosures (Art. 19 notifications need them).
    EraseSubject {
        subject_id: String,
        erased_at: OffsetDateTime,
    },
    CreateUser(StaffUser),
    SetUserDisabled {
        user_id: String,
        disabled_at: Option<OffsetDateTime>,
    },
    SetUserPassword {
        user_id: String,
        password_hash: String,
    },
    CreateSession(Session),
    DeleteSession {
        token_hash: Vec<u8>,
    },
    /// Deletes every session of the user (on disabling).
    DeleteUserSessions {
        user_id: String,
    },
    CreateApiKey(ApiKey),
    RevokeApiKey {
        id: String,
        revoked_at: OffsetDateTime,
    },
    /// Appends consent records; a record naming a subject that does not exist is
    /// [`crate::StoreError::Invalid`].
    RecordConsent(ConsentRecord),
    /// Links a visitor to a subject, replacing an earlier link of that visitor (a
    /// shared browser signed in as someone else).
    LinkVisitor(VisitorLink),
}

/// A batch: writes and the audit entries that record them, committed together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub writes: Vec<Write>,
    /// Consecutive `seq` numbers continuing the log; the first entry's `prev_hash`
    /// must be the current head's hash, else [`crate::StoreError::AuditHeadMoved`].
    pub audit: Vec<AuditEntry>,
}
