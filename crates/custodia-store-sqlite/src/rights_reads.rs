//! Reads of rights requests and what serves them (outbox, downloads, documents, the
//! opposition list, restrictions), run on a reader thread. Text and blob orders are
//! SQLite's BINARY collation: byte order, as the PostgreSQL backend gets with
//! `COLLATE "C"` (and bytea, which compares as bytes).

use custodia_store::{
    DownloadRow, OppositionEntry, OutboxFailure, OutboxFailures, OutboxItem, RequestDocument,
    RequestHead, RequestHeads, RequestQuery, Restriction, RightsRequestRow, StoreError,
};
use rusqlite::types::ToSql;
use rusqlite::{Connection, Row};
use time::OffsetDateTime;

use crate::codec::{OpError, db_error, from_micros, from_opt_micros, micros, op_error};

pub(crate) const REQUESTS: &str = "read rights requests";
pub(crate) const OUTBOX: &str = "read the outbox";
pub(crate) const DOWNLOADS: &str = "read a download";
pub(crate) const DOCUMENTS: &str = "read a request document";
pub(crate) const OPPOSITION: &str = "read the opposition list";
pub(crate) const RESTRICTIONS: &str = "read restrictions";

const REQUEST_COLUMNS: &str = "id, kind, status, received_at_us, due_at_us, closed_at_us, \
     updated_at_us, subject_id, email_index, assignee, version, body";

const OUTBOX_COLUMNS: &str = "id, channel, request_id, recipient, created_at_us, \
     next_attempt_at_us, attempts, status, last_error, delivered_at_us, body";

fn request_from_row(row: &Row<'_>) -> Result<RightsRequestRow, OpError> {
    Ok(RightsRequestRow {
        id: row.get(0)?,
        kind: row.get(1)?,
        status: row.get(2)?,
        received_at: from_micros(row.get(3)?)?,
        due_at: from_micros(row.get(4)?)?,
        closed_at: from_opt_micros(row.get(5)?)?,
        updated_at: from_micros(row.get(6)?)?,
        subject_id: row.get(7)?,
        email_index: row.get(8)?,
        assignee: row.get(9)?,
        version: row.get(10)?,
        body: row.get(11)?,
    })
}

fn outbox_from_row(row: &Row<'_>) -> Result<OutboxItem, OpError> {
    Ok(OutboxItem {
        id: row.get(0)?,
        channel: row.get(1)?,
        request_id: row.get(2)?,
        recipient: row.get(3)?,
        created_at: from_micros(row.get(4)?)?,
        next_attempt_at: from_micros(row.get(5)?)?,
        attempts: row.get(6)?,
        status: row.get(7)?,
        last_error: row.get(8)?,
        delivered_at: from_opt_micros(row.get(9)?)?,
        body: row.get(10)?,
    })
}

fn download_from_row(row: &Row<'_>) -> Result<DownloadRow, OpError> {
    Ok(DownloadRow {
        token_hash: row.get(0)?,
        request_id: row.get(1)?,
        format: row.get(2)?,
        created_at: from_micros(row.get(3)?)?,
        expires_at: from_micros(row.get(4)?)?,
        body: row.get(5)?,
    })
}

fn document_from_row(row: &Row<'_>) -> Result<RequestDocument, OpError> {
    Ok(RequestDocument {
        request_id: row.get(0)?,
        uploaded_at: from_micros(row.get(1)?)?,
        media_type: row.get(2)?,
        body: row.get(3)?,
    })
}

fn opposition_from_row(row: &Row<'_>) -> Result<OppositionEntry, OpError> {
    Ok(OppositionEntry {
        digest: row.get(0)?,
        added_at: from_micros(row.get(1)?)?,
        expires_at: from_micros(row.get(2)?)?,
    })
}

fn restriction_from_row(row: &Row<'_>) -> Result<Restriction, OpError> {
    Ok(Restriction {
        subject_id: row.get(0)?,
        since: from_micros(row.get(1)?)?,
        request_id: row.get(2)?,
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

/// The one row of `sql` (bound to `params`) through `convert`, if any.
fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    convert: fn(&Row<'_>) -> Result<T, OpError>,
) -> Result<Option<T>, OpError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    rows.next()?.map(convert).transpose()
}

pub(crate) fn rights_request(
    conn: &mut Connection,
    id: &str,
) -> Result<Option<RightsRequestRow>, StoreError> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = ?1");
    one(conn, &sql, [id], request_from_row).map_err(op_error(REQUESTS))
}

pub(crate) fn rights_requests_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let sql =
        format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id > ?1 ORDER BY id LIMIT ?2");
    all(conn, &sql, (after, i64::from(limit)), request_from_row).map_err(op_error(REQUESTS))
}

/// What [`request_head_from_row`] reads.
const HEAD_COLUMNS: &str =
    "id, kind, status, received_at_us, due_at_us, closed_at_us, subject_id, assignee";

fn request_head_from_row(row: &Row<'_>) -> Result<RequestHead, OpError> {
    Ok(RequestHead {
        id: row.get(0)?,
        kind: row.get(1)?,
        status: row.get(2)?,
        received_at: from_micros(row.get(3)?)?,
        due_at: from_micros(row.get(4)?)?,
        closed_at: from_opt_micros(row.get(5)?)?,
        subject_id: row.get(6)?,
        assignee: row.get(7)?,
    })
}

/// The queue's conditions as a WHERE clause of `?` placeholders, and their values
/// in order (only the conditions given, so the due-date index serves the range).
fn queue_conditions(query: &RequestQuery) -> (String, Vec<Box<dyn ToSql>>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Box<dyn ToSql>> = Vec::new();
    if !query.statuses.is_empty() {
        let marks = vec!["?"; query.statuses.len()].join(", ");
        clauses.push(format!("status IN ({marks})"));
        values.extend(
            query
                .statuses
                .iter()
                .map(|s| Box::new(s.clone()) as Box<dyn ToSql>),
        );
    }
    for (column, value) in [("kind", &query.kind), ("assignee", &query.assignee)] {
        if let Some(v) = value {
            clauses.push(format!("{column} = ?"));
            values.push(Box::new(v.clone()));
        }
    }
    if let Some(from) = query.due_from {
        clauses.push("due_at_us >= ?".to_owned());
        values.push(Box::new(micros(from)));
    }
    if let Some(before) = query.due_before {
        clauses.push("due_at_us < ?".to_owned());
        values.push(Box::new(micros(before)));
    }
    if clauses.is_empty() {
        (String::new(), values)
    } else {
        (format!("WHERE {}", clauses.join(" AND ")), values)
    }
}

pub(crate) fn rights_request_queue(
    conn: &mut Connection,
    query: &RequestQuery,
) -> Result<RequestHeads, StoreError> {
    let (conditions, mut values) = queue_conditions(query);
    (|| {
        let tx = conn.transaction()?;
        let total: i64 = tx
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM rights_requests {conditions}"
            ))?
            .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?;
        values.push(Box::new(query.limit.map_or(-1, i64::from)));
        values.push(Box::new(i64::try_from(query.offset).unwrap_or(i64::MAX)));
        let rows = all(
            &tx,
            &format!(
                "SELECT {HEAD_COLUMNS} FROM rights_requests {conditions} \
                 ORDER BY due_at_us, id LIMIT ? OFFSET ?"
            ),
            rusqlite::params_from_iter(values.iter()),
            request_head_from_row,
        )?;
        tx.commit()?;
        Ok(RequestHeads {
            rows,
            total: u64::try_from(total).unwrap_or(0),
        })
    })()
    .map_err(op_error(REQUESTS))
}

pub(crate) fn rights_requests_by_email(
    conn: &mut Connection,
    email_index: &[u8],
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let sql =
        format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE email_index = ?1 ORDER BY id");
    all(conn, &sql, [email_index], request_from_row).map_err(op_error(REQUESTS))
}

pub(crate) fn rights_requests_by_subject(
    conn: &mut Connection,
    subject_id: &str,
) -> Result<Vec<RequestHead>, StoreError> {
    let sql =
        format!("SELECT {HEAD_COLUMNS} FROM rights_requests WHERE subject_id = ?1 ORDER BY id");
    all(conn, &sql, [subject_id], request_head_from_row).map_err(op_error(REQUESTS))
}

pub(crate) fn outbox_due(
    conn: &mut Connection,
    now: OffsetDateTime,
    limit: u32,
) -> Result<Vec<OutboxItem>, StoreError> {
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM rights_outbox \
         WHERE status = 'pending' AND next_attempt_at_us <= ?1 \
         ORDER BY next_attempt_at_us, id LIMIT ?2"
    );
    all(conn, &sql, (micros(now), i64::from(limit)), outbox_from_row).map_err(op_error(OUTBOX))
}

pub(crate) fn outbox_item(
    conn: &mut Connection,
    id: &str,
) -> Result<Option<OutboxItem>, StoreError> {
    let sql = format!("SELECT {OUTBOX_COLUMNS} FROM rights_outbox WHERE id = ?1");
    one(conn, &sql, [id], outbox_from_row).map_err(op_error(OUTBOX))
}

pub(crate) fn outbox_for_request(
    conn: &mut Connection,
    request_id: &str,
) -> Result<Vec<OutboxItem>, StoreError> {
    let sql =
        format!("SELECT {OUTBOX_COLUMNS} FROM rights_outbox WHERE request_id = ?1 ORDER BY id");
    all(conn, &sql, [request_id], outbox_from_row).map_err(op_error(OUTBOX))
}

/// Items waiting for delivery, counted on the `(status, next_attempt_at_us, id)` index.
pub(crate) fn outbox_pending(conn: &mut Connection) -> Result<u64, StoreError> {
    let pending: i64 = conn
        .prepare_cached("SELECT count(*) FROM rights_outbox WHERE status = 'pending'")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .map_err(db_error(OUTBOX))?;
    Ok(u64::try_from(pending).unwrap_or(0))
}

/// Failed items: the count and the latest, from the `(status, next_attempt_at_us, id)`
/// index; never the body or the recipient.
pub(crate) fn outbox_failures(
    conn: &mut Connection,
    limit: u32,
) -> Result<OutboxFailures, StoreError> {
    let total: i64 = conn
        .prepare_cached("SELECT count(*) FROM rights_outbox WHERE status = 'failed'")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .map_err(db_error(OUTBOX))?;
    let latest = all(
        conn,
        "SELECT id, channel, request_id, attempts, last_error, next_attempt_at_us \
         FROM rights_outbox WHERE status = 'failed' \
         ORDER BY next_attempt_at_us DESC, id DESC LIMIT ?1",
        [i64::from(limit)],
        |row| {
            Ok(OutboxFailure {
                id: row.get(0)?,
                channel: row.get(1)?,
                request_id: row.get(2)?,
                attempts: row.get(3)?,
                last_error: row.get(4)?,
                failed_at: from_micros(row.get(5)?)?,
            })
        },
    )
    .map_err(op_error(OUTBOX))?;
    Ok(OutboxFailures {
        total: u64::try_from(total).unwrap_or(0),
        latest,
    })
}

pub(crate) fn download(
    conn: &mut Connection,
    token_hash: &[u8],
) -> Result<Option<DownloadRow>, StoreError> {
    one(
        conn,
        "SELECT token_hash, request_id, format, created_at_us, expires_at_us, body \
         FROM rights_downloads WHERE token_hash = ?1",
        [token_hash],
        download_from_row,
    )
    .map_err(op_error(DOWNLOADS))
}

pub(crate) fn request_document(
    conn: &mut Connection,
    request_id: &str,
) -> Result<Option<RequestDocument>, StoreError> {
    one(
        conn,
        "SELECT request_id, uploaded_at_us, media_type, body FROM rights_request_documents \
         WHERE request_id = ?1",
        [request_id],
        document_from_row,
    )
    .map_err(op_error(DOCUMENTS))
}

pub(crate) fn opposition_entry(
    conn: &mut Connection,
    digest: &[u8],
) -> Result<Option<OppositionEntry>, StoreError> {
    one(
        conn,
        "SELECT digest, added_at_us, expires_at_us FROM opposition_list WHERE digest = ?1",
        [digest],
        opposition_from_row,
    )
    .map_err(op_error(OPPOSITION))
}

pub(crate) fn opposition_page(
    conn: &mut Connection,
    after: &[u8],
    limit: u32,
) -> Result<Vec<OppositionEntry>, StoreError> {
    all(
        conn,
        "SELECT digest, added_at_us, expires_at_us FROM opposition_list WHERE digest > ?1 \
         ORDER BY digest LIMIT ?2",
        (after, i64::from(limit)),
        opposition_from_row,
    )
    .map_err(op_error(OPPOSITION))
}

pub(crate) fn restrictions_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<Restriction>, StoreError> {
    all(
        conn,
        "SELECT subject_id, since_us, request_id FROM restrictions WHERE subject_id > ?1 \
         ORDER BY subject_id LIMIT ?2",
        (after, i64::from(limit)),
        restriction_from_row,
    )
    .map_err(op_error(RESTRICTIONS))
}

pub(crate) fn restriction(
    conn: &mut Connection,
    subject_id: &str,
) -> Result<Option<Restriction>, StoreError> {
    one(
        conn,
        "SELECT subject_id, since_us, request_id FROM restrictions WHERE subject_id = ?1",
        [subject_id],
        restriction_from_row,
    )
    .map_err(op_error(RESTRICTIONS))
}
