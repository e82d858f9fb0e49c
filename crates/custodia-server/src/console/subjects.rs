//! Subjects in the console: search by e-mail, phone or login for a purpose (each
//! search audited by `Vault::lookup`) and a subject's page (`Vault::get`, consent
//! history, the rights requests naming them (`Rights::for_subject`) and the
//! retention of each category (`Retention::subject_retention`)), with what the role
//! may read and nothing else.

use super::{Frame, PageError, Staff, Texts, back_to, render};
use crate::AppState;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use custodia_core::access::Permission;
use custodia_core::access::Role;
use custodia_core::audit::AuditAction;
use custodia_core::consent::ChoiceState;
use custodia_core::retention::CategoryPhase;
use custodia_core::retention::sweep::CategoryRetention;
use custodia_core::vault::SubjectView;
use custodia_policy::i18n::FluentValue;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchQuery {
    by: Option<String>,
    value: Option<String>,
    purpose: Option<String>,
}

pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub(crate) struct Found {
    href: String,
    id: String,
    kind: String,
    created: String,
}

#[derive(Template)]
#[template(path = "console/subjects.html")]
struct Search {
    frame: Frame,
    kinds: Vec<Choice>,
    purposes: Vec<Choice>,
    value: String,
    searched: bool,
    found: Vec<Found>,
}

/// The register's purposes the role serves (all of them for the DPO): what a
/// search may be made for.
fn purposes(state: &AppState, role: &Role, texts: Texts, chosen: Option<&str>) -> Vec<Choice> {
    state
        .register
        .purposes
        .iter()
        .filter(|p| *role == Role::Dpo || p.recipients.iter().any(|r| r == role.name()))
        .map(|p| Choice {
            value: p.id.clone(),
            label: p.title.in_lang(texts.0).to_owned(),
            selected: chosen == Some(p.id.as_str()),
        })
        .collect()
}

fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) async fn search(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/subjects",
        texts.t("console-subjects-title"),
    );
    if let Err(e) = state
        .vault
        .require(
            &staff.principal,
            custodia_core::access::Permission::HandleSubjects,
            AuditAction::SubjectLookup,
            None,
        )
        .await
    {
        return Err(frame.fail(e));
    }
    let by = set(&q.by).unwrap_or("email");
    let kinds = [
        ("email", "console-search-email"),
        ("phone", "console-search-phone"),
        ("login", "console-search-login"),
    ]
    .into_iter()
    .map(|(k, label)| Choice {
        value: k.to_owned(),
        label: texts.t(label),
        selected: k == by,
    })
    .collect();
    let purpose = set(&q.purpose);
    let mut found = Vec::new();
    let searched = set(&q.value).is_some();
    if let Some(value) = set(&q.value) {
        if !["email", "phone", "login"].contains(&by) {
            return Err(frame.fail(crate::ApiError::BadRequest(
                "by: expected email, phone or login".to_owned(),
            )));
        }
        let Some(purpose) = purpose else {
            return Err(frame.fail(crate::ApiError::BadRequest(
                "purpose: choose the purpose the search is made for".to_owned(),
            )));
        };
        match state
            .vault
            .lookup(&staff.principal, by, value, Some(purpose))
            .await
        {
            Ok(views) => {
                found = views
                    .into_iter()
                    .map(|v| Found {
                        href: format!("/console/subjects/{}?purpose={purpose}", v.id),
                        id: v.id,
                        kind: v.kind,
                        created: texts.date(v.created_at),
                    })
                    .collect();
            }
            Err(e) => return Err(frame.fail(e)),
        }
    }
    let purposes = purposes(&state, &staff.principal.role, texts, purpose);
    Ok(render(&Search {
        frame,
        kinds,
        purposes,
        value: set(&q.value).unwrap_or_default().to_owned(),
        searched,
        found,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SubjectQuery {
    purpose: Option<String>,
}

pub(crate) struct Field {
    category: String,
    value: String,
}

pub(crate) struct Line {
    at: String,
    what: String,
    detail: String,
}

/// One category's retention on the subject's page.
pub(crate) struct Kept {
    category: String,
    phase: String,
    /// Empty when no step is to come.
    next: String,
    next_iso: String,
    held: bool,
}

impl Kept {
    fn new(texts: Texts, o: CategoryRetention) -> Kept {
        let phase = match &o.phase {
            CategoryPhase::Active => texts.t("console-phase-active"),
            CategoryPhase::Archive { readers } => texts.args(
                "console-phase-archive",
                &[("readers", FluentValue::from(readers.join(", ")))],
            ),
            CategoryPhase::Expired => texts.t("console-phase-expired"),
        };
        let (next, next_iso, held) = match &o.next {
            Some(step) => (
                texts.args(
                    "console-step-due",
                    &[
                        (
                            "action",
                            FluentValue::from(texts.t(match step.action {
                                "archive" => "console-step-archive",
                                "anonymise" => "console-step-anonymise",
                                _ => "console-step-delete",
                            })),
                        ),
                        ("date", FluentValue::from(texts.date(step.at))),
                        ("rule", FluentValue::from(step.rule.as_str())),
                    ],
                ),
                custodia_policy::i18n::iso_date(step.at.date()),
                step.held,
            ),
            None => (String::new(), String::new(), false),
        };
        Kept {
            category: o.category,
            phase,
            next,
            next_iso,
            held,
        }
    }
}

#[derive(Template)]
#[template(path = "console/subject.html")]
struct Subject {
    frame: Frame,
    id: String,
    kind: String,
    created: String,
    fields: Vec<Field>,
    consents: Vec<Line>,
    events: Vec<Line>,
    disclosures: Vec<Line>,
    purpose: String,
    /// Categories the role may correct (empty: no rectification form).
    writable: Vec<String>,
    may_erase: bool,
    /// Rights requests naming the person (None when the role handles no requests).
    requests: Option<Vec<super::requests::Row>>,
    /// Retention of each category (None when the role may not see retention).
    retention: Option<Vec<Kept>>,
}

pub(crate) async fn subject(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<SubjectQuery>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/subjects",
        texts.t("console-subject-title"),
    );
    let who = &staff.principal;
    if let Err(e) =
        crate::subjects::check_id(&state, who, AuditAction::SubjectRead, "id", &id).await
    {
        return Err(frame.fail(e));
    }
    let view: SubjectView = match state.vault.get(who, &id, set(&q.purpose)).await {
        Ok(v) => v,
        Err(e) => return Err(frame.fail(e)),
    };
    let history =
        match crate::consents::subject_history(&state, who, &id, AuditAction::ConsentRead).await {
            Ok(h) => h,
            Err(e) => return Err(frame.fail(e)),
        };
    let fields = view
        .data
        .iter()
        .map(|(category, value)| Field {
            category: category.clone(),
            value: match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect();
    let consents = history
        .current
        .iter()
        .map(|c| Line {
            at: texts.instant(c.at),
            what: match &c.service {
                Some(s) => format!("{} / {s}", c.purpose),
                None => c.purpose.clone(),
            },
            detail: texts.t(match c.state {
                ChoiceState::Given => "console-consent-given",
                ChoiceState::Refused => "console-consent-refused",
                ChoiceState::Withdrawn => "console-consent-withdrawn",
                ChoiceState::Expired => "console-consent-expired",
            }),
        })
        .collect();
    let events = view
        .events
        .iter()
        .map(|e| Line {
            at: texts.instant(e.at),
            what: e.event.clone(),
            detail: String::new(),
        })
        .collect();
    let disclosures = view
        .disclosures
        .iter()
        .map(|d| Line {
            at: texts.instant(d.at),
            what: d.recipient.clone(),
            detail: format!("{} ({})", d.categories.join(", "), d.purpose),
        })
        .collect();
    // Each part only for the roles that may see it, through the same permission and
    // audit as its list: requests as the queue, retention as the plan.
    let requests = if staff.may(&state, Permission::HandleRequests) {
        match state.rights.for_subject(who, &view.id).await {
            Ok(list) => Some(
                list.iter()
                    .map(|r| super::requests::Row::new(texts, r))
                    .collect(),
            ),
            Err(e) => return Err(frame.fail(e)),
        }
    } else {
        None
    };
    let retention = if staff.may(&state, Permission::ManageRetention) {
        let outlook = match crate::retention::require(&state, who, AuditAction::RetentionPlan).await
        {
            Ok(()) => crate::retention::subject_retention(&state, who, &view.id).await,
            Err(e) => Err(e),
        };
        match outlook {
            Ok(list) => Some(list.into_iter().map(|o| Kept::new(texts, o)).collect()),
            Err(e) => return Err(frame.fail(e)),
        }
    } else {
        None
    };
    let writable = if staff.may(&state, Permission::HandleSubjects) {
        state
            .vault
            .access()
            .categories(&who.role)
            .iter()
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&Subject {
        frame,
        purpose: set(&q.purpose).unwrap_or_default().to_owned(),
        writable,
        may_erase: staff.may(&state, Permission::EraseSubjects),
        requests,
        retention,
        kind: view.kind,
        created: texts.date(view.created_at),
        fields,
        consents,
        events,
        disclosures,
        id: view.id,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RectifyForm {
    csrf: String,
    category: String,
    value: String,
    #[serde(default)]
    purpose: String,
}

/// Corrects one field through `Vault::update` (as `PATCH /v1/subjects/{id}`), then
/// 303 back to the person's page.
pub(crate) async fn rectify(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<RectifyForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/subjects",
        texts.t("console-subject-title"),
    );
    let route = "POST /console/subjects/{id}";
    let form = match form {
        Ok(Form(form)) => form,
        Err(_) => {
            let e = staff.check_csrf(&state, "", route).await.err();
            return Err(frame.fail(e.unwrap_or_else(|| {
                crate::ApiError::BadRequest("form: give category and value".to_owned())
            })));
        }
    };
    if let Err(e) = staff.check_csrf(&state, &form.csrf, route).await {
        return Err(frame.fail(e));
    }
    let who = &staff.principal;
    if let Err(e) =
        crate::subjects::check_id(&state, who, AuditAction::SubjectUpdate, "id", &id).await
    {
        return Err(frame.fail(e));
    }
    let purpose = Some(form.purpose.trim()).filter(|p| !p.is_empty());
    let mut data = serde_json::Map::new();
    data.insert(form.category.clone(), serde_json::Value::String(form.value));
    match state.vault.update(who, &id, None, data, purpose).await {
        Ok(()) => Ok(back_to(&format!(
            "/console/subjects/{id}?purpose={}&done=rectify",
            super::percent_encode(purpose.unwrap_or_default())
        ))),
        Err(e) => Err(frame.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "console/erase.html")]
struct Erase {
    frame: Frame,
    id: String,
}

/// The confirmation step before an erasure.
pub(crate) async fn erase_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/subjects", texts.t("console-erase-title"));
    if let Err(e) = state
        .vault
        .require(
            &staff.principal,
            Permission::EraseSubjects,
            AuditAction::SubjectErase,
            Some(&id),
        )
        .await
    {
        return Err(frame.fail(e));
    }
    Ok(render(&Erase { frame, id }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct EraseForm {
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// Erases through `Vault::erase` (crypto-shredding, as `DELETE /v1/subjects/{id}`)
/// once the confirmation box is ticked.
pub(crate) async fn erase(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<EraseForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console/subjects", texts.t("console-erase-title"));
    let sent = form.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
    if let Err(e) = staff
        .check_csrf(&state, sent, "POST /console/subjects/{id}/erase")
        .await
    {
        return Err(frame.fail(e));
    }
    if form.ok().and_then(|f| f.0.confirm).is_none() {
        return Err(frame.fail(crate::ApiError::Unprocessable(
            "confirm: tick the box to confirm the erasure".to_owned(),
        )));
    }
    let who = &staff.principal;
    if let Err(e) =
        crate::subjects::check_id(&state, who, AuditAction::SubjectErase, "id", &id).await
    {
        return Err(frame.fail(e));
    }
    match state.vault.erase(who, &id).await {
        Ok(()) => Ok(back_to("/console/subjects?done=erase")),
        Err(e) => Err(frame.fail(e)),
    }
}
