//! The breach register (GDPR Art. 33/34): every breach recorded with what Art. 33(3)
//! asks, the 72-hour clock from awareness (computed from the [`Clock`], never
//! stored), the decision to notify the supervisory authority or not, the decision to
//! inform the people concerned or not (and, when they are told by e-mail, one letter
//! per affected subject through the rights outbox), and a timeline of every event.
//!
//! Every change is one commit: the breach row (optimistic version check, a concurrent
//! change gets a conflict), its timeline events, the letters and the audit entries.

use crate::access::{Permission, Principal};
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::rights::Rights;
use crate::rights::letters::Letter;
use crate::vault::{Vault, VaultError};
use crate::writer::{Job, WriteError, Writer};
use custodia_register::ValidRegister;
use custodia_store::{BreachEvent, BreachRow, Store, StoreError, Write};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use time::OffsetDateTime;

/// Longest free text (description, consequences, measures, reasons) staff may write.
pub const MAX_TEXT: usize = 5_000;
/// Most subject ids one breach may list (they fit a 1 MiB request body).
pub const MAX_SUBJECTS: usize = 20_000;
/// Art. 33(1): 72 hours from awareness, unless `[breaches] notify_within_hours` says
/// otherwise.
pub const DEFAULT_NOTIFY_WITHIN_HOURS: u32 = 72;
/// How far ahead of now an awareness time may be (clocks of other machines).
const FUTURE_TOLERANCE: time::Duration = time::Duration::minutes(5);

#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no such breach")]
    NotFound,
    /// A decision already recorded, a closed breach, or a concurrent change.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{0}")]
    Rights(String),
}

impl From<crate::rights::RightsError> for BreachError {
    fn from(e: crate::rights::RightsError) -> Self {
        BreachError::Rights(e.to_string())
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> BreachError {
    BreachError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// What a breach compromised (Art. 4(12); EDPB Guidelines 9/2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    Confidentiality,
    Integrity,
    Availability,
}

/// Every nature, as the API spells them.
pub const NATURES: [&str; 3] = ["confidentiality", "integrity", "availability"];

/// How the people concerned were told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// One letter per affected subject through the outbox.
    Email,
    Post,
    Phone,
    /// A public communication (Art. 34(3)(c)).
    PublicNotice,
    Other,
}

pub const CHANNELS: [&str; 5] = ["email", "post", "phone", "public_notice", "other"];

/// Why the people concerned are not told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotInformedReason {
    /// Art. 34(1) applies only to a likely high risk.
    NoHighRisk,
    /// Art. 34(3)(a): the data was unintelligible to others (encrypted).
    Unintelligible,
    /// Art. 34(3)(b): later measures make the high risk no longer likely.
    RiskNeutralised,
    /// Art. 34(3)(c): it would take disproportionate effort; a public communication
    /// replaces it.
    DisproportionateEffort,
}

pub const NOT_INFORMED_REASONS: [&str; 4] = [
    "no_high_risk",
    "unintelligible",
    "risk_neutralised",
    "disproportionate_effort",
];

fn parse<T: for<'de> Deserialize<'de>>(
    field: &str,
    text: &str,
    allowed: &[&str],
) -> Result<T, BreachError> {
    serde_json::from_value(Value::String(text.to_owned()))
        .map_err(|_| invalid(field, format!("expected one of {}", allowed.join(", "))))
}

/// A breach as staff record it.
#[derive(Debug, Clone, Default)]
pub struct NewBreach {
    pub aware_at: Option<OffsetDateTime>,
    pub nature: Vec<String>,
    pub description: String,
    /// Register category ids.
    pub categories: Vec<String>,
    pub approx_people: Option<u64>,
    pub approx_records: Option<u64>,
    pub consequences: String,
    pub measures: String,
    pub subject_ids: Vec<String>,
}

/// A change to a breach: each field given replaces the one recorded; `closed`
/// closes (`true`) or reopens (`false`) it.
#[derive(Debug, Clone, Default)]
pub struct BreachChange {
    pub aware_at: Option<OffsetDateTime>,
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

/// The decision about the supervisory authority (Art. 33).
#[derive(Debug, Clone)]
pub enum AuthorityDecision {
    /// Notified, with the authority's reference, at `at`; `late_reason` is required
    /// when `at` is after the deadline (Art. 33(1)).
    Notified {
        reference: String,
        at: Option<OffsetDateTime>,
        late_reason: Option<String>,
    },
    /// Not notified: unlikely to result in a risk to people (Art. 33(1)), and why.
    NotNotified { reason: String },
}

/// The decision about the people concerned (Art. 34).
#[derive(Debug, Clone)]
pub enum PeopleDecision {
    Inform {
        channel: String,
        at: Option<OffsetDateTime>,
    },
    DoNotInform {
        reason: String,
        explanation: String,
    },
}

/// The authority decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityRecord {
    pub notified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub notified_at: Option<OffsetDateTime>,
    /// Why not notified, or why late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    pub decided_by: String,
}

/// The people decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleRecord {
    pub inform: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub informed_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<NotInformedReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Letters queued (channel `email`).
    #[serde(default)]
    pub letters_queued: u64,
    /// Affected subjects without an e-mail address (or erased): not written to.
    #[serde(default)]
    pub without_address: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    pub decided_by: String,
}

/// What is stored in the row's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub nature: Vec<Nature>,
    pub description: String,
    pub categories: Vec<String>,
    #[serde(default)]
    pub approx_people: Option<u64>,
    #[serde(default)]
    pub approx_records: Option<u64>,
    pub consequences: String,
    pub measures: String,
    #[serde(default)]
    pub subject_ids: Vec<String>,
    pub recorded_by: String,
    #[serde(default)]
    pub authority: Option<AuthorityRecord>,
    #[serde(default)]
    pub people: Option<PeopleRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Open,
    Closed,
}

/// A breach with its clock, as of `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub id: String,
    pub version: i64,
    pub aware_at: OffsetDateTime,
    pub recorded_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    pub state: State,
    /// Awareness + `notify_within_hours`.
    pub deadline: OffsetDateTime,
    /// Whole hours until the deadline, truncated (negative once past), while no
    /// authority decision is recorded; `None` once it is.
    pub hours_left: Option<i64>,
    /// No authority decision and the deadline has passed.
    pub overdue: bool,
    /// The authority was notified after the deadline.
    pub notified_late: bool,
    pub details: Details,
}

/// One event of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub principal: String,
    pub kind: String,
    pub detail: Value,
}

pub struct Breaches {
    store: Arc<dyn Store>,
    writer: Writer,
    vault: Arc<Vault>,
    rights: Arc<Rights>,
    register: Arc<ValidRegister>,
    clock: Arc<dyn Clock>,
    notify_within: time::Duration,
}

impl Breaches {
    pub fn new(
        store: Arc<dyn Store>,
        writer: Writer,
        vault: Arc<Vault>,
        rights: Arc<Rights>,
        register: Arc<ValidRegister>,
        clock: Arc<dyn Clock>,
        notify_within_hours: u32,
    ) -> Breaches {
        Breaches {
            store,
            writer,
            vault,
            rights,
            register,
            clock,
            notify_within: time::Duration::hours(i64::from(notify_within_hours)),
        }
    }

    async fn require(
        &self,
        who: &Principal,
        permission: Permission,
        action: AuditAction,
    ) -> Result<(), BreachError> {
        Ok(self.vault.require(who, permission, action, None).await?)
    }

    /// Every breach, open ones first, each group by deadline (soonest first).
    pub async fn list(&self, who: &Principal) -> Result<Vec<Breach>, BreachError> {
        self.require(who, Permission::ReadBreaches, AuditAction::BreachRead)
            .await?;
        let now = self.clock.now();
        let mut all = self
            .store
            .breaches()
            .await?
            .into_iter()
            .map(|r| self.view(r, now))
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(|a, b| {
            (a.state == State::Closed, a.deadline, &a.id).cmp(&(
                b.state == State::Closed,
                b.deadline,
                &b.id,
            ))
        });
        self.audit_read(who, format!("{} breaches listed", all.len()))
            .await?;
        Ok(all)
    }

    /// One breach, as of now.
    pub async fn get(&self, who: &Principal, id: &str) -> Result<Breach, BreachError> {
        self.require(who, Permission::ReadBreaches, AuditAction::BreachRead)
            .await?;
        let row = self.store.breach(id).await?.ok_or(BreachError::NotFound)?;
        let breach = self.view(row, self.clock.now())?;
        self.audit_read(who, format!("breach {id}")).await?;
        Ok(breach)
    }

    /// The breach's timeline, oldest first.
    pub async fn timeline(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<TimelineEvent>, BreachError> {
        self.require(who, Permission::ReadBreaches, AuditAction::BreachRead)
            .await?;
        if self.store.breach(id).await?.is_none() {
            return Err(BreachError::NotFound);
        }
        let events = self
            .store
            .breach_events(id)
            .await?
            .into_iter()
            .map(|e| TimelineEvent {
                seq: e.seq,
                at: e.at,
                principal: e.principal,
                kind: e.kind,
                detail: serde_json::from_str(&e.detail).unwrap_or(Value::Null),
            })
            .collect();
        self.audit_read(who, format!("timeline of breach {id}"))
            .await?;
        Ok(events)
    }

    async fn audit_read(&self, who: &Principal, detail: String) -> Result<(), BreachError> {
        self.vault
            .record(
                AuditRecord::new(self.clock.now(), &who.id, AuditAction::BreachRead, "ok")
                    .detail(detail),
            )
            .await?;
        Ok(())
    }

    /// Records a new breach.
    pub async fn record(&self, who: &Principal, new: NewBreach) -> Result<Breach, BreachError> {
        self.require(who, Permission::ManageBreaches, AuditAction::BreachRecord)
            .await?;
        let now = self.clock.now();
        let aware_at = new.aware_at.ok_or_else(|| {
            invalid(
                "aware_at",
                "required: when the breach became known (RFC 3339)",
            )
        })?;
        self.check_awareness(aware_at, now)?;
        let details = Details {
            nature: self.natures(&new.nature)?,
            description: text("description", &new.description, true)?,
            categories: self.categories(&new.categories)?,
            approx_people: new.approx_people,
            approx_records: new.approx_records,
            consequences: text("consequences", &new.consequences, true)?,
            measures: text("measures", &new.measures, true)?,
            subject_ids: self.subjects(&new.subject_ids)?,
            recorded_by: who.id.clone(),
            authority: None,
            people: None,
        };
        let row = BreachRow {
            id: uuid::Uuid::now_v7().to_string(),
            version: 1,
            aware_at,
            recorded_at: now,
            updated_at: now,
            authority_decided_at: None,
            closed_at: None,
            body: encode(&details)?,
        };
        let detail = json!({
            "aware_at": rfc3339(aware_at),
            "nature": details.nature,
            "categories": details.categories,
            "approx_people": details.approx_people,
            "approx_records": details.approx_records,
            "subjects": details.subject_ids.len(),
        });
        let event = event(&row.id, 1, now, who, "recorded", &detail);
        // The categories concerned are in the breach, not read: the entry names none.
        let audit = AuditRecord::new(now, &who.id, AuditAction::BreachRecord, "ok")
            .detail(format!("breach {}", row.id));
        self.commit(row.clone(), None, vec![event], Vec::new(), vec![audit])
            .await?;
        self.view(row, now)
    }

    /// Changes what was recorded, or closes or reopens the breach.
    pub async fn update(
        &self,
        who: &Principal,
        id: &str,
        change: BreachChange,
    ) -> Result<Breach, BreachError> {
        self.require(who, Permission::ManageBreaches, AuditAction::BreachUpdate)
            .await?;
        let now = self.clock.now();
        let (mut row, mut details, next) = self.load(id).await?;
        let expected = row.version;
        let mut changed: Vec<&str> = Vec::new();
        if let Some(at) = change.aware_at {
            self.check_awareness(at, now)?;
            row.aware_at = at;
            changed.push("aware_at");
        }
        if let Some(n) = &change.nature {
            details.nature = self.natures(n)?;
            changed.push("nature");
        }
        if let Some(t) = &change.description {
            details.description = text("description", t, true)?;
            changed.push("description");
        }
        if let Some(c) = &change.categories {
            details.categories = self.categories(c)?;
            changed.push("categories");
        }
        if let Some(n) = change.approx_people {
            details.approx_people = Some(n);
            changed.push("approx_people");
        }
        if let Some(n) = change.approx_records {
            details.approx_records = Some(n);
            changed.push("approx_records");
        }
        if let Some(t) = &change.consequences {
            details.consequences = text("consequences", t, true)?;
            changed.push("consequences");
        }
        if let Some(t) = &change.measures {
            details.measures = text("measures", t, true)?;
            changed.push("measures");
        }
        if let Some(ids) = &change.subject_ids {
            details.subject_ids = self.subjects(ids)?;
            changed.push("subject_ids");
        }
        let mut events = Vec::new();
        if !changed.is_empty() {
            if row.closed_at.is_some() && change.closed != Some(false) {
                return Err(BreachError::Conflict(
                    "the breach is closed: reopen it (closed: false) to change it".to_owned(),
                ));
            }
            events.push(event(
                id,
                next,
                now,
                who,
                "updated",
                &json!({ "fields": changed }),
            ));
        }
        match change.closed {
            Some(true) if row.closed_at.is_none() => {
                row.closed_at = Some(now);
                events.push(event(
                    id,
                    next + events.len() as i64,
                    now,
                    who,
                    "closed",
                    &json!({}),
                ));
            }
            Some(false) if row.closed_at.is_some() => {
                row.closed_at = None;
                events.push(event(
                    id,
                    next + events.len() as i64,
                    now,
                    who,
                    "reopened",
                    &json!({}),
                ));
            }
            _ => {}
        }
        if events.is_empty() {
            return Err(invalid(
                "body",
                "nothing to change: give at least one field that differs",
            ));
        }
        row.version += 1;
        row.updated_at = now;
        row.body = encode(&details)?;
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        let audit = AuditRecord::new(now, &who.id, AuditAction::BreachUpdate, "ok").detail(
            format!("breach {id}: {} ({})", kinds.join(", "), changed.join(", ")),
        );
        self.commit(row.clone(), Some(expected), events, Vec::new(), vec![audit])
            .await?;
        self.view(row, now)
    }

    /// Records the decision about the supervisory authority; once only.
    pub async fn decide_authority(
        &self,
        who: &Principal,
        id: &str,
        decision: AuthorityDecision,
    ) -> Result<Breach, BreachError> {
        self.require(
            who,
            Permission::ManageBreaches,
            AuditAction::BreachAuthority,
        )
        .await?;
        let now = self.clock.now();
        let (mut row, mut details, next) = self.load(id).await?;
        if details.authority.is_some() {
            return Err(BreachError::Conflict(
                "the authority decision is already recorded".to_owned(),
            ));
        }
        let deadline = row.aware_at + self.notify_within;
        let record = match decision {
            AuthorityDecision::Notified {
                reference,
                at,
                late_reason,
            } => {
                let reference = text("reference", &reference, true)?;
                let at = at.unwrap_or(now);
                if at > now + FUTURE_TOLERANCE {
                    return Err(invalid("notified_at", "in the future"));
                }
                if at < row.aware_at {
                    return Err(invalid(
                        "notified_at",
                        "before the breach became known (aware_at)",
                    ));
                }
                let late_reason = late_reason
                    .map(|r| text("late_reason", &r, true))
                    .transpose()?;
                if at > deadline && late_reason.is_none() {
                    return Err(invalid(
                        "late_reason",
                        "required: the notification is later than the deadline, so Art. 33(1) asks for the reasons for the delay",
                    ));
                }
                AuthorityRecord {
                    notified: true,
                    reference: Some(reference),
                    notified_at: Some(at),
                    reason: late_reason,
                    decided_at: now,
                    decided_by: who.id.clone(),
                }
            }
            AuthorityDecision::NotNotified { reason } => AuthorityRecord {
                notified: false,
                reference: None,
                notified_at: None,
                reason: Some(text("reason", &reason, true)?),
                decided_at: now,
                decided_by: who.id.clone(),
            },
        };
        let detail = json!({
            "notified": record.notified,
            "reference": record.reference,
            "notified_at": record.notified_at.map(rfc3339),
            "reason": record.reason,
        });
        let outcome = if record.notified {
            "notified"
        } else {
            "not notified"
        };
        details.authority = Some(record);
        row.authority_decided_at = Some(now);
        let expected = row.version;
        row.version += 1;
        row.updated_at = now;
        row.body = encode(&details)?;
        let events = vec![event(id, next, now, who, "authority", &detail)];
        let audit = AuditRecord::new(now, &who.id, AuditAction::BreachAuthority, "ok")
            .detail(format!("breach {id}: {outcome}"));
        self.commit(row.clone(), Some(expected), events, Vec::new(), vec![audit])
            .await?;
        self.view(row, now)
    }

    /// Records the decision about the people concerned; once only. Told by e-mail,
    /// each affected subject with an address gets a letter in the same commit.
    pub async fn decide_people(
        &self,
        who: &Principal,
        id: &str,
        decision: PeopleDecision,
    ) -> Result<Breach, BreachError> {
        self.require(who, Permission::ManageBreaches, AuditAction::BreachPeople)
            .await?;
        let now = self.clock.now();
        let (mut row, mut details, next) = self.load(id).await?;
        if details.people.is_some() {
            return Err(BreachError::Conflict(
                "the decision about the people concerned is already recorded".to_owned(),
            ));
        }
        let mut writes = Vec::new();
        let mut audit = Vec::new();
        let record = match decision {
            PeopleDecision::Inform { channel, at } => {
                let channel: Channel = parse("channel", &channel, &CHANNELS)?;
                let at = at.unwrap_or(now);
                if at > now + FUTURE_TOLERANCE {
                    return Err(invalid("informed_at", "in the future"));
                }
                let mut record = PeopleRecord {
                    inform: true,
                    channel: Some(channel),
                    informed_at: Some(at),
                    reason: None,
                    explanation: None,
                    letters_queued: 0,
                    without_address: 0,
                    decided_at: now,
                    decided_by: who.id.clone(),
                };
                if channel == Channel::Email {
                    if details.subject_ids.is_empty() {
                        return Err(invalid(
                            "channel",
                            "e-mail needs the affected subjects: list them first (subject_ids)",
                        ));
                    }
                    let letter = self.letter(&details);
                    for subject in &details.subject_ids {
                        match self.vault.email_of(subject).await? {
                            Some((category, address)) => {
                                writes.push(self.render(&letter, &address, now)?);
                                record.letters_queued += 1;
                                audit.push(
                                    AuditRecord::new(now, &who.id, AuditAction::BreachLetter, "ok")
                                        .subject(subject)
                                        .categories([category])
                                        .detail(format!("breach {id}")),
                                );
                            }
                            None => record.without_address += 1,
                        }
                    }
                }
                record
            }
            PeopleDecision::DoNotInform {
                reason,
                explanation,
            } => PeopleRecord {
                inform: false,
                channel: None,
                informed_at: None,
                reason: Some(parse("reason", &reason, &NOT_INFORMED_REASONS)?),
                explanation: Some(text("explanation", &explanation, true)?),
                letters_queued: 0,
                without_address: 0,
                decided_at: now,
                decided_by: who.id.clone(),
            },
        };
        let mut events = vec![event(
            id,
            next,
            now,
            who,
            "people",
            &json!({
                "inform": record.inform,
                "channel": record.channel,
                "informed_at": record.informed_at.map(rfc3339),
                "reason": record.reason,
                "explanation": record.explanation,
            }),
        )];
        if record.letters_queued > 0 || record.without_address > 0 {
            events.push(event(
                id,
                next + 1,
                now,
                who,
                "letters_queued",
                &json!({ "letters": record.letters_queued, "without_address": record.without_address }),
            ));
        }
        let summary = if record.inform {
            format!("breach {id}: inform, {} letters", record.letters_queued)
        } else {
            format!("breach {id}: do not inform")
        };
        audit.insert(
            0,
            AuditRecord::new(now, &who.id, AuditAction::BreachPeople, "ok").detail(summary),
        );
        details.people = Some(record);
        let expected = row.version;
        row.version += 1;
        row.updated_at = now;
        row.body = encode(&details)?;
        let queued = !writes.is_empty();
        self.commit(row.clone(), Some(expected), events, writes, audit)
            .await?;
        if queued {
            self.rights.outbox().wake();
        }
        self.view(row, now)
    }

    fn letter(&self, details: &Details) -> Letter {
        let c = &self.register.controller;
        let contact = c
            .dpo
            .as_ref()
            .and_then(|d| d.email.clone().or_else(|| d.url.clone()))
            .or_else(|| c.email.clone())
            .or_else(|| c.contact_url.clone())
            .unwrap_or_else(|| c.legal_name.clone());
        Letter::Breach {
            description: details.description.clone(),
            consequences: details.consequences.clone(),
            measures: details.measures.clone(),
            contact,
        }
    }

    /// One letter in every language the register publishes (a subject's language is
    /// not known), the first language's subject line.
    fn render(&self, letter: &Letter, to: &str, now: OffsetDateTime) -> Result<Write, BreachError> {
        Ok(self
            .rights
            .outbox()
            .letter_in_languages(to, letter, &self.register.languages, now)?)
    }

    async fn commit(
        &self,
        row: BreachRow,
        expected_version: Option<i64>,
        events: Vec<BreachEvent>,
        mut writes: Vec<Write>,
        audit: Vec<AuditRecord>,
    ) -> Result<(), BreachError> {
        writes.insert(
            0,
            Write::PutBreach {
                row,
                expected_version,
                events,
            },
        );
        self.writer
            .submit(Job {
                keys: Vec::new(),
                writes,
                audit,
            })
            .await
            .map_err(|e| match e {
                WriteError::Store(StoreError::VersionConflict { .. }) => BreachError::Conflict(
                    "the breach changed meanwhile; read it again and retry".to_owned(),
                ),
                other => BreachError::Write(other),
            })
    }

    /// The row, its details and the next event number.
    async fn load(&self, id: &str) -> Result<(BreachRow, Details, i64), BreachError> {
        let row = self.store.breach(id).await?.ok_or(BreachError::NotFound)?;
        let details = decode(&row.body)?;
        let next = self
            .store
            .breach_events(id)
            .await?
            .last()
            .map_or(1, |e| e.seq + 1);
        Ok((row, details, next))
    }

    fn view(&self, row: BreachRow, now: OffsetDateTime) -> Result<Breach, BreachError> {
        let details = decode(&row.body)?;
        let deadline = row.aware_at + self.notify_within;
        let decided = row.authority_decided_at.is_some();
        // Whole hours, truncated: 70.5 hours left is 70, 8.5 hours late is -8 (and
        // within the first hour late, 0 with `overdue`).
        let hours_left = (!decided).then(|| (deadline - now).whole_hours());
        let notified_late = details
            .authority
            .as_ref()
            .and_then(|a| a.notified_at)
            .is_some_and(|at| at > deadline);
        Ok(Breach {
            id: row.id,
            version: row.version,
            aware_at: row.aware_at,
            recorded_at: row.recorded_at,
            updated_at: row.updated_at,
            closed_at: row.closed_at,
            state: if row.closed_at.is_some() {
                State::Closed
            } else {
                State::Open
            },
            deadline,
            hours_left,
            overdue: !decided && now > deadline,
            notified_late,
            details,
        })
    }

    fn check_awareness(&self, at: OffsetDateTime, now: OffsetDateTime) -> Result<(), BreachError> {
        if at > now + FUTURE_TOLERANCE {
            return Err(invalid("aware_at", "in the future"));
        }
        Ok(())
    }

    fn natures(&self, given: &[String]) -> Result<Vec<Nature>, BreachError> {
        if given.is_empty() {
            return Err(invalid(
                "nature",
                format!("at least one of {}", NATURES.join(", ")),
            ));
        }
        let set: BTreeSet<Nature> = given
            .iter()
            .map(|n| parse("nature", n, &NATURES))
            .collect::<Result<_, _>>()?;
        Ok(set.into_iter().collect())
    }

    fn categories(&self, given: &[String]) -> Result<Vec<String>, BreachError> {
        if given.is_empty() {
            return Err(invalid(
                "categories",
                "at least one category of the register",
            ));
        }
        let mut out = BTreeSet::new();
        for c in given {
            if !self.register.categories.iter().any(|k| k.id == *c) {
                return Err(invalid(
                    "categories",
                    format!("`{}` is not a category of the register", clip(c)),
                ));
            }
            out.insert(c.clone());
        }
        Ok(out.into_iter().collect())
    }

    fn subjects(&self, given: &[String]) -> Result<Vec<String>, BreachError> {
        if given.len() > MAX_SUBJECTS {
            return Err(invalid("subject_ids", format!("at most {MAX_SUBJECTS}")));
        }
        let book = self.rightsbook();
        let mut out = BTreeSet::new();
        for id in given {
            if book.subject(id).is_none() {
                return Err(invalid("subject_ids", format!("no subject `{}`", clip(id))));
            }
            out.insert(id.clone());
        }
        Ok(out.into_iter().collect())
    }

    fn rightsbook(&self) -> &crate::consent::ConsentBook {
        self.rights.consent_book()
    }
}

/// Required (or optional) free text: trimmed, at most [`MAX_TEXT`] bytes, no control
/// characters but line breaks and tabs.
fn text(field: &str, value: &str, required: bool) -> Result<String, BreachError> {
    let t = value.trim();
    if required && t.is_empty() {
        return Err(invalid(field, "required"));
    }
    if t.len() > MAX_TEXT {
        return Err(invalid(field, format!("at most {MAX_TEXT} bytes")));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(invalid(field, "holds a control character"));
    }
    Ok(t.to_owned())
}

/// An id as an error message may repeat it: at most 64 characters, no control ones.
fn clip(id: &str) -> String {
    id.chars().filter(|c| !c.is_control()).take(64).collect()
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn encode<T: Serialize>(v: &T) -> Result<String, BreachError> {
    serde_json::to_string(v).map_err(|_| invalid("body", "not encodable"))
}

fn decode(body: &str) -> Result<Details, BreachError> {
    serde_json::from_str(body).map_err(|_| {
        BreachError::Store(StoreError::Corrupt {
            backend: "breaches",
            what: "a breach's body is not the JSON core writes",
        })
    })
}

fn event(
    id: &str,
    seq: i64,
    at: OffsetDateTime,
    who: &Principal,
    kind: &str,
    detail: &Value,
) -> BreachEvent {
    BreachEvent {
        breach_id: id.to_owned(),
        seq,
        at,
        principal: who.id.clone(),
        kind: kind.to_owned(),
        detail: detail.to_string(),
    }
}

/// The timeline as CSV: `seq,at,principal,event,detail` (detail as JSON).
pub fn timeline_csv(events: &[TimelineEvent]) -> String {
    let mut out = String::from("seq,at,principal,event,detail\r\n");
    for e in events {
        let cells = [
            e.seq.to_string(),
            rfc3339(e.at),
            e.principal.clone(),
            e.kind.clone(),
            e.detail.to_string(),
        ];
        let line: Vec<String> = cells
            .iter()
            .map(|c| crate::rights::package::csv_field(c))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
