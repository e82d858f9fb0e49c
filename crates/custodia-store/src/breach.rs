//! The breach register (GDPR Art. 33(5)): one row per breach with what staff recorded
//! (a JSON body written by core: nature, categories, numbers, consequences, measures,
//! decisions) and the times the 72-hour clock needs, plus an append-only timeline.
//! Staff-written descriptions of an incident; subjects are named by their random ids.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A breach as stores see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachRow {
    /// UUIDv7.
    pub id: String,
    /// Starts at 1, +1 on each change (optimistic concurrency).
    pub version: i64,
    /// When the controller became aware of it: the clock of Art. 33(1) starts here.
    #[serde(with = "time::serde::rfc3339")]
    pub aware_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// When the authority decision (notified or not) was recorded.
    #[serde(with = "time::serde::rfc3339::option")]
    pub authority_decided_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    /// JSON written by core.
    pub body: String,
}

/// One event of a breach's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachEvent {
    pub breach_id: String,
    /// 1, 2, 3... per breach.
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Principal (`user:<id>` or `apikey:<id>`).
    pub principal: String,
    /// `recorded`, `updated`, `authority`, `people`, `letters_queued`, `closed`...
    pub kind: String,
    /// JSON written by core.
    pub detail: String,
}

/// The largest body or event detail a store accepts, in bytes.
pub const MAX_BREACH_JSON: usize = 2 * 1024 * 1024;

fn invalid(reason: &'static str) -> Result<(), crate::StoreError> {
    Err(crate::StoreError::Invalid { reason })
}

fn short_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= crate::rights::MAX_RIGHTS_ID_LEN && !s.contains('\0')
}

fn json_ok(s: &str) -> bool {
    s.len() <= MAX_BREACH_JSON && !s.contains('\0')
}

/// Checks a [`crate::Write::PutBreach`] before anything is written.
pub fn validate_breach(
    row: &BreachRow,
    expected_version: Option<i64>,
    events: &[BreachEvent],
) -> Result<(), crate::StoreError> {
    if !short_ok(&row.id) || !json_ok(&row.body) {
        return invalid(
            "a breach's id is empty or too long, or its body too large, or one holds NUL",
        );
    }
    let version_ok = match expected_version {
        None => row.version == 1,
        Some(v) => v >= 1 && row.version == v + 1,
    };
    if !version_ok {
        return invalid("a breach's version does not follow the expected one");
    }
    for e in events {
        if e.breach_id != row.id {
            return invalid("a breach event names another breach than the row written with it");
        }
        if e.seq < 1 || !short_ok(&e.principal) || !short_ok(&e.kind) || !json_ok(&e.detail) {
            return invalid(
                "a breach event's number is below 1, or its principal, kind or detail is empty, too long or holds NUL",
            );
        }
    }
    Ok(())
}
