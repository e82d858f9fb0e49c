//! A person's page in the console (issue 17): the rights requests naming them and
//! the retention phase of each category, each only for the roles that may see it,
//! through the same permission and audit as the queue and the plan.

use crate::console::{page_of, sign_in};
use crate::rights::desk;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

/// The server under test runs on the system clock, so these checks read it too.
#[allow(clippy::disallowed_methods)]
fn wall_clock() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[test]
fn a_persons_page_shows_their_requests_and_the_retention_of_each_category() {
    let d = desk();
    let inst = &d.install;
    let id = d.create(
        "customer",
        json!({"user.contact.email": "kept@example.org", "user.behavior.purchase_history": "3 orders"}),
    );
    // A purchase 400 days ago: the transactions rule archives it after a year
    // (readable by accounting and the DPO) and deletes it four years later.
    let mut bought = wall_clock() - time::Duration::days(400);
    if (bought.month(), bought.day()) == (time::Month::February, 29) {
        bought -= time::Duration::days(1);
    }
    let delete_on = bought.replace_year(bought.year() + 5).unwrap().date();
    // Closed 10 days ago: the customers rule keeps the account data active 90 days
    // and 3 years, then archives it.
    let closed = wall_clock() - time::Duration::days(10);
    for (event, at) in [("transaction", bought), ("account_closed", closed)] {
        let r = d.call(
            "POST",
            &format!("/v1/subjects/{id}/events"),
            Some("dpo"),
            Some(json!({"event": event, "at": at.format(&Rfc3339).unwrap()})),
        );
        assert_eq!(r.status, 204, "{}", r.body);
    }
    let archive_on = plus_90_days_3_years(closed);
    let hold = d.call(
        "POST",
        "/v1/retention/holds",
        Some("dpo"),
        Some(json!({"subject_id": id, "reason": "case 2026-7"})),
    );
    assert_eq!(hold.status, 201, "{}", hold.body);
    let request = d.submit_verified(json!({"kind": "access", "email": "kept@example.org"}));
    // A request of someone else is not listed.
    let other = d.submit_verified(json!({"kind": "access", "email": "other@example.org"}));

    let (dpo, _) = sign_in(inst, "dpo", "");
    let page = page_of(
        inst,
        &dpo.cookie,
        &format!("/console/subjects/{id}?purpose=contact"),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("Rights requests"), "{body}");
    assert!(
        body.contains(&format!("href=\"/console/requests/{request}\"")),
        "{body}"
    );
    assert!(!body.contains(&other), "{body}");
    assert!(body.contains("Verified"), "{body}");
    assert!(body.contains("Retention of each category"), "{body}");
    let kept = &body[body.find("Retention of each category</h2>").unwrap()..];
    let row = |category: &str| {
        let start = kept
            .find(&format!("<tr><td>{category}</td>"))
            .unwrap_or_else(|| panic!("no retention row for {category}: {body}"));
        let end = start + kept[start..].find("</tr>").unwrap();
        kept[start..end].to_owned()
    };
    let purchases = row("user.behavior.purchase_history");
    assert!(
        purchases.contains("Archived (readable by accounting, dpo)"),
        "{purchases}"
    );
    assert!(
        purchases.contains(&format!("datetime=\"{delete_on}\""))
            && purchases.contains("delete on")
            && purchases.contains("(rule transactions)"),
        "{purchases}"
    );
    assert!(
        purchases.contains("suspended by a legal hold"),
        "{purchases}"
    );
    let email = row("user.contact.email");
    assert!(email.contains("In active use"), "{email}");
    assert!(
        email.contains(&format!("datetime=\"{archive_on}\""))
            && email.contains("archive on")
            && email.contains("(rule customers)"),
        "{email}"
    );
    assert!(
        !email.contains("legal hold"),
        "archiving is never held: {email}"
    );

    // Both reads audited under the DPO's name, naming the person.
    let audit = d
        .call(
            "GET",
            &format!("/v1/audit?subject={id}"),
            Some("auditor"),
            None,
        )
        .json();
    let by_staff =
        |action: &str| {
            audit.as_array().unwrap().iter().any(|e| {
                e["action"] == action && e["principal"].as_str().unwrap().starts_with("user:")
            })
        };
    assert!(by_staff("request.list"), "{audit}");
    assert!(by_staff("retention.plan"), "{audit}");

    // In French too.
    let fr = page_of(
        inst,
        &dpo.cookie,
        &format!("/console/subjects/{id}?purpose=contact&lang=fr"),
    );
    assert!(
        fr.body.contains("Demandes d&#39;exercice de droits")
            && fr.body.contains("En usage courant"),
        "{}",
        fr.body
    );
}

#[test]
fn each_part_of_a_persons_page_is_only_for_the_roles_that_may_see_it() {
    let d = desk();
    let inst = &d.install;
    let id = d.create(
        "customer",
        json!({"user.contact.email": "roles@example.org"}),
    );
    let request = d.submit_verified(json!({"kind": "access", "email": "roles@example.org"}));
    // A request handler sees the requests, not the retention plan.
    let (support, _) = sign_in(inst, "support", "");
    let page = page_of(inst, &support.cookie, &format!("/console/subjects/{id}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("href=\"/console/requests/{request}\"")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Retention of each category"));
    // A role that reads data but handles no requests sees neither.
    let (sales, _) = sign_in(inst, "sales", "");
    let page = page_of(inst, &sales.cookie, &format!("/console/subjects/{id}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("Rights requests"), "{}", page.body);
    assert!(!page.body.contains(&request));
    assert!(!page.body.contains("Retention of each category"));
    // Neither was refused (and audited as refused): the page does not ask.
    let audit = d.call(
        "GET",
        &format!("/v1/audit?subject={id}"),
        Some("auditor"),
        None,
    );
    assert!(!audit.body.contains("denied"), "{}", audit.body);
}

/// `at` + P90D then + P3Y, the customers rule's active phases (calendar years).
pub(crate) fn plus_90_days_3_years(at: time::OffsetDateTime) -> time::Date {
    let d = (at + time::Duration::days(90)).date();
    time::Date::from_calendar_date(d.year() + 3, d.month(), d.day())
        .unwrap_or_else(|_| time::Date::from_calendar_date(d.year() + 3, d.month(), 28).unwrap())
}

/// Requests and retention on a person's page, with an installation of either store.
fn requests_and_retention_on(inst: &crate::install::Install) {
    let s = inst.server();
    let dpo_key = inst.key("dpo");
    let r = s.call(
        "POST",
        "/v1/subjects",
        Some(dpo_key),
        Some(
            &json!({"kind": "customer", "data": {"user.contact.email": "store@example.org"}})
                .to_string(),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let closed = wall_clock() - time::Duration::days(1);
    let r = s.call(
        "POST",
        &format!("/v1/subjects/{id}/events"),
        Some(dpo_key),
        Some(
            &json!({"event": "account_closed", "at": closed.format(&Rfc3339).unwrap()}).to_string(),
        ),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    // Not verified yet: it names the person all the same.
    let r = s.call(
        "POST",
        "/v1/requests",
        None,
        Some(&json!({"kind": "erasure", "email": "store@example.org"}).to_string()),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let request = r.json()["id"].as_str().unwrap().to_owned();
    let (dpo, _) = sign_in(inst, "dpo", "");
    let page = page_of(inst, &dpo.cookie, &format!("/console/subjects/{id}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("href=\"/console/requests/{request}\"")),
        "{}",
        page.body
    );
    let archive_on = plus_90_days_3_years(closed);
    assert!(
        page.body.contains(&format!("datetime=\"{archive_on}\"")),
        "{}",
        page.body
    );
}

#[test]
fn a_persons_page_reads_requests_by_subject_on_sqlite() {
    requests_and_retention_on(&crate::install::install(None));
}

#[test]
fn a_persons_page_reads_requests_by_subject_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    requests_and_retention_on(&crate::install::install(Some(url)));
}
