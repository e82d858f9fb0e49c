//! Batched writes: one transaction per batch, one commit.
//!
//! Statements per batch: `BEGIN`, one read of the audit head, one insert of all audit
//! entries, then for each run of consecutive creations one insert per table touched,
//! each taking every row at once as arrays (`INSERT ... SELECT * FROM UNNEST($1::text[],
//! ...)`: one statement text per table whatever the row count, so it stays prepared,
//! and no bound-parameter limit), a few statements per other write, and `COMMIT`. A batch
//! of 500 subject creations with fields and indexes and 500 audit entries is seven
//! round trips.
//!
//! The audit entries are inserted first, at the default isolation level and without
//! locks: when two batches continue the same head, the second insert of a `seq` waits
//! for the first transaction and then fails on the primary key, which is
//! [`StoreError::AuditHeadMoved`]; a batch thus never forks the chain, and waits before
//! it has touched any other row. Serialization failures (40001, CockroachDB) and
//! deadlocks (40P01) retry the whole transaction.

use custodia_store::sqlx_support::{
    DOWNLOAD_USED, InsertRun, MISSING_API_KEY, MISSING_SUBJECT, MISSING_USER, OpError,
    RIGHTS_REQUEST_CHANGED, RIGHTS_REQUEST_EXISTS, Step, audit_insert_error, check_audit_head,
    is_foreign_key_violation, plan, retry_write, validate_batch, write_error,
};
use custodia_store::{
    AuditEntry, Batch, IndexEntry, RightsRequestRow, SealedField, StoreError, Write,
};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use time::OffsetDateTime;

use crate::BACKEND;
use crate::codec::{encode_list, instant, is_serialization_failure, opt_instant};

const APPLY: &str = "apply a batch of writes";

pub(crate) async fn apply(pool: &PgPool, batch: &Batch) -> Result<(), StoreError> {
    if !validate_batch(batch)? {
        return Ok(());
    }
    let steps = plan(&batch.writes);
    retry_write(BACKEND, APPLY, is_serialization_failure, || {
        apply_once(pool, &batch.audit, &steps)
    })
    .await
}

async fn apply_once(
    pool: &PgPool,
    audit: &[AuditEntry],
    steps: &[Step<'_>],
) -> Result<(), OpError> {
    let mut tx = pool.begin().await?;
    if let Some(first) = audit.first() {
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        check_audit_head(head.as_ref().map(|(s, h)| (*s, h.as_str())), first)?;
        insert_audit(&mut tx, audit)
            .await
            .map_err(audit_insert_error)?;
    }
    for step in steps {
        match step {
            Step::Insert(run) => insert_run(&mut tx, run).await.map_err(write_error)?,
            Step::Other(write) => apply_other(&mut tx, write).await?,
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_audit(conn: &mut PgConnection, audit: &[AuditEntry]) -> Result<(), sqlx::Error> {
    let n = audit.len();
    let mut seq = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    let mut principal = Vec::with_capacity(n);
    let mut action = Vec::with_capacity(n);
    let mut subject_ref = Vec::with_capacity(n);
    let mut categories = Vec::with_capacity(n);
    let mut purpose = Vec::with_capacity(n);
    let mut outcome = Vec::with_capacity(n);
    let mut detail = Vec::with_capacity(n);
    let mut prev_hash = Vec::with_capacity(n);
    let mut hash = Vec::with_capacity(n);
    for e in audit {
        seq.push(e.seq);
        at.push(instant(e.at));
        principal.push(e.principal.as_str());
        action.push(e.action.as_str());
        subject_ref.push(e.subject_ref.as_deref());
        categories.push(encode_list(&e.categories));
        purpose.push(e.purpose.as_deref());
        outcome.push(e.outcome.as_str());
        detail.push(e.detail.as_deref());
        prev_hash.push(e.prev_hash.as_str());
        hash.push(e.hash.as_str());
    }
    sqlx::query(
        "INSERT INTO audit_log (seq, at, principal, action, subject_ref, categories, purpose, \
         outcome, detail, prev_hash, hash) \
         SELECT seq, at, principal, action, subject_ref, categories::jsonb, purpose, outcome, \
         detail, prev_hash, hash \
         FROM UNNEST($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) \
         AS t(seq, at, principal, action, subject_ref, categories, purpose, outcome, detail, \
         prev_hash, hash)",
    )
    .bind(seq)
    .bind(at)
    .bind(principal)
    .bind(action)
    .bind(subject_ref)
    .bind(categories)
    .bind(purpose)
    .bind(outcome)
    .bind(detail)
    .bind(prev_hash)
    .bind(hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One statement per table that has rows, parents first.
async fn insert_run(conn: &mut PgConnection, run: &InsertRun<'_>) -> Result<(), sqlx::Error> {
    if !run.subjects.is_empty() {
        let s = &run.subjects;
        sqlx::query(
            "INSERT INTO subjects (id, kind, age_status, parental_consent_at, created_at, \
             updated_at, erased_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::timestamptz[], \
             $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])",
        )
        .bind(s.iter().map(|s| s.id.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| s.age_status.as_str()).collect::<Vec<_>>())
        .bind(
            s.iter()
                .map(|s| opt_instant(s.parental_consent_at))
                .collect::<Vec<_>>(),
        )
        .bind(s.iter().map(|s| instant(s.created_at)).collect::<Vec<_>>())
        .bind(s.iter().map(|s| instant(s.updated_at)).collect::<Vec<_>>())
        .bind(
            s.iter()
                .map(|s| opt_instant(s.erased_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    insert_fields(conn, &run.fields, false).await?;
    insert_indexes(conn, &run.indexes).await?;
    if !run.events.is_empty() {
        let e = &run.events;
        sqlx::query(
            "INSERT INTO subject_events (subject_id, event, at, recorded_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])",
        )
        .bind(e.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(e.iter().map(|(_, e)| e.event.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|(_, e)| instant(e.at)).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|(_, e)| instant(e.recorded_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !run.disclosures.is_empty() {
        let d = &run.disclosures;
        sqlx::query(
            "INSERT INTO disclosures (id, subject_id, recipient, categories, purpose, at, \
             recorded_by) \
             SELECT id, subject_id, recipient, categories::jsonb, purpose, at, recorded_by \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::timestamptz[], $7::text[]) \
             AS t(id, subject_id, recipient, categories, purpose, at, recorded_by)",
        )
        .bind(d.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.subject_id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>())
        .bind(
            d.iter()
                .map(|d| encode_list(&d.categories))
                .collect::<Vec<_>>(),
        )
        .bind(d.iter().map(|d| d.purpose.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| instant(d.at)).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.recorded_by.as_str()).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    if !run.users.is_empty() {
        let u = &run.users;
        sqlx::query(
            "INSERT INTO staff_users (id, email, role, password_hash, created_at, disabled_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
             $5::timestamptz[], $6::timestamptz[])",
        )
        .bind(u.iter().map(|u| u.id.as_str()).collect::<Vec<_>>())
        .bind(u.iter().map(|u| u.email.as_str()).collect::<Vec<_>>())
        .bind(u.iter().map(|u| u.role.as_str()).collect::<Vec<_>>())
        .bind(
            u.iter()
                .map(|u| u.password_hash.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(u.iter().map(|u| instant(u.created_at)).collect::<Vec<_>>())
        .bind(
            u.iter()
                .map(|u| opt_instant(u.disabled_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !run.sessions.is_empty() {
        let s = &run.sessions;
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             SELECT * FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::timestamptz[], \
             $5::timestamptz[])",
        )
        .bind(
            s.iter()
                .map(|s| s.token_hash.as_slice())
                .collect::<Vec<_>>(),
        )
        .bind(s.iter().map(|s| s.user_id.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| s.csrf_token.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| instant(s.created_at)).collect::<Vec<_>>())
        .bind(s.iter().map(|s| instant(s.expires_at)).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    if !run.api_keys.is_empty() {
        let k = &run.api_keys;
        sqlx::query(
            "INSERT INTO api_keys (id, name, role, key_hash, created_at, revoked_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bytea[], \
             $5::timestamptz[], $6::timestamptz[])",
        )
        .bind(k.iter().map(|k| k.id.as_str()).collect::<Vec<_>>())
        .bind(k.iter().map(|k| k.name.as_str()).collect::<Vec<_>>())
        .bind(k.iter().map(|k| k.role.as_str()).collect::<Vec<_>>())
        .bind(k.iter().map(|k| k.key_hash.as_slice()).collect::<Vec<_>>())
        .bind(k.iter().map(|k| instant(k.created_at)).collect::<Vec<_>>())
        .bind(
            k.iter()
                .map(|k| opt_instant(k.revoked_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !run.consents.is_empty() {
        insert_consents(conn, &run.consents).await?;
    }
    Ok(())
}

async fn insert_consents(
    conn: &mut PgConnection,
    c: &[&custodia_store::ConsentRecord],
) -> Result<(), sqlx::Error> {
    fn col<'a, T>(
        c: &[&'a custodia_store::ConsentRecord],
        f: impl Fn(&'a custodia_store::ConsentRecord) -> T,
    ) -> Vec<T> {
        c.iter().map(|r| f(r)).collect()
    }
    sqlx::query(
        "INSERT INTO consents (id, subject_id, visitor_id, purpose, service, state, method, \
         recorded_at, expires_at, policy_version, purpose_fingerprint, text_sha256, \
         banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::bigint[], \
         $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], \
         $17::boolean[], $18::text[])",
    )
    .bind(col(c, |r| r.id.as_str()))
    .bind(col(c, |r| r.subject_id.as_deref()))
    .bind(col(c, |r| r.visitor_id.as_deref()))
    .bind(col(c, |r| r.purpose.as_str()))
    .bind(col(c, |r| r.service.as_deref()))
    .bind(col(c, |r| r.state.as_str()))
    .bind(col(c, |r| r.method.as_str()))
    .bind(col(c, |r| instant(r.recorded_at)))
    .bind(col(c, |r| opt_instant(r.expires_at)))
    .bind(col(c, |r| r.policy_version))
    .bind(col(c, |r| r.purpose_fingerprint.as_str()))
    .bind(col(c, |r| r.text_sha256.as_str()))
    .bind(col(c, |r| r.banner_version.as_deref()))
    .bind(col(c, |r| r.ip_prefix.as_deref()))
    .bind(col(c, |r| r.user_agent.as_deref()))
    .bind(col(c, |r| r.jurisdiction.as_deref()))
    .bind(col(c, |r| r.gpc))
    .bind(col(c, |r| r.recorded_by.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts fields; with `upsert`, replaces the sealed value of a category that exists.
async fn insert_fields(
    conn: &mut PgConnection,
    fields: &[(&str, &SealedField)],
    upsert: bool,
) -> Result<(), sqlx::Error> {
    if fields.is_empty() {
        return Ok(());
    }
    let sql = if upsert {
        "INSERT INTO subject_fields (subject_id, category, sealed) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bytea[]) \
         ON CONFLICT (subject_id, category) DO UPDATE SET sealed = EXCLUDED.sealed"
    } else {
        "INSERT INTO subject_fields (subject_id, category, sealed) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bytea[])"
    };
    sqlx::query(sql)
        .bind(fields.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(
            fields
                .iter()
                .map(|(_, f)| f.category.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            fields
                .iter()
                .map(|(_, f)| f.sealed.as_slice())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_indexes(
    conn: &mut PgConnection,
    indexes: &[(&str, &IndexEntry)],
) -> Result<(), sqlx::Error> {
    if indexes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO subject_indexes (kind, digest, subject_id) \
         SELECT * FROM UNNEST($1::text[], $2::bytea[], $3::text[])",
    )
    .bind(
        indexes
            .iter()
            .map(|(_, i)| i.kind.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        indexes
            .iter()
            .map(|(_, i)| i.digest.as_slice())
            .collect::<Vec<_>>(),
    )
    .bind(indexes.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
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

async fn update_subject_row(
    conn: &mut PgConnection,
    subject_id: &str,
    kind: Option<&str>,
    updated_at: OffsetDateTime,
) -> Result<(), OpError> {
    let done =
        sqlx::query("UPDATE subjects SET kind = coalesce($1, kind), updated_at = $2 WHERE id = $3")
            .bind(kind)
            .bind(instant(updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
    changed(done.rows_affected(), MISSING_SUBJECT)
}

async fn apply_other(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
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
            update_subject_row(conn, subject_id, kind.as_deref(), *updated_at).await?;
            let set: Vec<(&str, &SealedField)> =
                set.iter().map(|f| (subject_id.as_str(), f)).collect();
            insert_fields(conn, &set, true).await.map_err(write_error)?;
            if !remove.is_empty() {
                sqlx::query(
                    "DELETE FROM subject_fields WHERE subject_id = $1 AND category = ANY($2)",
                )
                .bind(subject_id)
                .bind(remove)
                .execute(&mut *conn)
                .await?;
            }
            if !index_kinds.is_empty() {
                sqlx::query("DELETE FROM subject_indexes WHERE subject_id = $1 AND kind = ANY($2)")
                    .bind(subject_id)
                    .bind(index_kinds)
                    .execute(&mut *conn)
                    .await?;
            }
            let indexes: Vec<(&str, &IndexEntry)> =
                indexes.iter().map(|i| (subject_id.as_str(), i)).collect();
            insert_indexes(conn, &indexes).await.map_err(write_error)?;
        }
        Write::SetAge {
            subject_id,
            age_status,
            parental_consent_at,
            updated_at,
        } => {
            let done = sqlx::query(
                "UPDATE subjects SET age_status = $1, parental_consent_at = $2, updated_at = $3 \
                 WHERE id = $4",
            )
            .bind(age_status)
            .bind(opt_instant(*parental_consent_at))
            .bind(instant(*updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
        }
        Write::EraseSubject {
            subject_id,
            erased_at,
        } => {
            let done = sqlx::query("UPDATE subjects SET erased_at = $1 WHERE id = $2")
                .bind(instant(*erased_at))
                .bind(subject_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
            for sql in [
                "DELETE FROM subject_fields WHERE subject_id = $1",
                "DELETE FROM subject_indexes WHERE subject_id = $1",
                "DELETE FROM subject_events WHERE subject_id = $1",
                "DELETE FROM restrictions WHERE subject_id = $1",
                "DELETE FROM retention_progress WHERE subject_id = $1",
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
            let done = sqlx::query("UPDATE staff_users SET disabled_at = $1 WHERE id = $2")
                .bind(opt_instant(*disabled_at))
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_USER)?;
        }
        Write::SetUserPassword {
            user_id,
            password_hash,
        } => {
            let done = sqlx::query("UPDATE staff_users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_USER)?;
        }
        Write::DeleteSession { token_hash } => {
            // Idempotent: logging out of a session that is already gone is fine.
            sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
        }
        Write::DeleteUserSessions { user_id } => {
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM staff_users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_none() {
                return Err(OpError::Store(MISSING_USER));
            }
            sqlx::query("DELETE FROM staff_sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *conn)
                .await?;
        }
        Write::RevokeApiKey { id, revoked_at } => {
            let done = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2")
                .bind(instant(*revoked_at))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_API_KEY)?;
        }
        Write::LinkVisitor(link) => {
            sqlx::query(
                "INSERT INTO visitor_links (visitor_id, subject_id, linked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (visitor_id) DO UPDATE SET subject_id = excluded.subject_id, \
                 linked_at = excluded.linked_at",
            )
            .bind(&link.visitor_id)
            .bind(&link.subject_id)
            .bind(instant(link.linked_at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
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
        Write::RecordRetentionStep(r) => {
            // Checked by validate_batch; the fallback is unreachable.
            let step = i32::try_from(r.step).map_err(|_| StoreError::Invalid {
                reason: "a retention step's number is 0 or too large",
            })?;
            // Within one cycle of a rule steps only go up; a step done later starts a
            // new cycle. The foreign key refuses a subject that does not exist.
            sqlx::query(
                "INSERT INTO retention_progress (subject_id, rule, step, action, done_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id, rule) DO UPDATE SET \
                 step = EXCLUDED.step, action = EXCLUDED.action, done_at = EXCLUDED.done_at \
                 WHERE (EXCLUDED.done_at, EXCLUDED.step) \
                     > (retention_progress.done_at, retention_progress.step)",
            )
            .bind(&r.subject_id)
            .bind(&r.rule)
            .bind(step)
            .bind(&r.action)
            .bind(instant(r.done_at))
            .execute(&mut *conn)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    OpError::Store(MISSING_SUBJECT)
                } else {
                    write_error(e)
                }
            })?;
        }
        Write::PutLegalHold(h) => {
            sqlx::query(
                "INSERT INTO legal_holds (id, subject_id, rule_id, reason, created_at, \
                 created_by, released_at, released_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (id) DO UPDATE SET subject_id = EXCLUDED.subject_id, \
                 rule_id = EXCLUDED.rule_id, reason = EXCLUDED.reason, \
                 created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, \
                 released_at = EXCLUDED.released_at, released_by = EXCLUDED.released_by",
            )
            .bind(&h.id)
            .bind(&h.subject_id)
            .bind(&h.rule_id)
            .bind(&h.reason)
            .bind(instant(h.created_at))
            .bind(&h.created_by)
            .bind(opt_instant(h.released_at))
            .bind(&h.released_by)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        Write::AddRetentionCount(c) => {
            sqlx::query(
                "INSERT INTO retention_counts (rule, kind, month, count) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (rule, kind, month) DO UPDATE SET \
                 count = retention_counts.count + EXCLUDED.count",
            )
            .bind(&c.rule)
            .bind(&c.kind)
            .bind(&c.month)
            .bind(c.count)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
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
                    insert_run(conn, &run).await.map_err(write_error)?;
                }
            }
        }
    }
    Ok(())
}

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
