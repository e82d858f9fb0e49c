//! Reads of rights requests and what serves them (outbox, downloads, documents, the
//! opposition list, restrictions). Text orders use `COLLATE "C"` (byte order), as
//! SQLite's BINARY; bytea compares as bytes on both.

use custodia_store::sqlx_support::OpError;
use custodia_store::{
    DownloadRow, OppositionEntry, OutboxFailure, OutboxFailures, OutboxItem, RequestDocument,
    RequestHead, RequestHeads, RequestQuery, Restriction, RightsRequestRow, StoreError,
};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use crate::codec::{db_error, has_nul, instant, op_error};

const REQUESTS: &str = "read rights requests";
const OUTBOX: &str = "read the outbox";

const REQUEST_COLUMNS: &str = "id, kind, status, received_at, due_at, closed_at, updated_at, \
     subject_id, email_index, assignee, version, body";

const OUTBOX_COLUMNS: &str = "id, channel, request_id, recipient, created_at, \
     next_attempt_at, attempts, status, last_error, delivered_at, body";

fn request_from_row(row: &PgRow) -> Result<RightsRequestRow, OpError> {
    Ok(RightsRequestRow {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        status: row.try_get(2)?,
        received_at: row.try_get(3)?,
        due_at: row.try_get(4)?,
        closed_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        subject_id: row.try_get(7)?,
        email_index: row.try_get(8)?,
        assignee: row.try_get(9)?,
        version: row.try_get(10)?,
        body: row.try_get(11)?,
    })
}

fn outbox_from_row(row: &PgRow) -> Result<OutboxItem, OpError> {
    Ok(OutboxItem {
        id: row.try_get(0)?,
        channel: row.try_get(1)?,
        request_id: row.try_get(2)?,
        recipient: row.try_get(3)?,
        created_at: row.try_get(4)?,
        next_attempt_at: row.try_get(5)?,
        attempts: row.try_get(6)?,
        status: row.try_get(7)?,
        last_error: row.try_get(8)?,
        delivered_at: row.try_get(9)?,
        body: row.try_get(10)?,
    })
}

fn download_from_row(row: &PgRow) -> Result<DownloadRow, OpError> {
    Ok(DownloadRow {
        token_hash: row.try_get(0)?,
        request_id: row.try_get(1)?,
        format: row.try_get(2)?,
        created_at: row.try_get(3)?,
        expires_at: row.try_get(4)?,
        body: row.try_get(5)?,
    })
}

fn document_from_row(row: &PgRow) -> Result<RequestDocument, OpError> {
    Ok(RequestDocument {
        request_id: row.try_get(0)?,
        uploaded_at: row.try_get(1)?,
        media_type: row.try_get(2)?,
        body: row.try_get(3)?,
    })
}

fn opposition_from_row(row: &PgRow) -> Result<OppositionEntry, OpError> {
    Ok(OppositionEntry {
        digest: row.try_get(0)?,
        added_at: row.try_get(1)?,
        expires_at: row.try_get(2)?,
    })
}

fn restriction_from_row(row: &PgRow) -> Result<Restriction, OpError> {
    Ok(Restriction {
        subject_id: row.try_get(0)?,
        since: row.try_get(1)?,
        request_id: row.try_get(2)?,
    })
}

/// Every row of `query` through `convert`.
async fn all<T>(
    pool: &PgPool,
    query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    convert: fn(&PgRow) -> Result<T, OpError>,
    operation: &'static str,
) -> Result<Vec<T>, StoreError> {
    async {
        let rows = query.fetch_all(pool).await?;
        rows.iter()
            .map(convert)
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error(operation))
}

/// The row of `query`, if any, through `convert`.
async fn one<T>(
    pool: &PgPool,
    query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    convert: fn(&PgRow) -> Result<T, OpError>,
    operation: &'static str,
) -> Result<Option<T>, StoreError> {
    async {
        let row = query.fetch_optional(pool).await?;
        row.as_ref().map(convert).transpose()
    }
    .await
    .map_err(op_error(operation))
}

pub(crate) async fn rights_request(
    pool: &PgPool,
    id: &str,
) -> Result<Option<RightsRequestRow>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id = $1");
    let query = sqlx::query(AssertSqlSafe(sql)).bind(id);
    one(pool, query, request_from_row, REQUESTS).await
}

pub(crate) async fn rights_requests_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let after = after.unwrap_or("");
    if has_nul(after) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE id COLLATE \"C\" > $1 \
         ORDER BY id COLLATE \"C\" LIMIT $2"
    );
    let query = sqlx::query(AssertSqlSafe(sql))
        .bind(after)
        .bind(i64::from(limit));
    all(pool, query, request_from_row, REQUESTS).await
}

/// What [`request_head_from_row`] reads.
const HEAD_COLUMNS: &str = "id, kind, status, received_at, due_at, closed_at, subject_id, assignee";

fn request_head_from_row(row: &PgRow) -> Result<RequestHead, OpError> {
    Ok(RequestHead {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        status: row.try_get(2)?,
        received_at: row.try_get(3)?,
        due_at: row.try_get(4)?,
        closed_at: row.try_get(5)?,
        subject_id: row.try_get(6)?,
        assignee: row.try_get(7)?,
    })
}

/// The queue's conditions; an absent one is NULL (an empty status list: any).
const QUEUE_CONDITIONS: &str = "WHERE (cardinality($1::text[]) = 0 OR status = ANY($1)) \
     AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR assignee = $3) \
     AND ($4::timestamptz IS NULL OR due_at >= $4) AND ($5::timestamptz IS NULL OR due_at < $5)";

pub(crate) async fn rights_request_queue(
    pool: &PgPool,
    query: &RequestQuery,
) -> Result<RequestHeads, StoreError> {
    let texts = query
        .statuses
        .iter()
        .chain(query.kind.iter())
        .chain(query.assignee.iter());
    if texts.into_iter().any(|t| has_nul(t)) {
        return Ok(RequestHeads::default());
    }
    let count_sql = format!("SELECT COUNT(*) FROM rights_requests {QUEUE_CONDITIONS}");
    let page_sql = format!(
        "SELECT {HEAD_COLUMNS} FROM rights_requests {QUEUE_CONDITIONS} ORDER BY due_at, id COLLATE \"C\" \
         LIMIT $6 OFFSET $7"
    );
    let bind = |sql: String| {
        sqlx::query(AssertSqlSafe(sql))
            .bind(&query.statuses)
            .bind(&query.kind)
            .bind(&query.assignee)
            .bind(query.due_from)
            .bind(query.due_before)
    };
    let total = async {
        let row = bind(count_sql).fetch_one(pool).await?;
        let total: i64 = row.try_get(0)?;
        Ok::<_, OpError>(total)
    }
    .await
    .map_err(op_error(REQUESTS))?;
    let page = bind(page_sql)
        .bind(query.limit.map(i64::from))
        .bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
    let rows = all(pool, page, request_head_from_row, REQUESTS).await?;
    Ok(RequestHeads {
        rows,
        total: u64::try_from(total).unwrap_or(0),
    })
}

pub(crate) async fn rights_requests_by_email(
    pool: &PgPool,
    email_index: &[u8],
) -> Result<Vec<RightsRequestRow>, StoreError> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM rights_requests WHERE email_index = $1 \
         ORDER BY id COLLATE \"C\""
    );
    let query = sqlx::query(AssertSqlSafe(sql)).bind(email_index);
    all(pool, query, request_from_row, REQUESTS).await
}

pub(crate) async fn rights_requests_by_subject(
    pool: &PgPool,
    subject_id: &str,
) -> Result<Vec<RequestHead>, StoreError> {
    if has_nul(subject_id) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {HEAD_COLUMNS} FROM rights_requests WHERE subject_id = $1 \
         ORDER BY id COLLATE \"C\""
    );
    let query = sqlx::query(AssertSqlSafe(sql)).bind(subject_id);
    all(pool, query, request_head_from_row, REQUESTS).await
}

pub(crate) async fn outbox_due(
    pool: &PgPool,
    now: OffsetDateTime,
    limit: u32,
) -> Result<Vec<OutboxItem>, StoreError> {
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM rights_outbox \
         WHERE status = 'pending' AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id COLLATE \"C\" LIMIT $2"
    );
    // Truncated like every stored instant, so both backends draw the same line.
    let query = sqlx::query(AssertSqlSafe(sql))
        .bind(instant(now))
        .bind(i64::from(limit));
    all(pool, query, outbox_from_row, OUTBOX).await
}

pub(crate) async fn outbox_item(pool: &PgPool, id: &str) -> Result<Option<OutboxItem>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let sql = format!("SELECT {OUTBOX_COLUMNS} FROM rights_outbox WHERE id = $1");
    let query = sqlx::query(AssertSqlSafe(sql)).bind(id);
    one(pool, query, outbox_from_row, OUTBOX).await
}

pub(crate) async fn outbox_for_request(
    pool: &PgPool,
    request_id: &str,
) -> Result<Vec<OutboxItem>, StoreError> {
    if has_nul(request_id) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM rights_outbox WHERE request_id = $1 \
         ORDER BY id COLLATE \"C\""
    );
    let query = sqlx::query(AssertSqlSafe(sql)).bind(request_id);
    all(pool, query, outbox_from_row, OUTBOX).await
}

/// Items waiting for delivery, counted on the `(status, next_attempt_at, id)` index.
pub(crate) async fn outbox_pending(pool: &PgPool) -> Result<u64, StoreError> {
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM rights_outbox WHERE status = 'pending'")
            .fetch_one(pool)
            .await
            .map_err(db_error(OUTBOX))?;
    Ok(u64::try_from(pending).unwrap_or(0))
}

/// Failed items: the count and the latest, from the `(status, next_attempt_at, id)`
/// index; never the body or the recipient.
pub(crate) async fn outbox_failures(
    pool: &PgPool,
    limit: u32,
) -> Result<OutboxFailures, StoreError> {
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM rights_outbox WHERE status = 'failed'")
            .fetch_one(pool)
            .await
            .map_err(db_error(OUTBOX))?;
    let query = sqlx::query(
        "SELECT id, channel, request_id, attempts, last_error, next_attempt_at \
         FROM rights_outbox WHERE status = 'failed' \
         ORDER BY next_attempt_at DESC, id COLLATE \"C\" DESC LIMIT $1",
    )
    .bind(i64::from(limit));
    let latest = all(
        pool,
        query,
        |row| {
            Ok(OutboxFailure {
                id: row.try_get(0)?,
                channel: row.try_get(1)?,
                request_id: row.try_get(2)?,
                attempts: row.try_get(3)?,
                last_error: row.try_get(4)?,
                failed_at: row.try_get(5)?,
            })
        },
        OUTBOX,
    )
    .await?;
    Ok(OutboxFailures {
        total: u64::try_from(total).unwrap_or(0),
        latest,
    })
}

pub(crate) async fn download(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<DownloadRow>, StoreError> {
    let query = sqlx::query(
        "SELECT token_hash, request_id, format, created_at, expires_at, body \
         FROM rights_downloads WHERE token_hash = $1",
    )
    .bind(token_hash);
    one(pool, query, download_from_row, "read a download").await
}

pub(crate) async fn request_document(
    pool: &PgPool,
    request_id: &str,
) -> Result<Option<RequestDocument>, StoreError> {
    if has_nul(request_id) {
        return Ok(None);
    }
    let query = sqlx::query(
        "SELECT request_id, uploaded_at, media_type, body FROM rights_request_documents \
         WHERE request_id = $1",
    )
    .bind(request_id);
    one(pool, query, document_from_row, "read a request document").await
}

pub(crate) async fn opposition_entry(
    pool: &PgPool,
    digest: &[u8],
) -> Result<Option<OppositionEntry>, StoreError> {
    let query =
        sqlx::query("SELECT digest, added_at, expires_at FROM opposition_list WHERE digest = $1")
            .bind(digest);
    one(pool, query, opposition_from_row, "read the opposition list").await
}

pub(crate) async fn opposition_page(
    pool: &PgPool,
    after: Option<&[u8]>,
    limit: u32,
) -> Result<Vec<OppositionEntry>, StoreError> {
    let query = sqlx::query(
        "SELECT digest, added_at, expires_at FROM opposition_list WHERE digest > $1 \
         ORDER BY digest LIMIT $2",
    )
    .bind(after.unwrap_or_default())
    .bind(i64::from(limit));
    all(pool, query, opposition_from_row, "read the opposition list").await
}

pub(crate) async fn restrictions_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<Restriction>, StoreError> {
    let after = after.unwrap_or("");
    if has_nul(after) {
        return Ok(Vec::new());
    }
    let query = sqlx::query(
        "SELECT subject_id, since, request_id FROM restrictions \
         WHERE subject_id COLLATE \"C\" > $1 ORDER BY subject_id COLLATE \"C\" LIMIT $2",
    )
    .bind(after)
    .bind(i64::from(limit));
    all(pool, query, restriction_from_row, "read restrictions").await
}

pub(crate) async fn restriction(
    pool: &PgPool,
    subject_id: &str,
) -> Result<Option<Restriction>, StoreError> {
    if has_nul(subject_id) {
        return Ok(None);
    }
    let query =
        sqlx::query("SELECT subject_id, since, request_id FROM restrictions WHERE subject_id = $1")
            .bind(subject_id);
    one(pool, query, restriction_from_row, "read restrictions").await
}
