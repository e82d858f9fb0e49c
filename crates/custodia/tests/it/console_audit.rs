//! The audit log's verification and action filter in the console (issue 17):
//! "Verify now" runs what `custodia audit verify` runs and is audited like it.

use crate::console::{page_of, sign_in};
use crate::rights::desk;
use crate::support::post_form as form;
use serde_json::json;

#[test]
fn verify_now_records_an_audit_verify_entry_and_the_page_shows_it() {
    let d = desk();
    let inst = &d.install;
    d.create("customer", json!({"user.contact.email": "v@example.org"}));
    let (auditor, _) = sign_in(inst, "auditor", "");
    let before = page_of(inst, &auditor.cookie, "/console/audit");
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(
        before.body.contains("has not been verified yet"),
        "{}",
        before.body
    );
    let url = inst.server().url("/console/audit/verify");
    // Without the session's CSRF token nothing is verified.
    let forged = form(&url, &auditor.cookie, "csrf=nope");
    assert_eq!(forged.status, 403, "{}", forged.body);
    let done = form(&url, &auditor.cookie, &format!("csrf={}", auditor.csrf));
    assert_eq!(done.status, 303, "{}", done.body);
    let after = page_of(inst, &auditor.cookie, "/console/audit");
    assert!(
        after.body.contains("Last verified") && after.body.contains("<strong>intact</strong>"),
        "{}",
        after.body
    );
    assert!(after.body.contains("entries intact)"), "{}", after.body);
    let log = d.call("GET", "/v1/audit", Some("auditor"), None).json();
    let verified: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "audit.verify")
        .collect();
    assert_eq!(verified.len(), 1, "{log}");
    assert_eq!(verified[0]["outcome"], "ok");
    assert!(
        verified[0]["principal"]
            .as_str()
            .unwrap()
            .starts_with("user:")
    );
    // A role without the audit permission cannot verify.
    let (support, _) = sign_in(inst, "support", "");
    let refused = form(&url, &support.cookie, &format!("csrf={}", support.csrf));
    assert_eq!(refused.status, 403, "{}", refused.body);
}

#[test]
fn the_audit_log_is_filtered_by_action() {
    let d = desk();
    let inst = &d.install;
    d.create("customer", json!({"user.contact.email": "f@example.org"}));
    let (dpo, _) = sign_in(inst, "dpo", "");
    let keys = page_of(inst, &dpo.cookie, "/console/audit?action=apikey.create");
    assert_eq!(keys.status, 200, "{}", keys.body);
    assert!(
        keys.body.contains("<td>apikey.create</td>")
            && !keys.body.contains("<td>subject.create</td>"),
        "{}",
        keys.body
    );
    assert!(
        keys.body
            .contains("<option value=\"apikey.create\" selected>"),
        "{}",
        keys.body
    );
    let bad = page_of(inst, &dpo.cookie, "/console/audit?action=nonsense");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("action: not an audit action"),
        "{}",
        bad.body
    );
}
