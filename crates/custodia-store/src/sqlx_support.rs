//! Turning sqlx errors into [`StoreError`]s without leaking data: database messages
//! (which may quote values) and URLs (which may hold passwords) are left out.

use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::migrate::MigrateError;

use crate::StoreError;

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
