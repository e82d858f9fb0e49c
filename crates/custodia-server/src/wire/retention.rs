//! Retention's plan, sweeps and legal holds.

use super::closed;
use crate::ApiError;
use custodia_core::retention::sweep::{LegalHold as Stored, PlannedStep as Planned};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A legal hold: while active, retention deletes nothing it covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct LegalHold {
    id: String,
    /// The subject covered; none: every subject of `rule_id`.
    subject_id: Option<String>,
    /// The rule suspended; none: every rule for `subject_id`.
    rule_id: Option<String>,
    reason: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    created_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    released_at: Option<OffsetDateTime>,
    released_by: Option<String>,
}

impl From<Stored> for LegalHold {
    fn from(h: Stored) -> LegalHold {
        LegalHold {
            id: h.id,
            subject_id: h.subject_id,
            rule_id: h.rule_id,
            reason: h.reason,
            created_at: h.created_at,
            created_by: h.created_by,
            released_at: h.released_at,
            released_by: h.released_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleTally {
    /// Subjects whose data entered an archive phase of the rule.
    archived: u64,
    /// Subjects whose data the rule deleted (the whole subject or some categories).
    deleted: u64,
    anonymised: u64,
    /// Subjects the rule would have deleted or anonymised but for a legal hold.
    held: u64,
    /// Rights requests deleted at the end of their keeping.
    requests_deleted: u64,
    /// Subjects asked whether to keep their data (`then = "ask_again"`).
    asked: u64,
}

/// What a sweep did, or would do in a dry run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SweepReport {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    now: OffsetDateTime,
    dry_run: bool,
    subjects_scanned: u64,
    /// Subjects erased whole (every category they held was due).
    subjects_erased: u64,
    /// Subjects that lost some categories and keep others.
    subjects_reduced: u64,
    opposition_entries_purged: u64,
    /// Requests whose code was never entered, purged a day after it expired.
    unverified_requests_purged: u64,
    /// Rule id -> what it did.
    rules: BTreeMap<String, RuleTally>,
}

impl From<custodia_core::retention::sweep::SweepReport> for SweepReport {
    fn from(r: custodia_core::retention::sweep::SweepReport) -> SweepReport {
        SweepReport {
            now: r.now,
            dry_run: r.dry_run,
            subjects_scanned: r.subjects_scanned,
            subjects_erased: r.subjects_erased,
            subjects_reduced: r.subjects_reduced,
            opposition_entries_purged: r.opposition_entries_purged,
            unverified_requests_purged: r.unverified_requests_purged,
            rules: r
                .rules
                .into_iter()
                .map(|(rule, t)| {
                    let tally = RuleTally {
                        archived: t.archived,
                        deleted: t.deleted,
                        anonymised: t.anonymised,
                        held: t.held,
                        requests_deleted: t.requests_deleted,
                        asked: t.asked,
                    };
                    (rule, tally)
                })
                .collect(),
        }
    }
}

/// What a step of a retention rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// Move into an archive phase: fewer roles may read the data.
    Archive,
    Delete,
    Anonymise,
}

/// A step falling due in the window.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedStep {
    subject_id: String,
    /// The retention rule's id.
    rule: String,
    /// Steps of a rule are numbered from 1: archive phases, then the final step.
    step: u32,
    action: RetentionAction,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
    categories: Vec<String>,
    /// Roles that may read the archive phase entered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    readers: Vec<String>,
    /// A legal hold suspends the step.
    held: bool,
}

impl TryFrom<Planned> for PlannedStep {
    type Error = ApiError;

    fn try_from(p: Planned) -> Result<PlannedStep, ApiError> {
        Ok(PlannedStep {
            action: closed("action", p.action)?,
            subject_id: p.subject_id,
            rule: p.rule,
            step: p.step,
            at: p.at,
            categories: p.categories,
            readers: p.readers,
            held: p.held,
        })
    }
}
