//! Staff sign-in's second factor and sessions.

use custodia_core::second_factor::{Enrolment as CoreEnrolment, SessionInfo};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A new second factor, pending until confirmed with a code. Shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolment {
    /// The TOTP secret in base32 (RFC 4648, no padding), for typing into an app.
    secret: String,
    /// `otpauth://totp/...` for a QR code (SHA-1, 6 digits, 30 s).
    otpauth_uri: String,
}

impl From<CoreEnrolment> for Enrolment {
    fn from(e: CoreEnrolment) -> Enrolment {
        Enrolment {
            secret: e.secret,
            otpauth_uri: e.uri,
        }
    }
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// Six digits from the app, as it shows them now.
    pub code: String,
}

/// Ten one-time recovery codes, each good for one sign-in instead of a TOTP code.
/// Shown once; stored only as hashes.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    recovery_codes: Vec<String>,
}

impl From<Vec<String>> for RecoveryCodes {
    fn from(recovery_codes: Vec<String>) -> RecoveryCodes {
        RecoveryCodes { recovery_codes }
    }
}

/// A staff session (never its token).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSession {
    /// Identifies the session for revocation; not the cookie.
    id: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    expires_at: OffsetDateTime,
    /// The session this request came with.
    current: bool,
}

impl From<SessionInfo> for StaffSession {
    fn from(s: SessionInfo) -> StaffSession {
        StaffSession {
            id: s.id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            current: s.current,
        }
    }
}

/// Live sessions, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    sessions: Vec<StaffSession>,
}

impl From<Vec<SessionInfo>> for SessionList {
    fn from(sessions: Vec<SessionInfo>) -> SessionList {
        SessionList {
            sessions: sessions.into_iter().map(StaffSession::from).collect(),
        }
    }
}

/// How many sessions were ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    revoked: usize,
}

impl From<usize> for Revoked {
    fn from(revoked: usize) -> Revoked {
        Revoked { revoked }
    }
}
