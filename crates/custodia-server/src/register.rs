use crate::auth::Caller;
use crate::json::Query;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use custodia_core::access::Permission;
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_policy::RecordFormat;
use serde::Deserialize;

/// The validated register of processing, as JSON (same structure as the TOML file).
#[utoipa::path(get, path = "/v1/register", tag = "register",
    responses((status = 200, description = "The register in force", body = Object)))]
pub async fn get_register(State(state): State<AppState>) -> Json<custodia_register::Register> {
    Json(state.register.register().clone())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordQuery {
    /// `csv` (default), `html` (printable) or `dpv` (W3C DPV as JSON-LD).
    format: Option<String>,
    /// `en` or `fr`; without it, the Accept-Language header decides.
    lang: Option<String>,
}

/// The Art. 30 record of processing activities drawn from the register in force,
/// dated today: one row per purpose (CSV, printable HTML) or one `dpv:Process` per
/// purpose (JSON-LD). For the DPO; every export is audited.
#[utoipa::path(get, operation_id = "register_record", path = "/v1/register/record", tag = "register", params(RecordQuery),
    responses((status = 200, description = "The record", content(
                  (String = "text/csv"), (String = "text/html"), (Object = "application/ld+json"))),
              (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn record(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
    Query(q): Query<RecordQuery>,
) -> Result<Response, ApiError> {
    state
        .vault
        .require(
            &who,
            Permission::ExportRecord,
            AuditAction::RegisterRecord,
            None,
        )
        .await?;
    let format = match q.format.as_deref() {
        None => RecordFormat::Csv,
        Some(f) => f.parse().map_err(|_| {
            ApiError::BadRequest(format!("format: `{f}` is not one of csv, html, dpv"))
        })?,
    };
    let lang = crate::policies::pick_lang(&state, q.lang.as_deref(), &headers)?;
    let date = state.clock.now().date();
    let text = custodia_policy::render_record(&state.register, lang, format, date)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    state
        .vault
        .record(
            AuditRecord::new(
                state.clock.now(),
                &who.id,
                AuditAction::RegisterRecord,
                "ok",
            )
            .detail(format!("{format}, {}", lang.code())),
        )
        .await?;
    // The HTML page is read and printed in the browser; the others are files.
    let disposition = format!(
        "{}; filename=\"record-of-processing.{}\"",
        if format == RecordFormat::Html {
            "inline"
        } else {
            "attachment"
        },
        format.extension()
    );
    let csp = match format {
        RecordFormat::Html => crate::policies::document_csp(&text),
        _ => None,
    };
    let mut response = text.into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    out.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        out.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Some(csp) = csp {
        out.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}
