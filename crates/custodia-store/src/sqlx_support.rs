//! What the sqlx backends add to [`crate::backend`]: describing sqlx errors without
//! leaking data (database messages, which may quote values, and URLs, which may hold
//! passwords, are left out), and the shared retry policy as an async loop. The
//! backend-neutral helpers (checking a batch, grouping its writes into multi-row
//! inserts, error mapping...) live in [`crate::backend`] and are re-exported here.

use std::future::Future;

use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::migrate::MigrateError;

use crate::StoreError;
pub use crate::backend::{
    DEFAULT_AUDIT_LIMIT, DEFAULT_KEY_PAGE, DOWNLOAD_USED, InsertRun, MISSING_API_KEY,
    MISSING_SUBJECT, MISSING_USER, OUTBOX_CLAIMED, RIGHTS_REQUEST_CHANGED, RIGHTS_REQUEST_EXISTS,
    SECOND_FACTOR_CHANGED, Step, ZERO_HASH, audit_insert_error, audit_limit, check_audit_head,
    chunk_sizes, connect_error, key_page_limit, plan, query_error, sort_api_keys, sort_subject,
    sort_users, validate_batch, validate_key_ids, write_error,
};
use crate::backend::{DriverError, Retry};

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

impl DriverError for sqlx::Error {
    fn describe(&self) -> String {
        describe(self)
    }

    fn is_unique_violation(&self) -> bool {
        is_unique_violation(self)
    }

    fn is_foreign_key_violation(&self) -> bool {
        is_foreign_key_violation(self)
    }

    fn is_unreachable(&self) -> bool {
        match self {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed => true,
            // Class 08: connection exceptions; 57P01-03: the server is shutting down
            // or starting.
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57P0")),
            _ => false,
        }
    }
}

/// Whether `err` is a foreign key violation.
pub fn is_foreign_key_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == ErrorKind::ForeignKeyViolation)
}

/// Whether `err` is a unique (or primary key) violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation)
}

pub fn migrate_error(backend: &'static str, err: &MigrateError) -> StoreError {
    StoreError::Migrate {
        backend,
        detail: describe_migrate(err),
    }
}

/// An error inside a store operation of a sqlx backend.
pub type OpError = crate::backend::OpError<sqlx::Error>;

/// Runs `attempt`, a whole transaction, under the shared retry policy ([`Retry`]).
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
    let mut retry = Retry::new(backend, operation, is_retryable);
    loop {
        match attempt().await {
            Ok(done) => return Ok(done),
            Err(failure) => tokio::time::sleep(retry.after(failure)?).await,
        }
    }
}
