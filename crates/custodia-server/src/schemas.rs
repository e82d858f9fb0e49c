//! Schemas of bodies the handlers still serialise from core or store types (issue 16
//! item 2 replaces those with wire types of this crate): each mirrors the JSON the
//! server sends, field for field. CI keeps them honest: Schemathesis checks every
//! answer of the running server against them (tests/contract/run).
#![allow(dead_code)] // Read by utoipa only.

use serde_json::{Map, Value};
use utoipa::ToSchema;

/// A right a request exercises (the register's `rights.offered` say which are taken).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "access")]
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

/// Where a request stands; `extended` is in progress with a later deadline.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "received")]
pub enum RequestStatus {
    Received,
    AwaitingIdentity,
    Verified,
    InProgress,
    Extended,
    Completed,
    Refused,
}

/// A step of the staff workflow.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "assign")]
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

/// A choice a person makes about a purpose.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "given")]
pub enum ChoiceState {
    Given,
    Refused,
    Withdrawn,
}

/// The state of a recorded choice: a given consent also lapses (`expired`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "given")]
pub enum RecordedState {
    Given,
    Refused,
    Withdrawn,
    Expired,
}

/// How a choice was collected.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "form")]
pub enum ConsentMethod {
    Banner,
    Form,
    Api,
    Unsubscribe,
    Portal,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AgeStatus {
    /// No birth date nor declared age.
    Unknown,
    /// Below the age of digital consent of the subject's jurisdiction.
    Child,
    Adult,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum DirectiveAction {
    /// Record a directive naming a person to carry it out.
    Record,
    /// Revoke the directives recorded for this address.
    Revoke,
    /// The named person reports the death and asks for the directive to be carried out.
    Execute,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AfterDeath {
    Erase,
    /// Hand a copy to the named person.
    Transmit,
    Keep,
}

/// A post-mortem directive (French law).
#[derive(ToSchema)]
pub struct Directive {
    action: DirectiveAction,
    instructions: Option<AfterDeath>,
    /// The person who carries it out (record), or the deceased's address (execute).
    #[schema(format = "email")]
    other_email: Option<String>,
}

/// A rights request as the requester submits it.
#[derive(ToSchema)]
#[schema(example = json!({"kind": "access", "email": "ada@example.com", "language": "en"}))]
pub struct NewRequest {
    kind: RightKind,
    /// Where the code and every letter go.
    #[schema(format = "email")]
    email: String,
    /// `en` or `fr`; default the register's first language.
    language: Option<String>,
    /// Free text from the requester.
    details: Option<String>,
    /// Rectification: category id -> new value (null removes).
    #[schema(value_type = Option<Object>)]
    changes: Option<Map<String, Value>>,
    /// Withdrawal, objection: the purposes concerned (empty: all that apply).
    purposes: Option<Vec<String>>,
    directive: Option<Directive>,
}

/// A line of the staff list: no personal data.
#[derive(ToSchema)]
pub struct RequestSummary {
    id: String,
    kind: RightKind,
    status: RequestStatus,
    #[schema(format = DateTime)]
    received_at: String,
    #[schema(format = DateTime)]
    due_at: String,
    overdue: bool,
    due_soon: bool,
    assignee: Option<String>,
    subject_id: Option<String>,
}

#[derive(ToSchema)]
pub struct RequestList {
    requests: Vec<RequestSummary>,
}

#[derive(ToSchema)]
pub struct HistoryEntry {
    #[schema(format = DateTime)]
    at: String,
    action: String,
    by: String,
    #[schema(required = false)]
    note: Option<String>,
}

#[derive(ToSchema)]
pub struct Refusal {
    reasons: String,
    /// Art. 12(5): manifestly unfounded or excessive, with the justification.
    #[schema(required = false)]
    unfounded: Option<String>,
}

/// A request as staff see it.
#[derive(ToSchema)]
pub struct Request {
    id: String,
    kind: RightKind,
    status: RequestStatus,
    #[schema(format = DateTime)]
    received_at: String,
    #[schema(format = DateTime)]
    due_at: String,
    overdue: bool,
    due_soon: bool,
    #[schema(format = DateTime)]
    closed_at: Option<String>,
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
    notified_recipients: Vec<String>,
    history: Vec<HistoryEntry>,
}

/// A completion left in part for the DPO.
#[derive(ToSchema)]
pub struct PartialCompletion {
    #[schema(example = "in_progress")]
    status: String,
    /// Categories corrected.
    applied: Vec<String>,
    /// Categories outside the caller's role, left for the DPO.
    pending_for_dpo: Vec<String>,
    detail: String,
}

#[derive(ToSchema)]
pub struct Delivery {
    id: String,
    /// `email` or `webhook`.
    channel: String,
    /// The register recipient, for Art. 19 notices; none for letters to the requester.
    recipient: Option<String>,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    #[schema(format = DateTime)]
    delivered_at: Option<String>,
}

#[derive(ToSchema)]
pub struct DeliveryList {
    deliveries: Vec<Delivery>,
}

#[derive(ToSchema)]
pub struct EventView {
    event: String,
    #[schema(format = DateTime)]
    at: String,
}

#[derive(ToSchema)]
pub struct DisclosureView {
    id: String,
    recipient: String,
    categories: Vec<String>,
    purpose: String,
    #[schema(format = DateTime)]
    at: String,
}

/// A subject as the caller's role may see it.
#[derive(ToSchema)]
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
    #[schema(format = DateTime)]
    parental_consent_at: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
    /// Category id -> value: only the categories the caller's role may read.
    #[schema(value_type = Object)]
    data: Map<String, Value>,
    events: Vec<EventView>,
    disclosures: Vec<DisclosureView>,
}

/// One recorded choice, with its proof.
#[derive(ToSchema)]
pub struct ConsentRecord {
    id: String,
    /// Exactly one of `subject_id` and `visitor_id` is set.
    subject_id: Option<String>,
    visitor_id: Option<String>,
    purpose: String,
    service: Option<String>,
    state: RecordedState,
    method: ConsentMethod,
    #[schema(format = DateTime)]
    recorded_at: String,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
    policy_version: i64,
    purpose_fingerprint: String,
    text_sha256: String,
    banner_version: Option<String>,
    /// IPv4 /24 or IPv6 /48 prefix.
    ip_prefix: Option<String>,
    user_agent: Option<String>,
    jurisdiction: Option<String>,
    gpc: bool,
    /// `visitor`, `subject`, `user:<id>` or `apikey:<id>`.
    recorded_by: String,
}

/// One entry of the audit log; it names subjects by their random id only.
#[derive(ToSchema)]
pub struct AuditEntry {
    seq: i64,
    #[schema(format = DateTime)]
    at: String,
    /// `user:<id>`, `apikey:<id>`, `system`, or `anonymous`.
    principal: String,
    #[schema(example = "subject.read")]
    action: String,
    subject_ref: Option<String>,
    categories: Vec<String>,
    purpose: Option<String>,
    /// `ok`, `denied`, `unauthenticated`, `not_found`, `invalid`...
    outcome: String,
    detail: Option<String>,
    prev_hash: String,
    hash: String,
}

/// A legal hold: while active, retention deletes nothing it covers.
#[derive(ToSchema)]
pub struct LegalHold {
    id: String,
    subject_id: Option<String>,
    rule_id: Option<String>,
    reason: String,
    #[schema(format = DateTime)]
    created_at: String,
    created_by: String,
    #[schema(format = DateTime)]
    released_at: Option<String>,
    released_by: Option<String>,
}

#[derive(ToSchema)]
pub struct RuleTally {
    archived: u64,
    deleted: u64,
    anonymised: u64,
    held: u64,
    requests_deleted: u64,
}

/// What a sweep did, or would do in a dry run.
#[derive(ToSchema)]
pub struct SweepReport {
    #[schema(format = DateTime)]
    now: String,
    dry_run: bool,
    subjects_scanned: u64,
    subjects_erased: u64,
    subjects_reduced: u64,
    opposition_entries_purged: u64,
    unverified_requests_purged: u64,
    /// Rule id -> what it did.
    rules: std::collections::BTreeMap<String, RuleTally>,
}

/// The latest choice about one purpose (or one of its services).
#[derive(ToSchema)]
pub struct CurrentChoice {
    purpose: String,
    #[schema(required = false)]
    service: Option<String>,
    state: RecordedState,
    #[schema(format = DateTime)]
    at: String,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
    /// The purpose's fingerprint the choice was made under.
    fingerprint: String,
}

/// The portal's ID document form.
#[derive(ToSchema)]
pub struct DocumentForm {
    /// A PDF, JPEG or PNG of at most 5 MiB.
    #[schema(value_type = String, format = Binary)]
    document: Vec<u8>,
}

/// Why a decision came out as it did (custodia-core's `consent::Reason`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case", example = "consent_given")]
pub enum DecisionReason {
    UnknownSubject,
    Erased,
    NotForThisKindOfSubject,
    NoLegalBasis,
    ConsentGiven,
    NoConsent,
    ConsentRefused,
    ConsentWithdrawn,
    ConsentExpired,
    PurposeChanged,
    ChildWithoutParentalConsent,
    Objected,
    LegalBasis,
    Restricted,
    OnOppositionList,
    RetentionEnded,
}

#[cfg(test)]
mod tests {
    //! The mirrored enums list exactly what the server serialises: each list below
    //! is checked by an exhaustive `match`, so a new variant fails to compile here.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use custodia_core::consent::{ChoiceState, Reason};
    use custodia_core::rights::Status;
    use custodia_register::Right;
    use serde::Serialize;
    use serde_json::Value;

    fn listed(schema: &str) -> Vec<String> {
        let api = serde_json::to_value(crate::openapi()).unwrap();
        let values = &api["components"]["schemas"][schema]["enum"];
        let values = values.as_array().expect(schema);
        values
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    fn served<T: Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| match serde_json::to_value(v).unwrap() {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect()
    }

    #[test]
    fn decision_reasons() {
        use Reason::*;
        let all = [
            UnknownSubject,
            Erased,
            NotForThisKindOfSubject,
            NoLegalBasis,
            ConsentGiven,
            NoConsent,
            ConsentRefused,
            ConsentWithdrawn,
            ConsentExpired,
            PurposeChanged,
            ChildWithoutParentalConsent,
            Objected,
            LegalBasis,
            Restricted,
            OnOppositionList,
            RetentionEnded,
        ];
        for r in all {
            match r {
                UnknownSubject
                | Erased
                | NotForThisKindOfSubject
                | NoLegalBasis
                | ConsentGiven
                | NoConsent
                | ConsentRefused
                | ConsentWithdrawn
                | ConsentExpired
                | PurposeChanged
                | ChildWithoutParentalConsent
                | Objected
                | LegalBasis
                | Restricted
                | OnOppositionList
                | RetentionEnded => {}
            }
        }
        assert_eq!(listed("DecisionReason"), served(&all));
    }

    #[test]
    fn request_statuses() {
        use Status::*;
        let all = [
            Received,
            AwaitingIdentity,
            Verified,
            InProgress,
            Extended,
            Completed,
            Refused,
        ];
        for s in all {
            match s {
                Received | AwaitingIdentity | Verified | InProgress | Extended | Completed
                | Refused => {}
            }
        }
        assert_eq!(listed("RequestStatus"), served(&all));
    }

    #[test]
    fn rights() {
        use Right::*;
        let all = [
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
        ];
        for r in all {
            match r {
                Access | Rectification | Erasure | Restriction | Portability | Objection
                | WithdrawConsent | Complaint | PostMortem | CaliforniaKnow | CaliforniaDelete
                | CaliforniaCorrect | CaliforniaOptOut | ShineTheLight => {}
            }
        }
        assert_eq!(listed("RightKind"), served(&all));
    }

    #[test]
    fn recorded_states() {
        use ChoiceState::*;
        let all = [Given, Refused, Withdrawn, Expired];
        for s in all {
            match s {
                Given | Refused | Withdrawn | Expired => {}
            }
        }
        assert_eq!(listed("RecordedState"), served(&all));
    }
}
