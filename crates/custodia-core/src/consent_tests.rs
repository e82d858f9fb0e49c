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

fn audit_key() -> Arc<custodia_crypto::AuditKey> {
    Arc::new(custodia_crypto::AuditKey::new(
        &custodia_crypto::SecretKey::generate().unwrap(),
    ))
}
