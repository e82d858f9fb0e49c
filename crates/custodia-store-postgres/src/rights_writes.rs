//! Writes of rights requests: requests, outbox, downloads, ID documents, the
//! opposition list and restrictions.

use custodia_store::backend::MISROUTED_WRITE;
use custodia_store::sqlx_support::{
    DOWNLOAD_USED, MISSING_SUBJECT, OUTBOX_CLAIMED, OpError, RIGHTS_REQUEST_CHANGED,
    RIGHTS_REQUEST_EXISTS, write_error,
};
use custodia_store::{RightsRequestRow, Write};
use sqlx::PgConnection;

use crate::apply::changed;
use crate::codec::{instant, opt_instant};

/// Inserts a request (`expected` None) or updates it from version `expected`. A lost
/// race changes no row and is a version conflict: an insert finding the id taken (also
/// by a transaction committing meanwhile) does nothing, and an update waiting on a
/// concurrent one re-checks the version once that one committed.
async fn put_request(
    conn: &mut PgConnection,
    r: &RightsRequestRow,
    expected: Option<i64>,
) -> Result<(), OpError> {
    let (sql, conflict) = match expected {
        None => (
            "INSERT INTO rights_requests (id, kind, status, received_at, due_at, closed_at, \
             updated_at, subject_id, email_index, assignee, version, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO NOTHING",
            RIGHTS_REQUEST_EXISTS,
        ),
        Some(_) => (
            "UPDATE rights_requests SET kind = $2, status = $3, received_at = $4, due_at = $5, \
             closed_at = $6, updated_at = $7, subject_id = $8, email_index = $9, \
             assignee = $10, version = $11, body = $12 WHERE id = $1 AND version = $13",
            RIGHTS_REQUEST_CHANGED,
        ),
    };
    let mut query = sqlx::query(sql)
        .bind(&r.id)
        .bind(&r.kind)
        .bind(&r.status)
        .bind(instant(r.received_at))
        .bind(instant(r.due_at))
        .bind(opt_instant(r.closed_at))
        .bind(instant(r.updated_at))
        .bind(&r.subject_id)
        .bind(&r.email_index)
        .bind(&r.assignee)
        .bind(r.version)
        .bind(&r.body);
    if let Some(v) = expected {
        query = query.bind(v);
    }
    let done = query.execute(&mut *conn).await?;
    changed(done.rows_affected(), conflict)
}

/// Applies one of this domain's writes other than creations.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match write {
        Write::PutRightsRequest {
            row,
            expected_version,
        } => put_request(conn, row, *expected_version).await?,
        Write::PutOutbox(o) => {
            sqlx::query(
                "INSERT INTO rights_outbox (id, channel, request_id, recipient, created_at, \
                 next_attempt_at, attempts, status, last_error, delivered_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (id) DO UPDATE SET channel = EXCLUDED.channel, \
                 request_id = EXCLUDED.request_id, recipient = EXCLUDED.recipient, \
                 created_at = EXCLUDED.created_at, next_attempt_at = EXCLUDED.next_attempt_at, \
                 attempts = EXCLUDED.attempts, status = EXCLUDED.status, \
                 last_error = EXCLUDED.last_error, delivered_at = EXCLUDED.delivered_at, \
                 body = EXCLUDED.body",
            )
            .bind(&o.id)
            .bind(&o.channel)
            .bind(&o.request_id)
            .bind(&o.recipient)
            .bind(instant(o.created_at))
            .bind(instant(o.next_attempt_at))
            .bind(o.attempts)
            .bind(&o.status)
            .bind(&o.last_error)
            .bind(opt_instant(o.delivered_at))
            .bind(&o.body)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::PutDownload(d) => {
            sqlx::query(
                "INSERT INTO rights_downloads (token_hash, request_id, format, created_at, \
                 expires_at, body) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (token_hash) DO UPDATE SET request_id = EXCLUDED.request_id, \
                 format = EXCLUDED.format, created_at = EXCLUDED.created_at, \
                 expires_at = EXCLUDED.expires_at, body = EXCLUDED.body",
            )
            .bind(&d.token_hash)
            .bind(&d.request_id)
            .bind(&d.format)
            .bind(instant(d.created_at))
            .bind(instant(d.expires_at))
            .bind(&d.body)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::DeleteDownload { token_hash } => {
            // Idempotent: a download used twice at once is deleted once.
            sqlx::query("DELETE FROM rights_downloads WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
        }
        Write::ClaimOutbox { id, due_at, until } => {
            let done = sqlx::query(
                "UPDATE rights_outbox SET next_attempt_at = $3 \
                 WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2",
            )
            .bind(id)
            .bind(instant(*due_at))
            .bind(instant(*until))
            .execute(&mut *conn)
            .await?;
            changed(done.rows_affected(), OUTBOX_CLAIMED)?;
        }
        Write::UseDownload { token_hash } => {
            let done = sqlx::query("DELETE FROM rights_downloads WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), DOWNLOAD_USED)?;
        }
        Write::PutRequestDocument(d) => {
            sqlx::query(
                "INSERT INTO rights_request_documents (request_id, uploaded_at, media_type, \
                 body) VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO UPDATE SET \
                 uploaded_at = EXCLUDED.uploaded_at, media_type = EXCLUDED.media_type, \
                 body = EXCLUDED.body",
            )
            .bind(&d.request_id)
            .bind(instant(d.uploaded_at))
            .bind(&d.media_type)
            .bind(&d.body)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::DeleteRequestDocument { request_id } => {
            sqlx::query("DELETE FROM rights_request_documents WHERE request_id = $1")
                .bind(request_id)
                .execute(&mut *conn)
                .await?;
        }
        Write::AddOpposition(o) => {
            // Listing an address again never shortens its listing nor makes it look newer.
            sqlx::query(
                "INSERT INTO opposition_list (digest, added_at, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (digest) DO UPDATE SET \
                 added_at = LEAST(opposition_list.added_at, EXCLUDED.added_at), \
                 expires_at = GREATEST(opposition_list.expires_at, EXCLUDED.expires_at)",
            )
            .bind(&o.digest)
            .bind(instant(o.added_at))
            .bind(instant(o.expires_at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::SetRestriction {
            subject_id,
            restriction: Some(r),
        } => {
            // The foreign key refuses a subject that does not exist.
            sqlx::query(
                "INSERT INTO restrictions (subject_id, since, request_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (subject_id) DO UPDATE SET since = EXCLUDED.since, \
                 request_id = EXCLUDED.request_id",
            )
            .bind(subject_id)
            .bind(instant(r.since))
            .bind(&r.request_id)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::SetRestriction {
            subject_id,
            restriction: None,
        } => {
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM subjects WHERE id = $1")
                .bind(subject_id)
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_none() {
                return Err(OpError::Store(MISSING_SUBJECT));
            }
            sqlx::query("DELETE FROM restrictions WHERE subject_id = $1")
                .bind(subject_id)
                .execute(&mut *conn)
                .await?;
        }
        Write::PurgeOpposition { expired_by } => {
            sqlx::query("DELETE FROM opposition_list WHERE expires_at <= $1")
                .bind(instant(*expired_by))
                .execute(&mut *conn)
                .await?;
        }
        Write::DeleteRightsRequest { id } => {
            for sql in [
                "DELETE FROM rights_outbox WHERE request_id = $1",
                "DELETE FROM rights_downloads WHERE request_id = $1",
                "DELETE FROM rights_request_documents WHERE request_id = $1",
                "DELETE FROM rights_requests WHERE id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *conn).await?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
