//! Appending to the audit log (the head is checked in `apply`).

use custodia_store::AuditEntry;
use sqlx::PgConnection;

use crate::codec::{encode_list, instant};

pub(crate) async fn insert_audit(
    conn: &mut PgConnection,
    audit: &[AuditEntry],
) -> Result<(), sqlx::Error> {
    let n = audit.len();
    let mut seq = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    let mut principal = Vec::with_capacity(n);
    let mut action = Vec::with_capacity(n);
    let mut subject_ref = Vec::with_capacity(n);
    let mut categories = Vec::with_capacity(n);
    let mut purpose = Vec::with_capacity(n);
    let mut outcome = Vec::with_capacity(n);
    let mut detail = Vec::with_capacity(n);
    let mut prev_hash = Vec::with_capacity(n);
    let mut hash = Vec::with_capacity(n);
    let mut chain = Vec::with_capacity(n);
    for e in audit {
        seq.push(e.seq);
        chain.push(e.chain);
        at.push(instant(e.at));
        principal.push(e.principal.as_str());
        action.push(e.action.as_str());
        subject_ref.push(e.subject_ref.as_deref());
        categories.push(encode_list(&e.categories));
        purpose.push(e.purpose.as_deref());
        outcome.push(e.outcome.as_str());
        detail.push(e.detail.as_deref());
        prev_hash.push(e.prev_hash.as_str());
        hash.push(e.hash.as_str());
    }
    sqlx::query(
        "INSERT INTO audit_log (seq, at, principal, action, subject_ref, categories, purpose, \
         outcome, detail, prev_hash, hash, chain) \
         SELECT seq, at, principal, action, subject_ref, categories::jsonb, purpose, outcome, \
         detail, prev_hash, hash, chain \
         FROM UNNEST($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
         $12::int4[]) \
         AS t(seq, at, principal, action, subject_ref, categories, purpose, outcome, detail, \
         prev_hash, hash, chain)",
    )
    .bind(seq)
    .bind(at)
    .bind(principal)
    .bind(action)
    .bind(subject_ref)
    .bind(categories)
    .bind(purpose)
    .bind(outcome)
    .bind(detail)
    .bind(prev_hash)
    .bind(hash)
    .bind(chain)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
