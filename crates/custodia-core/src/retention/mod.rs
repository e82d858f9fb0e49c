//! The retention planner: what the register's `[[retention]]` rules ask to do with one
//! subject's data, and when. Pure: no store, no IO, no clock (`now` is a parameter);
//! the caller converts its records into [`SubjectFacts`].
//!
//! The sweep that carries the steps out is [`sweep`].
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
//! - Several triggers (`or_earlier` / `or_later`): the earliest / the latest of those
//!   that happened.
//! - `while_consent`: the consent service records `consent:P:given` and
//!   `consent:P:ended` events; while the consent is in force the rule runs as
//!   written; once it ended (or a day after creation when never given) the rule's final
//!   step is brought forward to that instant, as a plain deletion, even when the
//!   rule was never triggered.
//! - `then = "ask_again"`: the final step n+1 asks (the sweep queues the message);
//!   step n+2 deletes `answer_within` after the step n+1 was done. The answer is a
//!   `last_contact` event, which restarts a rule counting from it.
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

pub mod outlook;
pub mod sweep;

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
    /// (rule id, highest step index already done, when). A step done before the
    /// rule's current trigger belongs to an earlier cycle and does not count.
    pub progress: &'a [custodia_store::retention::StepProgress],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAction {
    Archive,
    Delete,
    Anonymise,
    /// Ask the person whether to keep the data (`then = "ask_again"`).
    AskAgain,
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

/// How long data kept only under a consent may wait for the consent to be recorded
/// after the subject was created (the consent API needs the subject to exist).
pub const NEVER_GIVEN_GRACE: time::Duration = time::Duration::days(1);

/// How a rule with several triggers picks its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combine {
    /// Whichever comes first.
    Earliest,
    /// Whichever is later.
    Latest,
}

#[derive(Debug, Clone)]
struct Rule {
    id: Arc<str>,
    /// Sorted, deduplicated.
    categories: Vec<String>,
    /// The trigger, then `or_earlier` or `or_later`.
    triggers: Vec<TriggerKind>,
    combine: Combine,
    /// `while_consent`: the events of the purpose's consent given and ended.
    consent: Option<(String, String)>,
    phases: Vec<Phase>,
    then: FinalAction,
    /// `then = "ask_again"`: how long the person has to answer.
    answer_within: Option<IsoDuration>,
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
        let times = self.triggers.iter().filter_map(|t| t.time(subject));
        match self.combine {
            Combine::Earliest => times.min(),
            Combine::Latest => times.max(),
        }
    }

    /// `while_consent`: when the consent stopped being in force (its withdrawal or
    /// refusal; the subject's creation when it was never given); `None` while it is.
    fn consent_end(&self, subject: &SubjectFacts) -> Option<OffsetDateTime> {
        let (given, ended) = self.consent.as_ref()?;
        let given = event(subject, given);
        let ended = event(subject, ended);
        match (given, ended) {
            (Some(g), e) if e.is_none_or(|e| g > e) => None,
            (_, Some(e)) => Some(e),
            (_, None) => Some(subject.created_at + NEVER_GIVEN_GRACE),
        }
    }

    /// When the rule lets its data go, if it does: its own end, brought forward to
    /// the end of the consent it depends on.
    fn release_at(&self, subject: &SubjectFacts) -> Option<OffsetDateTime> {
        let own = self
            .trigger_time(subject)
            .and_then(|t| self.end_at(subject, t));
        match (own, self.consent_end(subject)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The final step's index: after the archive phases, the action `then` names;
    /// "ask again" adds the deletion after the answer's delay.
    fn last_index(&self) -> u32 {
        let asked = self.phases.len() as u32 + 1;
        if self.answer_within.is_some() {
            asked + 1
        } else {
            asked
        }
    }

    /// When the rule lets its data go: the end of the last phase, or for "ask
    /// again", the end of the delay after the person was asked (unknown before).
    fn end_at(&self, subject: &SubjectFacts, trigger: OffsetDateTime) -> Option<OffsetDateTime> {
        match self.answer_within {
            None => self.final_at(trigger),
            Some(wait) => {
                let asked = self.phases.len() as u32 + 1;
                let (_, _, asked_at) = subject
                    .progress
                    .iter()
                    .find(|(id, step, at)| **id == *self.id && *step >= asked && *at >= trigger)?;
                wait.after(*asked_at)
            }
        }
    }
}

impl TriggerKind {
    fn time(&self, subject: &SubjectFacts) -> Option<OffsetDateTime> {
        match self {
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
}

impl Rule {
    /// Instant the final step is due; `None` past the year 9999.
    fn final_at(&self, trigger: OffsetDateTime) -> Option<OffsetDateTime> {
        self.phases
            .iter()
            .try_fold(trigger, |at, phase| phase.duration.after(at))
    }

    /// When the rule's data stops being in active use: the start of its first phase
    /// that is not active, or the end of the last; `None` past the year 9999.
    fn active_end(&self, trigger: OffsetDateTime) -> Option<OffsetDateTime> {
        let mut start = trigger;
        for phase in &self.phases {
            if phase.stage != Stage::Active {
                return Some(start);
            }
            start = phase.duration.after(start)?;
        }
        Some(start)
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

/// The latest time of each event name, as [`SubjectFacts::events`] wants them: a
/// subject may have thousands of events but few names, so one per name is copied.
pub fn latest_events(events: &[custodia_store::SubjectEvent]) -> Vec<(String, OffsetDateTime)> {
    let mut latest: Vec<(String, OffsetDateTime)> = Vec::new();
    for e in events {
        match latest.iter_mut().find(|(name, _)| *name == e.event) {
            Some((_, at)) => *at = (*at).max(e.at),
            None => latest.push((e.event.clone(), e.at)),
        }
    }
    latest
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
                triggers: std::iter::once(&r.trigger)
                    .chain(&r.or_earlier)
                    .chain(&r.or_later)
                    .map(trigger_kind)
                    .collect(),
                combine: if r.or_later.is_empty() {
                    Combine::Earliest
                } else {
                    Combine::Latest
                },
                consent: r
                    .while_consent
                    .as_deref()
                    .map(custodia_register::consent_events),
                answer_within: match r.then {
                    FinalAction::AskAgain => r.answer_within,
                    FinalAction::Delete | FinalAction::Anonymise => None,
                },
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
            let final_index = rule.phases.len() as u32 + 1;
            let consent_end = rule.consent_end(subject).filter(|end| {
                // Done already for this end of the consent.
                !subject.progress.iter().any(|(id, step, at)| {
                    **id == *rule.id && *step >= rule.last_index() && at >= end
                })
            });
            // The rule's last step, deleting what it holds, at `at`.
            let deleted_at = |at| Step {
                rule: rule.id.clone(),
                index: rule.last_index(),
                at,
                action: StepAction::Delete,
                categories: rule.held_categories(subject.categories),
                readers: Vec::new(),
                held: holds.holds(subject_id, &rule.id),
            };
            let Some(trigger) = rule.trigger_time(subject) else {
                // Without its trigger, a rule kept only under a consent still ends
                // with the consent.
                out.extend(consent_end.map(deleted_at));
                continue;
            };
            let done = subject
                .progress
                .iter()
                .find(|(id, _, done_at)| **id == *rule.id && *done_at >= trigger)
                .map_or(0, |(_, step, _)| *step);
            if done >= rule.last_index() {
                continue;
            }
            if let Some(at) = consent_end
                && rule.release_at(subject).is_some_and(|end| end == at)
            {
                // The consent ended first: the data goes then, without asking.
                out.push(deleted_at(at));
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
            let held = holds.holds(subject_id, &rule.id);
            let step = |index, at, action| Step {
                rule: rule.id.clone(),
                index,
                at,
                action,
                categories: categories.clone(),
                readers: Vec::new(),
                held,
            };
            match (rule.then, at) {
                (_, None) => {}
                (FinalAction::AskAgain, Some(at)) if done < final_index => {
                    out.push(step(final_index, at, StepAction::AskAgain));
                }
                (FinalAction::AskAgain, Some(_)) => {
                    if let Some(at) = rule.end_at(subject, trigger) {
                        out.push(step(final_index + 1, at, StepAction::Delete));
                    }
                }
                (FinalAction::Delete, Some(at)) => {
                    out.push(step(final_index, at, StepAction::Delete));
                }
                (FinalAction::Anonymise, Some(at)) => {
                    out.push(step(final_index, at, StepAction::Anonymise));
                }
            }
        }
        out.sort_by_key(|s| s.at);
    }

    /// The durations of a rule's phases, in order.
    pub fn phase_durations(&self, rule_id: &str) -> Option<Vec<IsoDuration>> {
        self.rules
            .iter()
            .find(|r| &*r.id == rule_id)
            .map(|r| r.phases.iter().map(|p| p.duration).collect())
    }

    /// How long a rule that asks again leaves the person to answer.
    pub fn answer_within(&self, rule_id: &str) -> Option<IsoDuration> {
        self.rules
            .iter()
            .find(|r| &*r.id == rule_id)
            .and_then(|r| r.answer_within)
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
            .filter(|r| r.trigger_time(subject).is_some() || r.consent_end(subject).is_some())
            .map(|r| {
                let ran = r.release_at(subject).is_some_and(|at| at <= now)
                    && !holds.holds(subject_id, &r.id);
                (r, ran)
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

    /// The `request_closed` rule covering `category` (rights requests are kept by the
    /// rule covering `user.privacy_request`, post-mortem directives by the one covering
    /// `user.post_mortem_directives`), and when it ends for a request closed at
    /// `closed`. `None`: no such rule, the request is kept.
    pub fn request_end(
        &self,
        category: &str,
        closed: OffsetDateTime,
    ) -> Option<(Arc<str>, OffsetDateTime)> {
        self.rules
            .iter()
            .filter(|r| matches!(&r.triggers[..], [TriggerKind::Event(e)] if e == "request_closed"))
            .find(|r| r.covers(category))
            .and_then(|r| Some((r.id.clone(), r.final_at(closed)?)))
    }

    /// For each held category some triggered rule covers, the instant from which no
    /// such rule keeps it in active use (archived, or past its retention): the latest
    /// of their [`Rule::active_end`]. Categories without one stay in active use.
    /// Decisions refuse processing once every category a purpose uses has passed it.
    pub fn active_until(&self, subject: &SubjectFacts) -> Vec<(String, OffsetDateTime)> {
        let rules: Vec<(&Rule, OffsetDateTime)> = self
            .applicable(subject.kind)
            .filter(|r| r.covers_any(subject.categories))
            .filter_map(|r| Some((r, r.trigger_time(subject)?)))
            .collect();
        subject
            .categories
            .iter()
            .filter_map(|c| {
                let mut ends = rules
                    .iter()
                    .filter(|(r, _)| r.covers(c))
                    .map(|(r, trigger)| r.active_end(*trigger))
                    .peekable();
                ends.peek()?;
                // Any rule keeping it for ever (past 9999) keeps it active.
                let latest = ends.collect::<Option<Vec<_>>>()?.into_iter().max()?;
                Some((c.clone(), latest))
            })
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    fn load(name: &str) -> custodia_register::ValidRegister {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name);
        custodia_register::load(&path).unwrap()
    }

    fn saas() -> Planner {
        Planner::new(&load("saas.toml"))
    }

    const SECOND: Duration = Duration::SECOND;
    const DAY: Duration = Duration::DAY;
    const CREATED: OffsetDateTime = datetime!(2020-01-01 00:00 UTC);

    /// A subject's facts, owned, lent out as [`SubjectFacts`].
    struct Subject {
        kind: &'static str,
        categories: Vec<String>,
        events: Vec<(String, OffsetDateTime)>,
        progress: Vec<(String, u32, OffsetDateTime)>,
    }

    impl Subject {
        fn new(kind: &'static str, categories: &[&str]) -> Subject {
            let mut categories: Vec<String> = categories.iter().map(|c| (*c).to_owned()).collect();
            categories.sort();
            Subject {
                kind,
                categories,
                events: Vec::new(),
                progress: Vec::new(),
            }
        }

        fn event(mut self, name: &str, at: OffsetDateTime) -> Subject {
            self.events.push((name.to_owned(), at));
            self
        }

        /// A step done long after any event of these tests.
        fn done(self, rule: &str, step: u32) -> Subject {
            self.done_at(rule, step, datetime!(2100-01-01 00:00 UTC))
        }

        fn done_at(mut self, rule: &str, step: u32, at: OffsetDateTime) -> Subject {
            self.progress.push((rule.to_owned(), step, at));
            self
        }

        fn facts(&self) -> SubjectFacts<'_> {
            SubjectFacts {
                kind: self.kind,
                created_at: CREATED,
                categories: &self.categories,
                events: &self.events,
                progress: &self.progress,
            }
        }
    }

    fn steps(planner: &Planner, subject: &Subject, holds: &Holds) -> Vec<Step> {
        let mut out = Vec::new();
        planner.steps("s1", &subject.facts(), holds, &mut out);
        out
    }

    fn no_holds() -> Holds {
        Holds::new([])
    }

    /// (rule, index, at, action) of each step.
    fn summary(steps: &[Step]) -> Vec<(&str, u32, OffsetDateTime, StepAction)> {
        steps
            .iter()
            .map(|s| (&*s.rule, s.index, s.at, s.action))
            .collect()
    }

    fn deletable(planner: &Planner, subject: &Subject, now: OffsetDateTime) -> Vec<String> {
        planner.deletable("s1", &subject.facts(), now, &no_holds())
    }

    /// Deletable exactly from `at`: not one second before, nor one day before.
    fn deleted_from(planner: &Planner, subject: &Subject, at: OffsetDateTime, category: &str) {
        assert!(deletable(planner, subject, at - DAY).is_empty());
        assert!(deletable(planner, subject, at - SECOND).is_empty());
        assert_eq!(deletable(planner, subject, at), vec![category.to_owned()]);
        assert_eq!(
            deletable(planner, subject, at + DAY),
            vec![category.to_owned()]
        );
    }

    fn phase(planner: &Planner, subject: &Subject, now: OffsetDateTime) -> CategoryPhase {
        let mut phases = planner.phases(&subject.facts(), now);
        assert_eq!(phases.len(), 1);
        phases.remove(0).1
    }

    fn archive(readers: &[&str]) -> CategoryPhase {
        CategoryPhase::Archive {
            readers: readers.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    const EMAIL: &str = "user.contact.email";

    #[test]
    fn prospects_are_deleted_three_years_after_last_contact() {
        let p = saas();
        let contact = datetime!(2023-03-15 10:00 UTC);
        let s = Subject::new("prospect", &[EMAIL]).event("last_contact", contact);
        let due = datetime!(2026-03-15 10:00 UTC);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![("prospects", 2, due, StepAction::Delete)]
        );
        deleted_from(&p, &s, due, EMAIL);
        assert!(deletable(&p, &s, datetime!(2026-03-15 09:59 UTC)).is_empty());
    }

    #[test]
    fn last_contact_falls_back_to_collected_then_to_creation() {
        let p = saas();
        let collected = datetime!(2024-05-02 08:00 UTC);
        let s = Subject::new("prospect", &[EMAIL]).event("collected", collected);
        assert_eq!(
            steps(&p, &s, &no_holds())[0].at,
            datetime!(2027-05-02 08:00 UTC)
        );
        let s = Subject::new("prospect", &[EMAIL]);
        assert_eq!(
            steps(&p, &s, &no_holds())[0].at,
            datetime!(2023-01-01 00:00 UTC)
        );
        // The latest of several records of the event counts.
        let s = Subject::new("prospect", &[EMAIL])
            .event("last_contact", datetime!(2024-01-01 00:00 UTC))
            .event("last_contact", datetime!(2025-01-01 00:00 UTC))
            .event("last_contact", datetime!(2023-01-01 00:00 UTC));
        assert_eq!(
            steps(&p, &s, &no_holds())[0].at,
            datetime!(2028-01-01 00:00 UTC)
        );
    }

    #[test]
    fn customers_stay_active_then_are_archived_for_five_years_then_deleted() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        let s = Subject::new("customer", &[EMAIL]).event("account_closed", closed);
        // P90D, then P3Y, then P5Y, one after another.
        let end_90 = datetime!(2022-08-30 12:00 UTC);
        let archived = datetime!(2025-08-30 12:00 UTC);
        let deleted = datetime!(2030-08-30 12:00 UTC);
        let got = steps(&p, &s, &no_holds());
        assert_eq!(
            summary(&got),
            vec![
                ("customers", 3, archived, StepAction::Archive),
                ("customers", 4, deleted, StepAction::Delete),
            ]
        );
        assert_eq!(got[0].readers, vec!["accounting", "dpo"]);
        assert_eq!(got[0].categories, vec![EMAIL]);
        assert!(got[1].readers.is_empty());

        assert_eq!(phase(&p, &s, closed - DAY), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, closed), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, end_90), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, archived - SECOND), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, archived), archive(&["accounting", "dpo"]));
        assert_eq!(
            phase(&p, &s, deleted - SECOND),
            archive(&["accounting", "dpo"])
        );
        assert_eq!(phase(&p, &s, deleted), CategoryPhase::Expired);
        deleted_from(&p, &s, deleted, EMAIL);
    }

    #[test]
    fn an_open_account_is_active_with_no_step() {
        let p = saas();
        let s = Subject::new("customer", &[EMAIL])
            .event("account_opened", datetime!(2020-01-01 00:00 UTC));
        assert!(steps(&p, &s, &no_holds()).is_empty());
        let now = datetime!(2090-01-01 00:00 UTC);
        assert_eq!(phase(&p, &s, now), CategoryPhase::Active);
        assert!(deletable(&p, &s, now).is_empty());
    }

    #[test]
    fn a_reopened_account_is_not_closed() {
        let p = saas();
        let s = Subject::new("customer", &[EMAIL])
            .event("account_closed", datetime!(2022-06-01 00:00 UTC))
            .event("account_opened", datetime!(2022-07-01 00:00 UTC));
        assert!(steps(&p, &s, &no_holds()).is_empty());
        assert!(deletable(&p, &s, datetime!(2090-01-01 00:00 UTC)).is_empty());
        // Opened, then closed: closed.
        let s = Subject::new("customer", &[EMAIL])
            .event("account_opened", datetime!(2021-06-01 00:00 UTC))
            .event("account_closed", datetime!(2022-06-01 00:00 UTC));
        assert_eq!(steps(&p, &s, &no_holds()).len(), 2);
    }

    #[test]
    fn connection_logs_are_deleted_one_year_after_last_connection() {
        let p = saas();
        let c = "user.device.connection_log";
        let s =
            Subject::new("user", &[c]).event("last_connection", datetime!(2025-04-10 17:30 UTC));
        let due = datetime!(2026-04-10 17:30 UTC);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![("connection-logs", 2, due, StepAction::Delete)]
        );
        deleted_from(&p, &s, due, c);
    }

    #[test]
    fn invoices_are_archived_at_once_for_ten_years_then_deleted() {
        let p = saas();
        let c = "user.financial.invoice";
        let at = datetime!(2024-02-29 09:00 UTC);
        let s = Subject::new("customer", &[c]).event("invoice", at);
        // 29 February + 10 years has no 29th: the month's last day.
        let due = datetime!(2034-02-28 09:00 UTC);
        let got = steps(&p, &s, &no_holds());
        assert_eq!(
            summary(&got),
            vec![
                ("invoices", 1, at, StepAction::Archive),
                ("invoices", 2, due, StepAction::Delete),
            ]
        );
        assert_eq!(got[0].readers, vec!["accounting", "dpo"]);
        assert_eq!(phase(&p, &s, at - SECOND), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, at), archive(&["accounting", "dpo"]));
        assert_eq!(phase(&p, &s, due), CategoryPhase::Expired);
        deleted_from(&p, &s, due, c);
    }

    #[test]
    fn transactions_are_deleted_five_years_after() {
        let p = saas();
        let c = "user.behavior.purchase_history";
        let at = datetime!(2021-11-05 14:00 UTC);
        let s = Subject::new("customer", &[c]).event("transaction", at);
        let archived = datetime!(2022-11-05 14:00 UTC);
        let due = datetime!(2026-11-05 14:00 UTC);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![
                ("transactions", 2, archived, StepAction::Archive),
                ("transactions", 3, due, StepAction::Delete),
            ]
        );
        assert_eq!(phase(&p, &s, archived - SECOND), CategoryPhase::Active);
        assert_eq!(phase(&p, &s, archived), archive(&["accounting", "dpo"]));
        deleted_from(&p, &s, due, c);
    }

    const CARD: &str = "user.financial.credit_card";

    #[test]
    fn card_proof_is_deleted_13_months_after_a_debit() {
        let p = saas();
        let s = Subject::new("customer", &[CARD]).event("debit", datetime!(2025-03-20 10:00 UTC));
        let due = datetime!(2026-04-20 10:00 UTC);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![
                (
                    "card-proof",
                    1,
                    datetime!(2025-03-20 10:00 UTC),
                    StepAction::Archive
                ),
                ("card-proof", 2, due, StepAction::Delete),
            ]
        );
        // The deferred-debit rule, never triggered, does not keep the card.
        deleted_from(&p, &s, due, CARD);
    }

    #[test]
    fn card_proof_is_deleted_15_months_after_a_deferred_debit() {
        let p = saas();
        let s = Subject::new("customer", &[CARD])
            .event("deferred_debit", datetime!(2025-03-20 10:00 UTC));
        let due = datetime!(2026-06-20 10:00 UTC);
        let got = steps(&p, &s, &no_holds());
        assert_eq!(got.len(), 2);
        assert_eq!((&*got[1].rule, got[1].at), ("card-proof-deferred", due));
        deleted_from(&p, &s, due, CARD);
    }

    #[test]
    fn card_proof_under_two_rules_waits_for_the_later() {
        let p = saas();
        let at = datetime!(2025-03-20 10:00 UTC);
        let s = Subject::new("customer", &[CARD])
            .event("debit", at)
            .event("deferred_debit", at);
        let after_debit = datetime!(2026-04-20 10:00 UTC);
        let after_deferred = datetime!(2026-06-20 10:00 UTC);
        assert!(deletable(&p, &s, after_debit).is_empty());
        assert!(deletable(&p, &s, after_debit + DAY).is_empty());
        deleted_from(&p, &s, after_deferred, CARD);
        // Between the two, the card is archived for the deferred-debit rule.
        assert_eq!(phase(&p, &s, after_debit), archive(&["accounting", "dpo"]));
        assert_eq!(phase(&p, &s, after_deferred), CategoryPhase::Expired);
        // Both rules plan their own deletion, sorted by date.
        let got = steps(&p, &s, &no_holds());
        let deletes: Vec<(&str, OffsetDateTime)> = got
            .iter()
            .filter(|s| s.action == StepAction::Delete)
            .map(|s| (&*s.rule, s.at))
            .collect();
        assert_eq!(
            deletes,
            vec![
                ("card-proof", after_debit),
                ("card-proof-deferred", after_deferred)
            ]
        );
    }

    #[test]
    fn id_documents_are_deleted_one_day_after_verification() {
        let p = saas();
        let c = "user.government_id";
        let s =
            Subject::new("user", &[c]).event("identity_verified", datetime!(2026-12-31 23:00 UTC));
        let due = datetime!(2027-01-01 23:00 UTC);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![("id-documents", 2, due, StepAction::Delete)]
        );
        deleted_from(&p, &s, due, c);
    }

    #[test]
    fn a_month_from_31_january_ends_on_the_last_day_of_february() {
        let mut register = load("saas.toml").register().clone();
        let rule = register
            .retention
            .iter_mut()
            .find(|r| r.id == "id-documents")
            .unwrap();
        rule.phases[0].duration = "P1M".parse().unwrap();
        let p = Planner::new(&register);
        let c = "user.government_id";
        for (verified, due) in [
            (
                datetime!(2024-01-31 10:00 UTC),
                datetime!(2024-02-29 10:00 UTC),
            ),
            (
                datetime!(2025-01-31 10:00 UTC),
                datetime!(2025-02-28 10:00 UTC),
            ),
        ] {
            let s = Subject::new("user", &[c]).event("identity_verified", verified);
            assert_eq!(steps(&p, &s, &no_holds())[0].at, due);
            deleted_from(&p, &s, due, c);
        }
    }

    #[test]
    fn done_steps_are_skipped() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        let base = || Subject::new("customer", &[EMAIL]).event("account_closed", closed);
        let got = steps(&p, &base().done("customers", 3), &no_holds());
        assert_eq!(
            summary(&got),
            vec![(
                "customers",
                4,
                datetime!(2030-08-30 12:00 UTC),
                StepAction::Delete
            )]
        );
        assert!(steps(&p, &base().done("customers", 4), &no_holds()).is_empty());
        // Progress of another rule changes nothing.
        assert_eq!(
            steps(&p, &base().done("prospects", 9), &no_holds()).len(),
            2
        );
    }

    #[test]
    fn active_use_ends_when_the_first_archive_phase_or_the_end_comes() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        let s = Subject::new(
            "customer",
            &[
                EMAIL,
                "user.financial.invoice",
                "user.device.connection_log",
            ],
        )
        .event("account_closed", closed)
        .event("invoice", closed)
        .event("last_connection", closed);
        assert_eq!(
            p.active_until(&s.facts()),
            vec![
                // Customers: 90 days then 3 years active, then archived.
                (
                    "user.contact.email".to_owned(),
                    datetime!(2025-08-30 12:00 UTC)
                ),
                // Connection logs: 1 year, then deleted.
                (
                    "user.device.connection_log".to_owned(),
                    datetime!(2023-06-01 12:00 UTC)
                ),
                // Invoices are archived at once.
                ("user.financial.invoice".to_owned(), closed),
            ]
        );
        // Without the trigger, nothing ends.
        let open = Subject::new("customer", &[EMAIL]);
        assert!(p.active_until(&open.facts()).is_empty());
    }

    #[test]
    fn a_new_trigger_starts_the_rule_again() {
        let p = saas();
        let first = datetime!(2022-06-01 12:00 UTC);
        let deleted = datetime!(2023-06-01 12:00 UTC);
        let again = datetime!(2024-02-01 08:00 UTC);
        // Logs deleted a year after a connection; the person connects again later.
        let s = Subject::new("customer", &[EMAIL, "user.device.connection_log"])
            .event("last_connection", first)
            .done_at("connection-logs", 2, deleted);
        assert!(
            steps(&p, &s, &no_holds()).is_empty(),
            "done for that connection"
        );
        let s = s.event("last_connection", again);
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![(
                "connection-logs",
                2,
                datetime!(2025-02-01 08:00 UTC),
                StepAction::Delete
            )],
            "a step done before the new trigger belongs to the old cycle"
        );
    }

    #[test]
    fn holds_mark_final_steps_held_and_block_deletion() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        let s = Subject::new("customer", &[EMAIL]).event("account_closed", closed);
        let after = datetime!(2031-01-01 00:00 UTC);
        let hold = |subject: Option<&str>, rule: Option<&str>| Hold {
            subject_id: subject.map(str::to_owned),
            rule_id: rule.map(str::to_owned),
        };
        for holds in [
            Holds::new([hold(Some("s1"), None)]),
            Holds::new([hold(None, Some("customers"))]),
            Holds::new([hold(Some("s1"), Some("customers"))]),
            Holds::new([hold(None, None)]),
        ] {
            let got = steps(&p, &s, &holds);
            assert_eq!(got.len(), 2);
            assert!(!got[0].held, "archive is never held");
            assert!(got[1].held);
            assert!(p.deletable("s1", &s.facts(), after, &holds).is_empty());
        }
        for holds in [
            Holds::new([hold(Some("s2"), None)]),
            Holds::new([hold(None, Some("prospects"))]),
            Holds::new([hold(Some("s1"), Some("prospects"))]),
            Holds::new([hold(Some("s2"), Some("customers"))]),
        ] {
            let got = steps(&p, &s, &holds);
            assert!(!got[1].held);
            assert_eq!(p.deletable("s1", &s.facts(), after, &holds), vec![EMAIL]);
        }
    }

    #[test]
    fn a_hold_on_one_of_two_rules_keeps_the_category() {
        let p = saas();
        let at = datetime!(2025-03-20 10:00 UTC);
        let s = Subject::new("customer", &[CARD])
            .event("debit", at)
            .event("deferred_debit", at);
        let holds = Holds::new([Hold {
            subject_id: None,
            rule_id: Some("card-proof".to_owned()),
        }]);
        let later = datetime!(2030-01-01 00:00 UTC);
        assert!(p.deletable("s1", &s.facts(), later, &holds).is_empty());
    }

    #[test]
    fn a_kind_the_rule_does_not_cover_gets_no_step() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        // Only the customers rule covers the username, and not prospects.
        let s =
            Subject::new("prospect", &["user.account.username"]).event("account_closed", closed);
        assert!(steps(&p, &s, &no_holds()).is_empty());
        assert!(deletable(&p, &s, datetime!(2090-01-01 00:00 UTC)).is_empty());
        // A visitor's e-mail: the customers and prospects rules both skip it.
        let s = Subject::new("visitor", &[EMAIL])
            .event("account_closed", closed)
            .event("last_contact", closed);
        assert!(steps(&p, &s, &no_holds()).is_empty());
        // A kind no rule names gets the rules for every kind.
        let s = Subject::new("stranger", &["user.device.connection_log"])
            .event("last_connection", closed);
        assert_eq!(steps(&p, &s, &no_holds()).len(), 1);
    }

    #[test]
    fn a_subject_without_the_rule_categories_gets_no_step() {
        let p = saas();
        let s = Subject::new("customer", &["user.device.connection_log"])
            .event("account_closed", datetime!(2022-06-01 12:00 UTC))
            .event("invoice", datetime!(2022-06-01 12:00 UTC));
        assert!(steps(&p, &s, &no_holds()).is_empty());
        // A category no rule covers is never deletable.
        let s = Subject::new("customer", &["not.a.covered.category"]);
        assert!(deletable(&p, &s, datetime!(2090-01-01 00:00 UTC)).is_empty());
        assert_eq!(
            phase(&p, &s, datetime!(2090-01-01 00:00 UTC)),
            CategoryPhase::Active
        );
    }

    #[test]
    fn steps_of_several_rules_are_sorted_and_carry_only_held_categories() {
        let p = saas();
        let closed = datetime!(2022-06-01 12:00 UTC);
        let s = Subject::new(
            "customer",
            &[EMAIL, "user.name.first", "user.authorization.credentials"],
        )
        .event("account_closed", closed);
        let got = steps(&p, &s, &no_holds());
        assert_eq!(
            summary(&got),
            vec![
                (
                    "account-access",
                    2,
                    datetime!(2022-08-30 12:00 UTC),
                    StepAction::Delete
                ),
                (
                    "customers",
                    3,
                    datetime!(2025-08-30 12:00 UTC),
                    StepAction::Archive
                ),
                (
                    "customers",
                    4,
                    datetime!(2030-08-30 12:00 UTC),
                    StepAction::Delete
                ),
            ]
        );
        assert_eq!(got[0].categories, vec!["user.authorization.credentials"]);
        assert_eq!(got[1].categories, vec![EMAIL, "user.name.first"]);
        // The buffer is replaced, not appended to.
        let mut out = got.clone();
        p.steps("s1", &s.facts(), &no_holds(), &mut out);
        assert_eq!(out, got);
    }

    #[test]
    fn anonymise_rules_and_custom_triggers() {
        let p = Planner::new(&load("nocode.toml"));
        let ended = datetime!(2022-06-01 12:00 UTC);
        let s = Subject::new("customer", &[EMAIL]).event("relationship_ended", ended);
        let got = steps(&p, &s, &no_holds());
        let last = got.last().unwrap();
        assert_eq!(
            (&*last.rule, last.index, last.at, last.action),
            (
                "users-customers",
                4,
                datetime!(2030-08-30 12:00 UTC),
                StepAction::Anonymise
            )
        );
        // A custom trigger without its event: kept, no step.
        let s = Subject::new("customer", &[EMAIL]);
        assert!(steps(&p, &s, &no_holds()).is_empty());
    }

    #[test]
    fn past_the_year_9999_there_is_no_step() {
        let p = saas();
        let c = "user.financial.invoice";
        let s = Subject::new("customer", &[c]).event("invoice", datetime!(9995-01-01 00:00 UTC));
        assert_eq!(
            summary(&steps(&p, &s, &no_holds())),
            vec![(
                "invoices",
                1,
                datetime!(9995-01-01 00:00 UTC),
                StepAction::Archive
            )]
        );
        assert!(deletable(&p, &s, datetime!(9999-12-31 00:00 UTC)).is_empty());
        assert_eq!(
            phase(&p, &s, datetime!(9999-12-31 00:00 UTC)),
            archive(&["accounting", "dpo"])
        );
    }
}
