//! Statistics for the dashboard and the export (SPEC §10): consents per purpose and
//! ISO week, rights requests per right and month with the on-time ratio, and
//! retention outcomes (archive, delete, anonymise) per rule, subject kind, month and
//! action. The store aggregates (GROUP BY); the
//! export leaves empty every cell counting fewer than `k` people.

use crate::clock::Clock;
use custodia_store::statistics::week_start;
use custodia_store::{BannerTally, ConsentTally, RequestTally, RetentionCount, Store, StoreError};
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// Most weeks one report covers (two years).
pub const MAX_WEEKS: u32 = 104;
pub const DEFAULT_WEEKS: u32 = 12;

#[derive(Debug, thiserror::Error)]
pub enum StatisticsError {
    #[error("weeks: between 1 and {MAX_WEEKS}")]
    Weeks,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Statistics {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    k: u32,
}

/// One window's aggregates, unsuppressed (for the DPO's dashboard).
#[derive(Debug, Clone)]
pub struct Report {
    /// The Monday starting the first week; the window runs to now.
    pub since: Date,
    pub weeks: u32,
    pub k: u32,
    pub consents: Vec<ConsentTally>,
    /// Banner choices by outcome (`all_accepted`, `some`, `all_refused`).
    pub banner: Vec<BannerTally>,
    pub requests: Vec<RequestTally>,
    /// Retention outcomes per (rule, subject kind, month, action) since the first
    /// week's month.
    pub retention: Vec<RetentionCount>,
}

impl Statistics {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, k: u32) -> Statistics {
        Statistics {
            store,
            clock,
            k: k.max(1),
        }
    }

    /// The last `weeks` ISO weeks, this one included. The caller has checked
    /// [`crate::access::Permission::ReadStatistics`].
    pub async fn report(&self, weeks: u32) -> Result<Report, StatisticsError> {
        if weeks == 0 || weeks > MAX_WEEKS {
            return Err(StatisticsError::Weeks);
        }
        let since = week_start(self.clock.now()) - time::Duration::weeks(i64::from(weeks) - 1);
        let from = OffsetDateTime::new_utc(since, time::Time::MIDNIGHT);
        let month = format!("{:04}-{:02}", since.year(), u8::from(since.month()));
        let retention = self
            .store
            .retention_counts()
            .await?
            .into_iter()
            .filter(|c| c.month >= month)
            .collect();
        Ok(Report {
            since,
            weeks,
            k: self.k,
            consents: self.store.consent_tallies(from).await?,
            banner: self.store.banner_tallies(from).await?,
            requests: self.store.request_tallies(from).await?,
            retention,
        })
    }
}

impl Report {
    /// CSV, one count per row: `section,key,period,measure,value,suppressed`. A count
    /// of fewer than `k` people is left empty with `suppressed` = `<k` (k-anonymity:
    /// a small cell can single someone out).
    pub fn csv(&self) -> String {
        use crate::rights::package::csv_field;
        let mut out = String::from("section,key,period,measure,value,suppressed\r\n");
        let k = i64::from(self.k);
        let mut row = |section: &str, key: &str, period: &str, measure: &str, n: i64| {
            let (value, note) = if n < k {
                (String::new(), format!("<{k}"))
            } else {
                (n.to_string(), String::new())
            };
            out.push_str(&[section, &csv_field(key), period, measure, &value, &note].join(","));
            out.push_str("\r\n");
        };
        for c in &self.consents {
            row(
                "consent",
                &c.purpose,
                &iso_week(c.week_start),
                &c.state,
                c.people,
            );
        }
        let window = format!("{}/{}", iso_week(self.since), self.weeks);
        for t in &self.banner {
            row("banner", "", &window, &t.outcome, t.choices);
        }
        for r in &self.requests {
            row("request", &r.right, &r.month, "received", r.received);
            row("request", &r.right, &r.month, "completed", r.completed);
            row("request", &r.right, &r.month, "on_time", r.on_time);
        }
        for a in &self.retention {
            let key = format!("{}/{}", a.rule, a.kind);
            row("retention", &key, &a.month, &a.action, a.count);
        }
        out
    }
}

/// `YYYY-Www`, the ISO 8601 week of a Monday.
pub fn iso_week(monday: Date) -> String {
    let (year, week, _) = monday.to_iso_week_date();
    format!("{year:04}-W{week:02}")
}

/// How often the dashboard's report is made again.
pub const KEPT_REPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The dashboard's report (the last [`DEFAULT_WEEKS`] weeks), made again in the
/// background: its aggregates read every consent of the window (about 0.5 s with
/// 150,000 of them on SQLite), too slow for a page shown on every visit. Kept only
/// when making it took longer than [`crate::retention::outlook::KEEP_WHEN_SLOWER`]
/// (small installations see live figures). The CSV export and `/v1/statistics` stay
/// live.
pub struct KeptReport {
    statistics: Arc<Statistics>,
    current: std::sync::RwLock<Option<(OffsetDateTime, Arc<Report>)>>,
}

impl KeptReport {
    pub fn new(statistics: Arc<Statistics>) -> KeptReport {
        KeptReport {
            statistics,
            current: std::sync::RwLock::new(None),
        }
    }

    pub async fn refresh(&self) -> Result<(), StatisticsError> {
        let made_at = self.statistics.clock.now();
        let started = std::time::Instant::now();
        let report = Arc::new(self.statistics.report(DEFAULT_WEEKS).await?);
        let slow = started.elapsed() > crate::retention::outlook::KEEP_WHEN_SLOWER;
        if let Ok(mut current) = self.current.write() {
            *current = slow.then_some((made_at, report));
        }
        Ok(())
    }

    /// The report with the instant it was made; None before the first one, or when a
    /// new week has begun since (its weeks are not the dashboard's any more).
    pub fn get(&self) -> Option<(OffsetDateTime, Arc<Report>)> {
        let (made_at, report) = self.current.read().ok()?.clone()?;
        let now = self.statistics.clock.now();
        (week_start(now) == week_start(made_at)).then_some((made_at, report))
    }

    /// Makes the report again every `every` until `stop`.
    pub async fn run(
        self: Arc<Self>,
        every: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if let Err(e) = self.refresh().await {
                tracing::warn!(error = %e, "the dashboard's statistics failed; retried later");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn small_cells_are_suppressed() {
        let tally = |people| ConsentTally {
            purpose: "newsletter".to_owned(),
            week_start: date!(2026 - 01 - 05),
            state: "given".to_owned(),
            people,
        };
        let report = Report {
            since: date!(2026 - 01 - 05),
            weeks: 1,
            k: 5,
            consents: vec![tally(4), tally(5)],
            banner: Vec::new(),
            requests: Vec::new(),
            retention: Vec::new(),
        };
        let csv = report.csv();
        let lines: Vec<_> = csv.lines().collect();
        assert_eq!(lines[1], "consent,newsletter,2026-W02,given,,<5");
        assert_eq!(lines[2], "consent,newsletter,2026-W02,given,5,");
    }

    #[test]
    fn iso_weeks_cross_years() {
        assert_eq!(iso_week(date!(2024 - 12 - 30)), "2025-W01");
    }
}
