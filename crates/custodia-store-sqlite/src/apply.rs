//! Batched writes: one `BEGIN IMMEDIATE` transaction per batch, one durable commit.
//!
//! Statements per batch: `BEGIN IMMEDIATE`, one read of the audit head, the audit
//! entries as multi-row inserts, then for each run of consecutive creations the rows of
//! each table as multi-row inserts, a few statements per other write, and `COMMIT`. A
//! multi-row insert takes at most 256 rows; the rest of a table's rows is split into
//! power-of-two chunks (500 rows: 256 + 128 + 64 + 32 + 16 + 4), so each table has at
//! most nine statement texts, which stay prepared in the connection's cache. A batch of
//! 500 subject creations with three fields, two indexes and an event each, and their 500
//! audit entries, is about 35 statements.
//!
//! `BEGIN IMMEDIATE` takes the write lock up front, so the head read and the appends are
//! serialised with every other writer, also in other processes; the primary key on
//! `seq` would catch a race regardless.

use custodia_store::sqlx_support::{
    InsertRun, MISSING_API_KEY, MISSING_SUBJECT, MISSING_USER, OpError, Step, audit_insert_error,
    check_audit_head, plan, retry_write, validate_batch, write_error,
};
use custodia_store::{
    ApiKey, AuditEntry, Batch, ConsentRecord, Disclosure, IndexEntry, SealedField, Session,
    StaffUser, StoreError, SubjectEvent, SubjectRecord, Write,
};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;

use crate::BACKEND;
use crate::codec::{BulkInsert, SqliteQuery, encode_list, is_busy, micros, opt_micros};

const APPLY: &str = "apply a batch of writes";

static AUDIT: BulkInsert = BulkInsert::new(
    "INSERT INTO audit_log (seq, at_us, principal, action, subject_ref, categories, purpose, \
     outcome, detail, prev_hash, hash) VALUES ",
    "",
    11,
);
static SUBJECTS: BulkInsert = BulkInsert::new(
    "INSERT INTO subjects (id, kind, age_status, parental_consent_at_us, created_at_us, \
     updated_at_us, erased_at_us) VALUES ",
    "",
    7,
);
static FIELDS: BulkInsert = BulkInsert::new(
    "INSERT INTO subject_fields (subject_id, category, sealed) VALUES ",
    "",
    3,
);
static UPSERT_FIELDS: BulkInsert = BulkInsert::new(
    "INSERT INTO subject_fields (subject_id, category, sealed) VALUES ",
    " ON CONFLICT (subject_id, category) DO UPDATE SET sealed = excluded.sealed",
    3,
);
static INDEXES: BulkInsert = BulkInsert::new(
    "INSERT INTO subject_indexes (kind, digest, subject_id) VALUES ",
    "",
    3,
);
static EVENTS: BulkInsert = BulkInsert::new(
    "INSERT INTO subject_events (subject_id, event, at_us, recorded_at_us) VALUES ",
    "",
    4,
);
static DISCLOSURES: BulkInsert = BulkInsert::new(
    "INSERT INTO disclosures (id, subject_id, recipient, categories, purpose, at_us, \
     recorded_by) VALUES ",
    "",
    7,
);
static USERS: BulkInsert = BulkInsert::new(
    "INSERT INTO staff_users (id, email, role, password_hash, created_at_us, disabled_at_us) \
     VALUES ",
    "",
    6,
);
static SESSIONS: BulkInsert = BulkInsert::new(
    "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at_us, \
     expires_at_us) VALUES ",
    "",
    5,
);
static CONSENTS: BulkInsert = BulkInsert::new(
    "INSERT INTO consents (id, subject_id, visitor_id, purpose, service, state, method, \
     recorded_at_us, expires_at_us, policy_version, purpose_fingerprint, text_sha256, \
     banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by) VALUES ",
    "",
    18,
);
static API_KEYS: BulkInsert = BulkInsert::new(
    "INSERT INTO api_keys (id, name, role, key_hash, created_at_us, revoked_at_us) VALUES ",
    "",
    6,
);

pub(crate) async fn apply(pool: &SqlitePool, batch: &Batch) -> Result<(), StoreError> {
    validate_batch(batch)?;
    if batch.writes.is_empty() && batch.audit.is_empty() {
        return Ok(());
    }
    let steps = plan(&batch.writes);
    retry_write(BACKEND, APPLY, is_busy, || {
        apply_once(pool, &batch.audit, &steps)
    })
    .await
}

async fn apply_once(
    pool: &SqlitePool,
    audit: &[AuditEntry],
    steps: &[Step<'_>],
) -> Result<(), OpError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(first) = audit.first() {
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
        AUDIT
            .run(&mut tx, audit, bind_audit)
            .await
            .map_err(audit_insert_error)?;
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&mut tx, run).await?,
            Step::Other(write) => apply_other(&mut tx, write).await?,
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_run(conn: &mut SqliteConnection, run: &InsertRun<'_>) -> Result<(), OpError> {
    SUBJECTS
        .run(conn, &run.subjects, bind_subject)
        .await
        .map_err(write_error)?;
    FIELDS
        .run(conn, &run.fields, bind_field)
        .await
        .map_err(write_error)?;
    INDEXES
        .run(conn, &run.indexes, bind_index)
        .await
        .map_err(write_error)?;
    EVENTS
        .run(conn, &run.events, bind_event)
        .await
        .map_err(write_error)?;
    DISCLOSURES
        .run(conn, &run.disclosures, bind_disclosure)
        .await
        .map_err(write_error)?;
    USERS
        .run(conn, &run.users, bind_user)
        .await
        .map_err(write_error)?;
    SESSIONS
        .run(conn, &run.sessions, bind_session)
        .await
        .map_err(write_error)?;
    API_KEYS
        .run(conn, &run.api_keys, bind_api_key)
        .await
        .map_err(write_error)?;
    CONSENTS
        .run(conn, &run.consents, bind_consent)
        .await
        .map_err(write_error)?;
    Ok(())
}

/// Fails with `missing` unless the statement changed a row.
fn changed(rows: u64, missing: StoreError) -> Result<(), OpError> {
    if rows == 0 {
        Err(OpError::Store(missing))
    } else {
        Ok(())
    }
}

async fn apply_other(conn: &mut SqliteConnection, write: &Write) -> Result<(), OpError> {
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
            let done = sqlx::query(
                "UPDATE subjects SET kind = coalesce(?, kind), updated_at_us = ? WHERE id = ?",
            )
            .bind(kind.as_deref())
            .bind(micros(*updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
            let set: Vec<(&str, &SealedField)> =
                set.iter().map(|f| (subject_id.as_str(), f)).collect();
            UPSERT_FIELDS
                .run(conn, &set, bind_field)
                .await
                .map_err(write_error)?;
            if !remove.is_empty() {
                sqlx::query(
                    "DELETE FROM subject_fields WHERE subject_id = ? \
                     AND category IN (SELECT value FROM json_each(?))",
                )
                .bind(subject_id)
                .bind(encode_list(remove))
                .execute(&mut *conn)
                .await?;
            }
            if !index_kinds.is_empty() {
                sqlx::query(
                    "DELETE FROM subject_indexes WHERE subject_id = ? \
                     AND kind IN (SELECT value FROM json_each(?))",
                )
                .bind(subject_id)
                .bind(encode_list(index_kinds))
                .execute(&mut *conn)
                .await?;
            }
            let indexes: Vec<(&str, &IndexEntry)> =
                indexes.iter().map(|i| (subject_id.as_str(), i)).collect();
            INDEXES
                .run(conn, &indexes, bind_index)
                .await
                .map_err(write_error)?;
        }
        Write::SetAge {
            subject_id,
            age_status,
            parental_consent_at,
            updated_at,
        } => {
            let done = sqlx::query(
                "UPDATE subjects SET age_status = ?, parental_consent_at_us = ?, \
                 updated_at_us = ? WHERE id = ?",
            )
            .bind(age_status)
            .bind(opt_micros(*parental_consent_at))
            .bind(micros(*updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
        }
        Write::EraseSubject {
            subject_id,
            erased_at,
        } => {
            let done = sqlx::query("UPDATE subjects SET erased_at_us = ? WHERE id = ?")
                .bind(micros(*erased_at))
                .bind(subject_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
            for sql in [
                "DELETE FROM subject_fields WHERE subject_id = ?",
                "DELETE FROM subject_indexes WHERE subject_id = ?",
                "DELETE FROM subject_events WHERE subject_id = ?",
            ] {
                sqlx::query(sql)
                    .bind(subject_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Write::SetUserDisabled {
            user_id,
            disabled_at,
        } => {
            let done = sqlx::query("UPDATE staff_users SET disabled_at_us = ? WHERE id = ?")
                .bind(opt_micros(*disabled_at))
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_USER)?;
        }
        Write::SetUserPassword {
            user_id,
            password_hash,
        } => {
            let done = sqlx::query("UPDATE staff_users SET password_hash = ? WHERE id = ?")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_USER)?;
        }
        Write::DeleteSession { token_hash } => {
            // Idempotent: logging out of a session that is already gone is fine.
            sqlx::query("DELETE FROM staff_sessions WHERE token_hash = ?")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
        }
        Write::DeleteUserSessions { user_id } => {
            let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM staff_users WHERE id = ?")
                .bind(user_id)
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_none() {
                return Err(OpError::Store(MISSING_USER));
            }
            sqlx::query("DELETE FROM staff_sessions WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
        }
        Write::RevokeApiKey { id, revoked_at } => {
            let done = sqlx::query("UPDATE api_keys SET revoked_at_us = ? WHERE id = ?")
                .bind(micros(*revoked_at))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_API_KEY)?;
        }
        Write::LinkVisitor(link) => {
            sqlx::query(
                "INSERT INTO visitor_links (visitor_id, subject_id, linked_at_us) VALUES (?, ?, ?) \
                 ON CONFLICT (visitor_id) DO UPDATE SET subject_id = excluded.subject_id, \
                 linked_at_us = excluded.linked_at_us",
            )
            .bind(&link.visitor_id)
            .bind(&link.subject_id)
            .bind(micros(link.linked_at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        // `plan` gathers creations into insert runs; this only keeps the match whole.
        Write::CreateSubject { .. }
        | Write::AddEvent { .. }
        | Write::AddDisclosure(_)
        | Write::CreateUser(_)
        | Write::CreateSession(_)
        | Write::CreateApiKey(_)
        | Write::RecordConsent(_) => {
            for step in plan(std::slice::from_ref(write)) {
                if let Step::Insert(run) = step {
                    insert_run(conn, &run).await?;
                }
            }
        }
    }
    Ok(())
}

fn bind_audit<'q>(q: SqliteQuery<'q>, e: &AuditEntry) -> SqliteQuery<'q> {
    q.bind(e.seq)
        .bind(micros(e.at))
        .bind(e.principal.clone())
        .bind(e.action.clone())
        .bind(e.subject_ref.clone())
        .bind(encode_list(&e.categories))
        .bind(e.purpose.clone())
        .bind(e.outcome.clone())
        .bind(e.detail.clone())
        .bind(e.prev_hash.clone())
        .bind(e.hash.clone())
}

fn bind_subject<'q>(q: SqliteQuery<'q>, s: &&SubjectRecord) -> SqliteQuery<'q> {
    q.bind(s.id.clone())
        .bind(s.kind.clone())
        .bind(s.age_status.clone())
        .bind(opt_micros(s.parental_consent_at))
        .bind(micros(s.created_at))
        .bind(micros(s.updated_at))
        .bind(opt_micros(s.erased_at))
}

fn bind_field<'q>(q: SqliteQuery<'q>, (id, f): &(&str, &SealedField)) -> SqliteQuery<'q> {
    q.bind(id.to_string())
        .bind(f.category.clone())
        .bind(f.sealed.clone())
}

fn bind_index<'q>(q: SqliteQuery<'q>, (id, i): &(&str, &IndexEntry)) -> SqliteQuery<'q> {
    q.bind(i.kind.clone())
        .bind(i.digest.clone())
        .bind(id.to_string())
}

fn bind_event<'q>(q: SqliteQuery<'q>, (id, e): &(&str, &SubjectEvent)) -> SqliteQuery<'q> {
    q.bind(id.to_string())
        .bind(e.event.clone())
        .bind(micros(e.at))
        .bind(micros(e.recorded_at))
}

fn bind_disclosure<'q>(q: SqliteQuery<'q>, d: &&Disclosure) -> SqliteQuery<'q> {
    q.bind(d.id.clone())
        .bind(d.subject_id.clone())
        .bind(d.recipient.clone())
        .bind(encode_list(&d.categories))
        .bind(d.purpose.clone())
        .bind(micros(d.at))
        .bind(d.recorded_by.clone())
}

fn bind_user<'q>(q: SqliteQuery<'q>, u: &&StaffUser) -> SqliteQuery<'q> {
    q.bind(u.id.clone())
        .bind(u.email.clone())
        .bind(u.role.clone())
        .bind(u.password_hash.clone())
        .bind(micros(u.created_at))
        .bind(opt_micros(u.disabled_at))
}

fn bind_session<'q>(q: SqliteQuery<'q>, s: &&Session) -> SqliteQuery<'q> {
    q.bind(s.token_hash.clone())
        .bind(s.user_id.clone())
        .bind(s.csrf_token.clone())
        .bind(micros(s.created_at))
        .bind(micros(s.expires_at))
}

fn bind_api_key<'q>(q: SqliteQuery<'q>, k: &&ApiKey) -> SqliteQuery<'q> {
    q.bind(k.id.clone())
        .bind(k.name.clone())
        .bind(k.role.clone())
        .bind(k.key_hash.clone())
        .bind(micros(k.created_at))
        .bind(opt_micros(k.revoked_at))
}

fn bind_consent<'q>(q: SqliteQuery<'q>, r: &&ConsentRecord) -> SqliteQuery<'q> {
    q.bind(r.id.clone())
        .bind(r.subject_id.clone())
        .bind(r.visitor_id.clone())
        .bind(r.purpose.clone())
        .bind(r.service.clone())
        .bind(r.state.clone())
        .bind(r.method.clone())
        .bind(micros(r.recorded_at))
        .bind(opt_micros(r.expires_at))
        .bind(r.policy_version)
        .bind(r.purpose_fingerprint.clone())
        .bind(r.text_sha256.clone())
        .bind(r.banner_version.clone())
        .bind(r.ip_prefix.clone())
        .bind(r.user_agent.clone())
        .bind(r.jurisdiction.clone())
        .bind(r.gpc)
        .bind(r.recorded_by.clone())
}
