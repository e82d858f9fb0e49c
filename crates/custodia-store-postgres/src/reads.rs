//! Reads of subjects, staff and the audit log. Orders that involve text are applied in
//! Rust (see `custodia_store::sqlx_support::sort_subject`), so that the database's
//! collation cannot make backends differ.

use custodia_store::sqlx_support::{OpError, audit_limit, sort_api_keys, sort_subject, sort_users};
use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Disclosure, SealedField, SecondFactor, Session, StaffUser,
    StoreError, StoredSubject, SubjectEvent, SubjectRecord,
};
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use crate::BACKEND;
use crate::codec::{db_error, decode_list, has_nul, instant, op_error};

/// A subject with its fields, events and disclosures in one statement (one round trip,
/// one snapshot): each part is aggregated into parallel arrays by a lateral subquery;
/// the arrays of one aggregate are filled from the same rows in the same order.
const SUBJECT: &str = "\
SELECT s.id, s.kind, s.age_status, s.parental_consent_at, s.created_at, s.updated_at, \
       s.erased_at, \
       f.categories, f.sealed, \
       e.events, e.ats, e.recorded_ats, \
       d.ids, d.recipients, d.categories, d.purposes, d.ats, d.recorded_by \
FROM subjects s \
CROSS JOIN LATERAL (SELECT array_agg(category) AS categories, array_agg(sealed) AS sealed \
                    FROM subject_fields WHERE subject_id = s.id) f \
CROSS JOIN LATERAL (SELECT array_agg(event) AS events, array_agg(at) AS ats, \
                           array_agg(recorded_at) AS recorded_ats \
                    FROM subject_events WHERE subject_id = s.id) e \
CROSS JOIN LATERAL (SELECT array_agg(id) AS ids, array_agg(recipient) AS recipients, \
                           array_agg(categories::text) AS categories, \
                           array_agg(purpose) AS purposes, array_agg(at) AS ats, \
                           array_agg(recorded_by) AS recorded_by \
                    FROM disclosures WHERE subject_id = s.id) d \
WHERE s.id = $1";

pub(crate) const CORRUPT_ARRAYS: StoreError = StoreError::Corrupt {
    backend: BACKEND,
    what: "the parts of a subject came back in arrays of different lengths",
};

/// An aggregated column: `NULL` when there were no rows.
pub(crate) fn array<T>(row: &PgRow, i: usize) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    Vec<T>: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    Ok(row.try_get::<Option<Vec<T>>, _>(i)?.unwrap_or_default())
}

fn same_len(lens: &[usize]) -> Result<(), StoreError> {
    if lens.windows(2).all(|w| w[0] == w[1]) {
        Ok(())
    } else {
        Err(CORRUPT_ARRAYS)
    }
}

pub(crate) async fn subject(pool: &PgPool, id: &str) -> Result<Option<StoredSubject>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    async {
        let row = sqlx::query(SUBJECT).bind(id).fetch_optional(pool).await?;
        row.as_ref().map(subject_from_row).transpose()
    }
    .await
    .map_err(op_error("read a subject"))
}

fn subject_from_row(row: &PgRow) -> Result<StoredSubject, OpError> {
    let id: String = row.try_get(0)?;
    let record = SubjectRecord {
        id: id.clone(),
        kind: row.try_get(1)?,
        age_status: row.try_get(2)?,
        parental_consent_at: row.try_get(3)?,
        created_at: row.try_get(4)?,
        updated_at: row.try_get(5)?,
        erased_at: row.try_get(6)?,
    };
    let categories: Vec<String> = array(row, 7)?;
    let sealed: Vec<Vec<u8>> = array(row, 8)?;
    let events: Vec<String> = array(row, 9)?;
    let event_ats: Vec<OffsetDateTime> = array(row, 10)?;
    let recorded_ats: Vec<OffsetDateTime> = array(row, 11)?;
    let ids: Vec<String> = array(row, 12)?;
    let recipients: Vec<String> = array(row, 13)?;
    let lists: Vec<String> = array(row, 14)?;
    let purposes: Vec<String> = array(row, 15)?;
    let ats: Vec<OffsetDateTime> = array(row, 16)?;
    let recorded_by: Vec<String> = array(row, 17)?;
    same_len(&[categories.len(), sealed.len()])?;
    same_len(&[events.len(), event_ats.len(), recorded_ats.len()])?;
    same_len(&[
        ids.len(),
        recipients.len(),
        lists.len(),
        purposes.len(),
        ats.len(),
        recorded_by.len(),
    ])?;
    let mut subject = StoredSubject {
        record,
        fields: categories
            .into_iter()
            .zip(sealed)
            .map(|(category, sealed)| SealedField { category, sealed })
            .collect(),
        events: events
            .into_iter()
            .zip(event_ats)
            .zip(recorded_ats)
            .map(|((event, at), recorded_at)| SubjectEvent {
                event,
                at,
                recorded_at,
            })
            .collect(),
        disclosures: ids
            .into_iter()
            .zip(recipients)
            .zip(lists)
            .zip(purposes)
            .zip(ats)
            .zip(recorded_by)
            .map(|(((((did, recipient), list), purpose), at), recorded_by)| {
                Ok(Disclosure {
                    id: did,
                    subject_id: id.clone(),
                    recipient,
                    categories: decode_list(&list)?,
                    purpose,
                    at,
                    recorded_by,
                })
            })
            .collect::<Result<_, StoreError>>()?,
    };
    sort_subject(&mut subject);
    Ok(subject)
}

pub(crate) async fn subject_fields(
    pool: &PgPool,
    id: &str,
) -> Result<Option<Vec<SealedField>>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let rows: Vec<(Option<String>, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT f.category, f.sealed FROM subjects s \
         LEFT JOIN subject_fields f ON f.subject_id = s.id \
         WHERE s.id = $1 AND s.erased_at IS NULL ORDER BY f.category COLLATE \"C\"",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(db_error("read a subject's fields"))?;
    if rows.is_empty() {
        return Ok(None);
    }
    // A subject without fields comes as one row of NULLs.
    Ok(Some(
        rows.into_iter()
            .filter_map(|(category, sealed)| {
                Some(SealedField {
                    category: category?,
                    sealed: sealed?,
                })
            })
            .collect(),
    ))
}

pub(crate) async fn subjects_by_index(
    pool: &PgPool,
    kind: &str,
    digest: &[u8],
) -> Result<Vec<String>, StoreError> {
    if has_nul(kind) {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = sqlx::query_scalar(
        "SELECT i.subject_id FROM subject_indexes i JOIN subjects s ON s.id = i.subject_id \
         WHERE i.kind = $1 AND i.digest = $2 AND s.erased_at IS NULL",
    )
    .bind(kind)
    .bind(digest)
    .fetch_all(pool)
    .await
    .map_err(db_error("look subjects up by index"))?;
    ids.sort_unstable();
    Ok(ids)
}

pub(crate) async fn audit_head(pool: &PgPool) -> Result<Option<(i64, String)>, StoreError> {
    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(pool)
        .await
        .map_err(db_error("read the audit head"))
}

pub(crate) async fn audit_chain_head(
    pool: &PgPool,
    chain: i32,
) -> Result<Option<(i64, String)>, StoreError> {
    sqlx::query_as(CHAIN_HEAD)
        .bind(chain)
        .fetch_optional(pool)
        .await
        .map_err(db_error("read an audit chain's head"))
}

/// The last entry of the chain `$1`.
pub(crate) const CHAIN_HEAD: &str =
    "SELECT seq, hash FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1";

type AuditRow = (
    i64,
    i32,
    OffsetDateTime,
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

/// One query; its text depends only on which bounds are set (at most 128 texts, each
/// prepared once per connection).
pub(crate) async fn audit_entries(
    pool: &PgPool,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, StoreError> {
    let strings = [&filter.subject_ref, &filter.principal, &filter.action];
    if strings.into_iter().flatten().any(|s| has_nul(s)) {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT seq, chain, at, principal, action, subject_ref, categories::text, purpose, \
         outcome, detail, prev_hash, hash FROM audit_log WHERE true",
    );
    let mut n = 0;
    let mut condition = |sql: &mut String, text: &str| {
        n += 1;
        sql.push_str(&format!(" AND {text} ${n}"));
    };
    if filter.subject_ref.is_some() {
        condition(&mut sql, "subject_ref =");
    }
    if filter.principal.is_some() {
        condition(&mut sql, "principal =");
    }
    if filter.action.is_some() {
        condition(&mut sql, "action =");
    }
    if filter.from.is_some() {
        condition(&mut sql, "at >=");
    }
    if filter.to.is_some() {
        condition(&mut sql, "at <");
    }
    if filter.after_seq.is_some() {
        condition(&mut sql, "seq >");
    }
    if filter.chain.is_some() {
        condition(&mut sql, "chain =");
    }
    let order = if filter.newest_first { " DESC" } else { "" };
    sql.push_str(&format!(" ORDER BY seq{order} LIMIT ${}", n + 1));
    // Built from the constant fragments above only; every value is a bound parameter.
    let mut query = sqlx::query_as::<_, AuditRow>(AssertSqlSafe(sql));
    if let Some(s) = &filter.subject_ref {
        query = query.bind(s);
    }
    if let Some(p) = &filter.principal {
        query = query.bind(p);
    }
    if let Some(a) = &filter.action {
        query = query.bind(a);
    }
    if let Some(from) = filter.from {
        query = query.bind(instant(from));
    }
    if let Some(to) = filter.to {
        query = query.bind(instant(to));
    }
    if let Some(after) = filter.after_seq {
        query = query.bind(after);
    }
    if let Some(chain) = filter.chain {
        query = query.bind(chain);
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
                chain,
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
                    chain,
                    at,
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

type UserRow = (
    String,
    String,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

fn user_from_row((id, email, role, password_hash, created_at, disabled_at): UserRow) -> StaffUser {
    StaffUser {
        id,
        email,
        role,
        password_hash,
        created_at,
        disabled_at,
    }
}

pub(crate) async fn user_by_email(
    pool: &PgPool,
    email: &str,
) -> Result<Option<StaffUser>, StoreError> {
    if has_nul(email) {
        return Ok(None);
    }
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at, disabled_at \
         FROM staff_users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a user"))?;
    Ok(row.map(user_from_row))
}

pub(crate) async fn user(pool: &PgPool, id: &str) -> Result<Option<StaffUser>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at, disabled_at \
         FROM staff_users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a user"))?;
    Ok(row.map(user_from_row))
}

pub(crate) async fn users(pool: &PgPool) -> Result<Vec<StaffUser>, StoreError> {
    let rows: Vec<UserRow> = sqlx::query_as(
        "SELECT id, email, role, password_hash, created_at, disabled_at FROM staff_users",
    )
    .fetch_all(pool)
    .await
    .map_err(db_error("list users"))?;
    let mut users: Vec<StaffUser> = rows.into_iter().map(user_from_row).collect();
    sort_users(&mut users);
    Ok(users)
}

pub(crate) async fn session(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<Session>, StoreError> {
    let row: Option<(Vec<u8>, String, String, OffsetDateTime, OffsetDateTime)> = sqlx::query_as(
        "SELECT token_hash, user_id, csrf_token, created_at, expires_at \
         FROM staff_sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a session"))?;
    Ok(row.map(
        |(token_hash, user_id, csrf_token, created_at, expires_at)| Session {
            token_hash,
            user_id,
            csrf_token,
            created_at,
            expires_at,
        },
    ))
}

type SessionRow = (Vec<u8>, String, String, OffsetDateTime, OffsetDateTime);

pub(crate) async fn user_sessions(
    pool: &PgPool,
    user_id: &str,
) -> Result<Vec<Session>, StoreError> {
    if has_nul(user_id) {
        return Ok(Vec::new());
    }
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT token_hash, user_id, csrf_token, created_at, expires_at \
         FROM staff_sessions WHERE user_id = $1 ORDER BY created_at, token_hash",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
    .map_err(db_error("list a user's sessions"))?;
    Ok(rows
        .into_iter()
        .map(
            |(token_hash, user_id, csrf_token, created_at, expires_at)| Session {
                token_hash,
                user_id,
                csrf_token,
                created_at,
                expires_at,
            },
        )
        .collect())
}

type SecondFactorRow = (
    String,
    Vec<u8>,
    Option<OffsetDateTime>,
    Option<i64>,
    Vec<u8>,
    OffsetDateTime,
    i64,
);

pub(crate) async fn second_factor(
    pool: &PgPool,
    user_id: &str,
) -> Result<Option<SecondFactor>, StoreError> {
    if has_nul(user_id) {
        return Ok(None);
    }
    let row: Option<SecondFactorRow> = sqlx::query_as(
        "SELECT user_id, secret_sealed, confirmed_at, last_step, recovery_hashes, \
         created_at, version FROM staff_second_factors WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read a second factor"))?;
    row.map(
        |(user_id, secret_sealed, confirmed_at, last_step, hashes, created_at, version)| {
            Ok(SecondFactor {
                user_id,
                secret_sealed,
                confirmed_at,
                last_step,
                recovery_hashes: custodia_store::backend::split_hashes(crate::BACKEND, &hashes)?,
                created_at,
                version,
            })
        },
    )
    .transpose()
}

type ApiKeyRow = (
    String,
    String,
    String,
    Vec<u8>,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

fn api_key_from_row((id, name, role, key_hash, created_at, revoked_at): ApiKeyRow) -> ApiKey {
    ApiKey {
        id,
        name,
        role,
        key_hash,
        created_at,
        revoked_at,
    }
}

pub(crate) async fn api_key_by_hash(
    pool: &PgPool,
    key_hash: &[u8],
) -> Result<Option<ApiKey>, StoreError> {
    let row: Option<ApiKeyRow> = sqlx::query_as(
        "SELECT id, name, role, key_hash, created_at, revoked_at FROM api_keys \
         WHERE key_hash = $1",
    )
    .bind(key_hash)
    .fetch_optional(pool)
    .await
    .map_err(db_error("read an API key"))?;
    Ok(row.map(api_key_from_row))
}

pub(crate) async fn api_keys(pool: &PgPool) -> Result<Vec<ApiKey>, StoreError> {
    let rows: Vec<ApiKeyRow> =
        sqlx::query_as("SELECT id, name, role, key_hash, created_at, revoked_at FROM api_keys")
            .fetch_all(pool)
            .await
            .map_err(db_error("list API keys"))?;
    let mut keys: Vec<ApiKey> = rows.into_iter().map(api_key_from_row).collect();
    sort_api_keys(&mut keys);
    Ok(keys)
}
