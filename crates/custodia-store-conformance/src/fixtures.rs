//! Values for the checks: unique ids, blobs that are not UTF-8, chained audit entries,
//! and what a backend must return for what was written.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use custodia_store::policy::to_stored_instant;
use custodia_store::{
    ApiKey, AuditEntry, Batch, Disclosure, IndexEntry, SealedField, Session, StaffUser, Store,
    StoreError, StoredSubject, SubjectEvent, SubjectRecord, Write,
};

/// `prev_hash` of the first audit entry (the backends' own constant).
pub use custodia_store::backend::ZERO_HASH;

/// `label-<random>-<n>`: unique within the process and, thanks to the random part,
/// across processes writing to one store.
pub fn unique(label: &str) -> String {
    static RUN: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let run = RUN.get_or_init(|| RandomState::new().hash_one(std::process::id()) as u32);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{label}-{run:08x}-{n}")
}

/// `len` bytes derived from `seed`, never valid UTF-8 (they start with 0xff) and
/// holding NUL and high bytes.
pub fn blob(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            if i == 0 {
                0xff
            } else {
                (i as u8)
                    .wrapping_mul(151)
                    .wrapping_add(seed.wrapping_mul(7))
            }
        })
        .collect()
}

/// 32 bytes unique to `label`, like a SHA-256 token hash or a blind index digest.
pub fn digest(label: &str) -> Vec<u8> {
    Sha256::digest(label.as_bytes()).to_vec()
}

pub fn hex_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub fn record(id: &str, at: OffsetDateTime) -> SubjectRecord {
    SubjectRecord {
        id: id.to_owned(),
        kind: "customer".to_owned(),
        age_status: "adult".to_owned(),
        parental_consent_at: None,
        created_at: at,
        updated_at: at,
        erased_at: None,
    }
}

pub fn field(category: &str, sealed: Vec<u8>) -> SealedField {
    SealedField {
        category: category.to_owned(),
        sealed,
    }
}

pub fn index(kind: &str, digest: Vec<u8>) -> IndexEntry {
    IndexEntry {
        kind: kind.to_owned(),
        digest,
    }
}

/// A subject creation with an email field and its blind index.
pub fn create_subject(id: &str, at: OffsetDateTime) -> Write {
    Write::CreateSubject {
        subject: record(id, at),
        fields: vec![field("email", blob(1, 40))],
        indexes: vec![index("email", digest(&format!("email:{id}")))],
    }
}

pub fn event(name: &str, at: OffsetDateTime, recorded_at: OffsetDateTime) -> SubjectEvent {
    SubjectEvent {
        event: name.to_owned(),
        at,
        recorded_at,
    }
}

pub fn disclosure(id: &str, subject_id: &str, at: OffsetDateTime) -> Disclosure {
    Disclosure {
        id: id.to_owned(),
        subject_id: subject_id.to_owned(),
        recipient: "payment_provider".to_owned(),
        categories: vec!["email".to_owned(), "postal_address".to_owned()],
        purpose: "billing".to_owned(),
        at,
        recorded_by: "user:dpo".to_owned(),
    }
}

pub fn user(id: &str, email: &str, at: OffsetDateTime) -> StaffUser {
    StaffUser {
        id: id.to_owned(),
        email: email.to_owned(),
        role: "dpo".to_owned(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${id}"),
        created_at: at,
        disabled_at: None,
    }
}

pub fn session(token: &str, user_id: &str, at: OffsetDateTime) -> Session {
    Session {
        token_hash: digest(&format!("session:{token}")),
        user_id: user_id.to_owned(),
        csrf_token: format!("csrf-{token}"),
        created_at: at,
        expires_at: at + time::Duration::hours(12),
    }
}

pub fn api_key(id: &str, at: OffsetDateTime) -> ApiKey {
    ApiKey {
        id: id.to_owned(),
        name: format!("service {id}"),
        role: "crm".to_owned(),
        key_hash: digest(&format!("apikey:{id}")),
        created_at: at,
        revoked_at: None,
    }
}

/// What an audit entry is about, before it is numbered and chained.
#[derive(Debug, Clone)]
pub struct Event {
    pub at: OffsetDateTime,
    pub principal: String,
    pub action: String,
    pub subject_ref: Option<String>,
    pub categories: Vec<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

impl Event {
    pub fn new(action: &str, at: OffsetDateTime) -> Event {
        Event {
            at,
            principal: "system".to_owned(),
            action: action.to_owned(),
            subject_ref: None,
            categories: Vec::new(),
            purpose: None,
            outcome: "ok".to_owned(),
            detail: None,
        }
    }

    pub fn by(mut self, principal: &str) -> Event {
        self.principal = principal.to_owned();
        self
    }

    pub fn about(mut self, subject_ref: &str) -> Event {
        self.subject_ref = Some(subject_ref.to_owned());
        self
    }
}

/// `events` as entries continuing a log whose head is `head`. The hash is a stand-in
/// for the real canonical form: stores only keep what they are given.
pub fn chain(head: Option<(i64, String)>, events: Vec<Event>) -> Vec<AuditEntry> {
    let (mut seq, mut prev) = head.unwrap_or((0, ZERO_HASH.to_owned()));
    events
        .into_iter()
        .map(|e| {
            seq += 1;
            let hash = hex_sha256(&format!(
                "{prev}|{seq}|{}|{}|{:?}|{}",
                e.principal, e.action, e.subject_ref, e.at
            ));
            let entry = AuditEntry {
                seq,
                chain: 0,
                at: e.at,
                principal: e.principal,
                action: e.action,
                subject_ref: e.subject_ref,
                categories: e.categories,
                purpose: e.purpose,
                outcome: e.outcome,
                detail: e.detail,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            };
            prev = hash;
            entry
        })
        .collect()
}

/// `writes` with entries for `events` chained onto the store's current head.
pub async fn chained_batch(store: &dyn Store, writes: Vec<Write>, events: Vec<Event>) -> Batch {
    let head = store.audit_head().await.unwrap();
    Batch {
        writes,
        audit: chain(head, events),
    }
}

/// Applies `batch`, failing the check with `what` on any error.
pub async fn apply_ok(store: &dyn Store, batch: Batch, what: &str) {
    let b = store.backend();
    if let Err(e) = store.apply(batch).await {
        panic!("[{b}] {what}: apply failed: {e}");
    }
}

/// Applies writes without audit entries.
pub async fn apply_writes(store: &dyn Store, writes: Vec<Write>, what: &str) {
    apply_ok(
        store,
        Batch {
            writes,
            audit: Vec::new(),
        },
        what,
    )
    .await;
}

/// Applies `batch`, which must fail with [`StoreError::Invalid`].
pub async fn apply_invalid(store: &dyn Store, batch: Batch, what: &str) {
    let b = store.backend();
    match store.apply(batch).await {
        Err(StoreError::Invalid { .. }) => {}
        other => panic!("[{b}] {what}: expected Invalid, got {other:?}"),
    }
}

/// Applies `batch`, which must fail with [`StoreError::VersionConflict`].
pub async fn apply_version_conflict(store: &dyn Store, batch: Batch, what: &str) {
    let b = store.backend();
    match store.apply(batch).await {
        Err(StoreError::VersionConflict { .. }) => {}
        other => panic!("[{b}] {what}: expected VersionConflict, got {other:?}"),
    }
}

/// Applies `batch`, which must fail with [`StoreError::AuditHeadMoved`].
pub async fn apply_head_moved(store: &dyn Store, batch: Batch, what: &str) {
    let b = store.backend();
    match store.apply(batch).await {
        Err(StoreError::AuditHeadMoved) => {}
        other => panic!("[{b}] {what}: expected AuditHeadMoved, got {other:?}"),
    }
}

/// A subject as a backend must return it: times in UTC at whole microseconds, fields by
/// category, events by (at, event), disclosures by (at, id).
pub fn expected_subject(
    record: &SubjectRecord,
    fields: &[SealedField],
    events: &[SubjectEvent],
    disclosures: &[Disclosure],
) -> StoredSubject {
    let mut record = record.clone();
    record.parental_consent_at = record.parental_consent_at.map(to_stored_instant);
    record.created_at = to_stored_instant(record.created_at);
    record.updated_at = to_stored_instant(record.updated_at);
    record.erased_at = record.erased_at.map(to_stored_instant);
    let mut fields = fields.to_vec();
    fields.sort_by(|a, b| a.category.cmp(&b.category));
    let mut events: Vec<SubjectEvent> = events
        .iter()
        .map(|e| SubjectEvent {
            event: e.event.clone(),
            at: to_stored_instant(e.at),
            recorded_at: to_stored_instant(e.recorded_at),
        })
        .collect();
    events.sort_by(|a, b| (a.at, &a.event).cmp(&(b.at, &b.event)));
    let mut disclosures: Vec<Disclosure> = disclosures
        .iter()
        .map(|d| Disclosure {
            at: to_stored_instant(d.at),
            ..d.clone()
        })
        .collect();
    disclosures.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    StoredSubject {
        record,
        fields,
        events,
        disclosures,
    }
}

/// An audit entry as a backend must return it.
pub fn expected_entry(entry: &AuditEntry) -> AuditEntry {
    AuditEntry {
        at: to_stored_instant(entry.at),
        ..entry.clone()
    }
}

pub fn expected_user(user: &StaffUser) -> StaffUser {
    StaffUser {
        created_at: to_stored_instant(user.created_at),
        disabled_at: user.disabled_at.map(to_stored_instant),
        ..user.clone()
    }
}

pub fn expected_session(session: &Session) -> Session {
    Session {
        created_at: to_stored_instant(session.created_at),
        expires_at: to_stored_instant(session.expires_at),
        ..session.clone()
    }
}

pub fn expected_api_key(key: &ApiKey) -> ApiKey {
    ApiKey {
        created_at: to_stored_instant(key.created_at),
        revoked_at: key.revoked_at.map(to_stored_instant),
        ..key.clone()
    }
}
