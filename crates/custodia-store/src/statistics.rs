//! Aggregates for the dashboard and the statistics export, computed by the database
//! (GROUP BY), never by loading every record.

use time::{Date, OffsetDateTime};

/// People (distinct subjects or banner visitors) whose records of `purpose` in the
/// ISO week starting `week_start` (a Monday, UTC) had `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentTally {
    pub purpose: String,
    pub week_start: Date,
    /// `given`, `refused` or `withdrawn`.
    pub state: String,
    pub people: i64,
}

/// Banner choices (one submission: a visitor's records at one instant) with one
/// outcome: `all_accepted`, `some` or `all_refused` of the purposes asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BannerTally {
    pub outcome: String,
    pub choices: i64,
}

/// Rights requests of one right received in one month (`YYYY-MM`, UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTally {
    pub right: String,
    pub month: String,
    pub received: i64,
    pub completed: i64,
    /// Completed at or before their deadline.
    pub on_time: i64,
}

/// The Monday (UTC) starting the ISO week of the day `days` after 1970-01-01 (a
/// Thursday), as the SQLite query computes it.
pub fn week_start_of_epoch_day(days: i64) -> Option<Date> {
    let monday = days - (days + 3).rem_euclid(7);
    Date::from_julian_day(i32::try_from(monday + 2_440_588).ok()?).ok()
}

/// The start of the ISO week `at` falls in.
pub fn week_start(at: OffsetDateTime) -> Date {
    let date = at.to_offset(time::UtcOffset::UTC).date();
    date - time::Duration::days(i64::from(date.weekday().number_days_from_monday()))
}
