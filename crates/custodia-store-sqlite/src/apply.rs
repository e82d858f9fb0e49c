//! Batched writes: one `BEGIN IMMEDIATE` transaction per batch, one durable commit, all
//! of it one job on the writer thread.
//!
//! Statements per batch: `BEGIN IMMEDIATE`, one read of the audit head, an insert per
//! audit entry, then for each run of consecutive creations the rows of each table
//! (parents first, see `custodia_store::backend::plan`), a few statements per other
//! write, and `COMMIT`. Each statement text is prepared once per connection and then
//! only bound and stepped: in-process, a row costs a few microseconds, so multi-row
//! inserts would save little.
//!
//! `BEGIN IMMEDIATE` takes the write lock up front, so the head read and the appends are
//! serialised with every other writer, also in other processes; the primary key on
//! `seq` would catch a race regardless.

use custodia_store::backend::{
    DOWNLOAD_USED, InsertRun, MISSING_API_KEY, MISSING_SUBJECT, MISSING_USER,
    RIGHTS_REQUEST_CHANGED, RIGHTS_REQUEST_EXISTS, Step, check_audit_head, plan,
};
use custodia_store::{AuditEntry, Batch, RightsRequestRow, StoreError, Write};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::codec::{
    OpError, audit_insert_error, encode_list, is_busy, micros, opt_micros, retry_write, write_error,
};
use crate::reads::{self, INDEXED_THROUGH};

/// Unindexed audit entries that trigger indexing them. Larger batches write fewer index
/// pages per entry; a filtered read scans up to this many entries.
const AUDIT_INDEX_EVERY: i64 = 8192;

pub(crate) const APPLY: &str = "apply a batch of writes";

const AUDIT: &str = "INSERT INTO audit_log (seq, at_us, principal, action, subject_ref, \
     categories, purpose, outcome, detail, prev_hash, hash) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const SUBJECT: &str = "INSERT INTO subjects (id, kind, age_status, parental_consent_at_us, \
     created_at_us, updated_at_us, erased_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const FIELD: &str = "INSERT INTO subject_fields (subject_id, category, sealed) VALUES (?1, ?2, ?3)";
const UPSERT_FIELD: &str = "INSERT INTO subject_fields (subject_id, category, sealed) \
     VALUES (?1, ?2, ?3) ON CONFLICT (subject_id, category) DO UPDATE SET sealed = excluded.sealed";
const INDEX: &str = "INSERT INTO subject_indexes (kind, digest, subject_id) VALUES (?1, ?2, ?3)";
const EVENT: &str = "INSERT INTO subject_events (subject_id, event, at_us, recorded_at_us) \
     VALUES (?1, ?2, ?3, ?4)";
const DISCLOSURE: &str = "INSERT INTO disclosures (id, subject_id, recipient, categories, \
     purpose, at_us, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const USER: &str = "INSERT INTO staff_users (id, email, role, password_hash, created_at_us, \
     disabled_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const SESSION: &str = "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, \
     created_at_us, expires_at_us) VALUES (?1, ?2, ?3, ?4, ?5)";
const CONSENT: &str = "INSERT INTO consents (id, subject_id, visitor_id, purpose, service, \
     state, method, recorded_at_us, expires_at_us, policy_version, purpose_fingerprint, \
     text_sha256, banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
const LINK_VISITOR: &str = "INSERT INTO visitor_links (visitor_id, subject_id, linked_at_us) \
     VALUES (?1, ?2, ?3) ON CONFLICT (visitor_id) DO UPDATE SET \
     subject_id = excluded.subject_id, linked_at_us = excluded.linked_at_us";
const API_KEY: &str = "INSERT INTO api_keys (id, name, role, key_hash, created_at_us, \
     revoked_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
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
// A step at or below the one recorded changes nothing: a sweep never goes back.
const RECORD_STEP: &str = "INSERT INTO retention_progress (subject_id, rule, step, action, \
     done_at_us) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subject_id, rule) DO UPDATE SET \
     step = excluded.step, action = excluded.action, done_at_us = excluded.done_at_us \
     WHERE (excluded.done_at_us, excluded.step) > (retention_progress.done_at_us, retention_progress.step)";
const PUT_HOLD: &str = "INSERT INTO legal_holds (id, subject_id, rule_id, reason, \
     created_at_us, created_by, released_at_us, released_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET \
     subject_id = excluded.subject_id, rule_id = excluded.rule_id, reason = excluded.reason, \
     created_at_us = excluded.created_at_us, created_by = excluded.created_by, \
     released_at_us = excluded.released_at_us, released_by = excluded.released_by";
const ADD_COUNT: &str = "INSERT INTO retention_counts (rule, kind, month, count) \
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (rule, kind, month) DO UPDATE SET \
     count = count + excluded.count";

/// `batch` must have been checked (`validate_batch`) and not be empty.
pub(crate) fn apply(conn: &mut Connection, batch: &Batch) -> Result<(), StoreError> {
    let steps = plan(&batch.writes);
    retry_write(APPLY, is_busy, || apply_once(conn, &batch.audit, &steps))
}

fn apply_once(
    conn: &mut Connection,
    audit: &[AuditEntry],
    steps: &[Step<'_>],
) -> Result<(), OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(first) = audit.first() {
        let head = reads::head(&tx)?;
        check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
        let mut insert = tx.prepare_cached(AUDIT)?;
        for e in audit {
            insert
                .execute((
                    e.seq,
                    micros(e.at),
                    &e.principal,
                    &e.action,
                    &e.subject_ref,
                    encode_list(&e.categories),
                    &e.purpose,
                    &e.outcome,
                    &e.detail,
                    &e.prev_hash,
                    &e.hash,
                ))
                .map_err(audit_insert_error)?;
        }
        if let Some(last) = audit.last() {
            index_audit_entries(&tx, last.seq)?;
        }
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&tx, run)?,
            Step::Other(write) => apply_other(&tx, write)?,
        }
    }
    tx.commit()?;
    Ok(())
}

/// Indexes the unindexed audit entries once there are [`AUDIT_INDEX_EVERY`] of them,
/// `through` being the last one (see migration 0006 for why in bulk).
fn index_audit_entries(tx: &Transaction<'_>, through: i64) -> Result<(), OpError> {
    let indexed: i64 = tx
        .prepare_cached(INDEXED_THROUGH)?
        .query_row([], |row| row.get(0))?;
    if through - indexed < AUDIT_INDEX_EVERY {
        return Ok(());
    }
    // Each sorted, so that a leaf of each index is written once per bulk insert.
    for insert in [
        "INSERT INTO audit_by_subject (subject_ref, seq) SELECT subject_ref, seq \
         FROM audit_log WHERE seq > ?1 AND subject_ref IS NOT NULL ORDER BY subject_ref, seq",
        "INSERT INTO audit_by_principal (principal, seq) SELECT principal, seq \
         FROM audit_log WHERE seq > ?1 ORDER BY principal, seq",
        "INSERT INTO audit_by_time (at_us, seq) SELECT at_us, seq \
         FROM audit_log WHERE seq > ?1 ORDER BY at_us, seq",
    ] {
        tx.prepare_cached(insert)?.execute([indexed])?;
    }
    tx.prepare_cached("UPDATE audit_index_state SET indexed_through = ?1")?
        .execute([through])?;
    Ok(())
}

/// Inserts every row of `run`, table by table, parents first.
fn insert_run(tx: &Transaction<'_>, run: &InsertRun<'_>) -> Result<(), OpError> {
    if !run.subjects.is_empty() {
        let mut insert = tx.prepare_cached(SUBJECT)?;
        for s in &run.subjects {
            insert
                .execute((
                    &s.id,
                    &s.kind,
                    &s.age_status,
                    opt_micros(s.parental_consent_at),
                    micros(s.created_at),
                    micros(s.updated_at),
                    opt_micros(s.erased_at),
                ))
                .map_err(write_error)?;
        }
    }
    if !run.fields.is_empty() {
        let mut insert = tx.prepare_cached(FIELD)?;
        for (id, f) in &run.fields {
            insert
                .execute((id, &f.category, &f.sealed))
                .map_err(write_error)?;
        }
    }
    if !run.indexes.is_empty() {
        let mut insert = tx.prepare_cached(INDEX)?;
        for (id, i) in &run.indexes {
            insert
                .execute((&i.kind, &i.digest, id))
                .map_err(write_error)?;
        }
    }
    if !run.events.is_empty() {
        let mut insert = tx.prepare_cached(EVENT)?;
        for (id, e) in &run.events {
            insert
                .execute((id, &e.event, micros(e.at), micros(e.recorded_at)))
                .map_err(write_error)?;
        }
    }
    if !run.disclosures.is_empty() {
        let mut insert = tx.prepare_cached(DISCLOSURE)?;
        for d in &run.disclosures {
            insert
                .execute((
                    &d.id,
                    &d.subject_id,
                    &d.recipient,
                    encode_list(&d.categories),
                    &d.purpose,
                    micros(d.at),
                    &d.recorded_by,
                ))
                .map_err(write_error)?;
        }
    }
    if !run.users.is_empty() {
        let mut insert = tx.prepare_cached(USER)?;
        for u in &run.users {
            insert
                .execute((
                    &u.id,
                    &u.email,
                    &u.role,
                    &u.password_hash,
                    micros(u.created_at),
                    opt_micros(u.disabled_at),
                ))
                .map_err(write_error)?;
        }
    }
    if !run.sessions.is_empty() {
        let mut insert = tx.prepare_cached(SESSION)?;
        for s in &run.sessions {
            insert
                .execute((
                    &s.token_hash,
                    &s.user_id,
                    &s.csrf_token,
                    micros(s.created_at),
                    micros(s.expires_at),
                ))
                .map_err(write_error)?;
        }
    }
    if !run.api_keys.is_empty() {
        let mut insert = tx.prepare_cached(API_KEY)?;
        for k in &run.api_keys {
            insert
                .execute((
                    &k.id,
                    &k.name,
                    &k.role,
                    &k.key_hash,
                    micros(k.created_at),
                    opt_micros(k.revoked_at),
                ))
                .map_err(write_error)?;
        }
    }
    if !run.consents.is_empty() {
        let mut insert = tx.prepare_cached(CONSENT)?;
        for r in &run.consents {
            insert
                .execute(rusqlite::params![
                    &r.id,
                    &r.subject_id,
                    &r.visitor_id,
                    &r.purpose,
                    &r.service,
                    &r.state,
                    &r.method,
                    micros(r.recorded_at),
                    opt_micros(r.expires_at),
                    r.policy_version,
                    &r.purpose_fingerprint,
                    &r.text_sha256,
                    &r.banner_version,
                    &r.ip_prefix,
                    &r.user_agent,
                    &r.jurisdiction,
                    r.gpc,
                    &r.recorded_by,
                ])
                .map_err(write_error)?;
        }
    }
    Ok(())
}

/// Runs `sql` once with `params`; fails with `missing` unless it changed a row.
fn change_one(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    missing: StoreError,
) -> Result<(), OpError> {
    if tx.prepare_cached(sql)?.execute(params)? == 0 {
        Err(OpError::Store(missing))
    } else {
        Ok(())
    }
}

fn apply_other(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::UpdateSubject {
            subject_id,
            kind,
            set,
            remove,
            index_kinds,
            indexes,
            updated_at,
        } => {
            change_one(
                tx,
                "UPDATE subjects SET kind = coalesce(?1, kind), updated_at_us = ?2 WHERE id = ?3",
                (kind, micros(*updated_at), subject_id),
                MISSING_SUBJECT,
            )?;
            if !set.is_empty() {
                let mut upsert = tx.prepare_cached(UPSERT_FIELD)?;
                for f in set {
                    upsert
                        .execute((subject_id, &f.category, &f.sealed))
                        .map_err(write_error)?;
                }
            }
            if !remove.is_empty() {
                let mut delete = tx.prepare_cached(
                    "DELETE FROM subject_fields WHERE subject_id = ?1 AND category = ?2",
                )?;
                for category in remove {
                    delete.execute((subject_id, category))?;
                }
            }
            if !index_kinds.is_empty() {
                let mut delete = tx.prepare_cached(
                    "DELETE FROM subject_indexes WHERE subject_id = ?1 AND kind = ?2",
                )?;
                for kind in index_kinds {
                    delete.execute((subject_id, kind))?;
                }
            }
            if !indexes.is_empty() {
                let mut insert = tx.prepare_cached(INDEX)?;
                for i in indexes {
                    insert
                        .execute((&i.kind, &i.digest, subject_id))
                        .map_err(write_error)?;
                }
            }
        }
        Write::SetAge {
            subject_id,
            age_status,
            parental_consent_at,
            updated_at,
        } => change_one(
            tx,
            "UPDATE subjects SET age_status = ?1, parental_consent_at_us = ?2, \
             updated_at_us = ?3 WHERE id = ?4",
            (
                age_status,
                opt_micros(*parental_consent_at),
                micros(*updated_at),
                subject_id,
            ),
            MISSING_SUBJECT,
        )?,
        Write::EraseSubject {
            subject_id,
            erased_at,
        } => {
            change_one(
                tx,
                "UPDATE subjects SET erased_at_us = ?1 WHERE id = ?2",
                (micros(*erased_at), subject_id),
                MISSING_SUBJECT,
            )?;
            for sql in [
                "DELETE FROM subject_fields WHERE subject_id = ?1",
                "DELETE FROM subject_indexes WHERE subject_id = ?1",
                "DELETE FROM subject_events WHERE subject_id = ?1",
                "DELETE FROM restrictions WHERE subject_id = ?1",
                "DELETE FROM retention_progress WHERE subject_id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([subject_id])?;
            }
        }
        Write::SetUserDisabled {
            user_id,
            disabled_at,
        } => change_one(
            tx,
            "UPDATE staff_users SET disabled_at_us = ?1 WHERE id = ?2",
            (opt_micros(*disabled_at), user_id),
            MISSING_USER,
        )?,
        Write::SetUserPassword {
            user_id,
            password_hash,
        } => change_one(
            tx,
            "UPDATE staff_users SET password_hash = ?1 WHERE id = ?2",
            (password_hash, user_id),
            MISSING_USER,
        )?,
        Write::DeleteSession { token_hash } => {
            // Idempotent: logging out of a session that is already gone is fine.
            tx.prepare_cached("DELETE FROM staff_sessions WHERE token_hash = ?1")?
                .execute([token_hash])?;
        }
        Write::DeleteUserSessions { user_id } => {
            let exists = tx
                .prepare_cached("SELECT 1 FROM staff_users WHERE id = ?1")?
                .exists([user_id])?;
            if !exists {
                return Err(OpError::Store(MISSING_USER));
            }
            tx.prepare_cached("DELETE FROM staff_sessions WHERE user_id = ?1")?
                .execute([user_id])?;
        }
        Write::RevokeApiKey { id, revoked_at } => change_one(
            tx,
            "UPDATE api_keys SET revoked_at_us = ?1 WHERE id = ?2",
            (micros(*revoked_at), id),
            MISSING_API_KEY,
        )?,
        Write::LinkVisitor(link) => {
            tx.prepare_cached(LINK_VISITOR)?
                .execute((&link.visitor_id, &link.subject_id, micros(link.linked_at)))
                .map_err(write_error)?;
        }
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
        Write::RecordRetentionStep(r) => {
            // The foreign key refuses a subject that does not exist.
            tx.prepare_cached(RECORD_STEP)?
                .execute((&r.subject_id, &r.rule, r.step, &r.action, micros(r.done_at)))
                .map_err(|e| {
                    if custodia_store::rusqlite_support::is_foreign_key_violation(&e) {
                        OpError::Store(MISSING_SUBJECT)
                    } else {
                        write_error(e)
                    }
                })?;
        }
        Write::PutLegalHold(h) => {
            tx.prepare_cached(PUT_HOLD)?
                .execute((
                    &h.id,
                    &h.subject_id,
                    &h.rule_id,
                    &h.reason,
                    micros(h.created_at),
                    &h.created_by,
                    opt_micros(h.released_at),
                    &h.released_by,
                ))
                .map_err(write_error)?;
        }
        Write::AddRetentionCount(c) => {
            tx.prepare_cached(ADD_COUNT)?
                .execute((&c.rule, &c.kind, &c.month, c.count))
                .map_err(write_error)?;
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
        // `plan` gathers creations into insert runs; this only keeps the match whole.
        Write::CreateSubject { .. }
        | Write::RecordConsent(_)
        | Write::AddEvent { .. }
        | Write::AddDisclosure(_)
        | Write::CreateUser(_)
        | Write::CreateSession(_)
        | Write::CreateApiKey(_) => {
            for step in plan(std::slice::from_ref(write)) {
                if let Step::Insert(run) = step {
                    insert_run(tx, &run)?;
                }
            }
        }
    }
    Ok(())
}

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
