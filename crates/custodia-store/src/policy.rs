//! Published policy versions: each one freezes the register and the documents rendered
//! from it, so what a person was shown can be proven later.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};

use crate::StoreError;

/// A version to publish. Digests are lowercase hex SHA-256 (64 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPolicyVersion {
    pub register_sha256: String,
    pub register_source: String,
    #[serde(with = "time::serde::rfc3339")]
    pub effective_at: OffsetDateTime,
    /// At most one document per (kind, lang, format).
    pub documents: Vec<PolicyDocument>,
}

/// One rendered document of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    /// `"privacy"` or `"cookies"`.
    pub kind: String,
    /// `"en"` or `"fr"`.
    pub lang: String,
    /// `"html"`, `"md"` or `"json"`.
    pub format: String,
    pub sha256: String,
    pub content: String,
}

/// A stored version. `effective_at` is in UTC, whole microseconds; `documents` are
/// ordered by (kind, lang, format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub number: i64,
    pub register_sha256: String,
    pub register_source: String,
    #[serde(with = "time::serde::rfc3339")]
    pub effective_at: OffsetDateTime,
    pub documents: Vec<PolicyDocument>,
}

/// A stored version without contents, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionSummary {
    pub number: i64,
    pub register_sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub effective_at: OffsetDateTime,
    /// Ordered by (kind, lang, format).
    pub documents: Vec<DocumentDigest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDigest {
    pub kind: String,
    pub lang: String,
    pub format: String,
    pub sha256: String,
}

/// What [`crate::Store::publish_policy_version`] did: `created` is false when the latest
/// version already had the same register, which is then returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub version: PolicyVersionSummary,
    pub created: bool,
}

impl PolicyVersion {
    pub fn document(&self, kind: &str, lang: &str, format: &str) -> Option<&PolicyDocument> {
        self.documents
            .iter()
            .find(|d| d.kind == kind && d.lang == lang && d.format == format)
    }

    pub fn summary(&self) -> PolicyVersionSummary {
        PolicyVersionSummary {
            number: self.number,
            register_sha256: self.register_sha256.clone(),
            effective_at: self.effective_at,
            documents: self.documents.iter().map(PolicyDocument::digest).collect(),
        }
    }
}

impl PolicyDocument {
    pub fn digest(&self) -> DocumentDigest {
        DocumentDigest {
            kind: self.kind.clone(),
            lang: self.lang.clone(),
            format: self.format.clone(),
            sha256: self.sha256.clone(),
        }
    }
}

impl NewPolicyVersion {
    /// Checks what every backend relies on; backends call this before writing.
    pub fn validate(&self) -> Result<(), StoreError> {
        if !is_sha256_hex(&self.register_sha256) {
            return Err(StoreError::Invalid {
                reason: "register_sha256 is not 64 lowercase hex characters",
            });
        }
        // PostgreSQL text cannot hold NUL; rejecting it everywhere keeps backends alike.
        if self.register_source.contains('\0') {
            return Err(StoreError::Invalid {
                reason: "register_source contains a NUL character",
            });
        }
        let mut seen = HashSet::new();
        for d in &self.documents {
            if d.kind.is_empty() || d.lang.is_empty() || d.format.is_empty() {
                return Err(StoreError::Invalid {
                    reason: "a policy document has an empty kind, lang or format",
                });
            }
            if !is_sha256_hex(&d.sha256) {
                return Err(StoreError::Invalid {
                    reason: "a policy document sha256 is not 64 lowercase hex characters",
                });
            }
            if d.content.contains('\0') {
                return Err(StoreError::Invalid {
                    reason: "a policy document contains a NUL character",
                });
            }
            if !seen.insert((d.kind.as_str(), d.lang.as_str(), d.format.as_str())) {
                return Err(StoreError::Invalid {
                    reason: "two policy documents share kind, lang and format",
                });
            }
        }
        Ok(())
    }

    /// The summary of this version once stored as `number`, as backends return it.
    pub fn stored_summary(&self, number: i64) -> PolicyVersionSummary {
        let mut documents: Vec<DocumentDigest> =
            self.documents.iter().map(PolicyDocument::digest).collect();
        sort_digests(&mut documents);
        PolicyVersionSummary {
            number,
            register_sha256: self.register_sha256.clone(),
            effective_at: to_stored_instant(self.effective_at),
            documents,
        }
    }
}

/// The instant as every backend stores it: UTC, truncated to whole microseconds.
pub fn to_stored_instant(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    // A microsecond count below 1_000_000 is always valid, so the fallback is unreachable.
    utc.replace_microsecond(utc.microsecond()).unwrap_or(utc)
}

/// The order documents are returned in.
pub fn sort_documents(documents: &mut [PolicyDocument]) {
    documents.sort_by(|a, b| (&a.kind, &a.lang, &a.format).cmp(&(&b.kind, &b.lang, &b.format)));
}

/// The order document digests are returned in.
pub fn sort_digests(documents: &mut [DocumentDigest]) {
    documents.sort_by(|a, b| (&a.kind, &a.lang, &a.format).cmp(&(&b.kind, &b.lang, &b.format)));
}

/// A `policy_documents` row as backends read it: (kind, lang, format, sha256, content).
pub type DocumentRow = (String, String, String, String, String);

/// A `policy_documents` row without its content: (kind, lang, format, sha256).
pub type DigestRow = (String, String, String, String);

/// A `policy_documents` row of a listing: (version_number, kind, lang, format, sha256).
pub type VersionDigestRow = (i64, String, String, String, String);

/// The documents of one version from its rows, in the order they are returned in.
pub fn documents_from_rows(rows: Vec<DocumentRow>) -> Vec<PolicyDocument> {
    let mut documents: Vec<PolicyDocument> = rows
        .into_iter()
        .map(|(kind, lang, format, sha256, content)| PolicyDocument {
            kind,
            lang,
            format,
            sha256,
            content,
        })
        .collect();
    sort_documents(&mut documents);
    documents
}

/// The document digests of one version from its rows, in the order they are returned in.
pub fn digests_from_rows(rows: Vec<DigestRow>) -> Vec<DocumentDigest> {
    let mut digests: Vec<DocumentDigest> = rows
        .into_iter()
        .map(|(kind, lang, format, sha256)| DocumentDigest {
            kind,
            lang,
            format,
            sha256,
        })
        .collect();
    sort_digests(&mut digests);
    digests
}

/// Summaries from version rows (number, register_sha256, effective_at), kept in their
/// order, and document rows of any versions; documents of versions not among `versions`
/// are ignored.
pub fn summaries_from_rows(
    versions: Vec<(i64, String, OffsetDateTime)>,
    documents: Vec<VersionDigestRow>,
) -> Vec<PolicyVersionSummary> {
    let mut summaries = Vec::with_capacity(versions.len());
    let mut index = HashMap::with_capacity(versions.len());
    for (number, register_sha256, effective_at) in versions {
        index.insert(number, summaries.len());
        summaries.push(PolicyVersionSummary {
            number,
            register_sha256,
            effective_at,
            documents: Vec::new(),
        });
    }
    for (number, kind, lang, format, sha256) in documents {
        if let Some(&i) = index.get(&number) {
            summaries[i].documents.push(DocumentDigest {
                kind,
                lang,
                format,
                sha256,
            });
        }
    }
    for summary in &mut summaries {
        sort_digests(&mut summary.documents);
    }
    summaries
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn stored_instant_is_utc_and_whole_microseconds() {
        let t = datetime!(2025-03-01 10:00:00.123456789 +02:00);
        let s = to_stored_instant(t);
        assert_eq!(s.offset(), UtcOffset::UTC);
        assert_eq!(s, datetime!(2025-03-01 08:00:00.123456 UTC));
    }

    #[test]
    fn duplicate_documents_are_rejected() {
        let doc = PolicyDocument {
            kind: "privacy".into(),
            lang: "en".into(),
            format: "html".into(),
            sha256: "a".repeat(64),
            content: String::new(),
        };
        let new = NewPolicyVersion {
            register_sha256: "b".repeat(64),
            register_source: String::new(),
            effective_at: datetime!(2025-01-01 0:00 UTC),
            documents: vec![doc.clone(), doc],
        };
        assert!(matches!(new.validate(), Err(StoreError::Invalid { .. })));
    }

    #[test]
    fn summaries_keep_version_order_and_sort_their_documents() {
        let at = datetime!(2025-01-01 0:00 UTC);
        let row = |n: i64, kind: &str, lang: &str| {
            (n, kind.into(), lang.into(), "html".into(), "c".repeat(64))
        };
        let summaries = summaries_from_rows(
            vec![(2, "b".repeat(64), at), (1, "a".repeat(64), at)],
            vec![
                row(1, "privacy", "fr"),
                row(3, "privacy", "en"),
                row(1, "cookies", "en"),
                row(1, "privacy", "en"),
            ],
        );
        let numbers: Vec<i64> = summaries.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [2, 1]);
        assert!(summaries[0].documents.is_empty());
        let order: Vec<(&str, &str)> = summaries[1]
            .documents
            .iter()
            .map(|d| (d.kind.as_str(), d.lang.as_str()))
            .collect();
        assert_eq!(
            order,
            [("cookies", "en"), ("privacy", "en"), ("privacy", "fr")]
        );
    }
}
