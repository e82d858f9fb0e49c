//! Staff accounts, their sessions, and API keys for services. Secrets are stored
//! only as hashes: argon2id PHC strings for passwords, SHA-256 for random tokens.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: String,
    /// Login identity, stored normalised (lowercase). Staff accounts are the
    /// controller's own access accounts, kept outside the subject vault.
    pub email: String,
    /// `admin`, `dpo`, `auditor` or an internal recipient id of the register.
    pub role: String,
    pub password_hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Departure: a disabled account cannot log in and its sessions stop working.
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// SHA-256 of the session cookie's value.
    pub token_hash: Vec<u8>,
    pub user_id: String,
    /// Value a state-changing form must echo (synchroniser token).
    pub csrf_token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub role: String,
    /// SHA-256 of the key; the key itself is shown once.
    pub key_hash: Vec<u8>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A staff account's second factor: a TOTP secret, sealed, and the hashes of its
/// unused recovery codes. Pending until `confirmed_at` (enrolment proven by a code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactor {
    pub user_id: String,
    /// The TOTP secret sealed under the second-factor system key (AAD: user id).
    pub secret_sealed: Vec<u8>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub confirmed_at: Option<OffsetDateTime>,
    /// The last TOTP step accepted: a code is good once, and no earlier one after it.
    pub last_step: Option<i64>,
    /// SHA-256 of each recovery code not used yet.
    pub recovery_hashes: Vec<Vec<u8>>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Bumped by every change, for compare-and-swap ([`crate::Write::PutSecondFactor`]).
    pub version: i64,
}

/// When a credential was last used: a staff account's last sign-in (`user:<id>`) or
/// an API key's last authenticated request (`apikey:<id>`). Kept at day precision by
/// core and written coarsely, never once per request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialUse {
    /// `user:<id>` or `apikey:<id>`, as the audit log names principals.
    pub principal: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A periodic access review: who reviewed the accounts and keys, when, and what
/// changed (accounts disabled, keys revoked) in their words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessReview {
    pub id: String,
    /// The reviewer's principal (`user:<id>` or `apikey:<id>`).
    pub reviewed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub reviewed_at: OffsetDateTime,
    pub notes: String,
}
