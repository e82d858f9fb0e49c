//! Retention: pages of what the planner needs of each subject, steps that never go
//! back, legal holds, retention outcome counts, the opposition purge, deletion of closed
//! rights requests, and the key store's batch deletion of data keys.

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::fixtures::{
    apply_invalid, apply_writes, blob, create_subject, digest, event, field, index, record, unique,
};
use super::keys::wrapped;
use super::rights::{outbox_item, request, stored_request};
use custodia_store::backend::MISSING_SUBJECT;
use custodia_store::{
    Batch, DownloadRow, KeyStore, LegalHold, OppositionEntry, RequestDocument, RetentionCount,
    RetentionFacts, RetentionStepDone, Store, StoreError, Write,
};

/// Every retention check of a data store; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    facts_pages_list_what_the_planner_needs(store).await;
    steps_never_go_back(store).await;
    a_step_of_a_missing_subject_refuses_its_batch(store).await;
    erasure_removes_progress(store).await;
    holds_are_inserted_replaced_and_ordered(store).await;
    counts_add_up_per_key(store).await;
    counts_add_up_per_action(store).await;
    invalid_retention_writes_are_refused(store).await;
    purging_opposition_deletes_what_expired_by_the_instant(store).await;
    deleting_a_request_deletes_its_parts(store).await;
    facts_count_counts_subjects_not_erased(store).await;
    leases_exclude_other_holders_until_they_expire(store).await;
}

/// Every retention check of a key store.
pub async fn run_all_key_store(keys: &dyn KeyStore) {
    deleting_data_keys_in_a_batch(keys).await;
}

fn one(write: Write) -> Batch {
    Batch {
        writes: vec![write],
        audit: Vec::new(),
    }
}

/// When [`step`] says its steps were done.
pub const STEP_DONE_AT: OffsetDateTime = datetime!(2026-09-01 12:00:00.000001 UTC);

pub fn step(subject_id: &str, rule: &str, step: u32, action: &str) -> Write {
    step_at(subject_id, rule, step, action, STEP_DONE_AT)
}

pub fn step_at(
    subject_id: &str,
    rule: &str,
    step: u32,
    action: &str,
    done_at: OffsetDateTime,
) -> Write {
    Write::RecordRetentionStep(RetentionStepDone {
        subject_id: subject_id.to_owned(),
        rule: rule.to_owned(),
        step,
        action: action.to_owned(),
        done_at,
    })
}

/// The facts of the subjects whose id starts with `prefix`, read by pages of `limit`.
pub async fn facts_under(store: &dyn Store, prefix: &str, limit: u32) -> Vec<RetentionFacts> {
    let b = store.backend();
    let mut seen = Vec::new();
    let mut after = prefix.to_owned();
    loop {
        let page = store
            .retention_facts_page(Some(&after), limit)
            .await
            .unwrap();
        assert!(
            page.len() <= limit as usize,
            "[{b}] a facts page holds at most `limit` subjects"
        );
        assert!(
            page.windows(2)
                .all(|w| w[0].subject_id.as_bytes() < w[1].subject_id.as_bytes()),
            "[{b}] a facts page is in byte order of subject id"
        );
        let Some(last) = page.last() else { break };
        after = last.subject_id.clone();
        seen.extend(
            page.into_iter()
                .filter(|f| f.subject_id.starts_with(prefix)),
        );
        if !after.starts_with(prefix) {
            break;
        }
    }
    seen
}

/// The progress of a subject whose id starts with `prefix`, from the facts pages; None
/// when it is not listed.
async fn progress_of(
    store: &dyn Store,
    prefix: &str,
    subject_id: &str,
) -> Option<Vec<(String, u32)>> {
    facts_under(store, prefix, 10)
        .await
        .into_iter()
        .find(|f| f.subject_id == subject_id)
        .map(|f| {
            f.progress
                .into_iter()
                .map(|(rule, step, _)| (rule, step))
                .collect()
        })
}

pub async fn facts_pages_list_what_the_planner_needs(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("retention-facts");
    let (full, plain, erased, bare) = (
        format!("{prefix}-a"),
        format!("{prefix}-b"),
        format!("{prefix}-c"),
        format!("{prefix}-d"),
    );
    let t = |day: u8| datetime!(2026-01-01 08:00:00.000001 UTC) + Duration::days(i64::from(day));
    let mut employee = record(&full, t(0));
    employee.kind = "employee".to_owned();
    apply_writes(
        store,
        vec![
            // Categories and events given out of order; "Zeta" sorts before "email" by
            // bytes, after it in most locales.
            Write::CreateSubject {
                subject: employee,
                fields: vec![
                    field("postal_address", blob(1, 10)),
                    field("email", blob(2, 10)),
                    field("Zeta", blob(3, 10)),
                ],
                indexes: vec![index("email", digest(&full))],
            },
            create_subject(&plain, t(1)),
            create_subject(&erased, t(2)),
            Write::CreateSubject {
                subject: record(&bare, t(3)),
                fields: Vec::new(),
                indexes: Vec::new(),
            },
            Write::AddEvent {
                subject_id: full.clone(),
                event: event("login", t(5), t(5)),
            },
            Write::AddEvent {
                subject_id: full.clone(),
                event: event("purchase", t(4), t(4)),
            },
            // Recorded after the later login, about an earlier one: the latest `at` counts.
            Write::AddEvent {
                subject_id: full.clone(),
                event: event("login", t(3), t(9)),
            },
            Write::AddEvent {
                subject_id: full.clone(),
                event: event("account_closed", t(6), t(6)),
            },
            Write::AddEvent {
                subject_id: plain.clone(),
                event: event("login", t(2), t(2)),
            },
            Write::AddEvent {
                subject_id: erased.clone(),
                event: event("login", t(2), t(2)),
            },
            step(&full, "rule-b", 1, "archive"),
            step(&full, "rule-a", 2, "archive"),
            step(&full, "Rule-z", 1, "archive"),
            step(&erased, "rule-a", 1, "archive"),
        ],
        "subjects for the retention planner",
    )
    .await;
    apply_writes(
        store,
        vec![Write::EraseSubject {
            subject_id: erased.clone(),
            erased_at: t(8),
        }],
        "erase one of them",
    )
    .await;

    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let want = vec![
        RetentionFacts {
            subject_id: full.clone(),
            kind: "employee".to_owned(),
            created_at: t(0),
            categories: strings(&["Zeta", "email", "postal_address"]),
            events: vec![
                ("account_closed".to_owned(), t(6)),
                ("login".to_owned(), t(5)),
                ("purchase".to_owned(), t(4)),
            ],
            progress: vec![
                ("Rule-z".to_owned(), 1, STEP_DONE_AT),
                ("rule-a".to_owned(), 2, STEP_DONE_AT),
                ("rule-b".to_owned(), 1, STEP_DONE_AT),
            ],
        },
        RetentionFacts {
            subject_id: plain.clone(),
            kind: "customer".to_owned(),
            created_at: t(1),
            categories: strings(&["email"]),
            events: vec![("login".to_owned(), t(2))],
            progress: Vec::new(),
        },
        RetentionFacts {
            subject_id: bare.clone(),
            kind: "customer".to_owned(),
            created_at: t(3),
            categories: Vec::new(),
            events: Vec::new(),
            progress: Vec::new(),
        },
    ];
    for limit in [1, 2, 3, 1000] {
        assert_eq!(
            facts_under(store, &prefix, limit).await,
            want,
            "[{b}] facts read by pages of {limit}: sorted parts, erased subjects left out"
        );
    }
    // Limit 0 is a default page, which holds these three first.
    let page = store.retention_facts_page(Some(&prefix), 0).await.unwrap();
    assert!(page.len() >= 3, "[{b}] limit 0 returns a default page");
    assert_eq!(page[..3], want[..], "[{b}] a default page after a prefix");
    // After a listed subject: the next ones.
    let page = store.retention_facts_page(Some(&full), 2).await.unwrap();
    assert_eq!(page, want[1..], "[{b}] a page after a given subject id");
    // After the erased one (not listed itself): the one after it.
    let page = store.retention_facts_page(Some(&erased), 1).await.unwrap();
    assert_eq!(page, want[2..], "[{b}] a page after an erased subject's id");

    let all = store.retention_facts_page(None, 100_000).await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| w[0].subject_id.as_bytes() < w[1].subject_id.as_bytes()),
        "[{b}] a full facts page is in byte order of subject id"
    );
    assert!(
        all.iter().all(|f| f.subject_id != erased),
        "[{b}] an erased subject is in no facts page"
    );
}

pub async fn steps_never_go_back(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("retention-steps");
    let subject = format!("{prefix}-s");
    let at = datetime!(2026-02-01 00:00 UTC);
    apply_writes(
        store,
        vec![
            create_subject(&subject, at),
            step(&subject, "rule", 2, "archive"),
        ],
        "record step 2",
    )
    .await;
    let progress = |rule_steps: &[(&str, u32)]| {
        Some(
            rule_steps
                .iter()
                .map(|(r, s)| ((*r).to_owned(), *s))
                .collect::<Vec<_>>(),
        )
    };
    apply_writes(
        store,
        vec![step(&subject, "rule", 1, "archive")],
        "record step 1",
    )
    .await;
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        progress(&[("rule", 2)]),
        "[{b}] recording a lower step keeps the higher one"
    );
    apply_writes(
        store,
        vec![step(&subject, "rule", 2, "delete")],
        "record step 2 again",
    )
    .await;
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        progress(&[("rule", 2)]),
        "[{b}] recording the same step keeps it"
    );
    apply_writes(
        store,
        vec![step(&subject, "rule", 3, "anonymise")],
        "record step 3",
    )
    .await;
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        progress(&[("rule", 3)]),
        "[{b}] a higher step replaces the lower one"
    );
    // Within one batch too, whatever the order.
    apply_writes(
        store,
        vec![
            step(&subject, "up", 1, "archive"),
            step(&subject, "up", 4, "archive"),
            step(&subject, "down", 5, "archive"),
            step(&subject, "down", 2, "archive"),
        ],
        "steps up and down in one batch",
    )
    .await;
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        progress(&[("down", 5), ("rule", 3), ("up", 4)]),
        "[{b}] steps of one batch keep the highest per rule"
    );
    // The largest step a store accepts.
    let max = u32::try_from(i32::MAX).unwrap();
    apply_writes(
        store,
        vec![step(&subject, "max", max, "delete")],
        "step i32::MAX",
    )
    .await;
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        progress(&[("down", 5), ("max", max), ("rule", 3), ("up", 4)]),
        "[{b}] the largest step round-trips"
    );
    // A later step of a new cycle (the rule was triggered again) replaces a higher one.
    let later = STEP_DONE_AT + Duration::days(400);
    apply_writes(
        store,
        vec![step_at(&subject, "rule", 1, "archive", later)],
        "record step 1 of a new cycle",
    )
    .await;
    let facts = facts_under(store, &prefix, 10).await;
    assert_eq!(
        facts[0].progress.iter().find(|p| p.0 == "rule"),
        Some(&("rule".to_owned(), 1, later)),
        "[{b}] a step done later replaces the one before, with its time"
    );
}

pub async fn a_step_of_a_missing_subject_refuses_its_batch(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("retention-step-batch");
    let subject = format!("{prefix}-s");
    let at = datetime!(2026-02-02 00:00 UTC);
    apply_writes(
        store,
        vec![
            create_subject(&subject, at),
            step(&subject, "rule", 1, "archive"),
        ],
        "a subject with a step",
    )
    .await;
    let missing = unique("retention-no-subject");
    let got = store
        .apply(Batch {
            writes: vec![
                step(&subject, "rule", 2, "archive"),
                step(&subject, "other", 1, "archive"),
                step(&missing, "rule", 1, "archive"),
            ],
            audit: Vec::new(),
        })
        .await;
    assert_eq!(
        got,
        Err(MISSING_SUBJECT),
        "[{b}] a step of a missing subject"
    );
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        Some(vec![("rule".to_owned(), 1)]),
        "[{b}] a refused batch records no step"
    );
}

pub async fn erasure_removes_progress(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("retention-erased");
    let (gone, kept) = (format!("{prefix}-1"), format!("{prefix}-2"));
    let at = datetime!(2026-02-03 00:00 UTC);
    apply_writes(
        store,
        vec![
            create_subject(&gone, at),
            create_subject(&kept, at),
            step(&gone, "rule", 2, "archive"),
            step(&kept, "rule", 1, "archive"),
        ],
        "subjects with progress",
    )
    .await;
    apply_writes(
        store,
        vec![Write::EraseSubject {
            subject_id: gone.clone(),
            erased_at: at + Duration::days(1),
        }],
        "erase a subject with progress",
    )
    .await;
    let listed: Vec<(String, Vec<custodia_store::retention::StepProgress>)> =
        facts_under(store, &prefix, 10)
            .await
            .into_iter()
            .map(|f| (f.subject_id, f.progress))
            .collect();
    assert_eq!(
        listed,
        vec![(kept.clone(), vec![("rule".to_owned(), 1, STEP_DONE_AT)])],
        "[{b}] erasure leaves the other subjects' progress"
    );
}

pub fn hold(id: &str, created_at: OffsetDateTime) -> LegalHold {
    LegalHold {
        id: id.to_owned(),
        subject_id: Some(unique("held-subject")),
        rule_id: None,
        reason: "Litigation 2026-041, tribunal de commerce de Paris".to_owned(),
        created_at,
        created_by: "user:dpo".to_owned(),
        released_at: None,
        released_by: None,
    }
}

pub async fn holds_are_inserted_replaced_and_ordered(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("hold");
    let t = datetime!(2026-03-01 10:00:00.000001 UTC);
    // Two at one instant: by id bytes ("B" before "a").
    let subject_hold = hold(&format!("{prefix}-a"), t);
    let rule_hold = LegalHold {
        subject_id: None,
        rule_id: Some("customers.closed".to_owned()),
        ..hold(&format!("{prefix}-B"), t)
    };
    let both = LegalHold {
        rule_id: Some("employees.payroll".to_owned()),
        created_by: "apikey:hr".to_owned(),
        ..hold(&format!("{prefix}-0"), t + Duration::hours(1))
    };
    let earliest = hold(&format!("{prefix}-z"), t - Duration::days(1));
    apply_writes(
        store,
        vec![
            Write::PutLegalHold(subject_hold.clone()),
            Write::PutLegalHold(both.clone()),
            Write::PutLegalHold(rule_hold.clone()),
            Write::PutLegalHold(earliest.clone()),
        ],
        "put legal holds",
    )
    .await;
    assert_eq!(
        holds_under(store, &prefix).await,
        vec![
            earliest.clone(),
            rule_hold.clone(),
            subject_hold.clone(),
            both.clone()
        ],
        "[{b}] holds by creation time, then id bytes"
    );

    let released = LegalHold {
        released_at: Some(t + Duration::days(30)),
        released_by: Some("user:dpo2".to_owned()),
        ..subject_hold.clone()
    };
    apply_writes(
        store,
        vec![Write::PutLegalHold(released.clone())],
        "release a hold",
    )
    .await;
    assert_eq!(
        holds_under(store, &prefix).await,
        vec![
            earliest.clone(),
            rule_hold.clone(),
            released.clone(),
            both.clone()
        ],
        "[{b}] a release replaces the hold and keeps it listed"
    );
    let all = store.legal_holds().await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| (w[0].created_at, w[0].id.as_bytes()) < (w[1].created_at, w[1].id.as_bytes())),
        "[{b}] every hold is listed by creation time, then id"
    );
}

async fn holds_under(store: &dyn Store, prefix: &str) -> Vec<LegalHold> {
    store
        .legal_holds()
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.id.starts_with(prefix))
        .collect()
}

fn count(rule: &str, kind: &str, month: &str, n: i64) -> RetentionCount {
    counted(rule, kind, month, "anonymise", n)
}

fn counted(rule: &str, kind: &str, month: &str, action: &str, n: i64) -> RetentionCount {
    RetentionCount {
        rule: rule.to_owned(),
        kind: kind.to_owned(),
        month: month.to_owned(),
        action: action.to_owned(),
        count: n,
    }
}

pub async fn counts_add_up_per_key(store: &dyn Store) {
    let b = store.backend();
    let rule = unique("anonymise");
    let add =
        |kind: &str, month: &str, n: i64| Write::AddRetentionCount(count(&rule, kind, month, n));
    apply_writes(
        store,
        vec![
            add("customer", "2026-02", 4),
            add("customer", "2026-01", 2),
            add("customer", "2026-01", 3),
            add("Customer", "2026-01", 7),
        ],
        "add anonymisation counts",
    )
    .await;
    apply_writes(
        store,
        vec![add("customer", "2026-01", 1), add("prospect", "2025-12", 1)],
        "add more",
    )
    .await;
    let mine: Vec<RetentionCount> = store
        .retention_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.rule == rule)
        .collect();
    assert_eq!(
        mine,
        vec![
            count(&rule, "Customer", "2026-01", 7),
            count(&rule, "customer", "2026-01", 6),
            count(&rule, "customer", "2026-02", 4),
            count(&rule, "prospect", "2025-12", 1),
        ],
        "[{b}] counts add up per (rule, kind, month), listed in that order"
    );
    let all = store.retention_counts().await.unwrap();
    let key = |c: &RetentionCount| {
        (
            c.rule.clone(),
            c.kind.clone(),
            c.month.clone(),
            c.action.clone(),
        )
    };
    assert!(
        all.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "[{b}] every count is listed by rule, kind, month, then action"
    );
}

/// Every action a sweep carries out is counted on its own key: an archive, a deletion
/// and an anonymisation of one rule, kind and month are three counts.
pub async fn counts_add_up_per_action(store: &dyn Store) {
    let b = store.backend();
    let rule = unique("outcomes");
    let add = |action: &str, n: i64| {
        Write::AddRetentionCount(counted(&rule, "customer", "2026-03", action, n))
    };
    apply_writes(
        store,
        vec![add("delete", 2), add("archive", 5), add("anonymise", 1)],
        "count one rule's actions",
    )
    .await;
    apply_writes(store, vec![add("delete", 3)], "count more deletions").await;
    let mine: Vec<RetentionCount> = store
        .retention_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.rule == rule)
        .collect();
    assert_eq!(
        mine,
        vec![
            counted(&rule, "customer", "2026-03", "anonymise", 1),
            counted(&rule, "customer", "2026-03", "archive", 5),
            counted(&rule, "customer", "2026-03", "delete", 5),
        ],
        "[{b}] counts add up per action, listed by action last"
    );
}

pub async fn invalid_retention_writes_are_refused(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("retention-invalid");
    let subject = format!("{prefix}-s");
    let at = datetime!(2026-03-02 00:00 UTC);
    apply_writes(store, vec![create_subject(&subject, at)], "a subject").await;
    let long = "x".repeat(129);

    let steps = [
        (step(&subject, "rule", 0, "archive"), "step 0"),
        (
            step(
                &subject,
                "rule",
                u32::try_from(i32::MAX).unwrap() + 1,
                "archive",
            ),
            "a step beyond i32::MAX",
        ),
        (step(&subject, "rule", 1, "shred"), "action shred"),
        (step(&subject, "rule", 1, ""), "an empty action"),
        (step(&subject, "", 1, "archive"), "an empty rule"),
        (step(&subject, &long, 1, "archive"), "a rule of 129 bytes"),
        (step(&subject, "ru\0le", 1, "archive"), "a rule with NUL"),
        (step("", "rule", 1, "archive"), "an empty subject id"),
    ];
    for (write, what) in steps {
        apply_invalid(store, one(write), &format!("a retention step with {what}")).await;
    }
    assert_eq!(
        progress_of(store, &prefix, &subject).await,
        Some(Vec::new()),
        "[{b}] no refused step is recorded"
    );

    let id = unique("invalid-hold");
    let base = hold(&id, at);
    let with = |f: &dyn Fn(&mut LegalHold)| {
        let mut h = base.clone();
        f(&mut h);
        Write::PutLegalHold(h)
    };
    let holds = [
        (
            with(&|h| {
                h.subject_id = None;
                h.rule_id = None;
            }),
            "neither subject nor rule",
        ),
        (with(&|h| h.reason = "  ".to_owned()), "a blank reason"),
        (
            with(&|h| h.reason = "r".repeat(1001)),
            "a reason of 1001 bytes",
        ),
        (with(&|h| h.reason = "a\0b".to_owned()), "a reason with NUL"),
        (with(&|h| h.id = String::new()), "an empty id"),
        (with(&|h| h.created_by = String::new()), "no author"),
        (
            with(&|h| h.subject_id = Some(String::new())),
            "an empty subject id",
        ),
        (
            with(&|h| h.released_at = Some(at)),
            "a release time without its author",
        ),
        (
            with(&|h| h.released_by = Some("user:dpo".to_owned())),
            "a releaser without a release time",
        ),
    ];
    for (write, what) in holds {
        apply_invalid(store, one(write), &format!("a legal hold with {what}")).await;
    }
    assert!(
        store
            .legal_holds()
            .await
            .unwrap()
            .iter()
            .all(|h| h.id != id),
        "[{b}] no refused hold is stored"
    );

    let rule = unique("invalid-count");
    let counts = [
        ("2026-13", 1, "month 13"),
        ("2026-00", 1, "month 00"),
        ("2026-1", 1, "a one-digit month"),
        ("26-01-01", 1, "a date"),
        ("2026/01", 1, "a slash"),
        ("２０２６-01", 1, "full-width digits"),
        ("2026-01", 0, "a count of 0"),
        ("2026-01", -3, "a negative count"),
    ];
    for (month, n, what) in counts {
        apply_invalid(
            store,
            one(Write::AddRetentionCount(count(&rule, "customer", month, n))),
            &format!("a retention count with {what}"),
        )
        .await;
    }
    apply_invalid(
        store,
        one(Write::AddRetentionCount(count(&rule, "", "2026-01", 1))),
        "a retention count with an empty kind",
    )
    .await;
    for action in ["shred", "", "erase", "Archive"] {
        apply_invalid(
            store,
            one(Write::AddRetentionCount(counted(
                &rule, "customer", "2026-01", action, 1,
            ))),
            &format!("a retention count with action {action:?}"),
        )
        .await;
    }
    assert!(
        store
            .retention_counts()
            .await
            .unwrap()
            .iter()
            .all(|c| c.rule != rule),
        "[{b}] no refused count is stored"
    );

    for (id, what) in [
        (String::new(), "an empty id"),
        (long.clone(), "an id of 129 bytes"),
    ] {
        apply_invalid(
            store,
            one(Write::DeleteRightsRequest { id }),
            &format!("deleting a rights request with {what}"),
        )
        .await;
    }
}

fn opposition(digest: &[u8], expires_at: OffsetDateTime) -> Write {
    Write::AddOpposition(OppositionEntry {
        digest: digest.to_vec(),
        added_at: datetime!(1989-01-01 00:00 UTC),
        expires_at,
    })
}

/// Expiries long past, so the purge leaves the other checks' entries alone.
pub async fn purging_opposition_deletes_what_expired_by_the_instant(store: &dyn Store) {
    let b = store.backend();
    let instant = datetime!(1990-06-01 12:00:00.000001 UTC);
    let early = digest(&unique("opposition-early"));
    let exact = digest(&unique("opposition-exact"));
    let just_after = digest(&unique("opposition-after"));
    let later = digest(&unique("opposition-later"));
    apply_writes(
        store,
        vec![
            opposition(&early, instant - Duration::days(30)),
            opposition(&exact, instant),
            opposition(&just_after, instant + Duration::microseconds(1)),
            opposition(&later, datetime!(2090-01-01 00:00 UTC)),
        ],
        "opposition entries to purge",
    )
    .await;
    let before = store.opposition_page(None, 100_000).await.unwrap().len();
    apply_writes(
        store,
        vec![Write::PurgeOpposition {
            expired_by: instant,
        }],
        "purge the opposition list",
    )
    .await;
    for (d, listed, what) in [
        (&early, false, "expired before the instant"),
        (&exact, false, "expiring at the instant"),
        (
            &just_after,
            true,
            "expiring a microsecond after the instant",
        ),
        (&later, true, "expiring later"),
    ] {
        assert_eq!(
            store.opposition_entry(d).await.unwrap().is_some(),
            listed,
            "[{b}] after the purge, an entry {what}"
        );
    }
    let after = store.opposition_page(None, 100_000).await.unwrap().len();
    assert_eq!(
        after,
        before - 2,
        "[{b}] the purge deleted exactly two entries"
    );
}

pub async fn deleting_a_request_deletes_its_parts(store: &dyn Store) {
    let b = store.backend();
    let (doomed, kept) = (unique("request-doomed"), unique("request-kept"));
    let at = datetime!(2026-04-10 00:00 UTC);
    let mut writes = Vec::new();
    let mut parts = Vec::new();
    for id in [&doomed, &kept] {
        let row = request(id, digest(&format!("email:{id}")));
        let outbox = [unique("outbox"), unique("outbox")];
        let token = digest(&unique("token"));
        writes.push(Write::PutRightsRequest {
            row: row.clone(),
            expected_version: None,
        });
        for o in &outbox {
            writes.push(Write::PutOutbox(outbox_item(o, Some(id), at)));
        }
        writes.push(Write::PutDownload(DownloadRow {
            token_hash: token.clone(),
            request_id: id.clone(),
            format: "json".to_owned(),
            created_at: at,
            expires_at: at + Duration::days(7),
            body: blob(3, 100),
        }));
        writes.push(Write::PutRequestDocument(RequestDocument {
            request_id: id.clone(),
            uploaded_at: at,
            media_type: "image/png".to_owned(),
            body: blob(4, 100),
        }));
        parts.push((row, outbox, token));
    }
    let unrelated = unique("outbox");
    writes.push(Write::PutOutbox(outbox_item(&unrelated, None, at)));
    apply_writes(store, writes, "two requests with their parts").await;

    let delete = || Write::DeleteRightsRequest { id: doomed.clone() };
    apply_writes(store, vec![delete()], "delete a request").await;
    let (_, outbox, token) = &parts[0];
    assert_eq!(
        store.rights_request(&doomed).await.unwrap(),
        None,
        "[{b}] the request"
    );
    assert_eq!(
        store.outbox_for_request(&doomed).await.unwrap(),
        vec![],
        "[{b}] its outbox items"
    );
    for o in outbox {
        assert_eq!(
            store.outbox_item(o).await.unwrap(),
            None,
            "[{b}] outbox item {o}"
        );
    }
    assert_eq!(
        store.download(token).await.unwrap(),
        None,
        "[{b}] its download"
    );
    assert_eq!(
        store.request_document(&doomed).await.unwrap(),
        None,
        "[{b}] its document"
    );

    let (row, outbox, token) = &parts[1];
    assert_eq!(
        store.rights_request(&kept).await.unwrap(),
        Some(stored_request(row)),
        "[{b}] another request stays"
    );
    assert_eq!(
        store.outbox_for_request(&kept).await.unwrap().len(),
        outbox.len(),
        "[{b}] another request's outbox items stay"
    );
    assert!(
        store.download(token).await.unwrap().is_some(),
        "[{b}] another download"
    );
    assert!(
        store.request_document(&kept).await.unwrap().is_some(),
        "[{b}] another document"
    );
    assert!(
        store.outbox_item(&unrelated).await.unwrap().is_some(),
        "[{b}] an outbox item of no request"
    );
    apply_writes(store, vec![delete()], "delete a request that is gone").await;
}

pub async fn leases_exclude_other_holders_until_they_expire(store: &dyn Store) {
    let b = store.backend();
    let name = unique("lease");
    let t = datetime!(2026-03-01 00:00 UTC);
    let min = Duration::minutes;
    let take = |holder: &'static str, now: OffsetDateTime, until: OffsetDateTime| {
        let name = name.clone();
        async move {
            store
                .acquire_lease(&name, holder, now, until)
                .await
                .unwrap()
        }
    };
    assert!(
        take("a", t, t + min(10)).await,
        "[{b}] a free lease is taken"
    );
    assert!(
        !take("b", t + min(1), t + min(11)).await,
        "[{b}] a held lease is refused"
    );
    assert!(
        take("a", t + min(2), t + min(12)).await,
        "[{b}] its holder renews it"
    );
    assert!(
        !take("b", t + min(12) - Duration::seconds(1), t + min(20)).await,
        "[{b}] still held a second before it expires"
    );
    assert!(
        take("b", t + min(12), t + min(20)).await,
        "[{b}] an expired lease is taken over"
    );
    store.release_lease(&name, "a").await.unwrap();
    assert!(
        !take("a", t + min(13), t + min(20)).await,
        "[{b}] only the holder gives a lease up"
    );
    store.release_lease(&name, "b").await.unwrap();
    assert!(
        take("a", t + min(13), t + min(20)).await,
        "[{b}] a released lease is free"
    );
    assert!(matches!(
        store.acquire_lease("", "a", t, t + min(1)).await,
        Err(StoreError::Invalid { .. })
    ));
}

/// The count covers exactly the subjects the facts pages list: not the erased ones.
pub async fn facts_count_counts_subjects_not_erased(store: &dyn Store) {
    let b = store.backend();
    let before = store.retention_facts_count().await.unwrap();
    let prefix = unique("retention-count");
    let at = datetime!(2026-02-03 00:00 UTC);
    let ids: Vec<String> = (0..3).map(|i| format!("{prefix}-{i}")).collect();
    apply_writes(
        store,
        ids.iter().map(|id| create_subject(id, at)).collect(),
        "subjects to count",
    )
    .await;
    assert_eq!(
        store.retention_facts_count().await.unwrap(),
        before + 3,
        "[{b}] new subjects are counted"
    );
    apply_writes(
        store,
        vec![Write::EraseSubject {
            subject_id: ids[1].clone(),
            erased_at: at,
        }],
        "erase one counted subject",
    )
    .await;
    assert_eq!(
        store.retention_facts_count().await.unwrap(),
        before + 2,
        "[{b}] an erased subject is no longer counted"
    );
}

pub async fn deleting_data_keys_in_a_batch(keys: &dyn KeyStore) {
    let b = keys.backend();
    let ids: Vec<String> = (0..5).map(|_| unique("dek-batch")).collect();
    let other = unique("dek-other");
    let mut all: Vec<(String, Vec<u8>)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), wrapped(30 + i as u8)))
        .collect();
    all.push((other.clone(), wrapped(40)));
    keys.put_data_keys(all).await.unwrap();

    let missing = unique("dek-never");
    let doomed = vec![
        ids[0].clone(),
        missing.clone(),
        ids[2].clone(),
        ids[3].clone(),
    ];
    assert_eq!(
        keys.delete_data_keys(&doomed).await.unwrap(),
        3,
        "[{b}] deleting three keys and a missing one"
    );
    for (i, id) in ids.iter().enumerate() {
        let want = [1, 4].contains(&i).then(|| wrapped(30 + i as u8));
        assert_eq!(
            keys.data_key(id).await.unwrap(),
            want,
            "[{b}] key {i} after the delete"
        );
    }
    assert_eq!(
        keys.data_key(&other).await.unwrap(),
        Some(wrapped(40)),
        "[{b}] a key not listed stays"
    );
    assert_eq!(
        keys.delete_data_keys(&doomed).await.unwrap(),
        0,
        "[{b}] deleting them again"
    );
    assert_eq!(
        keys.delete_data_keys(&[]).await.unwrap(),
        0,
        "[{b}] deleting none"
    );

    for (what, call) in [
        ("one subject twice", vec![ids[1].clone(), ids[1].clone()]),
        (
            "a NUL in a subject id",
            vec![ids[1].clone(), "a\0".to_owned()],
        ),
    ] {
        match keys.delete_data_keys(&call).await {
            Err(StoreError::Invalid { .. }) => {}
            other => panic!("[{b}] deleting keys with {what}: expected Invalid, got {other:?}"),
        }
    }
    assert_eq!(
        keys.data_key(&ids[1]).await.unwrap(),
        Some(wrapped(31)),
        "[{b}] a refused delete deletes nothing"
    );
    // A batch larger than any statement's parameter limit.
    let many: Vec<(String, Vec<u8>)> = (0..70_000)
        .map(|_| (unique("dek-many"), wrapped(7)))
        .collect();
    keys.put_data_keys(many.clone()).await.unwrap();
    let many: Vec<String> = many.into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        keys.delete_data_keys(&many).await.unwrap(),
        70_000,
        "[{b}] deleting 70,000 keys at once"
    );
    assert_eq!(keys.data_key(&many[69_999]).await.unwrap(), None);
}
