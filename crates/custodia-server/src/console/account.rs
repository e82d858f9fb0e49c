//! My account in the console: the second factor (enrol, confirm, disable, new
//! recovery codes) and my sessions, through the same `custodia_core::second_factor`
//! calls (and audit) as `/v1/account/*`. Secrets and recovery codes are shown once,
//! on the answer to the form that made them.

use super::{Frame, PageError, Staff, back_to, render};
use crate::auth::{SESSION_COOKIE, cookie};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

/// What a role that must have a second factor reaches before enrolling one.
pub(crate) const ENROLMENT_PATHS: &[&str] = &[
    "/console/account",
    "/console/account/second-factor/enrol",
    "/console/account/second-factor/confirm",
];

pub(crate) struct SessionRow {
    id: String,
    created: String,
    expires: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "console/account.html")]
struct AccountPage {
    frame: Frame,
    /// None without a factor, `Some(false)` pending, `Some(true)` confirmed.
    factor: Option<bool>,
    must_enrol: bool,
    /// A new enrolment's secret (base32) and otpauth URI, shown once.
    enrolment: Option<(String, String)>,
    /// Recovery codes just made, shown once.
    codes: Vec<String>,
    sessions: Vec<SessionRow>,
}

fn frame(staff: &Staff, state: &AppState) -> Frame {
    let texts = staff.texts;
    staff.frame(state, "/console/account", texts.t("console-account-title"))
}

async fn show(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    enrolment: Option<(String, String)>,
    codes: Vec<String>,
) -> Result<Response, ApiError> {
    let who = &staff.principal;
    let texts = staff.texts;
    let factor = state.staff.second_factor_state(who).await?;
    let token = cookie(headers, SESSION_COOKIE);
    let must_enrol = match token {
        Some(t) => state
            .staff
            .session_state(t)
            .await?
            .is_some_and(|s| s.must_enrol),
        None => false,
    };
    let sessions = state
        .staff
        .my_sessions(who, token)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            created: texts.instant(s.created_at),
            expires: texts.instant(s.expires_at),
            current: s.current,
        })
        .collect();
    Ok(render(&AccountPage {
        frame: frame(staff, state),
        factor,
        must_enrol,
        enrolment,
        codes,
        sessions,
    }))
}

/// My second factor and sessions.
pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    match show(&state, &staff, &headers, None, Vec::new()).await {
        Ok(r) => Ok(r),
        Err(e) => Err(frame(&staff, &state).fail(e)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    csrf: String,
    #[serde(default)]
    code: String,
}

async fn checked<T>(
    staff: &Staff,
    state: &AppState,
    form: &Result<Form<T>, FormRejection>,
    sent: impl Fn(&T) -> &str,
    route: &str,
) -> Result<(), ApiError> {
    let csrf = form.as_ref().map(|f| sent(&f.0)).unwrap_or("");
    staff.check_csrf(state, csrf, route).await?;
    if form.is_err() {
        return Err(ApiError::BadRequest("form: unreadable".to_owned()));
    }
    Ok(())
}

fn code_of(form: &Result<Form<CodeForm>, FormRejection>) -> &str {
    form.as_ref().map(|f| f.code.trim()).unwrap_or("")
}

/// Starts an enrolment (as `POST /v1/account/second-factor`): the secret and URI
/// for the app, on this answer only, with the form to confirm it.
pub(crate) async fn enrol(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/second-factor/enrol";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let e = state.staff.enrol_second_factor(&staff.principal).await?;
        show(
            &state,
            &staff,
            &headers,
            Some((e.secret, e.uri)),
            Vec::new(),
        )
        .await
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}

/// Confirms the pending factor with a code (as `POST /v1/account/second-factor/confirm`);
/// the recovery codes are on this answer only.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/second-factor/confirm";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let codes = state
            .staff
            .confirm_second_factor(&staff.principal, code_of(&form))
            .await?;
        show(&state, &staff, &headers, None, codes).await
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}

/// Removes my factor with a current code (as `DELETE /v1/account/second-factor`).
pub(crate) async fn disable(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/second-factor/disable";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        state
            .staff
            .disable_second_factor(&staff.principal, None, Some(code_of(&form)))
            .await?;
        Ok::<_, ApiError>(back_to("/console/account?done=1"))
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}

/// New recovery codes with a current code (as `POST /v1/account/recovery-codes`),
/// on this answer only.
pub(crate) async fn recovery_codes(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/recovery-codes";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let codes = state
            .staff
            .regenerate_recovery_codes(&staff.principal, code_of(&form))
            .await?;
        show(&state, &staff, &headers, None, codes).await
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}

/// Ends every other session of mine (as `DELETE /v1/account/sessions`).
pub(crate) async fn revoke_others(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/sessions/revoke-others";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let token = cookie(&headers, SESSION_COOKIE);
        state
            .staff
            .revoke_my_sessions(&staff.principal, None, token)
            .await?;
        Ok::<_, ApiError>(back_to("/console/account?done=1"))
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}

/// Ends one session of mine (as `DELETE /v1/account/sessions/{id}`).
pub(crate) async fn revoke_one(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    let done = async {
        let route = "POST /console/account/sessions/{id}/revoke";
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let token = cookie(&headers, SESSION_COOKIE);
        state
            .staff
            .revoke_my_sessions(&staff.principal, Some(&id), token)
            .await?;
        Ok::<_, ApiError>(back_to("/console/account?done=1"))
    }
    .await;
    done.map_err(|e| frame(&staff, &state).fail(e))
}
