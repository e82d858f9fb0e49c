//! Writes of the vault: subjects, their fields, blind indexes, events and disclosures.

use custodia_store::Write;
use custodia_store::backend::{InsertRun, MISROUTED_WRITE, MISSING_SUBJECT};
use rusqlite::Transaction;

use crate::apply::change_one;
use crate::codec::{OpError, encode_list, micros, opt_micros, write_error};

const SUBJECT: &str = "INSERT INTO subjects (id, kind, age_status, parental_consent_at_us, \
     created_at_us, updated_at_us, erased_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

const FIELD: &str = "INSERT INTO subject_fields (subject_id, category, sealed) VALUES (?1, ?2, ?3)";

const UPSERT_FIELD: &str = "INSERT INTO subject_fields (subject_id, category, sealed) \
     VALUES (?1, ?2, ?3) ON CONFLICT (subject_id, category) DO UPDATE SET sealed = excluded.sealed";

const INDEX: &str = "INSERT INTO subject_indexes (kind, digest, subject_id) VALUES (?1, ?2, ?3)";

const EVENT: &str = "INSERT INTO subject_events (subject_id, event, at_us, recorded_at_us) \
     VALUES (?1, ?2, ?3, ?4)";

const DISCLOSURE: &str = "INSERT INTO disclosures (id, subject_id, recipient, categories, \
     purpose, at_us, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) fn insert_run(tx: &Transaction<'_>, run: &InsertRun<'_>) -> Result<(), OpError> {
    if !run.subjects.is_empty() {
        let mut insert = tx.prepare_cached(SUBJECT)?;
        for s in &run.subjects {
            insert
                .execute((
                    &s.id,
                    &s.kind,
                    &s.age_status,
                    opt_micros(s.parental_consent_at),
                    micros(s.created_at),
                    micros(s.updated_at),
                    opt_micros(s.erased_at),
                ))
                .map_err(write_error)?;
        }
    }
    if !run.fields.is_empty() {
        let mut insert = tx.prepare_cached(FIELD)?;
        for (id, f) in &run.fields {
            insert
                .execute((id, &f.category, &f.sealed))
                .map_err(write_error)?;
        }
    }
    if !run.indexes.is_empty() {
        let mut insert = tx.prepare_cached(INDEX)?;
        for (id, i) in &run.indexes {
            insert
                .execute((&i.kind, &i.digest, id))
                .map_err(write_error)?;
        }
    }
    if !run.events.is_empty() {
        let mut insert = tx.prepare_cached(EVENT)?;
        for (id, e) in &run.events {
            insert
                .execute((id, &e.event, micros(e.at), micros(e.recorded_at)))
                .map_err(write_error)?;
        }
    }
    if !run.disclosures.is_empty() {
        let mut insert = tx.prepare_cached(DISCLOSURE)?;
        for d in &run.disclosures {
            insert
                .execute((
                    &d.id,
                    &d.subject_id,
                    &d.recipient,
                    encode_list(&d.categories),
                    &d.purpose,
                    micros(d.at),
                    &d.recorded_by,
                ))
                .map_err(write_error)?;
        }
    }
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::UpdateSubject {
            subject_id,
            kind,
            set,
            remove,
            index_kinds,
            indexes,
            updated_at,
        } => {
            change_one(
                tx,
                "UPDATE subjects SET kind = coalesce(?1, kind), updated_at_us = ?2 WHERE id = ?3",
                (kind, micros(*updated_at), subject_id),
                MISSING_SUBJECT,
            )?;
            if !set.is_empty() {
                let mut upsert = tx.prepare_cached(UPSERT_FIELD)?;
                for f in set {
                    upsert
                        .execute((subject_id, &f.category, &f.sealed))
                        .map_err(write_error)?;
                }
            }
            if !remove.is_empty() {
                let mut delete = tx.prepare_cached(
                    "DELETE FROM subject_fields WHERE subject_id = ?1 AND category = ?2",
                )?;
                for category in remove {
                    delete.execute((subject_id, category))?;
                }
            }
            if !index_kinds.is_empty() {
                let mut delete = tx.prepare_cached(
                    "DELETE FROM subject_indexes WHERE subject_id = ?1 AND kind = ?2",
                )?;
                for kind in index_kinds {
                    delete.execute((subject_id, kind))?;
                }
            }
            if !indexes.is_empty() {
                let mut insert = tx.prepare_cached(INDEX)?;
                for i in indexes {
                    insert
                        .execute((&i.kind, &i.digest, subject_id))
                        .map_err(write_error)?;
                }
            }
        }
        Write::SetAge {
            subject_id,
            age_status,
            parental_consent_at,
            updated_at,
        } => change_one(
            tx,
            "UPDATE subjects SET age_status = ?1, parental_consent_at_us = ?2, \
             updated_at_us = ?3 WHERE id = ?4",
            (
                age_status,
                opt_micros(*parental_consent_at),
                micros(*updated_at),
                subject_id,
            ),
            MISSING_SUBJECT,
        )?,
        Write::EraseSubject {
            subject_id,
            erased_at,
        } => {
            change_one(
                tx,
                "UPDATE subjects SET erased_at_us = ?1 WHERE id = ?2",
                (micros(*erased_at), subject_id),
                MISSING_SUBJECT,
            )?;
            for sql in [
                "DELETE FROM subject_fields WHERE subject_id = ?1",
                "DELETE FROM subject_indexes WHERE subject_id = ?1",
                "DELETE FROM subject_events WHERE subject_id = ?1",
                "DELETE FROM restrictions WHERE subject_id = ?1",
                "DELETE FROM retention_progress WHERE subject_id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([subject_id])?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
