//! The public rights portal: one form for every right the register offers, the
//! code page, and the ID document upload. Plain HTML forms (templates `portal*.html`),
//! no script, in a published language from `?lang=` or the browser's languages.

use crate::client::ClientAddr;
use crate::pages::{MessagePage, render};
use crate::rights::{body_error, limit};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use custodia_core::rights::letters::right_label;
use custodia_core::rights::{
    AfterDeath, Directive, DirectiveAction, NewRequest, RightsError, right_id,
};
use custodia_register::Lang;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LangQuery {
    /// A published language code; otherwise the browser's languages decide.
    lang: Option<String>,
}

fn t(lang: Lang, id: &str) -> String {
    custodia_policy::i18n::messages()
        .map(|m| m.text(lang, id, &[]))
        .unwrap_or_else(|_| id.to_owned())
}

#[derive(Template)]
#[template(path = "portal.html")]
struct FormPage<'a> {
    language: Lang,
    lang: &'static str,
    title: String,
    error: Option<&'a str>,
    /// (id, label) of each right offered.
    rights: Vec<(String, String)>,
    /// (id, name) of each stored category.
    categories: Vec<(&'a str, &'a str)>,
}

#[derive(Template)]
#[template(path = "portal-code.html")]
struct CodePage<'a> {
    language: Lang,
    lang: &'static str,
    title: String,
    id: &'a str,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "portal-document.html")]
struct DocumentPage<'a> {
    language: Lang,
    lang: &'static str,
    title: String,
    id: &'a str,
}

#[derive(Template)]
#[template(path = "download.html")]
struct DownloadPage<'a> {
    lang: &'static str,
    title: &'a str,
    intro: &'a str,
    token: &'a str,
    button: &'a str,
}

/// Texts of the page's language, for the templates.
macro_rules! texts {
    ($($page:ident),*) => {$(
        impl $page<'_> {
            fn t(&self, id: &str) -> String {
                t(self.language, id)
            }
        }
    )*};
}
texts!(FormPage, CodePage, DocumentPage);

/// A page saying one thing (`role`: `status`, or `alert` for an error).
fn message_page(
    lang: Lang,
    status: StatusCode,
    title: &str,
    role: &'static str,
    text: &str,
) -> Response {
    render(
        status,
        &MessagePage {
            lang: lang.code(),
            title,
            role,
            message: text,
        },
    )
}

fn t_args(lang: Lang, id: &str, args: &custodia_policy::i18n::Args<'_>) -> String {
    custodia_policy::i18n::messages()
        .map(|m| m.text(lang, id, args))
        .unwrap_or_else(|_| id.to_owned())
}

/// An error as a page in the requester's language: a person filled in a form, so
/// never a JSON document. Status and headers (`Retry-After`...) stay the API's.
fn error_page(lang: Lang, e: ApiError) -> Response {
    let message = match &e {
        ApiError::PayloadTooLarge(_) => t_args(
            lang,
            "portal-too-large",
            &[(
                "mib",
                (custodia_core::rights::MAX_DOCUMENT_BYTES >> 20).into(),
            )],
        ),
        ApiError::TooManyRequests(_) => t(lang, "portal-too-many"),
        ApiError::Internal(_) => t(lang, "portal-error-internal"),
        other => other.to_string(),
    };
    let (mut parts, _) = e.into_response().into_parts();
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let title = t(lang, "portal-error-title");
    let page = message_page(lang, parts.status, &title, "alert", &message);
    (parts.headers, page).into_response()
}

/// A handler's result as a page: errors through [`error_page`].
fn html(lang: Lang, result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|e| error_page(lang, e))
}

/// The request form.
#[utoipa::path(get, operation_id = "portal_form", path = "/portal", tag = "rights", params(LangQuery),
    responses((status = 200, content_type = "text/html")))]
pub async fn form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    form_page(&state, lang, StatusCode::OK, None)
}

fn form_page(state: &AppState, lang: Lang, status: StatusCode, error: Option<&str>) -> Response {
    let rights = state
        .rights
        .offered()
        .into_iter()
        .map(|r| {
            let id = right_id(r);
            let label = right_label(lang, &id);
            (id, label)
        })
        .collect();
    let categories = state
        .register
        .categories
        .iter()
        .filter(|c| !c.never_stored)
        .map(|c| (c.id.as_str(), c.name.in_lang(lang)))
        .collect();
    render(
        status,
        &FormPage {
            language: lang,
            lang: lang.code(),
            title: t(lang, "portal-title"),
            error,
            rights,
            categories,
        },
    )
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PortalForm {
    kind: String,
    email: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    directive: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    other_email: String,
}

fn directive_of(f: &PortalForm) -> Option<Directive> {
    let action = match f.directive.as_str() {
        "record" => DirectiveAction::Record,
        "revoke" => DirectiveAction::Revoke,
        "execute" => DirectiveAction::Execute,
        _ => return None,
    };
    let instructions = match f.instructions.as_str() {
        "erase" => Some(AfterDeath::Erase),
        "transmit" => Some(AfterDeath::Transmit),
        "keep" => Some(AfterDeath::Keep),
        _ => None,
    };
    Some(Directive {
        action,
        instructions,
        other_email: (!f.other_email.trim().is_empty()).then(|| f.other_email.trim().to_owned()),
    })
}

/// Submits the form; on success, the code page.
#[utoipa::path(post, operation_id = "submit_portal_form", path = "/portal", tag = "rights",
    request_body(content = PortalForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303), (status = 422, content_type = "text/html"),
              (status = 429, content_type = "text/html")))]
pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    form: Result<Form<PortalForm>, FormRejection>,
) -> Response {
    let lang = match &form {
        Ok(Form(f)) => {
            crate::pages::page_lang(&state.register.languages, Some(&f.language), &headers)
        }
        Err(_) => crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers),
    };
    let result = async {
        limit(&state, client)?;
        let Form(f) = form.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(e.body_text()),
            _ => ApiError::Unprocessable(format!("form: {}", e.body_text())),
        })?;
        submit_form(&state, lang, f).await
    }
    .await;
    html(lang, result)
}

async fn submit_form(state: &AppState, lang: Lang, f: PortalForm) -> Result<Response, ApiError> {
    let changes = (!f.category.is_empty()).then(|| {
        let mut m = Map::new();
        m.insert(f.category.clone(), Value::String(f.value.clone()));
        m
    });
    let new = NewRequest {
        kind: f.kind.clone(),
        email: f.email.clone(),
        language: Some(lang.code().to_owned()),
        details: (!f.details.trim().is_empty()).then(|| f.details.clone()),
        changes,
        purposes: Vec::new(),
        directive: directive_of(&f),
    };
    match state.rights.submit(new).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/portal/requests/{id}?lang={}", lang.code())).into_response(),
        ),
        Err(e @ (RightsError::Invalid { .. } | RightsError::TooManyRequests(_))) => {
            let status = if matches!(e, RightsError::TooManyRequests(_)) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(form_page(state, lang, status, Some(&e.to_string())))
        }
        Err(e) => Err(e.into()),
    }
}

fn code_page_of(lang: Lang, status: StatusCode, id: &str, error: Option<&str>) -> Response {
    render(
        status,
        &CodePage {
            language: lang,
            lang: lang.code(),
            title: t(lang, "portal-code-title"),
            id,
            error,
        },
    )
}

/// Where the requester enters the e-mailed code.
#[utoipa::path(get, operation_id = "portal_code_page", path = "/portal/requests/{id}", tag = "rights",
    params(("id" = String, Path), LangQuery), responses((status = 200, content_type = "text/html")))]
pub async fn code_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    code_page_of(lang, StatusCode::OK, &id, None)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CodeForm {
    code: String,
}

/// Checks the code the requester entered; the answer page says what happens next.
#[utoipa::path(post, operation_id = "portal_confirm_code", path = "/portal/requests/{id}", tag = "rights",
    params(("id" = String, Path), LangQuery),
    request_body(content = CodeForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, content_type = "text/html")))]
pub async fn confirm(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let result = async {
        limit(&state, client)?;
        let Form(f) =
            form.map_err(|e| ApiError::Unprocessable(format!("code: {}", e.body_text())))?;
        match state.rights.verify(&id, &f.code).await {
            Ok(()) => Ok(message_page(
                lang,
                StatusCode::OK,
                &t(lang, "portal-done-title"),
                "status",
                &t(lang, "portal-done"),
            )),
            Err(
                e @ (RightsError::Invalid { .. }
                | RightsError::Forbidden(_)
                | RightsError::Conflict(_)
                | RightsError::NotFound),
            ) => Ok(code_page_of(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                &id,
                Some(&e.to_string()),
            )),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    html(lang, result)
}

/// The ID document form, reached from the e-mail sent when staff doubt identity.
#[utoipa::path(get, operation_id = "portal_document_page", path = "/portal/requests/{id}/document", tag = "rights",
    params(("id" = String, Path), LangQuery), responses((status = 200, content_type = "text/html")))]
pub async fn document_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    render(
        StatusCode::OK,
        &DocumentPage {
            language: lang,
            lang: lang.code(),
            title: t(lang, "portal-document-title"),
            id: &id,
        },
    )
}

/// Takes the ID document from the portal form (multipart).
#[utoipa::path(post, operation_id = "portal_upload_document", path = "/portal/requests/{id}/document", tag = "rights",
    params(("id" = String, Path), LangQuery),
    request_body(content = crate::wire::DocumentForm, content_type = "multipart/form-data"),
    responses((status = 200, content_type = "text/html"), (status = 413, content_type = "text/html"),
              (status = 422, content_type = "text/html")))]
pub async fn document_upload(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let result = async {
        limit(&state, client)?;
        let mut multipart = multipart.map_err(|e| body_error(&e.status(), "document"))?;
        let mut upload = None;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| body_error(&e.status(), "document"))?
        {
            if field.name() == Some("document") {
                let media_type = field.content_type().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| body_error(&e.status(), "document"))?;
                upload = Some((media_type, bytes));
            }
        }
        let (media_type, bytes) =
            upload.ok_or_else(|| ApiError::Unprocessable("document: choose a file".to_owned()))?;
        state
            .rights
            .upload_document(&id, &media_type, &bytes)
            .await?;
        Ok(message_page(
            lang,
            StatusCode::OK,
            &t(lang, "portal-document-title"),
            "status",
            &t(lang, "portal-document-done"),
        ))
    }
    .await;
    html(lang, result)
}

/// What a download link opens: a page whose button downloads. Opening it (a mail
/// scanner's GET or HEAD) uses nothing; only the button's POST uses the link.
#[utoipa::path(get, operation_id = "download_page", path = "/download/{token}", tag = "rights",
    params(("token" = String, Path), LangQuery),
    responses((status = 200, content_type = "text/html"), (status = 404, content_type = "text/html")))]
pub async fn download_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let title = t(lang, "portal-download-title");
    let page = match state.rights.download_format(&token).await {
        Ok(format) => render(
            StatusCode::OK,
            &DownloadPage {
                lang: lang.code(),
                title: &title,
                intro: &t_args(
                    lang,
                    "portal-download-intro",
                    &[("format", format.id().to_uppercase().into())],
                ),
                token: &token,
                button: &t(lang, "portal-download-button"),
            },
        ),
        Err(RightsError::NotFound) => download_gone(lang),
        Err(e) => error_page(lang, e.into()),
    };
    ([(header::CACHE_CONTROL, "no-store")], page).into_response()
}

fn download_gone(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::NOT_FOUND,
        &t(lang, "portal-download-title"),
        "alert",
        &t(lang, "portal-download-invalid"),
    )
}

/// The download page's button: serves the package once. Of concurrent uses exactly
/// one gets it; the others get the page saying the link was used.
#[utoipa::path(post, operation_id = "download_package", path = "/download/{token}", tag = "rights",
    params(("token" = String, Path), LangQuery),
    responses((status = 200, description = "the package, as HTML, JSON or CSV"),
              (status = 404, content_type = "text/html")))]
pub async fn download(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::pages::page_lang(&state.register.languages, q.lang.as_deref(), &headers);
    let result = async {
        limit(&state, client)?;
        let (format, bytes) = match state.rights.download(&token).await {
            Ok(found) => found,
            Err(RightsError::NotFound) => return Ok(download_gone(lang)),
            Err(e) => return Err(e.into()),
        };
        let disposition = format!("attachment; filename=\"my-data.{}\"", format.id());
        Ok((
            [
                (header::CONTENT_TYPE, format.media_type().to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    html(lang, result)
}
