//! Subjects in the vault. Every route needs credentials and a role that may handle
//! the categories concerned; every answer is audited before it leaves.

use crate::auth::Caller;
use crate::json::JsonBody;
use crate::json::{Path, Query};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodia_core::access::Principal;
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_core::vault::NewSubject;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "customer", "data": {"user.contact.email": "ada@example.com", "user.name.first": "Ada", "user.name.last": "Lovelace"}}))]
pub struct CreateSubject {
    /// A subject kind of the register (`prospect`, `customer`...).
    kind: String,
    /// Category id of the register -> value.
    #[schema(value_type = Object)]
    data: Map<String, Value>,
    /// ISO country whose age of digital consent applies; default the controller's.
    jurisdiction: Option<String>,
    /// Age the person declared, when no birth date is given.
    declared_age: Option<u8>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    id: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurposeQuery {
    /// The register purpose this access serves (recorded in the audit log).
    purpose: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    email: Option<String>,
    phone: Option<String>,
    login: Option<String>,
    /// The register purpose this access serves.
    purpose: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubjectList {
    subjects: Vec<crate::wire::Subject>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "customer", "data": {"user.name.last": "King"}}))]
pub struct UpdateSubject {
    /// New subject kind (a prospect becomes a customer).
    kind: Option<String>,
    /// Category id -> new value; `null` removes the field.
    #[serde(default)]
    #[schema(value_type = Object)]
    data: Map<String, Value>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event": "last_contact", "at": "2026-03-01T09:30:00Z"}))]
pub struct NewEvent {
    /// `collected`, `last_contact`, `account_opened`, `account_closed`, `last_connection`,
    /// `transaction`, `invoice`, `identity_verified`... or a custom event of the register.
    event: String,
    /// When it happened (RFC 3339); default now.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    at: Option<OffsetDateTime>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"recipient": "stripe", "categories": ["user.contact.email"], "purpose": "payments"}))]
pub struct NewDisclosure {
    /// An external recipient of the register.
    recipient: String,
    categories: Vec<String>,
    purpose: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    at: Option<OffsetDateTime>,
}

/// The longest id a route takes (subject ids are 36-character UUIDs).
const MAX_ID_CHARS: usize = 128;

/// Refuses an id holding a control character (a NUL cannot be stored, not even in the
/// audit entry of the refusal) or too long for an id: 400, audited as `invalid`
/// under `action`, without the value.
pub(crate) async fn check_id(
    state: &AppState,
    who: &Principal,
    action: AuditAction,
    field: &str,
    id: &str,
) -> Result<(), ApiError> {
    let problem = if id.chars().any(char::is_control) {
        "contains a control character"
    } else if id.chars().count() > MAX_ID_CHARS {
        "is longer than 128 characters"
    } else {
        return Ok(());
    };
    state
        .vault
        .record(
            AuditRecord::new(state.vault.now(), &who.id, action, "invalid")
                .detail(format!("{field} {problem}")),
        )
        .await?;
    Err(ApiError::BadRequest(format!("{field}: {problem}")))
}

/// Creates a subject; every field is sealed with a new data key of its own.
#[utoipa::path(post, path = "/v1/subjects", tag = "subjects", request_body = CreateSubject, params(PurposeQuery),
    responses((status = 201, body = Created), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create_subject(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<PurposeQuery>,
    JsonBody(body): JsonBody<CreateSubject>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state
        .vault
        .create(
            &who,
            NewSubject {
                kind: body.kind,
                data: body.data,
                jurisdiction: body.jurisdiction,
                declared_age: body.declared_age,
            },
            q.purpose.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Reads a subject: only the categories the caller's role may see.
#[utoipa::path(get, path = "/v1/subjects/{id}", tag = "subjects", params(("id" = String, Path), PurposeQuery),
    responses((status = 200, body = crate::wire::Subject), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 410, description = "Erased", body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get_subject(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
) -> Result<Json<crate::wire::Subject>, ApiError> {
    check_id(&state, &who, AuditAction::SubjectRead, "id", &id).await?;
    let view = state.vault.get(&who, &id, q.purpose.as_deref()).await?;
    Ok(Json(view.try_into()?))
}

/// Finds subjects by e-mail, phone or login through their blind indexes.
#[utoipa::path(get, path = "/v1/subjects", tag = "subjects", params(LookupQuery),
    responses((status = 200, body = SubjectList), (status = 400, body = crate::error::Problem),
              (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn lookup_subjects(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<LookupQuery>,
) -> Result<Json<SubjectList>, ApiError> {
    let (kind, value) = match (&q.email, &q.phone, &q.login) {
        (Some(v), None, None) => ("email", v),
        (None, Some(v), None) => ("phone", v),
        (None, None, Some(v)) => ("login", v),
        _ => {
            return Err(ApiError::BadRequest(
                "query: give exactly one of email, phone, login".to_owned(),
            ));
        }
    };
    let subjects = state
        .vault
        .lookup(&who, kind, value, q.purpose.as_deref())
        .await?;
    Ok(Json(SubjectList {
        subjects: crate::wire::all(subjects)?,
    }))
}

/// Changes fields (`null` removes one) or the subject kind.
#[utoipa::path(patch, path = "/v1/subjects/{id}", tag = "subjects", request_body = UpdateSubject,
    params(("id" = String, Path), PurposeQuery),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn update_subject(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
    JsonBody(body): JsonBody<UpdateSubject>,
) -> Result<StatusCode, ApiError> {
    check_id(&state, &who, AuditAction::SubjectUpdate, "id", &id).await?;
    state
        .vault
        .update(&who, &id, body.kind, body.data, q.purpose.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a lifecycle event (retention clocks start from these).
#[utoipa::path(post, path = "/v1/subjects/{id}/events", tag = "subjects", request_body = NewEvent,
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn add_event(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewEvent>,
) -> Result<StatusCode, ApiError> {
    check_id(&state, &who, AuditAction::SubjectEvent, "id", &id).await?;
    state
        .vault
        .add_event(&who, &id, &body.event, body.at)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that the subject's data was handed to a recipient of the register.
#[utoipa::path(post, path = "/v1/subjects/{id}/disclosures", tag = "subjects", request_body = NewDisclosure,
    params(("id" = String, Path)),
    responses((status = 201, body = Created), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn add_disclosure(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewDisclosure>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    check_id(&state, &who, AuditAction::SubjectDisclosure, "id", &id).await?;
    let id = state
        .vault
        .record_disclosure(
            &who,
            &id,
            &body.recipient,
            body.categories,
            &body.purpose,
            body.at,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Records a parent's consent for a subject below the age of digital consent.
#[utoipa::path(post, path = "/v1/subjects/{id}/parental-consent", tag = "subjects",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn parental_consent(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    check_id(&state, &who, AuditAction::SubjectParentalConsent, "id", &id).await?;
    state.vault.record_parental_consent(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that a subject was found below the age of digital consent: consent-based
/// processing stops until a parent consents, and with `children.parental_consent_within`
/// in the register the subject is erased if no parent consents within that delay.
#[utoipa::path(post, path = "/v1/subjects/{id}/under-age", tag = "subjects",
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn under_age(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    check_id(&state, &who, AuditAction::SubjectUnderAge, "id", &id).await?;
    state.vault.flag_under_age(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Erases a subject by destroying its data key (crypto-shredding), then its rows.
#[utoipa::path(delete, path = "/v1/subjects/{id}", tag = "subjects", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 410, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn erase_subject(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    check_id(&state, &who, AuditAction::SubjectErase, "id", &id).await?;
    state.vault.erase(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
