//! The change feed's reads and its wake-ups (LISTEN/NOTIFY); the rows are written by
//! `apply` in each batch's transaction.

use std::time::Duration;

use custodia_store::StoreError;
use custodia_store::feed::{Change, Positions};
use custodia_store::sqlx_support::query_error;
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::Mutex;

use crate::BACKEND;

/// The channel `apply` notifies on commit.
const CHANNEL: &str = "custodia_changes";

/// Each chain's changes after its position, one index range per chain (chains are
/// the processes that ever wrote at once: a handful).
pub(crate) async fn changes_after(
    pool: &PgPool,
    positions: &Positions,
    limit: u32,
) -> Result<Vec<Change>, StoreError> {
    let (chains, after): (Vec<i32>, Vec<i64>) = positions.0.iter().map(|(c, a)| (*c, *a)).unzip();
    let rows: Vec<(i64, i32, String)> = sqlx::query_as(
        "SELECT c.seq, c.chain, c.body::text FROM audit_chains a \
         LEFT JOIN UNNEST($1::int4[], $2::int8[]) AS p(chain, after) ON p.chain = a.chain \
         CROSS JOIN LATERAL (SELECT seq, chain, body FROM changes \
           WHERE chain = a.chain AND seq > COALESCE(p.after, 0) ORDER BY seq LIMIT $3) AS c \
         ORDER BY c.seq LIMIT $3",
    )
    .bind(chains)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(|e| query_error(BACKEND, "read the change feed", &e))?;
    rows.iter()
        .map(|(seq, chain, body)| {
            let mut change =
                serde_json::from_str::<Change>(body).map_err(|_| StoreError::Corrupt {
                    backend: BACKEND,
                    what: "a change of the change feed",
                })?;
            change.seq = *seq;
            change.chain = *chain;
            Ok(change)
        })
        .collect()
}

/// Every chain's last change, in one statement (one snapshot).
pub(crate) async fn heads(pool: &PgPool) -> Result<Positions, StoreError> {
    let rows: Vec<(i32, i64)> = sqlx::query_as(
        "SELECT a.chain, COALESCE((SELECT MAX(seq) FROM changes c WHERE c.chain = a.chain), 0) \
         FROM audit_chains a",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| query_error(BACKEND, "read the change feed's heads", &e))?;
    Ok(Positions(rows.into_iter().collect()))
}

pub(crate) async fn wait(pool: &PgPool, listener: &Mutex<Option<PgListener>>, within: Duration) {
    let mut guard = listener.lock().await;
    let Some(listening) = guard.as_mut() else {
        match listen(pool).await {
            Ok(listening) => *guard = Some(listening),
            // Down: the caller polls the feed meanwhile.
            Err(_) => tokio::time::sleep(within).await,
        }
        // Changes committed before LISTEN would not wake us: read the feed now.
        return;
    };
    match tokio::time::timeout(within, listening.try_recv()).await {
        // A change, the timeout, or a lost connection (the next wait reconnects and
        // the caller reads the feed now, for what it missed meanwhile).
        Ok(Ok(_)) | Err(_) => {}
        Ok(Err(_)) => {
            *guard = None;
            tokio::time::sleep(within).await;
        }
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listening = PgListener::connect_with(pool).await?;
    listening.listen(CHANNEL).await?;
    Ok(listening)
}

pub(crate) async fn prune(pool: &PgPool, kept: Duration) -> Result<u64, StoreError> {
    sqlx::query("DELETE FROM changes WHERE at < now() - make_interval(secs => $1)")
        .bind(kept.as_secs_f64())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| query_error(BACKEND, "prune the change feed", &e))
}
