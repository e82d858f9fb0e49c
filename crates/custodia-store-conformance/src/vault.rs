//! Subjects: creation, reads, updates, blind index lookups, erasure, and what a batch
//! of vault writes must refuse.

use time::macros::datetime;

use super::fixtures::{
    Event, apply_invalid, apply_ok, apply_writes, blob, chained_batch, create_subject, digest,
    disclosure, event, expected_subject, field, index, record, unique, user,
};
use custodia_store::{Batch, Disclosure, Store, SubjectEvent, Write};

/// Every vault check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    subject_round_trips_exactly(store).await;
    unknown_subject_is_none(store).await;
    update_upserts_removes_and_replaces_indexes(store).await;
    set_age_round_trips(store).await;
    index_lookup_lists_every_subject_sorted(store).await;
    erasure_keeps_the_row_and_disclosures(store).await;
    writes_naming_missing_rows_are_invalid(store).await;
    duplicate_creations_are_invalid(store).await;
    malformed_writes_are_invalid(store).await;
    a_failed_batch_writes_nothing(store).await;
    writes_apply_in_batch_order(store).await;
    two_hundred_subjects_in_one_batch(store).await;
}

/// Sealed blobs that are not UTF-8 (empty, with NUL, 64 KiB), unicode strings, instants
/// before 1970 and with nanoseconds: all come back exactly, in the documented order.
pub async fn subject_round_trips_exactly(store: &dyn Store) {
    let b = store.backend();
    let id = unique("subject-round-trip");
    let mut subject = record(&id, datetime!(2025-03-04 05:06:07.123456789 +02:00));
    subject.kind = "élève_👩‍🎓".to_owned();
    subject.age_status = "child".to_owned();
    subject.parental_consent_at = Some(datetime!(1969-07-20 20:17:40.999999999 UTC));
    subject.updated_at = datetime!(2025-03-05 00:00 UTC);
    let fields = vec![
        field("postal_address", blob(2, 300)),
        field("email", blob(3, 48)),
        field("empty", Vec::new()),
        field("nul", vec![0, 0, 0xff, 0]),
        field("large", blob(4, 64 * 1024)),
        field("prénom_名前", blob(5, 17)),
    ];
    let indexes = vec![
        index("email", digest(&format!("email:{id}"))),
        index("phone", blob(6, 32)),
    ];
    let t = datetime!(2025-04-01 12:00 UTC);
    let events = vec![
        event("last_contact", t, t),
        event("collected", datetime!(2025-03-04 03:06:07.5 UTC), t),
        event("account_opened", t, t),
        event(
            "évènement_custom",
            datetime!(1960-01-01 00:00:00.000001 UTC),
            t,
        ),
    ];
    let mut d1 = disclosure(&format!("{id}-d-b"), &id, t);
    d1.recipient = "destinataire « spécial » ✉".to_owned();
    d1.categories = vec!["zeta".to_owned(), "alpha".to_owned(), "ünïcödé".to_owned()];
    let d2 = disclosure(&format!("{id}-d-a"), &id, t);
    let mut d3 = disclosure(&format!("{id}-d-c"), &id, datetime!(2024-01-01 00:00 UTC));
    d3.categories = Vec::new();
    let disclosures = vec![d1, d2, d3];

    let mut writes = vec![Write::CreateSubject {
        subject: subject.clone(),
        fields: fields.clone(),
        indexes: indexes.clone(),
    }];
    writes.extend(events.iter().map(|e| Write::AddEvent {
        subject_id: id.clone(),
        event: e.clone(),
    }));
    writes.extend(disclosures.iter().cloned().map(Write::AddDisclosure));
    apply_writes(store, writes, "creating a subject").await;

    let want = expected_subject(&subject, &fields, &events, &disclosures);
    let got = store.subject(&id).await.unwrap();
    assert_eq!(got.as_ref(), Some(&want), "[{b}] subject read back");
    let got = got.unwrap();
    let order: Vec<&str> = got.fields.iter().map(|f| f.category.as_str()).collect();
    assert_eq!(
        order,
        [
            "email",
            "empty",
            "large",
            "nul",
            "postal_address",
            "prénom_名前"
        ],
        "[{b}] fields sorted by category"
    );
    let order: Vec<&str> = got.events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        order,
        [
            "évènement_custom",
            "collected",
            "account_opened",
            "last_contact"
        ],
        "[{b}] events sorted by (at, event)"
    );
    let order: Vec<String> = got.disclosures.iter().map(|d| d.id.clone()).collect();
    assert_eq!(
        order,
        [
            format!("{id}-d-c"),
            format!("{id}-d-a"),
            format!("{id}-d-b")
        ],
        "[{b}] disclosures sorted by (at, id)"
    );
    assert_eq!(
        store.subject_fields(&id).await.unwrap(),
        Some(got.fields.clone()),
        "[{b}] the fields alone, in the same order"
    );
    assert_eq!(
        got.record.parental_consent_at,
        Some(datetime!(1969-07-20 20:17:40.999999 UTC)),
        "[{b}] an instant before 1970 is truncated, not rounded"
    );
    for (kind, digest) in indexes.iter().map(|i| (&i.kind, &i.digest)) {
        assert_eq!(
            store.subjects_by_index(kind, digest).await.unwrap(),
            vec![id.clone()],
            "[{b}] lookup by the {kind} index"
        );
    }
}

pub async fn unknown_subject_is_none(store: &dyn Store) {
    let b = store.backend();
    for id in [unique("missing").as_str(), "", "with\0nul", "é"] {
        assert_eq!(
            store.subject(id).await.unwrap(),
            None,
            "[{b}] subject({id:?})"
        );
        assert_eq!(
            store.subject_fields(id).await.unwrap(),
            None,
            "[{b}] subject_fields({id:?})"
        );
    }
    assert_eq!(
        store
            .subjects_by_index("email", &digest("nobody"))
            .await
            .unwrap(),
        Vec::<String>::new(),
        "[{b}] lookup of an unknown digest"
    );
    assert_eq!(
        store
            .subjects_by_index("nul\0kind", &digest("nobody"))
            .await
            .unwrap(),
        Vec::<String>::new(),
        "[{b}] lookup of a kind with NUL"
    );
}

/// `set` upserts, `remove` deletes, each kind of `index_kinds` is replaced by the given
/// entries of that kind (none: removed), other kinds stay; `kind` changes only when
/// given; `updated_at` is set.
pub async fn update_upserts_removes_and_replaces_indexes(store: &dyn Store) {
    let b = store.backend();
    let id = unique("subject-update");
    let created = datetime!(2025-05-01 10:00 UTC);
    let subject = record(&id, created);
    let email1 = digest(&format!("{id}:email1"));
    let email2 = digest(&format!("{id}:email2"));
    let email3 = digest(&format!("{id}:email3"));
    let phone = digest(&format!("{id}:phone"));
    let login = digest(&format!("{id}:login"));
    apply_writes(
        store,
        vec![Write::CreateSubject {
            subject: subject.clone(),
            fields: vec![
                field("a", blob(10, 10)),
                field("b", blob(11, 10)),
                field("c", blob(12, 10)),
            ],
            indexes: vec![
                index("email", email1.clone()),
                index("email", email2.clone()),
                index("phone", phone.clone()),
                index("login", login.clone()),
            ],
        }],
        "creating a subject to update",
    )
    .await;

    let updated_at = datetime!(2025-05-02 11:00:00.000000777 UTC);
    apply_writes(
        store,
        vec![Write::UpdateSubject {
            subject_id: id.clone(),
            kind: Some("prospect".to_owned()),
            set: vec![field("b", blob(21, 5)), field("d", blob(22, 7))],
            remove: vec!["c".to_owned(), "never-set".to_owned()],
            index_kinds: vec!["email".to_owned(), "phone".to_owned()],
            indexes: vec![index("email", email3.clone())],
            updated_at,
        }],
        "updating a subject",
    )
    .await;

    let mut want_record = subject.clone();
    want_record.kind = "prospect".to_owned();
    want_record.updated_at = updated_at;
    let want = expected_subject(
        &want_record,
        &[
            field("a", blob(10, 10)),
            field("b", blob(21, 5)),
            field("d", blob(22, 7)),
        ],
        &[],
        &[],
    );
    assert_eq!(
        store.subject(&id).await.unwrap(),
        Some(want.clone()),
        "[{b}] subject after an update"
    );
    let none: Vec<String> = Vec::new();
    let this = vec![id.clone()];
    for (what, kind, digest, expected) in [
        ("a replaced email", "email", &email1, &none),
        ("another replaced email", "email", &email2, &none),
        ("the new email", "email", &email3, &this),
        ("a removed kind", "phone", &phone, &none),
        ("an untouched kind", "login", &login, &this),
    ] {
        assert_eq!(
            &store.subjects_by_index(kind, digest).await.unwrap(),
            expected,
            "[{b}] index lookup of {what}"
        );
    }

    // No kind: the kind stays; no index kinds: indexes stay.
    let later = datetime!(2025-05-03 00:00 UTC);
    apply_writes(
        store,
        vec![Write::UpdateSubject {
            subject_id: id.clone(),
            kind: None,
            set: Vec::new(),
            remove: vec!["a".to_owned()],
            index_kinds: Vec::new(),
            indexes: Vec::new(),
            updated_at: later,
        }],
        "updating without kind or indexes",
    )
    .await;
    let got = store.subject(&id).await.unwrap().unwrap();
    assert_eq!(
        got.record.kind, "prospect",
        "[{b}] kind kept when not given"
    );
    assert_eq!(got.record.updated_at, later, "[{b}] updated_at");
    assert_eq!(
        got.fields,
        want.fields[1..],
        "[{b}] fields after removing a"
    );
    assert_eq!(
        store.subjects_by_index("email", &email3).await.unwrap(),
        this,
        "[{b}] indexes kept when no kind is replaced"
    );
}

pub async fn set_age_round_trips(store: &dyn Store) {
    let b = store.backend();
    let id = unique("subject-age");
    let subject = record(&id, datetime!(2025-06-01 00:00 UTC));
    apply_writes(
        store,
        vec![create_subject(&id, subject.created_at)],
        "creating",
    )
    .await;

    let consent = datetime!(2025-06-02 08:30:00.000001999 +01:00);
    let updated_at = datetime!(2025-06-02 09:00 UTC);
    apply_writes(
        store,
        vec![Write::SetAge {
            subject_id: id.clone(),
            age_status: "child".to_owned(),
            parental_consent_at: Some(consent),
            updated_at,
        }],
        "setting the age",
    )
    .await;
    let got = store.subject(&id).await.unwrap().unwrap().record;
    assert_eq!(got.age_status, "child", "[{b}] age_status");
    assert_eq!(
        got.parental_consent_at,
        Some(datetime!(2025-06-02 07:30:00.000001 UTC)),
        "[{b}] parental_consent_at"
    );
    assert_eq!(got.updated_at, updated_at, "[{b}] updated_at after SetAge");

    apply_writes(
        store,
        vec![Write::SetAge {
            subject_id: id.clone(),
            age_status: "unknown".to_owned(),
            parental_consent_at: None,
            updated_at,
        }],
        "clearing the consent",
    )
    .await;
    let got = store.subject(&id).await.unwrap().unwrap().record;
    assert_eq!(
        (got.age_status.as_str(), got.parental_consent_at),
        ("unknown", None),
        "[{b}] age after clearing the consent"
    );
}

/// Several subjects may share a digest (one mailbox, two customers); the lookup lists
/// them sorted, per kind, and leaves erased subjects out.
pub async fn index_lookup_lists_every_subject_sorted(store: &dyn Store) {
    let b = store.backend();
    let shared = digest(&unique("shared-mailbox"));
    let at = datetime!(2025-07-01 00:00 UTC);
    let mut ids: Vec<String> = (0..5)
        .map(|i| unique(&format!("sharer-{}", 5 - i)))
        .collect();
    let writes = ids
        .iter()
        .map(|id| Write::CreateSubject {
            subject: record(id, at),
            fields: Vec::new(),
            indexes: vec![index("email", shared.clone())],
        })
        .collect();
    apply_writes(store, writes, "creating subjects sharing a digest").await;
    ids.sort();
    assert_eq!(
        store.subjects_by_index("email", &shared).await.unwrap(),
        ids,
        "[{b}] subjects sharing a digest, sorted"
    );
    assert_eq!(
        store.subject_fields(&ids[0]).await.unwrap(),
        Some(Vec::new()),
        "[{b}] a subject without fields"
    );
    assert_eq!(
        store.subjects_by_index("phone", &shared).await.unwrap(),
        Vec::<String>::new(),
        "[{b}] the same digest under another kind"
    );
    let erased = ids.remove(2);
    apply_writes(
        store,
        vec![Write::EraseSubject {
            subject_id: erased,
            erased_at: at,
        }],
        "erasing one sharer",
    )
    .await;
    assert_eq!(
        store.subjects_by_index("email", &shared).await.unwrap(),
        ids,
        "[{b}] lookup after erasing one subject"
    );
}

/// Erasure deletes fields, indexes and events, and keeps the row (with `erased_at`) and
/// the disclosures.
pub async fn erasure_keeps_the_row_and_disclosures(store: &dyn Store) {
    let b = store.backend();
    let id = unique("subject-erase");
    let at = datetime!(2025-08-01 00:00 UTC);
    let email = digest(&format!("{id}:email"));
    let disclosures = vec![
        disclosure(&format!("{id}-d1"), &id, at),
        disclosure(&format!("{id}-d2"), &id, at + time::Duration::days(1)),
    ];
    let subject = record(&id, at);
    let mut writes = vec![
        Write::CreateSubject {
            subject: subject.clone(),
            fields: vec![field("email", blob(30, 33)), field("phone", blob(31, 12))],
            indexes: vec![index("email", email.clone())],
        },
        Write::AddEvent {
            subject_id: id.clone(),
            event: event("collected", at, at),
        },
    ];
    writes.extend(disclosures.iter().cloned().map(Write::AddDisclosure));
    apply_writes(store, writes, "creating a subject to erase").await;

    let erased_at = datetime!(2025-08-15 16:00:00.5 UTC);
    let batch = chained_batch(
        store,
        vec![Write::EraseSubject {
            subject_id: id.clone(),
            erased_at,
        }],
        vec![Event::new("subject.erase", erased_at).about(&id)],
    )
    .await;
    apply_ok(store, batch, "erasing a subject").await;

    let mut want_record = subject;
    want_record.erased_at = Some(erased_at);
    assert_eq!(
        store.subject(&id).await.unwrap(),
        Some(expected_subject(&want_record, &[], &[], &disclosures)),
        "[{b}] an erased subject: row with erased_at and disclosures, nothing else"
    );
    assert_eq!(
        store.subjects_by_index("email", &email).await.unwrap(),
        Vec::<String>::new(),
        "[{b}] an erased subject is not found by index"
    );
    assert_eq!(
        store.subject_fields(&id).await.unwrap(),
        None,
        "[{b}] an erased subject has no fields to read"
    );
}

/// Each write naming a subject, user or API key that does not exist is refused.
pub async fn writes_naming_missing_rows_are_invalid(store: &dyn Store) {
    let missing = unique("missing");
    let at = datetime!(2025-09-01 00:00 UTC);
    let cases: Vec<(&str, Write)> = vec![
        (
            "UpdateSubject",
            Write::UpdateSubject {
                subject_id: missing.clone(),
                kind: None,
                set: vec![field("email", blob(1, 3))],
                remove: Vec::new(),
                index_kinds: Vec::new(),
                indexes: Vec::new(),
                updated_at: at,
            },
        ),
        (
            "SetAge",
            Write::SetAge {
                subject_id: missing.clone(),
                age_status: "adult".to_owned(),
                parental_consent_at: None,
                updated_at: at,
            },
        ),
        (
            "AddEvent",
            Write::AddEvent {
                subject_id: missing.clone(),
                event: event("collected", at, at),
            },
        ),
        (
            "AddDisclosure",
            Write::AddDisclosure(disclosure(&unique("d"), &missing, at)),
        ),
        (
            "EraseSubject",
            Write::EraseSubject {
                subject_id: missing.clone(),
                erased_at: at,
            },
        ),
        (
            "SetUserDisabled",
            Write::SetUserDisabled {
                user_id: missing.clone(),
                disabled_at: Some(at),
            },
        ),
        (
            "SetUserPassword",
            Write::SetUserPassword {
                user_id: missing.clone(),
                password_hash: "x".to_owned(),
            },
        ),
        (
            "CreateSession",
            Write::CreateSession(super::fixtures::session(&unique("t"), &missing, at)),
        ),
        (
            "DeleteUserSessions",
            Write::DeleteUserSessions {
                user_id: missing.clone(),
            },
        ),
        (
            "RevokeApiKey",
            Write::RevokeApiKey {
                id: missing.clone(),
                revoked_at: at,
            },
        ),
    ];
    for (what, write) in cases {
        let batch = chained_batch(store, vec![write], vec![Event::new("missing.target", at)]).await;
        let head = store.audit_head().await.unwrap();
        apply_invalid(store, batch, &format!("{what} of a missing row")).await;
        assert_eq!(
            store.audit_head().await.unwrap(),
            head,
            "[{}] {what} of a missing row appended audit entries",
            store.backend()
        );
    }
}

/// Creating what exists is refused: subject, disclosure, user (id or email), session,
/// API key (id or hash); also twice in one batch.
pub async fn duplicate_creations_are_invalid(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-09-02 00:00 UTC);
    let sid = unique("dup-subject");
    let did = unique("dup-disclosure");
    let uid = unique("dup-user");
    let email = format!("{uid}@example.org");
    let kid = unique("dup-key");
    let token = unique("dup-token");
    let existing = vec![
        create_subject(&sid, at),
        Write::AddDisclosure(disclosure(&did, &sid, at)),
        Write::CreateUser(user(&uid, &email, at)),
        Write::CreateSession(super::fixtures::session(&token, &uid, at)),
        Write::CreateApiKey(super::fixtures::api_key(&kid, at)),
    ];
    apply_writes(store, existing.clone(), "creating originals").await;

    let mut other_key = super::fixtures::api_key(&unique("dup-key-other"), at);
    other_key.key_hash = super::fixtures::api_key(&kid, at).key_hash;
    let fresh = unique("dup-fresh");
    let mut cases: Vec<(String, Vec<Write>)> = existing
        .iter()
        .map(|w| (format!("an existing {}", write_name(w)), vec![w.clone()]))
        .collect();
    cases.push((
        "a user with an existing email".to_owned(),
        vec![Write::CreateUser(user(&unique("dup-user-2"), &email, at))],
    ));
    cases.push((
        "an API key with an existing hash".to_owned(),
        vec![Write::CreateApiKey(other_key)],
    ));
    cases.push((
        "one subject twice in a batch".to_owned(),
        vec![create_subject(&fresh, at), create_subject(&fresh, at)],
    ));
    for (what, writes) in cases {
        apply_invalid(
            store,
            Batch {
                writes,
                audit: Vec::new(),
            },
            &format!("creating {what}"),
        )
        .await;
    }
    assert_eq!(
        store.subject(&fresh).await.unwrap(),
        None,
        "[{b}] a subject created twice in a failed batch was stored"
    );
}

fn write_name(w: &Write) -> &'static str {
    match w {
        Write::CreateSubject { .. } => "subject",
        Write::AddDisclosure(_) => "disclosure",
        Write::CreateUser(_) => "user",
        Write::CreateSession(_) => "session",
        Write::CreateApiKey(_) => "API key",
        _ => "row",
    }
}

/// Refused before anything is written: NUL in a string, one field or index entry listed
/// twice in a write, an update's index entry of a kind it does not replace.
pub async fn malformed_writes_are_invalid(store: &dyn Store) {
    let at = datetime!(2025-09-03 00:00 UTC);
    let id = unique("malformed");
    apply_writes(store, vec![create_subject(&id, at)], "creating").await;
    let update = |set, index_kinds: Vec<&str>, indexes| Write::UpdateSubject {
        subject_id: id.clone(),
        kind: None,
        set,
        remove: Vec::new(),
        index_kinds: index_kinds.into_iter().map(str::to_owned).collect(),
        indexes,
        updated_at: at,
    };
    let mut nul_disclosure = disclosure(&unique("d"), &id, at);
    nul_disclosure.categories.push("bad\0category".to_owned());
    let cases: Vec<(&str, Write)> = vec![
        (
            "a NUL in a subject kind",
            Write::CreateSubject {
                subject: {
                    let mut r = record(&unique("nul"), at);
                    r.kind = "cust\0omer".to_owned();
                    r
                },
                fields: Vec::new(),
                indexes: Vec::new(),
            },
        ),
        (
            "a NUL in a disclosure category",
            Write::AddDisclosure(nul_disclosure),
        ),
        (
            "a NUL in an event",
            Write::AddEvent {
                subject_id: id.clone(),
                event: event("col\0lected", at, at),
            },
        ),
        (
            "one category twice in a creation",
            Write::CreateSubject {
                subject: record(&unique("twice"), at),
                fields: vec![field("email", blob(1, 2)), field("email", blob(2, 2))],
                indexes: Vec::new(),
            },
        ),
        (
            "one index entry twice in a creation",
            Write::CreateSubject {
                subject: record(&unique("twice"), at),
                fields: Vec::new(),
                indexes: vec![index("email", blob(1, 4)), index("email", blob(1, 4))],
            },
        ),
        (
            "one category twice in an update",
            update(
                vec![field("x", blob(1, 2)), field("x", blob(2, 2))],
                vec![],
                vec![],
            ),
        ),
        (
            "an index entry of a kind the update does not replace",
            update(vec![], vec!["phone"], vec![index("email", blob(3, 4))]),
        ),
    ];
    for (what, write) in cases {
        apply_invalid(
            store,
            Batch {
                writes: vec![write],
                audit: Vec::new(),
            },
            what,
        )
        .await;
    }
}

/// A batch whose third write is invalid stores neither of the first two nor its audit
/// entries, whatever makes the third invalid.
pub async fn a_failed_batch_writes_nothing(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-09-04 00:00 UTC);
    let existing = unique("atomic-existing");
    apply_writes(store, vec![create_subject(&existing, at)], "creating").await;

    let third: Vec<(&str, Write)> = vec![
        (
            "an update of a missing subject",
            Write::UpdateSubject {
                subject_id: unique("missing"),
                kind: None,
                set: Vec::new(),
                remove: Vec::new(),
                index_kinds: Vec::new(),
                indexes: Vec::new(),
                updated_at: at,
            },
        ),
        ("a duplicate subject", create_subject(&existing, at)),
        (
            "an event of a missing subject",
            Write::AddEvent {
                subject_id: unique("missing"),
                event: event("collected", at, at),
            },
        ),
        (
            "a NUL in a string",
            Write::SetUserPassword {
                user_id: unique("u"),
                password_hash: "\0".to_owned(),
            },
        ),
    ];
    for (what, write) in third {
        let first = unique("atomic-first");
        let uid = unique("atomic-user");
        let head = store.audit_head().await.unwrap();
        let batch = chained_batch(
            store,
            vec![
                create_subject(&first, at),
                Write::UpdateSubject {
                    subject_id: existing.clone(),
                    kind: Some("changed".to_owned()),
                    set: vec![field("extra", blob(40, 8))],
                    remove: vec!["email".to_owned()],
                    index_kinds: vec!["email".to_owned()],
                    indexes: Vec::new(),
                    updated_at: at + time::Duration::days(1),
                },
                write,
                Write::CreateUser(user(&uid, &format!("{uid}@example.org"), at)),
            ],
            vec![
                Event::new("subject.create", at).about(&first),
                Event::new("subject.update", at).about(&existing),
            ],
        )
        .await;
        apply_invalid(
            store,
            batch,
            &format!("a batch whose third write is {what}"),
        )
        .await;
        assert_eq!(
            store.subject(&first).await.unwrap(),
            None,
            "[{b}] the first write of a failed batch ({what}) was stored"
        );
        let kept = store.subject(&existing).await.unwrap().unwrap();
        assert_eq!(
            (kept.record.kind.as_str(), kept.fields.len()),
            ("customer", 1),
            "[{b}] the second write of a failed batch ({what}) was stored"
        );
        assert_eq!(
            store
                .subjects_by_index("email", &digest(&format!("email:{existing}")))
                .await
                .unwrap(),
            vec![existing.clone()],
            "[{b}] the index replacement of a failed batch ({what}) was stored"
        );
        assert_eq!(
            store.user(&uid).await.unwrap(),
            None,
            "[{b}] user of ({what})"
        );
        assert_eq!(
            store.audit_head().await.unwrap(),
            head,
            "[{b}] a failed batch ({what}) appended audit entries"
        );
    }
}

/// Writes apply in batch order, also when creations are grouped into multi-row
/// inserts: a subject created, updated, given an event and erased in one batch ends
/// erased; a disclosure recorded after the erasure stays.
pub async fn writes_apply_in_batch_order(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-09-05 00:00 UTC);
    let a = unique("order-a");
    let c = unique("order-c");
    let d = disclosure(&unique("order-d"), &c, at);
    let e = event("collected", at, at);
    let writes = vec![
        create_subject(&a, at),
        Write::UpdateSubject {
            subject_id: a.clone(),
            kind: Some("member".to_owned()),
            set: vec![field("phone", blob(50, 9))],
            remove: Vec::new(),
            index_kinds: Vec::new(),
            indexes: Vec::new(),
            updated_at: at,
        },
        Write::AddEvent {
            subject_id: a.clone(),
            event: e.clone(),
        },
        create_subject(&c, at),
        Write::AddEvent {
            subject_id: c.clone(),
            event: e.clone(),
        },
        Write::EraseSubject {
            subject_id: c.clone(),
            erased_at: at,
        },
        Write::AddDisclosure(d.clone()),
    ];
    apply_writes(store, writes, "a batch mixing creations and updates").await;

    let mut ra = record(&a, at);
    ra.kind = "member".to_owned();
    assert_eq!(
        store.subject(&a).await.unwrap(),
        Some(expected_subject(
            &ra,
            &[field("email", blob(1, 40)), field("phone", blob(50, 9))],
            std::slice::from_ref(&e),
            &[],
        )),
        "[{b}] subject created, updated and given an event in one batch"
    );
    let mut rc = record(&c, at);
    rc.erased_at = Some(at);
    assert_eq!(
        store.subject(&c).await.unwrap(),
        Some(expected_subject(&rc, &[], &[], &[d])),
        "[{b}] subject created and erased in one batch, then disclosed"
    );
}

/// One batch of 200 creations (three fields, two indexes and an event each) and their 200
/// audit entries: everything lands, and reads back exactly.
pub async fn two_hundred_subjects_in_one_batch(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-10-01 00:00:00.000001 UTC);
    let ids: Vec<String> = (0..200).map(|_| unique("bulk")).collect();
    let mut writes = Vec::new();
    let mut events = Vec::new();
    let mut expected = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let seed = i as u8;
        let subject = record(id, at + time::Duration::microseconds(i as i64));
        let fields = vec![
            field("email", blob(seed, 40 + i % 7)),
            field("name", blob(seed.wrapping_add(1), 25)),
            field("phone", blob(seed.wrapping_add(2), 20)),
        ];
        let indexes = vec![
            index("email", digest(&format!("bulk-email:{id}"))),
            index("phone", digest(&format!("bulk-phone:{id}"))),
        ];
        let ev: SubjectEvent = event("collected", subject.created_at, subject.created_at);
        writes.push(Write::CreateSubject {
            subject: subject.clone(),
            fields: fields.clone(),
            indexes,
        });
        writes.push(Write::AddEvent {
            subject_id: id.clone(),
            event: ev.clone(),
        });
        events.push(Event::new("subject.create", at).about(id).by("apikey:bulk"));
        expected.push(expected_subject(
            &subject,
            &fields,
            &[ev],
            &[] as &[Disclosure],
        ));
    }
    let before = store.audit_head().await.unwrap().map_or(0, |h| h.0);
    let batch = chained_batch(store, writes, events).await;
    apply_ok(store, batch, "a batch of 200 subjects").await;

    assert_eq!(
        store.audit_head().await.unwrap().map(|h| h.0),
        Some(before + 200),
        "[{b}] audit head after 200 entries"
    );
    for (id, want) in ids.iter().zip(&expected) {
        assert_eq!(
            store.subject(id).await.unwrap().as_ref(),
            Some(want),
            "[{b}] subject {id} of the bulk batch"
        );
        assert_eq!(
            store
                .subjects_by_index("phone", &digest(&format!("bulk-phone:{id}")))
                .await
                .unwrap(),
            vec![id.clone()],
            "[{b}] phone index of {id}"
        );
    }
    let logged = store
        .audit_entries(&custodia_store::AuditFilter {
            principal: Some("apikey:bulk".to_owned()),
            after_seq: Some(before),
            ..Default::default()
        })
        .await
        .unwrap();
    let refs: Vec<Option<String>> = logged.iter().map(|e| e.subject_ref.clone()).collect();
    let want: Vec<Option<String>> = ids.iter().cloned().map(Some).collect();
    assert_eq!(
        refs, want,
        "[{b}] audit entries of the bulk batch, in order"
    );
}
