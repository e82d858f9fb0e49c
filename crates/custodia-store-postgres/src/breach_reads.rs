//! Reads of the breach register. Orders are applied in Rust, as on every backend.

use custodia_store::{BreachEvent, BreachRow, StoreError};
use sqlx::postgres::PgPool;
use time::OffsetDateTime;

use crate::codec::{db_error, has_nul};

type Row = (
    String,
    i64,
    OffsetDateTime,
    OffsetDateTime,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    String,
);

const ALL: &str = "SELECT id, version, aware_at, recorded_at, updated_at, \
     authority_decided_at, closed_at, body FROM breaches";
const ONE: &str = "SELECT id, version, aware_at, recorded_at, updated_at, \
     authority_decided_at, closed_at, body FROM breaches WHERE id = $1";

fn breach_row(r: Row) -> BreachRow {
    let (id, version, aware_at, recorded_at, updated_at, authority_decided_at, closed_at, body) = r;
    BreachRow {
        id,
        version,
        aware_at,
        recorded_at,
        updated_at,
        authority_decided_at,
        closed_at,
        body,
    }
}

pub(crate) async fn breaches(pool: &PgPool) -> Result<Vec<BreachRow>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(ALL)
        .fetch_all(pool)
        .await
        .map_err(db_error("read breaches"))?;
    let mut out: Vec<BreachRow> = rows.into_iter().map(breach_row).collect();
    out.sort_unstable_by(|a, b| (a.aware_at, &a.id).cmp(&(b.aware_at, &b.id)));
    Ok(out)
}

pub(crate) async fn breach(pool: &PgPool, id: &str) -> Result<Option<BreachRow>, StoreError> {
    if has_nul(id) {
        return Ok(None);
    }
    let row: Option<Row> = sqlx::query_as(ONE)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(db_error("read breaches"))?;
    Ok(row.map(breach_row))
}

pub(crate) async fn breach_events(
    pool: &PgPool,
    breach_id: &str,
) -> Result<Vec<BreachEvent>, StoreError> {
    if has_nul(breach_id) {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, i64, OffsetDateTime, String, String, String)> = sqlx::query_as(
        "SELECT breach_id, seq, at, principal, kind, detail FROM breach_events \
         WHERE breach_id = $1 ORDER BY seq",
    )
    .bind(breach_id)
    .fetch_all(pool)
    .await
    .map_err(db_error("read a breach's timeline"))?;
    Ok(rows
        .into_iter()
        .map(
            |(breach_id, seq, at, principal, kind, detail)| BreachEvent {
                breach_id,
                seq,
                at,
                principal,
                kind,
                detail,
            },
        )
        .collect())
}
