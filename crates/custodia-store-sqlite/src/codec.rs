//! Values to and from columns, multi-row insert statements, and which errors are worth
//! a retry.

use std::sync::OnceLock;

use custodia_store::StoreError;
use custodia_store::policy::to_stored_instant;
use custodia_store::sqlx_support::{OpError, chunk_sizes, query_error};
use sqlx::sqlite::{Sqlite, SqliteArguments};
use sqlx::{SqliteConnection, query::Query};
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

/// Lost races: another writer held the database lock past the busy timeout.
pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i32 = 5;
    const SQLITE_LOCKED: i32 = 6;
    match e {
        // The code is the extended result code; its low byte is the primary code.
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, SQLITE_BUSY | SQLITE_LOCKED)),
        _ => false,
    }
}

/// SQLite accepts 32 766 bound parameters per statement; the widest table has 11
/// columns, so 256 rows always fit.
const MAX_ROWS: usize = 256;
const MAX_PARAMETERS: usize = 32_766;

pub(crate) type SqliteQuery<'q> = Query<'q, Sqlite, SqliteArguments>;

/// A multi-row `INSERT ... VALUES (...), (...)` for one table. The statement text for
/// each power-of-two row count is built once and shared, so that the per-connection
/// statement cache keeps the prepared statements.
pub(crate) struct BulkInsert {
    /// `INSERT INTO t (a, b, c) VALUES `
    head: &'static str,
    /// Appended after the rows (`ON CONFLICT ...`), or empty.
    tail: &'static str,
    columns: usize,
    texts: OnceLock<Vec<String>>,
}

impl BulkInsert {
    pub(crate) const fn new(head: &'static str, tail: &'static str, columns: usize) -> Self {
        BulkInsert {
            head,
            tail,
            columns,
            texts: OnceLock::new(),
        }
    }

    fn max_rows(&self) -> usize {
        let fit = MAX_PARAMETERS / self.columns.max(1);
        MAX_ROWS.min(fit.max(1))
    }

    /// The statement for `rows` rows, a power of two not above `max_rows`.
    fn text(&'static self, rows: usize) -> &'static str {
        let texts = self.texts.get_or_init(|| {
            let mut texts = Vec::new();
            let mut n = 1;
            let row = format!("({})", vec!["?"; self.columns].join(","));
            while n <= self.max_rows() {
                let mut sql = String::with_capacity(self.head.len() + n * (row.len() + 1) + 64);
                sql.push_str(self.head);
                for i in 0..n {
                    if i > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&row);
                }
                sql.push_str(self.tail);
                texts.push(sql);
                n *= 2;
            }
            texts
        });
        let i = rows.trailing_zeros() as usize;
        texts.get(i).map_or("", String::as_str)
    }

    /// Inserts `rows` in as few statements as the parameter limit allows; `bind` binds
    /// one row's `columns` values in column order.
    pub(crate) async fn run<T>(
        &'static self,
        conn: &mut SqliteConnection,
        rows: &[T],
        bind: for<'q> fn(SqliteQuery<'q>, &T) -> SqliteQuery<'q>,
    ) -> Result<(), sqlx::Error> {
        let mut rest = rows;
        for n in chunk_sizes(rows.len(), self.max_rows()) {
            let (chunk, tail) = rest.split_at(n.min(rest.len()));
            rest = tail;
            let mut query = sqlx::query(self.text(n));
            for row in chunk {
                query = bind(query, row);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// The [`StoreError`] for an operation that failed with `e`.
pub(crate) fn op_error(operation: &'static str) -> impl Fn(OpError) -> StoreError {
    move |e| e.into_store(BACKEND, operation)
}

/// The [`StoreError`] for an operation whose one query failed with `e`.
pub(crate) fn db_error(operation: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| query_error(BACKEND, operation, &e)
}
