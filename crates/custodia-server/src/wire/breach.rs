//! The breach register (Art. 33/34): breaches with their 72-hour clock, decisions and
//! timelines. Request fields whose values core checks stay strings (so the error
//! names the field) and point to the enums as their schema.

use custodia_core::breach as core;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// What a breach compromised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BreachNature {
    Confidentiality,
    Integrity,
    Availability,
}

/// How the people concerned were told (`email`: one letter per affected subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InformChannel {
    Email,
    Post,
    Phone,
    PublicNotice,
    Other,
}

/// Why the people concerned are not told: no likely high risk (Art. 34(1)), or an
/// exception of Art. 34(3) (a) unintelligible data, (b) risk neutralised, (c)
/// disproportionate effort (with a public communication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotInformedReason {
    NoHighRisk,
    Unintelligible,
    RiskNeutralised,
    DisproportionateEffort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BreachState {
    Open,
    Closed,
}

/// A breach as staff record it (Art. 33(3)).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "aware_at": "2026-05-04T08:30:00Z",
    "nature": ["confidentiality"],
    "description": "A laptop holding an export of customer contacts was stolen.",
    "categories": ["user.contact.email"],
    "approx_people": 120,
    "approx_records": 120,
    "consequences": "Phishing aimed at the customers concerned.",
    "measures": "Disk encryption checked; the export's passwords were rotated."
}))]
pub struct NewBreach {
    /// When the controller became aware of the breach: the clock starts here.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = String, format = DateTime, required = true)]
    pub aware_at: Option<OffsetDateTime>,
    #[schema(value_type = Vec<BreachNature>)]
    pub nature: Vec<String>,
    pub description: String,
    /// Category ids of the register.
    pub categories: Vec<String>,
    /// Approximate number of people concerned.
    #[serde(default)]
    pub approx_people: Option<u64>,
    /// Approximate number of records concerned.
    #[serde(default)]
    pub approx_records: Option<u64>,
    /// Likely consequences.
    pub consequences: String,
    /// Measures taken or proposed.
    pub measures: String,
    /// The subjects affected, when known (they get letters if told by e-mail).
    #[serde(default)]
    pub subject_ids: Vec<String>,
}

impl From<NewBreach> for core::NewBreach {
    fn from(b: NewBreach) -> core::NewBreach {
        core::NewBreach {
            aware_at: b.aware_at,
            nature: b.nature,
            description: b.description,
            categories: b.categories,
            approx_people: b.approx_people,
            approx_records: b.approx_records,
            consequences: b.consequences,
            measures: b.measures,
            subject_ids: b.subject_ids,
        }
    }
}

/// Changes to a breach: each field given replaces the one recorded (phased
/// information, Art. 33(4)); `closed` closes or reopens it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"approx_people": 340, "measures": "Customers' passwords reset.", "closed": false}))]
pub struct BreachChange {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub aware_at: Option<OffsetDateTime>,
    #[schema(value_type = Option<Vec<BreachNature>>)]
    pub nature: Option<Vec<String>>,
    pub description: Option<String>,
    pub categories: Option<Vec<String>>,
    pub approx_people: Option<u64>,
    pub approx_records: Option<u64>,
    pub consequences: Option<String>,
    pub measures: Option<String>,
    pub subject_ids: Option<Vec<String>>,
    pub closed: Option<bool>,
}

impl From<BreachChange> for core::BreachChange {
    fn from(c: BreachChange) -> core::BreachChange {
        core::BreachChange {
            aware_at: c.aware_at,
            nature: c.nature,
            description: c.description,
            categories: c.categories,
            approx_people: c.approx_people,
            approx_records: c.approx_records,
            consequences: c.consequences,
            measures: c.measures,
            subject_ids: c.subject_ids,
            closed: c.closed,
        }
    }
}

/// The decision about the supervisory authority: notified (with its reference; the
/// reasons for a delay when later than the deadline) or not (with the reason).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notified": true, "reference": "CNIL 2026-000123"}))]
pub struct AuthorityDecisionRequest {
    #[schema(required = true)]
    pub notified: Option<bool>,
    /// The authority's reference (notified).
    pub reference: Option<String>,
    /// When it was notified (default now).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub notified_at: Option<OffsetDateTime>,
    /// Why later than the deadline (required then).
    pub late_reason: Option<String>,
    /// Why not notified.
    pub reason: Option<String>,
}

/// The decision about the people concerned: told (how and when; by e-mail a letter
/// goes to each affected subject) or not (why).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"inform": true, "channel": "email"}))]
pub struct PeopleDecisionRequest {
    #[schema(required = true)]
    pub inform: Option<bool>,
    #[schema(value_type = Option<InformChannel>)]
    pub channel: Option<String>,
    /// When they were told (default now).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub informed_at: Option<OffsetDateTime>,
    #[schema(value_type = Option<NotInformedReason>)]
    pub reason: Option<String>,
    /// Why the reason applies (not told).
    pub explanation: Option<String>,
}

/// The authority decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorityDecision {
    notified: bool,
    reference: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    notified_at: Option<OffsetDateTime>,
    /// Why not notified, or why late.
    reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    decided_at: OffsetDateTime,
    decided_by: String,
}

/// The people decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleDecision {
    inform: bool,
    channel: Option<InformChannel>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    informed_at: Option<OffsetDateTime>,
    reason: Option<NotInformedReason>,
    explanation: Option<String>,
    /// Letters queued to affected subjects (channel `email`).
    letters_queued: u64,
    /// Affected subjects without an e-mail address (or erased), not written to.
    without_address: u64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    decided_at: OffsetDateTime,
    decided_by: String,
}

/// A breach with its clock as of the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Breach {
    id: String,
    /// +1 on each change.
    version: i64,
    state: BreachState,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    aware_at: OffsetDateTime,
    /// Awareness + `[breaches] notify_within_hours` (72 by default).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    deadline: OffsetDateTime,
    /// Whole hours left before the deadline (negative once past) while no authority
    /// decision is recorded; null once it is.
    hours_left: Option<i64>,
    /// No authority decision, and the deadline has passed.
    overdue: bool,
    /// The authority was notified after the deadline.
    notified_late: bool,
    nature: Vec<BreachNature>,
    description: String,
    categories: Vec<String>,
    approx_people: Option<u64>,
    approx_records: Option<u64>,
    consequences: String,
    measures: String,
    subject_ids: Vec<String>,
    authority: Option<AuthorityDecision>,
    people: Option<PeopleDecision>,
    recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    recorded_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    closed_at: Option<OffsetDateTime>,
}

fn nature(n: core::Nature) -> BreachNature {
    match n {
        core::Nature::Confidentiality => BreachNature::Confidentiality,
        core::Nature::Integrity => BreachNature::Integrity,
        core::Nature::Availability => BreachNature::Availability,
    }
}

fn channel(c: core::Channel) -> InformChannel {
    match c {
        core::Channel::Email => InformChannel::Email,
        core::Channel::Post => InformChannel::Post,
        core::Channel::Phone => InformChannel::Phone,
        core::Channel::PublicNotice => InformChannel::PublicNotice,
        core::Channel::Other => InformChannel::Other,
    }
}

fn not_informed(r: core::NotInformedReason) -> NotInformedReason {
    match r {
        core::NotInformedReason::NoHighRisk => NotInformedReason::NoHighRisk,
        core::NotInformedReason::Unintelligible => NotInformedReason::Unintelligible,
        core::NotInformedReason::RiskNeutralised => NotInformedReason::RiskNeutralised,
        core::NotInformedReason::DisproportionateEffort => {
            NotInformedReason::DisproportionateEffort
        }
    }
}

impl From<core::Breach> for Breach {
    fn from(b: core::Breach) -> Breach {
        let d = b.details;
        Breach {
            id: b.id,
            version: b.version,
            state: match b.state {
                core::State::Open => BreachState::Open,
                core::State::Closed => BreachState::Closed,
            },
            aware_at: b.aware_at,
            deadline: b.deadline,
            hours_left: b.hours_left,
            overdue: b.overdue,
            notified_late: b.notified_late,
            nature: d.nature.into_iter().map(nature).collect(),
            description: d.description,
            categories: d.categories,
            approx_people: d.approx_people,
            approx_records: d.approx_records,
            consequences: d.consequences,
            measures: d.measures,
            subject_ids: d.subject_ids,
            authority: d.authority.map(|a| AuthorityDecision {
                notified: a.notified,
                reference: a.reference,
                notified_at: a.notified_at,
                reason: a.reason,
                decided_at: a.decided_at,
                decided_by: a.decided_by,
            }),
            people: d.people.map(|p| PeopleDecision {
                inform: p.inform,
                channel: p.channel.map(channel),
                informed_at: p.informed_at,
                reason: p.reason.map(not_informed),
                explanation: p.explanation,
                letters_queued: p.letters_queued,
                without_address: p.without_address,
                decided_at: p.decided_at,
                decided_by: p.decided_by,
            }),
            recorded_by: d.recorded_by,
            recorded_at: b.recorded_at,
            updated_at: b.updated_at,
            closed_at: b.closed_at,
        }
    }
}

/// One event of a breach's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreachEvent {
    seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    at: OffsetDateTime,
    principal: String,
    /// `recorded`, `updated`, `closed`, `reopened`, `authority`, `people`,
    /// `letters_queued`.
    event: String,
    /// What the event recorded.
    #[schema(value_type = Object)]
    detail: Value,
}

impl From<core::TimelineEvent> for BreachEvent {
    fn from(e: core::TimelineEvent) -> BreachEvent {
        BreachEvent {
            seq: e.seq,
            at: e.at,
            principal: e.principal,
            event: e.kind,
            detail: e.detail,
        }
    }
}
