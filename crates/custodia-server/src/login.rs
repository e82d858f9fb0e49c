//! Staff sign-in with a password: a plain HTML form (templates `login.html`,
//! `account.html`), an HttpOnly session cookie, and CSRF tokens on every form post.

use crate::auth::{Caller, SESSION_COOKIE, cookie};
use crate::client::ClientAddr;
use crate::{ApiError, AppState};
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::pages::render;
use askama::Template;

pub(crate) const LOGIN_CSRF_COOKIE: &str = "custodia_login_csrf";
/// The signed "password checked, code awaited" state of a sign-in.
pub(crate) const PENDING_COOKIE: &str = "custodia_second_factor";

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
}

#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

pub(crate) fn set_cookie(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
    secure: bool,
) {
    let cookie = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(header::SET_COOKIE, v);
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: &'static str,
    title: &'static str,
    csrf: &'a str,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    lang: &'static str,
    title: &'static str,
    role: &'a str,
    csrf: &'a str,
}

fn login_form(status: StatusCode, csrf: &str, error: Option<&str>) -> Response {
    render(
        status,
        &LoginPage {
            lang: "en",
            title: "Sign in",
            csrf,
            error,
        },
    )
}

/// The sign-in form. A random token goes both in a cookie and in the form; a post
/// whose two copies differ did not come from this page (login CSRF).
#[utoipa::path(get, operation_id = "sign_in_page", path = "/login", tag = "staff", responses((status = 200, content_type = "text/html")))]
pub async fn login_page(client: ClientAddr) -> Result<Response, ApiError> {
    let (csrf, _) =
        custodia_crypto::generate_token("lcsrf").map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut response = login_form(StatusCode::OK, &csrf, None);
    set_cookie(
        response.headers_mut(),
        LOGIN_CSRF_COOKIE,
        &csrf,
        3600,
        client.https,
    );
    Ok(response)
}

/// Checks the password and opens a session.
#[utoipa::path(post, operation_id = "sign_in", path = "/login", tag = "staff",
    request_body(content_type = "application/x-www-form-urlencoded", content = Object),
    responses((status = 303, description = "Signed in (redirects to /account), or a second factor is awaited (redirects to /login/second-factor)"),
              (status = 401, description = "Wrong e-mail or password", content_type = "text/html"),
              (status = 403, description = "Missing or wrong CSRF token"),
              (status = 429, description = "Too many failed tries for this account or from this address: back-off, see Retry-After", content_type = "text/html")))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE)
        .unwrap_or_default()
        .to_owned();
    if expected.is_empty()
        || !custodia_crypto::constant_time_eq(expected.as_bytes(), form.csrf.as_bytes())
    {
        return Err(ApiError::Forbidden(
            "the sign-in form expired: reload /login and try again".to_owned(),
        ));
    }
    // Per account and per address, exponential back-off: a throttled try is not
    // even checked, so the right password waits too.
    let account = form.email.trim().to_lowercase();
    if let Some(wait) = state.login_throttle.blocked(&account, client.ip) {
        let opened = state.refusals.note(
            state.vault.now(),
            client.ip,
            custodia_core::audit::AuditAction::AuthLogin,
            "throttled",
            true,
            "POST /login (back-off after failed sign-ins)".to_owned(),
        );
        if let Some(record) = opened {
            state.vault.record(record).await?;
        }
        let seconds = crate::limits::retry_after_secs(wait);
        let mut response = login_form(
            StatusCode::TOO_MANY_REQUESTS,
            &expected,
            Some(&format!(
                "Too many failed sign-ins for this account or from this address: try again in {seconds} s."
            )),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
        return Ok(response);
    }
    match state.staff.login(&form.email, &form.password).await {
        Ok(custodia_core::staff::Login::SecondFactor {
            pending,
            expires_at,
        }) => {
            // The password was right: the back-off resets only once the code is too.
            let mut response = Redirect::to("/login/second-factor").into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            let max_age = (expires_at - state.vault.now()).whole_seconds();
            set_cookie(
                response.headers_mut(),
                PENDING_COOKIE,
                &pending,
                max_age,
                client.https,
            );
            Ok(response)
        }
        Ok(custodia_core::staff::Login::Session(session)) => {
            state.login_throttle.succeeded(&account);
            // Back to the console page that asked for a session, if one did.
            let target = crate::console::sign_in_target(&headers);
            let mut response =
                Redirect::to(target.as_deref().unwrap_or("/account")).into_response();
            *response.status_mut() = StatusCode::SEE_OTHER;
            if target.is_some() {
                crate::console::clear_sign_in_target(response.headers_mut());
            }
            let max_age = (session.expires_at - state.vault.now()).whole_seconds();
            set_cookie(
                response.headers_mut(),
                SESSION_COOKIE,
                &session.token,
                max_age,
                client.https,
            );
            set_cookie(
                response.headers_mut(),
                LOGIN_CSRF_COOKIE,
                "",
                0,
                client.https,
            );
            Ok(response)
        }
        Err(custodia_core::staff::StaffError::BadCredentials) => {
            state.login_throttle.failed(&account, client.ip);
            Ok(login_form(
                StatusCode::UNAUTHORIZED,
                &expected,
                Some("Wrong e-mail or password, or the account is disabled."),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Who is signed in, the CSRF token for API calls made with the session cookie,
/// and a sign-out button.
#[utoipa::path(get, path = "/account", tag = "staff",
    responses((status = 200, content_type = "text/html"), (status = 401, body = crate::error::Problem)),
    security(("session" = []), ("api_key" = [])))]
pub async fn account(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = cookie(&headers, SESSION_COOKIE).unwrap_or_default();
    let csrf = match state.staff.session(token).await? {
        Some((_, session)) => session.csrf_token,
        None => return Err(ApiError::Unauthorized),
    };
    Ok(render(
        StatusCode::OK,
        &AccountPage {
            lang: "en",
            title: "Account",
            role: who.role.name(),
            csrf: &csrf,
        },
    ))
}

/// Ends the session. The form must carry the session's CSRF token.
#[utoipa::path(post, operation_id = "sign_out", path = "/logout", tag = "staff",
    request_body(content_type = "application/x-www-form-urlencoded", content = Object),
    responses((status = 303, description = "Signed out; redirects to /login"), (status = 403)))]
pub async fn logout(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Result<Response, ApiError> {
    let token = cookie(&headers, SESSION_COOKIE)
        .unwrap_or_default()
        .to_owned();
    let Some((_, session)) = state.staff.session(&token).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !custodia_crypto::constant_time_eq(form.csrf.as_bytes(), session.csrf_token.as_bytes()) {
        return Err(ApiError::Forbidden(
            "the sign-out form is stale: reload the page".to_owned(),
        ));
    }
    state.staff.logout(&token).await?;
    let mut response = Redirect::to("/login").into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    set_cookie(response.headers_mut(), SESSION_COOKIE, "", 0, client.https);
    Ok(response)
}
