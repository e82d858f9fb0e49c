//! Start-up that fails before it announces, one language rule for every page, and a
//! listener that answers before the consent state is loaded (`/healthz`, `/readyz`).

use crate::install::install_with_config;
use crate::support::{Server, custodia};

/// Each bad setting given by flag or environment to `serve` on a new data
/// directory: it stops the start, names the setting, prints nothing on stdout and
/// leaves the directory uncreated.
#[test]
fn a_bad_setting_leaves_a_new_data_directory_uncreated() {
    let cases: [(&str, &str, &str); 5] = [
        ("CUSTODIA_DATABASE_URL", "mysql://u@h/db", "database_url:"),
        (
            "CUSTODIA_KEY_DATABASE_URL",
            "redis://h",
            "key_database_url:",
        ),
        ("CUSTODIA_TRUSTED_PROXIES", "10.0.0.0/99", "trusted_proxies"),
        ("CUSTODIA_LISTEN", "no-port", "listen:"),
        ("CUSTODIA_DATABASE_URL", "custodia.db", "database_url:"),
    ];
    for (variable, value, named) in cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let out = custodia()
            .args(["serve", "--data-dir"])
            .arg(&data)
            .env(variable, value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{variable}={value}: {stderr}");
        assert!(stderr.contains(named), "{variable}={value}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{variable}={value}: stdout not empty"
        );
        assert!(
            !data.exists(),
            "{variable}={value}: the data directory was created"
        );
    }
}

/// In an initialised installation, a bad `config.toml` value stops the start before
/// the database is created or anything is printed (no first-admin password).
#[test]
fn a_bad_setting_in_config_toml_stops_before_anything_is_announced() {
    for (config, named) in [
        (
            "[rights]\nextra_holidays = [\"2026-13-01\"]\n",
            "rights.extra_holidays",
        ),
        (
            "[smtp]\nhost = \"mail.example.test\"\nfrom = \"not an address\"\n",
            "smtp",
        ),
        (
            "[retention]\ninterval_minutes = -5\n",
            "retention.interval_minutes",
        ),
        (
            "[audit]\nwitness = { url = \"ftp://witness.example.test\", secret = \"s\" }\n",
            "audit.witness.url",
        ),
        (
            "[audit]\nwitness = { url = \"https://witness.example.test/hook?token=t0ps3cret\" }\n",
            "audit.witness.secret",
        ),
        (
            "[audit]\nwitness = { file = \"no/such/directory/witness.jsonl\" }\n",
            "audit.witness.file",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        crate::install::init_data_dir(&data);
        let path = data.join("config.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push('\n');
        text.push_str(config);
        std::fs::write(&path, text).unwrap();
        let out = custodia()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{config}: {stderr}");
        assert!(stderr.contains(named), "{config}: {stderr}");
        assert!(
            !stderr.contains("t0ps3cret"),
            "{config}: a secret repeated: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{config}: stdout not empty");
        assert!(
            !data.join("custodia.db").exists(),
            "{config}: the database was created"
        );
    }
}

/// A register publishing only French, a browser asking for English: the privacy
/// policy and the portal both answer in French.
#[test]
fn every_page_answers_in_a_published_language() {
    let install = install_with_config("", |register| {
        *register = register.replacen("languages = [\"en\", \"fr\"]", "languages = [\"fr\"]", 1);
    });
    let server = install.server();
    for path in [
        "/privacy-policy",
        "/portal",
        "/portal?lang=en",
        "/portal/requests/00000000-0000-0000-0000-000000000000",
    ] {
        let page = server.get_with(path, &[("accept-language", "en-GB,en;q=0.9")]);
        assert!(
            page.body.contains("<html lang=\"fr\">"),
            "{path} ({}): {}",
            page.status,
            &page.body[..page.body.len().min(300)]
        );
    }
}

/// An installation with one subject who gave consent to the newsletter, stopped;
/// returns the subject id.
fn install_with_a_consent(install: &mut crate::install::Install) -> String {
    let s = install.server();
    let dpo = install.key("dpo");
    let body = serde_json::json!({"kind": "customer", "data": {"user.contact.email": "ready@example.org"}});
    let r = s.call("POST", "/v1/subjects", Some(dpo), Some(&body.to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
    let subject = r.json()["id"].as_str().unwrap().to_owned();
    let body = serde_json::json!({"subject_id": subject, "purpose": "newsletter", "state": "given", "method": "form"});
    let r = s.call("POST", "/v1/consents", Some(dpo), Some(&body.to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
    install.stop();
    subject
}

/// `custodia serve` for this installation, returned as soon as it listens.
fn start_listening(install: &crate::install::Install) -> Server {
    let data = install.data();
    let mut cmd = custodia();
    cmd.current_dir(install.dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data);
    if let Some(url) = &install.database_url {
        cmd.args(["--database-url", url]);
    }
    Server::start_listening(&mut cmd)
}

fn decide(s: &Server, key: &str, subject: &str) -> crate::support::Response {
    s.call(
        "GET",
        &format!("/v1/decisions?subject_id={subject}&purpose=newsletter"),
        Some(key),
        None,
    )
}

/// A 503 problem document with `Retry-After`, naming the start.
fn assert_starting(r: &crate::support::Response, what: &str) {
    assert_eq!(r.status, 503, "{what}: {}", r.body);
    assert!(r.header("retry-after").is_some(), "{what}: no Retry-After");
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    assert_eq!(r.json()["type"], "/problems/unavailable", "{what}");
}

/// Polls `/readyz` until it answers 200.
fn wait_ready(s: &Server) {
    for _ in 0..3000 {
        if s.get("/readyz").status == 200 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("/readyz never answered 200");
}

/// On PostgreSQL, the test holds a lock on the consents table, so the load cannot end
/// until the test lets it: meanwhile the server listens, `/healthz` answers, `/readyz`,
/// decisions and consents answer 503 with `Retry-After`, the privacy policy answers;
/// once the lock is gone `/readyz` turns 200 and the consent given before the restart
/// decides.
#[test]
fn the_server_listens_before_the_consent_state_is_loaded_on_postgres() {
    use sqlx::Connection;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let mut install = crate::install::install(Some(url.clone()));
    let subject = install_with_a_consent(&mut install);
    let mut conn = rt.block_on(sqlx::PgConnection::connect(&url)).unwrap();
    let mut lock = rt.block_on(conn.begin()).unwrap();
    rt.block_on(sqlx::query("LOCK TABLE consents IN ACCESS EXCLUSIVE MODE").execute(&mut *lock))
        .unwrap();

    let s = start_listening(&install);
    let dpo = install.key("dpo");
    let health = s.get("/healthz");
    assert_eq!(health.status, 200, "{}", health.body);
    assert_starting(&s.get("/readyz"), "/readyz");
    assert_starting(&decide(&s, dpo, &subject), "a decision");
    let body = serde_json::json!({"subject_id": subject, "purpose": "newsletter", "state": "withdrawn", "method": "form"});
    assert_starting(
        &s.call("POST", "/v1/consents", Some(dpo), Some(&body.to_string())),
        "a consent",
    );
    assert_eq!(s.get("/privacy-policy").status, 200);
    assert_eq!(s.get("/openapi.json").status, 200);
    // Still loading: nothing above let it through.
    assert_starting(&s.get("/readyz"), "/readyz again");

    rt.block_on(lock.rollback()).unwrap();
    wait_ready(&s);
    let d = decide(&s, dpo, &subject);
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.json()["allowed"], true, "{}", d.body);
    assert_eq!(s.get("/readyz").json()["status"], "ready");
}

/// On SQLite, a data directory with many blind-index entries (written straight into
/// the database) takes a moment to load: polled from the moment the port opens,
/// `/healthz` answers 200 while `/readyz` still answers 503, and `/readyz` turns 200
/// with the consent given before the restart deciding and the subjects added known.
#[test]
fn the_server_listens_before_the_consent_state_is_loaded_on_sqlite() {
    let mut install = crate::install::install(None);
    let subject = install_with_a_consent(&mut install);
    let db = rusqlite::Connection::open(install.data().join("custodia.db")).unwrap();
    db.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SEEDED})
         INSERT INTO subjects (id, kind, age_status, created_at_us, updated_at_us)
             SELECT printf('seeded-%08d', i), 'customer', 'unknown', 0, 0 FROM n;
         INSERT INTO subject_indexes (kind, digest, subject_id)
             SELECT 'email', randomblob(32), id FROM subjects WHERE id LIKE 'seeded-%';
         COMMIT;"
    ))
    .unwrap();
    drop(db);

    let s = start_listening(&install);
    let dpo = install.key("dpo");
    let (mut alive_while_loading, mut polls) = (false, 0);
    loop {
        let health = s.get("/healthz").status;
        let ready = s.get("/readyz");
        polls += 1;
        if ready.status == 200 {
            break;
        }
        assert_starting(&ready, "/readyz");
        alive_while_loading |= health == 200;
        assert!(polls < 3000, "/readyz never answered 200");
    }
    assert!(
        alive_while_loading,
        "/healthz never answered while /readyz did not yet ({polls} polls)"
    );
    let d = decide(&s, dpo, &subject);
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.json()["allowed"], true, "{}", d.body);
    let d = decide(&s, dpo, &format!("seeded-{SEEDED:08}"));
    assert_eq!(d.status, 200, "{}", d.body);
    assert_ne!(d.json()["reason"], "unknown_subject", "{}", d.body);
    assert_eq!(
        decide(&s, dpo, "never-seeded").json()["reason"],
        "unknown_subject"
    );
}

/// Subjects written straight into the SQLite database so that loading takes a moment.
const SEEDED: u32 = 200_000;

/// A graceful stop leaves the consent book in a snapshot (0600) that the next start
/// reads instead of loading every table, and removes once read; a write through
/// Custodia while the server is stopped (here a command) makes the next start load
/// from the database. Seen through an edit made in place outside Custodia, which
/// only the database holds: the start that reads the snapshot does not see it (the
/// documented limit), the start that loads from the database does.
#[test]
fn a_restart_reads_the_consent_state_from_the_snapshot_of_the_last_stop() {
    let mut install = crate::install::install(None);
    let subject = install_with_a_consent(&mut install);
    let snapshot = install.data().join("consent-book.snapshot");
    assert!(snapshot.exists(), "no snapshot after a graceful stop");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&snapshot).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let withdraw_outside = || {
        let db = rusqlite::Connection::open(install.data().join("custodia.db")).unwrap();
        let changed = db
            .execute(
                "UPDATE consents SET state = 'withdrawn' WHERE subject_id = ?1",
                [&subject],
            )
            .unwrap();
        assert_eq!(changed, 1);
    };
    withdraw_outside();

    let s = start_listening(&install);
    wait_ready(&s);
    let dpo = install.key("dpo");
    assert!(!snapshot.exists(), "the snapshot is removed once read");
    let d = decide(&s, dpo, &subject);
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(
        d.json()["allowed"],
        true,
        "read from the snapshot: {}",
        d.body
    );
    assert!(s.terminate().success());
    assert!(snapshot.exists(), "no snapshot after the second stop");

    let out = install.cli(&["apikeys", "create", "--role", "dpo", "--name", "later"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = start_listening(&install);
    wait_ready(&s);
    assert!(!snapshot.exists(), "a stale snapshot is removed too");
    let d = decide(&s, dpo, &subject);
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(
        d.json()["allowed"],
        false,
        "loaded from the database: {}",
        d.body
    );
}

/// Written to a file rather than a terminal, log lines carry no colour codes; with
/// `CUSTODIA_LOG_FORMAT=json` each line is one JSON object.
#[test]
fn log_lines_in_a_file_are_plain_text_or_json() {
    let mut install = crate::install::install(None);
    install.stop();
    for format in ["text", "json"] {
        let log = install.dir.path().join(format!("{format}.log"));
        let server = Server::start_logging_to(
            custodia()
                .current_dir(install.dir.path())
                .env("CUSTODIA_LOG_FORMAT", format)
                .env("CUSTODIA_LOG", "info")
                .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
                .arg(install.data()),
            &log,
        );
        assert!(server.terminate().success());
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(text.contains("shutting down"), "{format}: {text}");
        assert!(
            !text.contains('\u{1b}'),
            "{format}: colour codes in a file: {text}"
        );
        if format == "json" {
            for line in text.lines() {
                let object: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                assert!(object["level"].is_string(), "{line}");
                assert!(object["fields"]["message"].is_string(), "{line}");
            }
        }
    }
}
