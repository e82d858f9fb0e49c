//! Writes of rights requests: requests, outbox, downloads, ID documents, the
//! opposition list and restrictions.

use custodia_store::backend::{
    DOWNLOAD_USED, MISROUTED_WRITE, MISSING_SUBJECT, OUTBOX_CLAIMED, RIGHTS_REQUEST_CHANGED,
    RIGHTS_REQUEST_EXISTS,
};
use custodia_store::{RightsRequestRow, Write};
use rusqlite::Transaction;

use crate::apply::change_one;
use crate::codec::{OpError, micros, opt_micros, write_error};

// Rights requests: an insert that finds the id taken changes no row, and neither does
// an update whose version moved on; both are then a version conflict.
const INSERT_REQUEST: &str = "INSERT INTO rights_requests (id, kind, status, received_at_us, \
     due_at_us, closed_at_us, updated_at_us, subject_id, email_index, assignee, version, body) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING";

const UPDATE_REQUEST: &str = "UPDATE rights_requests SET kind = ?2, status = ?3, \
     received_at_us = ?4, due_at_us = ?5, closed_at_us = ?6, updated_at_us = ?7, \
     subject_id = ?8, email_index = ?9, assignee = ?10, version = ?11, body = ?12 \
     WHERE id = ?1 AND version = ?13";

const PUT_OUTBOX: &str = "INSERT INTO rights_outbox (id, channel, request_id, recipient, \
     created_at_us, next_attempt_at_us, attempts, status, last_error, delivered_at_us, body) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO UPDATE SET \
     channel = excluded.channel, request_id = excluded.request_id, \
     recipient = excluded.recipient, created_at_us = excluded.created_at_us, \
     next_attempt_at_us = excluded.next_attempt_at_us, attempts = excluded.attempts, \
     status = excluded.status, last_error = excluded.last_error, \
     delivered_at_us = excluded.delivered_at_us, body = excluded.body";

const PUT_DOWNLOAD: &str = "INSERT INTO rights_downloads (token_hash, request_id, format, \
     created_at_us, expires_at_us, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
     ON CONFLICT (token_hash) DO UPDATE SET request_id = excluded.request_id, \
     format = excluded.format, created_at_us = excluded.created_at_us, \
     expires_at_us = excluded.expires_at_us, body = excluded.body";

const PUT_DOCUMENT: &str = "INSERT INTO rights_request_documents (request_id, uploaded_at_us, \
     media_type, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (request_id) DO UPDATE SET \
     uploaded_at_us = excluded.uploaded_at_us, media_type = excluded.media_type, \
     body = excluded.body";

// Listing an address again never shortens its listing nor makes it look newer.
const ADD_OPPOSITION: &str = "INSERT INTO opposition_list (digest, added_at_us, expires_at_us) \
     VALUES (?1, ?2, ?3) ON CONFLICT (digest) DO UPDATE SET \
     added_at_us = min(added_at_us, excluded.added_at_us), \
     expires_at_us = max(expires_at_us, excluded.expires_at_us)";

const SET_RESTRICTION: &str = "INSERT INTO restrictions (subject_id, since_us, request_id) \
     VALUES (?1, ?2, ?3) ON CONFLICT (subject_id) DO UPDATE SET \
     since_us = excluded.since_us, request_id = excluded.request_id";

/// Inserts a request (`expected` None) or updates it from version `expected`; a lost
/// race changes no row and is a version conflict.
fn put_request(
    tx: &Transaction<'_>,
    r: &RightsRequestRow,
    expected: Option<i64>,
) -> Result<(), OpError> {
    let (received, due, closed, updated) = (
        micros(r.received_at),
        micros(r.due_at),
        opt_micros(r.closed_at),
        micros(r.updated_at),
    );
    let columns: [&dyn rusqlite::ToSql; 12] = [
        &r.id,
        &r.kind,
        &r.status,
        &received,
        &due,
        &closed,
        &updated,
        &r.subject_id,
        &r.email_index,
        &r.assignee,
        &r.version,
        &r.body,
    ];
    match expected {
        None => change_one(tx, INSERT_REQUEST, &columns[..], RIGHTS_REQUEST_EXISTS),
        Some(v) => {
            let mut params = columns.to_vec();
            params.push(&v);
            change_one(
                tx,
                UPDATE_REQUEST,
                params.as_slice(),
                RIGHTS_REQUEST_CHANGED,
            )
        }
    }
}

/// Applies one of this domain's writes other than creations.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::PutRightsRequest {
            row,
            expected_version,
        } => put_request(tx, row, *expected_version)?,
        Write::PutOutbox(o) => {
            tx.prepare_cached(PUT_OUTBOX)?
                .execute(rusqlite::params![
                    &o.id,
                    &o.channel,
                    &o.request_id,
                    &o.recipient,
                    micros(o.created_at),
                    micros(o.next_attempt_at),
                    o.attempts,
                    &o.status,
                    &o.last_error,
                    opt_micros(o.delivered_at),
                    &o.body,
                ])
                .map_err(write_error)?;
        }
        Write::PutDownload(d) => {
            tx.prepare_cached(PUT_DOWNLOAD)?
                .execute((
                    &d.token_hash,
                    &d.request_id,
                    &d.format,
                    micros(d.created_at),
                    micros(d.expires_at),
                    &d.body,
                ))
                .map_err(write_error)?;
        }
        Write::DeleteDownload { token_hash } => {
            // Idempotent: a download used twice at once is deleted once.
            tx.prepare_cached("DELETE FROM rights_downloads WHERE token_hash = ?1")?
                .execute([token_hash])?;
        }
        Write::ClaimOutbox { id, due_at, until } => change_one(
            tx,
            "UPDATE rights_outbox SET next_attempt_at_us = ?3 \
             WHERE id = ?1 AND status = 'pending' AND next_attempt_at_us = ?2",
            (id, micros(*due_at), micros(*until)),
            OUTBOX_CLAIMED,
        )?,
        Write::UseDownload { token_hash } => change_one(
            tx,
            "DELETE FROM rights_downloads WHERE token_hash = ?1",
            [token_hash],
            DOWNLOAD_USED,
        )?,
        Write::PutRequestDocument(d) => {
            tx.prepare_cached(PUT_DOCUMENT)?
                .execute((&d.request_id, micros(d.uploaded_at), &d.media_type, &d.body))
                .map_err(write_error)?;
        }
        Write::DeleteRequestDocument { request_id } => {
            tx.prepare_cached("DELETE FROM rights_request_documents WHERE request_id = ?1")?
                .execute([request_id])?;
        }
        Write::AddOpposition(o) => {
            tx.prepare_cached(ADD_OPPOSITION)?
                .execute((&o.digest, micros(o.added_at), micros(o.expires_at)))
                .map_err(write_error)?;
        }
        Write::SetRestriction {
            subject_id,
            restriction: Some(r),
        } => {
            // The foreign key refuses a subject that does not exist.
            tx.prepare_cached(SET_RESTRICTION)?
                .execute((subject_id, micros(r.since), &r.request_id))
                .map_err(write_error)?;
        }
        Write::SetRestriction {
            subject_id,
            restriction: None,
        } => {
            let exists = tx
                .prepare_cached("SELECT 1 FROM subjects WHERE id = ?1")?
                .exists([subject_id])?;
            if !exists {
                return Err(OpError::Store(MISSING_SUBJECT));
            }
            tx.prepare_cached("DELETE FROM restrictions WHERE subject_id = ?1")?
                .execute([subject_id])?;
        }
        Write::PurgeOpposition { expired_by } => {
            tx.prepare_cached("DELETE FROM opposition_list WHERE expires_at_us <= ?1")?
                .execute([micros(*expired_by)])?;
        }
        Write::DeleteRightsRequest { id } => {
            for sql in [
                "DELETE FROM rights_outbox WHERE request_id = ?1",
                "DELETE FROM rights_downloads WHERE request_id = ?1",
                "DELETE FROM rights_request_documents WHERE request_id = ?1",
                "DELETE FROM rights_requests WHERE id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([id])?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
