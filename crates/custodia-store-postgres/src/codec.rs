//! Values to and from columns, and which errors are worth a retry.

use custodia_store::StoreError;
use custodia_store::policy::to_stored_instant;
use custodia_store::sqlx_support::{OpError, query_error};
use time::OffsetDateTime;

use crate::BACKEND;

/// `t` in UTC truncated to whole microseconds, as every backend stores it. (sqlx would
/// truncate toward 2000-01-01, which rounds up before that date.)
pub(crate) fn instant(t: OffsetDateTime) -> OffsetDateTime {
    to_stored_instant(t)
}

pub(crate) fn opt_instant(t: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    t.map(to_stored_instant)
}

pub(crate) use custodia_store::backend::encode_list;

pub(crate) fn decode_list(json: &str) -> Result<Vec<String>, StoreError> {
    custodia_store::backend::decode_list(BACKEND, json)
}

/// Lost races: the database aborted the transaction to keep it serializable (40001,
/// CockroachDB and YugabyteDB) or to break a deadlock (40P01). Unique violations are
/// not retried here: in a batch they mean a duplicate or a moved audit head.
pub(crate) fn is_serialization_failure(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

/// PostgreSQL text cannot hold NUL, so no stored string contains one: a lookup by such a
/// string finds nothing, without asking the database (which would reject it).
pub(crate) fn has_nul(s: &str) -> bool {
    s.contains('\0')
}

/// The [`StoreError`] for an operation that failed with `e`.
pub(crate) fn op_error(operation: &'static str) -> impl Fn(OpError) -> StoreError {
    move |e| e.into_store(BACKEND, operation)
}

/// The [`StoreError`] for an operation whose one query failed with `e`.
pub(crate) fn db_error(operation: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| query_error(BACKEND, operation, &e)
}
