//! Issue 15, input validation, files and start-up: e-mail syntax and per-mailbox
//! limits, back-dated lifecycle events, a missing register or configuration, file
//! modes, NUL bytes in ids, explicit dry runs, consent jurisdictions, and
//! configuration checked before "listening".

use crate::install::install;
use crate::support::{Server, custodia, example};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn audit(inst: &crate::install::Install) -> Vec<Value> {
    let r = inst
        .server()
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

#[test]
fn display_names_are_refused_and_plus_tags_share_one_daily_allowance() {
    let inst = install(None);
    let s = inst.server();
    for address in [
        "a<victim@example.net>",
        "Victim <victim@example.net>",
        "\"victim\"@example.net",
        "victim(comment)@example.net",
        "victim,other@example.net",
    ] {
        let body = json!({"kind": "access", "email": address}).to_string();
        let r = s.call("POST", "/v1/requests", None, Some(&body));
        assert_eq!(r.status, 422, "{address}: {}", r.body);
        assert_eq!(
            r.header("content-type"),
            Some("application/problem+json"),
            "{address}"
        );
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with("email"), "{address}: {detail}");
        assert!(!detail.contains("victim"), "the value is echoed: {detail}");
    }
    // Five codes a day per mailbox, however the address is tagged or cased.
    for n in 1..=5 {
        let address = if n == 3 {
            "VICTIM+3@Example.NET".to_owned()
        } else {
            format!("victim+{n}@example.net")
        };
        let body = json!({"kind": "access", "email": address}).to_string();
        let r = s.call("POST", "/v1/requests", None, Some(&body));
        assert_eq!(r.status, 202, "request {n}: {}", r.body);
    }
    let body = json!({"kind": "access", "email": "victim+6@example.net"}).to_string();
    let r = s.call("POST", "/v1/requests", None, Some(&body));
    assert_eq!(r.status, 429, "{}", r.body);
    let body = json!({"kind": "access", "email": "victim@example.net"}).to_string();
    assert_eq!(
        s.call("POST", "/v1/requests", None, Some(&body)).status,
        429
    );
    // Another mailbox on the same domain keeps its own allowance.
    let body = json!({"kind": "access", "email": "other+1@example.net"}).to_string();
    assert_eq!(
        s.call("POST", "/v1/requests", None, Some(&body)).status,
        202
    );
}

#[test]
fn back_dated_lifecycle_events_need_the_erasure_permission() {
    let inst = install(None);
    let s = inst.server();
    let id = inst.create_customer("closed@example.org");
    let path = format!("/v1/subjects/{id}/events");
    let old = r#"{"event":"account_closed","at":"2000-01-01T00:00:00Z"}"#;
    for role in ["support", "sales"] {
        let r = s.call("POST", &path, Some(inst.key(role)), Some(old));
        assert_eq!(r.status, 403, "{role}: {}", r.body);
        assert!(r.body.contains("erase"), "{role}: {}", r.body);
    }
    let denied: Vec<Value> = audit(&inst)
        .into_iter()
        .filter(|e| e["action"] == "subject.event" && e["outcome"] == "denied")
        .collect();
    assert_eq!(denied.len(), 2, "{denied:?}");
    for e in &denied {
        assert_eq!(e["subject_ref"], id.as_str(), "{e}");
        assert!(e["detail"].as_str().unwrap().contains("in the past"), "{e}");
    }
    let record = s
        .call(
            "GET",
            &format!("/v1/subjects/{id}"),
            Some(inst.key("dpo")),
            None,
        )
        .json();
    assert_eq!(record["events"], json!([]), "{record}");
    // Now (or within the tolerance) is fine for the support role...
    #[allow(clippy::disallowed_methods)]
    let now = time::OffsetDateTime::now_utc();
    let rfc = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let recent = json!({"event": "last_contact", "at": rfc(now - time::Duration::hours(2))});
    let r = s.call(
        "POST",
        &path,
        Some(inst.key("support")),
        Some(&recent.to_string()),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    // ...the far future is not, for anyone...
    let future = json!({"event": "last_contact", "at": rfc(now + time::Duration::days(2))});
    let r = s.call(
        "POST",
        &path,
        Some(inst.key("dpo")),
        Some(&future.to_string()),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    // ...and the DPO may back-date.
    let r = s.call("POST", &path, Some(inst.key("dpo")), Some(old));
    assert_eq!(r.status, 204, "{}", r.body);
}

/// A data directory made by `custodia init`, with the contact-site register (which
/// differs from the example `init` would copy).
fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = custodia()
        .args(["init", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::copy(example("contact-site.toml"), data.join("register.toml")).unwrap();
    (dir, data)
}

fn serve_args(data: &Path) -> Vec<String> {
    vec![
        "--data-dir".to_owned(),
        data.to_str().unwrap().to_owned(),
        "--listen".to_owned(),
        "127.0.0.1:0".to_owned(),
    ]
}

struct Exited {
    /// `None`: still running after 30 s (then killed).
    status: Option<std::process::ExitStatus>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `cmd`, which should exit by itself; a server that starts instead is killed.
fn run_to_exit(cmd: &mut Command) -> Exited {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = cmd
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let mut status = None;
    for _ in 0..300 {
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    Exited {
        status,
        stdout: std::fs::read(out).unwrap(),
        stderr: std::fs::read(err).unwrap(),
    }
}

#[test]
fn a_missing_register_or_config_is_never_recreated_in_an_existing_directory() {
    let (dir, data) = initialised();
    let args = serve_args(&data);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = Server::start(dir.path(), &args);
    assert_eq!(server.get("/healthz").json()["policy_version"], 1);
    assert!(server.terminate().success());

    for file in ["register.toml", "config.toml"] {
        let saved = std::fs::read(data.join(file)).unwrap();
        std::fs::remove_file(data.join(file)).unwrap();
        let out = run_to_exit(custodia().arg("serve").args(&args));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.is_some_and(|s| !s.success()), "{file}: {stderr}");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("listening"),
            "{file}"
        );
        assert!(stderr.contains(file), "{file}: {stderr}");
        assert!(stderr.contains("custodia init"), "{file}: {stderr}");
        assert!(!data.join(file).exists(), "{file} was recreated");
        std::fs::write(data.join(file), saved).unwrap();
    }
    // No other policy version was published meanwhile.
    let server = Server::start(dir.path(), &args);
    assert_eq!(server.get("/healthz").json()["policy_version"], 1);
    assert!(server.terminate().success());
}

/// A server process killed when dropped (a failed assertion must not leave it running).
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `custodia serve ARGS` under `umask 022`, its stderr into `log`; returns the child
/// once it listens.
fn serve_with_umask_022(cwd: &Path, args: &[String], log: &Path) -> (Running, String) {
    let mut cmd = Command::new("sh");
    for (key, _) in std::env::vars() {
        if key.starts_with("CUSTODIA_") && !key.starts_with("CUSTODIA_TEST") {
            cmd.env_remove(key);
        }
    }
    let mut child = cmd
        .env("CUSTODIA_LOG", "warn")
        .current_dir(cwd)
        .args(["-c", "umask 022 && exec \"$0\" serve \"$@\""])
        .arg(env!("CARGO_BIN_EXE_custodia"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep draining stdout so that the server never writes into a closed pipe.
    std::thread::spawn(move || {
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.strip_prefix("Custodia is listening on ") {
                let _ = tx.send(url.trim_end_matches('/').to_owned());
            }
        }
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(base) => (Running(Some(child)), base),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "server did not start: {}",
                std::fs::read_to_string(log).unwrap()
            );
        }
    }
}

fn terminate(mut running: Running) {
    let mut child = running.0.take().unwrap();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}

#[cfg(unix)]
#[test]
fn every_file_is_private_and_loose_modes_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = dir.path().join("stderr.log");
    let args = serve_args(&data);
    let (child, base) = serve_with_umask_022(dir.path(), &args, &log);
    let r = crate::support::get(&format!("{base}/healthz"), &[]);
    assert_eq!(r.status, 200);
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{name} has mode {mode:o}");
        seen.push(name);
    }
    for file in [
        "config.toml",
        "register.toml",
        "master.key",
        "custodia.db",
        "custodia.db-wal",
        "custodia.db-shm",
        "keys.db",
        "keys.db-wal",
        "keys.db-shm",
    ] {
        assert!(seen.iter().any(|s| s == file), "{file} missing: {seen:?}");
    }
    terminate(child);
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        stderr.contains("data directory") && stderr.contains("755"),
        "{stderr}"
    );

    // A config.toml others may read is reported at start, without its content.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let config = data.join("config.toml");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (child, _) = serve_with_umask_022(dir.path(), &args, &log);
    terminate(child);
    let stderr = std::fs::read_to_string(&log).unwrap();
    let warning = stderr
        .lines()
        .find(|l| l.contains("WARN") && l.contains("config.toml"))
        .unwrap_or_else(|| panic!("no warning about config.toml: {stderr}"));
    assert!(warning.contains("644"), "{warning}");
    assert!(!stderr.contains("data directory"), "{stderr}");
    assert!(!stderr.contains("listen ="), "{stderr}");
}

#[test]
fn a_nul_byte_in_an_id_is_a_bad_request_and_audited() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    for path in [
        "/v1/subjects/%00",
        "/v1/subjects/a%00b/events",
        "/v1/audit?subject=%00",
    ] {
        let r = if path.ends_with("events") {
            s.call("POST", path, Some(dpo), Some(r#"{"event":"last_contact"}"#))
        } else {
            s.call("GET", path, Some(dpo), None)
        };
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(r.body.contains("control character"), "{path}: {}", r.body);
    }
    let invalid: Vec<String> = audit(&inst)
        .into_iter()
        .filter(|e| e["outcome"] == "invalid")
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        invalid,
        ["subject.read", "subject.event", "audit.read"],
        "{invalid:?}"
    );
}

#[test]
fn a_retention_run_needs_an_explicit_dry_run() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    for body in ["{}", r#"{"dry_run":null}"#] {
        let r = s.call("POST", "/v1/retention/run", Some(dpo), Some(body));
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(
            r.json()["detail"].as_str().unwrap().starts_with("dry_run"),
            "{}",
            r.body
        );
    }
    assert!(
        !audit(&inst).iter().any(|e| e["action"] == "retention.run"),
        "a refused run was carried out"
    );
    let r = s.call(
        "POST",
        "/v1/retention/run",
        Some(dpo),
        Some(r#"{"dry_run":true}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["dry_run"], true);
}

#[test]
fn consents_check_the_jurisdiction_as_subjects_do() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let id = inst.create_customer("jur@example.org");
    for jurisdiction in ["France", "fr", "F1", "ZZZ"] {
        let body = json!({"subject_id": id, "purpose": "newsletter", "state": "given",
            "method": "api", "jurisdiction": jurisdiction});
        let r = s.call("POST", "/v1/consents", Some(dpo), Some(&body.to_string()));
        assert_eq!(r.status, 422, "{jurisdiction}: {}", r.body);
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap()
                .starts_with("jurisdiction"),
            "{}",
            r.body
        );
        // The subject API says the same.
        let body = json!({"kind": "customer", "jurisdiction": jurisdiction,
            "data": {"user.contact.email": "x@example.org"}});
        let r = s.call("POST", "/v1/subjects", Some(dpo), Some(&body.to_string()));
        assert_eq!(r.status, 422, "{jurisdiction}: {}", r.body);
    }
    let body = json!({"subject_id": id, "purpose": "newsletter", "state": "given",
        "method": "api", "jurisdiction": "FR"});
    let r = s.call("POST", "/v1/consents", Some(dpo), Some(&body.to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
}

#[test]
fn bad_smtp_or_retention_settings_stop_the_start_before_listening() {
    for (config, field) in [
        (
            "[retention]\ninterval_minutes = -1\n",
            "retention.interval_minutes",
        ),
        (
            "[smtp]\nhost = \"127.0.0.1\"\nfrom = \"not an address\"\n",
            "smtp",
        ),
        (
            "[rights]\nextra_holidays = [\"25/12/2026\"]\n",
            "rights.extra_holidays",
        ),
    ] {
        let (_dir, data) = initialised();
        let path = data.join("config.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push('\n');
        text.push_str(config);
        std::fs::write(&path, text).unwrap();
        let out = run_to_exit(custodia().arg("serve").args(serve_args(&data)));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.is_some_and(|s| !s.success()),
            "{field}: {stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("listening"), "{field}: {stdout}");
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
}
