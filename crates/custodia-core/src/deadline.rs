//! When a data-subject rights request must be answered: pure date arithmetic over a
//! [`WorkingDayCalendar`], no clock and no I/O.
//!
//! How each kind of [`Period`] is counted, and the decisions taken where the texts
//! leave room:
//!
//! - **Months** (GDPR Art. 12(3), counted under Regulation 1182/71 Art. 3): the day
//!   of receipt is not counted; the period ends on the same date N months later, or
//!   on the last day of that month when it has no such date; an end falling on a
//!   weekend or public holiday moves to the next working day. The month clamp is
//!   [`IsoDuration::add_months`], the one retention uses too.
//! - **Extension by two further months** is counted as three months from receipt
//!   ([`Period::GDPR_EXTENDED_RESPONSE`]), the common reading. Chaining two months
//!   onto the unmoved one-month date gives the same day or up to three days earlier
//!   (received 31 October: 30 November, then 30 January, against 31 January).
//! - **Calendar days** (CCPA regulations §7021(b): 45 days, 90 with the extension;
//!   Civil Code §1798.83: 30 days): the due date is receipt + N days and is *not*
//!   moved off a weekend or holiday: the earlier date is never late. A deployment
//!   that relies on California's next-business-day rule (Civil Code §§10–11) can
//!   apply [`WorkingDayCalendar::next_working_day_on_or_after`] itself, so there is
//!   no flag for it. §7021(b) says the period "begins on the day" of receipt; we read
//!   that as counting from that day (receipt + 45), not as counting it as day 1.
//! - **Business days** (CCPA: confirm receipt within 10, act on an opt-out within
//!   15): the day of receipt is not counted; the first working day after it is day 1.
//!
//! Working days are Monday to Friday, less the public holidays of the calendar's
//! country (FR, DE national, US federal), plus and minus dates the controller
//! configures. Today's holiday rules are applied to every year; their history (for
//! instance Juneteenth before 2021) is not modelled.

use custodia_register::IsoDuration;
use std::collections::BTreeSet;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset, Weekday};

/// How long the controller has, from the day a request was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Calendar months, the end moved to the next working day.
    Months(u32),
    /// Calendar days, never moved.
    CalendarDays(u32),
    /// Working days of the calendar, the day of receipt not counted.
    BusinessDays(u32),
}

impl Period {
    /// GDPR Art. 12(3): one month.
    pub const GDPR_RESPONSE: Period = Period::Months(1);
    /// GDPR Art. 12(3) extended by two further months, counted from receipt.
    pub const GDPR_EXTENDED_RESPONSE: Period = Period::Months(3);
    /// CCPA regulations §7021(b): 45 calendar days.
    pub const CCPA_RESPONSE: Period = Period::CalendarDays(45);
    /// CCPA regulations §7021(b): 90 calendar days in all with the extension.
    pub const CCPA_EXTENDED_RESPONSE: Period = Period::CalendarDays(90);
    /// CCPA regulations §7021(a): confirm receipt within 10 business days.
    pub const CCPA_CONFIRM_RECEIPT: Period = Period::BusinessDays(10);
    /// CCPA regulations §7026: stop selling or sharing within 15 business days.
    pub const CCPA_OPT_OUT: Period = Period::BusinessDays(15);
    /// Civil Code §1798.83 ("Shine the Light"): 30 calendar days.
    pub const SHINE_THE_LIGHT_RESPONSE: Period = Period::CalendarDays(30);
}

/// The date a request received on `received` must be answered by. `None` only past
/// the year 9999.
pub fn due_date(received: Date, period: Period, calendar: &WorkingDayCalendar) -> Option<Date> {
    match period {
        Period::Months(months) => {
            calendar.next_working_day_on_or_after(add_months_clamped(received, months)?)
        }
        Period::CalendarDays(days) => received.checked_add(Duration::days(i64::from(days))),
        Period::BusinessDays(days) => calendar.add_business_days(received, days),
    }
}

/// The last instant of the due date, in UTC, for a request received at `received`.
/// The day of receipt is the UTC date of `received`. Storing the end of the UTC day
/// keeps one rule for every controller; it is a few hours earlier than the local end
/// of day west of UTC and up to a few hours later east of it, so a controller east of
/// UTC should not plan to answer in the last hours.
pub fn due_at(
    received: OffsetDateTime,
    period: Period,
    calendar: &WorkingDayCalendar,
) -> Option<OffsetDateTime> {
    let received_day = received.checked_to_offset(UtcOffset::UTC)?.date();
    let due = due_date(received_day, period, calendar)?;
    // Microseconds: the precision the stores keep.
    Some(PrimitiveDateTime::new(due, time::macros::time!(23:59:59.999_999)).assume_utc())
}

/// `date` moved `months` calendar months on, clamped to the end of a shorter month
/// (31 January + 1 month = 28 or 29 February). `None` past the year 9999.
pub fn add_months_clamped(date: Date, months: u32) -> Option<Date> {
    IsoDuration::add_months(date, months)
}

/// Which days count as working days for a controller: Saturday and Sunday never do,
/// nor the public holidays of its country, nor dates it adds; dates it removes are
/// working days again unless they fall on a weekend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    national: Option<NationalHolidays>,
    extra_holidays: BTreeSet<Date>,
    removed_holidays: BTreeSet<Date>,
}

impl WorkingDayCalendar {
    /// The calendar of an ISO 3166-1 alpha-2 country code (any case). A country
    /// without built-in holidays gets weekends only, and [`Self::is_known_country`]
    /// says so, so that the caller can warn and have the holidays configured.
    pub fn for_country(code: &str) -> Self {
        WorkingDayCalendar {
            national: NationalHolidays::for_code(code),
            extra_holidays: BTreeSet::new(),
            removed_holidays: BTreeSet::new(),
        }
    }

    /// Adds days off: regional holidays, company closures.
    pub fn with_extra_holidays(mut self, dates: impl IntoIterator<Item = Date>) -> Self {
        self.extra_holidays.extend(dates);
        self
    }

    /// Makes holidays working days again (a holiday worked by agreement).
    pub fn without_holidays(mut self, dates: impl IntoIterator<Item = Date>) -> Self {
        self.removed_holidays.extend(dates);
        self
    }

    /// Whether the country's public holidays are built in.
    pub fn is_known_country(&self) -> bool {
        self.national.is_some()
    }

    /// The holidays that fall in `year`, sorted: national ones, then added, less
    /// removed. Weekends are not listed.
    pub fn holidays_in(&self, year: i32) -> Vec<Date> {
        let national = self
            .national
            .map(|national| national.in_year(year))
            .unwrap_or_default();
        let extra = self
            .extra_holidays
            .iter()
            .copied()
            .filter(|date| date.year() == year);
        national
            .into_iter()
            .chain(extra)
            .filter(|date| !self.removed_holidays.contains(date))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.is_holiday(date)
    }

    /// `date` itself if it is a working day, else the first one after it. `None` only
    /// past the year 9999.
    pub fn next_working_day_on_or_after(&self, date: Date) -> Option<Date> {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day.next_day()?;
        }
        Some(day)
    }

    /// The `days`-th working day after `date`, which itself is not counted (the first
    /// working day after it is day 1). Zero days is `date`. `None` only past the year
    /// 9999.
    pub fn add_business_days(&self, date: Date, days: u32) -> Option<Date> {
        let mut day = date;
        let mut left = days;
        while left > 0 {
            day = day.next_day()?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    fn is_holiday(&self, date: Date) -> bool {
        if self.removed_holidays.contains(&date) {
            return false;
        }
        self.extra_holidays.contains(&date)
            || self
                .national
                .is_some_and(|national| national.in_year(date.year()).contains(&date))
    }
}

/// The countries whose public holidays are built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NationalHolidays {
    France,
    /// Holidays of every Land only; a Land's own are configured as extra holidays.
    Germany,
    /// Federal holidays, on their observed days.
    UnitedStates,
}

impl NationalHolidays {
    fn for_code(code: &str) -> Option<Self> {
        [
            ("FR", NationalHolidays::France),
            ("DE", NationalHolidays::Germany),
            ("US", NationalHolidays::UnitedStates),
        ]
        .into_iter()
        .find(|(known, _)| code.eq_ignore_ascii_case(known))
        .map(|(_, national)| national)
    }

    /// The holidays falling in `year`, sorted. Dates the calendar cannot represent
    /// (around the years ±9999) are left out.
    fn in_year(self, year: i32) -> Vec<Date> {
        let mut holidays: Vec<Date> = match self {
            NationalHolidays::France => {
                let fixed = [
                    (Month::January, 1),
                    (Month::May, 1),
                    (Month::May, 8),
                    (Month::July, 14),
                    (Month::August, 15),
                    (Month::November, 1),
                    (Month::November, 11),
                    (Month::December, 25),
                ];
                // Easter Monday, Ascension Thursday, Whit Monday.
                let after_easter = [1, 39, 50];
                fixed_dates(year, &fixed)
                    .chain(days_after_easter(year, &after_easter))
                    .collect()
            }
            NationalHolidays::Germany => {
                let fixed = [
                    (Month::January, 1),
                    (Month::May, 1),
                    (Month::October, 3),
                    (Month::December, 25),
                    (Month::December, 26),
                ];
                // Good Friday, Easter Monday, Ascension Thursday, Whit Monday.
                let after_easter = [-2, 1, 39, 50];
                fixed_dates(year, &fixed)
                    .chain(days_after_easter(year, &after_easter))
                    .collect()
            }
            NationalHolidays::UnitedStates => united_states_federal(year),
        };
        holidays.sort_unstable();
        // Two holidays can share a day (Ascension on 1 or 8 May in France).
        holidays.dedup();
        holidays
    }
}

fn fixed_dates(year: i32, days: &[(Month, u8)]) -> impl Iterator<Item = Date> {
    days.iter()
        .filter_map(move |&(month, day)| Date::from_calendar_date(year, month, day).ok())
}

fn days_after_easter(year: i32, offsets: &[i64]) -> impl Iterator<Item = Date> {
    let easter = easter_sunday(year);
    offsets
        .iter()
        .filter_map(move |&offset| easter?.checked_add(Duration::days(offset)))
}

/// US federal holidays (5 U.S.C. 6103) observed in `year`. A fixed-date holiday on a
/// Saturday is observed the Friday before, on a Sunday the Monday after, so New Year's
/// Day of the next year can be observed on 31 December of this one.
fn united_states_federal(year: i32) -> Vec<Date> {
    let fixed = [
        (Month::January, 1),
        (Month::June, 19),
        (Month::July, 4),
        (Month::November, 11),
        (Month::December, 25),
    ];
    let next_new_year = year
        .checked_add(1)
        .and_then(|next| Date::from_calendar_date(next, Month::January, 1).ok());
    let observed = fixed_dates(year, &fixed)
        .chain(next_new_year)
        .filter_map(observed_weekday);
    let weekday_rules = [
        nth_weekday(year, Month::January, Weekday::Monday, 3), // Martin Luther King Jr. Day
        nth_weekday(year, Month::February, Weekday::Monday, 3), // Washington's Birthday
        last_weekday(year, Month::May, Weekday::Monday),       // Memorial Day
        nth_weekday(year, Month::September, Weekday::Monday, 1), // Labor Day
        nth_weekday(year, Month::October, Weekday::Monday, 2), // Columbus Day
        nth_weekday(year, Month::November, Weekday::Thursday, 4), // Thanksgiving Day
    ];
    observed
        .chain(weekday_rules.into_iter().flatten())
        .filter(|date| date.year() == year)
        .collect()
}

fn observed_weekday(holiday: Date) -> Option<Date> {
    match holiday.weekday() {
        Weekday::Saturday => holiday.previous_day(),
        Weekday::Sunday => holiday.next_day(),
        _ => Some(holiday),
    }
}

/// The `nth` (from 1) `weekday` of the month.
fn nth_weekday(year: i32, month: Month, weekday: Weekday, nth: u8) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let to_first_match =
        (weekday.number_days_from_monday() + 7 - first.weekday().number_days_from_monday()) % 7;
    let day = 1 + to_first_match + 7 * nth.saturating_sub(1);
    Date::from_calendar_date(year, month, day).ok()
}

fn last_weekday(year: i32, month: Month, weekday: Weekday) -> Option<Date> {
    let last_day = month.length(year);
    let last = Date::from_calendar_date(year, month, last_day).ok()?;
    let back_to_match =
        (last.weekday().number_days_from_monday() + 7 - weekday.number_days_from_monday()) % 7;
    Date::from_calendar_date(year, month, last_day - back_to_match).ok()
}

/// Easter Sunday in the Gregorian calendar, by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher); the letters are the algorithm's own.
fn easter_sunday(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month_and_day = h + l - 7 * m + 114;
    let month = Month::try_from(u8::try_from(month_and_day.div_euclid(31)).ok()?).ok()?;
    let day = u8::try_from(month_and_day.rem_euclid(31) + 1).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn fr() -> WorkingDayCalendar {
        WorkingDayCalendar::for_country("FR")
    }

    fn us() -> WorkingDayCalendar {
        WorkingDayCalendar::for_country("US")
    }

    fn de() -> WorkingDayCalendar {
        WorkingDayCalendar::for_country("DE")
    }

    #[test]
    fn easter_matches_published_dates() {
        for (year, easter) in [
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2038, date!(2038 - 04 - 25)),
            (1943, date!(1943 - 04 - 25)),
            (1818, date!(1818 - 03 - 22)),
            (2285, date!(2285 - 03 - 22)),
        ] {
            assert_eq!(easter_sunday(year), Some(easter), "{year}");
        }
    }

    #[test]
    fn french_holidays_2026() {
        assert_eq!(
            fr().holidays_in(2026),
            vec![
                date!(2026 - 01 - 01),
                date!(2026 - 04 - 06), // Easter Monday
                date!(2026 - 05 - 01),
                date!(2026 - 05 - 08),
                date!(2026 - 05 - 14), // Ascension
                date!(2026 - 05 - 25), // Whit Monday
                date!(2026 - 07 - 14),
                date!(2026 - 08 - 15),
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 11),
                date!(2026 - 12 - 25),
            ]
        );
    }

    #[test]
    fn german_holidays_2026() {
        assert_eq!(
            de().holidays_in(2026),
            vec![
                date!(2026 - 01 - 01),
                date!(2026 - 04 - 03), // Good Friday
                date!(2026 - 04 - 06),
                date!(2026 - 05 - 01),
                date!(2026 - 05 - 14),
                date!(2026 - 05 - 25),
                date!(2026 - 10 - 03),
                date!(2026 - 12 - 25),
                date!(2026 - 12 - 26),
            ]
        );
    }

    #[test]
    fn us_federal_holidays_2026_on_observed_days() {
        assert_eq!(
            us().holidays_in(2026),
            vec![
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 19), // MLK Day, 3rd Monday
                date!(2026 - 02 - 16), // Presidents' Day, 3rd Monday
                date!(2026 - 05 - 25), // Memorial Day, last Monday
                date!(2026 - 06 - 19),
                date!(2026 - 07 - 03), // 4 July is a Saturday
                date!(2026 - 09 - 07), // Labor Day, 1st Monday
                date!(2026 - 10 - 12), // Columbus Day, 2nd Monday
                date!(2026 - 11 - 11),
                date!(2026 - 11 - 26), // Thanksgiving, 4th Thursday
                date!(2026 - 12 - 25),
            ]
        );
    }

    #[test]
    fn us_observed_days_cross_weekends_and_the_year_end() {
        let us = us();
        // 1 January 2022 is a Saturday: observed on Friday 31 December 2021.
        assert!(us.holidays_in(2021).contains(&date!(2021 - 12 - 31)));
        assert!(!us.is_working_day(date!(2021 - 12 - 31)));
        assert!(!us.holidays_in(2022).contains(&date!(2021 - 12 - 31)));
        assert!(!us.holidays_in(2022).contains(&date!(2022 - 01 - 01)));
        // 19 June 2022 and 1 January 2023 are Sundays: observed on the Monday.
        assert!(!us.is_working_day(date!(2022 - 06 - 20)));
        assert!(!us.is_working_day(date!(2023 - 01 - 02)));
    }

    #[test]
    fn one_month_from_the_31st_clamps_then_moves_off_weekends() {
        let fr = fr();
        let one_month = |received| due_date(received, Period::GDPR_RESPONSE, &fr);
        // 28 February 2025 is a Friday.
        assert_eq!(
            one_month(date!(2025 - 01 - 31)),
            Some(date!(2025 - 02 - 28))
        );
        // 29 February 2028 is a Tuesday.
        assert_eq!(
            one_month(date!(2028 - 01 - 31)),
            Some(date!(2028 - 02 - 29))
        );
        // 28 February 2026 is a Saturday, 28 February 2027 a Sunday.
        assert_eq!(
            one_month(date!(2026 - 01 - 31)),
            Some(date!(2026 - 03 - 02))
        );
        assert_eq!(
            one_month(date!(2027 - 01 - 31)),
            Some(date!(2027 - 03 - 01))
        );
    }

    #[test]
    fn one_month_across_the_year_end() {
        let fr = fr();
        let one_month = |received| due_date(received, Period::GDPR_RESPONSE, &fr);
        assert_eq!(
            one_month(date!(2025 - 11 - 30)),
            Some(date!(2025 - 12 - 30))
        );
        // 31 January 2026 is a Saturday.
        assert_eq!(
            one_month(date!(2025 - 12 - 31)),
            Some(date!(2026 - 02 - 02))
        );
        // 30 January 2027 is a Saturday.
        assert_eq!(
            one_month(date!(2026 - 12 - 30)),
            Some(date!(2027 - 02 - 01))
        );
        // 1 January 2027 is a Friday and a holiday.
        assert_eq!(
            one_month(date!(2026 - 12 - 01)),
            Some(date!(2027 - 01 - 04))
        );
    }

    #[test]
    fn one_month_moves_off_french_holidays() {
        let fr = fr();
        let one_month = |received| due_date(received, Period::GDPR_RESPONSE, &fr);
        // Easter Monday 6 April 2026.
        assert_eq!(
            one_month(date!(2026 - 03 - 06)),
            Some(date!(2026 - 04 - 07))
        );
        // 1 May 2026 is a Friday: then the weekend.
        assert_eq!(
            one_month(date!(2026 - 04 - 01)),
            Some(date!(2026 - 05 - 04))
        );
        // Ascension, Thursday 14 May 2026.
        assert_eq!(
            one_month(date!(2026 - 04 - 14)),
            Some(date!(2026 - 05 - 15))
        );
        // 14 July 2026 is a Tuesday.
        assert_eq!(
            one_month(date!(2026 - 06 - 14)),
            Some(date!(2026 - 07 - 15))
        );
    }

    #[test]
    fn one_month_depends_on_the_country() {
        // Friday 3 July 2026 is the US observed Independence Day, a working day in France.
        let received = date!(2026 - 06 - 03);
        assert_eq!(
            due_date(received, Period::GDPR_RESPONSE, &fr()),
            Some(date!(2026 - 07 - 03))
        );
        assert_eq!(
            due_date(received, Period::GDPR_RESPONSE, &us()),
            Some(date!(2026 - 07 - 06))
        );
        // Good Friday to Easter Monday 2026 in Germany: four days off.
        assert_eq!(
            due_date(date!(2026 - 03 - 03), Period::GDPR_RESPONSE, &de()),
            Some(date!(2026 - 04 - 07))
        );
    }

    #[test]
    fn extension_counts_three_months_from_receipt() {
        // 31 January 2027 is a Sunday.
        assert_eq!(
            due_date(date!(2026 - 10 - 31), Period::GDPR_EXTENDED_RESPONSE, &fr()),
            Some(date!(2027 - 02 - 01))
        );
    }

    #[test]
    fn calendar_days_are_not_moved() {
        // 15 February 2026 is a Sunday.
        assert_eq!(
            due_date(date!(2026 - 01 - 01), Period::CCPA_RESPONSE, &us()),
            Some(date!(2026 - 02 - 15))
        );
        assert_eq!(
            due_date(date!(2026 - 01 - 01), Period::CCPA_EXTENDED_RESPONSE, &us()),
            Some(date!(2026 - 04 - 01))
        );
        assert_eq!(
            due_date(
                date!(2026 - 12 - 10),
                Period::SHINE_THE_LIGHT_RESPONSE,
                &us()
            ),
            Some(date!(2027 - 01 - 09))
        );
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let us = us();
        // Received Friday 26 June 2026: Monday 29 June is day 1, Friday 3 July is off.
        assert_eq!(
            due_date(date!(2026 - 06 - 26), Period::CCPA_CONFIRM_RECEIPT, &us),
            Some(date!(2026 - 07 - 13))
        );
        // Received Monday 16 November 2026: Thanksgiving (26th) is skipped.
        assert_eq!(
            due_date(date!(2026 - 11 - 16), Period::CCPA_OPT_OUT, &us),
            Some(date!(2026 - 12 - 08))
        );
        // Received on a Saturday: Monday is day 1.
        assert_eq!(
            us.add_business_days(date!(2026 - 01 - 10), 1),
            Some(date!(2026 - 01 - 12))
        );
        assert_eq!(
            us.add_business_days(date!(2026 - 01 - 10), 0),
            Some(date!(2026 - 01 - 10))
        );
    }

    #[test]
    fn configured_dates_and_unknown_countries() {
        let belgium = WorkingDayCalendar::for_country("BE");
        assert!(!belgium.is_known_country());
        assert!(belgium.holidays_in(2026).is_empty());
        assert!(belgium.is_working_day(date!(2026 - 07 - 21)));
        let belgium = belgium.with_extra_holidays(vec![date!(2026 - 07 - 21)]);
        assert!(!belgium.is_working_day(date!(2026 - 07 - 21)));
        assert_eq!(belgium.holidays_in(2026), vec![date!(2026 - 07 - 21)]);

        let lowercase = WorkingDayCalendar::for_country("fr");
        assert!(lowercase.is_known_country());
        assert!(!lowercase.is_working_day(date!(2026 - 05 - 25)));
        let whit_monday_worked = lowercase.without_holidays([date!(2026 - 05 - 25)]);
        assert!(whit_monday_worked.is_working_day(date!(2026 - 05 - 25)));
        assert!(
            !whit_monday_worked
                .holidays_in(2026)
                .contains(&date!(2026 - 05 - 25))
        );
        // Removing a date does not make a weekend a working day.
        assert!(
            !fr()
                .without_holidays([date!(2026 - 08 - 15)])
                .is_working_day(date!(2026 - 08 - 15))
        );
    }

    #[test]
    fn due_at_is_the_end_of_the_due_day_in_utc() {
        // Received 00:30 in Paris on 1 February: still 31 January in UTC.
        assert_eq!(
            due_at(
                datetime!(2026-02-01 00:30 +01:00),
                Period::GDPR_RESPONSE,
                &fr()
            ),
            Some(datetime!(2026-03-02 23:59:59.999_999 UTC))
        );
        assert_eq!(
            due_at(
                datetime!(2026-01-01 09:00 -08:00),
                Period::CCPA_RESPONSE,
                &us()
            ),
            Some(datetime!(2026-02-15 23:59:59.999_999 UTC))
        );
    }

    #[test]
    fn no_date_past_the_calendar() {
        assert!(us().holidays_in(i32::MAX).is_empty());
        assert!(fr().holidays_in(i32::MIN).is_empty());
        assert_eq!(add_months_clamped(date!(9999 - 12 - 01), 1), None);
        assert_eq!(
            due_date(date!(9999 - 12 - 31), Period::BusinessDays(1), &fr()),
            None
        );
        assert_eq!(
            due_date(date!(9999 - 12 - 31), Period::CalendarDays(1), &fr()),
            None
        );
    }

    /// The longest run of consecutive days off (weekends and holidays) in the
    /// built-in calendars over 1900..2200: Good Friday to Easter Monday, or two
    /// holidays beside a weekend.
    const LONGEST_RUN_OF_DAYS_OFF: i64 = 4;

    #[test]
    fn longest_run_of_days_off() {
        for (calendar, expected) in [(fr(), 4), (de(), 4), (us(), 3)] {
            let mut longest = 0;
            let mut run = 0;
            let mut day = date!(1900 - 01 - 01);
            while day.year() < 2200 {
                let holidays = calendar.holidays_in(day.year());
                let off = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
                    || holidays.contains(&day);
                run = if off { run + 1 } else { 0 };
                longest = longest.max(run);
                day = day.next_day().unwrap();
            }
            assert_eq!(longest, expected, "{calendar:?}");
            assert!(longest <= LONGEST_RUN_OF_DAYS_OFF);
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        let first = date!(1900 - 01 - 01).to_julian_day();
        let last = date!(2199 - 12 - 31).to_julian_day();
        (first..=last).prop_map(|day| Date::from_julian_day(day).unwrap())
    }

    fn any_calendar() -> impl Strategy<Value = WorkingDayCalendar> {
        prop_oneof![Just(fr()), Just(us()), Just(de())]
    }

    fn working_days_between(calendar: &WorkingDayCalendar, after: Date, up_to: Date) -> u32 {
        let mut count = 0;
        let mut day = after;
        while day < up_to {
            day = day.next_day().unwrap();
            if calendar.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    proptest! {
        // A failure prints its smallest case; nothing is written into the source tree.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn one_month_lands_on_a_working_day_soon_after_the_clamped_date(
            received in any_date(),
            calendar in any_calendar(),
        ) {
            let clamped = add_months_clamped(received, 1).unwrap();
            let due = due_date(received, Period::Months(1), &calendar).unwrap();
            prop_assert!(due > received);
            prop_assert!(due >= clamped);
            prop_assert!(due - clamped <= Duration::days(LONGEST_RUN_OF_DAYS_OFF));
            prop_assert!(calendar.is_working_day(due));
        }

        #[test]
        fn months_never_move_back_when_receipt_moves_on(
            received in any_date(),
            later_by in 0i64..400,
            months in 1u32..=3,
            calendar in any_calendar(),
        ) {
            let later = received + Duration::days(later_by);
            let first = due_date(received, Period::Months(months), &calendar).unwrap();
            let second = due_date(later, Period::Months(months), &calendar).unwrap();
            prop_assert!(first <= second);
        }

        #[test]
        fn forty_five_calendar_days_are_exactly_45_days(
            received in any_date(),
            calendar in any_calendar(),
        ) {
            let due = due_date(received, Period::CalendarDays(45), &calendar).unwrap();
            prop_assert_eq!(due - received, Duration::days(45));
        }

        #[test]
        fn business_days_count_exactly_n_working_days(
            received in any_date(),
            days in 1u32..=30,
            calendar in any_calendar(),
        ) {
            let due = due_date(received, Period::BusinessDays(days), &calendar).unwrap();
            prop_assert!(calendar.is_working_day(due));
            prop_assert_eq!(working_days_between(&calendar, received, due), days);
        }

        #[test]
        fn holidays_fall_in_their_year_and_are_days_off(
            year in 1900i32..2200,
            calendar in any_calendar(),
        ) {
            for holiday in calendar.holidays_in(year) {
                prop_assert_eq!(holiday.year(), year);
                prop_assert!(!calendar.is_working_day(holiday));
            }
        }

        #[test]
        fn easter_falls_between_22_march_and_25_april(year in 1900i32..2200) {
            let easter = easter_sunday(year).unwrap();
            prop_assert_eq!(easter.weekday(), Weekday::Sunday);
            prop_assert!(easter >= Date::from_calendar_date(year, Month::March, 22).unwrap());
            prop_assert!(easter <= Date::from_calendar_date(year, Month::April, 25).unwrap());
        }
    }
}
