//! The PostgreSQL store. Timestamps are `timestamptz` (microsecond precision); numbering
//! relies on primary keys and retries, never on sequences or advisory locks, so the
//! schema and queries also suit CockroachDB and YugabyteDB.
//!
//! [`PostgresKeyStore`] keeps data keys, in this database or another one.

mod access_reads;
mod apply;
mod audit_writes;
mod breach_reads;
mod breach_writes;
mod chains;
mod codec;
mod consent_reads;
mod consent_writes;
mod feed;
mod keys;
mod policy;
mod reads;
mod retention_reads;
mod retention_writes;
mod rights_reads;
mod rights_writes;
mod staff_writes;
mod vault_writes;

pub use keys::PostgresKeyStore;

use std::str::FromStr;
use std::time::Duration;

use custodia_store::sqlx_support::{connect_error, migrate_error, query_error};
use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Batch, ConsentRecord, DownloadRow, LegalHold,
    NewPolicyVersion, OppositionEntry, OutboxFailures, OutboxItem, PolicyVersion,
    PolicyVersionSummary, Published, RequestDocument, Restriction, RetentionCount, RetentionFacts,
    RightsRequestRow, SealedField, SecondFactor, Session, StaffUser, Store, StoreError,
    StoredSubject, SubjectRecord, VisitorLink,
};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use time::OffsetDateTime;

const BACKEND: &str = "postgres";

const MAX_CONNECTIONS: u32 = 16;
/// A request waits this long for a connection; while the server is down it then
/// fails, and the API answers 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection (audit listings alone use up to 128 texts).
const STATEMENT_CACHE: usize = 256;

// The migrator holds a PostgreSQL advisory lock while it runs so that instances starting
// together do not migrate twice. CockroachDB has no advisory locks: there, call
// `set_locking(false)` on a copy of this migrator and let one instance migrate at a time.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    pool: PgPool,
    /// Woken by other instances' commits (`feed`); connected on first wait.
    listener: tokio::sync::Mutex<Option<sqlx::postgres::PgListener>>,
    /// This process's audit chain, claimed on first use (`chains`).
    chain: chains::Held,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database?...`) and applies
    /// pending migrations. Errors never repeat the URL, which may hold a password.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| connect_error(BACKEND, &e))?
            .statement_cache_capacity(STATEMENT_CACHE)
            // Short statements only: a JIT compile (tens of milliseconds) whenever the
            // planner overestimates a join costs more than any of them runs.
            .options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(BACKEND, &e))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| migrate_error(BACKEND, &e))?;
        Ok(PostgresStore {
            pool,
            listener: tokio::sync::Mutex::new(None),
            chain: Default::default(),
        })
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(|e| query_error(BACKEND, "check health", &e))
    }

    async fn publish_policy_version(&self, new: NewPolicyVersion) -> Result<Published, StoreError> {
        policy::publish(&self.pool, &new).await
    }

    async fn latest_policy_version(&self) -> Result<Option<PolicyVersion>, StoreError> {
        policy::latest(&self.pool).await
    }

    async fn policy_versions(&self) -> Result<Vec<PolicyVersionSummary>, StoreError> {
        policy::list(&self.pool).await
    }

    async fn policy_version(&self, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
        policy::get(&self.pool, number).await
    }

    async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        apply::apply(&self.pool, &batch).await
    }

    async fn apply_rechained(
        &self,
        batch: Batch,
        rechain: &dyn custodia_store::Rechain,
    ) -> Result<custodia_store::Rechained, StoreError> {
        apply::apply_rechained(&self.pool, &batch, rechain).await
    }

    fn keeps_change_feed(&self) -> bool {
        true
    }

    async fn changes_after(
        &self,
        positions: &custodia_store::feed::Positions,
        limit: u32,
    ) -> Result<Vec<custodia_store::feed::Change>, StoreError> {
        feed::changes_after(&self.pool, positions, limit).await
    }

    async fn change_heads(&self) -> Result<custodia_store::feed::Positions, StoreError> {
        feed::heads(&self.pool).await
    }

    async fn wait_for_changes(&self, within: Duration) {
        feed::wait(&self.pool, &self.listener, within).await;
    }

    async fn prune_changes(&self, kept: Duration) -> Result<u64, StoreError> {
        feed::prune(&self.pool, kept).await
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        reads::audit_head(&self.pool).await
    }

    async fn claim_audit_chain(&self) -> Result<i32, StoreError> {
        chains::claim(&self.pool, &self.chain).await
    }

    async fn audit_chain_head(&self, chain: i32) -> Result<Option<(i64, String)>, StoreError> {
        reads::audit_chain_head(&self.pool, chain).await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        reads::audit_entries(&self.pool, filter).await
    }

    async fn subject(&self, id: &str) -> Result<Option<StoredSubject>, StoreError> {
        reads::subject(&self.pool, id).await
    }

    async fn subject_fields(&self, id: &str) -> Result<Option<Vec<SealedField>>, StoreError> {
        reads::subject_fields(&self.pool, id).await
    }

    async fn subjects_by_index(
        &self,
        kind: &str,
        digest: &[u8],
    ) -> Result<Vec<String>, StoreError> {
        reads::subjects_by_index(&self.pool, kind, digest).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError> {
        reads::user_by_email(&self.pool, email).await
    }

    async fn user(&self, id: &str) -> Result<Option<StaffUser>, StoreError> {
        reads::user(&self.pool, id).await
    }

    async fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        reads::users(&self.pool).await
    }

    async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>, StoreError> {
        reads::session(&self.pool, token_hash).await
    }

    async fn user_sessions(&self, user_id: &str) -> Result<Vec<Session>, StoreError> {
        reads::user_sessions(&self.pool, user_id).await
    }

    async fn second_factor(&self, user_id: &str) -> Result<Option<SecondFactor>, StoreError> {
        reads::second_factor(&self.pool, user_id).await
    }

    async fn api_key_by_hash(&self, key_hash: &[u8]) -> Result<Option<ApiKey>, StoreError> {
        reads::api_key_by_hash(&self.pool, key_hash).await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        reads::api_keys(&self.pool).await
    }

    async fn credential_uses(&self) -> Result<Vec<custodia_store::CredentialUse>, StoreError> {
        access_reads::credential_uses(&self.pool).await
    }

    async fn access_reviews(&self) -> Result<Vec<custodia_store::AccessReview>, StoreError> {
        access_reads::access_reviews(&self.pool).await
    }

    async fn consent_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::ConsentTally>, StoreError> {
        access_reads::consent_tallies(&self.pool, since).await
    }

    async fn banner_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::BannerTally>, StoreError> {
        access_reads::banner_tallies(&self.pool, since).await
    }

    async fn request_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::RequestTally>, StoreError> {
        access_reads::request_tallies(&self.pool, since).await
    }

    async fn subject_consents(&self, subject_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        consent_reads::subject_consents(&self.pool, subject_id).await
    }

    async fn visitor_consents(&self, visitor_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        consent_reads::visitor_consents(&self.pool, visitor_id).await
    }

    async fn consents_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        consent_reads::consents_page(&self.pool, after, limit).await
    }

    async fn subject_visitor_links(
        &self,
        subject_id: &str,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        consent_reads::subject_visitor_links(&self.pool, subject_id).await
    }

    async fn visitor_links_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        consent_reads::visitor_links_page(&self.pool, after, limit).await
    }

    async fn rights_request(&self, id: &str) -> Result<Option<RightsRequestRow>, StoreError> {
        rights_reads::rights_request(&self.pool, id).await
    }

    async fn rights_requests_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        rights_reads::rights_requests_page(&self.pool, after, limit).await
    }

    async fn rights_request_queue(
        &self,
        query: &custodia_store::RequestQuery,
    ) -> Result<custodia_store::RequestHeads, StoreError> {
        rights_reads::rights_request_queue(&self.pool, query).await
    }

    async fn rights_requests_by_email(
        &self,
        email_index: &[u8],
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        rights_reads::rights_requests_by_email(&self.pool, email_index).await
    }

    async fn rights_requests_by_subject(
        &self,
        subject_id: &str,
    ) -> Result<Vec<custodia_store::RequestHead>, StoreError> {
        rights_reads::rights_requests_by_subject(&self.pool, subject_id).await
    }

    async fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        rights_reads::outbox_due(&self.pool, now, limit).await
    }

    async fn outbox_item(&self, id: &str) -> Result<Option<OutboxItem>, StoreError> {
        rights_reads::outbox_item(&self.pool, id).await
    }

    async fn outbox_for_request(&self, request_id: &str) -> Result<Vec<OutboxItem>, StoreError> {
        rights_reads::outbox_for_request(&self.pool, request_id).await
    }

    async fn outbox_failures(&self, limit: u32) -> Result<OutboxFailures, StoreError> {
        rights_reads::outbox_failures(&self.pool, limit).await
    }

    async fn outbox_pending(&self) -> Result<u64, StoreError> {
        rights_reads::outbox_pending(&self.pool).await
    }

    async fn download(&self, token_hash: &[u8]) -> Result<Option<DownloadRow>, StoreError> {
        rights_reads::download(&self.pool, token_hash).await
    }

    async fn request_document(
        &self,
        request_id: &str,
    ) -> Result<Option<RequestDocument>, StoreError> {
        rights_reads::request_document(&self.pool, request_id).await
    }

    async fn opposition_entry(&self, digest: &[u8]) -> Result<Option<OppositionEntry>, StoreError> {
        rights_reads::opposition_entry(&self.pool, digest).await
    }

    async fn opposition_page(
        &self,
        after: Option<&[u8]>,
        limit: u32,
    ) -> Result<Vec<OppositionEntry>, StoreError> {
        rights_reads::opposition_page(&self.pool, after, limit).await
    }

    async fn restrictions_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Restriction>, StoreError> {
        rights_reads::restrictions_page(&self.pool, after, limit).await
    }

    async fn restriction(&self, subject_id: &str) -> Result<Option<Restriction>, StoreError> {
        rights_reads::restriction(&self.pool, subject_id).await
    }

    async fn retention_facts_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RetentionFacts>, StoreError> {
        retention_reads::retention_facts_page(&self.pool, after, limit).await
    }

    async fn retention_facts_count(&self) -> Result<u64, StoreError> {
        retention_reads::retention_facts_count(&self.pool).await
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        custodia_store::retention::validate_lease(name, holder)?;
        retention_reads::acquire_lease(&self.pool, name, holder, now, until).await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        custodia_store::retention::validate_lease(name, holder)?;
        retention_reads::release_lease(&self.pool, name, holder).await
    }

    async fn legal_holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        retention_reads::legal_holds(&self.pool).await
    }

    async fn retention_counts(&self) -> Result<Vec<RetentionCount>, StoreError> {
        retention_reads::retention_counts(&self.pool).await
    }

    async fn breaches(&self) -> Result<Vec<custodia_store::BreachRow>, StoreError> {
        breach_reads::breaches(&self.pool).await
    }

    async fn breach(&self, id: &str) -> Result<Option<custodia_store::BreachRow>, StoreError> {
        breach_reads::breach(&self.pool, id).await
    }

    async fn breach_events(
        &self,
        breach_id: &str,
    ) -> Result<Vec<custodia_store::BreachEvent>, StoreError> {
        breach_reads::breach_events(&self.pool, breach_id).await
    }

    async fn subjects_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SubjectRecord>, StoreError> {
        consent_reads::subjects_page(&self.pool, after, limit).await
    }

    async fn index_entries_page(
        &self,
        kind: &str,
        after: Option<(&str, &[u8])>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        consent_reads::index_entries_page(&self.pool, kind, after, limit).await
    }
}
