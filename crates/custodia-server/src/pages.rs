//! HTML pages: askama templates in `templates/`, each extending `base.html`, so
//! askama's escaping is the one escaping rule; one stylesheet (`/assets/custodia.css`),
//! no scripts and no external assets.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::sync::LazyLock;

/// The stylesheet of every page.
const STYLESHEET: &str = include_str!("../assets/custodia.css");

static STYLESHEET_ETAG: LazyLock<String> = LazyLock::new(|| {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(STYLESHEET.as_bytes());
    format!("\"{}\"", hex::encode(&digest[..8]))
});

/// A page saying one thing: `role` is `status` for news, `alert` for an error.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub lang: &'static str,
    pub title: &'a str,
    pub role: &'static str,
    pub message: &'a str,
}

/// The skip link of `base.html` in the page's language.
pub fn skip_link(lang: impl AsRef<str>) -> String {
    let lang =
        custodia_register::Lang::from_code(lang.as_ref()).unwrap_or(custodia_register::Lang::EN);
    match custodia_policy::i18n::messages() {
        Ok(m) => m.text(lang, "console-skip", &[]),
        Err(_) => "Skip to content".to_owned(),
    }
}

/// A page with `status`. Rendering fails only on a template bug; the page then
/// answers 500 in plain text rather than half a page.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// The stylesheet of every page. Cached for an hour, then revalidated by its ETag
/// (it changes only with the binary).
#[utoipa::path(get, operation_id = "page_styles", path = "/assets/custodia.css", tag = "operations",
    responses((status = 200, description = "The pages' stylesheet", content_type = "text/css"),
              (status = 304, description = "The stylesheet the client holds is current")))]
pub async fn stylesheet(headers: HeaderMap) -> Response {
    let etag = STYLESHEET_ETAG.as_str();
    let cache = [
        (header::CACHE_CONTROL, "public, max-age=3600"),
        (header::ETAG, etag),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        cache,
        STYLESHEET,
    )
        .into_response()
}

/// The cookie remembering a language chosen with `?lang=` (a language code, nothing
/// personal), so the links and redirects of the page keep it.
pub const LANG_COOKIE: &str = "custodia_lang";

/// The one rule for the language of every page (policies, portal, subject pages,
/// console): `?lang=` when it names a language the register publishes, else the
/// language remembered from an earlier `?lang=` ([`LANG_COOKIE`]), else the browser's
/// most preferred published language (Accept-Language), else the register's first
/// published language. A page never answers in a language the register does not
/// publish, so its texts and the register's agree.
pub fn page_lang(
    published: &[custodia_register::Lang],
    query: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> custodia_register::Lang {
    use custodia_register::Lang;
    let is_published = |l: &Lang| published.contains(l);
    let remembered = crate::auth::cookie(headers, LANG_COOKIE);
    if let Some(lang) = query
        .and_then(Lang::from_code)
        .filter(is_published)
        .or_else(|| remembered.and_then(Lang::from_code).filter(is_published))
    {
        return lang;
    }
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Lang)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(lang) = Lang::from_code(primary).filter(is_published)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
        .or_else(|| published.first().copied())
        .unwrap_or(Lang::EN)
}

/// Remembers a published `?lang=` of a page (any path outside `/v1/`) in
/// [`LANG_COOKIE`] for a year, so that following the page's links keeps the language
/// [`page_lang`] chose.
pub async fn remember_lang(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let chosen = if request.uri().path().starts_with("/v1/") {
        None
    } else {
        request
            .uri()
            .query()
            .unwrap_or("")
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| custodia_register::Lang::from_code(v))
            .filter(|l| state.register.languages.contains(l))
            .filter(|l| crate::auth::cookie(request.headers(), LANG_COOKIE) != Some(l.code()))
    };
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::page_lang;
    use axum::http::{HeaderMap, HeaderValue, header};
    use custodia_register::Lang;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn only_published_languages_are_chosen() {
        let both = [Lang::EN, Lang::FR];
        let fr = [Lang::FR];
        assert_eq!(page_lang(&both, None, &accept("fr-FR,en;q=0.8")), Lang::FR);
        assert_eq!(page_lang(&both, Some("en"), &accept("fr")), Lang::EN);
        assert_eq!(page_lang(&both, Some("de"), &accept("fr")), Lang::FR);
        assert_eq!(page_lang(&both, None, &HeaderMap::new()), Lang::EN);
        assert_eq!(page_lang(&fr, None, &accept("en")), Lang::FR);
        assert_eq!(page_lang(&fr, Some("en"), &accept("en")), Lang::FR);
        assert_eq!(page_lang(&fr, None, &accept("en, fr;q=0.5")), Lang::FR);
        assert_eq!(page_lang(&[], None, &accept("fr")), Lang::EN);
    }

    #[test]
    fn a_remembered_language_comes_after_the_query_and_before_the_browser() {
        let both = [Lang::EN, Lang::FR];
        let mut h = accept("en");
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; custodia_lang=fr"),
        );
        assert_eq!(page_lang(&both, None, &h), Lang::FR);
        assert_eq!(page_lang(&both, Some("en"), &h), Lang::EN);
        assert_eq!(page_lang(&[Lang::EN], None, &h), Lang::EN);
        h.insert(header::COOKIE, HeaderValue::from_static("custodia_lang=de"));
        assert_eq!(page_lang(&both, None, &h), Lang::EN);
    }
}
