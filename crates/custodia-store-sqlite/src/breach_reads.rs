//! Reads of the breach register, run on a reader thread. Orders are applied in Rust,
//! as on every backend.

use custodia_store::{BreachEvent, BreachRow, StoreError};
use rusqlite::{Connection, Row};

use crate::codec::{OpError, from_micros, from_opt_micros, op_error};

pub(crate) const BREACHES: &str = "read breaches";
pub(crate) const EVENTS: &str = "read a breach's timeline";

const COLUMNS: &str = "SELECT id, version, aware_at_us, recorded_at_us, updated_at_us, \
     authority_decided_at_us, closed_at_us, body FROM breaches";

fn breach_from_row(row: &Row<'_>) -> Result<BreachRow, OpError> {
    Ok(BreachRow {
        id: row.get(0)?,
        version: row.get(1)?,
        aware_at: from_micros(row.get(2)?)?,
        recorded_at: from_micros(row.get(3)?)?,
        updated_at: from_micros(row.get(4)?)?,
        authority_decided_at: from_opt_micros(row.get(5)?)?,
        closed_at: from_opt_micros(row.get(6)?)?,
        body: row.get(7)?,
    })
}

pub(crate) fn breaches(conn: &mut Connection) -> Result<Vec<BreachRow>, StoreError> {
    let mut out = (|| {
        let mut stmt = conn.prepare_cached(COLUMNS)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(breach_from_row(row)?);
        }
        Ok::<_, OpError>(out)
    })()
    .map_err(op_error(BREACHES))?;
    out.sort_unstable_by(|a, b| (a.aware_at, &a.id).cmp(&(b.aware_at, &b.id)));
    Ok(out)
}

pub(crate) fn breach(conn: &mut Connection, id: &str) -> Result<Option<BreachRow>, StoreError> {
    (|| {
        let mut stmt = conn.prepare_cached(&format!("{COLUMNS} WHERE id = ?1"))?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(breach_from_row).transpose()
    })()
    .map_err(op_error(BREACHES))
}

pub(crate) fn breach_events(
    conn: &mut Connection,
    breach_id: &str,
) -> Result<Vec<BreachEvent>, StoreError> {
    (|| {
        let mut stmt = conn.prepare_cached(
            "SELECT breach_id, seq, at_us, principal, kind, detail FROM breach_events \
             WHERE breach_id = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([breach_id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(BreachEvent {
                breach_id: row.get(0)?,
                seq: row.get(1)?,
                at: from_micros(row.get(2)?)?,
                principal: row.get(3)?,
                kind: row.get(4)?,
                detail: row.get(5)?,
            });
        }
        Ok::<_, OpError>(out)
    })()
    .map_err(op_error(EVENTS))
}
