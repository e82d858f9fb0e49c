//! Retention carried out, in-process on real SQLite files and a real PostgreSQL
//! database with a manual clock: every rule of the issue acts at its instant, not a
//! second or a day before; holds suspend it; anonymisation keeps only counts; and
//! through the real binary, a sweep killed with SIGKILL and run again does every
//! action exactly once.

use std::sync::Arc;

use custodia_core::access::{Principal, Role};
use custodia_core::consent::{Catalog, ConsentBook};
use custodia_core::keyring::Keyring;
use custodia_core::retention::sweep::{DEFAULT_PAGE, NewHold, Retention};
use custodia_core::vault::{NewSubject, Vault};
use custodia_core::writer::Writer;
use custodia_core::{Clock, ManualClock};
use custodia_crypto::MasterKey;
use custodia_register::IsoDuration;
use custodia_store::{AuditFilter, KeyStore, OppositionEntry, Store, Write};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

pub(crate) const T0: OffsetDateTime = datetime!(2021-03-10 09:00 UTC);

pub(crate) struct Harness {
    _dir: Option<tempfile::TempDir>,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) keys: Arc<dyn KeyStore>,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) vault: Arc<Vault>,
    pub(crate) writer: Writer,
    pub(crate) retention: Arc<Retention>,
    pub(crate) register: Arc<custodia_register::ValidRegister>,
    pub(crate) book: Arc<ConsentBook>,
    audit_key: Arc<custodia_crypto::AuditKey>,
    pub(crate) dpo: Principal,
}

pub(crate) fn register(name: &str) -> Arc<custodia_register::ValidRegister> {
    Arc::new(custodia_register::load(&crate::support::example(name)).unwrap())
}

async fn harness_on(
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyStore>,
    dir: Option<tempfile::TempDir>,
    register: Arc<custodia_register::ValidRegister>,
) -> Harness {
    let clock = Arc::new(ManualClock::new(T0));
    let book = Arc::new(ConsentBook::new(Arc::new(Catalog::new(&register))));
    let consent_book = book.clone();
    let keyring = Arc::new(Keyring::from_key(MasterKey::generate().unwrap()));
    let audit_key = Arc::new(
        custodia_core::audit::open_key(keys.as_ref(), &keyring)
            .await
            .unwrap(),
    );
    custodia_core::audit::anchor(store.as_ref(), keys.as_ref(), &audit_key, T0)
        .await
        .unwrap();
    let writer = Writer::start_observed(store.clone(), keys.clone(), audit_key.clone(), book)
        .await
        .unwrap();
    let vault = Vault::open(
        store.clone(),
        keys.clone(),
        writer.clone(),
        keyring,
        register.clone(),
        clock.clone() as Arc<dyn Clock>,
    )
    .await
    .unwrap();
    let retention = Retention::new(
        store.clone(),
        keys.clone(),
        writer.clone(),
        &register,
        clock.clone() as Arc<dyn Clock>,
    );
    Harness {
        _dir: dir,
        store,
        keys,
        clock,
        vault: Arc::new(vault),
        writer,
        retention: Arc::new(retention),
        register,
        book: consent_book,
        audit_key,
        dpo: Principal {
            id: "user:dpo".to_owned(),
            role: Role::Dpo,
        },
    }
}

pub(crate) async fn sqlite(register_file: &str) -> Harness {
    sqlite_with(register(register_file)).await
}

async fn sqlite_with(register: Arc<custodia_register::ValidRegister>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = custodia_store_sqlite::SqliteStore::open(&dir.path().join("custodia.db"))
        .await
        .unwrap();
    let keys = custodia_store_sqlite::SqliteKeyStore::open(&dir.path().join("keys.db"))
        .await
        .unwrap();
    // As `custodia serve` runs it: behind the read caches.
    harness_on(
        Arc::new(custodia_store::cache::CachingStore::new(store)),
        Arc::new(custodia_store::cache::CachingKeyStore::new(keys)),
        Some(dir),
        register,
    )
    .await
}

pub(crate) async fn postgres(register_file: &str) -> Option<Harness> {
    postgres_with(register(register_file)).await
}

async fn postgres_with(register: Arc<custodia_register::ValidRegister>) -> Option<Harness> {
    let url = crate::pg::fresh_postgres_database().await?;
    let store = custodia_store_postgres::PostgresStore::connect(&url)
        .await
        .unwrap();
    let keys = custodia_store_postgres::PostgresKeyStore::connect(&url)
        .await
        .unwrap();
    Some(harness_on(Arc::new(store), Arc::new(keys), None, register).await)
}

/// What a subject looks like to the test after a sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Erased,
    Holds {
        categories: Vec<&'static str>,
        progress: Vec<(&'static str, u32)>,
    },
}

fn holds(categories: &[&'static str], progress: &[(&'static str, u32)]) -> State {
    let mut categories = categories.to_vec();
    categories.sort();
    let mut progress = progress.to_vec();
    progress.sort();
    State::Holds {
        categories,
        progress,
    }
}

impl Harness {
    /// A subject of `kind` with a value for each category and each event at T0.
    async fn subject(&self, kind: &str, categories: &[&str], events: &[&str]) -> String {
        self.clock.set(T0);
        let mut data = serde_json::Map::new();
        for (i, c) in categories.iter().enumerate() {
            let value = if c.ends_with(".email") {
                json!(format!("person{i}-{}@example.org", uuid_like()))
            } else {
                json!(format!("value of {c}"))
            };
            data.insert((*c).to_owned(), value);
        }
        let id = self
            .vault
            .create(
                &self.dpo,
                NewSubject {
                    kind: kind.to_owned(),
                    data,
                    ..NewSubject::default()
                },
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("creating a {kind} with {categories:?}: {e}"));
        for event in events {
            self.vault
                .add_event(&self.dpo, &id, event, Some(T0))
                .await
                .unwrap();
        }
        id
    }

    pub(crate) async fn sweep(
        &self,
        now: OffsetDateTime,
    ) -> custodia_core::retention::sweep::SweepReport {
        self.clock.set(now);
        self.retention
            .sweep(now, false, DEFAULT_PAGE, &|_| {})
            .await
            .unwrap()
    }

    async fn state(&self, id: &str) -> State {
        let stored = self.store.subject(id).await.unwrap().unwrap();
        if stored.record.erased_at.is_some() {
            assert!(stored.fields.is_empty(), "an erased subject keeps no field");
            assert_eq!(self.keys.data_key(id).await.unwrap(), None, "key left");
            return State::Erased;
        }
        let facts = self
            .store
            .retention_facts_page(None, 10_000)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.subject_id == id)
            .unwrap();
        let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
        State::Holds {
            categories: stored.fields.iter().map(|f| leak(&f.category)).collect(),
            progress: facts
                .progress
                .iter()
                .map(|(rule, step, _)| (leak(rule), *step))
                .collect(),
        }
    }

    async fn audit_actions(&self, id: &str) -> Vec<String> {
        self.store
            .audit_entries(&AuditFilter {
                subject_ref: Some(id.to_owned()),
                limit: 1000,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action.starts_with("retention."))
            .map(|e| e.action)
            .collect()
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

fn after(duration: &str, from: OffsetDateTime) -> OffsetDateTime {
    duration
        .parse::<IsoDuration>()
        .unwrap()
        .after(from)
        .unwrap()
}

/// A subject's expected states over time: (from this instant, this state).
struct Timeline {
    name: &'static str,
    id: String,
    states: Vec<(OffsetDateTime, State)>,
}

impl Timeline {
    fn expected(&self, at: OffsetDateTime) -> &State {
        // Before the first instant listed: the first state.
        &self
            .states
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .unwrap_or(&self.states[0])
            .1
    }
}

/// Every rule of the issue on the SaaS register: each subject's state is checked
/// after sweeps a day before, a second before and at every instant a step falls due.
async fn every_rule_acts_on_its_day(h: Harness) {
    let email = "user.contact.email";
    let first = "user.name.first";
    let creds = "user.authorization.credentials";
    let mut timelines = Vec::new();
    let mut add = |name, id, states| {
        timelines.push(Timeline { name, id, states });
    };

    let id = h
        .subject("prospect", &[email, first], &["last_contact"])
        .await;
    add(
        "prospect: deleted 3 years after the last contact",
        id,
        vec![
            (T0, holds(&[email, first], &[])),
            (after("P3Y", T0), State::Erased),
        ],
    );

    let id = h
        .subject("customer", &[email, first, creds], &["account_closed"])
        .await;
    let closed_90 = after("P90D", T0);
    let archived = after("P3Y", closed_90);
    add(
        "customer: sign-in data at closure + 90 days, then 3 years, 5 years archived, deleted",
        id,
        vec![
            (T0, holds(&[email, first, creds], &[])),
            (closed_90, holds(&[email, first], &[("account-access", 2)])),
            (
                archived,
                holds(&[email, first], &[("account-access", 2), ("customers", 3)]),
            ),
            (after("P5Y", archived), State::Erased),
        ],
    );

    let log = "user.device.connection_log";
    let id = h.subject("customer", &[log], &["last_connection"]).await;
    add(
        "connection logs: 1 year after the last connection",
        id,
        vec![(T0, holds(&[log], &[])), (after("P1Y", T0), State::Erased)],
    );

    let choices = "user.privacy_preferences";
    let id = h.subject("customer", &[choices], &["consent_given"]).await;
    add(
        "consent choices: 6 months",
        id,
        vec![
            (T0, holds(&[choices], &[])),
            (after("P6M", T0), State::Erased),
        ],
    );

    let cookie = "user.device.cookie_id";
    let id = h.subject("customer", &[cookie], &["consent_given"]).await;
    add(
        "trackers: 13 months",
        id,
        vec![
            (T0, holds(&[cookie], &[])),
            (after("P13M", T0), State::Erased),
        ],
    );

    let invoice = "user.financial.invoice";
    let id = h.subject("customer", &[invoice], &["invoice"]).await;
    add(
        "invoices: archived 10 years from the invoice",
        id,
        vec![
            (T0 - time::Duration::days(2), holds(&[invoice], &[])),
            (T0, holds(&[invoice], &[("invoices", 1)])),
            (after("P10Y", T0), State::Erased),
        ],
    );

    let purchases = "user.behavior.purchase_history";
    let id = h.subject("customer", &[purchases], &["transaction"]).await;
    add(
        "transactions: 1 year active, archived until 5 years",
        id,
        vec![
            (T0, holds(&[purchases], &[])),
            (
                after("P1Y", T0),
                holds(&[purchases], &[("transactions", 2)]),
            ),
            (after("P4Y", after("P1Y", T0)), State::Erased),
        ],
    );

    let card = "user.financial.credit_card";
    let id = h.subject("customer", &[card, email], &["debit"]).await;
    add(
        "card proof: 13 months after the debit",
        id,
        vec![
            (T0 - time::Duration::days(2), holds(&[card, email], &[])),
            (T0, holds(&[card, email], &[("card-proof", 1)])),
            (after("P13M", T0), holds(&[email], &[("card-proof", 2)])),
        ],
    );
    let id = h
        .subject("customer", &[card, email], &["deferred_debit"])
        .await;
    add(
        "card proof: 15 months after a deferred debit",
        id,
        vec![
            (T0 - time::Duration::days(2), holds(&[card, email], &[])),
            (T0, holds(&[card, email], &[("card-proof-deferred", 1)])),
            (
                after("P15M", T0),
                holds(&[email], &[("card-proof-deferred", 2)]),
            ),
        ],
    );
    let id = h
        .subject("customer", &[card], &["debit", "deferred_debit"])
        .await;
    add(
        "card proof after both: kept until the longer rule ends",
        id,
        vec![
            (T0 - time::Duration::days(2), holds(&[card], &[])),
            (
                T0,
                holds(&[card], &[("card-proof", 1), ("card-proof-deferred", 1)]),
            ),
            (
                after("P13M", T0),
                holds(&[card], &[("card-proof", 2), ("card-proof-deferred", 1)]),
            ),
            (after("P15M", T0), State::Erased),
        ],
    );

    let id_doc = "user.government_id";
    let id = h
        .subject("customer", &[id_doc, email], &["identity_verified"])
        .await;
    add(
        "ID documents: deleted once identity is verified (+1 day)",
        id,
        vec![
            (T0, holds(&[id_doc, email], &[])),
            (after("P1D", T0), holds(&[email], &[("id-documents", 2)])),
        ],
    );

    // The card security code is never stored at all.
    h.clock.set(T0);
    let refused = h
        .vault
        .create(
            &h.dpo,
            NewSubject {
                kind: "customer".to_owned(),
                data: serde_json::Map::from_iter([(
                    "user.financial.credit_card.security_code".to_owned(),
                    json!("123"),
                )]),
                ..NewSubject::default()
            },
            None,
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("never stored"), "{refused}");

    // Opposition entries: kept 3 years (what the rights desk sets), then purged.
    let added = T0;
    let expires = after("P3Y", added);
    h.writer
        .submit(custodia_core::writer::Job {
            writes: vec![Write::AddOpposition(OppositionEntry {
                digest: vec![7; 32],
                added_at: added,
                expires_at: expires,
            })],
            ..Default::default()
        })
        .await
        .unwrap();

    let mut instants: Vec<OffsetDateTime> = Vec::new();
    for t in &timelines {
        for (at, _) in &t.states {
            instants.extend([
                *at - time::Duration::days(1),
                *at - time::Duration::seconds(1),
                *at,
            ]);
        }
    }
    instants.extend([
        expires - time::Duration::days(1),
        expires - time::Duration::seconds(1),
        expires,
    ]);
    instants.sort();
    instants.dedup();
    for at in instants {
        let report = h.sweep(at).await;
        for t in &timelines {
            assert_eq!(&h.state(&t.id).await, t.expected(at), "{} at {at}", t.name);
        }
        let listed = h.store.opposition_entry(&[7; 32]).await.unwrap().is_some();
        assert_eq!(listed, at < expires, "opposition entry at {at}");
        assert_eq!(report.opposition_entries_purged, u64::from(at == expires));
    }
    // Every action was audited once, under the retention principal.
    let customer = &timelines[1];
    assert_eq!(
        h.audit_actions(&customer.id).await,
        ["retention.delete", "retention.archive", "retention.erase"]
    );
    let both = &timelines[9];
    assert_eq!(
        h.audit_actions(&both.id).await,
        ["retention.archive", "retention.archive", "retention.erase"]
    );
    assert!(matches!(
        custodia_core::audit::verify(h.store.as_ref(), h.keys.as_ref(), &h.audit_key, &[])
            .await
            .unwrap(),
        custodia_core::audit::Verdict::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rule_acts_on_its_day_on_sqlite() {
    every_rule_acts_on_its_day(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rule_acts_on_its_day_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    every_rule_acts_on_its_day(h).await;
}

/// A hold on a subject, then one on a rule, suspend deletion (never archiving); once
/// released, the next sweep deletes.
async fn holds_suspend_deletion(h: Harness) {
    let email = "user.contact.email";
    let held_subject = h.subject("prospect", &[email], &["last_contact"]).await;
    let by_rule = h.subject("prospect", &[email], &["last_contact"]).await;
    let free = h
        .subject(
            "customer",
            &["user.device.connection_log"],
            &["last_connection"],
        )
        .await;
    let subject_hold = h
        .retention
        .place_hold(
            &h.dpo,
            NewHold {
                subject_id: Some(held_subject.clone()),
                rule_id: None,
                reason: "case 2024-17".to_owned(),
            },
            T0,
        )
        .await
        .unwrap();
    let rule_hold = h
        .retention
        .place_hold(
            &h.dpo,
            NewHold {
                subject_id: None,
                rule_id: Some("prospects".to_owned()),
                reason: "audit by the authority".to_owned(),
            },
            T0,
        )
        .await
        .unwrap();
    let due = after("P3Y", T0);
    let report = h.sweep(due).await;
    assert_eq!(report.rules["prospects"].held, 2);
    assert_eq!(h.state(&held_subject).await, holds(&[email], &[]));
    assert_eq!(h.state(&by_rule).await, holds(&[email], &[]));
    assert_eq!(h.state(&free).await, State::Erased, "other rules go on");

    h.retention
        .release_hold(&h.dpo, &rule_hold.id, due)
        .await
        .unwrap();
    let report = h.sweep(due + time::Duration::hours(1)).await;
    assert_eq!(report.rules["prospects"].held, 1);
    assert_eq!(report.rules["prospects"].deleted, 1);
    assert_eq!(h.state(&by_rule).await, State::Erased);
    assert_eq!(h.state(&held_subject).await, holds(&[email], &[]));
    let again = h.retention.release_hold(&h.dpo, &rule_hold.id, due).await;
    assert!(again.is_err(), "a hold is released once");

    h.retention
        .release_hold(&h.dpo, &subject_hold.id, due)
        .await
        .unwrap();
    h.sweep(due + time::Duration::hours(2)).await;
    assert_eq!(h.state(&held_subject).await, State::Erased);

    let bad = h
        .retention
        .place_hold(
            &h.dpo,
            NewHold {
                subject_id: None,
                rule_id: Some("no-such-rule".to_owned()),
                reason: "x".to_owned(),
            },
            T0,
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(bad.starts_with("rule_id:"), "{bad}");
    let holds = h.store.legal_holds().await.unwrap();
    assert_eq!(holds.len(), 2);
    assert!(
        holds
            .iter()
            .all(|h| h.released_by.as_deref() == Some("user:dpo"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_suspend_deletion_on_sqlite() {
    holds_suspend_deletion(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_suspend_deletion_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    holds_suspend_deletion(h).await;
}

/// Anonymisation (nocode.toml: browsing data 25 months after collection) destroys
/// the data and keeps only a count per rule, kind and month. A dry run first changes
/// nothing.
async fn anonymisation_keeps_only_counts(h: Harness) {
    let browsing = "user.behavior.browsing_history";
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(h.subject("customer", &[browsing], &["collected"]).await);
    }
    let due = after("P25M", T0);
    h.clock.set(due);
    let dry = h
        .retention
        .sweep(due, true, DEFAULT_PAGE, &|_| {})
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(dry.rules["browsing-data"].anonymised, 3);
    assert_eq!(h.state(&ids[0]).await, holds(&[browsing], &[]));
    assert!(h.store.retention_counts().await.unwrap().is_empty());

    let report = h.sweep(due - time::Duration::seconds(1)).await;
    assert!(
        report
            .rules
            .get("browsing-data")
            .is_none_or(|t| t.anonymised == 0)
    );
    let report = h.sweep(due).await;
    assert_eq!(report.rules["browsing-data"].anonymised, 3);
    for id in &ids {
        assert_eq!(h.state(id).await, State::Erased);
    }
    let counts = h.store.retention_counts().await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (
            counts[0].rule.as_str(),
            counts[0].kind.as_str(),
            counts[0].month.as_str(),
            counts[0].action.as_str(),
            counts[0].count
        ),
        ("browsing-data", "customer", "2023-04", "anonymise", 3)
    );
    // Nothing more to do: a second sweep is a no-op.
    let again = h.sweep(due + time::Duration::days(1)).await;
    assert_eq!(again.subjects_erased, 0);
    assert_eq!(h.store.retention_counts().await.unwrap()[0].count, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymisation_keeps_only_counts_on_sqlite() {
    anonymisation_keeps_only_counts(sqlite("nocode.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymisation_keeps_only_counts_on_postgres() {
    let Some(h) = postgres("nocode.toml").await else {
        return;
    };
    anonymisation_keeps_only_counts(h).await;
}

/// saas.toml gives parents 30 days: a child without a parent's consent is erased 30
/// days after it was found (at creation, or when reported later), not a second
/// before; a parent's consent or a hold on the subject keeps it. Audited apart.
async fn children_without_parental_consent_are_erased(h: Harness) {
    let email = "user.contact.email";
    let person = |age: u8| {
        let mut data = serde_json::Map::new();
        data.insert(
            email.to_owned(),
            json!(format!("pupil{}@example.org", uuid_like())),
        );
        NewSubject {
            kind: "customer".to_owned(),
            data,
            declared_age: Some(age),
            ..NewSubject::default()
        }
    };
    h.clock.set(T0);
    let child = h.vault.create(&h.dpo, person(12), None).await.unwrap();
    let with_parent = h.vault.create(&h.dpo, person(12), None).await.unwrap();
    let held = h.vault.create(&h.dpo, person(13), None).await.unwrap();
    let reported = h.vault.create(&h.dpo, person(30), None).await.unwrap();
    h.retention
        .place_hold(
            &h.dpo,
            NewHold {
                subject_id: Some(held.clone()),
                rule_id: None,
                reason: "parent's complaint under review".to_owned(),
            },
            T0,
        )
        .await
        .unwrap();
    h.clock.set(after("P10D", T0));
    h.vault
        .record_parental_consent(&h.dpo, &with_parent)
        .await
        .unwrap();
    // An adult by its declared age, reported as a child five days in.
    h.clock.set(after("P5D", T0));
    h.vault.flag_under_age(&h.dpo, &reported).await.unwrap();

    let due = after("P30D", T0);
    let report = h.sweep(due - time::Duration::seconds(1)).await;
    assert_eq!(report.subjects_erased, 0);
    assert_eq!(h.state(&child).await, holds(&[email], &[]));

    let report = h.sweep(due).await;
    let children = &report.rules[custodia_core::retention::sweep::CHILDREN_RULE];
    assert_eq!((children.deleted, children.held), (1, 1));
    assert_eq!(h.state(&child).await, State::Erased);
    assert_eq!(h.state(&with_parent).await, holds(&[email], &[]));
    assert_eq!(h.state(&held).await, holds(&[email], &[]));
    assert_eq!(h.state(&reported).await, holds(&[email], &[]));
    assert_eq!(h.audit_actions(&child).await, ["retention.child_erase"]);
    let entry = h
        .store
        .audit_entries(&AuditFilter {
            subject_ref: Some(child.clone()),
            action: Some("retention.child_erase".to_owned()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .remove(0);
    let detail = entry.detail.unwrap_or_default();
    assert!(detail.contains("P30D") && !detail.contains('@'), "{detail}");

    h.sweep(after("P35D", T0) - time::Duration::seconds(1))
        .await;
    assert_eq!(h.state(&reported).await, holds(&[email], &[]));
    h.sweep(after("P35D", T0)).await;
    assert_eq!(h.state(&reported).await, State::Erased);
    assert_eq!(h.state(&with_parent).await, holds(&[email], &[]));
    let refused = h.vault.flag_under_age(&h.dpo, &with_parent).await;
    assert!(
        refused.is_err(),
        "a child whose parent consented is not reported again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn children_without_parental_consent_are_erased_on_sqlite() {
    children_without_parental_consent_are_erased(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn children_without_parental_consent_are_erased_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    children_without_parental_consent_are_erased(h).await;
}

/// The plan lists what falls due in a window, by time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_lists_a_window() {
    let h = sqlite("saas.toml").await;
    let prospect = h
        .subject("prospect", &["user.contact.email"], &["last_contact"])
        .await;
    let invoice = h
        .subject("customer", &["user.financial.invoice"], &["invoice"])
        .await;
    let (steps, cut) = h
        .retention
        .plan(
            T0 - time::Duration::days(1),
            after("P10Y", T0) + time::Duration::days(1),
            100,
        )
        .await
        .unwrap();
    assert!(!cut);
    let listed: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|s| (s.subject_id.as_str(), s.rule.as_str(), s.action))
        .collect();
    assert_eq!(
        listed,
        [
            (invoice.as_str(), "invoices", "archive"),
            (prospect.as_str(), "prospects", "delete"),
            (invoice.as_str(), "invoices", "delete"),
        ]
    );
    let (steps, cut) = h
        .retention
        .plan(
            T0 - time::Duration::days(1),
            after("P10Y", T0) + time::Duration::days(1),
            1,
        )
        .await
        .unwrap();
    assert!(cut);
    assert_eq!(steps.len(), 1);
}

/// The plan kept for the console answers a window exactly as planning it live does,
/// as the clock moves on; a sweep or a hold makes it stale (None) until made again;
/// a window it does not hold whole is left to live planning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kept_plan_answers_as_a_live_plan_until_something_changes() {
    use custodia_core::retention::outlook::Outlook;
    let h = sqlite("saas.toml").await;
    let mut subjects = Vec::new();
    for _ in 0..6 {
        subjects.push(
            h.subject("prospect", &["user.contact.email"], &["last_contact"])
                .await,
        );
        subjects.push(
            h.subject("customer", &["user.financial.invoice"], &["invoice"])
                .await,
        );
    }
    // Kept however fast (a dozen subjects plan in well under the threshold).
    let outlook = Outlook::new(h.retention.clone(), h.clock.clone() as Arc<dyn Clock>)
        .keep_when_slower(std::time::Duration::ZERO);
    let live = |from: OffsetDateTime, days: i64, limit: usize| {
        let retention = h.retention.clone();
        async move {
            retention
                .plan(from, from + time::Duration::days(days), limit)
                .await
                .unwrap()
        }
    };
    let kept = |from: OffsetDateTime, days: i64, limit: usize| {
        outlook
            .planned(from, from + time::Duration::days(days), limit)
            .map(|p| (p.steps, p.truncated))
    };
    assert!(
        kept(T0, 30, 100).is_none(),
        "nothing kept before the first plan"
    );
    h.clock.set(T0);
    outlook.refresh().await.unwrap();
    // From the day it was made, then a year and three years on: the same steps.
    for (from, days, limit) in [
        (T0, 3660, 100),
        (T0, 3660, 5),
        (after("P1Y", T0), 1200, 100),
        (after("P3Y", T0) - time::Duration::days(1), 30, 100),
        (after("P3Y", T0) - time::Duration::days(1), 30, 2),
    ] {
        let want = live(from, days, limit).await;
        assert!(
            !want.0.is_empty(),
            "a window with steps: {from} + {days} days"
        );
        let got = kept(from, days, limit).expect("the kept plan holds the window");
        let ids = |steps: &[custodia_core::retention::sweep::PlannedStep]| {
            steps
                .iter()
                .map(|s| (s.subject_id.clone(), s.rule.clone(), s.step, s.at))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (ids(&got.0), got.1),
            (ids(&want.0), want.1),
            "{from} + {days} days, at most {limit}"
        );
    }
    // Before it was made, or past its horizon: planned live.
    assert!(kept(T0 - time::Duration::days(1), 30, 100).is_none());
    assert!(kept(T0, 3661, 100).is_none());
    // A hold changes what is due: stale until made again.
    h.retention
        .place_hold(
            &h.dpo,
            NewHold {
                subject_id: Some(subjects[0].clone()),
                rule_id: None,
                reason: "case 2027-3".to_owned(),
            },
            T0,
        )
        .await
        .unwrap();
    assert!(kept(T0, 3660, 100).is_none(), "stale after a hold");
    outlook.refresh().await.unwrap();
    let got = kept(T0, 3660, 100).unwrap();
    assert!(
        got.0.iter().any(|s| s.subject_id == subjects[0] && s.held),
        "the hold shows once planned again"
    );
    // So does a sweep.
    h.sweep(after("P3Y", T0)).await;
    assert!(kept(T0, 3660, 100).is_none(), "stale after a sweep");
}

/// `n` prospects whose last contact was four years ago, created over HTTP by a few
/// threads; returns their ids.
pub(crate) fn old_prospects(inst: &crate::install::Install, n: usize) -> Vec<String> {
    // The server runs on the wall clock.
    #[allow(clippy::disallowed_methods)]
    let four_years_ago = time::OffsetDateTime::now_utc() - time::Duration::days(4 * 366);
    let at = four_years_ago
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let threads = 4;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let at = at.clone();
                scope.spawn(move || {
                    let s = inst.server();
                    let key = inst.key("dpo");
                    (0..n / threads)
                        .map(|i| {
                            let body = json!({"kind": "prospect", "data": {
                                "user.contact.email": format!("p{t}-{i}@example.org"),
                                "user.name.first": "Ana"}})
                            .to_string();
                            let r = s.call("POST", "/v1/subjects", Some(key), Some(&body));
                            assert_eq!(r.status, 201, "{}", r.body);
                            let id = r.json()["id"].as_str().unwrap().to_owned();
                            let event = json!({"event": "last_contact", "at": at}).to_string();
                            let r = s.call(
                                "POST",
                                &format!("/v1/subjects/{id}/events"),
                                Some(key),
                                Some(&event),
                            );
                            assert!((200..300).contains(&r.status), "{}", r.body);
                            id
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// A real sweep killed with SIGKILL half-way, then run again: every subject is
/// erased, its key destroyed, and its erasure audited exactly once.
#[test]
fn a_sweep_killed_half_way_is_finished_by_the_next_without_doing_anything_twice() {
    let mut inst = crate::install::install(None);
    let n = 2000;
    let ids = old_prospects(&inst, n);
    // With the server up, a real sweep from the command line is refused.
    let refused = inst.cli(&["retention", "run"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("a server is running"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let dry = inst.cli(&["retention", "run", "--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("would be done"));
    inst.stop();

    let db = inst.data().join("custodia.db");
    let erased_sql = "SELECT count(*) FROM subjects WHERE erased_at_us IS NOT NULL";
    assert_eq!(
        crate::support::sqlite_query(&db, erased_sql).unwrap(),
        0,
        "a dry run changes nothing"
    );
    let mut cmd = crate::support::custodia();
    cmd.args(["retention", "run", "--page", "10", "--data-dir"])
        .arg(inst.data())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let started = std::time::Instant::now();
    loop {
        let erased = crate::support::sqlite_query(&db, erased_sql).unwrap();
        if erased > 0 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the sweep erased nothing in a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let erased_at_kill = crate::support::sqlite_query(&db, erased_sql).unwrap();
    assert!(
        (1..n as i64).contains(&erased_at_kill),
        "killed half-way: {erased_at_kill} of {n} erased"
    );

    let report_file = inst.dir.path().join("report.json");
    let out = inst.cli(&[
        "retention",
        "run",
        "--report",
        report_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("prospects"), "{table}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_file).unwrap()).unwrap();
    assert_eq!(
        report["subjects_erased"].as_i64().unwrap() + erased_at_kill,
        n as i64,
        "the second run erases exactly those the first did not commit"
    );
    assert_eq!(
        crate::support::sqlite_query(&db, erased_sql).unwrap(),
        n as i64
    );
    let keys_db = inst.data().join("keys.db");
    assert_eq!(
        crate::support::sqlite_query(&keys_db, "SELECT count(*) FROM data_keys").unwrap(),
        0
    );
    let audited_twice = crate::support::sqlite_query(
        &db,
        "SELECT count(*) FROM (SELECT subject_ref FROM audit_log \
         WHERE action = 'retention.erase' GROUP BY subject_ref HAVING count(*) <> 1)",
    )
    .unwrap();
    assert_eq!(audited_twice, 0, "each erasure audited exactly once");
    let audited = crate::support::sqlite_query(
        &db,
        "SELECT count(DISTINCT subject_ref) FROM audit_log WHERE action = 'retention.erase'",
    )
    .unwrap();
    assert_eq!(audited, n as i64);
    let verify = inst.cli(&["audit", "verify"]);
    assert!(verify.status.success());
    // A third run finds nothing left to do.
    let out = inst.cli(&["retention", "run"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("erased: 0"));
    assert_eq!(ids.len(), n);
}

/// The HTTP API: the plan of a window, a dry run then a sweep, holds placed and
/// released by the DPO.
#[test]
fn the_dpo_plans_sweeps_and_holds_over_http() {
    let inst = crate::install::install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let ids = old_prospects(&inst, 4);
    let plan = s.call(
        "GET",
        "/v1/retention/plan?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z",
        Some(dpo),
        None,
    );
    assert_eq!(plan.status, 200, "{}", plan.body);
    let steps = plan.json()["steps"].as_array().unwrap().clone();
    assert_eq!(steps.len(), 4);
    assert!(
        steps
            .iter()
            .all(|s| s["rule"] == "prospects" && s["action"] == "delete")
    );
    let bad = s.call("GET", "/v1/retention/plan?limit=0", Some(dpo), None);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("limit"), "{}", bad.body);

    let hold = s.call(
        "POST",
        "/v1/retention/holds",
        Some(dpo),
        Some(&json!({"subject_id": ids[0], "reason": "litigation 42"}).to_string()),
    );
    assert_eq!(hold.status, 201, "{}", hold.body);
    let hold_id = hold.json()["id"].as_str().unwrap().to_owned();
    let bad = s.call(
        "POST",
        "/v1/retention/holds",
        Some(dpo),
        Some(r#"{"reason": "nothing named"}"#),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);

    let dry = s.call(
        "POST",
        "/v1/retention/run",
        Some(dpo),
        Some(r#"{"dry_run": true}"#),
    );
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.json()["rules"]["prospects"]["deleted"], 3);
    assert_eq!(dry.json()["rules"]["prospects"]["held"], 1);
    assert_eq!(
        s.call("GET", &format!("/v1/subjects/{}", ids[1]), Some(dpo), None)
            .status,
        200,
        "a dry run erases nothing"
    );
    let run = s.call(
        "POST",
        "/v1/retention/run",
        Some(dpo),
        Some(r#"{"dry_run":false}"#),
    );
    assert_eq!(run.status, 200, "{}", run.body);
    assert_eq!(run.json()["subjects_erased"], 3);
    assert_eq!(
        s.call("GET", &format!("/v1/subjects/{}", ids[1]), Some(dpo), None)
            .status,
        410
    );
    assert_eq!(
        s.call("GET", &format!("/v1/subjects/{}", ids[0]), Some(dpo), None)
            .status,
        200,
        "the held subject is kept"
    );
    let released = s.call(
        "DELETE",
        &format!("/v1/retention/holds/{hold_id}"),
        Some(dpo),
        None,
    );
    assert_eq!(released.status, 200, "{}", released.body);
    let again = s.call(
        "DELETE",
        &format!("/v1/retention/holds/{hold_id}"),
        Some(dpo),
        None,
    );
    assert_eq!(again.status, 409);
    let run = s.call(
        "POST",
        "/v1/retention/run",
        Some(dpo),
        Some(r#"{"dry_run":false}"#),
    );
    assert_eq!(run.json()["subjects_erased"], 1);
    let holds = s.call("GET", "/v1/retention/holds", Some(dpo), None).json();
    assert_eq!(
        holds[0]["released_by"].as_str().unwrap(),
        holds[0]["created_by"].as_str().unwrap()
    );
    let staff_actions: Vec<String> = s
        .call("GET", "/v1/audit?limit=1000", Some(dpo), None)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] == "ok" && e["principal"] != "system:retention")
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect();
    for action in [
        "retention.plan",
        "retention.hold",
        "retention.run",
        "retention.hold_release",
        "retention.holds",
    ] {
        assert!(
            staff_actions.iter().any(|a| a == action),
            "{action} is audited"
        );
    }
    let audit = s
        .call(
            "GET",
            "/v1/audit?principal=system:retention&limit=1000",
            Some(dpo),
            None,
        )
        .json();
    let erasures = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "retention.erase")
        .count();
    assert_eq!(erasures, 4);
}

/// The server sweeps on its own schedule (here every 1.2 seconds).
#[test]
fn the_server_sweeps_on_its_schedule() {
    let inst =
        crate::install::install_with_config("[retention]\ninterval_minutes = 0.02\n", |_| {});
    let s = inst.server();
    let dpo = inst.key("dpo");
    let ids = old_prospects(&inst, 4);
    let started = std::time::Instant::now();
    while s
        .call("GET", &format!("/v1/subjects/{}", ids[3]), Some(dpo), None)
        .status
        != 410
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no scheduled sweep erased the prospect within a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // The subject reads as erased once its key is gone, a moment before the commit
    // that carries the erasure and its audit entry.
    let audited = || {
        s.call(
            "GET",
            "/v1/audit?principal=system:retention&limit=1000",
            Some(dpo),
            None,
        )
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "retention.erase" && e["subject_ref"] == ids[3].as_str())
    };
    while !audited() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the scheduled erasure was not audited"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Closed rights requests are kept 5 years (`privacy-requests`), post-mortem
/// directives 1 year (`post-mortem`), then deleted with their messages; open ones stay.
async fn closed_requests_are_deleted_when_their_keeping_ends(h: Harness) {
    use custodia_store_conformance::rights::{outbox_item, request};
    let closed = |id: &str, kind: &str| {
        let mut row = request(id, vec![9; 32]);
        row.kind = kind.to_owned();
        row.status = "completed".to_owned();
        row.closed_at = Some(T0);
        row
    };
    let access = closed("0190aaaa-0000-7000-8000-000000000001", "access");
    let directive = closed("0190aaaa-0000-7000-8000-000000000002", "post_mortem");
    let mut open = request("0190aaaa-0000-7000-8000-000000000003", vec![9; 32]);
    open.status = "in_progress".to_owned();
    let mut writes: Vec<Write> = [&access, &directive, &open]
        .into_iter()
        .map(|row| Write::PutRightsRequest {
            row: row.clone(),
            expected_version: None,
        })
        .collect();
    writes.push(Write::PutOutbox(outbox_item(
        "0190bbbb-0000-7000-8000-000000000001",
        Some(&access.id),
        T0,
    )));
    h.writer
        .submit(custodia_core::writer::Job {
            writes,
            ..Default::default()
        })
        .await
        .unwrap();
    let present = |id: String| {
        let store = h.store.clone();
        async move { store.rights_request(&id).await.unwrap().is_some() }
    };
    let five_years = after("P5Y", T0);
    let one_year = after("P1Y", T0);
    for (at, access_kept, directive_kept) in [
        (one_year - time::Duration::seconds(1), true, true),
        (one_year, true, false),
        (five_years - time::Duration::seconds(1), true, false),
        (five_years, false, false),
    ] {
        let report = h.sweep(at).await;
        assert_eq!(
            present(access.id.clone()).await,
            access_kept,
            "access at {at}"
        );
        assert_eq!(
            present(directive.id.clone()).await,
            directive_kept,
            "directive at {at}"
        );
        assert!(present(open.id.clone()).await, "an open request stays");
        if at == one_year {
            assert_eq!(report.rules["post-mortem"].requests_deleted, 1);
        }
    }
    assert!(
        h.store
            .outbox_for_request(&access.id)
            .await
            .unwrap()
            .is_empty(),
        "its messages go with it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_requests_are_deleted_when_their_keeping_ends_on_sqlite() {
    closed_requests_are_deleted_when_their_keeping_ends(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_requests_are_deleted_when_their_keeping_ends_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    closed_requests_are_deleted_when_their_keeping_ends(h).await;
}

/// Instances sharing a database sweep one at a time: while another holds the sweep's
/// lease, a sweep is refused and changes nothing (a dry run still reports); once the
/// lease expires, the sweep runs.
async fn one_sweep_at_a_time_across_instances(h: Harness) {
    let prospect = h
        .subject("prospect", &["user.contact.email"], &["last_contact"])
        .await;
    let due = after("P3Y", T0);
    h.clock.set(due);
    assert!(
        h.store
            .acquire_lease(
                "retention-sweep",
                "another-instance",
                due,
                due + time::Duration::minutes(10)
            )
            .await
            .unwrap()
    );
    let refused = h
        .retention
        .sweep(due, false, DEFAULT_PAGE, &|_| {})
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("another retention sweep"),
        "{refused}"
    );
    assert_eq!(
        h.state(&prospect).await,
        holds(&["user.contact.email"], &[])
    );
    let dry = h
        .retention
        .sweep(due, true, DEFAULT_PAGE, &|_| {})
        .await
        .unwrap();
    assert_eq!(dry.rules["prospects"].deleted, 1);
    // The other instance died without releasing it: the lease runs out.
    let later = due + time::Duration::minutes(10);
    h.sweep(later).await;
    assert_eq!(h.state(&prospect).await, State::Erased);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sweep_at_a_time_across_instances_on_sqlite() {
    one_sweep_at_a_time_across_instances(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sweep_at_a_time_across_instances_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    one_sweep_at_a_time_across_instances(h).await;
}

// --- Rules beyond one trigger and a fixed end (issue 20 item 11) -------------------

/// saas.toml with a card saved for later purchases under consent, kept 13 months
/// after the last transaction or the card's expiry, whichever comes first.
const SAVED_CARD: &str = r#"
[[custom_events]]
id = "card_expired"
name = { en = "the expiry of your card", fr = "l'expiration de votre carte" }

[[purposes]]
id = "saved_card"
title = { en = "Saved card", fr = "Carte enregistrée" }
description = { en = "With your consent, we keep your card for your next purchases.", fr = "Avec votre accord, nous conservons votre carte pour vos prochains achats." }
legal_basis = "consent"
subjects = ["customer"]
categories = ["user.financial.credit_card"]
consent = { collected_by = ["form"] }

[[retention]]
id = "saved-card"
categories = ["user.financial.credit_card"]
subjects = ["customer"]
trigger = "transaction"
or_earlier = ["card_expired"]
while_consent = "saved_card"
phases = [{ duration = "P13M", stage = "active", reason = { en = "your next purchases", fr = "vos prochains achats" } }]
then = "delete"
"#;

fn saved_card_register() -> Arc<custodia_register::ValidRegister> {
    let mut source = std::fs::read_to_string(crate::support::example("saas.toml")).unwrap();
    source.push_str(SAVED_CARD);
    Arc::new(custodia_register::parse("saas.toml", &source).unwrap())
}

impl Harness {
    fn consents(&self) -> custodia_core::consent::Consents {
        custodia_core::consent::Consents::new(
            self.book.clone(),
            self.store.clone(),
            self.writer.clone(),
            self.register.clone(),
            self.clock.clone() as Arc<dyn Clock>,
            1,
        )
    }

    /// Records a choice for `purpose` at `at`, as the consent API does.
    async fn choose(&self, id: &str, purpose: &str, state: &str, at: OffsetDateTime) {
        self.clock.set(at);
        self.consents()
            .record(
                custodia_core::consent::Recorder::Staff(&self.dpo),
                custodia_core::consent::Owner::Subject(id.to_owned()),
                &[custodia_core::consent::ChoiceInput {
                    purpose: purpose.to_owned(),
                    service: None,
                    state: state.to_owned(),
                }],
                &custodia_core::consent::Proof {
                    method: "form".to_owned(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }

    async fn event_at(&self, id: &str, event: &str, at: OffsetDateTime) {
        self.clock.set(at);
        self.vault
            .add_event(&self.dpo, id, event, Some(at))
            .await
            .unwrap();
    }
}

/// The card goes at the earlier of its two ends (13 months after the last
/// transaction or the card's expiry), at once when the consent is withdrawn, and
/// at the first sweep when it was never given; not a second before.
async fn whichever_first_and_only_while_consent(h: Harness) {
    let card = "user.financial.credit_card";
    let (expiring, paying, withdrawn, never) = (
        h.subject("customer", &[card], &[]).await,
        h.subject("customer", &[card], &[]).await,
        h.subject("customer", &[card], &[]).await,
        h.subject("customer", &[card], &[]).await,
    );
    for id in [&expiring, &paying, &withdrawn] {
        h.choose(id, "saved_card", "given", T0).await;
    }
    h.event_at(&expiring, "card_expired", after("P2M", T0))
        .await;
    for id in [&expiring, &paying, &withdrawn] {
        h.event_at(id, "transaction", after("P6M", T0)).await;
    }
    h.choose(&withdrawn, "saved_card", "withdrawn", after("P8M", T0))
        .await;
    let kept = holds(&[card], &[]);

    // A day to record the consent after the subject was created.
    h.sweep(after("P1D", T0) - time::Duration::seconds(1)).await;
    assert_eq!(h.state(&never).await, kept);
    h.sweep(after("P1D", T0)).await;
    assert_eq!(h.state(&never).await, State::Erased, "never given");
    assert_eq!(h.state(&withdrawn).await, kept);

    h.sweep(after("P8M", T0) - time::Duration::seconds(1)).await;
    assert_eq!(h.state(&withdrawn).await, kept);
    let report = h.sweep(after("P8M", T0)).await;
    assert_eq!(report.rules["saved-card"].deleted, 1);
    assert_eq!(h.state(&withdrawn).await, State::Erased, "withdrawn");

    let expiry_end = after("P13M", after("P2M", T0));
    h.sweep(expiry_end - time::Duration::seconds(1)).await;
    assert_eq!(h.state(&expiring).await, kept);
    h.sweep(expiry_end).await;
    assert_eq!(
        h.state(&expiring).await,
        State::Erased,
        "card expired first"
    );
    assert_eq!(h.state(&paying).await, kept);

    let payment_end = after("P13M", after("P6M", T0));
    h.sweep(payment_end - time::Duration::seconds(1)).await;
    assert_eq!(h.state(&paying).await, kept);
    h.sweep(payment_end).await;
    assert_eq!(h.state(&paying).await, State::Erased, "last transaction");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whichever_first_and_only_while_consent_on_sqlite() {
    whichever_first_and_only_while_consent(sqlite_with(saved_card_register()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whichever_first_and_only_while_consent_on_postgres() {
    let Some(h) = postgres_with(saved_card_register()).await else {
        return;
    };
    whichever_first_and_only_while_consent(h).await;
}

/// nocode.toml's prospects: three years from collection or the last contact,
/// whichever is later; then the person is asked through the outbox, and the data
/// deleted 30 days later unless they answer, which starts the three years again.
async fn ask_again_then_delete(h: Harness) {
    let email = "user.contact.email";
    let rights = Arc::new(crate::request_queue::desk_for(&h).await);
    h.retention.set_asker(Arc::new(
        custodia_core::rights::ask_again::AskAgainMail::new(
            rights,
            h.vault.clone(),
            h.register.languages.clone(),
        ),
    ));
    let silent = h.subject("prospect", &[email], &[]).await;
    let answering = h.subject("prospect", &[email], &[]).await;
    let contacted = after("P1Y", T0);
    h.event_at(&silent, "last_contact", contacted).await;
    h.event_at(&answering, "last_contact", contacted).await;
    // Collected at T0, last contact a year later: the later one counts.
    let asked_at = after("P3Y", contacted);

    h.sweep(asked_at - time::Duration::seconds(1)).await;
    assert_eq!(h.store.outbox_pending().await.unwrap(), 0);
    let report = h.sweep(asked_at).await;
    assert_eq!(report.rules["prospects"].asked, 2);
    assert_eq!(
        h.store.outbox_pending().await.unwrap(),
        2,
        "two e-mails queued"
    );
    assert_eq!(h.state(&silent).await, holds(&[email], &[("prospects", 2)]));
    // Asked once: the next sweeps wait.
    let again = h.sweep(asked_at + time::Duration::days(1)).await;
    assert!(again.rules.get("prospects").is_none_or(|t| t.asked == 0));

    h.clock.set(asked_at + time::Duration::days(10));
    h.vault
        .keep_by_answer(&answering, "prospects")
        .await
        .unwrap();

    let deadline = after("P30D", asked_at);
    h.sweep(deadline - time::Duration::seconds(1)).await;
    assert_eq!(h.state(&silent).await, holds(&[email], &[("prospects", 2)]));
    let report = h.sweep(deadline).await;
    assert_eq!(report.rules["prospects"].deleted, 1);
    assert_eq!(h.state(&silent).await, State::Erased);
    // The step stays recorded, but before the new contact: it no longer counts.
    assert_eq!(
        h.state(&answering).await,
        holds(&[email], &[("prospects", 2)]),
        "the answer restarted the rule"
    );
    assert_eq!(
        h.audit_actions(&silent).await,
        ["retention.ask_again", "retention.erase"]
    );
    let asked_again = after("P3Y", asked_at + time::Duration::days(10));
    let report = h.sweep(asked_again).await;
    assert_eq!(report.rules["prospects"].asked, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_again_then_delete_on_sqlite() {
    ask_again_then_delete(sqlite("nocode.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_again_then_delete_on_postgres() {
    let Some(h) = postgres("nocode.toml").await else {
        return;
    };
    ask_again_then_delete(h).await;
}

/// Through the real binary and a real SMTP server: a sweep asks a prospect by
/// e-mail whether to keep their data; the e-mail's link opens a page that changes
/// nothing (mail scanners open links), and posting it keeps the data and restarts
/// the rule.
#[test]
fn the_link_of_an_ask_again_email_keeps_the_data() {
    let desk = crate::rights::desk_with(|register| {
        let at = register.find("id = \"prospects\"").unwrap();
        let (head, tail) = register.split_at(at);
        *register = format!(
            "{head}{}",
            tail.replacen(
                "then = \"delete\"",
                "then = \"ask_again\"\nanswer_within = \"P30D\"",
                1
            )
        );
    });
    let email = "lena.keep@example.org";
    let id = desk.create("prospect", json!({ "user.contact.email": email }));
    #[allow(clippy::disallowed_methods)]
    let long_ago = OffsetDateTime::now_utc() - time::Duration::days(3 * 366 + 1);
    let contact = json!({
        "event": "last_contact",
        "at": long_ago.format(&time::format_description::well_known::Rfc3339).unwrap(),
    });
    let r = desk.call(
        "POST",
        &format!("/v1/subjects/{id}/events"),
        Some("dpo"),
        Some(contact),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let run = |desk: &crate::rights::Desk| {
        let r = desk.call(
            "POST",
            "/v1/retention/run",
            Some("dpo"),
            Some(json!({ "dry_run": false })),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["rules"]["prospects"]["asked"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(run(&desk), 1);
    let letter = desk.mail.wait_for(email, |m| m.text.contains("/keep/"));
    assert!(
        letter.subject.contains("keep your data"),
        "{}",
        letter.subject
    );
    let link = letter
        .text
        .split_whitespace()
        .find(|w| w.contains("/keep/"))
        .map(|w| desk.install.reach(w))
        .unwrap();

    let page = crate::support::request("GET", &link, &[], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<form method=\"post\""), "{}", page.body);
    let forged = crate::support::request("GET", &format!("{link}0"), &[], None);
    assert_eq!(forged.status, 404);
    assert_eq!(run(&desk), 0, "asked once; the answer is awaited");

    let kept = crate::support::request("POST", &link, &[], None);
    assert_eq!(kept.status, 200);
    assert!(kept.body.contains("we keep your data"), "{}", kept.body);
    assert_eq!(
        desk.call("GET", &format!("/v1/subjects/{id}"), Some("dpo"), None)
            .status,
        200
    );
    let audit = desk
        .call(
            "GET",
            &format!("/v1/audit?subject={id}&limit=100"),
            Some("dpo"),
            None,
        )
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"retention.ask_again") && actions.contains(&"subject.keep"),
        "{actions:?}"
    );
}
