//! Consent records and visitor links: append, list, page; and the scans that rebuild
//! in-memory state (subjects and index entries by page).

use time::OffsetDateTime;
use time::macros::datetime;

use super::fixtures::{
    Event, apply_invalid, apply_writes, chained_batch, create_subject, digest, index, unique,
};
use custodia_store::policy::to_stored_instant;
use custodia_store::{Batch, ConsentRecord, Store, VisitorLink, Write};

pub async fn run_all(store: &dyn Store) {
    records_round_trip_and_list_by_owner(store).await;
    records_page_by_id(store).await;
    invalid_records_are_refused(store).await;
    links_replace_and_page(store).await;
    subjects_and_index_entries_page(store).await;
}

pub fn consent(id: &str, owner: Owner<'_>, purpose: &str, state: &str) -> ConsentRecord {
    let (subject_id, visitor_id) = match owner {
        Owner::Subject(s) => (Some(s.to_owned()), None),
        Owner::Visitor(v) => (None, Some(v.to_owned())),
    };
    ConsentRecord {
        id: id.to_owned(),
        subject_id,
        visitor_id,
        purpose: purpose.to_owned(),
        service: None,
        state: state.to_owned(),
        method: "banner".to_owned(),
        recorded_at: datetime!(2026-05-06 07:08:09.123456789 +02:00),
        expires_at: Some(datetime!(2027-06-06 07:08:09 UTC)),
        policy_version: 3,
        purpose_fingerprint: "9a1f03c2b7d4e611".to_owned(),
        text_sha256: "ab".repeat(32),
        banner_version: Some("b-1".to_owned()),
        ip_prefix: Some("203.0.113.0/24".to_owned()),
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Chrome/148 ✓".to_owned()),
        jurisdiction: Some("FR".to_owned()),
        gpc: false,
        recorded_by: "visitor".to_owned(),
    }
}

#[derive(Clone, Copy)]
pub enum Owner<'a> {
    Subject(&'a str),
    Visitor(&'a str),
}

fn stored(mut r: ConsentRecord) -> ConsentRecord {
    r.recorded_at = to_stored_instant(r.recorded_at);
    r.expires_at = r.expires_at.map(to_stored_instant);
    r
}

pub async fn records_round_trip_and_list_by_owner(store: &dyn Store) {
    let b = store.backend();
    let subject = unique("consent-subject");
    let visitor = format!("{}.Mac_-x", unique("visitor"));
    let at = datetime!(2026-01-01 00:00 UTC);
    let mut with_service = consent(
        &format!("{subject}-b"),
        Owner::Subject(&subject),
        "analytics",
        "refused",
    );
    with_service.service = Some("mixpanel".to_owned());
    with_service.gpc = true;
    with_service.expires_at = None;
    with_service.banner_version = None;
    with_service.ip_prefix = None;
    with_service.user_agent = None;
    with_service.jurisdiction = None;
    with_service.method = "api".to_owned();
    with_service.recorded_by = "apikey:k1".to_owned();
    let given = consent(
        &format!("{subject}-a"),
        Owner::Subject(&subject),
        "analytics",
        "given",
    );
    let anonymous = consent(
        &format!("{subject}-c"),
        Owner::Visitor(&visitor),
        "remarketing",
        "withdrawn",
    );
    apply_writes(
        store,
        vec![
            create_subject(&subject, at),
            Write::RecordConsent(with_service.clone()),
            Write::RecordConsent(given.clone()),
            Write::RecordConsent(anonymous.clone()),
        ],
        "record consents",
    )
    .await;
    let mine = store.subject_consents(&subject).await.unwrap();
    assert_eq!(
        mine,
        vec![stored(given), stored(with_service)],
        "[{b}] a subject's records come back exactly, by id"
    );
    let theirs = store.visitor_consents(&visitor).await.unwrap();
    assert_eq!(theirs, vec![stored(anonymous)], "[{b}] a visitor's records");
    assert!(
        store
            .subject_consents(&unique("nobody"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .visitor_consents("nul\0visitor")
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn records_page_by_id(store: &dyn Store) {
    let b = store.backend();
    let visitor = unique("paging-visitor");
    // Ids sort as bytes: upper case before lower case, '-' before digits.
    let prefix = unique("page");
    let ids = [
        format!("{prefix}-A"),
        format!("{prefix}-a"),
        format!("{prefix}-b"),
        format!("{prefix}-c"),
    ];
    let writes = ids
        .iter()
        .rev()
        .map(|id| Write::RecordConsent(consent(id, Owner::Visitor(&visitor), "analytics", "given")))
        .collect();
    apply_writes(store, writes, "record consents to page").await;
    let mut seen = Vec::new();
    let mut after = format!("{prefix}-");
    loop {
        let page = store.consents_page(Some(&after), 2).await.unwrap();
        assert!(
            page.len() <= 2,
            "[{b}] a page holds at most `limit` records"
        );
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        seen.extend(
            page.into_iter()
                .map(|r| r.id)
                .filter(|id| id.starts_with(&prefix)),
        );
        if !after.starts_with(&prefix) {
            break;
        }
    }
    assert_eq!(seen, ids.to_vec(), "[{b}] pages follow byte order of ids");
    let all = store.consents_page(None, 100_000).await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| w[0].id.as_bytes() < w[1].id.as_bytes()),
        "[{b}] a full page is sorted"
    );
}

pub async fn invalid_records_are_refused(store: &dyn Store) {
    let visitor = unique("bad-visitor");
    let missing = consent(
        &unique("missing"),
        Owner::Subject(&unique("no-such-subject")),
        "analytics",
        "given",
    );
    let mut both = consent(
        &unique("both"),
        Owner::Visitor(&visitor),
        "analytics",
        "given",
    );
    both.subject_id = Some(unique("subject"));
    let mut neither = both.clone();
    neither.subject_id = None;
    neither.visitor_id = None;
    let bad_state = consent(
        &unique("state"),
        Owner::Visitor(&visitor),
        "analytics",
        "maybe",
    );
    let mut long_agent = consent(
        &unique("ua"),
        Owner::Visitor(&visitor),
        "analytics",
        "given",
    );
    long_agent.user_agent = Some("x".repeat(257));
    for (record, what) in [
        (missing, "a record of a missing subject"),
        (both, "a record naming a subject and a visitor"),
        (neither, "a record naming no one"),
        (bad_state, "an unknown state"),
        (long_agent, "a user agent over 256 characters"),
    ] {
        apply_invalid(
            store,
            Batch {
                writes: vec![Write::RecordConsent(record)],
                audit: Vec::new(),
            },
            what,
        )
        .await;
    }
    assert!(
        store.visitor_consents(&visitor).await.unwrap().is_empty(),
        "nothing of a refused batch is kept"
    );
}

pub async fn links_replace_and_page(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2026-02-02 10:00 UTC);
    let first = unique("link-first");
    let second = unique("link-second");
    let visitor = unique("link-visitor");
    apply_writes(
        store,
        vec![
            create_subject(&first, at),
            create_subject(&second, at),
            Write::LinkVisitor(VisitorLink {
                visitor_id: visitor.clone(),
                subject_id: first.clone(),
                linked_at: at,
            }),
        ],
        "link a visitor",
    )
    .await;
    let later: OffsetDateTime = datetime!(2026-02-03 10:00:00.5 UTC);
    let relinked = VisitorLink {
        visitor_id: visitor.clone(),
        subject_id: second.clone(),
        linked_at: later,
    };
    // Linking is chained like any write, with an audit entry.
    let batch = chained_batch(
        store,
        vec![Write::LinkVisitor(relinked.clone())],
        vec![Event::new("consent.link", later).about(&second)],
    )
    .await;
    store.apply(batch).await.unwrap();
    assert!(
        store
            .subject_visitor_links(&first)
            .await
            .unwrap()
            .is_empty(),
        "[{b}] a new sign-in replaces the link"
    );
    assert_eq!(
        store.subject_visitor_links(&second).await.unwrap(),
        vec![relinked.clone()]
    );
    let page = store.visitor_links_page(None, 100_000).await.unwrap();
    assert!(page.contains(&relinked), "[{b}] the link is in the pages");
    assert!(
        page.windows(2)
            .all(|w| w[0].visitor_id.as_bytes() < w[1].visitor_id.as_bytes()),
        "[{b}] a full page of links is sorted"
    );
    // Pages of one give each link once, in byte order of visitor id.
    let prefix = unique("links");
    let visitors = [
        format!("{prefix}-B"),
        format!("{prefix}-a"),
        format!("{prefix}-b"),
    ];
    let writes = visitors
        .iter()
        .rev()
        .map(|v| {
            Write::LinkVisitor(VisitorLink {
                visitor_id: v.clone(),
                subject_id: first.clone(),
                linked_at: at,
            })
        })
        .collect();
    apply_writes(store, writes, "links to page").await;
    let mut seen = Vec::new();
    let mut after = format!("{prefix}-");
    loop {
        let page = store.visitor_links_page(Some(&after), 1).await.unwrap();
        assert!(page.len() <= 1, "[{b}] a page holds at most `limit` links");
        let Some(last) = page.last() else { break };
        after = last.visitor_id.clone();
        if !after.starts_with(&prefix) {
            break;
        }
        seen.push(after.clone());
    }
    assert_eq!(seen, visitors.to_vec(), "[{b}] links page by visitor id");
    apply_invalid(
        store,
        Batch {
            writes: vec![Write::LinkVisitor(VisitorLink {
                visitor_id: unique("v"),
                subject_id: unique("missing"),
                linked_at: at,
            })],
            audit: Vec::new(),
        },
        "a link to a missing subject",
    )
    .await;
}

pub async fn subjects_and_index_entries_page(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2026-03-03 00:00 UTC);
    let prefix = unique("scan");
    let ids = [
        format!("{prefix}-1"),
        format!("{prefix}-2"),
        format!("{prefix}-3"),
    ];
    let kind = unique("kind");
    let writes = ids
        .iter()
        .map(|id| {
            let mut write = create_subject(id, at);
            if let Write::CreateSubject { indexes, .. } = &mut write {
                *indexes = vec![index(&kind, digest(id)), index(&kind, digest("shared"))];
            }
            write
        })
        .collect();
    apply_writes(store, writes, "subjects to scan").await;
    let mut after = format!("{prefix}-");
    let mut seen = Vec::new();
    loop {
        let page = store.subjects_page(Some(&after), 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        seen.extend(
            page.iter()
                .filter(|s| s.id.starts_with(&prefix))
                .map(|s| s.id.clone()),
        );
        if !after.starts_with(&prefix) {
            break;
        }
    }
    assert_eq!(seen, ids.to_vec(), "[{b}] subjects page by id");
    // Every entry exactly once whatever the page size, a page boundary falling inside
    // the subjects that share a digest included.
    let mut expected: Vec<(String, Vec<u8>)> = ids
        .iter()
        .flat_map(|id| [(id.clone(), digest(id)), (id.clone(), digest("shared"))])
        .collect();
    expected.sort_by(|a, b| (&a.1, a.0.as_bytes()).cmp(&(&b.1, b.0.as_bytes())));
    for limit in [1, 2, 4, 100] {
        let mut entries = Vec::new();
        let mut cursor: Option<(String, Vec<u8>)> = None;
        loop {
            let page = store
                .index_entries_page(
                    &kind,
                    cursor.as_ref().map(|(s, d)| (s.as_str(), d.as_slice())),
                    limit,
                )
                .await
                .unwrap();
            assert!(
                page.len() <= limit as usize,
                "[{b}] at most `limit` entries"
            );
            let Some(last) = page.last() else { break };
            cursor = Some(last.clone());
            entries.extend(page);
        }
        assert_eq!(
            entries, expected,
            "[{b}] index entries page by digest then subject id, each once (pages of {limit})"
        );
    }
}
