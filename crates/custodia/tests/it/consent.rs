//! Consent over HTTP through the real binary: the banner's public endpoint, the API,
//! decisions, withdrawal links, proof exports, a restart, and a SIGKILL in the middle
//! of concurrent writes.

use crate::install::install;
use crate::support::{Server, request, try_request};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The configuration version inlined in the served banner script.
pub fn banner_version(s: &Server) -> String {
    let script = s.get("/banner.js").body;
    let start = script
        .find("\"version\":\"")
        .expect("banner.js carries its version")
        + 11;
    script[start..start + 12].to_owned()
}

/// The same text with its last hex digit changed: a signature that no longer holds.
fn tamper(signed: &str) -> String {
    let mut forged = signed.to_owned();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    forged
}

fn post_banner(s: &Server, body: &Value, headers: &[(&str, &str)]) -> crate::support::Response {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    request(
        "POST",
        &s.url("/v1/banner/consents"),
        &all,
        Some(&body.to_string()),
    )
}

pub(crate) fn create(s: &Server, key: &str, kind: &str, email: &str) -> String {
    let body = json!({"kind": kind, "data": {"user.contact.email": email}}).to_string();
    let r = s.call("POST", "/v1/subjects", Some(key), Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

pub(crate) fn consent(s: &Server, key: &str, body: Value) -> crate::support::Response {
    s.call("POST", "/v1/consents", Some(key), Some(&body.to_string()))
}

pub(crate) fn decision(s: &Server, key: &str, subject: &str, purpose: &str) -> Value {
    let r = s.call(
        "GET",
        &format!("/v1/decisions?subject_id={subject}&purpose={purpose}"),
        Some(key),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[test]
fn banner_choices_are_recorded_with_their_proof() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let version = banner_version(s);
    let script = s.get("/banner.js");
    assert_eq!(script.header("access-control-allow-origin"), Some("*"));
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    let etag = script.header("etag").unwrap().to_owned();
    assert_eq!(
        s.get_with("/banner.js", &[("if-none-match", &etag)]).status,
        304
    );

    let preflight = request(
        "OPTIONS",
        &s.url("/v1/banner/consents"),
        &[
            ("origin", "https://shop.example"),
            ("access-control-request-method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));

    let choices = json!([{"purpose": "analytics", "state": "given"}, {"purpose": "remarketing", "state": "given"}, {"purpose": "analytics", "service": "mixpanel", "state": "refused"}]);
    let r = post_banner(
        s,
        &json!({"visitor_id": null, "banner_version": version, "lang": "fr", "choices": choices}),
        &[("sec-gpc", "1"), ("user-agent", "BannerTest/1.0")],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let answer = r.json();
    assert_eq!(
        answer["states"]["remarketing"], "refused",
        "Sec-GPC refuses advertising"
    );
    assert_eq!(answer["states"]["analytics"], "given");
    assert_eq!(answer["states"]["analytics/mixpanel"], "refused");
    let visitor = answer["visitor_id"].as_str().unwrap().to_owned();

    let history = s
        .call(
            "GET",
            &format!("/v1/visitors/{visitor}/consents"),
            Some(dpo),
            None,
        )
        .json();
    let records = history["records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    for r in records {
        assert_eq!(r["method"], "banner");
        assert_eq!(r["gpc"], true);
        assert_eq!(
            r["ip_prefix"], "127.0.0.0/24",
            "the address is cut to its network"
        );
        assert_eq!(r["user_agent"], "BannerTest/1.0");
        assert_eq!(r["banner_version"], version);
        assert_eq!(r["policy_version"], 1);
        assert_eq!(r["text_sha256"].as_str().unwrap().len(), 64);
        assert_eq!(r["recorded_by"], "visitor");
    }
    assert_eq!(history["current"].as_array().unwrap().len(), 3);

    // The same visitor changes its mind; the id is kept.
    let r = post_banner(
        s,
        &json!({"visitor_id": visitor, "banner_version": version, "choices": [{"purpose": "analytics", "state": "refused"}]}),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["visitor_id"], visitor.as_str());

    // Only this banner's ids, its current version, its purposes and its two states.
    let forged = tamper(&visitor);
    let cases = [
        (
            json!({"visitor_id": forged, "banner_version": version, "choices": [{"purpose": "analytics", "state": "given"}]}),
            400,
            "visitor_id",
        ),
        (
            json!({"visitor_id": "made-up", "banner_version": version, "choices": [{"purpose": "analytics", "state": "given"}]}),
            400,
            "visitor_id",
        ),
        (
            json!({"visitor_id": null, "banner_version": "000000000000", "choices": [{"purpose": "analytics", "state": "given"}]}),
            409,
            "banner_version",
        ),
        (
            json!({"visitor_id": null, "banner_version": version, "choices": [{"purpose": "newsletter", "state": "given"}]}),
            422,
            "choices[0].purpose",
        ),
        (
            json!({"visitor_id": null, "banner_version": version, "choices": [{"purpose": "analytics", "state": "withdrawn"}]}),
            422,
            "choices[0].state",
        ),
        (
            json!({"visitor_id": null, "banner_version": version, "choices": [{"purpose": "analytics", "service": "stripe", "state": "given"}]}),
            422,
            "choices[0].service",
        ),
        (
            json!({"visitor_id": null, "banner_version": version, "choices": []}),
            422,
            "choices",
        ),
    ];
    for (body, status, field) in cases {
        let r = post_banner(s, &body, &[]);
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(
            r.json()["detail"].as_str().unwrap().starts_with(field),
            "{body}: {}",
            r.body
        );
    }
}

#[test]
fn the_banner_endpoint_is_rate_limited_per_address() {
    let inst = install(None);
    let s = inst.server();
    let version = banner_version(s);
    let body = json!({"visitor_id": null, "banner_version": version, "choices": [{"purpose": "analytics", "state": "refused"}]});
    let statuses: Vec<u16> = (0..40).map(|_| post_banner(s, &body, &[]).status).collect();
    let created = statuses.iter().filter(|&&c| c == 201).count();
    let limited = statuses.iter().filter(|&&c| c == 429).count();
    assert!(
        created >= 30 && limited >= 1 && created + limited == 40,
        "{statuses:?}"
    );
}

#[test]
fn consents_decisions_and_history_through_the_api() {
    let inst = install(None);
    let s = inst.server();
    let dpo_key = inst.key("dpo").to_owned();
    let dpo = dpo_key.as_str();
    let ann = create(s, dpo, "customer", "ann@example.org");
    assert_eq!(decision(s, dpo, &ann, "newsletter")["reason"], "no_consent");
    let r = consent(
        s,
        dpo,
        json!({"subject_id": ann, "purpose": "newsletter", "state": "given", "method": "form", "lang": "fr", "ip": "2001:db8:1:2::9", "user_agent": "App"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let record = &r.json()["records"][0];
    assert_eq!(record["ip_prefix"], "2001:db8:1::/48");
    assert_eq!(record["method"], "form");
    assert!(
        record["recorded_by"]
            .as_str()
            .unwrap()
            .starts_with("apikey:")
    );
    let d = decision(s, dpo, &ann, "newsletter");
    assert_eq!(
        (d["allowed"].clone(), d["reason"].clone()),
        (json!(true), json!("consent_given"))
    );

    let batch = s.call("POST", "/v1/decisions/batch", Some(dpo), Some(&json!({"purpose": "newsletter", "emails": ["ANN@example.org", "nobody@example.org"], "subject_ids": [ann]}).to_string())).json();
    assert_eq!(batch["allowed"], json!([ann, "ANN@example.org"]));
    assert_eq!(
        batch["denied"],
        json!([{"value": "nobody@example.org", "reason": "unknown_subject"}])
    );
    let bad = s.call(
        "POST",
        "/v1/decisions/batch",
        Some(dpo),
        Some(r#"{"purpose":"newsletter","emails":["not an e-mail"]}"#),
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("emails[0]")
    );

    // Several choices at once, then a withdrawal and an objection.
    let r = consent(
        s,
        dpo,
        json!({"subject_id": ann, "method": "api", "choices": [{"purpose": "newsletter", "state": "withdrawn"}, {"purpose": "customer_prospecting", "state": "refused"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        decision(s, dpo, &ann, "newsletter")["reason"],
        "consent_withdrawn"
    );
    assert_eq!(
        decision(s, dpo, &ann, "customer_prospecting")["reason"],
        "objected"
    );
    assert_eq!(decision(s, dpo, &ann, "payments")["reason"], "legal_basis");
    assert_eq!(
        s.call(
            "GET",
            &format!("/v1/decisions?subject_id={ann}&purpose=nope"),
            Some(dpo),
            None
        )
        .status,
        422
    );

    // Errors name the field.
    for (body, status, field) in [
        (
            json!({"subject_id": ann, "purpose": "nope", "state": "given", "method": "api"}),
            422,
            "choices[0].purpose",
        ),
        (
            json!({"subject_id": ann, "purpose": "newsletter", "state": "maybe", "method": "api"}),
            422,
            "choices[0].state",
        ),
        (
            json!({"subject_id": ann, "purpose": "newsletter", "state": "given", "method": "telepathy"}),
            422,
            "method",
        ),
        (
            json!({"subject_id": ann, "purpose": "newsletter", "state": "given", "method": "banner"}),
            422,
            "method",
        ),
        (
            json!({"visitor_id": "unsigned", "purpose": "newsletter", "state": "given", "method": "api"}),
            422,
            "visitor_id",
        ),
        (
            json!({"purpose": "newsletter", "state": "given", "method": "api"}),
            422,
            "subject_id",
        ),
        (
            json!({"subject_id": "no-such", "purpose": "newsletter", "state": "given", "method": "api"}),
            404,
            "no such",
        ),
        (
            json!({"subject_id": ann, "purpose": "newsletter", "state": "given", "method": "api", "text_sha256": "xyz"}),
            422,
            "text_sha256",
        ),
    ] {
        let r = consent(s, dpo, body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(
            r.json()["detail"].as_str().unwrap().starts_with(field),
            "{body}: {}",
            r.body
        );
    }

    // A child needs a parent's consent first.
    let kid = s
        .call(
            "POST",
            "/v1/subjects",
            Some(dpo),
            Some(r#"{"kind":"user","declared_age":12,"data":{}}"#),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        consent(
            s,
            dpo,
            json!({"subject_id": kid, "purpose": "newsletter", "state": "given", "method": "form"})
        )
        .status,
        403
    );
    assert_eq!(
        s.call(
            "POST",
            &format!("/v1/subjects/{kid}/parental-consent"),
            Some(dpo),
            None
        )
        .status,
        204
    );
    assert_eq!(
        consent(
            s,
            dpo,
            json!({"subject_id": kid, "purpose": "newsletter", "state": "given", "method": "form"})
        )
        .status,
        201
    );
    assert_eq!(decision(s, dpo, &kid, "newsletter")["allowed"], true);
    // A person who said they were an adult, reported as a child: consent-based
    // processing stops until a parent consents (and retention counts the delay).
    let teen = s
        .call(
            "POST",
            "/v1/subjects",
            Some(dpo),
            Some(r#"{"kind":"user","declared_age":30,"data":{}}"#),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let given =
        json!({"subject_id": teen, "purpose": "newsletter", "state": "given", "method": "form"});
    assert_eq!(consent(s, dpo, given).status, 201);
    assert_eq!(decision(s, dpo, &teen, "newsletter")["allowed"], true);
    let under_age = format!("/v1/subjects/{teen}/under-age");
    assert_eq!(s.call("POST", &under_age, Some(dpo), None).status, 204);
    let refused = decision(s, dpo, &teen, "newsletter");
    assert_eq!(
        (refused["allowed"].as_bool(), refused["reason"].as_str()),
        (Some(false), Some("child_without_parental_consent")),
        "{refused}"
    );
    let kid_again = format!("/v1/subjects/{kid}/under-age");
    assert_eq!(s.call("POST", &kid_again, Some(dpo), None).status, 422);

    // A banner visitor signs in: its choices count for the subject.
    let version = banner_version(s);
    let visitor = post_banner(s, &json!({"visitor_id": null, "banner_version": version, "choices": [{"purpose": "analytics", "state": "given"}]}), &[]).json()["visitor_id"].as_str().unwrap().to_owned();
    assert_eq!(decision(s, dpo, &ann, "analytics")["reason"], "no_consent");
    let link = s.call(
        "POST",
        &format!("/v1/visitors/{visitor}/link"),
        Some(dpo),
        Some(&json!({"subject_id": ann}).to_string()),
    );
    assert_eq!(link.status, 204, "{}", link.body);
    assert_eq!(
        decision(s, dpo, &ann, "analytics")["reason"],
        "consent_given"
    );

    let history = s
        .call(
            "GET",
            &format!("/v1/subjects/{ann}/consents"),
            Some(dpo),
            None,
        )
        .json();
    let states: Vec<(&str, &str)> = history["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["purpose"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        vec![
            ("newsletter", "given"),
            ("newsletter", "withdrawn"),
            ("customer_prospecting", "refused"),
            ("analytics", "given")
        ]
    );
    assert_eq!(history["visitors"], json!([visitor]));
    let current: Vec<&str> = history["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purpose"].as_str().unwrap())
        .collect();
    assert_eq!(
        current,
        vec!["analytics", "customer_prospecting", "newsletter"]
    );

    // Proof exports.
    let iso = s
        .call(
            "GET",
            &format!("/v1/subjects/{ann}/consents/export"),
            Some(dpo),
            None,
        )
        .json();
    assert_eq!(iso["header"]["subject"]["id"], ann.as_str());
    assert_eq!(iso["events"].as_array().unwrap().len(), 4);
    assert!(
        iso["processing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["purpose_id"] == "newsletter" && p["legal_basis"] == "consent")
    );
    assert!(iso["parties"]["controller"]["name"].is_string());
    let kantara = s
        .call(
            "GET",
            &format!("/v1/subjects/{ann}/consents/export?format=kantara"),
            Some(dpo),
            None,
        )
        .json();
    assert_eq!(kantara["version"], "KI-CR-v1.1.0");
    assert_eq!(kantara["piiPrincipalId"], ann.as_str());
    assert_eq!(
        s.call(
            "GET",
            &format!("/v1/subjects/{ann}/consents/export?format=pdf"),
            Some(dpo),
            None
        )
        .status,
        422
    );

    // Recording and reading are audited; decisions are not.
    let audit = s
        .call(
            "GET",
            &format!("/v1/audit?subject={ann}&limit=1000"),
            Some(dpo),
            None,
        )
        .json();
    let actions: HashSet<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "consent.record",
        "consent.read",
        "consent.export",
        "consent.link_visitor",
    ] {
        assert!(
            actions.contains(action),
            "{action} missing from {actions:?}"
        );
    }

    // After a restart the decisions are rebuilt from the store.
    let before: Vec<Value> = [
        "newsletter",
        "customer_prospecting",
        "analytics",
        "payments",
    ]
    .iter()
    .map(|p| decision(s, dpo, &ann, p))
    .collect();
    let mut inst = inst;
    inst.stop();
    inst.start();
    let s = inst.server();
    let after: Vec<Value> = [
        "newsletter",
        "customer_prospecting",
        "analytics",
        "payments",
    ]
    .iter()
    .map(|p| decision(s, dpo, &ann, p))
    .collect();
    assert_eq!(before, after);

    // Erasure: no decision allows, and the consent proof stays.
    assert_eq!(
        s.call("DELETE", &format!("/v1/subjects/{ann}"), Some(dpo), None)
            .status,
        204
    );
    assert_eq!(decision(s, dpo, &ann, "payments")["reason"], "erased");
    assert_eq!(
        s.call(
            "GET",
            &format!("/v1/subjects/{ann}/consents"),
            Some(dpo),
            None
        )
        .json()["records"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

/// The purpose sections of a published policy (JSON), at any depth.
fn purpose_facts(section: &Value, out: &mut Vec<Value>) {
    if section["facts"]["purpose"].is_string() {
        out.push(section["facts"].clone());
    }
    for sub in section["sections"].as_array().into_iter().flatten() {
        purpose_facts(sub, out);
    }
}

/// The policy promises an unsubscribe link in every marketing message exactly for
/// the purposes the API mints one for, and says service messages cannot be refused:
/// the API refuses their link and says why.
#[test]
fn the_policy_promises_unsubscribe_links_where_the_api_mints_them() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let bea = create(s, dpo, "customer", "bea.links@example.org");
    let policy = s.get("/privacy-policy?format=json").json();
    let mut purposes = Vec::new();
    for section in policy["sections"].as_array().unwrap() {
        purpose_facts(section, &mut purposes);
    }
    let (mut promised, mut service) = (0, 0);
    for facts in &purposes {
        let id = facts["purpose"].as_str().unwrap();
        let link = s.call(
            "POST",
            &format!("/v1/subjects/{bea}/unsubscribe-link"),
            Some(dpo),
            Some(&json!({ "purpose": id }).to_string()),
        );
        if facts["unsubscribe_link"] == true {
            promised += 1;
            assert_eq!(link.status, 200, "{id}: {}", link.body);
        } else if facts["service_messages"] == true {
            service += 1;
            assert_eq!(link.status, 422, "{id}: {}", link.body);
            assert!(link.body.contains("cannot be refused"), "{}", link.body);
        } else if facts["legal_basis"] != "consent" {
            assert_eq!(link.status, 422, "{id}: {}", link.body);
        }
    }
    assert_eq!((promised, service), (2, 1), "{purposes:?}");
}

#[test]
fn withdrawal_by_unsubscribe_link_and_preferences_page() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");
    let bea = create(s, dpo, "customer", "bea@example.org");
    assert_eq!(
        consent(
            s,
            dpo,
            json!({"subject_id": bea, "purpose": "newsletter", "state": "given", "method": "form"})
        )
        .status,
        201
    );

    let link = s
        .call(
            "POST",
            &format!("/v1/subjects/{bea}/unsubscribe-link"),
            Some(dpo),
            Some(r#"{"purpose":"newsletter"}"#),
        )
        .json();
    let url = link["url"].as_str().unwrap().to_owned();
    assert_eq!(link["list_unsubscribe"], format!("<{url}>"));
    let url = inst.reach(&url);
    assert_eq!(link["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    assert_eq!(
        s.call(
            "POST",
            &format!("/v1/subjects/{bea}/unsubscribe-link"),
            Some(dpo),
            Some(r#"{"purpose":"payments"}"#)
        )
        .status,
        422
    );

    // Opening the link (a mail scanner does) changes nothing.
    let page = request("GET", &format!("{url}?lang=fr"), &[], None);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<html lang=\"fr\">") && page.body.contains("Lettre d&#39;information"),
        "{}",
        page.body
    );
    assert_eq!(decision(s, dpo, &bea, "newsletter")["allowed"], true);

    let tampered = url.replace(":newsletter.", ":analytics.");
    let r = request(
        "POST",
        &tampered,
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(r.status, 404);
    assert_eq!(decision(s, dpo, &bea, "newsletter")["allowed"], true);

    // RFC 8058 one-click.
    let r = request(
        "POST",
        &url,
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("no longer used"));
    assert_eq!(
        decision(s, dpo, &bea, "newsletter")["reason"],
        "consent_withdrawn"
    );
    let records = s
        .call(
            "GET",
            &format!("/v1/subjects/{bea}/consents"),
            Some(dpo),
            None,
        )
        .json()["records"]
        .clone();
    assert_eq!(records[1]["method"], "unsubscribe");
    assert_eq!(records[1]["recorded_by"], "subject");

    // The preferences page: give consent again, then object to prospecting.
    let prefs = s
        .call(
            "POST",
            &format!("/v1/subjects/{bea}/preferences-link"),
            Some(dpo),
            None,
        )
        .json();
    let purl = inst.reach(prefs["url"].as_str().unwrap());
    let page = request("GET", &purl, &[("accept-language", "en")], None);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Newsletter") && page.body.contains("You withdrew your consent"),
        "{}",
        page.body
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = request("POST", &purl, &form, Some("purpose=newsletter&state=given"));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        decision(s, dpo, &bea, "newsletter")["reason"],
        "consent_given"
    );
    let r = request(
        "POST",
        &purl,
        &form,
        Some("purpose=customer_prospecting&state=refused"),
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        decision(s, dpo, &bea, "customer_prospecting")["reason"],
        "objected"
    );
    let page = request("GET", &purl, &[], None);
    assert!(
        page.body.contains("You agreed") && page.body.contains("You objected"),
        "{}",
        page.body
    );
    assert_eq!(request("GET", &tamper(&purl), &[], None).status, 404);
}

/// Consents posted by concurrent clients while the server is killed with SIGKILL:
/// after a restart, every consent that got a 201 is there.
#[test]
fn every_acknowledged_consent_survives_sigkill() {
    let mut inst = install(None);
    let dpo = inst.key("dpo").to_owned();
    let subjects: Vec<String> = (0..8)
        .map(|i| {
            create(
                inst.server(),
                &dpo,
                "customer",
                &format!("crash{i}@example.org"),
            )
        })
        .collect();
    let base = inst.server().base.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for (i, subject) in subjects.iter().cloned().enumerate() {
        let (acknowledged, stop, base, dpo) = (
            acknowledged.clone(),
            stop.clone(),
            base.clone(),
            dpo.clone(),
        );
        threads.push(std::thread::spawn(move || {
            let auth = format!("Bearer {dpo}");
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let state = if (n + i) % 2 == 0 { "given" } else { "withdrawn" };
                let body = json!({"subject_id": subject, "purpose": "newsletter", "state": state, "method": "api"}).to_string();
                // Refused or reset once the server is gone: stop.
                let Ok(r) = try_request("POST", &format!("{base}/v1/consents"), &[("authorization", &auth)], Some(&body)) else {
                    break;
                };
                if r.status != 201 {
                    break;
                }
                let id = r.json()["records"][0]["id"].as_str().unwrap().to_owned();
                acknowledged.lock().unwrap().push((subject.clone(), id));
                n += 1;
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let server = inst.server.take().unwrap();
    server.stop("-KILL");
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 50,
        "only {} consents acknowledged before the kill",
        acknowledged.len()
    );
    inst.start();
    let ids: Vec<String> = acknowledged.into_iter().map(|(_, id)| id).collect();
    assert_all_stored(inst.server(), &dpo, &subjects, &ids);
}

/// Every acknowledged consent is in the store, read through `s`.
pub(crate) fn assert_all_stored(
    s: &Server,
    dpo: &str,
    subjects: &[String],
    acknowledged: &[String],
) {
    let mut stored = HashSet::new();
    for subject in subjects {
        let r = s.call(
            "GET",
            &format!("/v1/subjects/{subject}/consents"),
            Some(dpo),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        stored.extend(
            r.json()["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
    }
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged consents lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
}
