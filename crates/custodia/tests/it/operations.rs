//! What an operator sees: a log line per request, `/metrics` for the addresses
//! allowed, compressed answers and a banner cacheable by version. (The metrics text
//! is also parsed by Prometheus's own Python parser in tests/contract/metrics.py.)

use crate::install::install_with_config;
use crate::support::{Server, custodia, get};
use std::io::Read;

/// The sample `name{labels} value` of a Prometheus text exposition, if present.
fn sample(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .map(|value| value.parse().unwrap())
}

/// Every request gives one line with its method, route template, status and latency,
/// and never its path's identifiers, its query string or its body.
#[test]
fn each_request_is_logged_by_route_without_identifiers_query_or_body() {
    let mut install = install_with_config("", |_| {});
    let id = install.create_customer("ada.lovelace@example.org");
    install.stop();
    let log = install.dir.path().join("requests.log");
    let server = Server::start_logging_to(
        custodia()
            .current_dir(install.dir.path())
            .env("CUSTODIA_LOG", "info")
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(install.data()),
        &log,
    );
    let dpo = Some(install.key("dpo"));
    let read = server.call("GET", &format!("/v1/subjects/{id}"), dpo, None);
    assert_eq!(read.status, 200, "{}", read.body);
    let found = server.call(
        "GET",
        "/v1/subjects?email=ada.lovelace%40example.org",
        dpo,
        None,
    );
    assert_eq!(found.status, 200, "{}", found.body);
    let refused = server.call(
        "GET",
        &format!("/v1/subjects/{id}"),
        Some("cusk_wrong"),
        None,
    );
    assert_eq!(refused.status, 401);
    let changed = server.call(
        "PATCH",
        &format!("/v1/subjects/{id}"),
        dpo,
        Some(r#"{"data":{"user.contact.email":"grace.hopper@example.org"}}"#),
    );
    assert!(changed.status < 300, "{}", changed.body);
    assert_eq!(server.get(&format!("/no/such/{id}")).status, 404);
    assert!(server.terminate().success());

    let text = std::fs::read_to_string(&log).unwrap();
    let requests: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("custodia::http"))
        .collect();
    let expect = [
        r#"method=GET route="/v1/subjects/{id}" status=200"#,
        r#"method=GET route="/v1/subjects" status=200"#,
        r#"method=GET route="/v1/subjects/{id}" status=401"#,
        r#"method=PATCH route="/v1/subjects/{id}" status=204"#,
        r#"method=GET route="unmatched" status=404"#,
    ];
    for line in expect {
        let logged: Vec<&&str> = requests.iter().filter(|l| l.contains(line)).collect();
        assert_eq!(logged.len(), 1, "one line with {line} in {requests:#?}");
        assert!(logged[0].contains(" latency_ms="), "{}", logged[0]);
    }
    for secret in [
        id.as_str(),
        "ada.lovelace",
        "grace.hopper",
        "example.org",
        "cusk_",
    ] {
        assert!(!text.contains(secret), "`{secret}` in the log:\n{text}");
    }
}

/// `/metrics` answers the addresses of `metrics_allow` (loopback by default) and no
/// one else, and counts requests by route and status.
#[test]
fn metrics_answer_only_the_allowed_addresses_and_count_requests() {
    let install = install_with_config("metrics_allow = [\"10.0.0.0/8\"]\n", |_| {});
    let refused = install.server().get("/metrics");
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("metrics_allow"), "{}", refused.body);

    let dir = tempfile::tempdir().unwrap();
    crate::install::init_data_dir(&dir.path().join("data"));
    let server = Server::start(
        dir.path(),
        &["--data-dir", "data", "--listen", "127.0.0.1:0"],
    );
    let first = server.get("/metrics");
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        first.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let healthz = r#"custodia_http_requests_total{method="GET",route="/healthz",status="200"}"#;
    let before = sample(&first.body, healthz).unwrap_or(0.0);
    for _ in 0..3 {
        assert_eq!(server.get("/healthz").status, 200);
    }
    let second = server.get("/metrics").body;
    assert_eq!(sample(&second, healthz), Some(before + 3.0), "{second}");
    let latency = r#"custodia_http_request_duration_seconds_count{method="GET",route="/healthz"}"#;
    assert_eq!(sample(&second, latency), Some(before + 3.0), "{second}");
    for gauge in [
        "custodia_consent_book_subjects",
        "custodia_outbox_pending",
        "custodia_outbox_failed",
        "custodia_audit_checkpoint_age_seconds",
        "custodia_retention_last_sweep_timestamp_seconds",
        "custodia_writer_batch_jobs_count",
    ] {
        assert!(sample(&second, gauge).is_some(), "no {gauge} in:\n{second}");
    }
}

/// The raw bytes of an answer, and its headers, as sent.
fn raw(url: &str, accept_encoding: Option<&str>) -> (Vec<u8>, Option<String>, Option<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = ureq::http::Request::builder().uri(url);
    if let Some(accepted) = accept_encoding {
        request = request.header("accept-encoding", accepted);
    }
    let mut response = agent.run(request.body(()).unwrap()).unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (encoding, cache) = (header("content-encoding"), header("cache-control"));
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .read_to_end(&mut body)
        .unwrap();
    (body, encoding, cache)
}

#[test]
fn answers_are_compressed_and_the_banner_is_cacheable_by_version() {
    let dir = tempfile::tempdir().unwrap();
    crate::install::init_data_dir(&dir.path().join("data"));
    let server = Server::start(
        dir.path(),
        &["--data-dir", "data", "--listen", "127.0.0.1:0"],
    );
    for path in [
        "/privacy-policy",
        "/openapi.json",
        "/banner.js",
        "/banner.css",
    ] {
        let (plain, encoding, _) = raw(&server.url(path), None);
        assert_eq!(encoding, None, "{path}: nothing asked, nothing compressed");
        // A cache between must keep the plain and the compressed answer apart.
        let plain_answer = get(&server.url(path), &[]);
        assert!(
            plain_answer
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("vary")
                    && v.to_ascii_lowercase().contains("accept-encoding")),
            "{path}: {:?}",
            plain_answer.headers
        );
        let (gzipped, encoding, _) = raw(&server.url(path), Some("gzip"));
        assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&gzipped[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain, "{path}: gzip round trip");
        let (brotli, encoding, _) = raw(&server.url(path), Some("br;q=1.0, gzip;q=0.5"));
        assert_eq!(encoding.as_deref(), Some("br"), "{path}");
        let mut unbrotli = Vec::new();
        brotli_decompressor::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, plain, "{path}: brotli round trip");
        assert!(
            brotli.len() * 2 < plain.len(),
            "{path}: {} bytes compressed to {}",
            plain.len(),
            brotli.len()
        );
    }
    // Too small to gain from it.
    let (_, encoding, _) = raw(&server.url("/healthz"), Some("gzip"));
    assert_eq!(encoding, None);
    // A client that refuses every encoding it could be given is told so.
    let refused = get(
        &server.url("/privacy-policy"),
        &[("accept-encoding", "identity;q=0")],
    );
    assert_eq!(refused.status, 406);

    let script = get(&server.url("/banner.js"), &[]);
    assert_eq!(script.header("cache-control"), Some("no-cache"));
    let version = script.header("etag").unwrap().trim_matches('"').to_owned();
    let (_, _, cache) = raw(&server.url(&format!("/banner.js?v={version}")), None);
    assert_eq!(
        cache.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let (_, _, cache) = raw(&server.url("/banner.js?v=0123456789abcdef"), None);
    assert_eq!(cache.as_deref(), Some("no-cache"), "an old version");
    // The script asks for its stylesheet by version.
    let styles = script
        .body
        .split(r#""styles_version":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let (_, _, cache) = raw(&server.url(&format!("/banner.css?v={styles}")), None);
    assert_eq!(
        cache.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let (_, _, cache) = raw(&server.url("/banner.css"), None);
    assert_eq!(cache.as_deref(), Some("no-cache"));
}
