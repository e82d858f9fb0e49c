//! Writes of the breach register: the breach row and its timeline.

use custodia_store::backend::{BREACH_CHANGED, BREACH_EXISTS, MISROUTED_WRITE};
use custodia_store::{BreachEvent, BreachRow, Write};
use rusqlite::Transaction;

use crate::apply::change_one;
use crate::codec::{OpError, micros, opt_micros};

// An insert finding the id taken changes no row, and neither does an update whose
// version moved on: both are a version conflict.
const INSERT_BREACH: &str = "INSERT INTO breaches (id, version, aware_at_us, recorded_at_us, \
     updated_at_us, authority_decided_at_us, closed_at_us, body) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING";

const UPDATE_BREACH: &str = "UPDATE breaches SET version = ?2, aware_at_us = ?3, \
     recorded_at_us = ?4, updated_at_us = ?5, authority_decided_at_us = ?6, \
     closed_at_us = ?7, body = ?8 WHERE id = ?1 AND version = ?9";

const ADD_EVENT: &str = "INSERT INTO breach_events (breach_id, seq, at_us, principal, kind, \
     detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (breach_id, seq) DO NOTHING";

fn put_breach(tx: &Transaction<'_>, r: &BreachRow, expected: Option<i64>) -> Result<(), OpError> {
    let (aware, recorded, updated, decided, closed) = (
        micros(r.aware_at),
        micros(r.recorded_at),
        micros(r.updated_at),
        opt_micros(r.authority_decided_at),
        opt_micros(r.closed_at),
    );
    let columns: [&dyn rusqlite::ToSql; 8] = [
        &r.id, &r.version, &aware, &recorded, &updated, &decided, &closed, &r.body,
    ];
    match expected {
        None => change_one(tx, INSERT_BREACH, &columns[..], BREACH_EXISTS),
        Some(v) => {
            let mut params = columns.to_vec();
            params.push(&v);
            change_one(tx, UPDATE_BREACH, params.as_slice(), BREACH_CHANGED)
        }
    }
}

fn add_event(tx: &Transaction<'_>, e: &BreachEvent) -> Result<(), OpError> {
    change_one(
        tx,
        ADD_EVENT,
        (
            &e.breach_id,
            e.seq,
            micros(e.at),
            &e.principal,
            &e.kind,
            &e.detail,
        ),
        BREACH_CHANGED,
    )
}

/// Applies one of this domain's writes.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::PutBreach {
            row,
            expected_version,
            events,
        } => {
            put_breach(tx, row, *expected_version)?;
            for e in events {
                add_event(tx, e)?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
