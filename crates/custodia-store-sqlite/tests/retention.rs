//! What the conformance suite cannot see through the `Store` API: erasure deleting the
//! rows of retention progress, and keys deleted in a batch leaving no bytes in the key
//! store's files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use custodia_store::conformance::{self, fixtures, retention};
use custodia_store::{Batch, Store, Write};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use time::macros::datetime;

fn progress_rows(path: &std::path::Path, subject_id: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM retention_progress WHERE subject_id = ?1",
            [subject_id],
            |row| row.get(0),
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_deletes_the_progress_rows() {
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
    assert_eq!(progress_rows(&path, &gone), 2);
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
    assert_eq!(progress_rows(&path, &gone), 0, "the erased subject's rows");
    assert_eq!(progress_rows(&path, &kept), 1, "another subject's row");
}

/// One checkpoint for the batch still empties the WAL of every deleted key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_deleted_in_a_batch_leave_no_bytes_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let keys = SqliteKeyStore::open(&dir.path().join("keys.db"))
        .await
        .unwrap();
    let files: Vec<_> = ["keys.db", "keys.db-wal", "keys.db-journal"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    conformance::keys::batch_deleted_keys_leave_no_bytes_in(&keys, &files).await;
}
