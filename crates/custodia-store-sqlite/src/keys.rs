//! The SQLite key store: a database file of its own (`keys.db` beside the data
//! database by default), so that the one copy of a data key that matters can be erased
//! whatever copies of the data database exist.
//!
//! A deleted key must not survive in the files. `secure_delete=ON` makes SQLite
//! overwrite deleted content with zeros, and every deletion is followed by a
//! `wal_checkpoint(TRUNCATE)`: the zeroed page goes into the database file and the
//! WAL, which still held frames with the key, is emptied. The deletion only returns
//! once that checkpoint succeeded. WAL mode keeps the commit of new keys, on the
//! hot path of every subject creation, at one fsync. The price is a few more fsyncs per
//! commit and readers waiting while a writer commits, which suits a store that is
//! written once per batch of new subjects.

use std::path::Path;
use std::time::Duration;

use custodia_store::sqlx_support::{
    DEFAULT_KEY_PAGE, OpError, connect_error, is_unique_violation, migrate_error, retry_write,
    validate_key_ids,
};
use custodia_store::{KeyStore, StoreError};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::BACKEND;
use crate::codec::{BulkInsert, SqliteQuery, db_error, is_busy};

const MAX_CONNECTIONS: u32 = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Its own migrations, tracked in a table of its own, so that even a key store opened on
/// the data database (not the default) would not clash with the data migrations.
fn migrator() -> Migrator {
    let mut migrator = sqlx::migrate!("./migrations-keys");
    migrator.dangerous_set_table_name("_custodia_key_migrations");
    migrator
}

static DATA_KEYS: BulkInsert =
    BulkInsert::new("INSERT INTO data_keys (subject_id, wrapped) VALUES ", "", 2);

const DUPLICATE_KEY: StoreError = StoreError::Invalid {
    reason: "a subject already has a data key",
};

pub struct SqliteKeyStore {
    pool: SqlitePool,
}

impl SqliteKeyStore {
    /// Empties the WAL so that no frame of a deleted key survives in it. A reader
    /// still on an older snapshot makes the checkpoint report "busy": wait and retry.
    async fn purge_wal(&self) -> Result<(), StoreError> {
        for _ in 0..200 {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await
                .map_err(db_error("checkpoint the key store"))?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Err(StoreError::Conflict {
            backend: BACKEND,
            operation: "empty the key store's WAL after a deletion",
            attempts: 200,
        })
    }

    /// Opens the key database at `path`, creating the file if missing (not its
    /// directory), and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteKeyStore, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .pragma("secure_delete", "ON")
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(BACKEND, &e))?;
        migrator()
            .run(&pool)
            .await
            .map_err(|e| migrate_error(BACKEND, &e))?;
        Ok(SqliteKeyStore { pool })
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn bind_key<'q>(q: SqliteQuery<'q>, (id, wrapped): &(String, Vec<u8>)) -> SqliteQuery<'q> {
    q.bind(id.as_str()).bind(wrapped.as_slice())
}

fn no_nul(s: &str) -> Result<(), StoreError> {
    if s.contains('\0') {
        Err(StoreError::Invalid {
            reason: "a key name or subject id contains a NUL character",
        })
    } else {
        Ok(())
    }
}

#[async_trait::async_trait]
impl KeyStore for SqliteKeyStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        validate_key_ids(keys.iter().map(|(id, _)| id.as_str()))?;
        if keys.is_empty() {
            return Ok(());
        }
        retry_write(BACKEND, "store data keys", is_busy, || async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            DATA_KEYS.run(&mut tx, &keys, bind_key).await.map_err(|e| {
                if is_unique_violation(&e) {
                    OpError::Store(DUPLICATE_KEY)
                } else {
                    OpError::Db(e)
                }
            })?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        sqlx::query_scalar("SELECT wrapped FROM data_keys WHERE subject_id = ?")
            .bind(subject_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error("read a data key"))
    }

    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError> {
        let deleted = retry_write(BACKEND, "delete a data key", is_busy, || async {
            let done = sqlx::query("DELETE FROM data_keys WHERE subject_id = ?")
                .bind(subject_id)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        })
        .await?;
        self.purge_wal().await?;
        Ok(deleted)
    }

    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let limit = i64::from(if limit == 0 { DEFAULT_KEY_PAGE } else { limit });
        let query = match after {
            Some(after) => {
                no_nul(after)?;
                sqlx::query_as(
                    "SELECT subject_id, wrapped FROM data_keys WHERE subject_id > ? \
                     ORDER BY subject_id LIMIT ?",
                )
                .bind(after)
            }
            None => sqlx::query_as(
                "SELECT subject_id, wrapped FROM data_keys ORDER BY subject_id LIMIT ?",
            ),
        };
        query
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("list data keys"))
    }

    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError> {
        validate_key_ids(changes.iter().map(|(id, _, _)| id.as_str()))?;
        if changes.is_empty() {
            return Ok(0);
        }
        retry_write(BACKEND, "rewrap data keys", is_busy, || async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let mut replaced = 0;
            for (id, old, new) in &changes {
                replaced += sqlx::query(
                    "UPDATE data_keys SET wrapped = ? WHERE subject_id = ? AND wrapped = ?",
                )
                .bind(new.as_slice())
                .bind(id.as_str())
                .bind(old.as_slice())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok(replaced)
        })
        .await
    }

    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        no_nul(name)?;
        retry_write(BACKEND, "store a system key", is_busy, || async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query(
                "INSERT INTO system_keys (name, wrapped) VALUES (?, ?) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(wrapped.as_slice())
            .execute(&mut *tx)
            .await?;
            let current: Vec<u8> =
                sqlx::query_scalar("SELECT wrapped FROM system_keys WHERE name = ?")
                    .bind(name)
                    .fetch_one(&mut *tx)
                    .await?;
            tx.commit().await?;
            Ok(current)
        })
        .await
    }

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut keys: Vec<(String, Vec<u8>)> =
            sqlx::query_as("SELECT name, wrapped FROM system_keys")
                .fetch_all(&self.pool)
                .await
                .map_err(db_error("list system keys"))?;
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(keys)
    }

    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError> {
        no_nul(name)?;
        retry_write(BACKEND, "rewrap a system key", is_busy, || async {
            let done =
                sqlx::query("UPDATE system_keys SET wrapped = ? WHERE name = ? AND wrapped = ?")
                    .bind(new.as_slice())
                    .bind(name)
                    .bind(old.as_slice())
                    .execute(&self.pool)
                    .await?;
            Ok(done.rows_affected() > 0)
        })
        .await
    }
}
