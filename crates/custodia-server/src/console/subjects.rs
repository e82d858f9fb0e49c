//! Subjects in the console: search by e-mail, phone or login for a purpose (each
//! search audited by `Vault::lookup`) and a subject's page (`Vault::get`, consent
//! history), with what the role may read and nothing else.

use super::{Frame, PageError, Staff, Texts, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use custodia_core::access::Role;
use custodia_core::audit::AuditAction;
use custodia_core::vault::SubjectView;
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
    let kinds = ["email", "phone", "login"]
        .into_iter()
        .map(|k| Choice {
            value: k.to_owned(),
            label: texts.t(&format!("console-search-{k}")),
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
            detail: texts.t(&format!("console-consent-{}", c.state.id())),
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
    Ok(render(&Subject {
        frame,
        kind: view.kind,
        created: texts.date(view.created_at),
        fields,
        consents,
        events,
        disclosures,
        id: view.id,
    }))
}
