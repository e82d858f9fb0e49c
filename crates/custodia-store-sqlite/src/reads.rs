//! Reads of subjects, staff and the audit log. Orders that involve text are applied in
//! Rust (see `custodia_store::sqlx_support::sort_subject`), as on every backend.

use custodia_store::sqlx_support::{OpError, audit_limit, sort_api_keys, sort_subject, sort_users};
use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Disclosure, SealedField, Session, StaffUser, StoreError,
    StoredSubject, SubjectEvent, SubjectRecord,
};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Row};

use crate::codec::{db_error, decode_list, from_micros, from_opt_micros, micros, op_error};

/// A subject and its parts in one statement (one round trip to the database thread;
/// one statement reads one snapshot). Columns are untyped in a compound select, so each
/// part puts its own values in the seven columns, tagged by the first.
const SUBJECT: &str = "\
SELECT 0, kind, age_status, parental_consent_at_us, created_at_us, updated_at_us, erased_at_us \
  FROM subjects WHERE id = ?1 \
UNION ALL SELECT 1, category, sealed, NULL, NULL, NULL, NULL \
  FROM subject_fields WHERE subject_id = ?1 \
UNION ALL SELECT 2, event, NULL, at_us, recorded_at_us, NULL, NULL \
  FROM subject_events WHERE subject_id = ?1 \
UNION ALL SELECT 3, id, recipient, categories, purpose, at_us, recorded_by \
  FROM disclosures WHERE subject_id = ?1";

pub(crate) async fn subject(
    pool: &SqlitePool,
    id: &str,
) -> Result<Option<StoredSubject>, StoreError> {
    async {
        let rows = sqlx::query(SUBJECT).bind(id).fetch_all(pool).await?;
        subject_from_rows(id, &rows)
    }
    .await
    .map_err(op_error("read a subject"))
}

fn subject_from_rows(id: &str, rows: &[SqliteRow]) -> Result<Option<StoredSubject>, OpError> {
    let mut record = None;
    let mut fields = Vec::new();
    let mut events = Vec::new();
    let mut disclosures = Vec::new();
    for row in rows {
        let tag: i64 = row.try_get(0)?;
        match tag {
            0 => {
                record = Some(SubjectRecord {
                    id: id.to_owned(),
                    kind: row.try_get(1)?,
                    age_status: row.try_get(2)?,
                    parental_consent_at: from_opt_micros(row.try_get(3)?)?,
                    created_at: from_micros(row.try_get(4)?)?,
                    updated_at: from_micros(row.try_get(5)?)?,
                    erased_at: from_opt_micros(row.try_get(6)?)?,
                })
            }
            1 => fields.push(SealedField {
                category: row.try_get(1)?,
                sealed: row.try_get(2)?,
            }),
            2 => events.push(SubjectEvent {
                event: row.try_get(1)?,
                at: from_micros(row.try_get(3)?)?,
                recorded_at: from_micros(row.try_get(4)?)?,
            }),
            _ => {
                let categories: String = row.try_get(3)?;
                disclosures.push(Disclosure {
                    id: row.try_get(1)?,
                    subject_id: id.to_owned(),
                    recipient: row.try_get(2)?,
                    categories: decode_list(&categories)?,
                    purpose: row.try_get(4)?,
                    at: from_micros(row.try_get(5)?)?,
                    recorded_by: row.try_get(6)?,
                })
            }
        }
    }
    let Some(record) = record else {
        return Ok(None);
    };
    let mut subject = StoredSubject {
        record,
        fields,
        events,
        disclosures,
    };
    sort_subject(&mut subject);
    Ok(Some(subject))
}

pub(crate) async fn subjects_by_index(
    pool: &SqlitePool,
    kind: &str,
    digest: &[u8],
) -> Result<Vec<String>, StoreError> {
    let mut ids: Vec<String> = sqlx::query_scalar(
        "SELECT i.subject_id FROM subject_indexes i JOIN subjects s ON s.id = i.subject_id \
         WHERE i.kind = ? AND i.digest = ? AND s.erased_at_us IS NULL",
    )
    .bind(kind)
    .bind(digest)
    .fetch_all(pool)
    .await
    .map_err(db_error("look subjects up by index"))?;
    ids.sort_unstable();
    Ok(ids)
}

type AuditRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
);

pub(crate) async fn audit_head(pool: &SqlitePool) -> Result<Option<(i64, String)>, StoreError> {
    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(pool)
        .await
        .map_err(db_error("read the audit head"))
}

/// One query; its text depends only on which bounds are set (at most 32 texts, each
/// prepared once per connection).
pub(crate) async fn audit_entries(
    pool: &SqlitePool,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from(
        "SELECT seq, at_us, principal, action, subject_ref, categories, purpose, outcome, \
         detail, prev_hash, hash FROM audit_log WHERE 1 = 1",
    );
    if filter.subject_ref.is_some() {
        sql.push_str(" AND subject_ref = ?");
    }
    if filter.principal.is_some() {
        sql.push_str(" AND principal = ?");
    }
    if filter.from.is_some() {
        sql.push_str(" AND at_us >= ?");
    }
    if filter.to.is_some() {
        sql.push_str(" AND at_us < ?");
    }
    if filter.after_seq.is_some() {
        sql.push_str(" AND seq > ?");
    }
    sql.push_str(" ORDER BY seq LIMIT ?");
    // Built from the constant fragments above only; every value is a bound parameter.
    let mut query = sqlx::query_as::<_, AuditRow>(AssertSqlSafe(sql));
    if let Some(s) = &filter.subject_ref {
        query = query.bind(s);
    }
    if let Some(p) = &filter.principal {
        query = query.bind(p);
    }
    if let Some(from) = filter.from {
        query = query.bind(micros(from));
    }
    if let Some(to) = filter.to {
        query = query.bind(micros(to));
    }
    if let Some(after) = filter.after_seq {
        query = query.bind(after);
    }
    let rows = query
        .bind(audit_limit(filter))
        .fetch_all(pool)
        .await
        .map_err(db_error("list audit entries"))?;
    rows.into_iter()
        .map(
            |(
                seq,
                at,
                principal,
                action,
                subject_ref,
                categories,
                purpose,
                outcome,
                detail,
                prev_hash,
                hash,
            )| {
                Ok(AuditEntry {
                    seq,
                    at: from_micros(at)?,
                    principal,
                    action,
                    subject_ref,
                    categories: decode_list(&categories)?,
                    purpose,
                    outcome,
                    detail,
                    prev_hash,
                    hash,
                })
            },
        )
        .collect()
}

type UserRow = (String, String, String, String, i64, Option<i64>);

fn user_from_row(
    (id, email, role, password_hash, created, disabled): UserRow,
) -> Result<StaffUser, StoreError> {
    Ok(StaffUser {
        id,
        email,
        role,
        password_hash,
        created_at: from_micros(created)?,
        disabled_at: from_opt_micros(disabled)?,
    })
}

pub(crate) async fn user_by_email(
    pool: &SqlitePool,
    email: &str,
) -> Result<Option<StaffUser>, StoreError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at_us, disabled_at_us \
         FROM staff_users WHERE email = ?",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a user"))?;
    row.map(user_from_row).transpose()
}

pub(crate) async fn user(pool: &SqlitePool, id: &str) -> Result<Option<StaffUser>, StoreError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at_us, disabled_at_us \
         FROM staff_users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a user"))?;
    row.map(user_from_row).transpose()
}

pub(crate) async fn users(pool: &SqlitePool) -> Result<Vec<StaffUser>, StoreError> {
    let rows: Vec<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at_us, disabled_at_us FROM staff_users",
    )
    .fetch_all(pool)
    .await
    .map_err(db_error("list users"))?;
    let mut users = rows
        .into_iter()
        .map(user_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    sort_users(&mut users);
    Ok(users)
}

pub(crate) async fn session(
    pool: &SqlitePool,
    token_hash: &[u8],
) -> Result<Option<Session>, StoreError> {
    let row: Option<(Vec<u8>, String, String, i64, i64)> = sqlx::query_as(
        "SELECT token_hash, user_id, csrf_token, created_at_us, expires_at_us \
         FROM staff_sessions WHERE token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a session"))?;
    row.map(|(token_hash, user_id, csrf_token, created, expires)| {
        Ok(Session {
            token_hash,
            user_id,
            csrf_token,
            created_at: from_micros(created)?,
            expires_at: from_micros(expires)?,
        })
    })
    .transpose()
}

type ApiKeyRow = (String, String, String, Vec<u8>, i64, Option<i64>);

fn api_key_from_row(
    (id, name, role, key_hash, created, revoked): ApiKeyRow,
) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id,
        name,
        role,
        key_hash,
        created_at: from_micros(created)?,
        revoked_at: from_opt_micros(revoked)?,
    })
}

pub(crate) async fn api_key_by_hash(
    pool: &SqlitePool,
    key_hash: &[u8],
) -> Result<Option<ApiKey>, StoreError> {
    let row: Option<ApiKeyRow> = sqlx::query_as(
        "SELECT id, name, role, key_hash, created_at_us, revoked_at_us \
         FROM api_keys WHERE key_hash = ?",
    )
    .bind(key_hash)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read an API key"))?;
    row.map(api_key_from_row).transpose()
}

pub(crate) async fn api_keys(pool: &SqlitePool) -> Result<Vec<ApiKey>, StoreError> {
    let rows: Vec<ApiKeyRow> = sqlx::query_as(
        "SELECT id, name, role, key_hash, created_at_us, revoked_at_us FROM api_keys",
    )
    .fetch_all(pool)
    .await
    .map_err(db_error("list API keys"))?;
    let mut keys = rows
        .into_iter()
        .map(api_key_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    sort_api_keys(&mut keys);
    Ok(keys)
}
