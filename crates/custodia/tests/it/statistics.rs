//! Statistics (issue 17): consents per purpose and ISO week counted in people by the
//! database, the JSON for the dashboard and the CSV export with cells under k people
//! suppressed, on both backends.

use crate::install::{Install, install};
use serde_json::{Value, json};

pub(crate) fn subject(inst: &Install, n: usize) -> String {
    let body =
        json!({"kind": "customer", "data": {"user.contact.email": format!("stat{n}@example.org")}})
            .to_string();
    let r = inst
        .server()
        .call("POST", "/v1/subjects", Some(inst.key("dpo")), Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

pub(crate) fn consent(inst: &Install, subject: &str, purpose: &str, state: &str) {
    let body = json!({"subject_id": subject, "purpose": purpose, "state": state, "method": "api"})
        .to_string();
    let r = inst
        .server()
        .call("POST", "/v1/consents", Some(inst.key("dpo")), Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
}

fn people(stats: &Value, purpose: &str, state: &str) -> Vec<i64> {
    stats["consents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["purpose"] == purpose && c["state"] == state)
        .map(|c| c["people"].as_i64().unwrap())
        .collect()
}

fn k_suppression(inst: &Install) {
    let s = inst.server();
    let subjects: Vec<String> = (0..5).map(|n| subject(inst, n)).collect();
    // 5 people give the newsletter (one of them twice: still one person), 4 the
    // public profile, and one withdraws the newsletter.
    for id in &subjects {
        consent(inst, id, "newsletter", "given");
    }
    consent(inst, &subjects[0], "newsletter", "given");
    for id in &subjects[..4] {
        consent(inst, id, "public_profile", "given");
    }
    consent(inst, &subjects[1], "newsletter", "withdrawn");

    for role in ["admin", "support", "auditor"] {
        let r = s.call("GET", "/v1/statistics", Some(inst.key(role)), None);
        assert_eq!(r.status, 403, "{role}: {}", r.body);
    }
    let r = s.call("GET", "/v1/statistics?weeks=0", Some(inst.key("dpo")), None);
    assert_eq!(r.status, 422, "{}", r.body);

    let r = s.call("GET", "/v1/statistics", Some(inst.key("dpo")), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let stats = r.json();
    assert_eq!(stats["weeks"], 12);
    assert_eq!(stats["k"], 5);
    assert_eq!(people(&stats, "newsletter", "given"), [5], "{stats}");
    assert_eq!(people(&stats, "public_profile", "given"), [4], "{stats}");
    assert_eq!(people(&stats, "newsletter", "withdrawn"), [1], "{stats}");
    // Consents through the API are no banner choices (those are counted by the
    // store: see the conformance suite).
    assert_eq!(stats["banner"]["all_accepted"], 0, "{stats}");
    assert!(stats["banner"]["acceptance_rate"].is_null(), "{stats}");
    let week = stats["consents"][0]["week"].as_str().unwrap().to_owned();

    let r = s.call("GET", "/v1/statistics.csv", Some(inst.key("dpo")), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines[0], "section,key,period,measure,value,suppressed");
    assert!(
        lines.contains(&format!("consent,newsletter,{week},given,5,").as_str()),
        "5 people are shown: {}",
        r.body
    );
    assert!(
        lines.contains(&format!("consent,public_profile,{week},given,,<5").as_str()),
        "4 people are suppressed: {}",
        r.body
    );
    assert!(
        lines.contains(&format!("consent,newsletter,{week},withdrawn,,<5").as_str()),
        "{}",
        r.body
    );
    let audit = s
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None)
        .json();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "statistics.read"
                && e["outcome"] == "ok"
                && e["detail"].as_str().unwrap_or_default().starts_with("csv")),
        "the export is audited"
    );
}

#[test]
fn small_counts_are_suppressed_in_the_export_on_sqlite() {
    k_suppression(&install(None));
}

#[test]
fn small_counts_are_suppressed_in_the_export_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    k_suppression(&install(Some(url)));
}

#[test]
fn k_is_configurable() {
    let inst = crate::install::install_with_config("[statistics]\nk_anonymity = 4\n", |_| {});
    let subjects: Vec<String> = (0..4).map(|n| subject(&inst, n)).collect();
    for id in &subjects {
        consent(&inst, id, "public_profile", "given");
    }
    let r = inst.server().call(
        "GET",
        "/v1/statistics.csv?weeks=1",
        Some(inst.key("dpo")),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .lines()
            .any(|l| l.starts_with("consent,public_profile,") && l.ends_with(",given,4,")),
        "{}",
        r.body
    );
}

/// A customer holding an invoice, issued yesterday: the `invoices` rule archives it
/// at once (its only phase is an archive).
fn invoiced_customer(inst: &Install, n: usize) -> String {
    let s = inst.server();
    let key = inst.key("dpo");
    let body = json!({"kind": "customer", "data": {"user.financial.invoice": format!("INV-{n}")}})
        .to_string();
    let r = s.call("POST", "/v1/subjects", Some(key), Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // The server runs on the wall clock.
    #[allow(clippy::disallowed_methods)]
    let yesterday = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    let at = yesterday
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let event = json!({"event": "invoice", "at": at}).to_string();
    let r = s.call(
        "POST",
        &format!("/v1/subjects/{id}/events"),
        Some(key),
        Some(&event),
    );
    assert!((200..300).contains(&r.status), "{}", r.body);
    id
}

/// Every action a sweep carries out is counted per rule, kind, month and action: the
/// JSON shows them all, the export suppresses those under k.
fn retention_outcomes(inst: &Install) {
    let s = inst.server();
    let dpo = inst.key("dpo");
    crate::retention::old_prospects(inst, 8);
    for n in 0..2 {
        invoiced_customer(inst, n);
    }
    let run = s.call(
        "POST",
        "/v1/retention/run",
        Some(dpo),
        Some(r#"{"dry_run":false}"#),
    );
    assert_eq!(run.status, 200, "{}", run.body);
    assert_eq!(
        run.json()["rules"]["prospects"]["deleted"],
        8,
        "{}",
        run.body
    );
    assert_eq!(
        run.json()["rules"]["invoices"]["archived"],
        2,
        "{}",
        run.body
    );

    let r = s.call("GET", "/v1/statistics", Some(dpo), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let mut outcomes: Vec<(String, String, String, i64)> = r.json()["retention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["rule"].as_str().unwrap().to_owned(),
                o["kind"].as_str().unwrap().to_owned(),
                o["action"].as_str().unwrap().to_owned(),
                o["subjects"].as_i64().unwrap(),
            )
        })
        .collect();
    outcomes.sort();
    let own = |rule: &str, kind: &str, action: &str, n: i64| {
        (rule.to_owned(), kind.to_owned(), action.to_owned(), n)
    };
    assert_eq!(
        outcomes,
        [
            own("invoices", "customer", "archive", 2),
            own("prospects", "prospect", "delete", 8),
        ],
        "{}",
        r.body
    );
    let month = r.json()["retention"][0]["month"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = s.call("GET", "/v1/statistics.csv", Some(dpo), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let lines: Vec<&str> = r.body.lines().collect();
    assert!(
        lines.contains(&format!("retention,prospects/prospect,{month},delete,8,").as_str()),
        "{}",
        r.body
    );
    assert!(
        lines.contains(&format!("retention,invoices/customer,{month},archive,,<5").as_str()),
        "2 archived subjects are suppressed: {}",
        r.body
    );
}

#[test]
fn every_retention_action_is_counted_in_the_statistics_on_sqlite() {
    retention_outcomes(&install(None));
}

#[test]
fn every_retention_action_is_counted_in_the_statistics_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    retention_outcomes(&install(Some(url)));
}
