//! Writes of staff accounts: users, sessions and API keys.

use custodia_store::Write;
use custodia_store::backend::MISROUTED_WRITE;
use custodia_store::backend::join_hashes;
use custodia_store::sqlx_support::{
    InsertRun, MISSING_API_KEY, MISSING_USER, OpError, SECOND_FACTOR_CHANGED, write_error,
};
use sqlx::PgConnection;

use crate::apply::changed;
use crate::codec::{instant, opt_instant};

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) async fn insert_run(
    conn: &mut PgConnection,
    run: &InsertRun<'_>,
) -> Result<(), sqlx::Error> {
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
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match write {
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
        Write::PutSecondFactor {
            factor: f,
            expected_version,
        } => {
            let sql = match expected_version {
                None => {
                    "INSERT INTO staff_second_factors (user_id, secret_sealed, confirmed_at, \
                     last_step, recovery_hashes, created_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET \
                     secret_sealed = EXCLUDED.secret_sealed, confirmed_at = EXCLUDED.confirmed_at, \
                     last_step = EXCLUDED.last_step, recovery_hashes = EXCLUDED.recovery_hashes, \
                     created_at = EXCLUDED.created_at, version = EXCLUDED.version"
                }
                Some(_) => {
                    "UPDATE staff_second_factors SET secret_sealed = $2, confirmed_at = $3, \
                     last_step = $4, recovery_hashes = $5, created_at = $6, version = $7 \
                     WHERE user_id = $1 AND version = $8"
                }
            };
            let mut query = sqlx::query(sql)
                .bind(&f.user_id)
                .bind(&f.secret_sealed)
                .bind(opt_instant(f.confirmed_at))
                .bind(f.last_step)
                .bind(join_hashes(&f.recovery_hashes))
                .bind(instant(f.created_at))
                .bind(f.version);
            if let Some(v) = expected_version {
                query = query.bind(*v);
            }
            let done = query.execute(&mut *conn).await.map_err(write_error)?;
            if expected_version.is_some() {
                changed(done.rows_affected(), SECOND_FACTOR_CHANGED)?;
            }
        }
        Write::DeleteSecondFactor { user_id } => {
            sqlx::query("DELETE FROM staff_second_factors WHERE user_id = $1")
                .bind(user_id)
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
        Write::TouchCredentials(uses) => {
            // One row per principal (GROUP BY): ON CONFLICT may touch a row once.
            sqlx::query(
                "INSERT INTO credential_uses (principal, at) \
                 SELECT p, max(a) FROM UNNEST($1::text[], $2::timestamptz[]) AS u(p, a) \
                 GROUP BY p \
                 ON CONFLICT (principal) DO UPDATE \
                 SET at = GREATEST(credential_uses.at, excluded.at)",
            )
            .bind(
                uses.iter()
                    .map(|u| u.principal.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(uses.iter().map(|u| instant(u.at)).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
        }
        Write::RecordAccessReview(r) => {
            sqlx::query(
                "INSERT INTO access_reviews (id, reviewed_by, reviewed_at, notes) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&r.id)
            .bind(&r.reviewed_by)
            .bind(instant(r.reviewed_at))
            .bind(&r.notes)
            .execute(&mut *conn)
            .await?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
