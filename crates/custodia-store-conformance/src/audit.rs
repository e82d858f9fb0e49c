//! The audit log: the head, appends that must continue it exactly, filters, and
//! concurrent writers that must never fork the chain.

use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use super::fixtures::{
    Event, ZERO_HASH, apply_head_moved, apply_invalid, apply_ok, chain, chained_batch,
    create_subject, expected_entry, unique,
};
use custodia_store::{AuditEntry, AuditFilter, Batch, Store, StoreError};

/// Every audit check that works on a store that is not empty.
pub async fn run_all(store: Arc<dyn Store>) {
    let s = store.as_ref();
    entries_round_trip_exactly(s).await;
    stale_heads_are_refused_and_nothing_is_written(s).await;
    a_batch_must_chain_its_own_entries(s).await;
    filters_select_and_page(s).await;
    limit_zero_means_a_thousand(s).await;
    concurrent_appends_never_fork_the_chain(std::slice::from_ref(&store)).await;
    log_is_gapless_and_chained(s).await;
    entries_are_listed_by_chain(s).await;
}

/// Entries written by one writer are in chain 0: a chain filter of 0 lists them, any
/// other chain lists nothing, and both combine with paging.
pub async fn entries_are_listed_by_chain(store: &dyn Store) {
    let b = store.backend();
    let batch = chained_batch(
        store,
        Vec::new(),
        vec![Event::new("subject.read", datetime!(2031-05-01 00:00 UTC))],
    )
    .await;
    let written = batch.audit[0].clone();
    apply_ok(store, batch, "one audit entry").await;
    let listed = |chain| AuditFilter {
        after_seq: Some(written.seq - 1),
        chain: Some(chain),
        limit: 10,
        ..Default::default()
    };
    let in_first = store.audit_entries(&listed(0)).await.unwrap();
    assert_eq!(
        in_first
            .iter()
            .map(|e| (e.seq, e.chain))
            .collect::<Vec<_>>(),
        vec![(written.seq, 0)],
        "[{b}] chain 0 after {}",
        written.seq - 1
    );
    assert_eq!(
        store.audit_entries(&listed(7)).await.unwrap(),
        vec![],
        "[{b}] a chain nobody wrote"
    );
}

/// Needs an empty store.
pub async fn empty_log_has_no_head_and_no_entries(store: &dyn Store) {
    let b = store.backend();
    assert_eq!(
        store.audit_head().await.unwrap(),
        None,
        "[{b}] head of an empty log"
    );
    assert_eq!(
        store.audit_entries(&AuditFilter::default()).await.unwrap(),
        vec![],
        "[{b}] entries of an empty log"
    );
}

/// Needs an empty log: the first entry is number 1 and continues the zero hash.
pub async fn first_entry_must_start_the_chain(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-01-01 00:00 UTC);
    let good = chain(None, vec![Event::new("store.init", at)]);
    assert_eq!(good[0].seq, 1);
    assert_eq!(good[0].prev_hash, ZERO_HASH);

    let mut at_two = good.clone();
    at_two[0].seq = 2;
    let mut wrong_prev = good.clone();
    wrong_prev[0].prev_hash = "1".repeat(64);
    for (what, audit) in [
        ("starting at 2", at_two),
        ("not continuing the zero hash", wrong_prev),
    ] {
        let subject = unique("first-entry");
        apply_head_moved(
            store,
            Batch {
                writes: vec![create_subject(&subject, at)],
                audit,
            },
            &format!("a first entry {what}"),
        )
        .await;
        assert_eq!(
            store.subject(&subject).await.unwrap(),
            None,
            "[{b}] a batch refused for its audit head ({what}) stored its writes"
        );
    }
    assert_eq!(
        store.audit_head().await.unwrap(),
        None,
        "[{b}] head after refusals"
    );

    apply_ok(
        store,
        Batch {
            writes: Vec::new(),
            audit: good.clone(),
        },
        "the first entry",
    )
    .await;
    assert_eq!(
        store.audit_head().await.unwrap(),
        Some((1, good[0].hash.clone())),
        "[{b}] head after the first entry"
    );
}

/// Unicode, empty and absent values, several categories, instants with nanoseconds and
/// before 1970: entries come back as written, at microsecond precision.
pub async fn entries_round_trip_exactly(store: &dyn Store) {
    let b = store.backend();
    let subject = unique("audited");
    let mut full = Event::new(
        "subject.read",
        datetime!(2025-01-02 03:04:05.678901234 +05:30),
    )
    .by("user:dpo-é")
    .about(&subject);
    full.categories = vec![
        "email".to_owned(),
        "données_santé".to_owned(),
        "".to_owned(),
        "\"quoted\" \\ [brackets], {braces}".to_owned(),
    ];
    full.purpose = Some("contrat_👍".to_owned());
    full.outcome = "denied".to_owned();
    full.detail = Some("rôle: auditeur\nligne 2\ttab".to_owned());
    let mut bare = Event::new("auth.login", datetime!(1969-12-31 23:59:59.9999999 UTC));
    bare.principal = "anonymous".to_owned();
    bare.outcome = "unauthenticated".to_owned();
    let batch = chained_batch(store, Vec::new(), vec![full, bare]).await;
    let written = batch.audit.clone();
    apply_ok(store, batch, "two audit entries").await;

    let got = store
        .audit_entries(&AuditFilter {
            after_seq: Some(written[0].seq - 1),
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    let want: Vec<AuditEntry> = written.iter().map(expected_entry).collect();
    assert_eq!(got, want, "[{b}] audit entries read back");
    assert_eq!(
        got[1].at,
        datetime!(1969-12-31 23:59:59.999999 UTC),
        "[{b}] an instant before 1970 is truncated, not rounded"
    );
    let last = written.last().unwrap();
    assert_eq!(
        store.audit_head().await.unwrap(),
        Some((last.seq, last.hash.clone())),
        "[{b}] head after appending"
    );
}

/// A batch whose first entry does not continue the head (stale `prev_hash`, a `seq`
/// gap, a `seq` already taken) fails with AuditHeadMoved and writes nothing.
pub async fn stale_heads_are_refused_and_nothing_is_written(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-01-03 00:00 UTC);
    let (seq, hash) = store.audit_head().await.unwrap().unwrap();
    let events = || {
        vec![
            Event::new("subject.create", at),
            Event::new("subject.create", at),
        ]
    };
    let stale_prev = chain(Some((seq, "a".repeat(64))), events());
    let gap = chain(Some((seq + 1, hash.clone())), events());
    let repeat = chain(Some((seq - 1, hash.clone())), events());
    for (what, audit) in [
        ("a stale prev_hash", stale_prev),
        ("a seq gap", gap),
        ("a seq already taken", repeat),
    ] {
        let subject = unique("stale");
        apply_head_moved(
            store,
            Batch {
                writes: vec![create_subject(&subject, at)],
                audit,
            },
            &format!("a batch with {what}"),
        )
        .await;
        assert_eq!(
            store.subject(&subject).await.unwrap(),
            None,
            "[{b}] a batch with {what} stored its writes"
        );
        assert_eq!(
            store.audit_head().await.unwrap(),
            Some((seq, hash.clone())),
            "[{b}] a batch with {what} moved the head"
        );
    }
}

/// The entries of one batch must be consecutive and chained, with hex digests; else the
/// batch is Invalid (a caller bug, not a race).
pub async fn a_batch_must_chain_its_own_entries(store: &dyn Store) {
    let at = datetime!(2025-01-04 00:00 UTC);
    let head = store.audit_head().await.unwrap();
    let events = || {
        vec![
            Event::new("a", at),
            Event::new("b", at),
            Event::new("c", at),
        ]
    };
    let mut skip = chain(head.clone(), events());
    skip[2].seq += 1;
    let mut broken = chain(head.clone(), events());
    broken[1].prev_hash = "b".repeat(64);
    let mut upper = chain(head.clone(), events());
    upper[2].hash = upper[2].hash.to_uppercase();
    let mut short = chain(head.clone(), events());
    short[0].hash = "abc".to_owned();
    let mut nul = chain(head.clone(), events());
    nul[1].detail = Some("nul\0".to_owned());
    for (what, audit) in [
        ("a seq gap inside the batch", skip),
        ("a broken link inside the batch", broken),
        ("an uppercase hash", upper),
        ("a short hash", short),
        ("a NUL in a detail", nul),
    ] {
        apply_invalid(
            store,
            Batch {
                writes: Vec::new(),
                audit,
            },
            what,
        )
        .await;
    }
    assert_eq!(
        store.audit_head().await.unwrap(),
        head,
        "[{}] an invalid batch moved the head",
        store.backend()
    );
}

/// Each bound alone and combined: subject, principal, action, from (inclusive), to (exclusive),
/// after_seq, limit. Uses instants in 2031, which no other check writes.
pub async fn filters_select_and_page(store: &dyn Store) {
    let b = store.backend();
    let s1 = unique("filter-subject");
    let s2 = unique("filter-subject");
    let alice = format!("user:{}", unique("alice"));
    let bob = format!("apikey:{}", unique("bob"));
    let t = |h: u8| -> OffsetDateTime {
        datetime!(2031-01-01 00:00 UTC) + time::Duration::hours(i64::from(h))
    };
    let events = vec![
        Event::new("subject.read", t(0)).by(&alice).about(&s1),
        Event::new("subject.read", t(1)).by(&bob).about(&s1),
        Event::new("subject.update", t(2)).by(&alice).about(&s2),
        Event::new("auth.login", t(3)).by(&alice),
        Event::new("subject.read", t(4)).by(&bob).about(&s2),
        Event::new("subject.erase", t(5)).by(&alice).about(&s1),
    ];
    let batch = chained_batch(store, Vec::new(), events).await;
    let e = batch.audit.clone();
    apply_ok(store, batch, "entries to filter").await;
    let first = e[0].seq;

    let pick =
        |idx: &[usize]| -> Vec<AuditEntry> { idx.iter().map(|&i| expected_entry(&e[i])).collect() };
    let cases: Vec<(&str, AuditFilter, Vec<AuditEntry>)> = vec![
        (
            "subject",
            AuditFilter {
                subject_ref: Some(s1.clone()),
                ..Default::default()
            },
            pick(&[0, 1, 5]),
        ),
        (
            "principal",
            AuditFilter {
                principal: Some(alice.clone()),
                ..Default::default()
            },
            pick(&[0, 2, 3, 5]),
        ),
        (
            "subject and principal",
            AuditFilter {
                subject_ref: Some(s2.clone()),
                principal: Some(bob.clone()),
                ..Default::default()
            },
            pick(&[4]),
        ),
        (
            "from (inclusive) and to (exclusive)",
            AuditFilter {
                from: Some(t(1)),
                to: Some(t(4)),
                ..Default::default()
            },
            pick(&[1, 2, 3]),
        ),
        (
            "action within a time range",
            AuditFilter {
                action: Some("subject.read".to_owned()),
                from: Some(t(0)),
                to: Some(t(6)),
                ..Default::default()
            },
            pick(&[0, 1, 4]),
        ),
        (
            "action and principal",
            AuditFilter {
                action: Some("subject.read".to_owned()),
                principal: Some(alice.clone()),
                ..Default::default()
            },
            pick(&[0]),
        ),
        (
            "action and subject",
            AuditFilter {
                action: Some("subject.erase".to_owned()),
                subject_ref: Some(s1.clone()),
                ..Default::default()
            },
            pick(&[5]),
        ),
        (
            "an action with NUL",
            AuditFilter {
                action: Some("subject.read\0".to_owned()),
                ..Default::default()
            },
            vec![],
        ),
        (
            "from alone",
            AuditFilter {
                from: Some(t(4)),
                ..Default::default()
            },
            pick(&[4, 5]),
        ),
        (
            "to alone, with after_seq",
            AuditFilter {
                to: Some(t(2)),
                after_seq: Some(first - 1),
                ..Default::default()
            },
            pick(&[0, 1]),
        ),
        (
            "from with an offset and nanoseconds",
            AuditFilter {
                from: Some(datetime!(2031-01-01 04:00:00.000000999 +02:00)),
                to: Some(t(5)),
                ..Default::default()
            },
            pick(&[2, 3, 4]),
        ),
        (
            "after_seq",
            AuditFilter {
                principal: Some(alice.clone()),
                after_seq: Some(e[2].seq),
                ..Default::default()
            },
            pick(&[3, 5]),
        ),
        (
            "limit",
            AuditFilter {
                principal: Some(alice.clone()),
                limit: 2,
                ..Default::default()
            },
            pick(&[0, 2]),
        ),
        (
            "every bound",
            AuditFilter {
                subject_ref: Some(s1.clone()),
                principal: Some(alice.clone()),
                action: Some("subject.erase".to_owned()),
                from: Some(t(0)),
                to: Some(t(6)),
                after_seq: Some(first),
                chain: None,
                limit: 1,
                newest_first: false,
            },
            pick(&[5]),
        ),
        (
            "an empty time range",
            AuditFilter {
                from: Some(t(3)),
                to: Some(t(3)),
                ..Default::default()
            },
            vec![],
        ),
        (
            "an unknown subject",
            AuditFilter {
                subject_ref: Some(unique("nobody")),
                ..Default::default()
            },
            vec![],
        ),
        (
            "a subject with NUL",
            AuditFilter {
                subject_ref: Some("nul\0".to_owned()),
                ..Default::default()
            },
            vec![],
        ),
        (
            "after the last entry",
            AuditFilter {
                principal: Some(alice.clone()),
                after_seq: Some(e[5].seq),
                ..Default::default()
            },
            vec![],
        ),
    ];
    for (what, filter, want) in cases {
        assert_eq!(
            store.audit_entries(&filter).await.unwrap(),
            want,
            "[{b}] audit entries filtered by {what}"
        );
    }

    // Paging by after_seq and limit visits every entry once.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .audit_entries(&AuditFilter {
                principal: Some(alice.clone()),
                after_seq: after,
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        seen.extend(page);
    }
    assert_eq!(
        seen,
        pick(&[0, 2, 3, 5]),
        "[{b}] paging one entry at a time"
    );
}

/// `limit: 0` returns at most 1000 entries; a larger limit more.
pub async fn limit_zero_means_a_thousand(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-01-05 00:00 UTC);
    let principal = format!("apikey:{}", unique("many"));
    let events = (0..1_100)
        .map(|_| Event::new("subject.read", at).by(&principal))
        .collect();
    let batch = chained_batch(store, Vec::new(), events).await;
    let first = batch.audit[0].seq;
    apply_ok(store, batch, "1100 audit entries").await;
    let filter = |limit| AuditFilter {
        principal: Some(principal.clone()),
        limit,
        ..Default::default()
    };
    let got = store.audit_entries(&filter(0)).await.unwrap();
    assert_eq!(got.len(), 1000, "[{b}] entries with limit 0");
    assert_eq!(got[0].seq, first, "[{b}] limit 0 starts at the oldest");
    assert_eq!(
        store.audit_entries(&filter(5000)).await.unwrap().len(),
        1100,
        "[{b}] entries with limit 5000"
    );
}

const WRITERS: usize = 8;
const APPENDS_PER_WRITER: usize = 6;
const MAX_RETRIES: usize = 2_000;

/// Writers on one or several stores (instances) sharing a database append at once, each
/// re-chaining and retrying on AuditHeadMoved (or Conflict), as the engine does. Every
/// batch also creates a subject, which must land exactly when its entries do. Then the
/// log has no gap and no fork, and holds each writer's entries once.
pub async fn concurrent_appends_never_fork_the_chain(stores: &[Arc<dyn Store>]) {
    assert!(!stores.is_empty(), "give at least one store");
    let b = stores[0].backend();
    let tag = unique("concurrent");
    let at = datetime!(2030-06-01 00:00 UTC);
    let barrier = Arc::new(Barrier::new(WRITERS));
    let mut tasks = JoinSet::new();
    for w in 0..WRITERS {
        let store = stores[w % stores.len()].clone();
        let barrier = barrier.clone();
        let principal = format!("system:{tag}:{w}");
        tasks.spawn(async move {
            barrier.wait().await;
            let mut subjects = Vec::new();
            let mut refused = 0;
            for k in 0..APPENDS_PER_WRITER {
                let subject = format!("{principal}:{k}");
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    let batch = chained_batch(
                        store.as_ref(),
                        vec![create_subject(&subject, at)],
                        vec![
                            Event::new("subject.create", at)
                                .by(&principal)
                                .about(&subject),
                            Event::new("subject.index", at)
                                .by(&principal)
                                .about(&subject),
                        ],
                    )
                    .await;
                    match store.apply(batch).await {
                        Ok(()) => break,
                        Err(StoreError::AuditHeadMoved | StoreError::Conflict { .. })
                            if attempts < MAX_RETRIES =>
                        {
                            refused += 1;
                            tokio::task::yield_now().await;
                        }
                        Err(e) => panic!("[{}] a concurrent append failed: {e}", store.backend()),
                    }
                }
                subjects.push(subject);
            }
            (principal, subjects, refused)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined.expect("an appending task panicked"));
    }

    let store = stores[0].as_ref();
    for (principal, subjects, _) in &results {
        let entries = store
            .audit_entries(&AuditFilter {
                principal: Some(principal.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        let refs: Vec<String> = entries
            .iter()
            .filter(|e| e.action == "subject.create")
            .filter_map(|e| e.subject_ref.clone())
            .collect();
        assert_eq!(
            &refs, subjects,
            "[{b}] entries of {principal}: each append once, in order"
        );
        assert_eq!(
            entries.len(),
            2 * APPENDS_PER_WRITER,
            "[{b}] entry count of {principal}"
        );
        for pair in entries.chunks(2) {
            assert_eq!(
                pair[1].seq,
                pair[0].seq + 1,
                "[{b}] the entries of one batch are adjacent"
            );
        }
        for s in subjects {
            assert!(
                store.subject(s).await.unwrap().is_some(),
                "[{b}] the subject of a successful append is missing"
            );
        }
    }
    log_is_gapless_and_chained(store).await;
}

/// The whole log: seq 1, 2, 3... and each `prev_hash` the hash before it (the first, 64
/// zeros), read in pages; the head is the last entry.
pub async fn log_is_gapless_and_chained(store: &dyn Store) {
    let b = store.backend();
    let mut expected_seq = 1;
    let mut prev = ZERO_HASH.to_owned();
    let mut after = None;
    loop {
        let page = store
            .audit_entries(&AuditFilter {
                after_seq: after,
                limit: 500,
                ..Default::default()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        for e in page {
            assert_eq!(e.seq, expected_seq, "[{b}] the audit log has a gap");
            assert_eq!(
                e.prev_hash, prev,
                "[{b}] entry {} does not continue the one before (fork)",
                e.seq
            );
            expected_seq += 1;
            prev = e.hash;
        }
    }
    let head = store.audit_head().await.unwrap();
    if expected_seq == 1 {
        assert_eq!(head, None, "[{b}] head of an empty log");
    } else {
        assert_eq!(
            head,
            Some((expected_seq - 1, prev)),
            "[{b}] head is the last entry"
        );
    }
}

/// A log of `entries` more entries, longer than a backend's units of bulk work (SQLite
/// indexes entries every few thousand): reading by subject, by principal or by time,
/// alone page by page and together with the other filters, finds exactly the entries a
/// scan of what was written finds. Not in [`run_all`]: called with a length suited to
/// the backend. Returns the entries written, as the store returns them.
pub async fn long_log_filtered_reads_agree(store: &dyn Store, entries: usize) -> Vec<AuditEntry> {
    const PER_BATCH: usize = 250;
    let b = store.backend();
    let subjects: Vec<String> = (0..5).map(|i| unique(&format!("long-log-{i}"))).collect();
    let principals = [unique("long-log-a"), unique("long-log-b")];
    let (early_action, steady_action) = (unique("long-log.early"), unique("long-log.steady"));
    // A year no other check writes, one second per entry after those already there, so
    // that reading by time alone finds this call's entries only.
    let head = store.audit_head().await.unwrap().map_or(0, |(seq, _)| seq);
    let start = datetime!(2047-01-01 00:00 UTC) + time::Duration::seconds(head);
    let at = |i: usize| start + time::Duration::seconds(i64::try_from(i).unwrap());
    let mut written: Vec<AuditEntry> = Vec::with_capacity(entries);
    for first in (0..entries).step_by(PER_BATCH) {
        let events = (first..entries.min(first + PER_BATCH))
            .map(|i| {
                // Two actions of this call only: one in the first half of the log (so
                // indexed, on SQLite, by the time it is read), one throughout.
                let action = if i % 11 == 0 && i < entries / 2 {
                    early_action.as_str()
                } else if i % 13 == 0 {
                    steady_action.as_str()
                } else {
                    "subject.read"
                };
                let event = Event::new(action, at(i)).by(&principals[i % 2]);
                // Some entries name no subject, as staff and auth actions do.
                if i % 7 == 0 {
                    event
                } else {
                    event.about(&subjects[i % subjects.len()])
                }
            })
            .collect();
        let batch = chained_batch(store, Vec::new(), events).await;
        written.extend(batch.audit.iter().map(expected_entry));
        apply_ok(store, batch, "a batch of a long log").await;
    }
    let (from, to) = (at(entries / 3), at(entries * 5 / 6));
    let by_filter = [
        (
            "principal",
            AuditFilter {
                principal: Some(principals[0].clone()),
                ..Default::default()
            },
        ),
        (
            "time",
            AuditFilter {
                from: Some(from),
                to: Some(to),
                ..Default::default()
            },
        ),
        (
            "principal and time",
            AuditFilter {
                principal: Some(principals[1].clone()),
                from: Some(from),
                ..Default::default()
            },
        ),
        (
            "action",
            AuditFilter {
                action: Some(early_action.clone()),
                ..Default::default()
            },
        ),
        (
            "action and time",
            AuditFilter {
                action: Some(steady_action.clone()),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            },
        ),
    ]
    .into_iter()
    .chain(subjects.iter().map(|s| {
        let filter = AuditFilter {
            subject_ref: Some(s.clone()),
            ..Default::default()
        };
        ("subject", filter)
    }));
    for (what, filter) in by_filter {
        let matching: Vec<&AuditEntry> = written
            .iter()
            .filter(|e| {
                filter
                    .subject_ref
                    .as_ref()
                    .is_none_or(|s| e.subject_ref.as_ref() == Some(s))
                    && filter.principal.as_ref().is_none_or(|p| &e.principal == p)
                    && filter.action.as_ref().is_none_or(|a| &e.action == a)
                    && filter.from.is_none_or(|from| e.at >= from)
                    && filter.to.is_none_or(|to| e.at < to)
            })
            .collect();
        let mut paged: Vec<AuditEntry> = Vec::new();
        loop {
            let page = store
                .audit_entries(&AuditFilter {
                    after_seq: paged.last().map(|e| e.seq),
                    chain: None,
                    limit: 333,
                    ..filter.clone()
                })
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            paged.extend(page);
        }
        assert!(
            paged.iter().eq(matching.iter().copied()),
            "[{b}] by {what}: {} entries read page by page, {} written",
            paged.len(),
            matching.len()
        );
    }

    // Newest first: the last entry of an action (indexed or not), none for an action
    // never written, and a principal's latest page in reverse.
    for action in [&early_action, &steady_action, &unique("long-log.never")] {
        let last = store
            .audit_entries(&AuditFilter {
                action: Some(action.clone()),
                limit: 1,
                newest_first: true,
                ..Default::default()
            })
            .await
            .unwrap();
        let want: Vec<&AuditEntry> = written.iter().filter(|e| &e.action == action).collect();
        assert!(
            last.iter().eq(want.last().copied()),
            "[{b}] the latest {action}: {:?}, expected seq {:?}",
            last.first().map(|e| e.seq),
            want.last().map(|e| e.seq)
        );
    }
    let latest = store
        .audit_entries(&AuditFilter {
            principal: Some(principals[0].clone()),
            limit: 50,
            newest_first: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        latest.iter().eq(written
            .iter()
            .rev()
            .filter(|e| e.principal == principals[0])
            .take(50)),
        "[{b}] a principal's latest 50 entries, newest first"
    );

    for subject in &subjects {
        let about: Vec<&AuditEntry> = written
            .iter()
            .filter(|e| e.subject_ref.as_ref() == Some(subject))
            .collect();
        let principal = &principals[1];
        let after_seq = about[about.len() / 2].seq;
        let want: Vec<&AuditEntry> = about
            .iter()
            .copied()
            .filter(|e| &e.principal == principal && e.at >= from && e.at < to)
            .filter(|e| e.seq > after_seq)
            .take(200)
            .collect();
        let got = store
            .audit_entries(&AuditFilter {
                subject_ref: Some(subject.clone()),
                principal: Some(principal.clone()),
                action: None,
                from: Some(from),
                to: Some(to),
                after_seq: Some(after_seq),
                chain: None,
                limit: 200,
                newest_first: false,
            })
            .await
            .unwrap();
        assert!(
            !want.is_empty() && got.iter().eq(want.iter().copied()),
            "[{b}] {subject} by principal, time and seq: {} entries, {} expected",
            got.len(),
            want.len()
        );
    }
    written
}
