//! Writes are applied in batches: one transaction for many requests, so that
//! concurrent writers share one durable commit.

use crate::audit::AuditEntry;
use crate::breach::{BreachEvent, BreachRow};
use crate::consent::{ConsentRecord, VisitorLink};
use crate::retention::{LegalHold, RetentionCount, RetentionStepDone};
use crate::rights::{
    DownloadRow, OppositionEntry, OutboxItem, RequestDocument, Restriction, RightsRequestRow,
};
use crate::staff::{AccessReview, ApiKey, CredentialUse, SecondFactor, Session, StaffUser};
use crate::vault::{Disclosure, IndexEntry, SealedField, SubjectEvent, SubjectRecord};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Serialisable for the change feed ([`crate::feed`]), where other instances read
/// the writes they must follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        #[serde(with = "time::serde::rfc3339")]
        updated_at: OffsetDateTime,
    },
    SetAge {
        subject_id: String,
        age_status: String,
        #[serde(with = "time::serde::rfc3339::option")]
        parental_consent_at: Option<OffsetDateTime>,
        #[serde(with = "time::serde::rfc3339")]
        updated_at: OffsetDateTime,
    },
    AddEvent {
        subject_id: String,
        event: SubjectEvent,
    },
    AddDisclosure(Disclosure),
    /// Deletes fields, indexes, events, any restriction of processing and retention
    /// progress; keeps the subject row with `erased_at` and its disclosures (Art. 19
    /// notifications need them).
    EraseSubject {
        subject_id: String,
        #[serde(with = "time::serde::rfc3339")]
        erased_at: OffsetDateTime,
    },
    CreateUser(StaffUser),
    SetUserDisabled {
        user_id: String,
        #[serde(with = "time::serde::rfc3339::option")]
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
    /// With `expected_version` None, stores the factor, replacing the user's earlier
    /// one if any (a new enrolment). With `Some(v)`, replaces it only if its stored
    /// version is `v`: a lost race (a code or recovery code used meanwhile, the
    /// factor removed) is [`crate::StoreError::VersionConflict`] and the batch writes
    /// nothing, so each code is accepted once. A missing user is
    /// [`crate::StoreError::Invalid`].
    PutSecondFactor {
        factor: SecondFactor,
        expected_version: Option<i64>,
    },
    /// Removes the user's second factor; a missing one is no error.
    DeleteSecondFactor {
        user_id: String,
    },
    RevokeApiKey {
        id: String,
        #[serde(with = "time::serde::rfc3339")]
        revoked_at: OffsetDateTime,
    },
    /// Records credential uses, keeping per principal the latest `at` (an earlier
    /// one than stored changes nothing). Principals need not exist (a key deleted
    /// meanwhile is no error).
    TouchCredentials(Vec<CredentialUse>),
    /// Inserts an access review; its id must not exist.
    RecordAccessReview(AccessReview),
    /// Appends consent records; a record naming a subject that does not exist is
    /// [`crate::StoreError::Invalid`].
    RecordConsent(ConsentRecord),
    /// Links a visitor to a subject, replacing an earlier link of that visitor (a
    /// shared browser signed in as someone else).
    LinkVisitor(VisitorLink),
    /// With `expected_version` None, inserts the request; its id must not exist. With
    /// `Some(v)`, replaces every column of the stored request with that id, only if
    /// its stored version is `v` and `row.version` is `v + 1`. Either way a lost race
    /// (id taken, version moved on, request missing) is
    /// [`crate::StoreError::VersionConflict`] and the batch writes nothing.
    PutRightsRequest {
        row: RightsRequestRow,
        expected_version: Option<i64>,
    },
    /// Inserts the item, or replaces the one with its id (a delivery attempt).
    PutOutbox(OutboxItem),
    /// Claims a due outbox item for one delivery attempt: moves its next attempt from
    /// `due_at` to `until`, a lease (should the claimer die, the item is due again
    /// then). Fails the batch with [`crate::backend::OUTBOX_CLAIMED`] when the item is
    /// not pending with that next attempt any more, so that of several instances
    /// claiming it at once exactly one commits and sends it.
    ClaimOutbox {
        id: String,
        #[serde(with = "time::serde::rfc3339")]
        due_at: OffsetDateTime,
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
    /// Inserts the download, or replaces the one with its token hash.
    PutDownload(DownloadRow),
    /// Deletes a download (used or expired); deleting a missing one is no error.
    DeleteDownload {
        token_hash: Vec<u8>,
    },
    /// Uses a one-time download: deletes it, and fails the batch with
    /// [`crate::backend::DOWNLOAD_USED`] when it is not there (used or deleted by a
    /// concurrent batch), so exactly one of several concurrent uses commits.
    UseDownload {
        token_hash: Vec<u8>,
    },
    /// Stores the request's identity document, replacing an earlier one.
    PutRequestDocument(RequestDocument),
    /// Deletes the request's identity document, if any.
    DeleteRequestDocument {
        request_id: String,
    },
    /// Adds a digest to the opposition list; on a digest already listed keeps the
    /// earliest `added_at` and the latest `expires_at`.
    AddOpposition(OppositionEntry),
    /// Some: restricts the subject's processing (replacing an earlier restriction);
    /// None: lifts it. A subject that does not exist is
    /// [`crate::StoreError::Invalid`]. Erasure lifts it too.
    SetRestriction {
        subject_id: String,
        restriction: Option<Restriction>,
    },
    /// Records a retention step done on a subject, keeping per (subject, rule) the
    /// latest by (`done_at`, step): within one sweep steps only go up, and a step done
    /// later (a new cycle of the rule after a new trigger) replaces the old one. A subject that
    /// does not exist is [`crate::StoreError::Invalid`]. Erasure deletes the rows.
    RecordRetentionStep(RetentionStepDone),
    /// Inserts the hold, or replaces the one with its id (a release).
    PutLegalHold(LegalHold),
    /// Adds `count` to the (rule, kind, month) total.
    AddRetentionCount(RetentionCount),
    /// Deletes the opposition entries whose `expires_at` is at or before this instant.
    PurgeOpposition {
        #[serde(with = "time::serde::rfc3339")]
        expired_by: OffsetDateTime,
    },
    /// Deletes a rights request with its outbox items, downloads and identity
    /// document; a missing request is no error.
    DeleteRightsRequest {
        id: String,
    },
    /// With `expected_version` None, inserts the breach (its id must not exist); with
    /// `Some(v)`, replaces the stored breach only if its version is `v` (and
    /// `row.version` is `v + 1`). Either way appends `events` to its timeline; a lost
    /// race (id taken, version moved on, breach missing, event number taken) is
    /// [`crate::StoreError::VersionConflict`] and the batch writes nothing.
    PutBreach {
        row: BreachRow,
        expected_version: Option<i64>,
        events: Vec<BreachEvent>,
    },
}

/// A batch: writes and the audit entries that record them, committed together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub writes: Vec<Write>,
    /// Consecutive `seq` numbers continuing the log; the first entry's `prev_hash`
    /// must be the current head's hash, else [`crate::StoreError::AuditHeadMoved`].
    pub audit: Vec<AuditEntry>,
}
