//! The staff console (issue 17) through the real binary: sign-in redirects, the
//! pages each role reaches, request steps as forms with the session's CSRF token.

use crate::install::Install;
use crate::rights::desk;
use crate::support::{Response, request};
use serde_json::json;

/// A staff session: the cookie to send and the CSRF token the console's forms carry.
pub(crate) struct Session {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

pub(crate) fn set_cookie(r: &Response, name: &str) -> String {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers))
}

pub(crate) fn form(url: &str, cookie: &str, body: &str) -> Response {
    request(
        "POST",
        url,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", cookie),
        ],
        Some(body),
    )
}

pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A staff user of `role`, signed in through `/login` with `extra` cookies sent
/// along (the console's return path); returns the session and the sign-in answer.
pub(crate) fn sign_in(inst: &Install, role: &str, extra: &str) -> (Session, Response) {
    let email = format!("{role}-console@example.org");
    let added = inst.cli(&["users", "add", "--email", &email, "--role", role]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let password = String::from_utf8(added.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): ").map(str::to_owned))
        .unwrap();
    let s = inst.server();
    let page = s.get("/login");
    let login_cookie = set_cookie(&page, "custodia_login_csrf");
    let csrf = login_cookie.split_once('=').unwrap().1.to_owned();
    let cookies = if extra.is_empty() {
        login_cookie.clone()
    } else {
        format!("{login_cookie}; {extra}")
    };
    let ok = form(
        &s.url("/login"),
        &cookies,
        &format!(
            "email={}&password={}&csrf={csrf}",
            enc(&email),
            enc(&password)
        ),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let cookie = set_cookie(&ok, "custodia_session");
    let console = page_of(inst, &cookie, "/console");
    assert_eq!(console.status, 200, "{}", console.body);
    let csrf = console
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (Session { cookie, csrf }, ok)
}

pub(crate) fn page_of(inst: &Install, cookie: &str, path: &str) -> Response {
    request("GET", &inst.server().url(path), &[("cookie", cookie)], None)
}

#[test]
fn console_needs_a_session_and_returns_to_the_page_asked_after_sign_in() {
    let d = desk();
    let inst = &d.install;
    let s = inst.server();
    let r = s.get("/console/requests?status=verified");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/login?next=/console/requests%3Fstatus%3Dverified")
    );
    let next = set_cookie(&r, "custodia_next");
    // A return path outside the console is ignored.
    let (_, elsewhere) = sign_in(
        inst,
        "support",
        "custodia_next=https%3A%2F%2Fevil.example%2F",
    );
    assert_eq!(elsewhere.header("location"), Some("/account"));
    let (session, ok) = sign_in(inst, "dpo", &next);
    assert_eq!(
        ok.header("location"),
        Some("/console/requests?status=verified")
    );
    // The console's own stylesheet, and a policy that lets pages load only it.
    let page = page_of(inst, &session.cookie, "/console/requests");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/console/assets/console.css"));
    assert!(!page.body.contains("<script"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("style-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let css = s.get("/console/assets/console.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    // French by the browser's languages.
    let fr = request(
        "GET",
        &s.url("/console/requests"),
        &[("cookie", &session.cookie), ("accept-language", "fr")],
        None,
    );
    assert!(
        fr.body.contains("<html lang=\"fr\">") && fr.body.contains("Demandes"),
        "{}",
        fr.body
    );
}

#[test]
fn a_dpo_completes_an_access_request_through_the_forms() {
    let d = desk();
    let inst = &d.install;
    let s = inst.server();
    d.create(
        "customer",
        json!({"user.contact.email": "console@example.org"}),
    );
    let id = d.submit_verified(json!({"kind": "access", "email": "console@example.org"}));
    let (dpo, _) = sign_in(inst, "dpo", "");

    let queue = page_of(inst, &dpo.cookie, "/console/requests?kind=access&open=1");
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert!(
        queue.body.contains(&format!("/console/requests/{id}")),
        "{}",
        queue.body
    );
    let none = page_of(inst, &dpo.cookie, "/console/requests?kind=erasure");
    assert!(!none.body.contains(&format!("/console/requests/{id}")));

    let page = page_of(inst, &dpo.cookie, &format!("/console/requests/{id}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("console@example.org") && page.body.contains("Verified"));

    // A form without the session's token is refused and changes nothing.
    let url = s.url(&format!("/console/requests/{id}"));
    let forged = form(&url, &dpo.cookie, "action=complete");
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("role=\"alert\""), "{}", forged.body);
    let wrong = form(&url, &dpo.cookie, "action=complete&csrf=nope");
    assert_eq!(wrong.status, 403);
    assert_eq!(d.request(&id)["status"], "verified");

    // A refused step shows the core's message on a page.
    let extend = form(
        &url,
        &dpo.cookie,
        &format!("action=extend&reason=&csrf={}", dpo.csrf),
    );
    assert_eq!(extend.status, 422, "{}", extend.body);
    assert!(
        extend.body.contains("role=\"alert\"") && extend.body.contains("reason"),
        "{}",
        extend.body
    );

    let done = form(
        &url,
        &dpo.cookie,
        &format!("action=complete&csrf={}", dpo.csrf),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some(format!("/console/requests/{id}?done=complete").as_str())
    );
    assert_eq!(d.request(&id)["status"], "completed");
    let after = page_of(
        inst,
        &dpo.cookie,
        &format!("/console/requests/{id}?done=complete"),
    );
    assert!(
        after.body.contains("role=\"status\"") && after.body.contains("Completed"),
        "{}",
        after.body
    );
    assert!(after.body.contains("This request is closed."));

    // The steps are audited as the API's are, under the staff member's name.
    let audit = d
        .call("GET", "/v1/audit?limit=1000", Some("auditor"), None)
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["principal"].as_str().unwrap_or("").starts_with("user:"))
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "request.list",
        "request.read",
        "request.complete",
        "auth.csrf",
    ] {
        assert!(actions.contains(&action), "{action} not in {actions:?}");
    }
}

#[test]
fn an_auditor_reaches_no_request_page() {
    let d = desk();
    let inst = &d.install;
    d.create(
        "customer",
        json!({"user.contact.email": "hidden@example.org"}),
    );
    let id = d.submit_verified(json!({"kind": "access", "email": "hidden@example.org"}));
    let (auditor, _) = sign_in(inst, "auditor", "");
    let home = page_of(inst, &auditor.cookie, "/console");
    assert!(
        !home.body.contains("href=\"/console/requests\""),
        "the nav shows only reachable areas"
    );
    for path in [
        "/console/requests".to_owned(),
        format!("/console/requests/{id}"),
    ] {
        let r = page_of(inst, &auditor.cookie, &path);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("role=\"alert\""));
        assert!(!r.body.contains("hidden@example.org"));
    }
}

#[test]
fn a_search_is_audited_with_its_purpose_and_opens_the_subject() {
    let d = desk();
    let inst = &d.install;
    let id = d.create(
        "customer",
        json!({"user.contact.email": "found@example.org"}),
    );
    let (dpo, _) = sign_in(inst, "dpo", "");
    let search = page_of(inst, &dpo.cookie, "/console/subjects");
    assert_eq!(search.status, 200, "{}", search.body);
    assert!(
        search.body.contains("value=\"contact\""),
        "the register's purposes are offered"
    );
    // A search without a purpose is refused.
    let bare = page_of(
        inst,
        &dpo.cookie,
        "/console/subjects?by=email&value=found%40example.org",
    );
    assert_eq!(bare.status, 400, "{}", bare.body);
    let found = page_of(
        inst,
        &dpo.cookie,
        "/console/subjects?by=email&value=found%40example.org&purpose=contact",
    );
    assert_eq!(found.status, 200, "{}", found.body);
    let link = format!("/console/subjects/{id}?purpose=contact");
    assert!(found.body.contains(&link), "{}", found.body);
    let subject = page_of(inst, &dpo.cookie, &link);
    assert_eq!(subject.status, 200, "{}", subject.body);
    assert!(
        subject.body.contains("found@example.org") && subject.body.contains("user.contact.email")
    );
    assert!(
        subject
            .body
            .contains(&format!("/v1/subjects/{id}/consents/export"))
    );

    let audit = d
        .call(
            "GET",
            &format!("/v1/audit?subject={id}"),
            Some("auditor"),
            None,
        )
        .json();
    let entries = audit.as_array().unwrap();
    let by_staff = |action: &str| {
        entries.iter().any(|e| {
            e["action"] == action
                && e["principal"].as_str().unwrap().starts_with("user:")
                && e["purpose"] == "contact"
        })
    };
    assert!(by_staff("subject.lookup"), "{audit}");
    assert!(by_staff("subject.read"), "{audit}");
}

#[test]
fn an_auditor_reaches_no_subject_page() {
    let d = desk();
    let inst = &d.install;
    let id = d.create(
        "customer",
        json!({"user.contact.email": "secret@example.org"}),
    );
    let (auditor, _) = sign_in(inst, "auditor", "");
    let home = page_of(inst, &auditor.cookie, "/console");
    assert!(!home.body.contains("href=\"/console/subjects\""));
    for path in [
        "/console/subjects".to_owned(),
        "/console/subjects?by=email&value=secret%40example.org&purpose=contact".to_owned(),
        format!("/console/subjects/{id}"),
    ] {
        let r = page_of(inst, &auditor.cookie, &path);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("role=\"alert\""));
        assert!(!r.body.contains("secret@example.org"), "{path}");
    }
}

#[test]
fn an_auditor_reads_the_audit_log_filtered_and_paged() {
    let d = desk();
    let inst = &d.install;
    let id = d.create(
        "customer",
        json!({"user.contact.email": "logged@example.org"}),
    );
    let (auditor, _) = sign_in(inst, "auditor", "");
    let home = page_of(inst, &auditor.cookie, "/console");
    assert!(home.body.contains("href=\"/console/audit\""));
    let all = page_of(inst, &auditor.cookie, "/console/audit");
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(
        all.body.contains("subject.create") && all.body.contains("apikey.create"),
        "{}",
        all.body
    );
    let one = page_of(
        inst,
        &auditor.cookie,
        &format!("/console/audit?subject={id}"),
    );
    assert!(
        one.body.contains("subject.create") && !one.body.contains("apikey.create"),
        "{}",
        one.body
    );
    assert!(
        !one.body.contains("logged@example.org"),
        "entries hold no values"
    );
    let later = page_of(inst, &auditor.cookie, "/console/audit?after=100000");
    assert!(later.body.contains("No entry matches"), "{}", later.body);
    let bad = page_of(inst, &auditor.cookie, "/console/audit?from=yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("from: expected a date"), "{}", bad.body);
    // Reading the log is itself audited, under the staff member's name.
    let log = d.call("GET", "/v1/audit", Some("auditor"), None).json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "audit.read"
                && e["principal"].as_str().unwrap().starts_with("user:")
                && e["subject_ref"] == id.as_str())
    );
    // A role without the audit permission gets a refusal page.
    let (support, _) = sign_in(inst, "support", "");
    assert_eq!(page_of(inst, &support.cookie, "/console/audit").status, 403);
}

#[test]
fn the_dashboard_shows_each_role_what_it_may_see() {
    let d = desk();
    let inst = &d.install;
    let (dpo, _) = sign_in(inst, "dpo", "");
    let home = page_of(inst, &dpo.cookie, "/console");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.body.contains("Requests overdue or due within 7 days"),
        "{}",
        home.body
    );
    assert!(home.body.contains("No open request is overdue"));
    assert!(home.body.contains("Retention in the next 30 days"));
    let log = d.call("GET", "/v1/audit", Some("auditor"), None).json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "retention.plan"
                && e["principal"].as_str().unwrap().starts_with("user:"))
    );
    let (auditor, _) = sign_in(inst, "auditor", "");
    let theirs = page_of(inst, &auditor.cookie, "/console");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("Requests overdue") && !theirs.body.contains("Retention in"));
}

#[test]
fn a_dpo_corrects_then_erases_a_person_through_forms() {
    let d = desk();
    let inst = &d.install;
    let id = d.create("customer", json!({"user.contact.email": "old@example.org"}));
    let (dpo, _) = sign_in(inst, "dpo", "");
    let s = inst.server();
    let url = s.url(&format!("/console/subjects/{id}"));
    let page = page_of(
        inst,
        &dpo.cookie,
        &format!("/console/subjects/{id}?purpose=contact"),
    );
    assert!(page.body.contains("Correct a field") && page.body.contains("/erase"));

    let body = "category=user.contact.email&value=new%40example.org&purpose=contact";
    assert_eq!(form(&url, &dpo.cookie, body).status, 403, "no CSRF token");
    let done = form(&url, &dpo.cookie, &format!("{body}&csrf={}", dpo.csrf));
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some(format!("/console/subjects/{id}?purpose=contact&done=rectify").as_str())
    );
    let after = page_of(inst, &dpo.cookie, done.header("location").unwrap());
    assert!(after.body.contains("new@example.org") && !after.body.contains("old@example.org"));

    let erase = s.url(&format!("/console/subjects/{id}/erase"));
    assert_eq!(
        page_of(inst, &dpo.cookie, &format!("/console/subjects/{id}/erase")).status,
        200
    );
    let unconfirmed = form(&erase, &dpo.cookie, &format!("csrf={}", dpo.csrf));
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{id}"), Some("dpo"), None)
            .status,
        200
    );
    let gone = form(&erase, &dpo.cookie, &format!("csrf={}&confirm=1", dpo.csrf));
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert_eq!(
        gone.header("location"),
        Some("/console/subjects?done=erase")
    );
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{id}"), Some("dpo"), None)
            .status,
        410
    );
    assert_eq!(
        page_of(inst, &dpo.cookie, &format!("/console/subjects/{id}")).status,
        410
    );

    // A role that may not erase sees no link and is refused the step.
    let other = d.create(
        "customer",
        json!({"user.contact.email": "kept@example.org"}),
    );
    let (support, _) = sign_in(inst, "support", "");
    let theirs = page_of(inst, &support.cookie, &format!("/console/subjects/{other}"));
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    assert!(!theirs.body.contains("/erase"));
    let refused = form(
        &s.url(&format!("/console/subjects/{other}/erase")),
        &support.cookie,
        &format!("csrf={}&confirm=1", support.csrf),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{other}"), Some("dpo"), None)
            .status,
        200
    );
}

#[test]
fn every_staff_role_reads_the_register_as_tables() {
    let d = desk();
    let inst = &d.install;
    let (auditor, _) = sign_in(inst, "auditor", "");
    let page = page_of(inst, &auditor.cookie, "/console/register");
    assert_eq!(page.status, 200, "{}", page.body);
    for text in [
        "<td>contact</td>",
        "<td>user.contact.email</td>",
        "Retention rules",
        "(in force)",
    ] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }
    let fr = request(
        "GET",
        &inst.server().url("/console/register?lang=fr"),
        &[("cookie", &auditor.cookie)],
        None,
    );
    assert!(fr.body.contains("Registre des traitements"));
}

#[test]
fn a_dpo_plans_retention_and_places_then_releases_a_hold() {
    let d = desk();
    let inst = &d.install;
    let s = inst.server();
    let (dpo, _) = sign_in(inst, "dpo", "");
    let page = page_of(inst, &dpo.cookie, "/console/retention?days=90");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("value=\"90\""));
    assert_eq!(
        page_of(inst, &dpo.cookie, "/console/retention?days=-1").status,
        400
    );

    let place = s.url("/console/retention/holds");
    let body = "rule_id=customers&reason=case+2026-041";
    assert_eq!(form(&place, &dpo.cookie, body).status, 403, "no CSRF token");
    let placed = form(&place, &dpo.cookie, &format!("{body}&csrf={}", dpo.csrf));
    assert_eq!(placed.status, 303, "{}", placed.body);
    let holds = d
        .call("GET", "/v1/retention/holds", Some("dpo"), None)
        .json();
    let hold = holds.as_array().unwrap().first().unwrap().clone();
    assert_eq!(hold["reason"], "case 2026-041");
    assert!(hold["released_at"].is_null());
    let listed = page_of(inst, &dpo.cookie, "/console/retention");
    assert!(listed.body.contains("case 2026-041"));
    let hold_id = hold["id"].as_str().unwrap();
    let release = s.url(&format!("/console/retention/holds/{hold_id}/release"));
    let released = form(&release, &dpo.cookie, &format!("csrf={}", dpo.csrf));
    assert_eq!(released.status, 303, "{}", released.body);
    let holds = d
        .call("GET", "/v1/retention/holds", Some("dpo"), None)
        .json();
    assert!(!holds[0]["released_at"].is_null());

    let (auditor, _) = sign_in(inst, "auditor", "");
    assert_eq!(
        page_of(inst, &auditor.cookie, "/console/retention").status,
        403
    );
}
