//! What `deploy/` ships, exercised: the nginx site in front of the real binary
//! (TLS, HTTP/2, compression, the banner's CORS and caching, two instances on
//! one PostgreSQL), and the systemd unit (`systemd-analyze`, and its command
//! line and environment serving with the master key as a credential).

use crate::install::install_with_config;
use crate::support::nginx::Nginx;
use crate::support::{Server, custodia};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

fn addr(s: &Server) -> SocketAddr {
    s.base.trim_start_matches("http://").parse().unwrap()
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

#[test]
fn the_shipped_nginx_site_serves_pages_api_and_banner_over_tls_and_http2() {
    let install = install_with_config("trusted_proxies = [\"127.0.0.1/32\"]\n", |_| {});
    let Some(nginx) = Nginx::start(&[addr(install.server())]) else {
        return;
    };
    // Plain HTTP only redirects to TLS.
    let plain = nginx.curl(&format!("http://{}/privacy-policy", nginx.http), &[]);
    assert_eq!(plain.status, 301);
    assert!(
        plain
            .header("location")
            .is_some_and(|l| l.starts_with("https://") && l.ends_with("/privacy-policy")),
        "{:?}",
        plain.headers
    );

    // A policy page: HTTP/2 over TLS, compressed when the client accepts it.
    let page = nginx.get("/privacy-policy", &["-H", "accept-encoding: gzip"]);
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.version, "2", "HTTP/2 must be negotiated over TLS");
    assert_eq!(
        page.header("content-encoding"),
        Some("gzip"),
        "{:?}",
        page.headers
    );
    assert!(page.body.starts_with(&GZIP_MAGIC));
    assert!(page.header("strict-transport-security").is_some());
    let identity = nginx.get("/privacy-policy", &[]);
    assert_eq!(identity.header("content-encoding"), None);
    assert!(identity.text().contains("<html"), "{}", identity.text());
    assert!(
        page.body.len() * 2 < identity.body.len(),
        "{} compressed, {} not",
        page.body.len(),
        identity.body.len()
    );

    // The API with a key: a subject written and read back, never cached.
    let auth = format!("authorization: Bearer {}", install.key("support"));
    let body = r#"{"kind":"prospect","data":{"user.contact.email":"edge@example.org"}}"#;
    let created = nginx.get(
        "/v1/subjects",
        &[
            "-X",
            "POST",
            "-H",
            &auth,
            "-H",
            "content-type: application/json",
            "--data-binary",
            body,
        ],
    );
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let read = nginx.get(&format!("/v1/subjects/{id}"), &["-H", &auth]);
    assert_eq!(read.status, 200, "{}", read.text());
    assert!(read.text().contains("edge@example.org"), "{}", read.text());
    assert_eq!(read.header("cache-control"), Some("no-store"));

    // The banner script, fetched from another site: Custodia's CORS and caching
    // headers arrive as it wrote them, compressed.
    let origin = "origin: https://shop.example.org";
    let script = nginx.get("/banner.js", &["-H", origin, "-H", "accept-encoding: gzip"]);
    assert_eq!(script.status, 200, "{}", script.text());
    assert_eq!(script.header("access-control-allow-origin"), Some("*"));
    assert_eq!(script.header("cache-control"), Some("no-cache"));
    assert_eq!(script.header("content-encoding"), Some("gzip"));
    assert!(script.body.starts_with(&GZIP_MAGIC));
    // Revalidation with the ETag the browser got (weakened by gzip) is a 304.
    let etag = script
        .header("etag")
        .expect("the banner script has an ETag");
    let inm = format!("if-none-match: {etag}");
    let again = nginx.get(
        "/banner.js",
        &["-H", origin, "-H", "accept-encoding: gzip", "-H", &inm],
    );
    assert_eq!(again.status, 304, "{etag}: {:?}", again.headers);
    assert_eq!(again.header("access-control-allow-origin"), Some("*"));
    // The preflight of a banner choice.
    let preflight = nginx.get(
        "/v1/banner/consents",
        &[
            "-X",
            "OPTIONS",
            "-H",
            origin,
            "-H",
            "access-control-request-method: POST",
            "-H",
            "access-control-request-headers: content-type",
        ],
    );
    assert_eq!(preflight.status, 204, "{:?}", preflight.headers);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("POST")
    );

    // The scheme reaches Custodia: behind TLS its cookies are Secure.
    let login = nginx.get("/login", &[]);
    assert_eq!(login.status, 200);
    let cookies: Vec<&str> = login
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        !cookies.is_empty() && cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
    // The query string (an e-mail in lookups) stays out of nginx's log.
    nginx.get("/v1/subjects?email=hidden%40example.org", &["-H", &auth]);
    let log = nginx.access_log();
    assert!(log.contains("GET /v1/subjects HTTP/2.0"), "{log}");
    assert!(!log.contains("hidden"), "{log}");
    // Metrics are scraped from each instance, never through the public site.
    assert_eq!(nginx.get("/metrics", &[]).status, 404);
    assert_eq!(install.server().get("/metrics").status, 200);
}

/// A server on 127.0.0.1 answering every request with `answer` (raw HTTP/1.1);
/// its address.
fn fixed_upstream(answer: Vec<u8>) -> SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let at = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(&answer);
        }
    });
    at
}

#[test]
fn an_answer_custodia_compressed_passes_through_nginx_untouched() {
    // Bytes nginx would compress again if it ignored Content-Encoding.
    let body = "already compressed, say brotli ".repeat(100);
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Encoding: br\r\n\
         Vary: accept-encoding\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body.as_bytes());
    let Some(nginx) = Nginx::start(&[fixed_upstream(answer)]) else {
        return;
    };
    let got = nginx.get("/banner.css", &["-H", "accept-encoding: gzip, br"]);
    assert_eq!(got.status, 200);
    assert_eq!(
        got.header("content-encoding"),
        Some("br"),
        "{:?}",
        got.headers
    );
    assert_eq!(got.text(), body);
}

#[test]
fn two_instances_behind_the_shipped_nginx_share_the_load_and_survive_one_stopping() {
    let Some(url) = crate::instances::runtime().block_on(crate::pg::fresh_postgres_database())
    else {
        return;
    };
    let (inst, b) = crate::instances::two_instances(&url, "");
    let a = inst.server();
    let Some(nginx) = Nginx::start(&[addr(a), addr(&b)]) else {
        return;
    };
    let auth = format!("authorization: Bearer {}", inst.key("dpo"));
    let write_and_read = |n: usize| {
        let body =
            format!(r#"{{"kind":"customer","data":{{"user.contact.email":"lb{n}@example.org"}}}}"#);
        let created = nginx.get(
            "/v1/subjects",
            &[
                "-X",
                "POST",
                "-H",
                &auth,
                "-H",
                "content-type: application/json",
                "--data-binary",
                &body,
            ],
        );
        assert_eq!(created.status, 201, "{n}: {}", created.text());
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let read = nginx.get(&format!("/v1/subjects/{id}"), &["-H", &auth]);
        assert_eq!(read.status, 200, "{n}: {}", read.text());
        assert!(read.text().contains(&format!("lb{n}@example.org")));
    };
    for n in 0..6 {
        write_and_read(n);
    }
    let log = nginx.access_log();
    for instance in [addr(a), addr(&b)] {
        let served = log
            .lines()
            .filter(|l| l.ends_with(&format!("upstream={instance}")))
            .count();
        assert!(served >= 2, "{instance} served {served} of 12:\n{log}");
    }
    // One instance stops: nginx goes on answering through the other, even the
    // first requests after it went away (B refused, then A: "B, A" in the log).
    assert!(b.terminate().success());
    for n in 6..12 {
        write_and_read(n);
    }
    let later = nginx.access_log();
    let later: Vec<&str> = later.lines().skip(log.lines().count()).collect();
    assert_eq!(later.len(), 12, "{later:?}");
    let a_addr = addr(a).to_string();
    assert!(later.iter().all(|l| l.ends_with(&a_addr)), "{later:?}");
}

fn systemd_analyze() -> Option<PathBuf> {
    let found = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CUSTODIA_REQUIRE_SYSTEMD").is_none(),
            "CUSTODIA_REQUIRE_SYSTEMD is set but systemd-analyze is not installed"
        );
        eprintln!("SKIPPED: systemd-analyze is not installed (apt-get install systemd)");
    }
    found
}

fn unit_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/custodia.service")
}

/// Where the unit expects `cargo install --root /usr/local` to have put the binary.
const INSTALLED: &str = "/usr/local/bin/custodia";

#[test]
fn the_systemd_unit_verifies_without_a_warning_and_keeps_its_sandbox() {
    let Some(analyze) = systemd_analyze() else {
        return;
    };
    let unit = std::fs::read_to_string(unit_file()).unwrap();
    for needed in [
        "User=custodia",
        "Restart=on-failure",
        "StateDirectory=custodia",
        "StateDirectoryMode=0700",
        "UMask=0077",
        "LoadCredentialEncrypted=master.key:",
        "Environment=CUSTODIA_MASTER_KEY_FILE=%d/master.key",
        "Environment=CUSTODIA_DATA_DIR=%S/custodia",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=\n",
        "SystemCallFilter=@system-service",
        "MemoryDenyWriteExecute=yes",
    ] {
        assert!(unit.contains(needed), "the unit lacks {needed:?}");
    }
    // verify checks that ExecStart is executable, so a copy runs the built
    // binary (the only change); any message at all fails the test.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("custodia.service");
    let exec = format!("ExecStart={INSTALLED} ");
    assert_eq!(unit.matches(&exec).count(), 1, "{exec:?} once in the unit");
    let built = format!("ExecStart={} ", env!("CARGO_BIN_EXE_custodia"));
    std::fs::write(&copy, unit.replace(&exec, &built)).unwrap();
    let out = Command::new(&analyze)
        .arg("verify")
        .arg(&copy)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "systemd-analyze verify: {said}"
    );
    // systemd's own score of the sandbox (0 best, 10 worst); 1.4 when written.
    let out = Command::new(&analyze)
        .args(["security", "--offline=true", "--no-pager"])
        .arg(&copy)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let exposure: f64 = report
        .lines()
        .find_map(|l| {
            l.split("Overall exposure level for custodia.service: ")
                .nth(1)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no exposure level: {report}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert!(exposure <= 2.0, "exposure {exposure}:\n{report}");
}

/// The unit's `Environment=` settings and `ExecStart=` arguments, with `%S` (the
/// state root) and `%d` (the credentials directory) filled in as systemd would.
fn unit_command(state: &Path, credentials: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let unit = std::fs::read_to_string(unit_file()).unwrap();
    let fill = |v: &str| {
        v.replace("%S", &state.display().to_string())
            .replace("%d", &credentials.display().to_string())
    };
    let env = unit
        .lines()
        .filter_map(|l| l.strip_prefix("Environment="))
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), fill(v))
        })
        .collect();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix(&format!("ExecStart={INSTALLED} ")))
        .expect("ExecStart runs the installed binary");
    (env, exec.split_whitespace().map(fill).collect())
}

#[test]
fn the_units_command_and_environment_serve_with_the_master_key_as_a_credential() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    // The README's steps: `custodia init` makes the key, which becomes the
    // credential; systemd hands it over read-only in a directory of its own.
    let made = root.path().join("made");
    crate::install::init_data_dir(&made);
    let credentials = root.path().join("credentials");
    std::fs::create_dir(&credentials).unwrap();
    let key = credentials.join("master.key");
    std::fs::rename(made.join("master.key"), &key).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o500)).unwrap();
    // StateDirectory=custodia, mode 0700, empty at the first start.
    let state = root.path().join("state");
    let data = state.join("custodia");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();

    let (mut env, args) = unit_command(&state, &credentials);
    // systemd tells the service where its credentials are.
    let credentials_env = (
        "CREDENTIALS_DIRECTORY".to_owned(),
        credentials.display().to_string(),
    );
    env.push(credentials_env.clone());
    let serve = || {
        let mut cmd = custodia();
        cmd.args(&args).current_dir(root.path());
        for (k, v) in &env {
            // The unit's port may be taken here.
            let v = if k == "CUSTODIA_LISTEN" {
                "127.0.0.1:0"
            } else {
                v.as_str()
            };
            cmd.env(k, v);
        }
        Server::start_with(&mut cmd)
    };
    let server = serve();
    assert_eq!(server.get("/privacy-policy").status, 200);
    assert!(data.join("config.toml").exists() && data.join("register.toml").exists());
    assert!(
        !data.join("master.key").exists(),
        "the first start must not write a second master key beside the data"
    );
    assert!(server.terminate().success());
    // Started again, the credential opens what the first start encrypted.
    let server = serve();
    // A command run beside it (`systemd-run -p LoadCredentialEncrypted=...`)
    // finds the key through CREDENTIALS_DIRECTORY alone.
    let made = custodia()
        .args([
            "apikeys",
            "create",
            "--role",
            "auditor",
            "--name",
            "ops",
            "--data-dir",
        ])
        .arg(&data)
        .env(credentials_env.0, credentials_env.1)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let key = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    let r = server.call("GET", "/v1/audit?limit=1", Some(&key), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(server.terminate().success());
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o700)).unwrap();
}
