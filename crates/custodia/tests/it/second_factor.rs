//! Staff second factor (TOTP with recovery codes) and sessions, through the real
//! binary: enrolment, sign-in in two steps, replay and throttling, the factor
//! required for a role, sessions listed and revoked.

use crate::install::{Install, install_prepared};
use crate::pg;
use crate::support::{Response, request};
use custodia_crypto::totp::{hotp, totp_step};
use serde_json::{Value, json};

const CONFIG: &str = "[staff]\nrequire_second_factor = [\"dpo\"]\n";

pub(crate) fn base32_decode(s: &str) -> Vec<u8> {
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {s}"),
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

pub(crate) fn step_now() -> u64 {
    let now = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .unwrap()
        .as_secs();
    totp_step(i64::try_from(now).unwrap())
}

struct Browser {
    base: String,
}

impl Browser {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The password step: the login CSRF cookie and the answer to the form.
    fn password(&self, email: &str, password: &str) -> (String, Response) {
        let page = request("GET", &self.url("/login"), &[], None);
        let csrf_cookie = page.cookie("custodia_login_csrf").unwrap();
        let csrf = csrf_cookie.split_once('=').unwrap().1.to_owned();
        let answer = crate::support::post_form(
            &self.url("/login"),
            &csrf_cookie,
            &format!(
                "email={}&password={}&csrf={csrf}",
                crate::support::form_encode(email),
                crate::support::form_encode(password)
            ),
        );
        (csrf_cookie, answer)
    }

    /// Both steps: the session cookie, or the answer of the second step.
    fn sign_in(&self, email: &str, password: &str, code: &str) -> Result<String, Response> {
        let (csrf_cookie, answer) = self.password(email, password);
        if answer.status == 429 {
            // Wrong codes hold back the password step too.
            return Err(answer);
        }
        assert_eq!(answer.status, 303, "{}", answer.body);
        assert_eq!(answer.header("location"), Some("/login/second-factor"));
        assert!(
            answer.cookie("custodia_session").is_none(),
            "no session before the code"
        );
        let pending = answer.cookie("custodia_second_factor").unwrap();
        let cookies = format!("{csrf_cookie}; {pending}");
        let page = request(
            "GET",
            &self.url("/login/second-factor"),
            &[("cookie", &cookies)],
            None,
        );
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("name=\"code\"") && !page.body.contains("<script"));
        let csrf = csrf_cookie.split_once('=').unwrap().1;
        let done = crate::support::post_form(
            &self.url("/login/second-factor"),
            &cookies,
            &format!("code={}&csrf={csrf}", crate::support::form_encode(code)),
        );
        match done.status {
            303 => {
                assert_eq!(done.header("location"), Some("/account"));
                Ok(done.cookie("custodia_session").unwrap())
            }
            _ => Err(done),
        }
    }
}

fn account_csrf(base: &str, session: &str) -> String {
    let account = request(
        "GET",
        &format!("{base}/account"),
        &[("cookie", session)],
        None,
    );
    assert_eq!(account.status, 200, "{}", account.body);
    account
        .body
        .split("<span id=\"csrf\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

fn call(base: &str, method: &str, path: &str, session: &str, body: Option<Value>) -> Response {
    let csrf = account_csrf(base, session);
    let body = body.map(|b| b.to_string());
    request(
        method,
        &format!("{base}{path}"),
        &[("cookie", session), ("x-csrf-token", &csrf)],
        body.as_deref(),
    )
}

fn add_user(inst: &Install, email: &str, role: &str) -> String {
    let out = inst.cli(&["users", "add", "--email", email, "--role", role]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .unwrap()
        .to_owned()
}

fn audit(inst: &Install) -> Vec<Value> {
    let base = &inst.server().base;
    let r = request(
        "GET",
        &format!("{base}/v1/audit?limit=1000"),
        &[("authorization", &format!("Bearer {}", inst.key("auditor")))],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

fn second_factor_scenario(inst: &Install) {
    let base = inst.server().base.clone();
    let browser = Browser { base: base.clone() };
    let email = "dpo.totp@example.org";
    let password = add_user(inst, email, "dpo");

    // A dpo without a factor signs in, but may only enrol.
    let (_, first) = browser.password(email, &password);
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.header("location"), Some("/account"));
    let unenrolled = first.cookie("custodia_session").unwrap();
    let refused = request(
        "GET",
        &format!("{base}/v1/account/sessions"),
        &[("cookie", &unenrolled)],
        None,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("second factor"), "{}", refused.body);
    let subjects = request(
        "GET",
        &format!("{base}/v1/subjects?email=a%40example.org&purpose=support"),
        &[("cookie", &unenrolled)],
        None,
    );
    assert_eq!(subjects.status, 403, "no personal data before enrolment");

    // Enrol, a wrong code refused, the right one confirms and gives recovery codes.
    let enrolled = call(
        &base,
        "POST",
        "/v1/account/second-factor",
        &unenrolled,
        None,
    );
    assert_eq!(enrolled.status, 201, "{}", enrolled.body);
    let enrolled = enrolled.json();
    let secret = base32_decode(enrolled["secret"].as_str().unwrap());
    let uri = enrolled["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Custodia:dpo.totp@example.org?secret="),
        "{uri}"
    );
    let step = step_now();
    let wrong = call(
        &base,
        "POST",
        "/v1/account/second-factor/confirm",
        &unenrolled,
        Some(json!({ "code": hotp(&secret, step - 5, 6) })),
    );
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let confirmed = call(
        &base,
        "POST",
        "/v1/account/second-factor/confirm",
        &unenrolled,
        Some(json!({ "code": hotp(&secret, step, 6) })),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let recovery: Vec<String> = confirmed.json()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    // The same session now reaches the rest.
    let listed = call(&base, "GET", "/v1/account/sessions", &unenrolled, None);
    assert_eq!(listed.status, 200, "{}", listed.body);

    // Sign in with the next code; the code used to confirm is spent.
    let code = hotp(&secret, step + 1, 6);
    let session_a = browser
        .sign_in(email, &password, &code)
        .unwrap_or_else(|r| panic!("{}: {}", r.status, r.body));
    // The same code again is refused (replay), and counted.
    let replay = browser.sign_in(email, &password, &code).err().unwrap();
    assert_eq!(replay.status, 401, "{}", replay.body);
    assert!(replay.body.contains("already used"), "{}", replay.body);

    // A recovery code works once.
    let session_b = browser
        .sign_in(email, &password, &recovery[0])
        .unwrap_or_else(|r| panic!("{}: {}", r.status, r.body));
    let again = browser
        .sign_in(email, &password, &recovery[0])
        .err()
        .unwrap();
    assert_eq!(again.status, 401);

    // Sessions: listed with the current one marked, one revoked ends at once.
    let mine = call(&base, "GET", "/v1/account/sessions", &session_b, None);
    assert_eq!(mine.status, 200, "{}", mine.body);
    let sessions = mine.json()["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 3, "{sessions:?}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(!mine.body.contains(session_a.split_once('=').unwrap().1));
    let a_id = {
        let before = request(
            "GET",
            &format!("{base}/account"),
            &[("cookie", &session_a)],
            None,
        );
        assert_eq!(before.status, 200);
        let from_a = call(&base, "GET", "/v1/account/sessions", &session_a, None).json();
        from_a["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["current"] == true)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let revoked = call(
        &base,
        "DELETE",
        &format!("/v1/account/sessions/{a_id}"),
        &session_b,
        None,
    );
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    let after = request(
        "GET",
        &format!("{base}/account"),
        &[("cookie", &session_a)],
        None,
    );
    assert_eq!(after.status, 401, "a revoked session stops at once");
    let others = call(&base, "DELETE", "/v1/account/sessions", &session_b, None);
    assert_eq!(others.status, 200, "{}", others.body);
    assert_eq!(others.json()["revoked"], 1, "the unenrolled session");
    assert_eq!(
        request(
            "GET",
            &format!("{base}/account"),
            &[("cookie", &unenrolled)],
            None
        )
        .status,
        401
    );

    // An admin lists and ends any account's sessions; a dpo key may not.
    let entries = audit(inst);
    let user_id = entries
        .iter()
        .filter(|e| e["action"] == "staff.add")
        .filter_map(|e| e["detail"].as_str())
        .find(|d| d.ends_with("role dpo"))
        .and_then(|d| d.strip_prefix("user:"))
        .and_then(|d| d.split(' ').next())
        .unwrap()
        .to_owned();
    let as_key = |role: &str, method: &str| {
        request(
            method,
            &format!("{base}/v1/staff/users/{user_id}/sessions"),
            &[("authorization", &format!("Bearer {}", inst.key(role)))],
            None,
        )
    };
    assert_eq!(as_key("dpo", "GET").status, 403);
    let listed = as_key("admin", "GET");
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.json()["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(as_key("admin", "DELETE").status, 204);
    assert_eq!(
        request(
            "GET",
            &format!("{base}/account"),
            &[("cookie", &session_b)],
            None
        )
        .status,
        401
    );

    // Wrong codes count toward the sign-in back-off, which then stops even a
    // right recovery code.
    let (csrf_cookie, answer) = browser.password(email, &password);
    assert_eq!(answer.status, 303, "{}", answer.body);
    let cookies = format!(
        "{csrf_cookie}; {}",
        answer.cookie("custodia_second_factor").unwrap()
    );
    let csrf = csrf_cookie.split_once('=').unwrap().1.to_owned();
    let second_step = |code: &str| {
        crate::support::post_form(
            &browser.url("/login/second-factor"),
            &cookies,
            &format!("code={}&csrf={csrf}", crate::support::form_encode(code)),
        )
    };
    let mut throttled = None;
    for _ in 0..6 {
        let r = second_step(&hotp(&secret, step - 7, 6));
        if r.status == 429 {
            throttled = Some(r);
            break;
        }
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let throttled = throttled.expect("wrong codes are throttled");
    assert!(throttled.header("retry-after").is_some());
    assert_eq!(
        second_step(&recovery[1]).status,
        429,
        "a throttled account waits even with a right code"
    );
    assert_eq!(
        browser.password(email, &password).1.status,
        429,
        "and so does its password"
    );

    // An admin removes a lost factor; other roles may not.
    let remove = |role: &str| {
        request(
            "DELETE",
            &format!("{base}/v1/staff/users/{user_id}/second-factor"),
            &[("authorization", &format!("Bearer {}", inst.key(role)))],
            None,
        )
    };
    assert_eq!(remove("dpo").status, 403);
    assert_eq!(remove("admin").status, 204);
    assert_eq!(remove("admin").status, 404, "already removed");

    // Audited, without secrets or codes.
    let entries = audit(inst);
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "staff.second_factor.enrol",
        "staff.second_factor.confirm",
        "auth.second_factor",
        "auth.session_revoke",
        "staff.second_factor.disable",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let log = serde_json::to_string(&entries).unwrap();
    for secret_text in [
        enrolled["secret"].as_str().unwrap(),
        recovery[0].as_str(),
        code.as_str(),
    ] {
        assert!(
            !log.contains(secret_text),
            "the audit log holds no secret or code"
        );
    }
}

#[test]
fn second_factor_sign_in_and_sessions_on_sqlite() {
    let inst = install_prepared(None, CONFIG, |_| {});
    second_factor_scenario(&inst);
}

#[test]
fn second_factor_sign_in_and_sessions_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(url) = rt.block_on(pg::fresh_postgres_database()) else {
        return;
    };
    let inst = install_prepared(Some(url), CONFIG, |_| {});
    second_factor_scenario(&inst);
}

#[test]
fn an_unknown_role_in_require_second_factor_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crate::install::init_data_dir(&data);
    let path = data.join("config.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[staff]\nrequire_second_factor = [\"dpo\", \"wizard\"]\n");
    std::fs::write(path, text).unwrap();
    let out = crate::support::custodia()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("staff.require_second_factor") && stderr.contains("wizard"),
        "{stderr}"
    );
}
