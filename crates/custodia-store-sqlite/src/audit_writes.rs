//! Appending to the audit log (the head is checked in `apply`).

use custodia_store::AuditEntry;
use rusqlite::Transaction;

use crate::codec::{OpError, audit_insert_error, encode_list, micros};
use crate::reads::INDEXED_THROUGH;

const AUDIT: &str = "INSERT INTO audit_log (seq, at_us, principal, action, subject_ref, \
     categories, purpose, outcome, detail, prev_hash, hash) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Unindexed audit entries that trigger indexing them. Larger batches write fewer index
/// pages per entry; a filtered read scans up to this many entries.
const AUDIT_INDEX_EVERY: i64 = 8192;

/// Indexes the unindexed audit entries once there are [`AUDIT_INDEX_EVERY`] of them,
/// `through` being the last one (see migration 0006 for why in bulk).
fn index_audit_entries(tx: &Transaction<'_>, through: i64) -> Result<(), OpError> {
    let indexed: i64 = tx
        .prepare_cached(INDEXED_THROUGH)?
        .query_row([], |row| row.get(0))?;
    if through - indexed < AUDIT_INDEX_EVERY {
        return Ok(());
    }
    // Each sorted, so that a leaf of each index is written once per bulk insert.
    for insert in [
        "INSERT INTO audit_by_subject (subject_ref, seq) SELECT subject_ref, seq \
         FROM audit_log WHERE seq > ?1 AND subject_ref IS NOT NULL ORDER BY subject_ref, seq",
        "INSERT INTO audit_by_principal (principal, seq) SELECT principal, seq \
         FROM audit_log WHERE seq > ?1 ORDER BY principal, seq",
        "INSERT INTO audit_by_time (at_us, seq) SELECT at_us, seq \
         FROM audit_log WHERE seq > ?1 ORDER BY at_us, seq",
        "INSERT INTO audit_by_action (action, seq) SELECT action, seq \
         FROM audit_log WHERE seq > ?1 ORDER BY action, seq",
    ] {
        tx.prepare_cached(insert)?.execute([indexed])?;
    }
    tx.prepare_cached("UPDATE audit_index_state SET indexed_through = ?1")?
        .execute([through])?;
    Ok(())
}

/// Appends `audit` (already checked to continue the head), then indexes the entries
/// in bulk when enough are unindexed.
pub(crate) fn append(tx: &Transaction<'_>, audit: &[AuditEntry]) -> Result<(), OpError> {
    let mut insert = tx.prepare_cached(AUDIT)?;
    for e in audit {
        insert
            .execute((
                e.seq,
                micros(e.at),
                &e.principal,
                &e.action,
                &e.subject_ref,
                encode_list(&e.categories),
                &e.purpose,
                &e.outcome,
                &e.detail,
                &e.prev_hash,
                &e.hash,
            ))
            .map_err(audit_insert_error)?;
    }
    if let Some(last) = audit.last() {
        index_audit_entries(tx, last.seq)?;
    }
    Ok(())
}
