//! The access review (issue 17): staff accounts and API keys with their last use,
//! those unused for 90 days flagged, last uses written at shutdown rather than per
//! request, reviews recorded with the next one's due date; and the admin's staff and
//! key endpoints.

use crate::install::{Install, install};
use crate::support::sqlite_query;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn review(inst: &Install) -> Value {
    let r = inst
        .server()
        .call("GET", "/v1/access-review", Some(inst.key("dpo")), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn key_of<'a>(report: &'a Value, role: &str) -> &'a Value {
    report["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["role"] == role && k["revoked_at"].is_null())
        .unwrap_or_else(|| panic!("no {role} key in {report}"))
}

fn instant(v: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(v.as_str().unwrap(), &Rfc3339).unwrap()
}

/// The wall clock, as the server reads it.
fn now() -> OffsetDateTime {
    use custodia_core::clock::Clock;
    custodia_core::clock::SystemClock.now()
}

fn db(inst: &Install) -> std::path::PathBuf {
    inst.data().join("custodia.db")
}

/// A key's use is noted in memory: nothing is written per request, the use is
/// written when the server stops and read back after a restart.
fn last_use_survives_a_restart(inst: &mut Install, check_not_written: impl Fn(&str) -> bool) {
    let id = key_of(&review(inst), "auditor")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(key_of(&review(inst), "auditor")["last_used"].is_null());
    for _ in 0..3 {
        let r = inst
            .server()
            .call("GET", "/v1/audit?limit=1", Some(inst.key("auditor")), None);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let report = review(inst);
    let today = now().replace_time(time::Time::MIDNIGHT);
    // Shown at once (from memory), at day precision...
    assert_eq!(instant(&key_of(&report, "auditor")["last_used"]), today);
    // ...but not yet written.
    assert!(check_not_written(&id), "a request wrote its key's last use");
    inst.stop();
    inst.start();
    let report = review(inst);
    assert_eq!(
        instant(&key_of(&report, "auditor")["last_used"]),
        today,
        "the last use was written at shutdown: {report}"
    );
}

#[test]
fn last_use_is_written_at_shutdown_not_per_request_on_sqlite() {
    let mut inst = install(None);
    let path = db(&inst);
    last_use_survives_a_restart(&mut inst, |id| {
        sqlite_query(
            &path,
            &format!("SELECT count(*) FROM credential_uses WHERE principal = 'apikey:{id}'"),
        ) == Some(0)
    });
}

#[test]
fn last_use_is_written_at_shutdown_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let mut inst = install(Some(url.clone()));
    last_use_survives_a_restart(&mut inst, |id| {
        rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            let n: i64 =
                sqlx::query_scalar("SELECT count(*) FROM credential_uses WHERE principal = $1")
                    .bind(format!("apikey:{id}"))
                    .fetch_one(&mut conn)
                    .await
                    .unwrap();
            n == 0
        })
    });
    // And a review recorded on PostgreSQL is listed after a restart.
    let r = inst.server().call(
        "POST",
        "/v1/access-review",
        Some(inst.key("admin")),
        Some(&json!({"notes": "nothing to change"}).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    inst.stop();
    inst.start();
    assert_eq!(review(&inst)["reviews"][0]["notes"], "nothing to change");
}

#[test]
fn credentials_unused_for_90_days_are_flagged() {
    let mut inst = install(None);
    let report = review(&inst);
    let sales = key_of(&report, "sales")["id"].as_str().unwrap().to_owned();
    let support = key_of(&report, "support")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin_user = report["users"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        report["users"]
            .as_array()
            .unwrap()
            .iter()
            .chain(report["api_keys"].as_array().unwrap())
            .all(|c| c["unused"] == false),
        "nothing is flagged on a new installation: {report}"
    );
    inst.stop();
    let day_us: i64 = 86_400_000_000;
    let now_us = i64::try_from(now().unix_timestamp_nanos() / 1000).unwrap();
    let (old, recent) = (now_us - 100 * day_us, now_us - 10 * day_us);
    // Created 100 days ago: sales never used since, support used 10 days ago; the
    // first admin created 100 days ago and never signed in.
    sqlite_query(
        &db(&inst),
        &format!(
            "UPDATE api_keys SET created_at_us = {old} WHERE id IN ('{sales}', '{support}'); \
             UPDATE staff_users SET created_at_us = {old} WHERE id = '{admin_user}'; \
             INSERT INTO credential_uses (principal, at_us) VALUES ('apikey:{support}', {recent}); \
             SELECT 1"
        ),
    );
    inst.start();
    let report = review(&inst);
    assert_eq!(report["unused_after_days"], 90);
    assert_eq!(key_of(&report, "sales")["unused"], true, "{report}");
    assert_eq!(key_of(&report, "support")["unused"], false, "{report}");
    assert_eq!(key_of(&report, "dpo")["unused"], false, "{report}");
    let user = |id: &str| {
        report["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(user(&admin_user)["unused"], true, "{report}");
    // A revoked key is not flagged: there is nothing left to do about it.
    let r = inst.server().call(
        "DELETE",
        &format!("/v1/staff/api-keys/{sales}"),
        Some(inst.key("admin")),
        None,
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let report = review(&inst);
    let revoked = report["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == sales.as_str())
        .unwrap();
    assert_eq!(revoked["unused"], false, "{report}");
    assert!(revoked["revoked_at"].is_string());
}

#[test]
fn the_unused_threshold_is_configurable() {
    let mut inst =
        crate::install::install_with_config("[staff]\nunused_after_days = 200\n", |_| {});
    let sales = key_of(&review(&inst), "sales")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    inst.stop();
    let now_us = i64::try_from(now().unix_timestamp_nanos() / 1000).unwrap();
    let old = now_us - 100 * 86_400_000_000;
    sqlite_query(
        &db(&inst),
        &format!("UPDATE api_keys SET created_at_us = {old} WHERE id = '{sales}'; SELECT 1"),
    );
    inst.start();
    let report = review(&inst);
    assert_eq!(report["unused_after_days"], 200);
    assert_eq!(key_of(&report, "sales")["unused"], false, "{report}");
}

#[test]
fn a_review_is_recorded_and_the_next_is_due_three_months_later() {
    let mut inst = install(None);
    let s = inst.server();
    let report = review(&inst);
    assert!(report["reviews"].as_array().unwrap().is_empty());
    assert_eq!(report["review_due"], false, "a new installation: {report}");
    // Only the admin and the DPO review; notes are required.
    for role in ["support", "auditor"] {
        let r = s.call(
            "POST",
            "/v1/access-review",
            Some(inst.key(role)),
            Some(&json!({"notes": "x"}).to_string()),
        );
        assert_eq!(r.status, 403, "{role}: {}", r.body);
        let r = s.call("GET", "/v1/access-review", Some(inst.key(role)), None);
        assert_eq!(r.status, 403, "{role}: {}", r.body);
    }
    let r = s.call(
        "POST",
        "/v1/access-review",
        Some(inst.key("dpo")),
        Some(&json!({"notes": "  "}).to_string()),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "notes");

    let notes = "Q4: disabled the departed intern's account, revoked the old CRM key";
    let r = s.call(
        "POST",
        "/v1/access-review",
        Some(inst.key("dpo")),
        Some(&json!({ "notes": notes }).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let recorded = r.json();
    let report = review(&inst);
    let dpo_key = key_of(&report, "dpo")["id"].as_str().unwrap().to_owned();
    assert_eq!(report["reviews"][0]["notes"], notes);
    assert_eq!(
        report["reviews"][0]["reviewed_by"],
        format!("apikey:{dpo_key}")
    );
    let at = instant(&recorded["reviewed_at"]);
    let due = instant(&report["review_due_at"]);
    assert_eq!(due.time(), at.time());
    assert_eq!(
        (due.year() * 12 + i32::from(u8::from(due.month())))
            - (at.year() * 12 + i32::from(u8::from(at.month()))),
        3,
        "due three months after the review: {at} -> {due}"
    );
    assert_eq!(report["review_due"], false);

    // The audit log has the review, without its notes.
    let audit = s
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None)
        .json();
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "access_review.record" && e["outcome"] == "ok")
        .unwrap_or_else(|| panic!("no access_review.record in {audit}"));
    assert!(!entry.to_string().contains("intern"), "{entry}");

    // Four months later it is due.
    inst.stop();
    let id = recorded["id"].as_str().unwrap();
    let shifted = at - time::Duration::days(124);
    let shifted_us = i64::try_from(shifted.unix_timestamp_nanos() / 1000).unwrap();
    sqlite_query(
        &db(&inst),
        &format!(
            "UPDATE access_reviews SET reviewed_at_us = {shifted_us} WHERE id = '{id}'; SELECT 1"
        ),
    );
    inst.start();
    let report = review(&inst);
    assert_eq!(report["review_due"], true, "{report}");
}

#[test]
fn the_admin_manages_staff_and_keys_through_the_api() {
    let inst = install(None);
    let s = inst.server();
    let admin = Some(inst.key("admin"));
    // Not the DPO: staff administration is the admin's.
    let body = json!({"email": "new.dpo@example.org", "role": "dpo"}).to_string();
    let r = s.call(
        "POST",
        "/v1/staff/users",
        Some(inst.key("dpo")),
        Some(&body),
    );
    assert_eq!(r.status, 403, "{}", r.body);

    let r = s.call("POST", "/v1/staff/users", admin, Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    let added = r.json();
    let id = added["user"]["id"].as_str().unwrap().to_owned();
    let password = added["password"].as_str().unwrap().to_owned();
    assert!(!r.body.contains("argon2"), "no hash in the answer");
    let r = s.call("POST", "/v1/staff/users", admin, Some(&body));
    assert_eq!(r.status, 422, "the same e-mail twice: {}", r.body);
    let bad = json!({"email": "x@example.org", "role": "emperor"}).to_string();
    assert_eq!(
        s.call("POST", "/v1/staff/users", admin, Some(&bad)).status,
        422
    );

    let login = |pw: &str| sign_in(s, "new.dpo@example.org", pw);
    assert_eq!(login(&password), 303);
    // The sign-in is the account's last use in the review.
    let report = review(&inst);
    let signed_in = report["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id.as_str())
        .unwrap();
    assert!(signed_in["last_sign_in"].is_string(), "{report}");

    let r = s.call(
        "POST",
        &format!("/v1/staff/users/{id}/disable"),
        admin,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["disabled_at"].is_string());
    assert_ne!(login(&password), 303, "a disabled account cannot sign in");
    let r = s.call("POST", &format!("/v1/staff/users/{id}/enable"), admin, None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["disabled_at"].is_null());
    assert_eq!(
        s.call("POST", "/v1/staff/users/nobody/disable", admin, None)
            .status,
        404
    );
    let users = s.call("GET", "/v1/staff/users", admin, None).json();
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == id.as_str())
    );
    assert!(!users.to_string().contains("password"));

    // A key: its secret once, working at once, and no more once revoked.
    let r = s.call(
        "POST",
        "/v1/staff/api-keys",
        admin,
        Some(&json!({"name": "audit export", "role": "auditor"}).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let secret = created["key"].as_str().unwrap().to_owned();
    let key_id = created["api_key"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        s.call("GET", "/v1/audit?limit=1", Some(&secret), None)
            .status,
        200
    );
    let keys = s.call("GET", "/v1/staff/api-keys", admin, None);
    assert_eq!(keys.status, 200);
    assert!(
        !keys.body.contains(&secret),
        "a listing never repeats a secret"
    );
    let r = s.call(
        "DELETE",
        &format!("/v1/staff/api-keys/{key_id}"),
        admin,
        None,
    );
    assert_eq!(r.status, 204, "{}", r.body);
    // Revocation clears this instance's credential cache at once.
    assert_eq!(
        s.call("GET", "/v1/audit?limit=1", Some(&secret), None)
            .status,
        401
    );
    assert_eq!(
        s.call("DELETE", "/v1/staff/api-keys/nope", admin, None)
            .status,
        404
    );

    // Each change is audited under the admin key's name.
    let audit = s
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None)
        .json();
    for action in [
        "staff.add",
        "staff.disable",
        "staff.enable",
        "apikey.create",
        "apikey.revoke",
    ] {
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == action
                    && e["outcome"] == "ok"
                    && e["principal"].as_str().unwrap().starts_with("apikey:")),
            "{action} not audited"
        );
    }
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "staff.add" && e["outcome"] == "denied"),
        "the DPO's refused attempt is audited"
    );
}

/// Signs in through the login form (with its CSRF cookie); the status of the post.
fn sign_in(s: &crate::support::Server, email: &str, password: &str) -> u16 {
    let page = s.get("/login");
    let cookie = page.cookie("custodia_login_csrf").unwrap();
    let csrf = cookie.split_once('=').unwrap().1.to_owned();
    crate::support::post_form(
        &s.url("/login"),
        &cookie,
        &format!(
            "email={}&password={}&csrf={csrf}",
            crate::support::form_encode(email),
            crate::support::form_encode(password)
        ),
    )
    .status
}
