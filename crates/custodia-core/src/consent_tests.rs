//! Consent through a real SQLite store and writer, with the clock moved by hand:
//! expiry on the right instant, re-asking after a refusal, a changed purpose asked
//! again alone, objections, GPC, children, visitor links, and a rebuilt book that
//! answers as the live one did.

use crate::clock::{Clock, ManualClock};
use crate::consent::*;
use crate::writer::{Job, Writer};
use custodia_store::{SubjectRecord, Write};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    writer: Writer,
    book: Arc<ConsentBook>,
    consents: Consents,
    clock: Arc<ManualClock>,
}

fn register() -> custodia_register::ValidRegister {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas.toml");
    custodia_register::load(&path).unwrap()
}

async fn fixture(start: OffsetDateTime) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        SqliteStore::open(&dir.path().join("custodia.db"))
            .await
            .unwrap(),
    );
    let keys = Arc::new(
        SqliteKeyStore::open(&dir.path().join("keys.db"))
            .await
            .unwrap(),
    );
    let register = Arc::new(register());
    let book = Arc::new(ConsentBook::new(Arc::new(Catalog::new(&register))));
    let writer = Writer::start_observed(store.clone(), keys, audit_key(), book.clone())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let consents = Consents::new(
        book.clone(),
        store.clone(),
        writer.clone(),
        register,
        clock.clone(),
        1,
    );
    Fixture {
        _dir: dir,
        store,
        writer,
        book,
        consents,
        clock,
    }
}

impl Fixture {
    async fn subject(&self, id: &str, kind: &str, age_status: &str) {
        let now = self.clock.now();
        let subject = SubjectRecord {
            id: id.to_owned(),
            kind: kind.to_owned(),
            age_status: age_status.to_owned(),
            parental_consent_at: None,
            created_at: now,
            updated_at: now,
            erased_at: None,
        };
        let write = Write::CreateSubject {
            subject,
            fields: Vec::new(),
            indexes: Vec::new(),
        };
        self.writer
            .submit(Job {
                writes: vec![write],
                ..Job::default()
            })
            .await
            .unwrap();
    }

    async fn choose(
        &self,
        owner: Owner,
        purpose: &str,
        state: &str,
        gpc: bool,
    ) -> Result<Vec<custodia_store::ConsentRecord>, ConsentError> {
        let proof = Proof {
            method: "api".to_owned(),
            gpc,
            ..Proof::default()
        };
        let choice = ChoiceInput {
            purpose: purpose.to_owned(),
            service: None,
            state: state.to_owned(),
        };
        self.consents
            .record(Recorder::Subject, owner, &[choice], &proof)
            .await
    }

    fn reason(&self, subject: &str, purpose: &str) -> Reason {
        self.book
            .decide(subject, purpose, self.clock.now())
            .unwrap()
            .reason
    }
}

fn s(id: &str) -> Owner {
    Owner::Subject(id.to_owned())
}

#[tokio::test]
async fn a_tracker_consent_lasts_thirteen_months_to_the_instant() {
    let f = fixture(datetime!(2026-01-31 10:00 UTC)).await;
    f.subject("ann", "customer", "adult").await;
    assert_eq!(f.reason("ann", "analytics"), Reason::NoConsent);
    let records = f
        .choose(s("ann"), "analytics", "given", false)
        .await
        .unwrap();
    // 31 January + 13 months: the last day of February 2027.
    assert_eq!(records[0].expires_at, Some(datetime!(2027-02-28 10:00 UTC)));
    f.clock.set(datetime!(2027-02-28 09:59:59 UTC));
    assert_eq!(f.reason("ann", "analytics"), Reason::ConsentGiven);
    f.clock.set(datetime!(2027-02-28 10:00 UTC));
    let d = f.book.decide("ann", "analytics", f.clock.now()).unwrap();
    assert!(!d.allowed);
    assert_eq!(d.reason, Reason::ConsentExpired);
}

#[tokio::test]
async fn a_refusal_may_be_asked_again_after_six_months_and_a_form_consent_does_not_lapse() {
    let f = fixture(datetime!(2026-08-31 08:00 UTC)).await;
    f.subject("bob", "customer", "adult").await;
    let refused = f
        .choose(s("bob"), "analytics", "refused", false)
        .await
        .unwrap();
    assert_eq!(refused[0].expires_at, Some(datetime!(2027-02-28 08:00 UTC)));
    let given = f
        .choose(s("bob"), "newsletter", "given", false)
        .await
        .unwrap();
    assert_eq!(
        given[0].expires_at, None,
        "no lifetime in the register for the newsletter"
    );
    f.clock.advance(Duration::days(3 * 365));
    assert_eq!(
        f.reason("bob", "analytics"),
        Reason::ConsentRefused,
        "a refusal never allows"
    );
    assert_eq!(f.reason("bob", "newsletter"), Reason::ConsentGiven);
    f.choose(s("bob"), "newsletter", "withdrawn", false)
        .await
        .unwrap();
    assert_eq!(f.reason("bob", "newsletter"), Reason::ConsentWithdrawn);
}

#[tokio::test]
async fn a_changed_purpose_is_asked_again_alone_and_a_rebuilt_book_agrees() {
    let f = fixture(datetime!(2026-03-01 12:00 UTC)).await;
    f.subject("cat", "customer", "adult").await;
    f.choose(s("cat"), "analytics", "given", false)
        .await
        .unwrap();
    f.choose(s("cat"), "newsletter", "given", false)
        .await
        .unwrap();
    f.choose(s("cat"), "customer_prospecting", "refused", false)
        .await
        .unwrap();

    // A restart with the same register: the same answers.
    let same = ConsentBook::new(Arc::new(Catalog::new(&register())));
    same.load(f.store.as_ref()).await.unwrap();
    for purpose in [
        "analytics",
        "newsletter",
        "customer_prospecting",
        "payments",
        "remarketing",
    ] {
        assert_eq!(
            same.decide("cat", purpose, f.clock.now()),
            f.book.decide("cat", purpose, f.clock.now()),
            "{purpose} after a rebuild"
        );
    }

    // The register adds a vendor to analytics: only analytics is asked again.
    let mut changed = (*register()).clone();
    let analytics = changed
        .purposes
        .iter_mut()
        .find(|p| p.id == "analytics")
        .unwrap();
    analytics.recipients.push("meta".to_owned());
    let rebuilt = ConsentBook::new(Arc::new(Catalog::new(&changed)));
    rebuilt.load(f.store.as_ref()).await.unwrap();
    let now = f.clock.now();
    assert_eq!(
        rebuilt.decide("cat", "analytics", now).unwrap().reason,
        Reason::PurposeChanged
    );
    assert_eq!(
        rebuilt.decide("cat", "newsletter", now).unwrap().reason,
        Reason::ConsentGiven
    );
}

#[tokio::test]
async fn objections_gpc_children_and_bases_other_than_consent() {
    let f = fixture(datetime!(2026-05-05 05:05 UTC)).await;
    f.subject("dan", "customer", "adult").await;
    assert_eq!(f.reason("dan", "customer_prospecting"), Reason::LegalBasis);
    f.choose(s("dan"), "customer_prospecting", "refused", false)
        .await
        .unwrap();
    assert_eq!(f.reason("dan", "customer_prospecting"), Reason::Objected);
    match f
        .choose(s("dan"), "customer_prospecting", "given", false)
        .await
    {
        Err(ConsentError::Invalid { field, .. }) => assert_eq!(field, "choices[0].state"),
        other => panic!("consent to a legitimate interest: {other:?}"),
    }
    match f.choose(s("dan"), "payments", "refused", false).await {
        Err(ConsentError::Invalid { field, .. }) => assert_eq!(field, "choices[0].purpose"),
        other => panic!("refusing a contract purpose: {other:?}"),
    }
    assert_eq!(f.reason("dan", "payments"), Reason::LegalBasis);

    let under_gpc = f
        .choose(s("dan"), "remarketing", "given", true)
        .await
        .unwrap();
    assert_eq!(under_gpc[0].state, "refused");
    assert!(under_gpc[0].gpc);
    assert_eq!(f.reason("dan", "remarketing"), Reason::ConsentRefused);
    let analytics = f
        .choose(s("dan"), "analytics", "given", true)
        .await
        .unwrap();
    assert_eq!(analytics[0].state, "given", "GPC is about advertising only");

    f.subject("eve", "user", "child").await;
    assert!(matches!(
        f.choose(s("eve"), "newsletter", "given", false).await,
        Err(ConsentError::Forbidden(_))
    ));
    assert_eq!(f.reason("eve", "newsletter"), Reason::NoConsent);
    assert_eq!(f.reason("nobody", "newsletter"), Reason::UnknownSubject);
    assert!(
        f.book
            .decide("dan", "no_such_purpose", f.clock.now())
            .is_none()
    );
    // A visitor (prospect kind rules) is outside purposes for customers only.
    f.subject("fay", "visitor", "adult").await;
    assert_eq!(
        f.reason("fay", "newsletter"),
        Reason::NotForThisKindOfSubject
    );
}

#[tokio::test]
async fn a_visitor_s_banner_choices_follow_it_when_it_signs_in() {
    let f = fixture(datetime!(2026-06-01 09:00 UTC)).await;
    f.subject("gus", "customer", "adult").await;
    let visitor = Owner::Visitor("v-1".to_owned());
    f.choose(visitor, "analytics", "given", false)
        .await
        .unwrap();
    assert_eq!(f.reason("gus", "analytics"), Reason::NoConsent);
    let staff = crate::access::Principal {
        id: "apikey:test".to_owned(),
        role: crate::access::Role::Dpo,
    };
    f.consents.link_visitor(&staff, "v-1", "gus").await.unwrap();
    assert_eq!(f.reason("gus", "analytics"), Reason::ConsentGiven);
    // The subject's own later choice wins over the visitor's older one.
    f.clock.advance(Duration::minutes(1));
    f.choose(s("gus"), "analytics", "withdrawn", false)
        .await
        .unwrap();
    assert_eq!(f.reason("gus", "analytics"), Reason::ConsentWithdrawn);
    let rebuilt = ConsentBook::new(Arc::new(Catalog::new(&register())));
    rebuilt.load(f.store.as_ref()).await.unwrap();
    assert_eq!(
        rebuilt
            .decide("gus", "analytics", f.clock.now())
            .unwrap()
            .reason,
        Reason::ConsentWithdrawn
    );
    assert_eq!(rebuilt.current(&Owner::Subject("gus".to_owned())).len(), 1);
}

/// Retention: once every category a purpose uses is archived or past its retention,
/// decisions refuse it; a legal obligation still reads its archive; a later event
/// (a reopened account) brings the data back into use; a rebuilt book agrees.
#[tokio::test]
async fn decisions_stop_when_retention_takes_the_data_out_of_use() {
    let closed = datetime!(2021-01-10 09:00 UTC);
    let f = fixture(closed).await;
    let field = |category: &str| custodia_store::SealedField {
        category: category.to_owned(),
        sealed: vec![1; 40],
    };
    let subject = SubjectRecord {
        id: "ivy".to_owned(),
        kind: "customer".to_owned(),
        age_status: "adult".to_owned(),
        parental_consent_at: None,
        created_at: closed,
        updated_at: closed,
        erased_at: None,
    };
    let event = |name: &str, at: OffsetDateTime| Write::AddEvent {
        subject_id: "ivy".to_owned(),
        event: custodia_store::SubjectEvent {
            event: name.to_owned(),
            at,
            recorded_at: at,
        },
    };
    f.writer
        .submit(Job {
            writes: vec![
                Write::CreateSubject {
                    subject,
                    fields: vec![
                        field("user.contact.email"),
                        field("user.name.first"),
                        field("user.financial.invoice"),
                    ],
                    indexes: Vec::new(),
                },
                event("account_closed", closed),
                event("invoice", closed),
            ],
            ..Job::default()
        })
        .await
        .unwrap();
    // Customers: 90 days, then 3 years of prospecting, then archived.
    let archived = datetime!(2024-04-10 09:00 UTC);
    f.clock.set(archived - Duration::seconds(1));
    assert_eq!(f.reason("ivy", "customer_prospecting"), Reason::LegalBasis);
    f.clock.set(archived);
    assert_eq!(
        f.reason("ivy", "customer_prospecting"),
        Reason::RetentionEnded
    );
    // Invoices are archived from the start, but invoicing is a legal obligation.
    assert_eq!(f.reason("ivy", "invoicing"), Reason::LegalBasis);

    let rebuilt = ConsentBook::new(Arc::new(Catalog::new(&register())));
    rebuilt.load(f.store.as_ref()).await.unwrap();
    assert_eq!(
        rebuilt
            .decide("ivy", "customer_prospecting", archived)
            .unwrap()
            .reason,
        Reason::RetentionEnded,
        "a rebuilt book agrees"
    );

    // The account is reopened: the closure no longer counts.
    f.writer
        .submit(Job {
            writes: vec![event("account_opened", archived)],
            ..Job::default()
        })
        .await
        .unwrap();
    assert_eq!(f.reason("ivy", "customer_prospecting"), Reason::LegalBasis);
}

/// A book loaded from rows in every table it reads (subjects, fields and events,
/// e-mail blind indexes, consents, visitor links, restrictions, opposition), each
/// over several pages, answers as the live book that applied the writes.
#[tokio::test]
async fn a_loaded_book_answers_as_the_live_one_with_rows_in_every_table() {
    let start = datetime!(2021-01-10 09:00 UTC);
    let f = fixture(start).await;
    let ids: Vec<String> = (0..8)
        .map(|i| format!("0190a000-0000-7000-8000-00000000000{i}"))
        .chain(["ann".to_owned(), "bob".to_owned()])
        .collect();
    let (shared, opposed) = (vec![200u8; 32], vec![201u8; 32]);
    let mut writes = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let kind = ["customer", "prospect", "user"][i % 3];
        let age = if i == 1 { "child" } else { "adult" };
        let digest = match i {
            0 | 1 => shared.clone(),
            2 => opposed.clone(),
            _ => vec![u8::try_from(i).unwrap(); 32],
        };
        let categories: &[&str] = if i % 2 == 0 {
            &["user.contact.email", "user.name.first"]
        } else {
            &["user.contact.email", "user.financial.invoice"]
        };
        writes.push(Write::CreateSubject {
            subject: SubjectRecord {
                id: id.clone(),
                kind: kind.to_owned(),
                age_status: age.to_owned(),
                parental_consent_at: None,
                created_at: start,
                updated_at: start,
                erased_at: None,
            },
            fields: categories
                .iter()
                .map(|c| custodia_store::SealedField {
                    category: (*c).to_owned(),
                    sealed: vec![1; 40],
                })
                .collect(),
            indexes: vec![custodia_store::IndexEntry {
                kind: "email".to_owned(),
                digest,
            }],
        });
        if i % 3 == 0 {
            writes.push(Write::AddEvent {
                subject_id: id.clone(),
                event: custodia_store::SubjectEvent {
                    event: "account_closed".to_owned(),
                    at: start,
                    recorded_at: start,
                },
            });
        }
    }
    writes.push(Write::SetRestriction {
        subject_id: ids[3].clone(),
        restriction: Some(custodia_store::Restriction {
            subject_id: ids[3].clone(),
            since: start,
            request_id: None,
        }),
    });
    writes.push(Write::AddOpposition(custodia_store::OppositionEntry {
        digest: opposed.clone(),
        added_at: start,
        expires_at: start + Duration::days(3 * 365),
    }));
    f.writer
        .submit(Job {
            writes,
            ..Job::default()
        })
        .await
        .unwrap();
    let purposes = ["newsletter", "customer_prospecting", "analytics", "contact"];
    for (i, id) in ids.iter().enumerate() {
        let purpose = purposes[i % 4];
        // An objection where the purpose rests on legitimate interest.
        let state = match purpose {
            "customer_prospecting" | "contact" => "refused",
            _ => ["given", "refused", "withdrawn"][i % 3],
        };
        f.choose(s(id), purpose, state, false).await.unwrap();
        f.clock.advance(Duration::minutes(1));
        let visitor = Owner::Visitor(format!("v-{i}"));
        f.choose(visitor, "analytics", "given", i == 5)
            .await
            .unwrap();
    }
    let staff = crate::access::Principal {
        id: "apikey:test".to_owned(),
        role: crate::access::Role::Dpo,
    };
    for i in [0, 2, 4, 9] {
        f.consents
            .link_visitor(&staff, &format!("v-{i}"), &ids[i])
            .await
            .unwrap();
    }
    // v-2 moves on to another subject.
    f.consents
        .link_visitor(&staff, "v-2", &ids[6])
        .await
        .unwrap();

    let rebuilt = ConsentBook::new(Arc::new(Catalog::new(&register())));
    rebuilt.load(f.store.as_ref()).await.unwrap();
    answers_alike(&rebuilt, &f, &ids, &[&shared, &opposed]);
    assert_eq!(f.book.subjects_with_email(&shared).len(), 2);
    let later = datetime!(2024-06-01 09:00 UTC);
    assert_eq!(
        rebuilt.decide(&ids[3], "newsletter", later).unwrap().reason,
        Reason::Restricted
    );

    // The same book written to a snapshot and read back answers alike too; a snapshot
    // taken at another mark is not used, and the file is gone either way.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.snapshot");
    let mark = snapshot::Mark {
        register: "r".to_owned(),
        audit_head: Some((7, "h".to_owned())),
        rows: "1,2".to_owned(),
    };
    f.book.write_snapshot(&path, &mark).unwrap();
    let restored = ConsentBook::new(Arc::new(Catalog::new(&register())));
    assert!(restored.read_snapshot(&path, &mark).unwrap());
    assert!(!path.exists(), "the snapshot is removed once read");
    answers_alike(&restored, &f, &ids, &[&shared, &opposed]);
    for other in [
        snapshot::Mark {
            rows: "1,3".to_owned(),
            ..mark.clone()
        },
        snapshot::Mark {
            audit_head: Some((8, "h".to_owned())),
            ..mark.clone()
        },
        snapshot::Mark {
            register: "s".to_owned(),
            ..mark.clone()
        },
    ] {
        f.book.write_snapshot(&path, &mark).unwrap();
        let fresh = ConsentBook::new(Arc::new(Catalog::new(&register())));
        assert!(!fresh.read_snapshot(&path, &other).unwrap(), "{other:?}");
        assert!(!path.exists());
        assert_eq!(fresh.subject(&ids[0]), None, "nothing read");
    }
    assert!(!restored.read_snapshot(&path, &mark).unwrap(), "no file");
}

/// `book` decides, lists choices and finds e-mails as `f`'s live book does.
fn answers_alike(book: &ConsentBook, f: &Fixture, ids: &[String], digests: &[&Vec<u8>]) {
    let later = datetime!(2024-06-01 09:00 UTC);
    for id in ids {
        assert_eq!(book.subject(id), f.book.subject(id), "{id}");
        let owner = Owner::Subject(id.clone());
        assert_eq!(book.current(&owner), f.book.current(&owner), "{id}");
        for p in f.book.catalog().purposes() {
            for at in [f.clock.now(), later] {
                assert_eq!(
                    book.decide(id, &p.id, at),
                    f.book.decide(id, &p.id, at),
                    "{id} {} at {at}",
                    p.id
                );
            }
        }
    }
    for i in 0..10 {
        let visitor = Owner::Visitor(format!("v-{i}"));
        assert_eq!(book.current(&visitor), f.book.current(&visitor));
    }
    for digest in digests {
        assert_eq!(
            book.subjects_with_email(digest),
            f.book.subjects_with_email(digest)
        );
    }
}

fn audit_key() -> Arc<custodia_crypto::AuditKey> {
    Arc::new(custodia_crypto::AuditKey::new(
        &custodia_crypto::SecretKey::generate().unwrap(),
    ))
}
