//! The staff list of rights requests (`Rights::list`) read a page at a time from the
//! store, on SQLite and PostgreSQL, with the clock moved so that deadlines fall due.

use std::sync::Arc;

use crate::retention::{Harness, T0, postgres, sqlite};
use custodia_core::Clock;
use custodia_core::consent::Consents;
use custodia_core::deadline::WorkingDayCalendar;
use custodia_core::rights::{NewRequest, RequestFilter, Rights, RightsSettings};
use time::Duration;

/// The rights desk of a harness, on its register and consent book.
pub(crate) async fn desk_for(h: &Harness) -> Rights {
    let register = h.register.clone();
    let clock = h.clock.clone() as Arc<dyn Clock>;
    let consents = Arc::new(Consents::new(
        h.book.clone(),
        h.store.clone(),
        h.writer.clone(),
        register.clone(),
        clock.clone(),
        1,
    ));
    let settings = RightsSettings::new(
        "http://127.0.0.1".to_owned(),
        WorkingDayCalendar::for_country("FR"),
    );
    Rights::new(
        h.store.clone(),
        h.writer.clone(),
        h.vault.clone(),
        consents,
        register,
        clock,
        settings,
    )
    .await
    .unwrap()
}

async fn submit(rights: &Rights, kind: &str, email: &str) -> String {
    rights
        .submit(NewRequest {
            kind: kind.to_owned(),
            email: email.to_owned(),
            language: None,
            details: None,
            changes: None,
            purposes: Vec::new(),
            directive: None,
        })
        .await
        .unwrap()
}

async fn listed(h: &Harness, rights: &Rights, filter: RequestFilter) -> (Vec<String>, u64) {
    let list = rights.list(&h.dpo, &filter).await.unwrap();
    let ids = list.requests.iter().map(|r| r.id.clone()).collect();
    (ids, list.total)
}

async fn deadlines_filter_and_page(h: Harness) {
    let rights = desk_for(&h).await;
    // Four requests on day 0, two on day 10: due a month later each.
    let mut early = Vec::new();
    for (i, kind) in ["access", "erasure", "access", "access"].iter().enumerate() {
        early.push(submit(&rights, kind, &format!("early{i}@example.org")).await);
    }
    h.clock.advance(Duration::days(10));
    let mut late = Vec::new();
    for i in 0..2 {
        late.push(submit(&rights, "access", &format!("late{i}@example.org")).await);
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let soon = RequestFilter {
        due_soon: true,
        ..RequestFilter::default()
    };
    let overdue = RequestFilter {
        overdue: true,
        ..RequestFilter::default()
    };
    let either = RequestFilter {
        overdue: true,
        due_soon: true,
        ..RequestFilter::default()
    };

    // Day 30: the first four (due on day 33, a Monday) fall due within seven days.
    h.clock.set(T0 + Duration::days(30));
    let (ids, total) = listed(&h, &rights, soon.clone()).await;
    assert_eq!((sorted(ids), total), (sorted(early.clone()), 4));
    assert_eq!(listed(&h, &rights, overdue.clone()).await, (vec![], 0));

    // Day 36: the first four are late, the last two due soon; together, all six,
    // soonest deadline first (UUIDv7 ids: submission order within a day).
    h.clock.set(T0 + Duration::days(36));
    let (ids, total) = listed(&h, &rights, overdue).await;
    assert_eq!((sorted(ids), total), (sorted(early.clone()), 4));
    let (ids, total) = listed(&h, &rights, soon).await;
    assert_eq!((sorted(ids), total), (sorted(late.clone()), 2));
    let (ids, total) = listed(&h, &rights, either.clone()).await;
    assert_eq!(total, 6);
    assert_eq!(ids[4..], late[..], "the later deadlines come last");
    let list = rights.list(&h.dpo, &either).await.unwrap();
    assert!(list.requests.windows(2).all(|w| w[0].due_at <= w[1].due_at));
    assert!(list.requests[..4].iter().all(|r| r.overdue && !r.due_soon));
    assert!(list.requests[4..].iter().all(|r| r.due_soon && !r.overdue));

    // A page: two from the second, with the total of all that match.
    let (ids, total) = listed(
        &h,
        &rights,
        RequestFilter {
            offset: 1,
            limit: Some(2),
            ..either.clone()
        },
    )
    .await;
    let (all, _) = listed(&h, &rights, either).await;
    assert_eq!((ids, total), (all[1..3].to_vec(), 6));
    // By right; a closed status among open requests matches nothing.
    let (ids, total) = listed(
        &h,
        &rights,
        RequestFilter {
            kind: Some("erasure".to_owned()),
            ..RequestFilter::default()
        },
    )
    .await;
    assert_eq!((ids, total), (vec![early[1].clone()], 1));
    let closed_among_open = RequestFilter {
        status: Some("completed".to_owned()),
        open: true,
        ..RequestFilter::default()
    };
    assert_eq!(listed(&h, &rights, closed_among_open).await, (vec![], 0));
    let (ids, total) = listed(
        &h,
        &rights,
        RequestFilter {
            status: Some("received".to_owned()),
            assignee: Some("user:nobody".to_owned()),
            ..RequestFilter::default()
        },
    )
    .await;
    assert_eq!((ids.len(), total), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_deadlines_filter_and_page() {
    deadlines_filter_and_page(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deadlines_filter_and_page() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    deadlines_filter_and_page(h).await;
}
