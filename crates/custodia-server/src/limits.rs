//! Throttles per client address: token buckets for public endpoints and
//! unauthenticated callers (governor), exponential back-off for sign-in, and the
//! aggregation of refusals into one audit entry per source and window.

use crate::ApiError;
use custodia_core::audit::{AuditAction, AuditRecord};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The key an address is counted under: an IPv4 address, or an IPv6 /64 (one
/// subscriber usually holds a whole /64).
pub fn source_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// Seconds for `Retry-After`, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// A keyed token bucket per source: `burst` requests, then one every `period`.
pub struct Limiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    /// Above this many sources, idle ones are dropped before the next check.
    max_sources: usize,
}

impl Limiter {
    pub fn new(burst: u32, period: Duration) -> Limiter {
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        let clock = DefaultClock::default();
        Limiter {
            limiter: governor::RateLimiter::dashmap_with_clock(quota, clock.clone()),
            clock,
            max_sources: 100_000,
        }
    }

    /// `Err(wait)` when `ip` must wait before its next request.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > self.max_sources {
            self.housekeep();
        }
        self.limiter
            .check_key(&source_key(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// [`Limiter::check`] as a 429 problem with `Retry-After`.
    pub fn admit(&self, ip: IpAddr, what: &str) -> Result<(), ApiError> {
        self.check(ip).map_err(|wait| ApiError::Throttled {
            detail: format!("too many {what} from this address; retry after the delay given"),
            retry_after: retry_after_secs(wait),
        })
    }

    /// Forgets sources whose bucket is full again, so memory follows recent traffic.
    pub fn housekeep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Refusals counted per source, action and window: the first of a window is
/// audited at once, the others as one entry with their count when the window
/// closes (or the server stops).
pub struct Refusals {
    window: Duration,
    open: Mutex<HashMap<(IpAddr, AuditAction), Window>>,
}

struct Window {
    started: Instant,
    /// Refusals after the first, not yet audited.
    more: u64,
    throttled: u64,
    outcome: &'static str,
    last: String,
}

/// Sources tracked at most; beyond, refusals are still counted under one key.
const MAX_WINDOWS: usize = 100_000;

impl Refusals {
    pub fn new(window: Duration) -> Refusals {
        Refusals {
            window,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one refusal; returns the record to write now when it opens a window.
    /// `detail` names the route and reason, never a value sent.
    pub fn note(
        &self,
        now: time::OffsetDateTime,
        ip: IpAddr,
        action: AuditAction,
        outcome: &'static str,
        throttled: bool,
        detail: String,
    ) -> Option<AuditRecord> {
        let mut open = lock(&self.open);
        let mut key = (source_key(ip), action);
        if open.len() >= MAX_WINDOWS && !open.contains_key(&key) {
            key = (IpAddr::V6(Ipv6Addr::UNSPECIFIED), action);
        }
        match open.get_mut(&key) {
            Some(w) => {
                w.more += 1;
                w.throttled += u64::from(throttled);
                w.last = detail;
                None
            }
            None => {
                open.insert(
                    key,
                    Window {
                        started: Instant::now(),
                        more: 0,
                        throttled: 0,
                        outcome,
                        last: String::new(),
                    },
                );
                let answered = if throttled { "429" } else { "401" };
                Some(
                    AuditRecord::new(now, "anonymous", action, outcome).detail(format!(
                        "1 refused from {}: {detail}, answered {answered}",
                        key.0
                    )),
                )
            }
        }
    }

    /// The entries of windows closed by now (all of them when `all`), to write.
    pub fn closed(&self, now: time::OffsetDateTime, all: bool) -> Vec<AuditRecord> {
        let mut open = lock(&self.open);
        let window = self.window;
        let mut records = Vec::new();
        open.retain(|(source, action), w| {
            if !all && w.started.elapsed() < window {
                return true;
            }
            if w.more > 0 {
                records.push(
                    AuditRecord::new(now, "anonymous", *action, w.outcome).detail(format!(
                        "{} refused from {source} within {} s after the first, {} answered 429; last: {}",
                        w.more,
                        window.as_secs(),
                        w.throttled,
                        w.last
                    )),
                );
            }
            false
        });
        records
    }
}

/// Exponential back-off for sign-in, per account and per client address.
pub struct LoginThrottle {
    accounts: Backoffs,
    addresses: Backoffs,
}

impl Default for LoginThrottle {
    /// Three free tries per account, ten per address (offices share one), then
    /// 1 s, 2 s, 4 s... up to 15 minutes.
    fn default() -> Self {
        let max = Duration::from_secs(900);
        LoginThrottle {
            accounts: Backoffs::new(3, max),
            addresses: Backoffs::new(10, max),
        }
    }
}

impl LoginThrottle {
    /// The wait left before `account` may try again from `ip`, if any.
    pub fn blocked(&self, account: &str, ip: IpAddr) -> Option<Duration> {
        let by_account = self.accounts.blocked(account);
        let by_address = self.addresses.blocked(&source_key(ip).to_string());
        by_account.max(by_address)
    }

    pub fn failed(&self, account: &str, ip: IpAddr) {
        self.accounts.failed(account);
        self.addresses.failed(&source_key(ip).to_string());
    }

    /// A sign-in clears the account's failures, not the address's: one's own
    /// account must not reset a guesser's allowance.
    pub fn succeeded(&self, account: &str) {
        lock(&self.accounts.entries).remove(account);
    }

    pub fn housekeep(&self) {
        self.accounts.housekeep();
        self.addresses.housekeep();
    }
}

struct Backoffs {
    free: u32,
    max: Duration,
    entries: Mutex<HashMap<String, Backoff>>,
}

#[derive(Clone, Copy)]
struct Backoff {
    failures: u32,
    until: Instant,
    last: Instant,
}

/// Failures are forgotten after this long without one.
const FORGET_AFTER: Duration = Duration::from_secs(3600);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Backoffs {
    /// `free` failures are allowed; the last of them and each later one doubles
    /// the wait, from one second up to `max`.
    fn new(free: u32, max: Duration) -> Backoffs {
        Backoffs {
            free,
            max,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn blocked(&self, key: &str) -> Option<Duration> {
        let now = Instant::now();
        lock(&self.entries)
            .get(key)
            .filter(|b| b.until > now)
            .map(|b| b.until - now)
    }

    fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut entries = lock(&self.entries);
        if entries.len() >= MAX_WINDOWS {
            entries.retain(|_, b| b.until > now || now - b.last < FORGET_AFTER);
        }
        if entries.len() >= MAX_WINDOWS && !entries.contains_key(key) {
            return;
        }
        let b = entries.entry(key.to_owned()).or_insert(Backoff {
            failures: 0,
            until: now,
            last: now,
        });
        if now - b.last >= FORGET_AFTER {
            b.failures = 0;
        }
        b.failures = b.failures.saturating_add(1);
        b.last = now;
        if b.failures >= self.free {
            let doubling = (b.failures - self.free).min(20);
            b.until = now + Duration::from_secs(1u64 << doubling).min(self.max);
        }
    }

    fn housekeep(&self) {
        let now = Instant::now();
        let mut entries = lock(&self.entries);
        entries.retain(|_, b| b.until > now || now - b.last < FORGET_AFTER);
        entries.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate_per_source() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let ip: IpAddr = "198.51.100.7".parse().unwrap();
        assert!((0..3).all(|_| limiter.check(ip).is_ok()));
        let wait = limiter.check(ip).unwrap_err();
        assert!(wait > Duration::from_secs(50), "{wait:?}");
        assert!(limiter.check("198.51.100.8".parse().unwrap()).is_ok());
        // One IPv6 /64 is one source.
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::2".parse().unwrap();
        assert!((0..3).all(|_| limiter.check(a).is_ok()));
        assert!(limiter.check(b).is_err());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }

    #[test]
    fn refusals_are_counted_per_source_and_window() {
        let refusals = Refusals::new(Duration::from_secs(60));
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let ip: IpAddr = "198.51.100.7".parse().unwrap();
        let first = refusals.note(
            now,
            ip,
            AuditAction::AuthRequest,
            "unauthenticated",
            false,
            "x".into(),
        );
        assert!(first.is_some());
        for _ in 0..9 {
            assert!(
                refusals
                    .note(
                        now,
                        ip,
                        AuditAction::AuthRequest,
                        "unauthenticated",
                        true,
                        "x".into()
                    )
                    .is_none()
            );
        }
        assert!(refusals.closed(now, false).is_empty());
        let rest = refusals.closed(now, true);
        assert_eq!(rest.len(), 1);
        let detail = rest[0].detail.as_deref().unwrap();
        assert!(detail.starts_with("9 refused"), "{detail}");
        assert!(refusals.closed(now, true).is_empty());
    }

    #[test]
    fn back_off_doubles_after_the_free_tries() {
        let throttle = LoginThrottle::default();
        let ip: IpAddr = "198.51.100.7".parse().unwrap();
        throttle.failed("a", ip);
        throttle.failed("a", ip);
        assert!(throttle.blocked("a", ip).is_none());
        throttle.failed("a", ip);
        let first = throttle.blocked("a", ip).unwrap();
        throttle.failed("a", ip);
        let second = throttle.blocked("a", ip).unwrap();
        assert!(second > first, "{first:?} {second:?}");
        assert!(
            throttle
                .blocked("b", "198.51.100.8".parse().unwrap())
                .is_none()
        );
        throttle.succeeded("a");
        assert!(throttle.blocked("a", ip).is_none());
    }
}
