//! The erasure journal: one line `TIME ID` per destroyed data key, appended and
//! flushed to disk *before* the key is destroyed, in a file a restore never
//! overwrites. After a backup is restored, [`reapply`] erases again everyone the
//! journal names, so a restore never brings back a person erased after the backup.
//!
//! Every erasure destroys a data key through the [`KeyStore`] (the vault, rights
//! effects, retention sweeps, purged requests), so [`JournaledKeys`], a decorator of
//! the key store, records them all. Ids are random (pseudonymous); the journal holds
//! nothing else but ids and times.

use crate::Clock;
use crate::audit::{AuditAction, AuditRecord};
use crate::writer::{Job, WriteError, Writer};
use custodia_store::{AuditCheckpoint, KeyStore, Store, StoreError, Write};
use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The principal of re-applied erasures in the audit log.
pub const RESTORE_PRINCIPAL: &str = "restore";

/// Ids erased again per key-store transaction and writer job.
const REAPPLY_PAGE: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {what}: {source}")]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

fn io(path: &Path, what: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
    let path = path.to_owned();
    move |source| JournalError::Io { path, what, source }
}

/// The journal file, open for appending (0600).
pub struct ErasureJournal {
    path: PathBuf,
    file: Mutex<File>,
}

impl ErasureJournal {
    /// Opens (creates) the journal. A last line cut short by a crash is ended, so
    /// the next entry starts on a line of its own; its erasure never happened (the
    /// key goes only once its line is on disk).
    pub fn open(path: &Path) -> Result<ErasureJournal, JournalError> {
        let mut options = File::options();
        options.create(true).read(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .map_err(io(path, "cannot open the erasure journal"))?;
        let len = file
            .metadata()
            .map_err(io(path, "cannot read the erasure journal"))?
            .len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(io(path, "cannot read the erasure journal"))?;
            if last[0] != b'\n' {
                file.write_all(b"\n")
                    .and_then(|()| file.sync_data())
                    .map_err(io(path, "cannot write to the erasure journal"))?;
            }
        }
        Ok(ErasureJournal {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line per id in one write, then flushes it to disk.
    pub fn record(&self, ids: &[String], at: OffsetDateTime) -> Result<(), JournalError> {
        let time = at
            .format(&Rfc3339)
            .map_err(|e| io(&self.path, "cannot format a time")(std::io::Error::other(e)))?;
        let mut lines = String::with_capacity(ids.len() * (time.len() + 38));
        for id in ids {
            // A line holds a time and one token; ids are generated UUIDs, so anything
            // else is refused rather than journaled ambiguously (the key stays).
            if id.is_empty() || id.contains(char::is_whitespace) {
                return Err(
                    io(&self.path, "an id to journal is empty or holds a space")(
                        std::io::ErrorKind::InvalidInput.into(),
                    ),
                );
            }
            lines.push_str(&time);
            lines.push(' ');
            lines.push_str(id);
            lines.push('\n');
        }
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(lines.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(io(&self.path, "cannot write to the erasure journal"))
    }
}

/// What a journal file holds.
#[derive(Debug, Default, PartialEq)]
pub struct JournalEntries {
    /// `(time, id)` in file order.
    pub entries: Vec<(OffsetDateTime, String)>,
    /// Lines that are not `TIME ID` (a write cut short by a crash, whose key was
    /// never destroyed).
    pub unreadable: u64,
}

/// Reads every entry of a journal file.
pub fn read(path: &Path) -> Result<JournalEntries, JournalError> {
    let text = std::fs::read(path).map_err(io(path, "cannot read the erasure journal"))?;
    let text = String::from_utf8_lossy(&text);
    let mut read = JournalEntries::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed = line.split_once(' ').and_then(|(time, id)| {
            let at = OffsetDateTime::parse(time, &Rfc3339).ok()?;
            (!id.is_empty() && !id.contains(' ')).then(|| (at, id.to_owned()))
        });
        match parsed {
            Some(entry) => read.entries.push(entry),
            None => read.unreadable += 1,
        }
    }
    Ok(read)
}

/// A key store whose deletions are journaled first: a deletion whose line could not
/// be written fails without touching the key.
pub struct JournaledKeys {
    inner: Arc<dyn KeyStore>,
    journal: Arc<ErasureJournal>,
    clock: Arc<dyn Clock>,
}

impl JournaledKeys {
    pub fn new(
        inner: Arc<dyn KeyStore>,
        journal: Arc<ErasureJournal>,
        clock: Arc<dyn Clock>,
    ) -> JournaledKeys {
        JournaledKeys {
            inner,
            journal,
            clock,
        }
    }

    async fn journal(&self, ids: Vec<String>) -> Result<(), StoreError> {
        let journal = Arc::clone(&self.journal);
        let at = self.clock.now();
        // The flush to disk blocks: off the async workers.
        let written = tokio::task::spawn_blocking(move || journal.record(&ids, at)).await;
        let failed = |detail: String| StoreError::Query {
            backend: "erasure journal",
            operation: "record an erasure before destroying its key",
            detail,
        };
        match written {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(failed(e.to_string())),
            Err(e) => Err(failed(e.to_string())),
        }
    }
}

#[async_trait::async_trait]
impl KeyStore for JournaledKeys {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        self.inner.put_data_keys(keys).await
    }

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.data_key(subject_id).await
    }

    fn forget_cached(&self, subject_id: &str) {
        self.inner.forget_cached(subject_id);
    }

    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError> {
        self.journal(vec![subject_id.to_owned()]).await?;
        self.inner.delete_data_key(subject_id).await
    }

    async fn delete_data_keys(&self, subject_ids: &[String]) -> Result<u64, StoreError> {
        if subject_ids.is_empty() {
            return Ok(0);
        }
        self.journal(subject_ids.to_vec()).await?;
        self.inner.delete_data_keys(subject_ids).await
    }

    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.data_keys_page(after, limit).await
    }

    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError> {
        self.inner.rewrap_data_keys(changes).await
    }

    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        self.inner.system_key_or_insert(name, wrapped).await
    }

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.system_keys().await
    }

    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError> {
        self.inner.rewrap_system_key(name, old, new).await
    }

    async fn put_audit_checkpoint(&self, checkpoint: AuditCheckpoint) -> Result<bool, StoreError> {
        self.inner.put_audit_checkpoint(checkpoint).await
    }

    async fn audit_checkpoints(&self, limit: u32) -> Result<Vec<AuditCheckpoint>, StoreError> {
        self.inner.audit_checkpoints(limit).await
    }
}

/// What [`reapply`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reapplied {
    /// Distinct ids the journals name.
    pub ids: u64,
    /// Subjects present and not erased in the restored copy, now erased.
    pub subjects_erased: u64,
    /// Data keys still in the restored key store, now destroyed (subjects, and
    /// purged requests: their rows go with the next sweep).
    pub keys_destroyed: u64,
}

/// Erases again, the way [`crate::vault::Vault::erase`] does (key first, then the
/// rows, audited), every id of `ids` still held by the restored stores. Every id is
/// re-applied whatever its time: an erasure cannot be undone, and clocks can be
/// wrong. `keys` must not journal (the ids are in the journal already).
pub async fn reapply(
    store: &dyn Store,
    keys: &dyn KeyStore,
    writer: &Writer,
    clock: &dyn Clock,
    ids: &[String],
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Reapplied, JournalError> {
    let mut seen = HashSet::with_capacity(ids.len());
    let unique: Vec<String> = ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect();
    let mut done = Reapplied {
        ids: unique.len() as u64,
        ..Reapplied::default()
    };
    let mut scanned = 0u64;
    for page in unique.chunks(REAPPLY_PAGE) {
        done.keys_destroyed += keys.delete_data_keys(page).await?;
        let now = clock.now();
        let mut job = Job::default();
        for id in page {
            let Some(stored) = store.subject(id).await? else {
                continue;
            };
            if stored.record.erased_at.is_some() {
                continue;
            }
            let categories: BTreeSet<String> =
                stored.fields.iter().map(|f| f.category.clone()).collect();
            job.writes.push(Write::EraseSubject {
                subject_id: id.clone(),
                erased_at: now,
            });
            job.audit.push(
                AuditRecord::new(
                    now,
                    RESTORE_PRINCIPAL,
                    AuditAction::SubjectEraseReapplied,
                    "ok",
                )
                .subject(id)
                .categories(categories)
                .detail("erased after the backup was taken; erased again from the erasure journal"),
            );
            done.subjects_erased += 1;
        }
        if !job.writes.is_empty() {
            writer.submit(job).await?;
        }
        scanned += page.len() as u64;
        progress(scanned);
    }
    Ok(done)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_flushed_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("erasures.journal");
        let at = time::macros::datetime!(2026-12-07 03:30:00.123456 UTC);
        let journal = ErasureJournal::open(&path).unwrap();
        journal
            .record(&["a-1".to_owned(), "b-2".to_owned()], at)
            .unwrap();
        drop(journal);
        // A crash cut the next line short: it is skipped, and the next entry starts
        // a line of its own.
        std::fs::write(
            &path,
            [std::fs::read(&path).unwrap(), b"2026-12-07T03:3".to_vec()].concat(),
        )
        .unwrap();
        ErasureJournal::open(&path)
            .unwrap()
            .record(&["c-3".to_owned()], at)
            .unwrap();
        let read = read(&path).unwrap();
        let ids: Vec<&str> = read.entries.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["a-1", "b-2", "c-3"]);
        assert!(read.entries.iter().all(|(t, _)| *t == at));
        assert_eq!(read.unreadable, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
    }

    #[test]
    fn a_line_holds_a_time_and_an_id_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let journal = ErasureJournal::open(&path).unwrap();
        let at = time::macros::datetime!(2026-01-01 00:00 UTC);
        assert!(journal.record(&["x y".to_owned()], at).is_err());
        assert!(journal.record(&[String::new()], at).is_err());
        journal.record(&["ok".to_owned()], at).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "2026-01-01T00:00:00Z ok\n"
        );
    }
}
