//! Staff accounts, API keys (admin) and the access review (admin, DPO) in the
//! console, through the same permission checks, core calls and audit as
//! `/v1/staff/*` and `/v1/access-review`. Secrets (a generated password, a new API
//! key) are shown once on the answer to the form, never again.

use super::{Frame, PageError, Staff, Texts, back_to, render};
use crate::staff::{listed, require};
use crate::{ApiError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use custodia_core::access::Permission;
use custodia_core::access_review::AccessReport;
use custodia_core::audit::AuditAction;
use serde::Deserialize;

pub(crate) struct UserRow {
    id: String,
    email: String,
    role: String,
    created: String,
    last_sign_in: String,
    disabled: String,
    unused: bool,
}

pub(crate) struct KeyRow {
    id: String,
    name: String,
    role: String,
    created: String,
    last_used: String,
    revoked: String,
    unused: bool,
}

pub(crate) struct ReviewRow {
    at: String,
    by: String,
    notes: String,
}

fn rows(texts: Texts, report: &AccessReport) -> (Vec<UserRow>, Vec<KeyRow>) {
    let never = texts.t("console-staff-never");
    let when = |at: Option<time::OffsetDateTime>, none: &str| {
        at.map(|at| texts.instant(at))
            .unwrap_or_else(|| none.to_owned())
    };
    let users = report
        .users
        .iter()
        .map(|u| UserRow {
            id: u.id.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            created: texts.instant(u.created_at),
            last_sign_in: when(u.last_sign_in, &never),
            disabled: when(u.disabled_at, ""),
            unused: u.unused,
        })
        .collect();
    let keys = report
        .api_keys
        .iter()
        .map(|k| KeyRow {
            id: k.id.clone(),
            name: k.name.clone(),
            role: k.role.clone(),
            created: texts.instant(k.created_at),
            last_used: k
                .last_used
                .map(|at| texts.date(at))
                .unwrap_or_else(|| never.clone()),
            revoked: when(k.revoked_at, ""),
            unused: k.unused,
        })
        .collect();
    (users, keys)
}

#[derive(Template)]
#[template(path = "console/staff.html")]
struct StaffPage {
    frame: Frame,
    actions: bool,
    users: Vec<UserRow>,
    keys: Vec<KeyRow>,
}

fn staff_frame(staff: &Staff, state: &AppState) -> Frame {
    let texts = staff.texts;
    staff.frame(state, "/console/staff", texts.t("console-staff-title"))
}

/// Accounts and keys (as `GET /v1/staff/users` and `/v1/staff/api-keys`, with the
/// last sign-in and use the review keeps).
pub(crate) async fn page(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    let frame = staff_frame(&staff, &state);
    let who = &staff.principal;
    let report = async {
        require(&state, who, Permission::ManageStaff, AuditAction::StaffList).await?;
        let report = state.staff.access_report().await?;
        listed(
            &state,
            who,
            AuditAction::StaffList,
            format!(
                "{} accounts, {} API keys listed",
                report.users.len(),
                report.api_keys.len()
            ),
        )
        .await?;
        Ok::<_, ApiError>(report)
    }
    .await;
    let report = match report {
        Ok(r) => r,
        Err(e) => return Err(frame.fail(e)),
    };
    let (users, keys) = rows(staff.texts, &report);
    Ok(render(&StaffPage {
        frame,
        actions: true,
        users,
        keys,
    }))
}

#[derive(Template)]
#[template(path = "console/secret.html")]
struct SecretPage {
    frame: Frame,
    heading: String,
    /// The account's e-mail or the key's name.
    what: String,
    label: String,
    secret: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewUserForm {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn checked<T>(
    staff: &Staff,
    state: &AppState,
    form: &Result<Form<T>, FormRejection>,
    sent: impl Fn(&T) -> &str,
    route: &str,
) -> Result<(), ApiError> {
    let csrf = form.as_ref().map(|f| sent(&f.0)).unwrap_or("");
    staff.check_csrf(state, csrf, route).await?;
    if form.is_err() {
        return Err(ApiError::BadRequest("form: unreadable".to_owned()));
    }
    Ok(())
}

/// Adds an account (as `POST /v1/staff/users`); the generated password is on this
/// answer only.
pub(crate) async fn add_user(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<NewUserForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff_frame(&staff, &state);
    let done = async {
        checked(
            &staff,
            &state,
            &form,
            |f| f.csrf.as_str(),
            "POST /console/staff/users",
        )
        .await?;
        let Ok(Form(form)) = &form else {
            return Err(ApiError::BadRequest("form: unreadable".to_owned()));
        };
        let who = &staff.principal;
        require(&state, who, Permission::ManageStaff, AuditAction::StaffAdd).await?;
        let (user, password) = state
            .staff
            .add_user(&who.id, &form.email, &form.role, None)
            .await?;
        Ok::<_, ApiError>((user, password))
    }
    .await;
    match done {
        Ok((user, password)) => Ok(render(&SecretPage {
            frame,
            heading: texts.t("console-staff-added"),
            what: user.email,
            label: texts.t("console-staff-password-once"),
            secret: password.unwrap_or_default(),
        })),
        Err(e) => Err(frame.fail(e)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

async fn set_disabled(
    state: AppState,
    staff: Staff,
    id: String,
    form: Result<Form<CsrfForm>, FormRejection>,
    disabled: bool,
) -> Result<Response, PageError> {
    let frame = staff_frame(&staff, &state);
    let (action, route) = if disabled {
        (
            AuditAction::StaffDisable,
            "POST /console/staff/users/{id}/disable",
        )
    } else {
        (
            AuditAction::StaffEnable,
            "POST /console/staff/users/{id}/enable",
        )
    };
    let done = async {
        checked(&staff, &state, &form, |f| f.csrf.as_str(), route).await?;
        let who = &staff.principal;
        require(&state, who, Permission::ManageStaff, action).await?;
        state
            .staff
            .set_disabled_by_id(&who.id, &id, disabled)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match done {
        Ok(()) => Ok(back_to("/console/staff?done=1")),
        Err(e) => Err(frame.fail(e)),
    }
}

/// Disables an account (as `POST /v1/staff/users/{id}/disable`), then 303 back.
pub(crate) async fn disable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    set_disabled(state, staff, id, form, true).await
}

/// Enables an account again (as `POST /v1/staff/users/{id}/enable`), then 303 back.
pub(crate) async fn enable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    set_disabled(state, staff, id, form, false).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewKeyForm {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// Creates an API key (as `POST /v1/staff/api-keys`); its secret is on this answer
/// only.
pub(crate) async fn create_key(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<NewKeyForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff_frame(&staff, &state);
    let done = async {
        checked(
            &staff,
            &state,
            &form,
            |f| f.csrf.as_str(),
            "POST /console/staff/api-keys",
        )
        .await?;
        let Ok(Form(form)) = &form else {
            return Err(ApiError::BadRequest("form: unreadable".to_owned()));
        };
        let who = &staff.principal;
        require(
            &state,
            who,
            Permission::ManageStaff,
            AuditAction::ApiKeyCreate,
        )
        .await?;
        Ok::<_, ApiError>(
            state
                .staff
                .create_api_key(&who.id, &form.name, &form.role)
                .await?,
        )
    }
    .await;
    match done {
        Ok((secret, key)) => Ok(render(&SecretPage {
            frame,
            heading: texts.t("console-key-created"),
            what: key.name,
            label: texts.t("console-key-once"),
            secret,
        })),
        Err(e) => Err(frame.fail(e)),
    }
}

/// Revokes an API key (as `DELETE /v1/staff/api-keys/{id}`), then 303 back.
pub(crate) async fn revoke_key(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    let frame = staff_frame(&staff, &state);
    let done = async {
        checked(
            &staff,
            &state,
            &form,
            |f| f.csrf.as_str(),
            "POST /console/staff/api-keys/{id}/revoke",
        )
        .await?;
        let who = &staff.principal;
        require(
            &state,
            who,
            Permission::ManageStaff,
            AuditAction::ApiKeyRevoke,
        )
        .await?;
        state.staff.revoke_api_key(&who.id, &id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match done {
        Ok(()) => Ok(back_to("/console/staff?done=1")),
        Err(e) => Err(frame.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "console/access_review.html")]
struct ReviewPage {
    frame: Frame,
    actions: bool,
    users: Vec<UserRow>,
    keys: Vec<KeyRow>,
    reviews: Vec<ReviewRow>,
    unused_after_days: u32,
    due_at: String,
    due_iso: String,
    overdue: bool,
}

/// The report as `GET /v1/access-review` gives it (same check and audit).
pub(crate) async fn report(state: &AppState, staff: &Staff) -> Result<AccessReport, ApiError> {
    let who = &staff.principal;
    require(
        state,
        who,
        Permission::ReviewAccess,
        AuditAction::AccessReviewRead,
    )
    .await?;
    let report = state.staff.access_report().await?;
    listed(
        state,
        who,
        AuditAction::AccessReviewRead,
        format!(
            "{} accounts, {} API keys",
            report.users.len(),
            report.api_keys.len()
        ),
    )
    .await?;
    Ok(report)
}

/// Every account and key, flagged when unused; the reviews; the next one's date.
pub(crate) async fn review_page(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/access-review",
        texts.t("console-review-title"),
    );
    let report = match report(&state, &staff).await {
        Ok(r) => r,
        Err(e) => return Err(frame.fail(e)),
    };
    let (users, keys) = rows(texts, &report);
    let reviews = report
        .reviews
        .iter()
        .map(|r| ReviewRow {
            at: texts.instant(r.reviewed_at),
            by: r.reviewed_by.clone(),
            notes: r.notes.clone(),
        })
        .collect();
    Ok(render(&ReviewPage {
        frame,
        actions: false,
        users,
        keys,
        reviews,
        unused_after_days: report.unused_after_days,
        due_at: texts.date(report.review_due_at),
        due_iso: custodia_policy::i18n::iso_date(report.review_due_at.date()),
        overdue: report.review_due,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReviewForm {
    csrf: String,
    #[serde(default)]
    notes: String,
}

/// Records a review (as `POST /v1/access-review`), then 303 back.
pub(crate) async fn record_review(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Form<ReviewForm>, FormRejection>,
) -> Result<Response, PageError> {
    let texts = staff.texts;
    let frame = staff.frame(
        &state,
        "/console/access-review",
        texts.t("console-review-title"),
    );
    let done = async {
        checked(
            &staff,
            &state,
            &form,
            |f| f.csrf.as_str(),
            "POST /console/access-review",
        )
        .await?;
        let Ok(Form(form)) = &form else {
            return Err(ApiError::BadRequest("form: unreadable".to_owned()));
        };
        let who = &staff.principal;
        require(
            &state,
            who,
            Permission::ReviewAccess,
            AuditAction::AccessReviewRecord,
        )
        .await?;
        state.staff.record_review(who, &form.notes).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match done {
        Ok(()) => Ok(back_to("/console/access-review?done=1")),
        Err(e) => Err(frame.fail(e)),
    }
}

/// The dashboard's reminder: the next review's date and whether it is overdue.
pub(crate) struct Reminder {
    pub due_at: String,
    pub due_iso: String,
    pub overdue: bool,
}

/// None when the role does not review access.
pub(crate) async fn reminder(
    state: &AppState,
    staff: &Staff,
) -> Result<Option<Reminder>, ApiError> {
    if !staff.may(state, Permission::ReviewAccess) {
        return Ok(None);
    }
    let report = report(state, staff).await?;
    Ok(Some(Reminder {
        due_at: staff.texts.date(report.review_due_at),
        due_iso: custodia_policy::i18n::iso_date(report.review_due_at.date()),
        overdue: report.review_due,
    }))
}
