//! Writes of the vault: subjects, their fields, blind indexes, events and disclosures.

use custodia_store::backend::MISROUTED_WRITE;
use custodia_store::sqlx_support::{InsertRun, MISSING_SUBJECT, OpError, write_error};
use custodia_store::{IndexEntry, SealedField, Write};
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::apply::changed;
use crate::codec::{encode_list, instant, opt_instant};

/// Inserts fields; with `upsert`, replaces the sealed value of a category that exists.
async fn insert_fields(
    conn: &mut PgConnection,
    fields: &[(&str, &SealedField)],
    upsert: bool,
) -> Result<(), sqlx::Error> {
    if fields.is_empty() {
        return Ok(());
    }
    let sql = if upsert {
        "INSERT INTO subject_fields (subject_id, category, sealed) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bytea[]) \
         ON CONFLICT (subject_id, category) DO UPDATE SET sealed = EXCLUDED.sealed"
    } else {
        "INSERT INTO subject_fields (subject_id, category, sealed) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bytea[])"
    };
    sqlx::query(sql)
        .bind(fields.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(
            fields
                .iter()
                .map(|(_, f)| f.category.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            fields
                .iter()
                .map(|(_, f)| f.sealed.as_slice())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_indexes(
    conn: &mut PgConnection,
    indexes: &[(&str, &IndexEntry)],
) -> Result<(), sqlx::Error> {
    if indexes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO subject_indexes (kind, digest, subject_id) \
         SELECT * FROM UNNEST($1::text[], $2::bytea[], $3::text[])",
    )
    .bind(
        indexes
            .iter()
            .map(|(_, i)| i.kind.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        indexes
            .iter()
            .map(|(_, i)| i.digest.as_slice())
            .collect::<Vec<_>>(),
    )
    .bind(indexes.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn update_subject_row(
    conn: &mut PgConnection,
    subject_id: &str,
    kind: Option<&str>,
    updated_at: OffsetDateTime,
) -> Result<(), OpError> {
    let done =
        sqlx::query("UPDATE subjects SET kind = coalesce($1, kind), updated_at = $2 WHERE id = $3")
            .bind(kind)
            .bind(instant(updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
    changed(done.rows_affected(), MISSING_SUBJECT)
}

/// Inserts the rows of `run` of this domain's tables, parents first.
pub(crate) async fn insert_run(
    conn: &mut PgConnection,
    run: &InsertRun<'_>,
) -> Result<(), sqlx::Error> {
    if !run.subjects.is_empty() {
        let s = &run.subjects;
        sqlx::query(
            "INSERT INTO subjects (id, kind, age_status, parental_consent_at, created_at, \
             updated_at, erased_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::timestamptz[], \
             $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])",
        )
        .bind(s.iter().map(|s| s.id.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>())
        .bind(s.iter().map(|s| s.age_status.as_str()).collect::<Vec<_>>())
        .bind(
            s.iter()
                .map(|s| opt_instant(s.parental_consent_at))
                .collect::<Vec<_>>(),
        )
        .bind(s.iter().map(|s| instant(s.created_at)).collect::<Vec<_>>())
        .bind(s.iter().map(|s| instant(s.updated_at)).collect::<Vec<_>>())
        .bind(
            s.iter()
                .map(|s| opt_instant(s.erased_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    insert_fields(conn, &run.fields, false).await?;
    insert_indexes(conn, &run.indexes).await?;
    if !run.events.is_empty() {
        let e = &run.events;
        sqlx::query(
            "INSERT INTO subject_events (subject_id, event, at, recorded_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])",
        )
        .bind(e.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(e.iter().map(|(_, e)| e.event.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|(_, e)| instant(e.at)).collect::<Vec<_>>())
        .bind(
            e.iter()
                .map(|(_, e)| instant(e.recorded_at))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !run.disclosures.is_empty() {
        let d = &run.disclosures;
        sqlx::query(
            "INSERT INTO disclosures (id, subject_id, recipient, categories, purpose, at, \
             recorded_by) \
             SELECT id, subject_id, recipient, categories::jsonb, purpose, at, recorded_by \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::timestamptz[], $7::text[]) \
             AS t(id, subject_id, recipient, categories, purpose, at, recorded_by)",
        )
        .bind(d.iter().map(|d| d.id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.subject_id.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>())
        .bind(
            d.iter()
                .map(|d| encode_list(&d.categories))
                .collect::<Vec<_>>(),
        )
        .bind(d.iter().map(|d| d.purpose.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| instant(d.at)).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.recorded_by.as_str()).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Applies one of this domain's writes other than creations.
pub(crate) async fn apply(conn: &mut PgConnection, write: &Write) -> Result<(), OpError> {
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
            update_subject_row(conn, subject_id, kind.as_deref(), *updated_at).await?;
            let set: Vec<(&str, &SealedField)> =
                set.iter().map(|f| (subject_id.as_str(), f)).collect();
            insert_fields(conn, &set, true).await.map_err(write_error)?;
            if !remove.is_empty() {
                sqlx::query(
                    "DELETE FROM subject_fields WHERE subject_id = $1 AND category = ANY($2)",
                )
                .bind(subject_id)
                .bind(remove)
                .execute(&mut *conn)
                .await?;
            }
            if !index_kinds.is_empty() {
                sqlx::query("DELETE FROM subject_indexes WHERE subject_id = $1 AND kind = ANY($2)")
                    .bind(subject_id)
                    .bind(index_kinds)
                    .execute(&mut *conn)
                    .await?;
            }
            let indexes: Vec<(&str, &IndexEntry)> =
                indexes.iter().map(|i| (subject_id.as_str(), i)).collect();
            insert_indexes(conn, &indexes).await.map_err(write_error)?;
        }
        Write::SetAge {
            subject_id,
            age_status,
            parental_consent_at,
            updated_at,
        } => {
            let done = sqlx::query(
                "UPDATE subjects SET age_status = $1, parental_consent_at = $2, updated_at = $3 \
                 WHERE id = $4",
            )
            .bind(age_status)
            .bind(opt_instant(*parental_consent_at))
            .bind(instant(*updated_at))
            .bind(subject_id)
            .execute(&mut *conn)
            .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
        }
        Write::EraseSubject {
            subject_id,
            erased_at,
        } => {
            let done = sqlx::query("UPDATE subjects SET erased_at = $1 WHERE id = $2")
                .bind(instant(*erased_at))
                .bind(subject_id)
                .execute(&mut *conn)
                .await?;
            changed(done.rows_affected(), MISSING_SUBJECT)?;
            for sql in [
                "DELETE FROM subject_fields WHERE subject_id = $1",
                "DELETE FROM subject_indexes WHERE subject_id = $1",
                "DELETE FROM subject_events WHERE subject_id = $1",
                "DELETE FROM restrictions WHERE subject_id = $1",
                "DELETE FROM retention_progress WHERE subject_id = $1",
            ] {
                sqlx::query(sql)
                    .bind(subject_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        // `apply_other` routes only this domain's writes here.
        _ => return Err(OpError::Store(MISROUTED_WRITE)),
    }
    Ok(())
}
