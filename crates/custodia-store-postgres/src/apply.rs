//! Batched writes: one transaction per batch, one commit.
//!
//! Statements per batch: `BEGIN`, one read of the audit head, one insert of all audit
//! entries, then for each run of consecutive creations one insert per table touched,
//! each taking every row at once as arrays (`INSERT ... SELECT * FROM UNNEST($1::text[],
//! ...)`: one statement text per table whatever the row count, so it stays prepared,
//! and no bound-parameter limit), a few statements per other write, and `COMMIT`. A batch
//! of 500 subject creations with fields and indexes and 500 audit entries is seven
//! round trips.
//!
//! This file is the transaction and the routing; each domain's statements are in a file
//! of their own, as its reads are: `vault_writes`, `staff_writes`, `consent_writes`,
//! `rights_writes`, `retention_writes`, `audit_writes`.
//!
//! The audit entries are inserted first, at the default isolation level and without
//! locks: when two batches continue the same head, the second insert of a `seq` waits
//! for the first transaction and then fails on the primary key, which is
//! [`StoreError::AuditHeadMoved`]; a batch thus never forks the chain, and waits before
//! it has touched any other row. Serialization failures (40001, CockroachDB) and
//! deadlocks (40P01) retry the whole transaction.

use custodia_store::backend::{Domain, ZERO_HASH, domain};
use custodia_store::feed::change_of;
use custodia_store::sqlx_support::{
    InsertRun, OpError, Step, audit_insert_error, check_audit_head, plan, retry_write,
    validate_batch, write_error,
};
use custodia_store::{AuditEntry, Batch, Rechain, Rechained, StoreError, Write};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;

use crate::BACKEND;
use crate::codec::is_serialization_failure;
use crate::{
    audit_writes, consent_writes, retention_writes, rights_writes, staff_writes, vault_writes,
};

const APPLY: &str = "apply a batch of writes";

pub(crate) async fn apply(pool: &PgPool, batch: &Batch) -> Result<(), StoreError> {
    apply_with(pool, batch, None).await.map(drop)
}

/// [`apply`], re-linking the batch's audit entries onto the head found under the
/// audit lock; returns the head the batch leaves.
pub(crate) async fn apply_rechained(
    pool: &PgPool,
    batch: &Batch,
    rechain: &dyn Rechain,
) -> Result<Rechained, StoreError> {
    apply_with(pool, batch, Some(rechain)).await
}

async fn apply_with(
    pool: &PgPool,
    batch: &Batch,
    rechain: Option<&dyn Rechain>,
) -> Result<Rechained, StoreError> {
    if !validate_batch(batch)? {
        return Ok(Rechained::default());
    }
    let steps = plan(&batch.writes);
    let change = match change_of(batch) {
        Some(change) => Some(
            serde_json::to_string(&change).map_err(|_| StoreError::Invalid {
                reason: "a change of the batch cannot be serialised",
            })?,
        ),
        None => None,
    };
    retry_write(BACKEND, APPLY, is_retried, || {
        apply_once(pool, &batch.audit, rechain, &steps, change.as_deref())
    })
    .await
}

/// Serialization failures, another batch's change numbered first, and (when
/// re-linking without a working lock: CockroachDB) another batch's audit entry.
fn is_retried(e: &sqlx::Error) -> bool {
    is_serialization_failure(e)
        || matches!(e, sqlx::Error::Database(db)
            if matches!(db.constraint(), Some("changes_pkey" | "audit_log_pkey")))
}

/// Writers re-linking onto the audit head take turns on this transaction lock (a
/// no-op on CockroachDB, where a collision on the primary key retries instead).
const AUDIT_LOCK: i64 = 0x6375_7374_6f64_6961; // "custodia"

async fn apply_once(
    pool: &PgPool,
    audit: &[AuditEntry],
    rechain: Option<&dyn Rechain>,
    steps: &[Step<'_>],
    change: Option<&str>,
) -> Result<Rechained, OpError> {
    let mut tx = pool.begin().await?;
    let mut head_after = None;
    if let Some(first) = audit.first() {
        if rechain.is_some() {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let head = head.as_ref().map(|(s, h)| (*s, h.as_str()));
        let relinked;
        let entries = match (check_audit_head(head, first), rechain) {
            (Ok(()), _) => audit,
            (Err(_), Some(rechain)) => {
                relinked = rechain.rechain(head.unwrap_or((0, ZERO_HASH)), audit);
                &relinked
            }
            (Err(e), None) => return Err(e.into()),
        };
        if rechain.is_some() {
            audit_writes::insert_audit(&mut tx, entries).await?;
        } else {
            audit_writes::insert_audit(&mut tx, entries)
                .await
                .map_err(audit_insert_error)?;
        }
        head_after = entries.last().map(|e| (e.seq, e.hash.clone()));
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&mut tx, run).await.map_err(write_error)?,
            Step::Other(write) => apply_other(&mut tx, write).await?,
        }
    }
    let mut change_seq = None;
    if let Some(body) = change {
        // Last, so the number is held for the shortest time; a batch that took the
        // same number waits for this commit, collides and is retried. The
        // notification is delivered at commit, with the change visible.
        let (seq,): (i64,) = sqlx::query_as(
            "WITH change AS (INSERT INTO changes (seq, at, body) \
             SELECT COALESCE(MAX(seq), 0) + 1, now(), $1::jsonb FROM changes RETURNING seq) \
             SELECT seq FROM change, pg_notify('custodia_changes', seq::text)",
        )
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
        change_seq = Some(seq);
    }
    tx.commit().await?;
    Ok(Rechained {
        head: head_after,
        change: change_seq,
    })
}

/// One statement per table that has rows, parents first.
async fn insert_run(conn: &mut PgConnection, run: &InsertRun<'_>) -> Result<(), sqlx::Error> {
    vault_writes::insert_run(conn, run).await?;
    staff_writes::insert_run(conn, run).await?;
    consent_writes::insert_run(conn, run).await?;
    Ok(())
}

/// Fails with `missing` unless the statement changed a row.
pub(crate) fn changed(rows: u64, missing: StoreError) -> Result<(), OpError> {
    if rows == 0 {
        Err(OpError::Store(missing))
    } else {
        Ok(())
    }
}

async fn apply_other(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match domain(write) {
        Domain::Vault => vault_writes::apply(conn, write).await?,
        Domain::Staff => staff_writes::apply(conn, write).await?,
        Domain::Consent => consent_writes::apply(conn, write).await?,
        Domain::Rights => rights_writes::apply(conn, write).await?,
        Domain::Retention => retention_writes::apply(conn, write).await?,
        Domain::Breach => crate::breach_writes::apply(conn, write).await?,
        // `plan` gathers creations into insert runs; this only keeps the match whole.
        Domain::Creation => {
            for step in plan(std::slice::from_ref(write)) {
                if let Step::Insert(run) = step {
                    insert_run(conn, &run).await.map_err(write_error)?;
                }
            }
        }
    }
    Ok(())
}
