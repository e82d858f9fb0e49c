//! What the core's background work measures for `/metrics`: the writer's batches,
//! the outbox's deliveries, retention's sweeps and the audit checkpoints. Each
//! service owns its figures and the server registers clones of them (the metric
//! types share their values), so nothing here is global.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use std::sync::atomic::AtomicU64;

/// An instant as Prometheus takes times: seconds since the Unix epoch.
pub fn unix_seconds(at: time::OffsetDateTime) -> f64 {
    at.unix_timestamp_nanos() as f64 / 1e9
}

/// Latency buckets shared by every duration histogram: 250 µs to about 4 s.
pub fn duration_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.000_25, 2.0, 15)
}

/// The writer: jobs per commit and how long a batch takes to become durable.
#[derive(Clone)]
pub struct WriterStats {
    /// Jobs (requests' writes) stored together in one commit.
    pub batch_jobs: Histogram,
    /// From a batch being handed to the store to its being durable, in seconds.
    pub commit_seconds: Histogram,
}

impl Default for WriterStats {
    fn default() -> Self {
        WriterStats {
            batch_jobs: Histogram::new(exponential_buckets(1.0, 2.0, 11)),
            commit_seconds: Histogram::new(duration_buckets()),
        }
    }
}

/// Labels of a counter by one dimension (`outcome`, `action`).
type ByOne = Family<Vec<(&'static str, &'static str)>, Counter>;

/// A family with every value of its one label at 0, so that a rate can be taken
/// from the first scrape on.
fn counted_by(label: &'static str, values: &[&'static str]) -> ByOne {
    let family = ByOne::default();
    for value in values {
        drop(family.get_or_create(&vec![(label, *value)]));
    }
    family
}

/// The outbox's delivery attempts, by outcome: `delivered`, `retry` (will be tried
/// again) or `failed` (given up).
#[derive(Clone)]
pub struct OutboxStats {
    pub attempts: ByOne,
}

impl Default for OutboxStats {
    fn default() -> Self {
        OutboxStats {
            attempts: counted_by("outcome", &["delivered", "retry", "failed"]),
        }
    }
}

impl OutboxStats {
    pub(crate) fn count(&self, outcome: &'static str) {
        self.attempts
            .get_or_create(&vec![("outcome", outcome)])
            .inc();
    }
}

/// Retention's real sweeps (dry runs are not counted).
#[derive(Clone)]
pub struct SweepStats {
    /// Unix time at which the last sweep ended (0: none since start).
    pub last_sweep: Gauge<f64, AtomicU64>,
    pub sweeps: Counter,
    /// What sweeps did, by action: `erased`, `reduced` (some categories deleted),
    /// `anonymised`, `archived`, `held` (kept by a legal hold).
    pub actions: ByOne,
}

impl Default for SweepStats {
    fn default() -> Self {
        SweepStats {
            last_sweep: Gauge::default(),
            sweeps: Counter::default(),
            actions: counted_by(
                "action",
                &["erased", "reduced", "anonymised", "archived", "held"],
            ),
        }
    }
}

impl SweepStats {
    pub(crate) fn record(&self, report: &crate::retention::sweep::SweepReport, ended_unix: f64) {
        let tally = |action: &'static str, n: u64| {
            self.actions
                .get_or_create(&vec![("action", action)])
                .inc_by(n);
        };
        tally("erased", report.subjects_erased);
        tally("reduced", report.subjects_reduced);
        let rules = report.rules.values();
        tally("anonymised", rules.clone().map(|r| r.anonymised).sum());
        tally("archived", rules.clone().map(|r| r.archived).sum());
        tally("held", rules.map(|r| r.held).sum());
        self.sweeps.inc();
        self.last_sweep.set(ended_unix);
    }
}

/// Audit checkpoints written by this process.
#[derive(Clone, Default)]
pub struct CheckpointStats {
    /// Unix time of the last checkpoint stored (0: none since start).
    pub last_checkpoint: Gauge<f64, AtomicU64>,
    /// The audit entry (`seq`) the last checkpoint names.
    pub last_seq: Gauge,
}
