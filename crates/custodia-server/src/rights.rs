//! Data-subject rights requests over the API: public intake and verification (rate
//! limited per IP), and the staff workflow (role `dpo` or a register handler).

use crate::auth::Caller;
use crate::client::ClientAddr;
use crate::json::JsonBody;
use crate::json::{Path, Query};
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use custodia_core::rights::{Completion, MAX_DOCUMENT_BYTES, RequestFilter, RightsError};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

impl From<RightsError> for ApiError {
    fn from(e: RightsError) -> Self {
        match e {
            RightsError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            RightsError::NotFound => ApiError::NotFound(e.to_string()),
            RightsError::Conflict(m) => ApiError::Conflict(m),
            RightsError::Forbidden(m) => ApiError::Forbidden(m),
            RightsError::TooManyRequests(m) => ApiError::TooManyRequests(m),
            RightsError::Vault(v) => v.into(),
            RightsError::Consent(c) => c.into(),
            RightsError::Dataset(_) => ApiError::Unavailable {
                detail: e.to_string(),
                retry_after: 60,
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Refuses a caller that sent too many public requests.
pub(crate) fn limit(state: &AppState, client: ClientAddr) -> Result<(), ApiError> {
    state.requests_limiter.admit(client.ip, "requests")
}

/// Largest request body on the ID document routes: the document itself (API), or
/// the document and the multipart framing around it (portal). Every other route
/// keeps the 1 MiB default.
pub(crate) const DOCUMENT_BODY_LIMIT: usize = MAX_DOCUMENT_BYTES + 64 * 1024;

/// The ID document routes, API and portal, with their own body limit.
pub(crate) fn document_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_document, read_document))
        .routes(routes!(
            crate::portal::document_page,
            crate::portal::document_upload
        ))
        .layer(DefaultBodyLimit::max(DOCUMENT_BODY_LIMIT))
}

/// A body that could not be read: too large (413, naming the limit) or broken.
pub(crate) fn body_error(status: &StatusCode, field: &str) -> ApiError {
    if *status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(format!(
            "{field}: send a file of at most {} MiB",
            MAX_DOCUMENT_BYTES >> 20
        ))
    } else {
        ApiError::BadRequest(format!("{field}: unreadable upload"))
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    id: String,
    /// `received` until the code e-mailed to the address is entered.
    status: wire::RequestStatus,
}

/// Takes a rights request (public). A code goes to the address; nothing happens
/// until it is entered (`/v1/requests/{id}/verify`), except for an opt-out of sale
/// or sharing, which needs no verification.
#[utoipa::path(post, operation_id = "submit_request", path = "/v1/requests", tag = "rights",
    request_body = wire::NewRequest,
    responses((status = 202, body = Submitted), (status = 422, body = crate::error::Problem),
              (status = 429, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    JsonBody(body): JsonBody<wire::NewRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    limit(&state, client)?;
    let id = state.rights.submit(body.into()).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Submitted {
            id,
            status: wire::RequestStatus::Received,
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    code: String,
}

/// The requester enters the code from the e-mail (public, limited attempts).
#[utoipa::path(post, operation_id = "verify_request", path = "/v1/requests/{id}/verify", tag = "rights",
    params(("id" = String, Path)), request_body = VerifyBody,
    responses((status = 204), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<VerifyBody>,
) -> Result<StatusCode, ApiError> {
    limit(&state, client)?;
    state.rights.verify(&id, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `received`, `awaiting_identity`, `verified`, `in_progress`, `extended`,
    /// `completed` or `refused`.
    #[param(value_type = Option<wire::RequestStatus>)]
    status: Option<String>,
    /// Only open requests past their deadline (with `due_soon`: either).
    #[serde(default)]
    overdue: bool,
    /// Only open requests due within the next seven days.
    #[serde(default)]
    due_soon: bool,
    /// Only requests not completed or refused.
    #[serde(default)]
    open: bool,
    /// Only requests for this right.
    #[param(value_type = Option<wire::RightKind>)]
    kind: Option<String>,
    /// Only requests assigned to this staff user (id).
    assignee: Option<String>,
    /// Requests skipped, in list order.
    #[serde(default)]
    offset: u64,
    /// Most requests returned, 1 to 1000; all when absent.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// Most requests one page of the list holds.
const MAX_LIST_LIMIT: u32 = 1_000;

/// Requests with their deadlines, soonest first.
#[utoipa::path(get, operation_id = "list_requests", path = "/v1/requests", tag = "rights", params(ListQuery),
    responses((status = 200, body = wire::RequestList), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    if q.limit.is_some_and(|l| l == 0 || l > MAX_LIST_LIMIT) {
        return Err(ApiError::Unprocessable(format!(
            "limit: between 1 and {MAX_LIST_LIMIT}"
        )));
    }
    let filter = RequestFilter {
        status: q.status,
        overdue: q.overdue,
        due_soon: q.due_soon,
        open: q.open,
        kind: q.kind,
        assignee: q.assignee,
        offset: q.offset,
        limit: q.limit,
    };
    let list = state.rights.list(&who, &filter).await?;
    let requests = wire::all(list.requests)?;
    Ok(Json(wire::RequestList {
        requests,
        total: list.total,
    })
    .into_response())
}

/// One request, with its history; reading it is audited.
#[utoipa::path(get, operation_id = "get_request", path = "/v1/requests/{id}", tag = "rights", params(("id" = String, Path)),
    responses((status = 200, body = wire::Request), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = wire::Request::try_from(state.rights.get(&who, &id).await?)?;
    Ok(Json(view).into_response())
}

/// The workflow steps, one body shape for all.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"action": "extend", "reason": "the request covers ten years of invoices"}))]
pub struct StepBody {
    /// `assign` (with `assignee`), `extend` (with `reason`), `refuse` (with
    /// `reasons`, and `justification` when manifestly unfounded or excessive),
    /// `doubt` (with `note`), `confirm_identity`, `complete`, `lift_restriction`.
    #[schema(value_type = wire::StepAction)]
    action: String,
    assignee: Option<String>,
    reason: Option<String>,
    reasons: Option<String>,
    justification: Option<String>,
    note: Option<String>,
}

/// Moves a request along its workflow; every step is audited and told to the
/// requester where the law asks for it. A handler completing a rectification that
/// names categories outside its role corrects only those its role reaches: 202 with
/// `applied` and `pending_for_dpo`, and the request stays open for the DPO.
#[utoipa::path(post, operation_id = "request_step", path = "/v1/requests/{id}/steps", tag = "rights",
    params(("id" = String, Path)), request_body = StepBody,
    responses((status = 204), (status = 202, body = wire::PartialCompletion, description = "completed in part: the rest is left for the DPO"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
              (status = 503, body = crate::error::Problem, description = "a dataset of the company's could not be reached, or its tool answers later: the request stays in progress and is retried on its own")),
    security(("api_key" = []), ("session" = [])))]
pub async fn step(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StepBody>,
) -> Result<Response, ApiError> {
    let r = &state.rights;
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let Some(action) = wire::StepAction::parse(&body.action) else {
        return Err(ApiError::Unprocessable(
            "action: expected assign, extend, refuse, doubt, confirm_identity, complete or lift_restriction"
                .to_owned(),
        ));
    };
    match action {
        wire::StepAction::Assign => r.assign(&who, &id, body.assignee.clone()).await?,
        wire::StepAction::Extend => r.extend(&who, &id, &text(&body.reason)).await?,
        wire::StepAction::Refuse => {
            r.refuse(
                &who,
                &id,
                &text(&body.reasons),
                body.justification.as_deref(),
            )
            .await?
        }
        wire::StepAction::Doubt => r.flag_doubt(&who, &id, &text(&body.note)).await?,
        wire::StepAction::ConfirmIdentity => r.confirm_identity(&who, &id).await?,
        wire::StepAction::Complete => match r.complete(&who, &id).await? {
            Completion::Completed => {}
            Completion::LeftForDpo {
                applied,
                pending_for_dpo,
            } => {
                let detail = "the categories in pending_for_dpo are outside your role's; \
                              the request stays open for the DPO, who completes it";
                return Ok((
                    StatusCode::ACCEPTED,
                    Json(wire::PartialCompletion {
                        status: wire::RequestStatus::InProgress,
                        applied,
                        pending_for_dpo,
                        detail,
                    }),
                )
                    .into_response());
            }
        },
        wire::StepAction::LiftRestriction => r.lift_restriction(&who, &id).await?,
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The requester's ID document, asked after a doubt (public: the request id is
/// the only handle, and only a request awaiting identity accepts one).
#[utoipa::path(put, operation_id = "upload_request_document", path = "/v1/requests/{id}/document", tag = "rights",
    params(("id" = String, Path)), request_body(description = "A scan or photo of an ID document", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
    responses((status = 204), (status = 409, body = crate::error::Problem),
              (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload_document(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    limit(&state, client)?;
    let bytes = bytes.map_err(|e| body_error(&e.status(), "document"))?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    state
        .rights
        .upload_document(&id, media_type, &bytes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A later answer of a tool over HTTP: the JSON it would have answered at once, with
/// the question's `answer_to` and `event` copied in (so the signature covers them).
/// Described for the contract only: the body is read raw, to check its signature.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DatasetAnswer {
    /// The URL the answer is posted to, as the question gave it.
    pub answer_to: String,
    /// `dataset.access`, `dataset.erase` or `dataset.rectify`.
    pub event: String,
    /// `dataset.access`: `[{name, rows: [{key, data}]}]`; `dataset.erase` and
    /// `dataset.rectify`: `[{name, rows_deleted, rows_updated, columns}]`.
    #[schema(value_type = Vec<Object>)]
    pub tables: Vec<serde_json::Value>,
}

/// A tool reached over HTTP that answered a question with `{"pending": true}`
/// posts its answer here (the question's `answer_to`), signed like the question
/// (`Custodia-Signature` with the connection's secret). The request then completes
/// on its own.
#[utoipa::path(post, operation_id = "answer_dataset_question",
    path = "/v1/requests/{id}/datasets/{dataset}/answer", tag = "rights",
    params(("id" = String, Path), ("dataset" = String, Path),
           ("Custodia-Signature" = String, Header, description = "t=UNIX,v1=HMAC-SHA256 hex of `t.body` with the connection's secret")),
    request_body = DatasetAnswer,
    responses((status = 204), (status = 403, body = crate::error::Problem, description = "the signature does not match"),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn answer_dataset_question(
    State(state): State<AppState>,
    Path((id, dataset)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let bytes = bytes.map_err(|e| body_error(&e.status(), "answer"))?;
    let signature = headers
        .get("custodia-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    state
        .rights
        .dataset_answer(&id, &dataset, signature, &bytes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The ID document, for staff to check; deleted once identity is confirmed.
#[utoipa::path(get, operation_id = "read_request_document", path = "/v1/requests/{id}/document", tag = "rights",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn read_document(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (media_type, bytes) = state.rights.document(&who, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Delivery state of the e-mails and Art. 19 notices a request caused.
#[utoipa::path(get, operation_id = "list_request_deliveries", path = "/v1/requests/{id}/deliveries", tag = "rights",
    params(("id" = String, Path)),
    responses((status = 200, body = wire::DeliveryList), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn deliveries(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let deliveries = wire::all(state.rights.deliveries(&who, &id).await?)?;
    Ok(Json(wire::DeliveryList { deliveries }).into_response())
}
