//! The migration runner: each migration applied once even when several stores open
//! one new file at once, and a file from a newer version refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use custodia_store::{KeyStore, Store, StoreError};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};

/// The versions of the SQL files in a migrations folder, so that a migration file
/// missing from the runner's list fails these tests.
fn files_in(folder: &str) -> Vec<i64> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut found: Vec<i64> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let (number, _) = name.strip_suffix(".sql")?.split_once('_')?;
            number.parse().ok()
        })
        .collect();
    found.sort_unstable();
    found
}

fn versions(path: &std::path::Path, table: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT version FROM {table} ORDER BY version"))
        .unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_opens_of_a_new_file_apply_each_migration_once() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("custodia.db");
        let keys_path = dir.path().join("keys.db");
        let mut opening = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let (path, keys_path) = (path.clone(), keys_path.clone());
            opening.spawn(async move {
                let store = SqliteStore::open(&path).await.unwrap();
                store.health().await.unwrap();
                let keys = SqliteKeyStore::open(&keys_path).await.unwrap();
                keys.system_keys().await.unwrap();
                (store, keys)
            });
        }
        let mut opened = Vec::new();
        while let Some(done) = opening.join_next().await {
            opened.push(done.unwrap());
        }
        assert_eq!(versions(&path, "schema_migrations"), files_in("migrations"));
        assert_eq!(
            versions(&keys_path, "key_schema_migrations"),
            files_in("migrations-keys")
        );
    }
}

#[tokio::test]
async fn a_file_migrated_by_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custodia.db");
    SqliteStore::open(&path).await.unwrap().close().await;
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations (version, description) VALUES (99, 'future')",
            [],
        )
        .unwrap();
    match SqliteStore::open(&path).await {
        Err(e @ StoreError::Migrate { .. }) => assert!(e.to_string().contains("99"), "{e}"),
        other => panic!("expected Migrate, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn reopening_applies_nothing_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custodia.db");
    for _ in 0..3 {
        let store = SqliteStore::open(&path).await.unwrap();
        store.health().await.unwrap();
        store.close().await;
    }
    assert_eq!(versions(&path, "schema_migrations"), files_in("migrations"));
}

/// Migration 10 keeps the anonymisation counts of a database from before retention
/// outcomes, now counted under the action `anonymise`.
#[tokio::test]
async fn counts_kept_before_retention_outcomes_become_anonymisations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custodia.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.close().await;
    // Back to the table as migration 5 made it, with a count in it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DELETE FROM schema_migrations WHERE version = 10;
         DROP TABLE retention_counts;
         CREATE TABLE retention_counts (
             rule TEXT NOT NULL, kind TEXT NOT NULL, month TEXT NOT NULL,
             count INTEGER NOT NULL, PRIMARY KEY (rule, kind, month)
         ) STRICT, WITHOUT ROWID;
         INSERT INTO retention_counts VALUES ('browsing-data', 'customer', '2026-01', 7);",
    )
    .unwrap();
    drop(conn);

    let store = SqliteStore::open(&path).await.unwrap();
    let counts = store.retention_counts().await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].action.as_str(), counts[0].count),
        ("anonymise", 7)
    );
    store.close().await;
    assert_eq!(versions(&path, "schema_migrations"), files_in("migrations"));
}
