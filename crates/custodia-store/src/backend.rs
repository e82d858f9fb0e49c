//! The backend-neutral half of every store: checking a batch before anything is
//! written, grouping its writes into runs of creations, the audit chain's head check,
//! orders applied in Rust (so collations cannot make backends differ), and the errors
//! and defaults every backend shares: category lists as JSON text, version numbering,
//! the retry policy and the mapping of driver errors to [`StoreError`]s. Database
//! drivers are known here only through [`DriverError`].

use std::collections::HashSet;
use std::time::Duration;

use crate::{
    ApiKey, AuditEntry, AuditFilter, Batch, Disclosure, IndexEntry, SealedField, Session,
    StaffUser, StoreError, StoredSubject, SubjectEvent, SubjectRecord, Write,
};

// --- driver errors and retries -------------------------------------------------------

/// What the shared half needs to know of a database driver's errors.
pub trait DriverError {
    /// The error's class and code, never the database's message (which may quote
    /// values) nor a URL or path.
    fn describe(&self) -> String;
    /// A unique (or primary key) violation.
    fn is_unique_violation(&self) -> bool;
    /// A foreign key violation.
    fn is_foreign_key_violation(&self) -> bool;
    /// The database cannot be reached: no connection, or it went away.
    fn is_unreachable(&self) -> bool {
        false
    }
}

/// An error inside a store operation: from the database driver (maybe worth a retry),
/// or already a [`StoreError`].
#[derive(Debug)]
pub enum OpError<E> {
    Db(E),
    Store(StoreError),
}

impl<E: DriverError> From<E> for OpError<E> {
    fn from(e: E) -> Self {
        OpError::Db(e)
    }
}

impl<E> From<StoreError> for OpError<E> {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

impl<E: DriverError> OpError<E> {
    /// The [`StoreError`] of `backend` failing to do `operation`.
    pub fn into_store(self, backend: &'static str, operation: &'static str) -> StoreError {
        match self {
            OpError::Db(e) => query_error(backend, operation, &e),
            OpError::Store(e) => e,
        }
    }
}

pub fn connect_error(backend: &'static str, err: &impl DriverError) -> StoreError {
    StoreError::Connect {
        backend,
        detail: err.describe(),
    }
}

/// Store calls that found the database unreachable, in this process.
static UNREACHABLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many store calls found the database unreachable so far: a request that
/// failed while this moved failed because of it.
pub fn unreachable_errors() -> u64 {
    UNREACHABLE.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn query_error(
    backend: &'static str,
    operation: &'static str,
    err: &impl DriverError,
) -> StoreError {
    if err.is_unreachable() {
        UNREACHABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return StoreError::Unreachable {
            backend,
            operation,
            detail: err.describe(),
        };
    }
    StoreError::Query {
        backend,
        operation,
        detail: err.describe(),
    }
}

/// A database error from a creation of a batch: unique and foreign key violations are
/// the caller's mistake ([`StoreError::Invalid`]); anything else stays a database
/// error, for the retry loop to judge.
pub fn write_error<E: DriverError>(err: E) -> OpError<E> {
    if err.is_unique_violation() {
        OpError::Store(DUPLICATE)
    } else if err.is_foreign_key_violation() {
        OpError::Store(MISSING_PARENT)
    } else {
        OpError::Db(err)
    }
}

/// A database error from appending audit entries: a taken `seq` means another writer
/// appended first.
pub fn audit_insert_error<E: DriverError>(err: E) -> OpError<E> {
    if err.is_unique_violation() {
        OpError::Store(StoreError::AuditHeadMoved)
    } else {
        OpError::Db(err)
    }
}

/// The retry policy of writes that lost a race, whatever the driver: each attempt is a
/// whole transaction; one that failed with an error `is_retryable` accepts is attempted
/// again after a short pause growing by a millisecond an attempt (20 at most),
/// [`crate::MAX_WRITE_ATTEMPTS`] times at most, then gives up with
/// [`StoreError::Conflict`]. Any other failure ends at once.
pub struct Retry<E> {
    backend: &'static str,
    operation: &'static str,
    is_retryable: fn(&E) -> bool,
    attempts: u32,
}

impl<E: DriverError> Retry<E> {
    pub fn new(
        backend: &'static str,
        operation: &'static str,
        is_retryable: fn(&E) -> bool,
    ) -> Self {
        Retry {
            backend,
            operation,
            is_retryable,
            attempts: 1,
        }
    }

    /// After a failed attempt: the pause before the next one, or the operation's error.
    pub fn after(&mut self, failure: OpError<E>) -> Result<Duration, StoreError> {
        match failure {
            OpError::Db(e) if (self.is_retryable)(&e) => {
                if self.attempts >= crate::MAX_WRITE_ATTEMPTS {
                    return Err(StoreError::Conflict {
                        backend: self.backend,
                        operation: self.operation,
                        attempts: self.attempts,
                    });
                }
                let pause = Duration::from_millis(u64::from(self.attempts.min(20)));
                self.attempts += 1;
                Ok(pause)
            }
            other => Err(other.into_store(self.backend, self.operation)),
        }
    }
}

// --- values --------------------------------------------------------------------------

/// Category lists are stored as JSON arrays of strings (jsonb on PostgreSQL); they
/// travel as JSON text.
pub fn encode_list(list: &[String]) -> String {
    // Serialising strings cannot fail; the fallback is unreachable.
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

/// Recovery-code hashes as one column: the 32-byte digests concatenated.
pub fn join_hashes(hashes: &[Vec<u8>]) -> Vec<u8> {
    hashes.concat()
}

/// The digests of a column written by [`join_hashes`].
pub fn split_hashes(backend: &'static str, joined: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
    if !joined.len().is_multiple_of(32) {
        return Err(StoreError::Corrupt {
            backend,
            what: "stored recovery-code hashes are not a whole number of 32-byte digests",
        });
    }
    Ok(joined.chunks(32).map(<[u8]>::to_vec).collect())
}

pub fn decode_list(backend: &'static str, json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt {
        backend,
        what: "a stored category list is not a JSON array of strings",
    })
}

/// The number of the policy version after `latest` (`None`: there is none yet), so
/// that versions are numbered from 1 without gaps.
pub fn next_version(backend: &'static str, latest: Option<i64>) -> Result<i64, StoreError> {
    match latest {
        Some(number) => number.checked_add(1).ok_or(StoreError::Corrupt {
            backend,
            what: "policy version numbers are exhausted",
        }),
        None => Ok(1),
    }
}

/// `prev_hash` of the first audit entry.
pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What [`crate::AuditFilter::limit`] 0 means.
pub const DEFAULT_AUDIT_LIMIT: u32 = 1000;

/// What a `limit` of 0 means for [`crate::KeyStore::data_keys_page`].
pub const DEFAULT_KEY_PAGE: u32 = 1000;

/// A creation hit a unique or primary key constraint.
pub const DUPLICATE: StoreError = StoreError::Invalid {
    reason: "a write creates a subject, disclosure, user, session, API key or entry that \
             already exists",
};
/// A creation hit a foreign key constraint.
pub const MISSING_PARENT: StoreError = StoreError::Invalid {
    reason: "a write names a subject or user that does not exist",
};
pub const MISSING_SUBJECT: StoreError = StoreError::Invalid {
    reason: "a write names a subject that does not exist",
};
pub const MISSING_USER: StoreError = StoreError::Invalid {
    reason: "a write names a user that does not exist",
};
pub const MISSING_API_KEY: StoreError = StoreError::Invalid {
    reason: "a write names an API key that does not exist",
};
/// A write handed to another domain's statements: a bug in the backend's routing
/// (each backend routes by [`domain`]), never the caller's.
pub const MISROUTED_WRITE: StoreError = StoreError::Invalid {
    reason: "a write was routed to another domain's statements (a bug in the backend)",
};
/// [`Write::PutRightsRequest`] inserting an id that is taken.
pub const RIGHTS_REQUEST_EXISTS: StoreError = StoreError::VersionConflict {
    reason: "the rights request was created meanwhile (its id is taken)",
};
/// [`Write::PutRightsRequest`] updating a request whose stored version is not the
/// expected one, or that does not exist.
pub const RIGHTS_REQUEST_CHANGED: StoreError = StoreError::VersionConflict {
    reason: "the rights request changed meanwhile (its stored version is not the expected one)",
};
/// [`Write::PutBreach`] inserting an id that is taken.
pub const BREACH_EXISTS: StoreError = StoreError::VersionConflict {
    reason: "the breach was recorded meanwhile (its id is taken)",
};
/// [`Write::PutBreach`] updating a breach whose stored version is not the expected
/// one, or that does not exist, or adding an event whose number is taken.
pub const BREACH_CHANGED: StoreError = StoreError::VersionConflict {
    reason: "the breach changed meanwhile (its stored version is not the expected one)",
};
/// [`Write::PutSecondFactor`] over a factor changed or removed meanwhile.
pub const SECOND_FACTOR_CHANGED: StoreError = StoreError::VersionConflict {
    reason: "the second factor changed meanwhile (a code was used or the factor removed)",
};
/// [`Write::ClaimOutbox`] of an item claimed, sent or changed meanwhile.
pub const OUTBOX_CLAIMED: StoreError = StoreError::VersionConflict {
    reason: "the outbox item was claimed meanwhile (by another instance)",
};
/// [`Write::UseDownload`] of a download that is gone: another use won.
pub const DOWNLOAD_USED: StoreError = StoreError::VersionConflict {
    reason: "the download was used meanwhile (a one-time link)",
};

/// Whether `first` continues the log whose head is `head` (`None`: empty log).
pub fn check_audit_head(head: Option<(i64, &str)>, first: &AuditEntry) -> Result<(), StoreError> {
    let (seq, hash) = head.unwrap_or((0, ZERO_HASH));
    if Some(first.seq) == seq.checked_add(1) && first.prev_hash == hash {
        Ok(())
    } else {
        Err(StoreError::AuditHeadMoved)
    }
}

/// Checks what does not need the database, before anything is written: no string holds
/// NUL (PostgreSQL text cannot, so no backend accepts it), a write does not list one
/// field or index entry twice, an update's index entries are of kinds it replaces, and
/// the audit entries are chained among themselves (consecutive `seq`, each `prev_hash`
/// the hash before it, lowercase hex SHA-256 digests). `Ok(false)`: the batch is empty,
/// there is nothing to write.
pub fn validate_batch(batch: &Batch) -> Result<bool, StoreError> {
    for write in &batch.writes {
        validate_write(write)?;
    }
    let mut previous: Option<&AuditEntry> = None;
    for entry in &batch.audit {
        validate_audit_entry(entry)?;
        if let Some(p) = previous {
            if entry.chain != p.chain {
                return Err(StoreError::Invalid {
                    reason: "the audit entries of a batch belong to more than one chain",
                });
            }
            if Some(entry.seq) != p.seq.checked_add(1) {
                return Err(StoreError::Invalid {
                    reason: "the audit entries of a batch do not have consecutive seq numbers",
                });
            }
            if entry.prev_hash != p.hash {
                return Err(StoreError::Invalid {
                    reason: "an audit entry's prev_hash is not the hash of the entry before it",
                });
            }
        }
        previous = Some(entry);
    }
    Ok(!(batch.writes.is_empty() && batch.audit.is_empty()))
}

const NUL: StoreError = StoreError::Invalid {
    reason: "a string of a write contains a NUL character",
};

fn no_nul<'a>(strings: impl IntoIterator<Item = &'a str>) -> Result<(), StoreError> {
    if strings.into_iter().any(|s| s.contains('\0')) {
        Err(NUL)
    } else {
        Ok(())
    }
}

fn unique_categories(fields: &[SealedField]) -> Result<(), StoreError> {
    let mut seen = HashSet::with_capacity(fields.len());
    if fields.iter().all(|f| seen.insert(f.category.as_str())) {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            reason: "a write lists two fields of one category",
        })
    }
}

fn unique_indexes(indexes: &[IndexEntry]) -> Result<(), StoreError> {
    let mut seen = HashSet::with_capacity(indexes.len());
    if indexes
        .iter()
        .all(|i| seen.insert((i.kind.as_str(), i.digest.as_slice())))
    {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            reason: "a write lists one index entry twice",
        })
    }
}

fn validate_write(write: &Write) -> Result<(), StoreError> {
    match write {
        Write::CreateSubject {
            subject,
            fields,
            indexes,
        } => {
            no_nul([subject.id.as_str(), &subject.kind, &subject.age_status])?;
            no_nul(fields.iter().map(|f| f.category.as_str()))?;
            no_nul(indexes.iter().map(|i| i.kind.as_str()))?;
            unique_categories(fields)?;
            unique_indexes(indexes)
        }
        Write::UpdateSubject {
            subject_id,
            kind,
            set,
            remove,
            index_kinds,
            indexes,
            updated_at: _,
        } => {
            no_nul([subject_id.as_str()])?;
            no_nul(kind.as_deref())?;
            no_nul(set.iter().map(|f| f.category.as_str()))?;
            no_nul(remove.iter().map(String::as_str))?;
            no_nul(index_kinds.iter().map(String::as_str))?;
            no_nul(indexes.iter().map(|i| i.kind.as_str()))?;
            unique_categories(set)?;
            unique_indexes(indexes)?;
            if indexes.iter().any(|i| !index_kinds.contains(&i.kind)) {
                return Err(StoreError::Invalid {
                    reason: "an update sets index entries of a kind not in its index_kinds",
                });
            }
            Ok(())
        }
        Write::SetAge {
            subject_id,
            age_status,
            ..
        } => no_nul([subject_id.as_str(), age_status]),
        Write::AddEvent { subject_id, event } => no_nul([subject_id.as_str(), &event.event]),
        Write::AddDisclosure(d) => {
            no_nul([
                d.id.as_str(),
                &d.subject_id,
                &d.recipient,
                &d.purpose,
                &d.recorded_by,
            ])?;
            no_nul(d.categories.iter().map(String::as_str))
        }
        Write::EraseSubject { subject_id, .. } => no_nul([subject_id.as_str()]),
        Write::CreateUser(u) => no_nul([u.id.as_str(), &u.email, &u.role, &u.password_hash]),
        Write::SetUserDisabled { user_id, .. } | Write::DeleteUserSessions { user_id } => {
            no_nul([user_id.as_str()])
        }
        Write::SetUserPassword {
            user_id,
            password_hash,
        } => no_nul([user_id.as_str(), password_hash]),
        Write::CreateSession(s) => no_nul([s.user_id.as_str(), &s.csrf_token]),
        Write::DeleteSession { .. } => Ok(()),
        Write::CreateApiKey(k) => no_nul([k.id.as_str(), &k.name, &k.role]),
        Write::RevokeApiKey { id, .. } => no_nul([id.as_str()]),
        Write::PutSecondFactor { factor, .. } => no_nul([factor.user_id.as_str()]),
        Write::DeleteSecondFactor { user_id } => no_nul([user_id.as_str()]),
        Write::TouchCredentials(uses) => no_nul(uses.iter().map(|u| u.principal.as_str())),
        Write::RecordAccessReview(r) => no_nul([r.id.as_str(), &r.reviewed_by, &r.notes]),
        Write::RecordConsent(r) => crate::consent::validate_record(r),
        Write::LinkVisitor(l) => crate::consent::validate_link(l),
        Write::PutRightsRequest {
            row,
            expected_version,
        } => crate::rights::validate_request(row, *expected_version),
        Write::PutOutbox(o) => crate::rights::validate_outbox(o),
        Write::ClaimOutbox { id, .. } => no_nul([id.as_str()]),
        Write::PutDownload(d) => crate::rights::validate_download(d),
        Write::DeleteDownload { .. } | Write::UseDownload { .. } => Ok(()),
        Write::PutRequestDocument(d) => crate::rights::validate_document(d),
        Write::DeleteRequestDocument { request_id } => {
            crate::rights::validate_request_id(request_id)
        }
        Write::AddOpposition(o) => crate::rights::validate_opposition(o),
        Write::SetRestriction {
            subject_id,
            restriction,
        } => crate::rights::validate_restriction(subject_id, restriction.as_ref()),
        Write::RecordRetentionStep(s) => crate::retention::validate_step(s),
        Write::PutLegalHold(h) => crate::retention::validate_hold(h),
        Write::AddRetentionCount(c) => crate::retention::validate_count(c),
        Write::PurgeOpposition { .. } => Ok(()),
        Write::DeleteRightsRequest { id } => crate::rights::validate_request_id(id),
        Write::PutBreach {
            row,
            expected_version,
            events,
        } => crate::breach::validate_breach(row, *expected_version, events),
    }
}

fn validate_audit_entry(e: &AuditEntry) -> Result<(), StoreError> {
    if e.seq < 1 {
        return Err(StoreError::Invalid {
            reason: "an audit entry's seq is below 1",
        });
    }
    if !is_sha256_hex(&e.hash) || !is_sha256_hex(&e.prev_hash) {
        return Err(StoreError::Invalid {
            reason: "an audit entry's hash or prev_hash is not 64 lowercase hex characters",
        });
    }
    no_nul([e.principal.as_str(), &e.action, &e.outcome])?;
    no_nul(
        [&e.subject_ref, &e.purpose, &e.detail]
            .into_iter()
            .flatten()
            .map(String::as_str),
    )?;
    no_nul(e.categories.iter().map(String::as_str))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Consecutive creations of a batch, gathered per table so that each table gets one
/// multi-row insert. Rows are inserted table by table in the order of the fields here,
/// parents first, so a row may name a parent created anywhere in the same run.
#[derive(Debug, Default)]
pub struct InsertRun<'a> {
    pub subjects: Vec<&'a SubjectRecord>,
    /// (subject id, field)
    pub fields: Vec<(&'a str, &'a SealedField)>,
    /// (subject id, entry)
    pub indexes: Vec<(&'a str, &'a IndexEntry)>,
    /// (subject id, event)
    pub events: Vec<(&'a str, &'a SubjectEvent)>,
    pub disclosures: Vec<&'a Disclosure>,
    pub users: Vec<&'a StaffUser>,
    pub sessions: Vec<&'a Session>,
    pub api_keys: Vec<&'a ApiKey>,
    pub consents: Vec<&'a crate::ConsentRecord>,
}

impl InsertRun<'_> {
    fn is_empty(&self) -> bool {
        self.subjects.is_empty()
            && self.fields.is_empty()
            && self.indexes.is_empty()
            && self.events.is_empty()
            && self.disclosures.is_empty()
            && self.users.is_empty()
            && self.sessions.is_empty()
            && self.api_keys.is_empty()
            && self.consents.is_empty()
    }
}

/// The domain whose statements apply a write that is not a creation: each backend has
/// one file of writes per domain, and routes by this (creations go through [`plan`]'s
/// insert runs instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    Vault,
    Staff,
    Consent,
    Rights,
    Retention,
    Breach,
    /// A creation: [`plan`] gathers it into an insert run.
    Creation,
}

/// The domain of `write`. Exhaustive, so a new write is routed deliberately.
pub fn domain(write: &Write) -> Domain {
    match write {
        Write::UpdateSubject { .. } | Write::SetAge { .. } | Write::EraseSubject { .. } => {
            Domain::Vault
        }
        Write::SetUserDisabled { .. }
        | Write::SetUserPassword { .. }
        | Write::DeleteSession { .. }
        | Write::DeleteUserSessions { .. }
        | Write::RevokeApiKey { .. }
        | Write::PutSecondFactor { .. }
        | Write::DeleteSecondFactor { .. } => Domain::Staff,
        Write::TouchCredentials(_) | Write::RecordAccessReview(_) => Domain::Staff,
        Write::LinkVisitor(_) => Domain::Consent,
        Write::PutRightsRequest { .. }
        | Write::PutOutbox(_)
        | Write::ClaimOutbox { .. }
        | Write::PutDownload(_)
        | Write::DeleteDownload { .. }
        | Write::UseDownload { .. }
        | Write::PutRequestDocument(_)
        | Write::DeleteRequestDocument { .. }
        | Write::AddOpposition(_)
        | Write::SetRestriction { .. }
        | Write::PurgeOpposition { .. }
        | Write::DeleteRightsRequest { .. } => Domain::Rights,
        Write::RecordRetentionStep(_) | Write::PutLegalHold(_) | Write::AddRetentionCount(_) => {
            Domain::Retention
        }
        Write::PutBreach { .. } => Domain::Breach,
        Write::CreateSubject { .. }
        | Write::RecordConsent(_)
        | Write::AddEvent { .. }
        | Write::AddDisclosure(_)
        | Write::CreateUser(_)
        | Write::CreateSession(_)
        | Write::CreateApiKey(_) => Domain::Creation,
    }
}

/// One step of applying a batch: a run of creations, or one other write.
#[derive(Debug)]
pub enum Step<'a> {
    Insert(Box<InsertRun<'a>>),
    /// Any write that is not a pure creation (updates, deletions, erasure).
    Other(&'a Write),
}

/// The writes of a batch as steps, in batch order: each run of consecutive creations
/// becomes one [`Step::Insert`], every other write a step of its own. A batch of
/// subject creations is thus a handful of statements, whatever its size.
pub fn plan(writes: &[Write]) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let mut run = InsertRun::default();
    for write in writes {
        match write {
            Write::CreateSubject {
                subject,
                fields,
                indexes,
            } => {
                run.subjects.push(subject);
                run.fields
                    .extend(fields.iter().map(|f| (subject.id.as_str(), f)));
                run.indexes
                    .extend(indexes.iter().map(|i| (subject.id.as_str(), i)));
            }
            Write::AddEvent { subject_id, event } => run.events.push((subject_id, event)),
            Write::AddDisclosure(d) => run.disclosures.push(d),
            Write::CreateUser(u) => run.users.push(u),
            Write::CreateSession(s) => run.sessions.push(s),
            Write::CreateApiKey(k) => run.api_keys.push(k),
            Write::RecordConsent(r) => run.consents.push(r),
            other => {
                if !run.is_empty() {
                    steps.push(Step::Insert(Box::new(std::mem::take(&mut run))));
                }
                steps.push(Step::Other(other));
            }
        }
    }
    if !run.is_empty() {
        steps.push(Step::Insert(Box::new(run)));
    }
    steps
}

/// Row counts for multi-row statements over `n` rows: `max` (a power of two) as often as
/// it fits, then the binary digits of the rest. Every count is a power of two, so a
/// table needs at most `log2(max) + 1` distinct statements, which stay prepared in the
/// connection's statement cache, and `n` rows take at most `n / max + log2(max) + 1`
/// statements.
pub fn chunk_sizes(n: usize, max: usize) -> impl Iterator<Item = usize> {
    let max = if max.is_power_of_two() {
        max
    } else {
        // The largest power of two below `max` (1 for 0).
        (max / 2 + 1).next_power_of_two()
    };
    let full = n / max;
    let rest = n % max;
    std::iter::repeat_n(max, full).chain(
        (0..usize::BITS)
            .rev()
            .map(|bit| 1usize << bit)
            .filter(move |size| rest & size != 0),
    )
}

/// Puts a subject's parts in the order [`crate::Store::subject`] returns them, in Rust
/// so that database collations cannot make backends differ.
pub fn sort_subject(subject: &mut StoredSubject) {
    subject.fields.sort_by(|a, b| a.category.cmp(&b.category));
    subject
        .events
        .sort_by(|a, b| (a.at, &a.event, a.recorded_at).cmp(&(b.at, &b.event, b.recorded_at)));
    subject
        .disclosures
        .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
}

/// The order of [`crate::Store::users`]: by email (then id).
pub fn sort_users(users: &mut [StaffUser]) {
    users.sort_by(|a, b| (&a.email, &a.id).cmp(&(&b.email, &b.id)));
}

/// The order of [`crate::Store::api_keys`]: by creation, then id.
pub fn sort_api_keys(keys: &mut [ApiKey]) {
    keys.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
}

/// The order of [`crate::Store::access_reviews`]: newest first, then by id.
pub fn sort_access_reviews(reviews: &mut [crate::AccessReview]) {
    reviews.sort_by(|a, b| (b.reviewed_at, &b.id).cmp(&(a.reviewed_at, &a.id)));
}

/// The order of [`crate::Store::consent_tallies`].
pub fn sort_consent_tallies(t: &mut [crate::ConsentTally]) {
    t.sort_by(|a, b| {
        (&a.purpose, a.week_start, &a.state).cmp(&(&b.purpose, b.week_start, &b.state))
    });
}

/// The order of [`crate::Store::request_tallies`].
pub fn sort_request_tallies(t: &mut [crate::RequestTally]) {
    t.sort_by(|a, b| (&a.right, &a.month).cmp(&(&b.right, &b.month)));
}

/// The order of [`crate::KeyStore::system_keys`]: by name.
pub fn sort_system_keys(keys: &mut [(String, Vec<u8>)]) {
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
}

/// The row limit of an audit listing.
pub fn audit_limit(filter: &AuditFilter) -> i64 {
    i64::from(if filter.limit == 0 {
        DEFAULT_AUDIT_LIMIT
    } else {
        filter.limit
    })
}

/// What a `limit` of 0 means for a page of keys: [`DEFAULT_KEY_PAGE`].
pub fn key_page_limit(limit: u32) -> u32 {
    if limit == 0 { DEFAULT_KEY_PAGE } else { limit }
}

/// Checks the subject ids of a batch of data keys ([`crate::KeyStore::put_data_keys`],
/// [`crate::KeyStore::delete_data_keys`], [`crate::KeyStore::rewrap_data_keys`]): no
/// NUL, no subject twice. `Ok(false)`: the batch is empty, there is nothing to do.
pub fn validate_key_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<bool, StoreError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.contains('\0') {
            return Err(StoreError::Invalid {
                reason: "a subject id contains a NUL character",
            });
        }
        if !seen.insert(id) {
            return Err(StoreError::Invalid {
                reason: "one subject appears twice among the data keys",
            });
        }
    }
    Ok(!seen.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_numbered_from_one_and_never_wrap() {
        assert_eq!(next_version("test", None), Ok(1));
        assert_eq!(next_version("test", Some(41)), Ok(42));
        assert!(matches!(
            next_version("test", Some(i64::MAX)),
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[test]
    fn category_lists_round_trip_and_garbage_is_corrupt() {
        let list = vec!["email".to_owned(), "nom_complet\"é".to_owned()];
        assert_eq!(decode_list("test", &encode_list(&list)), Ok(list));
        assert_eq!(decode_list("test", &encode_list(&[])), Ok(vec![]));
        assert!(matches!(
            decode_list("test", "{\"a\": 1}"),
            Err(StoreError::Corrupt { .. })
        ));
    }

    /// A stand-in driver error: `busy` is worth a retry, `unique` is a duplicate.
    #[derive(Debug)]
    struct Fake {
        busy: bool,
        unique: bool,
    }

    impl DriverError for Fake {
        fn describe(&self) -> String {
            "fake".to_owned()
        }
        fn is_unique_violation(&self) -> bool {
            self.unique
        }
        fn is_foreign_key_violation(&self) -> bool {
            false
        }
    }

    #[test]
    fn retries_pause_longer_then_give_up_and_other_errors_end_at_once() {
        let mut retry = Retry::new("test", "op", |e: &Fake| e.busy);
        let busy = || {
            OpError::Db(Fake {
                busy: true,
                unique: false,
            })
        };
        assert_eq!(retry.after(busy()), Ok(Duration::from_millis(1)));
        assert_eq!(retry.after(busy()), Ok(Duration::from_millis(2)));
        for _ in 3..crate::MAX_WRITE_ATTEMPTS {
            assert!(retry.after(busy()).is_ok());
        }
        assert_eq!(
            retry.after(busy()),
            Err(StoreError::Conflict {
                backend: "test",
                operation: "op",
                attempts: crate::MAX_WRITE_ATTEMPTS,
            })
        );
        let mut retry = Retry::new("test", "op", |e: &Fake| e.busy);
        let other = OpError::Db(Fake {
            busy: false,
            unique: false,
        });
        assert!(matches!(
            retry.after(other),
            Err(StoreError::Query { detail, .. }) if detail == "fake"
        ));
        assert_eq!(
            retry.after(OpError::Store(StoreError::AuditHeadMoved)),
            Err(StoreError::AuditHeadMoved)
        );
        let dup = Fake {
            busy: false,
            unique: true,
        };
        assert!(matches!(write_error(dup), OpError::Store(e) if e == DUPLICATE));
    }

    #[test]
    fn chunks_are_powers_of_two_and_add_up() {
        for max in [1, 2, 64, 256] {
            for n in 0..1100 {
                let sizes: Vec<usize> = chunk_sizes(n, max).collect();
                assert_eq!(sizes.iter().sum::<usize>(), n, "n={n} max={max}");
                assert!(sizes.iter().all(|s| s.is_power_of_two() && *s <= max));
            }
        }
        assert_eq!(
            chunk_sizes(500, 256).collect::<Vec<_>>(),
            [256, 128, 64, 32, 16, 4]
        );
        assert_eq!(chunk_sizes(5, 3).collect::<Vec<_>>(), [2, 2, 1]);
    }
}
