//! The caller's own second factor and sessions, and an admin's view of any
//! account's sessions. Every handler calls `custodia_core::second_factor` (through
//! `Staff`), which audits.

use crate::auth::{Caller, SESSION_COOKIE, cookie};
use crate::json::{JsonBody, Path};
use crate::wire::staff_auth as w;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

/// Starts enrolling a second factor (TOTP) for the signed-in account: the secret
/// is shown once, and the factor stays pending until confirmed with a code.
#[utoipa::path(post, operation_id = "enrol_second_factor", path = "/v1/account/second-factor", tag = "staff",
    responses((status = 201, body = w::Enrolment), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn enrol(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<(StatusCode, Json<w::Enrolment>), ApiError> {
    let enrolment = state.staff.enrol_second_factor(&who).await?;
    Ok((StatusCode::CREATED, Json(enrolment.into())))
}

/// Confirms the pending second factor with a code from the app; answers the ten
/// recovery codes, shown once.
#[utoipa::path(post, operation_id = "confirm_second_factor", path = "/v1/account/second-factor/confirm", tag = "staff",
    request_body = w::CodeBody,
    responses((status = 200, body = w::RecoveryCodes), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn confirm(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<w::CodeBody>,
) -> Result<Json<w::RecoveryCodes>, ApiError> {
    let codes = state.staff.confirm_second_factor(&who, &body.code).await?;
    Ok(Json(codes.into()))
}

/// Removes the signed-in account's second factor; needs a current code from the app.
#[utoipa::path(delete, operation_id = "disable_second_factor", path = "/v1/account/second-factor", tag = "staff",
    request_body = w::CodeBody,
    responses((status = 204, description = "Removed"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn disable(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<w::CodeBody>,
) -> Result<StatusCode, ApiError> {
    state
        .staff
        .disable_second_factor(&who, None, Some(&body.code))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the unused recovery codes with ten new ones (a current code from the
/// app required); shown once.
#[utoipa::path(post, operation_id = "regenerate_recovery_codes", path = "/v1/account/recovery-codes", tag = "staff",
    request_body = w::CodeBody,
    responses((status = 200, body = w::RecoveryCodes), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn recovery_codes(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<w::CodeBody>,
) -> Result<Json<w::RecoveryCodes>, ApiError> {
    let codes = state
        .staff
        .regenerate_recovery_codes(&who, &body.code)
        .await?;
    Ok(Json(codes.into()))
}

/// The signed-in account's live sessions, the current one marked.
#[utoipa::path(get, operation_id = "my_sessions", path = "/v1/account/sessions", tag = "staff",
    responses((status = 200, body = w::SessionList), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn my_sessions(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
) -> Result<Json<w::SessionList>, ApiError> {
    let token = cookie(&headers, SESSION_COOKIE);
    Ok(Json(state.staff.my_sessions(&who, token).await?.into()))
}

/// Ends every session of the signed-in account but the current one.
#[utoipa::path(delete, operation_id = "revoke_my_other_sessions", path = "/v1/account/sessions", tag = "staff",
    responses((status = 200, body = w::Revoked), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn revoke_others(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
) -> Result<Json<w::Revoked>, ApiError> {
    let token = cookie(&headers, SESSION_COOKIE);
    let count = state.staff.revoke_my_sessions(&who, None, token).await?;
    Ok(Json(count.into()))
}

/// Ends one of the signed-in account's sessions (its cookie stops working at once).
#[utoipa::path(delete, operation_id = "revoke_my_session", path = "/v1/account/sessions/{id}", tag = "staff",
    params(("id" = String, Path)),
    responses((status = 204, description = "Ended"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("session" = [])))]
pub async fn revoke_mine(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let token = cookie(&headers, SESSION_COOKIE);
    state
        .staff
        .revoke_my_sessions(&who, Some(&id), token)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An account's live sessions (admin).
#[utoipa::path(get, operation_id = "user_sessions", path = "/v1/staff/users/{id}/sessions", tag = "staff",
    params(("id" = String, Path)),
    responses((status = 200, body = w::SessionList), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn user_sessions(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<w::SessionList>, ApiError> {
    Ok(Json(state.staff.user_sessions(&who, &id).await?.into()))
}

/// Ends every session of an account (admin).
#[utoipa::path(delete, operation_id = "revoke_user_sessions", path = "/v1/staff/users/{id}/sessions", tag = "staff",
    params(("id" = String, Path)),
    responses((status = 204, description = "Ended"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn revoke_user_sessions(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.staff.revoke_user_sessions(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an account's second factor (admin), e.g. for someone who lost both the
/// app and the recovery codes; the account enrols again at its next sign-in.
#[utoipa::path(delete, operation_id = "remove_user_second_factor", path = "/v1/staff/users/{id}/second-factor", tag = "staff",
    params(("id" = String, Path)),
    responses((status = 204, description = "Removed"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn remove_user_second_factor(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .staff
        .disable_second_factor(&who, Some(&id), None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
