//! The PostgreSQL key store. It may use the data store's database or another one: its
//! tables (`data_keys`, `system_keys`) have names of their own, and its migrations are
//! tracked in `_custodia_key_migrations`, so the two migrators never see each other's
//! versions.
//!
//! Deleting a data key deletes its row; the bytes stay in the table's pages (and in the
//! WAL and any base backups) until VACUUM reuses the space. PostgreSQL has no secure
//! delete: physical removal relies on (auto)vacuum, which is why the SQLite key store,
//! which overwrites deleted keys at once, is the default.

use std::str::FromStr;
use std::time::Duration;

use custodia_store::backend::{key_page_limit, sort_system_keys};
use custodia_store::keys::AUDIT_CHECKPOINTS_KEPT;
use custodia_store::sqlx_support::{
    OpError, connect_error, is_unique_violation, migrate_error, retry_write, validate_key_ids,
};
use custodia_store::{AuditCheckpoint, KeyStore, StoreError};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::BACKEND;
use crate::codec::{db_error, has_nul, is_serialization_failure};

const MAX_CONNECTIONS: u32 = 4;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Its own migrations in a tracking table of its own (see the module documentation).
/// The advisory lock the migrator takes is per database, so a data store and a key store
/// starting together on one database migrate one after the other.
fn migrator() -> Migrator {
    let mut migrator = sqlx::migrate!("./migrations-keys");
    migrator.dangerous_set_table_name("_custodia_key_migrations");
    migrator
}

const DUPLICATE_KEY: StoreError = StoreError::Invalid {
    reason: "a subject already has a data key",
};

const NUL_NAME: StoreError = StoreError::Invalid {
    reason: "a key name or subject id contains a NUL character",
};

pub struct PostgresKeyStore {
    pool: PgPool,
}

impl PostgresKeyStore {
    /// Connects to `url` (the data store's database or another) and applies pending
    /// migrations. Errors never repeat the URL, which may hold a password.
    pub async fn connect(url: &str) -> Result<PostgresKeyStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| connect_error(BACKEND, &e))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(BACKEND, &e))?;
        migrator()
            .run(&pool)
            .await
            .map_err(|e| migrate_error(BACKEND, &e))?;
        Ok(PostgresKeyStore { pool })
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait::async_trait]
impl KeyStore for PostgresKeyStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    /// One statement (one transaction) for every key.
    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        if !validate_key_ids(keys.iter().map(|(id, _)| id.as_str()))? {
            return Ok(());
        }
        let ids: Vec<&str> = keys.iter().map(|(id, _)| id.as_str()).collect();
        let wrapped: Vec<&[u8]> = keys.iter().map(|(_, w)| w.as_slice()).collect();
        retry_write(
            BACKEND,
            "store data keys",
            is_serialization_failure,
            || async {
                sqlx::query(
                    "INSERT INTO data_keys (subject_id, wrapped) \
                     SELECT * FROM UNNEST($1::text[], $2::bytea[])",
                )
                .bind(&ids)
                .bind(&wrapped)
                .execute(&self.pool)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        OpError::Store(DUPLICATE_KEY)
                    } else {
                        OpError::Db(e)
                    }
                })?;
                Ok(())
            },
        )
        .await
    }

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        if has_nul(subject_id) {
            return Ok(None);
        }
        sqlx::query_scalar("SELECT wrapped FROM data_keys WHERE subject_id = $1")
            .bind(subject_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("read a data key"))
    }

    /// Deletes the row; see the module documentation on VACUUM.
    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError> {
        if has_nul(subject_id) {
            return Ok(false);
        }
        retry_write(
            BACKEND,
            "delete a data key",
            is_serialization_failure,
            || async {
                let done = sqlx::query("DELETE FROM data_keys WHERE subject_id = $1")
                    .bind(subject_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            },
        )
        .await
    }

    /// One statement (one transaction); see the module documentation on VACUUM.
    async fn delete_data_keys(&self, subject_ids: &[String]) -> Result<u64, StoreError> {
        if !validate_key_ids(subject_ids.iter().map(String::as_str))? {
            return Ok(0);
        }
        retry_write(
            BACKEND,
            "delete data keys",
            is_serialization_failure,
            || async {
                let done = sqlx::query("DELETE FROM data_keys WHERE subject_id = ANY($1::text[])")
                    .bind(subject_ids)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            },
        )
        .await
    }

    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let limit = i64::from(key_page_limit(limit));
        let query = match after {
            Some(after) => {
                if has_nul(after) {
                    return Err(NUL_NAME);
                }
                sqlx::query_as(
                    "SELECT subject_id, wrapped FROM data_keys WHERE subject_id > $1 \
                     ORDER BY subject_id LIMIT $2",
                )
                .bind(after)
            }
            None => sqlx::query_as(
                "SELECT subject_id, wrapped FROM data_keys ORDER BY subject_id LIMIT $1",
            ),
        };
        query
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("list data keys"))
    }

    /// One statement: an update joined with the changes as arrays.
    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError> {
        if !validate_key_ids(changes.iter().map(|(id, _, _)| id.as_str()))? {
            return Ok(0);
        }
        let ids: Vec<&str> = changes.iter().map(|(id, _, _)| id.as_str()).collect();
        let old: Vec<&[u8]> = changes.iter().map(|(_, o, _)| o.as_slice()).collect();
        let new: Vec<&[u8]> = changes.iter().map(|(_, _, n)| n.as_slice()).collect();
        retry_write(
            BACKEND,
            "rewrap data keys",
            is_serialization_failure,
            || async {
                let done = sqlx::query(
                    "UPDATE data_keys k SET wrapped = c.new \
                     FROM UNNEST($1::text[], $2::bytea[], $3::bytea[]) AS c(subject_id, old, new) \
                     WHERE k.subject_id = c.subject_id AND k.wrapped = c.old",
                )
                .bind(&ids)
                .bind(&old)
                .bind(&new)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            },
        )
        .await
    }

    /// Two statements on their own: the insert waits for a concurrent insert of the same
    /// name and then does nothing; the select, a new snapshot, sees the winner.
    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        if has_nul(name) {
            return Err(NUL_NAME);
        }
        retry_write(
            BACKEND,
            "store a system key",
            is_serialization_failure,
            || async {
                sqlx::query(
                    "INSERT INTO system_keys (name, wrapped) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(wrapped.as_slice())
                .execute(&self.pool)
                .await?;
                let current: Vec<u8> =
                    sqlx::query_scalar("SELECT wrapped FROM system_keys WHERE name = $1")
                        .bind(name)
                        .fetch_one(&self.pool)
                        .await?;
                Ok(current)
            },
        )
        .await
    }

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut keys: Vec<(String, Vec<u8>)> =
            sqlx::query_as("SELECT name, wrapped FROM system_keys")
                .fetch_all(&self.pool)
                .await
                .map_err(db_error("list system keys"))?;
        sort_system_keys(&mut keys);
        Ok(keys)
    }

    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError> {
        if has_nul(name) {
            return Err(NUL_NAME);
        }
        retry_write(
            BACKEND,
            "rewrap a system key",
            is_serialization_failure,
            || async {
                let done = sqlx::query(
                    "UPDATE system_keys SET wrapped = $1 WHERE name = $2 AND wrapped = $3",
                )
                .bind(new.as_slice())
                .bind(name)
                .bind(old.as_slice())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            },
        )
        .await
    }

    /// One transaction: the insert, then trimming to the latest checkpoints.
    async fn put_audit_checkpoint(&self, checkpoint: AuditCheckpoint) -> Result<bool, StoreError> {
        if has_nul(&checkpoint.head) {
            return Err(StoreError::Invalid {
                reason: "an audit checkpoint's head contains a NUL character",
            });
        }
        let cp = &checkpoint;
        retry_write(
            BACKEND,
            "store an audit checkpoint",
            is_serialization_failure,
            || async move {
                let mut tx = self.pool.begin().await?;
                let stored = sqlx::query(
                    "INSERT INTO audit_checkpoints (seq, head, at, keyed_from, signature, chain) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING",
                )
                .bind(cp.seq)
                .bind(&cp.head)
                .bind(cp.at)
                .bind(cp.keyed_from)
                .bind(cp.signature.as_slice())
                .bind(cp.chain)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                sqlx::query(
                    "DELETE FROM audit_checkpoints WHERE seq < \
                     (SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1 OFFSET $1) \
                     AND seq NOT IN (SELECT MAX(seq) FROM audit_checkpoints GROUP BY chain)",
                )
                .bind(AUDIT_CHECKPOINTS_KEPT - 1)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(stored)
            },
        )
        .await
    }

    async fn audit_checkpoints(&self, limit: u32) -> Result<Vec<AuditCheckpoint>, StoreError> {
        let rows: Vec<(i64, String, time::OffsetDateTime, i64, Vec<u8>, i32)> = sqlx::query_as(
            "SELECT seq, head, at, keyed_from, signature, chain FROM audit_checkpoints \
             ORDER BY seq DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("list audit checkpoints"))?;
        Ok(rows
            .into_iter()
            .map(
                |(seq, head, at, keyed_from, signature, chain)| AuditCheckpoint {
                    chain,
                    seq,
                    head,
                    at,
                    keyed_from,
                    signature,
                },
            )
            .collect())
    }
}
