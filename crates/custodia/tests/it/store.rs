//! Both stores against the shared conformance suite, plus what only a real file or
//! server shows: reopening, repeated migrations, several instances on one database.

// Test support: clippy counts helpers outside #[test] fns as production code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use custodia_store::conformance::{self, sample};
use custodia_store::{Store, StoreError};
use custodia_store_postgres::PostgresStore;
use custodia_store_sqlite::SqliteStore;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_passes_the_conformance_suite() {
    let Some((_, store)) = postgres().await else {
        return;
    };
    conformance::run_all(Arc::new(store)).await;
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
