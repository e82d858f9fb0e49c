//! Errors as RFC 9457 problem documents. Messages name what was wrong and where;
//! they never carry personal data, and internal details stay in the server log.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 429 with `Retry-After` (seconds).
    #[error("{detail}")]
    Throttled { detail: String, retry_after: u64 },
    /// Well-formed but wrong: the message starts with the field at fault.
    #[error("{0}")]
    Unprocessable(String),
    /// 503 with `Retry-After` (seconds): not ready yet (the consent state is loading)
    /// or a store unreachable.
    #[error("{detail}")]
    Unavailable { detail: String, retry_after: u64 },
    #[error("internal error")]
    Internal(String),
}

/// An RFC 9457 problem document, served as `application/problem+json`.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "type": "/problems/unprocessable",
    "title": "Unprocessable content",
    "status": 422,
    "detail": "kind: unknown subject kind `visitor`",
    "field": "kind"
}))]
pub struct Problem {
    /// The kind of error: a URI relative to the server, whose page documents it.
    #[serde(rename = "type")]
    #[schema(format = "uri-reference")]
    kind: String,
    /// The kind's short title, the same for every occurrence.
    title: &'static str,
    /// The HTTP status code.
    #[schema(minimum = 100, maximum = 599)]
    status: u16,
    /// What was wrong and where; never personal data.
    detail: String,
    /// The field at fault, when one is (a body member, a parameter or a path segment).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

/// The kinds of error, each documented at `/problems/{slug}`: (status, slug, title,
/// what it means).
pub(crate) const KINDS: &[(u16, &str, &str, &str)] = &[
    (
        400,
        "bad-request",
        "Bad request",
        "The request could not be read: a malformed body, a query parameter or path segment that cannot be parsed, or an id that is too long or holds control characters. `field` names the part at fault.",
    ),
    (
        401,
        "unauthorized",
        "Unauthorized",
        "No credentials, or credentials that are not valid. Send `Authorization: Bearer <API key>` (keys are made with `custodia apikeys create`) or sign in at /login and send the CSRF token with the session cookie.",
    ),
    (
        403,
        "forbidden",
        "Forbidden",
        "The caller is known but its role may not do this: the register does not list it as a recipient of the categories concerned, or the action needs another role (admin, dpo, auditor, a rights handler).",
    ),
    (
        404,
        "not-found",
        "Not found",
        "Nothing with this id or token exists (or it is not visible to this caller).",
    ),
    (
        409,
        "conflict",
        "Conflict",
        "The resource is not in a state that allows this: a rights request already past this step, a step made concurrently, a visitor already linked, or a setting the server lacks (such as `public_url`).",
    ),
    (
        410,
        "gone",
        "Gone",
        "The subject was erased: its data key was destroyed, so nothing about it can be read or changed.",
    ),
    (
        413,
        "content-too-large",
        "Content too large",
        "The body is larger than the route accepts: 1 MiB for JSON bodies, 5 MiB for an ID document.",
    ),
    (
        422,
        "unprocessable",
        "Unprocessable content",
        "The request was read but a value is wrong: an unknown category, purpose, kind or action, a missing required member, an invalid address or date. `field` names the member at fault.",
    ),
    (
        429,
        "too-many-requests",
        "Too many requests",
        "This client sent too many requests (or too many refused ones) in a short time, or an address reached its daily number of rights requests. Wait for `Retry-After` seconds when it is sent.",
    ),
    (
        500,
        "internal",
        "Internal error",
        "The server could not complete the request. The details are in the server's log, never in the answer; retrying may help if the database was unreachable.",
    ),
    (
        503,
        "unavailable",
        "Service unavailable",
        "The server is starting (loading the consent state) or cannot reach its database or key store. Retry after `Retry-After` seconds; a load balancer polls /readyz to know when to send traffic.",
    ),
];

/// The `type` URI and title of the problems of a status.
fn kind_of(status: u16) -> (String, &'static str) {
    let (slug, title) = KINDS
        .iter()
        .find(|(s, ..)| *s == status)
        .map_or(("internal", "Internal error"), |(_, slug, title, _)| {
            (slug, title)
        });
    (format!("/problems/{slug}"), title)
}

/// The field a message names: messages about one field start with `field: `.
fn field_of(detail: &str) -> Option<String> {
    let (head, _) = detail.split_once(": ")?;
    let plain = !head.is_empty()
        && head.len() <= 64
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']'));
    plain.then(|| head.to_owned())
}

impl ApiError {
    /// The status and the `detail` the problem document carries (never personal
    /// data); console pages show the same message.
    pub(crate) fn status_and_detail(&self) -> (StatusCode, String) {
        match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "send `Authorization: Bearer <API key>` or sign in at /login".to_owned(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
            ApiError::Gone(m) => (StatusCode::GONE, m.clone()),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            ApiError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, m.clone()),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m.clone()),
            ApiError::Throttled { detail, .. } => (StatusCode::TOO_MANY_REQUESTS, detail.clone()),
            ApiError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, m.clone()),
            ApiError::Unavailable { detail, .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, detail.clone())
            }
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not complete the request; see its log".to_owned(),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::Throttled { retry_after, .. } | ApiError::Unavailable { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        };
        let (status, detail) = self.status_and_detail();
        let (kind, title) = kind_of(status.as_u16());
        let field = match &self {
            ApiError::BadRequest(_) | ApiError::Unprocessable(_) => field_of(&detail),
            _ => None,
        };
        let body = Problem {
            kind,
            title,
            status: status.as_u16(),
            detail,
            field,
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            serde_json::to_string(&body).unwrap_or_default(),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<custodia_core::publishing::PublishError> for ApiError {
    fn from(e: custodia_core::publishing::PublishError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<custodia_core::vault::VaultError> for ApiError {
    fn from(e: custodia_core::vault::VaultError) -> Self {
        use custodia_core::vault::VaultError;
        match e {
            VaultError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            VaultError::NotFound => ApiError::NotFound(e.to_string()),
            VaultError::Erased => ApiError::Gone(e.to_string()),
            VaultError::Forbidden(m) => ApiError::Forbidden(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<custodia_core::staff::StaffError> for ApiError {
    fn from(e: custodia_core::staff::StaffError) -> Self {
        use custodia_core::staff::StaffError;
        match e {
            StaffError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            StaffError::BadCredentials => ApiError::Unauthorized,
            StaffError::UnknownUser | StaffError::UnknownApiKey => {
                ApiError::NotFound(e.to_string())
            }
            StaffError::Exists => ApiError::Unprocessable(e.to_string()),
            StaffError::Forbidden(m) => ApiError::Forbidden(m),
            StaffError::NotFound(m) => ApiError::NotFound(m),
            StaffError::Conflict(m) => ApiError::Conflict(m),
            StaffError::WrongCode => ApiError::Unprocessable(e.to_string()),
            StaffError::PendingExpired | StaffError::BadSecondFactor { .. } => {
                ApiError::Unauthorized
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<custodia_core::consent::ConsentError> for ApiError {
    fn from(e: custodia_core::consent::ConsentError) -> Self {
        use custodia_core::consent::ConsentError;
        match e {
            ConsentError::Invalid { .. } => ApiError::Unprocessable(e.to_string()),
            ConsentError::NotFound => ApiError::NotFound(e.to_string()),
            ConsentError::Erased => ApiError::Gone(e.to_string()),
            ConsentError::Forbidden(m) => ApiError::Forbidden(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
