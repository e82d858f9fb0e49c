//! Signed checkpoints of the audit log, written outside the data database: in the key
//! store always, and to a witness (an append-only file, a webhook) when configured.
//! `audit verify` compares the log with them, so a log cut short or rewritten shows,
//! even to whoever holds the master key when a witness keeps the checkpoints.

use crate::Clock;
use crate::audit::{AuditAction, AuditRecord, checkpoint};
use crate::telemetry::CheckpointStats;
use crate::writer::Writer;
use custodia_crypto::AuditKey;
use custodia_store::{AuditCheckpoint, KeyStore};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, watch};
use tokio::time::Instant;

/// A growing log is checkpointed at least this often...
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);
/// ...and at once when this many entries were added since the last checkpoint.
pub const CHECKPOINT_ENTRIES: i64 = 10_000;

const PRINCIPAL: &str = "system:audit";

/// Where checkpoints go besides the key store (`[audit] witness` in config.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Witness {
    /// A file that receives one JSON line per checkpoint, appended and synced. Put
    /// it where Custodia can append but not rewrite (another host, `chattr +a`).
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// A URL that receives each checkpoint as a signed webhook (`Custodia-Event:
    /// audit.checkpoint`, HMAC-SHA256 with `secret`).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
}

/// One line of a witness file: the checkpoint and the public key that signed it,
/// so that a third party can check it without any secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessLine {
    #[serde(flatten)]
    pub checkpoint: AuditCheckpoint,
    pub public_key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("{path}: cannot read the witness file: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a checkpoint line: {problem}")]
    Malformed {
        path: String,
        line: usize,
        problem: String,
    },
}

/// Reads every checkpoint of a witness file, refusing any line it cannot parse.
pub fn read_witness_file(path: &Path) -> Result<Vec<AuditCheckpoint>, WitnessError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| WitnessError::Io {
        path: display.clone(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str::<WitnessLine>(line)
                .map(|l| l.checkpoint)
                .map_err(|e| WitnessError::Malformed {
                    path: display.clone(),
                    line: i + 1,
                    problem: e.to_string(),
                })
        })
        .collect()
}

/// Which sink a failure concerns, for the audit entry and the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    KeyStore,
    File,
    Webhook,
}

impl Sink {
    fn name(self) -> &'static str {
        match self {
            Sink::KeyStore => "key store",
            Sink::File => "witness file",
            Sink::Webhook => "witness webhook",
        }
    }
}

struct State {
    /// The highest `seq` checkpointed.
    last_seq: i64,
    /// Sinks whose last write failed: a failure is audited when it starts, not on
    /// every retry.
    failing: Vec<Sink>,
}

pub struct Checkpointer {
    keys: Arc<dyn KeyStore>,
    key: Arc<AuditKey>,
    clock: Arc<dyn Clock>,
    writer: Writer,
    keyed_from: i64,
    witness: Witness,
    webhooks: custodia_notify::WebhookSender,
    state: Mutex<State>,
    stats: CheckpointStats,
}

impl Checkpointer {
    /// `keyed_from` is what [`crate::audit::anchor`] returned.
    pub fn new(
        keys: Arc<dyn KeyStore>,
        key: Arc<AuditKey>,
        clock: Arc<dyn Clock>,
        writer: Writer,
        keyed_from: i64,
        witness: Witness,
    ) -> Checkpointer {
        Checkpointer {
            keys,
            key,
            clock,
            writer,
            keyed_from,
            witness,
            webhooks: custodia_notify::WebhookSender::new(Duration::from_secs(10)),
            state: Mutex::new(State {
                last_seq: i64::MIN,
                failing: Vec::new(),
            }),
            stats: CheckpointStats::default(),
        }
    }

    /// The last checkpoint stored, for `/metrics`.
    pub fn stats(&self) -> &CheckpointStats {
        &self.stats
    }

    /// Checkpoints the writer's durable head as it moves, at most every
    /// [`CHECKPOINT_INTERVAL`] and at once after [`CHECKPOINT_ENTRIES`], until
    /// `stop` turns true; then checkpoints the final head.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut head = self.writer.durable_head();
        let mut last_write = Instant::now() - CHECKPOINT_INTERVAL;
        let mut last_seq = head.borrow_and_update().0;
        'outer: loop {
            tokio::select! {
                changed = head.changed() => if changed.is_err() { break },
                _ = stop.changed() => break,
            }
            let due = last_write + CHECKPOINT_INTERVAL;
            while head.borrow().0 - last_seq < CHECKPOINT_ENTRIES && Instant::now() < due {
                tokio::select! {
                    () = tokio::time::sleep_until(due) => {},
                    changed = head.changed() => if changed.is_err() { break 'outer },
                    _ = stop.changed() => break 'outer,
                }
            }
            let current = head.borrow_and_update().clone();
            self.checkpoint_now(&current).await;
            last_seq = current.0;
            last_write = Instant::now();
        }
        self.flush().await;
    }

    /// Checkpoints the durable head now (at shutdown, at the end of a command).
    pub async fn flush(&self) {
        let current = self.writer.durable_head().borrow().clone();
        self.checkpoint_now(&current).await;
    }

    /// Signs and stores a checkpoint of `head` unless it was checkpointed already;
    /// failures are logged and audited (once per failing sink), never returned: the
    /// next checkpoint tries again.
    async fn checkpoint_now(&self, head: &(i64, String)) {
        let mut state = self.state.lock().await;
        if head.0 <= state.last_seq {
            return;
        }
        let cp = checkpoint(
            &self.key,
            self.writer.chain(),
            head,
            self.clock.now(),
            self.keyed_from,
        );
        let mut failures = Vec::new();
        match self.keys.put_audit_checkpoint(cp.clone()).await {
            Ok(_) => {
                state.last_seq = head.0;
                self.stats.last_seq.set(head.0);
                let at = crate::telemetry::unix_seconds(cp.at);
                self.stats.last_checkpoint.set(at);
            }
            Err(e) => failures.push((Sink::KeyStore, e.to_string())),
        }
        if let Some(path) = &self.witness.file
            && let Err(e) = self.append_to_file(path, &cp).await
        {
            failures.push((Sink::File, e));
        }
        if let Some(url) = &self.witness.url
            && let Err(e) = self.post(url, &cp).await
        {
            failures.push((Sink::Webhook, e));
        }
        let newly: Vec<(Sink, String)> = failures
            .iter()
            .filter(|(sink, _)| !state.failing.contains(sink))
            .cloned()
            .collect();
        state.failing = failures.iter().map(|(sink, _)| *sink).collect();
        drop(state);
        for (sink, error) in &failures {
            tracing::error!(sink = sink.name(), seq = head.0, %error, "audit checkpoint failed");
        }
        for (sink, error) in newly {
            let record = AuditRecord::new(
                self.clock.now(),
                PRINCIPAL,
                AuditAction::AuditCheckpoint,
                "failed",
            )
            .detail(format!("{} (entry {}): {error}", sink.name(), head.0));
            if let Err(e) = self.writer.audit(record).await {
                tracing::error!(error = %e, "cannot audit a failed audit checkpoint");
            }
        }
    }

    fn line(&self, cp: &AuditCheckpoint) -> Result<String, String> {
        serde_json::to_string(&WitnessLine {
            checkpoint: cp.clone(),
            public_key: hex::encode(self.key.public_key()),
        })
        .map_err(|e| e.to_string())
    }

    async fn append_to_file(&self, path: &Path, cp: &AuditCheckpoint) -> Result<(), String> {
        let mut line = self.line(cp)?;
        line.push('\n');
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let mut options = std::fs::OpenOptions::new();
            options.append(true).create(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path)?;
            file.write_all(line.as_bytes())?;
            file.sync_data()
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.kind().to_string())
    }

    async fn post(&self, url: &str, cp: &AuditCheckpoint) -> Result<(), String> {
        let hook = custodia_notify::Webhook {
            url: url.to_owned(),
            event: "audit.checkpoint".to_owned(),
            delivery_id: format!("audit-checkpoint-{}", cp.seq),
            body: self.line(cp)?,
        };
        let secret = self.witness.secret.as_deref().unwrap_or_default();
        self.webhooks
            .send(&hook, secret.as_bytes(), self.clock.now().unix_timestamp())
            .await
            .map_err(|e| e.to_string())
    }
}
