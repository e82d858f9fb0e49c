//! Staff accounts, API keys and the access review in the console (issue 17),
//! through the real binary: forms with the session's CSRF token, secrets shown once,
//! the same permissions and audit as the API.

use crate::console::{page_of, sign_in};
use crate::install::install;
use crate::support::Response;

/// The table row of the page that mentions `needle`.
fn row<'a>(page: &'a Response, needle: &str) -> &'a str {
    page.body
        .split("<tr>")
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle} in {}", page.body))
}

/// The form action in `html` starting with `prefix`.
fn action(html: &str, prefix: &str) -> String {
    let at = html
        .find(&format!("action=\"{prefix}"))
        .unwrap_or_else(|| panic!("no form to {prefix} in {html}"));
    html[at + 8..].split('"').next().unwrap().to_owned()
}

fn secret(page: &Response) -> String {
    page.body
        .split("<code id=\"secret\">")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap_or_else(|| panic!("no secret in {}", page.body))
        .to_owned()
}

#[test]
fn an_admin_adds_and_disables_a_user_and_creates_and_revokes_a_key_through_forms() {
    let inst = install(None);
    let s = inst.server();
    let (admin, _) = sign_in(&inst, "admin", "");
    let page = page_of(&inst, &admin.cookie, "/console/staff");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("href=\"/console/staff\" aria-current=\"page\"")
    );

    // Without the session's CSRF token the form is refused and nothing is added.
    let forged = crate::support::post_form(
        &s.url("/console/staff/users"),
        &admin.cookie,
        "csrf=wrong&email=new.hire%40example.org&role=support",
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    let listed = page_of(&inst, &admin.cookie, "/console/staff");
    assert!(!listed.body.contains("new.hire@example.org"));

    // Added: the generated password is shown on the answer, and it signs in.
    let added = crate::support::post_form(
        &s.url("/console/staff/users"),
        &admin.cookie,
        &format!(
            "csrf={}&email=new.hire%40example.org&role=support",
            admin.csrf
        ),
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let password = secret(&added);
    assert!(password.len() >= 16, "{password}");
    let listed = page_of(&inst, &admin.cookie, "/console/staff");
    assert!(
        !listed.body.contains(&password),
        "the password is shown once"
    );
    let user_row = row(&listed, "new.hire@example.org");
    assert!(user_row.contains("<td>support</td>"), "{user_row}");
    let login = |password: &str| {
        let page = s.get("/login");
        let cookie = page.cookie("custodia_login_csrf").unwrap();
        let csrf = cookie.split_once('=').unwrap().1.to_owned();
        crate::support::post_form(
            &s.url("/login"),
            &cookie,
            &format!(
                "email=new.hire%40example.org&password={}&csrf={csrf}",
                crate::support::form_encode(password)
            ),
        )
        .status
    };
    assert_eq!(login(&password), 303);

    // Disabled through its form: it can no longer sign in; enabled again, it can.
    let disable = action(user_row, "/console/staff/users/");
    assert!(disable.ends_with("/disable"), "{disable}");
    let done = crate::support::post_form(
        &s.url(&disable),
        &admin.cookie,
        &format!("csrf={}", admin.csrf),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/console/staff?done=1"));
    assert_ne!(login(&password), 303);
    let listed = page_of(&inst, &admin.cookie, "/console/staff");
    let enable = action(
        row(&listed, "new.hire@example.org"),
        "/console/staff/users/",
    );
    assert!(enable.ends_with("/enable"), "{enable}");
    let done = crate::support::post_form(
        &s.url(&enable),
        &admin.cookie,
        &format!("csrf={}", admin.csrf),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(login(&password), 303);

    // A key: its secret shown once, working; revoked through its form.
    let created = crate::support::post_form(
        &s.url("/console/staff/api-keys"),
        &admin.cookie,
        &format!("csrf={}&name=crm+sync&role=auditor", admin.csrf),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let key = secret(&created);
    assert!(key.starts_with("cusk_"), "{key}");
    assert_eq!(s.call("GET", "/v1/audit", Some(&key), None).status, 200);
    let listed = page_of(&inst, &admin.cookie, "/console/staff");
    assert!(!listed.body.contains(&key), "the key is shown once");
    let revoke = action(row(&listed, "crm sync"), "/console/staff/api-keys/");
    let done = crate::support::post_form(
        &s.url(&revoke),
        &admin.cookie,
        &format!("csrf={}", admin.csrf),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let listed = page_of(&inst, &admin.cookie, "/console/staff");
    let key_row = row(&listed, "crm sync");
    assert!(!key_row.contains("/revoke"), "{key_row}");

    // The same audit entries as the API.
    let audit = s.call(
        "GET",
        "/v1/audit?limit=1000",
        Some(inst.key("auditor")),
        None,
    );
    for action in [
        "staff.add",
        "staff.disable",
        "staff.enable",
        "apikey.create",
        "apikey.revoke",
    ] {
        assert!(
            audit.body.contains(&format!("\"{action}\"")),
            "{action} not audited: {}",
            audit.body
        );
    }
}

#[test]
fn a_dpo_records_an_access_review_and_cannot_reach_the_staff_page() {
    let inst = install(None);
    let s = inst.server();
    let (dpo, _) = sign_in(&inst, "dpo", "");

    let staff = page_of(&inst, &dpo.cookie, "/console/staff");
    assert_eq!(staff.status, 403, "{}", staff.body);
    assert!(staff.body.contains("role=\"alert\""), "{}", staff.body);
    let dashboard = page_of(&inst, &dpo.cookie, "/console");
    assert!(!dashboard.body.contains("href=\"/console/staff\""));
    assert!(dashboard.body.contains("href=\"/console/access-review\""));
    assert!(
        dashboard.body.contains("id=\"review-title\""),
        "{}",
        dashboard.body
    );

    let review = page_of(&inst, &dpo.cookie, "/console/access-review");
    assert_eq!(review.status, 200, "{}", review.body);
    assert!(review.body.contains("dpo-console@example.org"));
    assert!(
        review.body.contains("test auditor"),
        "every API key is listed"
    );

    let forged = crate::support::post_form(
        &s.url("/console/access-review"),
        &dpo.cookie,
        "csrf=wrong&notes=quarterly",
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    let done = crate::support::post_form(
        &s.url("/console/access-review"),
        &dpo.cookie,
        &format!(
            "csrf={}&notes={}",
            dpo.csrf,
            crate::support::form_encode("Q4: revoked the old CRM key <b>")
        ),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/console/access-review?done=1")
    );
    let review = page_of(&inst, &dpo.cookie, "/console/access-review?done=1");
    assert!(
        review
            .body
            .contains("Q4: revoked the old CRM key &#60;b&#62;"),
        "{}",
        review.body
    );
    assert!(review.body.contains("role=\"status\""));
    let api = s.call("GET", "/v1/access-review", Some(inst.key("dpo")), None);
    assert_eq!(
        api.json()["reviews"].as_array().unwrap().len(),
        1,
        "{}",
        api.body
    );

    // An auditor reviews nothing: neither the page nor the reminder.
    let (auditor, _) = sign_in(&inst, "auditor", "");
    assert_eq!(
        page_of(&inst, &auditor.cookie, "/console/access-review").status,
        403
    );
    let dashboard = page_of(&inst, &auditor.cookie, "/console");
    assert!(!dashboard.body.contains("id=\"review-title\""));
}

#[test]
fn the_second_factor_page_speaks_the_page_language() {
    let inst = install(None);
    let s = inst.server();
    let cookies = "custodia_login_csrf=token; custodia_second_factor=pending";
    let fr = s.get_with(
        "/login/second-factor",
        &[("cookie", cookies), ("accept-language", "fr-FR,fr;q=0.9")],
    );
    assert_eq!(fr.status, 200, "{}", fr.body);
    assert!(fr.body.contains("<html lang=\"fr\""), "{}", fr.body);
    assert!(fr.body.contains("Second facteur"), "{}", fr.body);
    assert!(fr.body.contains("Recommencer"), "{}", fr.body);
    let en = s.get_with("/login/second-factor?lang=en", &[("cookie", cookies)]);
    assert!(en.body.contains("<html lang=\"en\""), "{}", en.body);
    assert!(en.body.contains("Start again"), "{}", en.body);
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    body.split(start)
        .nth(1)
        .and_then(|s| s.split(end).next())
        .unwrap_or_else(|| panic!("no {start} in {body}"))
}

#[test]
fn a_dpo_required_to_have_a_second_factor_enrols_in_the_console_and_manages_sessions() {
    use crate::second_factor::{base32_decode, step_now};
    use custodia_crypto::totp::hotp;
    let inst =
        crate::install::install_with_config("[staff]\nrequire_second_factor = [\"dpo\"]\n", |_| {});
    let s = inst.server();
    let added = inst.cli(&[
        "users",
        "add",
        "--email",
        "dpo.2fa@example.org",
        "--role",
        "dpo",
    ]);
    assert!(added.status.success());
    let password = String::from_utf8(added.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): ").map(str::to_owned))
        .unwrap();
    let sign_in = || {
        let page = s.get("/login");
        let cookie = page.cookie("custodia_login_csrf").unwrap();
        let csrf = cookie.split_once('=').unwrap().1.to_owned();
        let ok = crate::support::post_form(
            &s.url("/login"),
            &cookie,
            &format!(
                "email=dpo.2fa%40example.org&password={}&csrf={csrf}",
                crate::support::form_encode(&password)
            ),
        );
        assert_eq!(ok.status, 303, "{}", ok.body);
        ok.cookie("custodia_session").unwrap()
    };
    let other = sign_in();
    let cookie = sign_in();

    // Nothing of the console before the enrolment: every page leads to it.
    let dashboard = page_of(&inst, &cookie, "/console/requests");
    assert_eq!(dashboard.status, 303);
    assert_eq!(dashboard.header("location"), Some("/console/account"));
    let account = page_of(&inst, &cookie, "/console/account");
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(account.body.contains("role=\"alert\""));
    let csrf = between(&account.body, "name=\"csrf\" value=\"", "\"").to_owned();

    // Enrol: the secret and otpauth URI as text; a wrong code refused, the right one
    // confirms and shows the recovery codes once.
    let enrolled = crate::support::post_form(
        &s.url("/console/account/second-factor/enrol"),
        &cookie,
        &format!("csrf={csrf}"),
    );
    assert_eq!(enrolled.status, 200, "{}", enrolled.body);
    let secret = between(&enrolled.body, "<code id=\"factor-secret\">", "</code>").to_owned();
    let uri = between(&enrolled.body, "<code id=\"factor-uri\">", "</code>");
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    let key = base32_decode(&secret);
    let wrong = crate::support::post_form(
        &s.url("/console/account/second-factor/confirm"),
        &cookie,
        &format!("csrf={csrf}&code={}", hotp(&key, step_now() - 10, 6)),
    );
    assert!(wrong.status >= 400, "{}", wrong.body);
    let confirmed = crate::support::post_form(
        &s.url("/console/account/second-factor/confirm"),
        &cookie,
        &format!("csrf={csrf}&code={}", hotp(&key, step_now(), 6)),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let codes = between(&confirmed.body, "<ul id=\"recovery-codes\">", "</ul>");
    assert_eq!(codes.matches("<li>").count(), 10, "{codes}");
    let account = page_of(&inst, &cookie, "/console/account");
    assert!(
        !account.body.contains(codes),
        "recovery codes are shown once"
    );
    assert!(!account.body.contains(&secret), "the secret is shown once");
    assert_eq!(page_of(&inst, &cookie, "/console").status, 200);

    // Sessions: the current one marked; the others ended by the form.
    assert_eq!(
        account.body.matches("/revoke\"").count(),
        1,
        "{}",
        account.body
    );
    assert_eq!(page_of(&inst, &other, "/console/account").status, 200);
    let ended = crate::support::post_form(
        &s.url("/console/account/sessions/revoke-others"),
        &cookie,
        &format!("csrf={csrf}"),
    );
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(page_of(&inst, &other, "/console/account").status, 303);
    assert_eq!(page_of(&inst, &cookie, "/console/account").status, 200);
}
