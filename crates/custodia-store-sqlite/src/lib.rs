//! The embedded SQLite store: one database file in WAL mode with `synchronous=FULL`, so a
//! write is on disk once acknowledged. In-memory databases are refused: a pooled
//! `:memory:` gives every connection its own empty database.
//!
//! [`SqliteKeyStore`] keeps data keys in a second file of its own.

mod apply;
mod codec;
mod consent_reads;
mod keys;
mod policy;
mod reads;

pub use keys::SqliteKeyStore;

use std::path::Path;
use std::time::Duration;

use custodia_store::sqlx_support::{connect_error, migrate_error, query_error};
use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Batch, ConsentRecord, NewPolicyVersion, PolicyVersion,
    PolicyVersionSummary, Published, Session, StaffUser, Store, StoreError, StoredSubject,
    SubjectRecord, VisitorLink,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

const BACKEND: &str = "sqlite";

/// Readers run in parallel under WAL; writers queue on the database lock.
const MAX_CONNECTIONS: u32 = 8;

/// How long a writer waits for another writer (also in another process) to commit.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Prepared statements kept per connection: multi-row inserts use up to nine texts per
/// table (see `codec::BulkInsert`), audit listings up to 32.
const STATEMENT_CACHE: usize = 256;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file if missing (not its directory),
    /// and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Zero deleted content (erased blind indexes) where that costs no extra I/O.
            .pragma("secure_delete", "FAST")
            .statement_cache_capacity(STATEMENT_CACHE)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(BACKEND, &e))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| migrate_error(BACKEND, &e))?;
        Ok(SqliteStore { pool })
    }

    /// Opens `sqlite://PATH` or `sqlite:PATH` (`sqlite:///abs/path` for an absolute
    /// path). Query parameters are not interpreted: the options above always apply.
    pub async fn open_url(url: &str) -> Result<SqliteStore, StoreError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or(StoreError::Invalid {
                reason: "a SQLite URL starts with sqlite:// or sqlite:",
            })?;
        if path.is_empty() || path.contains(":memory:") || path.contains("mode=memory") {
            return Err(StoreError::Invalid {
                reason: "a SQLite URL must name a file; in-memory databases are not supported",
            });
        }
        if path.contains('?') {
            return Err(StoreError::Invalid {
                reason: "SQLite URL parameters are not supported",
            });
        }
        SqliteStore::open(Path::new(path)).await
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
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

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        reads::audit_head(&self.pool).await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        reads::audit_entries(&self.pool, filter).await
    }

    async fn subject(&self, id: &str) -> Result<Option<StoredSubject>, StoreError> {
        reads::subject(&self.pool, id).await
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

    async fn api_key_by_hash(&self, key_hash: &[u8]) -> Result<Option<ApiKey>, StoreError> {
        reads::api_key_by_hash(&self.pool, key_hash).await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        reads::api_keys(&self.pool).await
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
