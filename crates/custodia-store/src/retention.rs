//! Retention as stores see it: what the planner needs to know of each subject, the
//! steps already carried out (so a sweep killed half-way is resumed, never redone),
//! legal holds, and the aggregate counts that are all anonymisation keeps.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// (rule id, last step done, when it was done).
pub type StepProgress = (String, u32, OffsetDateTime);

/// One subject as the retention planner sees it. No personal data: category ids,
/// event names and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionFacts {
    pub subject_id: String,
    pub kind: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Categories of the fields the subject holds, sorted.
    pub categories: Vec<String>,
    /// The latest time of each event name, sorted by name.
    pub events: Vec<(String, OffsetDateTime)>,
    /// (rule id, last step done, when it was done), sorted by rule id. The planner
    /// counts a step only if it was done after the rule's trigger: a new trigger (a
    /// later connection, a second account closure) starts the rule again.
    pub progress: Vec<StepProgress>,
}

/// A retention step carried out on a subject. Steps of a rule are numbered from 1
/// (archive phases, then the final delete or anonymise); a store keeps the highest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionStepDone {
    pub subject_id: String,
    pub rule: String,
    pub step: u32,
    /// `archive`, `delete` or `anonymise`.
    pub action: String,
    #[serde(with = "time::serde::rfc3339")]
    pub done_at: OffsetDateTime,
}

/// A legal hold: while active, retention deletes nothing it covers. Covers one
/// subject, one rule, or one rule for one subject (at least one of the two is set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    /// UUIDv7.
    pub id: String,
    pub subject_id: Option<String>,
    pub rule_id: Option<String>,
    /// Why (a case reference, a litigation); written by staff, not personal data.
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Principal (`user:<id>` or `apikey:<id>`).
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub released_at: Option<OffsetDateTime>,
    pub released_by: Option<String>,
}

/// What retention outcomes keep: how many subjects of a kind a rule's steps of one
/// action reached in a month (aggregates only, so they outlive the subjects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionCount {
    pub rule: String,
    pub kind: String,
    /// `YYYY-MM` (UTC).
    pub month: String,
    /// One of [`RETENTION_ACTIONS`].
    pub action: String,
    pub count: i64,
}

/// The actions a [`RetentionStepDone`] may record.
pub const RETENTION_ACTIONS: [&str; 4] = ["archive", "delete", "anonymise", "ask_again"];

/// The longest hold reason a store accepts, in bytes.
pub const MAX_HOLD_REASON_LEN: usize = 1000;

fn invalid(reason: &'static str) -> Result<(), crate::StoreError> {
    Err(crate::StoreError::Invalid { reason })
}

fn short_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= crate::rights::MAX_RIGHTS_ID_LEN && !s.contains('\0')
}

pub fn validate_step(s: &RetentionStepDone) -> Result<(), crate::StoreError> {
    if !short_ok(&s.subject_id) || !short_ok(&s.rule) {
        return invalid("a retention step's subject or rule id is empty, too long or holds NUL");
    }
    if s.step == 0 || i64::from(s.step) > i64::from(i32::MAX) {
        return invalid("a retention step's number is 0 or too large");
    }
    if !RETENTION_ACTIONS.contains(&s.action.as_str()) {
        return invalid("a retention step's action is not archive, delete, anonymise or ask_again");
    }
    Ok(())
}

pub fn validate_hold(h: &LegalHold) -> Result<(), crate::StoreError> {
    if !short_ok(&h.id) || !short_ok(&h.created_by) {
        return invalid("a legal hold's id or author is empty, too long or holds NUL");
    }
    if h.subject_id.is_none() && h.rule_id.is_none() {
        return invalid("a legal hold names neither a subject nor a rule");
    }
    let optional = [
        h.subject_id.as_deref(),
        h.rule_id.as_deref(),
        h.released_by.as_deref(),
    ];
    if !optional.into_iter().flatten().all(short_ok) {
        return invalid("a legal hold's subject, rule or releaser is empty, too long or holds NUL");
    }
    if h.reason.trim().is_empty() || h.reason.len() > MAX_HOLD_REASON_LEN || h.reason.contains('\0')
    {
        return invalid("a legal hold's reason is empty, longer than 1000 bytes or holds NUL");
    }
    if h.released_at.is_some() != h.released_by.is_some() {
        return invalid("a legal hold has a release time without its author, or the reverse");
    }
    Ok(())
}

/// A lease's name and holder: not empty, at most 128 bytes, no NUL.
pub fn validate_lease(name: &str, holder: &str) -> Result<(), crate::StoreError> {
    if short_ok(name) && short_ok(holder) {
        Ok(())
    } else {
        invalid("a lease's name or holder is empty, too long or holds NUL")
    }
}

pub fn validate_count(c: &RetentionCount) -> Result<(), crate::StoreError> {
    if !short_ok(&c.rule) || !short_ok(&c.kind) {
        return invalid("a retention count's rule or kind is empty, too long or holds NUL");
    }
    let month = c.month.as_bytes();
    let well_formed = month.len() == 7
        && month[4] == b'-'
        && month
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit())
        && matches!(
            &c.month[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        );
    if !well_formed {
        return invalid("a retention count's month is not YYYY-MM");
    }
    if !RETENTION_ACTIONS.contains(&c.action.as_str()) {
        return invalid(
            "a retention count's action is not archive, delete, anonymise or ask_again",
        );
    }
    if c.count < 1 {
        return invalid("a retention count adds less than 1");
    }
    Ok(())
}
