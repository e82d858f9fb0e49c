//! Consistent copies of live database files (`custodia backup`), through SQLite's
//! online backup API. Blocking calls: run them off async workers.
//!
//! The copy is made page by page inside one read transaction on the source, so it is
//! the database as of that transaction's start (WAL: writers go on meanwhile, and a
//! write does not restart the copy), and a progress bar can move between steps.

use crate::codec::{connect_error, db_error};
use custodia_store::StoreError;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// Pages copied per step (4 KiB each): a progress update every megabyte.
const PAGES_PER_STEP: i32 = 256;

/// Copies the database at `src` into the new file `dst`, one consistent snapshot,
/// left as a single file (rollback journal, no `-wal`). `progress(done, total)` is
/// called with pages after each step.
pub fn copy_online(
    src: &Path,
    dst: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(), StoreError> {
    if !src.exists() {
        return Err(StoreError::Invalid {
            reason: "the database file to back up does not exist",
        });
    }
    let source = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| connect_error(&e))?;
    source
        .busy_timeout(Duration::from_secs(10))
        .map_err(db_error("set the busy timeout"))?;
    // The snapshot: a read transaction held until the copy is done.
    source
        .execute_batch("BEGIN DEFERRED")
        .map_err(db_error("begin the backup's read"))?;
    source
        .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        .map_err(db_error("begin the backup's read"))?;
    let mut target = Connection::open(dst).map_err(|e| connect_error(&e))?;
    {
        let backup = Backup::new(&source, &mut target).map_err(db_error("start a backup"))?;
        loop {
            let step = backup
                .step(PAGES_PER_STEP)
                .map_err(db_error("copy pages"))?;
            let p = backup.progress();
            let total = u64::try_from(p.pagecount).unwrap_or(0);
            let left = u64::try_from(p.remaining).unwrap_or(0);
            progress(total.saturating_sub(left), total);
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Another connection holds a lock on the target or source: wait.
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    source
        .execute_batch("COMMIT")
        .map_err(db_error("end the backup's read"))?;
    // A backup file stands alone: no WAL beside it.
    target
        .pragma_update(None, "journal_mode", "DELETE")
        .map_err(db_error("set the copy's journal mode"))?;
    target
        .close()
        .map_err(|(_, e)| db_error("close the copy")(e))?;
    Ok(())
}

/// The last audit entry (`seq`, `hash`) of a data database file (a backup copy).
pub fn audit_head(db: &Path) -> Result<Option<(i64, String)>, StoreError> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| connect_error(&e))?;
    conn.query_row(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
    .map_err(db_error("read the audit head"))
}

/// Drops from a key-store copy the checkpoints of entries past `head` (none at all
/// when the log is empty): the key store was copied after the data database, and
/// checkpoints signed in between name entries the copy of the log does not hold.
/// Returns how many were dropped.
pub fn drop_checkpoints_after(keys_db: &Path, head: Option<i64>) -> Result<u64, StoreError> {
    let conn = Connection::open(keys_db).map_err(|e| connect_error(&e))?;
    let dropped = conn
        .execute(
            "DELETE FROM audit_checkpoints WHERE seq > ?1",
            [head.unwrap_or(0)],
        )
        .map_err(db_error("drop checkpoints past the copied log"))?;
    Ok(dropped as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_the_snapshot_of_its_read_while_writes_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src.db");
        let writer = Connection::open(&src).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                 INSERT INTO t SELECT randomblob(100) FROM n;",
            )
            .unwrap();
        let dst = dir.path().join("copy.db");
        let mut steps = 0;
        copy_online(&src, &dst, &mut |done, total| {
            assert!(done <= total);
            steps += 1;
            // A write from another connection in the middle of the copy.
            writer.execute("INSERT INTO t VALUES (1)", []).unwrap();
        })
        .unwrap();
        assert!(steps > 1, "{steps} steps");
        let copy = Connection::open(&dst).unwrap();
        let rows: i64 = copy
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 20000);
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
}
