//! Reads of consent records, visitor links, and the scans that rebuild in-memory
//! state at start. Text orders use `COLLATE "C"` (byte order), as SQLite's BINARY.

use custodia_store::sqlx_support::OpError;
use custodia_store::{ConsentRecord, StoreError, SubjectRecord, VisitorLink};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{AssertSqlSafe, Row};

use crate::codec::{db_error, has_nul, op_error};

const CONSENT_COLUMNS: &str = "id, subject_id, visitor_id, purpose, service, state, method, \
     recorded_at, expires_at, policy_version, purpose_fingerprint, text_sha256, \
     banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by";

fn consent_from_row(row: &PgRow) -> Result<ConsentRecord, OpError> {
    Ok(ConsentRecord {
        id: row.try_get(0)?,
        subject_id: row.try_get(1)?,
        visitor_id: row.try_get(2)?,
        purpose: row.try_get(3)?,
        service: row.try_get(4)?,
        state: row.try_get(5)?,
        method: row.try_get(6)?,
        recorded_at: row.try_get(7)?,
        expires_at: row.try_get(8)?,
        policy_version: row.try_get(9)?,
        purpose_fingerprint: row.try_get(10)?,
        text_sha256: row.try_get(11)?,
        banner_version: row.try_get(12)?,
        ip_prefix: row.try_get(13)?,
        user_agent: row.try_get(14)?,
        jurisdiction: row.try_get(15)?,
        gpc: row.try_get(16)?,
        recorded_by: row.try_get(17)?,
    })
}

async fn consents_where(
    pool: &PgPool,
    condition: &'static str,
    value: &str,
    limit: Option<i64>,
) -> Result<Vec<ConsentRecord>, StoreError> {
    if has_nul(value) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {CONSENT_COLUMNS} FROM consents WHERE {condition} \
         ORDER BY id COLLATE \"C\" LIMIT $2"
    );
    async {
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(value)
            .bind(limit)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(consent_from_row)
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error("read consent records"))
}

pub(crate) async fn subject_consents(
    pool: &PgPool,
    subject_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(pool, "subject_id = $1", subject_id, None).await
}

pub(crate) async fn visitor_consents(
    pool: &PgPool,
    visitor_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(pool, "visitor_id = $1", visitor_id, None).await
}

pub(crate) async fn consents_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(
        pool,
        "id COLLATE \"C\" > $1",
        after.unwrap_or(""),
        Some(i64::from(limit)),
    )
    .await
}

fn link_from_row(row: &PgRow) -> Result<VisitorLink, OpError> {
    Ok(VisitorLink {
        visitor_id: row.try_get(0)?,
        subject_id: row.try_get(1)?,
        linked_at: row.try_get(2)?,
    })
}

async fn links_where(
    pool: &PgPool,
    condition: &'static str,
    value: &str,
    limit: Option<i64>,
) -> Result<Vec<VisitorLink>, StoreError> {
    if has_nul(value) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT visitor_id, subject_id, linked_at FROM visitor_links WHERE {condition} \
         ORDER BY visitor_id COLLATE \"C\" LIMIT $2"
    );
    async {
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(value)
            .bind(limit)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(link_from_row)
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error("read visitor links"))
}

pub(crate) async fn subject_visitor_links(
    pool: &PgPool,
    subject_id: &str,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(pool, "subject_id = $1", subject_id, None).await
}

pub(crate) async fn visitor_links_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(
        pool,
        "visitor_id COLLATE \"C\" > $1",
        after.unwrap_or(""),
        Some(i64::from(limit)),
    )
    .await
}

pub(crate) async fn subjects_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<SubjectRecord>, StoreError> {
    let after = after.unwrap_or("");
    if has_nul(after) {
        return Ok(Vec::new());
    }
    async {
        let rows = sqlx::query(
            "SELECT id, kind, age_status, parental_consent_at, created_at, updated_at, \
             erased_at FROM subjects WHERE id COLLATE \"C\" > $1 \
             ORDER BY id COLLATE \"C\" LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SubjectRecord {
                    id: row.try_get(0)?,
                    kind: row.try_get(1)?,
                    age_status: row.try_get(2)?,
                    parental_consent_at: row.try_get(3)?,
                    created_at: row.try_get(4)?,
                    updated_at: row.try_get(5)?,
                    erased_at: row.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error("read a page of subjects"))
}

pub(crate) async fn index_entries_page(
    pool: &PgPool,
    kind: &str,
    after: Option<(&str, &[u8])>,
    limit: u32,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let (after_id, after_digest) = after.unwrap_or(("", &[]));
    if has_nul(kind) || has_nul(after_id) {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        // Along the primary key (kind, digest, subject_id): only the subjects sharing one
        // digest are sorted again, for byte order.
        "SELECT subject_id, digest FROM subject_indexes \
         WHERE kind = $1 AND (digest, subject_id COLLATE \"C\") > ($3, $2) \
         ORDER BY digest, subject_id COLLATE \"C\" LIMIT $4",
    )
    .bind(kind)
    .bind(after_id)
    .bind(after_digest)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db_error("read a page of index entries"))
}
