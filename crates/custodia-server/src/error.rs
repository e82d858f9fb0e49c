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
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::Throttled { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let (status, title, detail) = match &self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m.clone()),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "send `Authorization: Bearer <API key>` or sign in at /login".to_owned(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "Forbidden", m.clone()),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m.clone()),
            ApiError::Gone(m) => (StatusCode::GONE, "Gone", m.clone()),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "Conflict", m.clone()),
            ApiError::TooManyRequests(m) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                m.clone(),
            ),
            ApiError::PayloadTooLarge(m) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Content too large",
                m.clone(),
            ),
            ApiError::Throttled { detail, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                detail.clone(),
            ),
            ApiError::Unprocessable(m) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Unprocessable content",
                m.clone(),
            ),
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "the server could not complete the request; see its log".to_owned(),
                )
            }
        };
        let body = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail,
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

impl From<custodia_store::StoreError> for ApiError {
    fn from(e: custodia_store::StoreError) -> Self {
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
            StaffError::UnknownUser => ApiError::NotFound(e.to_string()),
            StaffError::Exists => ApiError::Unprocessable(e.to_string()),
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
