//! Rights requests: what the requester submits and what staff read.

use super::closed;
use crate::ApiError;
use custodia_core::rights::{self as core, Status};
use custodia_register::Right;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A right a request exercises (the register's `rights.offered` say which are taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "access")]
pub enum RightKind {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
    WithdrawConsent,
    Complaint,
    PostMortem,
    CaliforniaKnow,
    CaliforniaDelete,
    CaliforniaCorrect,
    CaliforniaOptOut,
    ShineTheLight,
}

impl From<Right> for RightKind {
    fn from(r: Right) -> RightKind {
        use RightKind as W;
        match r {
            Right::Access => W::Access,
            Right::Rectification => W::Rectification,
            Right::Erasure => W::Erasure,
            Right::Restriction => W::Restriction,
            Right::Portability => W::Portability,
            Right::Objection => W::Objection,
            Right::WithdrawConsent => W::WithdrawConsent,
            Right::Complaint => W::Complaint,
            Right::PostMortem => W::PostMortem,
            Right::CaliforniaKnow => W::CaliforniaKnow,
            Right::CaliforniaDelete => W::CaliforniaDelete,
            Right::CaliforniaCorrect => W::CaliforniaCorrect,
            Right::CaliforniaOptOut => W::CaliforniaOptOut,
            Right::ShineTheLight => W::ShineTheLight,
        }
    }
}

fn right_kind(text: &str) -> Result<RightKind, ApiError> {
    core::parse_right(text)
        .map(RightKind::from)
        .ok_or_else(|| ApiError::Internal(format!("kind: `{text}` is not a right")))
}

/// Where a request stands; `extended` is in progress with a later deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "received")]
pub enum RequestStatus {
    /// Waiting for the code e-mailed to the address.
    Received,
    /// Staff asked for an ID document.
    AwaitingIdentity,
    Verified,
    InProgress,
    Extended,
    Completed,
    Refused,
}

impl From<Status> for RequestStatus {
    fn from(s: Status) -> RequestStatus {
        use RequestStatus as W;
        match s {
            Status::Received => W::Received,
            Status::AwaitingIdentity => W::AwaitingIdentity,
            Status::Verified => W::Verified,
            Status::InProgress => W::InProgress,
            Status::Extended => W::Extended,
            Status::Completed => W::Completed,
            Status::Refused => W::Refused,
        }
    }
}

fn status(text: &str) -> Result<RequestStatus, ApiError> {
    Status::parse(text)
        .map(RequestStatus::from)
        .ok_or_else(|| ApiError::Internal(format!("status: `{text}` is not a status")))
}

/// A step of the staff workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "assign")]
pub enum StepAction {
    /// With `assignee`.
    Assign,
    /// With `reason`; once, before the deadline.
    Extend,
    /// With `reasons`, and `justification` when manifestly unfounded or excessive.
    Refuse,
    /// With `note`: asks the requester for an ID document.
    Doubt,
    ConfirmIdentity,
    Complete,
    LiftRestriction,
}

impl StepAction {
    pub fn parse(text: &str) -> Option<StepAction> {
        serde_json::from_value(Value::String(text.to_owned())).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveAction {
    /// Record a directive naming a person to carry it out.
    Record,
    /// Revoke the directives recorded for this address.
    Revoke,
    /// The named person reports the death and asks for the directive to be carried out.
    Execute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AfterDeath {
    Erase,
    /// Hand a copy to the named person.
    Transmit,
    Keep,
}

/// A post-mortem directive (French law, LIL art. 85).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Directive {
    action: DirectiveAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    instructions: Option<AfterDeath>,
    /// The person who carries it out (record), or the deceased's address (execute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(required = false, format = "email")]
    other_email: Option<String>,
}

impl From<core::Directive> for Directive {
    fn from(d: core::Directive) -> Directive {
        Directive {
            action: match d.action {
                core::DirectiveAction::Record => DirectiveAction::Record,
                core::DirectiveAction::Revoke => DirectiveAction::Revoke,
                core::DirectiveAction::Execute => DirectiveAction::Execute,
            },
            instructions: d.instructions.map(|i| match i {
                core::AfterDeath::Erase => AfterDeath::Erase,
                core::AfterDeath::Transmit => AfterDeath::Transmit,
                core::AfterDeath::Keep => AfterDeath::Keep,
            }),
            other_email: d.other_email,
        }
    }
}

impl From<Directive> for core::Directive {
    fn from(d: Directive) -> core::Directive {
        core::Directive {
            action: match d.action {
                DirectiveAction::Record => core::DirectiveAction::Record,
                DirectiveAction::Revoke => core::DirectiveAction::Revoke,
                DirectiveAction::Execute => core::DirectiveAction::Execute,
            },
            instructions: d.instructions.map(|i| match i {
                AfterDeath::Erase => core::AfterDeath::Erase,
                AfterDeath::Transmit => core::AfterDeath::Transmit,
                AfterDeath::Keep => core::AfterDeath::Keep,
            }),
            other_email: d.other_email,
        }
    }
}

/// A rights request as the requester submits it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "access", "email": "ada@example.com", "language": "en"}))]
pub struct NewRequest {
    /// Checked against the rights the register offers.
    #[schema(value_type = RightKind)]
    kind: String,
    /// Where the code and every letter go.
    #[schema(format = "email")]
    email: String,
    /// a language code (`en`, `fr`, `de`, `es`, `it`); default the register's first language.
    #[serde(default)]
    language: Option<String>,
    /// Free text from the requester.
    #[serde(default)]
    details: Option<String>,
    /// Rectification: category id -> new value (null removes).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    changes: Option<Map<String, Value>>,
    /// Withdrawal, objection: the purposes concerned (empty: all that apply).
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    purposes: Vec<String>,
    #[serde(default)]
    directive: Option<Directive>,
}

impl From<NewRequest> for core::NewRequest {
    fn from(r: NewRequest) -> core::NewRequest {
        core::NewRequest {
            kind: r.kind,
            email: r.email,
            language: r.language,
            details: r.details,
            changes: r.changes,
            purposes: r.purposes,
            directive: r.directive.map(Into::into),
        }
    }
}

/// A line of the staff list: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestSummary {
    id: String,
    kind: RightKind,
    status: RequestStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    due_at: OffsetDateTime,
    overdue: bool,
    due_soon: bool,
    assignee: Option<String>,
    subject_id: Option<String>,
}

impl TryFrom<core::RequestSummary> for RequestSummary {
    type Error = ApiError;

    fn try_from(s: core::RequestSummary) -> Result<RequestSummary, ApiError> {
        Ok(RequestSummary {
            kind: right_kind(&s.kind)?,
            status: status(&s.status)?,
            id: s.id,
            received_at: s.received_at,
            due_at: s.due_at,
            overdue: s.overdue,
            due_soon: s.due_soon,
            assignee: s.assignee,
            subject_id: s.subject_id,
        })
    }
}

/// Requests, soonest deadline first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestList {
    pub requests: Vec<RequestSummary>,
    /// How many requests match the filters in all (more than `requests` holds
    /// when `limit` cut the list).
    pub total: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
    #[schema(example = "assigned")]
    action: String,
    by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Refusal {
    reasons: String,
    /// Art. 12(5): manifestly unfounded or excessive, with the justification.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    unfounded: Option<String>,
}

/// A request as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Request {
    id: String,
    kind: RightKind,
    status: RequestStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    due_at: OffsetDateTime,
    overdue: bool,
    due_soon: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    closed_at: Option<OffsetDateTime>,
    assignee: Option<String>,
    subject_ids: Vec<String>,
    email: String,
    language: String,
    details: Option<String>,
    /// Only the categories the reader's role reaches (all for the DPO).
    #[schema(value_type = Option<Object>)]
    changes: Option<Map<String, Value>>,
    /// Categories of `changes` outside the reader's role: the DPO handles them.
    pending_for_dpo: Vec<String>,
    purposes: Vec<String>,
    directive: Option<Directive>,
    identity_doubt: Option<String>,
    has_id_document: bool,
    extension_reason: Option<String>,
    refusal: Option<Refusal>,
    outcome: Option<String>,
    /// Recipients told of a rectification, erasure or restriction (Art. 19).
    notified_recipients: Vec<String>,
    history: Vec<HistoryEntry>,
}

impl TryFrom<core::RequestView> for Request {
    type Error = ApiError;

    fn try_from(v: core::RequestView) -> Result<Request, ApiError> {
        Ok(Request {
            kind: right_kind(&v.kind)?,
            status: status(&v.status)?,
            id: v.id,
            received_at: v.received_at,
            due_at: v.due_at,
            overdue: v.overdue,
            due_soon: v.due_soon,
            closed_at: v.closed_at,
            assignee: v.assignee,
            subject_ids: v.subject_ids,
            email: v.email,
            language: v.language,
            details: v.details,
            changes: v.changes,
            pending_for_dpo: v.pending_for_dpo,
            purposes: v.purposes,
            directive: v.directive.map(Into::into),
            identity_doubt: v.identity_doubt,
            has_id_document: v.has_id_document,
            extension_reason: v.extension_reason,
            refusal: v.refusal.map(|r| Refusal {
                reasons: r.reasons,
                unfounded: r.unfounded,
            }),
            outcome: v.outcome,
            notified_recipients: v.notified_recipients,
            history: v
                .history
                .into_iter()
                .map(|h| HistoryEntry {
                    at: h.at,
                    action: h.action,
                    by: h.by,
                    note: h.note,
                })
                .collect(),
        })
    }
}

/// A completion left in part for the DPO.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartialCompletion {
    #[schema(example = "in_progress")]
    pub status: RequestStatus,
    /// Categories corrected.
    pub applied: Vec<String>,
    /// Categories outside the caller's role, left for the DPO.
    pub pending_for_dpo: Vec<String>,
    pub detail: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryChannel {
    Email,
    Webhook,
    /// Not a message: the request completed again after a dataset failed.
    Retry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Queued or being retried.
    Pending,
    Delivered,
    /// Given up after the last retry.
    Failed,
}

/// A queued message's state, without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    id: String,
    channel: DeliveryChannel,
    /// The register recipient, for Art. 19 notices; none for letters to the requester.
    recipient: Option<String>,
    status: DeliveryStatus,
    attempts: i64,
    last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    delivered_at: Option<OffsetDateTime>,
}

impl TryFrom<core::Delivery> for Delivery {
    type Error = ApiError;

    fn try_from(d: core::Delivery) -> Result<Delivery, ApiError> {
        Ok(Delivery {
            channel: closed("channel", &d.channel)?,
            status: closed("status", &d.status)?,
            id: d.id,
            recipient: d.recipient,
            attempts: d.attempts,
            last_error: d.last_error,
            delivered_at: d.delivered_at,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub deliveries: Vec<Delivery>,
}

/// The portal's ID document form.
#[derive(ToSchema)]
#[allow(dead_code)] // Read as multipart by the portal; described here for the contract.
pub struct DocumentForm {
    /// A PDF, JPEG or PNG of at most 5 MiB.
    #[schema(value_type = String, format = Binary)]
    document: Vec<u8>,
}
