//! The embedded SQLite store: one database file in WAL mode with `synchronous=FULL`, so a
//! write is on disk once acknowledged. In-memory databases are refused: each connection
//! would get its own empty database.
//!
//! Built on rusqlite. Connections live on threads of their own (see `engine`): one
//! writer, a few readers and a checkpointer; a store call is one job on the writer or a
//! reader, so a whole `apply` or a whole read costs one hop to that thread and one
//! back, and statements are prepared once per connection (`prepare_cached`).
//!
//! [`SqliteKeyStore`] keeps data keys in a second file of its own.

mod access_reads;
mod apply;
mod audit_writes;
pub mod backup;
mod breach_reads;
mod breach_writes;
mod codec;
mod consent_reads;
mod consent_writes;
mod engine;
mod keys;
mod migrate;
mod policy;
mod reads;
mod retention_reads;
mod retention_writes;
mod rights_reads;
mod rights_writes;
mod staff_writes;
mod vault_writes;

pub use keys::SqliteKeyStore;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Batch, ConsentRecord, DownloadRow, LegalHold,
    NewPolicyVersion, OppositionEntry, OutboxFailures, OutboxItem, PolicyVersion,
    PolicyVersionSummary, Published, Queued, RequestDocument, Restriction, RetentionCount,
    RetentionFacts, RightsRequestRow, SealedField, SecondFactor, Session, StaffUser, Store,
    StoreError, StoredSubject, SubjectRecord, VisitorLink,
};
use rusqlite::{Connection, OpenFlags};
use time::OffsetDateTime;

use crate::codec::{connect_error, db_error, is_busy};
use crate::engine::Engine;
use crate::migrate::Migrations;

const BACKEND: &str = "sqlite";

/// How long a writer waits for another writer (also in another process) to commit.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Prepared statements kept per connection: about eighty fixed texts, plus up to 32
/// audit listings (one text per combination of filters).
const STATEMENT_CACHE: usize = 128;

/// Page cache of the writer connection: 16 MiB (`PRAGMA cache_size` counts KiB when
/// negative); other connections keep SQLite's default of 2 MiB.
const WRITER_CACHE: i64 = -16 * 1024;

/// WAL pages (about 40 MiB) past which the writer checkpoints in its own commit
/// (SQLite's default is 1,000): only when the checkpointer thread falls behind.
const WRITER_AUTOCHECKPOINT: i64 = 10_000;

/// Reader threads per database: reads run in parallel under WAL, and each one is short,
/// so a thread per core (two to four) keeps the cores busy without idle connections.
fn reader_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// How one database file is opened.
struct Profile {
    /// Thread names start with this.
    name: &'static str,
    /// `PRAGMA secure_delete` of the writer connection.
    secure_delete: &'static str,
    migrations: Migrations,
}

/// What a connection is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Read-write, creating the file, WAL.
    Writer,
    /// `query_only`.
    Reader,
    /// Copies the WAL into the database file, beside the writer.
    Checkpointer,
}

/// Creates a missing database file readable by its owner only: SQLite would create
/// it 0644 less the umask, and gives its `-wal` and `-shm` files the database's
/// mode. An empty file is an empty database. A failure is left for SQLite's open to
/// report.
fn create_private(path: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
}

/// Opens a connection to `path` for `role`.
fn connect(path: &Path, role: Role, profile: &Profile) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    create_private(path);
    let conn = Connection::open_with_flags(path, flags).map_err(|e| connect_error(&e))?;
    let configure = || -> Result<bool, rusqlite::Error> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The writer's commits are synced by the engine's syncer thread, after the
        // writer has moved on (see `engine`); checkpoints, including the one the last
        // connection to close runs, sync at either level.
        let synchronous = if role == Role::Writer {
            "NORMAL"
        } else {
            "FULL"
        };
        conn.pragma_update(None, "synchronous", synchronous)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "secure_delete", profile.secure_delete)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        match role {
            Role::Writer => {
                // The writer's cache survives its own commits (readers drop theirs whenever
                // the WAL moved on): room for the index pages that random keys (blind
                // indexes, audit entries by subject) touch.
                conn.pragma_update(None, "cache_size", WRITER_CACHE)?;
                // Checkpoints run on a thread of their own (see `engine`), beside the
                // writer's commits instead of inside them; the writer checkpoints itself
                // only when the WAL grows past this many pages regardless.
                conn.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT)?;
                let mode: String =
                    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
                Ok(mode.eq_ignore_ascii_case("wal"))
            }
            Role::Reader => {
                conn.pragma_update(None, "query_only", true)?;
                Ok(true)
            }
            Role::Checkpointer => Ok(true),
        }
    };
    // Switching a new file to WAL needs it to itself: a connection opened at the same
    // moment (another process starting) can make that fail at once with SQLITE_BUSY,
    // without the busy timeout; wait for it as long.
    let started = Instant::now();
    loop {
        match configure() {
            Ok(true) => return Ok(conn),
            Ok(false) => {
                return Err(StoreError::Connect {
                    backend: BACKEND,
                    detail: "the database cannot be put in WAL mode".to_owned(),
                });
            }
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(connect_error(&e)),
        }
    }
}

/// Opens the writer connection, applies pending migrations, opens the readers and
/// starts their threads.
async fn start(path: &Path, profile: Profile) -> Result<Engine, StoreError> {
    let path: PathBuf = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut writer = connect(&path, Role::Writer, &profile)?;
        profile.migrations.run(&mut writer)?;
        let readers = (0..reader_count())
            .map(|_| connect(&path, Role::Reader, &profile))
            .collect::<Result<Vec<_>, _>>()?;
        let checkpointer = connect(&path, Role::Checkpointer, &profile)?;
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        Engine::start(profile.name, wal.into(), writer, readers, checkpointer)
    })
    .await
    .map_err(|_| StoreError::Connect {
        backend: BACKEND,
        detail: "the thread opening the database failed".to_owned(),
    })?
}

pub struct SqliteStore {
    engine: Engine,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file if missing (not its directory),
    /// and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let profile = Profile {
            name: "sqlite",
            // Zero deleted content (erased blind indexes) where that costs no extra I/O.
            secure_delete: "FAST",
            migrations: migrate::DATA,
        };
        Ok(SqliteStore {
            engine: start(path, profile).await?,
        })
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

    /// Lets queued work finish, then closes the connections; later calls fail.
    pub async fn close(&self) {
        self.engine.close().await;
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn health(&self) -> Result<(), StoreError> {
        const OP: &str = "check health";
        self.engine
            .read(OP, |conn| {
                conn.prepare_cached("SELECT 1")
                    .and_then(|mut s| s.query_row([], |_| Ok(())))
                    .map_err(db_error(OP))
            })
            .await
    }

    async fn publish_policy_version(&self, new: NewPolicyVersion) -> Result<Published, StoreError> {
        new.validate()?;
        self.engine
            .write(policy::PUBLISH, move |conn| policy::publish(conn, &new))
            .await
    }

    async fn latest_policy_version(&self) -> Result<Option<PolicyVersion>, StoreError> {
        self.engine.read(policy::LATEST, policy::latest).await
    }

    async fn policy_versions(&self) -> Result<Vec<PolicyVersionSummary>, StoreError> {
        self.engine.read(policy::LIST, policy::list).await
    }

    async fn policy_version(&self, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
        self.engine
            .read(policy::GET, move |conn| policy::get(conn, number))
            .await
    }

    async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        if !custodia_store::backend::validate_batch(&batch)? {
            return Ok(());
        }
        self.engine
            .write(apply::APPLY, move |conn| apply::apply(conn, &batch))
            .await
    }

    async fn apply_queued(&self, batch: Batch) -> Result<Queued, StoreError> {
        if !custodia_store::backend::validate_batch(&batch)? {
            return Ok(Queued::finished(Ok(())));
        }
        let (applied, durable) = self
            .engine
            .queue_write(apply::APPLY, move |conn| apply::apply(conn, &batch))?;
        Ok(Queued {
            applied: Box::pin(applied),
            durable: Box::pin(durable),
        })
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.engine
            .read(reads::AUDIT_HEAD, |conn| reads::audit_head(conn))
            .await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let filter = filter.clone();
        self.engine
            .read(reads::AUDIT_ENTRIES, move |conn| {
                reads::audit_entries(conn, &filter)
            })
            .await
    }

    async fn subject(&self, id: &str) -> Result<Option<StoredSubject>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(reads::SUBJECT, move |conn| reads::subject(conn, &id))
            .await
    }

    async fn subject_fields(&self, id: &str) -> Result<Option<Vec<SealedField>>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(reads::SUBJECT_FIELDS, move |conn| {
                reads::subject_fields(conn, &id)
            })
            .await
    }

    async fn subjects_by_index(
        &self,
        kind: &str,
        digest: &[u8],
    ) -> Result<Vec<String>, StoreError> {
        let (kind, digest) = (kind.to_owned(), digest.to_vec());
        self.engine
            .read(reads::BY_INDEX, move |conn| {
                reads::subjects_by_index(conn, &kind, &digest)
            })
            .await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError> {
        let email = email.to_owned();
        self.engine
            .read(reads::USER, move |conn| reads::user_by_email(conn, &email))
            .await
    }

    async fn user(&self, id: &str) -> Result<Option<StaffUser>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(reads::USER, move |conn| reads::user(conn, &id))
            .await
    }

    async fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        self.engine.read(reads::USERS, reads::users).await
    }

    async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>, StoreError> {
        let token_hash = token_hash.to_vec();
        self.engine
            .read(reads::SESSION, move |conn| {
                reads::session(conn, &token_hash)
            })
            .await
    }

    async fn api_key_by_hash(&self, key_hash: &[u8]) -> Result<Option<ApiKey>, StoreError> {
        let key_hash = key_hash.to_vec();
        self.engine
            .read(reads::API_KEY, move |conn| {
                reads::api_key_by_hash(conn, &key_hash)
            })
            .await
    }

    async fn user_sessions(&self, user_id: &str) -> Result<Vec<Session>, StoreError> {
        let user_id = user_id.to_owned();
        self.engine
            .read(reads::USER_SESSIONS, move |conn| {
                reads::user_sessions(conn, &user_id)
            })
            .await
    }

    async fn second_factor(&self, user_id: &str) -> Result<Option<SecondFactor>, StoreError> {
        let user_id = user_id.to_owned();
        self.engine
            .read(reads::SECOND_FACTOR, move |conn| {
                reads::second_factor(conn, &user_id)
            })
            .await
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        self.engine.read(reads::API_KEYS, reads::api_keys).await
    }

    async fn credential_uses(&self) -> Result<Vec<custodia_store::CredentialUse>, StoreError> {
        self.engine
            .read(access_reads::USES, access_reads::credential_uses)
            .await
    }

    async fn access_reviews(&self) -> Result<Vec<custodia_store::AccessReview>, StoreError> {
        self.engine
            .read(access_reads::REVIEWS, access_reads::access_reviews)
            .await
    }

    async fn consent_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::ConsentTally>, StoreError> {
        let since = codec::micros(since);
        self.engine
            .read(access_reads::CONSENT_TALLIES, move |conn| {
                access_reads::consent_tallies(conn, since)
            })
            .await
    }

    async fn banner_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::BannerTally>, StoreError> {
        let since = codec::micros(since);
        self.engine
            .read(access_reads::BANNER_TALLIES, move |conn| {
                access_reads::banner_tallies(conn, since)
            })
            .await
    }

    async fn request_tallies(
        &self,
        since: OffsetDateTime,
    ) -> Result<Vec<custodia_store::RequestTally>, StoreError> {
        let since = codec::micros(since);
        self.engine
            .read(access_reads::REQUEST_TALLIES, move |conn| {
                access_reads::request_tallies(conn, since)
            })
            .await
    }

    async fn subject_consents(&self, subject_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        let id = subject_id.to_owned();
        self.engine
            .read(consent_reads::CONSENTS, move |conn| {
                consent_reads::subject_consents(conn, &id)
            })
            .await
    }

    async fn visitor_consents(&self, visitor_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        let id = visitor_id.to_owned();
        self.engine
            .read(consent_reads::CONSENTS, move |conn| {
                consent_reads::visitor_consents(conn, &id)
            })
            .await
    }

    async fn consents_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(consent_reads::CONSENTS, move |conn| {
                consent_reads::consents_page(conn, &after, limit)
            })
            .await
    }

    async fn subject_visitor_links(
        &self,
        subject_id: &str,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        let id = subject_id.to_owned();
        self.engine
            .read(consent_reads::LINKS, move |conn| {
                consent_reads::subject_visitor_links(conn, &id)
            })
            .await
    }

    async fn visitor_links_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<VisitorLink>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(consent_reads::LINKS, move |conn| {
                consent_reads::visitor_links_page(conn, &after, limit)
            })
            .await
    }

    async fn rights_request(&self, id: &str) -> Result<Option<RightsRequestRow>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(rights_reads::REQUESTS, move |conn| {
                rights_reads::rights_request(conn, &id)
            })
            .await
    }

    async fn rights_requests_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(rights_reads::REQUESTS, move |conn| {
                rights_reads::rights_requests_page(conn, &after, limit)
            })
            .await
    }

    async fn rights_request_queue(
        &self,
        query: &custodia_store::RequestQuery,
    ) -> Result<custodia_store::RequestHeads, StoreError> {
        let query = query.clone();
        self.engine
            .read(rights_reads::REQUESTS, move |conn| {
                rights_reads::rights_request_queue(conn, &query)
            })
            .await
    }

    async fn rights_requests_by_email(
        &self,
        email_index: &[u8],
    ) -> Result<Vec<RightsRequestRow>, StoreError> {
        let email_index = email_index.to_vec();
        self.engine
            .read(rights_reads::REQUESTS, move |conn| {
                rights_reads::rights_requests_by_email(conn, &email_index)
            })
            .await
    }

    async fn rights_requests_by_subject(
        &self,
        subject_id: &str,
    ) -> Result<Vec<custodia_store::RequestHead>, StoreError> {
        let subject_id = subject_id.to_owned();
        self.engine
            .read(rights_reads::REQUESTS, move |conn| {
                rights_reads::rights_requests_by_subject(conn, &subject_id)
            })
            .await
    }

    async fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.engine
            .read(rights_reads::OUTBOX, move |conn| {
                rights_reads::outbox_due(conn, now, limit)
            })
            .await
    }

    async fn outbox_item(&self, id: &str) -> Result<Option<OutboxItem>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(rights_reads::OUTBOX, move |conn| {
                rights_reads::outbox_item(conn, &id)
            })
            .await
    }

    async fn outbox_for_request(&self, request_id: &str) -> Result<Vec<OutboxItem>, StoreError> {
        let id = request_id.to_owned();
        self.engine
            .read(rights_reads::OUTBOX, move |conn| {
                rights_reads::outbox_for_request(conn, &id)
            })
            .await
    }

    async fn outbox_failures(&self, limit: u32) -> Result<OutboxFailures, StoreError> {
        self.engine
            .read(rights_reads::OUTBOX, move |conn| {
                rights_reads::outbox_failures(conn, limit)
            })
            .await
    }

    async fn outbox_pending(&self) -> Result<u64, StoreError> {
        self.engine
            .read(rights_reads::OUTBOX, rights_reads::outbox_pending)
            .await
    }

    async fn download(&self, token_hash: &[u8]) -> Result<Option<DownloadRow>, StoreError> {
        let token_hash = token_hash.to_vec();
        self.engine
            .read(rights_reads::DOWNLOADS, move |conn| {
                rights_reads::download(conn, &token_hash)
            })
            .await
    }

    async fn request_document(
        &self,
        request_id: &str,
    ) -> Result<Option<RequestDocument>, StoreError> {
        let id = request_id.to_owned();
        self.engine
            .read(rights_reads::DOCUMENTS, move |conn| {
                rights_reads::request_document(conn, &id)
            })
            .await
    }

    async fn opposition_entry(&self, digest: &[u8]) -> Result<Option<OppositionEntry>, StoreError> {
        let digest = digest.to_vec();
        self.engine
            .read(rights_reads::OPPOSITION, move |conn| {
                rights_reads::opposition_entry(conn, &digest)
            })
            .await
    }

    async fn opposition_page(
        &self,
        after: Option<&[u8]>,
        limit: u32,
    ) -> Result<Vec<OppositionEntry>, StoreError> {
        let after = after.unwrap_or_default().to_vec();
        self.engine
            .read(rights_reads::OPPOSITION, move |conn| {
                rights_reads::opposition_page(conn, &after, limit)
            })
            .await
    }

    async fn restrictions_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Restriction>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(rights_reads::RESTRICTIONS, move |conn| {
                rights_reads::restrictions_page(conn, &after, limit)
            })
            .await
    }

    async fn restriction(&self, subject_id: &str) -> Result<Option<Restriction>, StoreError> {
        let id = subject_id.to_owned();
        self.engine
            .read(rights_reads::RESTRICTIONS, move |conn| {
                rights_reads::restriction(conn, &id)
            })
            .await
    }

    async fn retention_facts_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<RetentionFacts>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(retention_reads::FACTS, move |conn| {
                retention_reads::retention_facts_page(conn, &after, limit)
            })
            .await
    }

    /// One read per count, so that other reads (a health check) pass in between:
    /// at 1,000,000 subjects the counts take about a second together. Only the
    /// server reads them, before the routes that write what they count are open.
    async fn book_stamp(&self) -> Result<Option<String>, StoreError> {
        let mut counts = Vec::with_capacity(retention_reads::BOOK_COUNTS.len());
        for sql in retention_reads::BOOK_COUNTS {
            let n = self
                .engine
                .read(retention_reads::BOOK_STAMP, move |conn| {
                    retention_reads::count(conn, sql)
                })
                .await?;
            counts.push(n.to_string());
        }
        Ok(Some(counts.join(",")))
    }

    async fn retention_facts_count(&self) -> Result<u64, StoreError> {
        self.engine
            .read(
                retention_reads::COUNT_FACTS,
                retention_reads::retention_facts_count,
            )
            .await
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        custodia_store::retention::validate_lease(name, holder)?;
        let (name, holder) = (name.to_owned(), holder.to_owned());
        let (now, until) = (codec::micros(now), codec::micros(until));
        self.engine
            .write(retention_reads::LEASE, move |conn| {
                retention_reads::acquire_lease(conn, &name, &holder, now, until)
            })
            .await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        custodia_store::retention::validate_lease(name, holder)?;
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.engine
            .write(retention_reads::RELEASE, move |conn| {
                retention_reads::release_lease(conn, &name, &holder)
            })
            .await
    }

    async fn legal_holds(&self) -> Result<Vec<LegalHold>, StoreError> {
        self.engine
            .read(retention_reads::HOLDS, retention_reads::legal_holds)
            .await
    }

    async fn retention_counts(&self) -> Result<Vec<RetentionCount>, StoreError> {
        self.engine
            .read(retention_reads::COUNTS, retention_reads::retention_counts)
            .await
    }

    async fn breaches(&self) -> Result<Vec<custodia_store::BreachRow>, StoreError> {
        self.engine
            .read(breach_reads::BREACHES, breach_reads::breaches)
            .await
    }

    async fn breach(&self, id: &str) -> Result<Option<custodia_store::BreachRow>, StoreError> {
        let id = id.to_owned();
        self.engine
            .read(breach_reads::BREACHES, move |conn| {
                breach_reads::breach(conn, &id)
            })
            .await
    }

    async fn breach_events(
        &self,
        breach_id: &str,
    ) -> Result<Vec<custodia_store::BreachEvent>, StoreError> {
        let id = breach_id.to_owned();
        self.engine
            .read(breach_reads::EVENTS, move |conn| {
                breach_reads::breach_events(conn, &id)
            })
            .await
    }

    async fn subjects_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<SubjectRecord>, StoreError> {
        let after = after.unwrap_or_default().to_owned();
        self.engine
            .read(consent_reads::SUBJECTS_PAGE, move |conn| {
                consent_reads::subjects_page(conn, &after, limit)
            })
            .await
    }

    async fn index_entries_page(
        &self,
        kind: &str,
        after: Option<(&str, &[u8])>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let kind = kind.to_owned();
        let (after_id, after_digest) = after.map_or((String::new(), Vec::new()), |(s, d)| {
            (s.to_owned(), d.to_vec())
        });
        self.engine
            .read(consent_reads::INDEX_PAGE, move |conn| {
                consent_reads::index_entries_page(conn, &kind, &after_id, &after_digest, limit)
            })
            .await
    }
}
