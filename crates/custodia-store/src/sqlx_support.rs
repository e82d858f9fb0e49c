//! What the sqlx backends share: turning sqlx errors into [`StoreError`]s without
//! leaking data (database messages, which may quote values, and URLs, which may hold
//! passwords, are left out) and retrying writes that lost a race. The backend-neutral
//! helpers (checking a batch, grouping its writes into multi-row inserts...) live in
//! [`crate::backend`] and are re-exported here.

use std::future::Future;
use std::time::Duration;

use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::migrate::MigrateError;

pub use crate::backend::{
    DEFAULT_AUDIT_LIMIT, DEFAULT_KEY_PAGE, DOWNLOAD_USED, InsertRun, MISSING_API_KEY,
    MISSING_SUBJECT, MISSING_USER, RIGHTS_REQUEST_CHANGED, RIGHTS_REQUEST_EXISTS, Step, ZERO_HASH,
    audit_limit, check_audit_head, chunk_sizes, plan, sort_api_keys, sort_subject, sort_users,
    validate_batch, validate_key_ids,
};
use crate::backend::{DUPLICATE, MISSING_PARENT};
use crate::{MAX_WRITE_ATTEMPTS, StoreError};

/// A description of `err` that names its class, code and constraint, never values.
pub fn describe(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => describe_database(db.as_ref()),
        sqlx::Error::Io(io) => format!("I/O error: {}", io.kind()),
        sqlx::Error::Tls(_) => "TLS error".to_owned(),
        sqlx::Error::Configuration(_) => "invalid connection configuration".to_owned(),
        sqlx::Error::Protocol(_) => "protocol error".to_owned(),
        sqlx::Error::ColumnDecode { index, .. } => format!("cannot decode column {index}"),
        sqlx::Error::Decode(_) => "cannot decode a value".to_owned(),
        sqlx::Error::Encode(_) => "cannot encode a value".to_owned(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".to_owned(),
        sqlx::Error::PoolClosed => "the connection pool is closed".to_owned(),
        sqlx::Error::WorkerCrashed => "the database worker crashed".to_owned(),
        sqlx::Error::RowNotFound => "no row".to_owned(),
        sqlx::Error::ColumnNotFound(name) => format!("no column {name}"),
        sqlx::Error::ColumnIndexOutOfBounds { index, len } => {
            format!("column index {index} out of {len}")
        }
        _ => "database driver error".to_owned(),
    }
}

fn describe_database(db: &dyn DatabaseError) -> String {
    let class = match db.kind() {
        ErrorKind::UniqueViolation => "unique violation",
        ErrorKind::ForeignKeyViolation => "foreign key violation",
        ErrorKind::NotNullViolation => "not-null violation",
        ErrorKind::CheckViolation => "check violation",
        ErrorKind::ExclusionViolation => "exclusion violation",
        _ => "database error",
    };
    let mut out = class.to_owned();
    if let Some(code) = db.code() {
        out.push_str(&format!(" (code {code})"));
    }
    if let Some(constraint) = db.constraint() {
        out.push_str(&format!(" on constraint {constraint}"));
    }
    out
}

/// A description of a migration failure; versions are safe to show.
pub fn describe_migrate(err: &MigrateError) -> String {
    match err {
        MigrateError::Execute(e) => describe(e),
        MigrateError::ExecuteMigration(e, version) => {
            format!("migration {version}: {}", describe(e))
        }
        MigrateError::Source(_) => "cannot read the embedded migrations".to_owned(),
        other => other.to_string(),
    }
}

/// Whether `err` is a unique (or primary key) violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation)
}

/// Whether `err` is a foreign key violation.
pub fn is_foreign_key_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == ErrorKind::ForeignKeyViolation)
}

pub fn connect_error(backend: &'static str, err: &sqlx::Error) -> StoreError {
    StoreError::Connect {
        backend,
        detail: describe(err),
    }
}

pub fn migrate_error(backend: &'static str, err: &MigrateError) -> StoreError {
    StoreError::Migrate {
        backend,
        detail: describe_migrate(err),
    }
}

pub fn query_error(
    backend: &'static str,
    operation: &'static str,
    err: &sqlx::Error,
) -> StoreError {
    StoreError::Query {
        backend,
        operation,
        detail: describe(err),
    }
}

/// An error inside a store operation: from the database (maybe worth a retry), or
/// already a [`StoreError`].
#[derive(Debug)]
pub enum OpError {
    Db(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for OpError {
    fn from(e: sqlx::Error) -> Self {
        OpError::Db(e)
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

impl OpError {
    /// The [`StoreError`] of `backend` failing to do `operation`.
    pub fn into_store(self, backend: &'static str, operation: &'static str) -> StoreError {
        match self {
            OpError::Db(e) => query_error(backend, operation, &e),
            OpError::Store(e) => e,
        }
    }
}

/// Runs `attempt` until it succeeds or fails with an error `is_retryable` rejects; a write
/// that lost a race is attempted again after a short pause, [`MAX_WRITE_ATTEMPTS`] times
/// at most, then gives up with [`StoreError::Conflict`]. Each attempt must be a whole
/// transaction of its own.
pub async fn retry_write<T, F, Fut>(
    backend: &'static str,
    operation: &'static str,
    is_retryable: fn(&sqlx::Error) -> bool,
    mut attempt: F,
) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, OpError>>,
{
    let mut attempts = 1;
    loop {
        match attempt().await {
            Ok(done) => return Ok(done),
            Err(OpError::Db(e)) if is_retryable(&e) => {
                if attempts >= MAX_WRITE_ATTEMPTS {
                    return Err(StoreError::Conflict {
                        backend,
                        operation,
                        attempts,
                    });
                }
                tokio::time::sleep(Duration::from_millis(u64::from(attempts.min(20)))).await;
                attempts += 1;
            }
            Err(e) => return Err(e.into_store(backend, operation)),
        }
    }
}

// --- batches -----------------------------------------------------------------------

/// A database error from a write of a batch: unique and foreign key violations are the
/// caller's mistake ([`StoreError::Invalid`]); anything else stays a database error, for
/// the retry loop to judge.
pub fn write_error(err: sqlx::Error) -> OpError {
    if is_unique_violation(&err) {
        OpError::Store(DUPLICATE)
    } else if is_foreign_key_violation(&err) {
        OpError::Store(MISSING_PARENT)
    } else {
        OpError::Db(err)
    }
}

/// A database error from appending audit entries: a taken `seq` means another writer
/// appended first.
pub fn audit_insert_error(err: sqlx::Error) -> OpError {
    if is_unique_violation(&err) {
        OpError::Store(StoreError::AuditHeadMoved)
    } else {
        OpError::Db(err)
    }
}
