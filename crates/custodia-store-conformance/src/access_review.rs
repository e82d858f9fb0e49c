//! The access review: credentials' last uses, written coarsely, and reviews recorded.

use time::macros::datetime;

use super::fixtures::{apply_writes, unique};
use custodia_store::{AccessReview, CredentialUse, Store, Write};

/// Every access review check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    credential_uses_keep_the_latest(store).await;
    access_reviews_are_listed_newest_first(store).await;
}

fn used(principal: &str, at: time::OffsetDateTime) -> CredentialUse {
    CredentialUse {
        principal: principal.to_owned(),
        at,
    }
}

pub async fn credential_uses_keep_the_latest(store: &dyn Store) {
    let b = store.backend();
    let (key, user) = (unique("apikey:k"), unique("user:u"));
    let day1 = datetime!(2025-03-01 00:00:00 UTC);
    let day2 = datetime!(2025-03-02 00:00:00 UTC);
    // Two uses of one key in one write (a flush may carry both), one of a user.
    apply_writes(
        store,
        vec![Write::TouchCredentials(vec![
            used(&key, day2),
            used(&key, day1),
            used(&user, day1),
        ])],
        "recording credential uses",
    )
    .await;
    // An older use written later (another instance's late flush) changes nothing.
    apply_writes(
        store,
        vec![Write::TouchCredentials(vec![used(&key, day1)])],
        "recording an older use",
    )
    .await;
    let uses = store.credential_uses().await.unwrap();
    let find = |p: &str| uses.iter().find(|u| u.principal == p).map(|u| u.at);
    assert_eq!(find(&key), Some(day2), "[{b}] the latest use is kept");
    assert_eq!(find(&user), Some(day1), "[{b}] a user's sign-in is kept");
    let later = datetime!(2025-04-01 00:00:00.000001 UTC);
    apply_writes(
        store,
        vec![Write::TouchCredentials(vec![used(&user, later)])],
        "recording a later use",
    )
    .await;
    let uses = store.credential_uses().await.unwrap();
    assert_eq!(
        uses.iter().find(|u| u.principal == user).map(|u| u.at),
        Some(later),
        "[{b}] a later use replaces the earlier one, to the microsecond"
    );
    assert!(
        uses.windows(2).all(|w| w[0].principal < w[1].principal),
        "[{b}] uses are listed by principal, once each"
    );
}

pub async fn access_reviews_are_listed_newest_first(store: &dyn Store) {
    let b = store.backend();
    let tag = unique("review");
    let review = |n: u8, at| AccessReview {
        id: format!("{tag}-{n}"),
        reviewed_by: "user:dpo".to_owned(),
        reviewed_at: at,
        notes: format!("disabled {n} accounts; révoqué une clé"),
    };
    let older = review(1, datetime!(2025-01-02 10:00:00 UTC));
    let newer = review(2, datetime!(2025-04-02 10:00:00.5 UTC));
    apply_writes(
        store,
        vec![
            Write::RecordAccessReview(older.clone()),
            Write::RecordAccessReview(newer.clone()),
        ],
        "recording access reviews",
    )
    .await;
    let listed: Vec<_> = store
        .access_reviews()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.id.starts_with(&tag))
        .collect();
    assert_eq!(listed, vec![newer, older], "[{b}] reviews newest first");
    let all = store.access_reviews().await.unwrap();
    assert!(
        all.windows(2).all(|w| w[0].reviewed_at >= w[1].reviewed_at),
        "[{b}] every review newest first"
    );
}
