//! Group commit. Every durable write goes through one pipeline that drains whatever
//! is queued, stores the new data keys in one key-store transaction, then the writes
//! and their chained audit entries in one data transaction, and only then answers
//! each caller. Concurrent requests share commits instead of paying one fsync each,
//! and the audit chain is extended by exactly one writer per instance.

use crate::audit::{AuditRecord, chain, genesis};
use custodia_store::{Batch, KeyStore, Store, StoreError, Write};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Most jobs committed together; bounded so one commit stays short.
const MAX_JOBS_PER_COMMIT: usize = 512;
/// Attempts when another instance extends the audit chain first.
const MAX_CHAIN_RETRIES: u32 = 64;

/// One caller's writes, committed all or nothing.
#[derive(Debug, Default)]
pub struct Job {
    /// New wrapped data keys (subject id, wrapped key), stored before the data.
    pub keys: Vec<(String, Vec<u8>)>,
    pub writes: Vec<Write>,
    pub audit: Vec<AuditRecord>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the writer has stopped")]
    Stopped,
}

type Reply = oneshot::Sender<Result<(), WriteError>>;

/// Told of every write once it is durable and before its caller is answered, so that
/// in-memory state (consent decisions) never lags behind an acknowledged write.
pub trait CommitObserver: Send + Sync + 'static {
    fn committed(&self, writes: &[Write]);
}

struct NoObserver;

impl CommitObserver for NoObserver {
    fn committed(&self, _: &[Write]) {}
}

/// Handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<(Job, Reply)>,
}

impl Writer {
    /// Starts the writer task on the current Tokio runtime.
    pub async fn start(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyStore>,
    ) -> Result<Writer, StoreError> {
        Writer::start_observed(store, keys, Arc::new(NoObserver)).await
    }

    /// Like [`Writer::start`], telling `observer` of every committed write.
    pub async fn start_observed(
        store: Arc<dyn Store>,
        keys: Arc<dyn KeyStore>,
        observer: Arc<dyn CommitObserver>,
    ) -> Result<Writer, StoreError> {
        let head = store.audit_head().await?.unwrap_or_else(genesis);
        let (tx, rx) = mpsc::channel(8192);
        tokio::spawn(run(store, keys, head, observer, rx));
        Ok(Writer { tx })
    }

    /// Commits `job`; returns once it is durable.
    pub async fn submit(&self, job: Job) -> Result<(), WriteError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((job, reply))
            .await
            .map_err(|_| WriteError::Stopped)?;
        answer.await.map_err(|_| WriteError::Stopped)?
    }
}

async fn run(
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyStore>,
    head: (i64, String),
    observer: Arc<dyn CommitObserver>,
    mut rx: mpsc::Receiver<(Job, Reply)>,
) {
    // Two stages, so that batch N+1's keys commit while batch N's data commits; a
    // job still reaches the data stage only after its keys are durable.
    let (to_data, from_keys) = mpsc::channel::<Vec<(Job, Reply)>>(2);
    tokio::spawn(data_stage(store, head, observer, from_keys));
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let stored = store_keys(keys.as_ref(), jobs).await;
        if !stored.is_empty() && to_data.send(stored).await.is_err() {
            break;
        }
    }
}

async fn data_stage(
    store: Arc<dyn Store>,
    mut head: (i64, String),
    observer: Arc<dyn CommitObserver>,
    mut rx: mpsc::Receiver<Vec<(Job, Reply)>>,
) {
    while let Some(mut jobs) = rx.recv().await {
        // Whatever queued meanwhile joins this commit.
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match rx.try_recv() {
                Ok(more) => jobs.extend(more),
                Err(_) => break,
            }
        }
        commit_data(store.as_ref(), observer.as_ref(), &mut head, jobs).await;
    }
}

/// Stores the jobs' new data keys in one transaction and returns the jobs whose keys
/// are durable; the others have been answered with the error.
async fn store_keys(keys: &dyn KeyStore, jobs: Vec<(Job, Reply)>) -> Vec<(Job, Reply)> {
    let new_keys: Vec<(String, Vec<u8>)> = jobs
        .iter()
        .flat_map(|(j, _)| j.keys.iter().cloned())
        .collect();
    if new_keys.is_empty() {
        return jobs;
    }
    match keys.put_data_keys(new_keys).await {
        Ok(()) => jobs,
        Err(e) if jobs.len() == 1 => {
            answer_all(jobs, Err(e.into()));
            Vec::new()
        }
        Err(_) => {
            // One bad job must not fail its neighbours: store each job's keys alone.
            let mut stored = Vec::new();
            for (job, reply) in jobs {
                if job.keys.is_empty() {
                    stored.push((job, reply));
                    continue;
                }
                match keys.put_data_keys(job.keys.clone()).await {
                    Ok(()) => stored.push((job, reply)),
                    Err(e) => {
                        let _ = reply.send(Err(e.into()));
                    }
                }
            }
            stored
        }
    }
}

async fn commit_data(
    store: &dyn Store,
    observer: &dyn CommitObserver,
    head: &mut (i64, String),
    jobs: Vec<(Job, Reply)>,
) {
    if jobs.is_empty() {
        return;
    }
    match apply_chained(store, head, jobs.iter().map(|(j, _)| j)).await {
        Ok(()) => {
            for (job, _) in &jobs {
                observer.committed(&job.writes);
            }
            answer_all(jobs, Ok(()))
        }
        Err(e) if jobs.len() == 1 => answer_all(jobs, Err(e)),
        Err(_) => {
            for (job, reply) in jobs {
                let result = apply_chained(store, head, std::iter::once(&job)).await;
                if result.is_ok() {
                    observer.committed(&job.writes);
                }
                let _ = reply.send(result);
            }
        }
    }
}

/// Applies the jobs' writes with their audit records chained after `head`; re-reads
/// the head and retries when another instance appended first.
async fn apply_chained<'a>(
    store: &dyn Store,
    head: &mut (i64, String),
    jobs: impl Iterator<Item = &'a Job> + Clone,
) -> Result<(), WriteError> {
    let writes: Vec<Write> = jobs
        .clone()
        .flat_map(|j| j.writes.iter().cloned())
        .collect();
    let records: Vec<AuditRecord> = jobs.flat_map(|j| j.audit.iter().cloned()).collect();
    for _ in 0..MAX_CHAIN_RETRIES {
        let audit = chain(head, &records);
        let next_head = audit.last().map(|e| (e.seq, e.hash.clone()));
        match store
            .apply(Batch {
                writes: writes.clone(),
                audit,
            })
            .await
        {
            Ok(()) => {
                if let Some(h) = next_head {
                    *head = h;
                }
                return Ok(());
            }
            Err(StoreError::AuditHeadMoved) => {
                *head = store.audit_head().await?.unwrap_or_else(genesis);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(WriteError::Store(StoreError::AuditHeadMoved))
}

fn answer_all(jobs: Vec<(Job, Reply)>, result: Result<(), WriteError>) {
    for (_, reply) in jobs {
        let _ = reply.send(result.clone());
    }
}
