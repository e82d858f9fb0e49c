//! Batched writes: one `BEGIN IMMEDIATE` transaction per batch, one durable commit, all
//! of it one job on the writer thread.
//!
//! Statements per batch: `BEGIN IMMEDIATE`, one read of the audit head, an insert per
//! audit entry, then for each run of consecutive creations the rows of each table
//! (parents first, see `custodia_store::backend::plan`), a few statements per other
//! write, and `COMMIT`. Each statement text is prepared once per connection and then
//! only bound and stepped: in-process, a row costs a few microseconds, so multi-row
//! inserts would save little.
//!
//! This file is the transaction and the routing; each domain's statements are in a file
//! of their own, as its reads are: `vault_writes`, `staff_writes`, `consent_writes`,
//! `rights_writes`, `retention_writes`, `audit_writes`.
//!
//! `BEGIN IMMEDIATE` takes the write lock up front, so the head read and the appends are
//! serialised with every other writer, also in other processes; the primary key on
//! `seq` would catch a race regardless.

use custodia_store::backend::{Domain, InsertRun, Step, check_audit_head, domain, plan};
use custodia_store::{AuditEntry, Batch, StoreError, Write};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::codec::{OpError, is_busy, retry_write};
use crate::reads;
use crate::{
    audit_writes, consent_writes, retention_writes, rights_writes, staff_writes, vault_writes,
};

pub(crate) const APPLY: &str = "apply a batch of writes";

/// `batch` must have been checked (`validate_batch`) and not be empty.
pub(crate) fn apply(conn: &mut Connection, batch: &Batch) -> Result<(), StoreError> {
    let steps = plan(&batch.writes);
    retry_write(APPLY, is_busy, || apply_once(conn, &batch.audit, &steps))
}

fn apply_once(
    conn: &mut Connection,
    audit: &[AuditEntry],
    steps: &[Step<'_>],
) -> Result<(), OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(first) = audit.first() {
        let head = reads::head(&tx)?;
        check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
        audit_writes::append(&tx, audit)?;
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&tx, run)?,
            Step::Other(write) => apply_other(&tx, write)?,
        }
    }
    tx.commit()?;
    Ok(())
}

/// Inserts every row of `run`, table by table, parents first.
fn insert_run(tx: &Transaction<'_>, run: &InsertRun<'_>) -> Result<(), OpError> {
    vault_writes::insert_run(tx, run)?;
    staff_writes::insert_run(tx, run)?;
    consent_writes::insert_run(tx, run)?;
    Ok(())
}

/// Runs `sql` once with `params`; fails with `missing` unless it changed a row.
pub(crate) fn change_one(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    missing: StoreError,
) -> Result<(), OpError> {
    if tx.prepare_cached(sql)?.execute(params)? == 0 {
        Err(OpError::Store(missing))
    } else {
        Ok(())
    }
}

fn apply_other(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match domain(write) {
        Domain::Vault => vault_writes::apply(tx, write)?,
        Domain::Staff => staff_writes::apply(tx, write)?,
        Domain::Consent => consent_writes::apply(tx, write)?,
        Domain::Rights => rights_writes::apply(tx, write)?,
        Domain::Retention => retention_writes::apply(tx, write)?,
        Domain::Breach => crate::breach_writes::apply(tx, write)?,
        // `plan` gathers creations into insert runs; this only keeps the match whole.
        Domain::Creation => {
            for step in plan(std::slice::from_ref(write)) {
                if let Step::Insert(run) = step {
                    insert_run(tx, &run)?;
                }
            }
        }
    }
    Ok(())
}
