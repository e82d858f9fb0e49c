//! The dashboard's figures (issue 17): consents per purpose and week as a chart with
//! its numbers in a table and the banner rate for the DPO only, and the latest audit
//! verification for the roles that read the log.

use crate::console::{page_of, sign_in};
use crate::install::install;
use crate::statistics::{consent, subject};
use crate::support::post_form as form;
use crate::support::request;

#[test]
fn the_dpo_dashboard_shows_consents_per_week_as_a_chart_and_a_table() {
    let inst = install(None);
    let subjects: Vec<String> = (0..3).map(|n| subject(&inst, n)).collect();
    for id in &subjects {
        consent(&inst, id, "newsletter", "given");
    }
    consent(&inst, &subjects[0], "newsletter", "withdrawn");
    let (dpo, _) = sign_in(&inst, "dpo", "");
    let home = page_of(&inst, &dpo.cookie, "/console");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("<h3>newsletter</h3>"), "{}", home.body);
    // This week's row: 3 given, none refused, 1 withdrawn; earlier weeks are zeros.
    assert!(
        home.body
            .contains("</th><td>3</td><td>0</td><td>1</td></tr>"),
        "{}",
        home.body
    );
    assert_eq!(
        home.body
            .matches("</th><td>0</td><td>0</td><td>0</td></tr>")
            .count(),
        11,
        "{}",
        home.body
    );
    assert!(
        home.body
            .contains("src=\"/console/charts/consents.svg?purpose=newsletter\""),
        "{}",
        home.body
    );
    // API consents are no banner choices.
    assert!(
        home.body.contains("<strong>0&nbsp;%</strong>"),
        "{}",
        home.body
    );
    let chart = page_of(
        &inst,
        &dpo.cookie,
        "/console/charts/consents.svg?purpose=newsletter",
    );
    assert_eq!(chart.status, 200, "{}", chart.body);
    assert!(chart.body.contains("<svg"), "{}", chart.body);
    assert!(
        !chart.body.contains("newsletter"),
        "a chart carries no text"
    );
    let banner = page_of(&inst, &dpo.cookie, "/console/charts/banner.svg");
    assert_eq!(banner.status, 200, "{}", banner.body);

    // The DPO sees the audit verification too; after "Verify now" it is reported.
    assert!(
        home.body.contains("has not been verified yet"),
        "{}",
        home.body
    );
    let done = form(
        &inst.server().url("/console/audit/verify"),
        &dpo.cookie,
        &format!("csrf={}", dpo.csrf),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let again = page_of(&inst, &dpo.cookie, "/console");
    assert!(
        again.body.contains("Last verified") && again.body.contains("entries intact)"),
        "{}",
        again.body
    );

    // An auditor sees the verification but no statistics, and gets no chart.
    let (auditor, _) = sign_in(&inst, "auditor", "");
    let home = page_of(&inst, &auditor.cookie, "/console");
    assert!(home.body.contains("Last verified"), "{}", home.body);
    assert!(!home.body.contains("newsletter"), "{}", home.body);
    let refused = request(
        "GET",
        &inst.server().url("/console/charts/banner.svg"),
        &[("cookie", &auditor.cookie)],
        None,
    );
    assert_eq!(refused.status, 403);
}
