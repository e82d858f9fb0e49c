//! Writes of consent: records and visitor links.

use custodia_store::Write;
use custodia_store::backend::{InsertRun, MISROUTED_WRITE};
use rusqlite::Transaction;

use crate::codec::{OpError, micros, opt_micros, write_error};

const CONSENT: &str = "INSERT INTO consents (id, subject_id, visitor_id, purpose, service, \
     state, method, recorded_at_us, expires_at_us, policy_version, purpose_fingerprint, \
     text_sha256, banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

const LINK_VISITOR: &str = "INSERT INTO visitor_links (visitor_id, subject_id, linked_at_us) \
     VALUES (?1, ?2, ?3) ON CONFLICT (visitor_id) DO UPDATE SET \
     subject_id = excluded.subject_id, linked_at_us = excluded.linked_at_us";

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) fn insert_run(tx: &Transaction<'_>, run: &InsertRun<'_>) -> Result<(), OpError> {
    if !run.consents.is_empty() {
        let mut insert = tx.prepare_cached(CONSENT)?;
        for r in &run.consents {
            insert
                .execute(rusqlite::params![
                    &r.id,
                    &r.subject_id,
                    &r.visitor_id,
                    &r.purpose,
                    &r.service,
                    &r.state,
                    &r.method,
                    micros(r.recorded_at),
                    opt_micros(r.expires_at),
                    r.policy_version,
                    &r.purpose_fingerprint,
                    &r.text_sha256,
                    &r.banner_version,
                    &r.ip_prefix,
                    &r.user_agent,
                    &r.jurisdiction,
                    r.gpc,
                    &r.recorded_by,
                ])
                .map_err(write_error)?;
        }
    }
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) fn apply(tx: &Transaction<'_>, write: &Write) -> Result<(), OpError> {
    match write {
        Write::LinkVisitor(link) => {
            tx.prepare_cached(LINK_VISITOR)?
                .execute((&link.visitor_id, &link.subject_id, micros(link.linked_at)))
                .map_err(write_error)?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
