//! Subjects as the caller's role may see them.

use super::closed;
use crate::ApiError;
use custodia_core::vault::SubjectView;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeStatus {
    /// No birth date nor declared age.
    Unknown,
    /// Below the age of digital consent of the subject's jurisdiction.
    Child,
    Adult,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    event: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureView {
    id: String,
    /// A recipient of the register.
    recipient: String,
    categories: Vec<String>,
    purpose: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
}

/// A subject as the caller's role may see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a6c2-7d1e-7c3a-9f1e-2b4c6d8e0f12", "kind": "customer", "age_status": "adult",
    "needs_parental_consent": false, "parental_consent_at": null,
    "created_at": "2026-03-01T09:30:00Z", "updated_at": "2026-03-01T09:30:00Z",
    "data": {"user.contact.email": "ada@example.com", "user.name.first": "Ada"},
    "events": [], "disclosures": []
}))]
pub struct Subject {
    id: String,
    kind: String,
    age_status: AgeStatus,
    /// Below the age of digital consent and no parental consent recorded yet.
    needs_parental_consent: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    parental_consent_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    updated_at: OffsetDateTime,
    /// Category id -> value: only the categories the caller's role may read.
    #[schema(value_type = Object)]
    data: BTreeMap<String, Value>,
    events: Vec<EventView>,
    disclosures: Vec<DisclosureView>,
}

impl TryFrom<SubjectView> for Subject {
    type Error = ApiError;

    fn try_from(v: SubjectView) -> Result<Subject, ApiError> {
        Ok(Subject {
            age_status: closed("age_status", &v.age_status)?,
            id: v.id,
            kind: v.kind,
            needs_parental_consent: v.needs_parental_consent,
            parental_consent_at: v.parental_consent_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
            data: v.data,
            events: v
                .events
                .into_iter()
                .map(|e| EventView {
                    event: e.event,
                    at: e.at,
                })
                .collect(),
            disclosures: v
                .disclosures
                .into_iter()
                .map(|d| DisclosureView {
                    id: d.id,
                    recipient: d.recipient,
                    categories: d.categories,
                    purpose: d.purpose,
                    at: d.at,
                })
                .collect(),
        })
    }
}
