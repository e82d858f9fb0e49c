//! Staff accounts, API keys and the access review.

use custodia_core::access_review::{AccessReport, KeyAccess, UserAccess};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A staff account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffUser {
    id: String,
    email: String,
    /// `admin`, `dpo`, `auditor` or an internal recipient of the register.
    role: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    disabled_at: Option<OffsetDateTime>,
}

impl From<custodia_core::staff::StaffUser> for StaffUser {
    fn from(u: custodia_core::staff::StaffUser) -> StaffUser {
        StaffUser {
            id: u.id,
            email: u.email,
            role: u.role,
            created_at: u.created_at,
            disabled_at: u.disabled_at,
        }
    }
}

/// An account just added; `password` is shown this once when it was generated.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewStaffUser {
    user: StaffUser,
    password: Option<String>,
}

impl NewStaffUser {
    pub fn new(user: custodia_core::staff::StaffUser, password: Option<String>) -> NewStaffUser {
        NewStaffUser {
            user: user.into(),
            password,
        }
    }
}

/// An API key (never its hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    id: String,
    name: String,
    role: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    revoked_at: Option<OffsetDateTime>,
}

impl From<custodia_core::staff::ApiKey> for ApiKey {
    fn from(k: custodia_core::staff::ApiKey) -> ApiKey {
        ApiKey {
            id: k.id,
            name: k.name,
            role: k.role,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A key just created: `key` is its secret, shown this once and stored only hashed.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewApiKey {
    key: String,
    api_key: ApiKey,
}

impl NewApiKey {
    pub fn new(key: String, api_key: custodia_core::staff::ApiKey) -> NewApiKey {
        NewApiKey {
            key,
            api_key: api_key.into(),
        }
    }
}

/// A staff account in the access review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedUser {
    id: String,
    email: String,
    role: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    last_sign_in: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    disabled_at: Option<OffsetDateTime>,
    /// Enabled and not signed in for `unused_after_days` (since its creation if never).
    unused: bool,
}

impl From<UserAccess> for ReviewedUser {
    fn from(u: UserAccess) -> ReviewedUser {
        ReviewedUser {
            id: u.id,
            email: u.email,
            role: u.role,
            created_at: u.created_at,
            last_sign_in: u.last_sign_in,
            disabled_at: u.disabled_at,
            unused: u.unused,
        }
    }
}

/// An API key in the access review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedKey {
    id: String,
    name: String,
    role: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    /// The start (UTC) of the last day the key was used: day precision.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    last_used: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    revoked_at: Option<OffsetDateTime>,
    /// Not revoked and not used for `unused_after_days` (since its creation if never).
    unused: bool,
}

impl From<KeyAccess> for ReviewedKey {
    fn from(k: KeyAccess) -> ReviewedKey {
        ReviewedKey {
            id: k.id,
            name: k.name,
            role: k.role,
            created_at: k.created_at,
            last_used: k.last_used,
            revoked_at: k.revoked_at,
            unused: k.unused,
        }
    }
}

/// A periodic access review recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessReview {
    id: String,
    /// The reviewer (`user:<id>` or `apikey:<id>`).
    reviewed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    reviewed_at: OffsetDateTime,
    /// What the review found or changed (accounts disabled, keys revoked).
    notes: String,
}

impl From<custodia_core::access_review::AccessReview> for AccessReview {
    fn from(r: custodia_core::access_review::AccessReview) -> AccessReview {
        AccessReview {
            id: r.id,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
            notes: r.notes,
        }
    }
}

/// Every account and key with its last use, the reviews and when the next is due.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessReviewReport {
    users: Vec<ReviewedUser>,
    api_keys: Vec<ReviewedKey>,
    /// Newest first.
    reviews: Vec<AccessReview>,
    unused_after_days: u32,
    /// The last review plus the review interval (3 months by default).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    review_due_at: OffsetDateTime,
    review_due: bool,
}

impl From<AccessReport> for AccessReviewReport {
    fn from(r: AccessReport) -> AccessReviewReport {
        AccessReviewReport {
            users: r.users.into_iter().map(Into::into).collect(),
            api_keys: r.api_keys.into_iter().map(Into::into).collect(),
            reviews: r.reviews.into_iter().map(Into::into).collect(),
            unused_after_days: r.unused_after_days,
            review_due_at: r.review_due_at,
            review_due: r.review_due,
        }
    }
}
