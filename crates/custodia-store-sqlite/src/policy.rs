//! Published policy versions.
//!
//! Publishing reads the latest version and inserts `latest + 1` in one transaction. The
//! transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front: a deferred
//! one would fail with SQLITE_BUSY when it upgrades after another writer committed. The
//! primary key on `number` and the retry loop keep numbering gapless regardless, as on
//! PostgreSQL.

use custodia_store::policy::{
    DigestRow, DocumentRow, VersionDigestRow, digests_from_rows, documents_from_rows,
    summaries_from_rows, to_stored_instant,
};
use custodia_store::sqlx_support::{OpError, is_unique_violation, retry_write};
use custodia_store::{
    DocumentDigest, NewPolicyVersion, PolicyVersion, PolicyVersionSummary, Published, StoreError,
};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;
use time::OffsetDateTime;

use crate::BACKEND;
use crate::codec::{from_micros, is_busy};

const PUBLISH: &str = "publish a policy version";

pub(crate) async fn publish(
    pool: &SqlitePool,
    new: &NewPolicyVersion,
) -> Result<Published, StoreError> {
    new.validate()?;
    let effective_at_us = to_micros(to_stored_instant(new.effective_at))?;
    retry_write(BACKEND, PUBLISH, is_retryable, || {
        publish_once(pool, new, effective_at_us)
    })
    .await
}

async fn publish_once(
    pool: &SqlitePool,
    new: &NewPolicyVersion,
    effective_at_us: i64,
) -> Result<Published, OpError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let latest: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT number, register_sha256, effective_at_us FROM policy_versions \
         ORDER BY number DESC LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?;

    let number = match latest {
        Some((number, register_sha256, at)) if register_sha256 == new.register_sha256 => {
            let documents = digests(&mut tx, number).await?;
            tx.rollback().await?;
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
        Some((number, ..)) => number.checked_add(1).ok_or(StoreError::Corrupt {
            backend: BACKEND,
            what: "policy version numbers are exhausted",
        })?,
        None => 1,
    };

    sqlx::query(
        "INSERT INTO policy_versions (number, register_sha256, register_source, effective_at_us) \
         VALUES (?, ?, ?, ?)",
    )
    .bind(number)
    .bind(&new.register_sha256)
    .bind(&new.register_source)
    .bind(effective_at_us)
    .execute(&mut *tx)
    .await?;
    for d in &new.documents {
        sqlx::query(
            "INSERT INTO policy_documents (version_number, kind, lang, format, sha256, content) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(number)
        .bind(&d.kind)
        .bind(&d.lang)
        .bind(&d.format)
        .bind(&d.sha256)
        .bind(&d.content)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Published {
        version: new.stored_summary(number),
        created: true,
    })
}

/// Lost races: another writer took the number, or held the lock past the busy timeout.
fn is_retryable(e: &sqlx::Error) -> bool {
    is_unique_violation(e) || is_busy(e)
}

pub(crate) async fn latest(pool: &SqlitePool) -> Result<Option<PolicyVersion>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT number, register_sha256, register_source, effective_at_us \
             FROM policy_versions ORDER BY number DESC LIMIT 1",
        )
        .fetch_optional(&mut *conn)
        .await?;
        with_documents(&mut conn, row).await
    }
    .await
    .map_err(|e: OpError| e.into_store(BACKEND, "read the latest policy version"))
}

pub(crate) async fn get(
    pool: &SqlitePool,
    number: i64,
) -> Result<Option<PolicyVersion>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT number, register_sha256, register_source, effective_at_us \
             FROM policy_versions WHERE number = ?",
        )
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
        with_documents(&mut conn, row).await
    }
    .await
    .map_err(|e: OpError| e.into_store(BACKEND, "read a policy version"))
}

/// Two plain reads suffice: a version and its documents are committed together, and
/// documents of a version committed between the reads are ignored.
pub(crate) async fn list(pool: &SqlitePool) -> Result<Vec<PolicyVersionSummary>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT number, register_sha256, effective_at_us FROM policy_versions ORDER BY number",
        )
        .fetch_all(&mut *conn)
        .await?;
        let docs: Vec<VersionDigestRow> = sqlx::query_as(
            "SELECT version_number, kind, lang, format, sha256 FROM policy_documents",
        )
        .fetch_all(&mut *conn)
        .await?;
        let rows = rows
            .into_iter()
            .map(|(number, register_sha256, at)| Ok((number, register_sha256, from_micros(at)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(summaries_from_rows(rows, docs))
    }
    .await
    .map_err(|e: OpError| e.into_store(BACKEND, "list policy versions"))
}

type VersionRow = (i64, String, String, i64);

async fn with_documents(
    conn: &mut SqliteConnection,
    row: Option<VersionRow>,
) -> Result<Option<PolicyVersion>, OpError> {
    let Some((number, register_sha256, register_source, at)) = row else {
        return Ok(None);
    };
    let docs: Vec<DocumentRow> = sqlx::query_as(
        "SELECT kind, lang, format, sha256, content FROM policy_documents \
         WHERE version_number = ?",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(PolicyVersion {
        number,
        register_sha256,
        register_source,
        effective_at: from_micros(at)?,
        documents: documents_from_rows(docs),
    }))
}

async fn digests(conn: &mut SqliteConnection, number: i64) -> Result<Vec<DocumentDigest>, OpError> {
    let rows: Vec<DigestRow> = sqlx::query_as(
        "SELECT kind, lang, format, sha256 FROM policy_documents WHERE version_number = ?",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await?;
    Ok(digests_from_rows(rows))
}

/// `t` must already be whole microseconds (see `to_stored_instant`).
fn to_micros(t: OffsetDateTime) -> Result<i64, StoreError> {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).map_err(|_| StoreError::Invalid {
        reason: "effective_at is out of range",
    })
}
