//! The breach register in the console (issue 17) through the real binary: a breach
//! recorded through the form, its 72-hour clock on the register and the dashboard,
//! the authority decision, and an auditor who reads but may not act.

use crate::console::{page_of, sign_in};
use crate::rights::desk;

/// The server under test runs on the system clock, so the form's time reads it too.
#[allow(clippy::disallowed_methods)]
fn minutes_ago(minutes: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes);
    format!("{}T{:02}:{:02}", t.date(), t.hour(), t.minute())
}

fn breach_form(csrf: &str, aware_at: &str) -> String {
    format!(
        "csrf={csrf}&aware_at={}&nature=confidentiality&nature=availability\
         &description={}&categories=user.contact.email&approx_people=2&approx_records=3\
         &consequences={}&measures={}&subject_ids=",
        crate::support::form_encode(aware_at),
        crate::support::form_encode("A laptop holding a customer export was stolen."),
        crate::support::form_encode("Phishing aimed at the customers concerned."),
        crate::support::form_encode("Passwords rotated."),
    )
}

#[test]
fn a_dpo_records_a_breach_through_the_form_and_sees_its_clock() {
    let d = desk();
    let inst = &d.install;
    let (dpo, _) = sign_in(inst, "dpo", "");
    let list = page_of(inst, &dpo.cookie, "/console/breaches");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("No breach is recorded."));
    assert!(
        list.body.contains("href=\"/console/breaches\""),
        "nav entry"
    );
    let url = inst.server().url("/console/breaches");
    // Aware 90 minutes ago (to the minute): 70 whole hours left.
    let body = breach_form(&dpo.csrf, &minutes_ago(90));
    let forged = body.replace(&format!("csrf={}", dpo.csrf), "csrf=forged");
    assert_eq!(
        crate::support::post_form(&url, &dpo.cookie, &forged).status,
        403,
        "wrong CSRF"
    );
    let ok = crate::support::post_form(&url, &dpo.cookie, &body);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let location = ok.header("location").unwrap().to_owned();
    let id = location
        .strip_prefix("/console/breaches/")
        .and_then(|l| l.strip_suffix("?done=recorded"))
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned();
    // The same breach through the API: both natures, the category, the counts.
    let api = d.call("GET", &format!("/v1/breaches/{id}"), Some("auditor"), None);
    assert_eq!(api.status, 200, "{}", api.body);
    let b = api.json();
    assert_eq!(
        b["nature"],
        serde_json::json!(["confidentiality", "availability"])
    );
    assert_eq!(b["categories"], serde_json::json!(["user.contact.email"]));
    assert_eq!(b["approx_records"], 3);
    assert_eq!(b["hours_left"], 70, "{b}");
    let list = page_of(inst, &dpo.cookie, "/console/breaches");
    assert!(list.body.contains(&format!("/console/breaches/{id}")));
    assert!(list.body.contains("70 hours left"), "{}", list.body);
    let home = page_of(inst, &dpo.cookie, "/console");
    assert!(home.body.contains("Open breaches"), "{}", home.body);
    assert!(home.body.contains("70 hours left"), "{}", home.body);
    let page = page_of(inst, &dpo.cookie, &location);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("70 hours left"));
    assert!(
        page.body
            .contains(&format!("/v1/breaches/{id}/timeline?format=csv"))
    );
    // Invalid input comes back as the core's message, nothing recorded.
    let bad = crate::support::post_form(
        &url,
        &dpo.cookie,
        &body.replace("nature=availability", "nature=heat"),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("nature"), "{}", bad.body);
}

#[test]
fn a_dpo_records_the_authority_decision_and_the_clock_stops() {
    let d = desk();
    let inst = &d.install;
    let (dpo, _) = sign_in(inst, "dpo", "");
    let ok = crate::support::post_form(
        &inst.server().url("/console/breaches"),
        &dpo.cookie,
        &breach_form(&dpo.csrf, &minutes_ago(90)),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let location = ok.header("location").unwrap().to_owned();
    let path = location.split('?').next().unwrap().to_owned();
    let decided = crate::support::post_form(
        &inst.server().url(&path),
        &dpo.cookie,
        &format!(
            "csrf={}&action=notified&reference=CNIL-2026-0042&notified_at=&late_reason=",
            dpo.csrf
        ),
    );
    assert_eq!(decided.status, 303, "{}", decided.body);
    assert_eq!(
        decided.header("location"),
        Some(format!("{path}?done=notified").as_str())
    );
    let page = page_of(inst, &dpo.cookie, &path);
    assert!(page.body.contains("CNIL-2026-0042"), "{}", page.body);
    assert!(page.body.contains("Authority decision recorded"));
    assert!(
        !page.body.contains("name=\"reference\""),
        "the form is gone"
    );
    let id = path.rsplit('/').next().unwrap();
    let b = d
        .call("GET", &format!("/v1/breaches/{id}"), Some("dpo"), None)
        .json();
    assert_eq!(b["hours_left"], serde_json::Value::Null, "{b}");
    assert_eq!(b["authority"]["notified"], true, "{b}");
    assert_eq!(b["authority"]["reference"], "CNIL-2026-0042", "{b}");
    // A second decision is refused by the core, shown as its conflict.
    let again = crate::support::post_form(
        &inst.server().url(&path),
        &dpo.cookie,
        &format!("csrf={}&action=not_notified&reason=none", dpo.csrf),
    );
    assert_eq!(again.status, 409, "{}", again.body);
    // The timeline lists the decision, by the signed-in user.
    let events = d
        .call(
            "GET",
            &format!("/v1/breaches/{id}/timeline"),
            Some("dpo"),
            None,
        )
        .json();
    let authority = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "authority")
        .unwrap_or_else(|| panic!("{events}"));
    assert!(
        authority["principal"]
            .as_str()
            .unwrap()
            .starts_with("user:"),
        "{authority}"
    );
    // Closed: off the dashboard, still in the register.
    let closed = crate::support::post_form(
        &inst.server().url(&path),
        &dpo.cookie,
        &format!("csrf={}&action=close", dpo.csrf),
    );
    assert_eq!(closed.status, 303, "{}", closed.body);
    let home = page_of(inst, &dpo.cookie, "/console");
    assert!(home.body.contains("No breach is open."), "{}", home.body);
}

#[test]
fn an_auditor_reads_the_register_but_gets_no_forms() {
    let d = desk();
    let inst = &d.install;
    let (dpo, _) = sign_in(inst, "dpo", "");
    let ok = crate::support::post_form(
        &inst.server().url("/console/breaches"),
        &dpo.cookie,
        &breach_form(&dpo.csrf, &minutes_ago(90)),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let path = ok
        .header("location")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (auditor, _) = sign_in(inst, "auditor", "");
    for page in ["/console/breaches", path.as_str()] {
        let r = page_of(inst, &auditor.cookie, page);
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        assert!(r.body.contains("70 hours left"), "{page}");
        assert!(
            !r.body
                .contains("<form method=\"post\" action=\"/console/breaches"),
            "{page}: {}",
            r.body
        );
    }
    let home = page_of(inst, &auditor.cookie, "/console");
    assert!(home.body.contains("Open breaches"));
    let refused = crate::support::post_form(
        &inst.server().url("/console/breaches"),
        &auditor.cookie,
        &breach_form(&auditor.csrf, &minutes_ago(90)),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = crate::support::post_form(
        &inst.server().url(&path),
        &auditor.cookie,
        &format!("csrf={}&action=close", auditor.csrf),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    // Support reads no breach: no nav entry, a refusal page, nothing on the dashboard.
    let (support, _) = sign_in(inst, "support", "");
    let home = page_of(inst, &support.cookie, "/console");
    assert!(!home.body.contains("/console/breaches"), "{}", home.body);
    assert_eq!(
        page_of(inst, &support.cookie, "/console/breaches").status,
        403
    );
}

#[test]
fn a_dpo_informs_the_people_by_email_and_each_gets_a_letter() {
    let d = desk();
    let inst = &d.install;
    let ann = d.create(
        "customer",
        serde_json::json!({"user.contact.email": "ann.console-breach@example.org"}),
    );
    let (dpo, _) = sign_in(inst, "dpo", "");
    let body = breach_form(&dpo.csrf, &minutes_ago(30))
        .replace("subject_ids=", &format!("subject_ids={ann}"));
    let ok = crate::support::post_form(&inst.server().url("/console/breaches"), &dpo.cookie, &body);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let path = ok
        .header("location")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // Art. 34(3) reasons are offered; informing by e-mail queues one letter each.
    let page = page_of(inst, &dpo.cookie, &path);
    assert!(
        page.body.contains("value=\"unintelligible\""),
        "{}",
        page.body
    );
    let told = crate::support::post_form(
        &inst.server().url(&path),
        &dpo.cookie,
        &format!("csrf={}&action=inform&channel=email&informed_at=", dpo.csrf),
    );
    assert_eq!(told.status, 303, "{}", told.body);
    let page = page_of(inst, &dpo.cookie, &path);
    assert!(
        page.body
            .contains("1 letters queued; 0 people without an e-mail address"),
        "{}",
        page.body
    );
    let letter = d.mail.wait_for("ann.console-breach@example.org", |l| {
        l.subject.contains("breach")
    });
    assert!(
        letter
            .text
            .contains("A laptop holding a customer export was stolen.")
    );
}
