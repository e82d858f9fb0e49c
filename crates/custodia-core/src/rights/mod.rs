//! Data-subject rights requests: intake with an e-mailed code, deadlines counted as
//! the law counts them, the staff workflow, and effects that really happen (packages,
//! rectification, erasure with Art. 19 notices, restriction, opposition list...).
//!
//! A request's personal content (address, details, history notes) is sealed in one
//! JSON body with a data key of its own in the key store, like a subject's fields:
//! the store sees only workflow metadata and a blind index of the address.

pub mod ask_again;
mod effects;
pub mod letters;
pub mod outbox;
pub mod package;
pub mod rules;

pub use effects::Completion;

use crate::access::{Permission, Principal, Role};
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::consent::Consents;
use crate::deadline::{Period, WorkingDayCalendar, due_at};
use crate::vault::{Vault, VaultError};
use crate::writer::{Job, WriteError, Writer};
use custodia_crypto::{CryptoError, SecretKey, field_aad};
use custodia_register::{IsoDuration, Lang, Right, ValidRegister};
use custodia_store::{RightsRequestRow, Store, StoreError, Write};
use letters::Letter;
use outbox::Outbox;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Longest free text a requester or staff member may write.
pub const MAX_TEXT: usize = 5_000;
/// Largest ID document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
const BODY_FIELD: &str = "request";
/// How long an e-mailed code works (the privacy policy states it).
pub const CODE_LIFETIME: time::Duration =
    time::Duration::minutes(custodia_policy::REQUEST_CODE_MINUTES);
/// How long a request never verified is kept after its code expired: anyone can
/// submit one for any address, so its sealed address and blind index go with the
/// next retention sweep after this (a requester who missed the code submits again).
pub const UNVERIFIED_KEPT: time::Duration =
    time::Duration::hours(custodia_policy::UNVERIFIED_REQUEST_KEPT_HOURS);

/// When a request never verified, received at `received_at`, is purged.
pub fn unverified_purge_at(received_at: OffsetDateTime) -> OffsetDateTime {
    received_at + CODE_LIFETIME + UNVERIFIED_KEPT
}

#[derive(Debug, thiserror::Error)]
pub enum RightsError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no such request")]
    NotFound,
    /// The request is not in a state that allows this step.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cryptography failed: {0}")]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Consent(#[from] crate::consent::ConsentError),
    #[error(transparent)]
    Package(#[from] package::RenderError),
    /// A dataset could not be read or changed: the request stays open, partly done,
    /// until completing it again succeeds.
    #[error("partly done: {0}; it is retried on its own, or complete the request again")]
    Dataset(custodia_connectors::ConnectorError),
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> RightsError {
    RightsError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Where a request stands. `extended` is in progress with a later deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the requester to enter the code sent to the address.
    Received,
    /// Staff doubt the requester's identity and asked for an ID document.
    AwaitingIdentity,
    Verified,
    InProgress,
    Extended,
    Completed,
    Refused,
}

/// Every status, in workflow order.
pub const ALL_STATUSES: [Status; 7] = [
    Status::Received,
    Status::AwaitingIdentity,
    Status::Verified,
    Status::InProgress,
    Status::Extended,
    Status::Completed,
    Status::Refused,
];

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::AwaitingIdentity => "awaiting_identity",
            Status::Verified => "verified",
            Status::InProgress => "in_progress",
            Status::Extended => "extended",
            Status::Completed => "completed",
            Status::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        serde_json::from_value(Value::String(text.to_owned())).ok()
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Completed | Status::Refused)
    }
}

/// The id a right has in the register (`access`, `california_know`...).
pub fn right_id(right: Right) -> String {
    right.id().to_owned()
}

pub fn parse_right(text: &str) -> Option<Right> {
    serde_json::from_value(Value::String(text.to_owned())).ok()
}

/// What a post-mortem directive asks for (French law, LIL art. 85).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveAction {
    /// Record a directive naming a person to carry it out.
    Record,
    /// Revoke the directives recorded for this address.
    Revoke,
    /// The named person reports the death and asks for the directive to be carried out.
    Execute,
}

/// What should happen to the data after death.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterDeath {
    Erase,
    /// Hand a copy to the named person.
    Transmit,
    Keep,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    pub action: DirectiveAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<AfterDeath>,
    /// The person who carries it out (record), or the deceased's address (execute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_email: Option<String>,
}

/// A request as the requester submits it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    pub kind: String,
    pub email: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    /// Rectification: category id -> new value (null removes).
    #[serde(default)]
    pub changes: Option<Map<String, Value>>,
    /// Withdrawal, objection: the purposes concerned (empty: all that apply).
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub directive: Option<Directive>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub action: String,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The sealed part of a request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Body {
    email: String,
    language: String,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    changes: Option<Map<String, Value>>,
    #[serde(default)]
    purposes: Vec<String>,
    #[serde(default)]
    directive: Option<Directive>,
    /// Subjects of the vault with this address, when the request came in.
    #[serde(default)]
    subject_ids: Vec<String>,
    #[serde(default)]
    code_mac: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    code_expires_at: Option<OffsetDateTime>,
    #[serde(default)]
    code_attempts: u32,
    #[serde(default)]
    doubt: Option<String>,
    #[serde(default)]
    extension_reason: Option<String>,
    #[serde(default)]
    refusal: Option<Refusal>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    notified_recipients: Vec<String>,
    /// Set on a recorded post-mortem directive once revoked or carried out.
    #[serde(default)]
    directive_closed: bool,
    #[serde(default)]
    history: Vec<HistoryEntry>,
    /// What tools over HTTP answered later, by `DATASET EVENT`: sealed with the
    /// request, and gone with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    dataset_answers: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub reasons: String,
    /// Art. 12(5): manifestly unfounded or excessive, with the justification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfounded: Option<String>,
}

/// A request as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestView {
    pub id: String,
    pub kind: String,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    pub overdue: bool,
    pub due_soon: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub assignee: Option<String>,
    pub subject_ids: Vec<String>,
    pub email: String,
    pub language: String,
    pub details: Option<String>,
    /// Only the categories the reader's role reaches (all for the DPO).
    pub changes: Option<Map<String, Value>>,
    /// Categories of `changes` outside the reader's role: the DPO handles them.
    pub pending_for_dpo: Vec<String>,
    pub purposes: Vec<String>,
    pub directive: Option<Directive>,
    pub identity_doubt: Option<String>,
    pub has_id_document: bool,
    pub extension_reason: Option<String>,
    pub refusal: Option<Refusal>,
    pub outcome: Option<String>,
    pub notified_recipients: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

/// How an Art. 19 notice reaches a recipient, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RecipientChannel {
    Webhook { url: String, secret: String },
    Email { address: String },
}

/// Settings of the rights desk; defaults from LEGAL-NOTES where the law gives one.
#[derive(Debug, Clone)]
pub struct RightsSettings {
    /// Base of links in e-mails (`https://privacy.example.com`).
    pub public_url: String,
    pub calendar: WorkingDayCalendar,
    /// The retention sweep purges requests never verified counting from
    /// [`CODE_LIFETIME`], the default ([`unverified_purge_at`]).
    pub code_lifetime: time::Duration,
    pub max_code_attempts: u32,
    pub download_lifetime: time::Duration,
    /// How long an address stays on the opposition list.
    pub opposition_kept: IsoDuration,
    /// Requests one address may submit in 24 hours.
    pub max_requests_per_address_per_day: usize,
    /// A request is "due soon" this long before its deadline.
    pub due_soon: time::Duration,
    /// Art. 19 notice channels per register recipient id.
    pub recipients: BTreeMap<String, RecipientChannel>,
    /// When a request a dataset left partly done is completed again.
    pub dataset_retry: custodia_notify::Backoff,
}

impl RightsSettings {
    pub fn new(public_url: String, calendar: WorkingDayCalendar) -> RightsSettings {
        RightsSettings {
            public_url,
            calendar,
            code_lifetime: CODE_LIFETIME,
            max_code_attempts: 5,
            download_lifetime: time::Duration::days(7),
            opposition_kept: IsoDuration {
                years: 3,
                ..IsoDuration::default()
            },
            max_requests_per_address_per_day: 5,
            due_soon: time::Duration::days(7),
            recipients: BTreeMap::new(),
            dataset_retry: custodia_notify::Backoff::default(),
        }
    }
}

/// Filters of the staff list; every one given must hold, except that `overdue` and
/// `due_soon` together mean either.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<String>,
    pub overdue: bool,
    pub due_soon: bool,
    pub open: bool,
    /// The right asked for (`access`, `erasure`...).
    pub kind: Option<String>,
    /// The staff user handling it.
    pub assignee: Option<String>,
    /// Requests skipped, in list order.
    pub offset: u64,
    /// Most requests returned; None: all.
    pub limit: Option<u32>,
}

/// A request as the staff list shows it, with its deadline flags at `now` (due soon:
/// before `soon`). A status this version does not know counts as open.
fn summarise(
    row: custodia_store::RequestHead,
    now: OffsetDateTime,
    soon: OffsetDateTime,
) -> RequestSummary {
    let open = Status::parse(&row.status).is_none_or(Status::is_open);
    RequestSummary {
        overdue: open && row.due_at < now,
        due_soon: open && row.due_at >= now && row.due_at < soon,
        id: row.id,
        kind: row.kind,
        status: row.status,
        received_at: row.received_at,
        due_at: row.due_at,
        assignee: row.assignee,
        subject_id: row.subject_id,
    }
}

/// One page of the staff list and how many requests match in all.
#[derive(Debug, Clone, Default)]
pub struct RequestList {
    pub requests: Vec<RequestSummary>,
    pub total: u64,
}

/// A request loaded and unsealed.
pub(crate) struct Loaded {
    row: RightsRequestRow,
    body: Body,
    key: SecretKey,
}

impl Loaded {
    fn status(&self) -> Status {
        Status::parse(&self.row.status).unwrap_or(Status::Received)
    }

    fn right(&self) -> Option<Right> {
        parse_right(&self.row.kind)
    }

    fn lang(&self) -> Lang {
        Lang::from_code(&self.body.language).unwrap_or(Lang::EN)
    }
}

/// The rights desk: intake, verification, workflow and effects.
pub struct Rights {
    store: Arc<dyn Store>,
    writer: Writer,
    vault: Arc<Vault>,
    consents: Arc<Consents>,
    register: Arc<ValidRegister>,
    clock: Arc<dyn Clock>,
    settings: RightsSettings,
    outbox: Outbox,
    /// Submission times per mailbox (blind index of the plus-tag-folded address) in
    /// the last day: the stored requests are indexed by the exact address only.
    mailboxes: std::sync::Mutex<std::collections::HashMap<Vec<u8>, Vec<OffsetDateTime>>>,
    /// The company's own databases (`[[datasets]]`) access and erasure reach.
    datasets: Arc<Vec<custodia_connectors::Connected>>,
}

/// Entries kept in [`Rights::mailboxes`] before expired ones are swept out.
const MAILBOXES_SWEEP_AT: usize = 10_000;

const PRINCIPAL_REQUESTER: &str = "requester";
/// Who completes again, on the outbox's schedule, a request a dataset left
/// partly done.
pub const DATASET_RETRY_PRINCIPAL: &str = "system:dataset-retry";

impl Rights {
    pub async fn new(
        store: Arc<dyn Store>,
        writer: Writer,
        vault: Arc<Vault>,
        consents: Arc<Consents>,
        register: Arc<ValidRegister>,
        clock: Arc<dyn Clock>,
        settings: RightsSettings,
    ) -> Result<Rights, RightsError> {
        let outbox = Outbox::open(vault.clone()).await?;
        Ok(Rights {
            store,
            writer,
            vault,
            consents,
            register,
            clock,
            settings,
            outbox,
            mailboxes: std::sync::Mutex::default(),
            datasets: Arc::default(),
        })
    }

    /// Lets access and erasure reach the company's own databases.
    pub fn with_datasets(mut self, datasets: Arc<Vec<custodia_connectors::Connected>>) -> Rights {
        self.datasets = datasets;
        self
    }

    /// Counts a submission for `mailbox` at `now` unless it already had the day's
    /// allowance. Reserved before the request is stored, so concurrent submissions
    /// cannot overshoot.
    fn reserve_mailbox(&self, mailbox: Vec<u8>, now: OffsetDateTime) -> bool {
        let since = now - time::Duration::days(1);
        let mut map = self
            .mailboxes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAILBOXES_SWEEP_AT {
            map.retain(|_, times| times.iter().any(|t| *t > since));
        }
        let times = map.entry(mailbox).or_default();
        times.retain(|t| *t > since);
        if times.len() >= self.settings.max_requests_per_address_per_day {
            return false;
        }
        times.push(now);
        true
    }

    /// The consent book, which knows which subjects exist.
    pub(crate) fn consent_book(&self) -> &crate::consent::ConsentBook {
        self.consents.book()
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn settings(&self) -> &RightsSettings {
        &self.settings
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Rights the register offers, as request kinds (a complaint goes to the
    /// supervisory authority, not here).
    pub fn offered(&self) -> Vec<Right> {
        self.register
            .rights
            .offered
            .iter()
            .copied()
            .filter(|r| rules::rules(*r).is_request)
            .collect()
    }

    /// The period to answer a request of this kind in, and with an extension.
    fn periods(&self, right: Right) -> (Period, Option<Period>) {
        match rules::rules(right).deadline {
            rules::Deadline::Fixed { period, extended } => (period, extended),
            rules::Deadline::Register => {
                let months = self.register.rights.response_time.total_months().max(1);
                let extra = self.register.rights.extension.total_months();
                (
                    Period::Months(months),
                    (extra > 0).then_some(Period::Months(months + extra)),
                )
            }
        }
    }

    fn due(&self, received: OffsetDateTime, period: Period) -> Result<OffsetDateTime, RightsError> {
        due_at(received, period, &self.settings.calendar)
            .ok_or_else(|| invalid("received_at", "the deadline falls outside the calendar"))
    }

    /// Takes a request from the portal or the API; e-mails the code. Returns the
    /// request id.
    pub async fn submit(&self, new: NewRequest) -> Result<String, RightsError> {
        let right = parse_right(&new.kind)
            .filter(|r| self.offered().contains(r))
            .ok_or_else(|| {
                invalid(
                    "kind",
                    format!(
                        "not a right this controller offers; use one of {}",
                        self.offered()
                            .into_iter()
                            .map(right_id)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        let email = custodia_crypto::normalize::email(&new.email)
            .map_err(|e| invalid("email", e.to_string()))?;
        let language = match new.language.as_deref() {
            // The letters go out in a language the register publishes.
            None | Some("") => self.register.languages.first().copied().unwrap_or(Lang::EN),
            Some(code) => Lang::from_code(code)
                .ok_or_else(|| invalid("language", format!("expected one of {}", Lang::codes())))?,
        };
        for (field, text) in [("details", &new.details)] {
            if text.as_ref().is_some_and(|t| t.chars().count() > MAX_TEXT) {
                return Err(invalid(field, format!("at most {MAX_TEXT} characters")));
            }
        }
        self.check_kind_fields(right, &new)?;
        let email_index = self.vault.index_digest("email", &email)?.to_vec();
        let now = self.now();
        let recent = self
            .store
            .rights_requests_by_email(&email_index)
            .await?
            .into_iter()
            .filter(|r| r.received_at > now - time::Duration::days(1))
            .count();
        // The stored requests count the exact address (since the last start too); the
        // mailbox count folds `+tags`, which all reach one inbox.
        let mailbox = custodia_crypto::normalize::email_mailbox(&email)
            .map_err(|e| invalid("email", e.to_string()))?;
        let mailbox = self.vault.index_digest("email", &mailbox)?.to_vec();
        if recent >= self.settings.max_requests_per_address_per_day
            || !self.reserve_mailbox(mailbox, now)
        {
            return Err(RightsError::TooManyRequests(
                "too many requests for this address today; try again tomorrow".to_owned(),
            ));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let (period, _) = self.periods(right);
        let due_at = self.due(now, period)?;
        let subject_ids = self.vault_subjects(&email_index);
        let code = custodia_crypto::verification_code(6)?;
        let mut body = Body {
            email: email.clone(),
            language: language.code().to_owned(),
            details: new.details,
            changes: new.changes,
            purposes: new.purposes,
            directive: new.directive,
            subject_ids: subject_ids.clone(),
            ..Body::default()
        };
        let mut status = Status::Received;
        let rules = rules::rules(right);
        if rules.needs_code {
            body.code_mac = Some(self.code_mac(&id, &code));
            body.code_expires_at = Some(now + self.settings.code_lifetime);
        } else {
            status = Status::Verified;
        }
        body.history.push(HistoryEntry {
            at: now,
            action: "submitted".to_owned(),
            by: PRINCIPAL_REQUESTER.to_owned(),
            note: None,
        });
        let key = SecretKey::generate()?;
        let wrapped = self.vault.wrap_data_key(&key, &id)?;
        let row = RightsRequestRow {
            id: id.clone(),
            kind: right_id(right),
            status: status.id().to_owned(),
            received_at: now,
            due_at,
            closed_at: None,
            updated_at: now,
            subject_id: subject_ids.first().cloned(),
            email_index,
            assignee: None,
            version: 1,
            body: seal_body(&key, &id, &body)?,
        };
        let letter = match rules.on_submit {
            rules::OnSubmit::Code => Letter::Code {
                code,
                minutes: self.settings.code_lifetime.whole_minutes(),
            },
            rules::OnSubmit::Received => Letter::Received { due: due_at },
        };
        let mail = self.outbox.email(&id, &email, language, &letter, now)?;
        self.writer
            .submit(Job {
                keys: vec![(id.clone(), wrapped)],
                writes: vec![
                    Write::PutRightsRequest {
                        row,
                        expected_version: None,
                    },
                    mail,
                ],
                audit: vec![
                    self.audit(
                        now,
                        PRINCIPAL_REQUESTER,
                        AuditAction::RequestSubmit,
                        subject_ids.first(),
                    )
                    .detail(format!("{} {id}", right_id(right))),
                ],
            })
            .await?;
        self.outbox.wake();
        if !rules.needs_code && rules.completes_itself {
            // Opt-outs take effect at once: nothing to verify, nothing to weigh.
            let system = self.system_principal();
            self.complete(&system, &id).await?;
        }
        Ok(id)
    }

    fn check_kind_fields(&self, right: Right, new: &NewRequest) -> Result<(), RightsError> {
        match rules::rules(right).required {
            rules::Required::Changes => {
                let changes = new.changes.as_ref().filter(|c| !c.is_empty());
                let Some(changes) = changes else {
                    return Err(invalid(
                        "changes",
                        "say what to correct: category id -> new value",
                    ));
                };
                for category in changes.keys() {
                    if !self.register.categories.iter().any(|c| &c.id == category) {
                        return Err(invalid(format!("changes.{category}"), "unknown category"));
                    }
                }
            }
            rules::Required::Directive => {
                let Some(d) = &new.directive else {
                    return Err(invalid("directive", "give the directive's action"));
                };
                if d.action == DirectiveAction::Record && d.instructions.is_none() {
                    return Err(invalid(
                        "directive.instructions",
                        "say what should happen: erase, transmit or keep",
                    ));
                }
                if matches!(d.action, DirectiveAction::Record | DirectiveAction::Execute) {
                    let other = d.other_email.as_deref().unwrap_or("");
                    custodia_crypto::normalize::email(other)
                        .map_err(|e| invalid("directive.other_email", e.to_string()))?;
                }
            }
            rules::Required::Nothing => {}
        }
        for (i, p) in new.purposes.iter().enumerate() {
            if !self.register.purposes.iter().any(|x| &x.id == p) {
                return Err(invalid(format!("purposes[{i}]"), "unknown purpose"));
            }
        }
        Ok(())
    }

    fn vault_subjects(&self, email_index: &[u8]) -> Vec<String> {
        let mut ids = self.consents.book().subjects_with_email(email_index);
        ids.sort();
        ids
    }

    fn code_mac(&self, id: &str, code: &str) -> String {
        hex::encode(self.vault.mac("request-code", &format!("{id}:{code}")))
    }

    /// The requester proves control of the address with the e-mailed code.
    pub async fn verify(&self, id: &str, code: &str) -> Result<(), RightsError> {
        let mut loaded = self.load(id).await?;
        if loaded.status() != Status::Received {
            return Err(RightsError::Conflict(
                "this request is already verified".to_owned(),
            ));
        }
        let now = self.now();
        let expired = loaded.body.code_expires_at.is_none_or(|e| e <= now);
        let exhausted = loaded.body.code_attempts >= self.settings.max_code_attempts;
        if expired || exhausted {
            return Err(RightsError::Forbidden(
                "this code has expired or was tried too often; submit the request again".to_owned(),
            ));
        }
        let expected = loaded.body.code_mac.clone().unwrap_or_default();
        let given = self.code_mac(id, code.trim());
        if !custodia_crypto::constant_time_eq(expected.as_bytes(), given.as_bytes()) {
            loaded.body.code_attempts += 1;
            let left = self
                .settings
                .max_code_attempts
                .saturating_sub(loaded.body.code_attempts);
            if left == 0 {
                loaded.body.code_mac = None;
            }
            self.save(
                loaded,
                None,
                AuditAction::RequestVerify,
                "wrong_code",
                None,
                Vec::new(),
            )
            .await?;
            return Err(invalid(
                "code",
                format!("this is not the code we sent; {left} attempts left"),
            ));
        }
        loaded.body.code_mac = None;
        loaded.body.code_expires_at = None;
        loaded.row.status = Status::Verified.id().to_owned();
        let letter = Letter::Received {
            due: loaded.row.due_at,
        };
        let history = HistoryEntry {
            at: now,
            action: "verified".to_owned(),
            by: PRINCIPAL_REQUESTER.to_owned(),
            note: None,
        };
        let auto = self.completes_itself(loaded.right());
        self.save(
            loaded,
            Some(history),
            AuditAction::RequestVerify,
            "ok",
            Some(letter),
            Vec::new(),
        )
        .await?;
        if auto {
            let system = self.system_principal();
            self.complete(&system, id).await?;
        }
        Ok(())
    }

    /// Withdrawal and objection to marketing need no weighing: they take effect as
    /// soon as the address is verified (LEGAL-NOTES #13: within 24 hours).
    fn completes_itself(&self, right: Option<Right>) -> bool {
        right.is_some_and(|r| rules::rules(r).completes_itself)
    }

    /// Completes again a request a dataset left partly done, unless staff have
    /// closed it since: then there is nothing left to do.
    pub async fn retry_partly_done(&self, id: &str) -> Result<(), RightsError> {
        let loaded = self.load(id).await?;
        if !matches!(loaded.status(), Status::Verified | Status::InProgress) {
            return Ok(());
        }
        let who = Principal {
            id: DATASET_RETRY_PRINCIPAL.to_owned(),
            role: Role::Dpo,
        };
        self.complete(&who, id).await.map(|_| ())
    }

    fn system_principal(&self) -> Principal {
        Principal {
            id: "system:rights".to_owned(),
            role: Role::Dpo,
        }
    }

    pub(crate) async fn load(&self, id: &str) -> Result<Loaded, RightsError> {
        let row = self
            .store
            .rights_request(id)
            .await?
            .ok_or(RightsError::NotFound)?;
        let key = self.vault.data_key_of(id).await.map_err(|e| match e {
            VaultError::Erased => RightsError::NotFound,
            other => other.into(),
        })?;
        let plain = key.open(&row.body, &field_aad(id, BODY_FIELD))?;
        let body: Body = serde_json::from_slice(&plain).map_err(|_| {
            RightsError::Store(StoreError::Corrupt {
                backend: self.store.backend(),
                what: "a sealed request body does not hold JSON",
            })
        })?;
        Ok(Loaded { row, body, key })
    }

    /// Writes a changed request (optimistic: a concurrent change is a conflict),
    /// with its history line, audit entry, letter to the requester and extra writes,
    /// all in one commit.
    async fn save(
        &self,
        mut loaded: Loaded,
        history: Option<HistoryEntry>,
        action: AuditAction,
        outcome: &str,
        letter: Option<Letter>,
        extra: Vec<Write>,
    ) -> Result<(), RightsError> {
        let now = self.now();
        let by = history
            .as_ref()
            .map(|h| h.by.clone())
            .unwrap_or_else(|| PRINCIPAL_REQUESTER.to_owned());
        loaded.body.history.extend(history);
        let expected = loaded.row.version;
        loaded.row.version += 1;
        loaded.row.updated_at = now;
        let status = loaded.status();
        if !status.is_open() && loaded.row.closed_at.is_none() {
            loaded.row.closed_at = Some(now);
        }
        loaded.row.body = seal_body(&loaded.key, &loaded.row.id, &loaded.body)?;
        let mut writes = Vec::with_capacity(extra.len() + 2);
        if let Some(letter) = &letter {
            writes.push(self.outbox.email(
                &loaded.row.id,
                &loaded.body.email,
                loaded.lang(),
                letter,
                now,
            )?);
        }
        writes.extend(extra);
        let audit = self
            .audit(now, &by, action, loaded.row.subject_id.as_ref())
            .detail(format!("{} {}", loaded.row.kind, loaded.row.id));
        let audit = AuditRecord {
            outcome: outcome.to_owned(),
            ..audit
        };
        writes.insert(
            0,
            Write::PutRightsRequest {
                row: loaded.row,
                expected_version: Some(expected),
            },
        );
        self.writer
            .submit(Job {
                writes,
                audit: vec![audit],
                ..Job::default()
            })
            .await
            .map_err(|e| match e {
                WriteError::Store(StoreError::VersionConflict { .. }) => RightsError::Conflict(
                    "the request changed meanwhile; reload it and try again".to_owned(),
                ),
                other => other.into(),
            })?;
        if letter.is_some() {
            self.outbox.wake();
        }
        Ok(())
    }

    fn audit(
        &self,
        at: OffsetDateTime,
        principal: &str,
        action: AuditAction,
        subject: Option<&String>,
    ) -> AuditRecord {
        let record = AuditRecord::new(at, principal, action, "ok");
        match subject {
            Some(s) => record.subject(s),
            None => record,
        }
    }

    async fn require_staff(&self, who: &Principal, action: AuditAction) -> Result<(), RightsError> {
        self.vault
            .require(who, Permission::HandleRequests, action, None)
            .await?;
        Ok(())
    }

    /// Splits a rectification's changes into the categories `who`'s role reaches
    /// (the register's access policy; all for the DPO) and the others.
    pub(crate) fn split_by_reach(
        &self,
        who: &Principal,
        changes: Option<&Map<String, Value>>,
    ) -> (Map<String, Value>, Map<String, Value>) {
        let reach = self.vault.access().categories(&who.role);
        changes
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .partition(|(category, _)| reach.contains(category))
    }

    fn view(&self, who: &Principal, loaded: &Loaded, has_document: bool) -> RequestView {
        let now = self.now();
        let (changes, beyond) = self.split_by_reach(who, loaded.body.changes.as_ref());
        let status = loaded.status();
        let r = &loaded.row;
        let b = &loaded.body;
        RequestView {
            id: r.id.clone(),
            kind: r.kind.clone(),
            status: r.status.clone(),
            received_at: r.received_at,
            due_at: r.due_at,
            overdue: status.is_open() && r.due_at < now,
            due_soon: status.is_open()
                && r.due_at >= now
                && r.due_at < now + self.settings.due_soon,
            closed_at: r.closed_at,
            assignee: r.assignee.clone(),
            subject_ids: b.subject_ids.clone(),
            email: b.email.clone(),
            language: b.language.clone(),
            details: b.details.clone(),
            changes: b.changes.as_ref().map(|_| changes),
            pending_for_dpo: beyond.keys().cloned().collect(),
            purposes: b.purposes.clone(),
            directive: b.directive.clone(),
            identity_doubt: b.doubt.clone(),
            has_id_document: has_document,
            extension_reason: b.extension_reason.clone(),
            refusal: b.refusal.clone(),
            outcome: b.outcome.clone(),
            notified_recipients: b.notified_recipients.clone(),
            history: b.history.clone(),
        }
    }

    /// One request, for staff; reading it is audited.
    pub async fn get(&self, who: &Principal, id: &str) -> Result<RequestView, RightsError> {
        self.require_staff(who, AuditAction::RequestRead).await?;
        let loaded = self.load(id).await?;
        let has_document = self.store.request_document(id).await?.is_some();
        self.vault
            .record(
                self.audit(
                    self.now(),
                    &who.id,
                    AuditAction::RequestRead,
                    loaded.row.subject_id.as_ref(),
                )
                .detail(format!("{} {id}", loaded.row.kind)),
            )
            .await?;
        Ok(self.view(who, &loaded, has_document))
    }

    /// Requests for the staff list, soonest deadline first, read a page at a time
    /// by the store. Listing shows no personal data (no addresses), so only the
    /// list itself is audited.
    pub async fn list(
        &self,
        who: &Principal,
        filter: &RequestFilter,
    ) -> Result<RequestList, RightsError> {
        self.require_staff(who, AuditAction::RequestList).await?;
        let now = self.now();
        let soon = now + self.settings.due_soon;
        let mut query = custodia_store::RequestQuery {
            statuses: Vec::new(),
            kind: filter.kind.clone(),
            assignee: filter.assignee.clone(),
            due_from: None,
            due_before: None,
            offset: filter.offset,
            limit: filter.limit,
        };
        let open_only = filter.open || filter.overdue || filter.due_soon;
        match (filter.overdue, filter.due_soon) {
            (true, true) => query.due_before = Some(soon),
            (true, false) => query.due_before = Some(now),
            (false, true) => (query.due_from, query.due_before) = (Some(now), Some(soon)),
            (false, false) => {}
        }
        let open_ids = || {
            ALL_STATUSES
                .into_iter()
                .filter(|s| s.is_open())
                .map(|s| s.id().to_owned())
        };
        query.statuses = match &filter.status {
            Some(status) if open_only && !open_ids().any(|id| &id == status) => {
                // A closed status asked among open requests: nothing can match.
                self.audit_list(who, now).await?;
                return Ok(RequestList::default());
            }
            Some(status) => vec![status.clone()],
            None if open_only => open_ids().collect(),
            None => Vec::new(),
        };
        let page = self.store.rights_request_queue(&query).await?;
        let requests = page
            .rows
            .into_iter()
            .map(|row| summarise(row, now, soon))
            .collect();
        self.audit_list(who, now).await?;
        Ok(RequestList {
            requests,
            total: page.total,
        })
    }

    async fn audit_list(&self, who: &Principal, now: OffsetDateTime) -> Result<(), RightsError> {
        self.vault
            .record(AuditRecord::new(
                now,
                &who.id,
                AuditAction::RequestList,
                "ok",
            ))
            .await?;
        Ok(())
    }

    /// The requests naming a vault subject, soonest deadline first, for the subject's
    /// page: permissioned and audited like the list (`request.list`), the entry
    /// naming the subject. No personal data (no addresses).
    pub async fn for_subject(
        &self,
        who: &Principal,
        subject_id: &str,
    ) -> Result<Vec<RequestSummary>, RightsError> {
        self.require_staff(who, AuditAction::RequestList).await?;
        let now = self.now();
        let mut out: Vec<RequestSummary> = self
            .store
            .rights_requests_by_subject(subject_id)
            .await?
            .into_iter()
            .map(|row| summarise(row, now, now + self.settings.due_soon))
            .collect();
        out.sort_by(|a, b| (a.due_at, &a.id).cmp(&(b.due_at, &b.id)));
        self.vault
            .record(
                AuditRecord::new(now, &who.id, AuditAction::RequestList, "ok")
                    .subject(subject_id)
                    .detail(format!("{} requests of a subject", out.len())),
            )
            .await?;
        Ok(out)
    }

    fn staff_entry(&self, who: &Principal, action: &str, note: Option<String>) -> HistoryEntry {
        HistoryEntry {
            at: self.now(),
            action: action.to_owned(),
            by: who.id.clone(),
            note,
        }
    }

    fn require_open(loaded: &Loaded) -> Result<(), RightsError> {
        if loaded.status().is_open() {
            Ok(())
        } else {
            Err(RightsError::Conflict(format!(
                "this request is {} already",
                loaded.row.status
            )))
        }
    }

    fn require_verified(loaded: &Loaded) -> Result<(), RightsError> {
        Self::require_open(loaded)?;
        match loaded.status() {
            Status::Received | Status::AwaitingIdentity => Err(RightsError::Conflict(
                "the requester's identity is not verified yet".to_owned(),
            )),
            _ => Ok(()),
        }
    }

    pub async fn assign(
        &self,
        who: &Principal,
        id: &str,
        assignee: Option<String>,
    ) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestAssign).await?;
        let mut loaded = self.load(id).await?;
        Self::require_open(&loaded)?;
        if let Some(user) = &assignee
            && self.store.user(user).await?.is_none()
        {
            return Err(invalid("assignee", "no such staff user"));
        }
        loaded.row.assignee = assignee.clone();
        // Only the move to "in progress" is news to the requester, not who handles it.
        let letter = (loaded.status() == Status::Verified).then_some(Letter::InProgress {
            due: loaded.row.due_at,
        });
        if letter.is_some() {
            loaded.row.status = Status::InProgress.id().to_owned();
        }
        let entry = self.staff_entry(who, "assigned", assignee);
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestAssign,
            "ok",
            letter,
            Vec::new(),
        )
        .await
    }

    /// Extends the deadline, once, before it passes, with the reason told to the
    /// requester (Art. 12(3)).
    pub async fn extend(&self, who: &Principal, id: &str, reason: &str) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestExtend).await?;
        let reason = required_text("reason", reason)?;
        let mut loaded = self.load(id).await?;
        Self::require_open(&loaded)?;
        let right = loaded.right().ok_or(RightsError::NotFound)?;
        let Some(extended) = self.periods(right).1 else {
            return Err(RightsError::Conflict(
                "this kind of request cannot be extended".to_owned(),
            ));
        };
        if loaded.body.extension_reason.is_some() {
            return Err(RightsError::Conflict("already extended once".to_owned()));
        }
        let now = self.now();
        if now > loaded.row.due_at {
            return Err(RightsError::Conflict(
                "the first deadline has passed: an extension had to be told before it".to_owned(),
            ));
        }
        let due = self.due(loaded.row.received_at, extended)?;
        loaded.row.due_at = due;
        loaded.row.status = Status::Extended.id().to_owned();
        loaded.body.extension_reason = Some(reason.clone());
        let entry = self.staff_entry(who, "extended", Some(reason.clone()));
        let letter = Letter::Extended { due, reason };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestExtend,
            "ok",
            Some(letter),
            Vec::new(),
        )
        .await
    }

    /// Refuses with reasons; the letter names the remedies (Art. 12(4)). With
    /// `unfounded`, the request is refused as manifestly unfounded or excessive
    /// and the justification is kept (Art. 12(5): the burden of proof is ours).
    pub async fn refuse(
        &self,
        who: &Principal,
        id: &str,
        reasons: &str,
        unfounded: Option<&str>,
    ) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestRefuse).await?;
        let reasons = required_text("reasons", reasons)?;
        let unfounded = unfounded
            .map(|j| required_text("justification", j))
            .transpose()?;
        let mut loaded = self.load(id).await?;
        Self::require_open(&loaded)?;
        let lang = loaded.lang();
        loaded.row.status = Status::Refused.id().to_owned();
        loaded.body.refusal = Some(Refusal {
            reasons: reasons.clone(),
            unfounded: unfounded.clone(),
        });
        let action = if unfounded.is_some() {
            "refused_unfounded"
        } else {
            "refused"
        };
        let entry = self.staff_entry(who, action, Some(reasons.clone()));
        let letter = Letter::Refused {
            reasons,
            unfounded: unfounded.is_some(),
            authority: self.authority(lang),
        };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestRefuse,
            "ok",
            Some(letter),
            Vec::new(),
        )
        .await
    }

    /// The supervisory authority a refused requester may complain to.
    fn authority(&self, lang: Lang) -> String {
        match &self.register.controller.supervisory_authority {
            Some(a) => match a.complaint_url.as_ref().or(a.website.as_ref()) {
                Some(url) => format!("{} ({url})", a.name.in_lang(lang)),
                None => a.name.in_lang(lang).to_owned(),
            },
            None => "-".to_owned(),
        }
    }

    /// Staff doubt the requester's identity: ask for an ID document (Art. 12(6)).
    pub async fn flag_doubt(
        &self,
        who: &Principal,
        id: &str,
        note: &str,
    ) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestDoubt).await?;
        let note = required_text("note", note)?;
        let mut loaded = self.load(id).await?;
        Self::require_open(&loaded)?;
        if loaded.status() == Status::Received {
            return Err(RightsError::Conflict(
                "the address is not verified yet".to_owned(),
            ));
        }
        loaded.row.status = Status::AwaitingIdentity.id().to_owned();
        loaded.body.doubt = Some(note.clone());
        let entry = self.staff_entry(who, "identity_doubted", Some(note));
        let link = format!(
            "{}/portal/requests/{id}/document",
            self.settings.public_url.trim_end_matches('/')
        );
        let letter = Letter::IdentityNeeded { link };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestDoubt,
            "ok",
            Some(letter),
            Vec::new(),
        )
        .await
    }

    /// The requester sends the asked ID document; it is sealed with the request's
    /// key. `code` is the request's id-document code: the requester proves again
    /// they hold the address (the link in the e-mail carries the request id only).
    pub async fn upload_document(
        &self,
        id: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<(), RightsError> {
        if bytes.is_empty() || bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(invalid(
                "document",
                format!("send a file of at most {} MiB", MAX_DOCUMENT_BYTES >> 20),
            ));
        }
        if !["application/pdf", "image/jpeg", "image/png"].contains(&media_type) {
            return Err(invalid("document", "send a PDF, JPEG or PNG file"));
        }
        let loaded = self.load(id).await?;
        if loaded.status() != Status::AwaitingIdentity {
            return Err(RightsError::Conflict(
                "no identity document is expected for this request".to_owned(),
            ));
        }
        let now = self.now();
        let sealed = loaded.key.seal(bytes, &field_aad(id, "id_document"))?;
        let entry = HistoryEntry {
            at: now,
            action: "id_document_received".to_owned(),
            by: PRINCIPAL_REQUESTER.to_owned(),
            note: None,
        };
        let doc = Write::PutRequestDocument(custodia_store::RequestDocument {
            request_id: id.to_owned(),
            uploaded_at: now,
            media_type: media_type.to_owned(),
            body: sealed,
        });
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestIdDocument,
            "ok",
            None,
            vec![doc],
        )
        .await
    }

    /// The ID document, for staff to check (audited).
    pub async fn document(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<(String, Vec<u8>), RightsError> {
        self.require_staff(who, AuditAction::RequestIdDocumentRead)
            .await?;
        let loaded = self.load(id).await?;
        let doc = self
            .store
            .request_document(id)
            .await?
            .ok_or(RightsError::NotFound)?;
        let plain = loaded.key.open(&doc.body, &field_aad(id, "id_document"))?;
        self.vault
            .record(
                self.audit(
                    self.now(),
                    &who.id,
                    AuditAction::RequestIdDocumentRead,
                    loaded.row.subject_id.as_ref(),
                )
                .detail(format!("{} {id}", loaded.row.kind)),
            )
            .await?;
        Ok((doc.media_type, plain.to_vec()))
    }

    /// Identity confirmed: the ID document is deleted at once (CNIL SAN-2020-008).
    pub async fn confirm_identity(&self, who: &Principal, id: &str) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestIdentity)
            .await?;
        let mut loaded = self.load(id).await?;
        if loaded.status() != Status::AwaitingIdentity {
            return Err(RightsError::Conflict(
                "no identity check is pending for this request".to_owned(),
            ));
        }
        loaded.row.status = Status::InProgress.id().to_owned();
        loaded.body.doubt = None;
        let entry = self.staff_entry(who, "identity_confirmed", None);
        let delete = Write::DeleteRequestDocument {
            request_id: id.to_owned(),
        };
        let letter = Letter::InProgress {
            due: loaded.row.due_at,
        };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestIdentity,
            "ok",
            Some(letter),
            vec![delete],
        )
        .await
    }
}

impl Rights {
    /// The stored, unexpired download behind a link, without using it: the landing
    /// page a link opens (a mail scanner's GET or HEAD must not use it up).
    async fn live_download(
        &self,
        token: &str,
    ) -> Result<(custodia_store::DownloadRow, package::Format), RightsError> {
        let hash = custodia_crypto::hash_token(token);
        let row = self
            .store
            .download(&hash)
            .await?
            .ok_or(RightsError::NotFound)?;
        if row.expires_at <= self.now() {
            return Err(RightsError::NotFound);
        }
        let format = package::Format::parse(&row.format).ok_or(RightsError::NotFound)?;
        Ok((row, format))
    }

    /// The format of a usable download link, for its landing page; uses nothing.
    pub async fn download_format(&self, token: &str) -> Result<package::Format, RightsError> {
        Ok(self.live_download(token).await?.1)
    }

    /// Serves a prepared package once: the link's row is deleted in the same commit
    /// as the audit entry of the download, before the content leaves. The deletion is
    /// conditional (`Write::UseDownload`): of several concurrent uses exactly one
    /// commits, the others get `NotFound`.
    pub async fn download(&self, token: &str) -> Result<(package::Format, Vec<u8>), RightsError> {
        let (row, format) = self.live_download(token).await?;
        let now = self.now();
        let key = self.vault.data_key_of(&row.request_id).await?;
        let plain = key.open(&row.body, &field_aad(&row.request_id, format.id()))?;
        let subject = self
            .store
            .rights_request(&row.request_id)
            .await?
            .and_then(|r| r.subject_id);
        self.writer
            .submit(Job {
                writes: vec![Write::UseDownload {
                    token_hash: row.token_hash.clone(),
                }],
                audit: vec![
                    self.audit(
                        now,
                        PRINCIPAL_REQUESTER,
                        AuditAction::RequestDownload,
                        subject.as_ref(),
                    )
                    .detail(format!("{} {}", format.id(), row.request_id)),
                ],
                ..Job::default()
            })
            .await
            .map_err(|e| match e {
                WriteError::Store(StoreError::VersionConflict { .. }) => RightsError::NotFound,
                other => other.into(),
            })?;
        Ok((format, plain.to_vec()))
    }

    /// Delivery state of the messages a request caused (Art. 19 notices included).
    pub async fn deliveries(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<Delivery>, RightsError> {
        self.require_staff(who, AuditAction::RequestDeliveries)
            .await?;
        Ok(self
            .store
            .outbox_for_request(id)
            .await?
            .into_iter()
            .map(|o| Delivery {
                id: o.id,
                channel: o.channel,
                recipient: o.recipient,
                status: o.status,
                attempts: o.attempts,
                last_error: o.last_error,
                delivered_at: o.delivered_at,
            })
            .collect())
    }

    /// How many messages delivery gave up on, and the latest `limit` of them (newest
    /// first): metadata only, never the content or recipient. Guarded like
    /// [`Rights::deliveries`].
    pub async fn outbox_failures(
        &self,
        who: &Principal,
        limit: u32,
    ) -> Result<custodia_store::OutboxFailures, RightsError> {
        self.require_staff(who, AuditAction::RequestDeliveries)
            .await?;
        Ok(self.store.outbox_failures(limit).await?)
    }

    /// How many messages wait to be delivered (for `/metrics`: a count, nothing else).
    pub async fn outbox_pending(&self) -> Result<u64, RightsError> {
        Ok(self.store.outbox_pending().await?)
    }

    /// How many messages delivery gave up on (for `/metrics`).
    pub async fn outbox_failed(&self) -> Result<u64, RightsError> {
        Ok(self.store.outbox_failures(0).await?.total)
    }
}

/// A queued message's state, without its content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: String,
    pub channel: String,
    /// The register recipient, for Art. 19 notices; none for letters to the requester.
    pub recipient: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

/// A line of the staff list: no personal data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestSummary {
    pub id: String,
    pub kind: String,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    pub overdue: bool,
    pub due_soon: bool,
    pub assignee: Option<String>,
    pub subject_id: Option<String>,
}

fn required_text(field: &str, text: &str) -> Result<String, RightsError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, "required"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(invalid(field, format!("at most {MAX_TEXT} characters")));
    }
    Ok(text.to_owned())
}

fn seal_body(key: &SecretKey, id: &str, body: &Body) -> Result<Vec<u8>, RightsError> {
    let json = zeroizing_json(body)?;
    Ok(key.seal(&json, &field_aad(id, BODY_FIELD))?)
}

fn zeroizing_json<T: Serialize>(
    value: &T,
) -> Result<custodia_crypto::Zeroizing<Vec<u8>>, RightsError> {
    serde_json::to_vec(value)
        .map(custodia_crypto::Zeroizing::new)
        .map_err(|_| invalid("request", "not encodable"))
}
