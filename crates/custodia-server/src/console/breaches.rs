//! The breach register in the console (Art. 33/34): the register with each breach's
//! 72-hour clock, a breach's page with the authority and people decisions, close and
//! reopen, and its timeline. Every call is the one `crate::breaches` makes.

use super::{Frame, PageError, Staff, Texts, back_to, render};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use custodia_core::access::Permission;
use custodia_core::breach::{
    AuthorityDecision, Breach, BreachChange, Channel, Nature, NewBreach, NotInformedReason,
    PeopleDecision, State as BreachState,
};
use custodia_policy::i18n::FluentValue;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A form's fields as sent, repeated names (check boxes) kept.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn every(fields: &Fields, name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A `datetime-local` value (`2026-12-06T10:30`, seconds optional), read as UTC;
/// empty is `None`.
fn instant(fields: &Fields, name: &str) -> Result<Option<OffsetDateTime>, ApiError> {
    let raw = field(fields, name).trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let short = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let long = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(raw, short)
        .or_else(|_| PrimitiveDateTime::parse(raw, long))
        .map(|t| Some(t.assume_utc()))
        .map_err(|_| {
            ApiError::Unprocessable(format!(
                "{name}: expected a UTC date and time (YYYY-MM-DDTHH:MM)"
            ))
        })
}

fn count(fields: &Fields, name: &str) -> Result<Option<u64>, ApiError> {
    let raw = field(fields, name).trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| ApiError::Unprocessable(format!("{name}: expected a whole number")))
}

fn nature_name(texts: Texts, n: Nature) -> String {
    texts.t(match n {
        Nature::Confidentiality => "console-breach-nature-confidentiality",
        Nature::Integrity => "console-breach-nature-integrity",
        Nature::Availability => "console-breach-nature-availability",
    })
}

fn channel_name(texts: Texts, c: Channel) -> String {
    texts.t(match c {
        Channel::Email => "console-breach-channel-email",
        Channel::Post => "console-breach-channel-post",
        Channel::Phone => "console-breach-channel-phone",
        Channel::PublicNotice => "console-breach-channel-public-notice",
        Channel::Other => "console-breach-channel-other",
    })
}

fn reason_name(texts: Texts, r: NotInformedReason) -> String {
    texts.t(match r {
        NotInformedReason::NoHighRisk => "console-breach-reason-no-high-risk",
        NotInformedReason::Unintelligible => "console-breach-reason-unintelligible",
        NotInformedReason::RiskNeutralised => "console-breach-reason-risk-neutralised",
        NotInformedReason::DisproportionateEffort => {
            "console-breach-reason-disproportionate-effort"
        }
    })
}

/// A choice of a closed set: the value the core reads and its label.
pub(crate) struct Choice {
    value: &'static str,
    label: String,
}

fn natures(texts: Texts) -> Vec<Choice> {
    [
        ("confidentiality", Nature::Confidentiality),
        ("integrity", Nature::Integrity),
        ("availability", Nature::Availability),
    ]
    .into_iter()
    .map(|(value, n)| Choice {
        value,
        label: nature_name(texts, n),
    })
    .collect()
}

/// A breach as a row of the register and of the dashboard.
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) open: bool,
    pub(crate) state: String,
    pub(crate) aware: String,
    pub(crate) deadline: String,
    pub(crate) deadline_iso: String,
    /// Hours left, "overdue" or the authority decision, as core computed it.
    pub(crate) clock: String,
    pub(crate) overdue: bool,
    pub(crate) description: String,
}

impl Row {
    pub(crate) fn new(texts: Texts, b: &Breach) -> Row {
        Row {
            id: b.id.clone(),
            open: b.state == BreachState::Open,
            state: texts.t(match b.state {
                BreachState::Open => "console-breach-open",
                BreachState::Closed => "console-breach-closed",
            }),
            aware: texts.instant(b.aware_at),
            deadline: texts.instant(b.deadline),
            deadline_iso: rfc3339(b.deadline),
            clock: clock(texts, b),
            overdue: b.overdue,
            description: b.details.description.clone(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn clock(texts: Texts, b: &Breach) -> String {
    if b.overdue {
        return texts.t("console-overdue");
    }
    match b.hours_left {
        Some(h) => texts.args(
            "console-breach-hours-left",
            &[("hours", FluentValue::from(h))],
        ),
        None if b.notified_late => texts.t("console-breach-notified-late"),
        None => texts.t("console-breach-decided"),
    }
}

#[derive(Template)]
#[template(path = "console/breaches.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<Row>,
    manage: bool,
    natures: Vec<Choice>,
    categories: Vec<(String, String)>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/breaches",
        texts.t("console-breaches-title"),
    );
    let all = match state.breaches.list(&staff.principal).await {
        Ok(all) => all,
        Err(e) => return Err(frame.fail(e)),
    };
    let categories = state
        .register
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.name.in_lang(texts.0).to_owned()))
        .collect();
    Ok(render(&ListPage {
        rows: all.iter().map(|b| Row::new(texts, b)).collect(),
        manage: staff.may(&state, Permission::ManageBreaches),
        natures: natures(texts),
        categories,
        frame,
    }))
}

/// Reads the form or refuses it: an unreadable form carries no CSRF token either.
async fn checked(
    state: &AppState,
    staff: &Staff,
    form: Result<Form<Fields>, FormRejection>,
    route: &str,
) -> Result<Fields, ApiError> {
    let Ok(Form(fields)) = form else {
        staff.check_csrf(state, "", route).await?;
        return Err(ApiError::BadRequest("form: unreadable".to_owned()));
    };
    staff
        .check_csrf(state, field(&fields, "csrf"), route)
        .await?;
    Ok(fields)
}

/// Records a breach (as `POST /v1/breaches`), then 303 to its page.
pub(crate) async fn record(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/breaches",
        texts.t("console-breaches-title"),
    );
    let recorded = async {
        let f = checked(&state, &staff, form, "POST /console/breaches").await?;
        let new = NewBreach {
            aware_at: instant(&f, "aware_at")?,
            nature: every(&f, "nature"),
            description: field(&f, "description").to_owned(),
            categories: every(&f, "categories"),
            approx_people: count(&f, "approx_people")?,
            approx_records: count(&f, "approx_records")?,
            consequences: field(&f, "consequences").to_owned(),
            measures: field(&f, "measures").to_owned(),
            subject_ids: field(&f, "subject_ids")
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        };
        Ok::<_, ApiError>(state.breaches.record(&staff.principal, new).await?)
    };
    match recorded.await {
        Ok(b) => Ok(back_to(&format!(
            "/console/breaches/{}?done=recorded",
            b.id
        ))),
        Err(e) => Err(frame.fail(e)),
    }
}

pub(crate) struct Event {
    at: String,
    by: String,
    kind: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "console/breach.html")]
struct DetailPage {
    frame: Frame,
    row: Row,
    recorded: String,
    recorded_by: String,
    natures: String,
    categories: String,
    approx_people: String,
    approx_records: String,
    consequences: String,
    measures: String,
    subjects: usize,
    /// The recorded decisions as sentences; empty while undecided.
    authority: Vec<String>,
    people: Vec<String>,
    manage: bool,
    channels: Vec<Choice>,
    reasons: Vec<Choice>,
    events: Vec<Event>,
}

pub(crate) async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/breaches", texts.t("console-breach"));
    let who = &staff.principal;
    let b = match state.breaches.get(who, &id).await {
        Ok(b) => b,
        Err(e) => return Err(frame.fail(e)),
    };
    let events = match state.breaches.timeline(who, &id).await {
        Ok(e) => e,
        Err(e) => return Err(frame.fail(e)),
    };
    let mut frame = frame;
    frame.title = format!("{} {}", texts.t("console-breach"), b.id);
    let d = &b.details;
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let authority = d
        .authority
        .as_ref()
        .map(|a| {
            let mut lines = vec![texts.t(if a.notified {
                "console-breach-notified"
            } else {
                "console-breach-not-notified"
            })];
            lines.extend(a.reference.clone());
            lines.extend(a.notified_at.map(|t| texts.instant(t)));
            lines.extend(a.reason.clone());
            lines.push(format!(
                "{} ({})",
                texts.instant(a.decided_at),
                a.decided_by
            ));
            lines
        })
        .unwrap_or_default();
    let people = d
        .people
        .as_ref()
        .map(|p| {
            let mut lines = vec![texts.t(if p.inform {
                "console-breach-informed"
            } else {
                "console-breach-not-informed"
            })];
            lines.extend(p.channel.map(|c| channel_name(texts, c)));
            lines.extend(p.informed_at.map(|t| texts.instant(t)));
            lines.extend(p.reason.map(|r| reason_name(texts, r)));
            lines.extend(p.explanation.clone());
            if p.channel == Some(Channel::Email) {
                lines.push(texts.args(
                    "console-breach-letters",
                    &[
                        ("queued", FluentValue::from(p.letters_queued)),
                        ("without", FluentValue::from(p.without_address)),
                    ],
                ));
            }
            lines.push(format!(
                "{} ({})",
                texts.instant(p.decided_at),
                p.decided_by
            ));
            lines
        })
        .unwrap_or_default();
    let channels = [
        ("email", Channel::Email),
        ("post", Channel::Post),
        ("phone", Channel::Phone),
        ("public_notice", Channel::PublicNotice),
        ("other", Channel::Other),
    ]
    .into_iter()
    .map(|(value, c)| Choice {
        value,
        label: channel_name(texts, c),
    })
    .collect();
    let reasons = [
        ("no_high_risk", NotInformedReason::NoHighRisk),
        ("unintelligible", NotInformedReason::Unintelligible),
        ("risk_neutralised", NotInformedReason::RiskNeutralised),
        (
            "disproportionate_effort",
            NotInformedReason::DisproportionateEffort,
        ),
    ]
    .into_iter()
    .map(|(value, r)| Choice {
        value,
        label: reason_name(texts, r),
    })
    .collect();
    let page = DetailPage {
        row: Row::new(texts, &b),
        recorded: texts.instant(b.recorded_at),
        recorded_by: d.recorded_by.clone(),
        natures: d
            .nature
            .iter()
            .map(|n| nature_name(texts, *n))
            .collect::<Vec<_>>()
            .join(", "),
        categories: d.categories.join(", "),
        approx_people: number(d.approx_people),
        approx_records: number(d.approx_records),
        consequences: d.consequences.clone(),
        measures: d.measures.clone(),
        subjects: d.subject_ids.len(),
        authority,
        people,
        manage: staff.may(&state, Permission::ManageBreaches),
        channels,
        reasons,
        events: events
            .into_iter()
            .map(|e| Event {
                at: texts.instant(e.at),
                by: e.principal,
                kind: e.kind,
                detail: if e.detail.is_null() {
                    String::new()
                } else {
                    e.detail.to_string()
                },
            })
            .collect(),
        frame,
    };
    Ok(render(&page))
}

/// A decision or a close/reopen on a breach's page (`action` names it), through the
/// API's core calls, then 303 back to the page.
pub(crate) async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/breaches", texts.t("console-breach"));
    let done = async {
        let f = checked(&state, &staff, form, "POST /console/breaches/{id}").await?;
        let who = &staff.principal;
        let text = |name: &str| field(&f, name).to_owned();
        let optional = |name: &str| Some(text(name)).filter(|s| !s.trim().is_empty());
        let b = &state.breaches;
        let action = field(&f, "action");
        match action {
            "notified" => {
                let decision = AuthorityDecision::Notified {
                    reference: text("reference"),
                    at: instant(&f, "notified_at")?,
                    late_reason: optional("late_reason"),
                };
                b.decide_authority(who, &id, decision).await?;
            }
            "not_notified" => {
                let decision = AuthorityDecision::NotNotified {
                    reason: text("reason"),
                };
                b.decide_authority(who, &id, decision).await?;
            }
            "inform" => {
                let decision = PeopleDecision::Inform {
                    channel: text("channel"),
                    at: instant(&f, "informed_at")?,
                };
                b.decide_people(who, &id, decision).await?;
            }
            "do_not_inform" => {
                let decision = PeopleDecision::DoNotInform {
                    reason: text("reason"),
                    explanation: text("explanation"),
                };
                b.decide_people(who, &id, decision).await?;
            }
            "close" | "reopen" => {
                let change = BreachChange {
                    closed: Some(action == "close"),
                    ..Default::default()
                };
                b.update(who, &id, change).await?;
            }
            _ => {
                return Err(ApiError::Unprocessable(
                    "action: expected notified, not_notified, inform, do_not_inform, close or reopen"
                        .to_owned(),
                ));
            }
        }
        Ok::<_, ApiError>(action.to_owned())
    };
    match done.await {
        Ok(action) => Ok(back_to(&format!("/console/breaches/{id}?done={action}"))),
        Err(e) => Err(frame.fail(e)),
    }
}

/// The open breaches with their clocks, for the dashboard (None when the role may
/// not read the register); the same core call, and audit entry, as the register.
pub(crate) async fn open_rows(
    state: &AppState,
    staff: &Staff,
) -> Result<Option<Vec<Row>>, ApiError> {
    if !staff.may(state, Permission::ReadBreaches) {
        return Ok(None);
    }
    let all = state.breaches.list(&staff.principal).await?;
    Ok(Some(
        all.iter()
            .filter(|b| b.state == BreachState::Open)
            .map(|b| Row::new(staff.texts, b))
            .collect(),
    ))
}
