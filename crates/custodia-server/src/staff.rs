//! Staff accounts, API keys and the access review, for the admin (and the DPO for
//! the review). The same `custodia_core::staff::Staff` calls as the CLI and the
//! console; every change is audited there, every refusal by `Vault::require`.

use crate::auth::Caller;
use crate::json::{JsonBody, Path};
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodia_core::access::{Permission, Principal};
use custodia_core::audit::{AuditAction, AuditRecord};
use serde::Deserialize;

pub(crate) async fn require(
    state: &AppState,
    who: &Principal,
    permission: Permission,
    action: AuditAction,
) -> Result<(), ApiError> {
    Ok(state.vault.require(who, permission, action, None).await?)
}

/// Audits a listing (staff e-mails are personal data of the staff).
pub(crate) async fn listed(
    state: &AppState,
    who: &Principal,
    action: AuditAction,
    what: String,
) -> Result<(), ApiError> {
    state
        .vault
        .record(AuditRecord::new(state.clock.now(), &who.id, action, "ok").detail(what))
        .await?;
    Ok(())
}

/// Every staff account, by e-mail.
#[utoipa::path(get, operation_id = "list_staff_users", path = "/v1/staff/users", tag = "staff",
    responses((status = 200, body = [wire::StaffUser]), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<wire::StaffUser>>, ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::StaffList,
    )
    .await?;
    let users = state.staff.users().await?;
    listed(
        &state,
        &who,
        AuditAction::StaffList,
        format!("{} accounts listed", users.len()),
    )
    .await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "dpo@example.org", "role": "dpo"}))]
pub struct NewUserRequest {
    email: String,
    /// `admin`, `dpo`, `auditor` or an internal recipient of the register.
    role: String,
    /// A passphrase strong enough for staff; omitted, one is generated and returned once.
    password: Option<String>,
}

/// Adds a staff account (an arrival); a generated password is returned once.
#[utoipa::path(post, operation_id = "add_staff_user", path = "/v1/staff/users", tag = "staff", request_body = NewUserRequest,
    responses((status = 201, body = wire::NewStaffUser), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn add_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<NewUserRequest>,
) -> Result<(StatusCode, Json<wire::NewStaffUser>), ApiError> {
    require(&state, &who, Permission::ManageStaff, AuditAction::StaffAdd).await?;
    let (user, password) = state
        .staff
        .add_user(&who.id, &body.email, &body.role, body.password)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(wire::NewStaffUser::new(user, password)),
    ))
}

/// Disables an account (a departure): it can no longer sign in and its sessions end.
#[utoipa::path(post, operation_id = "disable_staff_user", path = "/v1/staff/users/{id}/disable", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = wire::StaffUser), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn disable_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<wire::StaffUser>, ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::StaffDisable,
    )
    .await?;
    let user = state.staff.set_disabled_by_id(&who.id, &id, true).await?;
    Ok(Json(user.into()))
}

/// Enables a disabled account again.
#[utoipa::path(post, operation_id = "enable_staff_user", path = "/v1/staff/users/{id}/enable", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = wire::StaffUser), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn enable_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<wire::StaffUser>, ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::StaffEnable,
    )
    .await?;
    let user = state.staff.set_disabled_by_id(&who.id, &id, false).await?;
    Ok(Json(user.into()))
}

/// Every API key, by creation (never their secrets).
#[utoipa::path(get, operation_id = "list_api_keys", path = "/v1/staff/api-keys", tag = "staff",
    responses((status = 200, body = [wire::ApiKey]), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list_keys(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<wire::ApiKey>>, ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::StaffList,
    )
    .await?;
    let keys = state.staff.api_keys().await?;
    listed(
        &state,
        &who,
        AuditAction::StaffList,
        format!("{} API keys listed", keys.len()),
    )
    .await?;
    Ok(Json(keys.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "shop backend", "role": "support"}))]
pub struct NewKeyRequest {
    /// What uses the key (1 to 100 characters).
    name: String,
    role: String,
}

/// Creates an API key; its secret is in this answer only.
#[utoipa::path(post, operation_id = "create_api_key", path = "/v1/staff/api-keys", tag = "staff", request_body = NewKeyRequest,
    responses((status = 201, body = wire::NewApiKey), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create_key(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<NewKeyRequest>,
) -> Result<(StatusCode, Json<wire::NewApiKey>), ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::ApiKeyCreate,
    )
    .await?;
    let (key, api_key) = state
        .staff
        .create_api_key(&who.id, &body.name, &body.role)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(wire::NewApiKey::new(key, api_key)),
    ))
}

/// Revokes an API key: it stops working within seconds on every instance.
#[utoipa::path(delete, operation_id = "revoke_api_key", path = "/v1/staff/api-keys/{id}", tag = "staff", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn revoke_key(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require(
        &state,
        &who,
        Permission::ManageStaff,
        AuditAction::ApiKeyRevoke,
    )
    .await?;
    state.staff.revoke_api_key(&who.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every account and key with role, creation, last sign-in or use, flags for those
/// unused for `[staff] unused_after_days`, the reviews recorded and the next one's
/// due date.
#[utoipa::path(get, operation_id = "access_review", path = "/v1/access-review", tag = "staff",
    responses((status = 200, body = wire::AccessReviewReport), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn access_review(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<wire::AccessReviewReport>, ApiError> {
    require(
        &state,
        &who,
        Permission::ReviewAccess,
        AuditAction::AccessReviewRead,
    )
    .await?;
    let report = state.staff.access_report().await?;
    listed(
        &state,
        &who,
        AuditAction::AccessReviewRead,
        format!(
            "{} accounts, {} API keys",
            report.users.len(),
            report.api_keys.len()
        ),
    )
    .await?;
    Ok(Json(report.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notes": "Q3 review: disabled 2 departed accounts, revoked the old CRM key"}))]
pub struct ReviewRequest {
    /// What the review found and changed (accounts disabled, keys revoked).
    notes: String,
}

/// Records a periodic access review by the caller; the next is due a review
/// interval later.
#[utoipa::path(post, operation_id = "record_access_review", path = "/v1/access-review", tag = "staff", request_body = ReviewRequest,
    responses((status = 201, body = wire::AccessReview), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn record_review(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<ReviewRequest>,
) -> Result<(StatusCode, Json<wire::AccessReview>), ApiError> {
    require(
        &state,
        &who,
        Permission::ReviewAccess,
        AuditAction::AccessReviewRecord,
    )
    .await?;
    let review = state.staff.record_review(&who, &body.notes).await?;
    Ok((StatusCode::CREATED, Json(review.into())))
}
