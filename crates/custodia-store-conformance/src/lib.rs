//! The suite every backend passes: the same behaviour on SQLite and PostgreSQL.
//!
//! Call [`run_all`] with a fresh, empty store, and [`run_all_key_store`] with a fresh
//! key store. Each check is public so a failing one can be run alone; checks that need
//! an empty store say so, the others work relative to whatever the store already holds
//! (they use ids of their own and chain audit entries onto the current head).
//!
//! Policy versions are checked here; subjects in [`vault`], staff accounts in
//! [`staff`], consents in [`consent`], rights requests in [`rights`], retention in
//! [`retention`], breaches in [`breach`], the audit log and batch semantics in [`audit`], key stores in
//! [`keys`]; [`fixtures`] builds the values they write.

// Test support: a failed check must stop the test with a clear message.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

pub mod access_review;
pub mod audit;
pub mod breach;
pub mod consent;
pub mod fixtures;
pub mod keys;
pub mod retention;
pub mod rights;
pub mod staff;
pub mod vault;

use std::sync::Arc;

use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::{OffsetDateTime, UtcOffset};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use custodia_store::policy::{sort_documents, to_stored_instant};
use custodia_store::{
    KeyStore, NewPolicyVersion, PolicyDocument, PolicyVersion, Store, StoreError,
};

/// Runs every check, in an order that starts from the empty store.
pub async fn run_all(store: Arc<dyn Store>) {
    let s = store.as_ref();
    health_succeeds(s).await;
    audit::empty_log_has_no_head_and_no_entries(s).await;
    audit::first_entry_must_start_the_chain(s).await;

    empty_store_has_no_versions(s).await;
    first_publish_creates_number_one(s).await;
    republishing_the_same_register_returns_the_latest(s).await;
    changed_register_creates_the_next_number(s).await;
    returning_to_an_older_register_creates_a_new_version(s).await;
    old_versions_keep_their_documents_intact(s).await;
    version_without_documents_round_trips(s).await;
    effective_at_round_trips_at_microsecond_precision(s).await;
    invalid_input_is_rejected_and_nothing_is_stored(s).await;
    unknown_number_is_none(s).await;
    latest_is_the_highest_number_with_its_documents(s).await;
    concurrent_publishes_of_one_register_create_one_version(store.clone()).await;
    concurrent_publishes_of_distinct_registers_get_gapless_numbers(store.clone()).await;
    versions_are_listed_ascending_without_gaps(s).await;

    vault::run_all(s).await;
    staff::run_all(s).await;
    access_review::run_all(s).await;
    consent::run_all(s).await;
    rights::run_all(s).await;
    retention::run_all(s).await;
    breach::run_all(s).await;
    audit::run_all(store.clone()).await;
    // Last: every check above appended to the log.
    audit::log_is_gapless_and_chained(s).await;
}

/// Runs every key store check on a fresh key store.
pub async fn run_all_key_store(keys: Arc<dyn KeyStore>) {
    keys::run_all(keys.clone()).await;
    retention::run_all_key_store(keys.as_ref()).await;
}

pub async fn health_succeeds(store: &dyn Store) {
    let b = store.backend();
    assert!(
        matches!(b, "sqlite" | "postgres"),
        "backend() returned {b:?}, expected \"sqlite\" or \"postgres\""
    );
    if let Err(e) = store.health().await {
        panic!("[{b}] health() failed: {e}");
    }
}

/// Needs an empty store.
pub async fn empty_store_has_no_versions(store: &dyn Store) {
    let b = store.backend();
    assert_eq!(
        store.policy_versions().await.unwrap(),
        vec![],
        "[{b}] versions of an empty store"
    );
    assert_eq!(
        store.latest_policy_version().await.unwrap(),
        None,
        "[{b}] latest of an empty store"
    );
    assert_eq!(
        store.policy_version(1).await.unwrap(),
        None,
        "[{b}] version 1 of an empty store"
    );
}

/// Needs an empty store.
pub async fn first_publish_creates_number_one(store: &dyn Store) {
    let b = store.backend();
    let new = sample("first", datetime!(2025-01-15 09:30:00.25 UTC));
    let published = store.publish_policy_version(new.clone()).await.unwrap();
    assert!(
        published.created,
        "[{b}] the first publish must create a version"
    );
    assert_eq!(
        published.version,
        new.stored_summary(1),
        "[{b}] first publish summary"
    );
    assert_version(
        b,
        &store.policy_version(1).await.unwrap(),
        &expected(&new, 1),
    );
}

pub async fn republishing_the_same_register_returns_the_latest(store: &dyn Store) {
    let b = store.backend();
    let new = sample("republish", datetime!(2025-02-01 00:00 UTC));
    let first = store.publish_policy_version(new.clone()).await.unwrap();
    assert!(first.created, "[{b}] a new register must create a version");

    // Same register, other date and documents: still the same version, unchanged.
    let mut again = sample("republish", datetime!(2026-06-01 00:00 UTC));
    again.documents.truncate(1);
    again.documents[0].content.push_str(" changed");
    again.documents[0].sha256 = sha256_hex(&again.documents[0].content);
    let second = store.publish_policy_version(again).await.unwrap();
    assert!(
        !second.created,
        "[{b}] republishing the latest register must not create a version"
    );
    assert_eq!(
        second.version, first.version,
        "[{b}] republishing must return the existing version"
    );

    let n = first.version.number;
    assert_version(
        b,
        &store.policy_version(n).await.unwrap(),
        &expected(&new, n),
    );
    assert_eq!(
        latest_number(store).await,
        n,
        "[{b}] latest after republishing"
    );
}

pub async fn changed_register_creates_the_next_number(store: &dyn Store) {
    let b = store.backend();
    let before = latest_number(store).await;
    let new = sample("changed", datetime!(2025-03-01 12:00 +01:00));
    let published = store.publish_policy_version(new.clone()).await.unwrap();
    assert!(
        published.created,
        "[{b}] a changed register must create a version"
    );
    assert_eq!(
        published.version.number,
        before + 1,
        "[{b}] the next number after {before}"
    );
    assert_eq!(
        published.version,
        new.stored_summary(before + 1),
        "[{b}] published summary"
    );
}

/// "Unless the latest one has the same register": an older match does not count.
pub async fn returning_to_an_older_register_creates_a_new_version(store: &dyn Store) {
    let b = store.backend();
    let a = sample("revert-a", datetime!(2025-04-01 00:00 UTC));
    let c = sample("revert-b", datetime!(2025-04-02 00:00 UTC));
    let n = store
        .publish_policy_version(a.clone())
        .await
        .unwrap()
        .version
        .number;
    store.publish_policy_version(c).await.unwrap();
    let back = store.publish_policy_version(a.clone()).await.unwrap();
    assert!(
        back.created,
        "[{b}] going back to an older register must create a version"
    );
    assert_eq!(back.version.number, n + 2, "[{b}] number after going back");
    assert_version(b, &store.policy_version(n).await.unwrap(), &expected(&a, n));
    assert_version(
        b,
        &store.policy_version(n + 2).await.unwrap(),
        &expected(&a, n + 2),
    );
}

/// French accents, emoji, other scripts and a ~300 KB document survive byte for byte,
/// and stay readable after later versions are published.
pub async fn old_versions_keep_their_documents_intact(store: &dyn Store) {
    let b = store.backend();
    let mut new = sample("unicode", datetime!(2025-05-05 05:05:05.000005 UTC));
    let french = "Politique de confidentialité : vos données à caractère personnel sont \
                  traitées conformément au RGPD. Êtes-vous d'accord ? « Oui » — ça marche. 🍪🔒✅ \
                  Ελληνικά, 日本語, עברית, \u{1F600}\r\n\ttab";
    let large: String = (0..6_000)
        .map(|i| format!("<p>Ligne {i:05} : données personnelles, durée de conservation 🍪</p>\n"))
        .collect();
    assert!(
        large.len() > 300_000,
        "the large document should be over 300 KB"
    );
    new.documents.push(document("privacy", "fr", "md", french));
    new.documents
        .push(document("cookies", "fr", "html", &large));
    let n = store
        .publish_policy_version(new.clone())
        .await
        .unwrap()
        .version
        .number;

    store
        .publish_policy_version(sample("after-unicode", datetime!(2025-05-06 00:00 UTC)))
        .await
        .unwrap();

    let got = store.policy_version(n).await.unwrap();
    assert_version(b, &got, &expected(&new, n));
    let got = got.unwrap();
    let md = got
        .document("privacy", "fr", "md")
        .expect("privacy/fr/md is missing");
    assert_eq!(md.content, french, "[{b}] French markdown content");
    assert_eq!(
        md.sha256,
        sha256_hex(french),
        "[{b}] French markdown sha256"
    );
    let big = got
        .document("cookies", "fr", "html")
        .expect("cookies/fr/html is missing");
    assert!(big.content == large, "[{b}] the ~300 KB document changed");
    assert_eq!(
        got.document("cookies", "de", "html"),
        None,
        "[{b}] absent document"
    );
}

pub async fn version_without_documents_round_trips(store: &dyn Store) {
    let b = store.backend();
    let mut new = sample("no-documents", datetime!(2025-06-01 00:00 UTC));
    new.documents.clear();
    let published = store.publish_policy_version(new.clone()).await.unwrap();
    assert!(
        published.created,
        "[{b}] a version without documents must be created"
    );
    let n = published.version.number;
    assert_eq!(
        published.version.documents,
        vec![],
        "[{b}] digests of a version without documents"
    );
    assert_version(
        b,
        &store.policy_version(n).await.unwrap(),
        &expected(&new, n),
    );
}

/// Nanoseconds are truncated to microseconds and offsets normalised to UTC, identically
/// on every backend, including before 1970 and far in the future.
pub async fn effective_at_round_trips_at_microsecond_precision(store: &dyn Store) {
    let b = store.backend();
    let cases = [
        (
            datetime!(2025-07-14 14:07:14.123456789 +02:00),
            datetime!(2025-07-14 12:07:14.123456 UTC),
        ),
        (
            datetime!(2025-07-14 00:00:00.000000999 UTC),
            datetime!(2025-07-14 00:00:00 UTC),
        ),
        (
            datetime!(1970-01-01 00:00:00 UTC),
            datetime!(1970-01-01 00:00:00 UTC),
        ),
        (
            datetime!(1969-12-31 23:59:59.999999999 UTC),
            datetime!(1969-12-31 23:59:59.999999 UTC),
        ),
        (
            datetime!(2999-12-31 23:59:59.999999 -11:30),
            datetime!(3000-01-01 11:29:59.999999 UTC),
        ),
    ];
    for (i, (input, want)) in cases.into_iter().enumerate() {
        let new = sample(&format!("instant-{i}"), input);
        let published = store.publish_policy_version(new).await.unwrap();
        assert_eq!(
            to_stored_instant(input),
            want,
            "test case {i} is inconsistent"
        );
        let n = published.version.number;
        for (what, got) in [
            ("publish result", published.version.effective_at),
            (
                "policy_version",
                store.policy_version(n).await.unwrap().unwrap().effective_at,
            ),
            (
                "latest",
                store
                    .latest_policy_version()
                    .await
                    .unwrap()
                    .unwrap()
                    .effective_at,
            ),
        ] {
            assert_eq!(got, want, "[{b}] effective_at from {what}, case {i}");
            assert_eq!(
                got.offset(),
                UtcOffset::UTC,
                "[{b}] offset from {what}, case {i}"
            );
            assert_eq!(
                got.nanosecond(),
                want.nanosecond(),
                "[{b}] sub-second from {what}, case {i}"
            );
        }
        let listed = store.policy_versions().await.unwrap();
        let summary = listed.iter().find(|v| v.number == n).unwrap();
        assert_eq!(
            summary.effective_at, want,
            "[{b}] effective_at from the listing, case {i}"
        );
    }
}

pub async fn invalid_input_is_rejected_and_nothing_is_stored(store: &dyn Store) {
    let b = store.backend();
    let before = store.policy_versions().await.unwrap();

    let mut duplicate = sample("invalid-duplicate", datetime!(2025-08-01 00:00 UTC));
    let first = duplicate.documents[0].clone();
    duplicate.documents.push(first);
    let mut bad_digest = sample("invalid-digest", datetime!(2025-08-01 00:00 UTC));
    bad_digest.register_sha256 = "not-a-digest".to_owned();
    // PostgreSQL text cannot hold NUL, so no backend accepts it.
    let mut nul = sample("invalid-nul", datetime!(2025-08-01 00:00 UTC));
    nul.documents[0].content.push('\0');
    nul.documents[0].sha256 = sha256_hex(&nul.documents[0].content);

    for (what, new) in [
        ("duplicate documents", duplicate),
        ("a malformed digest", bad_digest),
        ("a NUL character", nul),
    ] {
        match store.publish_policy_version(new).await {
            Err(StoreError::Invalid { .. }) => {}
            other => panic!("[{b}] publishing {what} returned {other:?}, expected Invalid"),
        }
    }
    assert_eq!(
        store.policy_versions().await.unwrap(),
        before,
        "[{b}] a rejected publish stored something"
    );
}

pub async fn unknown_number_is_none(store: &dyn Store) {
    let b = store.backend();
    let latest = latest_number(store).await;
    for n in [0, -1, latest + 1, latest + 1000, i64::MAX, i64::MIN] {
        assert_eq!(
            store.policy_version(n).await.unwrap(),
            None,
            "[{b}] policy_version({n})"
        );
    }
}

pub async fn latest_is_the_highest_number_with_its_documents(store: &dyn Store) {
    let b = store.backend();
    let new = sample("latest", datetime!(2025-09-01 00:00 UTC));
    let n = store
        .publish_policy_version(new.clone())
        .await
        .unwrap()
        .version
        .number;
    assert_version(
        b,
        &store.latest_policy_version().await.unwrap(),
        &expected(&new, n),
    );
}

const CONCURRENT_TASKS: usize = 8;

/// Eight publishers of one new register at once: one version, everybody gets its number.
pub async fn concurrent_publishes_of_one_register_create_one_version(store: Arc<dyn Store>) {
    let b = store.backend();
    let before = latest_number(store.as_ref()).await;
    let new = sample("concurrent-same", datetime!(2025-10-01 00:00 UTC));
    let results = publish_concurrently(
        std::slice::from_ref(&store),
        vec![new.clone(); CONCURRENT_TASKS],
    )
    .await;

    let created = results.iter().filter(|p| p.created).count();
    assert_eq!(
        created, 1,
        "[{b}] {CONCURRENT_TASKS} concurrent publishes of one register created {created} versions"
    );
    for p in &results {
        assert_eq!(
            p.version,
            new.stored_summary(before + 1),
            "[{b}] concurrent publish result"
        );
    }
    assert_eq!(
        latest_number(store.as_ref()).await,
        before + 1,
        "[{b}] latest after concurrent publishes"
    );
    assert_version(
        b,
        &store.policy_version(before + 1).await.unwrap(),
        &expected(&new, before + 1),
    );
}

/// Eight publishers of different registers at once: eight versions, numbered without gaps.
pub async fn concurrent_publishes_of_distinct_registers_get_gapless_numbers(store: Arc<dyn Store>) {
    let b = store.backend();
    let before = latest_number(store.as_ref()).await;
    let news: Vec<NewPolicyVersion> = (0..CONCURRENT_TASKS)
        .map(|i| {
            sample(
                &format!("concurrent-distinct-{i}"),
                datetime!(2025-11-01 00:00 UTC),
            )
        })
        .collect();
    let results = publish_concurrently(std::slice::from_ref(&store), news.clone()).await;

    assert!(
        results.iter().all(|p| p.created),
        "[{b}] every distinct concurrent publish must create a version"
    );
    let mut numbers: Vec<i64> = results.iter().map(|p| p.version.number).collect();
    numbers.sort_unstable();
    let want: Vec<i64> = (before + 1..=before + CONCURRENT_TASKS as i64).collect();
    assert_eq!(
        numbers, want,
        "[{b}] numbers of concurrent distinct publishes"
    );
    for p in &results {
        let new = news
            .iter()
            .find(|n| n.register_sha256 == p.version.register_sha256)
            .expect("a result for a register nobody published");
        let n = p.version.number;
        assert_version(
            b,
            &store.policy_version(n).await.unwrap(),
            &expected(new, n),
        );
    }
}

/// Needs every version to have been published through these checks (or in order).
pub async fn versions_are_listed_ascending_without_gaps(store: &dyn Store) {
    let b = store.backend();
    let listed = store.policy_versions().await.unwrap();
    let numbers: Vec<i64> = listed.iter().map(|v| v.number).collect();
    let want: Vec<i64> = (1..=listed.len() as i64).collect();
    assert_eq!(numbers, want, "[{b}] listed numbers");
    for summary in &listed {
        let full = store.policy_version(summary.number).await.unwrap().unwrap();
        assert_eq!(
            *summary,
            full.summary(),
            "[{b}] listing of version {}",
            summary.number
        );
    }
}

/// Not in [`run_all`], which has one store: several stores opened on one database, as
/// several server instances would, publish the same and then distinct registers at once.
pub async fn instances_sharing_a_database_publish_safely(stores: &[Arc<dyn Store>]) {
    assert!(!stores.is_empty(), "give at least one store");
    let b = stores[0].backend();
    let before = latest_number(stores[0].as_ref()).await;

    let same = sample("instances-same", datetime!(2025-12-01 00:00 UTC));
    let results = publish_concurrently(stores, vec![same.clone(); CONCURRENT_TASKS]).await;
    let created = results.iter().filter(|p| p.created).count();
    assert_eq!(
        created, 1,
        "[{b}] instances publishing one register created {created} versions"
    );
    for p in &results {
        assert_eq!(
            p.version,
            same.stored_summary(before + 1),
            "[{b}] result across instances"
        );
    }

    let news: Vec<NewPolicyVersion> = (0..CONCURRENT_TASKS)
        .map(|i| {
            sample(
                &format!("instances-distinct-{i}"),
                datetime!(2025-12-02 00:00 UTC),
            )
        })
        .collect();
    let results = publish_concurrently(stores, news).await;
    let mut numbers: Vec<i64> = results.iter().map(|p| p.version.number).collect();
    numbers.sort_unstable();
    let want: Vec<i64> = (before + 2..=before + 1 + CONCURRENT_TASKS as i64).collect();
    assert_eq!(
        numbers, want,
        "[{b}] numbers of distinct publishes across instances"
    );
    for store in stores {
        versions_are_listed_ascending_without_gaps(store.as_ref()).await;
    }
}

/// Starts one task per version, spread over `stores`, released together by a barrier.
async fn publish_concurrently(
    stores: &[Arc<dyn Store>],
    news: Vec<NewPolicyVersion>,
) -> Vec<custodia_store::Published> {
    let barrier = Arc::new(Barrier::new(news.len()));
    let mut tasks = JoinSet::new();
    for (i, new) in news.into_iter().enumerate() {
        let store = stores[i % stores.len()].clone();
        let barrier = barrier.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            store.publish_policy_version(new).await
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("a publishing task panicked") {
            Ok(p) => results.push(p),
            Err(e) => panic!("[{}] a concurrent publish failed: {e}", stores[0].backend()),
        }
    }
    results
}

async fn latest_number(store: &dyn Store) -> i64 {
    store
        .latest_policy_version()
        .await
        .unwrap()
        .map_or(0, |v| v.number)
}

/// A realistic version whose register and documents all depend on `label`.
pub fn sample(label: &str, effective_at: OffsetDateTime) -> NewPolicyVersion {
    let register_source = format!("[controller]\nname = \"Exemple SARL ({label})\"\n");
    NewPolicyVersion {
        register_sha256: sha256_hex(&register_source),
        register_source,
        effective_at,
        documents: vec![
            document(
                "privacy",
                "en",
                "html",
                &format!("<h1>Privacy policy</h1><p>{label}</p>"),
            ),
            document(
                "privacy",
                "fr",
                "html",
                &format!("<h1>Politique de confidentialité</h1><p>{label}</p>"),
            ),
            document(
                "cookies",
                "en",
                "json",
                &format!("{{\"label\":\"{label}\"}}"),
            ),
            document(
                "privacy",
                "en",
                "md",
                &format!("# Privacy policy\n\n{label}\n"),
            ),
        ],
    }
}

fn document(kind: &str, lang: &str, format: &str, content: &str) -> PolicyDocument {
    PolicyDocument {
        kind: kind.to_owned(),
        lang: lang.to_owned(),
        format: format.to_owned(),
        sha256: sha256_hex(content),
        content: content.to_owned(),
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// `new` as a backend must return it once stored as `number`.
pub fn expected(new: &NewPolicyVersion, number: i64) -> PolicyVersion {
    let mut documents = new.documents.clone();
    sort_documents(&mut documents);
    PolicyVersion {
        number,
        register_sha256: new.register_sha256.clone(),
        register_source: new.register_source.clone(),
        effective_at: to_stored_instant(new.effective_at),
        documents,
    }
}

/// Like `assert_eq!`, without dumping 300 KB documents into the failure message.
fn assert_version(backend: &str, got: &Option<PolicyVersion>, want: &PolicyVersion) {
    let n = want.number;
    let Some(got) = got else {
        panic!("[{backend}] version {n} is missing");
    };
    assert_eq!(got.number, n, "[{backend}] number");
    assert_eq!(
        got.register_sha256, want.register_sha256,
        "[{backend}] register_sha256 of version {n}"
    );
    assert!(
        got.register_source == want.register_source,
        "[{backend}] register_source of version {n} changed"
    );
    assert_eq!(
        got.effective_at, want.effective_at,
        "[{backend}] effective_at of version {n}"
    );
    let keys = |v: &PolicyVersion| -> Vec<(String, String, String)> {
        v.documents
            .iter()
            .map(|d| (d.kind.clone(), d.lang.clone(), d.format.clone()))
            .collect()
    };
    assert_eq!(
        keys(got),
        keys(want),
        "[{backend}] documents of version {n} (kind, lang, format), in order"
    );
    for (g, w) in got.documents.iter().zip(&want.documents) {
        let key = format!("{}/{}/{}", w.kind, w.lang, w.format);
        assert_eq!(
            g.sha256, w.sha256,
            "[{backend}] sha256 of {key} in version {n}"
        );
        if g.content != w.content {
            let at = g
                .content
                .bytes()
                .zip(w.content.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(g.content.len().min(w.content.len()));
            panic!(
                "[{backend}] content of {key} in version {n} differs from byte {at} \
                 (got {} bytes, want {})",
                g.content.len(),
                w.content.len()
            );
        }
    }
}
