//! Aggregate statistics for the DPO: JSON for the dashboard's charts, CSV for the
//! export (cells under `[statistics] k_anonymity` people left empty).

use crate::auth::Caller;
use crate::json::Query;
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use custodia_core::access::{Permission, Principal};
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_core::statistics::{DEFAULT_WEEKS, Report, StatisticsError};
use serde::Deserialize;

impl From<StatisticsError> for ApiError {
    fn from(e: StatisticsError) -> Self {
        match e {
            StatisticsError::Weeks => ApiError::Unprocessable(e.to_string()),
            StatisticsError::Store(s) => ApiError::Internal(s.to_string()),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// ISO weeks back from this one, this one included (default 12, at most 104).
    weeks: Option<u32>,
}

pub(crate) async fn report(
    state: &AppState,
    who: &Principal,
    weeks: Option<u32>,
    form: &str,
) -> Result<Report, ApiError> {
    require_statistics(state, who).await?;
    let report = state
        .statistics
        .report(weeks.unwrap_or(DEFAULT_WEEKS))
        .await?;
    audit_read(state, who, form, report.weeks).await?;
    Ok(report)
}

/// The dashboard's report: the one kept in memory when there is one (with the
/// instant it was made), else made now; checked and audited as [`report`].
pub(crate) async fn dashboard_report(
    state: &AppState,
    who: &Principal,
    form: &str,
) -> Result<(std::sync::Arc<Report>, Option<time::OffsetDateTime>), ApiError> {
    match state.kept_statistics.get() {
        Some((made_at, kept)) => {
            require_statistics(state, who).await?;
            audit_read(state, who, form, kept.weeks).await?;
            Ok((kept, Some(made_at)))
        }
        None => {
            let made = report(state, who, Some(DEFAULT_WEEKS), form).await?;
            Ok((std::sync::Arc::new(made), None))
        }
    }
}

async fn require_statistics(state: &AppState, who: &Principal) -> Result<(), ApiError> {
    state
        .vault
        .require(
            who,
            Permission::ReadStatistics,
            AuditAction::StatisticsRead,
            None,
        )
        .await?;
    Ok(())
}

async fn audit_read(
    state: &AppState,
    who: &Principal,
    form: &str,
    weeks: u32,
) -> Result<(), ApiError> {
    state
        .vault
        .record(
            AuditRecord::new(
                state.clock.now(),
                &who.id,
                AuditAction::StatisticsRead,
                "ok",
            )
            .detail(format!("{form}, {weeks} weeks")),
        )
        .await?;
    Ok(())
}

/// Consents per purpose and ISO week, requests per right and month with the on-time
/// count, and retention outcomes, for the dashboard's charts.
#[utoipa::path(get, operation_id = "statistics", path = "/v1/statistics", tag = "statistics", params(StatisticsQuery),
    responses((status = 200, body = wire::Statistics), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn json(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<StatisticsQuery>,
) -> Result<Json<wire::Statistics>, ApiError> {
    Ok(Json(
        report(&state, &who, q.weeks, "json").await?.try_into()?,
    ))
}

/// The same statistics as CSV (`section,key,period,measure,value,suppressed`), every
/// count of fewer than k people left empty and marked `<k`.
#[utoipa::path(get, operation_id = "statistics_csv", path = "/v1/statistics.csv", tag = "statistics", params(StatisticsQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn csv(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<StatisticsQuery>,
) -> Result<Response, ApiError> {
    let report = report(&state, &who, q.weeks, "csv").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"custodia-statistics.csv\"",
            ),
        ],
        report.csv(),
    )
        .into_response())
}
