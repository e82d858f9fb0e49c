//! Rights requests in the console: the queue and a request's page, every workflow
//! step a form. Each calls `custodia_core::rights::Rights` as `crate::rights` does.

use super::{Frame, PageError, Staff, Texts, back_to, render};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use custodia_core::rights::{
    ALL_STATUSES, Completion, Delivery, RequestFilter, RequestSummary, RequestView, Status,
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    kind: Option<String>,
    status: Option<String>,
    handler: Option<String>,
    #[serde(default)]
    open: Option<String>,
    /// 1, 2, 3... of [`PAGE_ROWS`] rows each.
    page: Option<usize>,
}

/// Rows of the queue on one page: a page stays small however long the queue is.
const PAGE_ROWS: usize = 50;

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A right's name in the page's language.
fn right_name(texts: Texts, kind: &str) -> String {
    texts.t(&format!("right-{}", kind.replace('_', "-")))
}

fn status_name(texts: Texts, status: &str) -> String {
    let id = match Status::parse(status) {
        Some(Status::Received) => "console-status-received",
        Some(Status::AwaitingIdentity) => "console-status-awaiting-identity",
        Some(Status::Verified) => "console-status-verified",
        Some(Status::InProgress) => "console-status-in-progress",
        Some(Status::Extended) => "console-status-extended",
        Some(Status::Completed) => "console-status-completed",
        Some(Status::Refused) => "console-status-refused",
        None => return status.to_owned(),
    };
    texts.t(id)
}

pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) status: String,
    pub(crate) received: String,
    pub(crate) due: String,
    pub(crate) due_iso: String,
    pub(crate) overdue: bool,
    pub(crate) due_soon: bool,
    pub(crate) handler: String,
}

impl Row {
    pub(crate) fn new(texts: Texts, r: &RequestSummary) -> Row {
        Row {
            id: r.id.clone(),
            kind: right_name(texts, &r.kind),
            status: status_name(texts, &r.status),
            received: texts.date(r.received_at),
            due: texts.date(r.due_at),
            due_iso: custodia_policy::i18n::iso_date(r.due_at.date()),
            overdue: r.overdue,
            due_soon: r.due_soon,
            handler: r.assignee.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/requests.html")]
struct Queue {
    frame: Frame,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    handler: String,
    open_only: bool,
    rows: Vec<Row>,
    /// "Requests 51 to 100 of 230", when the queue does not fit one page.
    range: Option<String>,
    /// Links to the pages around this one, with the same filters.
    previous: Option<String>,
    next: Option<String>,
}

/// The queue's address for another page, with the same filters.
fn page_link(q: &QueueQuery, page: usize) -> String {
    let mut link = format!("/console/requests?page={page}");
    for (name, value) in [
        ("kind", &q.kind),
        ("status", &q.status),
        ("handler", &q.handler),
    ] {
        if let Some(v) = set(value) {
            link.push_str(&format!("&{name}={}", super::percent_encode(v)));
        }
    }
    if q.open.is_some() {
        link.push_str("&open=1");
    }
    link
}

/// The queue, soonest deadline first (the core's order), filtered by type, state
/// and handler.
pub(crate) async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/requests",
        texts.t("console-requests-title"),
    );
    let mut filter = RequestFilter {
        status: set(&q.status).map(str::to_owned),
        open: q.open.is_some(),
        kind: set(&q.kind).map(str::to_owned),
        assignee: set(&q.handler).map(str::to_owned),
        limit: u32::try_from(PAGE_ROWS).ok(),
        ..RequestFilter::default()
    };
    let mut page = q.page.unwrap_or(1).max(1);
    let list = loop {
        filter.offset = ((page - 1) * PAGE_ROWS) as u64;
        let list = match state.rights.list(&staff.principal, &filter).await {
            Ok(list) => list,
            Err(e) => return Err(frame.fail(e)),
        };
        // Past the last page: show the last one.
        let last = usize::try_from(list.total)
            .unwrap_or(usize::MAX)
            .div_ceil(PAGE_ROWS)
            .max(1);
        if page <= last {
            break list;
        }
        page = last;
    };
    let total = usize::try_from(list.total).unwrap_or(usize::MAX);
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let first = (page - 1) * PAGE_ROWS;
    let rows: Vec<Row> = list.requests.iter().map(|r| Row::new(texts, r)).collect();
    let range = (pages > 1).then(|| {
        texts.args(
            "console-requests-range",
            &[
                ("first", (first + 1).into()),
                ("last", (first + rows.len()).into()),
                ("total", total.into()),
            ],
        )
    });
    let previous = (page > 1).then(|| page_link(&q, page - 1));
    let next = (page < pages).then(|| page_link(&q, page + 1));
    let kinds = state
        .rights
        .offered()
        .into_iter()
        .map(|right| {
            let value = custodia_core::rights::right_id(right);
            Choice {
                label: right_name(texts, &value),
                selected: set(&q.kind) == Some(value.as_str()),
                value,
            }
        })
        .collect();
    let statuses = ALL_STATUSES
        .into_iter()
        .map(|s| Choice {
            value: s.id().to_owned(),
            label: status_name(texts, s.id()),
            selected: set(&q.status) == Some(s.id()),
        })
        .collect();
    Ok(render(&Queue {
        frame,
        kinds,
        statuses,
        handler: set(&q.handler).unwrap_or_default().to_owned(),
        open_only: q.open.is_some(),
        rows,
        range,
        previous,
        next,
    }))
}

pub(crate) struct Event {
    at: String,
    action: String,
    by: String,
    note: String,
}

pub(crate) struct Message {
    channel: String,
    recipient: String,
    status: String,
    attempts: i64,
    error: String,
    delivered: String,
}

impl Message {
    fn new(texts: Texts, d: Delivery) -> Message {
        Message {
            channel: d.channel,
            recipient: d
                .recipient
                .unwrap_or_else(|| texts.t("console-request-requester")),
            status: d.status,
            attempts: d.attempts,
            error: d.last_error.unwrap_or_default(),
            delivered: d
                .delivered_at
                .map(|at| texts.instant(at))
                .unwrap_or_default(),
        }
    }
}

pub(crate) struct Change {
    category: String,
    value: String,
}

#[derive(Template)]
#[template(path = "console/request.html")]
struct Detail {
    frame: Frame,
    id: String,
    kind: String,
    status: String,
    received: String,
    due: String,
    overdue: bool,
    due_soon: bool,
    closed: String,
    assignee: String,
    me: String,
    email: String,
    language: String,
    details: String,
    changes: Vec<Change>,
    pending_for_dpo: Vec<String>,
    /// Why the request is partly done (a dataset that failed), while it is.
    partly_done: String,
    purposes: Vec<String>,
    subjects: Vec<String>,
    doubt: String,
    has_document: bool,
    extension_reason: String,
    refusal_reasons: String,
    refusal_unfounded: String,
    outcome: String,
    notified: Vec<String>,
    history: Vec<Event>,
    messages: Vec<Message>,
    open: bool,
    verified: bool,
    awaiting_identity: bool,
    extendable: bool,
    liftable: bool,
}

pub(crate) async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/requests",
        texts.t("console-request-title"),
    );
    if let Err(e) = crate::subjects::check_id(
        &state,
        &staff.principal,
        custodia_core::audit::AuditAction::RequestRead,
        "id",
        &id,
    )
    .await
    {
        return Err(frame.fail(e));
    }
    let view = match state.rights.get(&staff.principal, &id).await {
        Ok(view) => view,
        Err(e) => return Err(frame.fail(e)),
    };
    let messages = match state.rights.deliveries(&staff.principal, &id).await {
        Ok(list) => list.into_iter().map(|d| Message::new(texts, d)).collect(),
        Err(e) => return Err(frame.fail(e)),
    };
    let me = staff
        .principal
        .id
        .strip_prefix("user:")
        .unwrap_or_default()
        .to_owned();
    Ok(render(&page(frame, texts, view, messages, me)))
}

fn page(frame: Frame, texts: Texts, v: RequestView, messages: Vec<Message>, me: String) -> Detail {
    let status = Status::parse(&v.status).unwrap_or(Status::Received);
    let changes = v
        .changes
        .iter()
        .flatten()
        .map(|(category, value)| Change {
            category: category.clone(),
            value: match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect();
    Detail {
        frame,
        kind: right_name(texts, &v.kind),
        status: status_name(texts, &v.status),
        received: texts.instant(v.received_at),
        due: texts.date(v.due_at),
        overdue: v.overdue,
        due_soon: v.due_soon,
        closed: v.closed_at.map(|at| texts.instant(at)).unwrap_or_default(),
        assignee: v.assignee.clone().unwrap_or_default(),
        me,
        email: v.email.clone(),
        language: v.language.clone(),
        details: v.details.clone().unwrap_or_default(),
        changes,
        pending_for_dpo: v.pending_for_dpo.clone(),
        partly_done: v
            .history
            .last()
            .filter(|h| status.is_open() && h.action == "partly_done")
            .and_then(|h| h.note.clone())
            .unwrap_or_default(),
        purposes: v.purposes.clone(),
        subjects: v.subject_ids.clone(),
        doubt: v.identity_doubt.clone().unwrap_or_default(),
        has_document: v.has_id_document,
        extendable: status.is_open() && v.extension_reason.is_none() && !v.overdue,
        extension_reason: v.extension_reason.clone().unwrap_or_default(),
        refusal_reasons: v
            .refusal
            .as_ref()
            .map(|r| r.reasons.clone())
            .unwrap_or_default(),
        refusal_unfounded: v
            .refusal
            .as_ref()
            .and_then(|r| r.unfounded.clone())
            .unwrap_or_default(),
        outcome: v.outcome.clone().unwrap_or_default(),
        notified: v.notified_recipients.clone(),
        history: v
            .history
            .iter()
            .map(|h| Event {
                at: texts.instant(h.at),
                action: h.action.clone(),
                by: h.by.clone(),
                note: h.note.clone().unwrap_or_default(),
            })
            .collect(),
        messages,
        open: status.is_open(),
        verified: status.is_open()
            && !matches!(status, Status::Received | Status::AwaitingIdentity),
        awaiting_identity: status == Status::AwaitingIdentity,
        liftable: v.kind == "restriction" && status == Status::Completed,
        id: v.id,
    }
}

/// One form for every step; the fields a step does not use stay empty.
#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    csrf: String,
    action: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    unfounded: Option<String>,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    note: String,
}

/// Carries out a step, then 303 back to the request's page.
pub(crate) async fn step(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<StepForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/requests",
        texts.t("console-request-title"),
    );
    let Ok(Form(form)) = form else {
        // Without a readable form there is no CSRF token either.
        let e = staff
            .check_csrf(&state, "", "POST /console/requests/{id}")
            .await;
        return Err(frame.fail(
            e.err()
                .unwrap_or_else(|| ApiError::BadRequest("form: unreadable".to_owned())),
        ));
    };
    if let Err(e) = staff
        .check_csrf(&state, &form.csrf, "POST /console/requests/{id}")
        .await
    {
        return Err(frame.fail(e));
    }
    let who = &staff.principal;
    let r = &state.rights;
    let Some(action) = crate::wire::StepAction::parse(&form.action) else {
        return Err(frame.fail(ApiError::Unprocessable(
            "action: expected assign, extend, refuse, doubt, confirm_identity, complete or lift_restriction"
                .to_owned(),
        )));
    };
    use crate::wire::StepAction as A;
    let done = match action {
        A::Assign => {
            let assignee = Some(form.assignee.trim().to_owned()).filter(|a| !a.is_empty());
            r.assign(who, &id, assignee).await
        }
        A::Extend => r.extend(who, &id, &form.reason).await,
        A::Refuse => {
            let justification = form
                .unfounded
                .is_some()
                .then_some(form.justification.as_str());
            r.refuse(who, &id, &form.reasons, justification).await
        }
        A::Doubt => r.flag_doubt(who, &id, &form.note).await,
        A::ConfirmIdentity => r.confirm_identity(who, &id).await,
        A::Complete => r.complete(who, &id).await.map(|c| match c {
            Completion::Completed | Completion::LeftForDpo { .. } => (),
        }),
        A::LiftRestriction => r.lift_restriction(who, &id).await,
    };
    match done {
        Ok(()) => Ok(back_to(&format!(
            "/console/requests/{id}?done={}",
            form.action
        ))),
        Err(e) => Err(frame.fail(e)),
    }
}
