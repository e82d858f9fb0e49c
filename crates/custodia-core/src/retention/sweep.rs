//! Carrying retention out: a sweep pages through every subject, asks the
//! [`Planner`] what is due, and applies it; legal holds are kept here too, and the
//! plan of a time window is computed from the same pages.
//!
//! Crash safety, per page of subjects: the data keys of the subjects to erase are
//! deleted first, in one key-store transaction; then the erasures, field deletions,
//! the steps done, outcome counts and one audit entry per action are committed
//! together (while the next page's keys are deleted). Killed between the two, the next sweep finds the same subjects not yet
//! erased and no step recorded: it erases them again (their keys are already gone,
//! which is fine) and audits each once. Killed before the key deletion, nothing
//! happened. Steps are recorded only in the commit that carries them out, so nothing
//! is done twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use custodia_register::Register;
pub use custodia_store::LegalHold;
use custodia_store::{
    KeyStore, RetentionCount, RetentionFacts, RetentionStepDone, Store, StoreError, Write,
};
use serde::Serialize;
use time::OffsetDateTime;

use super::{Hold, Holds, Planner, Step, StepAction, SubjectFacts};
use crate::access::Principal;
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::rights::rules::REQUEST_CATEGORY;
use crate::telemetry::SweepStats;
use crate::writer::{Job, WriteError, Writer};

/// The principal retention actions are recorded under.
pub const RETENTION_PRINCIPAL: &str = "system:retention";

/// Subjects read and committed together by a sweep.
pub const DEFAULT_PAGE: u32 = 1000;

/// The store lease that lets one sweep run at a time among the instances sharing a
/// database, and how long it lasts unless renewed (after each page).
const SWEEP_LEASE: &str = "retention-sweep";
const SWEEP_LEASE_TIME: time::Duration = time::Duration::minutes(10);

/// The rule name children's erasures are counted and reported under.
pub const CHILDREN_RULE: &str = "children.parental_consent_within";

/// Status of a request whose address was never proved (`rights::Status::Received`).
const UNVERIFIED_STATUS: &str = "received";

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("no such legal hold")]
    HoldNotFound,
    #[error("the legal hold is already released")]
    HoldReleased,
    #[error("another retention sweep is running on this database; try again when it ends")]
    Busy,
    #[error("asking a person again: {0}")]
    Ask(String),
    #[error("{0}")]
    Dataset(String),
}

fn invalid(field: &'static str, reason: impl Into<String>) -> RetentionError {
    RetentionError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// What one rule did (or would do) in a sweep.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleTally {
    /// Subjects whose data entered an archive phase of the rule.
    pub archived: u64,
    /// Subjects whose data the rule deleted (the whole subject or some categories).
    pub deleted: u64,
    pub anonymised: u64,
    /// Subjects the rule would have deleted or anonymised but for a legal hold.
    pub held: u64,
    /// Rights requests deleted at the end of their keeping.
    pub requests_deleted: u64,
    /// Subjects asked whether to keep their data (`then = "ask_again"`).
    pub asked: u64,
}

/// What a sweep did, or would do in a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    #[serde(with = "time::serde::rfc3339")]
    pub now: OffsetDateTime,
    pub dry_run: bool,
    pub subjects_scanned: u64,
    /// Subjects erased whole (every category they held was due).
    pub subjects_erased: u64,
    /// Subjects that lost some categories and keep others.
    pub subjects_reduced: u64,
    pub opposition_entries_purged: u64,
    /// Requests never verified, purged once their code expired plus
    /// [`crate::rights::UNVERIFIED_KEPT`] (no rule: nobody proved the address).
    pub unverified_requests_purged: u64,
    pub rules: BTreeMap<String, RuleTally>,
}

impl SweepReport {
    fn new(now: OffsetDateTime, dry_run: bool) -> Self {
        SweepReport {
            now,
            dry_run,
            subjects_scanned: 0,
            subjects_erased: 0,
            subjects_reduced: 0,
            opposition_entries_purged: 0,
            unverified_requests_purged: 0,
            rules: BTreeMap::new(),
        }
    }

    fn rule(&mut self, id: &str) -> &mut RuleTally {
        self.rules.entry(id.to_owned()).or_default()
    }

    /// A table for people: one line per rule, then the totals.
    pub fn table(&self) -> String {
        let mode = if self.dry_run {
            "would be done"
        } else {
            "done"
        };
        let mut out = format!(
            "Retention at {} ({mode})\n\n",
            self.now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        );
        let header = [
            "rule",
            "archived",
            "deleted",
            "anonymised",
            "held",
            "requests",
            "asked",
        ];
        let width = self
            .rules
            .keys()
            .map(String::len)
            .chain([header[0].len()])
            .max()
            .unwrap_or(4);
        out.push_str(&format!("{:<width$}", header[0]));
        for h in &header[1..] {
            out.push_str(&format!("  {h:>10}"));
        }
        out.push('\n');
        for (rule, t) in &self.rules {
            out.push_str(&format!(
                "{rule:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}\n",
                t.archived, t.deleted, t.anonymised, t.held, t.requests_deleted, t.asked
            ));
        }
        if self.rules.is_empty() {
            out.push_str("(no rule had anything due)\n");
        }
        out.push_str(&format!(
            "\nsubjects scanned: {}, erased: {}, reduced: {}; opposition entries purged: {}; \
             unverified requests purged: {}\n",
            self.subjects_scanned,
            self.subjects_erased,
            self.subjects_reduced,
            self.opposition_entries_purged,
            self.unverified_requests_purged
        ));
        out
    }
}

/// A step falling due in a window, for `GET /v1/retention/plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    pub subject_id: String,
    pub rule: String,
    pub step: u32,
    /// `archive`, `delete` or `anonymise`.
    pub action: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub categories: Vec<String>,
    /// Readers of the archive phase entered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readers: Vec<String>,
    pub held: bool,
}

/// Where one category a subject holds stands in its retention, for the subject's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRetention {
    pub category: String,
    /// The phase at `now`, as reads are filtered by it.
    pub phase: super::CategoryPhase,
    /// The next step a rule takes on the category after `now` (the earliest, when
    /// several rules cover it); `None` when no triggered rule has one to come.
    pub next: Option<PlannedStep>,
}

/// A new legal hold as staff describe it.
#[derive(Debug, Clone, Default)]
pub struct NewHold {
    pub subject_id: Option<String>,
    pub rule_id: Option<String>,
    pub reason: String,
}

fn action_name(action: StepAction) -> &'static str {
    match action {
        StepAction::Archive => "archive",
        StepAction::Delete => "delete",
        StepAction::Anonymise => "anonymise",
        StepAction::AskAgain => "ask_again",
    }
}

/// Writes the message asking a person whether to keep their data (a rule with
/// `then = "ask_again"`), for the commit of the sweep's page.
#[async_trait::async_trait]
pub trait AskAgain: Send + Sync {
    /// The outbox write and the category of the address it goes to; `None` when
    /// the subject has no e-mail address.
    async fn message(
        &self,
        subject_id: &str,
        rule: &str,
        delete_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<(String, Write)>, RetentionError>;
}

/// Turns a value into its keyed pseudonym (`Vault::dataset_pseudonym`).
pub type Pseudonym = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// An "ask again" step due in a page, carried out once the page is planned.
struct Ask {
    subject_id: String,
    rule: Arc<str>,
    index: u32,
    delete_at: Option<OffsetDateTime>,
}

/// When a subject found below the age of digital consent is to be erased: `delay`
/// after it was found, unless a parent consented since.
fn child_erasure_due(
    events: &[(String, OffsetDateTime)],
    delay: &custodia_register::IsoDuration,
) -> Option<OffsetDateTime> {
    let latest = |name: &str| events.iter().find(|(e, _)| e == name).map(|(_, at)| *at);
    let found = latest(custodia_register::UNDER_AGE_EVENT)?;
    match latest(custodia_register::PARENTAL_CONSENT_EVENT) {
        Some(consented) if consented >= found => None,
        _ => delay.after(found),
    }
}

fn month_of(at: OffsetDateTime) -> String {
    format!("{:04}-{:02}", at.year(), u8::from(at.month()))
}

/// The writes and audit records of one page, with the keys to delete first.
#[derive(Default)]
struct PageWork {
    keys: Vec<String>,
    writes: Vec<Write>,
    audit: Vec<AuditRecord>,
    /// (rule, kind, action) -> subjects whose step of that action was carried out.
    outcomes: BTreeMap<(String, String, &'static str), i64>,
    asks: Vec<Ask>,
}

impl PageWork {
    /// Counts one subject's step for the statistics (retention outcomes).
    fn count(&mut self, rule: &str, kind: &str, action: StepAction) {
        *self
            .outcomes
            .entry((rule.to_owned(), kind.to_owned(), action_name(action)))
            .or_default() += 1;
    }

    /// The keys to delete first, and the one job that commits everything else.
    fn into_parts(self, now: OffsetDateTime) -> (Vec<String>, Job) {
        let mut writes = self.writes;
        writes.extend(
            self.outcomes
                .into_iter()
                .map(|((rule, kind, action), count)| {
                    Write::AddRetentionCount(RetentionCount {
                        rule,
                        kind,
                        month: month_of(now),
                        action: action.to_owned(),
                        count,
                    })
                }),
        );
        let job = Job {
            keys: Vec::new(),
            writes,
            audit: self.audit,
        };
        (self.keys, job)
    }
}

/// Retention carried out against a store; one per process.
pub struct Retention {
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyStore>,
    writer: Writer,
    planner: Planner,
    /// Blind-index kind of each category that has one (`email`, `phone`, `login`).
    index_kind: HashMap<String, &'static str>,
    rule_ids: BTreeSet<String>,
    /// The company's own databases, whose tables a rule may keep
    /// (`[[datasets.tables]] retention`), with the pseudonym erasure writes there.
    datasets: std::sync::OnceLock<(Arc<Vec<custodia_connectors::Connected>>, Pseudonym)>,
    /// Writes "ask again" messages; without it (no outbox), the step is recorded
    /// and audited as not sent, and the deletion still follows the delay.
    asker: std::sync::OnceLock<Arc<dyn AskAgain>>,
    /// `children.parental_consent_within`: a child without a parent's consent after
    /// this delay is erased.
    children_delay: Option<custodia_register::IsoDuration>,
    /// One sweep at a time: two would erase the same subjects twice. In-process
    /// sweeps queue here; other instances are kept out by the store's lease.
    sweeping: tokio::sync::Mutex<()>,
    /// The wall clock, for the lease (a sweep's `now` may be another instant).
    clock: Arc<dyn Clock>,
    /// Whether real sweeps take the store's lease (see [`Retention::locked_elsewhere`]).
    use_lease: bool,
    /// Counts sweeps and hold changes: a plan made before the count moved is stale.
    plan_changes: tokio::sync::watch::Sender<u64>,
    stats: SweepStats,
}

impl Retention {
    pub fn new(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyStore>,
        writer: Writer,
        register: &Register,
        clock: Arc<dyn Clock>,
    ) -> Retention {
        let index_kind = register
            .categories
            .iter()
            .filter_map(|c| Some((c.id.clone(), crate::vault::lookup_index(c.value_kind())?)))
            .collect();
        Retention {
            store,
            keys,
            writer,
            planner: Planner::new(register),
            index_kind,
            rule_ids: register.retention.iter().map(|r| r.id.clone()).collect(),
            children_delay: register.children.parental_consent_within,
            asker: std::sync::OnceLock::new(),
            datasets: std::sync::OnceLock::new(),
            sweeping: tokio::sync::Mutex::new(()),
            clock,
            use_lease: true,
            plan_changes: tokio::sync::watch::Sender::new(0),
            stats: SweepStats::default(),
        }
    }

    /// Real sweeps and what they did, for `/metrics`.
    pub fn stats(&self) -> &SweepStats {
        &self.stats
    }

    /// After a real sweep, whether it ended well or not.
    fn swept(&self, result: &Result<SweepReport, RetentionError>) {
        self.plan_changed();
        if let Ok(report) = result {
            self.stats
                .record(report, crate::telemetry::unix_seconds(self.clock.now()));
        }
    }

    /// Moves on after every sweep and every legal hold placed or released, so that a
    /// plan kept from before ([`super::outlook`]) is known to be stale.
    pub fn plan_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.plan_changes.subscribe()
    }

    fn plan_changed(&self) {
        self.plan_changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// For a process that holds a lock keeping every other sweeper of its database
    /// out (the embedded database's serve lock, which the kernel drops if the process
    /// dies): sweeps skip the store's lease, so a sweep killed half-way is resumed at
    /// once rather than when its lease runs out.
    pub fn locked_elsewhere(mut self) -> Retention {
        self.use_lease = false;
        self
    }

    /// Lets sweeps reach the datasets' tables that retention rules keep; set once.
    pub fn set_datasets(
        &self,
        datasets: Arc<Vec<custodia_connectors::Connected>>,
        pseudonym: Pseudonym,
    ) {
        let _ = self.datasets.set((datasets, pseudonym));
    }

    /// Sends the messages of rules that ask again before deleting; set once, when
    /// the outbox is open.
    pub fn set_asker(&self, asker: Arc<dyn AskAgain>) {
        let _ = self.asker.set(asker);
    }

    pub fn planner(&self) -> &Planner {
        &self.planner
    }

    async fn active_holds(&self) -> Result<Holds, StoreError> {
        let holds = self.store.legal_holds().await?;
        Ok(Holds::new(
            holds
                .into_iter()
                .filter(|h| h.released_at.is_none())
                .map(|h| Hold {
                    subject_id: h.subject_id,
                    rule_id: h.rule_id,
                }),
        ))
    }

    /// Applies (or with `dry_run` only counts) every step due at `now`: subjects
    /// page by page, then expired opposition entries and requests past their keeping.
    /// `progress` is told the number of subjects scanned after each page.
    pub async fn sweep(
        &self,
        now: OffsetDateTime,
        dry_run: bool,
        page_size: u32,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<SweepReport, RetentionError> {
        let _one_at_a_time = self.sweeping.lock().await;
        if dry_run {
            return self
                .sweep_leased(now, true, page_size, progress, None)
                .await;
        }
        if !self.use_lease {
            let result = self
                .sweep_leased(now, false, page_size, progress, None)
                .await;
            self.swept(&result);
            return result;
        }
        let holder = uuid::Uuid::now_v7().to_string();
        self.renew_lease(&holder).await?;
        let result = self
            .sweep_leased(now, false, page_size, progress, Some(&holder))
            .await;
        // Best effort: an unreleased lease expires on its own.
        let _ = self.store.release_lease(SWEEP_LEASE, &holder).await;
        self.swept(&result);
        result
    }

    async fn renew_lease(&self, holder: &str) -> Result<(), RetentionError> {
        let wall = self.clock.now();
        if self
            .store
            .acquire_lease(SWEEP_LEASE, holder, wall, wall + SWEEP_LEASE_TIME)
            .await?
        {
            Ok(())
        } else {
            Err(RetentionError::Busy)
        }
    }

    async fn sweep_leased(
        &self,
        now: OffsetDateTime,
        dry_run: bool,
        page_size: u32,
        progress: &(dyn Fn(u64) + Send + Sync),
        lease: Option<&str>,
    ) -> Result<SweepReport, RetentionError> {
        let mut renewed_at = self.clock.now();
        let holds = self.active_holds().await?;
        let mut report = SweepReport::new(now, dry_run);
        let mut steps = Vec::new();
        let page_size = page_size.max(1);
        let mut page = self.store.retention_facts_page(None, page_size).await?;
        // Pipelined: while page N's keys are deleted and page N+1 is read, page N-1's
        // data commits. Each page's keys still go before its own data commit, and the
        // pages hold different subjects.
        let mut previous: Option<Job> = None;
        while let Some(last) = page.last() {
            let after = last.subject_id.clone();
            let mut work = PageWork::default();
            for facts in &page {
                self.plan_subject(facts, now, &holds, &mut steps, &mut work, &mut report);
            }
            report.subjects_scanned += page.len() as u64;
            let next = self.store.retention_facts_page(Some(&after), page_size);
            if dry_run {
                page = next.await?;
            } else {
                self.ask(&mut work, now).await?;
                let (keys, job) = work.into_parts(now);
                let (committed, deleted, next) =
                    tokio::join!(self.submit(previous.take()), self.delete_keys(keys), next);
                committed?;
                deleted?;
                page = next?;
                previous = Some(job);
                if let Some(holder) = lease
                    && self.clock.now() - renewed_at > SWEEP_LEASE_TIME / 2
                {
                    self.renew_lease(holder).await?;
                    renewed_at = self.clock.now();
                }
            }
            progress(report.subjects_scanned);
        }
        self.submit(previous).await?;
        self.purge_opposition(now, dry_run, &mut report).await?;
        self.purge_requests(now, dry_run, &mut report).await?;
        self.sweep_datasets(now, dry_run, &holds, &mut report)
            .await?;
        Ok(report)
    }

    /// Decides what is due for one subject and adds it to the page's work.
    fn plan_subject(
        &self,
        facts: &RetentionFacts,
        now: OffsetDateTime,
        holds: &Holds,
        steps: &mut Vec<Step>,
        work: &mut PageWork,
        report: &mut SweepReport,
    ) {
        let id = facts.subject_id.as_str();
        if self.erase_child(facts, now, holds, work, report) {
            return;
        }
        let view = SubjectFacts {
            kind: &facts.kind,
            created_at: facts.created_at,
            categories: &facts.categories,
            events: &facts.events,
            progress: &facts.progress,
        };
        self.planner.steps(id, &view, holds, steps);
        let mut finals: Vec<&Step> = Vec::new();
        for step in steps.iter().take_while(|s| s.at <= now) {
            match step.action {
                StepAction::Archive => {
                    report.rule(&step.rule).archived += 1;
                    work.count(&step.rule, &facts.kind, step.action);
                    work.writes
                        .push(step_done(id, &step.rule, step.index, "archive", now));
                    work.audit.push(
                        AuditRecord::new(
                            now,
                            RETENTION_PRINCIPAL,
                            AuditAction::RetentionArchive,
                            "ok",
                        )
                        .subject(id)
                        .categories(step.categories.iter().cloned())
                        .detail(format!(
                            "rule {}: archive phase {}, readable by {}",
                            step.rule,
                            step.index,
                            step.readers.join(", ")
                        )),
                    );
                }
                StepAction::Delete | StepAction::Anonymise | StepAction::AskAgain if step.held => {
                    report.rule(&step.rule).held += 1;
                }
                StepAction::AskAgain => {
                    report.rule(&step.rule).asked += 1;
                    work.count(&step.rule, &facts.kind, step.action);
                    work.asks.push(Ask {
                        subject_id: id.to_owned(),
                        rule: step.rule.clone(),
                        index: step.index,
                        delete_at: self
                            .planner
                            .answer_within(&step.rule)
                            .and_then(|w| w.after(now)),
                    });
                }
                StepAction::Delete | StepAction::Anonymise => finals.push(step),
            }
        }
        if finals.is_empty() {
            return;
        }
        let deletable = self.planner.deletable(id, &view, now, holds);
        let erase_whole = deletable.len() == facts.categories.len();
        for step in &finals {
            let tally = report.rule(&step.rule);
            if step.action == StepAction::Anonymise {
                tally.anonymised += 1;
            } else {
                tally.deleted += 1;
            }
            work.count(&step.rule, &facts.kind, step.action);
            // An erased subject leaves the scan: its steps need no record.
            if !erase_whole {
                work.writes.push(step_done(
                    id,
                    &step.rule,
                    step.index,
                    action_name(step.action),
                    now,
                ));
            }
        }
        if deletable.is_empty() {
            // Another rule still keeps these categories; its own step will delete them.
            return;
        }
        let rules = finals
            .iter()
            .map(|s| format!("{} ({})", s.rule, action_name(s.action)))
            .collect::<Vec<_>>()
            .join(", ");
        if erase_whole {
            report.subjects_erased += 1;
            work.keys.push(id.to_owned());
            work.writes.push(Write::EraseSubject {
                subject_id: id.to_owned(),
                erased_at: now,
            });
            work.audit.push(
                AuditRecord::new(now, RETENTION_PRINCIPAL, AuditAction::RetentionErase, "ok")
                    .subject(id)
                    .categories(deletable)
                    .detail(format!(
                        "rules {rules}: every category due, data key destroyed"
                    )),
            );
        } else {
            report.subjects_reduced += 1;
            let kept_kinds: BTreeSet<&str> = facts
                .categories
                .iter()
                .filter(|c| deletable.binary_search(c).is_err())
                .filter_map(|c| self.index_kind.get(c).copied())
                .collect();
            let index_kinds: BTreeSet<String> = deletable
                .iter()
                .filter_map(|c| self.index_kind.get(c).copied())
                .filter(|k| !kept_kinds.contains(k))
                .map(str::to_owned)
                .collect();
            work.writes.push(Write::UpdateSubject {
                subject_id: id.to_owned(),
                kind: None,
                set: Vec::new(),
                remove: deletable.clone(),
                index_kinds: index_kinds.into_iter().collect(),
                indexes: Vec::new(),
                updated_at: now,
            });
            work.audit.push(
                AuditRecord::new(now, RETENTION_PRINCIPAL, AuditAction::RetentionDelete, "ok")
                    .subject(id)
                    .categories(deletable)
                    .detail(format!("rules {rules}: these categories deleted")),
            );
        }
    }

    /// Rows of the datasets' tables past the retention rule that keeps them: each
    /// table's erasure strategies applied in one transaction per table, audited with
    /// counts only; a legal hold on the rule stops it. A dataset that fails is
    /// reported by the error and swept again next time.
    async fn sweep_datasets(
        &self,
        now: OffsetDateTime,
        dry_run: bool,
        holds: &Holds,
        report: &mut SweepReport,
    ) -> Result<(), RetentionError> {
        let Some((datasets, pseudonym)) = self.datasets.get() else {
            return Ok(());
        };
        let failed =
            |e: custodia_connectors::ConnectorError| RetentionError::Dataset(e.to_string());
        for connected in datasets.iter() {
            if !connected.spec.tables.iter().any(|t| t.retention.is_some()) {
                continue;
            }
            let Some(dataset) = connected.sql().await.map_err(failed)? else {
                continue;
            };
            for table in &connected.spec.tables {
                let Some(kept) = &table.retention else {
                    continue;
                };
                let Some(phases) = self.planner.phase_durations(&kept.rule) else {
                    continue;
                };
                if holds.holds("", &kept.rule) {
                    continue;
                }
                let found = dataset.expired(table, &phases, now).await.map_err(failed)?;
                let plan = dataset
                    .plan_retention_end(&found, pseudonym.as_ref())
                    .await
                    .map_err(failed)?;
                if plan.is_empty() {
                    continue;
                }
                let rows: usize = plan
                    .tables
                    .iter()
                    .map(|t| t.rows_deleted + t.rows_updated)
                    .sum();
                report.rule(&kept.rule).deleted += rows as u64;
                if dry_run {
                    continue;
                }
                dataset.apply(&plan).await.map_err(failed)?;
                self.writer
                    .submit(Job {
                        keys: Vec::new(),
                        writes: Vec::new(),
                        audit: vec![
                            AuditRecord::new(
                                now,
                                RETENTION_PRINCIPAL,
                                AuditAction::RetentionDataset,
                                "ok",
                            )
                            .detail(format!(
                                "rule {}: dataset {}: {}",
                                kept.rule,
                                connected.spec.id,
                                plan.summary()
                            )),
                        ],
                    })
                    .await?;
            }
        }
        Ok(())
    }

    /// Carries out the page's "ask again" steps: the message to each person (or an
    /// audit saying there was no address), and the step recorded, in the page's commit.
    async fn ask(&self, work: &mut PageWork, now: OffsetDateTime) -> Result<(), RetentionError> {
        for ask in std::mem::take(&mut work.asks) {
            let message = match (self.asker.get(), ask.delete_at) {
                (Some(asker), Some(delete_at)) => {
                    asker
                        .message(&ask.subject_id, &ask.rule, delete_at, now)
                        .await?
                }
                _ => None,
            };
            let delete_on = ask
                .delete_at
                .map(|at| at.date().to_string())
                .unwrap_or_default();
            let record = match message {
                Some((category, write)) => {
                    work.writes.push(write);
                    AuditRecord::new(now, RETENTION_PRINCIPAL, AuditAction::RetentionAskAgain, "ok")
                        .categories([category])
                        .detail(format!(
                            "rule {}: asked whether to keep the data; deleted on {delete_on} without an answer",
                            ask.rule
                        ))
                }
                None => AuditRecord::new(
                    now,
                    RETENTION_PRINCIPAL,
                    AuditAction::RetentionAskAgain,
                    "not_sent",
                )
                .detail(format!(
                    "rule {}: no e-mail address or no outbox to ask at; deleted on {delete_on}",
                    ask.rule
                )),
            };
            work.audit.push(record.subject(&ask.subject_id));
            work.writes.push(step_done(
                &ask.subject_id,
                &ask.rule,
                ask.index,
                "ask_again",
                now,
            ));
        }
        Ok(())
    }

    /// Erases a subject found below the age of digital consent when no parent has
    /// consented within the register's delay; true when it did (or a hold kept it).
    fn erase_child(
        &self,
        facts: &RetentionFacts,
        now: OffsetDateTime,
        holds: &Holds,
        work: &mut PageWork,
        report: &mut SweepReport,
    ) -> bool {
        let Some(delay) = &self.children_delay else {
            return false;
        };
        let Some(due) = child_erasure_due(&facts.events, delay) else {
            return false;
        };
        if due > now {
            return false;
        }
        let id = facts.subject_id.as_str();
        if holds.holds(id, CHILDREN_RULE) {
            report.rule(CHILDREN_RULE).held += 1;
            return false;
        }
        report.rule(CHILDREN_RULE).deleted += 1;
        report.subjects_erased += 1;
        work.count(CHILDREN_RULE, &facts.kind, StepAction::Delete);
        work.keys.push(id.to_owned());
        work.writes.push(Write::EraseSubject {
            subject_id: id.to_owned(),
            erased_at: now,
        });
        work.audit.push(
            AuditRecord::new(
                now,
                RETENTION_PRINCIPAL,
                AuditAction::RetentionChildErase,
                "ok",
            )
            .subject(id)
            .categories(facts.categories.iter().cloned())
            .detail(format!(
                "below the age of digital consent and no parental consent within {delay}: data key destroyed"
            )),
        );
        true
    }

    async fn delete_keys(&self, subject_ids: Vec<String>) -> Result<(), RetentionError> {
        if !subject_ids.is_empty() {
            self.keys.delete_data_keys(&subject_ids).await?;
        }
        Ok(())
    }

    async fn submit(&self, job: Option<Job>) -> Result<(), RetentionError> {
        match job {
            Some(job) if !(job.writes.is_empty() && job.audit.is_empty()) => {
                Ok(self.writer.submit(job).await?)
            }
            _ => Ok(()),
        }
    }

    async fn purge_opposition(
        &self,
        now: OffsetDateTime,
        dry_run: bool,
        report: &mut SweepReport,
    ) -> Result<(), RetentionError> {
        let mut expired = 0u64;
        let mut after: Option<Vec<u8>> = None;
        loop {
            let page = self
                .store
                .opposition_page(after.as_deref(), DEFAULT_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.digest.clone());
            expired += page.iter().filter(|e| e.expires_at <= now).count() as u64;
        }
        report.opposition_entries_purged = expired;
        if expired == 0 || dry_run {
            return Ok(());
        }
        self.writer
            .submit(Job {
                keys: Vec::new(),
                writes: vec![Write::PurgeOpposition { expired_by: now }],
                audit: vec![
                    AuditRecord::new(
                        now,
                        RETENTION_PRINCIPAL,
                        AuditAction::RetentionOppositionPurge,
                        "ok",
                    )
                    .detail(format!("{expired} opposition entries past their keeping")),
                ],
            })
            .await?;
        Ok(())
    }

    /// Closed rights requests (and post-mortem directives) past their rule's end, and
    /// requests never verified once their code expired plus
    /// [`crate::rights::UNVERIFIED_KEPT`]. Each request's data key (its sealed
    /// address and content) is deleted first, then its rows.
    async fn purge_requests(
        &self,
        now: OffsetDateTime,
        dry_run: bool,
        report: &mut SweepReport,
    ) -> Result<(), RetentionError> {
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .rights_requests_page(after.as_deref(), DEFAULT_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            let mut ids = Vec::new();
            let mut writes = Vec::new();
            let mut audit = Vec::new();
            for request in &page {
                // A kind no longer known (a right since removed) is kept as requests are.
                let category = crate::rights::parse_right(&request.kind)
                    .map_or(REQUEST_CATEGORY, |r| crate::rights::rules::rules(r).kept_as);
                let record = if request.status == UNVERIFIED_STATUS {
                    if crate::rights::unverified_purge_at(request.received_at) > now {
                        continue;
                    }
                    report.unverified_requests_purged += 1;
                    AuditRecord::new(
                        now,
                        RETENTION_PRINCIPAL,
                        AuditAction::RetentionRequestPurge,
                        "ok",
                    )
                    .categories([category])
                    .detail(format!(
                        "request {} never verified: purged once its code expired",
                        request.id
                    ))
                } else {
                    let Some(closed) = request.closed_at else {
                        continue;
                    };
                    let Some((rule, end)) = self.planner.request_end(category, closed) else {
                        continue;
                    };
                    if end > now {
                        continue;
                    }
                    report.rule(&rule).requests_deleted += 1;
                    AuditRecord::new(
                        now,
                        RETENTION_PRINCIPAL,
                        AuditAction::RetentionRequestDelete,
                        "ok",
                    )
                    .categories([category])
                    .detail(format!("rule {rule}: request {} deleted", request.id))
                };
                ids.push(request.id.clone());
                writes.push(Write::DeleteRightsRequest {
                    id: request.id.clone(),
                });
                audit.push(match &request.subject_id {
                    Some(subject) => record.subject(subject),
                    None => record,
                });
            }
            if !dry_run && !writes.is_empty() {
                // Killed between the two, the next sweep deletes the rows (a missing
                // key is fine), as it does for subjects.
                self.delete_keys(ids).await?;
                self.writer
                    .submit(Job {
                        keys: Vec::new(),
                        writes,
                        audit,
                    })
                    .await?;
            }
        }
        Ok(())
    }

    /// Steps falling due in `[from, to)`, by time then subject, at most `limit`, and
    /// whether the list was cut there.
    pub async fn plan(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: usize,
    ) -> Result<(Vec<PlannedStep>, bool), RetentionError> {
        if to <= from {
            return Err(invalid("to", "must be after `from`"));
        }
        let holds = self.active_holds().await?;
        let mut planned = Vec::new();
        let mut after: Option<String> = None;
        let mut steps = Vec::new();
        loop {
            let page = self
                .store
                .retention_facts_page(after.as_deref(), DEFAULT_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.subject_id.clone());
            for facts in &page {
                let view = SubjectFacts {
                    kind: &facts.kind,
                    created_at: facts.created_at,
                    categories: &facts.categories,
                    events: &facts.events,
                    progress: &facts.progress,
                };
                self.planner
                    .steps(&facts.subject_id, &view, &holds, &mut steps);
                planned.extend(steps.iter().filter(|s| s.at >= from && s.at < to).map(|s| {
                    PlannedStep {
                        subject_id: facts.subject_id.clone(),
                        rule: s.rule.to_string(),
                        step: s.index,
                        action: action_name(s.action),
                        at: s.at,
                        categories: s.categories.clone(),
                        readers: s.readers.clone(),
                        held: s.held,
                    }
                }));
            }
            // Keep memory bounded: only the earliest `limit` (+1 to know it was cut).
            if planned.len() > limit.saturating_mul(2).max(1024) {
                sort_plan(&mut planned);
                planned.truncate(limit + 1);
            }
        }
        sort_plan(&mut planned);
        let cut = planned.len() > limit;
        planned.truncate(limit);
        Ok((planned, cut))
    }

    /// The retention of each category the subject holds at `now` (by category): its
    /// phase and the next step after `now`, from the planner the sweep and the plan
    /// use. Steps already done are not read: none after `now` can be (a sweep acts
    /// only on what is due), and what is due and not yet done shows in the phase.
    /// Empty for a subject unknown or erased.
    pub async fn subject_retention(
        &self,
        subject_id: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<CategoryRetention>, RetentionError> {
        let Some(stored) = self.store.subject(subject_id).await? else {
            return Ok(Vec::new());
        };
        if stored.record.erased_at.is_some() {
            return Ok(Vec::new());
        }
        let mut categories: Vec<String> =
            stored.fields.iter().map(|f| f.category.clone()).collect();
        categories.sort();
        categories.dedup();
        let events = super::latest_events(&stored.events);
        let facts = SubjectFacts {
            kind: &stored.record.kind,
            created_at: stored.record.created_at,
            categories: &categories,
            events: &events,
            progress: &[],
        };
        let holds = self.active_holds().await?;
        let mut steps = Vec::new();
        self.planner.steps(subject_id, &facts, &holds, &mut steps);
        Ok(self
            .planner
            .phases(&facts, now)
            .into_iter()
            .map(|(category, phase)| {
                // Steps are sorted by time: the first after `now` covering it.
                let next = steps
                    .iter()
                    .find(|s| s.at > now && s.categories.contains(&category))
                    .map(|s| PlannedStep {
                        subject_id: subject_id.to_owned(),
                        rule: s.rule.to_string(),
                        step: s.index,
                        action: action_name(s.action),
                        at: s.at,
                        categories: s.categories.clone(),
                        readers: s.readers.clone(),
                        held: s.held,
                    });
                CategoryRetention {
                    category,
                    phase,
                    next,
                }
            })
            .collect())
    }

    /// Every legal hold, released ones included.
    pub async fn holds(&self) -> Result<Vec<LegalHold>, RetentionError> {
        Ok(self.store.legal_holds().await?)
    }

    /// Places a hold; audited under the principal who placed it.
    pub async fn place_hold(
        &self,
        who: &Principal,
        new: NewHold,
        now: OffsetDateTime,
    ) -> Result<LegalHold, RetentionError> {
        let reason = new.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(invalid("reason", "say why the data must be kept"));
        }
        if reason.len() > custodia_store::retention::MAX_HOLD_REASON_LEN {
            return Err(invalid("reason", "at most 1000 bytes"));
        }
        if reason.contains('\0') {
            return Err(invalid("reason", "must not contain a NUL character"));
        }
        if new.subject_id.is_none() && new.rule_id.is_none() {
            return Err(invalid(
                "subject_id",
                "name a subject, a rule (rule_id), or both",
            ));
        }
        if let Some(rule) = &new.rule_id
            && !self.rule_ids.contains(rule)
        {
            return Err(invalid(
                "rule_id",
                format!("no retention rule `{rule}` in the register"),
            ));
        }
        if let Some(subject) = &new.subject_id {
            let found = self.store.subject(subject).await?;
            if found.is_none_or(|s| s.record.erased_at.is_some()) {
                return Err(invalid("subject_id", "no such subject (or it is erased)"));
            }
        }
        let hold = LegalHold {
            id: uuid::Uuid::now_v7().to_string(),
            subject_id: new.subject_id,
            rule_id: new.rule_id,
            reason,
            created_at: now,
            created_by: who.id.clone(),
            released_at: None,
            released_by: None,
        };
        self.store_hold(who, AuditAction::RetentionHold, hold, now)
            .await
    }

    /// Releases a hold: retention resumes for what it covered at the next sweep.
    pub async fn release_hold(
        &self,
        who: &Principal,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<LegalHold, RetentionError> {
        let mut hold = self
            .store
            .legal_holds()
            .await?
            .into_iter()
            .find(|h| h.id == id)
            .ok_or(RetentionError::HoldNotFound)?;
        if hold.released_at.is_some() {
            return Err(RetentionError::HoldReleased);
        }
        hold.released_at = Some(now);
        hold.released_by = Some(who.id.clone());
        self.store_hold(who, AuditAction::RetentionHoldRelease, hold, now)
            .await
    }

    /// Stores a hold (new or released) with the audit entry of `action`.
    async fn store_hold(
        &self,
        who: &Principal,
        action: AuditAction,
        hold: LegalHold,
        now: OffsetDateTime,
    ) -> Result<LegalHold, RetentionError> {
        let mut record = AuditRecord::new(now, &who.id, action, "ok").detail(format!(
            "hold {} on rule {}",
            hold.id,
            hold.rule_id.as_deref().unwrap_or("(every rule)")
        ));
        if let Some(subject) = &hold.subject_id {
            record = record.subject(subject);
        }
        self.writer
            .submit(Job {
                keys: Vec::new(),
                writes: vec![Write::PutLegalHold(hold.clone())],
                audit: vec![record],
            })
            .await?;
        self.plan_changed();
        Ok(hold)
    }
}

fn step_done(subject: &str, rule: &str, step: u32, action: &str, now: OffsetDateTime) -> Write {
    Write::RecordRetentionStep(RetentionStepDone {
        subject_id: subject.to_owned(),
        rule: rule.to_owned(),
        step,
        action: action.to_owned(),
        done_at: now,
    })
}

fn sort_plan(planned: &mut [PlannedStep]) {
    planned.sort_by(|a, b| {
        (a.at, &a.subject_id, &a.rule, a.step).cmp(&(b.at, &b.subject_id, &b.rule, b.step))
    });
}
