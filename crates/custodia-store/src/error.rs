/// Why a store operation failed.
///
/// Messages never contain stored values, connection URLs or database error texts (those
/// may quote values): a backend error is reduced to its class, SQLSTATE / result code
/// and constraint name before it gets here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("cannot connect to the {backend} store: {detail}")]
    Connect {
        backend: &'static str,
        detail: String,
    },
    #[error("cannot migrate the {backend} store: {detail}")]
    Migrate {
        backend: &'static str,
        detail: String,
    },
    #[error("the {backend} store failed to {operation}: {detail}")]
    Query {
        backend: &'static str,
        operation: &'static str,
        detail: String,
    },
    #[error("the {backend} store gave up on {operation} after {attempts} conflicting attempts")]
    Conflict {
        backend: &'static str,
        operation: &'static str,
        attempts: u32,
    },
    /// The database does not answer (down, restarting, connection lost): nothing
    /// was done, or a commit's outcome is unknown; worth trying again later.
    #[error("the {backend} store is unreachable and could not {operation}: {detail}")]
    Unreachable {
        backend: &'static str,
        operation: &'static str,
        detail: String,
    },
    #[error("the {backend} store holds corrupt data: {what}")]
    Corrupt {
        backend: &'static str,
        what: &'static str,
    },
    #[error("invalid input to the store: {reason}")]
    Invalid { reason: &'static str },
    #[error("the audit log head moved: another writer appended first")]
    AuditHeadMoved,
    /// A write made against a version of a row that is no longer the stored one
    /// (optimistic concurrency): the caller re-reads and decides again. Never retried
    /// by the store, unlike [`StoreError::Conflict`].
    #[error("a write lost to a concurrent change: {reason}")]
    VersionConflict { reason: &'static str },
}
