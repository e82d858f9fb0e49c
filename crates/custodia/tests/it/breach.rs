//! The breach register (Art. 33/34) through the real binary: the 72-hour clock from
//! awareness (set in the past, as the server runs on the system clock), the
//! authority and people decisions, letters reaching a real SMTP server, who may do
//! what, the audit entries and the timeline's CSV export.

use crate::rights::desk;
use crate::support::Response;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

/// The server under test runs on the system clock, so these checks read it too.
#[allow(clippy::disallowed_methods)]
fn wall_clock() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

fn ago(minutes: i64) -> String {
    (wall_clock() - time::Duration::minutes(minutes))
        .format(&Rfc3339)
        .unwrap()
}

fn breach_body(aware_at: &str, subjects: &[&str]) -> Value {
    json!({
        "aware_at": aware_at,
        "nature": ["confidentiality", "availability"],
        "description": "A laptop holding a customer export was stolen.",
        "categories": ["user.contact.email"],
        "approx_people": 2,
        "approx_records": 2,
        "consequences": "Phishing aimed at the customers concerned.",
        "measures": "Passwords rotated; the export is encrypted from now on.",
        "subject_ids": subjects,
    })
}

fn audit_actions(d: &crate::rights::Desk, action: &str) -> Vec<Value> {
    let r = d.call("GET", "/v1/audit", Some("auditor"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

fn problem_field(r: &Response) -> String {
    r.json()["field"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_clock_runs_from_awareness_and_stops_at_the_authority_decision() {
    let d = desk();
    // Aware 90 minutes ago: 70.5 hours left, shown as 70 whole hours.
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(breach_body(&ago(90), &[])),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let fresh = r.json();
    assert_eq!(fresh["state"], "open");
    assert_eq!(fresh["hours_left"], 70, "{fresh}");
    assert_eq!(fresh["overdue"], false);
    assert_eq!(fresh["nature"], json!(["confidentiality", "availability"]));
    // Aware 80 hours ago and no decision: overdue.
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("admin"),
        Some(breach_body(&ago(80 * 60), &[])),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let late = r.json();
    let late_id = late["id"].as_str().unwrap();
    assert_eq!(late["overdue"], true, "{late}");
    assert_eq!(late["hours_left"], -8, "{late}");

    // The list: open ones first, soonest deadline first (the overdue one).
    let r = d.call("GET", "/v1/breaches", Some("auditor"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let ids: Vec<Value> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].clone())
        .collect();
    assert_eq!(ids, [late["id"].clone(), fresh["id"].clone()]);

    // Notified now, past the deadline: the reasons for the delay are required.
    let path = format!("/v1/breaches/{late_id}/authority");
    let r = d.call(
        "POST",
        &path,
        Some("dpo"),
        Some(json!({"notified": true, "reference": "CNIL-2026-0042"})),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(problem_field(&r), "late_reason");
    let r = d.call(
        "POST",
        &path,
        Some("dpo"),
        Some(json!({"notified": true, "reference": "CNIL-2026-0042", "late_reason": "The theft was reported by the employee only on Monday."})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let decided = r.json();
    assert_eq!(
        decided["overdue"], false,
        "the decision stops the clock: {decided}"
    );
    assert_eq!(decided["hours_left"], Value::Null);
    assert_eq!(decided["notified_late"], true);
    assert_eq!(decided["authority"]["reference"], "CNIL-2026-0042");
    // Once only.
    let r = d.call(
        "POST",
        &path,
        Some("dpo"),
        Some(json!({"notified": false, "reason": "no risk"})),
    );
    assert_eq!(r.status, 409, "{}", r.body);

    // Closed breaches go after open ones.
    let r = d.call(
        "PATCH",
        &format!("/v1/breaches/{late_id}"),
        Some("dpo"),
        Some(json!({"closed": true})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["state"], "closed");
    let r = d.call("GET", "/v1/breaches", Some("dpo"), None);
    let states: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, ["open", "closed"]);
}

#[test]
fn bad_input_is_a_problem_naming_the_field() {
    let d = desk();
    let mut body = breach_body(&ago(10), &[]);
    body["categories"] = json!(["user.nonexistent"]);
    let r = d.call("POST", "/v1/breaches", Some("dpo"), Some(body));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(problem_field(&r), "categories");
    let mut body = breach_body(&ago(10), &[]);
    body["nature"] = json!(["leak"]);
    let r = d.call("POST", "/v1/breaches", Some("dpo"), Some(body));
    assert_eq!(problem_field(&r), "nature");
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(breach_body(&ago(10), &["no-such-subject"])),
    );
    assert_eq!(problem_field(&r), "subject_ids");
    let mut body = breach_body(&ago(10), &[]);
    body.as_object_mut().unwrap().remove("aware_at");
    let r = d.call("POST", "/v1/breaches", Some("dpo"), Some(body));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(problem_field(&r), "aware_at");
    let r = d.call("GET", "/v1/breaches/no-such-breach", Some("dpo"), None);
    assert_eq!(r.status, 404, "{}", r.body);
}

#[test]
fn informing_people_by_email_sends_each_affected_subject_a_letter() {
    let d = desk();
    let ann = d.create(
        "customer",
        json!({"user.contact.email": "ann.breach@example.org"}),
    );
    let bob = d.create(
        "customer",
        json!({"user.contact.email": "bob.breach@example.org"}),
    );
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(breach_body(&ago(30), &[&ann, &bob])),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = d.call(
        "POST",
        &format!("/v1/breaches/{id}/people"),
        Some("dpo"),
        Some(json!({"inform": true, "channel": "email"})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let people = &r.json()["people"];
    assert_eq!(people["letters_queued"], 2, "{people}");
    assert_eq!(people["channel"], "email");
    for to in ["ann.breach@example.org", "bob.breach@example.org"] {
        let letter = d.mail.wait_for(to, |l| l.subject.contains("breach"));
        assert!(
            letter
                .text
                .contains("A laptop holding a customer export was stolen."),
            "{}",
            letter.text
        );
        assert!(letter.text.contains("Phishing aimed at"), "{}", letter.text);
        // Both languages the register publishes.
        assert!(
            letter.text.contains("violation de données"),
            "{}",
            letter.text
        );
    }
    // One audit entry per letter, naming the subject and the category read.
    let letters = audit_actions(&d, "breach.letter");
    let mut named: Vec<&str> = letters
        .iter()
        .map(|e| e["subject_ref"].as_str().unwrap())
        .collect();
    named.sort_unstable();
    let mut expected = [ann.as_str(), bob.as_str()];
    expected.sort_unstable();
    assert_eq!(named, expected);
    assert!(
        letters
            .iter()
            .all(|e| e["categories"] == json!(["user.contact.email"]))
    );
    assert!(
        !serde_json::to_string(&letters)
            .unwrap()
            .contains("example.org"),
        "no address in the audit log"
    );

    // Timeline: recorded, people, letters_queued; as CSV too.
    let r = d.call(
        "GET",
        &format!("/v1/breaches/{id}/timeline"),
        Some("auditor"),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let events: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(events, ["recorded", "people", "letters_queued"]);
    let r = d.call(
        "GET",
        &format!("/v1/breaches/{id}/timeline?format=csv"),
        Some("auditor"),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines[0], "seq,at,principal,event,detail");
    assert_eq!(lines.len(), 4, "{}", r.body);
    assert!(
        lines[3].starts_with("3,") && lines[3].contains(",letters_queued,"),
        "{}",
        lines[3]
    );
    let r = d.call(
        "GET",
        &format!("/v1/breaches/{id}/timeline?format=xml"),
        Some("auditor"),
        None,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(problem_field(&r), "format");
}

#[test]
fn not_informing_people_needs_an_art_34_reason() {
    let d = desk();
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(breach_body(&ago(30), &[])),
    );
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/breaches/{id}/people");
    let r = d.call(
        "POST",
        &path,
        Some("dpo"),
        Some(json!({"inform": false, "reason": "nobody_cares", "explanation": "x"})),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(problem_field(&r), "reason");
    let r = d.call(
        "POST",
        &path,
        Some("dpo"),
        Some(json!({"inform": false, "reason": "unintelligible", "explanation": "The disk was encrypted with AES-256; the key was not on the laptop."})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["people"]["reason"], "unintelligible");
    assert_eq!(r.json()["people"]["letters_queued"], 0);
}

#[test]
fn auditors_read_handlers_cannot_reach_and_every_action_is_audited() {
    let d = desk();
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("auditor"),
        Some(breach_body(&ago(5), &[])),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(breach_body(&ago(5), &[])),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for (method, path, body) in [
        (
            "PATCH",
            format!("/v1/breaches/{id}"),
            Some(json!({"approx_people": 3})),
        ),
        (
            "POST",
            format!("/v1/breaches/{id}/authority"),
            Some(json!({"notified": false, "reason": "no risk"})),
        ),
        (
            "POST",
            format!("/v1/breaches/{id}/people"),
            Some(json!({"inform": false, "reason": "no_high_risk", "explanation": "x"})),
        ),
    ] {
        let r = d.call(method, &path, Some("auditor"), body);
        assert_eq!(r.status, 403, "auditor {method} {path}: {}", r.body);
    }
    let r = d.call("GET", &format!("/v1/breaches/{id}"), Some("auditor"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    // `support` handles rights requests but not breaches, not even to read.
    for path in [
        "/v1/breaches".to_owned(),
        format!("/v1/breaches/{id}"),
        format!("/v1/breaches/{id}/timeline"),
    ] {
        let r = d.call("GET", &path, Some("support"), None);
        assert_eq!(r.status, 403, "support GET {path}: {}", r.body);
    }
    let r = d.call(
        "PATCH",
        &format!("/v1/breaches/{id}"),
        Some("dpo"),
        Some(json!({"approx_people": 3, "measures": "Laptop wiped remotely."})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["approx_people"], 3);
    assert_eq!(r.json()["version"], 2);
    let r = d.call(
        "POST",
        &format!("/v1/breaches/{id}/authority"),
        Some("dpo"),
        Some(json!({"notified": false, "reason": "Encrypted disk: unlikely to result in a risk."})),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    let outcomes = |action: &str| -> Vec<(String, String)> {
        audit_actions(&d, action)
            .iter()
            .map(|e| {
                (
                    e["principal"].as_str().unwrap().to_owned(),
                    e["outcome"].as_str().unwrap().to_owned(),
                )
            })
            .map(|(p, o)| (p.split(':').next().unwrap().to_owned(), o))
            .collect()
    };
    let record = outcomes("breach.record");
    assert!(
        record.contains(&("apikey".to_owned(), "denied".to_owned())),
        "{record:?}"
    );
    assert!(
        record.contains(&("apikey".to_owned(), "ok".to_owned())),
        "{record:?}"
    );
    assert_eq!(
        outcomes("breach.update")
            .iter()
            .filter(|(_, o)| o == "ok")
            .count(),
        1
    );
    assert_eq!(
        outcomes("breach.update")
            .iter()
            .filter(|(_, o)| o == "denied")
            .count(),
        1
    );
    assert_eq!(
        outcomes("breach.authority")
            .iter()
            .filter(|(_, o)| o == "ok")
            .count(),
        1
    );
    assert_eq!(
        outcomes("breach.people")
            .iter()
            .filter(|(_, o)| o == "denied")
            .count(),
        1
    );
    assert!(outcomes("breach.read").iter().any(|(_, o)| o == "denied"));
    assert!(outcomes("breach.read").iter().any(|(_, o)| o == "ok"));
}
