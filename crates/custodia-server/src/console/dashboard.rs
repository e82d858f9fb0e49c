//! The dashboard's figures (issue 17): the latest audit verification (auditor, DPO)
//! and, for the DPO only, consents per purpose over the last 12 weeks and the
//! banner's acceptance rate, from `custodia_core::statistics` through the same call
//! (and audit entry) as `/v1/statistics`. Charts are SVG images served by
//! `/console/charts/...` (no text in them, `alt=""`); the numbers are HTML tables.
//! Also the outbox's failed messages, for the roles that handle requests.

use super::{PageError, Staff};
use crate::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use custodia_core::access::Permission;
use custodia_core::statistics::{Report, iso_week};
use serde::Deserialize;

/// The consent states charted, in the order of `charts::PALETTE`.
const STATES: [&str; 3] = ["given", "refused", "withdrawn"];

/// One week of one purpose: its ISO week and the people per state.
pub(crate) struct Week {
    pub week: String,
    pub counts: [i64; 3],
}

pub(crate) struct ConsentChart {
    pub purpose: String,
    /// `purpose`, percent-encoded for the image's query.
    pub query: String,
    pub weeks: Vec<Week>,
}

pub(crate) struct BannerRate {
    /// Whole percent of banner choices accepting every purpose.
    pub percent: i64,
    /// all accepted, some, all refused.
    pub counts: [i64; 3],
}

pub(crate) struct Figures {
    /// "As of ...", when the figures are those kept in memory.
    pub made_at: Option<String>,
    pub consents: Vec<ConsentChart>,
    pub banner: BannerRate,
}

fn week_series(report: &Report, purpose: &str) -> Vec<Week> {
    (0..report.weeks)
        .map(|i| {
            let monday = report.since + time::Duration::weeks(i64::from(i));
            let mut counts = [0; 3];
            for c in report
                .consents
                .iter()
                .filter(|c| c.purpose == purpose && c.week_start == monday)
            {
                if let Some(s) = STATES.iter().position(|s| *s == c.state) {
                    counts[s] += c.people;
                }
            }
            Week {
                week: iso_week(monday),
                counts,
            }
        })
        .collect()
}

fn banner_counts(report: &Report) -> [i64; 3] {
    let mut counts = [0; 3];
    for t in &report.banner {
        let i = match t.outcome.as_str() {
            "all_accepted" => 0,
            "some" => 1,
            _ => 2,
        };
        counts[i] += t.choices;
    }
    counts
}

/// The DPO's statistics figures; `None` for the other roles.
pub(crate) async fn figures(state: &AppState, staff: &Staff) -> Result<Option<Figures>, ApiError> {
    if !staff.may(state, Permission::ReadStatistics) {
        return Ok(None);
    }
    let (report, made_at) =
        crate::statistics::dashboard_report(state, &staff.principal, "dashboard").await?;
    let mut purposes: Vec<&str> = report.consents.iter().map(|c| c.purpose.as_str()).collect();
    purposes.sort_unstable();
    purposes.dedup();
    let consents = purposes
        .into_iter()
        .map(|p| ConsentChart {
            purpose: p.to_owned(),
            query: super::percent_encode(p),
            weeks: week_series(&report, p),
        })
        .collect();
    let counts = banner_counts(&report);
    let total: i64 = counts.iter().sum();
    let percent = if total == 0 {
        0
    } else {
        counts[0] * 100 / total
    };
    Ok(Some(Figures {
        made_at: made_at.map(|at| {
            staff.texts.args(
                "console-dashboard-figures-as-of",
                &[("at", staff.texts.instant(at).into())],
            )
        }),
        consents,
        banner: BannerRate { percent, counts },
    }))
}

/// Failed messages listed on the dashboard; the rest are counted.
const OUTBOX_FAILURES_SHOWN: u32 = 5;

/// A message delivery gave up on: metadata only (no content, no recipient).
pub(crate) struct FailedMessage {
    pub channel: String,
    /// None for a letter about no request (a breach notice).
    pub request_id: Option<String>,
    pub attempts: i64,
    pub error: String,
    pub at: String,
    pub at_iso: String,
}

pub(crate) struct OutboxFailures {
    pub total: u64,
    pub latest: Vec<FailedMessage>,
}

/// Outbox failures for the roles that handle requests (the permission that guards a
/// request's deliveries), through `Rights::outbox_failures`; `None` for the others.
pub(crate) async fn outbox_failures(
    state: &AppState,
    staff: &Staff,
) -> Result<Option<OutboxFailures>, ApiError> {
    if !staff.may(state, Permission::HandleRequests) {
        return Ok(None);
    }
    let failures = state
        .rights
        .outbox_failures(&staff.principal, OUTBOX_FAILURES_SHOWN)
        .await?;
    let latest = failures
        .latest
        .into_iter()
        .map(|f| FailedMessage {
            channel: f.channel,
            request_id: f.request_id,
            attempts: f.attempts,
            error: f.last_error.unwrap_or_default(),
            at: staff.texts.instant(f.failed_at),
            at_iso: f
                .failed_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        })
        .collect();
    Ok(Some(OutboxFailures {
        total: failures.total,
        latest,
    }))
}

fn svg(drawn: Result<String, crate::charts::ChartError>) -> Response {
    match drawn {
        Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

fn counts(values: impl Iterator<Item = i64>) -> Vec<u64> {
    values.map(|n| u64::try_from(n).unwrap_or(0)).collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct ChartQuery {
    purpose: String,
}

/// One purpose's consents per week as stacked bars (DPO).
pub(crate) async fn consent_chart(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ChartQuery>,
) -> Result<Response, PageError> {
    let frame = staff.frame(&state, "/console", staff.texts.t("console-nav-dashboard"));
    let report = match crate::statistics::dashboard_report(
        &state,
        &staff.principal,
        "dashboard chart",
    )
    .await
    {
        Ok((r, _)) => r,
        Err(e) => return Err(frame.fail(e)),
    };
    let weeks = week_series(&report, &q.purpose);
    let series: Vec<Vec<u64>> = (0..STATES.len())
        .map(|s| counts(weeks.iter().map(|w| w.counts[s])))
        .collect();
    Ok(svg(crate::charts::stacked_bars(&series)))
}

/// The banner's choices as one proportion bar (DPO).
pub(crate) async fn banner_chart(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    let frame = staff.frame(&state, "/console", staff.texts.t("console-nav-dashboard"));
    let report = match crate::statistics::dashboard_report(
        &state,
        &staff.principal,
        "dashboard chart",
    )
    .await
    {
        Ok((r, _)) => r,
        Err(e) => return Err(frame.fail(e)),
    };
    let parts = counts(banner_counts(&report).into_iter());
    Ok(svg(crate::charts::proportion_bar(&parts)))
}
