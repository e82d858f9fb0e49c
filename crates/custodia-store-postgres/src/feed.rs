//! The change feed's reads and its wake-ups (LISTEN/NOTIFY); the rows are written by
//! `apply` in each batch's transaction.

use std::time::Duration;

use custodia_store::StoreError;
use custodia_store::feed::Change;
use custodia_store::sqlx_support::query_error;
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::Mutex;

use crate::BACKEND;

/// The channel `apply` notifies on commit.
const CHANNEL: &str = "custodia_changes";

pub(crate) async fn changes_after(
    pool: &PgPool,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, body::text FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(|e| query_error(BACKEND, "read the change feed", &e))?;
    rows.iter()
        .map(|(seq, body)| {
            let mut change =
                serde_json::from_str::<Change>(body).map_err(|_| StoreError::Corrupt {
                    backend: BACKEND,
                    what: "a change of the change feed",
                })?;
            change.seq = *seq;
            Ok(change)
        })
        .collect()
}

pub(crate) async fn head(pool: &PgPool) -> Result<i64, StoreError> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM changes")
        .fetch_one(pool)
        .await
        .map(|seq| seq.unwrap_or(0))
        .map_err(|e| query_error(BACKEND, "read the change feed's head", &e))
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
