//! Starting the real `custodia` binary and talking to it over HTTP.

// Servers on 127.0.0.1 that receive what Custodia sends: e-mail and webhooks.
pub mod smtp;
// nginx in front of the server, with the site file shipped in deploy/.
pub mod nginx;
pub mod webhook;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn custodia() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_custodia"));
    // A test must not inherit a developer's settings.
    for (key, _) in std::env::vars() {
        if key.starts_with("CUSTODIA_")
            && !key.starts_with("CUSTODIA_TEST")
            && key != "CUSTODIA_REQUIRE_POSTGRES"
        {
            cmd.env_remove(key);
        }
    }
    cmd.env("CUSTODIA_LOG", "warn");
    cmd
}

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

pub fn example(name: &str) -> PathBuf {
    examples_dir().join(name)
}

pub fn all_examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "expected the three example registers, found {files:?}"
    );
    files
}

/// A running server; killed when dropped.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub stdout: Vec<String>,
}

impl Server {
    /// Starts `custodia serve` with `args` in `cwd`, waits for the URL line.
    pub fn start(cwd: &Path, args: &[&str]) -> Server {
        Self::start_with(custodia().current_dir(cwd).arg("serve").args(args))
    }

    /// Starts `custodia serve` and waits until `/readyz` answers 200 (the consent
    /// state loaded), as a load balancer would.
    pub fn start_with(cmd: &mut Command) -> Server {
        Self::start_with_stderr(cmd.stderr(Stdio::piped()))
    }

    /// Starts `custodia serve` and returns as soon as it listens, ready or not.
    pub fn start_listening(cmd: &mut Command) -> Server {
        Self::spawn_listening(cmd.stderr(Stdio::piped()))
    }

    /// [`Server::start_with`], its log lines written to `log` (read them once the
    /// server has stopped: nothing drains a pipe of them).
    pub fn start_logging_to(cmd: &mut Command, log: &Path) -> Server {
        let log = std::fs::File::create(log).unwrap();
        Self::start_with_stderr(cmd.stderr(log))
    }

    fn start_with_stderr(cmd: &mut Command) -> Server {
        let server = Self::spawn_listening(cmd);
        for _ in 0..3000 {
            if get(&server.url("/readyz"), &[]).status == 200 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server was not ready within 60 s of listening");
    }

    fn spawn_listening(cmd: &mut Command) -> Server {
        let mut child = cmd.stdout(Stdio::piped()).spawn().expect("spawn custodia");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining after the test stops listening: a closed pipe would make
            // the server's next write fail.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut lines = Vec::new();
        let base = loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let found = line
                        .strip_prefix("Custodia is listening on ")
                        .map(|url| url.trim_end_matches('/').to_owned());
                    lines.push(line);
                    if let Some(url) = found {
                        break url;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let out = child.wait_with_output().unwrap();
                    panic!(
                        "server did not start; stdout: {lines:?}; stderr: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            }
        };
        if let Some(mut stderr) = child.stderr.take() {
            // A log line per request would fill the pipe and stop the server.
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        }
        Server {
            child: Some(child),
            base,
            stdout: lines,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn get(&self, path: &str) -> Response {
        get(&self.url(path), &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        get(&self.url(path), headers)
    }

    /// A request with an optional bearer key and JSON body.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> Response {
        let auth = key.map(|k| format!("Bearer {k}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("authorization", a.as_str())).collect();
        request(method, &self.url(path), &headers, body)
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(self) -> ExitStatus {
        self.stop("-TERM")
    }

    /// Sends `signal` (as `kill` spells it) and waits for the process to exit.
    pub fn stop(mut self, signal: &str) -> ExitStatus {
        let mut child = self.child.take().unwrap();
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..300 {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        panic!("server did not stop within 15 s of {signal}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The cookie `name` this answer sets, as `name=value` (to send back).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.split(';').next().unwrap_or_default().to_owned())
            .find(|v| v.starts_with(&format!("{name}=")))
    }
}

/// A browser's form post: `body` already form-encoded (see [`form_encode`]).
pub fn post_form(url: &str, cookie: &str, body: &str) -> Response {
    request(
        "POST",
        url,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", cookie),
        ],
        Some(body),
    )
}

/// A value for an `application/x-www-form-urlencoded` body or a query string.
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> Response {
    request("GET", url, headers, None)
}

/// Any request; `body` is sent as JSON unless a content-type header says otherwise.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Response {
    try_request(method, url, headers, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// [`request`], with transport errors (connection refused or reset) returned.
pub fn try_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Response, ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .allow_non_standard_methods(true)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let has_type = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !has_type {
        builder = builder.header("content-type", "application/json");
    }
    let result = match body {
        Some(b) => agent.run(builder.body(b.to_owned()).unwrap()),
        None => agent.run(builder.body(()).unwrap()),
    };
    let mut response = result?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = response.body_mut().read_to_string()?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Runs SQL statements (`;`-separated, none quoting a `;`) on a SQLite file directly,
/// behind Custodia's back, and returns the first column of the last one's first row
/// as an integer, if it has one. It uses the backend's own driver (rusqlite) and
/// blocks: call it outside async code.
pub fn sqlite_query(db: &Path, sql: &str) -> Option<i64> {
    use rusqlite::OptionalExtension;
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let sql = sql.trim().trim_end_matches(';');
    let (before, last) = sql.rsplit_once(';').unwrap_or(("", sql));
    conn.execute_batch(before).unwrap();
    conn.query_row(last, [], |row| row.get::<_, Option<i64>>(0))
        .optional()
        .unwrap()
        .flatten()
}

/// Polls `seen` every 20 ms until it gives a value; fails, naming `what`, after
/// `within`.
pub fn eventually<T>(
    what: &str,
    within: std::time::Duration,
    mut seen: impl FnMut() -> Option<T>,
) -> T {
    let started = std::time::Instant::now();
    loop {
        if let Some(value) = seen() {
            return value;
        }
        assert!(
            started.elapsed() < within,
            "{what}: not seen after {within:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
