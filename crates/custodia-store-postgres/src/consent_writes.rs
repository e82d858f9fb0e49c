//! Writes of consent: records and visitor links.

use custodia_store::Write;
use custodia_store::backend::MISROUTED_WRITE;
use custodia_store::sqlx_support::{InsertRun, OpError, write_error};
use sqlx::PgConnection;

use crate::codec::{instant, opt_instant};

async fn insert_consents(
    conn: &mut PgConnection,
    c: &[&custodia_store::ConsentRecord],
) -> Result<(), sqlx::Error> {
    fn col<'a, T>(
        c: &[&'a custodia_store::ConsentRecord],
        f: impl Fn(&'a custodia_store::ConsentRecord) -> T,
    ) -> Vec<T> {
        c.iter().map(|r| f(r)).collect()
    }
    sqlx::query(
        "INSERT INTO consents (id, subject_id, visitor_id, purpose, service, state, method, \
         recorded_at, expires_at, policy_version, purpose_fingerprint, text_sha256, \
         banner_version, ip_prefix, user_agent, jurisdiction, gpc, recorded_by) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::bigint[], \
         $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], \
         $17::boolean[], $18::text[])",
    )
    .bind(col(c, |r| r.id.as_str()))
    .bind(col(c, |r| r.subject_id.as_deref()))
    .bind(col(c, |r| r.visitor_id.as_deref()))
    .bind(col(c, |r| r.purpose.as_str()))
    .bind(col(c, |r| r.service.as_deref()))
    .bind(col(c, |r| r.state.as_str()))
    .bind(col(c, |r| r.method.as_str()))
    .bind(col(c, |r| instant(r.recorded_at)))
    .bind(col(c, |r| opt_instant(r.expires_at)))
    .bind(col(c, |r| r.policy_version))
    .bind(col(c, |r| r.purpose_fingerprint.as_str()))
    .bind(col(c, |r| r.text_sha256.as_str()))
    .bind(col(c, |r| r.banner_version.as_deref()))
    .bind(col(c, |r| r.ip_prefix.as_deref()))
    .bind(col(c, |r| r.user_agent.as_deref()))
    .bind(col(c, |r| r.jurisdiction.as_deref()))
    .bind(col(c, |r| r.gpc))
    .bind(col(c, |r| r.recorded_by.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) async fn insert_run(
    conn: &mut PgConnection,
    run: &InsertRun<'_>,
) -> Result<(), sqlx::Error> {
    if !run.consents.is_empty() {
        insert_consents(conn, &run.consents).await?;
    }
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
    match write {
        Write::LinkVisitor(link) => {
            sqlx::query(
                "INSERT INTO visitor_links (visitor_id, subject_id, linked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (visitor_id) DO UPDATE SET subject_id = excluded.subject_id, \
                 linked_at = excluded.linked_at",
            )
            .bind(&link.visitor_id)
            .bind(&link.subject_id)
            .bind(instant(link.linked_at))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
