//! Values to and from columns, SQLite errors as [`StoreError`]s that carry no stored
//! values, and the retry of writes that lost a race.

use std::time::Duration;

use custodia_store::backend::{DUPLICATE, MISSING_PARENT};
use custodia_store::policy::to_stored_instant;
use custodia_store::{MAX_WRITE_ATTEMPTS, StoreError};
use rusqlite::ErrorCode;
use rusqlite::ffi;
use time::OffsetDateTime;

use crate::BACKEND;

/// Microseconds since 1970-01-01 UTC of `t` truncated to whole microseconds, the
/// precision every backend keeps.
pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    // Truncated, the nanosecond count is a multiple of 1 000, so the division is exact;
    // `OffsetDateTime` spans ±9999 years, well inside an i64 of microseconds.
    let us = to_stored_instant(t).unix_timestamp_nanos() / 1_000;
    i64::try_from(us).unwrap_or(if us < 0 { i64::MIN } else { i64::MAX })
}

pub(crate) fn opt_micros(t: Option<OffsetDateTime>) -> Option<i64> {
    t.map(micros)
}

pub(crate) fn from_micros(us: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1_000).map_err(|_| {
        StoreError::Corrupt {
            backend: BACKEND,
            what: "a stored time is out of range",
        }
    })
}

pub(crate) fn from_opt_micros(us: Option<i64>) -> Result<Option<OffsetDateTime>, StoreError> {
    us.map(from_micros).transpose()
}

/// Category lists are stored as JSON arrays of strings.
pub(crate) fn encode_list(list: &[String]) -> String {
    // Serialising strings cannot fail; the fallback is unreachable.
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn decode_list(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt {
        backend: BACKEND,
        what: "a stored category list is not a JSON array of strings",
    })
}

// --- errors ------------------------------------------------------------------------

/// A description of `err` that names its class and SQLite result code, never the
/// database's message (which may quote values) nor a path.
pub(crate) fn describe(err: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    match err {
        E::SqliteFailure(e, _) => {
            let class = match e.code {
                ErrorCode::ConstraintViolation => match e.extended_code {
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        "unique violation"
                    }
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY => "foreign key violation",
                    ffi::SQLITE_CONSTRAINT_NOTNULL => "not-null violation",
                    ffi::SQLITE_CONSTRAINT_CHECK => "check violation",
                    _ => "constraint violation",
                },
                ErrorCode::DatabaseBusy => "database busy",
                ErrorCode::DatabaseLocked => "database table locked",
                ErrorCode::CannotOpen => "cannot open the database file",
                ErrorCode::ReadOnly => "read-only database",
                ErrorCode::DiskFull => "disk full",
                ErrorCode::SystemIoFailure => "I/O error",
                ErrorCode::DatabaseCorrupt => "corrupt database file",
                ErrorCode::NotADatabase => "not a database file",
                ErrorCode::PermissionDenied => "permission denied",
                ErrorCode::OutOfMemory => "out of memory",
                _ => "database error",
            };
            format!("{class} (code {})", e.extended_code)
        }
        E::FromSqlConversionFailure(index, ..)
        | E::InvalidColumnType(index, ..)
        | E::IntegralValueOutOfRange(index, _)
        | E::Utf8Error(index, _) => format!("cannot decode column {index}"),
        E::InvalidColumnIndex(index) => format!("no column {index}"),
        // Names come from this crate's SQL, never from stored values.
        E::InvalidColumnName(name) => format!("no column {name}"),
        E::QueryReturnedNoRows => "no row".to_owned(),
        E::QueryReturnedMoreThanOneRow => "more than one row".to_owned(),
        E::NulError(_) => "a value contains a NUL character".to_owned(),
        E::InvalidPath(_) => "invalid database path".to_owned(),
        E::ToSqlConversionFailure(_) => "cannot encode a value".to_owned(),
        E::InvalidParameterCount(given, expected) => {
            format!("{given} parameters given, {expected} expected")
        }
        E::ExecuteReturnedResults => "a statement returned rows".to_owned(),
        E::MultipleStatement => "more than one statement".to_owned(),
        _ => "database driver error".to_owned(),
    }
}

fn extended_code(err: &rusqlite::Error) -> Option<i32> {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.extended_code),
        _ => None,
    }
}

/// Whether `err` is a unique (or primary key) violation.
pub(crate) fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        extended_code(err),
        Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    )
}

/// Whether `err` is a foreign key violation.
pub(crate) fn is_foreign_key_violation(err: &rusqlite::Error) -> bool {
    extended_code(err) == Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// Lost races: another writer held the database lock past the busy timeout.
pub(crate) fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(crate) fn connect_error(err: &rusqlite::Error) -> StoreError {
    StoreError::Connect {
        backend: BACKEND,
        detail: describe(err),
    }
}

pub(crate) fn query_error(operation: &'static str, err: &rusqlite::Error) -> StoreError {
    StoreError::Query {
        backend: BACKEND,
        operation,
        detail: describe(err),
    }
}

/// The [`StoreError`] for an operation whose queries failed with `e`.
pub(crate) fn db_error(operation: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| query_error(operation, &e)
}

/// An error inside a store operation: from the database (maybe worth a retry), or
/// already a [`StoreError`].
#[derive(Debug)]
pub(crate) enum OpError {
    Db(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for OpError {
    fn from(e: rusqlite::Error) -> Self {
        OpError::Db(e)
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

impl OpError {
    pub(crate) fn into_store(self, operation: &'static str) -> StoreError {
        match self {
            OpError::Db(e) => query_error(operation, &e),
            OpError::Store(e) => e,
        }
    }
}

/// The [`StoreError`] of an operation that failed with `e`.
pub(crate) fn op_error(operation: &'static str) -> impl Fn(OpError) -> StoreError {
    move |e| e.into_store(operation)
}

/// A database error from a creation of a batch: unique and foreign key violations are
/// the caller's mistake ([`StoreError::Invalid`]); anything else stays a database error,
/// for the retry loop to judge.
pub(crate) fn write_error(err: rusqlite::Error) -> OpError {
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
pub(crate) fn audit_insert_error(err: rusqlite::Error) -> OpError {
    if is_unique_violation(&err) {
        OpError::Store(StoreError::AuditHeadMoved)
    } else {
        OpError::Db(err)
    }
}

/// Runs `attempt`, a whole transaction, until it succeeds or fails with an error
/// `is_retryable` rejects. A write that lost a race (the lock held by another process
/// past the busy timeout) is attempted again after a short pause, [`MAX_WRITE_ATTEMPTS`]
/// times at most, then gives up with [`StoreError::Conflict`]. Runs on the writer
/// thread, which has nothing else to do meanwhile: its next job needs the same lock.
pub(crate) fn retry_write<T>(
    operation: &'static str,
    is_retryable: fn(&rusqlite::Error) -> bool,
    mut attempt: impl FnMut() -> Result<T, OpError>,
) -> Result<T, StoreError> {
    let mut attempts = 1;
    loop {
        match attempt() {
            Ok(done) => return Ok(done),
            Err(OpError::Db(e)) if is_retryable(&e) => {
                if attempts >= MAX_WRITE_ATTEMPTS {
                    return Err(StoreError::Conflict {
                        backend: BACKEND,
                        operation,
                        attempts,
                    });
                }
                std::thread::sleep(Duration::from_millis(u64::from(attempts.min(20))));
                attempts += 1;
            }
            Err(e) => return Err(e.into_store(operation)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database whose message would quote the value (`UNIQUE constraint failed:
    /// t.v`, or a `CHECK` naming the expression) is reduced to its class and code.
    #[test]
    fn descriptions_never_quote_values_or_messages() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE p (id TEXT PRIMARY KEY) STRICT; \
             CREATE TABLE t (v TEXT UNIQUE CHECK (v <> 'forbidden-secret'), \
                             p TEXT REFERENCES p (id)) STRICT; \
             PRAGMA foreign_keys = ON; \
             INSERT INTO t (v) VALUES ('secret-value');",
        )
        .unwrap();
        let cases = [
            (
                "INSERT INTO t (v) VALUES ('secret-value')",
                "unique violation (code 2067)",
            ),
            (
                "INSERT INTO t (v) VALUES ('forbidden-secret')",
                "check violation (code 275)",
            ),
            (
                "INSERT INTO t (v, p) VALUES ('x', 'secret-parent')",
                "foreign key violation (code 787)",
            ),
            ("SELECT * FROM secret_table", "database error (code 1)"),
        ];
        for (sql, expected) in cases {
            let err = conn.execute(sql, []).unwrap_err();
            let shown = query_error("test", &err).to_string();
            assert!(shown.ends_with(expected), "{sql}: {shown}");
            assert!(!shown.contains("secret"), "{sql}: {shown}");
        }
        let dup = conn
            .execute("INSERT INTO t (v) VALUES ('secret-value')", [])
            .unwrap_err();
        assert!(matches!(write_error(dup), OpError::Store(e) if e == DUPLICATE));
        let orphan = conn
            .execute("INSERT INTO t (v, p) VALUES ('y', 'nobody')", [])
            .unwrap_err();
        assert!(matches!(write_error(orphan), OpError::Store(e) if e == MISSING_PARENT));
    }

    #[test]
    fn busy_is_retried_until_it_gives_up() {
        let busy = || {
            OpError::Db(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(ffi::SQLITE_BUSY),
                Some("database is locked".to_owned()),
            ))
        };
        let mut calls = 0;
        let got: Result<(), StoreError> = retry_write("test", is_busy, || {
            calls += 1;
            if calls < 3 { Err(busy()) } else { Ok(()) }
        });
        assert_eq!((got, calls), (Ok(()), 3));
        let got: Result<(), StoreError> = retry_write("test", is_busy, || Err(busy()));
        assert_eq!(
            got,
            Err(StoreError::Conflict {
                backend: BACKEND,
                operation: "test",
                attempts: MAX_WRITE_ATTEMPTS,
            })
        );
    }
}
