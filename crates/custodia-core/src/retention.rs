//! The retention planner: what the register's `[[retention]]` rules ask to do with one
//! subject's data, and when. Pure: no store, no IO, no clock (`now` is a parameter);
//! the caller converts its records into [`SubjectFacts`].
//!
//! Semantics:
//! - A rule applies to a subject when its `subjects` is empty or contains the subject's
//!   kind, and concerns it only when it covers at least one category the subject holds.
//! - Trigger time: the latest event named like the trigger (its snake_case name; a custom
//!   trigger is its own name). `last_contact` falls back to `collected`, then to the
//!   subject's creation; `collected` falls back to the creation. `account_closed` counts
//!   only when no later `account_opened` exists (a reopened account is not closed). Any
//!   other trigger without its event: the rule is not triggered (the data is kept
//!   "before trigger") and gives no step.
//! - Steps of a triggered rule with phases p1..pn of durations d1..dn: step k (1-based)
//!   for each archive phase k, at trigger + d1 + .. + d(k-1) (entering the phase), action
//!   Archive, readers the phase's `access`; active phases give no step. The final step,
//!   index n+1, at trigger + d1 + .. + dn, deletes or anonymises (`then`). Durations are
//!   added one after another with [`IsoDuration::after`], the one calendar arithmetic
//!   (P90D then P3Y then P5Y = ((t + 90d) + 3y) + 5y). An instant past the year 9999
//!   gives no step.
//! - A step is due when `at <= now`: it acts on the right day, not the day before.
//! - Holds: a Delete or Anonymise step is `held` when a hold matches (subject, rule); an
//!   Archive step is never held (archiving restricts access, it destroys nothing).
//! - Deletion by category (two rules may cover one category, such as card proof after a
//!   debit and after a deferred debit): a held category is deletable at `now` when among
//!   the applicable rules covering it at least one is triggered, has its final step at or
//!   before `now` and is not held, and no triggered covering rule has its final step after
//!   `now` or is held. Untriggered rules do not keep a category once another covering rule
//!   has run its course. A category no applicable rule covers is never deletable.
//! - Phase of a held category at `now`: Active without a triggered covering rule, or when
//!   any triggered covering rule is in an active phase (or not yet past its trigger); else
//!   Archive with the union of the readers of the rules in an archive phase; else Expired.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use custodia_register::{FinalAction, IsoDuration, Register, Stage, Trigger};
use time::OffsetDateTime;

/// A borrowed view of one subject, as the planner needs it.
#[derive(Debug, Clone, Copy)]
pub struct SubjectFacts<'a> {
    /// Subject kind id.
    pub kind: &'a str,
    pub created_at: OffsetDateTime,
    /// Categories the subject holds fields of, sorted.
    pub categories: &'a [String],
    /// Latest time of each lifecycle event name.
    pub events: &'a [(String, OffsetDateTime)],
    /// (rule id, highest step index already done).
    pub progress: &'a [(String, u32)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAction {
    Archive,
    Delete,
    Anonymise,
}

/// One thing a rule asks to do with a subject's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Rule id; shared with the planner so that planning does not copy it.
    pub rule: Arc<str>,
    /// 1-based; archive phases have their phase number, the final step n + 1.
    pub index: u32,
    pub at: OffsetDateTime,
    pub action: StepAction,
    /// Categories of the rule the subject holds, sorted.
    pub categories: Vec<String>,
    /// For Archive: roles allowed to read, sorted.
    pub readers: Vec<String>,
    /// A hold stops this step (never set on Archive).
    pub held: bool,
}

/// A legal hold; `None` matches any subject or any rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub subject_id: Option<String>,
    pub rule_id: Option<String>,
}

/// The holds in force, indexed for lookup by (subject, rule).
#[derive(Debug, Clone, Default)]
pub struct Holds {
    everything: bool,
    subjects: HashSet<String>,
    rules: HashSet<String>,
    pairs: HashMap<String, HashSet<String>>,
}

impl Holds {
    pub fn new(holds: impl IntoIterator<Item = Hold>) -> Holds {
        let mut out = Holds::default();
        for hold in holds {
            match (hold.subject_id, hold.rule_id) {
                (None, None) => out.everything = true,
                (Some(s), None) => {
                    out.subjects.insert(s);
                }
                (None, Some(r)) => {
                    out.rules.insert(r);
                }
                (Some(s), Some(r)) => {
                    out.pairs.entry(s).or_default().insert(r);
                }
            }
        }
        out
    }

    pub fn holds(&self, subject_id: &str, rule_id: &str) -> bool {
        self.everything
            || self.subjects.contains(subject_id)
            || self.rules.contains(rule_id)
            || self
                .pairs
                .get(subject_id)
                .is_some_and(|rules| rules.contains(rule_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryPhase {
    Active,
    Archive { readers: Vec<String> },
    Expired,
}

/// How a rule finds its trigger time; the fallbacks are decided once here.
#[derive(Debug, Clone)]
enum TriggerKind {
    Collected,
    LastContact,
    AccountClosed,
    Event(String),
}

#[derive(Debug, Clone)]
struct Phase {
    duration: IsoDuration,
    stage: Stage,
    readers: Vec<String>,
}

#[derive(Debug, Clone)]
struct Rule {
    id: Arc<str>,
    /// Sorted, deduplicated.
    categories: Vec<String>,
    trigger: TriggerKind,
    phases: Vec<Phase>,
    then: FinalAction,
}

impl Rule {
    fn covers(&self, category: &str) -> bool {
        self.categories
            .binary_search_by(|c| c.as_str().cmp(category))
            .is_ok()
    }

    fn covers_any(&self, held: &[String]) -> bool {
        self.categories
            .iter()
            .any(|c| held.binary_search(c).is_ok())
    }

    fn held_categories(&self, held: &[String]) -> Vec<String> {
        self.categories
            .iter()
            .filter(|c| held.binary_search(c).is_ok())
            .cloned()
            .collect()
    }

    fn trigger_time(&self, subject: &SubjectFacts) -> Option<OffsetDateTime> {
        match &self.trigger {
            TriggerKind::Collected => {
                Some(event(subject, "collected").unwrap_or(subject.created_at))
            }
            TriggerKind::LastContact => Some(
                event(subject, "last_contact")
                    .or_else(|| event(subject, "collected"))
                    .unwrap_or(subject.created_at),
            ),
            TriggerKind::AccountClosed => {
                let closed = event(subject, "account_closed")?;
                match event(subject, "account_opened") {
                    Some(opened) if opened > closed => None,
                    _ => Some(closed),
                }
            }
            TriggerKind::Event(name) => event(subject, name),
        }
    }

    /// Instant the final step is due; `None` past the year 9999.
    fn final_at(&self, trigger: OffsetDateTime) -> Option<OffsetDateTime> {
        self.phases
            .iter()
            .try_fold(trigger, |at, phase| phase.duration.after(at))
    }

    /// The phase in force at `now`: `None` once the last phase has ended.
    fn phase_at(&self, trigger: OffsetDateTime, now: OffsetDateTime) -> Option<&Phase> {
        let mut start = trigger;
        for phase in &self.phases {
            match phase.duration.after(start) {
                Some(end) if end <= now => start = end,
                // A phase that ends past the year 9999 lasts for ever.
                _ => return Some(phase),
            }
        }
        None
    }
}

/// Latest time of the event `name`.
fn event(subject: &SubjectFacts, name: &str) -> Option<OffsetDateTime> {
    subject
        .events
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, at)| *at)
        .max()
}

fn trigger_kind(trigger: &Trigger) -> TriggerKind {
    let name = match trigger {
        Trigger::Collected => return TriggerKind::Collected,
        Trigger::LastContact => return TriggerKind::LastContact,
        Trigger::AccountClosed => return TriggerKind::AccountClosed,
        Trigger::AccountOpened => "account_opened",
        Trigger::LastConnection => "last_connection",
        Trigger::Transaction => "transaction",
        Trigger::Debit => "debit",
        Trigger::DeferredDebit => "deferred_debit",
        Trigger::Invoice => "invoice",
        Trigger::ConsentGiven => "consent_given",
        Trigger::IdentityVerified => "identity_verified",
        Trigger::RequestClosed => "request_closed",
        Trigger::OppositionRecorded => "opposition_recorded",
        Trigger::ContractEnd => "contract_end",
        Trigger::Custom(name) => name.as_str(),
    };
    TriggerKind::Event(name.to_owned())
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The register's retention rules, indexed by subject kind.
#[derive(Debug, Clone)]
pub struct Planner {
    rules: Vec<Rule>,
    /// Rules applying to each kind named by a rule or declared in the register.
    by_kind: HashMap<String, Vec<usize>>,
    /// Rules for every kind, for a kind no rule names.
    general: Vec<usize>,
}

impl Planner {
    pub fn new(register: &Register) -> Planner {
        let rules: Vec<Rule> = register
            .retention
            .iter()
            .map(|r| Rule {
                id: Arc::from(r.id.as_str()),
                categories: sorted(r.categories.clone()),
                trigger: trigger_kind(&r.trigger),
                phases: r
                    .phases
                    .iter()
                    .map(|p| Phase {
                        duration: p.duration,
                        stage: p.stage,
                        readers: sorted(p.access.clone()),
                    })
                    .collect(),
                then: r.then,
            })
            .collect();
        let general: Vec<usize> = (0..rules.len())
            .filter(|&i| register.retention[i].subjects.is_empty())
            .collect();
        let kinds = register.subject_kinds.iter().map(|k| k.id.as_str()).chain(
            register
                .retention
                .iter()
                .flat_map(|r| r.subjects.iter().map(String::as_str)),
        );
        let mut by_kind = HashMap::new();
        for kind in kinds {
            if by_kind.contains_key(kind) {
                continue;
            }
            let applicable: Vec<usize> = (0..rules.len())
                .filter(|&i| {
                    let subjects = &register.retention[i].subjects;
                    subjects.is_empty() || subjects.iter().any(|s| s == kind)
                })
                .collect();
            by_kind.insert(kind.to_owned(), applicable);
        }
        Planner {
            rules,
            by_kind,
            general,
        }
    }

    fn applicable<'s>(&'s self, kind: &str) -> impl Iterator<Item = &'s Rule> + 's {
        self.by_kind
            .get(kind)
            .unwrap_or(&self.general)
            .iter()
            .map(|&i| &self.rules[i])
    }

    /// Replaces `out` with the steps not yet done (index above the rule's progress),
    /// sorted by `at`, of the rules that apply to the subject's kind and cover at least
    /// one category it holds.
    pub fn steps(
        &self,
        subject_id: &str,
        subject: &SubjectFacts,
        holds: &Holds,
        out: &mut Vec<Step>,
    ) {
        out.clear();
        for rule in self.applicable(subject.kind) {
            if !rule.covers_any(subject.categories) {
                continue;
            }
            let Some(trigger) = rule.trigger_time(subject) else {
                continue;
            };
            let done = subject
                .progress
                .iter()
                .find(|(id, _)| **id == *rule.id)
                .map_or(0, |(_, step)| *step);
            let final_index = rule.phases.len() as u32 + 1;
            if done >= final_index {
                continue;
            }
            let categories = rule.held_categories(subject.categories);
            let mut at = Some(trigger);
            for (k, phase) in rule.phases.iter().enumerate() {
                let Some(start) = at else { break };
                let index = k as u32 + 1;
                if phase.stage == Stage::Archive && index > done {
                    out.push(Step {
                        rule: rule.id.clone(),
                        index,
                        at: start,
                        action: StepAction::Archive,
                        categories: categories.clone(),
                        readers: phase.readers.clone(),
                        held: false,
                    });
                }
                at = phase.duration.after(start);
            }
            if let Some(at) = at {
                out.push(Step {
                    rule: rule.id.clone(),
                    index: final_index,
                    at,
                    action: match rule.then {
                        FinalAction::Delete => StepAction::Delete,
                        FinalAction::Anonymise => StepAction::Anonymise,
                    },
                    categories,
                    readers: Vec::new(),
                    held: holds.holds(subject_id, &rule.id),
                });
            }
        }
        out.sort_by_key(|s| s.at);
    }

    /// Categories of `subject` to delete at `now`, sorted (see the module's rule).
    pub fn deletable(
        &self,
        subject_id: &str,
        subject: &SubjectFacts,
        now: OffsetDateTime,
        holds: &Holds,
    ) -> Vec<String> {
        // Per triggered rule touching the subject: whether it lets its categories go.
        let verdicts: Vec<(&Rule, bool)> = self
            .applicable(subject.kind)
            .filter(|r| r.covers_any(subject.categories))
            .filter_map(|r| {
                let trigger = r.trigger_time(subject)?;
                let ran = r.final_at(trigger).is_some_and(|at| at <= now)
                    && !holds.holds(subject_id, &r.id);
                Some((r, ran))
            })
            .collect();
        subject
            .categories
            .iter()
            .filter(|c| {
                let mut covering = verdicts.iter().filter(|(r, _)| r.covers(c)).peekable();
                covering.peek().is_some() && covering.all(|(_, ran)| *ran)
            })
            .cloned()
            .collect()
    }

    /// Phase of each held category at `now`, for filtering reads by role.
    pub fn phases(
        &self,
        subject: &SubjectFacts,
        now: OffsetDateTime,
    ) -> Vec<(String, CategoryPhase)> {
        let rules: Vec<(&Rule, OffsetDateTime)> = self
            .applicable(subject.kind)
            .filter(|r| r.covers_any(subject.categories))
            .filter_map(|r| Some((r, r.trigger_time(subject)?)))
            .collect();
        subject
            .categories
            .iter()
            .map(|c| {
                let mut triggered = false;
                let mut active = false;
                let mut readers: Vec<String> = Vec::new();
                let mut archived = false;
                for (rule, trigger) in rules.iter().filter(|(r, _)| r.covers(c)) {
                    triggered = true;
                    if now < *trigger {
                        active = true;
                        continue;
                    }
                    match rule.phase_at(*trigger, now) {
                        Some(p) if p.stage == Stage::Active => active = true,
                        Some(p) => {
                            archived = true;
                            readers.extend(p.readers.iter().cloned());
                        }
                        None => {}
                    }
                }
                let phase = if !triggered || active {
                    CategoryPhase::Active
                } else if archived {
                    CategoryPhase::Archive {
                        readers: sorted(readers),
                    }
                } else {
                    CategoryPhase::Expired
                };
                (c.clone(), phase)
            })
            .collect()
    }
}
