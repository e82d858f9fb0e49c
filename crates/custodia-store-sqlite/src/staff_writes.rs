//! Writes of staff accounts: users, sessions and API keys.

use custodia_store::Write;
use custodia_store::backend::{
    InsertRun, MISROUTED_WRITE, MISSING_API_KEY, MISSING_USER, SECOND_FACTOR_CHANGED, join_hashes,
};
use rusqlite::Transaction;

use crate::apply::change_one;
use crate::codec::{OpError, micros, opt_micros, write_error};

const USER: &str = "INSERT INTO staff_users (id, email, role, password_hash, created_at_us, \
     disabled_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

const SESSION: &str = "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, \
     created_at_us, expires_at_us) VALUES (?1, ?2, ?3, ?4, ?5)";

const API_KEY: &str = "INSERT INTO api_keys (id, name, role, key_hash, created_at_us, \
     revoked_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

const PUT_SECOND_FACTOR: &str = "INSERT INTO staff_second_factors (user_id, secret_sealed, \
     confirmed_at_us, last_step, recovery_hashes, created_at_us, version) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (user_id) DO UPDATE SET \
     secret_sealed = excluded.secret_sealed, confirmed_at_us = excluded.confirmed_at_us, \
     last_step = excluded.last_step, recovery_hashes = excluded.recovery_hashes, \
     created_at_us = excluded.created_at_us, version = excluded.version";

const UPDATE_SECOND_FACTOR: &str = "UPDATE staff_second_factors SET secret_sealed = ?2, \
     confirmed_at_us = ?3, last_step = ?4, recovery_hashes = ?5, created_at_us = ?6, \
     version = ?7 WHERE user_id = ?1 AND version = ?8";

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) fn insert_run(tx: &Transaction<'_>, run: &InsertRun<'_>) -> Result<(), OpError> {
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
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
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
        Write::PutSecondFactor {
            factor: f,
            expected_version,
        } => {
            let hashes = join_hashes(&f.recovery_hashes);
            let columns = rusqlite::params![
                &f.user_id,
                &f.secret_sealed,
                opt_micros(f.confirmed_at),
                f.last_step,
                hashes,
                micros(f.created_at),
                f.version,
            ];
            match expected_version {
                None => {
                    tx.prepare_cached(PUT_SECOND_FACTOR)?
                        .execute(columns)
                        .map_err(write_error)?;
                }
                Some(v) => {
                    let mut params = columns.to_vec();
                    params.push(v);
                    change_one(
                        tx,
                        UPDATE_SECOND_FACTOR,
                        params.as_slice(),
                        SECOND_FACTOR_CHANGED,
                    )?;
                }
            }
        }
        Write::DeleteSecondFactor { user_id } => {
            tx.prepare_cached("DELETE FROM staff_second_factors WHERE user_id = ?1")?
                .execute([user_id])?;
        }
        Write::TouchCredentials(uses) => {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO credential_uses (principal, at_us) VALUES (?1, ?2) \
                 ON CONFLICT (principal) DO UPDATE SET at_us = max(at_us, excluded.at_us)",
            )?;
            for u in uses {
                upsert.execute((&u.principal, micros(u.at)))?;
            }
        }
        Write::RecordAccessReview(r) => {
            tx.prepare_cached(
                "INSERT INTO access_reviews (id, reviewed_by, reviewed_at_us, notes) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute((&r.id, &r.reviewed_by, micros(r.reviewed_at), &r.notes))
            .map_err(write_error)?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
