//! Consent: the register's rules per purpose ([`Catalog`]), the in-memory
//! [`ConsentBook`] that answers decisions without a database round trip, and
//! [`Consents`], which records choices with their proof.
//!
//! The book is rebuilt from the store at start and then told of every durable write
//! by the writer ([`CommitObserver`]) before the writer answers its caller, so a
//! decision never contradicts an acknowledged write of this instance. Other instances
//! sharing a PostgreSQL database see each other's choices only after a restart.

use crate::access::Principal;
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::retention::Planner;
use crate::writer::{CommitObserver, Job, WriteError, Writer};
use custodia_register::{ConsentMethod, IsoDuration, Lang, LegalBasis, Register};
pub use custodia_store::ConsentRecord;
use custodia_store::consent::{MAX_CONSENT_ID_LEN, MAX_USER_AGENT_LEN};
use custodia_store::{Store, StoreError, VisitorLink, Write};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use time::OffsetDateTime;

mod packed;
pub mod snapshot;
use packed::{
    ChoiceRec, DigestCodec, IdTable, Interner, Map, NONE, Stamp, Tail, TokenCodec, UuidCodec, View,
    remember,
};

/// Records and links read per page when the book is rebuilt.
const LOAD_PAGE: u32 = if cfg!(test) { 3 } else { 10_000 };

/// Reads a table page after page, each after the last key of the one before, and
/// hands each page to `apply` while the next one is being read: the database's
/// thread and this one work at once.
async fn paged<T, K, Read, Fut>(
    mut read: Read,
    key: impl Fn(&T) -> K,
    mut apply: impl FnMut(Vec<T>),
) -> Result<(), StoreError>
where
    Read: FnMut(Option<K>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, StoreError>>,
{
    let mut page = read(None).await?;
    while let Some(last) = page.last() {
        let next = read(Some(key(last)));
        let current = std::mem::take(&mut page);
        let (next, ()) = tokio::join!(next, async { apply(current) });
        page = next?;
    }
    Ok(())
}
/// Most choices in one request.
pub const MAX_CHOICES: usize = 64;

/// What the register says about consent to one purpose.
#[derive(Debug, Clone)]
pub struct PurposeRules {
    pub id: String,
    pub basis: Option<LegalBasis>,
    /// Subject kinds the purpose concerns.
    pub subjects: Vec<String>,
    pub services: Vec<String>,
    /// Asked in the cookie banner.
    pub banner: bool,
    pub methods: Vec<ConsentMethod>,
    /// Changes whenever the purpose, its services, recipients or trackers change.
    pub fingerprint: String,
    /// How long a given consent lasts (trackers: at most the register's ceiling).
    pub given_lifetime: Option<IsoDuration>,
    /// When a refusal may be asked again.
    pub reask_after: IsoDuration,
    pub advertising: bool,
    pub direct_marketing: bool,
    /// The purpose's categories, as ids of [`Catalog`]'s category table, sorted.
    pub categories: Vec<u16>,
    /// Whether retention can stop it: every basis but a legal obligation, which is
    /// what archives are kept for.
    pub ends_with_retention: bool,
    /// A `while_consent` retention rule names it: each subject's consent given or
    /// ended is also recorded as a lifecycle event, which the rule counts from.
    pub keeps_data: bool,
}

impl PurposeRules {
    pub fn needs_consent(&self) -> bool {
        self.basis == Some(LegalBasis::Consent)
    }

    /// Refused when the browser sends Global Privacy Control: advertising, which is
    /// where selling and sharing happen.
    pub fn refused_under_gpc(&self) -> bool {
        self.advertising
    }
}

/// Every purpose's consent rules, in register order.
#[derive(Debug, Clone)]
pub struct Catalog {
    purposes: Vec<PurposeRules>,
    by_id: Map<String, usize>,
    /// Category ids of the register, sorted: a category's number is its index, so
    /// sorted numbers are sorted names.
    categories: Names,
    /// Built-in and custom event names.
    events: Names,
    planner: Planner,
}

/// A table of names numbered by their sorted order.
#[derive(Debug, Clone, Default)]
struct Names {
    names: Vec<String>,
    ids: Map<String, u16>,
}

impl Names {
    fn new(names: impl IntoIterator<Item = String>) -> Names {
        let mut names: Vec<String> = names.into_iter().collect();
        names.sort();
        names.dedup();
        names.truncate(usize::from(u16::MAX));
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u16))
            .collect();
        Names { names, ids }
    }

    fn id(&self, name: &str) -> Option<u16> {
        self.ids.get(name).copied()
    }

    fn name(&self, id: u16) -> &str {
        self.names.get(usize::from(id)).map_or("", String::as_str)
    }
}

impl Catalog {
    pub fn new(register: &Register) -> Catalog {
        let categories = Names::new(register.categories.iter().map(|c| c.id.clone()));
        let events = Names::new(
            custodia_register::BUILTIN_EVENTS
                .iter()
                .map(|e| (*e).to_owned())
                .chain(register.custom_events.iter().map(|e| e.id.clone()))
                .chain(
                    register
                        .retention
                        .iter()
                        .filter_map(|r| r.while_consent.as_deref())
                        .flat_map(|p| {
                            let (given, ended) = custodia_register::consent_events(p);
                            [given, ended]
                        }),
                ),
        );
        let purposes: Vec<PurposeRules> = register
            .purposes
            .iter()
            .map(|p| {
                let consent = p.consent.as_ref();
                let banner =
                    consent.is_some_and(|c| c.collected_by.contains(&ConsentMethod::Banner));
                let given_lifetime = consent.and_then(|c| c.lifetime).or(if banner {
                    Some(register.consent.tracker_max_lifetime)
                } else {
                    None
                });
                PurposeRules {
                    id: p.id.clone(),
                    basis: p.legal_basis,
                    subjects: p.subjects.clone(),
                    services: p.services.clone(),
                    banner,
                    methods: consent.map(|c| c.collected_by.clone()).unwrap_or_default(),
                    fingerprint: fingerprint(register, &p.id),
                    given_lifetime,
                    reask_after: consent
                        .and_then(|c| c.reask_after)
                        .unwrap_or(register.consent.reask_after),
                    advertising: p.advertising,
                    direct_marketing: p.direct_marketing,
                    categories: {
                        let mut ids: Vec<u16> = p
                            .categories
                            .iter()
                            .filter_map(|c| categories.id(c))
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        ids
                    },
                    ends_with_retention: p.legal_basis != Some(LegalBasis::LegalObligation),
                    keeps_data: register
                        .retention
                        .iter()
                        .any(|r| r.while_consent.as_ref() == Some(&p.id)),
                }
            })
            .collect();
        let by_id = purposes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Catalog {
            purposes,
            by_id,
            categories,
            events,
            planner: Planner::new(register),
        }
    }

    /// Recomputes when each held category leaves active use, with the planner.
    fn refresh(&self, kind: &str, view: &mut RetentionView) {
        view.ended.clear();
        let Some(created_at) = view.created_at else {
            return;
        };
        let categories: Vec<String> = view
            .held
            .iter()
            .map(|&c| self.categories.name(c).to_owned())
            .collect();
        let events: Vec<(String, OffsetDateTime)> = view
            .events
            .iter()
            .map(|&(e, at)| (self.events.name(e).to_owned(), at))
            .collect();
        let facts = crate::retention::SubjectFacts {
            kind,
            created_at,
            categories: &categories,
            events: &events,
            progress: &[],
        };
        view.ended = self
            .planner
            .active_until(&facts)
            .into_iter()
            .filter_map(|(c, at)| Some((self.categories.id(&c)?, at)))
            .collect();
    }

    fn held_ids<'a>(&'a self, categories: impl IntoIterator<Item = &'a str>) -> Vec<u16> {
        let mut ids: Vec<u16> = categories
            .into_iter()
            .filter_map(|c| self.categories.id(c))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn purpose(&self, id: &str) -> Option<&PurposeRules> {
        self.by_id.get(id).map(|&i| &self.purposes[i])
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn purposes(&self) -> &[PurposeRules] {
        &self.purposes
    }

    pub fn banner_purposes(&self) -> impl Iterator<Item = &PurposeRules> {
        self.purposes.iter().filter(|p| p.banner)
    }
}

/// 16 hex digits of SHA-256 over the purpose and everything a person agrees to with
/// it: its services, its recipients and the trackers it governs.
fn fingerprint(register: &Register, purpose_id: &str) -> String {
    let purpose = register.purposes.iter().find(|p| p.id == purpose_id);
    let services: Vec<_> = register
        .services
        .iter()
        .filter(|s| purpose.is_some_and(|p| p.services.contains(&s.id)))
        .collect();
    let recipients: Vec<_> = register
        .recipients
        .iter()
        .filter(|r| purpose.is_some_and(|p| p.recipients.contains(&r.id)))
        .collect();
    let cookies: Vec<_> = register
        .cookies
        .iter()
        .filter(|c| c.consent_purpose.as_deref() == Some(purpose_id))
        .collect();
    let canonical =
        serde_json::to_vec(&(purpose, services, recipients, cookies)).unwrap_or_default();
    hex::encode(&Sha256::digest(&canonical)[..8])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceState {
    Given,
    Refused,
    Withdrawn,
    Expired,
}

impl ChoiceState {
    pub fn parse(text: &str) -> Option<ChoiceState> {
        match text {
            "given" => Some(ChoiceState::Given),
            "refused" => Some(ChoiceState::Refused),
            "withdrawn" => Some(ChoiceState::Withdrawn),
            "expired" => Some(ChoiceState::Expired),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            ChoiceState::Given => "given",
            ChoiceState::Refused => "refused",
            ChoiceState::Withdrawn => "withdrawn",
            ChoiceState::Expired => "expired",
        }
    }
}

/// The latest choice about one purpose (or one of its services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub purpose: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub state: ChoiceState,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    pub fingerprint: String,
}

/// What the retention planner needs of a subject, as ids of the [`Catalog`]'s
/// tables: its categories and latest events, and when each category leaves active
/// use. Decoded from a subject's [`Tail`] to be recomputed.
#[derive(Debug, Clone, Default)]
struct RetentionView {
    /// None until the subject's row is seen.
    created_at: Option<OffsetDateTime>,
    /// Sorted.
    held: Vec<u16>,
    /// The latest time of each event.
    events: Vec<(u16, OffsetDateTime)>,
    /// (category, the instant it leaves active use), per [`Planner::active_until`].
    ended: Vec<(u16, OffsetDateTime)>,
}

/// Recomputes when each category the subject holds leaves active use.
fn refresh(catalog: &Catalog, kind: &str, tail: &mut Tail) {
    let mut view = RetentionView {
        created_at: tail.created_at.map(Stamp::time),
        held: std::mem::take(&mut tail.held),
        events: tail.events.iter().map(|&(e, at)| (e, at.time())).collect(),
        ended: Vec::new(),
    };
    catalog.refresh(kind, &mut view);
    tail.held = view.held;
    tail.ended = view
        .ended
        .into_iter()
        .map(|(c, at)| (c, at.into()))
        .collect();
}

// Subject flags.
const CHILD_WITHOUT_PARENT: u8 = 1;
const ERASED: u8 = 2;
/// Art. 18: every use but storage refused until lifted.
const RESTRICTED: u8 = 4;

/// One subject, beside its packed id in [`BookState::subjects`] (40 bytes with it), and one
/// allocation for its lists.
#[derive(Debug, Default)]
struct SubjectRec {
    /// 1 + the number of its kind; 0 until the subject's row is seen.
    kind: u32,
    flags: u8,
    /// Choices, linked visitors, e-mails and retention, encoded.
    tail: Box<[u8]>,
}

/// One banner visitor, by its number in [`BookState::visitors`].
#[derive(Debug)]
struct VisitorRec {
    /// The subject it is linked to, or [`NONE`].
    subject: u32,
    /// A [`Tail`] holding only choices.
    choices: Box<[u8]>,
}

impl Default for VisitorRec {
    fn default() -> Self {
        VisitorRec {
            subject: NONE,
            choices: Box::default(),
        }
    }
}

/// The one subject holding an e-mail digest, or [`NONE`].
#[derive(Debug)]
struct Holder(u32);

impl Default for Holder {
    fn default() -> Self {
        Holder(NONE)
    }
}

/// A register purpose's names as numbers of the book's tables, by catalog index.
#[derive(Debug)]
struct RuleIds {
    purpose: u32,
    fingerprint: u32,
    /// 1 + the number of each kind of subject it concerns.
    kinds: Vec<u32>,
}

/// Decodes a tail, lets `f` change it and stores it encoded again.
fn change(tail: &mut Box<[u8]>, f: impl FnOnce(&mut Tail)) {
    let mut t = Tail::decode(tail);
    f(&mut t);
    *tail = t.encode();
}

/// The book's state, packed: identifiers and names are numbered once, and each
/// subject is a [`SubjectRec`] whose lists hold numbers.
#[derive(Debug)]
struct BookState {
    subjects: IdTable<UuidCodec, SubjectRec>,
    visitors: IdTable<TokenCodec, VisitorRec>,
    /// E-mail blind indexes, each with the one subject that has it, or [`NONE`]
    /// (none, or several: see `shared`).
    digests: IdTable<DigestCodec, Holder>,
    /// Digests of more than one subject, with them in the order they came.
    shared: Map<u32, Vec<u32>>,
    kinds: Interner,
    purposes: Interner,
    services: Interner,
    fingerprints: Interner,
    /// By catalog index.
    rules: Vec<RuleIds>,
    /// The marketing opposition list: e-mail blind index -> end of its keeping.
    opposition: Map<Vec<u8>, OffsetDateTime>,
}

fn flags_of(subject: &custodia_store::SubjectRecord) -> u8 {
    let mut flags = 0;
    if subject.age_status == "child" && subject.parental_consent_at.is_none() {
        flags |= CHILD_WITHOUT_PARENT;
    }
    if subject.erased_at.is_some() {
        flags |= ERASED;
    }
    flags
}

fn set_flag(flags: &mut u8, flag: u8, on: bool) {
    if on {
        *flags |= flag;
    } else {
        *flags &= !flag;
    }
}

impl BookState {
    fn new(catalog: &Catalog) -> BookState {
        let mut state = BookState {
            subjects: IdTable::default(),
            visitors: IdTable::default(),
            digests: IdTable::default(),
            shared: Map::default(),
            kinds: Interner::default(),
            purposes: Interner::default(),
            services: Interner::default(),
            fingerprints: Interner::default(),
            rules: Vec::new(),
            opposition: Map::default(),
        };
        state.rules = catalog
            .purposes()
            .iter()
            .map(|p| RuleIds {
                purpose: state.purposes.intern(&p.id).unwrap_or(NONE),
                fingerprint: state.fingerprints.intern(&p.fingerprint).unwrap_or(NONE),
                kinds: p
                    .subjects
                    .iter()
                    .filter_map(|k| state.kinds.intern(k)?.checked_add(1))
                    .collect(),
            })
            .collect();
        state
    }

    /// The subject's number, given one (with an empty record) if it has none.
    fn number(&mut self, subject_id: &str) -> Option<u32> {
        self.subjects.intern(subject_id.as_bytes())
    }

    fn visitor_number(&mut self, visitor_id: &str) -> Option<u32> {
        self.visitors.intern(visitor_id.as_bytes())
    }

    /// The record of a subject the book has a number for.
    fn known_mut(&mut self, subject_id: &str) -> Option<&mut SubjectRec> {
        let n = self.subjects.get(subject_id.as_bytes())?;
        self.subjects.rec_mut(n)
    }

    #[inline]
    fn record_of(&self, subject_id: &str) -> Option<&SubjectRec> {
        self.subjects.find(subject_id.as_bytes())
    }

    fn kind_name(&self, kind: u32) -> &str {
        match kind {
            0 => "",
            k => self.kinds.name(k - 1),
        }
    }

    fn apply(&mut self, write: &Write, catalog: &Catalog) {
        match write {
            Write::CreateSubject {
                subject,
                fields,
                indexes,
            } => {
                let Some(n) = self.number(&subject.id) else {
                    return;
                };
                let kind = self
                    .kinds
                    .intern(&subject.kind)
                    .and_then(|k| k.checked_add(1))
                    .unwrap_or(0);
                if let Some(rec) = self.subjects.rec_mut(n) {
                    rec.kind = kind;
                    rec.flags = flags_of(subject);
                    change(&mut rec.tail, |t| {
                        t.created_at = Some(subject.created_at.into());
                        t.held = catalog.held_ids(fields.iter().map(|f| f.category.as_str()));
                        t.events.clear();
                        refresh(catalog, &subject.kind, t);
                    });
                }
                for i in indexes.iter().filter(|i| i.kind == "email") {
                    self.add_email(n, &i.digest);
                }
            }
            Write::UpdateSubject {
                subject_id,
                kind,
                set,
                remove,
                index_kinds,
                indexes,
                ..
            } => {
                if let Some(kind) = kind {
                    let id = self.kinds.intern(kind).and_then(|k| k.checked_add(1));
                    if let (Some(rec), Some(id)) = (self.known_mut(subject_id), id) {
                        rec.kind = id;
                    }
                }
                if let Some(n) = self.subjects.get(subject_id.as_bytes()) {
                    let kinds = &self.kinds;
                    if let Some(rec) = self.subjects.rec_mut(n) {
                        let kind = match rec.kind {
                            0 => "",
                            k => kinds.name(k - 1),
                        };
                        change(&mut rec.tail, |t| {
                            let removed = catalog.held_ids(remove.iter().map(String::as_str));
                            t.held.retain(|c| removed.binary_search(c).is_err());
                            t.held
                                .extend(catalog.held_ids(set.iter().map(|f| f.category.as_str())));
                            t.held.sort_unstable();
                            t.held.dedup();
                            refresh(catalog, kind, t);
                        });
                    }
                }
                if index_kinds.iter().any(|k| k == "email") {
                    if let Some(n) = self.subjects.get(subject_id.as_bytes()) {
                        self.remove_emails(n);
                    }
                    for i in indexes.iter().filter(|i| i.kind == "email") {
                        if let Some(n) = self.number(subject_id) {
                            self.add_email(n, &i.digest);
                        }
                    }
                }
            }
            Write::SetAge {
                subject_id,
                age_status,
                parental_consent_at,
                ..
            } => {
                if let Some(rec) = self.known_mut(subject_id) {
                    let child = age_status == "child" && parental_consent_at.is_none();
                    set_flag(&mut rec.flags, CHILD_WITHOUT_PARENT, child);
                }
            }
            Write::AddEvent { subject_id, event } => {
                let (Some(n), Some(id)) = (
                    self.subjects.get(subject_id.as_bytes()),
                    catalog.events.id(&event.event),
                ) else {
                    return;
                };
                let kinds = &self.kinds;
                if let Some(rec) = self.subjects.rec_mut(n) {
                    let kind = match rec.kind {
                        0 => "",
                        k => kinds.name(k - 1),
                    };
                    let at = Stamp::from(event.at);
                    change(&mut rec.tail, |t| {
                        match t.events.iter_mut().find(|(e, _)| *e == id) {
                            Some((_, latest)) => *latest = (*latest).max(at),
                            None => t.events.push((id, at)),
                        }
                        refresh(catalog, kind, t);
                    });
                }
            }
            Write::EraseSubject { subject_id, .. } => {
                if let Some(n) = self.subjects.get(subject_id.as_bytes()) {
                    self.remove_emails(n);
                }
                if let Some(rec) = self.known_mut(subject_id) {
                    rec.flags |= ERASED;
                    change(&mut rec.tail, |t| {
                        t.created_at = None;
                        t.held.clear();
                        t.events.clear();
                        t.ended.clear();
                    });
                }
            }
            Write::RecordConsent(record) => self.add_record(record),
            Write::LinkVisitor(link) => self.link(link),
            Write::SetRestriction {
                subject_id,
                restriction,
            } => {
                if let Some(rec) = self.known_mut(subject_id) {
                    set_flag(&mut rec.flags, RESTRICTED, restriction.is_some());
                }
            }
            Write::AddOpposition(entry) => self.oppose(entry),
            Write::PurgeOpposition { expired_by } => {
                self.opposition.retain(|_, until| *until > *expired_by);
            }
            _ => {}
        }
    }

    fn oppose(&mut self, entry: &custodia_store::OppositionEntry) {
        let until = self
            .opposition
            .entry(entry.digest.clone())
            .or_insert(entry.expires_at);
        *until = (*until).max(entry.expires_at);
    }

    fn add_record(&mut self, record: &ConsentRecord) {
        let Some(state) = ChoiceState::parse(&record.state) else {
            return;
        };
        let service = match &record.service {
            Some(s) => match self.services.intern(s) {
                Some(id) => Some(id),
                None => return,
            },
            None => None,
        };
        let (Some(purpose), Some(fingerprint)) = (
            self.purposes.intern(&record.purpose),
            self.fingerprints.intern(&record.purpose_fingerprint),
        ) else {
            return;
        };
        let choice = ChoiceRec {
            purpose,
            service,
            state,
            at: record.recorded_at.into(),
            expires_at: record.expires_at.map(Stamp::from),
            fingerprint,
        };
        match (&record.subject_id, &record.visitor_id) {
            (Some(s), _) => {
                if let Some(n) = self.number(s)
                    && let Some(rec) = self.subjects.rec_mut(n)
                {
                    change(&mut rec.tail, |t| remember(&mut t.choices, choice));
                }
            }
            (None, Some(v)) => {
                if let Some(n) = self.visitor_number(v)
                    && let Some(rec) = self.visitors.rec_mut(n)
                {
                    change(&mut rec.choices, |t| remember(&mut t.choices, choice));
                }
            }
            (None, None) => {}
        }
    }

    fn link(&mut self, link: &VisitorLink) {
        let (Some(v), Some(s)) = (
            self.visitor_number(&link.visitor_id),
            self.number(&link.subject_id),
        ) else {
            return;
        };
        let Some(visitor) = self.visitors.rec_mut(v) else {
            return;
        };
        let previous = std::mem::replace(&mut visitor.subject, s);
        if let Some(rec) = self.subjects.rec_mut(previous) {
            change(&mut rec.tail, |t| t.visitors.retain(|&x| x != v));
        }
        if let Some(rec) = self.subjects.rec_mut(s) {
            change(&mut rec.tail, |t| t.visitors.push(v));
        }
    }

    fn add_email(&mut self, n: u32, digest: &[u8]) {
        let Some(d) = self.digests.intern(digest) else {
            return;
        };
        let Some(Holder(owner)) = self.digests.rec_mut(d) else {
            return;
        };
        if let Some(many) = self.shared.get_mut(&d) {
            if !many.contains(&n) {
                many.push(n);
            }
        } else if *owner == NONE {
            *owner = n;
        } else if *owner != n {
            self.shared.insert(d, vec![*owner, n]);
            *owner = NONE;
        }
        if let Some(rec) = self.subjects.rec_mut(n) {
            change(&mut rec.tail, |t| {
                if !t.emails.contains(&d) {
                    t.emails.push(d);
                }
            });
        }
    }

    fn remove_emails(&mut self, n: u32) {
        let Some(rec) = self.subjects.rec_mut(n) else {
            return;
        };
        let mut digests = Vec::new();
        change(&mut rec.tail, |t| digests = std::mem::take(&mut t.emails));
        for d in digests {
            if let Some(many) = self.shared.get_mut(&d) {
                many.retain(|&s| s != n);
                if let [one] = many[..] {
                    self.shared.remove(&d);
                    if let Some(Holder(owner)) = self.digests.rec_mut(d) {
                        *owner = one;
                    }
                }
            } else if let Some(Holder(owner)) = self.digests.rec_mut(d)
                && *owner == n
            {
                *owner = NONE;
            }
        }
    }

    /// Subjects holding the digest, in the order they came.
    fn owners_of(&self, digest: &[u8]) -> Vec<u32> {
        let Some(d) = self.digests.get(digest) else {
            return Vec::new();
        };
        if let Some(many) = self.shared.get(&d) {
            return many.clone();
        }
        match self.digests.rec(d) {
            Some(&Holder(n)) if n != NONE => vec![n],
            _ => Vec::new(),
        }
    }

    fn subject_id(&self, n: u32) -> String {
        String::from_utf8_lossy(&self.subjects.id(n)).into_owned()
    }

    /// The choices of a linked visitor, its number in `visitors`.
    fn visitor_choices(&self, v: u32) -> impl Iterator<Item = ChoiceRec> + '_ {
        self.visitors
            .rec(v)
            .into_iter()
            .flat_map(|r| View::new(&r.choices).choices())
    }

    /// The subject's latest whole-purpose choice, its own or made as a linked visitor
    /// (the last of equals, as `max_by_key`). Plain loops: no iterator state to copy.
    fn effective(&self, view: &View<'_>, purpose: u32) -> Option<ChoiceRec> {
        let mut best: Option<ChoiceRec> = None;
        let mut consider = |c: ChoiceRec| {
            if c.purpose == purpose && c.service.is_none() && best.is_none_or(|b| b.at <= c.at) {
                best = Some(c);
            }
        };
        for c in view.choices() {
            consider(c);
        }
        for v in view.visitors() {
            if let Some(r) = self.visitors.rec(v) {
                for c in View::new(&r.choices).choices() {
                    consider(c);
                }
            }
        }
        best
    }

    fn choice(&self, c: &ChoiceRec) -> Choice {
        Choice {
            purpose: self.purposes.name(c.purpose).to_owned(),
            service: c.service.map(|s| self.services.name(s).to_owned()),
            state: c.state,
            at: c.at.time(),
            expires_at: c.expires_at.map(Stamp::time),
            fingerprint: self.fingerprints.name(c.fingerprint).to_owned(),
        }
    }

    /// Gives back the room grown for entries that never came, after a load.
    fn shrink(&mut self) {
        self.subjects.shrink();
        self.visitors.shrink();
        self.digests.shrink();
    }
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UnknownSubject,
    Erased,
    NotForThisKindOfSubject,
    NoLegalBasis,
    ConsentGiven,
    NoConsent,
    ConsentRefused,
    ConsentWithdrawn,
    ConsentExpired,
    PurposeChanged,
    ChildWithoutParentalConsent,
    Objected,
    LegalBasis,
    Restricted,
    OnOppositionList,
    RetentionEnded,
}

impl Reason {
    pub fn explain(self) -> &'static str {
        match self {
            Reason::UnknownSubject => "no such subject",
            Reason::Erased => "the subject has been erased",
            Reason::NotForThisKindOfSubject => {
                "the register does not apply this purpose to this kind of subject"
            }
            Reason::NoLegalBasis => "the register gives this purpose no legal basis",
            Reason::ConsentGiven => "consent given and not expired",
            Reason::NoConsent => "no consent recorded",
            Reason::ConsentRefused => "consent refused",
            Reason::ConsentWithdrawn => "consent withdrawn",
            Reason::ConsentExpired => "consent expired: ask again",
            Reason::PurposeChanged => {
                "the purpose changed since consent was given: ask again for it"
            }
            Reason::ChildWithoutParentalConsent => {
                "the subject is below the age of digital consent and no parental consent is recorded"
            }
            Reason::Objected => "the subject objected to this processing",
            Reason::LegalBasis => "the purpose rests on a legal basis other than consent",
            Reason::Restricted => {
                "processing of this subject is restricted (Art. 18): storage only"
            }
            Reason::OnOppositionList => {
                "the subject's address is on the opposition list to direct marketing"
            }
            Reason::RetentionEnded => {
                "the data this purpose uses is archived or past its retention period"
            }
        }
    }
}

/// A subject as the consent book knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSubject {
    pub kind: String,
    pub erased: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub allowed: bool,
    pub reason: Reason,
}

impl Decision {
    fn deny(reason: Reason) -> Decision {
        Decision {
            allowed: false,
            reason,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConsentError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no such subject")]
    NotFound,
    #[error("the subject has been erased")]
    Erased,
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ConsentError {
    ConsentError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// See [`ConsentBook::size`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookSize {
    pub subjects: usize,
    pub visitors: usize,
}

/// Choices and subject facts in memory, packed (see [`BookState`]).
pub struct ConsentBook {
    catalog: Arc<Catalog>,
    state: RwLock<BookState>,
}

impl ConsentBook {
    pub fn new(catalog: Arc<Catalog>) -> ConsentBook {
        let state = BookState::new(&catalog);
        ConsentBook {
            catalog,
            state: RwLock::new(state),
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Writes the book to `path` (see [`snapshot`]), marked with what it must match
    /// when read back.
    pub fn write_snapshot(
        &self,
        path: &std::path::Path,
        mark: &snapshot::Mark,
    ) -> std::io::Result<()> {
        let bytes = self.read_state().encode(mark);
        snapshot::write_file(path, &bytes)
    }

    /// Replaces the book with the snapshot at `path` if it matches `mark`, and removes
    /// the file either way (from now on the book moves on without it). `Ok(false)`:
    /// no snapshot, or one that does not match; the caller loads from the store.
    pub fn read_snapshot(
        &self,
        path: &std::path::Path,
        mark: &snapshot::Mark,
    ) -> std::io::Result<bool> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        std::fs::remove_file(path)?;
        match BookState::decode(&self.catalog, &bytes, mark) {
            Some(state) => {
                *self.write_state() = state;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Rebuilds the book from the store: subjects, e-mail blind indexes, consent
    /// records and visitor links, a page at a time.
    pub async fn load(&self, store: &dyn Store) -> Result<(), StoreError> {
        let mut state = BookState::new(&self.catalog);
        let catalog = &self.catalog;
        paged(
            |after: Option<String>| async move {
                store.subjects_page(after.as_deref(), LOAD_PAGE).await
            },
            |s| s.id.clone(),
            |page| {
                for s in page {
                    let kind = state
                        .kinds
                        .intern(&s.kind)
                        .and_then(|k| k.checked_add(1))
                        .unwrap_or(0);
                    if let Some(n) = state.number(&s.id)
                        && let Some(rec) = state.subjects.rec_mut(n)
                    {
                        rec.kind = kind;
                        rec.flags = flags_of(&s);
                    }
                }
            },
        )
        .await?;
        paged(
            |after: Option<String>| async move {
                store
                    .retention_facts_page(after.as_deref(), LOAD_PAGE)
                    .await
            },
            |f| f.subject_id.clone(),
            |page| {
                for f in page {
                    let Some(rec) = state.known_mut(&f.subject_id) else {
                        continue;
                    };
                    let mut tail = Tail::decode(&rec.tail);
                    tail.created_at = Some(f.created_at.into());
                    tail.held = catalog.held_ids(f.categories.iter().map(String::as_str));
                    tail.events.clear();
                    for (name, at) in &f.events {
                        if let Some(id) = catalog.events.id(name) {
                            let at = Stamp::from(*at);
                            match tail.events.iter_mut().find(|(e, _)| *e == id) {
                                Some((_, latest)) => *latest = (*latest).max(at),
                                None => tail.events.push((id, at)),
                            }
                        }
                    }
                    refresh(catalog, &f.kind, &mut tail);
                    rec.tail = tail.encode();
                }
            },
        )
        .await?;
        paged(
            |cursor: Option<(String, Vec<u8>)>| async move {
                store
                    .index_entries_page(
                        "email",
                        cursor.as_ref().map(|(s, d)| (s.as_str(), d.as_slice())),
                        LOAD_PAGE,
                    )
                    .await
            },
            Clone::clone,
            |page| {
                for (subject_id, digest) in page {
                    if let Some(n) = state.number(&subject_id) {
                        state.add_email(n, &digest);
                    }
                }
            },
        )
        .await?;
        paged(
            |after: Option<String>| async move {
                store.consents_page(after.as_deref(), LOAD_PAGE).await
            },
            |r| r.id.clone(),
            |page| {
                for record in &page {
                    state.add_record(record);
                }
            },
        )
        .await?;
        paged(
            |after: Option<String>| async move {
                store.visitor_links_page(after.as_deref(), LOAD_PAGE).await
            },
            |l| l.visitor_id.clone(),
            |page| {
                for link in &page {
                    state.link(link);
                }
            },
        )
        .await?;
        paged(
            |after: Option<String>| async move {
                store.restrictions_page(after.as_deref(), LOAD_PAGE).await
            },
            |r| r.subject_id.clone(),
            |page| {
                for r in &page {
                    if let Some(rec) = state.known_mut(&r.subject_id) {
                        rec.flags |= RESTRICTED;
                    }
                }
            },
        )
        .await?;
        paged(
            |after: Option<Vec<u8>>| async move {
                store.opposition_page(after.as_deref(), LOAD_PAGE).await
            },
            |e| e.digest.clone(),
            |page| {
                for entry in &page {
                    state.oppose(entry);
                }
            },
        )
        .await?;
        state.shrink();
        *self.write_state() = state;
        Ok(())
    }

    /// How many subjects and banner visitors the book holds, for `/metrics`.
    pub fn size(&self) -> BookSize {
        let state = self.read_state();
        BookSize {
            subjects: state.subjects.len(),
            visitors: state.visitors.len(),
        }
    }

    fn read_state(&self) -> std::sync::RwLockReadGuard<'_, BookState> {
        // A panic while holding the lock leaves consistent tables (every update is a
        // whole insert or replacement), so a poisoned lock is still usable.
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, BookState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// May the subject's data be processed for `purpose` at `now`? `None` when the
    /// register has no such purpose.
    pub fn decide(&self, subject_id: &str, purpose: &str, now: OffsetDateTime) -> Option<Decision> {
        let i = self.catalog.index(purpose)?;
        let rules = self.catalog.purposes.get(i)?;
        let state = self.read_state();
        let ids = state.rules.get(i)?;
        let rec = state.record_of(subject_id);
        Some(decide_with(&state, rules, ids, rec, (now, now.into())))
    }

    /// Subjects (not erased) whose e-mail has this blind index.
    pub fn subjects_with_email(&self, digest: &[u8]) -> Vec<String> {
        let state = self.read_state();
        state
            .owners_of(digest)
            .into_iter()
            .map(|n| state.subject_id(n))
            .collect()
    }

    /// Decisions for many subjects under one read lock.
    pub fn decide_many<'a>(
        &self,
        subject_ids: impl IntoIterator<Item = &'a str>,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Option<Vec<Decision>> {
        let i = self.catalog.index(purpose)?;
        let rules = self.catalog.purposes.get(i)?;
        let state = self.read_state();
        let ids = state.rules.get(i)?;
        let now = (now, Stamp::from(now));
        // Every lookup first, in a short loop whose memory reads the processor can
        // overlap, then the decisions.
        let recs: Vec<Option<&SubjectRec>> = subject_ids
            .into_iter()
            .map(|id| state.record_of(id))
            .collect();
        Some(
            recs.into_iter()
                .map(|rec| decide_with(&state, rules, ids, rec, now))
                .collect(),
        )
    }

    /// What the book knows of a subject, from memory: `None` for an id it never
    /// saw created.
    pub fn subject(&self, subject_id: &str) -> Option<KnownSubject> {
        let state = self.read_state();
        match state.record_of(subject_id) {
            Some(r) if r.kind != 0 => Some(KnownSubject {
                kind: state.kind_name(r.kind).to_owned(),
                erased: r.flags & ERASED != 0,
            }),
            _ => None,
        }
    }

    /// Whether the subject exists and is not erased.
    fn subject_status(&self, subject_id: &str) -> Result<bool, ConsentError> {
        match self.read_state().record_of(subject_id) {
            Some(r) if r.kind == 0 => Err(ConsentError::NotFound),
            None => Err(ConsentError::NotFound),
            Some(r) if r.flags & ERASED != 0 => Err(ConsentError::Erased),
            Some(r) => Ok(r.flags & CHILD_WITHOUT_PARENT != 0),
        }
    }

    /// The latest choices of a subject (its own and its linked visitors', per purpose
    /// and service) or of a visitor.
    pub fn current(&self, owner: &Owner) -> Vec<Choice> {
        let state = self.read_state();
        let mut recs: Vec<ChoiceRec> = Vec::new();
        match owner {
            Owner::Visitor(v) => {
                if let Some(n) = state.visitors.get(v.as_bytes()) {
                    for c in state.visitor_choices(n) {
                        remember(&mut recs, c);
                    }
                }
            }
            Owner::Subject(s) => {
                if let Some(r) = state.record_of(s) {
                    let view = View::new(&r.tail);
                    for c in view
                        .choices()
                        .chain(view.visitors().flat_map(|v| state.visitor_choices(v)))
                    {
                        remember(&mut recs, c);
                    }
                }
            }
        }
        let mut choices: Vec<Choice> = recs.iter().map(|c| state.choice(c)).collect();
        choices.sort_by(|a, b| (&a.purpose, &a.service).cmp(&(&b.purpose, &b.service)));
        choices
    }
}

impl CommitObserver for ConsentBook {
    fn committed(&self, writes: &[Write]) {
        if writes.is_empty() {
            return;
        }
        let mut state = self.write_state();
        for write in writes {
            state.apply(write, &self.catalog);
        }
    }
}

fn decide_with(
    state: &BookState,
    rules: &PurposeRules,
    ids: &RuleIds,
    rec: Option<&SubjectRec>,
    (now, now_stamp): (OffsetDateTime, Stamp),
) -> Decision {
    let Some(rec) = rec.filter(|r| r.kind != 0) else {
        return Decision::deny(Reason::UnknownSubject);
    };
    if rec.flags & ERASED != 0 {
        return Decision::deny(Reason::Erased);
    }
    if rec.flags & RESTRICTED != 0 {
        return Decision::deny(Reason::Restricted);
    }
    if rules.direct_marketing
        && !state.opposition.is_empty()
        && View::full(&rec.tail).emails().any(|d| {
            state
                .opposition
                .get(state.digests.id(d).as_ref())
                .is_some_and(|until| *until > now)
        })
    {
        return Decision::deny(Reason::OnOppositionList);
    }
    if !rules.subjects.is_empty() && !ids.kinds.contains(&rec.kind) {
        return Decision::deny(Reason::NotForThisKindOfSubject);
    }
    let view = View::new(&rec.tail);
    if rules.ends_with_retention && view.ended_for(&rules.categories, now_stamp) {
        return Decision::deny(Reason::RetentionEnded);
    }
    let choice = state.effective(&view, ids.purpose);
    let child_without_parent = rec.flags & CHILD_WITHOUT_PARENT != 0;
    match rules.basis {
        None => Decision::deny(Reason::NoLegalBasis),
        Some(LegalBasis::Consent) => {
            let Some(choice) = choice else {
                return Decision::deny(Reason::NoConsent);
            };
            match choice.state {
                ChoiceState::Refused => Decision::deny(Reason::ConsentRefused),
                ChoiceState::Withdrawn => Decision::deny(Reason::ConsentWithdrawn),
                ChoiceState::Expired => Decision::deny(Reason::ConsentExpired),
                ChoiceState::Given if choice.expires_at.is_some_and(|e| e <= now_stamp) => {
                    Decision::deny(Reason::ConsentExpired)
                }
                ChoiceState::Given if choice.fingerprint != ids.fingerprint => {
                    Decision::deny(Reason::PurposeChanged)
                }
                ChoiceState::Given if child_without_parent => {
                    Decision::deny(Reason::ChildWithoutParentalConsent)
                }
                ChoiceState::Given => Decision {
                    allowed: true,
                    reason: Reason::ConsentGiven,
                },
            }
        }
        // Art. 21: an objection stops processing on legitimate interests; for direct
        // marketing it is absolute.
        Some(LegalBasis::LegitimateInterest)
            if choice.is_some_and(|c| {
                matches!(c.state, ChoiceState::Refused | ChoiceState::Withdrawn)
            }) =>
        {
            Decision::deny(Reason::Objected)
        }
        Some(_) => Decision {
            allowed: true,
            reason: Reason::LegalBasis,
        },
    }
}

/// Whose choice it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Subject(String),
    Visitor(String),
}

/// One choice as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceInput {
    pub purpose: String,
    pub service: Option<String>,
    pub state: String,
}

/// The circumstances a choice is recorded in, kept as its proof.
#[derive(Debug, Clone, Default)]
pub struct Proof {
    /// `banner`, `form`, `api`, `unsubscribe` or `portal`.
    pub method: String,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub gpc: bool,
    pub jurisdiction: Option<String>,
    pub banner_version: Option<String>,
    /// SHA-256 of the text shown, when the caller knows it; otherwise the purpose's
    /// title and description in `lang` are hashed.
    pub text_sha256: Option<String>,
    pub lang: Option<Lang>,
}

pub const METHODS: [&str; 5] = ["banner", "form", "api", "unsubscribe", "portal"];

/// Who records: a staff principal, the subject itself (unsubscribe link, portal) or
/// an anonymous visitor (banner).
#[derive(Debug, Clone)]
pub enum Recorder<'a> {
    Staff(&'a Principal),
    Subject,
    Visitor,
}

/// A subject's or visitor's consent records and current choices.
#[derive(Debug, Clone)]
pub struct History {
    /// The latest choice per purpose (and per service).
    pub current: Vec<Choice>,
    /// Every record, oldest first.
    pub records: Vec<ConsentRecord>,
    /// Banner visitors linked to the subject.
    pub visitors: Vec<String>,
}

/// Records choices durably and keeps the book current.
pub struct Consents {
    book: Arc<ConsentBook>,
    /// Histories are read from it; every write goes through `writer`.
    store: Arc<dyn Store>,
    writer: Writer,
    register: Arc<custodia_register::ValidRegister>,
    clock: Arc<dyn Clock>,
    policy_version: i64,
}

impl Consents {
    pub fn new(
        book: Arc<ConsentBook>,
        store: Arc<dyn Store>,
        writer: Writer,
        register: Arc<custodia_register::ValidRegister>,
        clock: Arc<dyn Clock>,
        policy_version: i64,
    ) -> Consents {
        Consents {
            book,
            store,
            writer,
            register,
            clock,
            policy_version,
        }
    }

    pub fn book(&self) -> &ConsentBook {
        &self.book
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Validates, completes and durably records `choices`; returns the records as
    /// stored. Under GPC, a `given` for an advertising purpose is recorded as
    /// `refused`.
    pub async fn record(
        &self,
        recorder: Recorder<'_>,
        owner: Owner,
        choices: &[ChoiceInput],
        proof: &Proof,
    ) -> Result<Vec<ConsentRecord>, ConsentError> {
        if choices.is_empty() {
            return Err(invalid("choices", "give at least one choice"));
        }
        if choices.len() > MAX_CHOICES {
            return Err(invalid("choices", format!("at most {MAX_CHOICES} choices")));
        }
        if !METHODS.contains(&proof.method.as_str()) {
            return Err(invalid(
                "method",
                format!("must be one of {}", METHODS.join(", ")),
            ));
        }
        let (subject_id, visitor_id) = match &owner {
            Owner::Subject(s) => (Some(s.clone()), None),
            Owner::Visitor(v) => {
                if v.is_empty() || v.len() > MAX_CONSENT_ID_LEN {
                    return Err(invalid("visitor_id", "is empty or too long"));
                }
                (None, Some(v.clone()))
            }
        };
        let child_without_parent = match &subject_id {
            Some(s) => self.book.subject_status(s)?,
            None => false,
        };
        let now = self.now();
        let mut records = Vec::with_capacity(choices.len());
        for (i, choice) in choices.iter().enumerate() {
            let at = |field: &str| format!("choices[{i}].{field}");
            let rules =
                self.book.catalog.purpose(&choice.purpose).ok_or_else(|| {
                    invalid(at("purpose"), "unknown purpose: not in the register")
                })?;
            if let Some(service) = &choice.service
                && !rules.services.contains(service)
            {
                return Err(invalid(
                    at("service"),
                    "not a service of this purpose in the register",
                ));
            }
            let mut state = match ChoiceState::parse(&choice.state) {
                Some(s @ (ChoiceState::Given | ChoiceState::Refused | ChoiceState::Withdrawn)) => s,
                _ => return Err(invalid(at("state"), "must be given, refused or withdrawn")),
            };
            if proof.method == "banner" && !rules.banner {
                return Err(invalid(
                    at("purpose"),
                    "this purpose is not collected by the banner",
                ));
            }
            match rules.basis {
                Some(LegalBasis::Consent) => {}
                Some(LegalBasis::LegitimateInterest) if state != ChoiceState::Given => {}
                Some(LegalBasis::LegitimateInterest) => {
                    return Err(invalid(
                        at("state"),
                        "this purpose rests on legitimate interest: record an objection (refused or withdrawn), not a consent",
                    ));
                }
                _ => {
                    return Err(invalid(
                        at("purpose"),
                        "this purpose does not rest on consent or legitimate interest",
                    ));
                }
            }
            if proof.gpc && rules.refused_under_gpc() && state == ChoiceState::Given {
                state = ChoiceState::Refused;
            }
            if state == ChoiceState::Given && child_without_parent {
                return Err(ConsentError::Forbidden(
                    "the subject is below the age of digital consent: record a parent's consent first".to_owned(),
                ));
            }
            let expires_at = match state {
                ChoiceState::Given => rules.given_lifetime.and_then(|d| d.after(now)),
                _ => rules.reask_after.after(now),
            };
            records.push(ConsentRecord {
                id: uuid::Uuid::now_v7().to_string(),
                subject_id: subject_id.clone(),
                visitor_id: visitor_id.clone(),
                purpose: choice.purpose.clone(),
                service: choice.service.clone(),
                state: state.id().to_owned(),
                method: proof.method.clone(),
                recorded_at: now,
                expires_at,
                policy_version: self.policy_version,
                purpose_fingerprint: rules.fingerprint.clone(),
                text_sha256: proof
                    .text_sha256
                    .clone()
                    .unwrap_or_else(|| self.purpose_text_sha256(&choice.purpose, proof.lang)),
                banner_version: proof.banner_version.clone(),
                ip_prefix: proof.ip.map(ip_prefix),
                user_agent: proof
                    .user_agent
                    .as_ref()
                    .map(|u| u.chars().take(MAX_USER_AGENT_LEN).collect()),
                jurisdiction: proof.jurisdiction.clone(),
                gpc: proof.gpc,
                recorded_by: match &recorder {
                    Recorder::Staff(p) => p.id.clone(),
                    Recorder::Subject => "subject".to_owned(),
                    Recorder::Visitor => "visitor".to_owned(),
                },
            });
        }
        let audit = match (&recorder, &subject_id) {
            (Recorder::Visitor, _) | (_, None) => Vec::new(),
            (r, Some(s)) => records
                .iter()
                .map(|rec| {
                    let principal = match r {
                        Recorder::Staff(p) => p.id.as_str(),
                        _ => "subject",
                    };
                    AuditRecord::new(now, principal, AuditAction::ConsentRecord, "ok")
                        .subject(s)
                        .purpose(Some(&rec.purpose))
                        .detail(format!("{} by {}", rec.state, rec.method))
                })
                .collect(),
        };
        let mut writes: Vec<Write> = records.iter().cloned().map(Write::RecordConsent).collect();
        if let Some(subject_id) = &subject_id {
            writes.extend(self.retention_events(subject_id, &records));
        }
        self.writer
            .submit(Job {
                writes,
                audit,
                ..Job::default()
            })
            .await?;
        Ok(records)
    }

    /// For purposes a `while_consent` retention rule names, the consent's start or
    /// end as a lifecycle event of the subject, in the same commit as the record.
    fn retention_events<'r>(
        &'r self,
        subject_id: &'r str,
        records: &'r [ConsentRecord],
    ) -> impl Iterator<Item = Write> + 'r {
        records
            .iter()
            .filter(|r| r.service.is_none())
            .filter(|r| {
                self.book
                    .catalog
                    .purpose(&r.purpose)
                    .is_some_and(|p| p.keeps_data)
            })
            .map(move |r| {
                let (given, ended) = custodia_register::consent_events(&r.purpose);
                let given_now = r.state == ChoiceState::Given.id();
                Write::AddEvent {
                    subject_id: subject_id.to_owned(),
                    event: custodia_store::SubjectEvent {
                        event: if given_now { given } else { ended },
                        at: r.recorded_at,
                        recorded_at: r.recorded_at,
                    },
                }
            })
    }

    /// Every record of a subject, oldest first: its own and those it made as a
    /// linked banner visitor, with the visitors linked. Erased subjects keep their
    /// proofs; an id the book never saw is [`ConsentError::NotFound`].
    pub async fn subject_history(&self, subject_id: &str) -> Result<History, ConsentError> {
        if self.book.subject(subject_id).is_none() {
            return Err(ConsentError::NotFound);
        }
        let mut records = self.store.subject_consents(subject_id).await?;
        let links = self.store.subject_visitor_links(subject_id).await?;
        for link in &links {
            records.extend(self.store.visitor_consents(&link.visitor_id).await?);
        }
        records.sort_by(|a, b| (a.recorded_at, &a.id).cmp(&(b.recorded_at, &b.id)));
        Ok(History {
            current: self.book.current(&Owner::Subject(subject_id.to_owned())),
            records,
            visitors: links.into_iter().map(|l| l.visitor_id).collect(),
        })
    }

    /// Every record of a banner visitor, oldest first.
    pub async fn visitor_history(&self, visitor_id: &str) -> Result<History, ConsentError> {
        Ok(History {
            current: self.book.current(&Owner::Visitor(visitor_id.to_owned())),
            records: self.store.visitor_consents(visitor_id).await?,
            visitors: Vec::new(),
        })
    }

    /// Links a banner visitor to the subject it signed in as.
    pub async fn link_visitor(
        &self,
        who: &Principal,
        visitor_id: &str,
        subject_id: &str,
    ) -> Result<(), ConsentError> {
        self.book.subject_status(subject_id)?;
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![Write::LinkVisitor(VisitorLink {
                    visitor_id: visitor_id.to_owned(),
                    subject_id: subject_id.to_owned(),
                    linked_at: now,
                })],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::ConsentLinkVisitor, "ok")
                        .subject(subject_id),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// SHA-256 of the purpose's title and description as the register words them.
    pub fn purpose_text_sha256(&self, purpose: &str, lang: Option<Lang>) -> String {
        let lang = lang.unwrap_or(Lang::EN);
        let text = self
            .register
            .purposes
            .iter()
            .find(|p| p.id == purpose)
            .map(|p| format!("{}\n{}", p.title.in_lang(lang), p.description.in_lang(lang)))
            .unwrap_or_default();
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// Signed tokens: `PAYLOAD.MAC` with 128 bits of a keyed MAC, so that only
/// Custodia can mint visitor ids and unsubscribe or preference links.
pub struct Tokens {
    vault: Arc<crate::vault::Vault>,
}

impl Tokens {
    pub fn new(vault: Arc<crate::vault::Vault>) -> Tokens {
        Tokens { vault }
    }

    pub fn sign(&self, label: &str, payload: &str) -> String {
        let mac = self.vault.mac(label, payload);
        format!("{payload}.{}", hex::encode(&mac[..16]))
    }

    /// The payload of a token this instance signed under `label`.
    pub fn verify<'t>(&self, label: &str, token: &'t str) -> Option<&'t str> {
        let (payload, mac) = token.rsplit_once('.')?;
        let expected = self.vault.mac(label, payload);
        let given = hex::decode(mac).ok()?;
        custodia_crypto::constant_time_eq(&expected[..16], &given).then_some(payload)
    }

    /// A new banner visitor id: 128 random bits, signed.
    pub fn new_visitor_id(&self) -> String {
        self.sign(VISITOR_LABEL, &uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn is_visitor_id(&self, id: &str) -> bool {
        id.len() <= MAX_CONSENT_ID_LEN && self.verify(VISITOR_LABEL, id).is_some()
    }
}

const VISITOR_LABEL: &str = "visitor";

/// IPv4 /24 or IPv6 /48: the network, not the machine.
pub fn ip_prefix(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return ip_prefix(IpAddr::V4(v4));
            }
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_cut_to_their_network() {
        assert_eq!(ip_prefix("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(
            ip_prefix("2001:db8:abcd:12:1:2:3:4".parse().unwrap()),
            "2001:db8:abcd::/48"
        );
        assert_eq!(
            ip_prefix("::ffff:198.51.100.9".parse().unwrap()),
            "198.51.100.0/24"
        );
    }
}
