//! The vault through the real binary: sealed fields, role-filtered reads, blind
//! index lookups, events, disclosures, children, erasure, and no plaintext at rest.

use crate::install::{contains, install, sqlite_bytes};
use serde_json::{Value, json};

const EMAIL: &str = "Camille.Durand@Example.org";
const CARD: &str = "4970 1012 3456 7890";

fn new_customer(email: &str) -> String {
    json!({
        "kind": "customer",
        "data": {
            "user.contact.email": email,
            "user.name.first": "Camille",
            "user.name.last": "Durand-Lefèvre",
            "user.contact.phone_number": "+33 6 12 34 56 78",
            "user.financial.credit_card": CARD,
            "user.demographic.date_of_birth": "1990-04-02"
        }
    })
    .to_string()
}

fn create(server: &crate::support::Server, key: &str, body: &str) -> String {
    let r = server.call("POST", "/v1/subjects", Some(key), Some(body));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

#[test]
fn subjects_are_sealed_filtered_by_role_and_erasable() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let id = create(s, dpo, &new_customer(EMAIL));

    // The DPO sees everything; support sees contact data but not the card.
    let full = s.call(
        "GET",
        &format!("/v1/subjects/{id}?purpose=live_chat"),
        Some(dpo),
        None,
    );
    assert_eq!(full.status, 200, "{}", full.body);
    let full = full.json();
    assert_eq!(full["data"]["user.contact.email"], EMAIL);
    assert_eq!(full["data"]["user.financial.credit_card"], CARD);
    assert_eq!(full["age_status"], "adult");
    let support = s
        .call(
            "GET",
            &format!("/v1/subjects/{id}"),
            Some(inst.key("support")),
            None,
        )
        .json();
    assert_eq!(support["data"]["user.contact.email"], EMAIL);
    assert!(
        support["data"].get("user.financial.credit_card").is_none(),
        "{support}"
    );
    let accounting = s
        .call(
            "GET",
            &format!("/v1/subjects/{id}"),
            Some(inst.key("accounting")),
            None,
        )
        .json();
    assert_eq!(accounting["data"]["user.financial.credit_card"], CARD);

    // Lookup by e-mail ignores case and spaces; by phone in another notation.
    let found = s
        .call(
            "GET",
            "/v1/subjects?email=%20camille.durand@EXAMPLE.org%20",
            Some(dpo),
            None,
        )
        .json();
    assert_eq!(found["subjects"][0]["id"], id.as_str());
    let found = s
        .call("GET", "/v1/subjects?phone=0033612345678", Some(dpo), None)
        .json();
    assert_eq!(found["subjects"].as_array().unwrap().len(), 1);
    let none = s
        .call(
            "GET",
            "/v1/subjects?email=nobody@example.org",
            Some(dpo),
            None,
        )
        .json();
    assert!(none["subjects"].as_array().unwrap().is_empty());

    // Nothing personal is stored in clear, nor in the key store.
    let db = inst.data().join("custodia.db");
    let keys = inst.data().join("keys.db");
    for (file, bytes) in [(&db, sqlite_bytes(&db)), (&keys, sqlite_bytes(&keys))] {
        for secret in [
            EMAIL,
            "camille.durand@example.org",
            "Durand-Lefèvre",
            CARD,
            "+33612345678",
            "1990-04-02",
        ] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret} found in {}",
                file.display()
            );
        }
    }

    // A change replaces the index: the old address no longer finds anyone.
    let patch = json!({"data": {"user.contact.email": "camille@new.example", "user.contact.phone_number": null}, "kind": "customer"});
    let r = s.call(
        "PATCH",
        &format!("/v1/subjects/{id}"),
        Some(dpo),
        Some(&patch.to_string()),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(
        s.call(
            "GET",
            "/v1/subjects?email=camille.durand@example.org",
            Some(dpo),
            None
        )
        .json()["subjects"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.call(
            "GET",
            "/v1/subjects?email=camille@new.example",
            Some(dpo),
            None
        )
        .json()["subjects"][0]["id"],
        id.as_str()
    );
    let after = s
        .call("GET", &format!("/v1/subjects/{id}"), Some(dpo), None)
        .json();
    assert!(after["data"].get("user.contact.phone_number").is_none());

    // Events and disclosures are part of the record.
    let r = s.call(
        "POST",
        &format!("/v1/subjects/{id}/events"),
        Some(dpo),
        Some(r#"{"event":"last_contact","at":"2026-01-15T10:00:00Z"}"#),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let r = s.call(
        "POST",
        &format!("/v1/subjects/{id}/disclosures"),
        Some(dpo),
        Some(r#"{"recipient":"stripe","categories":["user.contact.email"],"purpose":"payments"}"#),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let record = s
        .call("GET", &format!("/v1/subjects/{id}"), Some(dpo), None)
        .json();
    assert_eq!(record["events"][0]["event"], "last_contact");
    assert_eq!(record["events"][0]["at"], "2026-01-15T10:00:00Z");
    assert_eq!(record["disclosures"][0]["recipient"], "stripe");

    // Erasure: support may not; the DPO may; then the subject is gone everywhere.
    assert_eq!(
        s.call(
            "DELETE",
            &format!("/v1/subjects/{id}"),
            Some(inst.key("support")),
            None
        )
        .status,
        403
    );
    assert_eq!(
        s.call("DELETE", &format!("/v1/subjects/{id}"), Some(dpo), None)
            .status,
        204
    );
    assert_eq!(
        s.call("GET", &format!("/v1/subjects/{id}"), Some(dpo), None)
            .status,
        410
    );
    assert!(
        s.call(
            "GET",
            "/v1/subjects?email=camille@new.example",
            Some(dpo),
            None
        )
        .json()["subjects"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.call("DELETE", &format!("/v1/subjects/{id}"), Some(dpo), None)
            .status,
        410
    );

    // The audit trail tells the story, names no one, and still verifies.
    let audit = s
        .call(
            "GET",
            &format!("/v1/audit?subject={id}"),
            Some(inst.key("auditor")),
            None,
        )
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "subject.create",
        "subject.read",
        "subject.lookup",
        "subject.update",
        "subject.event",
        "subject.disclosure",
        "subject.erase",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let read = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "subject.read" && e["purpose"] == "live_chat")
        .unwrap();
    assert!(
        read["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "user.financial.credit_card")
    );
    assert!(!audit.to_string().to_lowercase().contains("camille"));
    let verify = inst.cli(&["audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn bad_input_names_the_field() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let cases = [
        (
            json!({"kind": "customer", "data": {"user.contact.email": "not-an-address"}}),
            "data.user.contact.email",
        ),
        (
            json!({"kind": "customer", "data": {"user.contact.phone_number": "12"}}),
            "data.user.contact.phone_number",
        ),
        (
            json!({"kind": "customer", "data": {"user.shoe_size": "42"}}),
            "data.user.shoe_size",
        ),
        (json!({"kind": "alien", "data": {}}), "kind"),
        (
            json!({"kind": "customer", "data": {"user.financial.credit_card.security_code": "123"}}),
            "data.user.financial.credit_card.security_code",
        ),
        (
            json!({"kind": "customer", "data": {"user.name.first": "x".repeat(20_000)}}),
            "data.user.name.first",
        ),
        (
            json!({"kind": "customer", "data": {"user.demographic.date_of_birth": "02/04/1990"}}),
            "data.user.demographic.date_of_birth",
        ),
        (
            json!({"kind": "customer", "data": {"user.demographic.date_of_birth": "2999-01-01"}}),
            "data.user.demographic.date_of_birth",
        ),
        (
            json!({"kind": "customer", "data": {}, "nickname": "x"}),
            "body",
        ),
    ];
    for (body, field) in cases {
        let r = s.call("POST", "/v1/subjects", Some(dpo), Some(&body.to_string()));
        assert!(
            r.status == 422 || r.status == 400,
            "{field}: {} {}",
            r.status,
            r.body
        );
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with(field), "{field}: {detail}");
        // The value is never echoed back.
        assert!(
            !detail.contains("xxxxxxxxxx") && !detail.contains("not-an-address"),
            "{detail}"
        );
    }
    let r = s.call("POST", "/v1/subjects", Some(dpo), Some("{not json"));
    assert_eq!(r.status, 400);
    let r = s.call(
        "GET",
        "/v1/subjects?email=a@b.example&phone=%2B33612345678",
        Some(dpo),
        None,
    );
    assert_eq!(r.status, 400);
    // A role may not write categories it may not read.
    let r = s.call(
        "POST",
        "/v1/subjects",
        Some(inst.key("support")),
        Some(&new_customer("x@example.org")),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("user.financial.credit_card")
    );
}

#[test]
fn children_need_parental_consent() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    // The server under test runs on the wall clock.
    #[allow(clippy::disallowed_methods)]
    let today = time::OffsetDateTime::now_utc().date();
    let fourteen = today.replace_year(today.year() - 14).unwrap_or(today);
    let body = |jurisdiction: &str| {
        json!({"kind": "user", "jurisdiction": jurisdiction, "data": {"user.demographic.date_of_birth": fourteen.to_string()}}).to_string()
    };
    // 14 is below France's 15 but not below the US's 13.
    let child = create(s, dpo, &body("FR"));
    let adult = create(s, dpo, &body("US"));
    let v: Value = s
        .call("GET", &format!("/v1/subjects/{child}"), Some(dpo), None)
        .json();
    assert_eq!(
        (
            v["age_status"].as_str(),
            v["needs_parental_consent"].as_bool()
        ),
        (Some("child"), Some(true))
    );
    let v: Value = s
        .call("GET", &format!("/v1/subjects/{adult}"), Some(dpo), None)
        .json();
    assert_eq!(v["age_status"], "adult");
    let declared = create(
        s,
        dpo,
        &json!({"kind": "user", "declared_age": 14, "data": {}}).to_string(),
    );
    assert_eq!(
        s.call("GET", &format!("/v1/subjects/{declared}"), Some(dpo), None)
            .json()["age_status"],
        "child"
    );

    assert_eq!(
        s.call(
            "POST",
            &format!("/v1/subjects/{adult}/parental-consent"),
            Some(dpo),
            None
        )
        .status,
        422
    );
    assert_eq!(
        s.call(
            "POST",
            &format!("/v1/subjects/{child}/parental-consent"),
            Some(dpo),
            None
        )
        .status,
        204
    );
    let v: Value = s
        .call("GET", &format!("/v1/subjects/{child}"), Some(dpo), None)
        .json();
    assert_eq!(v["needs_parental_consent"], false);
    assert!(v["parental_consent_at"].is_string());
}

/// Retention phases filter reads: the customers rule keeps the account data active
/// for 90 days and 3 years after the account is closed, then in an archive only the
/// DPO and accounting may read for 5 years, then only the DPO sees it, pending the
/// sweep's deletion.
#[test]
fn archived_and_expired_categories_are_withheld_by_role() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    // The server under test runs on the wall clock.
    #[allow(clippy::disallowed_methods)]
    let now = time::OffsetDateTime::now_utc();
    let closed_since = |days: i64, email: &str| {
        let id = create(s, dpo, &new_customer(email));
        let at = (now - time::Duration::days(days))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let body = json!({"event": "account_closed", "at": at}).to_string();
        let r = s.call(
            "POST",
            &format!("/v1/subjects/{id}/events"),
            Some(dpo),
            Some(&body),
        );
        assert!(r.status == 201 || r.status == 204, "{}", r.body);
        id
    };
    let recent = closed_since(10, "recent@example.org");
    let archived = closed_since(4 * 365, "archived@example.org");
    let expired = closed_since(9 * 365, "expired@example.org");
    let email_seen_by = |role: &str, id: &str| {
        let r = s.call(
            "GET",
            &format!("/v1/subjects/{id}"),
            Some(inst.key(role)),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["data"].get("user.contact.email").is_some()
    };

    assert!(email_seen_by("support", &recent));
    assert!(email_seen_by("dpo", &recent));
    // In the archive phase: support loses it, the phase's readers keep it.
    assert!(!email_seen_by("support", &archived));
    assert!(email_seen_by("dpo", &archived));
    assert!(email_seen_by("accounting", &archived));
    // Past the archive: only the DPO, until the sweep deletes it.
    assert!(!email_seen_by("support", &expired));
    assert!(!email_seen_by("accounting", &expired));
    assert!(email_seen_by("dpo", &expired));
    // The card is under another rule (proof of payment after a debit): untouched.
    let card = s
        .call(
            "GET",
            &format!("/v1/subjects/{expired}"),
            Some(inst.key("accounting")),
            None,
        )
        .json();
    assert_eq!(card["data"]["user.financial.credit_card"], CARD, "{card}");
}
