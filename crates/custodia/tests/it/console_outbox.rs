//! Outbox failures on the dashboard (issue 17): a letter the SMTP server refuses for
//! good is counted and listed with a link to its request, for the roles that handle
//! requests only, and the listing carries no address.

use crate::console::{page_of, sign_in};
use crate::rights::desk;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_letter_refused_for_good_shows_on_the_dashboard_of_those_who_handle_requests() {
    let d = desk();
    let inst = &d.install;
    let address = "gone-for-good@example.org";
    d.mail.server.refuse(address, 550);
    let (dpo, _) = sign_in(inst, "dpo", "");
    let home = page_of(inst, &dpo.cookie, "/console");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.body
            .contains("Every letter and notice was delivered or is still being tried."),
        "{}",
        home.body
    );

    let r = d.call(
        "POST",
        "/v1/requests",
        None,
        Some(json!({"kind": "access", "email": address})),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // A 5xx reply is permanent: the code letter fails at its first attempt.
    let started = Instant::now();
    loop {
        let r = d.call(
            "GET",
            &format!("/v1/requests/{id}/deliveries"),
            Some("dpo"),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        if r.body.contains("\"failed\"") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the letter never failed: {}",
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let home = page_of(inst, &dpo.cookie, "/console");
    assert!(
        home.body.contains("<strong class=\"flag late\">1</strong>"),
        "{}",
        home.body
    );
    let link = format!("<a href=\"/console/requests/{id}\">{id}</a>");
    assert!(home.body.contains(&link), "{}", home.body);
    assert!(
        home.body
            .contains("permanent delivery failure: the SMTP server replied 550"),
        "{}",
        home.body
    );
    assert!(!home.body.contains("gone-for-good"), "no address shown");

    // `support` handles requests (the register's rights.handlers): it sees them too.
    let (support, _) = sign_in(inst, "support", "");
    let home = page_of(inst, &support.cookie, "/console");
    assert!(home.body.contains(&link), "{}", home.body);

    // The auditor and the admin may not see requests: no section, no request id.
    for role in ["auditor", "admin"] {
        let (session, _) = sign_in(inst, role, "");
        let home = page_of(inst, &session.cookie, "/console");
        assert_eq!(home.status, 200, "{role}: {}", home.body);
        assert!(
            !home.body.contains("Messages not delivered") && !home.body.contains(&id),
            "{role}: {}",
            home.body
        );
    }
}
