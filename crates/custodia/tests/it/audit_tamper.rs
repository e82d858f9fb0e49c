//! The audit log cannot be cut or rewritten unnoticed: an attacker edits the data
//! database of a stopped installation (and, with the master key, its key store), then
//! `custodia audit verify` runs. Each case works on a copy of one installation, on
//! SQLite and on PostgreSQL.

use crate::install::{Install, install_prepared};
use crate::support::custodia;
use custodia_core::audit::canonical;
use custodia_crypto::chain_hash;
use custodia_store::{AuditEntry, AuditFilter, Batch, KeyStore, Store};
use sqlx::{AssertSqlSafe, Connection};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const WITNESS: &str = "[audit]\nwitness = { file = \"../witness.jsonl\" }\n";

/// A copy of the installation's databases, to tamper with and verify.
struct Copy {
    _dir: tempfile::TempDir,
    data: PathBuf,
    /// PostgreSQL: the copied database (data and key store); SQLite: `None`.
    database_url: Option<String>,
    witness: PathBuf,
}

impl Copy {
    fn verify(&self, witness: bool) -> (bool, String) {
        let mut cmd = custodia();
        cmd.args(["audit", "verify", "--data-dir"]).arg(&self.data);
        if let Some(url) = &self.database_url {
            cmd.args(["--database-url", url]);
        }
        if witness {
            cmd.arg("--witness").arg(&self.witness);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    async fn store(&self) -> Arc<dyn Store> {
        match &self.database_url {
            Some(url) => Arc::new(
                custodia_store_postgres::PostgresStore::connect(url)
                    .await
                    .unwrap(),
            ),
            None => Arc::new(
                custodia_store_sqlite::SqliteStore::open_url(&sqlite_url(
                    &self.data,
                    "custodia.db",
                ))
                .await
                .unwrap(),
            ),
        }
    }

    async fn key_store(&self) -> Arc<dyn KeyStore> {
        match &self.database_url {
            Some(url) => Arc::new(
                custodia_store_postgres::PostgresKeyStore::connect(url)
                    .await
                    .unwrap(),
            ),
            None => Arc::new(
                custodia_store_sqlite::SqliteKeyStore::open(&self.data.join("keys.db"))
                    .await
                    .unwrap(),
            ),
        }
    }

    /// Runs `sql` (PostgreSQL placeholders `$1`...) on the data database, or on
    /// the key store with `keys`.
    async fn exec(&self, keys: bool, sql: &str, binds: &[Bind<'_>]) {
        match &self.database_url {
            Some(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                let mut q = sqlx::query(AssertSqlSafe(sql.to_owned()));
                for b in binds {
                    q = match b {
                        Bind::Int(i) => q.bind(*i),
                        Bind::Text(t) => q.bind(*t),
                    };
                }
                q.execute(&mut conn).await.unwrap();
                conn.close().await.unwrap();
            }
            None => {
                let file = if keys { "keys.db" } else { "custodia.db" };
                // The backend's own driver, as an attacker's sqlite3 would be.
                let conn = rusqlite::Connection::open(self.data.join(file)).unwrap();
                let params: Vec<&dyn rusqlite::ToSql> = binds
                    .iter()
                    .map(|b| match b {
                        Bind::Int(i) => i as &dyn rusqlite::ToSql,
                        Bind::Text(t) => t as &dyn rusqlite::ToSql,
                    })
                    .collect();
                conn.execute(&sql.replace('$', "?"), params.as_slice())
                    .unwrap();
            }
        }
    }

    async fn entries(&self) -> Vec<AuditEntry> {
        let store = self.store().await;
        let entries = store
            .audit_entries(&AuditFilter {
                limit: 100_000,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        drop(store);
        entries
    }

    /// What a script that knows the documented link does: rewrites `entries` (in
    /// ascending order, each moved to its new `seq`) with unkeyed links chained on
    /// the entry before the first one.
    async fn rewrite_unkeyed(&self, mut entries: Vec<(i64, AuditEntry)>, mut prev: String) {
        for (old_seq, entry) in &mut entries {
            entry.prev_hash = prev.clone();
            entry.hash = chain_hash(&prev, &canonical(entry));
            prev = entry.hash.clone();
            self.exec(
                false,
                "UPDATE audit_log SET seq = $1, action = $2, prev_hash = $3, hash = $4 WHERE seq = $5",
                &[
                    Bind::Int(entry.seq),
                    Bind::Text(&entry.action),
                    Bind::Text(&entry.prev_hash),
                    Bind::Text(&entry.hash),
                    Bind::Int(*old_seq),
                ],
            )
            .await;
        }
    }
}

enum Bind<'a> {
    Int(i64),
    Text(&'a str),
}

fn sqlite_url(data: &Path, file: &str) -> String {
    format!("sqlite://{}", data.join(file).display())
}

/// An installation with a witness file and a few hundred audit entries, stopped.
async fn installation(database_url: Option<String>) -> Install {
    let mut install = install_prepared(database_url, WITNESS, |_| {});
    let dpo = install.key("dpo").to_owned();
    let server = install.server();
    let created = server.call(
        "POST",
        "/v1/subjects",
        Some(&dpo),
        Some(r#"{"kind":"customer","data":{"user.contact.email":"ada@example.org"}}"#),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    for _ in 0..150 {
        let read = server.call("GET", &format!("/v1/subjects/{id}"), Some(&dpo), None);
        assert_eq!(read.status, 200, "{}", read.body);
    }
    install.stop();
    install
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

async fn copy_of(install: &Install) -> Copy {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&install.data(), &data);
    let witness = dir.path().join("witness.jsonl");
    std::fs::copy(install.dir.path().join("witness.jsonl"), &witness).unwrap();
    let database_url = match &install.database_url {
        Some(url) => Some(crate::pg::copy_postgres_database(url).await),
        None => None,
    };
    Copy {
        _dir: dir,
        data,
        database_url,
        witness,
    }
}

fn assert_detected(copy: &Copy, witness: bool, case: &str, expected: &[&str]) {
    let (ok, text) = copy.verify(witness);
    assert!(!ok, "{case}: verify passed: {text}");
    for needle in expected {
        assert!(
            text.contains(needle),
            "{case}: `{needle}` missing from: {text}"
        );
    }
}

async fn cut_and_rewritten_logs_are_detected(database_url: Option<String>) {
    let install = installation(database_url).await;
    let pristine = copy_of(&install).await;
    let last = pristine.entries().await.last().unwrap().seq;
    assert!(last > 150, "{last} entries");
    let (ok, text) = pristine.verify(true);
    assert!(ok, "an untouched log must verify: {text}");
    assert!(
        text.contains(&format!("latest of entry {last} ")),
        "the server's last checkpoint covers its last entry: {text}"
    );

    for (case, cut) in [
        ("last entry", 1),
        ("last 100", 100),
        ("all but 10", last - 10),
    ] {
        let copy = copy_of(&install).await;
        copy.exec(
            false,
            "DELETE FROM audit_log WHERE seq > $1",
            &[Bind::Int(last - cut)],
        )
        .await;
        assert_detected(
            &copy,
            false,
            case,
            &[
                &format!("the log ends at entry {}", last - cut),
                "checkpoint",
                "key store",
            ],
        );
    }

    // Edited, then the unkeyed chain recomputed from the edit on.
    let copy = copy_of(&install).await;
    let entries = copy.entries().await;
    let prev = entries[18].hash.clone();
    let mut tail: Vec<(i64, AuditEntry)> =
        entries[19..].iter().map(|e| (e.seq, e.clone())).collect();
    tail[0].1.action = "subject.create".to_owned();
    copy.rewrite_unkeyed(tail, prev).await;
    assert_detected(
        &copy,
        false,
        "edit and recompute",
        &["entry 20 was altered"],
    );

    // Entries 5-10 deleted, the rest renumbered and the unkeyed chain recomputed.
    let copy = copy_of(&install).await;
    let entries = copy.entries().await;
    copy.exec(
        false,
        "DELETE FROM audit_log WHERE seq BETWEEN 5 AND 10",
        &[],
    )
    .await;
    let prev = entries[3].hash.clone();
    let moved: Vec<(i64, AuditEntry)> = entries[10..]
        .iter()
        .map(|e| {
            let mut moved = e.clone();
            moved.seq -= 6;
            (e.seq, moved)
        })
        .collect();
    copy.rewrite_unkeyed(moved, prev).await;
    assert_detected(
        &copy,
        false,
        "delete, renumber, recompute",
        // Altered, or (on PostgreSQL, where the commands run beside the server wrote
        // chains of their own) linked to an entry that is not its chain's.
        &["audit log broken at entry 5:"],
    );

    // With the master key, an attacker also rewrites the key store's checkpoints to
    // match a log cut by 100: only the witness still tells.
    let copy = copy_of(&install).await;
    let entries = copy.entries().await;
    let kept = &entries[entries.len() - 101];
    copy.exec(
        false,
        "DELETE FROM audit_log WHERE seq > $1",
        &[Bind::Int(kept.seq)],
    )
    .await;
    copy.exec(
        true,
        "DELETE FROM audit_checkpoints WHERE seq > $1",
        &[Bind::Int(kept.seq)],
    )
    .await;
    let keys = copy.key_store().await;
    let keyring =
        custodia_core::keyring::Keyring::from_file(&copy.data.join("master.key")).unwrap();
    let key = custodia_core::audit::open_key(keys.as_ref(), &keyring)
        .await
        .unwrap();
    let keyed_from = keys.audit_checkpoints(1).await.unwrap()[0].keyed_from;
    let forged = custodia_core::audit::checkpoint(
        &key,
        0,
        &(kept.seq, kept.hash.clone()),
        kept.at,
        keyed_from,
    );
    assert!(keys.put_audit_checkpoint(forged).await.unwrap());
    drop(keys);
    let (ok, text) = copy.verify(false);
    assert!(ok, "the key store alone was rewritten to match: {text}");
    assert_detected(&copy, true, "cut with the master key", &["(witness)"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_and_rewritten_logs_are_detected_on_sqlite() {
    cut_and_rewritten_logs_are_detected(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_and_rewritten_logs_are_detected_on_postgres() {
    let Some(url) = crate::pg::fresh_postgres_database().await else {
        return;
    };
    cut_and_rewritten_logs_are_detected(Some(url)).await;
}

/// A log written before links were keyed is anchored by a signed checkpoint when
/// this version first opens it; rewriting it afterwards shows.
async fn unkeyed_logs_are_anchored(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crate::install::init_data_dir(&data);
    let copy = Copy {
        data,
        database_url,
        witness: dir.path().join("none"),
        _dir: dir,
    };
    // What an earlier version wrote: unkeyed links.
    let store = copy.store().await;
    let at = time::macros::datetime!(2026-01-05 08:00 UTC);
    let mut prev = custodia_crypto::GENESIS_HASH.to_owned();
    let mut old = Vec::new();
    for seq in 1..=10 {
        let mut entry = AuditEntry {
            seq,
            chain: 0,
            at,
            principal: "cli".to_owned(),
            action: "apikey.create".to_owned(),
            subject_ref: None,
            categories: Vec::new(),
            purpose: None,
            outcome: "ok".to_owned(),
            detail: None,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        entry.hash = chain_hash(&prev, &canonical(&entry));
        prev = entry.hash.clone();
        old.push(entry);
    }
    store
        .apply(Batch {
            writes: Vec::new(),
            audit: old.clone(),
        })
        .await
        .unwrap();
    drop(store);

    let (ok, text) = copy.verify(false);
    assert!(ok, "{text}");
    assert!(
        text.contains("checkpoint of entry 10") || text.contains("checkpoints"),
        "{text}"
    );
    let entries = copy.entries().await;
    assert_eq!(entries[10].action, "audit.anchor");
    assert_eq!(entries[11].action, "audit.verify");

    // Entry 3 edited and the unkeyed chain recomputed up to 10: the anchor disagrees.
    let mut tail: Vec<(i64, AuditEntry)> = old[2..].iter().map(|e| (e.seq, e.clone())).collect();
    tail[0].1.action = "apikey.revoke".to_owned();
    copy.rewrite_unkeyed(tail, old[1].hash.clone()).await;
    assert_detected(
        &copy,
        false,
        "rewritten unkeyed entries",
        &["entry 10 differs from the checkpoint of entry 10"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unkeyed_logs_are_anchored_on_sqlite() {
    unkeyed_logs_are_anchored(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unkeyed_logs_are_anchored_on_postgres() {
    let Some(url) = crate::pg::fresh_postgres_database().await else {
        return;
    };
    unkeyed_logs_are_anchored(Some(url)).await;
}

fn witness_seqs(path: &Path) -> Vec<i64> {
    custodia_core::checkpoints::read_witness_file(path)
        .map(|cps| cps.iter().map(|cp| cp.seq).collect())
        .unwrap_or_default()
}

/// A running server checkpoints as it goes (not only when it stops), so a crash
/// leaves at most the last second unchecked; a webhook witness receives signed
/// checkpoints; a witness it cannot reach is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_server_checkpoints_and_audits_witness_failures() {
    let receiver = crate::support::webhook::WebhookReceiver::start().await;
    let config = format!(
        "[audit]\nwitness = {{ file = \"../witness.jsonl\", url = \"{}\", secret = \"witness-secret\" }}\n",
        receiver.url("/witness")
    );
    let install = install_prepared(None, &config, |_| {});
    let witness = install.dir.path().join("witness.jsonl");
    let dpo = install.key("dpo").to_owned();
    let server = install.server();
    for _ in 0..20 {
        assert_eq!(
            server
                .call("GET", "/v1/audit?limit=1", Some(&dpo), None)
                .status,
            200
        );
    }
    let head = |server: &crate::support::Server| {
        let all = server
            .call("GET", "/v1/audit?limit=1000", Some(&dpo), None)
            .json();
        all.as_array().unwrap().last().unwrap()["seq"]
            .as_i64()
            .unwrap()
    };
    let seen = head(server);
    // The witness catches up within a second or so; poll generously.
    let mut waited = 0;
    while !witness_seqs(&witness).iter().any(|&s| s >= seen) {
        waited += 1;
        assert!(
            waited < 300,
            "no checkpoint of entry {seen} after 30 s: {:?}",
            witness_seqs(&witness)
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // The webhook got the same checkpoints, signed twice: by the webhook secret and,
    // inside, by the installation's audit key.
    let hooks = receiver.deliveries();
    let hook = hooks
        .iter()
        .find(|d| d.header("custodia-event") == Some("audit.checkpoint"))
        .expect("a checkpoint webhook");
    let line: custodia_core::checkpoints::WitnessLine = serde_json::from_slice(&hook.body).unwrap();
    // Signed when the checkpoint was taken, give or take the delivery.
    assert!(custodia_notify::verify_signature(
        b"witness-secret",
        hook.header("custodia-signature").unwrap(),
        &hook.body,
        line.checkpoint.at.unix_timestamp(),
        60
    ));
    let mut public = [0u8; 32];
    hex::decode_to_slice(&line.public_key, &mut public).unwrap();
    let cp = &line.checkpoint;
    let claim = custodia_crypto::CheckpointClaim {
        chain: 0,
        seq: cp.seq,
        head: &cp.head,
        at_micros: (cp.at.unix_timestamp_nanos() / 1000) as i64,
        keyed_from: cp.keyed_from,
    };
    assert!(custodia_crypto::checkpoint_signature_valid(
        &public,
        &claim,
        &cp.signature
    ));

    // The witness becomes unwritable (a directory now): the next checkpoint's
    // failure is audited.
    std::fs::remove_file(&witness).unwrap();
    std::fs::create_dir(&witness).unwrap();
    let mut waited = 0;
    loop {
        let all = server
            .call("GET", "/v1/audit?limit=1000", Some(&dpo), None)
            .json();
        let failed = all
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "audit.checkpoint" && e["outcome"] == "failed");
        if let Some(entry) = failed {
            assert!(
                entry["detail"]
                    .as_str()
                    .unwrap()
                    .starts_with("witness file"),
                "{entry}"
            );
            assert_eq!(entry["principal"], "system:audit");
            break;
        }
        waited += 1;
        assert!(waited < 300, "no audited checkpoint failure after 30 s");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
