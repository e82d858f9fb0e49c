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
//! The audit entries are inserted first. The writer's batches (`apply_rechained`) take
//! their chain's transaction lock, read its head, number the entries from the shared
//! sequence and re-link them onto that head: instances each have a chain, so none
//! waits for another. A plain `apply` continues the whole log's head: when two batches
//! continue the same head, the second insert of a `seq` waits for the first
//! transaction and then fails on the primary key, which is
//! [`StoreError::AuditHeadMoved`]. Serialization failures (40001, CockroachDB) and
//! deadlocks (40P01) retry the whole transaction.

use custodia_store::backend::{Domain, ZERO_HASH, domain};
use custodia_store::feed::{Numbered, change_of};
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

/// Serialization failures, and (when re-linking without a working lock: CockroachDB;
/// or a number the sequence handed out again after a restore) an audit entry's number
/// taken by another batch.
fn is_retried(e: &sqlx::Error) -> bool {
    is_serialization_failure(e)
        || matches!(e, sqlx::Error::Database(db)
            if matches!(db.constraint(), Some("changes_pkey" | "audit_log_pkey")))
}

/// Writers of one audit chain take turns on this transaction lock, keyed (class,
/// chain) (a no-op on CockroachDB, where a collision on the primary key retries
/// instead). Each process has a chain of its own, so the lock is normally free.
const CHAIN_LOCK_CLASS: i32 = 0x6375_7374; // "cust"

async fn apply_once(
    pool: &PgPool,
    audit: &[AuditEntry],
    rechain: Option<&dyn Rechain>,
    steps: &[Step<'_>],
    change: Option<&str>,
) -> Result<Rechained, OpError> {
    let mut tx = pool.begin().await?;
    let chain = match (rechain, audit.first()) {
        (Some(rechain), _) => rechain.chain(),
        (None, Some(first)) => first.chain,
        (None, None) => 0,
    };
    if rechain.is_some() && (!audit.is_empty() || change.is_some()) {
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(CHAIN_LOCK_CLASS)
            .bind(chain)
            .execute(&mut *tx)
            .await?;
    }
    let mut head_after = None;
    if let Some(first) = audit.first() {
        let relinked;
        let entries = match rechain {
            Some(rechain) => {
                let head: Option<(i64, String)> = sqlx::query_as(crate::reads::CHAIN_HEAD)
                    .bind(chain)
                    .fetch_optional(&mut *tx)
                    .await?;
                // Numbers from the sequence every chain shares: taking them waits
                // for no other transaction.
                let mut seqs: Vec<i64> =
                    sqlx::query_scalar("SELECT nextval('audit_seq') FROM generate_series(1, $1)")
                        .bind(i64::try_from(audit.len()).unwrap_or(i64::MAX))
                        .fetch_all(&mut *tx)
                        .await?;
                seqs.sort_unstable();
                let prev = head.as_ref().map_or(ZERO_HASH, |(_, hash)| hash.as_str());
                relinked = rechain.rechain(prev, &seqs, audit);
                audit_writes::insert_audit(&mut tx, &relinked).await?;
                &relinked
            }
            None => {
                // One writer continuing the whole log's head (tools and tests).
                let head: Option<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(&mut *tx)
                        .await?;
                check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
                audit_writes::insert_audit(&mut tx, audit)
                    .await
                    .map_err(audit_insert_error)?;
                // Keep the sequence past the numbers written here.
                sqlx::query(
                    "SELECT setval('audit_seq', GREATEST($1, (SELECT last_value FROM audit_seq)))",
                )
                .bind(audit.last().map_or(first.seq, |e| e.seq))
                .execute(&mut *tx)
                .await?;
                audit
            }
        };
        head_after = entries.last().map(|e| (e.seq, e.hash.clone()));
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&mut tx, run).await.map_err(write_error)?,
            Step::Other(write) => apply_other(&mut tx, write).await?,
        }
    }
    let mut numbered = None;
    if let Some(body) = change {
        // In the writer's chain, after the chain's last change (read under the chain's
        // lock). The notification is delivered at commit, with the change visible.
        let (seq, previous): (i64, i64) = sqlx::query_as(
            "WITH previous AS (SELECT COALESCE(MAX(seq), 0) AS seq FROM changes WHERE chain = $2), \
             change AS (INSERT INTO changes (seq, chain, at, body) \
             VALUES (nextval('changes_seq'), $2, now(), $1::jsonb) RETURNING seq) \
             SELECT change.seq, previous.seq FROM change, previous, \
             pg_notify('custodia_changes', change.seq::text)",
        )
        .bind(body)
        .bind(chain)
        .fetch_one(&mut *tx)
        .await?;
        numbered = Some(Numbered {
            chain,
            seq,
            previous,
        });
    }
    tx.commit().await?;
    Ok(Rechained {
        head: head_after,
        change: numbered,
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
