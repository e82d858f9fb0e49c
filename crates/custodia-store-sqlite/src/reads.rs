//! Reads of subjects, staff and the audit log, run on a reader thread. Orders that
//! involve text are applied in Rust (see `custodia_store::backend::sort_subject`), as on
//! every backend.

use custodia_store::backend::{audit_limit, sort_api_keys, sort_subject, sort_users};
use custodia_store::{
    ApiKey, AuditEntry, AuditFilter, Disclosure, SealedField, SecondFactor, Session, StaffUser,
    StoreError, StoredSubject, SubjectEvent, SubjectRecord,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::codec::{
    OpError, db_error, decode_list, from_micros, from_opt_micros, micros, op_error,
};

pub(crate) const AUDIT_HEAD: &str = "read the audit head";
pub(crate) const AUDIT_ENTRIES: &str = "list audit entries";
pub(crate) const SUBJECT: &str = "read a subject";
pub(crate) const BY_INDEX: &str = "look subjects up by index";
pub(crate) const SUBJECT_FIELDS: &str = "read a subject's fields";
pub(crate) const USER: &str = "read a user";
pub(crate) const USERS: &str = "list users";
pub(crate) const SESSION: &str = "read a session";
pub(crate) const API_KEY: &str = "read an API key";
pub(crate) const USER_SESSIONS: &str = "list a user's sessions";
pub(crate) const SECOND_FACTOR: &str = "read a second factor";
pub(crate) const API_KEYS: &str = "list API keys";

/// A subject and its parts in one statement (one statement reads one snapshot).
/// Columns are untyped in a compound select, so each part puts its own values in the
/// seven columns, tagged by the first.
const SUBJECT_SQL: &str = "\
SELECT 0, kind, age_status, parental_consent_at_us, created_at_us, updated_at_us, erased_at_us \
  FROM subjects WHERE id = ?1 \
UNION ALL SELECT 1, category, sealed, NULL, NULL, NULL, NULL \
  FROM subject_fields WHERE subject_id = ?1 \
UNION ALL SELECT 2, event, NULL, at_us, recorded_at_us, NULL, NULL \
  FROM subject_events WHERE subject_id = ?1 \
UNION ALL SELECT 3, id, recipient, categories, purpose, at_us, recorded_by \
  FROM disclosures WHERE subject_id = ?1";

pub(crate) fn subject(
    conn: &mut Connection,
    id: &str,
) -> Result<Option<StoredSubject>, StoreError> {
    subject_rows(conn, id).map_err(op_error(SUBJECT))
}

fn subject_rows(conn: &Connection, id: &str) -> Result<Option<StoredSubject>, OpError> {
    let mut stmt = conn.prepare_cached(SUBJECT_SQL)?;
    let mut rows = stmt.query([id])?;
    let mut record = None;
    let mut fields = Vec::new();
    let mut events = Vec::new();
    let mut disclosures = Vec::new();
    while let Some(row) = rows.next()? {
        let tag: i64 = row.get(0)?;
        match tag {
            0 => {
                record = Some(SubjectRecord {
                    id: id.to_owned(),
                    kind: row.get(1)?,
                    age_status: row.get(2)?,
                    parental_consent_at: from_opt_micros(row.get(3)?)?,
                    created_at: from_micros(row.get(4)?)?,
                    updated_at: from_micros(row.get(5)?)?,
                    erased_at: from_opt_micros(row.get(6)?)?,
                })
            }
            1 => fields.push(SealedField {
                category: row.get(1)?,
                sealed: row.get(2)?,
            }),
            2 => events.push(SubjectEvent {
                event: row.get(1)?,
                at: from_micros(row.get(3)?)?,
                recorded_at: from_micros(row.get(4)?)?,
            }),
            _ => {
                let categories: String = row.get(3)?;
                disclosures.push(Disclosure {
                    id: row.get(1)?,
                    subject_id: id.to_owned(),
                    recipient: row.get(2)?,
                    categories: decode_list(&categories)?,
                    purpose: row.get(4)?,
                    at: from_micros(row.get(5)?)?,
                    recorded_by: row.get(6)?,
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

pub(crate) fn subject_fields(
    conn: &mut Connection,
    id: &str,
) -> Result<Option<Vec<SealedField>>, StoreError> {
    (|| {
        let mut stmt = conn.prepare_cached(
            "SELECT f.category, f.sealed FROM subjects s \
             LEFT JOIN subject_fields f ON f.subject_id = s.id \
             WHERE s.id = ?1 AND s.erased_at_us IS NULL ORDER BY f.category",
        )?;
        let mut rows = stmt.query([id])?;
        let mut fields = None;
        while let Some(row) = rows.next()? {
            let found: &mut Vec<SealedField> = fields.get_or_insert_with(Vec::new);
            // A subject without fields comes as one row of NULLs.
            if let Some(category) = row.get::<_, Option<String>>(0)? {
                found.push(SealedField {
                    category,
                    sealed: row.get(1)?,
                });
            }
        }
        Ok(fields)
    })()
    .map_err(db_error(SUBJECT_FIELDS))
}

pub(crate) fn subjects_by_index(
    conn: &mut Connection,
    kind: &str,
    digest: &[u8],
) -> Result<Vec<String>, StoreError> {
    let mut ids = (|| {
        conn.prepare_cached(
            "SELECT i.subject_id FROM subject_indexes i JOIN subjects s ON s.id = i.subject_id \
             WHERE i.kind = ?1 AND i.digest = ?2 AND s.erased_at_us IS NULL",
        )?
        .query_map((kind, digest), |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(BY_INDEX))?;
    ids.sort_unstable();
    Ok(ids)
}

/// The last entry's `seq` and `hash`; the writer reads it inside its transactions too.
pub(crate) fn audit_head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    head(conn).map_err(db_error(AUDIT_HEAD))
}

pub(crate) fn head(conn: &Connection) -> Result<Option<(i64, String)>, rusqlite::Error> {
    conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// How far audit entries are indexed (see migration 0006).
pub(crate) const INDEXED_THROUGH: &str = "SELECT indexed_through FROM audit_index_state";

/// After `seq`, which each query takes from the table that orders it.
const AUDIT_COLUMNS: &str = "a.at_us, a.principal, a.action, a.subject_ref, a.categories, \
     a.purpose, a.outcome, a.detail, a.prev_hash, a.hash";

/// One query; its text depends only on which bounds are set and the order (at most 128
/// texts, each prepared once per connection). A filtered read is driven by one of the
/// bulk indexes (subject, else principal, else action, else time) for the indexed
/// entries and scans the unindexed ones after them, in one statement so that both
/// parts see one snapshot.
pub(crate) fn audit_entries(
    conn: &mut Connection,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, StoreError> {
    if filter.chain.is_some_and(|c| c != 0) {
        // One writer, one chain: 0.
        return Ok(Vec::new());
    }
    // Built from the constant fragments below only; every value is a bound parameter.
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |value: Value| {
        params.push(value);
        params.len()
    };
    let subject = filter
        .subject_ref
        .as_ref()
        .map(|s| bind(Value::Text(s.clone())));
    let principal = filter
        .principal
        .as_ref()
        .map(|p| bind(Value::Text(p.clone())));
    let action = filter.action.as_ref().map(|a| bind(Value::Text(a.clone())));
    let from = filter.from.map(|from| bind(Value::Integer(micros(from))));
    let to = filter.to.map(|to| bind(Value::Integer(micros(to))));
    let after = filter.after_seq.map(|after| bind(Value::Integer(after)));
    let limit = bind(Value::Integer(audit_limit(filter)));

    // (column, operator, parameter number); each bound applies to the entry, and those
    // on the index's own columns to the index too, so that it drives the read.
    let bounds: Vec<(&str, &str, usize)> = [
        subject.map(|p| ("subject_ref", "=", p)),
        principal.map(|p| ("principal", "=", p)),
        action.map(|p| ("action", "=", p)),
        from.map(|p| ("at_us", ">=", p)),
        to.map(|p| ("at_us", "<", p)),
        after.map(|p| ("seq", ">", p)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let on = |alias: &str, columns: Option<&[&str]>| -> String {
        bounds
            .iter()
            .filter(|(column, _, _)| columns.is_none_or(|wanted| wanted.contains(column)))
            .map(|(column, op, p)| format!(" AND {alias}.{column} {op} ?{p}"))
            .collect()
    };
    let on_entry = on("a", None);
    let order = if filter.newest_first { " DESC" } else { "" };
    let index = if subject.is_some() {
        Some(("audit_by_subject", "subject_ref"))
    } else if principal.is_some() {
        Some(("audit_by_principal", "principal"))
    } else if action.is_some() {
        Some(("audit_by_action", "action"))
    } else if from.is_some() || to.is_some() {
        Some(("audit_by_time", "at_us"))
    } else {
        None
    };
    let sql = match index {
        None => format!(
            "SELECT a.seq, {AUDIT_COLUMNS} FROM audit_log a WHERE 1 = 1{on_entry} \
             ORDER BY a.seq{order} LIMIT ?{limit}"
        ),
        Some((table, key)) => format!(
            "SELECT i.seq AS seq, {AUDIT_COLUMNS} FROM {table} i \
             JOIN audit_log a ON a.seq = i.seq WHERE 1 = 1{}{on_entry} \
             UNION ALL \
             SELECT a.seq AS seq, {AUDIT_COLUMNS} FROM audit_log a \
             WHERE a.seq > ({INDEXED_THROUGH}){on_entry} \
             ORDER BY seq{order} LIMIT ?{limit}",
            on("i", Some(&[key, "seq"]))
        ),
    };
    (|| {
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next()? {
            let categories: String = row.get(5)?;
            entries.push(AuditEntry {
                seq: row.get(0)?,
                // One writer, one chain.
                chain: 0,
                at: from_micros(row.get(1)?)?,
                principal: row.get(2)?,
                action: row.get(3)?,
                subject_ref: row.get(4)?,
                categories: decode_list(&categories)?,
                purpose: row.get(6)?,
                outcome: row.get(7)?,
                detail: row.get(8)?,
                prev_hash: row.get(9)?,
                hash: row.get(10)?,
            });
        }
        Ok(entries)
    })()
    .map_err(op_error(AUDIT_ENTRIES))
}

const USER_COLUMNS: &str =
    "SELECT id, email, role, password_hash, created_at_us, disabled_at_us FROM staff_users";

fn user_from_row(row: &Row<'_>) -> Result<StaffUser, OpError> {
    Ok(StaffUser {
        id: row.get(0)?,
        email: row.get(1)?,
        role: row.get(2)?,
        password_hash: row.get(3)?,
        created_at: from_micros(row.get(4)?)?,
        disabled_at: from_opt_micros(row.get(5)?)?,
    })
}

/// Every row of `sql` (with `params`) through `decode`.
fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    decode: fn(&Row<'_>) -> Result<T, OpError>,
) -> Result<Vec<T>, OpError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// The first row of `sql` (with `params`) through `decode`, if any.
fn first<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    decode: fn(&Row<'_>) -> Result<T, OpError>,
) -> Result<Option<T>, OpError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(row) => decode(row).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn user_by_email(
    conn: &mut Connection,
    email: &str,
) -> Result<Option<StaffUser>, StoreError> {
    first(
        conn,
        &format!("{USER_COLUMNS} WHERE email = ?1"),
        [email],
        user_from_row,
    )
    .map_err(op_error(USER))
}

pub(crate) fn user(conn: &mut Connection, id: &str) -> Result<Option<StaffUser>, StoreError> {
    first(
        conn,
        &format!("{USER_COLUMNS} WHERE id = ?1"),
        [id],
        user_from_row,
    )
    .map_err(op_error(USER))
}

pub(crate) fn users(conn: &mut Connection) -> Result<Vec<StaffUser>, StoreError> {
    let mut users = all(conn, USER_COLUMNS, [], user_from_row).map_err(op_error(USERS))?;
    sort_users(&mut users);
    Ok(users)
}

pub(crate) fn session(
    conn: &mut Connection,
    token_hash: &[u8],
) -> Result<Option<Session>, StoreError> {
    first(
        conn,
        "SELECT token_hash, user_id, csrf_token, created_at_us, expires_at_us \
         FROM staff_sessions WHERE token_hash = ?1",
        [token_hash],
        |row| {
            Ok(Session {
                token_hash: row.get(0)?,
                user_id: row.get(1)?,
                csrf_token: row.get(2)?,
                created_at: from_micros(row.get(3)?)?,
                expires_at: from_micros(row.get(4)?)?,
            })
        },
    )
    .map_err(op_error(SESSION))
}

pub(crate) fn user_sessions(
    conn: &mut Connection,
    user_id: &str,
) -> Result<Vec<Session>, StoreError> {
    all(
        conn,
        "SELECT token_hash, user_id, csrf_token, created_at_us, expires_at_us \
         FROM staff_sessions WHERE user_id = ?1 ORDER BY created_at_us, token_hash",
        [user_id],
        |row| {
            Ok(Session {
                token_hash: row.get(0)?,
                user_id: row.get(1)?,
                csrf_token: row.get(2)?,
                created_at: from_micros(row.get(3)?)?,
                expires_at: from_micros(row.get(4)?)?,
            })
        },
    )
    .map_err(op_error(USER_SESSIONS))
}

pub(crate) fn second_factor(
    conn: &mut Connection,
    user_id: &str,
) -> Result<Option<SecondFactor>, StoreError> {
    first(
        conn,
        "SELECT user_id, secret_sealed, confirmed_at_us, last_step, recovery_hashes, \
         created_at_us, version FROM staff_second_factors WHERE user_id = ?1",
        [user_id],
        |row| {
            let hashes: Vec<u8> = row.get(4)?;
            Ok(SecondFactor {
                user_id: row.get(0)?,
                secret_sealed: row.get(1)?,
                confirmed_at: from_opt_micros(row.get(2)?)?,
                last_step: row.get(3)?,
                recovery_hashes: custodia_store::backend::split_hashes("sqlite", &hashes)
                    .map_err(OpError::Store)?,
                created_at: from_micros(row.get(5)?)?,
                version: row.get(6)?,
            })
        },
    )
    .map_err(op_error(SECOND_FACTOR))
}

const API_KEY_COLUMNS: &str =
    "SELECT id, name, role, key_hash, created_at_us, revoked_at_us FROM api_keys";

fn api_key_from_row(row: &Row<'_>) -> Result<ApiKey, OpError> {
    Ok(ApiKey {
        id: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        key_hash: row.get(3)?,
        created_at: from_micros(row.get(4)?)?,
        revoked_at: from_opt_micros(row.get(5)?)?,
    })
}

pub(crate) fn api_key_by_hash(
    conn: &mut Connection,
    key_hash: &[u8],
) -> Result<Option<ApiKey>, StoreError> {
    first(
        conn,
        &format!("{API_KEY_COLUMNS} WHERE key_hash = ?1"),
        [key_hash],
        api_key_from_row,
    )
    .map_err(op_error(API_KEY))
}

pub(crate) fn api_keys(conn: &mut Connection) -> Result<Vec<ApiKey>, StoreError> {
    let mut keys = all(conn, API_KEY_COLUMNS, [], api_key_from_row).map_err(op_error(API_KEYS))?;
    sort_api_keys(&mut keys);
    Ok(keys)
}
