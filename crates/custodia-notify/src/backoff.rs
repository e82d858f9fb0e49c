//! When to try a failed delivery again: doubling delays up to a cap, then giving up.

use time::Duration;

/// The retry schedule. `delay(n)` is the wait after the `n`th failed attempt.
///
/// The default waits 30 s, 1, 2, 4, 8, 16, 32, 64, 128, 256 min, then 6 h twice:
/// twelve retries after the first attempt, about 20 h 30 min in all, which outlasts
/// a night-long outage and gives up within a day. Deterministic: callers that send in
/// bulk may add their own jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait after the first failure.
    pub first: Duration,
    /// No wait is longer.
    pub cap: Duration,
    /// Retries after the first attempt; after that many, [`Backoff::delay`] gives up.
    pub max_retries: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            first: Duration::seconds(30),
            cap: Duration::hours(6),
            max_retries: 12,
        }
    }
}

impl Backoff {
    /// The wait before the next attempt when `attempts` attempts have failed, or
    /// `None` when it is time to give up. `delay(0)` is zero: nothing tried yet.
    pub fn delay(&self, attempts: u32) -> Option<Duration> {
        if attempts == 0 {
            return Some(Duration::ZERO);
        }
        if attempts > self.max_retries {
            return None;
        }
        // 2^(attempts-1), saturating: past 2^62 the cap has long been reached.
        let factor = 1i32.checked_shl(attempts - 1).filter(|f| *f > 0);
        let delay = factor
            .and_then(|f| self.first.checked_mul(f))
            .unwrap_or(self.cap);
        Some(delay.min(self.cap))
    }
}

/// [`Backoff::default`]'s wait after `attempts` failed attempts; `None`: give up.
pub fn next_attempt_delay(attempts: u32) -> Option<Duration> {
    Backoff::default().delay(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_doubles_from_30_s_to_a_6_h_cap_then_gives_up() {
        let minutes: Vec<f64> = (1..=12)
            .map(|n| next_attempt_delay(n).unwrap().as_seconds_f64() / 60.0)
            .collect();
        assert_eq!(
            minutes,
            [
                0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 360.0, 360.0
            ]
        );
        assert_eq!(next_attempt_delay(0), Some(Duration::ZERO));
        assert_eq!(next_attempt_delay(13), None);
        assert_eq!(next_attempt_delay(u32::MAX), None);
        let total: Duration = (1..=12).filter_map(next_attempt_delay).sum();
        assert_eq!(
            total,
            Duration::minutes(20 * 60 + 31) + Duration::seconds(30)
        );
    }

    #[test]
    fn custom_schedule_and_huge_attempt_counts_stay_at_the_cap() {
        let b = Backoff {
            first: Duration::seconds(1),
            cap: Duration::hours(1),
            max_retries: 1000,
        };
        assert_eq!(b.delay(1), Some(Duration::seconds(1)));
        assert_eq!(b.delay(4), Some(Duration::seconds(8)));
        for n in [13, 31, 32, 33, 64, 999, 1000] {
            assert_eq!(b.delay(n), Some(Duration::hours(1)), "{n}");
        }
        assert_eq!(b.delay(1001), None);
        let never = Backoff {
            max_retries: 0,
            ..Backoff::default()
        };
        assert_eq!(never.delay(1), None);
    }
}
