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
