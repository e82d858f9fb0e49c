//! The breach register: breaches inserted and replaced under optimistic versions,
//! their timelines appended in the same write, listed by awareness time.

use time::Duration;
use time::macros::datetime;

use super::fixtures::{apply_invalid, apply_version_conflict, apply_writes, unique};
use custodia_store::{Batch, BreachEvent, BreachRow, Store, Write};

/// Every breach check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    breaches_round_trip_with_their_timeline(store).await;
    a_stale_version_or_a_taken_id_writes_nothing(store).await;
    invalid_breach_writes_are_refused(store).await;
}

pub fn breach(id: &str, aware_at: time::OffsetDateTime) -> BreachRow {
    BreachRow {
        id: id.to_owned(),
        version: 1,
        aware_at,
        recorded_at: aware_at + Duration::hours(2),
        updated_at: aware_at + Duration::hours(2),
        authority_decided_at: None,
        closed_at: None,
        body: r#"{"description":"laptop stolen from a car","nature":["confidentiality"]}"#
            .to_owned(),
    }
}

pub fn event(breach_id: &str, seq: i64, kind: &str) -> BreachEvent {
    BreachEvent {
        breach_id: breach_id.to_owned(),
        seq,
        at: datetime!(2026-05-04 09:00:00.000001 UTC) + Duration::minutes(seq),
        principal: "user:dpo".to_owned(),
        kind: kind.to_owned(),
        detail: r#"{"note":"é ✓"}"#.to_owned(),
    }
}

fn put(row: BreachRow, expected_version: Option<i64>, events: Vec<BreachEvent>) -> Write {
    Write::PutBreach {
        row,
        expected_version,
        events,
    }
}

fn one(write: Write) -> Batch {
    Batch {
        writes: vec![write],
        audit: Vec::new(),
    }
}

pub async fn breaches_round_trip_with_their_timeline(store: &dyn Store) {
    let b = store.backend();
    let t = datetime!(2026-05-04 08:30:00.123456 UTC);
    let first = breach(&unique("breach-a"), t);
    let earlier = breach(&unique("breach-b"), t - Duration::days(3));
    apply_writes(
        store,
        vec![
            put(first.clone(), None, vec![event(&first.id, 1, "recorded")]),
            put(
                earlier.clone(),
                None,
                vec![event(&earlier.id, 1, "recorded")],
            ),
        ],
        "record two breaches",
    )
    .await;
    assert_eq!(
        store.breach(&first.id).await.unwrap(),
        Some(first.clone()),
        "[{b}] a breach reads back as written, at microsecond precision"
    );
    let listed: Vec<String> = store
        .breaches()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.id == first.id || r.id == earlier.id)
        .map(|r| r.id)
        .collect();
    assert_eq!(
        listed,
        vec![earlier.id.clone(), first.id.clone()],
        "[{b}] breaches by awareness time"
    );

    let decided = BreachRow {
        version: 2,
        updated_at: t + Duration::hours(30),
        authority_decided_at: Some(t + Duration::hours(30)),
        closed_at: Some(t + Duration::days(10)),
        body: r#"{"description":"laptop stolen","authority":{"notified":true}}"#.to_owned(),
        ..first.clone()
    };
    apply_writes(
        store,
        vec![put(
            decided.clone(),
            Some(1),
            vec![
                event(&first.id, 2, "authority"),
                event(&first.id, 3, "closed"),
            ],
        )],
        "record a decision",
    )
    .await;
    assert_eq!(
        store.breach(&first.id).await.unwrap(),
        Some(decided),
        "[{b}] an update replaces the breach"
    );
    let kinds: Vec<(i64, String)> = store
        .breach_events(&first.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, "recorded".to_owned()),
            (2, "authority".to_owned()),
            (3, "closed".to_owned())
        ],
        "[{b}] the timeline by number"
    );
    assert_eq!(
        store.breach_events(&first.id).await.unwrap()[0],
        event(&first.id, 1, "recorded"),
        "[{b}] an event reads back as written"
    );
    assert_eq!(store.breach("no-such-breach").await.unwrap(), None);
    assert!(
        store
            .breach_events("no-such-breach")
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_stale_version_or_a_taken_id_writes_nothing(store: &dyn Store) {
    let b = store.backend();
    let row = breach(&unique("breach-race"), datetime!(2026-05-01 00:00 UTC));
    apply_writes(
        store,
        vec![put(row.clone(), None, vec![event(&row.id, 1, "recorded")])],
        "record a breach",
    )
    .await;
    apply_version_conflict(
        store,
        one(put(row.clone(), None, vec![event(&row.id, 9, "recorded")])),
        "record a breach whose id is taken",
    )
    .await;
    let winner = BreachRow {
        version: 2,
        body: r#"{"winner":true}"#.to_owned(),
        ..row.clone()
    };
    apply_writes(
        store,
        vec![put(
            winner.clone(),
            Some(1),
            vec![event(&row.id, 2, "updated")],
        )],
        "update a breach",
    )
    .await;
    apply_version_conflict(
        store,
        one(put(
            BreachRow {
                body: r#"{"loser":true}"#.to_owned(),
                ..winner.clone()
            },
            Some(1),
            vec![event(&row.id, 3, "updated")],
        )),
        "update from a stale version",
    )
    .await;
    // Right version, but an event number already taken: the row does not move either.
    apply_version_conflict(
        store,
        one(put(
            BreachRow {
                version: 3,
                body: r#"{"loser":true}"#.to_owned(),
                ..winner.clone()
            },
            Some(2),
            vec![event(&row.id, 2, "updated")],
        )),
        "add an event whose number is taken",
    )
    .await;
    assert_eq!(
        store.breach(&row.id).await.unwrap(),
        Some(winner),
        "[{b}] a lost race changes nothing"
    );
    assert_eq!(
        store.breach_events(&row.id).await.unwrap().len(),
        2,
        "[{b}] a lost race adds no event"
    );
    apply_version_conflict(
        store,
        one(put(
            BreachRow {
                version: 2,
                ..breach(&unique("breach-missing"), datetime!(2026-05-01 00:00 UTC))
            },
            Some(1),
            Vec::new(),
        )),
        "update a breach that does not exist",
    )
    .await;
}

pub async fn invalid_breach_writes_are_refused(store: &dyn Store) {
    let t = datetime!(2026-05-01 00:00 UTC);
    let id = unique("breach-bad");
    let cases = [
        (put(breach("", t), None, Vec::new()), "an empty id"),
        (
            put(
                BreachRow {
                    body: "nul\0".to_owned(),
                    ..breach(&id, t)
                },
                None,
                Vec::new(),
            ),
            "a body holding NUL",
        ),
        (
            put(
                BreachRow {
                    version: 3,
                    ..breach(&id, t)
                },
                Some(1),
                Vec::new(),
            ),
            "a version that skips one",
        ),
        (
            put(breach(&id, t), None, vec![event("another", 1, "recorded")]),
            "an event of another breach",
        ),
        (
            put(breach(&id, t), None, vec![event(&id, 0, "recorded")]),
            "an event numbered 0",
        ),
    ];
    for (write, what) in cases {
        apply_invalid(store, one(write), what).await;
    }
    assert_eq!(store.breach(&id).await.unwrap(), None);
}
