//! Authorisation: every endpoint touching personal data × no credentials and each
//! role; every refusal is audited (401s counted per source and window). Staff
//! sign-in with sessions and CSRF.

use crate::install::{ROLES, install};
use crate::support::request;
use serde_json::json;

fn refusals(inst: &crate::install::Install) -> usize {
    let audit = inst
        .server()
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None)
        .json();
    audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] == "denied" || e["outcome"] == "unauthenticated")
        .count()
}

#[test]
fn every_endpoint_by_every_role() {
    // The test speaks for a client of its own per endpoint, as a proxy would.
    let inst =
        crate::install::install_with_config("trusted_proxies = [\"127.0.0.1/32\"]\n", |_| {});
    let s = inst.server();
    let body = json!({"kind": "customer", "data": {"user.contact.email": "matrix@example.org"}})
        .to_string();
    let subject = s
        .call("POST", "/v1/subjects", Some(inst.key("dpo")), Some(&body))
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let child = s
        .call(
            "POST",
            "/v1/subjects",
            Some(inst.key("dpo")),
            Some(r#"{"kind":"user","declared_age":10,"data":{}}"#),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let banner_version = crate::consent::banner_version(s);
    let visitor = s
        .call(
            "POST",
            "/v1/banner/consents",
            None,
            Some(&json!({"visitor_id": null, "banner_version": banner_version, "choices": [{"purpose": "analytics", "state": "given"}]}).to_string()),
        )
        .json()["visitor_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let consent =
        json!({"subject_id": subject, "purpose": "newsletter", "state": "given", "method": "form"})
            .to_string();
    let link = json!({"subject_id": subject}).to_string();
    let rights_request = s
        .call(
            "POST",
            "/v1/requests",
            None,
            Some(r#"{"kind":"access","email":"matrix@example.org"}"#),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let request_handlers = vec!["dpo", "support"];
    // Found by Schemathesis: a NUL in the reason was a 500 from the store.
    let nul = json!({"subject_id": subject, "reason": "case\u{0}42"}).to_string();
    let refused = s.call(
        "POST",
        "/v1/retention/holds",
        Some(inst.key("dpo")),
        Some(&nul),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("reason"), "{}", refused.body);
    let hold = json!({"subject_id": subject, "reason": "matrix"}).to_string();
    let hold_id = s
        .call(
            "POST",
            "/v1/retention/holds",
            Some(inst.key("dpo")),
            Some(&hold),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // (method, path, body, roles allowed). Handling personal data needs a role with
    // categories; erasure the DPO; the audit log the DPO or an auditor.
    let handlers = ["dpo", "support", "sales", "accounting", "engineering"];
    let endpoints: Vec<(&str, String, Option<String>, Vec<&str>)> = vec![
        ("POST", "/v1/subjects".into(), Some(body.clone()), handlers.to_vec()),
        ("GET", format!("/v1/subjects/{subject}"), None, handlers.to_vec()),
        ("GET", "/v1/subjects?email=matrix@example.org".into(), None, handlers.to_vec()),
        ("PATCH", format!("/v1/subjects/{subject}"), Some(r#"{"data":{"user.contact.email":"matrix@example.org"}}"#.into()), handlers.to_vec()),
        ("POST", format!("/v1/subjects/{subject}/events"), Some(r#"{"event":"last_connection"}"#.into()), handlers.to_vec()),
        ("POST", format!("/v1/subjects/{subject}/disclosures"), Some(r#"{"recipient":"mailjet","categories":["user.contact.email"],"purpose":"newsletter"}"#.into()), handlers.to_vec()),
        ("POST", format!("/v1/subjects/{child}/parental-consent"), None, handlers.to_vec()),
        ("POST", "/v1/consents".into(), Some(consent), handlers.to_vec()),
        ("GET", format!("/v1/subjects/{subject}/consents"), None, handlers.to_vec()),
        ("GET", format!("/v1/subjects/{subject}/consents/export?format=kantara"), None, handlers.to_vec()),
        ("GET", format!("/v1/visitors/{visitor}/consents"), None, handlers.to_vec()),
        ("POST", format!("/v1/visitors/{visitor}/link"), Some(link), handlers.to_vec()),
        ("GET", format!("/v1/decisions?subject_id={subject}&purpose=newsletter"), None, handlers.to_vec()),
        ("POST", "/v1/decisions/batch".into(), Some(r#"{"purpose":"newsletter","emails":["matrix@example.org"]}"#.into()), handlers.to_vec()),
        ("POST", format!("/v1/subjects/{subject}/unsubscribe-link"), Some(r#"{"purpose":"newsletter"}"#.into()), handlers.to_vec()),
        ("POST", format!("/v1/subjects/{subject}/preferences-link"), None, handlers.to_vec()),
        ("GET", "/v1/audit".into(), None, vec!["dpo", "auditor"]),
        ("GET", "/v1/requests".into(), None, request_handlers.clone()),
        ("GET", format!("/v1/requests/{rights_request}"), None, request_handlers.clone()),
        ("POST", format!("/v1/requests/{rights_request}/steps"), Some(r#"{"action":"assign"}"#.into()), request_handlers.clone()),
        ("GET", format!("/v1/requests/{rights_request}/deliveries"), None, request_handlers.clone()),
        ("GET", "/v1/retention/plan".into(), None, vec!["dpo"]),
        ("POST", "/v1/retention/run".into(), Some(r#"{"dry_run":true}"#.into()), vec!["dpo"]),
        ("GET", "/v1/retention/holds".into(), None, vec!["dpo"]),
        ("POST", "/v1/retention/holds".into(), Some(hold.clone()), vec!["dpo"]),
        // The DPO releases it after the matrix (DELETE runs are skipped for the DPO).
        ("DELETE", format!("/v1/retention/holds/{hold_id}"), None, vec!["dpo"]),
        ("DELETE", format!("/v1/subjects/{subject}"), None, vec!["dpo"]),
    ];
    for (i, (method, path, body, allowed)) in endpoints.iter().enumerate() {
        let before = refusals(&inst);
        // The first refusal from a source is audited at once; the second is counted
        // in that source's window (written when it closes).
        let source = format!("198.51.100.{i}");
        let from = [("x-forwarded-for", source.as_str())];
        let r = request(method, &s.url(path), &from, body.as_deref());
        assert_eq!(
            r.status, 401,
            "{method} {path} without credentials: {}",
            r.body
        );
        let wrong = [from[0], ("authorization", "Bearer cusk_not-a-real-key")];
        let r = request(method, &s.url(path), &wrong, body.as_deref());
        assert_eq!(r.status, 401, "{method} {path} with a wrong key");
        let mut expected_refusals = 1;
        for role in ROLES {
            // Erasure is last and happens once; the DPO goes last for it.
            if *method == "DELETE" && role == "dpo" {
                continue;
            }
            let r = s.call(method, path, Some(inst.key(role)), body.as_deref());
            if allowed.contains(&role) {
                assert!(
                    (200..300).contains(&r.status),
                    "{method} {path} as {role}: {} {}",
                    r.status,
                    r.body
                );
            } else {
                assert_eq!(r.status, 403, "{method} {path} as {role}: {}", r.body);
                expected_refusals += 1;
            }
        }
        assert_eq!(
            refusals(&inst),
            before + expected_refusals,
            "{method} {path}: each refusal is audited"
        );
    }
    assert_eq!(
        s.call(
            "DELETE",
            &format!("/v1/retention/holds/{hold_id}"),
            Some(inst.key("dpo")),
            None
        )
        .status,
        200
    );
    assert_eq!(
        s.call(
            "DELETE",
            &format!("/v1/subjects/{subject}"),
            Some(inst.key("dpo")),
            None
        )
        .status,
        204
    );
}

fn set_cookie(r: &crate::support::Response, name: &str) -> String {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers))
        .to_owned()
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

#[test]
fn staff_sign_in_with_sessions_and_csrf() {
    let inst = install(None);
    let s = inst.server();
    // A weak password is refused; a generated one is printed once.
    let weak = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf 'hunter22\\n' | {} users add --email weak@example.org --role support --password-stdin --data-dir {}",
            env!("CARGO_BIN_EXE_custodia"),
            inst.data().display()
        ))
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password: too weak"));
    let added = inst.cli(&[
        "users",
        "add",
        "--email",
        "Agent@Example.org",
        "--role",
        "support",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let stdout = String::from_utf8(added.stdout).unwrap();
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .unwrap()
        .to_owned();

    // The login form sets a CSRF cookie; a post without it is refused.
    let page = s.get("/login");
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("<script") && !page.body.contains("http"),
        "no scripts or external assets"
    );
    let login_cookie = set_cookie(&page, "custodia_login_csrf");
    assert!(login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Strict"));
    let csrf = cookie_value(&login_cookie)
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let creds = format!(
        "email=agent%40example.org&password={}&csrf={csrf}",
        password.replace('-', "%2D")
    );
    assert_eq!(
        crate::support::post_form(&s.url("/login"), "", &creds).status,
        403
    );
    let wrong = crate::support::post_form(
        &s.url("/login"),
        cookie_value(&login_cookie),
        &format!("email=agent%40example.org&password=nope&csrf={csrf}"),
    );
    assert_eq!(wrong.status, 401);
    let ok = crate::support::post_form(&s.url("/login"), cookie_value(&login_cookie), &creds);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let session = set_cookie(&ok, "custodia_session");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && !session.contains("Secure")
    );
    let session = cookie_value(&session).to_owned();

    // X-Forwarded-Proto counts only from a trusted proxy (see security_edge).
    let page = request(
        "GET",
        &s.url("/login"),
        &[("x-forwarded-proto", "https")],
        None,
    );
    assert!(!set_cookie(&page, "custodia_login_csrf").contains("Secure"));

    // The session reads data; a state change needs the CSRF token.
    let account = request("GET", &s.url("/account"), &[("cookie", &session)], None);
    assert_eq!(account.status, 200);
    assert!(account.body.contains("support"));
    let token = account
        .body
        .split("<span id=\"csrf\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let body = r#"{"kind":"prospect","data":{"user.contact.email":"lead@example.org"}}"#;
    let no_csrf = request(
        "POST",
        &s.url("/v1/subjects"),
        &[("cookie", &session)],
        Some(body),
    );
    assert_eq!(no_csrf.status, 403);
    let with_csrf = request(
        "POST",
        &s.url("/v1/subjects"),
        &[("cookie", &session), ("x-csrf-token", &token)],
        Some(body),
    );
    assert_eq!(with_csrf.status, 201, "{}", with_csrf.body);
    let id = with_csrf.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        request(
            "GET",
            &s.url(&format!("/v1/subjects/{id}")),
            &[("cookie", &session)],
            None
        )
        .status,
        200
    );

    // A departure: the account is disabled and its session stops working.
    assert!(
        inst.cli(&["users", "disable", "--email", "agent@example.org"])
            .status
            .success()
    );
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert_eq!(
        request(
            "GET",
            &s.url(&format!("/v1/subjects/{id}")),
            &[("cookie", &session)],
            None
        )
        .status,
        401
    );
    let again = crate::support::post_form(&s.url("/login"), cookie_value(&login_cookie), &creds);
    assert_eq!(again.status, 401);
    let list = String::from_utf8(inst.cli(&["users", "list"]).stdout).unwrap();
    assert!(
        list.contains("agent@example.org\tsupport\tdisabled"),
        "{list}"
    );
    // Back again, with a password chosen on stdin: the old one no longer works.
    assert!(
        inst.cli(&["users", "enable", "--email", "agent@example.org"])
            .status
            .success()
    );
    let passphrase = "correct horse battery staple orbit lantern";
    let reset = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf '{passphrase}\\n' | {} users reset-password --email agent@example.org --password-stdin --data-dir {}",
            env!("CARGO_BIN_EXE_custodia"),
            inst.data().display()
        ))
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert_eq!(
        crate::support::post_form(&s.url("/login"), cookie_value(&login_cookie), &creds).status,
        401
    );
    let fresh = format!(
        "email=agent%40example.org&password={}&csrf={csrf}",
        passphrase.replace(' ', "+")
    );
    assert_eq!(
        crate::support::post_form(&s.url("/login"), cookie_value(&login_cookie), &fresh).status,
        303
    );
    // Sign-in attempts and departures are in the audit log.
    let audit = s
        .call("GET", "/v1/audit", Some(inst.key("auditor")), None)
        .json()
        .to_string();
    for action in [
        "auth.login",
        "staff.add",
        "staff.disable",
        "staff.enable",
        "staff.password",
        "apikey.create",
    ] {
        assert!(audit.contains(action), "{action}");
    }
}
