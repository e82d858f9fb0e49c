//! Persistence boundary. Stores keep ciphertext, blind indexes and metadata, never
//! plaintext personal data.
//!
//! [`Store`] is the one trait every backend implements; the `custodia-store-conformance`
//! crate is the suite they all pass. Time is never read here: callers pass timestamps in.
//!
//! Adding a feature: put its types in a module of their own (like [`policy`]), add its
//! methods to [`Store`] under a section comment, then tables to each backend's
//! `migrations/`, statements to its `<domain>_reads.rs` / `<domain>_writes.rs` (a new
//! [`Write`] to a domain in [`backend::domain`]), what both backends decide alike to
//! [`backend`], and checks to `custodia-store-conformance`.

pub mod audit;
pub mod backend;
pub mod breach;
pub mod cache;
pub mod consent;
mod error;
pub mod feed;
pub mod keys;
pub mod policy;
pub mod retention;
pub mod rights;
#[cfg(feature = "rusqlite")]
pub mod rusqlite_support;
#[cfg(feature = "sqlx")]
pub mod sqlx_support;
pub mod staff;
pub mod statistics;
pub mod vault;
pub mod write;

pub use audit::{AuditCheckpoint, AuditEntry, AuditFilter};
pub use breach::{BreachEvent, BreachRow};
pub use consent::{ConsentRecord, VisitorLink};
pub use error::StoreError;
pub use keys::KeyStore;
pub use policy::{
    DocumentDigest, NewPolicyVersion, PolicyDocument, PolicyVersion, PolicyVersionSummary,
    Published,
};
pub use retention::{LegalHold, RetentionCount, RetentionFacts, RetentionStepDone};
pub use rights::{
    DownloadRow, OppositionEntry, OutboxFailure, OutboxFailures, OutboxItem, RequestDocument,
    RequestHead, RequestHeads, RequestQuery, Restriction, RightsRequestRow,
};
pub use staff::{AccessReview, ApiKey, CredentialUse, SecondFactor, Session, StaffUser};
pub use statistics::{BannerTally, ConsentTally, RequestTally};
pub use vault::{Disclosure, IndexEntry, SealedField, StoredSubject, SubjectEvent, SubjectRecord};
pub use write::{Batch, Write};

use time::OffsetDateTime;

/// A batch queued by [`Store::apply_queued`].
pub struct Queued {
    /// Resolves once the store has applied the batch, maybe before it is durable: from
    /// then on the store works on the batch queued after it.
    pub applied: Applied,
    /// Resolves once the batch is durable, or with the error that undid it.
    pub durable: Durable,
}

/// Resolves once a queued batch is applied.
pub type Applied = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Resolves once a queued batch is durable, or with the error that undid it.
pub type Durable =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send>>;

impl Queued {
    /// A batch already applied, or refused, with this outcome.
    pub fn finished(outcome: Result<(), StoreError>) -> Queued {
        Queued {
            applied: Box::pin(std::future::ready(())),
            durable: Box::pin(std::future::ready(outcome)),
        }
    }
}

/// How many times a write that lost a race (unique violation, serialization failure,
/// busy database) is attempted before [`StoreError::Conflict`].
pub const MAX_WRITE_ATTEMPTS: u32 = 32;

/// Links audit entries after a head, as the writer chains them: for a store that
/// re-links a batch inside its own transaction when another instance moved the head.
pub trait Rechain: Send + Sync {
    /// The chain this writer appends to ([`Store::claim_audit_chain`]).
    fn chain(&self) -> i32;

    /// The same entries, numbered `seqs` (one each, increasing) in [`Rechain::chain`]
    /// and linked after the link `prev` (64 zeros for a chain's first entry).
    fn rechain(&self, prev: &str, seqs: &[i64], entries: &[AuditEntry]) -> Vec<AuditEntry>;
}

/// What [`Store::apply_rechained`] left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rechained {
    /// The chain's audit head after the batch; `None` when it appended nothing.
    pub head: Option<(i64, String)>,
    /// The batch's change in the feed, if it left one.
    pub change: Option<feed::Numbered>,
}

/// Persistence for every backend. All methods are safe to call from several tasks and
/// from several server instances sharing one database.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// One trivial round trip to the database.
    async fn health(&self) -> Result<(), StoreError>;

    // --- published policy versions -------------------------------------------------

    /// Stores `new` as the next version unless the latest version has the same
    /// `register_sha256`, in which case that latest version is returned with
    /// `created: false`. Numbers are 1, 2, 3... without gaps, also when several
    /// instances publish at once.
    ///
    /// `effective_at` is stored in UTC truncated to whole microseconds (the precision of
    /// PostgreSQL `timestamptz`), so every backend reads back the same instant.
    async fn publish_policy_version(&self, new: NewPolicyVersion) -> Result<Published, StoreError>;

    /// The version with the highest number, documents included.
    async fn latest_policy_version(&self) -> Result<Option<PolicyVersion>, StoreError>;

    /// Every version, ascending by number, without document contents.
    async fn policy_versions(&self) -> Result<Vec<PolicyVersionSummary>, StoreError>;

    /// One version by number, documents included; `None` when there is no such number.
    async fn policy_version(&self, number: i64) -> Result<Option<PolicyVersion>, StoreError>;

    // --- vault, staff and audit: batched writes ------------------------------------

    /// Applies every write and appends every audit entry in one transaction, durable
    /// on return. Fails with [`StoreError::AuditHeadMoved`] (and writes nothing) when
    /// the first entry does not continue the current head: another instance wrote
    /// first, and the caller re-chains and retries. Fails with
    /// [`StoreError::Invalid`] when a write names a subject, user or key that does
    /// not exist, or creates one that does.
    async fn apply(&self, batch: Batch) -> Result<(), StoreError>;

    /// [`Store::apply`] in steps, for a caller that keeps several batches in flight:
    /// returns once `batch` is queued behind every batch queued before it, with futures
    /// telling when it is applied and when it is durable, or failed, as `apply` would.
    /// A batch whose audit entries were chained on one still in flight fails with
    /// [`StoreError::AuditHeadMoved`] if that one fails. Backends that cannot queue
    /// apply the batch before returning.
    async fn apply_queued(&self, batch: Batch) -> Result<Queued, StoreError> {
        Ok(Queued::finished(self.apply(batch).await))
    }

    // --- the change feed (several instances on one database) ----------------------

    /// Whether this backend keeps a change feed ([`feed`]) for instances sharing the
    /// database. An embedded database has one server: no feed.
    fn keeps_change_feed(&self) -> bool {
        false
    }

    /// The changes after `positions` (each chain's last change read; a chain not
    /// named is read from its start), each chain's in commit order, at most `limit`
    /// ascending by number (every instance's, this one's included). An empty feed on
    /// a backend without one.
    async fn changes_after(
        &self,
        _positions: &feed::Positions,
        _limit: u32,
    ) -> Result<Vec<feed::Change>, StoreError> {
        Ok(Vec::new())
    }

    /// Every chain's last change number (0 for a chain without changes kept), read at
    /// once: what a follower that loads everything now has seen.
    async fn change_heads(&self) -> Result<feed::Positions, StoreError> {
        Ok(feed::Positions::default())
    }

    /// Returns when another instance may have committed a change, or after `within`;
    /// at once after a lost connection, so the caller reads the feed again.
    async fn wait_for_changes(&self, within: std::time::Duration) {
        tokio::time::sleep(within).await;
    }

    /// Deletes the changes committed more than `kept` ago by the database's clock,
    /// which stamps them (followers away longer reload everything).
    async fn prune_changes(&self, _kept: std::time::Duration) -> Result<u64, StoreError> {
        Ok(0)
    }

    /// [`Store::apply`] for a database several instances write: the batch's audit
    /// entries are re-linked onto the head found inside the transaction (writers
    /// taking turns on it) instead of failing with [`StoreError::AuditHeadMoved`].
    /// A store with one writer applies the batch as it is.
    async fn apply_rechained(
        &self,
        batch: Batch,
        _rechain: &dyn Rechain,
    ) -> Result<Rechained, StoreError> {
        let head = batch.audit.last().map(|e| (e.seq, e.hash.clone()));
        self.apply(batch)
            .await
            .map(|()| Rechained { head, change: None })
    }

    /// The last audit entry's `seq` and `hash`, `None` on an empty log.
    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError>;

    /// The chain this process appends its audit entries (and its changes) to, held
    /// until it exits: on a database several instances write, the lowest chain no
    /// other process holds, so instances never wait for each other's head. A store
    /// with one writer has one chain, 0.
    async fn claim_audit_chain(&self) -> Result<i32, StoreError> {
        Ok(0)
    }

    /// The last entry of `chain`, `None` while it has none.
    async fn audit_chain_head(&self, chain: i32) -> Result<Option<(i64, String)>, StoreError> {
        if chain == 0 {
            self.audit_head().await
        } else {
            Ok(None)
        }
    }

    /// Entries matching `filter`, ascending by `seq` (descending when it asks for the
    /// newest first).
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;

    // --- vault reads ---------------------------------------------------------------

    async fn subject(&self, id: &str) -> Result<Option<StoredSubject>, StoreError>;

    /// A subject's sealed fields only, sorted by category (without its events and
    /// disclosures); `None` when the subject is unknown or erased.
    async fn subject_fields(&self, id: &str) -> Result<Option<Vec<SealedField>>, StoreError> {
        Ok(self
            .subject(id)
            .await?
            .filter(|s| s.record.erased_at.is_none())
            .map(|s| s.fields))
    }

    /// Ids of the subjects (erased ones excluded) indexed under `kind`/`digest`,
    /// sorted.
    async fn subjects_by_index(&self, kind: &str, digest: &[u8])
    -> Result<Vec<String>, StoreError>;

    // --- staff reads ---------------------------------------------------------------

    async fn user_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError>;
    async fn user(&self, id: &str) -> Result<Option<StaffUser>, StoreError>;
    /// Every account, by email.
    async fn users(&self) -> Result<Vec<StaffUser>, StoreError>;
    async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>, StoreError>;
    async fn api_key_by_hash(&self, key_hash: &[u8]) -> Result<Option<ApiKey>, StoreError>;
    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;
    /// The user's sessions, expired ones included, by `created_at` then token hash.
    async fn user_sessions(&self, user_id: &str) -> Result<Vec<Session>, StoreError>;
    async fn second_factor(&self, user_id: &str) -> Result<Option<SecondFactor>, StoreError>;

    /// The latest recorded use of every credential, by principal.
    async fn credential_uses(&self) -> Result<Vec<CredentialUse>, StoreError>;
    /// Every access review, newest first.
    async fn access_reviews(&self) -> Result<Vec<AccessReview>, StoreError>;

    // --- statistics (aggregated by the database) -------------------------------------

    /// Consent records since `since`, as people per (purpose, ISO week, state), sorted.
    async fn consent_tallies(&self, since: OffsetDateTime)
    -> Result<Vec<ConsentTally>, StoreError>;
    /// Banner choices since `since` per outcome, sorted by outcome.
    async fn banner_tallies(&self, since: OffsetDateTime) -> Result<Vec<BannerTally>, StoreError>;
    /// Rights requests received since `since`, per (right, month), sorted.
    async fn request_tallies(&self, since: OffsetDateTime)
    -> Result<Vec<RequestTally>, StoreError>;

    // --- consent reads -------------------------------------------------------------

    /// The subject's own records (not those of visitors linked to it), by id.
    async fn subject_consents(&self, subject_id: &str) -> Result<Vec<ConsentRecord>, StoreError>;

    /// A visitor's records, by id.
    async fn visitor_consents(&self, visitor_id: &str) -> Result<Vec<ConsentRecord>, StoreError>;

    /// Every record with an id greater than `after`, by id, at most `limit`: state is
    /// rebuilt from these at start.
    async fn consents_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ConsentRecord>, StoreError>;

    /// Visitors linked to the subject, by visitor id.
    async fn subject_visitor_links(&self, subject_id: &str)
    -> Result<Vec<VisitorLink>, StoreError>;

    /// Every link with a visitor id greater than `after`, by visitor id.
    async fn visitor_links_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<VisitorLink>, StoreError>;

    // --- rights requests: reads -----------------------------------------------------

    async fn rights_request(&self, id: &str) -> Result<Option<RightsRequestRow>, StoreError>;

    /// Requests with an id greater than `after`, by id, at most `limit`.
    async fn rights_requests_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RightsRequestRow>, StoreError>;

    /// The requests matching `query`, soonest deadline first (due date, then id),
    /// from `query.offset`, with the number matching in all.
    async fn rights_request_queue(&self, query: &RequestQuery) -> Result<RequestHeads, StoreError>;

    /// Requests whose requester's e-mail has this blind index, by id.
    async fn rights_requests_by_email(
        &self,
        email_index: &[u8],
    ) -> Result<Vec<RightsRequestRow>, StoreError>;

    /// Requests naming this vault subject (`subject_id`), by id, without their
    /// sealed bodies.
    async fn rights_requests_by_subject(
        &self,
        subject_id: &str,
    ) -> Result<Vec<RequestHead>, StoreError>;

    /// Pending items whose `next_attempt_at` is `now` or earlier, by `next_attempt_at`
    /// then id, at most `limit`.
    async fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError>;

    async fn outbox_item(&self, id: &str) -> Result<Option<OutboxItem>, StoreError>;

    /// Every item about the request, whatever its status, by id.
    async fn outbox_for_request(&self, request_id: &str) -> Result<Vec<OutboxItem>, StoreError>;

    /// How many items have status `failed`, and at most `limit` of them, newest
    /// `next_attempt_at` (the instant delivery gave up) first, then id descending.
    async fn outbox_failures(&self, limit: u32) -> Result<OutboxFailures, StoreError>;

    /// How many items wait to be delivered (status `pending`, due or not).
    async fn outbox_pending(&self) -> Result<u64, StoreError>;

    /// The download whose token has this SHA-256, expired or not.
    async fn download(&self, token_hash: &[u8]) -> Result<Option<DownloadRow>, StoreError>;

    async fn request_document(
        &self,
        request_id: &str,
    ) -> Result<Option<RequestDocument>, StoreError>;

    /// The opposition entry of this digest, expired or not.
    async fn opposition_entry(&self, digest: &[u8]) -> Result<Option<OppositionEntry>, StoreError>;

    /// Entries with a digest greater than `after` (as bytes), by digest, at most `limit`.
    async fn opposition_page(
        &self,
        after: Option<&[u8]>,
        limit: u32,
    ) -> Result<Vec<OppositionEntry>, StoreError>;

    /// Restrictions of subjects with an id greater than `after`, by subject id, at
    /// most `limit`.
    async fn restrictions_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Restriction>, StoreError>;

    async fn restriction(&self, subject_id: &str) -> Result<Option<Restriction>, StoreError>;

    // --- retention -------------------------------------------------------------------

    /// Subjects not erased with an id greater than `after`, by id, at most `limit`,
    /// with what the retention planner needs of each.
    async fn retention_facts_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RetentionFacts>, StoreError>;

    /// How many subjects [`Store::retention_facts_page`] pages through (those not
    /// erased), for progress reports.
    async fn retention_facts_count(&self) -> Result<u64, StoreError>;

    /// A cheap fingerprint of the rows the consent book is built from (each of its
    /// tables' row count), so that a snapshot of the book taken when the server
    /// stopped is not used after rows were added or removed behind its back. `None`
    /// where the book is never read from a snapshot (a database several instances
    /// write).
    async fn book_stamp(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    /// Takes or renews the lease `name` for `holder` until `until`, unless another
    /// holder has it and it has not expired at `now`; returns whether `holder` now
    /// holds it. Keeps instances sharing a database from running one exclusive job
    /// (a retention sweep) at the same time.
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Gives the lease up if `holder` has it.
    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError>;

    /// Every legal hold, released ones included, by `created_at` then id.
    async fn legal_holds(&self) -> Result<Vec<LegalHold>, StoreError>;

    /// Every retention outcome count, by rule, kind, month, then action.
    async fn retention_counts(&self) -> Result<Vec<RetentionCount>, StoreError>;

    // --- breach register --------------------------------------------------------------

    /// Every breach, by `aware_at` then id.
    async fn breaches(&self) -> Result<Vec<BreachRow>, StoreError>;

    async fn breach(&self, id: &str) -> Result<Option<BreachRow>, StoreError>;

    /// The breach's timeline, by `seq`.
    async fn breach_events(&self, breach_id: &str) -> Result<Vec<BreachEvent>, StoreError>;

    // --- scans for in-memory state ---------------------------------------------------

    /// Subject rows (erased ones included) with an id greater than `after`, by id.
    async fn subjects_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SubjectRecord>, StoreError>;

    /// Blind-index entries of `kind` as (subject id, digest), after the cursor (the
    /// last entry of the previous page), by digest then subject id (bytes): the order
    /// of the table's key, so that each page reads one range of it.
    async fn index_entries_page(
        &self,
        kind: &str,
        after: Option<(&str, &[u8])>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
}
