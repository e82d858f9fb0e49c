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

use custodia_store::backend::{Domain, domain};
use custodia_store::feed::change_of;
use custodia_store::sqlx_support::{
    InsertRun, OpError, Step, audit_insert_error, check_audit_head, plan, retry_write,
    validate_batch, write_error,
};
use custodia_store::{AuditEntry, Batch, StoreError, Write};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;

use crate::BACKEND;
use crate::codec::is_serialization_failure;
use crate::{
    audit_writes, consent_writes, retention_writes, rights_writes, staff_writes, vault_writes,
};

const APPLY: &str = "apply a batch of writes";

pub(crate) async fn apply(pool: &PgPool, batch: &Batch) -> Result<(), StoreError> {
    if !validate_batch(batch)? {
        return Ok(());
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
        apply_once(pool, &batch.audit, &steps, change.as_deref())
    })
    .await
}

/// Serialization failures, and another batch's change numbered first.
fn is_retried(e: &sqlx::Error) -> bool {
    is_serialization_failure(e)
        || matches!(e, sqlx::Error::Database(db) if db.constraint() == Some("changes_pkey"))
}

async fn apply_once(
    pool: &PgPool,
    audit: &[AuditEntry],
    steps: &[Step<'_>],
    change: Option<&str>,
) -> Result<(), OpError> {
    let mut tx = pool.begin().await?;
    if let Some(first) = audit.first() {
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
        audit_writes::insert_audit(&mut tx, audit)
            .await
            .map_err(audit_insert_error)?;
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&mut tx, run).await.map_err(write_error)?,
            Step::Other(write) => apply_other(&mut tx, write).await?,
        }
    }
    if let Some(body) = change {
        // Last, so the number is held for the shortest time; a batch that took the
        // same number waits for this commit, collides and is retried. The
        // notification is delivered at commit, with the change visible.
        sqlx::query(
            "WITH change AS (INSERT INTO changes (seq, at, body) \
             SELECT COALESCE(MAX(seq), 0) + 1, now(), $1::jsonb FROM changes RETURNING seq) \
             SELECT pg_notify('custodia_changes', seq::text) FROM change",
        )
        .bind(body)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
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
