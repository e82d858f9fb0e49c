//! The audit trail: what happened, chained so that any alteration shows. Entries
//! name subjects only by their random id, so erasing a subject's data leaves the
//! chain intact and verifiable.

use custodia_crypto::{GENESIS_HASH, chain_hash};
use custodia_store::{AuditEntry, AuditFilter, Store, StoreError};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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
    pub fn new(at: OffsetDateTime, principal: &str, action: &str, outcome: &str) -> Self {
        AuditRecord {
            at,
            principal: principal.to_owned(),
            action: action.to_owned(),
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

/// The bytes an entry's hash covers: every field but the hashes, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: String,
    principal: &'a str,
    action: &'a str,
    subject_ref: Option<&'a str>,
    categories: &'a [String],
    purpose: Option<&'a str>,
    outcome: &'a str,
    detail: Option<&'a str>,
}

fn canonical(entry: &AuditEntry) -> Vec<u8> {
    let stored_at = custodia_store::policy::to_stored_instant(entry.at);
    let canonical = Canonical {
        seq: entry.seq,
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

/// Places `records` after the entry `(seq, hash)`.
pub fn chain<'a>(
    head: &(i64, String),
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Vec<AuditEntry> {
    let (mut seq, mut prev) = head.clone();
    records
        .into_iter()
        .map(|r| {
            seq += 1;
            let mut entry = AuditEntry {
                seq,
                at: custodia_store::policy::to_stored_instant(r.at),
                principal: r.principal.clone(),
                action: r.action.clone(),
                subject_ref: r.subject_ref.clone(),
                categories: r.categories.clone(),
                purpose: r.purpose.clone(),
                outcome: r.outcome.clone(),
                detail: r.detail.clone(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            entry.hash = chain_hash(&prev, &canonical(&entry));
            prev = entry.hash.clone();
            entry
        })
        .collect()
}

/// The head of an empty log.
pub fn genesis() -> (i64, String) {
    (0, GENESIS_HASH.to_owned())
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: i64,
        head: String,
    },
    /// The first entry that does not hold: altered, or out of place because an
    /// entry before it was removed or the entries were reordered.
    Broken {
        seq: i64,
        problem: String,
    },
}

/// Walks the whole log from the first entry and checks every link.
pub async fn verify(store: &dyn Store) -> Result<Verdict, StoreError> {
    let (mut expected_seq, mut prev) = genesis();
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
            expected_seq += 1;
            if entry.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    problem: format!(
                        "entry {expected_seq} is missing (the next one found is {})",
                        entry.seq
                    ),
                });
            }
            if entry.prev_hash != prev {
                return Ok(Verdict::Broken {
                    seq: entry.seq,
                    problem: format!(
                        "entry {} does not follow entry {}: an entry was removed, inserted or reordered",
                        entry.seq,
                        entry.seq - 1
                    ),
                });
            }
            if chain_hash(&prev, &canonical(entry)) != entry.hash {
                return Ok(Verdict::Broken {
                    seq: entry.seq,
                    problem: format!(
                        "entry {} was altered: its content does not match its hash",
                        entry.seq
                    ),
                });
            }
            prev = entry.hash.clone();
        }
    }
    Ok(Verdict::Intact {
        entries: expected_seq,
        head: prev,
    })
}
