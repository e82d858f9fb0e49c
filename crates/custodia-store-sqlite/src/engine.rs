//! The threads that own the connections. SQLite is a library: a statement runs on the
//! thread that calls it, and blocks it. So each connection lives on a thread of its own
//! and a store call sends that thread one job, a closure that does the whole operation
//! (every statement of an `apply`, both reads of a policy version) and answers through
//! a oneshot channel: one hop there and one back per call, whatever the number of
//! statements.
//!
//! - One **writer** thread owns the one read-write connection: every write
//!   transaction goes there, in arrival order. SQLite takes one writer at a time
//!   anyway; a single thread queues them without lock contention and keeps the
//!   writer's page cache warm.
//! - A few **reader** threads, each with a read-only connection, share one queue: under
//!   WAL, reads run beside the writer and beside each other, each on the latest
//!   committed snapshot.
//! - A **syncer** thread makes the writer's commits durable. The writer connection
//!   commits with `synchronous=NORMAL`, which writes the WAL frames without waiting for
//!   the disk, then hands the caller's answer to the syncer and starts the next
//!   transaction at once. The syncer `fdatasync`s the WAL file once for every answer
//!   queued meanwhile and only then answers: a caller still hears back only once its
//!   write is on disk, but the disk flush of one commit overlaps the statements of the
//!   next. The WAL is a log of checksummed frames that SQLite replays up to the first
//!   bad one, so a sync that covers a commit covers every commit before it. Another
//!   connection may read a commit before it is synced; only a power loss (not a killed
//!   process: the frames are in the kernel's page cache) could then undo it, and its
//!   writer was never told it was stored. A failed sync fails that answer and every
//!   later write: after `fsync` reports an error the kernel may have dropped the pages,
//!   so nothing written since can be called durable until the server restarts.
//! - A **checkpointer** thread copies the WAL into the database file every 250 ms
//!   (`wal_checkpoint(PASSIVE)`), beside the writer. Left to the writer, SQLite
//!   checkpoints inside a commit every 1,000 WAL pages, and every caller waiting for
//!   that commit waits for the checkpoint too (measured: 10–20 % more lookups and
//!   creates per second over HTTP with the checkpoints moved out).
//!
//! Dropping the store or [`Engine::close`] closes the queues; each thread finishes the
//! jobs already queued, then closes its connection.

use std::fs::File;
use std::future::Future;
use std::os::unix::fs::MetadataExt;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use custodia_store::StoreError;
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::BACKEND;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A write job's answer, given the outcome of the WAL sync that makes it durable.
type Answer = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// A job on the writer connection: does the work, returns the answer to send once
/// synced.
type WriteJob = Box<dyn FnOnce(&mut Connection) -> Answer + Send>;

/// How often the checkpointer copies the WAL into the database file: often enough to
/// keep the WAL within the writer's limit, seldom enough that a page written by many
/// commits is copied once.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

struct Queues {
    writer: Sender<WriteJob>,
    readers: Sender<Job>,
    /// Never sent on: dropping it stops the checkpointer.
    _checkpointer: Sender<()>,
}

pub(crate) struct Engine {
    queues: RwLock<Option<Queues>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

fn closed(operation: &'static str) -> StoreError {
    StoreError::Query {
        backend: BACKEND,
        operation,
        detail: "the store is closed".to_owned(),
    }
}

fn thread_failed(operation: &'static str) -> StoreError {
    StoreError::Query {
        backend: BACKEND,
        operation,
        detail: "the database thread failed".to_owned(),
    }
}

/// Runs jobs until the queue is closed and empty.
fn serve(mut conn: Connection, jobs: Receiver<Job>) {
    for job in jobs {
        // A job that panics drops its reply sender, so its caller gets an error; the
        // thread goes on serving (an open transaction was rolled back on unwinding).
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
    }
}

/// Runs write jobs until the queue is closed and empty, handing each answer to the
/// syncer.
fn serve_writer(mut conn: Connection, jobs: Receiver<WriteJob>, answers: Sender<Answer>) {
    for job in jobs {
        // As in `serve`: a panicking job's caller gets an error, the thread goes on.
        if let Ok(answer) = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn))) {
            // The syncer outlives this thread: it stops when `answers` is dropped.
            let _ = answers.send(answer);
        }
    }
}

/// The WAL file of one database, opened for syncing only.
struct Wal {
    path: PathBuf,
    file: Option<File>,
}

impl Wal {
    /// Flushes the WAL file to disk. SQLite removes the file only when the last
    /// connection closes, after copying it all into the database file and syncing that:
    /// a missing file has nothing left to sync. The file is reopened if it was replaced.
    fn sync(&mut self) -> std::io::Result<()> {
        let on_disk = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let file = match self.file.take() {
            Some(f)
                if f.metadata().is_ok_and(|open| {
                    open.ino() == on_disk.ino() && open.dev() == on_disk.dev()
                }) =>
            {
                f
            }
            _ => File::options().read(true).write(true).open(&self.path)?,
        };
        let synced = file.sync_data();
        self.file = Some(file);
        synced
    }
}

/// Answers write jobs once the WAL is synced: one sync for every answer queued while
/// the previous one ran. After a failed sync every later answer is that failure.
fn sync_answers(mut wal: Wal, answers: Receiver<Answer>) {
    let mut failed: Option<StoreError> = None;
    while let Ok(first) = answers.recv() {
        let mut ready = vec![first];
        ready.extend(answers.try_iter());
        let outcome = match &failed {
            Some(e) => Err(e.clone()),
            None => wal.sync().map_err(|e| StoreError::Query {
                backend: BACKEND,
                operation: "sync the write-ahead log",
                detail: e.to_string(),
            }),
        };
        if let Err(e) = &outcome {
            failed = Some(e.clone());
        }
        for answer in ready {
            answer(outcome.clone());
        }
    }
}

/// Copies the WAL into the database file every [`CHECKPOINT_EVERY`] until `stop` is
/// closed.
fn checkpoint(conn: Connection, stop: Receiver<()>) {
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
        // PASSIVE: copies what no reader still needs, never waits, never blocks the
        // writer. A failure is retried next time; the writer checkpoints itself if the
        // WAL grows too long meanwhile.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

impl Engine {
    /// Starts a thread for the writer connection, one syncing the WAL at `wal`, one per
    /// reader connection and one for the checkpointer; `name` prefixes the thread names.
    pub(crate) fn start(
        name: &str,
        wal: PathBuf,
        writer: Connection,
        readers: Vec<Connection>,
        checkpointer: Connection,
    ) -> Result<Engine, StoreError> {
        let spawn_failed = |_| StoreError::Connect {
            backend: BACKEND,
            detail: "cannot start a database thread".to_owned(),
        };
        let mut threads = Vec::with_capacity(readers.len() + 3);
        let (answers_tx, answers_rx) = crossbeam_channel::unbounded::<Answer>();
        let wal = Wal {
            path: wal,
            file: None,
        };
        threads.push(
            std::thread::Builder::new()
                .name(format!("{name}-syncer"))
                .spawn(move || sync_answers(wal, answers_rx))
                .map_err(spawn_failed)?,
        );
        let (writer_tx, writer_rx) = crossbeam_channel::unbounded::<WriteJob>();
        threads.push(
            std::thread::Builder::new()
                .name(format!("{name}-writer"))
                .spawn(move || serve_writer(writer, writer_rx, answers_tx))
                .map_err(spawn_failed)?,
        );
        let (readers_tx, readers_rx) = crossbeam_channel::unbounded::<Job>();
        for (i, reader) in readers.into_iter().enumerate() {
            let rx = readers_rx.clone();
            threads.push(
                std::thread::Builder::new()
                    .name(format!("{name}-reader-{i}"))
                    .spawn(move || serve(reader, rx))
                    .map_err(spawn_failed)?,
            );
        }
        let (stop_tx, stop_rx) = crossbeam_channel::bounded::<()>(0);
        threads.push(
            std::thread::Builder::new()
                .name(format!("{name}-checkpointer"))
                .spawn(move || checkpoint(checkpointer, stop_rx))
                .map_err(spawn_failed)?,
        );
        Ok(Engine {
            queues: RwLock::new(Some(Queues {
                writer: writer_tx,
                readers: readers_tx,
                _checkpointer: stop_tx,
            })),
            threads: Mutex::new(threads),
        })
    }

    /// Runs `f` on the writer connection; returns once its outcome is durable.
    pub(crate) async fn write<T, F>(&self, operation: &'static str, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.queue_write(operation, f)?.1.await
    }

    /// Queues `f` for the writer connection behind every write queued before. Returns
    /// two futures: one resolving once `f` has run (its transaction committed or rolled
    /// back, maybe not yet synced), one with its outcome once durable.
    pub(crate) fn queue_write<T, F>(
        &self,
        operation: &'static str,
        f: F,
    ) -> Result<
        (
            impl Future<Output = ()> + Send + 'static,
            impl Future<Output = Result<T, StoreError>> + Send + 'static,
        ),
        StoreError,
    >
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (ran, applied) = oneshot::channel();
        let (reply, answer) = oneshot::channel();
        let job: WriteJob = Box::new(move |conn| {
            let result = f(conn);
            let _ = ran.send(());
            Box::new(move |synced: Result<(), StoreError>| {
                // The caller may have given up waiting; the work is done regardless.
                let _ = reply.send(synced.and(result));
            })
        });
        {
            let queues = self.queues.read().unwrap_or_else(PoisonError::into_inner);
            let queues = queues.as_ref().ok_or_else(|| closed(operation))?;
            queues.writer.send(job).map_err(|_| closed(operation))?;
        }
        let applied = async move {
            // An error means the job panicked: the answer says so.
            let _ = applied.await;
        };
        let durable = async move { answer.await.map_err(|_| thread_failed(operation))? };
        Ok((applied, durable))
    }

    /// Runs `f` on the first free reader connection.
    pub(crate) async fn read<T, F>(&self, operation: &'static str, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // The caller may have given up waiting; the work is done regardless.
            let _ = reply.send(f(conn));
        });
        {
            let queues = self.queues.read().unwrap_or_else(PoisonError::into_inner);
            let queues = queues.as_ref().ok_or_else(|| closed(operation))?;
            queues.readers.send(job).map_err(|_| closed(operation))?;
        }
        answer.await.map_err(|_| thread_failed(operation))?
    }

    /// Closes the queues and waits for the threads to finish what was queued and close
    /// their connections. Later calls fail.
    pub(crate) async fn close(&self) {
        drop(
            self.queues
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let threads =
            std::mem::take(&mut *self.threads.lock().unwrap_or_else(PoisonError::into_inner));
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        })
        .await;
    }
}
