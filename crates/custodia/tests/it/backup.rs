//! Backups and restores through the real binary on real SQLite files: a restore
//! never brings back a person erased after the backup (the erasure journal), with the
//! server stopped or running during the backup; `backup verify`; what a restore
//! refuses.

use crate::install::{Install, install};
use crate::support::{Server, sqlite_query};
use serde_json::json;
use std::path::Path;

fn found_by_email(server: &Server, key: &str, email: &str) -> usize {
    let r = server.call(
        "GET",
        &format!("/v1/subjects?email={email}"),
        Some(key),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["subjects"].as_array().unwrap().len()
}

fn status(server: &Server, key: &str, id: &str) -> u16 {
    server
        .call("GET", &format!("/v1/subjects/{id}"), Some(key), None)
        .status
}

fn has_data_key(inst: &Install, id: &str) -> bool {
    sqlite_query(
        &inst.data().join("keys.db"),
        &format!("SELECT count(*) FROM data_keys WHERE subject_id = '{id}'"),
    ) == Some(1)
}

fn run_ok(inst: &Install, args: &[&str]) -> String {
    let out = inst.cli(args);
    assert!(
        out.status.success(),
        "custodia {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Back up (server stopped or running), erase one subject, add another, restore:
/// the erased one stays erased, the one kept is there, the one added is gone with
/// the rest of what came after the backup, and the log verifies.
fn erasures_survive_a_restore(server_running_during_backup: bool) {
    let mut inst = install(None);
    let dpo = inst.key("dpo").to_owned();
    let erased = inst.create_customer("erased@example.org");
    let kept = inst.create_customer("kept@example.org");
    let dir = inst.dir.path().join("backup-1");
    let out = dir.to_str().unwrap();
    if server_running_during_backup {
        // Writes go on while the databases are copied.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let writer = {
            let (base, dpo) = (inst.server().base.clone(), dpo.clone());
            let (stop, written) = (stop.clone(), written.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let n = written.load(std::sync::atomic::Ordering::SeqCst);
                    let body = json!({"kind": "customer", "data": {"user.contact.email": format!("during{n}@example.org")}});
                    let r = crate::support::request(
                        "POST",
                        &format!("{base}/v1/subjects"),
                        &[("authorization", &format!("Bearer {dpo}"))],
                        Some(&body.to_string()),
                    );
                    assert_eq!(r.status, 201, "{}", r.body);
                    written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            })
        };
        while written.load(std::sync::atomic::Ordering::SeqCst) < 5 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let before = written.load(std::sync::atomic::Ordering::SeqCst);
        let said = run_ok(&inst, &["backup", "--out", out]);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        writer.join().unwrap();
        assert!(
            written.load(std::sync::atomic::Ordering::SeqCst) > before,
            "no write while the backup ran"
        );
        assert!(said.contains("backup custodia.db: "), "{said}");
    } else {
        inst.stop();
        let said = run_ok(&inst, &["backup", "--out", out]);
        // Not a terminal: plain progress lines.
        assert!(said.contains("backup keys.db: "), "{said}");
        inst.start();
    }
    assert!(!dir.join("master.key").exists());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["store"], "sqlite");
    for file in ["custodia.db", "keys.db", "register.toml", "config.toml"] {
        assert!(manifest["files"][file].is_string(), "{manifest}");
    }
    // The key store's copy holds no checkpoint past the copied log (else the
    // restored log would end before one).
    let head = manifest["audit_head"]["seq"].as_i64().unwrap();
    let latest = sqlite_query(
        &dir.join("keys.db"),
        "SELECT coalesce(max(seq), 0) FROM audit_checkpoints",
    )
    .unwrap();
    assert!(
        latest <= head,
        "checkpoint of entry {latest} past the head {head}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );

    // After the backup: one erasure, one new subject.
    inst.erase(&erased);
    let added = inst.create_customer("added@example.org");
    inst.stop();
    // The journal names the erasure by id and time, nothing else.
    let journal = std::fs::read_to_string(inst.data().join("erasures.journal")).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert_eq!(lines.len(), 1, "{journal}");
    let (time, id) = lines[0].split_once(' ').unwrap();
    assert_eq!(id, erased);
    assert!(time.ends_with('Z') && time.contains('T'), "{time}");

    // The graceful stop left a snapshot of the pre-restore state: it must go.
    assert!(inst.data().join("consent-book.snapshot").exists());
    let said = run_ok(&inst, &["restore", out]);
    assert!(!inst.data().join("consent-book.snapshot").exists());
    let leftovers: Vec<String> = std::fs::read_dir(inst.data())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore") || n.ends_with(".restoring"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    inst.start();
    let s = inst.server();
    assert_eq!(status(s, &dpo, &erased), 410);
    assert!(!has_data_key(&inst, &erased));
    assert!(said.contains("1 subjects erased again"), "{said}");
    assert_eq!(found_by_email(s, &dpo, "erased@example.org"), 0);
    assert_eq!(status(s, &dpo, &kept), 200);
    assert_eq!(found_by_email(s, &dpo, "kept@example.org"), 1);
    assert!(has_data_key(&inst, &kept));
    // Created after the backup: not in it.
    assert_eq!(status(s, &dpo, &added), 404);
    let audit = s
        .call(
            "GET",
            &format!("/v1/audit?subject={erased}"),
            Some(inst.key("auditor")),
            None,
        )
        .json();
    let reapplied: Vec<&serde_json::Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "subject.erase_reapplied")
        .collect();
    assert_eq!(reapplied.len(), 1, "{audit}");
    assert_eq!(reapplied[0]["principal"], "restore");

    let verified = run_ok(&inst, &["audit", "verify"]);
    assert!(verified.contains("audit log intact"), "{verified}");
    let checked = run_ok(&inst, &["backup", "verify", out]);
    assert!(checked.contains("backup intact"), "{checked}");
    inst.stop();

    // The control: the same backup restored without the journal brings the erased
    // subject back, which is what the journal prevents.
    std::fs::rename(
        inst.data().join("erasures.journal"),
        inst.dir.path().join("journal.moved"),
    )
    .unwrap();
    run_ok(&inst, &["restore", out, "--without-journal"]);
    inst.start();
    assert_eq!(status(inst.server(), &dpo, &erased), 200);
    assert_eq!(found_by_email(inst.server(), &dpo, "erased@example.org"), 1);
}

#[test]
fn a_restore_keeps_erasures_made_after_the_backup() {
    erasures_survive_a_restore(false);
}

#[test]
fn a_backup_taken_while_the_server_runs_restores_with_its_erasures() {
    erasures_survive_a_restore(true);
}

fn fails_with(inst: &Install, args: &[&str], expected: &str) {
    let out = inst.cli(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "custodia {args:?} succeeded");
    assert!(stderr.contains(expected), "custodia {args:?}: {stderr}");
}

fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_restore_refuses_a_running_server_a_damaged_backup_and_a_lost_journal() {
    let mut inst = install(None);
    let dpo = inst.key("dpo").to_owned();
    let id = inst.create_customer("refused@example.org");
    let dir = inst.dir.path().join("backup-2");
    let out = dir.to_str().unwrap();
    run_ok(&inst, &["backup", "--out", out]);
    fails_with(&inst, &["backup", "--out", out], "not empty");

    // A server holds the database.
    fails_with(&inst, &["restore", out], "a server is running");
    assert_eq!(status(inst.server(), &dpo, &id), 200);
    inst.stop();

    // A lost journal is not silently ignored.
    let journal = inst.data().join("erasures.journal");
    assert!(journal.exists(), "the journal exists from the first start");
    std::fs::rename(&journal, inst.dir.path().join("journal.moved")).unwrap();
    fails_with(&inst, &["restore", out], "erasure journal is missing");
    std::fs::rename(inst.dir.path().join("journal.moved"), &journal).unwrap();

    // A damaged file: verify and restore both say which, and nothing changes.
    let before = std::fs::read(inst.data().join("custodia.db")).unwrap();
    corrupt(&dir.join("keys.db"));
    fails_with(&inst, &["backup", "verify", out], "keys.db: its SHA-256");
    fails_with(&inst, &["restore", out], "keys.db: its SHA-256");
    assert_eq!(
        std::fs::read(inst.data().join("custodia.db")).unwrap(),
        before
    );
    inst.start();
    assert_eq!(status(inst.server(), &dpo, &id), 200);
}

/// A PostgreSQL client tool (`pg_dump`, `pg_restore`): on the PATH, else beside the
/// newest server binaries.
fn pg_tool(name: &str) -> std::process::Command {
    let on_path = std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return std::process::Command::new(name);
    }
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .map(|d| d.path().join("bin").join(name))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    let path = found
        .pop()
        .unwrap_or_else(|| panic!("{name} is needed for the PostgreSQL backup test"));
    std::process::Command::new(path)
}

fn run_tool(cmd: &mut std::process::Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL: `custodia backup` writes the files and says how to dump; the operator
/// dumps, later restores the dump, and `custodia restore` re-applies the journal.
#[test]
fn a_restore_keeps_erasures_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let mut inst = install(Some(url.clone()));
    let dpo = inst.key("dpo").to_owned();
    let erased = inst.create_customer("erased@example.org");
    let kept = inst.create_customer("kept@example.org");
    let dir = inst.dir.path().join("backup-pg");
    let out = dir.to_str().unwrap();
    let said = run_ok(&inst, &["backup", "--out", out]);
    assert!(said.contains("pg_dump --format=custom"), "{said}");
    assert!(!said.contains(&url) || !url.contains('@'), "{said}");
    run_tool(
        pg_tool("pg_dump")
            .args(["--format=custom", "--file"])
            .arg(dir.join("custodia.pgdump"))
            .arg(&url),
    );
    let checked = run_ok(&inst, &["backup", "verify", out]);
    assert!(checked.contains("backup files intact"), "{checked}");

    inst.erase(&erased);
    let added = inst.create_customer("added@example.org");
    inst.stop();
    run_tool(
        pg_tool("pg_restore")
            .args(["--clean", "--if-exists", "--no-owner", "--dbname", &url])
            .arg(dir.join("custodia.pgdump")),
    );
    let said = run_ok(&inst, &["restore", out]);

    inst.start();
    let s = inst.server();
    assert_eq!(status(s, &dpo, &erased), 410);
    assert!(said.contains("1 subjects erased again"), "{said}");
    assert_eq!(found_by_email(s, &dpo, "erased@example.org"), 0);
    assert_eq!(status(s, &dpo, &kept), 200);
    assert_eq!(status(s, &dpo, &added), 404);
    let keys: i64 = rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT count(*) FROM data_keys WHERE subject_id = $1")
            .bind(&erased)
            .fetch_one(&mut conn)
            .await
            .unwrap()
    });
    assert_eq!(keys, 0);
    let verified = run_ok(&inst, &["audit", "verify"]);
    assert!(verified.contains("audit log intact"), "{verified}");
}
