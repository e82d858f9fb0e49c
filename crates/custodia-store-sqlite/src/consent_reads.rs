//! Reads of consent records, visitor links, and the scans that rebuild in-memory
//! state at start, run on a reader thread. Text orders are SQLite's BINARY collation:
//! byte order, as the PostgreSQL backend gets with `COLLATE "C"`.

use custodia_store::{ConsentRecord, StoreError, SubjectRecord, VisitorLink};
use rusqlite::{Connection, Row};

use crate::codec::{OpError, from_micros, from_opt_micros, op_error};

pub(crate) const CONSENTS: &str = "read consent records";
pub(crate) const LINKS: &str = "read visitor links";
pub(crate) const SUBJECTS_PAGE: &str = "read a page of subjects";
pub(crate) const INDEX_PAGE: &str = "read a page of index entries";

const CONSENT_COLUMNS: &str = "id, subject_id, visitor_id, purpose, service, state, method, \
     recorded_at_us, expires_at_us, policy_version, purpose_fingerprint, text_sha256, \
     banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by";

fn consent_from_row(row: &Row<'_>) -> Result<ConsentRecord, OpError> {
    Ok(ConsentRecord {
        id: row.get(0)?,
        subject_id: row.get(1)?,
        visitor_id: row.get(2)?,
        purpose: row.get(3)?,
        service: row.get(4)?,
        state: row.get(5)?,
        method: row.get(6)?,
        recorded_at: from_micros(row.get(7)?)?,
        expires_at: from_opt_micros(row.get(8)?)?,
        policy_version: row.get(9)?,
        purpose_fingerprint: row.get(10)?,
        text_sha256: row.get(11)?,
        banner_version: row.get(12)?,
        ip_prefix: row.get(13)?,
        user_agent: row.get(14)?,
        jurisdiction: row.get(15)?,
        gpc: row.get(16)?,
        recorded_by: row.get(17)?,
    })
}

fn link_from_row(row: &Row<'_>) -> Result<VisitorLink, OpError> {
    Ok(VisitorLink {
        visitor_id: row.get(0)?,
        subject_id: row.get(1)?,
        linked_at: from_micros(row.get(2)?)?,
    })
}

/// Every row of `sql` (bound to `params`) through `convert`.
fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    convert: fn(&Row<'_>) -> Result<T, OpError>,
) -> Result<Vec<T>, OpError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(convert(row)?);
    }
    Ok(out)
}

/// Consent records matching `condition` on `value`, by id; `limit` -1 for all.
fn consents_where(
    conn: &Connection,
    condition: &str,
    value: &str,
    limit: i64,
) -> Result<Vec<ConsentRecord>, StoreError> {
    let sql =
        format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE {condition} ORDER BY id LIMIT ?2");
    all(conn, &sql, (value, limit), consent_from_row).map_err(op_error(CONSENTS))
}

pub(crate) fn subject_consents(
    conn: &mut Connection,
    subject_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(conn, "subject_id = ?1", subject_id, -1)
}

pub(crate) fn visitor_consents(
    conn: &mut Connection,
    visitor_id: &str,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(conn, "visitor_id = ?1", visitor_id, -1)
}

pub(crate) fn consents_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<ConsentRecord>, StoreError> {
    consents_where(conn, "id > ?1", after, i64::from(limit))
}

fn links_where(
    conn: &Connection,
    condition: &str,
    value: &str,
    limit: i64,
) -> Result<Vec<VisitorLink>, StoreError> {
    let sql = format!(
        "SELECT visitor_id, subject_id, linked_at_us FROM visitor_links WHERE {condition} \
         ORDER BY visitor_id LIMIT ?2"
    );
    all(conn, &sql, (value, limit), link_from_row).map_err(op_error(LINKS))
}

pub(crate) fn subject_visitor_links(
    conn: &mut Connection,
    subject_id: &str,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(conn, "subject_id = ?1", subject_id, -1)
}

pub(crate) fn visitor_links_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<VisitorLink>, StoreError> {
    links_where(conn, "visitor_id > ?1", after, i64::from(limit))
}

pub(crate) fn subjects_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<SubjectRecord>, StoreError> {
    all(
        conn,
        "SELECT id, kind, age_status, parental_consent_at_us, created_at_us, updated_at_us, \
         erased_at_us FROM subjects WHERE id > ?1 ORDER BY id LIMIT ?2",
        (after, i64::from(limit)),
        |row| {
            Ok(SubjectRecord {
                id: row.get(0)?,
                kind: row.get(1)?,
                age_status: row.get(2)?,
                parental_consent_at: from_opt_micros(row.get(3)?)?,
                created_at: from_micros(row.get(4)?)?,
                updated_at: from_micros(row.get(5)?)?,
                erased_at: from_opt_micros(row.get(6)?)?,
            })
        },
    )
    .map_err(op_error(SUBJECTS_PAGE))
}

pub(crate) fn index_entries_page(
    conn: &mut Connection,
    kind: &str,
    after_id: &str,
    after_digest: &[u8],
    limit: u32,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    all(
        conn,
        // In primary key order (kind, digest, subject_id): each page is one range of the
        // key, not a scan and sort of the whole table.
        "SELECT subject_id, digest FROM subject_indexes \
         WHERE kind = ?1 AND (digest, subject_id) > (?3, ?2) \
         ORDER BY digest, subject_id LIMIT ?4",
        (kind, after_id, after_digest, i64::from(limit)),
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .map_err(op_error(INDEX_PAGE))
}
