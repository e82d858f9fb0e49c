//! Writes of retention: steps done, legal holds and counts.

use custodia_store::backend::MISROUTED_WRITE;
use custodia_store::sqlx_support::{
    MISSING_SUBJECT, OpError, is_foreign_key_violation, write_error,
};
use custodia_store::{StoreError, Write};
use sqlx::PgConnection;

use crate::codec::{instant, opt_instant};

/// Applies one of this domain's writes other than creations.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match write {
        Write::RecordRetentionStep(r) => {
            // Checked by validate_batch; the fallback is unreachable.
            let step = i32::try_from(r.step).map_err(|_| StoreError::Invalid {
                reason: "a retention step's number is 0 or too large",
            })?;
            // Within one cycle of a rule steps only go up; a step done later starts a
            // new cycle. The foreign key refuses a subject that does not exist.
            sqlx::query(
                "INSERT INTO retention_progress (subject_id, rule, step, action, done_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id, rule) DO UPDATE SET \
                 step = EXCLUDED.step, action = EXCLUDED.action, done_at = EXCLUDED.done_at \
                 WHERE (EXCLUDED.done_at, EXCLUDED.step) \
                     > (retention_progress.done_at, retention_progress.step)",
            )
            .bind(&r.subject_id)
            .bind(&r.rule)
            .bind(step)
            .bind(&r.action)
            .bind(instant(r.done_at))
            .execute(&mut *conn)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    OpError::Store(MISSING_SUBJECT)
                } else {
                    write_error(e)
                }
            })?;
        }
        Write::PutLegalHold(h) => {
            sqlx::query(
                "INSERT INTO legal_holds (id, subject_id, rule_id, reason, created_at, \
                 created_by, released_at, released_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (id) DO UPDATE SET subject_id = EXCLUDED.subject_id, \
                 rule_id = EXCLUDED.rule_id, reason = EXCLUDED.reason, \
                 created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, \
                 released_at = EXCLUDED.released_at, released_by = EXCLUDED.released_by",
            )
            .bind(&h.id)
            .bind(&h.subject_id)
            .bind(&h.rule_id)
            .bind(&h.reason)
            .bind(instant(h.created_at))
            .bind(&h.created_by)
            .bind(opt_instant(h.released_at))
            .bind(&h.released_by)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::AddRetentionCount(c) => {
            sqlx::query(
                "INSERT INTO retention_counts (rule, kind, month, action, count) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rule, kind, month, action) DO UPDATE SET \
                 count = retention_counts.count + EXCLUDED.count",
            )
            .bind(&c.rule)
            .bind(&c.kind)
            .bind(&c.month)
            .bind(&c.action)
            .bind(c.count)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
