//! The periodic access review (GDPR Art. 32, SPEC §9): every staff account and API
//! key with its role and last use, those unused for long flagged, and reviews
//! recorded with the next one's due date.
//!
//! Last uses of API keys are kept in memory at day precision and written by
//! [`crate::staff::Staff::flush_uses`] (hourly and at shutdown), so an API request
//! never adds a write; a sign-in is written with its session.

use crate::access::Principal;
use crate::audit::{AuditAction, AuditRecord};
use crate::staff::{Staff, StaffError};
use custodia_register::IsoDuration;
pub use custodia_store::AccessReview;
use custodia_store::{CredentialUse, Write};
use std::collections::HashMap;
use std::sync::Mutex;
use time::OffsetDateTime;

/// Longest notes a review may carry.
const MAX_NOTES: usize = 10_000;

/// `[staff]` settings of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewSettings {
    /// A credential not used for this many days is flagged.
    pub unused_after_days: u32,
    /// A review is due this many months after the last one.
    pub review_every_months: u32,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            unused_after_days: 90,
            review_every_months: 3,
        }
    }
}

/// A staff account as the review shows it.
#[derive(Debug, Clone)]
pub struct UserAccess {
    pub id: String,
    pub email: String,
    pub role: String,
    pub created_at: OffsetDateTime,
    pub last_sign_in: Option<OffsetDateTime>,
    pub disabled_at: Option<OffsetDateTime>,
    /// Enabled, and not signed in (or, never signed in, not created) for
    /// `unused_after_days`.
    pub unused: bool,
}

/// An API key as the review shows it (never its hash).
#[derive(Debug, Clone)]
pub struct KeyAccess {
    pub id: String,
    pub name: String,
    pub role: String,
    pub created_at: OffsetDateTime,
    /// Day precision: the start (UTC) of the last day it was used.
    pub last_used: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    /// Not revoked, and not used (or, never used, not created) for `unused_after_days`.
    pub unused: bool,
}

/// What the access review page and `GET /v1/access-review` show.
#[derive(Debug, Clone)]
pub struct AccessReport {
    pub users: Vec<UserAccess>,
    pub api_keys: Vec<KeyAccess>,
    /// Newest first.
    pub reviews: Vec<AccessReview>,
    pub unused_after_days: u32,
    /// The last review plus `review_every_months`; with no review yet, the first
    /// account's creation plus that.
    pub review_due_at: OffsetDateTime,
    /// `review_due_at` has passed.
    pub review_due: bool,
}

/// API keys' last uses not yet written: principal → (day, written).
#[derive(Default)]
pub(crate) struct UseTracker(Mutex<HashMap<String, (OffsetDateTime, bool)>>);

impl UseTracker {
    /// Notes a use at `now`; a no-op when one was already noted that day.
    pub(crate) fn note(&self, principal: &str, now: OffsetDateTime) {
        let day = now.replace_time(time::Time::MIDNIGHT);
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(principal) {
            Some((known, _)) if *known >= day => {}
            Some(entry) => *entry = (day, false),
            None => {
                map.insert(principal.to_owned(), (day, false));
            }
        }
    }

    /// The uses not yet written, marked written.
    pub(crate) fn take_unwritten(&self) -> Vec<CredentialUse> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.iter_mut()
            .filter(|(_, (_, written))| !*written)
            .map(|(principal, (at, written))| {
                *written = true;
                CredentialUse {
                    principal: principal.clone(),
                    at: *at,
                }
            })
            .collect()
    }

    /// Marks uses unwritten again after a failed flush (unless a later day came).
    pub(crate) fn restore(&self, uses: &[CredentialUse]) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for u in uses {
            if let Some(entry) = map.get_mut(&u.principal)
                && entry.0 == u.at
            {
                entry.1 = false;
            }
        }
    }

    /// Every use known in memory, written or not.
    pub(crate) fn all(&self) -> Vec<CredentialUse> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.iter()
            .map(|(principal, (at, _))| CredentialUse {
                principal: principal.clone(),
                at: *at,
            })
            .collect()
    }
}

impl Staff {
    /// Writes the API keys' last uses noted since the last flush (one write, no audit
    /// entry: housekeeping). Called hourly and at shutdown.
    pub async fn flush_uses(&self) -> Result<usize, StaffError> {
        let uses = self.uses.take_unwritten();
        if uses.is_empty() {
            return Ok(0);
        }
        let n = uses.len();
        let job = crate::writer::Job {
            writes: vec![Write::TouchCredentials(uses.clone())],
            ..crate::writer::Job::default()
        };
        if let Err(e) = self.writer.submit(job).await {
            self.uses.restore(&uses);
            return Err(e.into());
        }
        Ok(n)
    }

    /// Every account and key with its last use, flags and reviews. The caller has
    /// checked [`crate::access::Permission::ReviewAccess`].
    pub async fn access_report(&self) -> Result<AccessReport, StaffError> {
        let now = self.clock.now();
        let settings = self.review;
        let mut last: HashMap<String, OffsetDateTime> = HashMap::new();
        for u in self
            .store
            .credential_uses()
            .await?
            .into_iter()
            .chain(self.uses.all())
        {
            let at = last.entry(u.principal).or_insert(u.at);
            *at = (*at).max(u.at);
        }
        let threshold = now - time::Duration::days(i64::from(settings.unused_after_days));
        let users: Vec<UserAccess> = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| {
                let last_sign_in = last.get(&format!("user:{}", u.id)).copied();
                UserAccess {
                    unused: u.disabled_at.is_none()
                        && last_sign_in.unwrap_or(u.created_at) < threshold,
                    id: u.id,
                    email: u.email,
                    role: u.role,
                    created_at: u.created_at,
                    last_sign_in,
                    disabled_at: u.disabled_at,
                }
            })
            .collect();
        let api_keys = self
            .store
            .api_keys()
            .await?
            .into_iter()
            .map(|k| {
                let last_used = last.get(&format!("apikey:{}", k.id)).copied();
                KeyAccess {
                    unused: k.revoked_at.is_none() && last_used.unwrap_or(k.created_at) < threshold,
                    id: k.id,
                    name: k.name,
                    role: k.role,
                    created_at: k.created_at,
                    last_used,
                    revoked_at: k.revoked_at,
                }
            })
            .collect();
        let reviews = self.store.access_reviews().await?;
        let since = reviews
            .first()
            .map(|r| r.reviewed_at)
            .or_else(|| users.iter().map(|u| u.created_at).min())
            .unwrap_or(now);
        let review_due_at = after_months(since, settings.review_every_months);
        Ok(AccessReport {
            users,
            api_keys,
            reviews,
            unused_after_days: settings.unused_after_days,
            review_due_at,
            review_due: review_due_at <= now,
        })
    }

    /// Records a review by `who` with notes on what changed. The caller has checked
    /// [`crate::access::Permission::ReviewAccess`].
    pub async fn record_review(
        &self,
        who: &Principal,
        notes: &str,
    ) -> Result<AccessReview, StaffError> {
        let notes = notes.trim();
        if notes.is_empty() || notes.chars().count() > MAX_NOTES {
            return Err(StaffError::Invalid {
                field: "notes",
                message: format!(
                    "say what the review found or changed, in 1 to {MAX_NOTES} characters"
                ),
            });
        }
        if notes.contains('\0') {
            return Err(StaffError::Invalid {
                field: "notes",
                message: "must not contain a NUL character".to_owned(),
            });
        }
        let review = AccessReview {
            id: uuid::Uuid::new_v4().to_string(),
            reviewed_by: who.id.clone(),
            reviewed_at: to_micros(self.clock.now()),
            notes: notes.to_owned(),
        };
        // The notes stay out of the audit entry: they may name people.
        self.writer
            .submit(crate::writer::Job {
                writes: vec![Write::RecordAccessReview(review.clone())],
                audit: vec![
                    AuditRecord::new(
                        review.reviewed_at,
                        &who.id,
                        AuditAction::AccessReviewRecord,
                        "ok",
                    )
                    .detail(format!("review:{}", review.id)),
                ],
                ..crate::writer::Job::default()
            })
            .await?;
        Ok(review)
    }
}

/// `at` as the stores keep it (microseconds), so the answer is what a read returns.
fn to_micros(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at)
}

/// `at` plus `months` calendar months (clamped to the month's last day).
fn after_months(at: OffsetDateTime, months: u32) -> OffsetDateTime {
    IsoDuration::add_months(at.date(), months).map_or(at, |date| at.replace_date(date))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_use_is_noted_once_a_day_and_written_once() {
        let t = UseTracker::default();
        t.note("apikey:a", datetime!(2026-01-05 10:00 UTC));
        t.note("apikey:a", datetime!(2026-01-05 18:00 UTC));
        let taken = t.take_unwritten();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].at, datetime!(2026-01-05 00:00 UTC));
        t.note("apikey:a", datetime!(2026-01-05 23:00 UTC));
        assert!(t.take_unwritten().is_empty(), "same day: nothing new");
        t.note("apikey:a", datetime!(2026-01-06 01:00 UTC));
        let again = t.take_unwritten();
        t.restore(&again);
        assert_eq!(t.take_unwritten(), again, "a failed flush is retried");
    }

    #[test]
    fn a_review_is_due_three_months_later_clamped() {
        assert_eq!(
            after_months(datetime!(2026-11-30 12:00 UTC), 3),
            datetime!(2027-02-28 12:00 UTC)
        );
    }
}
