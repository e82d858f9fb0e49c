//! The audit log in the console (auditor, DPO): `Vault::audit_entries` as the API's
//! `/v1/audit`, filtered by subject, principal and days, a page at a time by
//! sequence number (`after`). Entries name subjects by id and hold no values.
//! "Verify now" runs `Vault::verify_audit` (as `custodia audit verify`); the latest
//! verification is read back from the log's own `audit.verify` entries.

use super::{Frame, PageError, Staff, render};
use crate::AppState;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use custodia_core::audit::AuditAction;
use custodia_core::vault::AuditFilter;
use serde::Deserialize;

/// Entries per page.
const PAGE: u32 = 100;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogQuery {
    subject: Option<String>,
    principal: Option<String>,
    /// An `AuditAction` name.
    action: Option<String>,
    /// First day (UTC), inclusive.
    from: Option<String>,
    /// Last day (UTC), inclusive.
    to: Option<String>,
    after: Option<i64>,
}

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn day(field: &str, text: Option<&str>) -> Result<Option<time::Date>, crate::ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.map(|t| {
        time::Date::parse(t, format).map_err(|_| {
            crate::ApiError::BadRequest(format!("{field}: expected a date YYYY-MM-DD"))
        })
    })
    .transpose()
}

pub(crate) struct Line {
    seq: i64,
    at: String,
    principal: String,
    action: String,
    subject: String,
    categories: String,
    purpose: String,
    outcome: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct Log {
    frame: Frame,
    subject: String,
    principal: String,
    action: String,
    /// Every `AuditAction` name, for the filter.
    actions: Vec<&'static str>,
    /// The latest verification: (when, intact, what the entry says).
    verified: Option<(String, bool, String)>,
    from: String,
    to: String,
    lines: Vec<Line>,
    /// The query of the next page, when this one is full.
    next: Option<String>,
}

pub(crate) async fn log(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/audit", texts.t("console-audit-title"));
    let who = &staff.principal;
    for (field, value) in [
        ("subject", set(&q.subject)),
        ("principal", set(&q.principal)),
    ] {
        if let Some(value) = value
            && let Err(e) =
                crate::subjects::check_id(&state, who, AuditAction::AuditRead, field, value).await
        {
            return Err(frame.fail(e));
        }
    }
    let action = match set(&q.action) {
        Some(a) => match AuditAction::parse(a) {
            Some(a) => Some(a.as_str().to_owned()),
            None => {
                return Err(frame.fail(crate::ApiError::BadRequest(
                    "action: not an audit action".to_owned(),
                )));
            }
        },
        None => None,
    };
    let (from, to) = match (day("from", set(&q.from)), day("to", set(&q.to))) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return Err(frame.fail(e)),
    };
    let filter = AuditFilter {
        subject_ref: set(&q.subject).map(str::to_owned),
        principal: set(&q.principal).map(str::to_owned),
        from: from.map(|d| d.midnight().assume_utc()),
        to: to
            .and_then(|d| d.next_day())
            .map(|d| d.midnight().assume_utc()),
        action: action.clone(),
        after_seq: q.after,
        chain: None,
        limit: PAGE,
        newest_first: false,
    };
    let entries = match state.vault.audit_entries(who, &filter).await {
        Ok(entries) => entries,
        Err(e) => return Err(frame.fail(e)),
    };
    let next = (entries.len() == PAGE as usize)
        .then(|| entries.last().map(|e| e.seq))
        .flatten()
        .map(|after| {
            let mut query = vec![format!("after={after}")];
            for (name, value) in [
                ("subject", set(&q.subject)),
                ("principal", set(&q.principal)),
                ("action", action.as_deref()),
                ("from", set(&q.from)),
                ("to", set(&q.to)),
            ] {
                if let Some(v) = value {
                    query.push(format!("{name}={}", super::percent_encode(v)));
                }
            }
            query.join("&")
        });
    let lines = entries
        .into_iter()
        .map(|e| Line {
            seq: e.seq,
            at: texts.instant(e.at),
            principal: e.principal,
            action: e.action,
            subject: e.subject_ref.unwrap_or_default(),
            categories: e.categories.join(", "),
            purpose: e.purpose.unwrap_or_default(),
            outcome: e.outcome,
            detail: e.detail.unwrap_or_default(),
        })
        .collect();
    let verified = match state.vault.latest_audit_verification(who).await {
        Ok(v) => v.map(|v| (texts.instant(v.at), v.intact, v.detail)),
        Err(e) => return Err(frame.fail(e)),
    };
    Ok(render(&Log {
        frame,
        subject: set(&q.subject).unwrap_or_default().to_owned(),
        principal: set(&q.principal).unwrap_or_default().to_owned(),
        action: action.unwrap_or_default(),
        actions: AuditAction::ALL.iter().map(|a| a.as_str()).collect(),
        verified,
        from: set(&q.from).unwrap_or_default().to_owned(),
        to: set(&q.to).unwrap_or_default().to_owned(),
        lines,
        next,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct VerifyForm {
    csrf: String,
}

/// Verifies the audit log (as `custodia audit verify`), then 303 back to the log,
/// which shows the verification just recorded.
pub(crate) async fn verify(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<VerifyForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/audit", texts.t("console-audit-title"));
    let sent = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    if let Err(e) = staff
        .check_csrf(&state, sent, "POST /console/audit/verify")
        .await
    {
        return Err(frame.fail(e));
    }
    match state.vault.verify_audit(&staff.principal).await {
        Ok(_) => Ok(super::back_to("/console/audit")),
        Err(e) => Err(frame.fail(e)),
    }
}
