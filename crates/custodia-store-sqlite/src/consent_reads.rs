//! Reads of consent records, visitor links, and the scans that rebuild in-memory
//! state at start. Text orders are SQLite's BINARY collation: byte order, as the
//! PostgreSQL backend gets with `COLLATE "C"`.

use custodia_store::sqlx_support::OpError;
use custodia_store::{ConsentRecord, StoreError, SubjectRecord, VisitorLink};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use crate::codec::{db_error, from_micros, from_opt_micros, op_error};

const CONSENT_COLUMNS: &str = "id, subject_id, visitor_id, purpose, service, state, method, \
     recorded_at_us, expires_at_us, policy_version, purpose_fingerprint, text_sha256, \
     banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by";

fn consent_from_row(row: &SqliteRow) -> Result<ConsentRecord, OpError> {
    Ok(ConsentRecord {
        id: row.try_get(0)?,
        subject_id: row.try_get(1)?,
        visitor_id: row.try_get(2)?,
        purpose: row.try_get(3)?,
        service: row.try_get(4)?,
        state: row.try_get(5)?,
        method: row.try_get(6)?,
        recorded_at: from_micros(row.try_get(7)?)?,
        expires_at: from_opt_micros(row.try_get(8)?)?,
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
    pool: &SqlitePool,
    condition: &'static str,
    value: &str,
    limit: i64,
) -> Result<Vec<ConsentRecord>, StoreError> {
    let sql =
        format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE {condition} ORDER BY id LIMIT ?");
    async {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
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
    pool: &SqlitePool,
    subject_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(pool, "subject_id = ?", subject_id, -1).await
}

pub(crate) async fn visitor_consents(
    pool: &SqlitePool,
    visitor_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(pool, "visitor_id = ?", visitor_id, -1).await
}

pub(crate) async fn consents_page(
    pool: &SqlitePool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(pool, "id > ?", after.unwrap_or(""), i64::from(limit)).await
}

fn link_from_row(row: &SqliteRow) -> Result<VisitorLink, OpError> {
    Ok(VisitorLink {
        visitor_id: row.try_get(0)?,
        subject_id: row.try_get(1)?,
        linked_at: from_micros(row.try_get(2)?)?,
    })
}

async fn links_where(
    pool: &SqlitePool,
    condition: &'static str,
    value: &str,
    limit: i64,
) -> Result<Vec<VisitorLink>, StoreError> {
    let sql = format!(
        "SELECT visitor_id, subject_id, linked_at_us FROM visitor_links WHERE {condition} \
         ORDER BY visitor_id LIMIT ?"
    );
    async {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
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
    pool: &SqlitePool,
    subject_id: &str,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(pool, "subject_id = ?", subject_id, -1).await
}

pub(crate) async fn visitor_links_page(
    pool: &SqlitePool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(
        pool,
        "visitor_id > ?",
        after.unwrap_or(""),
        i64::from(limit),
    )
    .await
}

pub(crate) async fn subjects_page(
    pool: &SqlitePool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<SubjectRecord>, StoreError> {
    async {
        let rows = sqlx::query(
            "SELECT id, kind, age_status, parental_consent_at_us, created_at_us, \
             updated_at_us, erased_at_us FROM subjects WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after.unwrap_or(""))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SubjectRecord {
                    id: row.try_get(0)?,
                    kind: row.try_get(1)?,
                    age_status: row.try_get(2)?,
                    parental_consent_at: from_opt_micros(row.try_get(3)?)?,
                    created_at: from_micros(row.try_get(4)?)?,
                    updated_at: from_micros(row.try_get(5)?)?,
                    erased_at: from_opt_micros(row.try_get(6)?)?,
                })
            })
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error("read a page of subjects"))
}

pub(crate) async fn index_entries_page(
    pool: &SqlitePool,
    kind: &str,
    after: Option<(&str, &[u8])>,
    limit: u32,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let (after_id, after_digest) = after.unwrap_or(("", &[]));
    sqlx::query_as(
        "SELECT subject_id, digest FROM subject_indexes \
         WHERE kind = ? AND (subject_id, digest) > (?, ?) \
         ORDER BY subject_id, digest LIMIT ?",
    )
    .bind(kind)
    .bind(after_id)
    .bind(after_digest)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db_error("read a page of index entries"))
}
