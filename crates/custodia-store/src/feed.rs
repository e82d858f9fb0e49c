//! The change feed: how instances sharing one database follow each other's writes.
//!
//! A batch that changes what instances hold in memory (the consent book: subjects,
//! their categories, events, e-mail indexes, consents, visitor links, restrictions,
//! the opposition list; and credentials, which they cache) leaves one [`Change`] in
//! the same transaction, in the chain of the instance that wrote it (its audit chain:
//! `Store::claim_audit_chain`), numbered from a sequence shared by all chains. Batches
//! of one chain take turns on it, so along a chain numbers follow commit order: once a
//! reader sees change `n` of a chain, every earlier change of that chain is visible
//! too, and a follower that reads "every change of each chain after the last one I
//! applied of it" ([`Positions`]) misses nothing, whether a wake-up was lost or the
//! connection dropped. Chains do not wait for each other, so two instances' commits
//! overlap; across chains numbers follow causality (a batch that began after another
//! committed has a higher number), not commit order.
//!
//! A change carries the writes with their sealed values, consent proofs and blind
//! indexes other than e-mail left out: the follower needs categories, e-mail digests,
//! states and times, never personal content.

use crate::{Batch, IndexEntry, SealedField, Write};
use serde::{Deserialize, Serialize};

/// One committed batch, as instances follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Its number in the feed (0 until stored).
    #[serde(skip)]
    pub seq: i64,
    /// The chain of the instance that wrote it.
    #[serde(skip)]
    pub chain: i32,
    /// Writes the consent book applies, stripped of sealed values.
    pub writes: Vec<Write>,
    /// Accounts, sessions, API keys or second factors changed: credential caches
    /// must forget what they hold.
    pub credentials: bool,
}

/// The change instances must follow for this batch, if any.
pub fn change_of(batch: &Batch) -> Option<Change> {
    let writes: Vec<Write> = batch.writes.iter().filter_map(followed).collect();
    let credentials = batch.writes.iter().any(changes_credentials);
    if writes.is_empty() && !credentials {
        return None;
    }
    Some(Change {
        seq: 0,
        chain: 0,
        writes,
        credentials,
    })
}

/// A stored change's number, and the number of the change before it in its chain
/// (0 when none is kept): a follower that applied exactly that one can apply this
/// change from memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Numbered {
    pub chain: i32,
    pub seq: i64,
    pub previous: i64,
}

/// Where a follower is: for each chain, the number of the last change it applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions(pub std::collections::BTreeMap<i32, i64>);

impl Positions {
    /// The last change applied of `chain` (0: none).
    pub fn of(&self, chain: i32) -> i64 {
        self.0.get(&chain).copied().unwrap_or(0)
    }

    /// `change` of `chain` is applied.
    pub fn advance(&mut self, chain: i32, seq: i64) {
        let position = self.0.entry(chain).or_insert(0);
        *position = (*position).max(seq);
    }
}

/// Whether any of these writes leaves a change in the feed.
pub fn is_followed(writes: &[Write]) -> bool {
    writes
        .iter()
        .any(|w| changes_the_book(w) || changes_credentials(w))
}

fn changes_credentials(write: &Write) -> bool {
    matches!(
        write,
        Write::CreateUser(_)
            | Write::SetUserDisabled { .. }
            | Write::SetUserPassword { .. }
            | Write::DeleteSession { .. }
            | Write::DeleteUserSessions { .. }
            | Write::CreateApiKey(_)
            | Write::RevokeApiKey { .. }
            | Write::PutSecondFactor { .. }
            | Write::DeleteSecondFactor { .. }
    )
}

/// The writes the consent book applies.
fn changes_the_book(write: &Write) -> bool {
    matches!(
        write,
        Write::CreateSubject { .. }
            | Write::UpdateSubject { .. }
            | Write::RecordConsent(_)
            | Write::SetAge { .. }
            | Write::AddEvent { .. }
            | Write::EraseSubject { .. }
            | Write::LinkVisitor(_)
            | Write::SetRestriction { .. }
            | Write::AddOpposition(_)
            | Write::PurgeOpposition { .. }
    )
}

fn unsealed(fields: &[SealedField]) -> Vec<SealedField> {
    fields
        .iter()
        .map(|f| SealedField {
            category: f.category.clone(),
            sealed: Vec::new(),
        })
        .collect()
}

/// The book reads e-mail indexes only; the others stay out of the feed.
fn emails(indexes: &[IndexEntry]) -> Vec<IndexEntry> {
    indexes
        .iter()
        .filter(|i| i.kind == "email")
        .cloned()
        .collect()
}

/// The write as the consent book needs it, or `None` when the book ignores it.
fn followed(write: &Write) -> Option<Write> {
    if !changes_the_book(write) {
        return None;
    }
    Some(match write {
        Write::CreateSubject {
            subject,
            fields,
            indexes,
        } => Write::CreateSubject {
            subject: subject.clone(),
            fields: unsealed(fields),
            indexes: emails(indexes),
        },
        Write::UpdateSubject {
            subject_id,
            kind,
            set,
            remove,
            index_kinds,
            indexes,
            updated_at,
        } => Write::UpdateSubject {
            subject_id: subject_id.clone(),
            kind: kind.clone(),
            set: unsealed(set),
            remove: remove.clone(),
            index_kinds: index_kinds.clone(),
            indexes: emails(indexes),
            updated_at: *updated_at,
        },
        Write::RecordConsent(record) => {
            let mut record = record.clone();
            // The proof stays in the store; the book needs the choice alone.
            record.ip_prefix = None;
            record.user_agent = None;
            Write::RecordConsent(record)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditEntry, SubjectRecord};
    use time::macros::datetime;

    fn entry(seq: i64) -> AuditEntry {
        AuditEntry {
            seq,
            chain: 0,
            at: datetime!(2026-12-06 12:00 UTC),
            principal: "test".into(),
            action: "subject.create".into(),
            subject_ref: None,
            categories: Vec::new(),
            purpose: None,
            outcome: "ok".into(),
            detail: None,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn a_change_keeps_what_the_book_needs_and_drops_sealed_values() {
        let batch = Batch {
            writes: vec![
                Write::CreateSubject {
                    subject: SubjectRecord {
                        id: "s1".into(),
                        kind: "customer".into(),
                        age_status: "adult".into(),
                        parental_consent_at: None,
                        created_at: datetime!(2026-12-06 12:00 UTC),
                        updated_at: datetime!(2026-12-06 12:00 UTC),
                        erased_at: None,
                    },
                    fields: vec![SealedField {
                        category: "contact".into(),
                        sealed: vec![1, 2, 3],
                    }],
                    indexes: vec![
                        IndexEntry {
                            kind: "email".into(),
                            digest: vec![9; 32],
                        },
                        IndexEntry {
                            kind: "phone".into(),
                            digest: vec![8; 32],
                        },
                    ],
                },
                Write::DeleteDownload {
                    token_hash: vec![1],
                },
            ],
            audit: vec![entry(7), entry(8)],
        };
        let change = change_of(&batch).expect("a subject creation is followed");
        assert!(!change.credentials);
        let [
            Write::CreateSubject {
                fields, indexes, ..
            },
        ] = change.writes.as_slice()
        else {
            panic!("only the creation is followed: {:?}", change.writes);
        };
        assert_eq!(fields[0].category, "contact");
        assert!(fields[0].sealed.is_empty());
        assert_eq!(indexes.len(), 1, "the e-mail index alone: {indexes:?}");
        assert_eq!(indexes[0].digest, vec![9; 32]);
        let json = serde_json::to_string(&change).expect("serialises");
        assert!(!json.contains("[1,2,3]"), "no sealed value: {json}");
        let back: Change = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, change);
    }

    #[test]
    fn credential_changes_are_followed_and_housekeeping_is_not() {
        let revoke = Batch {
            writes: vec![Write::RevokeApiKey {
                id: "k1".into(),
                revoked_at: datetime!(2026-12-06 12:00 UTC),
            }],
            audit: vec![entry(3)],
        };
        let change = change_of(&revoke).expect("a revocation is followed");
        assert!(change.credentials && change.writes.is_empty());
        let touch = Batch {
            writes: vec![Write::TouchCredentials(Vec::new())],
            audit: Vec::new(),
        };
        assert_eq!(change_of(&touch), None);
        assert!(!is_followed(&touch.writes));
    }
}
