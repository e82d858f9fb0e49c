//! The second step of a staff sign-in: after a correct password, an account with a
//! second factor gets a signed pending state (a cookie, five minutes) and this page
//! asking for a code from the app or a recovery code; only then a session opens.
//! Wrong codes count toward the sign-in back-off like wrong passwords.

use crate::auth::{SESSION_COOKIE, cookie};
use crate::client::ClientAddr;
use crate::console::Texts;
use crate::login::{LOGIN_CSRF_COOKIE, PENDING_COOKIE, set_cookie};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use custodia_core::staff::StaffError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "second_factor.html")]
struct CodePage<'a> {
    lang: &'static str,
    texts: Texts,
    title: String,
    csrf: &'a str,
    error: Option<String>,
}

impl CodePage<'_> {
    fn t(&self, id: &str) -> String {
        self.texts.t(id)
    }
}

/// In the page language (`page_lang`), through the Fluent `console-signin-*` texts.
fn render(
    state: &AppState,
    query: &Query<LangQuery>,
    headers: &HeaderMap,
    status: StatusCode,
    csrf: &str,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let texts = Texts(crate::pages::page_lang(
        &state.register.languages,
        query.lang.as_deref(),
        headers,
    ));
    let page = CodePage {
        lang: texts.0.code(),
        texts,
        title: texts.t("console-signin-code-title"),
        csrf,
        error,
    };
    Ok(crate::pages::render(status, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

fn back_to_login() -> Response {
    let mut response = Redirect::to("/login").into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    csrf: String,
}

/// Asks for the code once the password was right.
#[utoipa::path(get, operation_id = "second_factor_page", path = "/login/second-factor", tag = "staff",
    responses((status = 200, content_type = "text/html"), (status = 303, description = "No sign-in in progress; redirects to /login")))]
pub async fn code_page(
    State(state): State<AppState>,
    query: Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csrf = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if csrf.is_empty() || cookie(&headers, PENDING_COOKIE).is_none_or(str::is_empty) {
        return Ok(back_to_login());
    }
    render(&state, &query, &headers, StatusCode::OK, csrf, None)
}

/// Checks the code and opens the session.
#[utoipa::path(post, operation_id = "second_factor_sign_in", path = "/login/second-factor", tag = "staff",
    request_body(content_type = "application/x-www-form-urlencoded", content = Object),
    responses((status = 303, description = "Signed in (redirects to /account), or the sign-in expired (redirects to /login)"),
              (status = 401, description = "Wrong, expired or already used code", content_type = "text/html"),
              (status = 403, description = "Missing or wrong CSRF token"),
              (status = 429, description = "Too many failed tries for this account or from this address: back-off, see Retry-After", content_type = "text/html")))]
pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    query: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, ApiError> {
    let csrf = cookie(&headers, LOGIN_CSRF_COOKIE)
        .unwrap_or_default()
        .to_owned();
    if csrf.is_empty() || !custodia_crypto::constant_time_eq(csrf.as_bytes(), form.csrf.as_bytes())
    {
        return Err(ApiError::Forbidden(
            "the sign-in form expired: reload /login and try again".to_owned(),
        ));
    }
    let pending = cookie(&headers, PENDING_COOKIE)
        .unwrap_or_default()
        .to_owned();
    let account = match state.staff.pending_account(&pending).await {
        Ok(account) => account,
        Err(StaffError::PendingExpired) => return Ok(back_to_login()),
        Err(e) => return Err(e.into()),
    };
    if let Some(wait) = state.login_throttle.blocked(&account, client.ip) {
        let seconds = crate::limits::retry_after_secs(wait);
        let texts = Texts(crate::pages::page_lang(
            &state.register.languages,
            query.lang.as_deref(),
            &headers,
        ));
        let message = texts.args("console-signin-throttled", &[("seconds", seconds.into())]);
        let mut response = render(
            &state,
            &query,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            &csrf,
            Some(message),
        )?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
        return Ok(response);
    }
    match state.staff.login_second_factor(&pending, &form.code).await {
        Ok(session) => {
            state.login_throttle.succeeded(&account);
            // Back to the console page that asked for a session, as `/login` does.
            let target = crate::console::sign_in_target(&headers);
            let mut response =
                Redirect::to(target.as_deref().unwrap_or("/account")).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            if target.is_some() {
                crate::console::clear_sign_in_target(response.headers_mut());
            }
            let max_age = (session.expires_at - state.vault.now()).whole_seconds();
            let headers = response.headers_mut();
            set_cookie(
                headers,
                SESSION_COOKIE,
                &session.token,
                max_age,
                client.https,
            );
            set_cookie(headers, PENDING_COOKIE, "", 0, client.https);
            set_cookie(headers, LOGIN_CSRF_COOKIE, "", 0, client.https);
            Ok(response)
        }
        Err(StaffError::BadSecondFactor { account }) => {
            state.login_throttle.failed(&account, client.ip);
            let texts = Texts(crate::pages::page_lang(
                &state.register.languages,
                query.lang.as_deref(),
                &headers,
            ));
            render(
                &state,
                &query,
                &headers,
                StatusCode::UNAUTHORIZED,
                &csrf,
                Some(texts.t("console-signin-wrong-code")),
            )
        }
        Err(StaffError::PendingExpired) => Ok(back_to_login()),
        Err(e) => Err(e.into()),
    }
}
