//! Aggregate statistics for the dashboard's charts.

use super::retention::RetentionAction;
use crate::ApiError;
use custodia_core::statistics::{Report, iso_week};
use serde::Serialize;
use utoipa::ToSchema;

/// People whose consent records for a purpose in one ISO week had one state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentCount {
    purpose: String,
    /// ISO 8601 week, `YYYY-Www`.
    week: String,
    /// `given`, `refused` or `withdrawn`.
    state: String,
    people: i64,
}

/// Banner choices over the window by outcome, and the share accepting everything.
#[derive(Debug, Serialize, ToSchema)]
pub struct BannerRate {
    all_accepted: i64,
    some: i64,
    all_refused: i64,
    /// `all_accepted` over every choice; none without choices.
    acceptance_rate: Option<f64>,
}

/// Rights requests of one right received in one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestCount {
    right: String,
    /// `YYYY-MM` (UTC).
    month: String,
    received: i64,
    completed: i64,
    /// Completed at or before the deadline the law sets.
    on_time: i64,
}

/// Subjects of one kind whose data a retention rule's steps of one action reached in
/// one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionOutcome {
    rule: String,
    /// The subjects' kind.
    kind: String,
    /// `YYYY-MM` (UTC).
    month: String,
    action: RetentionAction,
    subjects: i64,
}

/// The last `weeks` ISO weeks of aggregates (unsuppressed: the DPO's own view; the
/// CSV export suppresses cells under `k`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    /// The first week, `YYYY-Www`; the window runs to now.
    since: String,
    weeks: u32,
    /// The export's k-anonymity threshold.
    k: u32,
    consents: Vec<ConsentCount>,
    banner: BannerRate,
    requests: Vec<RequestCount>,
    retention: Vec<RetentionOutcome>,
}

impl TryFrom<Report> for Statistics {
    type Error = ApiError;

    fn try_from(r: Report) -> Result<Statistics, ApiError> {
        let count = |o: &str| {
            r.banner
                .iter()
                .find(|t| t.outcome == o)
                .map_or(0, |t| t.choices)
        };
        let (all_accepted, some, all_refused) =
            (count("all_accepted"), count("some"), count("all_refused"));
        let total = all_accepted + some + all_refused;
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        let acceptance_rate = (total > 0).then(|| all_accepted as f64 / total as f64);
        let retention = r
            .retention
            .into_iter()
            .map(|a| {
                Ok(RetentionOutcome {
                    action: super::closed("action", &a.action)?,
                    rule: a.rule,
                    kind: a.kind,
                    month: a.month,
                    subjects: a.count,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Statistics {
            banner: BannerRate {
                all_accepted,
                some,
                all_refused,
                acceptance_rate,
            },
            since: iso_week(r.since),
            weeks: r.weeks,
            k: r.k,
            consents: r
                .consents
                .into_iter()
                .map(|c| ConsentCount {
                    purpose: c.purpose,
                    week: iso_week(c.week_start),
                    state: c.state,
                    people: c.people,
                })
                .collect(),
            requests: r
                .requests
                .into_iter()
                .map(|q| RequestCount {
                    right: q.right,
                    month: q.month,
                    received: q.received,
                    completed: q.completed,
                    on_time: q.on_time,
                })
                .collect(),
            retention,
        })
    }
}
