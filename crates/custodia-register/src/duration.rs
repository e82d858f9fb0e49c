//! ISO 8601 durations as the register writes them (`P90D`, `P13M`, `P3Y`, `P1Y6M`).
//! Only calendar components are accepted: retention is counted in days, months and
//! years, never in hours.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IsoDuration {
    pub years: u32,
    pub months: u32,
    pub weeks: u32,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not an ISO 8601 duration such as P90D, P13M or P3Y: {reason}")]
pub struct DurationError {
    input: String,
    reason: &'static str,
}

impl IsoDuration {
    /// Upper bound in days (months as 31 days, years as 366), used to compare a
    /// duration with a legal ceiling without a calendar.
    pub fn max_days(&self) -> u64 {
        u64::from(self.years) * 366
            + u64::from(self.months) * 31
            + u64::from(self.weeks) * 7
            + u64::from(self.days)
    }

    /// Lower bound in days (months as 28 days, years as 365).
    pub fn min_days(&self) -> u64 {
        u64::from(self.years) * 365
            + u64::from(self.months) * 28
            + u64::from(self.weeks) * 7
            + u64::from(self.days)
    }

    /// Whether this duration can be longer than `other` on some calendar date.
    pub fn may_exceed(&self, other: &IsoDuration) -> bool {
        let calendar_only = |d: &IsoDuration| d.weeks == 0 && d.days == 0;
        if calendar_only(self) && calendar_only(other) {
            self.total_months() > other.total_months()
        } else {
            self.max_days() > other.min_days()
        }
    }

    pub fn total_months(&self) -> u32 {
        self.years * 12 + self.months
    }

    pub fn is_zero(&self) -> bool {
        *self == IsoDuration::default()
    }

    /// The instant this long after `start`, counted as the calendar counts: months
    /// and years keep the day of the month, or take the month's last day when it has
    /// no such day (31 January + P1M = 28 or 29 February), then weeks and days are
    /// added. `None` past the year 9999.
    pub fn after(&self, start: time::OffsetDateTime) -> Option<time::OffsetDateTime> {
        let shifted = Self::add_months(start.date(), self.total_months())?;
        let days = i64::from(self.weeks) * 7 + i64::from(self.days);
        let shifted = shifted.checked_add(time::Duration::days(days))?;
        Some(start.replace_date(shifted))
    }

    /// `date` moved `months` calendar months on, keeping the day of the month or
    /// taking the month's last day when it has no such day (31 January + 1 month = 28
    /// or 29 February). `None` past the year 9999. The one copy of this clamp:
    /// retention and rights deadlines both count months with it.
    pub fn add_months(date: time::Date, months: u32) -> Option<time::Date> {
        let months0 =
            i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
        let year = i32::try_from(months0.div_euclid(12)).ok()?;
        let month = time::Month::try_from(u8::try_from(months0.rem_euclid(12) + 1).ok()?).ok()?;
        let day = date.day().min(month.length(year));
        time::Date::from_calendar_date(year, month, day).ok()
    }
}

impl FromStr for IsoDuration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| DurationError {
            input: input.to_owned(),
            reason,
        };
        let rest = input
            .strip_prefix('P')
            .ok_or_else(|| fail("it must start with P"))?;
        if rest.is_empty() {
            return Err(fail("it has no component"));
        }
        if rest.contains('T') {
            return Err(fail("use days, weeks, months or years, not hours"));
        }
        let mut out = IsoDuration::default();
        let mut number = String::new();
        let mut last_rank = 0;
        for c in rest.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (rank, slot) = match c {
                'Y' => (1, &mut out.years),
                'M' => (2, &mut out.months),
                'W' => (3, &mut out.weeks),
                'D' => (4, &mut out.days),
                _ => return Err(fail("unknown component (expected Y, M, W or D)")),
            };
            if rank <= last_rank {
                return Err(fail("components must appear once, in the order Y M W D"));
            }
            last_rank = rank;
            if number.is_empty() {
                return Err(fail("a component has no number"));
            }
            *slot = number.parse().map_err(|_| fail("number too large"))?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(fail("a number has no unit"));
        }
        Ok(out)
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("P0D");
        }
        f.write_str("P")?;
        for (n, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_register_durations() {
        let d: IsoDuration = "P1Y6M".parse().unwrap();
        assert_eq!((d.years, d.months), (1, 6));
        assert_eq!("P90D".parse::<IsoDuration>().unwrap().days, 90);
        assert_eq!("P13M".parse::<IsoDuration>().unwrap().to_string(), "P13M");
    }

    #[test]
    fn rejects_malformed_durations() {
        for bad in ["", "P", "3Y", "PT1H", "P1M1Y", "PY", "P3", "P1X"] {
            assert!(bad.parse::<IsoDuration>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn compares_against_ceilings() {
        let ceiling: IsoDuration = "P13M".parse().unwrap();
        assert!("P2Y".parse::<IsoDuration>().unwrap().may_exceed(&ceiling));
        assert!(!"P1Y1M".parse::<IsoDuration>().unwrap().may_exceed(&ceiling));
        // 400 days is longer than any 13 months; 300 days never is.
        assert!("P400D".parse::<IsoDuration>().unwrap().may_exceed(&ceiling));
        assert!(!"P300D".parse::<IsoDuration>().unwrap().may_exceed(&ceiling));
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::IsoDuration;
    use time::macros::datetime;

    fn d(text: &str) -> IsoDuration {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn months_keep_the_day_or_take_the_last_one() {
        let jan31 = datetime!(2027-01-31 10:00 UTC);
        assert_eq!(d("P1M").after(jan31), Some(datetime!(2027-02-28 10:00 UTC)));
        assert_eq!(
            d("P1M").after(datetime!(2028-01-31 10:00 UTC)),
            Some(datetime!(2028-02-29 10:00 UTC))
        );
        assert_eq!(
            d("P13M").after(datetime!(2026-11-22 08:00 UTC)),
            Some(datetime!(2027-12-22 08:00 UTC))
        );
        assert_eq!(
            d("P6M").after(datetime!(2026-08-31 00:00 UTC)),
            Some(datetime!(2027-02-28 00:00 UTC))
        );
        assert_eq!(
            d("P1Y").after(datetime!(2024-02-29 00:00 UTC)),
            Some(datetime!(2025-02-28 00:00 UTC))
        );
        assert_eq!(
            d("P90D").after(datetime!(2026-12-01 00:00 UTC)),
            Some(datetime!(2027-03-01 00:00 UTC))
        );
        assert_eq!(
            d("P1Y1M2W1D").after(datetime!(2026-12-31 23:59 UTC)),
            Some(datetime!(2028-02-15 23:59 UTC))
        );
        assert_eq!(d("P9999Y").after(datetime!(2026-01-01 00:00 UTC)), None);
    }
}
