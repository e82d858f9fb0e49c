//! Audit chains: each process that writes appends its audit entries and its changes
//! to a chain of its own (migration 0014), so instances never take turns on one head.
//!
//! A process claims the lowest chain no other live session holds, by a session
//! advisory lock on a connection it keeps for its lifetime: a process that exits or is
//! killed frees its chain with its connection, and the next process to start reuses
//! it. The lock only spreads writers over chains; correctness does not depend on it:
//! writers of one chain take turns on its transaction lock (`apply`), so two
//! processes that end up on one chain (a lost connection re-claimed by another
//! process meanwhile; CockroachDB, whose advisory locks are no-ops) are slower, never
//! wrong.

use std::sync::{Arc, Weak};
use std::time::Duration;

use custodia_store::StoreError;
use custodia_store::sqlx_support::query_error;
use sqlx::postgres::PgPool;
use sqlx::{Connection, PgConnection};
use tokio::sync::Mutex;

use crate::BACKEND;

/// Session locks of chain claims are keyed (class, chain).
const CLAIM_CLASS: i32 = 0x6368_6e73; // "chns"
/// More processes writing at once than this is not a deployment we expect.
const MOST_CHAINS: i32 = 1024;
/// How often the held connection is checked (and the claim re-taken after a loss).
const CHECK_EVERY: Duration = Duration::from_secs(10);

pub(crate) struct Claim {
    chain: i32,
    conn: Option<PgConnection>,
}

pub(crate) type Held = Arc<Mutex<Option<Claim>>>;

pub(crate) async fn claim(pool: &PgPool, held: &Held) -> Result<i32, StoreError> {
    let mut guard = held.lock().await;
    if let Some(claim) = guard.as_ref() {
        return Ok(claim.chain);
    }
    let error = |e: sqlx::Error| query_error(BACKEND, "claim an audit chain", &e);
    let mut conn = pool.acquire().await.map_err(error)?.detach();
    for chain in 0..MOST_CHAINS {
        if try_lock(&mut conn, chain).await.map_err(error)? {
            sqlx::query(
                "INSERT INTO audit_chains (chain, claimed_at) VALUES ($1, now()) \
                 ON CONFLICT (chain) DO UPDATE SET claimed_at = EXCLUDED.claimed_at",
            )
            .bind(chain)
            .execute(&mut conn)
            .await
            .map_err(error)?;
            *guard = Some(Claim {
                chain,
                conn: Some(conn),
            });
            tokio::spawn(keep(pool.clone(), Arc::downgrade(held)));
            return Ok(chain);
        }
    }
    Err(StoreError::Invalid {
        reason: "every audit chain is held: more than 1,024 processes write at once",
    })
}

async fn try_lock(conn: &mut PgConnection, chain: i32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
        .bind(CLAIM_CLASS)
        .bind(chain)
        .fetch_one(conn)
        .await
}

/// Checks the claim's connection now and then; after a loss (the database restarted)
/// takes the same chain's lock again on a new connection, so a process starting
/// meanwhile does not pick it.
async fn keep(pool: PgPool, held: Weak<Mutex<Option<Claim>>>) {
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        let Some(held) = held.upgrade() else {
            return;
        };
        let mut guard = held.lock().await;
        let Some(claim) = guard.as_mut() else {
            return;
        };
        if let Some(conn) = claim.conn.as_mut()
            && conn.ping().await.is_ok()
        {
            continue;
        }
        claim.conn = None;
        let Ok(conn) = pool.acquire().await else {
            continue;
        };
        let mut conn = conn.detach();
        // Taken meanwhile (`false`): both processes append to it, taking turns.
        if try_lock(&mut conn, claim.chain).await.is_ok() {
            claim.conn = Some(conn);
        }
    }
}
