//! The breach register (Art. 33/34) for staff: record a breach, update it, record the
//! authority and people decisions, read it with its 72-hour clock, export its
//! timeline. Admin and DPO record; the auditor reads.

use crate::auth::Caller;
use crate::json::{JsonBody, Path, Query};
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use custodia_core::breach::{AuthorityDecision, BreachError, PeopleDecision, timeline_csv};
use serde::Deserialize;

impl From<BreachError> for ApiError {
    fn from(e: BreachError) -> Self {
        match e {
            BreachError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            BreachError::NotFound => ApiError::NotFound(e.to_string()),
            BreachError::Conflict(m) => ApiError::Conflict(m),
            BreachError::Vault(v) => v.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Every breach, open ones first (soonest deadline first), each with its deadline,
/// hours left and whether it is overdue.
#[utoipa::path(get, operation_id = "list_breaches", path = "/v1/breaches", tag = "breaches",
    responses((status = 200, body = [wire::Breach]), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<wire::Breach>>, ApiError> {
    let all = state.breaches.list(&who).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// Records a breach in the register; its clock starts at `aware_at`.
#[utoipa::path(post, operation_id = "record_breach", path = "/v1/breaches", tag = "breaches",
    request_body = wire::NewBreach,
    responses((status = 201, body = wire::Breach), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn record(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<wire::NewBreach>,
) -> Result<(StatusCode, Json<wire::Breach>), ApiError> {
    let breach = state.breaches.record(&who, body.into()).await?;
    Ok((StatusCode::CREATED, Json(breach.into())))
}

/// One breach with its clock.
#[utoipa::path(get, operation_id = "get_breach", path = "/v1/breaches/{id}", tag = "breaches",
    params(("id" = String, Path)),
    responses((status = 200, body = wire::Breach), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<wire::Breach>, ApiError> {
    Ok(Json(state.breaches.get(&who, &id).await?.into()))
}

/// Updates what was recorded (phased information), or closes or reopens the breach.
#[utoipa::path(patch, operation_id = "update_breach", path = "/v1/breaches/{id}", tag = "breaches",
    params(("id" = String, Path)), request_body = wire::BreachChange,
    responses((status = 200, body = wire::Breach), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<wire::BreachChange>,
) -> Result<Json<wire::Breach>, ApiError> {
    Ok(Json(
        state.breaches.update(&who, &id, body.into()).await?.into(),
    ))
}

fn required<T>(value: Option<T>, field: &str, what: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::Unprocessable(format!("{field}: required: {what}")))
}

/// Records the decision about the supervisory authority (Art. 33): notified, with
/// its reference, or not, with the reason. Stops the clock.
#[utoipa::path(post, operation_id = "decide_breach_authority", path = "/v1/breaches/{id}/authority", tag = "breaches",
    params(("id" = String, Path)), request_body = wire::AuthorityDecisionRequest,
    responses((status = 200, body = wire::Breach), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn authority(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<wire::AuthorityDecisionRequest>,
) -> Result<Json<wire::Breach>, ApiError> {
    let decision = if required(body.notified, "notified", "true or false")? {
        AuthorityDecision::Notified {
            reference: required(body.reference, "reference", "the authority's reference")?,
            at: body.notified_at,
            late_reason: body.late_reason,
        }
    } else {
        AuthorityDecision::NotNotified {
            reason: required(body.reason, "reason", "why the authority is not notified")?,
        }
    };
    Ok(Json(
        state
            .breaches
            .decide_authority(&who, &id, decision)
            .await?
            .into(),
    ))
}

/// Records the decision about the people concerned (Art. 34): told, how and when
/// (by e-mail, a letter is queued to each affected subject), or not, with the reason.
#[utoipa::path(post, operation_id = "decide_breach_people", path = "/v1/breaches/{id}/people", tag = "breaches",
    params(("id" = String, Path)), request_body = wire::PeopleDecisionRequest,
    responses((status = 200, body = wire::Breach), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn people(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<wire::PeopleDecisionRequest>,
) -> Result<Json<wire::Breach>, ApiError> {
    let decision = if required(body.inform, "inform", "true or false")? {
        PeopleDecision::Inform {
            channel: required(body.channel, "channel", "how the people are told")?,
            at: body.informed_at,
        }
    } else {
        PeopleDecision::DoNotInform {
            reason: required(body.reason, "reason", "why the people are not told")?,
            explanation: required(body.explanation, "explanation", "why the reason applies")?,
        }
    };
    Ok(Json(
        state
            .breaches
            .decide_people(&who, &id, decision)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// The breach's timeline, every event oldest first, as JSON or CSV
/// (`seq,at,principal,event,detail`).
#[utoipa::path(get, operation_id = "breach_timeline", path = "/v1/breaches/{id}/timeline", tag = "breaches",
    params(("id" = String, Path), TimelineQuery),
    responses((status = 200, description = "The timeline as JSON or CSV",
               content(([wire::BreachEvent] = "application/json"), (String = "text/csv"))),
              (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn timeline(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> Result<Response, ApiError> {
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::Unprocessable(
                "format: use json or csv".to_owned(),
            ));
        }
    };
    let events = state.breaches.timeline(&who, &id).await?;
    if csv {
        let disposition = format!("attachment; filename=\"breach-{id}-timeline.csv\"");
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            timeline_csv(&events),
        )
            .into_response());
    }
    let events: Vec<wire::BreachEvent> = events.into_iter().map(Into::into).collect();
    Ok(Json(events).into_response())
}
