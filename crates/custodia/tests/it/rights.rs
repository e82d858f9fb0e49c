//! Data-subject rights end to end, through the real binary, a real SMTP server and a
//! real webhook receiver on 127.0.0.1: submit, read the code from the received
//! e-mail, verify, process, and check the effect.

use crate::install::{Install, install_with_config};
use crate::support::smtp::SmtpServer;
use crate::support::webhook::{Delivery, WebhookReceiver};
use crate::support::{Response, request};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The server under test runs on the system clock, so these checks read it too.
#[allow(clippy::disallowed_methods)]
fn wall_clock() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// An e-mail as the requester reads it.
pub(crate) struct Letter {
    pub(crate) subject: String,
    pub(crate) text: String,
}

/// The SMTP server, driven from these synchronous tests through its own runtime.
pub(crate) struct Mailbox {
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) server: SmtpServer,
}

impl Mailbox {
    pub(crate) fn start() -> Mailbox {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(SmtpServer::start());
        Mailbox { runtime, server }
    }

    /// The next letter to `to` that matches, skipping (and consuming) the others.
    pub(crate) fn wait_for(&self, to: &str, matches: impl Fn(&Letter) -> bool) -> Letter {
        loop {
            let m = self.runtime.block_on(self.server.wait_for(to, WAIT));
            let letter = Letter {
                subject: m.header("subject").unwrap_or_default(),
                text: m.text(),
            };
            if matches(&letter) {
                return letter;
            }
        }
    }
}

pub(crate) struct Hooks {
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) receiver: WebhookReceiver,
}

impl Hooks {
    pub(crate) fn start() -> Hooks {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let receiver = runtime.block_on(WebhookReceiver::start());
        Hooks { runtime, receiver }
    }

    pub(crate) fn wait_for(&self, n: usize) -> Vec<Delivery> {
        self.runtime.block_on(self.receiver.wait_for(n, WAIT))
    }
}

const WEBHOOK_SECRET: &str = "whsec-test-0123456789";

pub(crate) struct Desk {
    pub(crate) install: Install,
    pub(crate) mail: Mailbox,
    pub(crate) hooks: Hooks,
}

/// An installation whose e-mails go to a local SMTP server and whose Art. 19
/// notices to `crisp` go to a local webhook receiver.
pub(crate) fn desk() -> Desk {
    desk_with(|_| {})
}

pub(crate) fn desk_with(edit_register: impl FnOnce(&mut String)) -> Desk {
    desk_with_config("", edit_register)
}

/// [`desk_with`] with `extra` appended to config.toml.
pub(crate) fn desk_with_config(extra: &str, edit_register: impl FnOnce(&mut String)) -> Desk {
    let mail = Mailbox::start();
    let hooks = Hooks::start();
    let config = format!(
        "[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"Pivoine <privacy@pivoine.example>\"\n\n\
         [rights.recipients.crisp.webhook]\nurl = \"{}\"\nsecret = \"{WEBHOOK_SECRET}\"\n\n\
         [rights.recipients.mailjet.email]\naddress = \"dpo@mailjet.example\"\n",
        mail.server.addr.port(),
        hooks.receiver.url("/custodia"),
    ) + extra;
    let install = install_with_config(&config, edit_register);
    Desk {
        install,
        mail,
        hooks,
    }
}

impl Desk {
    pub(crate) fn call(
        &self,
        method: &str,
        path: &str,
        role: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let key = role.map(|r| self.install.key(r));
        let body = body.map(|b| b.to_string());
        self.install
            .server()
            .call(method, path, key, body.as_deref())
    }

    pub(crate) fn create(&self, kind: &str, data: Value) -> String {
        let r = self.call(
            "POST",
            "/v1/subjects",
            Some("dpo"),
            Some(json!({"kind": kind, "data": data})),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    }

    /// Submits through the public API, reads the code from the e-mail and enters it.
    pub(crate) fn submit_verified(&self, body: Value) -> String {
        let email = body["email"].as_str().unwrap().to_owned();
        let r = self.call("POST", "/v1/requests", None, Some(body));
        assert_eq!(r.status, 202, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let code = self.code_for(&email);
        let r = self.call(
            "POST",
            &format!("/v1/requests/{id}/verify"),
            None,
            Some(json!({"code": code})),
        );
        assert_eq!(r.status, 204, "{}", r.body);
        id
    }

    pub(crate) fn code_for(&self, email: &str) -> String {
        self.code_letter(email).1
    }

    pub(crate) fn code_letter(&self, email: &str) -> (Letter, String) {
        let letter = self.mail.wait_for(email, |m| m.subject.contains("code"));
        let code = letter
            .text
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap_or_else(|| panic!("no code in {}", letter.text))
            .to_owned();
        (letter, code)
    }

    pub(crate) fn step(&self, id: &str, role: &str, body: Value) -> Response {
        self.call(
            "POST",
            &format!("/v1/requests/{id}/steps"),
            Some(role),
            Some(body),
        )
    }

    pub(crate) fn complete(&self, id: &str, role: &str) {
        let r = self.step(id, role, json!({"action": "complete"}));
        assert_eq!(r.status, 204, "{}", r.body);
    }

    /// The JSON package of the access request just completed for `email`, from
    /// the link of its letter.
    pub(crate) fn json_package(&self, email: &str) -> Value {
        let letter = self.mail.wait_for(email, |m| m.text.contains("/download/"));
        let json_url = links(&letter.text)
            .into_iter()
            .find(|u| letter.text.contains(&format!("JSON: {u}")))
            .unwrap();
        press_download(&self.install.reach(&json_url)).json()
    }

    /// The details of the audit entries of `action`, newest first.
    pub(crate) fn audit_details(&self, action: &str) -> Vec<String> {
        self.call("GET", "/v1/audit?limit=1000", Some("dpo"), None)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .map(|e| e["detail"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub(crate) fn request(&self, id: &str) -> Value {
        let r = self.call("GET", &format!("/v1/requests/{id}"), Some("dpo"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    pub(crate) fn decision(&self, subject: &str, purpose: &str) -> Value {
        let r = self.call(
            "GET",
            &format!("/v1/decisions?subject_id={subject}&purpose={purpose}"),
            Some("dpo"),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    pub(crate) fn consent(&self, subject: &str, purpose: &str, state: &str) {
        let r = self.call(
            "POST",
            "/v1/consents",
            Some("dpo"),
            Some(json!({"subject_id": subject, "purpose": purpose, "state": state, "method": "form"})),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
}

/// Presses a download page's button: the POST that uses the one-time link.
pub(crate) fn press_download(url: &str) -> Response {
    request(
        "POST",
        url,
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(""),
    )
}

pub(crate) fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("http") && w.contains("/download/"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn access_through_the_portal_delivers_a_one_time_package() {
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "ana@example.org", "user.name.first": "Ana", "user.name.last": "Lima"}),
    );
    for event in ["account_opened", "last_connection", "transaction"] {
        let r = d.call(
            "POST",
            &format!("/v1/subjects/{subject}/events"),
            Some("dpo"),
            Some(json!({"event": event})),
        );
        assert_eq!(r.status, 204, "{}", r.body);
    }
    let server = d.install.server();
    // The portal form, in French, then the code page.
    let page = server.get("/portal?lang=fr");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("lang=\"fr\""), "{}", page.body);
    assert!(page.body.contains("Exercer vos droits"));
    let r = request(
        "POST",
        &server.url("/portal"),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("kind=access&email=Ana%40Example.org&language=fr&details="),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    let (letter, code) = d.code_letter("ana@example.org");
    assert!(
        letter.subject.contains("code de confirmation"),
        "{}",
        letter.subject
    );
    let r = request(
        "POST",
        &server.url(&location),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(&format!("code={code}")),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Demande confirmée"), "{}", r.body);
    let id = location
        .trim_start_matches("/portal/requests/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // Staff see it with its deadline, then complete it as `support` (a handler).
    let list = d.call("GET", "/v1/requests?open=true", Some("support"), None);
    assert_eq!(list.status, 200, "{}", list.body);
    let listed = &list.json()["requests"][0];
    assert_eq!(listed["id"], id.as_str());
    assert_eq!(listed["status"], "verified");
    assert!(listed["due_at"].as_str().unwrap() > listed["received_at"].as_str().unwrap());
    assert_eq!(
        d.call("GET", "/v1/requests", Some("sales"), None).status,
        403
    );
    assert_eq!(d.call("GET", "/v1/requests", None, None).status, 401);
    d.complete(&id, "support");
    let letter = d
        .mail
        .wait_for("ana@example.org", |m| m.text.contains("/download/"));
    let urls = links(&letter.text);
    assert_eq!(urls.len(), 3, "{}", letter.text);
    let json_url = urls
        .iter()
        .find(|u| letter.text.contains(&format!("JSON: {u}")))
        .unwrap();
    let package = press_download(&d.install.reach(json_url));
    assert_eq!(package.status, 200, "{}", package.body);
    let doc = package.json();
    assert_eq!(doc["subjects"][0]["data"]["user.name.first"], "Ana");
    assert_eq!(doc["subjects"][0]["events"].as_array().unwrap().len(), 3);
    assert!(
        doc["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "payments")
    );
    assert!(!doc["recipients"].as_array().unwrap().is_empty());
    assert!(!doc["retention"].as_array().unwrap().is_empty());
    // One time only.
    assert_eq!(press_download(&d.install.reach(json_url)).status, 404);
    let csv_url = urls
        .iter()
        .find(|u| letter.text.contains(&format!("CSV: {u}")))
        .unwrap();
    let csv = press_download(&d.install.reach(csv_url));
    assert!(
        csv.body.contains("data,") && csv.body.contains("Lima"),
        "{}",
        csv.body
    );
    assert_eq!(d.request(&id)["status"], "completed");
}

#[test]
fn erasure_shreds_and_notifies_recipients_by_signed_webhook() {
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "bo@example.org", "user.name.first": "Bo"}),
    );
    let r = d.call(
        "POST",
        &format!("/v1/subjects/{subject}/disclosures"),
        Some("dpo"),
        Some(json!({"recipient": "crisp", "categories": ["user.contact.email"], "purpose": "live_chat"})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = d.submit_verified(json!({"kind": "erasure", "email": "bo@example.org"}));
    // Not staff yet: `sales` may not complete it.
    assert_eq!(
        d.step(&id, "sales", json!({"action": "complete"})).status,
        403
    );
    d.complete(&id, "dpo");
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
            .status,
        410
    );
    let hook = d.hooks.wait_for(1).remove(0);
    assert_eq!(hook.header("custodia-event"), Some("erasure"));
    assert!(custodia_notify::verify_signature(
        WEBHOOK_SECRET.as_bytes(),
        hook.header("custodia-signature").unwrap(),
        &hook.body,
        wall_clock().unix_timestamp(),
        300
    ));
    let payload: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(payload["event"], "erasure");
    assert_eq!(payload["subject_id"], subject.as_str());
    let letter = d
        .mail
        .wait_for("bo@example.org", |m| m.subject.contains("erased"));
    assert!(letter.text.contains("Crisp"), "{}", letter.text);
    let deliveries = d.call(
        "GET",
        &format!("/v1/requests/{id}/deliveries"),
        Some("dpo"),
        None,
    );
    let list = deliveries.json()["deliveries"].as_array().unwrap().clone();
    assert!(
        list.iter()
            .any(|x| x["recipient"] == "crisp" && x["channel"] == "webhook"),
        "{list:?}"
    );
}

#[test]
fn restriction_blocks_every_decision_until_lifted_after_telling_the_subject() {
    let d = desk();
    let subject = d.create("customer", json!({"user.contact.email": "cy@example.org"}));
    d.consent(&subject, "newsletter", "given");
    assert_eq!(d.decision(&subject, "newsletter")["allowed"], true);
    let id = d.submit_verified(json!({"kind": "restriction", "email": "cy@example.org"}));
    d.complete(&id, "dpo");
    for purpose in ["newsletter", "payments", "security"] {
        let answer = d.decision(&subject, purpose);
        assert_eq!(answer["allowed"], false, "{purpose}: {answer}");
        assert_eq!(answer["reason"], "restricted");
    }
    let r = d.step(&id, "dpo", json!({"action": "lift_restriction"}));
    assert_eq!(r.status, 204, "{}", r.body);
    d.mail
        .wait_for("cy@example.org", |m| m.subject.contains("restriction"));
    assert_eq!(d.decision(&subject, "newsletter")["allowed"], true);
}

#[test]
fn objection_to_marketing_suppresses_a_later_import_of_the_same_address() {
    let d = desk();
    let subject = d.create("customer", json!({"user.contact.email": "di@example.org"}));
    d.consent(&subject, "newsletter", "given");
    assert_eq!(
        d.decision(&subject, "customer_prospecting")["allowed"],
        true
    );
    // Objection and withdrawal complete themselves once the address is verified.
    let id = d.submit_verified(json!({"kind": "objection", "email": "di@example.org"}));
    assert_eq!(d.request(&id)["status"], "completed");
    let answer = d.decision(&subject, "customer_prospecting");
    assert_eq!(answer["allowed"], false, "{answer}");
    assert_eq!(answer["reason"], "on_opposition_list");
    // Erased, then imported again: still suppressed, while non-marketing is allowed.
    assert_eq!(
        d.call(
            "DELETE",
            &format!("/v1/subjects/{subject}"),
            Some("dpo"),
            None
        )
        .status,
        204
    );
    let again = d.create("customer", json!({"user.contact.email": "DI@example.org"}));
    assert_eq!(
        d.decision(&again, "customer_prospecting")["reason"],
        "on_opposition_list"
    );
    assert_eq!(d.decision(&again, "payments")["allowed"], true);
    let batch = d.call(
        "POST",
        "/v1/decisions/batch",
        Some("dpo"),
        Some(json!({"purpose": "customer_prospecting", "emails": ["di@example.org"]})),
    );
    assert_eq!(batch.status, 200, "{}", batch.body);
    assert!(!batch.body.contains(&again), "{}", batch.body);
}

#[test]
fn withdrawal_rectification_and_opt_out_take_effect() {
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "ed@example.org", "user.name.last": "Smoth"}),
    );
    d.consent(&subject, "newsletter", "given");
    d.consent(&subject, "remarketing", "given");
    let id = d.submit_verified(
        json!({"kind": "withdraw_consent", "email": "ed@example.org", "purposes": ["newsletter"]}),
    );
    assert_eq!(d.request(&id)["status"], "completed");
    assert_eq!(
        d.decision(&subject, "newsletter")["reason"],
        "consent_withdrawn"
    );
    assert_eq!(d.decision(&subject, "remarketing")["allowed"], true);
    // California opt-out needs no code.
    let r = d.call(
        "POST",
        "/v1/requests",
        None,
        Some(json!({"kind": "california_opt_out", "email": "ed@example.org"})),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(
        d.decision(&subject, "remarketing")["reason"],
        "consent_refused"
    );
    // Rectification applies the change.
    let id = d.submit_verified(json!({"kind": "rectification", "email": "ed@example.org",
        "changes": {"user.name.last": "Smith"}}));
    d.complete(&id, "support");
    let s = d
        .call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
        .json();
    assert_eq!(s["data"]["user.name.last"], "Smith");
}

#[test]
fn codes_expire_after_too_many_wrong_attempts_and_bad_input_names_the_field() {
    let d = desk();
    let r = d.call(
        "POST",
        "/v1/requests",
        None,
        Some(json!({"kind": "access", "email": "not-an-address"})),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("email"), "{}", r.body);
    let r = d.call(
        "POST",
        "/v1/requests",
        None,
        Some(json!({"kind": "complaint", "email": "f@example.org"})),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("kind"), "{}", r.body);
    let r = d.call(
        "POST",
        "/v1/requests",
        None,
        Some(json!({"kind": "access", "email": "f@example.org"})),
    );
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let code = d.code_for("f@example.org");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let r = d.call(
            "POST",
            &format!("/v1/requests/{id}/verify"),
            None,
            Some(json!({"code": wrong})),
        );
        assert_eq!(r.status, 422, "{}", r.body);
    }
    let r = d.call(
        "POST",
        &format!("/v1/requests/{id}/verify"),
        None,
        Some(json!({"code": code})),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(d.request(&id)["status"], "received");
}

#[test]
fn extension_refusal_and_identity_document_follow_the_rules() {
    let d = desk();
    d.create("customer", json!({"user.contact.email": "gi@example.org"}));
    let id = d.submit_verified(json!({"kind": "access", "email": "gi@example.org"}));
    let before = d.request(&id)["due_at"].as_str().unwrap().to_owned();
    assert_eq!(d.step(&id, "dpo", json!({"action": "extend"})).status, 422);
    let r = d.step(
        &id,
        "dpo",
        json!({"action": "extend", "reason": "many records to gather"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let view = d.request(&id);
    assert_eq!(view["status"], "extended");
    assert!(view["due_at"].as_str().unwrap() > before.as_str());
    let letter = d.mail.wait_for("gi@example.org", |m| {
        m.text.contains("many records to gather")
    });
    assert!(letter.subject.contains("more time"), "{}", letter.subject);
    assert_eq!(
        d.step(&id, "dpo", json!({"action": "extend", "reason": "again"}))
            .status,
        409
    );
    // Doubt: an ID document is asked, stored sealed, deleted once identity is confirmed.
    let r = d.step(
        &id,
        "dpo",
        json!({"action": "doubt", "note": "the address was created yesterday"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    d.mail
        .wait_for("gi@example.org", |m| m.text.contains("/document"));
    let pdf = "%PDF-1.4 identity card of Gi";
    let r = request(
        "PUT",
        &d.install
            .server()
            .url(&format!("/v1/requests/{id}/document")),
        &[("content-type", "application/pdf")],
        Some(pdf),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let doc = d.call(
        "GET",
        &format!("/v1/requests/{id}/document"),
        Some("dpo"),
        None,
    );
    assert_eq!(doc.body, pdf);
    assert_eq!(d.request(&id)["has_id_document"], true);
    let r = d.step(&id, "dpo", json!({"action": "confirm_identity"}));
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(d.request(&id)["has_id_document"], false);
    assert_eq!(
        d.call(
            "GET",
            &format!("/v1/requests/{id}/document"),
            Some("dpo"),
            None
        )
        .status,
        404
    );
    // Refusal as manifestly unfounded keeps the justification and names the remedies.
    let r = d.step(
        &id,
        "dpo",
        json!({"action": "refuse", "reasons": "the same request every day",
        "justification": "thirty identical requests this month"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let view = d.request(&id);
    assert_eq!(view["status"], "refused");
    assert_eq!(
        view["refusal"]["unfounded"],
        "thirty identical requests this month"
    );
    let letter = d.mail.wait_for("gi@example.org", |m| {
        m.text.contains("the same request every day")
    });
    assert!(
        letter.text.contains("CNIL") || letter.text.contains("supervisory"),
        "{}",
        letter.text
    );
    assert_eq!(
        d.step(&id, "dpo", json!({"action": "complete"})).status,
        409
    );
}

#[test]
fn shine_the_light_lists_last_years_marketing_recipients_once_a_year() {
    let d = desk_with(|register| {
        *register = register.replacen(
            "id = \"linkedin\"\n",
            "id = \"linkedin\"\ndirect_marketing_use = true\n",
            1,
        );
    });
    let subject = d.create("customer", json!({"user.contact.email": "hu@example.org"}));
    let last_year = wall_clock().year() - 1;
    for (recipient, year) in [
        ("linkedin", last_year),
        ("linkedin", last_year - 1),
        ("crisp", last_year),
    ] {
        let r = d.call(
            "POST",
            &format!("/v1/subjects/{subject}/disclosures"),
            Some("dpo"),
            Some(
                json!({"recipient": recipient, "categories": ["user.contact.email"],
                "purpose": "custom_audience", "at": format!("{year}-06-01T00:00:00Z")}),
            ),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let id = d.submit_verified(json!({"kind": "shine_the_light", "email": "hu@example.org"}));
    d.complete(&id, "dpo");
    let letter = d.mail.wait_for("hu@example.org", |m| {
        m.text.contains(&last_year.to_string())
    });
    assert!(letter.text.contains("LinkedIn"), "{}", letter.text);
    assert!(!letter.text.contains("Crisp"), "{}", letter.text);
    assert_eq!(
        letter.text.matches("LinkedIn").count(),
        1,
        "{}",
        letter.text
    );
    let again = d.submit_verified(json!({"kind": "shine_the_light", "email": "hu@example.org"}));
    assert_eq!(
        d.step(&again, "dpo", json!({"action": "complete"})).status,
        409
    );
}

#[test]
fn post_mortem_directive_is_carried_out_by_the_named_person_only() {
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "jo@example.org", "user.name.first": "Jo"}),
    );
    let id = d.submit_verified(json!({"kind": "post_mortem", "email": "jo@example.org",
        "directive": {"action": "record", "instructions": "erase", "other_email": "kim@example.org"}}));
    d.complete(&id, "dpo");
    // Someone else cannot carry it out.
    let other = d.submit_verified(json!({"kind": "post_mortem", "email": "lee@example.org",
        "directive": {"action": "execute", "other_email": "jo@example.org"}}));
    assert_eq!(
        d.step(&other, "dpo", json!({"action": "complete"})).status,
        409
    );
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
            .status,
        200
    );
    let exec = d.submit_verified(json!({"kind": "post_mortem", "email": "kim@example.org",
        "directive": {"action": "execute", "other_email": "jo@example.org"}}));
    d.complete(&exec, "dpo");
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
            .status,
        410
    );
    // Carried out once: a second execution finds nothing.
    let twice = d.submit_verified(json!({"kind": "post_mortem", "email": "kim@example.org",
        "directive": {"action": "execute", "other_email": "jo@example.org"}}));
    assert_eq!(
        d.step(&twice, "dpo", json!({"action": "complete"})).status,
        409
    );
}

#[test]
fn portability_exports_only_provided_data_on_consent_or_contract() {
    let d = desk();
    d.create(
        "customer",
        json!({"user.contact.email": "mo@example.org", "user.name.first": "Mo", "user.financial.risk_score": "12"}),
    );
    let id = d.submit_verified(json!({"kind": "portability", "email": "mo@example.org"}));
    d.complete(&id, "dpo");
    let letter = d
        .mail
        .wait_for("mo@example.org", |m| m.text.contains("/download/"));
    let urls = links(&letter.text);
    let json_url = urls
        .iter()
        .find(|u| letter.text.contains(&format!("JSON: {u}")))
        .unwrap();
    let doc = press_download(&d.install.reach(json_url)).json();
    let data = &doc["subjects"][0]["data"];
    assert_eq!(data["user.name.first"], "Mo");
    assert!(data.get("user.financial.risk_score").is_none(), "{doc}");
    assert!(doc.get("purposes").is_none());
}

#[test]
fn california_requests_get_45_days_and_the_same_effects() {
    let d = desk();
    let subject = d.create(
        "customer",
        json!({"user.contact.email": "ny@example.org", "user.name.last": "Doe"}),
    );
    let know = d.submit_verified(json!({"kind": "california_know", "email": "ny@example.org"}));
    let view = d.request(&know);
    let received = time::OffsetDateTime::parse(
        view["received_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let due = time::OffsetDateTime::parse(
        view["due_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(
        due.date(),
        received.date() + time::Duration::days(45),
        "{view}"
    );
    // Assigning tells the requester the request is being handled.
    let r = d.step(&know, "support", json!({"action": "assign"}));
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(d.request(&know)["status"], "in_progress");
    d.mail
        .wait_for("ny@example.org", |m| m.subject.contains("working on"));
    d.complete(&know, "support");
    d.mail
        .wait_for("ny@example.org", |m| m.text.contains("/download/"));
    let correct = d.submit_verified(
        json!({"kind": "california_correct", "email": "ny@example.org",
        "changes": {"user.name.last": "Roe"}}),
    );
    d.complete(&correct, "dpo");
    let s = d
        .call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
        .json();
    assert_eq!(s["data"]["user.name.last"], "Roe");
    let delete = d.submit_verified(json!({"kind": "california_delete", "email": "ny@example.org"}));
    d.complete(&delete, "dpo");
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
            .status,
        410
    );
}

#[test]
fn a_revoked_post_mortem_directive_is_not_carried_out() {
    let d = desk();
    let subject = d.create("customer", json!({"user.contact.email": "pa@example.org"}));
    let record = d.submit_verified(json!({"kind": "post_mortem", "email": "pa@example.org",
        "directive": {"action": "record", "instructions": "erase", "other_email": "qi@example.org"}}));
    d.complete(&record, "dpo");
    let revoke = d.submit_verified(json!({"kind": "post_mortem", "email": "pa@example.org",
        "directive": {"action": "revoke"}}));
    d.complete(&revoke, "dpo");
    assert!(
        d.request(&revoke)["outcome"]
            .as_str()
            .unwrap()
            .starts_with("1 directive")
    );
    let exec = d.submit_verified(json!({"kind": "post_mortem", "email": "qi@example.org",
        "directive": {"action": "execute", "other_email": "pa@example.org"}}));
    assert_eq!(
        d.step(&exec, "dpo", json!({"action": "complete"})).status,
        409
    );
    assert_eq!(
        d.call("GET", &format!("/v1/subjects/{subject}"), Some("dpo"), None)
            .status,
        200
    );
}

#[test]
fn a_failed_webhook_is_retried_with_the_same_delivery_id() {
    let d = desk();
    d.hooks.receiver.fail_next(1, 503);
    let subject = d.create("customer", json!({"user.contact.email": "ro@example.org"}));
    let r = d.call(
        "POST",
        &format!("/v1/subjects/{subject}/disclosures"),
        Some("dpo"),
        Some(json!({"recipient": "crisp", "categories": ["user.contact.email"], "purpose": "live_chat"})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = d.submit_verified(json!({"kind": "erasure", "email": "ro@example.org"}));
    d.complete(&id, "dpo");
    // The first answer is 503; the retry comes after the first backoff step (30 s).
    let runtime = &d.hooks.runtime;
    let both = runtime.block_on(d.hooks.receiver.wait_for(2, Duration::from_secs(90)));
    assert_eq!(both[0].status, 503);
    assert_eq!(
        both[1].header("custodia-delivery"),
        both[0].header("custodia-delivery")
    );
    // The outbox records the delivery just after the receiver answered.
    let mut hook = Value::Null;
    for _ in 0..50 {
        let list = d
            .call(
                "GET",
                &format!("/v1/requests/{id}/deliveries"),
                Some("dpo"),
                None,
            )
            .json();
        hook = list["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["channel"] == "webhook")
            .unwrap()
            .clone();
        if hook["status"] == "delivered" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(hook["status"], "delivered", "{hook}");
    assert_eq!(hook["attempts"], 2, "{hook}");
}
