//! Who is calling: an API key (`Authorization: Bearer`) or a staff session cookie.
//! Requests without valid credentials are refused with 401 (429 once the client
//! address has spent its allowance of refusals) and counted in the audit log, one
//! entry per source and window. Cookie-authenticated requests that change state
//! must echo the session's CSRF token.

use crate::client::ClientAddr;
use crate::{ApiError, AppState};
use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{Method, header};
use custodia_core::access::Principal;
use custodia_core::audit::{AuditAction, AuditRecord};
use std::net::IpAddr;

pub const SESSION_COOKIE: &str = "custodia_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a session whose role requires a second factor not yet confirmed may still
/// reach: enrolment, and the account page with its CSRF token.
const ENROLMENT_ROUTES: &[&str] = &[
    "GET /account",
    "POST /v1/account/second-factor",
    "POST /v1/account/second-factor/confirm",
];

/// An authenticated caller.
pub struct Caller(pub Principal);

pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn route(parts: &Parts) -> String {
    let path = parts
        .extensions
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    format!("{} {}", parts.method, path)
}

async fn refuse(state: &AppState, parts: &Parts, reason: &str) -> ApiError {
    let ip = parts
        .extensions
        .get::<ClientAddr>()
        .map_or(IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED), |c| c.ip);
    let throttled = state.unauthenticated_limiter.check(ip);
    let opened = state.refusals.note(
        state.vault.now(),
        ip,
        AuditAction::AuthRequest,
        "unauthenticated",
        throttled.is_err(),
        format!("{} ({reason})", route(parts)),
    );
    if let Some(record) = opened
        && let Err(e) = state.vault.record(record).await
    {
        return ApiError::Internal(e.to_string());
    }
    match throttled {
        Ok(()) => ApiError::Unauthorized,
        Err(wait) => ApiError::Throttled {
            detail: "too many unauthenticated requests from this address; send valid credentials after the delay given".to_owned(),
            retry_after: crate::limits::retry_after_secs(wait),
        },
    }
}

/// The CSRF check of cookie-authenticated state changes (API header or console
/// form field): a wrong token is audited (`auth.csrf`, denied) and refused.
pub(crate) async fn require_csrf(
    state: &AppState,
    principal: &custodia_core::access::Principal,
    expected: &str,
    sent: &str,
    route: &str,
) -> Result<(), ApiError> {
    if custodia_crypto::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Ok(());
    }
    let record = AuditRecord::new(
        state.vault.now(),
        &principal.id,
        AuditAction::AuthCsrf,
        "denied",
    )
    .detail(route.to_owned());
    state.vault.record(record).await?;
    Err(ApiError::Forbidden(format!(
        "{route}: the form or call needs the session's CSRF token (the {CSRF_HEADER} header, or the csrf field of a console form); reload the page and try again"
    )))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let key = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            let Some(key) = key else {
                return Err(refuse(state, parts, "malformed Authorization header").await);
            };
            return match state.staff.api_key(key).await? {
                Some(p) => Ok(Caller(p)),
                None => Err(refuse(state, parts, "unknown or revoked API key").await),
            };
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(refuse(state, parts, "no credentials").await);
        };
        let Some(found) = state.staff.session_state(token).await? else {
            return Err(refuse(state, parts, "expired or unknown session").await);
        };
        let (principal, session) = (found.principal, found.session);
        if found.must_enrol && !ENROLMENT_ROUTES.contains(&route(parts).as_str()) {
            let record = AuditRecord::new(
                state.vault.now(),
                &principal.id,
                AuditAction::AuthSecondFactor,
                "denied",
            )
            .detail(format!("{} (no second factor yet)", route(parts)));
            state.vault.record(record).await?;
            return Err(ApiError::Forbidden(format!(
                "the role `{}` requires a second factor: enrol one (POST /v1/account/second-factor) and confirm it (POST /v1/account/second-factor/confirm) before anything else",
                principal.role
            )));
        }
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            require_csrf(state, &principal, &session.csrf_token, sent, &route(parts)).await?;
        }
        Ok(Caller(principal))
    }
}
