//! Reads for retention: pages of what the planner needs of each subject, legal holds
//! and retention outcome counts. Orders that involve text are applied in Rust, so that the
//! database's collation cannot make backends differ; pages by id use `COLLATE "C"`
//! (byte order), as SQLite's BINARY.

use custodia_store::backend::key_page_limit;
use custodia_store::sqlx_support::{OpError, retry_write};
use custodia_store::{LegalHold, RetentionCount, RetentionFacts, StoreError};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};
use time::OffsetDateTime;

use crate::BACKEND;
use crate::codec::{db_error, has_nul, is_serialization_failure, op_error};
use crate::reads::{CORRUPT_ARRAYS, array};

/// A page of subjects with their parts in one statement (one round trip, one
/// snapshot): each part is aggregated per subject by a lateral subquery on its
/// subject_id index; the arrays of one aggregate are filled from the same rows in the
/// same order.
const FACTS: &str = "\
SELECT s.id, s.kind, s.created_at, f.categories, e.events, e.ats, p.rules, p.steps, p.done \
FROM (SELECT id, kind, created_at FROM subjects \
      WHERE erased_at IS NULL AND id COLLATE \"C\" > $1 \
      ORDER BY id COLLATE \"C\" LIMIT $2) s \
CROSS JOIN LATERAL (SELECT array_agg(category) AS categories \
                    FROM subject_fields WHERE subject_id = s.id) f \
CROSS JOIN LATERAL (SELECT array_agg(event) AS events, array_agg(at) AS ats \
                    FROM (SELECT event, max(at) AS at FROM subject_events \
                          WHERE subject_id = s.id GROUP BY event) latest) e \
CROSS JOIN LATERAL (SELECT array_agg(rule) AS rules, array_agg(step) AS steps, \
                           array_agg(done_at) AS done \
                    FROM retention_progress WHERE subject_id = s.id) p \
ORDER BY s.id COLLATE \"C\"";

/// Subjects not erased after `after`, by id, with their categories, latest event
/// times and retention progress. A `limit` of 0 means `DEFAULT_KEY_PAGE`, the page of
/// the other scan by subject (data key rotation).
pub(crate) async fn retention_facts_page(
    pool: &PgPool,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<RetentionFacts>, StoreError> {
    let after = after.unwrap_or("");
    if has_nul(after) {
        return Ok(Vec::new());
    }
    let limit = key_page_limit(limit);
    async {
        let rows = sqlx::query(FACTS)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(facts_from_row)
            .collect::<Result<Vec<_>, OpError>>()
    }
    .await
    .map_err(op_error("read a page of retention facts"))
}

fn facts_from_row(row: &PgRow) -> Result<RetentionFacts, OpError> {
    let mut categories: Vec<String> = array(row, 3)?;
    let names: Vec<String> = array(row, 4)?;
    let ats: Vec<OffsetDateTime> = array(row, 5)?;
    let rules: Vec<String> = array(row, 6)?;
    let steps: Vec<i32> = array(row, 7)?;
    let done: Vec<OffsetDateTime> = array(row, 8)?;
    if names.len() != ats.len() || rules.len() != steps.len() || rules.len() != done.len() {
        return Err(OpError::Store(CORRUPT_ARRAYS));
    }
    let mut events: Vec<(String, OffsetDateTime)> = names.into_iter().zip(ats).collect();
    let mut progress = rules
        .into_iter()
        .zip(steps)
        .zip(done)
        .map(|((rule, step), done_at)| {
            u32::try_from(step)
                .map(|step| (rule, step, done_at))
                .map_err(|_| StoreError::Corrupt {
                    backend: BACKEND,
                    what: "a stored retention step is out of range",
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    categories.sort_unstable();
    events.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    progress.sort_unstable_by(|a: &(String, u32, OffsetDateTime), b| a.0.cmp(&b.0));
    Ok(RetentionFacts {
        subject_id: row.try_get(0)?,
        kind: row.try_get(1)?,
        created_at: row.try_get(2)?,
        categories,
        events,
        progress,
    })
}

type HoldRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    OffsetDateTime,
    String,
    Option<OffsetDateTime>,
    Option<String>,
);

pub(crate) async fn legal_holds(pool: &PgPool) -> Result<Vec<LegalHold>, StoreError> {
    let rows: Vec<HoldRow> = sqlx::query_as(
        "SELECT id, subject_id, rule_id, reason, created_at, created_by, released_at, \
         released_by FROM legal_holds",
    )
    .fetch_all(pool)
    .await
    .map_err(db_error("list legal holds"))?;
    let mut holds: Vec<LegalHold> = rows
        .into_iter()
        .map(
            |(
                id,
                subject_id,
                rule_id,
                reason,
                created_at,
                created_by,
                released_at,
                released_by,
            )| {
                LegalHold {
                    id,
                    subject_id,
                    rule_id,
                    reason,
                    created_at,
                    created_by,
                    released_at,
                    released_by,
                }
            },
        )
        .collect();
    holds.sort_unstable_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(holds)
}

pub(crate) async fn retention_facts_count(pool: &PgPool) -> Result<u64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM subjects WHERE erased_at IS NULL")
        .fetch_one(pool)
        .await
        .map_err(db_error("count subjects not erased"))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The upsert changes a row only when the lease is free, expired or already
/// `holder`'s.
pub(crate) async fn acquire_lease(
    pool: &PgPool,
    name: &str,
    holder: &str,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<bool, StoreError> {
    retry_write(
        BACKEND,
        "take a lease",
        is_serialization_failure,
        || async {
            let taken = sqlx::query(
                "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4) \
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, \
             expires_at = EXCLUDED.expires_at \
             WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= $3",
            )
            .bind(name)
            .bind(holder)
            .bind(crate::codec::instant(now))
            .bind(crate::codec::instant(until))
            .execute(pool)
            .await?;
            Ok(taken.rows_affected() == 1)
        },
    )
    .await
}

pub(crate) async fn release_lease(
    pool: &PgPool,
    name: &str,
    holder: &str,
) -> Result<(), StoreError> {
    retry_write(
        BACKEND,
        "give a lease up",
        is_serialization_failure,
        || async {
            sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
                .bind(name)
                .bind(holder)
                .execute(pool)
                .await?;
            Ok(())
        },
    )
    .await
}

pub(crate) async fn retention_counts(pool: &PgPool) -> Result<Vec<RetentionCount>, StoreError> {
    let rows: Vec<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT rule, kind, month, action, count FROM retention_counts")
            .fetch_all(pool)
            .await
            .map_err(db_error("list retention counts"))?;
    let mut counts: Vec<RetentionCount> = rows
        .into_iter()
        .map(|(rule, kind, month, action, count)| RetentionCount {
            rule,
            kind,
            month,
            action,
            count,
        })
        .collect();
    counts.sort_unstable_by(|a, b| {
        (&a.rule, &a.kind, &a.month, &a.action).cmp(&(&b.rule, &b.kind, &b.month, &b.action))
    });
    Ok(counts)
}
