//! In-process timings of the SQLite store, without HTTP: what one store call costs.
//!
//! `cargo run --release -p custodia-store-sqlite --example measure`
//!
//! Prints, for a fresh database in a temporary directory: a trivial round trip
//! (`health`), the reads of a lookup by e-mail (index, subject, data key) alone and
//! from 64 concurrent tasks, and batched creations (three fields, a blind index and an
//! audit entry per subject) in batches of 8 and 500.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use custodia_store::{Batch, KeyStore, Store, Write};
use custodia_store_conformance::fixtures::{self, Event};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use time::OffsetDateTime;
use time::macros::datetime;

const AT: OffsetDateTime = datetime!(2026-01-01 0:00 UTC);

/// Time-ordered ids, as UUIDv7 subject ids are.
fn id(n: usize) -> String {
    format!("01900000-0000-7000-8000-{n:012}")
}

fn creation(n: usize) -> Write {
    let id = id(n);
    Write::CreateSubject {
        subject: fixtures::record(&id, AT),
        fields: vec![
            fixtures::field("user.contact.email", fixtures::blob(1, 60)),
            fixtures::field("user.name.first", fixtures::blob(2, 45)),
            fixtures::field("user.name.last", fixtures::blob(3, 46)),
        ],
        indexes: vec![fixtures::index("email", fixtures::digest(&id))],
    }
}

async fn create(
    store: &SqliteStore,
    keys: &SqliteKeyStore,
    from: usize,
    n: usize,
) -> Result<(), Box<dyn Error>> {
    keys.put_data_keys((from..from + n).map(|i| (id(i), vec![7; 72])).collect())
        .await?;
    let writes = (from..from + n).map(creation).collect();
    let events = (from..from + n)
        .map(|i| Event::new("subject.create", AT).about(&id(i)))
        .collect();
    let head = store.audit_head().await?;
    store
        .apply(Batch {
            writes,
            audit: fixtures::chain(head, events),
        })
        .await?;
    Ok(())
}

fn per_op(label: &str, elapsed: Duration, ops: usize) {
    let us = elapsed.as_secs_f64() * 1e6 / ops as f64;
    let rate = ops as f64 / elapsed.as_secs_f64();
    println!("{label:<52} {us:>9.1} µs/op {rate:>10.0} ops/s");
}

async fn lookup(
    store: &SqliteStore,
    keys: &SqliteKeyStore,
    n: usize,
) -> Result<(), Box<dyn Error>> {
    let ids = store
        .subjects_by_index("email", &fixtures::digest(&id(n)))
        .await?;
    for found in ids {
        store.subject(&found).await?.ok_or("subject missing")?;
        keys.data_key(&found).await?.ok_or("key missing")?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let store = Arc::new(SqliteStore::open(&dir.path().join("custodia.db")).await?);
    let keys = Arc::new(SqliteKeyStore::open(&dir.path().join("keys.db")).await?);

    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        store.health().await?;
    }
    per_op("health (SELECT 1), one task", t.elapsed(), n);

    for (batch, subjects, from) in [(8, 3_000, 0), (500, 3_000, 10_000)] {
        let t = Instant::now();
        for start in (from..from + subjects).step_by(batch) {
            create(&store, &keys, start, batch).await?;
        }
        per_op(
            &format!("create, batches of {batch} (per subject)"),
            t.elapsed(),
            subjects,
        );
    }

    let n = 3_000;
    let t = Instant::now();
    for i in 0..n {
        lookup(&store, &keys, i).await?;
    }
    per_op(
        "lookup (index + subject + data key), one task",
        t.elapsed(),
        n,
    );

    let tasks = 64;
    let per_task = 500;
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for task in 0..tasks {
        let (store, keys) = (Arc::clone(&store), Arc::clone(&keys));
        set.spawn(async move {
            for i in 0..per_task {
                lookup(&store, &keys, (task * 7919 + i * 13) % 3_000)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        });
    }
    while let Some(done) = set.join_next().await {
        done??;
    }
    per_op("lookup, 64 tasks", t.elapsed(), tasks * per_task);

    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let store = Arc::clone(&store);
        set.spawn(async move {
            for _ in 0..per_task {
                store.health().await.map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        });
    }
    while let Some(done) = set.join_next().await {
        done??;
    }
    per_op("health, 64 tasks", t.elapsed(), tasks * per_task);

    let n = 500;
    let t = Instant::now();
    for _ in 0..n {
        let head = store.audit_head().await?;
        store
            .apply(Batch {
                writes: Vec::new(),
                audit: fixtures::chain(head, vec![Event::new("subject.read", AT)]),
            })
            .await?;
    }
    per_op(
        "audit head + one durable audit entry, one task",
        t.elapsed(),
        n,
    );
    Ok(())
}
