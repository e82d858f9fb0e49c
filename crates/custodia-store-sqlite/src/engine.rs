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
//! - A **checkpointer** thread copies the WAL into the database file every 250 ms
//!   (`wal_checkpoint(PASSIVE)`), beside the writer. Left to the writer, SQLite
//!   checkpoints inside a commit every 1,000 WAL pages, and every caller waiting for
//!   that commit waits for the checkpoint too (measured: 10–20 % more lookups and
//!   creates per second over HTTP with the checkpoints moved out).
//!
//! Dropping the store or [`Engine::close`] closes the queues; each thread finishes the
//! jobs already queued, then closes its connection.

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use custodia_store::StoreError;
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::BACKEND;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// How often the checkpointer copies the WAL into the database file: often enough to
/// keep the WAL within the writer's limit, seldom enough that a page written by many
/// commits is copied once.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

struct Queues {
    writer: Sender<Job>,
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

/// Runs jobs until the queue is closed and empty.
fn serve(mut conn: Connection, jobs: Receiver<Job>) {
    for job in jobs {
        // A job that panics drops its reply sender, so its caller gets an error; the
        // thread goes on serving (an open transaction was rolled back on unwinding).
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
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
    /// Starts a thread for the writer connection, one per reader connection and one for
    /// the checkpointer; `name` prefixes the thread names.
    pub(crate) fn start(
        name: &str,
        writer: Connection,
        readers: Vec<Connection>,
        checkpointer: Connection,
    ) -> Result<Engine, StoreError> {
        let spawn_failed = |_| StoreError::Connect {
            backend: BACKEND,
            detail: "cannot start a database thread".to_owned(),
        };
        let mut threads = Vec::with_capacity(readers.len() + 1);
        let (writer_tx, writer_rx) = crossbeam_channel::unbounded::<Job>();
        threads.push(
            std::thread::Builder::new()
                .name(format!("{name}-writer"))
                .spawn(move || serve(writer, writer_rx))
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

    /// Runs `f` on the writer connection.
    pub(crate) async fn write<T, F>(&self, operation: &'static str, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.run(true, operation, f).await
    }

    /// Runs `f` on the first free reader connection.
    pub(crate) async fn read<T, F>(&self, operation: &'static str, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.run(false, operation, f).await
    }

    async fn run<T, F>(&self, write: bool, operation: &'static str, f: F) -> Result<T, StoreError>
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
            let queue = if write {
                &queues.writer
            } else {
                &queues.readers
            };
            queue.send(job).map_err(|_| closed(operation))?;
        }
        answer.await.map_err(|_| StoreError::Query {
            backend: BACKEND,
            operation,
            detail: "the database thread failed".to_owned(),
        })?
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
