//! The access review: credentials' last uses, written coarsely, and reviews recorded.

use time::macros::datetime;

use super::fixtures::{apply_writes, unique};
use custodia_store::{AccessReview, CredentialUse, Store, Write};

/// Every access review check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    credential_uses_keep_the_latest(store).await;
    access_reviews_are_listed_newest_first(store).await;
    statistics_are_aggregated(store).await;
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

/// Statistics are aggregated by the database: people per purpose, ISO week and state
/// (each counted once a week however many records), requests per right and month.
pub async fn statistics_are_aggregated(store: &dyn Store) {
    use crate::consent::{Owner, consent};
    let b = store.backend();
    let purpose = unique("stat-purpose");
    let (v1, v2, v3) = (unique("v"), unique("v"), unique("v"));
    let at = |r: custodia_store::ConsentRecord, t| custodia_store::ConsentRecord {
        recorded_at: t,
        ..r
    };
    let c = |owner: &str, state: &str, t| {
        at(
            consent(&unique("c"), Owner::Visitor(owner), &purpose, state),
            t,
        )
    };
    apply_writes(
        store,
        vec![
            // Before the window.
            Write::RecordConsent(c(&v1, "given", datetime!(2031-02-20 10:00 UTC))),
            // Week of Monday 3 March 2031: v1 twice, v2 on the Sunday night.
            Write::RecordConsent(c(&v1, "given", datetime!(2031-03-03 00:00 UTC))),
            Write::RecordConsent(c(&v1, "given", datetime!(2031-03-05 12:00 UTC))),
            Write::RecordConsent(c(&v2, "given", datetime!(2031-03-09 23:59:59.999999 UTC))),
            // The next week.
            Write::RecordConsent(c(&v3, "refused", datetime!(2031-03-10 00:00 UTC))),
            Write::RecordConsent(c(&v1, "withdrawn", datetime!(2031-03-11 08:00 +02:00))),
        ],
        "recording consents for statistics",
    )
    .await;
    let since = datetime!(2031-03-01 00:00 UTC);
    let tallies: Vec<_> = store
        .consent_tallies(since)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.purpose == purpose)
        .map(|t| (t.week_start, t.state, t.people))
        .collect();
    let (w1, w2) = (
        time::macros::date!(2031 - 03 - 03),
        time::macros::date!(2031 - 03 - 10),
    );
    assert_eq!(
        tallies,
        vec![
            (w1, "given".to_owned(), 2),
            (w2, "refused".to_owned(), 1),
            (w2, "withdrawn".to_owned(), 1),
        ],
        "[{b}] people per ISO week and state"
    );

    // Banner choices after the other checks' records: counted relative to them.
    let before = store.banner_tallies(since).await.unwrap();
    let choice = |visitor: &str, states: &[(&str, &str)], t| {
        states
            .iter()
            .map(|(p, state)| {
                let mut r = consent(&unique("c"), Owner::Visitor(visitor), p, state);
                r.recorded_at = t;
                Write::RecordConsent(r)
            })
            .collect::<Vec<_>>()
    };
    let t1 = datetime!(2031-03-04 10:00 UTC);
    let t2 = datetime!(2031-03-04 10:00:01 UTC);
    let mut writes = choice(&v1, &[("a", "given"), ("b", "given")], t1);
    writes.extend(choice(&v1, &[("a", "given"), ("b", "refused")], t2));
    writes.extend(choice(&v2, &[("a", "refused"), ("b", "refused")], t1));
    writes.extend(choice(&v3, &[("a", "given"), ("b", "given")], t1));
    apply_writes(store, writes, "recording banner choices").await;
    let after = store.banner_tallies(since).await.unwrap();
    let count = |t: &[custodia_store::BannerTally], o: &str| {
        t.iter().find(|x| x.outcome == o).map_or(0, |x| x.choices)
    };
    // The records of the first block (one purpose each) were whole choices too.
    assert_eq!(
        (
            count(&after, "all_accepted") - count(&before, "all_accepted"),
            count(&after, "some") - count(&before, "some"),
            count(&after, "all_refused") - count(&before, "all_refused"),
        ),
        (2, 1, 1),
        "[{b}] banner choices by outcome: {after:?}"
    );

    let right = unique("stat-right");
    let req = |t, due, closed: Option<time::OffsetDateTime>, status: &str| {
        let mut r = crate::rights::request(&unique("r"), crate::fixtures::digest(&unique("e")));
        r.kind = right.clone();
        r.received_at = t;
        r.updated_at = t;
        r.due_at = due;
        r.closed_at = closed;
        r.status = status.to_owned();
        Write::PutRightsRequest {
            row: r,
            expected_version: None,
        }
    };
    apply_writes(
        store,
        vec![
            req(
                datetime!(2031-03-05 10:00 UTC),
                datetime!(2031-04-07 23:59:59.999999 UTC),
                Some(datetime!(2031-03-20 10:00 UTC)),
                "completed",
            ),
            req(
                datetime!(2031-03-31 23:00 UTC),
                datetime!(2031-04-30 23:59:59.999999 UTC),
                Some(datetime!(2031-05-02 10:00 UTC)),
                "completed",
            ),
            req(
                datetime!(2031-04-01 00:00 UTC),
                datetime!(2031-05-02 23:59:59.999999 UTC),
                None,
                "received",
            ),
        ],
        "recording requests for statistics",
    )
    .await;
    let tallies: Vec<_> = store
        .request_tallies(since)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.right == right)
        .map(|t| (t.month, t.received, t.completed, t.on_time))
        .collect();
    assert_eq!(
        tallies,
        vec![
            ("2031-03".to_owned(), 2, 2, 1),
            ("2031-04".to_owned(), 1, 0, 0)
        ],
        "[{b}] requests per right and month, on time when closed by the deadline"
    );
}
