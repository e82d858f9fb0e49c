//! The network edge: client addresses behind a real nginx (the shipped site), refused credentials
//! counted rather than written one by one, sign-in back-off, slow and greedy
//! connections, and headers that keep pages out of frames and caches.

use crate::install::install_with_config;
use crate::support::nginx::Nginx;
use crate::support::{Server, custodia, request};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// A TCP connection from `source` (any 127.0.0.0/8 address works on loopback).
fn connect_from(source: &str, to: SocketAddr) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stream = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket
            .bind(SocketAddr::new(source.parse::<IpAddr>().unwrap(), 0))
            .unwrap();
        socket.connect(to).await.unwrap()
    });
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// One HTTP/1.1 request on its own connection from `source`; the status and the
/// raw head of the answer.
fn post_from(
    source: &str,
    to: SocketAddr,
    path: &str,
    headers: &[&str],
    body: &str,
) -> (u16, String) {
    let mut stream = connect_from(source, to);
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {answer:?}"));
    (status, answer)
}

fn addr(base: &str) -> SocketAddr {
    base.trim_start_matches("http://").parse().unwrap()
}

/// A banner submission with a stale version: 409 while the address has tokens,
/// 429 once they are spent (the limiter comes first), and nothing is written.
const STALE_CHOICE: &str = r#"{"visitor_id":null,"banner_version":"stale","choices":[]}"#;

fn banner_from(source: &str, to: SocketAddr, headers: &[&str]) -> (u16, String) {
    post_from(source, to, "/v1/banner/consents", headers, STALE_CHOICE)
}

fn start(data: &Path, trusted: Option<&str>) -> Server {
    let mut cmd = custodia();
    cmd.arg("serve")
        .arg("--data-dir")
        .arg(data)
        .args(["--listen", "127.0.0.1:0"]);
    if let Some(t) = trusted {
        cmd.env("CUSTODIA_TRUSTED_PROXIES", t);
    }
    Server::start_with(&mut cmd)
}

/// A banner submission from `source` through nginx (TLS, HTTP/2): curl's
/// arguments for it.
fn banner_through(source: &str, extra: &[&'static str]) -> Vec<String> {
    let mut args: Vec<String> = ["--interface", source, "-X", "POST"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    args.extend(["-H".to_owned(), "content-type: application/json".to_owned()]);
    args.extend(["--data-binary".to_owned(), STALE_CHOICE.to_owned()]);
    for h in extra {
        args.extend(["-H".to_owned(), (*h).to_owned()]);
    }
    args
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn behind_nginx_each_client_has_its_own_bucket_and_spoofing_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = start(&data, Some("127.0.0.1/32,::1/128"));
    let Some(nginx) = Nginx::start(&[addr(&server.base)]) else {
        return;
    };
    let path = "/v1/banner/consents";
    // Client A (127.0.0.2) spends its burst of 30 (on one connection, so the
    // bucket has no time to refill); its next try is refused.
    let a = banner_through("127.0.0.2", &[]);
    assert_eq!(nginx.repeat(path, 30, &refs(&a)), vec![409; 30]);
    let refused = nginx.get(path, &refs(&a));
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert_eq!(refused.version, "2", "HTTP/2 over TLS");
    let retry = refused.header("retry-after").expect("Retry-After");
    assert!(retry.parse::<u64>().unwrap() >= 1, "{retry}");
    assert!(
        refused
            .header("content-type")
            .is_some_and(|t| t.contains("application/problem+json")),
        "{:?}",
        refused.headers
    );
    // A claims to be someone else: nginx appends the address it saw, and that
    // rightmost untrusted hop is what counts.
    let spoofed = banner_through("127.0.0.2", &["X-Forwarded-For: 203.0.113.7"]);
    assert_eq!(
        nginx.get(path, &refs(&spoofed)).status,
        429,
        "a spoofed X-Forwarded-For must not buy a new bucket"
    );
    // Client B (127.0.0.3), behind the same proxy, is not affected.
    let b = nginx.get(path, &refs(&banner_through("127.0.0.3", &[])));
    assert_eq!(b.status, 409, "{}", b.text());
    // A peer that is not a trusted proxy cannot choose its address either.
    let direct = addr(&server.base);
    for i in 0..30 {
        let xff = format!("X-Forwarded-For: 198.51.100.{i}");
        let (status, answer) = banner_from("127.0.0.4", direct, &[&xff]);
        assert_eq!(status, 409, "try {i}: {answer}");
    }
    let (status, _) = banner_from("127.0.0.4", direct, &["X-Forwarded-For: 198.51.100.200"]);
    assert_eq!(status, 429, "headers from an untrusted peer are ignored");
    drop(nginx);
    drop(server);

    // Without trusted_proxies every client behind nginx shares nginx's bucket.
    let server = start(&data, None);
    let nginx = Nginx::start(&[addr(&server.base)]).unwrap();
    let a = banner_through("127.0.0.2", &[]);
    assert_eq!(nginx.repeat(path, 30, &refs(&a)), vec![409; 30]);
    assert_eq!(
        nginx
            .get(path, &refs(&banner_through("127.0.0.3", &[])))
            .status,
        429,
        "one shared bucket when the proxy is not trusted"
    );
}

#[test]
fn a_bad_trusted_proxies_entry_stops_the_start_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = custodia()
        .arg("serve")
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["--listen", "127.0.0.1:0"])
        .env("CUSTODIA_TRUSTED_PROXIES", "10.0.0.0/8,10.0.0.0/33")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A server that starts anyway must not hang the test.
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("trusted_proxies") && stderr.contains("`10.0.0.0/33`"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));
}

/// The leading count of an aggregated refusal entry.
fn refused_count(detail: &str) -> u64 {
    detail
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {detail:?}"))
}

#[test]
fn a_flood_of_bad_keys_is_throttled_and_audited_as_counts() {
    let mut install = install_with_config("", |_| {});
    let url = install
        .server()
        .url("/v1/subjects/00000000-0000-0000-0000-000000000000");
    let (mut unauthorized, mut throttled) = (0, 0);
    for _ in 0..2000 {
        let r = request(
            "GET",
            &url,
            &[("authorization", "Bearer cusk_not_a_key")],
            None,
        );
        match r.status {
            401 => unauthorized += 1,
            429 => {
                assert!(r.header("retry-after").is_some());
                throttled += 1;
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert!(throttled > 1000, "{unauthorized} 401, {throttled} 429");
    // Counts still open are written when the server stops.
    install.stop();
    install.start();
    let auditor = install.key("auditor").to_owned();
    let entries = install
        .server()
        .call(
            "GET",
            "/v1/audit?principal=anonymous&limit=1000",
            Some(&auditor),
            None,
        )
        .json();
    let refusals: Vec<&serde_json::Value> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth.request")
        .collect();
    assert!(
        (1..=5).contains(&refusals.len()),
        "{} entries for 2,000 refusals",
        refusals.len()
    );
    let total: u64 = refusals
        .iter()
        .map(|e| refused_count(e["detail"].as_str().unwrap()))
        .sum();
    assert_eq!(total, 2000, "{refusals:?}");
}

fn form(url: &str, from: &str, cookie: &str, body: &str) -> crate::support::Response {
    request(
        "POST",
        url,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", cookie),
            ("x-forwarded-for", from),
        ],
        Some(body),
    )
}

fn retry_after(r: &crate::support::Response) -> u64 {
    r.header("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After ({}): {}", r.status, r.body))
        .parse()
        .unwrap()
}

#[test]
fn sign_in_backs_off_per_account_and_address() {
    // The test speaks for several clients through X-Forwarded-For, as a proxy on
    // 127.0.0.1 would.
    let install = install_with_config("trusted_proxies = [\"127.0.0.1/32\"]\n", |_| {});
    let s = install.server();
    let mut accounts = Vec::new();
    for email in ["one@example.org", "two@example.org"] {
        let added = install.cli(&["users", "add", "--email", email, "--role", "dpo"]);
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
        let stdout = String::from_utf8(added.stdout).unwrap();
        let password = stdout
            .lines()
            .find_map(|l| l.strip_prefix("password (shown once): "))
            .unwrap()
            .to_owned();
        accounts.push((email.replace('@', "%40"), password.replace('-', "%2D")));
    }
    // Behind a trusted TLS proxy the cookies are Secure.
    let page = s.get_with("/login", &[("x-forwarded-proto", "https")]);
    assert!(
        page.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.contains("; Secure")),
        "{:?}",
        page.headers
    );
    let cookie = page
        .headers
        .iter()
        .find(|(k, v)| {
            k.eq_ignore_ascii_case("set-cookie") && v.starts_with("custodia_login_csrf=")
        })
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .unwrap();
    let csrf = cookie.split_once('=').unwrap().1.to_owned();
    let url = s.url("/login");
    let try_as = |(email, password): &(String, String), from: &str| {
        form(
            &url,
            from,
            &cookie,
            &format!("email={email}&password={password}&csrf={csrf}"),
        )
    };
    let (one, two) = (&accounts[0], &accounts[1]);
    let wrong = (one.0.clone(), "wrong".to_owned());

    for _ in 0..3 {
        assert_eq!(try_as(&wrong, "198.51.100.1").status, 401);
    }
    let first = try_as(&wrong, "198.51.100.1");
    assert_eq!(first.status, 429, "{}", first.body);
    let first_wait = retry_after(&first);
    // The right password is refused during the back-off, from another address too.
    assert_eq!(try_as(one, "198.51.100.9").status, 429);
    std::thread::sleep(Duration::from_secs(first_wait));
    assert_eq!(try_as(&wrong, "198.51.100.1").status, 401);
    let second = try_as(&wrong, "198.51.100.1");
    assert_eq!(second.status, 429);
    let second_wait = retry_after(&second);
    assert!(second_wait > first_wait, "{first_wait} then {second_wait}");
    // Another account from another address is not held up.
    assert_eq!(try_as(two, "198.51.100.2").status, 303);
    // Once the wait is over, the right password opens a session.
    assert_eq!(try_as(one, "198.51.100.1").status, 429);
    std::thread::sleep(Duration::from_secs(second_wait));
    let ok = try_as(one, "198.51.100.1");
    assert_eq!(ok.status, 303, "{}", ok.body);
    let session = ok
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("custodia_session="))
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .unwrap();
    // The account page holds the CSRF token: no cache may keep it.
    let account = request("GET", &s.url("/account"), &[("cookie", &session)], None);
    assert_eq!(account.status, 200);
    assert_eq!(account.header("cache-control"), Some("no-store"));
    // Throttled tries are audited (counted per source).
    let dpo = install.key("dpo");
    let entries = s
        .call(
            "GET",
            "/v1/audit?principal=anonymous&limit=1000",
            Some(dpo),
            None,
        )
        .json();
    let throttled = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth.login" && e["outcome"] == "throttled")
        .count();
    assert!(throttled >= 1, "{entries}");
}

/// Reads until the server closes the connection; `None` if it is still open
/// after 20 s.
fn read_until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(String::from_utf8_lossy(&got).into_owned());
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None;
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn slow_and_greedy_connections_are_cut_off() {
    let install = install_with_config(
        "[http]\nheader_timeout_seconds = 2\nmax_connections_per_address = 4\n",
        |_| {},
    );
    let s = install.server();
    let to = addr(&s.base);
    // Half a header: closed after the header timeout, not held forever.
    let mut half = connect_from("127.0.0.1", to);
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    assert!(
        read_until_closed(&mut half).is_some(),
        "a connection that never finishes its headers must be closed"
    );
    // An idle keep-alive connection is closed too.
    let mut idle = connect_from("127.0.0.1", to);
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(&mut idle);
    assert!(
        answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 200")),
        "an idle keep-alive connection must be closed after its answer: {answer:?}"
    );

    // Four connections whose bodies never finish hold the address's allowance.
    let body_pending = b"POST /v1/banner/consents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut c = connect_from("127.0.0.1", to);
            c.write_all(body_pending).unwrap();
            c
        })
        .collect();
    // The server accepts in arrival order: these four are counted before the fifth.
    let mut extra = connect_from("127.0.0.1", to);
    let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let answer = read_until_closed(&mut extra);
    assert!(
        answer.as_deref().is_some_and(|a| !a.contains("200 OK")),
        "a fifth connection from the same address must be refused: {answer:?}"
    );
    // Another address is not affected meanwhile.
    let mut other = connect_from("127.0.0.5", to);
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert!(read_until_closed(&mut other).is_some_and(|a| a.starts_with("HTTP/1.1 200")));
    // Once they are gone, the address is served again.
    held.clear();
    let mut served = false;
    for _ in 0..100 {
        if let Ok(r) = crate::support::try_request("GET", &s.url("/healthz"), &[], None)
            && r.status == 200
        {
            served = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        served,
        "/healthz must answer once the held connections closed"
    );
}

#[test]
fn the_banner_demo_cannot_be_framed_and_personal_data_is_not_cached() {
    let install = install_with_config("", |_| {});
    let s = install.server();
    let demo = s.get("/banner/demo");
    assert_eq!(demo.status, 200);
    let csp = demo.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");

    let support = install.key("support");
    let created = s.call(
        "POST",
        "/v1/subjects",
        Some(support),
        Some(r#"{"kind":"prospect","data":{"user.contact.email":"lead@example.org"}}"#),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let read = s.call("GET", &format!("/v1/subjects/{id}"), Some(support), None);
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.header("cache-control"), Some("no-store"));
    let consents = s.call(
        "GET",
        &format!("/v1/subjects/{id}/consents"),
        Some(support),
        None,
    );
    assert_eq!(
        consents.header("cache-control"),
        Some("no-store"),
        "{}",
        consents.status
    );
    let audit = s.call("GET", "/v1/audit", Some(install.key("auditor")), None);
    assert_eq!(audit.status, 200);
    assert_eq!(audit.header("cache-control"), Some("no-store"));
    // Public policy pages stay cacheable.
    let policy = s.get("/privacy-policy");
    assert_ne!(policy.header("cache-control"), Some("no-store"));
}
