//! Read-through caches for stores with exactly one writer: the embedded SQLite
//! databases of one server. [`CachingStore`] caches subjects and blind-index
//! lookups; every subject write goes through [`Store::apply`] on the same object,
//! which drops what it changes, so a cached answer is never staler than the
//! database. [`CachingKeyStore`] caches wrapped data keys; a rotation run from the
//! command line rewraps them behind the server's back, but the old wrapping still
//! opens with the retired key the keyring keeps, and a failed unwrap drops the copy
//! ([`KeyStore::forget_cached`]) and reads the database again. Not for PostgreSQL,
//! where other instances write too.
//!
//! A read that raced with a write must not put an old answer back after the write
//! dropped it: each read notes the generation before asking the database and only
//! fills the cache if no invalidation happened meanwhile.

use crate::{
    ApiKey, AuditCheckpoint, AuditEntry, AuditFilter, Batch, ConsentRecord, DownloadRow, KeyStore,
    LegalHold, NewPolicyVersion, OppositionEntry, OutboxFailures, OutboxItem, PolicyVersion,
    PolicyVersionSummary, Published, Queued, RequestDocument, RequestHead, RequestHeads,
    RequestQuery, Restriction, RetentionCount, RetentionFacts, RightsRequestRow, SealedField,
    Session, StaffUser, Store, StoreError, StoredSubject, SubjectRecord, VisitorLink, Write,
};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// Entries kept per cache before it is emptied and refilled from the database.
const MAX_ENTRIES: usize = 50_000;

struct Cache<K, V> {
    entries: Mutex<HashMap<K, V>>,
    generation: AtomicU64,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    fn new() -> Self {
        Cache {
            entries: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: &K) -> Option<V> {
        self.lock().get(key).cloned()
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn fill(&self, seen: u64, key: K, value: V) {
        let mut entries = self.lock();
        if self.generation() != seen {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, value);
    }

    fn remove(&self, key: &K) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(key);
    }

    fn clear(&self) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

/// Caches `subject` and `subjects_by_index`.
pub struct CachingStore<S> {
    inner: S,
    caches: Arc<SubjectCaches>,
}

struct SubjectCaches {
    subjects: Cache<String, Option<StoredSubject>>,
    index: Cache<(String, Vec<u8>), Vec<String>>,
}

/// What a batch of writes makes stale, noted before the batch is handed over so it can
/// be dropped again once the batch is applied.
#[derive(Default)]
struct Stale {
    subjects: Vec<String>,
    index: Vec<(String, Vec<u8>)>,
    /// The previous digests are not in the write: every lookup goes.
    every_index: bool,
}

impl Stale {
    fn of(writes: &[Write]) -> Stale {
        let mut stale = Stale::default();
        for write in writes {
            match write {
                Write::CreateSubject {
                    subject, indexes, ..
                } => {
                    stale.subjects.push(subject.id.clone());
                    stale
                        .index
                        .extend(indexes.iter().map(|i| (i.kind.clone(), i.digest.clone())));
                }
                Write::UpdateSubject { subject_id, .. }
                | Write::EraseSubject { subject_id, .. } => {
                    stale.subjects.push(subject_id.clone());
                    stale.every_index = true;
                }
                Write::SetAge { subject_id, .. } | Write::AddEvent { subject_id, .. } => {
                    stale.subjects.push(subject_id.clone());
                }
                Write::AddDisclosure(d) => stale.subjects.push(d.subject_id.clone()),
                // Consents, staff and rights requests (restrictions included) are not
                // part of a cached subject nor of an index lookup.
                _ => {}
            }
        }
        stale
    }
}

impl SubjectCaches {
    fn drop_stale(&self, stale: &Stale) {
        for id in &stale.subjects {
            self.subjects.remove(id);
        }
        if stale.every_index {
            self.index.clear();
        } else {
            for key in &stale.index {
                self.index.remove(key);
            }
        }
    }
}

impl<S: Store> CachingStore<S> {
    pub fn new(inner: S) -> Self {
        CachingStore {
            inner,
            caches: Arc::new(SubjectCaches {
                subjects: Cache::new(),
                index: Cache::new(),
            }),
        }
    }
}

#[async_trait::async_trait]
impl<S: Store> Store for CachingStore<S> {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn health(&self) -> Result<(), StoreError> {
        self.inner.health().await
    }

    async fn publish_policy_version(&self, new: NewPolicyVersion) -> Result<Published, StoreError> {
        self.inner.publish_policy_version(new).await
    }

    async fn latest_policy_version(&self) -> Result<Option<PolicyVersion>, StoreError> {
        self.inner.latest_policy_version().await
    }

    async fn policy_versions(&self) -> Result<Vec<PolicyVersionSummary>, StoreError> {
        self.inner.policy_versions().await
    }

    async fn policy_version(&self, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
        self.inner.policy_version(number).await
    }

    async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        // Dropped before and after: no reader may cache the old value in between.
        let stale = Stale::of(&batch.writes);
        self.caches.drop_stale(&stale);
        let result = self.inner.apply(batch).await;
        self.caches.drop_stale(&stale);
        result
    }

    async fn apply_queued(&self, batch: Batch) -> Result<Queued, StoreError> {
        let stale = Stale::of(&batch.writes);
        self.caches.drop_stale(&stale);
        let queued = self.inner.apply_queued(batch).await?;
        let caches = Arc::clone(&self.caches);
        let durable = queued.durable;
        Ok(Queued {
            applied: queued.applied,
            durable: Box::pin(async move {
                let outcome = durable.await;
                caches.drop_stale(&stale);
                outcome
            }),
        })
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.inner.audit_head().await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.inner.audit_entries(filter).await
    }

    async fn subject(&self, id: &str) -> Result<Option<StoredSubject>, StoreError> {
        let key = id.to_owned();
        if let Some(found) = self.caches.subjects.get(&key) {
            return Ok(found);
        }
        let seen = self.caches.subjects.generation();
        let found = self.inner.subject(id).await?;
        self.caches.subjects.fill(seen, key, found.clone());
        Ok(found)
    }

    async fn subject_fields(&self, id: &str) -> Result<Option<Vec<SealedField>>, StoreError> {
        match self.caches.subjects.get(&id.to_owned()) {
            Some(found) => Ok(found
                .filter(|s| s.record.erased_at.is_none())
                .map(|s| s.fields)),
            None => self.inner.subject_fields(id).await,
        }
    }

    async fn subjects_by_index(
        &self,
        kind: &str,
        digest: &[u8],
    ) -> Result<Vec<String>, StoreError> {
        let key = (kind.to_owned(), digest.to_vec());
        if let Some(found) = self.caches.index.get(&key) {
            return Ok(found);
        }
        let seen = self.caches.index.generation();
        let found = self.inner.subjects_by_index(kind, digest).await?;
        self.caches.index.fill(seen, key, found.clone());
        Ok(found)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError> {
        self.inner.user_by_email(email).await
    }

    async fn user(&self, id: &str) -> Result<Option<StaffUser>, StoreError> {
        self.inner.user(id).await
    }

    async fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        self.inner.users().await
    }

    async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>, StoreError> {
        self.inner.session(token_hash).await
    }

    async fn api_key_by_hash(&self, key_hash: &[u8]) -> Result<Option<ApiKey>, StoreError> {
        self.inner.api_key_by_hash(key_hash).await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        self.inner.api_keys().await
    }

    async fn user_sessions(&self, user_id: &str) -> Result<Vec<Session>, StoreError> {
        self.inner.user_sessions(user_id).await
    }

    async fn second_factor(
        &self,
        user_id: &str,
    ) -> Result<Option<crate::SecondFactor>, StoreError> {
        self.inner.second_factor(user_id).await
    }

    async fn credential_uses(&self) -> Result<Vec<crate::CredentialUse>, StoreError> {
        self.inner.credential_uses().await
    }

    async fn access_reviews(&self) -> Result<Vec<crate::AccessReview>, StoreError> {
        self.inner.access_reviews().await
    }

    async fn consent_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<crate::ConsentTally>, StoreError> {
        self.inner.consent_tallies(since).await
    }

    async fn banner_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<crate::BannerTally>, StoreError> {
        self.inner.banner_tallies(since).await
    }

    async fn request_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<crate::RequestTally>, StoreError> {
        self.inner.request_tallies(since).await
    }

    async fn subject_consents(&self, subject_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        self.inner.subject_consents(subject_id).await
    }

    async fn visitor_consents(&self, visitor_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        self.inner.visitor_consents(visitor_id).await
    }

    async fn consents_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        self.inner.consents_page(after, limit).await
    }

    async fn subject_visitor_links(
        &self,
        subject_id: &str,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        self.inner.subject_visitor_links(subject_id).await
    }

    async fn visitor_links_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        self.inner.visitor_links_page(after, limit).await
    }

    async fn rights_request(&self, id: &str) -> Result<Option<RightsRequestRow>, StoreError> {
        self.inner.rights_request(id).await
    }

    async fn rights_requests_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        self.inner.rights_requests_page(after, limit).await
    }

    async fn rights_request_queue(&self, query: &RequestQuery) -> Result<RequestHeads, StoreError> {
        self.inner.rights_request_queue(query).await
    }

    async fn rights_requests_by_email(
        &self,
        email_index: &[u8],
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        self.inner.rights_requests_by_email(email_index).await
    }

    async fn rights_requests_by_subject(
        &self,
        subject_id: &str,
    ) -> Result<Vec<RequestHead>, StoreError> {
        self.inner.rights_requests_by_subject(subject_id).await
    }

    async fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.inner.outbox_due(now, limit).await
    }

    async fn outbox_item(&self, id: &str) -> Result<Option<OutboxItem>, StoreError> {
        self.inner.outbox_item(id).await
    }

    async fn outbox_for_request(&self, request_id: &str) -> Result<Vec<OutboxItem>, StoreError> {
        self.inner.outbox_for_request(request_id).await
    }

    async fn outbox_failures(&self, limit: u32) -> Result<OutboxFailures, StoreError> {
        self.inner.outbox_failures(limit).await
    }

    async fn outbox_pending(&self) -> Result<u64, StoreError> {
        self.inner.outbox_pending().await
    }

    async fn download(&self, token_hash: &[u8]) -> Result<Option<DownloadRow>, StoreError> {
        self.inner.download(token_hash).await
    }

    async fn request_document(
        &self,
        request_id: &str,
    ) -> Result<Option<RequestDocument>, StoreError> {
        self.inner.request_document(request_id).await
    }

    async fn opposition_entry(&self, digest: &[u8]) -> Result<Option<OppositionEntry>, StoreError> {
        self.inner.opposition_entry(digest).await
    }

    async fn opposition_page(
        &self,
        after: Option<&[u8]>,
        limit: u32,
    ) -> Result<Vec<OppositionEntry>, StoreError> {
        self.inner.opposition_page(after, limit).await
    }

    async fn restrictions_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Restriction>, StoreError> {
        self.inner.restrictions_page(after, limit).await
    }

    async fn restriction(&self, subject_id: &str) -> Result<Option<Restriction>, StoreError> {
        self.inner.restriction(subject_id).await
    }

    async fn retention_facts_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RetentionFacts>, StoreError> {
        self.inner.retention_facts_page(after, limit).await
    }

    async fn retention_facts_count(&self) -> Result<u64, StoreError> {
        self.inner.retention_facts_count().await
    }

    async fn book_stamp(&self) -> Result<Option<String>, StoreError> {
        self.inner.book_stamp().await
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        self.inner.acquire_lease(name, holder, now, until).await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        self.inner.release_lease(name, holder).await
    }

    async fn legal_holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        self.inner.legal_holds().await
    }

    async fn retention_counts(&self) -> Result<Vec<RetentionCount>, StoreError> {
        self.inner.retention_counts().await
    }

    async fn breaches(&self) -> Result<Vec<crate::BreachRow>, StoreError> {
        self.inner.breaches().await
    }

    async fn breach(&self, id: &str) -> Result<Option<crate::BreachRow>, StoreError> {
        self.inner.breach(id).await
    }

    async fn breach_events(&self, breach_id: &str) -> Result<Vec<crate::BreachEvent>, StoreError> {
        self.inner.breach_events(breach_id).await
    }

    async fn subjects_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SubjectRecord>, StoreError> {
        self.inner.subjects_page(after, limit).await
    }

    async fn index_entries_page(
        &self,
        kind: &str,
        after: Option<(&str, &[u8])>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.index_entries_page(kind, after, limit).await
    }
}

/// Caches `data_key`: a lookup costs a database read otherwise.
pub struct CachingKeyStore<K> {
    inner: K,
    keys: Cache<String, Vec<u8>>,
}

impl<K: KeyStore> CachingKeyStore<K> {
    pub fn new(inner: K) -> Self {
        CachingKeyStore {
            inner,
            keys: Cache::new(),
        }
    }
}

#[async_trait::async_trait]
impl<K: KeyStore> KeyStore for CachingKeyStore<K> {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        for (id, _) in &keys {
            self.keys.remove(id);
        }
        self.inner.put_data_keys(keys).await
    }

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let key = subject_id.to_owned();
        if let Some(wrapped) = self.keys.get(&key) {
            return Ok(Some(wrapped));
        }
        let seen = self.keys.generation();
        let wrapped = self.inner.data_key(subject_id).await?;
        if let Some(w) = &wrapped {
            self.keys.fill(seen, key, w.clone());
        }
        Ok(wrapped)
    }

    fn forget_cached(&self, subject_id: &str) {
        self.keys.remove(&subject_id.to_owned());
    }

    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError> {
        // Dropped before and after: no read racing the deletion keeps a copy.
        self.keys.remove(&subject_id.to_owned());
        let deleted = self.inner.delete_data_key(subject_id).await;
        self.keys.remove(&subject_id.to_owned());
        deleted
    }

    async fn delete_data_keys(&self, subject_ids: &[String]) -> Result<u64, StoreError> {
        for id in subject_ids {
            self.keys.remove(id);
        }
        let deleted = self.inner.delete_data_keys(subject_ids).await;
        for id in subject_ids {
            self.keys.remove(id);
        }
        deleted
    }

    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.data_keys_page(after, limit).await
    }

    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError> {
        for (id, _, _) in &changes {
            self.keys.remove(id);
        }
        self.inner.rewrap_data_keys(changes).await
    }

    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        self.inner.system_key_or_insert(name, wrapped).await
    }

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.system_keys().await
    }

    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError> {
        self.inner.rewrap_system_key(name, old, new).await
    }

    async fn put_audit_checkpoint(&self, checkpoint: AuditCheckpoint) -> Result<bool, StoreError> {
        self.inner.put_audit_checkpoint(checkpoint).await
    }

    async fn audit_checkpoints(&self, limit: u32) -> Result<Vec<AuditCheckpoint>, StoreError> {
        self.inner.audit_checkpoints(limit).await
    }
}
