//! Retention for the DPO: what falls due in a window, a sweep on demand, and legal
//! holds. The scheduled sweep runs in the server too (see `custodia serve`).

use crate::auth::Caller;
use crate::json::JsonBody;
use crate::json::{Path, Query};
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodia_core::access::{Permission, Principal};
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_core::retention::sweep::{DEFAULT_PAGE, NewHold, RetentionError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Most steps one plan request lists.
const MAX_PLAN_LIMIT: usize = 10_000;

impl From<RetentionError> for ApiError {
    fn from(e: RetentionError) -> Self {
        match e {
            RetentionError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            RetentionError::HoldNotFound => ApiError::NotFound(e.to_string()),
            RetentionError::HoldReleased | RetentionError::Busy => {
                ApiError::Conflict(e.to_string())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub(crate) async fn require(
    state: &AppState,
    who: &Principal,
    action: AuditAction,
) -> Result<(), ApiError> {
    Ok(state
        .vault
        .require(who, Permission::ManageRetention, action, None)
        .await?)
}

/// The steps due in `[from, to)`, the listing audited (the API's plan and the
/// console's dashboard), for a caller that passed [`require`].
pub(crate) async fn plan_window(
    state: &AppState,
    who: &Principal,
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: usize,
) -> Result<(Vec<custodia_core::retention::sweep::PlannedStep>, bool), ApiError> {
    let (steps, truncated) = state.retention.plan(from, to, limit).await?;
    audit_plan(state, who, steps.len()).await?;
    Ok((steps, truncated))
}

/// The plan for a console page: the one kept in memory when it holds the window
/// (with the instant it was made), else planned live; audited as [`plan_window`].
pub(crate) async fn console_plan(
    state: &AppState,
    who: &Principal,
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: usize,
) -> Result<
    (
        Vec<custodia_core::retention::sweep::PlannedStep>,
        bool,
        Option<OffsetDateTime>,
    ),
    ApiError,
> {
    match state.outlook.planned(from, to, limit) {
        Some(kept) => {
            audit_plan(state, who, kept.steps.len()).await?;
            Ok((kept.steps, kept.truncated, Some(kept.planned_at)))
        }
        None => {
            let (steps, truncated) = plan_window(state, who, from, to, limit).await?;
            Ok((steps, truncated, None))
        }
    }
}

async fn audit_plan(state: &AppState, who: &Principal, listed: usize) -> Result<(), ApiError> {
    state
        .vault
        .record(
            AuditRecord::new(state.clock.now(), &who.id, AuditAction::RetentionPlan, "ok")
                .detail(format!("{listed} steps listed")),
        )
        .await?;
    Ok(())
}

/// Where each category of one subject stands in its retention (the subject's page
/// in the console), for a caller that passed [`require`]; audited as a plan read
/// naming the subject.
pub(crate) async fn subject_retention(
    state: &AppState,
    who: &Principal,
    subject_id: &str,
) -> Result<Vec<custodia_core::retention::sweep::CategoryRetention>, ApiError> {
    let now = state.clock.now();
    let outlook = state.retention.subject_retention(subject_id, now).await?;
    state
        .vault
        .record(
            AuditRecord::new(now, &who.id, AuditAction::RetentionPlan, "ok")
                .subject(subject_id)
                .detail(format!("retention of {} categories", outlook.len())),
        )
        .await?;
    Ok(outlook)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// From this instant (RFC 3339), inclusive; default now.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    from: Option<OffsetDateTime>,
    /// Until this instant (RFC 3339), exclusive; default 30 days after `from`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    to: Option<OffsetDateTime>,
    /// At most this many steps (default 1000, at most 10000).
    limit: Option<usize>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Plan {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    to: OffsetDateTime,
    /// Steps by time: archive, delete or anonymise, per subject and rule.
    steps: Vec<wire::PlannedStep>,
    /// True when more steps fall due in the window than `limit`.
    truncated: bool,
}

/// What retention will do in a time window (steps due before `from` and not yet
/// done are listed by the next sweep's dry run, not here).
#[utoipa::path(get, operation_id = "retention_plan", path = "/v1/retention/plan", tag = "retention", params(PlanQuery),
    responses((status = 200, body = Plan), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn plan(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<PlanQuery>,
) -> Result<Json<Plan>, ApiError> {
    require(&state, &who, AuditAction::RetentionPlan).await?;
    let from = q.from.unwrap_or_else(|| state.clock.now());
    let to = q.to.unwrap_or(from + time::Duration::days(30));
    let limit = q.limit.unwrap_or(1000);
    if limit == 0 || limit > MAX_PLAN_LIMIT {
        return Err(ApiError::Unprocessable(
            "limit: between 1 and 10000".to_owned(),
        ));
    }
    let (steps, truncated) = plan_window(&state, &who, from, to, limit).await?;
    Ok(Json(Plan {
        from,
        to,
        steps: wire::all(steps)?,
        truncated,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Required: `true` only reports what would be done, `false` erases for real
    /// (an empty body must not destroy data).
    #[schema(required = true)]
    dry_run: Option<bool>,
}

/// Runs a retention sweep now (or a dry run) and returns its report by rule.
#[utoipa::path(post, operation_id = "run_retention", path = "/v1/retention/run", tag = "retention", request_body = RunRequest,
    responses((status = 200, body = wire::SweepReport), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn run(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<RunRequest>,
) -> Result<Json<wire::SweepReport>, ApiError> {
    require(&state, &who, AuditAction::RetentionRun).await?;
    let dry_run = body.dry_run.ok_or_else(|| {
        ApiError::BadRequest(
            "dry_run: required; true reports what a sweep would do, false carries it out"
                .to_owned(),
        )
    })?;
    let report = state
        .retention
        .sweep(state.clock.now(), dry_run, DEFAULT_PAGE, &|_| {})
        .await?;
    state
        .vault
        .record(
            AuditRecord::new(state.clock.now(), &who.id, AuditAction::RetentionRun, "ok").detail(
                format!(
                    "{}: {} subjects erased, {} reduced",
                    if dry_run { "dry run" } else { "sweep" },
                    report.subjects_erased,
                    report.subjects_reduced
                ),
            ),
        )
        .await?;
    Ok(Json(report.into()))
}

/// Every legal hold, released ones included.
#[utoipa::path(get, operation_id = "list_legal_holds", path = "/v1/retention/holds", tag = "retention",
    responses((status = 200, body = [wire::LegalHold]), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list_holds(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<wire::LegalHold>>, ApiError> {
    let holds = holds_listed(&state, &who).await?;
    Ok(Json(holds.into_iter().map(Into::into).collect()))
}

/// Every legal hold, for the DPO, the listing audited (the API and the console).
pub(crate) async fn holds_listed(
    state: &AppState,
    who: &Principal,
) -> Result<Vec<custodia_core::retention::sweep::LegalHold>, ApiError> {
    require(state, who, AuditAction::RetentionHolds).await?;
    let holds = state.retention.holds().await?;
    state
        .vault
        .record(
            AuditRecord::new(
                state.clock.now(),
                who.id.as_str(),
                AuditAction::RetentionHolds,
                "ok",
            )
            .detail(format!("{} holds listed", holds.len())),
        )
        .await?;
    Ok(holds)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rule_id": "customers", "reason": "case 2026-041 before the commercial court"}))]
pub struct HoldRequest {
    /// The subject whose data must be kept.
    subject_id: Option<String>,
    /// The retention rule to suspend (for every subject, or only `subject_id`).
    rule_id: Option<String>,
    /// Why: a case reference, a litigation (not personal data).
    reason: String,
}

/// Places a legal hold: retention deletes nothing it covers until it is released.
#[utoipa::path(post, operation_id = "place_legal_hold", path = "/v1/retention/holds", tag = "retention", request_body = HoldRequest,
    responses((status = 201, body = wire::LegalHold), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn place_hold(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<HoldRequest>,
) -> Result<(StatusCode, Json<wire::LegalHold>), ApiError> {
    require(&state, &who, AuditAction::RetentionHold).await?;
    let hold = state
        .retention
        .place_hold(
            &who,
            NewHold {
                subject_id: body.subject_id,
                rule_id: body.rule_id,
                reason: body.reason,
            },
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(hold.into())))
}

/// Releases a legal hold; the next sweep carries out what it suspended.
#[utoipa::path(delete, operation_id = "release_legal_hold", path = "/v1/retention/holds/{id}", tag = "retention", params(("id" = String, Path)),
    responses((status = 200, body = wire::LegalHold), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn release_hold(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<wire::LegalHold>, ApiError> {
    require(&state, &who, AuditAction::RetentionHoldRelease).await?;
    let hold = state
        .retention
        .release_hold(&who, &id, state.clock.now())
        .await?;
    Ok(Json(hold.into()))
}
