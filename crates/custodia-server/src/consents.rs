//! Consent records through the API, decisions, and proof exports. Every route needs
//! credentials and a role that handles personal data; reads of a subject's records
//! are audited. Decisions are answered from memory and are not audited one by one:
//! they reveal no personal data, only whether processing may go ahead.

use crate::auth::Caller;
use crate::json::JsonBody;
use crate::json::{Path, Query};
use crate::{ApiError, AppState, wire};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use custodia_core::access::{Permission, Principal};
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_core::consent::{ChoiceInput, History, Owner, Proof, Reason, Recorder};
use custodia_register::Lang;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most e-mails or subject ids in one batch decision.
pub const MAX_BATCH: usize = 10_000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceBody {
    purpose: String,
    /// A service of the purpose, when the choice is about that service alone.
    service: Option<String>,
    /// `given`, `refused` or `withdrawn` (the banner sends `given` or `refused`).
    #[schema(value_type = wire::ChoiceState)]
    state: String,
}

impl From<ChoiceBody> for ChoiceInput {
    fn from(c: ChoiceBody) -> ChoiceInput {
        ChoiceInput {
            purpose: c.purpose,
            service: c.service,
            state: c.state,
        }
    }
}

/// One choice (`purpose` and `state`) or several (`choices`), for a subject or a
/// banner visitor.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject_id": "0193a6c2-7d1e-7c3a-9f1e-2b4c6d8e0f12", "purpose": "newsletter", "state": "given", "method": "form", "lang": "en"}))]
pub struct NewConsents {
    subject_id: Option<String>,
    /// A visitor id issued by the banner.
    visitor_id: Option<String>,
    purpose: Option<String>,
    service: Option<String>,
    #[schema(value_type = Option<wire::ChoiceState>)]
    state: Option<String>,
    #[serde(default)]
    choices: Vec<ChoiceBody>,
    /// `form`, `api`, `unsubscribe` or `portal` (`banner` choices come from the
    /// banner itself).
    #[schema(value_type = wire::ConsentMethod)]
    method: String,
    /// SHA-256 (hex) of the text the person was shown; default: the purpose's text
    /// in the register.
    text_sha256: Option<String>,
    /// A language code: `en`, `fr`, `de`, `es` or `it`.
    lang: Option<String>,
    /// Where the person was, as the application saw it (ISO code).
    jurisdiction: Option<String>,
    /// The person's address as your application saw it; only its network is kept.
    #[schema(value_type = Option<String>)]
    ip: Option<std::net::IpAddr>,
    user_agent: Option<String>,
    #[serde(default)]
    gpc: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecordedConsents {
    records: Vec<wire::ConsentRecord>,
}

fn parse_lang(lang: Option<&str>) -> Result<Option<Lang>, ApiError> {
    lang.map(|code| {
        Lang::from_code(code)
            .ok_or_else(|| ApiError::Unprocessable(format!("lang: use one of {}", Lang::codes())))
    })
    .transpose()
}

fn owner(
    state: &AppState,
    subject: Option<String>,
    visitor: Option<String>,
) -> Result<Owner, ApiError> {
    match (subject, visitor) {
        (Some(s), None) => Ok(Owner::Subject(s)),
        (None, Some(v)) if state.tokens.is_visitor_id(&v) => Ok(Owner::Visitor(v)),
        (None, Some(_)) => Err(ApiError::Unprocessable(
            "visitor_id: not an id issued by this server's banner".to_owned(),
        )),
        _ => Err(ApiError::Unprocessable(
            "subject_id: give exactly one of subject_id and visitor_id".to_owned(),
        )),
    }
}

/// Records consents, refusals, withdrawals or objections; answers 201 once durable.
#[utoipa::path(post, operation_id = "record_consents", path = "/v1/consents", tag = "consent", request_body = NewConsents,
    responses((status = 201, body = RecordedConsents), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn record(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<NewConsents>,
) -> Result<(StatusCode, Json<RecordedConsents>), ApiError> {
    if let Some(id) = &body.subject_id {
        crate::subjects::check_id(&state, &who, AuditAction::ConsentRecord, "subject_id", id)
            .await?;
    }
    state
        .vault
        .require(
            &who,
            Permission::HandleSubjects,
            AuditAction::ConsentRecord,
            body.subject_id.as_deref(),
        )
        .await?;
    if body.method == "banner" {
        return Err(ApiError::Unprocessable(
            "method: banner choices are posted by the banner to /v1/banner/consents".to_owned(),
        ));
    }
    let mut choices: Vec<ChoiceInput> = body.choices.into_iter().map(Into::into).collect();
    match (body.purpose, body.state) {
        (Some(purpose), Some(choice_state)) if choices.is_empty() => choices.push(ChoiceInput {
            purpose,
            service: body.service,
            state: choice_state,
        }),
        (None, None) if !choices.is_empty() => {}
        _ => {
            return Err(ApiError::Unprocessable(
                "choices: give either purpose and state, or a list of choices".to_owned(),
            ));
        }
    }
    if let Some(jurisdiction) = &body.jurisdiction {
        custodia_core::vault::check_jurisdiction(jurisdiction)?;
    }
    let owner = owner(&state, body.subject_id, body.visitor_id)?;
    let proof = Proof {
        method: body.method,
        ip: body.ip,
        user_agent: body.user_agent,
        gpc: body.gpc,
        jurisdiction: body.jurisdiction,
        banner_version: None,
        text_sha256: body.text_sha256,
        lang: parse_lang(body.lang.as_deref())?,
    };
    if let Some(sha) = &proof.text_sha256
        && !(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(ApiError::Unprocessable(
            "text_sha256: 64 hexadecimal digits".to_owned(),
        ));
    }
    let records = state
        .consents
        .record(Recorder::Staff(&who), owner, &choices, &proof)
        .await?;
    let records = wire::all(records)?;
    Ok((StatusCode::CREATED, Json(RecordedConsents { records })))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentHistory {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_id: Option<String>,
    /// The latest choice per purpose (and per service), with its expiry.
    current: Vec<wire::CurrentChoice>,
    /// Every record, oldest first: the subject's own and those it made as a linked
    /// banner visitor.
    records: Vec<wire::ConsentRecord>,
    /// Banner visitors linked to the subject.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    visitors: Vec<String>,
}

impl ConsentHistory {
    fn new(
        subject_id: Option<String>,
        visitor_id: Option<String>,
        history: History,
    ) -> Result<ConsentHistory, ApiError> {
        Ok(ConsentHistory {
            subject_id,
            visitor_id,
            current: history.current.into_iter().map(Into::into).collect(),
            records: wire::all(history.records)?,
            visitors: history.visitors,
        })
    }
}

pub(crate) async fn subject_history(
    state: &AppState,
    who: &Principal,
    id: &str,
    action: AuditAction,
) -> Result<History, ApiError> {
    state
        .vault
        .require(who, Permission::HandleSubjects, action, Some(id))
        .await?;
    let history = state.consents.subject_history(id).await?;
    state
        .vault
        .record(
            AuditRecord::new(state.vault.now(), &who.id, action, "ok")
                .subject(id)
                .detail(format!("{} records", history.records.len())),
        )
        .await?;
    Ok(history)
}

/// A subject's consent history and current state.
#[utoipa::path(get, operation_id = "subject_consents", path = "/v1/subjects/{id}/consents", tag = "consent", params(("id" = String, Path)),
    responses((status = 200, body = ConsentHistory), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn subject_consents(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentHistory>, ApiError> {
    let history = subject_history(&state, &who, &id, AuditAction::ConsentRead).await?;
    Ok(Json(ConsentHistory::new(Some(id), None, history)?))
}

/// A banner visitor's consent history and current state.
#[utoipa::path(get, path = "/v1/visitors/{id}/consents", tag = "consent", params(("id" = String, Path)),
    responses((status = 200, body = ConsentHistory), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn visitor_consents(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentHistory>, ApiError> {
    state
        .vault
        .require(
            &who,
            Permission::HandleSubjects,
            AuditAction::ConsentRead,
            None,
        )
        .await?;
    let history = state.consents.visitor_history(&id).await?;
    Ok(Json(ConsentHistory::new(None, Some(id), history)?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkVisitor {
    subject_id: String,
}

/// The visitor signed in as this subject: its banner choices now count for it.
#[utoipa::path(post, path = "/v1/visitors/{id}/link", tag = "consent", params(("id" = String, Path)),
    request_body = LinkVisitor,
    responses((status = 204), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn link_visitor(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<LinkVisitor>,
) -> Result<StatusCode, ApiError> {
    state
        .vault
        .require(
            &who,
            Permission::HandleSubjects,
            AuditAction::ConsentLinkVisitor,
            Some(&body.subject_id),
        )
        .await?;
    if !state.tokens.is_visitor_id(&id) {
        return Err(ApiError::Unprocessable(
            "visitor_id: not an id issued by this server's banner".to_owned(),
        ));
    }
    state
        .consents
        .link_visitor(&who, &id, &body.subject_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionQuery {
    subject_id: String,
    /// A purpose of the register.
    purpose: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionAnswer {
    allowed: bool,
    /// A stable code: `consent_given`, `no_consent`, `consent_withdrawn`,
    /// `consent_expired`, `purpose_changed`, `objected`, `legal_basis`...
    reason: wire::DecisionReason,
    explanation: &'static str,
}

fn unknown_purpose() -> ApiError {
    ApiError::Unprocessable("purpose: unknown purpose: not in the register".to_owned())
}

/// May this subject's data be processed for this purpose now? Answered from memory.
#[utoipa::path(get, operation_id = "decide", path = "/v1/decisions", tag = "consent", params(DecisionQuery),
    responses((status = 200, body = DecisionAnswer), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    Caller(who): Caller,
    Query(q): Query<DecisionQuery>,
) -> Result<Json<DecisionAnswer>, ApiError> {
    state
        .vault
        .require(
            &who,
            Permission::HandleSubjects,
            AuditAction::ConsentDecide,
            None,
        )
        .await?;
    let decision = state
        .consents
        .book()
        .decide(&q.subject_id, &q.purpose, state.consents.now())
        .ok_or_else(unknown_purpose)?;
    Ok(Json(DecisionAnswer {
        allowed: decision.allowed,
        reason: decision.reason.into(),
        explanation: decision.reason.explain(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "newsletter", "emails": ["ada@example.com"]}))]
pub struct BatchDecision {
    purpose: String,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    subject_ids: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Denied {
    /// The e-mail or subject id as given.
    value: String,
    reason: wire::DecisionReason,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchAnswer {
    purpose: String,
    /// The subject ids, then the e-mails, that may be processed, each in the order given.
    allowed: Vec<String>,
    denied: Vec<Denied>,
}

/// Which of these e-mails (or subject ids) may be processed for the purpose: for a
/// mailing, filter the list through this first. An e-mail shared by several subjects
/// passes only if every one of them may be processed; an unknown e-mail does not pass.
#[utoipa::path(post, operation_id = "decide_batch", path = "/v1/decisions/batch", tag = "consent", request_body = BatchDecision,
    responses((status = 200, body = BatchAnswer), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn decide_batch(
    State(state): State<AppState>,
    Caller(who): Caller,
    JsonBody(body): JsonBody<BatchDecision>,
) -> Result<Json<BatchAnswer>, ApiError> {
    state
        .vault
        .require(
            &who,
            Permission::HandleSubjects,
            AuditAction::ConsentDecide,
            None,
        )
        .await?;
    if body.emails.len() + body.subject_ids.len() > MAX_BATCH {
        return Err(ApiError::Unprocessable(format!(
            "emails: at most {MAX_BATCH} e-mails and subject ids together"
        )));
    }
    let book = state.consents.book();
    let now = state.consents.now();
    let mut allowed = Vec::new();
    let mut denied = Vec::new();
    let decisions = book
        .decide_many(
            body.subject_ids.iter().map(String::as_str),
            &body.purpose,
            now,
        )
        .ok_or_else(unknown_purpose)?;
    for (id, d) in body.subject_ids.into_iter().zip(decisions) {
        if d.allowed {
            allowed.push(id);
        } else {
            denied.push(Denied {
                value: id,
                reason: d.reason.into(),
            });
        }
    }
    for (i, email) in body.emails.into_iter().enumerate() {
        let digest = state
            .vault
            .index_digest("email", &email)
            .map_err(|e| ApiError::Unprocessable(format!("emails[{i}]: {e}")))?;
        let ids = book.subjects_with_email(&digest);
        let verdict = if ids.is_empty() {
            Err(Reason::UnknownSubject)
        } else {
            book.decide_many(ids.iter().map(String::as_str), &body.purpose, now)
                .ok_or_else(unknown_purpose)?
                .into_iter()
                .find(|d| !d.allowed)
                .map_or(Ok(()), |d| Err(d.reason))
        };
        match verdict {
            Ok(()) => allowed.push(email),
            Err(reason) => denied.push(Denied {
                value: email,
                reason: reason.into(),
            }),
        }
    }
    Ok(Json(BatchAnswer {
        purpose: body.purpose,
        allowed,
        denied,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `iso27560` (default) or `kantara`.
    format: Option<String>,
}

/// A subject's consent records as proof: a record shaped after ISO/IEC TS 27560
/// (header, processing, parties, events), or a Kantara consent receipt.
#[utoipa::path(get, operation_id = "export_consent_proof", path = "/v1/subjects/{id}/consents/export", tag = "consent",
    params(("id" = String, Path), ExportQuery),
    responses((status = 200, body = Object), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Json<Value>, ApiError> {
    let format = q.format.as_deref().unwrap_or("iso27560");
    if !matches!(format, "iso27560" | "kantara") {
        return Err(ApiError::Unprocessable(
            "format: use iso27560 or kantara".to_owned(),
        ));
    }
    let history = subject_history(&state, &who, &id, AuditAction::ConsentExport).await?;
    let now = state.consents.now();
    Ok(Json(match format {
        "kantara" => crate::consent_proof::kantara(&state, &id, &history.records, now),
        _ => crate::consent_proof::iso27560(&state, &id, &history.records, now),
    }))
}
