//! The audit trail: what happened, chained so that any alteration shows. Entries
//! name subjects only by their random id, so erasing a subject's data leaves the
//! chain intact and verifiable.
//!
//! Links are keyed (HMAC under the key store's `audit` key), so the data database
//! alone is not enough to rewrite the log; signed checkpoints in the key store (and a
//! witness, if configured: [`crate::checkpoints`]) show a log cut short.

use crate::keyring::Keyring;
use crate::vault::VaultError;
use custodia_crypto::{AuditKey, CheckpointClaim, GENESIS_HASH, chain_hash};
use custodia_store::{AuditCheckpoint, AuditEntry, AuditFilter, KeyStore, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Declares [`AuditAction`]: each variant with its stored string, written once.
macro_rules! audit_actions {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $text:literal, )+) => {
        /// What an audit entry records. The strings are stored in the chain and served
        /// by the audit API: never change one (old entries keep theirs); add a variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum AuditAction {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl AuditAction {
            /// Every action, in declaration order.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            /// The string stored in the audit log (`subject.read`...).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $text,)+
                }
            }
        }
    };
}

audit_actions! {
    /// The access review (accounts, keys, last uses) was read.
    AccessReviewRead = "access_review.read",
    /// A periodic access review was recorded.
    AccessReviewRecord = "access_review.record",
    /// An API key was created (`custodia apikeys create`).
    ApiKeyCreate = "apikey.create",
    /// An API key was revoked.
    ApiKeyRevoke = "apikey.revoke",
    /// A breach was recorded in the register (Art. 33(5)).
    BreachRecord = "breach.record",
    /// A breach's description was updated, or it was closed or reopened.
    BreachUpdate = "breach.update",
    /// The decision to notify the supervisory authority, or not, was recorded.
    BreachAuthority = "breach.authority",
    /// The decision to inform the people concerned, or not, was recorded.
    BreachPeople = "breach.people",
    /// A letter about a breach was queued to one affected subject (its e-mail read).
    BreachLetter = "breach.letter",
    /// Staff read the breach register, a breach or its timeline.
    BreachRead = "breach.read",
    /// Entries written before keyed links were fixed by a signed checkpoint.
    AuditAnchor = "audit.anchor",
    /// A checkpoint of the log was signed (or could not reach its witness).
    AuditCheckpoint = "audit.checkpoint",
    /// Staff read the audit log.
    AuditRead = "audit.read",
    /// The chain was verified.
    AuditVerify = "audit.verify",
    /// A form post without a valid CSRF token.
    AuthCsrf = "auth.csrf",
    /// A sign-in (or a refused one).
    AuthLogin = "auth.login",
    /// A sign-out.
    AuthLogout = "auth.logout",
    /// A sign-in's second step: the code (`totp`) or a recovery code checked after
    /// the password (or refused), or a request refused because the role requires a
    /// second factor not yet enrolled.
    AuthSecondFactor = "auth.second_factor",
    /// Staff sessions were ended by their owner or an admin (not a sign-out).
    AuthSessionRevoke = "auth.session_revoke",
    /// A request with missing or wrong credentials (counted per window).
    AuthRequest = "auth.request",
    /// A banner visitor's choices were linked to a subject.
    ConsentLinkVisitor = "consent.link_visitor",
    /// Consent choices were recorded.
    ConsentRecord = "consent.record",
    /// A subject's consent state or history was read.
    ConsentRead = "consent.read",
    /// A processing decision was asked.
    ConsentDecide = "consent.decide",
    /// Consent proofs were exported.
    ConsentExport = "consent.export",
    /// An unsubscribe link was minted.
    ConsentUnsubscribeLink = "consent.unsubscribe_link",
    /// A preferences link was minted.
    ConsentPreferencesLink = "consent.preferences_link",
    /// The master key was rotated.
    KeysRotate = "keys.rotate",
    /// A rights request was submitted.
    RequestSubmit = "request.submit",
    /// A requester proved control of the address (or gave a wrong code).
    RequestVerify = "request.verify",
    /// A request was carried out and closed.
    RequestComplete = "request.complete",
    /// A request was refused.
    RequestRefuse = "request.refuse",
    /// Staff read a request.
    RequestRead = "request.read",
    /// Staff listed requests.
    RequestList = "request.list",
    /// A restriction was lifted.
    RequestLiftRestriction = "request.lift_restriction",
    /// Staff confirmed the requester's identity.
    RequestIdentity = "request.identity",
    /// A request's deadline was extended.
    RequestExtend = "request.extend",
    /// Staff doubted the requester's identity.
    RequestDoubt = "request.doubt",
    /// A request was assigned.
    RequestAssign = "request.assign",
    /// A requester uploaded an ID document.
    RequestIdDocument = "request.id_document",
    /// Staff opened a requester's ID document.
    RequestIdDocumentRead = "request.id_document.read",
    /// A package was downloaded.
    RequestDownload = "request.download",
    /// A post-mortem directive was closed (executed or revoked).
    RequestDirective = "request.directive",
    /// Staff read a request's deliveries (e-mails and webhooks sent).
    RequestDeliveries = "request.deliveries",
    /// A retention sweep ran.
    RetentionRun = "retention.run",
    /// The retention plan was read.
    RetentionPlan = "retention.plan",
    /// Legal holds were listed.
    RetentionHolds = "retention.holds",
    /// A legal hold was placed.
    RetentionHold = "retention.hold",
    /// A legal hold was released.
    RetentionHoldRelease = "retention.hold_release",
    /// Categories moved to their archive phase.
    RetentionArchive = "retention.archive",
    /// Categories were deleted at the end of their retention.
    RetentionDelete = "retention.delete",
    /// A rights request read a dataset of the company's own databases (counts only).
    DatasetRead = "dataset.read",
    /// A rights request erased in a dataset (rows and columns touched, never values).
    DatasetErase = "dataset.erase",
    /// A rights request corrected columns in a dataset (counts and column names).
    DatasetRectify = "dataset.rectify",
    /// A dataset could not be read or changed for a rights request.
    DatasetFailed = "dataset.failed",
    /// A tool over HTTP posted the answer it had promised for a rights request.
    DatasetAnswered = "dataset.answered",
    /// A subject was erased at the end of retention.
    RetentionErase = "retention.erase",
    /// Rows of a dataset past the retention rule that kept them were erased (counts).
    RetentionDataset = "retention.dataset",
    /// A person was asked whether to keep their data at the end of its retention
    /// (`then = "ask_again"`).
    RetentionAskAgain = "retention.ask_again",
    /// A subject below the age of digital consent was erased: no parental consent
    /// came within the register's delay.
    RetentionChildErase = "retention.child_erase",
    /// Expired opposition list entries were purged.
    RetentionOppositionPurge = "retention.opposition_purge",
    /// A closed rights request was deleted at the end of its retention.
    RetentionRequestDelete = "retention.request_delete",
    /// An unverified rights request was purged.
    RetentionRequestPurge = "retention.request_purge",
    /// The Art. 30 record of processing activities was exported; the detail names
    /// the format and language.
    RegisterRecord = "register.record",
    /// A staff account was added.
    StaffAdd = "staff.add",
    /// A second factor was enrolled (pending until confirmed with a code).
    StaffSecondFactorEnrol = "staff.second_factor.enrol",
    /// A pending second factor was confirmed with a code; recovery codes issued.
    StaffSecondFactorConfirm = "staff.second_factor.confirm",
    /// A second factor was removed (with a current code, or by an admin).
    StaffSecondFactorDisable = "staff.second_factor.disable",
    /// New recovery codes replaced the unused ones.
    StaffRecoveryCodes = "staff.recovery_codes",
    /// A staff password was set or reset.
    StaffPassword = "staff.password",
    /// A staff account was enabled.
    StaffEnable = "staff.enable",
    /// A staff account was disabled.
    StaffDisable = "staff.disable",
    /// Staff accounts or API keys were listed.
    StaffList = "staff.list",
    /// Statistics were read or exported.
    StatisticsRead = "statistics.read",
    /// A subject was created.
    SubjectCreate = "subject.create",
    /// A subject's data was read.
    SubjectRead = "subject.read",
    /// A subject's data was changed.
    SubjectUpdate = "subject.update",
    /// An event about a subject was recorded.
    SubjectEvent = "subject.event",
    /// A disclosure of a subject's data to a recipient was recorded.
    SubjectDisclosure = "subject.disclosure",
    /// Parental consent was recorded for a child subject.
    SubjectParentalConsent = "subject.parental_consent",
    /// A person asked to keep their data, answering a retention rule's question.
    SubjectKeep = "subject.keep",
    /// A subject was found below the age of digital consent after it was created.
    SubjectUnderAge = "subject.under_age",
    /// A subject was looked up by a blind index.
    SubjectLookup = "subject.lookup",
    /// A subject was erased (crypto-shredded).
    SubjectErase = "subject.erase",
    /// An erasure made after a backup was taken was carried out again on the
    /// restored copy, from the erasure journal (`custodia restore`, principal `restore`).
    SubjectEraseReapplied = "subject.erase_reapplied",
    /// A backup was restored (`custodia restore`); the detail says from when and how
    /// many erasures were re-applied.
    BackupRestore = "backup.restore",
}

impl AuditAction {
    /// The action a stored string names, if any.
    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == text)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entry before it is placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: OffsetDateTime,
    pub principal: String,
    pub action: String,
    pub subject_ref: Option<String>,
    pub categories: Vec<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

impl AuditRecord {
    pub fn new(at: OffsetDateTime, principal: &str, action: AuditAction, outcome: &str) -> Self {
        AuditRecord {
            at,
            principal: principal.to_owned(),
            action: action.as_str().to_owned(),
            subject_ref: None,
            categories: Vec::new(),
            purpose: None,
            outcome: outcome.to_owned(),
            detail: None,
        }
    }

    pub fn subject(mut self, id: &str) -> Self {
        self.subject_ref = Some(id.to_owned());
        self
    }

    pub fn categories<I: IntoIterator<Item = S>, S: Into<String>>(mut self, cats: I) -> Self {
        self.categories = cats.into_iter().map(Into::into).collect();
        self
    }

    pub fn purpose(mut self, purpose: Option<&str>) -> Self {
        self.purpose = purpose.map(str::to_owned);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The bytes an entry's link covers: every field but the links, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    /// Left out for the first chain, so entries written before chains link as before.
    #[serde(skip_serializing_if = "is_first_chain")]
    chain: i32,
    at: String,
    principal: &'a str,
    action: &'a str,
    subject_ref: Option<&'a str>,
    categories: &'a [String],
    purpose: Option<&'a str>,
    outcome: &'a str,
    detail: Option<&'a str>,
}

fn is_first_chain(chain: &i32) -> bool {
    *chain == 0
}

pub fn canonical(entry: &AuditEntry) -> Vec<u8> {
    let stored_at = custodia_store::policy::to_stored_instant(entry.at);
    let canonical = Canonical {
        seq: entry.seq,
        chain: entry.chain,
        at: stored_at.format(&Rfc3339).unwrap_or_default(),
        principal: &entry.principal,
        action: &entry.action,
        subject_ref: entry.subject_ref.as_deref(),
        categories: &entry.categories,
        purpose: entry.purpose.as_deref(),
        outcome: &entry.outcome,
        detail: entry.detail.as_deref(),
    };
    serde_json::to_vec(&canonical).unwrap_or_default()
}

/// Places `records` in `chain` after the entry `(seq, hash)`, linked under `key`.
pub fn chain<'a>(
    key: &AuditKey,
    chain: i32,
    head: &(i64, String),
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Vec<AuditEntry> {
    let entries = records
        .into_iter()
        .map(|r| AuditEntry {
            seq: 0,
            chain,
            at: custodia_store::policy::to_stored_instant(r.at),
            principal: r.principal.clone(),
            action: r.action.clone(),
            subject_ref: r.subject_ref.clone(),
            categories: r.categories.clone(),
            purpose: r.purpose.clone(),
            outcome: r.outcome.clone(),
            detail: r.detail.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        })
        .collect();
    link(key, (head.0, &head.1), entries)
}

/// Numbers and links `entries` after `head`.
pub fn link(key: &AuditKey, head: (i64, &str), entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    let seqs: Vec<i64> = (1..).map(|n| head.0 + n).take(entries.len()).collect();
    link_numbered(key, head.1, &seqs, entries)
}

/// Links `entries` after the link `prev`, numbered `seqs`.
fn link_numbered(
    key: &AuditKey,
    prev: &str,
    seqs: &[i64],
    mut entries: Vec<AuditEntry>,
) -> Vec<AuditEntry> {
    let mut prev = prev.to_owned();
    for (entry, seq) in entries.iter_mut().zip(seqs) {
        entry.seq = *seq;
        entry.prev_hash = prev;
        entry.hash = key.link(&entry.prev_hash, &canonical(entry));
        prev = entry.hash.clone();
    }
    entries
}

/// The writer's chaining, for a store that re-links a batch in its transaction: the
/// key, and the chain the writer claimed.
pub struct Linker(pub std::sync::Arc<AuditKey>, pub i32);

impl custodia_store::Rechain for Linker {
    fn chain(&self) -> i32 {
        self.1
    }

    fn rechain(&self, prev: &str, seqs: &[i64], entries: &[AuditEntry]) -> Vec<AuditEntry> {
        let entries = entries
            .iter()
            .map(|e| AuditEntry {
                chain: self.1,
                ..e.clone()
            })
            .collect();
        link_numbered(&self.0, prev, seqs, entries)
    }
}

/// The head of an empty log.
pub fn genesis() -> (i64, String) {
    (0, GENESIS_HASH.to_owned())
}

/// The key store's system key from which the audit keys are derived.
pub const AUDIT_KEY_NAME: &str = "audit";

/// The installation's audit key, created on first use and wrapped by the master key
/// (so `custodia keys rotate` rewraps it with the other system keys).
pub async fn open_key(keys: &dyn KeyStore, keyring: &Keyring) -> Result<AuditKey, VaultError> {
    let secret = crate::vault::system_secret(keys, keyring, AUDIT_KEY_NAME).await?;
    Ok(AuditKey::new(&secret))
}

/// A checkpoint of `chain`'s `head`, signed now.
pub fn checkpoint(
    key: &AuditKey,
    chain: i32,
    head: &(i64, String),
    at: OffsetDateTime,
    keyed_from: i64,
) -> AuditCheckpoint {
    let at = custodia_store::policy::to_stored_instant(at);
    let signature = key.sign_checkpoint(&claim_of(chain, head.0, &head.1, at, keyed_from));
    AuditCheckpoint {
        chain,
        seq: head.0,
        head: head.1.clone(),
        at,
        keyed_from,
        signature,
    }
}

fn claim_of(
    chain: i32,
    seq: i64,
    head: &str,
    at: OffsetDateTime,
    keyed_from: i64,
) -> CheckpointClaim<'_> {
    CheckpointClaim {
        chain,
        seq,
        head,
        at_micros: i64::try_from(at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MIN),
        keyed_from,
    }
}

fn signed_by(key: &AuditKey, cp: &AuditCheckpoint) -> bool {
    custodia_crypto::checkpoint_signature_valid(
        &key.public_key(),
        &claim_of(cp.chain, cp.seq, &cp.head, cp.at, cp.keyed_from),
        &cp.signature,
    )
}

/// What [`anchor`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// The first entry to carry a keyed link.
    pub keyed_from: i64,
    /// `Some(n)` when this call anchored a log of `n` entries written with unkeyed
    /// links (an installation upgraded to keyed links): worth an audit entry.
    pub anchored_unkeyed: Option<i64>,
}

/// Makes sure the key store holds a checkpoint before any keyed entry is written.
/// On a new installation that is a checkpoint of the empty log; on a log written
/// before links were keyed, a checkpoint of its current head, so its unkeyed entries
/// can no longer be rewritten or cut unnoticed. Instances starting together agree:
/// the first checkpoint stored wins and everyone reads it back.
pub async fn anchor(
    store: &dyn Store,
    keys: &dyn KeyStore,
    key: &AuditKey,
    now: OffsetDateTime,
) -> Result<Anchor, StoreError> {
    if let Some(latest) = keys.audit_checkpoints(1).await?.into_iter().next() {
        return Ok(Anchor {
            keyed_from: latest.keyed_from,
            anchored_unkeyed: None,
        });
    }
    let head = store.audit_head().await?.unwrap_or_else(genesis);
    let stored = keys
        .put_audit_checkpoint(checkpoint(key, 0, &head, now, head.0 + 1))
        .await?;
    let latest = keys.audit_checkpoints(1).await?.into_iter().next();
    let keyed_from = latest.map_or(head.0 + 1, |cp| cp.keyed_from);
    Ok(Anchor {
        keyed_from,
        anchored_unkeyed: (stored && head.0 > 0).then_some(head.0),
    })
}

/// Where a checkpoint came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointSource {
    KeyStore,
    Witness,
}

impl std::fmt::Display for CheckpointSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CheckpointSource::KeyStore => "key store",
            CheckpointSource::Witness => "witness",
        })
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: i64,
        /// The link of the entry numbered last.
        head: String,
        /// Chains in the log (one per instance that wrote at once).
        chains: usize,
        /// The latest checkpoint the log agrees with: (seq, taken at, source).
        checkpoint: Option<(i64, OffsetDateTime, CheckpointSource)>,
        /// Checkpoints compared (key store and witness).
        checkpoints: usize,
    },
    /// The first entry that does not hold: altered, or out of place because an
    /// entry before it was removed or the entries were reordered, or missing
    /// because a checkpoint says the log went further.
    Broken { seq: i64, problem: String },
}

fn describe_checkpoint(cp: &AuditCheckpoint, source: CheckpointSource) -> String {
    format!(
        "the checkpoint of entry {} taken at {} ({})",
        cp.seq,
        cp.at.format(&Rfc3339).unwrap_or_default(),
        source
    )
}

/// Walks the whole log from the first entry, checks every link along its chain (keyed
/// from the checkpoints' `keyed_from` on, unkeyed before), and compares the log with
/// every checkpoint of the key store and of `witness`: a chain that ends before one,
/// or whose entry at a checkpoint's `seq` has another link, fails naming it.
pub async fn verify(
    store: &dyn Store,
    keys: &dyn KeyStore,
    key: &AuditKey,
    witness: &[AuditCheckpoint],
) -> Result<Verdict, StoreError> {
    // The latest of every chain is kept beyond the latest AUDIT_CHECKPOINTS_KEPT.
    let stored = keys.audit_checkpoints(u32::MAX).await?;
    let mut checkpoints: BTreeMap<i64, Vec<(&AuditCheckpoint, CheckpointSource)>> = BTreeMap::new();
    let all = stored
        .iter()
        .map(|cp| (cp, CheckpointSource::KeyStore))
        .chain(witness.iter().map(|cp| (cp, CheckpointSource::Witness)));
    for (cp, source) in all {
        if !signed_by(key, cp) {
            return Ok(Verdict::Broken {
                seq: cp.seq,
                problem: format!(
                    "{} has no valid signature of this installation's audit key: it was forged or altered",
                    describe_checkpoint(cp, source)
                ),
            });
        }
        checkpoints.entry(cp.seq).or_default().push((cp, source));
    }
    let keyed_from = match stored.first() {
        Some(latest) => latest.keyed_from,
        None => {
            let head = store.audit_head().await?;
            if head.is_some() {
                return Ok(Verdict::Broken {
                    seq: 1,
                    problem: "the key store holds no checkpoint of this log although it has entries: its checkpoints were deleted, or the key store belongs to another log".to_owned(),
                });
            }
            1
        }
    };
    if let Some((cp, source)) = checkpoints
        .values()
        .flatten()
        .find(|(cp, _)| cp.keyed_from != keyed_from)
    {
        return Ok(Verdict::Broken {
            seq: cp.seq,
            problem: format!(
                "{} says keyed links start at entry {}, the key store's latest checkpoint at entry {keyed_from}",
                describe_checkpoint(cp, *source),
                cp.keyed_from
            ),
        });
    }
    // Each chain's last entry so far: (seq, link).
    let mut heads: BTreeMap<i32, (i64, String)> = BTreeMap::new();
    let (mut entries, mut last_seq, mut last_link) = (0i64, 0i64, GENESIS_HASH.to_owned());
    let mut matched = std::collections::BTreeSet::new();
    let mut after = None;
    loop {
        let page = store
            .audit_entries(&AuditFilter {
                after_seq: after,
                limit: 5000,
                ..AuditFilter::default()
            })
            .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some(last.seq);
        for entry in &page {
            entries += 1;
            let (before, prev) = heads
                .get(&entry.chain)
                .map_or((0, GENESIS_HASH), |(seq, link)| (*seq, link.as_str()));
            if entry.prev_hash != prev {
                // Numbers may skip (several chains share one sequence), links may not.
                let problem = if entry.seq > last_seq + 1 && heads.len() <= 1 {
                    format!(
                        "entry {} is missing (the next one found is {})",
                        last_seq + 1,
                        entry.seq
                    )
                } else if before == 0 {
                    format!(
                        "entry {} does not start its chain ({}): entries before it were removed",
                        entry.seq, entry.chain
                    )
                } else {
                    format!(
                        "entry {} does not follow entry {before}: an entry was removed, inserted or reordered",
                        entry.seq
                    )
                };
                return Ok(Verdict::Broken {
                    seq: entry.seq,
                    problem,
                });
            }
            let link = if entry.seq < keyed_from {
                chain_hash(prev, &canonical(entry))
            } else {
                key.link(prev, &canonical(entry))
            };
            if link != entry.hash {
                return Ok(Verdict::Broken {
                    seq: entry.seq,
                    problem: format!(
                        "entry {} was altered: its content does not match its link",
                        entry.seq
                    ),
                });
            }
            if checkpoints.contains_key(&entry.seq) {
                matched.insert(entry.seq);
            }
            if let Some(found) = checkpoints.get(&entry.seq)
                && let Some((cp, source)) = found
                    .iter()
                    .find(|(cp, _)| cp.head != entry.hash || cp.chain != entry.chain)
            {
                return Ok(Verdict::Broken {
                    seq: entry.seq,
                    problem: format!(
                        "entry {} differs from {}: the log was rewritten",
                        entry.seq,
                        describe_checkpoint(cp, *source)
                    ),
                });
            }
            heads.insert(entry.chain, (entry.seq, entry.hash.clone()));
            last_seq = entry.seq;
            last_link.clone_from(&entry.hash);
        }
    }
    // Every entry a checkpoint names must still be there: a chain that ends before
    // one was cut, and one missing further back was taken out.
    for (cp, source) in checkpoints.values().flatten() {
        // Entry 0: the empty log's checkpoint.
        if cp.seq == 0 || matched.contains(&cp.seq) {
            continue;
        }
        let ends = heads.get(&cp.chain).map_or(0, |(seq, _)| *seq);
        let chain_named = if cp.chain == 0 {
            String::new()
        } else {
            format!(" of chain {}", cp.chain)
        };
        let (seq, problem) = if cp.seq > ends {
            (
                ends + 1,
                format!(
                    "the log{chain_named} ends at entry {ends} but {} records entry {}: entries after {ends} were removed",
                    describe_checkpoint(cp, *source),
                    cp.seq
                ),
            )
        } else {
            (
                cp.seq,
                format!(
                    "entry {} is missing but {} records it: entries were removed",
                    cp.seq,
                    describe_checkpoint(cp, *source)
                ),
            )
        };
        return Ok(Verdict::Broken { seq, problem });
    }
    let latest = checkpoints
        .iter()
        .next_back()
        .and_then(|(_, found)| found.first())
        .map(|(cp, source)| (cp.seq, cp.at, *source));
    Ok(Verdict::Intact {
        entries,
        head: last_link,
        chains: heads.len(),
        checkpoint: latest,
        checkpoints: checkpoints.values().map(Vec::len).sum(),
    })
}

#[cfg(test)]
mod action_tests {
    use super::AuditAction;

    #[test]
    fn each_action_has_its_own_stored_string_and_parses_back() {
        let mut seen = std::collections::BTreeSet::new();
        for action in AuditAction::ALL {
            let text = action.as_str();
            assert!(seen.insert(text), "{text} is used twice");
            assert!(
                text.split('.').count() >= 2
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{text}"
            );
            assert_eq!(AuditAction::parse(text), Some(*action));
        }
        // Stored in existing logs: these never change.
        assert_eq!(AuditAction::SubjectRead.as_str(), "subject.read");
        assert_eq!(AuditAction::KeysRotate.as_str(), "keys.rotate");
        assert_eq!(AuditAction::RetentionErase.as_str(), "retention.erase");
        assert_eq!(
            AuditAction::RequestIdDocumentRead.as_str(),
            "request.id_document.read"
        );
    }
}
