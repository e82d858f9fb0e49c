//! Public policy pages: the version in force at a stable URL, every published
//! version, and the difference between two.

use crate::json::{Path, Query};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use custodia_core::publishing::PolicyVersion;
use custodia_policy::{Format, Kind};
use custodia_register::Lang;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// a language code (`en`, `fr`, `de`, `es`, `it`); without it, the Accept-Language header decides.
    lang: Option<String>,
    /// `html` (default), `md` or `json`.
    format: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// Older version number.
    from: i64,
    /// Newer version number.
    to: i64,
    /// a language code (`en`, `fr`, `de`, `es`, `it`); without it, the Accept-Language header decides.
    lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionInfo {
    number: i64,
    /// RFC 3339 instant from which the version applies.
    effective_at: String,
    /// SHA-256 of the register text this version was rendered from.
    register_sha256: String,
    /// Whether this is the version in force.
    in_force: bool,
    documents: Vec<DocumentInfo>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentInfo {
    kind: String,
    lang: String,
    format: String,
    sha256: String,
    /// Where to read this document.
    url: String,
}

pub(crate) fn pick_lang(
    state: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Lang, ApiError> {
    let published = &state.register.languages;
    if let Some(code) = query {
        return Lang::from_code(code)
            .filter(|l| published.contains(l))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "lang: `{code}` is not published; choose one of {}",
                    published
                        .iter()
                        .map(|l| l.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
    }
    if published.is_empty() {
        return Err(ApiError::Internal(
            "the register publishes no language".to_owned(),
        ));
    }
    Ok(crate::pages::page_lang(published, None, headers))
}

fn pick_format(query: Option<&str>) -> Result<Format, ApiError> {
    match query {
        None => Ok(Format::Html),
        Some(f) => f.parse().map_err(|_| {
            ApiError::BadRequest(format!("format: `{f}` is not one of html, md, json"))
        }),
    }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Html => "text/html; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Json => "application/json",
    }
}

fn document_response(
    version: &PolicyVersion,
    kind: Kind,
    lang: Lang,
    format: Format,
) -> Result<Response, ApiError> {
    let doc = version
        .document(kind.id(), lang.code(), format.id())
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "version {} has no {} policy in {} as {}",
                version.number,
                kind.id(),
                lang.code(),
                format.id()
            ))
        })?;
    let mut response = doc.content.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(format)),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", doc.sha256)) {
        headers.insert(header::ETAG, etag);
    }
    if let Ok(number) = HeaderValue::from_str(&version.number.to_string()) {
        headers.insert("x-policy-version", number);
    }
    if format == Format::Html
        && let Some(csp) = document_csp(&doc.content)
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

/// A published policy document (and the record of processing) is self-contained (its styles inline, for saving and
/// printing) and never changes, so its page allows exactly its own `<style>` element,
/// by hash, instead of the pages' stylesheet.
pub(crate) fn document_csp(html: &str) -> Option<HeaderValue> {
    use base64ct::Encoding;
    use sha2::Digest;
    const OPEN: &str = "<style>";
    let start = html.find(OPEN)? + OPEN.len();
    let len = html[start..].find("</style>")?;
    let digest = sha2::Sha256::digest(&html.as_bytes()[start..start + len]);
    let hash = base64ct::Base64::encode_string(&digest);
    HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    ))
    .ok()
}

async fn current(
    state: &AppState,
    kind: Kind,
    q: &DocumentQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let lang = pick_lang(state, q.lang.as_deref(), headers)?;
    let format = pick_format(q.format.as_deref())?;
    document_response(state.publications.current(), kind, lang, format)
}

async fn version(
    state: &AppState,
    kind: Kind,
    number: i64,
    q: &DocumentQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let lang = pick_lang(state, q.lang.as_deref(), headers)?;
    let format = pick_format(q.format.as_deref())?;
    let version = load_version(state, number).await?;
    document_response(&version, kind, lang, format)
}

async fn load_version(state: &AppState, number: i64) -> Result<PolicyVersion, ApiError> {
    state
        .publications
        .version(number)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no policy version {number}")))
}

async fn diff(
    state: &AppState,
    kind: Kind,
    q: &DiffQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let lang = pick_lang(state, q.lang.as_deref(), headers)?;
    let from = load_version(state, q.from).await?;
    let to = load_version(state, q.to).await?;
    let text = custodia_core::publishing::diff(&from, &to, kind, lang).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no {} policy in {} in one of the versions",
            kind.id(),
            lang.code()
        ))
    })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// The privacy policy in force.
#[utoipa::path(get, path = "/privacy-policy", tag = "policies", params(DocumentQuery),
    responses((status = 200, description = "The privacy policy (HTML, Markdown or JSON)", content((String = "text/html"), (String = "text/markdown"), (Object = "application/json"))),
              (status = 400, description = "Unknown language or format", body = crate::error::Problem)))]
pub async fn privacy_policy(
    State(state): State<AppState>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    current(&state, Kind::Privacy, &q, &headers).await
}

/// The cookie policy in force.
#[utoipa::path(get, path = "/cookie-policy", tag = "policies", params(DocumentQuery),
    responses((status = 200, description = "The cookie policy (HTML, Markdown or JSON)", content((String = "text/html"), (String = "text/markdown"), (Object = "application/json"))),
              (status = 400, description = "Unknown language or format", body = crate::error::Problem)))]
pub async fn cookie_policy(
    State(state): State<AppState>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    current(&state, Kind::Cookies, &q, &headers).await
}

/// Every published version, oldest first, with the SHA-256 of each rendered document.
#[utoipa::path(get, path = "/privacy-policy/versions", tag = "policies",
    responses((status = 200, description = "Published versions", body = [VersionInfo])))]
pub async fn privacy_versions(
    State(state): State<AppState>,
) -> Result<Json<Vec<VersionInfo>>, ApiError> {
    let versions = state.publications.versions().await?;
    let in_force = state.publications.current().number;
    let list = versions
        .into_iter()
        .map(|v| VersionInfo {
            in_force: v.number == in_force,
            effective_at: v.effective_at.format(&Rfc3339).unwrap_or_default(),
            documents: v
                .documents
                .iter()
                .map(|d| DocumentInfo {
                    url: format!(
                        "/{}/versions/{}?lang={}&format={}",
                        page_of(&d.kind),
                        v.number,
                        d.lang,
                        d.format
                    ),
                    kind: d.kind.clone(),
                    lang: d.lang.clone(),
                    format: d.format.clone(),
                    sha256: d.sha256.clone(),
                })
                .collect(),
            number: v.number,
            register_sha256: v.register_sha256,
        })
        .collect();
    Ok(Json(list))
}

fn page_of(kind: &str) -> &'static str {
    if kind == Kind::Cookies.id() {
        "cookie-policy"
    } else {
        "privacy-policy"
    }
}

/// The privacy policy as published in version `number`.
#[utoipa::path(get, path = "/privacy-policy/versions/{number}", tag = "policies",
    params(("number" = i64, Path, description = "Version number"), DocumentQuery),
    responses((status = 200, description = "The privacy policy of that version", content((String = "text/html"), (String = "text/markdown"), (Object = "application/json"))),
              (status = 404, description = "No such version", body = crate::error::Problem)))]
pub async fn privacy_version(
    State(state): State<AppState>,
    Path(number): Path<i64>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    version(&state, Kind::Privacy, number, &q, &headers).await
}

/// The cookie policy as published in version `number`.
#[utoipa::path(get, path = "/cookie-policy/versions/{number}", tag = "policies",
    params(("number" = i64, Path, description = "Version number"), DocumentQuery),
    responses((status = 200, description = "The cookie policy of that version", content((String = "text/html"), (String = "text/markdown"), (Object = "application/json"))),
              (status = 404, description = "No such version", body = crate::error::Problem)))]
pub async fn cookie_version(
    State(state): State<AppState>,
    Path(number): Path<i64>,
    Query(q): Query<DocumentQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    version(&state, Kind::Cookies, number, &q, &headers).await
}

/// Unified diff of the privacy policy's Markdown between two versions.
#[utoipa::path(get, path = "/privacy-policy/diff", tag = "policies", params(DiffQuery),
    responses((status = 200, description = "Unified diff", content_type = "text/plain"),
              (status = 404, description = "No such version", body = crate::error::Problem)))]
pub async fn privacy_diff(
    State(state): State<AppState>,
    Query(q): Query<DiffQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    diff(&state, Kind::Privacy, &q, &headers).await
}

/// Unified diff of the cookie policy's Markdown between two versions.
#[utoipa::path(get, path = "/cookie-policy/diff", tag = "policies", params(DiffQuery),
    responses((status = 200, description = "Unified diff", content_type = "text/plain"),
              (status = 404, description = "No such version", body = crate::error::Problem)))]
pub async fn cookie_diff(
    State(state): State<AppState>,
    Query(q): Query<DiffQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    diff(&state, Kind::Cookies, &q, &headers).await
}
