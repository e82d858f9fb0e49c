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
