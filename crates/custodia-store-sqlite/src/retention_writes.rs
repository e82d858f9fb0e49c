//! Writes of retention: steps done, legal holds and counts.

use custodia_store::Write;
use custodia_store::backend::{MISROUTED_WRITE, MISSING_SUBJECT};
use rusqlite::Transaction;

use crate::codec::{OpError, micros, opt_micros, write_error};

// A step at or below the one recorded changes nothing: a sweep never goes back.
const RECORD_STEP: &str = "INSERT INTO retention_progress (subject_id, rule, step, action, \
     done_at_us) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subject_id, rule) DO UPDATE SET \
     step = excluded.step, action = excluded.action, done_at_us = excluded.done_at_us \
     WHERE (excluded.done_at_us, excluded.step) > (retention_progress.done_at_us, retention_progress.step)";

const PUT_HOLD: &str = "INSERT INTO legal_holds (id, subject_id, rule_id, reason, \
     created_at_us, created_by, released_at_us, released_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET \
     subject_id = excluded.subject_id, rule_id = excluded.rule_id, reason = excluded.reason, \
     created_at_us = excluded.created_at_us, created_by = excluded.created_by, \
     released_at_us = excluded.released_at_us, released_by = excluded.released_by";

const ADD_COUNT: &str = "INSERT INTO retention_counts (rule, kind, month, action, count) \
     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (rule, kind, month, action) DO UPDATE SET \
     count = count + excluded.count";

/// Applies one of this domain's writes other than creations.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::RecordRetentionStep(r) => {
            // The foreign key refuses a subject that does not exist.
            tx.prepare_cached(RECORD_STEP)?
                .execute((&r.subject_id, &r.rule, r.step, &r.action, micros(r.done_at)))
                .map_err(|e| {
                    if custodia_store::rusqlite_support::is_foreign_key_violation(&e) {
                        OpError::Store(MISSING_SUBJECT)
                    } else {
                        write_error(e)
                    }
                })?;
        }
        Write::PutLegalHold(h) => {
            tx.prepare_cached(PUT_HOLD)?
                .execute((
                    &h.id,
                    &h.subject_id,
                    &h.rule_id,
                    &h.reason,
                    micros(h.created_at),
                    &h.created_by,
                    opt_micros(h.released_at),
                    &h.released_by,
                ))
                .map_err(write_error)?;
        }
        Write::AddRetentionCount(c) => {
            tx.prepare_cached(ADD_COUNT)?
                .execute((&c.rule, &c.kind, &c.month, &c.action, c.count))
                .map_err(write_error)?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
