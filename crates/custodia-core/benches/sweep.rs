//! A retention sweep over a real SQLite database (WAL, fsync on) and its own key
//! store, as `custodia serve` lays them out: SUBJECTS prospects (default 1,000,000;
//! set CUSTODIA_BENCH_SUBJECTS) with an e-mail, a name and a last contact; a quarter
//! contacted 4 years ago (due for deletion), the rest last month. Each subject has a
//! data key in the key store and sealed-size fields.
//!
//! Measured, after loading (not timed): a dry run (scan of every subject's facts and
//! planning), then the real sweep (key deletion, erasure, audit entry per subject), as
//! subjects scanned per second and deletions per second. A sweep consumes its data, so
//! this is not a criterion bench; run it a few times and take the median:
//! `cargo bench -p custodia-core --bench sweep`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use custodia_core::retention::sweep::{DEFAULT_PAGE, Retention};
use custodia_core::writer::Writer;
use custodia_store::{
    Batch, IndexEntry, KeyStore, SealedField, Store, SubjectEvent, SubjectRecord, Write,
};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use time::{Duration, OffsetDateTime, macros::datetime};

const LOAD_BATCH: usize = 5_000;
const NOW: OffsetDateTime = datetime!(2026-12-01 00:00 UTC);

fn subject_id(i: usize) -> String {
    // Sorted like UUIDv7 ids: by creation.
    format!("0190{i:012x}-0000-7000-8000-000000000000")
}

async fn load(store: &dyn Store, keys: &dyn KeyStore, n: usize) -> usize {
    let mut due = 0;
    let mut i = 0;
    while i < n {
        let end = (i + LOAD_BATCH).min(n);
        let mut writes = Vec::with_capacity(2 * (end - i));
        let mut wrapped = Vec::with_capacity(end - i);
        for k in i..end {
            let id = subject_id(k);
            let old = k % 4 == 0;
            due += usize::from(old);
            let contact = if old {
                NOW - Duration::days(4 * 366)
            } else {
                NOW - Duration::days(30)
            };
            writes.push(Write::CreateSubject {
                subject: SubjectRecord {
                    id: id.clone(),
                    kind: "prospect".to_owned(),
                    age_status: "adult".to_owned(),
                    parental_consent_at: None,
                    created_at: contact,
                    updated_at: contact,
                    erased_at: None,
                },
                fields: ["user.contact.email", "user.name.first"]
                    .into_iter()
                    .map(|c| SealedField {
                        category: c.to_owned(),
                        sealed: vec![k as u8; 60],
                    })
                    .collect(),
                indexes: vec![IndexEntry {
                    kind: "email".to_owned(),
                    digest: (k as u64).to_be_bytes().repeat(4),
                }],
            });
            writes.push(Write::AddEvent {
                subject_id: id.clone(),
                event: SubjectEvent {
                    event: "last_contact".to_owned(),
                    at: contact,
                    recorded_at: contact,
                },
            });
            wrapped.push((id, vec![7u8; 72]));
        }
        keys.put_data_keys(wrapped).await.unwrap();
        store
            .apply(Batch {
                writes,
                audit: Vec::new(),
            })
            .await
            .unwrap();
        i = end;
    }
    due
}

fn main() {
    let n: usize = std::env::var("CUSTODIA_BENCH_SUBJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let page: u32 = std::env::var("CUSTODIA_BENCH_PAGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_PAGE);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.path().join("custodia.db")).await.unwrap());
        let keys: Arc<dyn KeyStore> =
            Arc::new(SqliteKeyStore::open(&dir.path().join("keys.db")).await.unwrap());
        let started = Instant::now();
        let due = load(store.as_ref(), keys.as_ref(), n).await;
        eprintln!("loaded {n} subjects ({due} due) in {:.1?}", started.elapsed());
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas.toml");
        let register = custodia_register::load(&path).unwrap();
        let writer = Writer::start(store.clone(), keys.clone(), audit_key()).await.unwrap();
        let retention = Retention::new(
            store.clone(),
            keys.clone(),
            writer,
            &register,
            std::sync::Arc::new(custodia_core::SystemClock),
        );

        let started = Instant::now();
        let dry = retention
            .sweep(NOW, true, page, &|_| {})
            .await
            .unwrap();
        let dry_time = started.elapsed();
        assert_eq!(dry.rules["prospects"].deleted as usize, due);
        println!(
            "dry run (scan + plan): {n} subjects in {dry_time:.2?} = {:.0} subjects/s",
            n as f64 / dry_time.as_secs_f64()
        );

        let started = Instant::now();
        let report = retention
            .sweep(NOW, false, page, &|_| {})
            .await
            .unwrap();
        let run_time = started.elapsed();
        assert_eq!(report.subjects_erased as usize, due);
        println!(
            "sweep: {due} subjects erased among {n} in {run_time:.2?} = {:.0} deletions/s ({:.0} subjects scanned/s)",
            due as f64 / run_time.as_secs_f64(),
            n as f64 / run_time.as_secs_f64()
        );
    });
}

fn audit_key() -> Arc<custodia_crypto::AuditKey> {
    Arc::new(custodia_crypto::AuditKey::new(
        &custodia_crypto::SecretKey::generate().unwrap(),
    ))
}
