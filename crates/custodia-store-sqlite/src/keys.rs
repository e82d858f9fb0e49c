//! The SQLite key store: a database file of its own (`keys.db` beside the data
//! database by default), so that the one copy of a data key that matters can be erased
//! whatever copies of the data database exist. Its connections live on threads of
//! their own, like the data store's (see `engine`): one writer, a few readers, a
//! checkpointer.
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

use custodia_store::backend::{key_page_limit, sort_system_keys, validate_key_ids};
use custodia_store::keys::AUDIT_CHECKPOINTS_KEPT;
use custodia_store::{AuditCheckpoint, KeyStore, StoreError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::codec::{
    OpError, db_error, from_micros, is_busy, is_unique_violation, micros, retry_write,
};
use crate::engine::Engine;
use crate::{BACKEND, Profile, migrate, start};

const DUPLICATE_KEY: StoreError = StoreError::Invalid {
    reason: "a subject already has a data key",
};

const PUT: &str = "store data keys";
const READ: &str = "read a data key";
const DELETE: &str = "delete a data key";
const DELETE_MANY: &str = "delete data keys";
const CHECKPOINT: &str = "checkpoint the key store";
const PAGE: &str = "list data keys";
const REWRAP: &str = "rewrap data keys";
const SYSTEM_KEY: &str = "store a system key";
const SYSTEM_KEYS: &str = "list system keys";
const REWRAP_SYSTEM: &str = "rewrap a system key";
const PUT_CHECKPOINT: &str = "store an audit checkpoint";
const CHECKPOINTS: &str = "list audit checkpoints";

/// Checkpoint attempts after a deletion, 5 ms apart, before giving up.
const CHECKPOINT_ATTEMPTS: u32 = 200;

pub struct SqliteKeyStore {
    engine: Engine,
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

impl SqliteKeyStore {
    /// Opens the key database at `path`, creating the file if missing (not its
    /// directory), and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteKeyStore, StoreError> {
        let profile = Profile {
            name: "sqlite-keys",
            secure_delete: "ON",
            migrations: migrate::KEYS,
        };
        Ok(SqliteKeyStore {
            engine: start(path, profile).await?,
        })
    }

    /// Lets queued work finish, then closes the connections; later calls fail.
    pub async fn close(&self) {
        self.engine.close().await;
    }

    /// Empties the WAL so that no frame of a deleted key survives in it. A reader
    /// still on an older snapshot makes the checkpoint report "busy": wait and retry
    /// (the writer thread is free meanwhile).
    async fn purge_wal(&self) -> Result<(), StoreError> {
        for _ in 0..CHECKPOINT_ATTEMPTS {
            let busy: i64 = self
                .engine
                .write(CHECKPOINT, |conn| {
                    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
                        .map_err(db_error(CHECKPOINT))
                })
                .await?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Err(StoreError::Conflict {
            backend: BACKEND,
            operation: "empty the key store's WAL after a deletion",
            attempts: CHECKPOINT_ATTEMPTS,
        })
    }
}

fn put_once(conn: &mut Connection, keys: &[(String, Vec<u8>)]) -> Result<(), OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO data_keys (subject_id, wrapped) VALUES (?1, ?2)")?;
        for (id, wrapped) in keys {
            insert.execute((id, wrapped)).map_err(|e| {
                if is_unique_violation(&e) {
                    OpError::Store(DUPLICATE_KEY)
                } else {
                    OpError::Db(e)
                }
            })?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn rewrap_once(
    conn: &mut Connection,
    changes: &[(String, Vec<u8>, Vec<u8>)],
) -> Result<u64, OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut replaced = 0;
    {
        let mut update = tx.prepare_cached(
            "UPDATE data_keys SET wrapped = ?1 WHERE subject_id = ?2 AND wrapped = ?3",
        )?;
        for (id, old, new) in changes {
            replaced += update.execute((new, id, old))? as u64;
        }
    }
    tx.commit()?;
    Ok(replaced)
}

fn delete_once(conn: &mut Connection, ids: &[String]) -> Result<u64, OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut deleted = 0;
    {
        let mut delete = tx.prepare_cached("DELETE FROM data_keys WHERE subject_id = ?1")?;
        for id in ids {
            deleted += delete.execute([id])? as u64;
        }
    }
    tx.commit()?;
    Ok(deleted)
}

fn system_key_once(conn: &mut Connection, name: &str, wrapped: &[u8]) -> Result<Vec<u8>, OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO system_keys (name, wrapped) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
    )?
    .execute((name, wrapped))?;
    let current: Vec<u8> = tx
        .prepare_cached("SELECT wrapped FROM system_keys WHERE name = ?1")?
        .query_row([name], |row| row.get(0))?;
    tx.commit()?;
    Ok(current)
}

fn checkpoint_once(conn: &mut Connection, cp: &AuditCheckpoint) -> Result<bool, OpError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored =
        tx.prepare_cached(
            "INSERT INTO audit_checkpoints (seq, head, at, keyed_from, signature, chain) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (seq) DO NOTHING",
        )?
        .execute((
            cp.seq,
            &cp.head,
            micros(cp.at),
            cp.keyed_from,
            &cp.signature,
            cp.chain,
        ))? > 0;
    tx.prepare_cached(
        "DELETE FROM audit_checkpoints WHERE seq < \
         (SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1 OFFSET ?1) \
         AND seq NOT IN (SELECT MAX(seq) FROM audit_checkpoints GROUP BY chain)",
    )?
    .execute([AUDIT_CHECKPOINTS_KEPT - 1])?;
    tx.commit()?;
    Ok(stored)
}

#[async_trait::async_trait]
impl KeyStore for SqliteKeyStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        if !validate_key_ids(keys.iter().map(|(id, _)| id.as_str()))? {
            return Ok(());
        }
        self.engine
            .write(PUT, move |conn| {
                retry_write(PUT, is_busy, || put_once(conn, &keys))
            })
            .await
    }

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let subject_id = subject_id.to_owned();
        self.engine
            .read(READ, move |conn| {
                conn.prepare_cached("SELECT wrapped FROM data_keys WHERE subject_id = ?1")
                    .and_then(|mut s| s.query_row([&subject_id], |row| row.get(0)).optional())
                    .map_err(db_error(READ))
            })
            .await
    }

    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError> {
        let subject_id = subject_id.to_owned();
        let deleted = self
            .engine
            .write(DELETE, move |conn| {
                retry_write(DELETE, is_busy, || {
                    Ok(conn
                        .prepare_cached("DELETE FROM data_keys WHERE subject_id = ?1")?
                        .execute([&subject_id])?
                        > 0)
                })
            })
            .await?;
        self.purge_wal().await?;
        Ok(deleted)
    }

    /// One transaction, then one checkpoint for the whole batch.
    async fn delete_data_keys(&self, subject_ids: &[String]) -> Result<u64, StoreError> {
        if !validate_key_ids(subject_ids.iter().map(String::as_str))? {
            return Ok(0);
        }
        let ids = subject_ids.to_vec();
        let deleted = self
            .engine
            .write(DELETE_MANY, move |conn| {
                retry_write(DELETE_MANY, is_busy, || delete_once(conn, &ids))
            })
            .await?;
        // Even when nothing was deleted: an earlier call may have deleted these keys
        // and failed before its checkpoint.
        self.purge_wal().await?;
        Ok(deleted)
    }

    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let limit = i64::from(key_page_limit(limit));
        if let Some(after) = after {
            no_nul(after)?;
        }
        let after = after.map(str::to_owned);
        self.engine
            .read(PAGE, move |conn| {
                let rows = |row: &rusqlite::Row<'_>| Ok((row.get(0)?, row.get(1)?));
                match &after {
                    Some(after) => conn
                        .prepare_cached(
                            "SELECT subject_id, wrapped FROM data_keys WHERE subject_id > ?1 \
                             ORDER BY subject_id LIMIT ?2",
                        )
                        .and_then(|mut s| s.query_map((after, limit), rows)?.collect()),
                    None => conn
                        .prepare_cached(
                            "SELECT subject_id, wrapped FROM data_keys ORDER BY subject_id LIMIT ?1",
                        )
                        .and_then(|mut s| s.query_map([limit], rows)?.collect()),
                }
                .map_err(db_error(PAGE))
            })
            .await
    }

    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError> {
        if !validate_key_ids(changes.iter().map(|(id, _, _)| id.as_str()))? {
            return Ok(0);
        }
        self.engine
            .write(REWRAP, move |conn| {
                retry_write(REWRAP, is_busy, || rewrap_once(conn, &changes))
            })
            .await
    }

    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        no_nul(name)?;
        let name = name.to_owned();
        self.engine
            .write(SYSTEM_KEY, move |conn| {
                retry_write(SYSTEM_KEY, is_busy, || {
                    system_key_once(conn, &name, &wrapped)
                })
            })
            .await
    }

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let mut keys: Vec<(String, Vec<u8>)> = self
            .engine
            .read(SYSTEM_KEYS, |conn| {
                conn.prepare_cached("SELECT name, wrapped FROM system_keys")
                    .and_then(|mut s| {
                        s.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                            .collect()
                    })
                    .map_err(db_error(SYSTEM_KEYS))
            })
            .await?;
        sort_system_keys(&mut keys);
        Ok(keys)
    }

    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError> {
        no_nul(name)?;
        let name = name.to_owned();
        self.engine
            .write(REWRAP_SYSTEM, move |conn| {
                retry_write(REWRAP_SYSTEM, is_busy, || {
                    Ok(conn
                        .prepare_cached(
                            "UPDATE system_keys SET wrapped = ?1 WHERE name = ?2 AND wrapped = ?3",
                        )?
                        .execute((&new, &name, &old))?
                        > 0)
                })
            })
            .await
    }

    async fn put_audit_checkpoint(&self, checkpoint: AuditCheckpoint) -> Result<bool, StoreError> {
        no_nul(&checkpoint.head)?;
        self.engine
            .write(PUT_CHECKPOINT, move |conn| {
                retry_write(PUT_CHECKPOINT, is_busy, || {
                    checkpoint_once(conn, &checkpoint)
                })
            })
            .await
    }

    async fn audit_checkpoints(&self, limit: u32) -> Result<Vec<AuditCheckpoint>, StoreError> {
        let rows: Vec<(i64, String, i64, i64, Vec<u8>, i32)> = self
            .engine
            .read(CHECKPOINTS, move |conn| {
                conn.prepare_cached(
                    "SELECT seq, head, at, keyed_from, signature, chain FROM audit_checkpoints \
                     ORDER BY seq DESC LIMIT ?1",
                )
                .and_then(|mut s| {
                    s.query_map([i64::from(limit)], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                            row.get(5)?,
                        ))
                    })?
                    .collect()
                })
                .map_err(db_error(CHECKPOINTS))
            })
            .await?;
        rows.into_iter()
            .map(|(seq, head, at, keyed_from, signature, chain)| {
                Ok(AuditCheckpoint {
                    chain,
                    seq,
                    head,
                    at: from_micros(at)?,
                    keyed_from,
                    signature,
                })
            })
            .collect()
    }
}
