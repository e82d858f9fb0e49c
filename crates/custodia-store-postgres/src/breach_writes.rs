//! Writes of the breach register: the breach row and its timeline.

use custodia_store::backend::{BREACH_CHANGED, BREACH_EXISTS, MISROUTED_WRITE};
use custodia_store::sqlx_support::OpError;
use custodia_store::{BreachEvent, BreachRow, Write};
use sqlx::PgConnection;

use crate::apply::changed;
use crate::codec::{instant, opt_instant};

/// Inserts a breach (`expected` None) or updates it from version `expected`; a lost
/// race changes no row and is a version conflict.
async fn put_breach(
    conn: &mut PgConnection,
    r: &BreachRow,
    expected: Option<i64>,
) -> Result<(), OpError> {
    let (sql, conflict) = match expected {
        None => (
            "INSERT INTO breaches (id, version, aware_at, recorded_at, updated_at, \
             authority_decided_at, closed_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO NOTHING",
            BREACH_EXISTS,
        ),
        Some(_) => (
            "UPDATE breaches SET version = $2, aware_at = $3, recorded_at = $4, \
             updated_at = $5, authority_decided_at = $6, closed_at = $7, body = $8 \
             WHERE id = $1 AND version = $9",
            BREACH_CHANGED,
        ),
    };
    let mut query = sqlx::query(sql)
        .bind(&r.id)
        .bind(r.version)
        .bind(instant(r.aware_at))
        .bind(instant(r.recorded_at))
        .bind(instant(r.updated_at))
        .bind(opt_instant(r.authority_decided_at))
        .bind(opt_instant(r.closed_at))
        .bind(&r.body);
    if let Some(v) = expected {
        query = query.bind(v);
    }
    let done = query.execute(&mut *conn).await?;
    changed(done.rows_affected(), conflict)
}

async fn add_event(conn: &mut PgConnection, e: &BreachEvent) -> Result<(), OpError> {
    let done = sqlx::query(
        "INSERT INTO breach_events (breach_id, seq, at, principal, kind, detail) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (breach_id, seq) DO NOTHING",
    )
    .bind(&e.breach_id)
    .bind(e.seq)
    .bind(instant(e.at))
    .bind(&e.principal)
    .bind(&e.kind)
    .bind(&e.detail)
    .execute(&mut *conn)
    .await?;
    changed(done.rows_affected(), BREACH_CHANGED)
}

/// Applies one of this domain's writes.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match write {
        Write::PutBreach {
            row,
            expected_version,
            events,
        } => {
            put_breach(conn, row, *expected_version).await?;
            for e in events {
                add_event(conn, e).await?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
