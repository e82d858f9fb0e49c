//! Published policy versions.
//!
//! Publishing reads the latest version and inserts `latest + 1` in one transaction at
//! the default isolation level, taking no locks. When two publishers race, the second
//! insert of the same number waits for the first to commit and then fails on the primary
//! key (23505); the loser retries and sees the winner's version, so numbering stays
//! gapless and an identical register is not published twice. Under SERIALIZABLE
//! (CockroachDB, YugabyteDB) the same race surfaces as 40001, which is retried too.

use custodia_store::policy::{
    DigestRow, DocumentRow, VersionDigestRow, digests_from_rows, documents_from_rows,
    summaries_from_rows, to_stored_instant,
};
use custodia_store::sqlx_support::{OpError, is_unique_violation, retry_write};
use custodia_store::{
    DocumentDigest, NewPolicyVersion, PolicyVersion, PolicyVersionSummary, Published, StoreError,
};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use time::OffsetDateTime;

use crate::BACKEND;
use custodia_store::backend::next_version;

const PUBLISH: &str = "publish a policy version";

pub(crate) async fn publish(
    pool: &PgPool,
    new: &NewPolicyVersion,
) -> Result<Published, StoreError> {
    new.validate()?;
    let effective_at = to_stored_instant(new.effective_at);
    retry_write(BACKEND, PUBLISH, is_retryable, || {
        publish_once(pool, new, effective_at)
    })
    .await
}

async fn publish_once(
    pool: &PgPool,
    new: &NewPolicyVersion,
    effective_at: OffsetDateTime,
) -> Result<Published, OpError> {
    let mut tx = pool.begin().await?;
    let latest: Option<(i64, String, OffsetDateTime)> = sqlx::query_as(
        "SELECT number, register_sha256, effective_at FROM policy_versions \
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
                effective_at: at,
                documents,
            };
            return Ok(Published {
                version,
                created: false,
            });
        }
        other => next_version(BACKEND, other.map(|(number, ..)| number))?,
    };

    sqlx::query(
        "INSERT INTO policy_versions (number, register_sha256, register_source, effective_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(number)
    .bind(&new.register_sha256)
    .bind(&new.register_source)
    .bind(effective_at)
    .execute(&mut *tx)
    .await?;
    for d in &new.documents {
        sqlx::query(
            "INSERT INTO policy_documents (version_number, kind, lang, format, sha256, content) \
             VALUES ($1, $2, $3, $4, $5, $6)",
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

/// Lost races: another publisher took the number (23505), or the database aborted the
/// transaction to keep it serializable (40001) or to break a deadlock (40P01).
fn is_retryable(e: &sqlx::Error) -> bool {
    if is_unique_violation(e) {
        return true;
    }
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

pub(crate) async fn latest(pool: &PgPool) -> Result<Option<PolicyVersion>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT number, register_sha256, register_source, effective_at \
             FROM policy_versions ORDER BY number DESC LIMIT 1",
        )
        .fetch_optional(&mut *conn)
        .await?;
        with_documents(&mut conn, row).await
    }
    .await
    .map_err(|e: OpError| e.into_store(BACKEND, "read the latest policy version"))
}

pub(crate) async fn get(pool: &PgPool, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT number, register_sha256, register_source, effective_at \
             FROM policy_versions WHERE number = $1",
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
pub(crate) async fn list(pool: &PgPool) -> Result<Vec<PolicyVersionSummary>, StoreError> {
    async {
        let mut conn = pool.acquire().await?;
        let rows: Vec<(i64, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT number, register_sha256, effective_at FROM policy_versions ORDER BY number",
        )
        .fetch_all(&mut *conn)
        .await?;
        let docs: Vec<VersionDigestRow> = sqlx::query_as(
            "SELECT version_number, kind, lang, format, sha256 FROM policy_documents",
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok(summaries_from_rows(rows, docs))
    }
    .await
    .map_err(|e: OpError| e.into_store(BACKEND, "list policy versions"))
}

type VersionRow = (i64, String, String, OffsetDateTime);

async fn with_documents(
    conn: &mut PgConnection,
    row: Option<VersionRow>,
) -> Result<Option<PolicyVersion>, OpError> {
    let Some((number, register_sha256, register_source, at)) = row else {
        return Ok(None);
    };
    let docs: Vec<DocumentRow> = sqlx::query_as(
        "SELECT kind, lang, format, sha256, content FROM policy_documents \
         WHERE version_number = $1",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(PolicyVersion {
        number,
        register_sha256,
        register_source,
        effective_at: at,
        documents: documents_from_rows(docs),
    }))
}

async fn digests(conn: &mut PgConnection, number: i64) -> Result<Vec<DocumentDigest>, OpError> {
    let rows: Vec<DigestRow> = sqlx::query_as(
        "SELECT kind, lang, format, sha256 FROM policy_documents WHERE version_number = $1",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await?;
    Ok(digests_from_rows(rows))
}
