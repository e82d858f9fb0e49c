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
    InsertRun, MISSING_API_KEY, MISSING_SUBJECT, MISSING_USER, Step, check_audit_head, plan,
};
use custodia_store::{AuditEntry, Batch, StoreError, Write};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::codec::{
    OpError, audit_insert_error, encode_list, is_busy, micros, opt_micros, retry_write, write_error,
};
use crate::reads;

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
