//! Issue 15, rights requests and the links people follow: one-time downloads used
//! exactly once and never by a GET or HEAD, ID documents up to the documented 5 MiB,
//! links built from `public_url` only, and unsubscribe replays that change nothing.

use crate::install::{PUBLIC_URL, install};
use crate::retention::{Harness, T0, postgres, sqlite};
use crate::rights::{desk, links, press_download};
use crate::support::{Response, request};
use serde_json::json;

/// One access request completed, and the URL of its JSON package.
fn json_package_link(d: &crate::rights::Desk, email: &str) -> String {
    d.create(
        "customer",
        json!({"user.contact.email": email, "user.name.first": "Ana"}),
    );
    let id = d.submit_verified(json!({"kind": "access", "email": email}));
    d.complete(&id, "dpo");
    let letter = d.mail.wait_for(email, |m| m.text.contains("/download/"));
    let urls = links(&letter.text);
    let url = urls
        .iter()
        .find(|u| letter.text.contains(&format!("JSON: {u}")))
        .unwrap();
    assert!(url.starts_with(PUBLIC_URL), "{url}");
    d.install.reach(url)
}

#[test]
fn a_download_link_opens_a_page_and_only_one_of_eight_concurrent_posts_gets_the_package() {
    let d = desk();
    let url = json_package_link(&d, "ana@example.org");

    // A mail scanner opens the link, any number of times: a page with a button,
    // in the reader's language, and the link still works.
    for _ in 0..3 {
        let head = request("HEAD", &url, &[], None);
        assert_eq!(head.status, 200);
        let page = request("GET", &format!("{url}?lang=fr"), &[], None);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("<html lang=\"fr\">"), "{}", page.body);
        assert!(
            page.body.contains("Télécharger mes données"),
            "{}",
            page.body
        );
        assert!(page.body.contains("method=\"post\""), "{}", page.body);
        assert!(!page.body.contains("Ana"), "the page holds no data");
        assert_eq!(page.header("cache-control"), Some("no-store"));
    }
    let page = request("GET", &url, &[("accept-language", "en")], None);
    assert!(page.body.contains("Download my data"), "{}", page.body);

    // Eight presses at once: exactly one package leaves.
    let answers: Vec<Response> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(|| press_download(&url))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let served: Vec<&Response> = answers.iter().filter(|r| r.status == 200).collect();
    assert_eq!(
        served.len(),
        1,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        served[0].json()["subjects"][0]["data"]["user.name.first"],
        "Ana"
    );
    for r in answers.iter().filter(|r| r.status != 200) {
        assert_eq!(r.status, 404, "{}", r.body);
        assert!(!r.body.contains("Ana"));
    }
    // Used: the page says so, and pressing again gives nothing.
    let gone = request("GET", &url, &[], None);
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("used already"), "{}", gone.body);
    assert_eq!(press_download(&url).status, 404);
}

const MIB: usize = 1024 * 1024;

fn document_of(size: usize) -> String {
    let mut doc = String::with_capacity(size);
    doc.push_str("%PDF-1.7\n");
    doc.push_str(&"A".repeat(size - doc.len()));
    doc
}

/// Sends a body the server refuses before reading it all, reading the answer while
/// the body is still being written: the server answers and closes early, and a
/// client that only reads once it has written everything may see a broken pipe.
fn send_oversized(
    base: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: String,
) -> Response {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: {content_type}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes());
        let _ = writer.write_all(body.as_bytes());
    });
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    sender.join().unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn portal_upload(base: &str, id: &str, size: usize) -> Response {
    let boundary = "custodia-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"id.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n{}\r\n--{boundary}--\r\n",
        document_of(size)
    );
    send_oversized(
        base,
        "POST",
        &format!("/portal/requests/{id}/document?lang=fr"),
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
}

#[test]
fn id_documents_up_to_5_mib_are_taken_on_the_api_and_the_portal_and_larger_get_413() {
    let d = desk();
    d.create("customer", json!({"user.contact.email": "id@example.org"}));
    let id = d.submit_verified(json!({"kind": "access", "email": "id@example.org"}));
    let r = d.step(
        &id,
        "dpo",
        json!({"action": "doubt", "note": "two accounts"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let base = d.install.server().base.clone();
    let put = |size: usize| {
        send_oversized(
            &base,
            "PUT",
            &format!("/v1/requests/{id}/document"),
            "application/pdf",
            document_of(size),
        )
    };

    let r = put(3 * MIB);
    assert_eq!(r.status, 204, "{}", r.body);
    let r = put(6 * MIB);
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert!(r.body.contains("5 MiB"), "{}", r.body);

    let r = portal_upload(&base, &id, 3 * MIB);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<html lang=\"fr\">"), "{}", r.body);
    let r = portal_upload(&base, &id, 6 * MIB);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(
        r.header("content-type").unwrap().starts_with("text/html"),
        "{:?}",
        r.headers
    );
    assert!(r.body.contains("<html lang=\"fr\">"), "{}", r.body);
    assert!(r.body.contains("5 Mio"), "{}", r.body);

    // A form's other errors are pages too, not JSON.
    let r = portal_upload(&base, "no-such-request", 10);
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("<html lang=\"fr\">"), "{}", r.body);

    // Every other route keeps the 1 MiB limit.
    let big = json!({"kind": "access", "email": "x@example.org", "details": "A".repeat(2 * MIB)});
    let r = send_oversized(
        &base,
        "POST",
        "/v1/requests",
        "application/json",
        big.to_string(),
    );
    assert_eq!(r.status, 413, "{}", r.body);
}

#[test]
fn links_are_built_from_public_url_never_from_the_host_header() {
    let mut inst = install(None);
    let dpo = inst.key("dpo").to_owned();
    let s = inst.server();
    let r = s.call(
        "POST",
        "/v1/subjects",
        Some(&dpo),
        Some(r#"{"kind":"customer","data":{"user.contact.email":"host@example.org"}}"#),
    );
    let subject = r.json()["id"].as_str().unwrap().to_owned();
    let forged = |path: &str, body: Option<&str>| {
        let auth = format!("Bearer {dpo}");
        request(
            "POST",
            &s.url(path),
            &[
                ("authorization", &auth),
                ("host", "evil.example"),
                ("x-forwarded-host", "evil.example"),
                ("x-forwarded-proto", "http"),
            ],
            body,
        )
    };
    let unsubscribe = format!("/v1/subjects/{subject}/unsubscribe-link");
    let preferences = format!("/v1/subjects/{subject}/preferences-link");
    let r = forged(&unsubscribe, Some(r#"{"purpose":"newsletter"}"#));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("evil.example"), "{}", r.body);
    let link = r.json();
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{PUBLIC_URL}/unsubscribe/")),
        "{link}"
    );
    assert_eq!(
        link["list_unsubscribe"],
        format!("<{}>", link["url"].as_str().unwrap())
    );
    let r = forged(&preferences, None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{PUBLIC_URL}/preferences/")),
        "{}",
        r.body
    );

    // Without public_url no link is minted, and the error says what to set.
    inst.stop();
    let config = inst.data().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("public_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&config, text).unwrap();
    inst.start();
    let s = inst.server();
    for (path, body) in [
        (&unsubscribe, Some(r#"{"purpose":"newsletter"}"#)),
        (&preferences, None),
    ] {
        let r = s.call("POST", path, Some(&dpo), body);
        assert_eq!(r.status, 409, "{}", r.body);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(
            r.json()["detail"]
                .as_str()
                .unwrap()
                .starts_with("public_url:"),
            "{}",
            r.body
        );
    }
}

#[test]
fn replaying_an_unsubscribe_post_records_one_withdrawal_and_is_rate_limited() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let r = s.call(
        "POST",
        "/v1/subjects",
        Some(dpo),
        Some(r#"{"kind":"customer","data":{"user.contact.email":"replay@example.org"}}"#),
    );
    let subject = r.json()["id"].as_str().unwrap().to_owned();
    let given =
        json!({"subject_id": subject, "purpose": "newsletter", "state": "given", "method": "form"});
    let r = s.call("POST", "/v1/consents", Some(dpo), Some(&given.to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
    let link = s
        .call(
            "POST",
            &format!("/v1/subjects/{subject}/unsubscribe-link"),
            Some(dpo),
            Some(r#"{"purpose":"newsletter"}"#),
        )
        .json();
    let url = inst.reach(link["url"].as_str().unwrap());

    let unsubscribe = || {
        request(
            "POST",
            &url,
            &[("content-type", "application/x-www-form-urlencoded")],
            Some("List-Unsubscribe=One-Click"),
        )
        .status
    };
    let mut statuses = std::collections::BTreeMap::new();
    // Eight at once, then the rest one after the other.
    let first: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(unsubscribe)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for status in first.into_iter().chain((8..200).map(|_| unsubscribe())) {
        *statuses.entry(status).or_insert(0) += 1;
    }
    // The first ones are answered (a replay is told it is done), then the limiter
    // steps in.
    assert!(
        statuses.get(&200).copied().unwrap_or(0) >= 10,
        "{statuses:?}"
    );
    assert!(statuses.get(&429).copied().unwrap_or(0) > 0, "{statuses:?}");
    assert_eq!(
        statuses.keys().copied().collect::<Vec<_>>(),
        vec![200, 429],
        "{statuses:?}"
    );

    let records = s
        .call(
            "GET",
            &format!("/v1/subjects/{subject}/consents"),
            Some(dpo),
            None,
        )
        .json()["records"]
        .as_array()
        .unwrap()
        .clone();
    let unsubscribes = records
        .iter()
        .filter(|r| r["method"] == "unsubscribe")
        .count();
    assert_eq!(unsubscribes, 1, "{records:?}");
    assert_eq!(
        records.len(),
        2,
        "the consent and one withdrawal: {records:?}"
    );
}

/// A request never verified keeps a sealed address and its blind index: purged, key
/// first, once its code expired plus the documented grace, audited; a verified one
/// and its key stay.
async fn unverified_requests_are_purged_after_their_code_and_grace(h: Harness) {
    use custodia_store::{AuditFilter, Write};
    use custodia_store_conformance::rights::request;
    let mut unverified = request("0190cccc-0000-7000-8000-000000000001", vec![7; 32]);
    unverified.status = "received".to_owned();
    unverified.received_at = T0;
    let mut verified = request("0190cccc-0000-7000-8000-000000000002", vec![8; 32]);
    verified.status = "verified".to_owned();
    verified.received_at = T0;
    h.keys
        .put_data_keys(vec![
            (unverified.id.clone(), vec![1; 72]),
            (verified.id.clone(), vec![2; 72]),
        ])
        .await
        .unwrap();
    h.writer
        .submit(custodia_core::writer::Job {
            writes: [&unverified, &verified]
                .into_iter()
                .map(|row| Write::PutRightsRequest {
                    row: row.clone(),
                    expected_version: None,
                })
                .collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    let purge_at =
        T0 + custodia_core::rights::CODE_LIFETIME + custodia_core::rights::UNVERIFIED_KEPT;
    assert_eq!(purge_at, T0 + time::Duration::minutes(30 + 24 * 60));
    let present = |id: String| {
        let (store, keys) = (h.store.clone(), h.keys.clone());
        async move {
            (
                store.rights_request(&id).await.unwrap().is_some(),
                keys.data_key(&id).await.unwrap().is_some(),
            )
        }
    };

    let report = h.sweep(purge_at - time::Duration::seconds(1)).await;
    assert_eq!(report.unverified_requests_purged, 0);
    assert_eq!(present(unverified.id.clone()).await, (true, true));

    let report = h.sweep(purge_at).await;
    assert_eq!(report.unverified_requests_purged, 1);
    assert_eq!(
        present(unverified.id.clone()).await,
        (false, false),
        "row and data key gone"
    );
    assert_eq!(present(verified.id.clone()).await, (true, true));
    let audited = h
        .store
        .audit_entries(&AuditFilter {
            principal: Some("system:retention".to_owned()),
            limit: 1000,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "retention.request_purge")
        .collect::<Vec<_>>();
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert!(
        audited[0]
            .detail
            .as_deref()
            .unwrap_or("")
            .contains(&unverified.id)
    );

    // Nothing left to purge.
    assert_eq!(
        h.sweep(purge_at + time::Duration::days(1))
            .await
            .unverified_requests_purged,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverified_requests_are_purged_on_sqlite() {
    unverified_requests_are_purged_after_their_code_and_grace(sqlite("saas.toml").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverified_requests_are_purged_on_postgres() {
    let Some(h) = postgres("saas.toml").await else {
        return;
    };
    unverified_requests_are_purged_after_their_code_and_grace(h).await;
}

#[test]
fn a_handler_sees_and_corrects_only_the_categories_its_role_reaches_the_rest_waits_for_the_dpo() {
    const CARD: &str = "user.financial.credit_card";
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "reach@example.org", "user.name.last": "Old", CARD: "4111 1111 1111 1111"}),
    );
    // `support` handles requests but may not read the card directly.
    let r = d.call(
        "GET",
        &format!("/v1/subjects/{subject}"),
        Some("support"),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["data"].get(CARD).is_none(), "{}", r.body);

    let id = d.submit_verified(
        json!({"kind": "rectification", "email": "reach@example.org",
        "changes": {"user.name.last": "New", CARD: "5555 5555 5555 4444"}}),
    );
    let view = d.call("GET", &format!("/v1/requests/{id}"), Some("support"), None);
    assert_eq!(view.status, 200, "{}", view.body);
    assert!(!view.body.contains("5555"), "{}", view.body);
    let view = view.json();
    assert_eq!(view["changes"], json!({"user.name.last": "New"}));
    assert_eq!(view["pending_for_dpo"], json!([CARD]));

    let r = d.step(&id, "support", json!({"action": "complete"}));
    assert_eq!(r.status, 202, "{}", r.body);
    let answer = r.json();
    assert_eq!(answer["applied"], json!(["user.name.last"]));
    assert_eq!(answer["pending_for_dpo"], json!([CARD]));
    assert!(
        answer["detail"].as_str().unwrap().contains("DPO"),
        "{answer}"
    );
    let data = d
        .call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
        .json()["data"]
        .clone();
    assert_eq!(data["user.name.last"], "New");
    assert_eq!(
        data[CARD], "4111 1111 1111 1111",
        "the card waits for the DPO"
    );
    let view = d.request(&id);
    assert_eq!(view["status"], "in_progress", "{view}");
    assert_eq!(view["changes"], json!({CARD: "5555 5555 5555 4444"}));
    // Completing again as support changes nothing it may not reach.
    let r = d.step(&id, "support", json!({"action": "complete"}));
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.json()["applied"], json!([]));

    d.complete(&id, "dpo");
    let data = d
        .call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
        .json()["data"]
        .clone();
    assert_eq!(data[CARD], "5555 5555 5555 4444");
    assert_eq!(d.request(&id)["status"], "completed");
}

#[test]
fn replaying_a_withdrawal_on_the_preferences_page_records_it_once() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let r = s.call(
        "POST",
        "/v1/subjects",
        Some(dpo),
        Some(r#"{"kind":"customer","data":{"user.contact.email":"prefs@example.org"}}"#),
    );
    let subject = r.json()["id"].as_str().unwrap().to_owned();
    let given =
        json!({"subject_id": subject, "purpose": "newsletter", "state": "given", "method": "form"});
    assert_eq!(
        s.call("POST", "/v1/consents", Some(dpo), Some(&given.to_string()))
            .status,
        201
    );
    let link = s
        .call(
            "POST",
            &format!("/v1/subjects/{subject}/preferences-link"),
            Some(dpo),
            None,
        )
        .json();
    let url = inst.reach(link["url"].as_str().unwrap());
    let post = |state: &str| {
        request(
            "POST",
            &url,
            &[("content-type", "application/x-www-form-urlencoded")],
            Some(&format!("purpose=newsletter&state={state}")),
        )
    };
    for _ in 0..5 {
        assert_eq!(post("withdrawn").status, 303);
    }
    let count = || {
        s.call(
            "GET",
            &format!("/v1/subjects/{subject}/consents"),
            Some(dpo),
            None,
        )
        .json()["records"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(), 2, "the consent and one withdrawal");
    // Giving it again is recorded.
    assert_eq!(post("given").status, 303);
    assert_eq!(count(), 3);
}
