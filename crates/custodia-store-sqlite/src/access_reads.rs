//! Reads for the access review: credentials' last uses and the reviews recorded.

use custodia_store::{AccessReview, CredentialUse, StoreError};
use rusqlite::Connection;

use crate::codec::{db_error, from_micros};

pub(crate) const USES: &str = "list credential uses";
pub(crate) const REVIEWS: &str = "list access reviews";

pub(crate) fn credential_uses(conn: &mut Connection) -> Result<Vec<CredentialUse>, StoreError> {
    let rows: Vec<(String, i64)> = (|| -> Result<_, rusqlite::Error> {
        conn.prepare_cached("SELECT principal, at_us FROM credential_uses")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(USES))?;
    let mut uses = rows
        .into_iter()
        .map(|(principal, at)| {
            Ok(CredentialUse {
                principal,
                at: from_micros(at)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    uses.sort_unstable_by(|a, b| a.principal.cmp(&b.principal));
    Ok(uses)
}

pub(crate) fn access_reviews(conn: &mut Connection) -> Result<Vec<AccessReview>, StoreError> {
    let rows: Vec<(String, String, i64, String)> = (|| -> Result<_, rusqlite::Error> {
        conn.prepare_cached("SELECT id, reviewed_by, reviewed_at_us, notes FROM access_reviews")?
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(REVIEWS))?;
    let mut reviews = rows
        .into_iter()
        .map(|(id, reviewed_by, at, notes)| {
            Ok(AccessReview {
                id,
                reviewed_by,
                reviewed_at: from_micros(at)?,
                notes,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    custodia_store::backend::sort_access_reviews(&mut reviews);
    Ok(reviews)
}

pub(crate) const CONSENT_TALLIES: &str = "count consents by purpose, week and state";
pub(crate) const REQUEST_TALLIES: &str = "count rights requests by right and month";

/// Days since 1970-01-01 (a Thursday) to the Monday of that week: `d - (d + 3) % 7`.
const CONSENTS: &str = "SELECT purpose, state, \
       recorded_at_us / 86400000000 - (recorded_at_us / 86400000000 + 3) % 7 AS week, \
       count(DISTINCT coalesce('s' || subject_id, 'v' || visitor_id)) \
     FROM consents WHERE recorded_at_us >= ?1 GROUP BY purpose, state, week";

const REQUESTS: &str = "SELECT kind, strftime('%Y-%m', received_at_us / 1000000, 'unixepoch') AS month, \
       count(*), \
       count(*) FILTER (WHERE status = 'completed'), \
       count(*) FILTER (WHERE status = 'completed' AND closed_at_us <= due_at_us) \
     FROM rights_requests WHERE received_at_us >= ?1 GROUP BY kind, month";

pub(crate) fn consent_tallies(
    conn: &mut Connection,
    since_us: i64,
) -> Result<Vec<custodia_store::ConsentTally>, StoreError> {
    let rows: Vec<(String, String, i64, i64)> = (|| -> Result<_, rusqlite::Error> {
        conn.prepare_cached(CONSENTS)?
            .query_map([since_us], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(CONSENT_TALLIES))?;
    let mut tallies = rows
        .into_iter()
        .map(|(purpose, state, week, people)| {
            Ok(custodia_store::ConsentTally {
                purpose,
                state,
                week_start: custodia_store::statistics::week_start_of_epoch_day(week).ok_or(
                    StoreError::Corrupt {
                        backend: crate::BACKEND,
                        what: "a stored time is out of range",
                    },
                )?,
                people,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    custodia_store::backend::sort_consent_tallies(&mut tallies);
    Ok(tallies)
}

pub(crate) fn request_tallies(
    conn: &mut Connection,
    since_us: i64,
) -> Result<Vec<custodia_store::RequestTally>, StoreError> {
    let mut tallies = (|| -> Result<_, rusqlite::Error> {
        conn.prepare_cached(REQUESTS)?
            .query_map([since_us], |row| {
                Ok(custodia_store::RequestTally {
                    right: row.get(0)?,
                    month: row.get(1)?,
                    received: row.get(2)?,
                    completed: row.get(3)?,
                    on_time: row.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(REQUEST_TALLIES))?;
    custodia_store::backend::sort_request_tallies(&mut tallies);
    Ok(tallies)
}

pub(crate) const BANNER_TALLIES: &str = "count banner choices by outcome";

/// One banner submission is a visitor's records at one instant.
const BANNER: &str = "SELECT CASE WHEN g = n THEN 'all_accepted' WHEN g = 0 THEN 'all_refused' ELSE 'some' END AS outcome, count(*) FROM (SELECT count(*) FILTER (WHERE state = 'given') AS g, count(*) AS n FROM consents WHERE method = 'banner' AND service IS NULL AND recorded_at_us >= ?1 GROUP BY coalesce('s' || subject_id, 'v' || visitor_id), recorded_at_us) AS choices GROUP BY outcome";

pub(crate) fn banner_tallies(
    conn: &mut Connection,
    since_us: i64,
) -> Result<Vec<custodia_store::BannerTally>, StoreError> {
    let mut tallies = (|| -> Result<_, rusqlite::Error> {
        conn.prepare_cached(BANNER)?
            .query_map([since_us], |row| {
                Ok(custodia_store::BannerTally {
                    outcome: row.get(0)?,
                    choices: row.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(BANNER_TALLIES))?;
    tallies.sort_by(|a, b| a.outcome.cmp(&b.outcome));
    Ok(tallies)
}
