//! The retention plan kept in memory for the console. Planning reads every subject's
//! retention facts (about 0.75 s at 100,000 subjects on SQLite), too slow for a page
//! shown on every visit. A background task plans a long horizon from its `now`, every
//! few minutes and at once when a sweep or a legal hold changed what is due; when
//! planning took longer than [`KEEP_WHEN_SLOWER`], a page answers from that plan if it
//! holds the page's window whole and nothing changed since, and plans live otherwise.
//! What a page shows this way is as of `planned_at`; small installations, planned
//! faster than that, always see a live plan.

use std::sync::{Arc, RwLock};

use time::OffsetDateTime;

use super::sweep::{PlannedStep, Retention, RetentionError};
use crate::clock::Clock;

/// How often the plan is made again when nothing changed.
pub const OUTLOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);
/// How far ahead it plans (the retention page's longest window).
pub const OUTLOOK_HORIZON: time::Duration = time::Duration::days(3660);
/// Most steps it keeps (the earliest ones): about 3 MB.
pub const OUTLOOK_STEPS: usize = 10_000;
/// Planning faster than this is done live for every page.
pub const KEEP_WHEN_SLOWER: std::time::Duration = std::time::Duration::from_millis(25);

struct Snapshot {
    at: OffsetDateTime,
    /// [`Retention::plan_changes`] when planning started.
    generation: u64,
    steps: Vec<PlannedStep>,
    /// More steps fell due within the horizon than [`OUTLOOK_STEPS`].
    truncated: bool,
}

/// A window's plan, as of `planned_at`.
#[derive(Debug, Clone)]
pub struct Planned {
    pub steps: Vec<PlannedStep>,
    /// More steps fall due in the window than were asked for.
    pub truncated: bool,
    pub planned_at: OffsetDateTime,
}

pub struct Outlook {
    retention: Arc<Retention>,
    clock: Arc<dyn Clock>,
    current: RwLock<Option<Arc<Snapshot>>>,
    keep_when_slower: std::time::Duration,
}

impl Outlook {
    pub fn new(retention: Arc<Retention>, clock: Arc<dyn Clock>) -> Outlook {
        Outlook {
            retention,
            clock,
            current: RwLock::new(None),
            keep_when_slower: KEEP_WHEN_SLOWER,
        }
    }

    /// Keeps plans that took longer than `threshold` (zero: every plan).
    pub fn keep_when_slower(mut self, threshold: std::time::Duration) -> Outlook {
        self.keep_when_slower = threshold;
        self
    }

    /// Plans the horizon from now and keeps it.
    pub async fn refresh(&self) -> Result<(), RetentionError> {
        let generation = *self.retention.plan_changes().borrow();
        let at = self.clock.now();
        let started = std::time::Instant::now();
        let (steps, truncated) = self
            .retention
            .plan(at, at + OUTLOOK_HORIZON, OUTLOOK_STEPS)
            .await?;
        let snapshot = (started.elapsed() > self.keep_when_slower).then(|| {
            Arc::new(Snapshot {
                at,
                generation,
                steps,
                truncated,
            })
        });
        if let Ok(mut current) = self.current.write() {
            *current = snapshot;
        }
        Ok(())
    }

    /// Plans again every `every`, and at once after each change, until `stop`.
    pub async fn run(
        self: Arc<Self>,
        every: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut changes = self.retention.plan_changes();
        loop {
            changes.mark_unchanged();
            if let Err(e) = self.refresh().await {
                tracing::warn!(error = %e, "planning retention for the console failed; retried later");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                changed = changes.changed() => if changed.is_err() { return },
                _ = stop.changed() => return,
            }
        }
    }

    /// The first `limit` steps of [`from`, `to`), when the kept plan holds that window
    /// whole and no sweep or hold changed anything since it was made; else None (plan
    /// live).
    pub fn planned(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: usize,
    ) -> Option<Planned> {
        let snapshot = self.current.read().ok()?.clone()?;
        let unchanged = snapshot.generation == *self.retention.plan_changes().borrow();
        let end = snapshot.at + OUTLOOK_HORIZON;
        if !unchanged || from < snapshot.at || to > end {
            return None;
        }
        // A cut plan is whole only before its last step (others may share that instant).
        let whole_before = if snapshot.truncated {
            snapshot.steps.last()?.at
        } else {
            end
        };
        let mut steps = Vec::new();
        for step in snapshot
            .steps
            .iter()
            .filter(|s| s.at >= from && s.at < to.min(whole_before))
        {
            if steps.len() == limit {
                return Some(Planned {
                    steps,
                    truncated: true,
                    planned_at: snapshot.at,
                });
            }
            steps.push(step.clone());
        }
        (to <= whole_before).then_some(Planned {
            steps,
            truncated: false,
            planned_at: snapshot.at,
        })
    }
}
