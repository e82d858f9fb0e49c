//! Key stores: wrapped data keys per subject, Custodia's own keys, compare-and-swap
//! rewrapping, and erasure that leaves no bytes behind.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::Barrier;
use tokio::task::JoinSet;

use super::fixtures::{blob, unique};
use custodia_store::{KeyStore, StoreError};

/// Every key store check, in an order that starts from an empty key store.
pub async fn run_all(keys: Arc<dyn KeyStore>) {
    let k = keys.as_ref();
    backend_is_named(k);
    empty_key_store_has_no_system_keys(k).await;
    data_keys_round_trip(k).await;
    a_subject_has_one_data_key(k).await;
    deleting_a_data_key(k).await;
    pages_follow_byte_order(k).await;
    rewrapping_data_keys_is_compare_and_swap(k).await;
    system_keys_are_inserted_once_and_rewrapped(k).await;
    concurrent_system_key_inserts_agree(keys.clone()).await;
}

pub fn backend_is_named(keys: &dyn KeyStore) {
    let b = keys.backend();
    assert!(
        matches!(b, "sqlite" | "postgres"),
        "backend() returned {b:?}, expected \"sqlite\" or \"postgres\""
    );
}

/// Needs an empty key store.
pub async fn empty_key_store_has_no_system_keys(keys: &dyn KeyStore) {
    let b = keys.backend();
    assert_eq!(
        keys.system_keys().await.unwrap(),
        vec![],
        "[{b}] system keys"
    );
    assert_eq!(
        keys.data_keys_page(None, 10).await.unwrap(),
        vec![],
        "[{b}] data keys of an empty store"
    );
}

/// A wrapped key: 72 bytes like a real one (nonce, key, tag), never UTF-8.
pub fn wrapped(seed: u8) -> Vec<u8> {
    blob(seed, 72)
}

pub async fn data_keys_round_trip(keys: &dyn KeyStore) {
    let b = keys.backend();
    let batch: Vec<(String, Vec<u8>)> = (0..300u16)
        .map(|i| (unique("dek"), wrapped(i as u8)))
        .chain([
            (unique("dek-empty"), Vec::new()),
            (unique("dek-nul"), vec![0; 40]),
            (unique("dek-élève-🔑"), wrapped(7)),
        ])
        .collect();
    keys.put_data_keys(batch.clone()).await.unwrap();
    keys.put_data_keys(Vec::new()).await.unwrap();
    for (id, w) in &batch {
        assert_eq!(
            keys.data_key(id).await.unwrap().as_ref(),
            Some(w),
            "[{b}] data key of {id}"
        );
    }
    for missing in [unique("no-key").as_str(), "", "nul\0id"] {
        assert_eq!(
            keys.data_key(missing).await.unwrap(),
            None,
            "[{b}] data_key({missing:?})"
        );
    }
}

/// Putting a key for a subject that has one fails and stores nothing of that call; so
/// does naming a subject twice in one call.
pub async fn a_subject_has_one_data_key(keys: &dyn KeyStore) {
    let b = keys.backend();
    let existing = unique("dek-existing");
    keys.put_data_keys(vec![(existing.clone(), wrapped(1))])
        .await
        .unwrap();
    let fresh = unique("dek-fresh");
    for (what, call) in [
        (
            "a subject that has a key",
            vec![(fresh.clone(), wrapped(2)), (existing.clone(), wrapped(3))],
        ),
        (
            "one subject twice",
            vec![(fresh.clone(), wrapped(2)), (fresh.clone(), wrapped(4))],
        ),
        (
            "a NUL in a subject id",
            vec![(fresh.clone(), wrapped(2)), ("a\0".to_owned(), wrapped(5))],
        ),
    ] {
        match keys.put_data_keys(call).await {
            Err(StoreError::Invalid { .. }) => {}
            other => panic!("[{b}] putting keys for {what}: expected Invalid, got {other:?}"),
        }
        assert_eq!(
            keys.data_key(&fresh).await.unwrap(),
            None,
            "[{b}] a refused put ({what}) stored a key"
        );
    }
    assert_eq!(
        keys.data_key(&existing).await.unwrap(),
        Some(wrapped(1)),
        "[{b}] the existing key after refused puts"
    );
}

pub async fn deleting_a_data_key(keys: &dyn KeyStore) {
    let b = keys.backend();
    let id = unique("dek-delete");
    let other = unique("dek-keep");
    keys.put_data_keys(vec![(id.clone(), wrapped(9)), (other.clone(), wrapped(10))])
        .await
        .unwrap();
    assert!(
        keys.delete_data_key(&id).await.unwrap(),
        "[{b}] first delete"
    );
    assert_eq!(keys.data_key(&id).await.unwrap(), None, "[{b}] deleted key");
    assert!(
        !keys.delete_data_key(&id).await.unwrap(),
        "[{b}] second delete"
    );
    assert!(
        !keys.delete_data_key(&unique("never")).await.unwrap(),
        "[{b}] deleting a key that never existed"
    );
    assert_eq!(
        keys.data_key(&other).await.unwrap(),
        Some(wrapped(10)),
        "[{b}] another key after a delete"
    );
    // The row is gone: a new key may be stored (whether it should is the engine's call).
    keys.put_data_keys(vec![(id.clone(), wrapped(11))])
        .await
        .unwrap();
    assert_eq!(
        keys.data_key(&id).await.unwrap(),
        Some(wrapped(11)),
        "[{b}] re-put"
    );
}

/// Pages go in byte order of subject id (not the database collation's order), each
/// after the last id of the one before, and visit every key once.
pub async fn pages_follow_byte_order(keys: &dyn KeyStore) {
    let b = keys.backend();
    let tag = unique("page");
    let names = [
        "Zebra", "apple", "Apple", "éclair", "eclair", "z-z", "zz", "a b", "ab", "💡",
    ];
    let mine: Vec<(String, Vec<u8>)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("{tag}/{n}"), wrapped(100 + i as u8)))
        .collect();
    keys.put_data_keys(mine.clone()).await.unwrap();

    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = keys.data_keys_page(after.as_deref(), 7).await.unwrap();
        assert!(page.len() <= 7, "[{b}] a page longer than its limit");
        let Some(last) = page.last() else { break };
        after = Some(last.0.clone());
        all.extend(page);
    }
    assert!(
        all.windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()),
        "[{b}] pages are not in strictly increasing byte order"
    );
    let got: Vec<(String, Vec<u8>)> = all
        .into_iter()
        .filter(|(id, _)| id.starts_with(&format!("{tag}/")))
        .collect();
    let mut want = mine;
    want.sort();
    assert_eq!(got, want, "[{b}] this check's keys across pages");

    let from_middle = keys.data_keys_page(Some(&want[4].0), 3).await.unwrap();
    assert_eq!(
        from_middle,
        want[5..8].to_vec(),
        "[{b}] a page after a given id"
    );
    let default = keys.data_keys_page(None, 0).await.unwrap();
    assert!(!default.is_empty(), "[{b}] limit 0 returns a default page");
}

/// Each change replaces a key only when it still holds the old value; the count says
/// how many did.
pub async fn rewrapping_data_keys_is_compare_and_swap(keys: &dyn KeyStore) {
    let b = keys.backend();
    let a = unique("rewrap-a");
    let c = unique("rewrap-c");
    let missing = unique("rewrap-missing");
    keys.put_data_keys(vec![(a.clone(), wrapped(20)), (c.clone(), wrapped(21))])
        .await
        .unwrap();
    let replaced = keys
        .rewrap_data_keys(vec![
            (a.clone(), wrapped(20), wrapped(30)),
            (c.clone(), wrapped(99), wrapped(31)),
            (missing.clone(), wrapped(20), wrapped(32)),
        ])
        .await
        .unwrap();
    assert_eq!(replaced, 1, "[{b}] keys replaced");
    assert_eq!(
        keys.data_key(&a).await.unwrap(),
        Some(wrapped(30)),
        "[{b}] rewrapped"
    );
    assert_eq!(
        keys.data_key(&c).await.unwrap(),
        Some(wrapped(21)),
        "[{b}] stale old value"
    );
    assert_eq!(
        keys.data_key(&missing).await.unwrap(),
        None,
        "[{b}] no key created"
    );
    assert_eq!(
        keys.rewrap_data_keys(Vec::new()).await.unwrap(),
        0,
        "[{b}] no changes"
    );
}

pub async fn system_keys_are_inserted_once_and_rewrapped(keys: &dyn KeyStore) {
    let b = keys.backend();
    let name = unique("blind_index");
    let other = unique("audit_mac");
    let first = keys.system_key_or_insert(&name, wrapped(40)).await.unwrap();
    assert_eq!(first, wrapped(40), "[{b}] the first insert stores the key");
    let again = keys.system_key_or_insert(&name, wrapped(41)).await.unwrap();
    assert_eq!(
        again,
        wrapped(40),
        "[{b}] a second insert returns the first key"
    );
    keys.system_key_or_insert(&other, Vec::new()).await.unwrap();

    let listed: Vec<(String, Vec<u8>)> = keys
        .system_keys()
        .await
        .unwrap()
        .into_iter()
        .filter(|(n, _)| *n == name || *n == other)
        .collect();
    let mut want = vec![(name.clone(), wrapped(40)), (other.clone(), Vec::new())];
    want.sort();
    assert_eq!(listed, want, "[{b}] system keys, by name");
    let all = keys.system_keys().await.unwrap();
    assert!(
        all.windows(2).all(|w| w[0].0 < w[1].0),
        "[{b}] system_keys() is sorted by name"
    );

    assert!(
        !keys
            .rewrap_system_key(&name, wrapped(41), wrapped(42))
            .await
            .unwrap(),
        "[{b}] rewrap with a stale old value"
    );
    assert!(
        keys.rewrap_system_key(&name, wrapped(40), wrapped(42))
            .await
            .unwrap(),
        "[{b}] rewrap with the current value"
    );
    assert!(
        !keys
            .rewrap_system_key(&unique("none"), Vec::new(), wrapped(1))
            .await
            .unwrap(),
        "[{b}] rewrap of a missing key"
    );
    assert_eq!(
        keys.system_key_or_insert(&name, wrapped(43)).await.unwrap(),
        wrapped(42),
        "[{b}] the key in force after rewrapping"
    );
}

/// Instances starting together each offer a fresh key; all end up with the same one.
pub async fn concurrent_system_key_inserts_agree(keys: Arc<dyn KeyStore>) {
    let b = keys.backend();
    let name = unique("concurrent_system_key");
    let tasks_n = 8;
    let barrier = Arc::new(Barrier::new(tasks_n));
    let mut tasks = JoinSet::new();
    for i in 0..tasks_n {
        let keys = keys.clone();
        let barrier = barrier.clone();
        let name = name.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            keys.system_key_or_insert(&name, wrapped(50 + i as u8))
                .await
        });
    }
    let mut got = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        got.push(joined.expect("a task panicked").unwrap());
    }
    assert!(
        got.windows(2).all(|w| w[0] == w[1]),
        "[{b}] concurrent inserts returned different keys"
    );
}

/// Not in [`run_all`]: for a key store in files, after a key is deleted its bytes are in
/// none of `files` (the database, its WAL or journal, whichever exist), while a key
/// still stored is found in them (so the search would have seen a leftover).
pub async fn deleted_key_leaves_no_bytes_in(keys: &dyn KeyStore, files: &[PathBuf]) {
    deleted_keys_leave_no_bytes_in(keys, files, false).await;
}

/// Not in [`run_all`]: [`deleted_key_leaves_no_bytes_in`] with the keys deleted in one
/// [`KeyStore::delete_data_keys`] call.
pub async fn batch_deleted_keys_leave_no_bytes_in(keys: &dyn KeyStore, files: &[PathBuf]) {
    deleted_keys_leave_no_bytes_in(keys, files, true).await;
}

async fn deleted_keys_leave_no_bytes_in(keys: &dyn KeyStore, files: &[PathBuf], batch: bool) {
    let b = keys.backend();
    // Distinctive 72-byte keys, among enough others that pages split and move cells.
    let marker = |n: u8| -> Vec<u8> {
        let mut w = b"CUSTODIA-SECRET-MARKER-".to_vec();
        w.push(n);
        w.extend(wrapped(n).into_iter().skip(w.len()));
        w
    };
    let doomed: Vec<(String, Vec<u8>)> = (0..20u8).map(|n| (unique("doomed"), marker(n))).collect();
    let kept = (unique("kept"), marker(200));
    let filler: Vec<(String, Vec<u8>)> = (0..500u16)
        .map(|i| (unique("filler"), wrapped(i as u8)))
        .collect();
    let mut all = doomed.clone();
    all.push(kept.clone());
    all.extend(filler);
    keys.put_data_keys(all).await.unwrap();
    if batch {
        let ids: Vec<String> = doomed.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(
            keys.delete_data_keys(&ids).await.unwrap(),
            doomed.len() as u64,
            "[{b}] delete {} keys at once",
            ids.len()
        );
    } else {
        for (id, _) in &doomed {
            assert!(keys.delete_data_key(id).await.unwrap(), "[{b}] delete {id}");
        }
    }

    let contents: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|c| (p.clone(), c)))
        .collect();
    assert!(
        !contents.is_empty(),
        "[{b}] none of the key store files exist"
    );
    let found_in = |needle: &[u8]| -> Vec<PathBuf> {
        contents
            .iter()
            .filter(|(_, c)| c.windows(needle.len()).any(|w| w == needle))
            .map(|(p, _)| p.clone())
            .collect()
    };
    assert!(
        !found_in(&kept.1).is_empty(),
        "[{b}] a stored key is in none of the files: the search cannot see leftovers"
    );
    for (id, w) in &doomed {
        let found = found_in(w);
        assert!(
            found.is_empty(),
            "[{b}] the deleted key of {id} is still in {found:?}"
        );
    }
}
