//! Values to and from columns, and the shared error mapping and retry policy
//! (`custodia_store::backend`) bound to this backend.

use custodia_store::StoreError;
use custodia_store::backend;
pub(crate) use custodia_store::backend::{audit_insert_error, encode_list, write_error};
use custodia_store::policy::to_stored_instant;
pub(crate) use custodia_store::rusqlite_support::is_unique_violation;
use rusqlite::ErrorCode;
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

pub(crate) fn decode_list(json: &str) -> Result<Vec<String>, StoreError> {
    backend::decode_list(BACKEND, json)
}

// --- errors ------------------------------------------------------------------------

/// Lost races: another writer held the database lock past the busy timeout.
pub(crate) fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(crate) fn connect_error(err: &rusqlite::Error) -> StoreError {
    backend::connect_error(BACKEND, err)
}

pub(crate) fn query_error(operation: &'static str, err: &rusqlite::Error) -> StoreError {
    backend::query_error(BACKEND, operation, err)
}

/// The [`StoreError`] for an operation whose queries failed with `e`.
pub(crate) fn db_error(operation: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| query_error(operation, &e)
}

/// An error inside a store operation: from rusqlite (maybe worth a retry), or already a
/// [`StoreError`].
pub(crate) type OpError = backend::OpError<rusqlite::Error>;

/// The [`StoreError`] of an operation that failed with `e`.
pub(crate) fn op_error(operation: &'static str) -> impl Fn(OpError) -> StoreError {
    move |e| e.into_store(BACKEND, operation)
}

/// Runs `attempt`, a whole transaction, under the shared retry policy
/// ([`backend::Retry`]). Runs on the writer thread, which has nothing else to do
/// meanwhile: its next job needs the same lock.
pub(crate) fn retry_write<T>(
    operation: &'static str,
    is_retryable: fn(&rusqlite::Error) -> bool,
    mut attempt: impl FnMut() -> Result<T, OpError>,
) -> Result<T, StoreError> {
    let mut retry = backend::Retry::new(BACKEND, operation, is_retryable);
    loop {
        match attempt() {
            Ok(done) => return Ok(done),
            Err(failure) => std::thread::sleep(retry.after(failure)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custodia_store::MAX_WRITE_ATTEMPTS;
    use custodia_store::backend::{DUPLICATE, MISSING_PARENT};
    use rusqlite::ffi;

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
