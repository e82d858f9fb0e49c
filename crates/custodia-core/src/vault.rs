//! The personal-data vault. Every field is sealed with its subject's data key, bound
//! to the subject and the field's category; data keys are wrapped by the master key
//! and live in the key store; lookups go through keyed blind indexes. Every access,
//! allowed or not, is written to the audit log before its answer leaves.

use crate::access::{AccessPolicy, Permission, Principal, Role};
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::keyring::{Keyring, KeyringError};
use crate::retention::{CategoryPhase, Planner, SubjectFacts};
use crate::writer::{Job, WriteError, Writer};
use custodia_crypto::{BlindIndexKey, CryptoError, SecretKey, field_aad, normalize};
use custodia_register::{
    BUILTIN_EVENTS, Category, PARENTAL_CONSENT_EVENT, UNDER_AGE_EVENT, ValidRegister, ValueKind,
};
pub use custodia_store::{AuditEntry, AuditFilter};
use custodia_store::{
    Disclosure, IndexEntry, KeyStore, SealedField, Store, StoreError, StoredSubject, SubjectEvent,
    SubjectRecord, Write,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use time::OffsetDateTime;

/// Largest JSON encoding of one field's value.
pub const MAX_FIELD_BYTES: usize = 16 * 1024;
/// Largest number of fields in one request.
pub const MAX_FIELDS: usize = 200;

const BLIND_INDEX_KEY: &str = "blind_index";

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Bad input: `field` names where (`data.user.contact.email`, `kind`...).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("no such subject")]
    NotFound,
    #[error("this subject was erased")]
    Erased,
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cryptography failed: {0}")]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> VaultError {
    VaultError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// A new subject as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct NewSubject {
    pub kind: String,
    /// Category id -> value.
    pub data: Map<String, Value>,
    /// ISO country whose age of digital consent applies (default: the controller's).
    pub jurisdiction: Option<String>,
    /// An age the person declared, when there is no birth date.
    pub declared_age: Option<u8>,
}

/// A subject as a principal may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectView {
    pub id: String,
    pub kind: String,
    pub age_status: String,
    /// Below the age of digital consent and no parental consent recorded yet:
    /// consent-based processing must wait.
    pub needs_parental_consent: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub parental_consent_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Only the categories the principal's role may read.
    pub data: BTreeMap<String, Value>,
    pub events: Vec<EventView>,
    pub disclosures: Vec<DisclosureView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventView {
    pub event: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureView {
    pub id: String,
    pub recipient: String,
    pub categories: Vec<String>,
    pub purpose: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One verification of the audit log: when, whether it held, and how many entries
/// were checked (or the first that did not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub at: OffsetDateTime,
    pub intact: bool,
    pub entries: i64,
    /// What the log's entry says ("12 entries intact", "broken at entry 7").
    pub detail: String,
}

pub struct Vault {
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyStore>,
    writer: Writer,
    master: Arc<Keyring>,
    blind: BlindIndexKey,
    register: Arc<ValidRegister>,
    access: AccessPolicy,
    retention: Planner,
    clock: Arc<dyn Clock>,
}

impl Vault {
    pub async fn open(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyStore>,
        writer: Writer,
        master: Arc<Keyring>,
        register: Arc<ValidRegister>,
        clock: Arc<dyn Clock>,
    ) -> Result<Vault, VaultError> {
        let blind = BlindIndexKey::new(system_secret(&*keys, &master, BLIND_INDEX_KEY).await?);
        Ok(Vault {
            store,
            keys,
            writer,
            master,
            blind,
            access: AccessPolicy::new(&register),
            retention: Planner::new(&register),
            register,
            clock,
        })
    }

    /// A system key of its own per `name` (the outbox's, say), created on first use
    /// and wrapped by the master key like the blind-index key.
    pub(crate) async fn system_secret(&self, name: &str) -> Result<SecretKey, VaultError> {
        system_secret(&*self.keys, &self.master, name).await
    }

    /// Wraps a new data key for `owner` (a subject or a rights request).
    pub(crate) fn wrap_data_key(
        &self,
        key: &SecretKey,
        owner: &str,
    ) -> Result<Vec<u8>, VaultError> {
        Ok(self.master.wrap(key, owner.as_bytes())?)
    }

    /// The data key of a subject or a rights request; `Erased` when it is gone.
    pub(crate) async fn data_key_of(&self, owner: &str) -> Result<SecretKey, VaultError> {
        self.data_key(owner).await
    }

    pub fn controller_name(&self) -> String {
        self.register.controller.legal_name.clone()
    }

    /// A keyed MAC of `message` for signed tokens (visitor ids, unsubscribe links),
    /// under a key of its own per `label` derived from the blind-index key.
    /// The stable pseudonym erasure writes in a dataset column: a keyed HMAC of the
    /// value (hex, 128 bits), the same for the same value everywhere.
    pub fn dataset_pseudonym(&self, value: &str) -> String {
        hex::encode(&self.mac("dataset-pseudonym", value)[..16])
    }

    pub fn mac(&self, label: &str, message: &str) -> [u8; 32] {
        self.blind.digest(&format!("mac:{label}"), message)
    }

    /// The blind index a lookup by `kind` (`email`, `phone`, `login`) would use.
    pub fn index_digest(&self, kind: &str, value: &str) -> Result<[u8; 32], VaultError> {
        let normalized = normalize_for(kind, value).map_err(|e| invalid(kind, e))?;
        Ok(self.blind.digest(kind, &normalized))
    }

    pub fn access(&self) -> &AccessPolicy {
        &self.access
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Writes one audit record on its own (a denial, a login).
    pub async fn record(&self, record: AuditRecord) -> Result<(), VaultError> {
        self.writer.audit(record).await?;
        Ok(())
    }

    /// Refuses (and audits the refusal) unless the principal's role has `permission`.
    pub async fn require(
        &self,
        who: &Principal,
        permission: Permission,
        action: AuditAction,
        subject: Option<&str>,
    ) -> Result<(), VaultError> {
        if self.access.allows(&who.role, permission) {
            return Ok(());
        }
        let mut record = AuditRecord::new(self.now(), &who.id, action, "denied")
            .detail(format!("role {}", who.role));
        if let Some(s) = subject {
            record = record.subject(s);
        }
        self.record(record).await?;
        Err(VaultError::Forbidden(format!(
            "the role `{}` may not {}",
            who.role,
            describe(permission)
        )))
    }

    /// Audit entries matching `filter`, oldest first, for a role that may read the
    /// log; the reading is itself audited.
    pub async fn audit_entries(
        &self,
        who: &Principal,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>, VaultError> {
        self.require(who, Permission::ReadAudit, AuditAction::AuditRead, None)
            .await?;
        let entries = self.store.audit_entries(filter).await?;
        let mut record = AuditRecord::new(self.now(), &who.id, AuditAction::AuditRead, "ok");
        if let Some(s) = &filter.subject_ref {
            record = record.subject(s);
        }
        self.record(record).await?;
        Ok(entries)
    }

    /// Runs what `custodia audit verify` runs (every link and every signed checkpoint
    /// of the key store; no witness file) for a role that may read the log, and
    /// records the verification like the CLI does, after the walk so that it is not
    /// its own subject.
    pub async fn verify_audit(&self, who: &Principal) -> Result<AuditVerification, VaultError> {
        self.require(who, Permission::ReadAudit, AuditAction::AuditVerify, None)
            .await?;
        let key = crate::audit::open_key(self.keys.as_ref(), &self.master).await?;
        let verdict =
            crate::audit::verify(self.store.as_ref(), self.keys.as_ref(), &key, &[]).await?;
        let (outcome, detail, entries) = match &verdict {
            crate::audit::Verdict::Intact { entries, .. } => {
                ("ok", format!("{entries} entries intact"), *entries)
            }
            crate::audit::Verdict::Broken { seq, .. } => {
                ("broken", format!("broken at entry {seq}"), *seq)
            }
        };
        let at = self.now();
        let record =
            AuditRecord::new(at, &who.id, AuditAction::AuditVerify, outcome).detail(detail.clone());
        self.record(record).await?;
        Ok(AuditVerification {
            at,
            intact: outcome == "ok",
            entries,
            detail,
        })
    }

    /// The latest verification of the audit log (by the CLI or the console), read from
    /// the log's own `audit.verify` entries; `None` when it was never verified.
    pub async fn latest_audit_verification(
        &self,
        who: &Principal,
    ) -> Result<Option<AuditVerification>, VaultError> {
        self.require(who, Permission::ReadAudit, AuditAction::AuditRead, None)
            .await?;
        let latest = self
            .store
            .audit_entries(&AuditFilter {
                action: Some(AuditAction::AuditVerify.as_str().to_owned()),
                limit: 1,
                newest_first: true,
                ..AuditFilter::default()
            })
            .await?
            .pop();
        Ok(latest.map(|e| {
            let detail = e.detail.unwrap_or_default();
            // "N entries intact" or "broken at entry N" (see `verify_audit` and the CLI).
            let entries = detail
                .split(' ')
                .filter_map(|w| w.parse::<i64>().ok())
                .next()
                .unwrap_or(0);
            AuditVerification {
                at: e.at,
                intact: e.outcome == "ok",
                entries,
                detail,
            }
        }))
    }

    /// Reaches the database; answers the backend's name (`sqlite`, `postgres`).
    pub async fn health(&self) -> Result<&'static str, VaultError> {
        self.store.health().await?;
        Ok(self.store.backend())
    }

    /// Whether the database and the key store (which may be another database) both
    /// answer: readiness.
    pub async fn reachable(&self) -> Result<(), VaultError> {
        self.store.health().await?;
        self.keys.system_keys().await?;
        Ok(())
    }

    /// How many store calls of this process found the database unreachable so far.
    pub fn unreachable_errors(&self) -> u64 {
        custodia_store::backend::unreachable_errors()
    }

    fn category(&self, id: &str, field: &str) -> Result<&Category, VaultError> {
        let category = self
            .register
            .categories
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| invalid(field, "unknown category: not declared in the register"))?;
        if category.never_stored {
            return Err(invalid(
                field,
                "this category is never stored (the register says so)",
            ));
        }
        Ok(category)
    }

    /// Checks one value and returns its JSON encoding and, for indexed kinds, the
    /// blind index entry.
    fn prepare_value(
        &self,
        category: &Category,
        value: &Value,
        field: &str,
    ) -> Result<(Vec<u8>, Option<IndexEntry>), VaultError> {
        let encoded = serde_json::to_vec(value).map_err(|_| invalid(field, "not encodable"))?;
        if encoded.len() > MAX_FIELD_BYTES {
            return Err(invalid(
                field,
                format!("value too large: at most {MAX_FIELD_BYTES} bytes"),
            ));
        }
        let as_text = || {
            value
                .as_str()
                .ok_or_else(|| invalid(field, "expected a string"))
        };
        match category.value_kind() {
            ValueKind::BirthDate => {
                parse_date(as_text()?)
                    .filter(|born| *born <= self.now().date())
                    .ok_or_else(|| {
                        invalid(
                            field,
                            "expected a date written YYYY-MM-DD, not in the future",
                        )
                    })?;
            }
            ValueKind::Text | ValueKind::Email | ValueKind::Phone | ValueKind::Login => {
                as_text()?;
            }
            ValueKind::Json => {}
        }
        let index = match lookup_index(category.value_kind()) {
            None => None,
            Some(kind) => {
                let normalized = normalize_for(kind, as_text()?).map_err(|e| invalid(field, e))?;
                Some(IndexEntry {
                    kind: kind.to_owned(),
                    digest: self.blind.digest(kind, &normalized).to_vec(),
                })
            }
        };
        Ok((encoded, index))
    }

    fn allowed_or_forbidden<'a>(
        &self,
        who: &Principal,
        categories: impl Iterator<Item = &'a String>,
    ) -> Result<(), VaultError> {
        let allowed = self.access.categories(&who.role);
        let refused: Vec<&str> = categories
            .filter(|c| !allowed.contains(*c))
            .map(String::as_str)
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(VaultError::Forbidden(format!(
                "the role `{}` may not handle {}",
                who.role,
                refused.join(", ")
            )))
        }
    }

    fn age_status(
        &self,
        data: &Map<String, Value>,
        jurisdiction: Option<&str>,
        declared_age: Option<u8>,
    ) -> Result<&'static str, VaultError> {
        let country = jurisdiction.unwrap_or(&self.register.controller.country);
        check_jurisdiction(country)?;
        let threshold = self.register.children.age_of_consent(country);
        let birth = self
            .register
            .categories
            .iter()
            .filter(|c| c.value_kind() == ValueKind::BirthDate)
            .find_map(|c| data.get(&c.id).and_then(Value::as_str).and_then(parse_date));
        let age = match (birth, declared_age) {
            (Some(born), _) => Some(age_on(born, self.now().date())),
            (None, Some(age)) => Some(age),
            (None, None) => None,
        };
        Ok(match age {
            None => "unknown",
            Some(a) if a < threshold => "child",
            Some(_) => "adult",
        })
    }

    pub async fn create(
        &self,
        who: &Principal,
        new: NewSubject,
        purpose: Option<&str>,
    ) -> Result<String, VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectCreate,
            None,
        )
        .await?;
        if !self.register.subject_kinds.iter().any(|k| k.id == new.kind) {
            return Err(invalid(
                "kind",
                "unknown subject kind: not declared in the register",
            ));
        }
        self.check_purpose(purpose)?;
        if new.data.len() > MAX_FIELDS {
            return Err(invalid("data", format!("at most {MAX_FIELDS} fields")));
        }
        for category_id in new.data.keys() {
            self.category(category_id, &format!("data.{category_id}"))?;
        }
        if let Err(e) = self.allowed_or_forbidden(who, new.data.keys()) {
            self.record(
                AuditRecord::new(self.now(), &who.id, AuditAction::SubjectCreate, "denied")
                    .categories(new.data.keys().cloned()),
            )
            .await?;
            return Err(e);
        }
        // Time-ordered ids put new rows at the end of every index keyed by subject,
        // so a batch of creations touches a few pages instead of one per row.
        let id = uuid::Uuid::now_v7().to_string();
        let key = SecretKey::generate()?;
        let mut fields = Vec::with_capacity(new.data.len());
        let mut indexes = Vec::new();
        for (category_id, value) in &new.data {
            let field = format!("data.{category_id}");
            let category = self.category(category_id, &field)?;
            let (encoded, index) = self.prepare_value(category, value, &field)?;
            fields.push(SealedField {
                category: category_id.clone(),
                sealed: key.seal(&encoded, &field_aad(&id, category_id))?,
            });
            indexes.extend(index);
        }
        let age_status =
            self.age_status(&new.data, new.jurisdiction.as_deref(), new.declared_age)?;
        let now = self.now();
        let wrapped = self.master.wrap(&key, id.as_bytes())?;
        let mut writes = vec![Write::CreateSubject {
            subject: SubjectRecord {
                id: id.clone(),
                kind: new.kind,
                age_status: age_status.to_owned(),
                parental_consent_at: None,
                created_at: now,
                updated_at: now,
                erased_at: None,
            },
            fields,
            indexes,
        }];
        if age_status == "child" {
            // The parental-consent delay counts from here (retention sweep).
            writes.push(internal_event(&id, UNDER_AGE_EVENT, now));
        }
        self.writer
            .submit(Job {
                keys: vec![(id.clone(), wrapped)],
                writes,
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectCreate, "ok")
                        .subject(&id)
                        .categories(new.data.keys().cloned())
                        .purpose(purpose),
                ],
            })
            .await?;
        Ok(id)
    }

    fn check_purpose(&self, purpose: Option<&str>) -> Result<(), VaultError> {
        match purpose {
            Some(p) if !self.register.purposes.iter().any(|x| x.id == p) => Err(invalid(
                "purpose",
                "unknown purpose: not declared in the register",
            )),
            _ => Ok(()),
        }
    }

    /// The subject's e-mail address with its category (the first e-mail category it
    /// holds), for a letter core queues; `None` when the subject is unknown, erased or
    /// has none. Not audited here: the caller audits the letter in the commit that
    /// queues it.
    pub(crate) async fn email_of(&self, id: &str) -> Result<Option<(String, String)>, VaultError> {
        let is_email = |category: &str| {
            self.register
                .categories
                .iter()
                .any(|c| c.id == category && c.value_kind() == ValueKind::Email)
        };
        let values = self.values_of(id, &is_email).await?;
        Ok(values
            .into_iter()
            .find_map(|(category, v)| v.as_str().map(|a| (category, a.to_owned()))))
    }

    /// The subject's values of the categories `wanted` picks, in category order;
    /// none when the subject is unknown or erased. Only those fields are opened. Not
    /// audited here: the caller audits what it does with them.
    pub(crate) async fn values_of(
        &self,
        id: &str,
        wanted: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<(String, Value)>, VaultError> {
        // The fields alone: a subject's events may run to thousands.
        let Some(stored) = self.store.subject_fields(id).await? else {
            return Ok(Vec::new());
        };
        let fields: Vec<_> = stored.iter().filter(|f| wanted(&f.category)).collect();
        if fields.is_empty() {
            return Ok(Vec::new());
        }
        let key = match self.data_key(id).await {
            Ok(k) => k,
            Err(VaultError::Erased) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut values = Vec::with_capacity(fields.len());
        for field in fields {
            let plain = key.open(&field.sealed, &field_aad(id, &field.category))?;
            if let Ok(value) = serde_json::from_slice::<Value>(&plain) {
                values.push((field.category.clone(), value));
            }
        }
        Ok(values)
    }

    async fn load(&self, id: &str) -> Result<StoredSubject, VaultError> {
        let stored = self.store.subject(id).await?.ok_or(VaultError::NotFound)?;
        if stored.record.erased_at.is_some() {
            return Err(VaultError::Erased);
        }
        Ok(stored)
    }

    async fn data_key(&self, id: &str) -> Result<SecretKey, VaultError> {
        let wrapped = self.keys.data_key(id).await?.ok_or(VaultError::Erased)?;
        if let Ok(key) = self.master.unwrap(&wrapped, id.as_bytes()) {
            return Ok(key);
        }
        // A cached copy may predate a rotation whose retired key is gone: read again.
        self.keys.forget_cached(id);
        let wrapped = self.keys.data_key(id).await?.ok_or(VaultError::Erased)?;
        Ok(self.master.unwrap(&wrapped, id.as_bytes())?)
    }

    /// Takes out of `allowed` the categories the retention rules put in an archive
    /// phase this role may not read, and those whose retention has ended (waiting for
    /// the sweep to delete them). The DPO keeps seeing both: access requests and the
    /// sweep's oversight need them.
    /// The categories `role` may not read now because of their retention phase.
    fn withheld_by_retention(&self, role: &Role, stored: &StoredSubject) -> Vec<String> {
        if *role == Role::Dpo {
            return Vec::new();
        }
        let categories: Vec<String> = stored.fields.iter().map(|f| f.category.clone()).collect();
        let events = crate::retention::latest_events(&stored.events);
        let facts = SubjectFacts {
            kind: &stored.record.kind,
            created_at: stored.record.created_at,
            categories: &categories,
            events: &events,
            progress: &[],
        };
        self.retention
            .phases(&facts, self.now())
            .into_iter()
            .filter(|(_, phase)| match phase {
                CategoryPhase::Active => false,
                CategoryPhase::Archive { readers } => !readers.iter().any(|r| r == role.name()),
                CategoryPhase::Expired => true,
            })
            .map(|(category, _)| category)
            .collect()
    }

    fn view(
        &self,
        who: &Principal,
        stored: StoredSubject,
        key: &SecretKey,
    ) -> Result<SubjectView, VaultError> {
        let allowed = self.access.categories(&who.role);
        let withheld = self.withheld_by_retention(&who.role, &stored);
        let mut data = BTreeMap::new();
        for field in &stored.fields {
            if !allowed.contains(&field.category) || withheld.contains(&field.category) {
                continue;
            }
            let plain = key.open(
                &field.sealed,
                &field_aad(&stored.record.id, &field.category),
            )?;
            let value: Value = serde_json::from_slice(&plain).map_err(|_| {
                VaultError::Store(StoreError::Corrupt {
                    backend: self.store.backend(),
                    what: "a sealed field does not hold JSON",
                })
            })?;
            data.insert(field.category.clone(), value);
        }
        let r = stored.record;
        Ok(SubjectView {
            needs_parental_consent: r.age_status == "child" && r.parental_consent_at.is_none(),
            id: r.id,
            kind: r.kind,
            age_status: r.age_status,
            parental_consent_at: r.parental_consent_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            data,
            events: stored
                .events
                .into_iter()
                .map(|e| EventView {
                    event: e.event,
                    at: e.at,
                })
                .collect(),
            disclosures: stored
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

    /// Reads a subject; the audit entry is durable before the data is returned.
    pub async fn get(
        &self,
        who: &Principal,
        id: &str,
        purpose: Option<&str>,
    ) -> Result<SubjectView, VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectRead,
            Some(id),
        )
        .await?;
        self.check_purpose(purpose)?;
        let stored = match self.load(id).await {
            Ok(s) => s,
            Err(e) => {
                let outcome = if matches!(e, VaultError::Erased) {
                    "erased"
                } else {
                    "not_found"
                };
                self.record(
                    AuditRecord::new(self.now(), &who.id, AuditAction::SubjectRead, outcome)
                        .subject(id),
                )
                .await?;
                return Err(e);
            }
        };
        let key = self.data_key(id).await?;
        let view = self.view(who, stored, &key)?;
        self.record(
            AuditRecord::new(self.now(), &who.id, AuditAction::SubjectRead, "ok")
                .subject(id)
                .categories(view.data.keys().cloned())
                .purpose(purpose),
        )
        .await?;
        Ok(view)
    }

    /// Subjects whose `kind` (`email`, `phone`, `login`) matches `value`.
    pub async fn lookup(
        &self,
        who: &Principal,
        kind: &str,
        value: &str,
        purpose: Option<&str>,
    ) -> Result<Vec<SubjectView>, VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectLookup,
            None,
        )
        .await?;
        self.check_purpose(purpose)?;
        let digest = self.index_digest(kind, value)?;
        let ids = self.store.subjects_by_index(kind, &digest).await?;
        let mut views = Vec::with_capacity(ids.len());
        let mut audit = Vec::with_capacity(ids.len().max(1));
        for id in ids {
            let Ok(stored) = self.load(&id).await else {
                continue;
            };
            let key = self.data_key(&id).await?;
            let view = self.view(who, stored, &key)?;
            audit.push(
                AuditRecord::new(self.now(), &who.id, AuditAction::SubjectLookup, "ok")
                    .subject(&id)
                    .categories(view.data.keys().cloned())
                    .purpose(purpose)
                    .detail(format!("by {kind}")),
            );
            views.push(view);
        }
        if audit.is_empty() {
            audit.push(
                AuditRecord::new(self.now(), &who.id, AuditAction::SubjectLookup, "not_found")
                    .purpose(purpose)
                    .detail(format!("by {kind}")),
            );
        }
        self.writer
            .submit(Job {
                audit,
                ..Job::default()
            })
            .await?;
        Ok(views)
    }

    /// Sets or (with `null`) removes fields, and optionally changes the kind.
    pub async fn update(
        &self,
        who: &Principal,
        id: &str,
        kind: Option<String>,
        data: Map<String, Value>,
        purpose: Option<&str>,
    ) -> Result<(), VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectUpdate,
            Some(id),
        )
        .await?;
        self.check_purpose(purpose)?;
        if let Some(k) = &kind
            && !self.register.subject_kinds.iter().any(|x| &x.id == k)
        {
            return Err(invalid(
                "kind",
                "unknown subject kind: not declared in the register",
            ));
        }
        for category_id in data.keys() {
            self.category(category_id, &format!("data.{category_id}"))?;
        }
        if let Err(e) = self.allowed_or_forbidden(who, data.keys()) {
            self.record(
                AuditRecord::new(self.now(), &who.id, AuditAction::SubjectUpdate, "denied")
                    .subject(id)
                    .categories(data.keys().cloned()),
            )
            .await?;
            return Err(e);
        }
        self.load(id).await?;
        let key = self.data_key(id).await?;
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut index_kinds = Vec::new();
        let mut indexes = Vec::new();
        for (category_id, value) in &data {
            let field = format!("data.{category_id}");
            let category = self.category(category_id, &field)?;
            if let Some(k) = lookup_index(category.value_kind()) {
                index_kinds.push(k.to_owned());
            }
            if value.is_null() {
                remove.push(category_id.clone());
                continue;
            }
            let (encoded, index) = self.prepare_value(category, value, &field)?;
            set.push(SealedField {
                category: category_id.clone(),
                sealed: key.seal(&encoded, &field_aad(id, category_id))?,
            });
            indexes.extend(index);
        }
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![Write::UpdateSubject {
                    subject_id: id.to_owned(),
                    kind,
                    set,
                    remove,
                    index_kinds,
                    indexes,
                    updated_at: now,
                }],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectUpdate, "ok")
                        .subject(id)
                        .categories(data.keys().cloned())
                        .purpose(purpose),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    pub async fn add_event(
        &self,
        who: &Principal,
        id: &str,
        event: &str,
        at: Option<OffsetDateTime>,
    ) -> Result<(), VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectEvent,
            Some(id),
        )
        .await?;
        let known = BUILTIN_EVENTS.contains(&event)
            || self.register.custom_events.iter().any(|e| e.id == event);
        if !known {
            return Err(invalid(
                "event",
                format!(
                    "unknown event; use one of {} or a custom event of the register",
                    BUILTIN_EVENTS.join(", ")
                ),
            ));
        }
        let now = self.now();
        let at = at.unwrap_or(now);
        if at > now + time::Duration::minutes(5) {
            return Err(invalid("at", "an event cannot be in the future"));
        }
        // Retention counts from events: one dated long ago can make a sweep erase the
        // subject at once, which only a role that may erase may ask for.
        if at < now - EVENT_PAST_TOLERANCE
            && !self.access.allows(&who.role, Permission::EraseSubjects)
        {
            self.record(
                AuditRecord::new(now, &who.id, AuditAction::SubjectEvent, "denied")
                    .subject(id)
                    .detail(format!(
                        "{event} dated more than 24 hours in the past needs the erasure permission (role {})",
                        who.role
                    )),
            )
            .await?;
            return Err(VaultError::Forbidden(format!(
                "the role `{}` may not record an event dated more than 24 hours in the past: \
                 it can make retention erase data at once, so it needs a role that may erase \
                 subjects (the DPO)",
                who.role
            )));
        }
        self.load(id).await?;
        self.writer
            .submit(Job {
                writes: vec![Write::AddEvent {
                    subject_id: id.to_owned(),
                    event: SubjectEvent {
                        event: event.to_owned(),
                        at,
                        recorded_at: now,
                    },
                }],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectEvent, "ok")
                        .subject(id)
                        .detail(event.to_owned()),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// Records that a parent consented for a child subject.
    pub async fn record_parental_consent(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<(), VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectParentalConsent,
            Some(id),
        )
        .await?;
        let stored = self.load(id).await?;
        if stored.record.age_status != "child" {
            return Err(invalid(
                "subject",
                "parental consent applies to a child subject only",
            ));
        }
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![
                    Write::SetAge {
                        subject_id: id.to_owned(),
                        age_status: stored.record.age_status,
                        parental_consent_at: Some(now),
                        updated_at: now,
                    },
                    internal_event(id, PARENTAL_CONSENT_EVENT, now),
                ],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectParentalConsent, "ok")
                        .subject(id),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// The person followed the link of a message asking whether to keep their data
    /// (`then = "ask_again"`): a contact they initiated, recorded as `last_contact`,
    /// which restarts the rule. Audited under the principal `subject`.
    pub async fn keep_by_answer(&self, id: &str, rule: &str) -> Result<(), VaultError> {
        self.load(id).await?;
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![internal_event(id, "last_contact", now)],
                audit: vec![
                    AuditRecord::new(now, "subject", AuditAction::SubjectKeep, "ok")
                        .subject(id)
                        .detail(format!("rule {rule}: asked to keep the data")),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// Records that a subject was found to be below the age of digital consent
    /// after it was created: consent-based processing stops until a parent consents,
    /// and the register's `children.parental_consent_within` delay starts now.
    pub async fn flag_under_age(&self, who: &Principal, id: &str) -> Result<(), VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectUnderAge,
            Some(id),
        )
        .await?;
        let stored = self.load(id).await?;
        if stored.record.age_status == "child" && stored.record.parental_consent_at.is_some() {
            return Err(invalid(
                "subject",
                "a parent has already consented for this child",
            ));
        }
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![
                    Write::SetAge {
                        subject_id: id.to_owned(),
                        age_status: "child".to_owned(),
                        parental_consent_at: None,
                        updated_at: now,
                    },
                    internal_event(id, UNDER_AGE_EVENT, now),
                ],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectUnderAge, "ok").subject(id),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// Records that data was handed to a recipient of the register.
    pub async fn record_disclosure(
        &self,
        who: &Principal,
        id: &str,
        recipient: &str,
        categories: Vec<String>,
        purpose: &str,
        at: Option<OffsetDateTime>,
    ) -> Result<String, VaultError> {
        self.require(
            who,
            Permission::HandleSubjects,
            AuditAction::SubjectDisclosure,
            Some(id),
        )
        .await?;
        let known = self
            .register
            .recipients
            .iter()
            .any(|r| r.id == recipient && r.kind != custodia_register::RecipientKind::Internal);
        if !known {
            return Err(invalid(
                "recipient",
                "unknown recipient: not an external recipient of the register",
            ));
        }
        if categories.is_empty() {
            return Err(invalid("categories", "list the categories handed over"));
        }
        for (i, c) in categories.iter().enumerate() {
            if !self.register.categories.iter().any(|x| &x.id == c) {
                return Err(invalid(format!("categories[{i}]"), "unknown category"));
            }
        }
        self.check_purpose(Some(purpose))?;
        if let Err(e) = self.allowed_or_forbidden(who, categories.iter()) {
            self.record(
                AuditRecord::new(
                    self.now(),
                    &who.id,
                    AuditAction::SubjectDisclosure,
                    "denied",
                )
                .subject(id)
                .categories(categories),
            )
            .await?;
            return Err(e);
        }
        self.load(id).await?;
        let now = self.now();
        let disclosure_id = uuid::Uuid::new_v4().to_string();
        self.writer
            .submit(Job {
                writes: vec![Write::AddDisclosure(Disclosure {
                    id: disclosure_id.clone(),
                    subject_id: id.to_owned(),
                    recipient: recipient.to_owned(),
                    categories: categories.clone(),
                    purpose: purpose.to_owned(),
                    at: at.unwrap_or(now),
                    recorded_by: who.id.clone(),
                })],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectDisclosure, "ok")
                        .subject(id)
                        .categories(categories)
                        .purpose(Some(purpose))
                        .detail(format!("to {recipient}")),
                ],
                ..Job::default()
            })
            .await?;
        Ok(disclosure_id)
    }

    /// Erases a subject: its data key is destroyed first, so every copy of its
    /// sealed fields, backups included, becomes unreadable; then the rows go.
    pub async fn erase(&self, who: &Principal, id: &str) -> Result<(), VaultError> {
        self.require(
            who,
            Permission::EraseSubjects,
            AuditAction::SubjectErase,
            Some(id),
        )
        .await?;
        let stored = self.store.subject(id).await?.ok_or(VaultError::NotFound)?;
        if stored.record.erased_at.is_some() {
            return Err(VaultError::Erased);
        }
        let categories: BTreeSet<String> =
            stored.fields.iter().map(|f| f.category.clone()).collect();
        self.keys.delete_data_key(id).await?;
        let now = self.now();
        self.writer
            .submit(Job {
                writes: vec![Write::EraseSubject {
                    subject_id: id.to_owned(),
                    erased_at: now,
                }],
                audit: vec![
                    AuditRecord::new(now, &who.id, AuditAction::SubjectErase, "ok")
                        .subject(id)
                        .categories(categories),
                ],
                ..Job::default()
            })
            .await?;
        Ok(())
    }
}

pub(crate) async fn system_secret(
    keys: &dyn KeyStore,
    master: &Keyring,
    name: &str,
) -> Result<SecretKey, VaultError> {
    let context = crate::keyring::system_key_context(name);
    let fresh = master.wrap(&SecretKey::generate()?, context.as_bytes())?;
    let wrapped = keys.system_key_or_insert(name, fresh).await?;
    Ok(master.unwrap(&wrapped, context.as_bytes())?)
}

fn describe(permission: Permission) -> &'static str {
    match permission {
        Permission::HandleSubjects => "handle personal data",
        Permission::EraseSubjects => "erase subjects",
        Permission::ReadAudit => "read the audit log",
        Permission::ManageStaff => "manage staff accounts and API keys",
        Permission::HandleRequests => "handle data-subject requests",
        Permission::ManageRetention => "manage retention (plan, sweeps, legal holds)",
        Permission::ManageBreaches => "record breaches or their decisions",
        Permission::ReadBreaches => "read the breach register",
        Permission::ReviewAccess => "review staff access",
        Permission::ReadStatistics => "read statistics",
        Permission::ExportRecord => "export the record of processing activities",
    }
}

/// A jurisdiction as subjects and consents take it: an ISO 3166-1 alpha-2 code.
pub fn check_jurisdiction(country: &str) -> Result<(), VaultError> {
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(invalid(
            "jurisdiction",
            "expected an ISO 3166-1 alpha-2 code such as FR",
        ));
    }
    Ok(())
}

/// How far back a role without the erasure permission may date a lifecycle event
/// (a day: late imports and time zones), see [`Vault::add_event`].
pub const EVENT_PAST_TOLERANCE: time::Duration = time::Duration::hours(24);

/// The blind index values of this kind are looked up by, if any.
pub(crate) fn lookup_index(kind: ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::Email => Some("email"),
        ValueKind::Phone => Some("phone"),
        ValueKind::Login => Some("login"),
        ValueKind::BirthDate | ValueKind::Text | ValueKind::Json => None,
    }
}

/// The normal form a blind index of `index` is computed over.
fn normalize_for(index: &str, value: &str) -> Result<String, String> {
    match index {
        "email" => normalize::email(value),
        "phone" => normalize::phone(value),
        "login" => normalize::login(value),
        _ => return Err("look up by email, phone or login".to_owned()),
    }
    .map_err(|e| e.to_string())
}

/// An event the vault records itself, at `at`.
fn internal_event(subject_id: &str, event: &str, at: OffsetDateTime) -> Write {
    Write::AddEvent {
        subject_id: subject_id.to_owned(),
        event: SubjectEvent {
            event: event.to_owned(),
            at,
            recorded_at: at,
        },
    }
}

fn parse_date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format).ok()
}

/// Whole years between `born` and `today`.
fn age_on(born: time::Date, today: time::Date) -> u8 {
    let mut years = today.year() - born.year();
    if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    u8::try_from(years.max(0)).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years() {
        let d = |y, m, day| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
        };
        assert_eq!(age_on(d(2010, 5, 20), d(2025, 5, 19)), 14);
        assert_eq!(age_on(d(2010, 5, 20), d(2025, 5, 20)), 15);
        assert_eq!(age_on(d(2008, 2, 29), d(2024, 2, 28)), 15);
    }
}
