//! Withdrawal everywhere: signed unsubscribe links (a `GET` shows a confirmation,
//! a `POST` unsubscribes, also as RFC 8058 one-click) and a consent preferences page
//! reached by a signed, expiring link. The links are minted through the API for the
//! operator's e-mails; the token is the only credential, and it names one subject
//! (and, for unsubscribe links, one purpose).

use crate::auth::Caller;
use crate::client::ClientAddr;
use crate::json::JsonBody;
use crate::pages::{MessagePage, render};
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use custodia_core::access::Permission;
use custodia_core::consent::{ChoiceInput, ChoiceState, Owner, Proof, Recorder};
use custodia_core::rights::ask_again::KEEP_LINK;
use custodia_core::vault::VaultError;
use custodia_register::{Lang, LegalBasis};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

const UNSUBSCRIBE: &str = "unsubscribe";
/// Held from the check of the current state to the record's commit, so concurrent
/// replays of a withdrawal record it once (these posts are rare and rate limited).
static WITHDRAWALS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const PREFERENCES: &str = "preferences";
/// How long a preferences link works.
const PREFERENCES_DAYS: i64 = 30;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "newsletter"}))]
pub struct UnsubscribeLinkRequest {
    /// A purpose resting on consent, or a direct-marketing purpose on legitimate
    /// interest (the link then records an objection).
    purpose: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnsubscribeLink {
    url: String,
    /// Value for the `List-Unsubscribe` header of the e-mail.
    list_unsubscribe: String,
    /// Value for the `List-Unsubscribe-Post` header (RFC 8058).
    list_unsubscribe_post: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PreferencesLink {
    url: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    expires_at: time::OffsetDateTime,
}

/// The base of minted links: `public_url` from config.toml, never the request's
/// `Host` or `X-Forwarded-*` headers, which the caller chooses.
fn base_url(state: &AppState) -> Result<&str, ApiError> {
    state
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/'))
        .ok_or_else(|| {
            ApiError::Conflict(
                "public_url: not configured; set `public_url` (the address people reach \
                 Custodia at, e.g. https://privacy.example.org) in config.toml before \
                 minting links"
                    .to_owned(),
            )
        })
}

/// Whether a link may withdraw `purpose`: consent, or the marketing whose messages
/// the policy says carry an unsubscribe link; else why not.
fn may_unsubscribe(state: &AppState, purpose: &str) -> Result<(), &'static str> {
    let Some(p) = state.register.purposes.iter().find(|p| p.id == purpose) else {
        return Err("purpose: not a purpose of the register");
    };
    if p.service_messages {
        Err(
            "purpose: service messages cannot be refused while the account exists; close the account to stop them",
        )
    } else if p.legal_basis == Some(LegalBasis::Consent) || p.unsubscribe_link_in_messages() {
        Ok(())
    } else {
        Err("purpose: not a purpose of the register resting on consent or direct marketing")
    }
}

async fn require_subject(
    state: &AppState,
    who: &custodia_core::access::Principal,
    id: &str,
    action: custodia_core::audit::AuditAction,
) -> Result<(), ApiError> {
    state
        .vault
        .require(who, Permission::HandleSubjects, action, Some(id))
        .await?;
    match state.consents.book().subject(id) {
        None => Err(ApiError::NotFound("no such subject".to_owned())),
        Some(s) if s.erased => Err(ApiError::Gone("the subject has been erased".to_owned())),
        Some(_) => Ok(()),
    }
}

/// Mints the unsubscribe link of a subject for one purpose, for the operator's
/// e-mails (with the `List-Unsubscribe` headers it needs).
#[utoipa::path(post, path = "/v1/subjects/{id}/unsubscribe-link", tag = "consent",
    params(("id" = String, Path)), request_body = UnsubscribeLinkRequest,
    responses((status = 200, body = UnsubscribeLink), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem, description = "`public_url` is not configured"),
              (status = 422, body = crate::error::Problem)),
    security(("api_key" = []), ("session" = [])))]
pub async fn unsubscribe_link(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UnsubscribeLinkRequest>,
) -> Result<Json<UnsubscribeLink>, ApiError> {
    require_subject(
        &state,
        &who,
        &id,
        custodia_core::audit::AuditAction::ConsentUnsubscribeLink,
    )
    .await?;
    let base = base_url(&state)?;
    may_unsubscribe(&state, &body.purpose)
        .map_err(|reason| ApiError::Unprocessable(reason.to_owned()))?;
    let token = state
        .tokens
        .sign(UNSUBSCRIBE, &format!("{id}:{}", body.purpose));
    let url = format!("{base}/unsubscribe/{token}");
    Ok(Json(UnsubscribeLink {
        list_unsubscribe: format!("<{url}>"),
        url,
        list_unsubscribe_post: "List-Unsubscribe=One-Click",
    }))
}

/// Mints a link to the subject's consent preferences page, valid 30 days.
#[utoipa::path(post, path = "/v1/subjects/{id}/preferences-link", tag = "consent",
    params(("id" = String, Path)),
    responses((status = 200, body = PreferencesLink), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem, description = "`public_url` is not configured")),
    security(("api_key" = []), ("session" = [])))]
pub async fn preferences_link(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Json<PreferencesLink>, ApiError> {
    require_subject(
        &state,
        &who,
        &id,
        custodia_core::audit::AuditAction::ConsentPreferencesLink,
    )
    .await?;
    let base = base_url(&state)?;
    let expires_at = state.consents.now() + time::Duration::days(PREFERENCES_DAYS);
    let token = state.tokens.sign(
        PREFERENCES,
        &format!("{id}:{}", expires_at.unix_timestamp()),
    );
    Ok(Json(PreferencesLink {
        url: format!("{base}/preferences/{token}"),
        expires_at,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// a language code (`en`, `fr`, `de`, `es`, `it`); default from Accept-Language.
    lang: Option<String>,
}

fn text(lang: Lang, id: &str, args: &custodia_policy::i18n::Args<'_>) -> String {
    custodia_policy::i18n::messages()
        .map(|m| m.text(lang, id, args))
        .unwrap_or_else(|_| id.to_owned())
}

fn message_page(lang: Lang, status: StatusCode, title_id: &str, message: &str) -> Response {
    render(
        status,
        &MessagePage {
            lang: lang.code(),
            title: &text(lang, title_id, &[]),
            role: "status",
            message,
        },
    )
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage<'a> {
    lang: &'static str,
    title: &'a str,
    confirm: &'a str,
    token: &'a str,
    button: &'a str,
}

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage<'a> {
    lang: &'static str,
    title: &'a str,
    intro: &'a str,
    token: &'a str,
    rows: &'a [PreferenceRow<'a>],
}

/// One purpose on the preferences page: its state and the button changing it.
struct PreferenceRow<'a> {
    purpose: &'a str,
    title: &'a str,
    description: &'a str,
    status: String,
    /// The state the button records and its label.
    action: Option<(&'static str, String)>,
}

/// The page an invalid, forged or expired link leads to.
fn invalid_link(lang: Lang, title_id: &str) -> Response {
    let message = text(lang, "subject-link-invalid", &[]);
    message_page(lang, StatusCode::NOT_FOUND, title_id, &message)
}

/// The page of a link whose subject has been erased.
fn erased_page(lang: Lang, title_id: &str) -> Response {
    let message = text(lang, "subject-erased", &[]);
    message_page(lang, StatusCode::GONE, title_id, &message)
}

fn purpose_title(state: &AppState, purpose: &str, lang: Lang) -> String {
    state
        .register
        .purposes
        .iter()
        .find(|p| p.id == purpose)
        .map_or_else(|| purpose.to_owned(), |p| p.title.in_lang(lang).to_owned())
}

/// `(subject id, purpose)` of a valid unsubscribe token.
fn unsubscribe_target<'t>(state: &AppState, token: &'t str) -> Option<(&'t str, &'t str)> {
    let payload = state.tokens.verify(UNSUBSCRIBE, token)?;
    payload.split_once(':')
}

/// The confirmation an unsubscribe link opens; nothing changes until it is posted.
#[utoipa::path(get, path = "/unsubscribe/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "Confirmation page", content_type = "text/html"),
              (status = 404, description = "Invalid link", content_type = "text/html")))]
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let Some((_, purpose)) = unsubscribe_target(&state, &token) else {
        return invalid_link(lang, "subject-unsubscribe-title");
    };
    let title = text(lang, "subject-unsubscribe-title", &[]);
    let name = purpose_title(&state, purpose, lang);
    render(
        StatusCode::OK,
        &UnsubscribePage {
            lang: lang.code(),
            title: &title,
            confirm: &text(
                lang,
                "subject-unsubscribe-confirm",
                &[("purpose", name.as_str().into())],
            ),
            token: &token,
            button: &text(lang, "subject-unsubscribe-button", &[]),
        },
    )
}

fn proof(method: &str, ip: IpAddr, headers: &HeaderMap, lang: Lang) -> Proof {
    Proof {
        method: method.to_owned(),
        ip: Some(ip),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        gpc: false,
        jurisdiction: None,
        banner_version: None,
        text_sha256: None,
        lang: Some(lang),
    }
}

/// The state that stops processing: a withdrawal of consent, or an objection.
fn stop_state(state: &AppState, purpose: &str) -> &'static str {
    match state.consents.book().catalog().purpose(purpose) {
        Some(p) if p.needs_consent() => "withdrawn",
        _ => "refused",
    }
}

/// Unsubscribes: the confirmation form's post, or a mail client's RFC 8058
/// one-click post (`List-Unsubscribe=One-Click`).
#[utoipa::path(post, path = "/unsubscribe/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "Unsubscribed", content_type = "text/html"),
              (status = 404, description = "Invalid link", content_type = "text/html"),
              (status = 410, description = "Subject erased", content_type = "text/html"),
              (status = 429, body = crate::error::Problem)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    crate::rights::limit(&state, client)?;
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let Some((subject_id, purpose)) = unsubscribe_target(&state, &token) else {
        return Ok(invalid_link(lang, "subject-unsubscribe-title"));
    };
    let name = purpose_title(&state, purpose, lang);
    let done = || {
        message_page(
            lang,
            StatusCode::OK,
            "subject-unsubscribe-title",
            &text(
                lang,
                "subject-unsubscribe-done",
                &[("purpose", name.as_str().into())],
            ),
        )
    };
    let owner = Owner::Subject(subject_id.to_owned());
    let _serialised = WITHDRAWALS.lock().await;
    // A replayed post (or a mail client posting twice) changes nothing: a second
    // record would only repeat the first.
    let stopped = state.consents.book().current(&owner).iter().any(|c| {
        c.purpose == purpose
            && c.service.is_none()
            && matches!(c.state, ChoiceState::Withdrawn | ChoiceState::Refused)
    });
    if stopped {
        return Ok(done());
    }
    let choice = ChoiceInput {
        purpose: purpose.to_owned(),
        service: None,
        state: stop_state(&state, purpose).to_owned(),
    };
    let result = state
        .consents
        .record(
            Recorder::Subject,
            owner,
            &[choice],
            &proof("unsubscribe", client.ip, &headers, lang),
        )
        .await;
    match result {
        Ok(_) => Ok(done()),
        Err(
            custodia_core::consent::ConsentError::Erased
            | custodia_core::consent::ConsentError::NotFound,
        ) => Ok(erased_page(lang, "subject-unsubscribe-title")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "keep.html")]
struct KeepPage<'a> {
    lang: &'static str,
    title: &'a str,
    confirm: &'a str,
    token: &'a str,
    button: &'a str,
}

/// `(subject id, rule)` of a valid keep link.
fn keep_target<'t>(state: &AppState, token: &'t str) -> Option<(&'t str, &'t str)> {
    let payload = state.tokens.verify(KEEP_LINK, token)?;
    payload.split_once(':')
}

/// The page a "shall we keep your data?" e-mail links to; nothing changes until
/// it is posted (mail scanners open links).
#[utoipa::path(get, path = "/keep/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "Confirmation page", content_type = "text/html"),
              (status = 404, description = "Invalid link", content_type = "text/html")))]
pub async fn keep_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    if keep_target(&state, &token).is_none() {
        return invalid_link(lang, "subject-keep-title");
    }
    let controller = state.vault.controller_name();
    render(
        StatusCode::OK,
        &KeepPage {
            lang: lang.code(),
            title: &text(lang, "subject-keep-title", &[]),
            confirm: &text(
                lang,
                "subject-keep-confirm",
                &[("controller", controller.as_str().into())],
            ),
            token: &token,
            button: &text(lang, "subject-keep-button", &[]),
        },
    )
}

/// Keeps the person's data: their answer is a contact they initiated, which
/// restarts the retention rule that asked.
#[utoipa::path(post, path = "/keep/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "Kept", content_type = "text/html"),
              (status = 404, description = "Invalid link", content_type = "text/html"),
              (status = 410, description = "Subject erased", content_type = "text/html"),
              (status = 429, body = crate::error::Problem)))]
pub async fn keep(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    crate::rights::limit(&state, client)?;
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let Some((subject_id, rule)) = keep_target(&state, &token) else {
        return Ok(invalid_link(lang, "subject-keep-title"));
    };
    match state.vault.keep_by_answer(subject_id, rule).await {
        Ok(()) => Ok(message_page(
            lang,
            StatusCode::OK,
            "subject-keep-title",
            &text(lang, "subject-keep-done", &[]),
        )),
        Err(VaultError::Erased | VaultError::NotFound) => {
            Ok(erased_page(lang, "subject-keep-title"))
        }
        Err(e) => Err(e.into()),
    }
}

/// The subject id of a valid, unexpired preferences token.
fn preferences_subject<'t>(state: &AppState, token: &'t str) -> Option<&'t str> {
    let payload = state.tokens.verify(PREFERENCES, token)?;
    let (subject, expires) = payload.split_once(':')?;
    let expires: i64 = expires.parse().ok()?;
    (state.consents.now().unix_timestamp() < expires).then_some(subject)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PreferenceForm {
    purpose: String,
    state: String,
}

/// The subject's consent choices, each with the button that changes it.
#[utoipa::path(get, path = "/preferences/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "Preferences page", content_type = "text/html"),
              (status = 404, description = "Invalid or expired link", content_type = "text/html")))]
pub async fn preferences_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let Some(subject_id) = preferences_subject(&state, &token) else {
        return invalid_link(lang, "subject-preferences-title");
    };
    let subject = match state.consents.book().subject(subject_id) {
        Some(s) if !s.erased => s,
        _ => return erased_page(lang, "subject-preferences-title"),
    };
    let current = state
        .consents
        .book()
        .current(&Owner::Subject(subject_id.to_owned()));
    let now = state.consents.now();
    let mut rows = Vec::new();
    for purpose in &state.register.purposes {
        let Some(rules) = state.consents.book().catalog().purpose(&purpose.id) else {
            continue;
        };
        let applies = rules.subjects.is_empty() || rules.subjects.contains(&subject.kind);
        let objectable =
            rules.basis == Some(LegalBasis::LegitimateInterest) && rules.direct_marketing;
        if !applies || !(rules.needs_consent() || objectable) {
            continue;
        }
        let choice = current
            .iter()
            .find(|c| c.purpose == purpose.id && c.service.is_none());
        let effective = choice.map(|c| match c.state {
            ChoiceState::Given if c.expires_at.is_some_and(|e| e <= now) => ChoiceState::Expired,
            s => s,
        });
        let (status_id, action_state, action_id) = match (objectable, effective) {
            (true, Some(ChoiceState::Refused | ChoiceState::Withdrawn)) => {
                ("subject-state-objected", None, "")
            }
            (true, _) => (
                "subject-state-not-objected",
                Some("refused"),
                "subject-action-object",
            ),
            (false, Some(ChoiceState::Given)) => (
                "subject-state-given",
                Some("withdrawn"),
                "subject-action-withdraw",
            ),
            (false, Some(ChoiceState::Refused)) => (
                "subject-state-refused",
                Some("given"),
                "subject-action-give",
            ),
            (false, Some(ChoiceState::Withdrawn)) => (
                "subject-state-withdrawn",
                Some("given"),
                "subject-action-give",
            ),
            (false, Some(ChoiceState::Expired)) => (
                "subject-state-expired",
                Some("given"),
                "subject-action-give",
            ),
            (false, None) => ("subject-state-none", Some("given"), "subject-action-give"),
        };
        rows.push(PreferenceRow {
            purpose: &purpose.id,
            title: purpose.title.in_lang(lang),
            description: purpose.description.in_lang(lang),
            status: text(lang, status_id, &[]),
            action: action_state.map(|s| (s, text(lang, action_id, &[]))),
        });
    }
    render(
        StatusCode::OK,
        &PreferencesPage {
            lang: lang.code(),
            title: &text(lang, "subject-preferences-title", &[]),
            intro: &text(lang, "subject-preferences-intro", &[]),
            token: &token,
            rows: &rows,
        },
    )
}

/// Records a choice made on the preferences page, then shows the page again.
#[utoipa::path(post, path = "/preferences/{token}", tag = "consent", params(("token" = String, Path), LangQuery),
    responses((status = 303, description = "Recorded; back to the page"),
              (status = 404, description = "Invalid or expired link", content_type = "text/html"),
              (status = 429, body = crate::error::Problem)))]
pub async fn preferences_submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<PreferenceForm>,
) -> Result<Response, ApiError> {
    crate::rights::limit(&state, client)?;
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let Some(subject_id) = preferences_subject(&state, &token) else {
        return Ok(invalid_link(lang, "subject-preferences-title"));
    };
    let back = Redirect::to(&format!("/preferences/{token}?lang={}", lang.code())).into_response();
    let owner = Owner::Subject(subject_id.to_owned());
    let _serialised = WITHDRAWALS.lock().await;
    // Replaying a withdrawal or an objection records nothing new (a consent given
    // again is recorded: it may renew one that expired or changed).
    let stopping = match form.state.as_str() {
        "withdrawn" => Some(ChoiceState::Withdrawn),
        "refused" => Some(ChoiceState::Refused),
        _ => None,
    };
    if let Some(stop) = stopping
        && state
            .consents
            .book()
            .current(&owner)
            .iter()
            .any(|c| c.purpose == form.purpose && c.service.is_none() && c.state == stop)
    {
        return Ok(back);
    }
    let choice = ChoiceInput {
        purpose: form.purpose,
        service: None,
        state: form.state,
    };
    state
        .consents
        .record(
            Recorder::Subject,
            owner,
            &[choice],
            &proof("portal", client.ip, &headers, lang),
        )
        .await?;
    Ok(back)
}
