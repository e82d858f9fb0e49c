//! The staff console under `/console`: server-rendered askama pages over the same
//! core calls, permissions and audit entries as the JSON API (no second path to the
//! data). A staff session cookie is required; every form carries the session's CSRF
//! token and is answered with a 303 back to a page (post/redirect/get).

mod account;
mod audit;
mod breaches;
mod dashboard;
mod register;
mod requests;
mod retention;
mod staff;
mod subjects;

use crate::auth::{SESSION_COOKIE, cookie};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use custodia_core::access::{Permission, Principal};
use custodia_register::Lang;

/// Where `/login` sends a staff member back to after signing in (set by the
/// console when it asks for a session; only console paths are honoured).
pub(crate) const NEXT_COOKIE: &str = "custodia_next";

const CSS: &str = include_str!("../../assets/console.css");

/// Console pages load their own stylesheet and nothing else.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(dashboard))
        .route("/console/assets/console.css", get(stylesheet))
        .route("/console/requests", get(requests::queue))
        .route(
            "/console/requests/{id}",
            get(requests::detail).post(requests::step),
        )
        .route("/console/audit", get(audit::log))
        .route("/console/audit/verify", axum::routing::post(audit::verify))
        .route(
            "/console/charts/consents.svg",
            get(dashboard::consent_chart),
        )
        .route("/console/charts/banner.svg", get(dashboard::banner_chart))
        .route("/console/register", get(register::register))
        .route("/console/retention", get(retention::page))
        .route(
            "/console/retention/holds",
            axum::routing::post(retention::place),
        )
        .route(
            "/console/retention/holds/{id}/release",
            axum::routing::post(retention::release),
        )
        .route(
            "/console/breaches",
            get(breaches::list).post(breaches::record),
        )
        .route(
            "/console/breaches/{id}",
            get(breaches::detail).post(breaches::act),
        )
        .route("/console/subjects", get(subjects::search))
        .route(
            "/console/subjects/{id}",
            get(subjects::subject).post(subjects::rectify),
        )
        .route(
            "/console/subjects/{id}/erase",
            get(subjects::erase_page).post(subjects::erase),
        )
        .route("/console/account", get(account::page))
        .route(
            "/console/account/second-factor/enrol",
            axum::routing::post(account::enrol),
        )
        .route(
            "/console/account/second-factor/confirm",
            axum::routing::post(account::confirm),
        )
        .route(
            "/console/account/second-factor/disable",
            axum::routing::post(account::disable),
        )
        .route(
            "/console/account/recovery-codes",
            axum::routing::post(account::recovery_codes),
        )
        .route(
            "/console/account/sessions/revoke-others",
            axum::routing::post(account::revoke_others),
        )
        .route(
            "/console/account/sessions/{id}/revoke",
            axum::routing::post(account::revoke_one),
        )
        .route("/console/staff", get(staff::page))
        .route("/console/staff/users", axum::routing::post(staff::add_user))
        .route(
            "/console/staff/users/{id}/disable",
            axum::routing::post(staff::disable_user),
        )
        .route(
            "/console/staff/users/{id}/enable",
            axum::routing::post(staff::enable_user),
        )
        .route(
            "/console/staff/api-keys",
            axum::routing::post(staff::create_key),
        )
        .route(
            "/console/staff/api-keys/{id}/revoke",
            axum::routing::post(staff::revoke_key),
        )
        .route(
            "/console/access-review",
            get(staff::review_page).post(staff::record_review),
        )
        .layer(axum::middleware::from_fn(security_headers))
}

async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// The console's texts in one language (Fluent, `console-*` ids).
#[derive(Clone, Copy)]
pub(crate) struct Texts(pub Lang);

impl Texts {
    pub fn t(&self, id: &str) -> String {
        self.args(id, &[])
    }

    pub fn args(&self, id: &str, args: &custodia_policy::i18n::Args<'_>) -> String {
        custodia_policy::i18n::messages()
            .map(|m| m.text(self.0, id, args))
            .unwrap_or_else(|_| format!("[{id}]"))
    }

    pub fn date(&self, at: time::OffsetDateTime) -> String {
        custodia_policy::i18n::date(self.0, at.date())
    }

    /// An instant as staff read it: date and UTC time to the minute.
    pub fn instant(&self, at: time::OffsetDateTime) -> String {
        format!(
            "{} {:02}:{:02} UTC",
            custodia_policy::i18n::iso_date(at.date()),
            at.hour(),
            at.minute()
        )
    }
}

pub(crate) struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What the layout needs: language, title, who is signed in, the areas they reach.
pub(crate) struct Frame {
    pub lang: &'static str,
    pub texts: Texts,
    pub title: String,
    pub role: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// A one-line confirmation after a form (PRG: from `?done=`).
    pub notice: Option<String>,
}

impl Frame {
    pub fn t(&self, id: &str) -> String {
        self.texts.t(id)
    }

    /// The error as a page of the console.
    pub fn fail(self, error: impl Into<ApiError>) -> PageError {
        PageError {
            frame: Box::new(self),
            error: error.into(),
        }
    }
}

/// A signed-in staff member, as the console sees them.
pub(crate) struct Staff {
    pub principal: Principal,
    pub csrf: String,
    pub texts: Texts,
    query_done: bool,
}

impl Staff {
    pub fn may(&self, state: &AppState, permission: Permission) -> bool {
        state
            .vault
            .access()
            .allows(&self.principal.role, permission)
    }

    /// The layout for a page of `area` (the nav entry marked current).
    pub fn frame(&self, state: &AppState, area: &str, title: String) -> Frame {
        let texts = self.texts;
        let areas: [(&'static str, &str, Option<Permission>); 10] = [
            ("/console", "console-nav-dashboard", None),
            (
                "/console/requests",
                "console-nav-requests",
                Some(Permission::HandleRequests),
            ),
            (
                "/console/subjects",
                "console-nav-subjects",
                Some(Permission::HandleSubjects),
            ),
            (
                "/console/audit",
                "console-nav-audit",
                Some(Permission::ReadAudit),
            ),
            (
                "/console/retention",
                "console-nav-retention",
                Some(Permission::ManageRetention),
            ),
            ("/console/register", "console-nav-register", None),
            (
                "/console/breaches",
                "console-nav-breaches",
                Some(Permission::ReadBreaches),
            ),
            (
                "/console/access-review",
                "console-nav-access-review",
                Some(Permission::ReviewAccess),
            ),
            (
                "/console/staff",
                "console-nav-staff",
                Some(Permission::ManageStaff),
            ),
            ("/console/account", "console-nav-account", None),
        ];
        let nav = areas
            .into_iter()
            .filter(|(_, _, p)| p.is_none_or(|p| self.may(state, p)))
            .map(|(href, id, _)| NavItem {
                href,
                label: texts.t(id),
                current: href == area,
            })
            .collect();
        Frame {
            lang: texts.0.code(),
            texts,
            title,
            role: self.principal.role.name().to_owned(),
            csrf: self.csrf.clone(),
            nav,
            notice: self.query_done.then(|| texts.t("console-done")),
        }
    }

    /// Refuses a form whose `csrf` field is not the session's token (audited as the
    /// API's CSRF check is).
    pub async fn check_csrf(
        &self,
        state: &AppState,
        sent: &str,
        route: &str,
    ) -> Result<(), ApiError> {
        crate::auth::require_csrf(state, &self.principal, &self.csrf, sent, route).await
    }
}

/// No session: back to the sign-in page, which returns here afterwards.
pub(crate) struct SignInFirst {
    next: String,
    /// Signed in, but the role requires a second factor not enrolled yet.
    enrol_first: bool,
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        if self.enrol_first {
            return back_to("/console/account");
        }
        let encoded = percent_encode(&self.next);
        let mut response = Redirect::to(&format!("/login?next={encoded}")).into_response();
        *response.status_mut() = StatusCode::SEE_OTHER;
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{NEXT_COOKIE}={encoded}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600"
        )) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
        response
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInFirst> {
        let next = match parts.uri.query() {
            Some(q) if parts.method == axum::http::Method::GET => {
                format!("{}?{q}", parts.uri.path())
            }
            _ => parts.uri.path().to_owned(),
        };
        let query = parts.uri.query().unwrap_or("");
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_owned())
        };
        let lang = crate::pages::page_lang(
            &state.register.languages,
            param("lang").as_deref(),
            &parts.headers,
        );
        let token = cookie(&parts.headers, SESSION_COOKIE).unwrap_or_default();
        let found = if token.is_empty() {
            None
        } else {
            state.staff.session_state(token).await.ok().flatten()
        };
        let Some(found) = found else {
            return Err(SignInFirst {
                next,
                enrol_first: false,
            });
        };
        // A role that must have a second factor reaches only its enrolment first.
        if found.must_enrol && !account::ENROLMENT_PATHS.contains(&parts.uri.path()) {
            return Err(SignInFirst {
                next: String::new(),
                enrol_first: true,
            });
        }
        let (principal, session) = (found.principal, found.session);
        Ok(Staff {
            principal,
            csrf: session.csrf_token,
            texts: Texts(lang),
            query_done: param("done").is_some(),
        })
    }
}

/// The page `/login` returns to: the console path it was asked from, if any.
pub(crate) fn sign_in_target(headers: &axum::http::HeaderMap) -> Option<String> {
    let raw = cookie(headers, NEXT_COOKIE)?;
    let path = percent_decode(raw)?;
    let console =
        path == "/console" || path.starts_with("/console/") || path.starts_with("/console?");
    let plain = path.chars().all(|c| c.is_ascii_graphic() && c != '\\') && !path.contains("//");
    (console && plain).then_some(path)
}

/// Clears [`NEXT_COOKIE`] once used.
pub(crate) fn clear_sign_in_target(headers: &mut axum::http::HeaderMap) {
    headers.append(
        header::SET_COOKIE,
        HeaderValue::from_static("custodia_next=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
}

pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A failure shown as a console page, the problem's message in an alert region and
/// the API's status.
pub(crate) struct PageError {
    frame: Box<Frame>,
    error: ApiError,
}

#[derive(Template)]
#[template(path = "console/error.html")]
struct ErrorPage<'a> {
    frame: &'a Frame,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, detail) = self.error.status_and_detail();
        let mut frame = *self.frame;
        frame.title = frame.t("console-error-title");
        frame.notice = None;
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            frame.t("console-error-internal")
        } else {
            detail
        };
        let mut response = render(&ErrorPage {
            frame: &frame,
            message,
        });
        *response.status_mut() = status;
        if let ApiError::Throttled { retry_after, .. } = self.error {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}

pub(crate) fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot render a console page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}

/// 303 back to a page after a form (post/redirect/get).
pub(crate) fn back_to(path: &str) -> Response {
    let mut response = Redirect::to(path).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct Dashboard {
    frame: Frame,
    /// None when the role does not handle requests.
    due: Option<Vec<requests::Row>>,
    /// "The 25 soonest of 300 are shown", when `due` is not all of them.
    due_shown: Option<String>,
    /// Retention steps due in the next 30 days (None when the role may not see the plan).
    retention_due: Option<usize>,
    retention_more: bool,
    /// When the plan counted was made, if not just now.
    retention_planned: Option<String>,
    /// Open breaches with their clocks (None when the role may not read the register).
    breaches: Option<Vec<breaches::Row>>,
    /// The latest audit verification (auditor, DPO): None when the role may not read
    /// the log, Some(None) when it was never verified.
    verified: Option<Option<(String, bool, String)>>,
    /// Consent charts and banner rate (DPO only).
    figures: Option<dashboard::Figures>,
    /// The next access review (None when the role does not review access).
    review: Option<staff::Reminder>,
    /// Messages delivery gave up on (None when the role does not handle requests).
    outbox: Option<dashboard::OutboxFailures>,
}

/// Most requests listed on the dashboard (soonest deadline first); the queue has them all.
const DASHBOARD_DUE_ROWS: u32 = 25;

/// Most retention steps counted on the dashboard; more show as "more than".
const DASHBOARD_PLAN_LIMIT: usize = 1_000;

/// What needs attention, each part through the same core call (and audit) as its
/// page or API endpoint, and only for the roles that may see it.
async fn dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(&state, "/console", texts.t("console-nav-dashboard"));
    let who = &staff.principal;
    let mut due_shown = None;
    let due = if staff.may(&state, Permission::HandleRequests) {
        let filter = custodia_core::rights::RequestFilter {
            overdue: true,
            due_soon: true,
            limit: Some(DASHBOARD_DUE_ROWS),
            ..Default::default()
        };
        match state.rights.list(who, &filter).await {
            Ok(list) => {
                let shown = list.requests.len();
                if list.total > shown as u64 {
                    due_shown = Some(texts.args(
                        "console-dashboard-due-shown",
                        &[("shown", shown.into()), ("total", list.total.into())],
                    ));
                }
                Some(
                    list.requests
                        .iter()
                        .map(|r| requests::Row::new(texts, r))
                        .collect(),
                )
            }
            Err(e) => return Err(frame.fail(e)),
        }
    } else {
        None
    };
    let mut retention_planned = None;
    let (retention_due, retention_more) = if staff.may(&state, Permission::ManageRetention) {
        let now = state.clock.now();
        match crate::retention::console_plan(
            &state,
            who,
            now,
            now + time::Duration::days(30),
            DASHBOARD_PLAN_LIMIT,
        )
        .await
        {
            Ok((steps, more, planned_at)) => {
                retention_planned = planned_at.map(|at| retention::planned_note(texts, at));
                (Some(steps.len()), more)
            }
            Err(e) => return Err(frame.fail(e)),
        }
    } else {
        (None, false)
    };
    let breaches = match breaches::open_rows(&state, &staff).await {
        Ok(rows) => rows,
        Err(e) => return Err(frame.fail(e)),
    };
    let verified = if staff.may(&state, Permission::ReadAudit) {
        match state.vault.latest_audit_verification(who).await {
            Ok(v) => Some(v.map(|v| (texts.instant(v.at), v.intact, v.detail))),
            Err(e) => return Err(frame.fail(e)),
        }
    } else {
        None
    };
    let figures = match dashboard::figures(&state, &staff).await {
        Ok(f) => f,
        Err(e) => return Err(frame.fail(e)),
    };
    let review = match staff::reminder(&state, &staff).await {
        Ok(r) => r,
        Err(e) => return Err(frame.fail(e)),
    };
    let outbox = match dashboard::outbox_failures(&state, &staff).await {
        Ok(o) => o,
        Err(e) => return Err(frame.fail(e)),
    };
    Ok(render(&Dashboard {
        frame,
        due,
        due_shown,
        retention_due,
        retention_more,
        retention_planned,
        breaches,
        verified,
        figures,
        review,
        outbox,
    }))
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, percent_encode, sign_in_target};
    use axum::http::{HeaderMap, HeaderValue, header};

    fn with_next(path: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let v = format!("custodia_next={}", percent_encode(path));
        h.insert(header::COOKIE, HeaderValue::from_str(&v).unwrap());
        h
    }

    #[test]
    fn only_console_paths_are_returned_to() {
        assert_eq!(
            percent_decode(&percent_encode("/console?x=é&y")).unwrap(),
            "/console?x=é&y"
        );
        assert_eq!(
            sign_in_target(&with_next("/console/requests?status=verified")).as_deref(),
            Some("/console/requests?status=verified")
        );
        assert_eq!(
            sign_in_target(&with_next("/console")).as_deref(),
            Some("/console")
        );
        for bad in [
            "https://evil.example/console",
            "//evil.example",
            "/consoles",
            "/console//evil",
            "/console/\\evil",
            "/account",
        ] {
            assert_eq!(sign_in_target(&with_next(bad)), None, "{bad}");
        }
    }
}
