//! Rights requests (insert, versioned update, conflicts, pages, lookup by e-mail
//! index), the outbox (replace by id, due items by time), one-time downloads,
//! identity documents, the opposition list and restrictions of processing.

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::fixtures::{
    Event, apply_invalid, apply_ok, apply_version_conflict, apply_writes, blob, chained_batch,
    create_subject, digest, unique,
};
use custodia_store::policy::to_stored_instant;
use custodia_store::{
    Batch, DownloadRow, OppositionEntry, OutboxFailure, OutboxItem, RequestDocument, RequestHead,
    RequestQuery, Restriction, RightsRequestRow, Store, StoreError, Write,
};

/// Every rights check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    requests_insert_and_update_by_version(store).await;
    stale_and_duplicate_requests_conflict(store).await;
    concurrent_writes_of_one_request_let_one_through(store).await;
    requests_page_by_id_and_list_by_email(store).await;
    request_queue_filters_orders_and_counts(store).await;
    requests_listed_by_subject(store).await;
    outbox_replaces_by_id_and_lists_by_request(store).await;
    outbox_due_is_ordered_and_cut_off_at_now(store).await;
    outbox_claims_let_one_sender_through(store).await;
    outbox_failures_are_counted_and_listed_newest_first(store).await;
    downloads_replace_and_delete(store).await;
    documents_replace_and_delete(store).await;
    opposition_keeps_earliest_added_and_latest_expiry(store).await;
    opposition_pages_by_digest_bytes(store).await;
    restrictions_set_replace_clear_and_page(store).await;
    restrictions_need_an_existing_subject(store).await;
    erasure_lifts_the_restriction(store).await;
    invalid_rights_writes_are_refused(store).await;
}

/// A request at version 1, with instants that are not whole microseconds nor UTC.
pub fn request(id: &str, email_index: Vec<u8>) -> RightsRequestRow {
    RightsRequestRow {
        id: id.to_owned(),
        kind: "access".to_owned(),
        status: "unverified".to_owned(),
        received_at: datetime!(2026-04-01 09:10:11.123456789 +02:00),
        due_at: datetime!(2026-05-01 09:10:11.123456 +02:00),
        closed_at: None,
        updated_at: datetime!(2026-04-01 07:10:11.5 UTC),
        subject_id: None,
        email_index,
        assignee: None,
        version: 1,
        body: blob(11, 300),
    }
}

/// A stored request as a queue lists it (no body).
pub fn stored_head(r: &RightsRequestRow) -> RequestHead {
    RequestHead {
        id: r.id.clone(),
        kind: r.kind.clone(),
        status: r.status.clone(),
        received_at: r.received_at,
        due_at: r.due_at,
        closed_at: r.closed_at,
        subject_id: r.subject_id.clone(),
        assignee: r.assignee.clone(),
    }
}

/// `row` as a backend returns it.
pub fn stored_request(row: &RightsRequestRow) -> RightsRequestRow {
    RightsRequestRow {
        received_at: to_stored_instant(row.received_at),
        due_at: to_stored_instant(row.due_at),
        closed_at: row.closed_at.map(to_stored_instant),
        updated_at: to_stored_instant(row.updated_at),
        ..row.clone()
    }
}

pub fn outbox_item(id: &str, request_id: Option<&str>, next: OffsetDateTime) -> OutboxItem {
    OutboxItem {
        id: id.to_owned(),
        channel: "email".to_owned(),
        request_id: request_id.map(str::to_owned),
        recipient: None,
        created_at: datetime!(2026-04-02 10:00:00.000000999 UTC),
        next_attempt_at: next,
        attempts: 0,
        status: "pending".to_owned(),
        last_error: None,
        delivered_at: None,
        body: blob(12, 200),
    }
}

pub fn stored_outbox(item: &OutboxItem) -> OutboxItem {
    OutboxItem {
        created_at: to_stored_instant(item.created_at),
        next_attempt_at: to_stored_instant(item.next_attempt_at),
        delivered_at: item.delivered_at.map(to_stored_instant),
        ..item.clone()
    }
}

fn put(row: &RightsRequestRow, expected_version: Option<i64>) -> Write {
    Write::PutRightsRequest {
        row: row.clone(),
        expected_version,
    }
}

fn one(write: Write) -> Batch {
    Batch {
        writes: vec![write],
        audit: Vec::new(),
    }
}

/// `row` raised to the next version with every column changed.
fn next_version(row: &RightsRequestRow) -> RightsRequestRow {
    RightsRequestRow {
        kind: "erasure".to_owned(),
        status: "in_progress".to_owned(),
        received_at: row.received_at - Duration::days(1),
        due_at: row.due_at + Duration::days(60),
        closed_at: Some(datetime!(2026-06-01 12:00:00.000001 -05:00)),
        updated_at: row.updated_at + Duration::seconds(90),
        subject_id: Some(unique("rq-subject")),
        email_index: digest(&format!("email:{}:v{}", row.id, row.version + 1)),
        assignee: Some(unique("user")),
        version: row.version + 1,
        body: blob(row.version as u8, 700),
        ..row.clone()
    }
}

pub async fn requests_insert_and_update_by_version(store: &dyn Store) {
    let b = store.backend();
    let id = unique("request");
    let first = request(&id, digest(&format!("email:{id}")));
    // Chained like any write, with its audit entry.
    let batch = chained_batch(
        store,
        vec![put(&first, None)],
        vec![Event::new("rights.receive", first.updated_at)],
    )
    .await;
    apply_ok(store, batch, "insert a rights request").await;
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&first)),
        "[{b}] an inserted request comes back exactly"
    );

    let second = next_version(&first);
    apply_writes(store, vec![put(&second, Some(1))], "update a request").await;
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&second)),
        "[{b}] an update replaces every column"
    );

    // Back to no closing date, assignee or subject: None replaces a value too.
    let mut third = next_version(&second);
    third.closed_at = None;
    third.assignee = None;
    third.subject_id = None;
    third.body = Vec::new();
    apply_writes(store, vec![put(&third, Some(2))], "update a request again").await;
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&third)),
        "[{b}] an update clears optional columns"
    );

    assert_eq!(store.rights_request(&unique("nobody")).await.unwrap(), None);
    assert_eq!(store.rights_request("nul\0request").await.unwrap(), None);
}

pub async fn stale_and_duplicate_requests_conflict(store: &dyn Store) {
    let b = store.backend();
    let id = unique("request-conflict");
    let first = request(&id, digest(&id));
    apply_writes(store, vec![put(&first, None)], "insert a request").await;

    let mut again = first.clone();
    again.body = blob(99, 10);
    apply_version_conflict(store, one(put(&again, None)), "inserting a taken id").await;
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&first)),
        "[{b}] a conflicting insert changes nothing"
    );

    let winner = next_version(&first);
    apply_writes(store, vec![put(&winner, Some(1))], "update from version 1").await;
    let mut stale = next_version(&first);
    stale.status = "refused".to_owned();
    apply_version_conflict(store, one(put(&stale, Some(1))), "a stale update").await;
    let mut ahead = winner.clone();
    ahead.version = 6;
    apply_version_conflict(
        store,
        one(put(&ahead, Some(5))),
        "an update from a version ahead",
    )
    .await;
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&winner)),
        "[{b}] refused updates change nothing"
    );

    let missing = next_version(&request(&unique("missing-request"), digest("m")));
    apply_version_conflict(
        store,
        one(put(&missing, Some(1))),
        "an update of a missing id",
    )
    .await;
    assert_eq!(store.rights_request(&missing.id).await.unwrap(), None);

    // A conflict fails its whole batch: the insert beside it and the audit entry too.
    let fresh = request(&unique("request-beside"), digest("beside"));
    let head = store.audit_head().await.unwrap();
    let batch = chained_batch(
        store,
        vec![put(&fresh, None), put(&stale, Some(1))],
        vec![Event::new("rights.update", fresh.updated_at)],
    )
    .await;
    apply_version_conflict(store, batch, "a batch with a stale update").await;
    assert_eq!(
        store.rights_request(&fresh.id).await.unwrap(),
        None,
        "[{b}] nothing of a batch that conflicted is kept"
    );
    assert_eq!(
        store.audit_head().await.unwrap(),
        head,
        "[{b}] the audit entries of a batch that conflicted are not kept"
    );
}

/// Four writers insert one id at once, then four update it from one version: one of
/// each wins, the others get a version conflict.
pub async fn concurrent_writes_of_one_request_let_one_through(store: &dyn Store) {
    let b = store.backend();
    let id = unique("request-race");
    let inserts: Vec<RightsRequestRow> = (0..4u8)
        .map(|i| {
            let mut r = request(&id, digest(&id));
            r.body = blob(i, 50);
            r
        })
        .collect();
    let insert = |r: &RightsRequestRow| store.apply(one(put(r, None)));
    let results = tokio::join!(
        insert(&inserts[0]),
        insert(&inserts[1]),
        insert(&inserts[2]),
        insert(&inserts[3])
    );
    let results = [results.0, results.1, results.2, results.3];
    let winner = single_winner(b, "insert", &results);
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&inserts[winner])),
        "[{b}] the winning insert is stored"
    );

    let updates: Vec<RightsRequestRow> = (0..4u8)
        .map(|i| {
            let mut r = next_version(&inserts[winner]);
            r.status = format!("status-{i}");
            r
        })
        .collect();
    let update = |r: &RightsRequestRow| store.apply(one(put(r, Some(1))));
    let results = tokio::join!(
        update(&updates[0]),
        update(&updates[1]),
        update(&updates[2]),
        update(&updates[3])
    );
    let results = [results.0, results.1, results.2, results.3];
    let winner = single_winner(b, "update", &results);
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        Some(stored_request(&updates[winner])),
        "[{b}] the winning update is stored"
    );
}

/// The index of the one success; every other result must be a version conflict.
fn single_winner(b: &str, what: &str, results: &[Result<(), StoreError>]) -> usize {
    let mut winners = Vec::new();
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(()) => winners.push(i),
            Err(StoreError::VersionConflict { .. }) => {}
            Err(e) => panic!("[{b}] a concurrent {what} failed: {e}"),
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "[{b}] concurrent {what}s of one request: {} succeeded",
        winners.len()
    );
    winners[0]
}

pub async fn requests_page_by_id_and_list_by_email(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("rq-page");
    let (one_mail, other_mail) = (
        digest(&format!("{prefix}:1")),
        digest(&format!("{prefix}:2")),
    );
    // Ids sort as bytes: upper case before lower case.
    let rows = [
        request(&format!("{prefix}-A"), one_mail.clone()),
        request(&format!("{prefix}-a"), other_mail.clone()),
        request(&format!("{prefix}-b"), one_mail.clone()),
        request(&format!("{prefix}-c"), other_mail.clone()),
    ];
    let writes = rows.iter().rev().map(|r| put(r, None)).collect();
    apply_writes(store, writes, "requests to page").await;

    let mut seen = Vec::new();
    let mut after = format!("{prefix}-");
    loop {
        let page = store.rights_requests_page(Some(&after), 2).await.unwrap();
        assert!(
            page.len() <= 2,
            "[{b}] a page holds at most `limit` requests"
        );
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        seen.extend(page.into_iter().filter(|r| r.id.starts_with(&prefix)));
        if !after.starts_with(&prefix) {
            break;
        }
    }
    let want: Vec<RightsRequestRow> = rows.iter().map(stored_request).collect();
    assert_eq!(
        seen, want,
        "[{b}] pages of requests follow byte order of ids"
    );
    let all = store.rights_requests_page(None, 100_000).await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| w[0].id.as_bytes() < w[1].id.as_bytes()),
        "[{b}] a full page of requests is sorted"
    );

    assert_eq!(
        store.rights_requests_by_email(&one_mail).await.unwrap(),
        vec![want[0].clone(), want[2].clone()],
        "[{b}] requests by e-mail index, by id"
    );
    assert_eq!(
        store.rights_requests_by_email(&other_mail).await.unwrap(),
        vec![want[1].clone(), want[3].clone()],
        "[{b}] requests by another e-mail index"
    );
    assert!(
        store
            .rights_requests_by_email(&digest(&unique("no-mail")))
            .await
            .unwrap()
            .is_empty()
    );
}

/// The staff queue: every combination of conditions agrees with a filter of what
/// was written, ordered by due date then id bytes, paged by offset, with the total.
pub async fn request_queue_filters_orders_and_counts(store: &dyn Store) {
    let b = store.backend();
    // A kind of its own keeps other checks' requests out of every query below.
    let kind = unique("queue-kind");
    let base = datetime!(2026-06-01 12:00:00 UTC);
    let statuses = ["verified", "in_progress", "completed"];
    let rows: Vec<RightsRequestRow> = (0..9)
        .map(|i: i64| {
            let mut r = request(
                &format!(
                    "{kind}-{}",
                    ["B", "a", "c"][(i % 3) as usize].to_owned() + &i.to_string()
                ),
                digest(&kind),
            );
            r.kind = kind.clone();
            r.status = statuses[(i % 3) as usize].to_owned();
            // Three share a due date, so the id decides between them.
            r.due_at = base + Duration::days((i / 3) * 2) + Duration::microseconds(i % 2);
            r.assignee = (i % 2 == 0).then(|| format!("{kind}-handler"));
            r
        })
        .collect();
    let writes = rows.iter().map(|r| put(r, None)).collect();
    apply_writes(store, writes, "requests for the queue").await;

    let mut stored: Vec<RightsRequestRow> = rows.iter().map(stored_request).collect();
    stored.sort_by(|x, y| (x.due_at, x.id.as_bytes()).cmp(&(y.due_at, y.id.as_bytes())));
    let head = stored_head;
    let of_kind = RequestQuery {
        kind: Some(kind.clone()),
        ..RequestQuery::default()
    };
    let queries = [
        of_kind.clone(),
        RequestQuery {
            statuses: vec!["verified".to_owned(), "in_progress".to_owned()],
            ..of_kind.clone()
        },
        RequestQuery {
            assignee: Some(format!("{kind}-handler")),
            ..of_kind.clone()
        },
        RequestQuery {
            due_from: Some(base + Duration::days(2)),
            due_before: Some(base + Duration::days(4) + Duration::microseconds(1)),
            ..of_kind.clone()
        },
        RequestQuery {
            statuses: vec!["completed".to_owned()],
            due_before: Some(base + Duration::days(3)),
            ..of_kind.clone()
        },
        RequestQuery {
            offset: 2,
            limit: Some(3),
            ..of_kind.clone()
        },
        RequestQuery {
            offset: 8,
            limit: Some(5),
            ..of_kind.clone()
        },
        RequestQuery {
            offset: 20,
            limit: Some(5),
            ..of_kind.clone()
        },
        RequestQuery {
            statuses: vec!["refused".to_owned()],
            ..of_kind.clone()
        },
    ];
    for q in &queries {
        let matching: Vec<RequestHead> = stored
            .iter()
            .filter(|r| q.statuses.is_empty() || q.statuses.contains(&r.status))
            .filter(|r| q.assignee.is_none() || r.assignee == q.assignee)
            .filter(|r| q.due_from.is_none_or(|t| r.due_at >= t))
            .filter(|r| q.due_before.is_none_or(|t| r.due_at < t))
            .map(head)
            .collect();
        let want: Vec<RequestHead> = matching
            .iter()
            .skip(usize::try_from(q.offset).unwrap())
            .take(q.limit.map_or(usize::MAX, |l| l as usize))
            .cloned()
            .collect();
        let got = store.rights_request_queue(q).await.unwrap();
        assert_eq!(got.rows, want, "[{b}] the queue's rows for {q:?}");
        assert_eq!(
            got.total,
            matching.len() as u64,
            "[{b}] the queue's total for {q:?}"
        );
    }
    // Values the store cannot hold match nothing rather than failing.
    let odd = RequestQuery {
        kind: Some("nul\0kind".to_owned()),
        ..RequestQuery::default()
    };
    let got = store.rights_request_queue(&odd).await.unwrap();
    assert_eq!((got.rows.len(), got.total), (0, 0), "[{b}] a kind with NUL");
}

pub async fn requests_listed_by_subject(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("rq-subject");
    let (one, other) = (format!("{prefix}:s1"), format!("{prefix}:s2"));
    let with = |id: &str, subject: Option<&str>| RightsRequestRow {
        subject_id: subject.map(str::to_owned),
        ..request(&format!("{prefix}-{id}"), digest(&prefix))
    };
    // Ids sort as bytes: upper case before lower case.
    let rows = [
        with("b", Some(&one)),
        with("A", Some(&one)),
        with("c", Some(&other)),
        with("d", None),
    ];
    let writes = rows.iter().map(|r| put(r, None)).collect();
    apply_writes(store, writes, "requests of subjects").await;
    let head = |r: &RightsRequestRow| stored_head(&stored_request(r));
    assert_eq!(
        store.rights_requests_by_subject(&one).await.unwrap(),
        vec![head(&rows[1]), head(&rows[0])],
        "[{b}] requests by subject, by id"
    );
    assert_eq!(
        store.rights_requests_by_subject(&other).await.unwrap(),
        vec![head(&rows[2])],
        "[{b}] requests of another subject"
    );
    assert!(
        store
            .rights_requests_by_subject(&unique("no-subject"))
            .await
            .unwrap()
            .is_empty(),
        "[{b}] a subject without requests"
    );
}

pub async fn outbox_replaces_by_id_and_lists_by_request(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("outbox");
    let request_id = unique("outbox-request");
    let next = datetime!(2026-04-02 10:05:00.25 +01:00);
    let first = outbox_item(&format!("{prefix}-2"), Some(&request_id), next);
    let mut second = outbox_item(&format!("{prefix}-1"), Some(&request_id), next);
    second.channel = "webhook".to_owned();
    second.recipient = Some("payment_provider".to_owned());
    let unrelated = outbox_item(&format!("{prefix}-3"), None, next);
    apply_writes(
        store,
        vec![
            Write::PutOutbox(first.clone()),
            Write::PutOutbox(second.clone()),
            Write::PutOutbox(unrelated.clone()),
        ],
        "queue messages",
    )
    .await;
    assert_eq!(
        store.outbox_item(&first.id).await.unwrap(),
        Some(stored_outbox(&first)),
        "[{b}] an outbox item comes back exactly"
    );
    assert_eq!(
        store.outbox_item(&unrelated.id).await.unwrap(),
        Some(stored_outbox(&unrelated))
    );

    // A failed attempt, then a delivery: the item is replaced each time.
    let mut failed = first.clone();
    failed.attempts = 1;
    failed.last_error = Some("SMTP 451 « temporary » ✉".to_owned());
    failed.next_attempt_at = next + Duration::minutes(5);
    let mut delivered = second.clone();
    delivered.attempts = 3;
    delivered.status = "delivered".to_owned();
    delivered.delivered_at = Some(datetime!(2026-04-02 11:00:00.000000001 UTC));
    delivered.body = Vec::new();
    apply_writes(
        store,
        vec![
            Write::PutOutbox(failed.clone()),
            Write::PutOutbox(delivered.clone()),
        ],
        "replace outbox items",
    )
    .await;
    assert_eq!(
        store.outbox_for_request(&request_id).await.unwrap(),
        vec![stored_outbox(&delivered), stored_outbox(&failed)],
        "[{b}] a request's items, replaced, by id"
    );
    assert!(
        store
            .outbox_for_request(&unique("no-request"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.outbox_item(&unique("no-item")).await.unwrap(), None);
}

pub async fn outbox_due_is_ordered_and_cut_off_at_now(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("due");
    let now = datetime!(2031-03-03 12:00:00.5 UTC);
    let item = |suffix: &str, next: OffsetDateTime, status: &str| {
        let mut o = outbox_item(&format!("{prefix}-{suffix}"), None, next);
        o.status = status.to_owned();
        o
    };
    let items = [
        item("a", now - Duration::hours(1), "pending"),
        item("b", now - Duration::hours(2), "pending"),
        item("c", now, "pending"),
        item("d", now + Duration::microseconds(1), "pending"),
        item("e", now - Duration::hours(3), "delivered"),
        item("f", now - Duration::hours(3), "failed"),
        // Same time as "a", smaller id: first of the two.
        item("0", now - Duration::hours(1), "pending"),
    ];
    let writes = items.iter().cloned().map(Write::PutOutbox).collect();
    apply_writes(store, writes, "queue messages due at various times").await;

    let mine = |list: &[OutboxItem]| -> Vec<String> {
        list.iter()
            .filter(|o| o.id.starts_with(&prefix))
            .map(|o| o.id[prefix.len() + 1..].to_owned())
            .collect()
    };
    let due = store.outbox_due(now, 100_000).await.unwrap();
    assert_eq!(
        mine(&due),
        ["b", "0", "a", "c"],
        "[{b}] pending items due by now, by time then id; later or not pending ones left out"
    );
    assert!(
        due.iter()
            .all(|o| o.status == "pending" && o.next_attempt_at <= now),
        "[{b}] only pending items due by now"
    );
    assert!(
        due.windows(2).all(|w| {
            (w[0].next_attempt_at, w[0].id.as_bytes()) < (w[1].next_attempt_at, w[1].id.as_bytes())
        }),
        "[{b}] due items are sorted by time, then id"
    );
    let b_item = due.iter().find(|o| o.id == items[1].id).unwrap();
    assert_eq!(
        b_item,
        &stored_outbox(&items[1]),
        "[{b}] a due item, exactly"
    );

    // `now` counts at whole microseconds, like every stored instant.
    let with_nanos = store
        .outbox_due(now + Duration::nanoseconds(999), 100_000)
        .await
        .unwrap();
    assert_eq!(
        mine(&with_nanos),
        ["b", "0", "a", "c"],
        "[{b}] now with nanoseconds"
    );
    let just_after = store
        .outbox_due(now + Duration::microseconds(1), 100_000)
        .await
        .unwrap();
    assert_eq!(
        mine(&just_after),
        ["b", "0", "a", "c", "d"],
        "[{b}] one microsecond later"
    );
    let earlier = store
        .outbox_due(now - Duration::minutes(90), 100_000)
        .await
        .unwrap();
    assert_eq!(mine(&earlier), ["b"], "[{b}] an earlier now");

    let limited = store.outbox_due(now, 2).await.unwrap();
    assert_eq!(
        limited,
        due[..2.min(due.len())].to_vec(),
        "[{b}] `limit` keeps the first due items"
    );

    // Delivered: no longer due.
    let mut done = items[1].clone();
    done.status = "delivered".to_owned();
    apply_writes(store, vec![Write::PutOutbox(done)], "deliver an item").await;
    let due = store.outbox_due(now, 100_000).await.unwrap();
    assert_eq!(
        mine(&due),
        ["0", "a", "c"],
        "[{b}] a delivered item is not due"
    );
}

/// Failed items only, counted, newest failure first, without body nor recipient.
/// Other checks share the store, so counts are compared before and after.
pub async fn outbox_failures_are_counted_and_listed_newest_first(store: &dyn Store) {
    let b = store.backend();
    let before = store.outbox_failures(0).await.unwrap();
    let pending_before = store.outbox_pending().await.unwrap();
    assert!(before.latest.is_empty(), "[{b}] a limit of 0 lists nothing");
    let prefix = unique("failure");
    // Later than any other check's instants, so these are the newest failures.
    let at = datetime!(2090-06-01 08:00:00.123456789 UTC);
    let item = |suffix: &str, failed_at: OffsetDateTime, status: &str| {
        let mut o = outbox_item(&format!("{prefix}-{suffix}"), Some("req-1"), failed_at);
        o.status = status.to_owned();
        o.attempts = 12;
        o.last_error = Some("transient delivery failure: timed out".to_owned());
        o
    };
    let mut webhook = item("b", at, "failed");
    webhook.channel = "webhook".to_owned();
    webhook.recipient = Some("payment_provider".to_owned());
    webhook.request_id = None;
    webhook.last_error = None;
    let items = [
        item("a", at - Duration::hours(1), "failed"),
        webhook,
        // Same instant as "b", larger id: before it.
        item("c", at, "failed"),
        item("d", at + Duration::hours(1), "pending"),
        item("e", at + Duration::hours(2), "delivered"),
    ];
    let writes = items.iter().cloned().map(Write::PutOutbox).collect();
    apply_writes(store, writes, "queue failed and other messages").await;

    let after = store.outbox_failures(3).await.unwrap();
    assert_eq!(
        after.total,
        before.total + 3,
        "[{b}] only failed items are counted"
    );
    assert_eq!(
        store.outbox_pending().await.unwrap(),
        pending_before + 1,
        "[{b}] only pending items wait"
    );
    let expected: Vec<OutboxFailure> = [&items[2], &items[1], &items[0]]
        .into_iter()
        .map(|o| OutboxFailure {
            id: o.id.clone(),
            channel: o.channel.clone(),
            request_id: o.request_id.clone(),
            attempts: o.attempts,
            last_error: o.last_error.clone(),
            failed_at: to_stored_instant(o.next_attempt_at),
        })
        .collect();
    assert_eq!(
        after.latest, expected,
        "[{b}] newest failure first, same instant by id descending"
    );
    let two = store.outbox_failures(2).await.unwrap();
    assert_eq!(two.total, after.total, "[{b}] the count ignores the limit");
    assert_eq!(
        two.latest,
        expected[..2].to_vec(),
        "[{b}] `limit` keeps the newest"
    );

    // A failed item retried by hand and delivered leaves the count.
    let mut delivered = items[0].clone();
    delivered.status = "delivered".to_owned();
    apply_writes(
        store,
        vec![Write::PutOutbox(delivered)],
        "deliver a failed item",
    )
    .await;
    assert_eq!(
        store.outbox_failures(0).await.unwrap().total,
        before.total + 2,
        "[{b}] a delivered item is no failure"
    );
}

/// A claim moves a due item's next attempt to its lease's end; a second claim from
/// the same reading conflicts, as do claims of a delivered item; of four concurrent
/// claims one wins; the item is due again when the lease ends.
pub async fn outbox_claims_let_one_sender_through(store: &dyn Store) {
    let b = store.backend();
    let due = datetime!(2026-04-02 10:05:00.25 +01:00);
    let item = outbox_item(&unique("outbox-claim"), None, due);
    apply_writes(
        store,
        vec![Write::PutOutbox(item.clone())],
        "an item to claim",
    )
    .await;
    let stored_due = to_stored_instant(due);
    let claim = |due_at: OffsetDateTime, until: OffsetDateTime| Write::ClaimOutbox {
        id: item.id.clone(),
        due_at,
        until,
    };
    let lease_end = due + Duration::minutes(2);
    apply_writes(store, vec![claim(stored_due, lease_end)], "a claim").await;
    apply_version_conflict(
        store,
        one(claim(stored_due, lease_end)),
        "the same claim again",
    )
    .await;
    let ids_due = |now| async move {
        store
            .outbox_due(now, 100_000)
            .await
            .unwrap()
            .into_iter()
            .map(|o| (o.id, o.next_attempt_at))
            .collect::<Vec<_>>()
    };
    assert!(
        !ids_due(lease_end - Duration::seconds(1))
            .await
            .iter()
            .any(|(id, _)| id == &item.id),
        "[{b}] a claimed item is not due during its lease"
    );
    assert!(
        ids_due(lease_end)
            .await
            .contains(&(item.id.clone(), to_stored_instant(lease_end))),
        "[{b}] the item is due again when the lease ends"
    );

    let stored_end = to_stored_instant(lease_end);
    let race = |i: i64| store.apply(one(claim(stored_end, lease_end + Duration::minutes(i))));
    let results = tokio::join!(race(1), race(2), race(3), race(4));
    single_winner(b, "claim", &[results.0, results.1, results.2, results.3]);

    let mut delivered = item.clone();
    delivered.status = "delivered".to_owned();
    delivered.next_attempt_at = due;
    apply_writes(
        store,
        vec![Write::PutOutbox(delivered)],
        "the item delivered",
    )
    .await;
    apply_version_conflict(
        store,
        one(claim(stored_due, lease_end)),
        "a claim of a delivered item",
    )
    .await;
}

pub async fn downloads_replace_and_delete(store: &dyn Store) {
    let b = store.backend();
    let request_id = unique("download-request");
    let token = digest(&unique("token"));
    let first = DownloadRow {
        token_hash: token.clone(),
        request_id: request_id.clone(),
        format: "json".to_owned(),
        created_at: datetime!(2026-04-03 08:00:00.000001999 +03:00),
        expires_at: datetime!(2026-04-10 08:00 UTC),
        body: blob(13, 256 * 1024),
    };
    let stored = |d: &DownloadRow| DownloadRow {
        created_at: to_stored_instant(d.created_at),
        expires_at: to_stored_instant(d.expires_at),
        ..d.clone()
    };
    let other = DownloadRow {
        token_hash: digest(&unique("token")),
        format: "html".to_owned(),
        body: blob(14, 5),
        ..first.clone()
    };
    apply_writes(
        store,
        vec![
            Write::PutDownload(first.clone()),
            Write::PutDownload(other.clone()),
        ],
        "store downloads",
    )
    .await;
    assert_eq!(
        store.download(&token).await.unwrap(),
        Some(stored(&first)),
        "[{b}] a 256 KiB download comes back exactly"
    );

    let replaced = DownloadRow {
        format: "csv".to_owned(),
        body: blob(15, 40),
        ..first.clone()
    };
    apply_writes(
        store,
        vec![Write::PutDownload(replaced.clone())],
        "replace a download",
    )
    .await;
    assert_eq!(
        store.download(&token).await.unwrap(),
        Some(stored(&replaced)),
        "[{b}] a download is replaced by its token hash"
    );

    let delete = || Write::DeleteDownload {
        token_hash: token.clone(),
    };
    apply_writes(store, vec![delete()], "delete a download").await;
    assert_eq!(store.download(&token).await.unwrap(), None);
    assert_eq!(
        store.download(&other.token_hash).await.unwrap(),
        Some(stored(&other)),
        "[{b}] deleting a download leaves the others"
    );
    apply_writes(store, vec![delete()], "delete a download twice").await;
    assert_eq!(
        store.download(&digest(&unique("no-token"))).await.unwrap(),
        None
    );

    // A one-time use deletes it; a second use fails and its batch writes nothing.
    apply_writes(
        store,
        vec![Write::PutDownload(first.clone())],
        "store a download again",
    )
    .await;
    let use_it = || Write::UseDownload {
        token_hash: token.clone(),
    };
    apply_writes(store, vec![use_it()], "use a download").await;
    assert_eq!(store.download(&token).await.unwrap(), None);
    let second = store
        .apply(custodia_store::Batch {
            writes: vec![Write::PutDownload(other.clone()), use_it()],
            audit: Vec::new(),
        })
        .await;
    assert_eq!(
        second,
        Err(custodia_store::backend::DOWNLOAD_USED),
        "[{b}] a used download cannot be used again"
    );
    assert_eq!(
        store.download(&other.token_hash).await.unwrap(),
        Some(stored(&other)),
        "[{b}] the failed use's batch wrote nothing"
    );

    // Stored and deleted in one batch, in that order: gone.
    apply_writes(
        store,
        vec![Write::PutDownload(first.clone()), delete()],
        "store and delete a download",
    )
    .await;
    assert_eq!(store.download(&token).await.unwrap(), None);
}

pub async fn documents_replace_and_delete(store: &dyn Store) {
    let b = store.backend();
    let request_id = unique("document-request");
    let neighbour = unique("document-request");
    let document = |id: &str, media_type: &str, seed: u8| RequestDocument {
        request_id: id.to_owned(),
        uploaded_at: datetime!(2026-04-04 16:30:00.999999999 -03:00),
        media_type: media_type.to_owned(),
        body: blob(seed, 4096),
    };
    let stored = |d: &RequestDocument| RequestDocument {
        uploaded_at: to_stored_instant(d.uploaded_at),
        ..d.clone()
    };
    let first = document(&request_id, "image/jpeg", 16);
    let beside = document(&neighbour, "image/png", 17);
    apply_writes(
        store,
        vec![
            Write::PutRequestDocument(first.clone()),
            Write::PutRequestDocument(beside.clone()),
        ],
        "upload documents",
    )
    .await;
    assert_eq!(
        store.request_document(&request_id).await.unwrap(),
        Some(stored(&first)),
        "[{b}] a document comes back exactly"
    );

    let mut second = document(&request_id, "application/pdf", 18);
    second.uploaded_at += Duration::hours(1);
    apply_writes(
        store,
        vec![Write::PutRequestDocument(second.clone())],
        "upload a new document",
    )
    .await;
    assert_eq!(
        store.request_document(&request_id).await.unwrap(),
        Some(stored(&second)),
        "[{b}] a new upload replaces the earlier document"
    );

    let delete = || Write::DeleteRequestDocument {
        request_id: request_id.clone(),
    };
    apply_writes(store, vec![delete()], "delete a document").await;
    assert_eq!(store.request_document(&request_id).await.unwrap(), None);
    assert_eq!(
        store.request_document(&neighbour).await.unwrap(),
        Some(stored(&beside)),
        "[{b}] deleting a document leaves the other requests' ones"
    );
    apply_writes(store, vec![delete()], "delete a missing document").await;
    assert_eq!(store.request_document("nul\0request").await.unwrap(), None);
}

fn opposition(digest: &[u8], added_at: OffsetDateTime, expires_at: OffsetDateTime) -> Write {
    Write::AddOpposition(OppositionEntry {
        digest: digest.to_vec(),
        added_at,
        expires_at,
    })
}

pub async fn opposition_keeps_earliest_added_and_latest_expiry(store: &dyn Store) {
    let b = store.backend();
    let d = digest(&unique("opposition"));
    let entry = |added_at, expires_at| {
        Some(OppositionEntry {
            digest: d.clone(),
            added_at,
            expires_at,
        })
    };
    let cases = [
        // (added, expires) written, then (added, expires) expected.
        (
            datetime!(2026-03-01 00:00:00.123456789 UTC),
            datetime!(2029-03-01 00:00 UTC),
            datetime!(2026-03-01 00:00:00.123456 UTC),
            datetime!(2029-03-01 00:00 UTC),
        ),
        // Later and shorter: changes nothing.
        (
            datetime!(2026-05-01 00:00 UTC),
            datetime!(2028-01-01 00:00 UTC),
            datetime!(2026-03-01 00:00:00.123456 UTC),
            datetime!(2029-03-01 00:00 UTC),
        ),
        // Earlier and longer: both move.
        (
            datetime!(2025-12-01 00:00 +01:00),
            datetime!(2030-01-01 00:00 UTC),
            datetime!(2025-11-30 23:00 UTC),
            datetime!(2030-01-01 00:00 UTC),
        ),
        // Later but longer: only the expiry moves.
        (
            datetime!(2026-01-01 00:00 UTC),
            datetime!(2031-01-01 00:00:00.000001 UTC),
            datetime!(2025-11-30 23:00 UTC),
            datetime!(2031-01-01 00:00:00.000001 UTC),
        ),
        // Earlier but shorter: only the addition moves.
        (
            datetime!(2025-01-01 00:00 UTC),
            datetime!(2027-01-01 00:00 UTC),
            datetime!(2025-01-01 00:00 UTC),
            datetime!(2031-01-01 00:00:00.000001 UTC),
        ),
    ];
    for (i, (added, expires, want_added, want_expires)) in cases.into_iter().enumerate() {
        apply_writes(
            store,
            vec![opposition(&d, added, expires)],
            "add to the opposition list",
        )
        .await;
        assert_eq!(
            store.opposition_entry(&d).await.unwrap(),
            entry(want_added, want_expires),
            "[{b}] opposition entry after addition {i}"
        );
    }

    // Twice in one batch: merged the same way.
    let twice = digest(&unique("opposition"));
    apply_writes(
        store,
        vec![
            opposition(
                &twice,
                datetime!(2026-02-01 00:00 UTC),
                datetime!(2027-02-01 00:00 UTC),
            ),
            opposition(
                &twice,
                datetime!(2026-01-01 00:00 UTC),
                datetime!(2026-06-01 00:00 UTC),
            ),
        ],
        "add one digest twice in a batch",
    )
    .await;
    assert_eq!(
        store.opposition_entry(&twice).await.unwrap(),
        Some(OppositionEntry {
            digest: twice.clone(),
            added_at: datetime!(2026-01-01 00:00 UTC),
            expires_at: datetime!(2027-02-01 00:00 UTC),
        }),
        "[{b}] two additions in one batch merge"
    );
    assert_eq!(
        store
            .opposition_entry(&digest(&unique("not-opposed")))
            .await
            .unwrap(),
        None
    );
}

pub async fn opposition_pages_by_digest_bytes(store: &dyn Store) {
    let b = store.backend();
    let prefix = digest(&unique("opposition-page"))[..8].to_vec();
    let with = |tail: &[u8]| [prefix.as_slice(), tail].concat();
    // Byte order: a shorter digest first, and 0x80 after 0x7f (unsigned bytes).
    let digests = [
        with(&[0x00]),
        with(&[0x00, 0x00]),
        with(&[0x7f]),
        with(&[0x80]),
        with(&[0xff]),
    ];
    let at = datetime!(2026-07-01 00:00 UTC);
    let writes = [3, 0, 4, 1, 2]
        .iter()
        .map(|&i| opposition(&digests[i], at, at + Duration::days(3 * 365)))
        .collect();
    apply_writes(store, writes, "digests to page").await;

    let mut seen = Vec::new();
    let mut after = prefix.clone();
    loop {
        let page = store.opposition_page(Some(&after), 2).await.unwrap();
        assert!(
            page.len() <= 2,
            "[{b}] a page holds at most `limit` entries"
        );
        let Some(last) = page.last() else { break };
        after = last.digest.clone();
        seen.extend(
            page.into_iter()
                .map(|e| e.digest)
                .filter(|d| d.starts_with(&prefix)),
        );
        if !after.starts_with(&prefix) {
            break;
        }
    }
    assert_eq!(
        seen,
        digests.to_vec(),
        "[{b}] pages follow byte order of digests"
    );
    let all = store.opposition_page(None, 100_000).await.unwrap();
    assert!(
        all.windows(2).all(|w| w[0].digest < w[1].digest),
        "[{b}] a full page of the opposition list is sorted"
    );
    assert!(all.iter().any(|e| e.digest == digests[0]));
}

fn restrict(subject_id: &str, since: OffsetDateTime, request_id: Option<&str>) -> Write {
    Write::SetRestriction {
        subject_id: subject_id.to_owned(),
        restriction: Some(Restriction {
            subject_id: subject_id.to_owned(),
            since,
            request_id: request_id.map(str::to_owned),
        }),
    }
}

fn lift(subject_id: &str) -> Write {
    Write::SetRestriction {
        subject_id: subject_id.to_owned(),
        restriction: None,
    }
}

pub async fn restrictions_set_replace_clear_and_page(store: &dyn Store) {
    let b = store.backend();
    let prefix = unique("restricted");
    let (first, second, free) = (
        format!("{prefix}-1"),
        format!("{prefix}-2"),
        format!("{prefix}-3"),
    );
    let at = datetime!(2026-04-05 00:00 UTC);
    let request_id = unique("restriction-request");
    apply_writes(
        store,
        vec![
            create_subject(&first, at),
            create_subject(&second, at),
            create_subject(&free, at),
            restrict(
                &first,
                datetime!(2026-04-05 10:00:00.000000500 +02:00),
                Some(&request_id),
            ),
            restrict(&second, at, None),
        ],
        "restrict subjects",
    )
    .await;
    let restriction = |subject_id: &str, since, request_id: Option<&str>| Restriction {
        subject_id: subject_id.to_owned(),
        since,
        request_id: request_id.map(str::to_owned),
    };
    assert_eq!(
        store.restriction(&first).await.unwrap(),
        Some(restriction(
            &first,
            datetime!(2026-04-05 08:00 UTC),
            Some(&request_id)
        )),
        "[{b}] a restriction comes back exactly"
    );
    assert_eq!(store.restriction(&free).await.unwrap(), None);

    let later = datetime!(2026-05-05 00:00 UTC);
    apply_writes(store, vec![restrict(&first, later, None)], "restrict again").await;
    let replaced = restriction(&first, later, None);
    assert_eq!(
        store.restriction(&first).await.unwrap(),
        Some(replaced.clone()),
        "[{b}] a new restriction replaces the earlier one"
    );

    assert_eq!(
        restrictions_under(store, &prefix).await,
        vec![replaced.clone(), restriction(&second, at, None)],
        "[{b}] restrictions page by subject id"
    );
    let all = store.restrictions_page(None, 100_000).await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| w[0].subject_id.as_bytes() < w[1].subject_id.as_bytes()),
        "[{b}] a full page of restrictions is sorted"
    );

    apply_writes(store, vec![lift(&first)], "lift a restriction").await;
    assert_eq!(store.restriction(&first).await.unwrap(), None);
    assert_eq!(
        restrictions_under(store, &prefix).await,
        vec![restriction(&second, at, None)],
        "[{b}] a lifted restriction leaves the pages"
    );
    apply_writes(
        store,
        vec![lift(&first), lift(&free)],
        "lift restrictions that are not there",
    )
    .await;
    assert_eq!(store.restriction("nul\0subject").await.unwrap(), None);
}

/// The restrictions of subjects whose id starts with `prefix-`, read by pages of one.
async fn restrictions_under(store: &dyn Store, prefix: &str) -> Vec<Restriction> {
    let b = store.backend();
    let mut seen = Vec::new();
    let mut after = format!("{prefix}-");
    loop {
        let page = store.restrictions_page(Some(&after), 1).await.unwrap();
        assert!(
            page.len() <= 1,
            "[{b}] a page holds at most `limit` restrictions"
        );
        let Some(last) = page.last() else { break };
        after = last.subject_id.clone();
        seen.extend(
            page.into_iter()
                .filter(|r| r.subject_id.starts_with(prefix)),
        );
        if !after.starts_with(prefix) {
            break;
        }
    }
    seen
}

pub async fn restrictions_need_an_existing_subject(store: &dyn Store) {
    let b = store.backend();
    let missing = unique("no-such-subject");
    let at = datetime!(2026-04-06 00:00 UTC);
    apply_invalid(
        store,
        one(restrict(&missing, at, None)),
        "restricting a missing subject",
    )
    .await;
    apply_invalid(store, one(lift(&missing)), "lifting for a missing subject").await;
    assert_eq!(store.restriction(&missing).await.unwrap(), None);

    let subject = unique("restricted");
    apply_writes(store, vec![create_subject(&subject, at)], "a subject").await;
    let mut other = restrict(&subject, at, None);
    if let Write::SetRestriction {
        restriction: Some(r),
        ..
    } = &mut other
    {
        r.subject_id = unique("someone-else");
    }
    apply_invalid(
        store,
        one(other),
        "a restriction naming another subject than its write",
    )
    .await;
    assert_eq!(
        store.restriction(&subject).await.unwrap(),
        None,
        "[{b}] a refused restriction is not stored"
    );
}

pub async fn erasure_lifts_the_restriction(store: &dyn Store) {
    let b = store.backend();
    let subject = unique("erased-restricted");
    let at = datetime!(2026-04-07 00:00 UTC);
    apply_writes(
        store,
        vec![create_subject(&subject, at), restrict(&subject, at, None)],
        "restrict a subject",
    )
    .await;
    let erased_at = at + Duration::days(1);
    apply_writes(
        store,
        vec![Write::EraseSubject {
            subject_id: subject.clone(),
            erased_at,
        }],
        "erase a restricted subject",
    )
    .await;
    assert_eq!(
        store.restriction(&subject).await.unwrap(),
        None,
        "[{b}] erasure lifts the restriction"
    );
    let kept = store.subject(&subject).await.unwrap();
    assert_eq!(
        kept.map(|s| s.record.erased_at),
        Some(Some(erased_at)),
        "[{b}] the erased subject's row stays"
    );
}

pub async fn invalid_rights_writes_are_refused(store: &dyn Store) {
    let b = store.backend();
    let id = unique("invalid-request");
    let long = "x".repeat(129);
    let base = request(&id, digest(&id));
    let with = |f: &dyn Fn(&mut RightsRequestRow)| {
        let mut r = base.clone();
        f(&mut r);
        r
    };
    let requests = [
        (put(&with(&|r| r.id = String::new()), None), "an empty id"),
        (
            put(&with(&|r| r.id = long.clone()), None),
            "an id of 129 bytes",
        ),
        (
            put(&with(&|r| r.kind = long.clone()), None),
            "a kind of 129 bytes",
        ),
        (
            put(&with(&|r| r.kind = String::new()), None),
            "an empty kind",
        ),
        (
            put(&with(&|r| r.status = long.clone()), None),
            "a status of 129 bytes",
        ),
        (
            put(&with(&|r| r.status = String::new()), None),
            "an empty status",
        ),
        (
            put(&with(&|r| r.kind = "ac\0cess".to_owned()), None),
            "a kind with NUL",
        ),
        (
            put(&with(&|r| r.assignee = Some(String::new())), None),
            "an empty assignee",
        ),
        (
            put(&with(&|r| r.subject_id = Some(long.clone())), None),
            "a subject id of 129 bytes",
        ),
        (put(&with(&|r| r.version = 0), None), "version 0"),
        (put(&with(&|r| r.version = -1), None), "a negative version"),
        (
            put(&with(&|r| r.version = 3), Some(1)),
            "an update skipping a version",
        ),
        (
            put(&with(&|r| r.version = 1), Some(1)),
            "an update keeping its version",
        ),
    ];
    for (write, what) in requests {
        apply_invalid(store, one(write), &format!("a rights request with {what}")).await;
    }
    assert_eq!(
        store.rights_request(&id).await.unwrap(),
        None,
        "[{b}] no refused request is stored"
    );
    // 128 bytes is the limit, not beyond it.
    let longest = format!("{id}{}", "x".repeat(128 - id.len()));
    apply_writes(
        store,
        vec![put(&with(&|r| r.id = longest.clone()), None)],
        "a request id of 128 bytes",
    )
    .await;

    let outbox_id = unique("invalid-outbox");
    let item = outbox_item(&outbox_id, None, datetime!(2026-04-08 00:00 UTC));
    let with_item = |f: &dyn Fn(&mut OutboxItem)| {
        let mut o = item.clone();
        f(&mut o);
        Write::PutOutbox(o)
    };
    let items = [
        (with_item(&|o| o.id = String::new()), "an empty id"),
        (with_item(&|o| o.channel = "sms".to_owned()), "channel sms"),
        (
            with_item(&|o| o.status = "queued".to_owned()),
            "status queued",
        ),
        (with_item(&|o| o.attempts = -1), "negative attempts"),
        (
            with_item(&|o| o.request_id = Some(String::new())),
            "an empty request id",
        ),
        (
            with_item(&|o| o.recipient = Some(long.clone())),
            "a recipient of 129 bytes",
        ),
        (
            with_item(&|o| o.last_error = Some("bad\0error".to_owned())),
            "an error with NUL",
        ),
    ];
    for (write, what) in items {
        apply_invalid(store, one(write), &format!("an outbox item with {what}")).await;
    }
    assert_eq!(store.outbox_item(&outbox_id).await.unwrap(), None);

    let token = digest(&unique("invalid-token"));
    let download = DownloadRow {
        token_hash: token.clone(),
        request_id: unique("request"),
        format: "json".to_owned(),
        created_at: datetime!(2026-04-08 00:00 UTC),
        expires_at: datetime!(2026-04-09 00:00 UTC),
        body: Vec::new(),
    };
    let downloads = [
        (
            DownloadRow {
                format: "pdf".to_owned(),
                ..download.clone()
            },
            "format pdf",
        ),
        (
            DownloadRow {
                request_id: String::new(),
                ..download.clone()
            },
            "an empty request id",
        ),
        (
            DownloadRow {
                token_hash: Vec::new(),
                ..download.clone()
            },
            "an empty token hash",
        ),
    ];
    for (d, what) in downloads {
        apply_invalid(
            store,
            one(Write::PutDownload(d)),
            &format!("a download with {what}"),
        )
        .await;
    }
    assert_eq!(store.download(&token).await.unwrap(), None);

    let document = RequestDocument {
        request_id: unique("invalid-document"),
        uploaded_at: datetime!(2026-04-08 00:00 UTC),
        media_type: "image/png".to_owned(),
        body: blob(1, 10),
    };
    let others = [
        (
            Write::PutRequestDocument(RequestDocument {
                request_id: String::new(),
                ..document.clone()
            }),
            "a document of an empty request id",
        ),
        (
            Write::PutRequestDocument(RequestDocument {
                media_type: String::new(),
                ..document.clone()
            }),
            "a document without media type",
        ),
        (
            Write::DeleteRequestDocument {
                request_id: String::new(),
            },
            "deleting the document of an empty request id",
        ),
        (
            opposition(
                &[],
                datetime!(2026-04-08 00:00 UTC),
                datetime!(2027-04-08 00:00 UTC),
            ),
            "an empty opposition digest",
        ),
        (lift(""), "lifting the restriction of an empty subject id"),
        (
            restrict(&long, datetime!(2026-04-08 00:00 UTC), None),
            "a restriction of a subject id of 129 bytes",
        ),
    ];
    for (write, what) in others {
        apply_invalid(store, one(write), what).await;
    }
    assert_eq!(
        store.request_document(&document.request_id).await.unwrap(),
        None
    );

    // One refused write refuses its batch.
    let beside = request(&unique("invalid-beside"), digest("beside"));
    apply_invalid(
        store,
        Batch {
            writes: vec![
                put(&beside, None),
                Write::PutOutbox(OutboxItem {
                    channel: "fax".to_owned(),
                    ..item.clone()
                }),
            ],
            audit: Vec::new(),
        },
        "a batch with one invalid write",
    )
    .await;
    assert_eq!(
        store.rights_request(&beside.id).await.unwrap(),
        None,
        "[{b}] nothing of a refused batch is kept"
    );
}
