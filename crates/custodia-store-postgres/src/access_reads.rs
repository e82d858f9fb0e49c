//! Reads for the access review: credentials' last uses and the reviews recorded.

use custodia_store::backend::sort_access_reviews;
use custodia_store::{AccessReview, CredentialUse, StoreError};
use sqlx::postgres::PgPool;
use time::OffsetDateTime;

use crate::codec::db_error;

pub(crate) async fn credential_uses(pool: &PgPool) -> Result<Vec<CredentialUse>, StoreError> {
    let rows: Vec<(String, OffsetDateTime)> =
        sqlx::query_as("SELECT principal, at FROM credential_uses")
            .fetch_all(pool)
            .await
            .map_err(db_error("list credential uses"))?;
    let mut uses: Vec<CredentialUse> = rows
        .into_iter()
        .map(|(principal, at)| CredentialUse { principal, at })
        .collect();
    uses.sort_unstable_by(|a, b| a.principal.cmp(&b.principal));
    Ok(uses)
}

pub(crate) async fn access_reviews(pool: &PgPool) -> Result<Vec<AccessReview>, StoreError> {
    let rows: Vec<(String, String, OffsetDateTime, String)> =
        sqlx::query_as("SELECT id, reviewed_by, reviewed_at, notes FROM access_reviews")
            .fetch_all(pool)
            .await
            .map_err(db_error("list access reviews"))?;
    let mut reviews: Vec<AccessReview> = rows
        .into_iter()
        .map(|(id, reviewed_by, reviewed_at, notes)| AccessReview {
            id,
            reviewed_by,
            reviewed_at,
            notes,
        })
        .collect();
    sort_access_reviews(&mut reviews);
    Ok(reviews)
}

pub(crate) async fn consent_tallies(
    pool: &PgPool,
    since: OffsetDateTime,
) -> Result<Vec<custodia_store::ConsentTally>, StoreError> {
    let rows: Vec<(String, String, time::Date, i64)> = sqlx::query_as(
        "SELECT purpose, state, \
           date_trunc('week', recorded_at AT TIME ZONE 'UTC')::date AS week, \
           count(DISTINCT coalesce('s' || subject_id, 'v' || visitor_id)) \
         FROM consents WHERE recorded_at >= $1 GROUP BY purpose, state, week",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    .map_err(db_error("count consents by purpose, week and state"))?;
    let mut tallies: Vec<_> = rows
        .into_iter()
        .map(
            |(purpose, state, week_start, people)| custodia_store::ConsentTally {
                purpose,
                week_start,
                state,
                people,
            },
        )
        .collect();
    custodia_store::backend::sort_consent_tallies(&mut tallies);
    Ok(tallies)
}

pub(crate) async fn request_tallies(
    pool: &PgPool,
    since: OffsetDateTime,
) -> Result<Vec<custodia_store::RequestTally>, StoreError> {
    let rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT kind, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, \
           count(*), \
           count(*) FILTER (WHERE status = 'completed'), \
           count(*) FILTER (WHERE status = 'completed' AND closed_at <= due_at) \
         FROM rights_requests WHERE received_at >= $1 GROUP BY kind, month",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    .map_err(db_error("count rights requests by right and month"))?;
    let mut tallies: Vec<_> = rows
        .into_iter()
        .map(
            |(right, month, received, completed, on_time)| custodia_store::RequestTally {
                right,
                month,
                received,
                completed,
                on_time,
            },
        )
        .collect();
    custodia_store::backend::sort_request_tallies(&mut tallies);
    Ok(tallies)
}

/// One banner submission is a visitor's records at one instant.
pub(crate) async fn banner_tallies(
    pool: &PgPool,
    since: OffsetDateTime,
) -> Result<Vec<custodia_store::BannerTally>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CASE WHEN g = n THEN 'all_accepted' WHEN g = 0 THEN 'all_refused' ELSE 'some' END AS outcome, count(*) FROM (SELECT count(*) FILTER (WHERE state = 'given') AS g, count(*) AS n FROM consents WHERE method = 'banner' AND service IS NULL AND recorded_at >= $1 GROUP BY coalesce('s' || subject_id, 'v' || visitor_id), recorded_at) AS choices GROUP BY outcome",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    .map_err(db_error("count banner choices by outcome"))?;
    let mut tallies: Vec<_> = rows
        .into_iter()
        .map(|(outcome, choices)| custodia_store::BannerTally { outcome, choices })
        .collect();
    tallies.sort_by(|a, b| a.outcome.cmp(&b.outcome));
    Ok(tallies)
}
