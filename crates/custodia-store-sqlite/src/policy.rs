//! Published policy versions.
//!
//! Publishing reads the latest version and inserts `latest + 1` in one transaction, on
//! the writer thread. The transaction starts with `BEGIN IMMEDIATE`, taking the write
//! lock up front: a deferred one would fail with SQLITE_BUSY when it upgrades after
//! another process committed. The primary key on `number` and the retry loop keep
//! numbering gapless regardless, as on PostgreSQL.

use custodia_store::policy::{
    DigestRow, DocumentRow, VersionDigestRow, digests_from_rows, documents_from_rows,
    summaries_from_rows, to_stored_instant,
};
use custodia_store::{
    DocumentDigest, NewPolicyVersion, PolicyVersion, PolicyVersionSummary, Published, StoreError,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use time::OffsetDateTime;

use crate::BACKEND;
use crate::codec::{OpError, from_micros, is_busy, is_unique_violation, op_error, retry_write};
use custodia_store::backend::next_version;

pub(crate) const PUBLISH: &str = "publish a policy version";
pub(crate) const LATEST: &str = "read the latest policy version";
pub(crate) const GET: &str = "read a policy version";
pub(crate) const LIST: &str = "list policy versions";

/// `new` must have been validated.
pub(crate) fn publish(
    conn: &mut Connection,
    new: &NewPolicyVersion,
) -> Result<Published, StoreError> {
    let effective_at_us = to_micros(to_stored_instant(new.effective_at))?;
    retry_write(PUBLISH, is_retryable, || {
        publish_once(conn, new, effective_at_us)
    })
}

fn publish_once(
    conn: &mut Connection,
    new: &NewPolicyVersion,
    effective_at_us: i64,
) -> Result<Published, OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let latest: Option<(i64, String, i64)> = tx
        .prepare_cached(
            "SELECT number, register_sha256, effective_at_us FROM policy_versions \
             ORDER BY number DESC LIMIT 1",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;

    let number = match latest {
        Some((number, register_sha256, at)) if register_sha256 == new.register_sha256 => {
            let documents = digests(&tx, number)?;
            tx.rollback()?;
            let version = PolicyVersionSummary {
                number,
                register_sha256,
                effective_at: from_micros(at)?,
                documents,
            };
            return Ok(Published {
                version,
                created: false,
            });
        }
        other => next_version(BACKEND, other.map(|(number, ..)| number))?,
    };

    tx.prepare_cached(
        "INSERT INTO policy_versions (number, register_sha256, register_source, effective_at_us) \
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute((
        number,
        &new.register_sha256,
        &new.register_source,
        effective_at_us,
    ))?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO policy_documents (version_number, kind, lang, format, sha256, content) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for d in &new.documents {
            insert.execute((number, &d.kind, &d.lang, &d.format, &d.sha256, &d.content))?;
        }
    }
    tx.commit()?;
    Ok(Published {
        version: new.stored_summary(number),
        created: true,
    })
}

/// Lost races: another process took the number, or held the lock past the busy
/// timeout.
fn is_retryable(e: &rusqlite::Error) -> bool {
    is_unique_violation(e) || is_busy(e)
}

type VersionRow = (i64, String, String, i64);

const VERSION_COLUMNS: &str =
    "SELECT number, register_sha256, register_source, effective_at_us FROM policy_versions";

fn version_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<VersionRow> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

/// The version and its documents read in one transaction: one snapshot.
pub(crate) fn latest(conn: &mut Connection) -> Result<Option<PolicyVersion>, StoreError> {
    (|| {
        let tx = conn.transaction()?;
        let row = tx
            .prepare_cached(&format!("{VERSION_COLUMNS} ORDER BY number DESC LIMIT 1"))?
            .query_row([], version_row)
            .optional()?;
        with_documents(&tx, row)
    })()
    .map_err(op_error(LATEST))
}

pub(crate) fn get(conn: &mut Connection, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
    (|| {
        let tx = conn.transaction()?;
        let row = tx
            .prepare_cached(&format!("{VERSION_COLUMNS} WHERE number = ?1"))?
            .query_row([number], version_row)
            .optional()?;
        with_documents(&tx, row)
    })()
    .map_err(op_error(GET))
}

/// Two reads of one snapshot: a version and its documents are committed together.
pub(crate) fn list(conn: &mut Connection) -> Result<Vec<PolicyVersionSummary>, StoreError> {
    (|| {
        let tx = conn.transaction()?;
        let rows = tx
            .prepare_cached(
                "SELECT number, register_sha256, effective_at_us FROM policy_versions \
                 ORDER BY number",
            )?
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get(2)?))
            })?
            .collect::<Result<Vec<(i64, String, i64)>, _>>()?;
        let docs: Vec<VersionDigestRow> = tx
            .prepare_cached(
                "SELECT version_number, kind, lang, format, sha256 FROM policy_documents",
            )?
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let rows = rows
            .into_iter()
            .map(|(number, register_sha256, at)| Ok((number, register_sha256, from_micros(at)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(summaries_from_rows(rows, docs))
    })()
    .map_err(op_error(LIST))
}

fn with_documents(
    conn: &Connection,
    row: Option<VersionRow>,
) -> Result<Option<PolicyVersion>, OpError> {
    let Some((number, register_sha256, register_source, at)) = row else {
        return Ok(None);
    };
    let docs: Vec<DocumentRow> = conn
        .prepare_cached(
            "SELECT kind, lang, format, sha256, content FROM policy_documents \
             WHERE version_number = ?1",
        )?
        .query_map([number], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(PolicyVersion {
        number,
        register_sha256,
        register_source,
        effective_at: from_micros(at)?,
        documents: documents_from_rows(docs),
    }))
}

fn digests(conn: &Connection, number: i64) -> Result<Vec<DocumentDigest>, OpError> {
    let rows: Vec<DigestRow> = conn
        .prepare_cached(
            "SELECT kind, lang, format, sha256 FROM policy_documents WHERE version_number = ?1",
        )?
        .query_map([number], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(digests_from_rows(rows))
}

/// `t` must already be whole microseconds (see `to_stored_instant`).
fn to_micros(t: OffsetDateTime) -> Result<i64, StoreError> {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).map_err(|_| StoreError::Invalid {
        reason: "effective_at is out of range",
    })
}
