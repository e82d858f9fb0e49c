//! Retention in the console (DPO): the plan of a chosen window and legal holds
//! placed and released, through the same calls and audit as `/v1/retention/*`.

use super::{Frame, PageError, Staff, back_to, render};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use custodia_core::audit::AuditAction;
use custodia_core::retention::sweep::NewHold;
use serde::Deserialize;

/// "As planned at ...": a plan kept in memory is shown with the instant it was made.
pub(crate) fn planned_note(texts: super::Texts, at: time::OffsetDateTime) -> String {
    texts.args(
        "console-retention-planned",
        &[("at", texts.instant(at).into())],
    )
}

/// Most steps the page lists.
const PLAN_LIMIT: usize = 1000;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PlanQuery {
    days: Option<String>,
}

pub(crate) struct Step {
    at: String,
    subject: String,
    rule: String,
    action: String,
    categories: String,
}

pub(crate) struct Hold {
    id: String,
    subject: String,
    rule: String,
    reason: String,
    placed: String,
    released: String,
}

#[derive(Template)]
#[template(path = "console/retention.html")]
struct Page {
    frame: Frame,
    days: i64,
    steps: Vec<Step>,
    truncated: bool,
    /// When the plan shown was made, if not just now.
    planned: Option<String>,
    holds: Vec<Hold>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PlanQuery>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/retention",
        texts.t("console-retention-title"),
    );
    let who = &staff.principal;
    let days = match q.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => 30,
        Some(d) => match d.parse::<i64>() {
            Ok(n) if (1..=3660).contains(&n) => n,
            _ => {
                return Err(frame.fail(ApiError::BadRequest(
                    "days: a whole number of days between 1 and 3660".to_owned(),
                )));
            }
        },
    };
    if let Err(e) = crate::retention::require(&state, who, AuditAction::RetentionPlan).await {
        return Err(frame.fail(e));
    }
    let now = state.clock.now();
    let (planned, truncated, planned_at) = match crate::retention::console_plan(
        &state,
        who,
        now,
        now + time::Duration::days(days),
        PLAN_LIMIT,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return Err(frame.fail(e)),
    };
    let holds = match crate::retention::holds_listed(&state, who).await {
        Ok(h) => h,
        Err(e) => return Err(frame.fail(e)),
    };
    let steps = planned
        .into_iter()
        .map(|s| Step {
            at: texts.instant(s.at),
            subject: s.subject_id,
            rule: s.rule,
            action: s.action.to_owned(),
            categories: s.categories.join(", "),
        })
        .collect();
    let holds = holds
        .into_iter()
        .map(|h| Hold {
            id: h.id,
            subject: h.subject_id.unwrap_or_default(),
            rule: h.rule_id.unwrap_or_default(),
            reason: h.reason,
            placed: format!("{} ({})", texts.instant(h.created_at), h.created_by),
            released: match (h.released_at, h.released_by) {
                (Some(at), by) => format!("{} ({})", texts.instant(at), by.unwrap_or_default()),
                (None, _) => String::new(),
            },
        })
        .collect();
    Ok(render(&Page {
        frame,
        days,
        steps,
        truncated,
        planned: planned_at.map(|at| planned_note(texts, at)),
        holds,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct HoldForm {
    csrf: String,
    #[serde(default)]
    subject_id: String,
    #[serde(default)]
    rule_id: String,
    #[serde(default)]
    reason: String,
}

/// Places a legal hold (as `POST /v1/retention/holds`), then 303 back.
pub(crate) async fn place(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<HoldForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/retention",
        texts.t("console-retention-title"),
    );
    let sent = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    if let Err(e) = staff
        .check_csrf(&state, sent, "POST /console/retention/holds")
        .await
    {
        return Err(frame.fail(e));
    }
    let Ok(Form(form)) = form else {
        return Err(frame.fail(ApiError::BadRequest("form: unreadable".to_owned())));
    };
    let who = &staff.principal;
    if let Err(e) = crate::retention::require(&state, who, AuditAction::RetentionHold).await {
        return Err(frame.fail(e));
    }
    let optional = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let new = NewHold {
        subject_id: optional(form.subject_id),
        rule_id: optional(form.rule_id),
        reason: form.reason,
    };
    match state
        .retention
        .place_hold(who, new, state.clock.now())
        .await
    {
        Ok(_) => Ok(back_to("/console/retention?done=hold")),
        Err(e) => Err(frame.fail(e)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReleaseForm {
    csrf: String,
}

/// Releases a legal hold (as `DELETE /v1/retention/holds/{id}`), then 303 back.
pub(crate) async fn release(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<ReleaseForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/retention",
        texts.t("console-retention-title"),
    );
    let sent = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    if let Err(e) = staff
        .check_csrf(&state, sent, "POST /console/retention/holds/{id}/release")
        .await
    {
        return Err(frame.fail(e));
    }
    let who = &staff.principal;
    if let Err(e) = crate::retention::require(&state, who, AuditAction::RetentionHoldRelease).await
    {
        return Err(frame.fail(e));
    }
    match state
        .retention
        .release_hold(who, &id, state.clock.now())
        .await
    {
        Ok(_) => Ok(back_to("/console/retention?done=release")),
        Err(e) => Err(frame.fail(e)),
    }
}
