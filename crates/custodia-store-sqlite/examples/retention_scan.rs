//! How fast the retention planner can read every subject: `retention_facts_page` over
//! 1,000,000 subjects, in-process.
//!
//! `cargo run --release -p custodia-store-sqlite --example retention_scan [SUBJECTS]`
//!
//! Fills a fresh database in a temporary directory directly (much faster than batches
//! through the store): per subject four fields, three login events, a purchase, an
//! account closure for one in ten, retention progress for three in ten, one in ten
//! erased. Then reads all of it by pages of 1,000 and 5,000 and prints subjects/s.

use std::error::Error;
use std::time::Instant;

use custodia_store::Store;
use custodia_store_sqlite::SqliteStore;

/// Time-ordered ids, as UUIDv7 subject ids are.
fn id(n: usize) -> String {
    format!("01900000-0000-7000-8000-{n:012}")
}

fn fill(path: &std::path::Path, subjects: usize) -> Result<(), Box<dyn Error>> {
    let mut conn = rusqlite::Connection::open(path)?;
    let tx = conn.transaction()?;
    {
        let mut subject = tx.prepare(
            "INSERT INTO subjects (id, kind, age_status, created_at_us, updated_at_us, \
             erased_at_us) VALUES (?1, 'customer', 'adult', ?2, ?2, ?3)",
        )?;
        let mut field = tx.prepare(
            "INSERT INTO subject_fields (subject_id, category, sealed) VALUES (?1, ?2, ?3)",
        )?;
        let mut event = tx.prepare(
            "INSERT INTO subject_events (subject_id, event, at_us, recorded_at_us) \
             VALUES (?1, ?2, ?3, ?3)",
        )?;
        let mut step = tx.prepare(
            "INSERT INTO retention_progress (subject_id, rule, step, action, done_at_us) \
             VALUES (?1, 'customers.closed', 1, 'archive', ?2)",
        )?;
        let sealed = vec![7u8; 60];
        let base: i64 = 1_767_225_600_000_000;
        for n in 0..subjects {
            let id = id(n);
            let at = base + n as i64 * 1_000;
            let erased = (n % 10 == 9).then_some(at + 1);
            subject.execute((&id, at, erased))?;
            if erased.is_some() {
                continue;
            }
            for category in [
                "user.contact.email",
                "user.name.first",
                "user.name.last",
                "user.contact.postal_address",
            ] {
                field.execute((&id, category, &sealed))?;
            }
            for (name, offset) in [("login", 1), ("login", 2), ("purchase", 3), ("login", 4)] {
                event.execute((&id, name, at + offset))?;
            }
            if n % 10 == 3 {
                event.execute((&id, "account_closed", at + 5))?;
            }
            if n % 10 < 3 {
                step.execute((&id, at + 6))?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let subjects: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 1_000_000,
    };
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("custodia.db");
    // Creates the file and its tables, then steps aside for the bulk fill.
    SqliteStore::open(&path).await?.close().await;
    let started = Instant::now();
    fill(&path, subjects)?;
    println!(
        "filled {subjects} subjects in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store = SqliteStore::open(&path).await?;
    for limit in [1_000, 5_000] {
        let started = Instant::now();
        let (mut listed, mut events, mut after) = (0usize, 0usize, None::<String>);
        loop {
            let page = store.retention_facts_page(after.as_deref(), limit).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.subject_id.clone());
            listed += page.len();
            events += page.iter().map(|f| f.events.len()).sum::<usize>();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "pages of {limit}: {listed} subjects ({events} latest events) in {secs:.2} s, \
             {:.0} subjects/s",
            listed as f64 / secs
        );
    }
    store.close().await;
    Ok(())
}
