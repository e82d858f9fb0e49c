//! Both stores and key stores against the shared conformance suite, plus what only a
//! real file or server shows: reopening, repeated migrations, several instances on one
//! database, a data store and a key store sharing a PostgreSQL database, and deleted
//! keys leaving no bytes in the SQLite key store's files.

// Test support: clippy counts helpers outside #[test] fns as production code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use custodia_store::{Batch, KeyStore, Store, StoreError, Write};
use custodia_store_conformance::{self as conformance, fixtures, sample};
use custodia_store_postgres::{PostgresKeyStore, PostgresStore};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use time::macros::datetime;

async fn sqlite_in(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("custodia.db"))
        .await
        .unwrap()
}

async fn postgres() -> Option<(String, PostgresStore)> {
    let url = crate::pg::fresh_postgres_database().await?;
    let store = PostgresStore::connect(&url).await.unwrap();
    Some((url, store))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    conformance::run_all(Arc::new(sqlite_in(&dir).await)).await;
}

/// The server wraps its SQLite store in a read cache: it must still behave as a store.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cached_sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let cached = custodia_store::cache::CachingStore::new(sqlite_in(&dir).await);
    conformance::run_all(Arc::new(cached)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_passes_the_conformance_suite() {
    let Some((_, store)) = postgres().await else {
        return;
    };
    conformance::run_all(Arc::new(store)).await;
}

/// The key store's own file, as `custodia serve` lays it out.
async fn sqlite_keys_in(dir: &tempfile::TempDir) -> SqliteKeyStore {
    SqliteKeyStore::open(&dir.path().join("keys.db"))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_key_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    conformance::run_all_key_store(Arc::new(sqlite_keys_in(&dir).await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cached_sqlite_key_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let cached = custodia_store::cache::CachingKeyStore::new(sqlite_keys_in(&dir).await);
    conformance::run_all_key_store(Arc::new(cached)).await;
}

/// Both stores on ONE database: distinct tables, migrations tracked apart, each suite
/// passing beside the other, and both reconnecting (migrating again) afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_store_and_key_store_share_one_database() {
    let Some((url, store)) = postgres().await else {
        return;
    };
    let keys = PostgresKeyStore::connect(&url).await.unwrap();
    conformance::run_all_key_store(Arc::new(keys)).await;
    conformance::run_all(Arc::new(store)).await;

    // Reconnecting runs both migrators again, in either order, on the same database.
    let keys = PostgresKeyStore::connect(&url).await.unwrap();
    let store = PostgresStore::connect(&url).await.unwrap();
    let again = PostgresKeyStore::connect(&url).await.unwrap();
    assert!(!again.system_keys().await.unwrap().is_empty());
    assert!(store.audit_head().await.unwrap().is_some());
    assert!(keys.data_keys_page(None, 1).await.unwrap().len() == 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_key_store_alone_passes_the_conformance_suite() {
    let Some(url) = crate::pg::fresh_postgres_database().await else {
        return;
    };
    let keys = PostgresKeyStore::connect(&url).await.unwrap();
    conformance::run_all_key_store(Arc::new(keys)).await;
}

/// `secure_delete` and the WAL emptied after each deletion: a deleted key is in none of the files.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_deleted_keys_leave_no_bytes_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let keys = sqlite_keys_in(&dir).await;
    let files: Vec<_> = ["keys.db", "keys.db-wal", "keys.db-journal"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    conformance::keys::deleted_key_leaves_no_bytes_in(&keys, &files).await;
    // Also once the store is closed, and after reopening.
    keys.close().await;
    let keys = sqlite_keys_in(&dir).await;
    conformance::keys::deleted_key_leaves_no_bytes_in(&keys, &files).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_files_opened_twice_publish_safely() {
    let dir = tempfile::tempdir().unwrap();
    let a: Arc<dyn Store> = Arc::new(sqlite_in(&dir).await);
    let b: Arc<dyn Store> = Arc::new(sqlite_in(&dir).await);
    conformance::instances_sharing_a_database_publish_safely(&[a, b]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_on_one_database_publish_safely() {
    let Some((url, a)) = postgres().await else {
        return;
    };
    let b = PostgresStore::connect(&url).await.unwrap();
    conformance::instances_sharing_a_database_publish_safely(&[Arc::new(a), Arc::new(b)]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_files_opened_twice_never_fork_the_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let a: Arc<dyn Store> = Arc::new(sqlite_in(&dir).await);
    let b: Arc<dyn Store> = Arc::new(sqlite_in(&dir).await);
    conformance::audit::concurrent_appends_never_fork_the_chain(&[a.clone(), b]).await;
    conformance::audit::concurrent_appends_never_fork_the_chain(&[a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_on_one_database_never_fork_the_audit_chain() {
    let Some((url, a)) = postgres().await else {
        return;
    };
    let b = PostgresStore::connect(&url).await.unwrap();
    let c = PostgresStore::connect(&url).await.unwrap();
    conformance::audit::concurrent_appends_never_fork_the_chain(&[
        Arc::new(a),
        Arc::new(b),
        Arc::new(c),
    ])
    .await;
}

/// The first column of the first row of `sql` on the SQLite file, read off the runtime.
async fn sqlite_scalar(db: &std::path::Path, sql: &str) -> i64 {
    let (db, query) = (db.to_owned(), sql.to_owned());
    tokio::task::spawn_blocking(move || crate::support::sqlite_query(&db, &query))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"))
}

/// SQLite indexes audit entries in bulk (migration 0006): a filtered read spans the
/// indexed entries and the unindexed ones after them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_filtered_audit_reads_span_indexed_and_unindexed_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_in(&dir).await;
    conformance::audit::long_log_filtered_reads_agree(&store, 20_000).await;
    store.close().await;
    let db = dir.path().join("custodia.db");
    let indexed_through = sqlite_scalar(&db, "SELECT indexed_through FROM audit_index_state").await;
    let last = sqlite_scalar(&db, "SELECT max(seq) FROM audit_log").await;
    assert!(
        0 < indexed_through && indexed_through < last,
        "the reads must have covered both parts: indexed through {indexed_through} of {last}"
    );
    let indexed = "seq <= (SELECT indexed_through FROM audit_index_state)";
    for (table, entries) in [
        ("audit_by_subject", "subject_ref IS NOT NULL AND "),
        ("audit_by_principal", ""),
        ("audit_by_time", ""),
        ("audit_by_action", ""),
    ] {
        assert_eq!(
            sqlite_scalar(&db, &format!("SELECT count(*) FROM {table}")).await,
            sqlite_scalar(
                &db,
                &format!("SELECT count(*) FROM audit_log WHERE {entries}{indexed}")
            )
            .await,
            "{table} holds every indexed entry (naming a subject, for subjects) and no other"
        );
    }
}

/// A log written before migration 0006 (indexes on audit_log itself) is indexed in full
/// when the file is opened by this version.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_migration_indexes_an_existing_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_in(&dir).await;
    let written = conformance::audit::long_log_filtered_reads_agree(&store, 1_000).await;
    store.close().await;
    let db = dir.path().join("custodia.db");
    sqlite_scalar(
        &db,
        "DROP TABLE audit_by_subject; DROP TABLE audit_by_principal; \
         DROP TABLE audit_by_time; DROP TABLE audit_index_state; \
         CREATE INDEX audit_log_by_subject ON audit_log (subject_ref, seq); \
         CREATE INDEX audit_log_by_principal ON audit_log (principal, seq); \
         CREATE INDEX audit_log_by_time ON audit_log (at_us); \
         DELETE FROM schema_migrations WHERE version = 6; SELECT 0",
    )
    .await;

    let store = sqlite_in(&dir).await;
    assert_eq!(
        sqlite_scalar(&db, "SELECT indexed_through FROM audit_index_state").await,
        sqlite_scalar(&db, "SELECT max(seq) FROM audit_log").await,
        "the migration indexes every entry there is"
    );
    let subject = written[1].subject_ref.clone().unwrap();
    let about: Vec<_> = written
        .iter()
        .filter(|e| e.subject_ref.as_ref() == Some(&subject))
        .cloned()
        .collect();
    let got = store
        .audit_entries(&custodia_store::AuditFilter {
            subject_ref: Some(subject),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(got, about, "entries by subject after the migration");
    // And entries appended afterwards are found beside the migrated ones.
    conformance::audit::long_log_filtered_reads_agree(&store, 500).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_reads_by_subject_agree_over_a_long_log() {
    let Some((_, store)) = postgres().await else {
        return;
    };
    conformance::audit::long_log_filtered_reads_agree(&store, 3_000).await;
}

/// Publishes two versions, closes, reopens (migrating again) and reads them back.
async fn versions_survive_reopening<S, F, Fut>(first: S, reopen: F)
where
    S: Store,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    let v1 = sample("reopen-1", datetime!(2025-01-01 10:00:00.000001 UTC));
    let v2 = sample("reopen-2", datetime!(2025-02-01 10:00 +01:00));
    first.publish_policy_version(v1.clone()).await.unwrap();
    first.publish_policy_version(v2.clone()).await.unwrap();
    let listed = first.policy_versions().await.unwrap();
    drop(first);

    for _ in 0..2 {
        let store = reopen().await;
        assert_eq!(store.policy_versions().await.unwrap(), listed);
        assert_eq!(
            store.policy_version(1).await.unwrap(),
            Some(conformance::expected(&v1, 1))
        );
        assert_eq!(
            store.latest_policy_version().await.unwrap(),
            Some(conformance::expected(&v2, 2))
        );
        let again = store.publish_policy_version(v2.clone()).await.unwrap();
        assert!(
            !again.created,
            "the latest register is still recognised after reopening"
        );
    }
}

#[tokio::test]
async fn sqlite_versions_survive_reopening_and_migrations_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custodia.db");
    let first = SqliteStore::open(&path).await.unwrap();
    let url = format!("sqlite://{}", path.display());
    versions_survive_reopening(first, || async {
        SqliteStore::open_url(&url).await.unwrap()
    })
    .await;
}

#[tokio::test]
async fn postgres_versions_survive_reconnecting_and_migrations_run_once() {
    let Some((url, first)) = postgres().await else {
        return;
    };
    versions_survive_reopening(first, || async {
        PostgresStore::connect(&url).await.unwrap()
    })
    .await;
}

#[tokio::test]
async fn sqlite_closed_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_in(&dir).await;
    store
        .publish_policy_version(sample("closed", datetime!(2025-01-01 0:00 UTC)))
        .await
        .unwrap();
    assert!(
        dir.path().join("custodia.db-wal").exists(),
        "the database is in WAL mode"
    );
    store.close().await;
    assert!(
        store.health().await.is_err(),
        "a closed store answers no queries"
    );
    let store = sqlite_in(&dir).await;
    assert_eq!(store.policy_versions().await.unwrap().len(), 1);
}

#[tokio::test]
async fn sqlite_urls_name_files_only() {
    for url in [
        "sqlite::memory:",
        "sqlite://:memory:",
        "sqlite:",
        "sqlite://",
        "sqlite:x.db?mode=memory",
        "postgres://x",
    ] {
        match SqliteStore::open_url(url).await {
            Err(StoreError::Invalid { .. }) => {}
            other => panic!("{url}: expected Invalid, got {:?}", other.map(|_| ())),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let plain = format!("sqlite:{}", dir.path().join("a.db").display());
    SqliteStore::open_url(&plain)
        .await
        .unwrap()
        .health()
        .await
        .unwrap();
    let missing_dir = dir.path().join("missing").join("a.db");
    match SqliteStore::open(&missing_dir).await {
        Err(StoreError::Connect {
            backend: "sqlite", ..
        }) => {}
        other => panic!(
            "expected Connect for a missing directory, got {:?}",
            other.map(|_| ())
        ),
    }
}

#[tokio::test]
async fn postgres_connect_errors_do_not_repeat_the_password() {
    // Port 1 refuses connections at once.
    let url = "postgres://custodia:s3cret-pw@127.0.0.1:1/custodia?connect_timeout=2";
    match PostgresStore::connect(url).await {
        Err(e @ StoreError::Connect { .. }) => {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("s3cret-pw"), "{shown}");
        }
        other => panic!("expected Connect, got {:?}", other.map(|_| ())),
    }
    match PostgresStore::connect("not a url").await {
        Err(StoreError::Connect { .. }) => {}
        other => panic!("expected Connect, got {:?}", other.map(|_| ())),
    }
}

/// Writes a subject, a user and an audit entry, reopens, and reads them back.
async fn vault_survives_reopening<S, F, Fut>(first: S, reopen: F)
where
    S: Store,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    let at = datetime!(2025-03-01 10:00:00.000001 UTC);
    let id = fixtures::unique("reopen-subject");
    let uid = fixtures::unique("reopen-user");
    let batch = Batch {
        writes: vec![
            fixtures::create_subject(&id, at),
            Write::CreateUser(fixtures::user(&uid, &format!("{uid}@example.org"), at)),
        ],
        audit: fixtures::chain(
            first.audit_head().await.unwrap(),
            vec![fixtures::Event::new("subject.create", at).about(&id)],
        ),
    };
    first.apply(batch).await.unwrap();
    let subject = first.subject(&id).await.unwrap().unwrap();
    let head = first.audit_head().await.unwrap();
    drop(first);

    let store = reopen().await;
    assert_eq!(store.subject(&id).await.unwrap(), Some(subject));
    assert!(store.user(&uid).await.unwrap().is_some());
    assert_eq!(store.audit_head().await.unwrap(), head);
    conformance::audit::log_is_gapless_and_chained(&store).await;
}

#[tokio::test]
async fn sqlite_vault_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let first = sqlite_in(&dir).await;
    vault_survives_reopening(first, || sqlite_in(&dir)).await;
}

#[tokio::test]
async fn postgres_vault_survives_reconnecting() {
    let Some((url, first)) = postgres().await else {
        return;
    };
    vault_survives_reopening(first, || async {
        PostgresStore::connect(&url).await.unwrap()
    })
    .await;
}

#[tokio::test]
async fn sqlite_key_store_survives_reopening_and_is_apart_from_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = sqlite_in(&dir).await;
    let keys = sqlite_keys_in(&dir).await;
    keys.put_data_keys(vec![("s1".to_owned(), vec![0xff, 0, 1])])
        .await
        .unwrap();
    keys.system_key_or_insert("blind_index", vec![9; 40])
        .await
        .unwrap();
    keys.close().await;
    data.close().await;

    let keys = sqlite_keys_in(&dir).await;
    assert_eq!(keys.data_key("s1").await.unwrap(), Some(vec![0xff, 0, 1]));
    assert_eq!(
        keys.system_keys().await.unwrap(),
        vec![("blind_index".to_owned(), vec![9; 40])]
    );
    let data = std::fs::read(dir.path().join("custodia.db")).unwrap();
    assert!(
        !data.windows(11).any(|w| w == b"blind_index"),
        "keys are not in the data file"
    );
}

/// What the `Store` API cannot show: erasure deletes the subject's retention progress
/// rows from the SQLite file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_erasure_deletes_the_retention_progress_rows() {
    use custodia_store_conformance::retention;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custodia.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let at = datetime!(2026-02-03 00:00 UTC);
    let (gone, kept) = (fixtures::unique("erased"), fixtures::unique("kept"));
    let writes = vec![
        fixtures::create_subject(&gone, at),
        fixtures::create_subject(&kept, at),
        retention::step(&gone, "a", 1, "archive"),
        retention::step(&gone, "b", 2, "archive"),
        retention::step(&kept, "a", 1, "archive"),
    ];
    store
        .apply(Batch {
            writes,
            audit: Vec::new(),
        })
        .await
        .unwrap();
    store
        .apply(Batch {
            writes: vec![Write::EraseSubject {
                subject_id: gone.clone(),
                erased_at: at,
            }],
            audit: Vec::new(),
        })
        .await
        .unwrap();
    // On a thread of its own: the helper runs its own runtime.
    let rows = |id: &str| {
        let sql = format!("SELECT count(*) FROM retention_progress WHERE subject_id = '{id}'");
        std::thread::scope(|s| {
            s.spawn(|| crate::support::sqlite_query(&path, &sql).unwrap())
                .join()
                .unwrap()
        })
    };
    assert_eq!(rows(&gone), 0, "the erased subject's rows");
    assert_eq!(rows(&kept), 1, "another subject's row");
}

/// One checkpoint for a batch still empties the WAL of every deleted key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keys_deleted_in_a_batch_leave_no_bytes_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let keys = sqlite_keys_in(&dir).await;
    let files: Vec<_> = ["keys.db", "keys.db-wal", "keys.db-journal"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    conformance::keys::batch_deleted_keys_leave_no_bytes_in(&keys, &files).await;
}

/// Many concurrent jobs through the writer, one in seven naming a subject that does not
/// exist: on SQLite the writer keeps several batches in flight, so a failed batch also
/// fails the ones queued behind it. Every good job must still be stored exactly once
/// and answered Ok, every bad one answered with its own error, and the audit chain must
/// verify with one entry per stored job.
async fn writer_fails_bad_jobs_alone(store: Arc<dyn Store>, keys: Arc<dyn KeyStore>) {
    use custodia_core::audit::{AuditAction, AuditRecord, CheckpointSource, Verdict, verify};
    use custodia_core::writer::{Job, WriteError, Writer};

    const SUBJECTS: usize = 12;
    const JOBS: usize = 700;
    let t0 = datetime!(2026-01-05 08:00 UTC);
    let audit_key = Arc::new(custodia_crypto::AuditKey::new(
        &custodia_crypto::SecretKey::generate().unwrap(),
    ));
    custodia_core::audit::anchor(store.as_ref(), keys.as_ref(), &audit_key, t0)
        .await
        .unwrap();
    let writer = Writer::start(
        Arc::clone(&store),
        Arc::clone(&keys),
        Arc::clone(&audit_key),
    )
    .await
    .unwrap();
    let ids: Vec<String> = (0..SUBJECTS)
        .map(|_| fixtures::unique("pipelined"))
        .collect();
    for id in &ids {
        let job = Job {
            writes: vec![fixtures::create_subject(id, t0)],
            audit: vec![AuditRecord::new(t0, "test", AuditAction::SubjectCreate, "ok").subject(id)],
            ..Job::default()
        };
        writer.submit(job).await.unwrap();
    }
    let audit_before = match verify(store.as_ref(), keys.as_ref(), &audit_key, &[])
        .await
        .unwrap()
    {
        Verdict::Intact { entries, .. } => entries,
        broken => panic!("chain broken before the test: {broken:?}"),
    };

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..JOBS {
        let writer = writer.clone();
        let bad = i % 7 == 3;
        let subject = if bad {
            format!("missing-{i}")
        } else {
            ids[i % SUBJECTS].clone()
        };
        let at = t0 + time::Duration::seconds(i as i64 + 1);
        tasks.spawn(async move {
            let job = Job {
                writes: vec![Write::AddEvent {
                    subject_id: subject.clone(),
                    event: fixtures::event("transaction", at, at),
                }],
                audit: vec![
                    AuditRecord::new(at, "test", AuditAction::SubjectEvent, "ok").subject(&subject),
                ],
                ..Job::default()
            };
            (i, bad, writer.submit(job).await)
        });
    }
    let mut stored = [0usize; SUBJECTS];
    let mut refused = 0;
    while let Some(done) = tasks.join_next().await {
        let (i, bad, result) = done.unwrap();
        match (bad, result) {
            (false, Ok(())) => stored[i % SUBJECTS] += 1,
            (true, Err(WriteError::Store(StoreError::Invalid { .. }))) => refused += 1,
            (bad, other) => panic!("job {i} (bad: {bad}) answered {other:?}"),
        }
    }
    assert_eq!(refused, (0..JOBS).filter(|i| i % 7 == 3).count());
    for (n, id) in ids.iter().enumerate() {
        let subject = store.subject(id).await.unwrap().unwrap();
        assert_eq!(subject.events.len(), stored[n], "events of subject {n}");
    }
    let good = stored.iter().sum::<usize>() as i64;
    assert_eq!(
        verify(store.as_ref(), keys.as_ref(), &audit_key, &[])
            .await
            .unwrap(),
        Verdict::Intact {
            entries: audit_before + good,
            head: store.audit_head().await.unwrap().unwrap().1,
            chains: 1,
            checkpoint: Some((0, t0, CheckpointSource::KeyStore)),
            checkpoints: 1,
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writer_fails_bad_jobs_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = custodia_store::cache::CachingStore::new(sqlite_in(&dir).await);
    writer_fails_bad_jobs_alone(Arc::new(store), Arc::new(sqlite_keys_in(&dir).await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_writer_fails_bad_jobs_alone() {
    let Some((url, store)) = postgres().await else {
        return;
    };
    let keys = PostgresKeyStore::connect(&url).await.unwrap();
    writer_fails_bad_jobs_alone(Arc::new(store), Arc::new(keys)).await;
}
