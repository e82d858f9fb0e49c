//! A real nginx on 127.0.0.1 running the shipped site, `deploy/nginx-custodia.conf`,
//! with a throwaway self-signed certificate; requests through it with the curl
//! command (TLS, HTTP/2, a chosen source address).
//!
//! nginx runs as the current user from a temporary prefix (`daemon off`,
//! `master_process off`). The site's values marked EDIT are replaced as an
//! operator would: listen ports, certificate paths, upstream servers; its log
//! directory becomes the prefix. Each replacement must match the site exactly,
//! so a site that drifts from what the test expects fails loudly.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The site file operators install.
pub fn site_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx-custodia.conf")
}

/// Whether the tools these tests need are here; `false` means skip (after a
/// message), unless CUSTODIA_REQUIRE_NGINX is set, which makes it a failure.
pub fn tools_present() -> bool {
    let missing: Vec<&str> = ["nginx", "openssl", "curl"]
        .into_iter()
        .filter(|tool| find(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CUSTODIA_REQUIRE_NGINX").is_none(),
        "CUSTODIA_REQUIRE_NGINX is set but {missing:?} is not installed"
    );
    eprintln!("SKIPPED: {missing:?} not installed (apt-get install nginx openssl curl)");
    false
}

fn find(tool: &str) -> Option<PathBuf> {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .into_iter()
        .map(|dir| Path::new(dir).join(tool))
        .find(|p| p.exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `text` with `from` replaced by `to`, which must occur exactly `times` times.
fn replace(text: &str, from: &str, to: &str, times: usize) -> String {
    let found = text.matches(from).count();
    assert_eq!(
        found, times,
        "the nginx site must hold {from:?} {times} times (found {found}); update support/nginx.rs with it"
    );
    text.replace(from, to)
}

/// The shipped site with the test's ports, certificate, log directory and
/// upstream servers in place of the operator's.
fn site_for(site: &str, dir: &Path, https: u16, http: u16, upstreams: &[SocketAddr]) -> String {
    let p = dir.display();
    // The rest of each listen line (ssl, http2) stays as shipped; IPv6 goes.
    let site = replace(
        site,
        "listen 443 ",
        &format!("listen 127.0.0.1:{https} "),
        1,
    );
    let site = replace(&site, "listen 80;", &format!("listen 127.0.0.1:{http};"), 1);
    let v6: Vec<&str> = site
        .lines()
        .filter(|l| l.contains("listen [::]:"))
        .collect();
    assert_eq!(v6.len(), 2, "two IPv6 listen lines in the site: {v6:?}");
    let site: String = site
        .lines()
        .filter(|l| !l.contains("listen [::]:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let site = replace(&site, "/etc/ssl/custodia/", &format!("{p}/"), 2);
    let site = replace(&site, "/var/log/nginx/", &format!("{p}/"), 3);
    // The upstream block's example server, once per instance.
    let example = "server 127.0.0.1:8080";
    let lines: Vec<&str> = site.lines().filter(|l| l.contains(example)).collect();
    assert_eq!(
        lines.len(),
        1,
        "one example upstream server in the site: {lines:?}"
    );
    let servers: Vec<String> = upstreams
        .iter()
        .map(|u| lines[0].replace("127.0.0.1:8080", &u.to_string()))
        .collect();
    site.replace(lines[0], &servers.join("\n"))
}

/// nginx with the shipped site in front of `upstreams`; killed when dropped.
pub struct Nginx {
    child: Child,
    /// The TLS (HTTP/2) server.
    pub https: SocketAddr,
    /// The plain HTTP server, which redirects.
    pub http: SocketAddr,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// `None` when skipped (see [`tools_present`]).
    pub fn start(upstreams: &[SocketAddr]) -> Option<Nginx> {
        if !tools_present() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().display();
        let made = Command::new(find("openssl").unwrap())
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .arg("-keyout")
            .arg(dir.path().join("privkey.pem"))
            .arg("-out")
            .arg(dir.path().join("fullchain.pem"))
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let (https, http) = (free_port(), free_port());
        let site = std::fs::read_to_string(site_file()).unwrap();
        std::fs::write(
            dir.path().join("site.conf"),
            site_for(&site, dir.path(), https, http, upstreams),
        )
        .unwrap();
        // What Debian's nginx.conf provides around sites-enabled, pointed at the prefix.
        let conf = format!(
            "daemon off;\nmaster_process off;\npid {p}/nginx.pid;\nerror_log {p}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  default_type application/octet-stream;\n\
               client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n\
               fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n\
               include {p}/site.conf;\n}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new(find("nginx").unwrap())
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut nginx = Nginx {
            child,
            https: SocketAddr::from(([127, 0, 0, 1], https)),
            http: SocketAddr::from(([127, 0, 0, 1], http)),
            dir,
        };
        for _ in 0..200 {
            if TcpStream::connect(nginx.https).is_ok() && TcpStream::connect(nginx.http).is_ok() {
                return Some(nginx);
            }
            if let Some(status) = nginx.child.try_wait().unwrap() {
                panic!("nginx exited ({status}): {}", nginx.error_log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nginx did not listen on {}", nginx.https);
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.https)
    }

    /// The site's access log so far: one line per request, naming the instance.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("custodia.access.log")).unwrap_or_default()
    }

    pub fn error_log(&self) -> String {
        let mut log =
            std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
        log.push_str(
            &std::fs::read_to_string(self.dir.path().join("custodia.error.log"))
                .unwrap_or_default(),
        );
        log
    }

    /// One request to `url` over HTTP/2 if the server offers it, with curl's
    /// `args` (method, headers, body, `--interface` for the source address).
    pub fn curl(&self, url: &str, args: &[&str]) -> Curl {
        let dir = tempfile::tempdir_in(self.dir.path()).unwrap();
        let (head, body) = (dir.path().join("head"), dir.path().join("body"));
        let out = Command::new(find("curl").unwrap())
            .args(["-sS", "-k", "--http2", "--max-time", "30"])
            .args(["-w", "%{http_version}"])
            .arg("-D")
            .arg(&head)
            .arg("-o")
            .arg(&body)
            .args(args)
            .arg(url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "curl {args:?} {url}: {}\nnginx: {}",
            String::from_utf8_lossy(&out.stderr),
            self.error_log()
        );
        let head = std::fs::read_to_string(head).unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {head:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Curl {
            status,
            version: String::from_utf8_lossy(&out.stdout).into_owned(),
            headers,
            body: std::fs::read(body).unwrap_or_default(),
        }
    }

    /// `path` on the TLS server.
    pub fn get(&self, path: &str, args: &[&str]) -> Curl {
        self.curl(&self.url(path), args)
    }

    /// The same request `times` times on one connection; the statuses.
    pub fn repeat(&self, path: &str, times: usize, args: &[&str]) -> Vec<u16> {
        let url = self.url(path);
        let mut cmd = Command::new(find("curl").unwrap());
        cmd.args(["-sS", "-k", "--http2", "--max-time", "60"])
            .args(["-w", "%{http_code}\\n"])
            .args(args);
        for _ in 0..times {
            cmd.args(["-o", "/dev/null"]).arg(&url);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.parse().unwrap())
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer as curl saw it; header names in lower case.
pub struct Curl {
    pub status: u16,
    /// `2` for HTTP/2, `1.1`...
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Curl {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}
