//! The API contract (issue 16): the OpenAPI document a client generator can build
//! on, and errors as RFC 9457 problem documents whose `type` the server documents.

use crate::install::install;
use crate::support::custodia;
use serde_json::{Value, json};
use std::collections::HashSet;

fn document() -> Value {
    let out = custodia().arg("openapi").output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn operations(api: &Value) -> Vec<(String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in api["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((format!("{} {path}", method.to_uppercase()), op));
        }
    }
    ops
}

#[test]
fn every_operation_is_named_summarised_secured_and_described() {
    let api = document();
    let mut ids = HashSet::new();
    for (name, op) in operations(&api) {
        let id = op["operationId"].as_str().unwrap_or_default();
        assert!(!id.is_empty(), "{name}: no operationId");
        assert!(
            ids.insert(id.to_owned()),
            "{name}: operationId {id} used twice"
        );
        let summary = op["summary"].as_str().unwrap_or_default();
        assert!(
            !summary.is_empty() && !summary.contains('\n'),
            "{name}: summary {summary:?}"
        );
        // Public routes say so with an empty requirement.
        assert!(op["security"].is_array(), "{name}: no security requirement");
        for (status, response) in op["responses"].as_object().unwrap() {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{name} {status}: no description"
            );
            if status.starts_with('4') || status.starts_with('5') {
                for media in response["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                {
                    // The JSON API answers problems only; pages answer HTML (and
                    // axum's text for a form it cannot read).
                    let page =
                        !name.contains(" /v1/") && (media == "text/html" || media == "text/plain");
                    assert!(
                        media == "application/problem+json" || page,
                        "{name} {status}: errors served as {media}"
                    );
                }
            }
        }
    }
    // JSON answers are typed: a named schema, or a list of one. Policy documents,
    // the register and consent proofs are documents of their own formats.
    let documents = ["/v1/register", "/consents/export", "-policy"];
    for (name, op) in operations(&api) {
        if documents.iter().any(|d| name.contains(d)) {
            continue;
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            let Some(schema) = response["content"]["application/json"].get("schema") else {
                continue;
            };
            let named = schema.get("$ref").or_else(|| schema["items"].get("$ref"));
            assert!(
                !status.starts_with('2') || named.is_some(),
                "{name} {status}: untyped answer {schema}"
            );
        }
    }
    // Closed sets are enums.
    let schemas = &api["components"]["schemas"];
    for (schema, values) in [
        ("StepAction", "assign"),
        ("ChoiceState", "withdrawn"),
        ("RequestStatus", "awaiting_identity"),
        ("RightKind", "california_opt_out"),
    ] {
        let listed = schemas[schema]["enum"].as_array();
        assert!(
            listed.is_some_and(|l| l.contains(&json!(values))),
            "{schema}: {}",
            schemas[schema]
        );
    }

    let public = &api["paths"]["/v1/requests"]["post"]["security"];
    assert_eq!(public, &json!([{}]), "intake is public");
    let staff = &api["paths"]["/v1/requests"]["get"]["security"];
    assert_ne!(staff, &json!([{}]), "the list is for staff");
}

#[test]
fn errors_are_problem_documents_whose_type_the_server_documents() {
    let inst = install(None);
    let s = inst.server();
    let dpo = inst.key("dpo");

    let missing = s.call("GET", "/v1/subjects/no-such-subject", Some(dpo), None);
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );
    let problem = missing.json();
    assert_eq!(problem["type"], "/problems/not-found");
    assert_eq!(problem["title"], "Not found");
    assert_eq!(problem["status"], 404);
    assert!(problem.get("field").is_none(), "{problem}");

    // A wrong value names its field, never the value.
    let body = json!({"kind": "customer", "data": {"user.contact.email": "someone-at-example"}});
    let wrong = s.call("POST", "/v1/subjects", Some(dpo), Some(&body.to_string()));
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let problem = wrong.json();
    assert_eq!(problem["type"], "/problems/unprocessable");
    assert_eq!(problem["field"], "data.user.contact.email");
    assert!(!wrong.body.contains("someone-at-example"), "{}", wrong.body);

    let anonymous = s.call("GET", "/v1/requests", None, None);
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.json()["type"], "/problems/unauthorized");

    // Queries and path segments that cannot be parsed are problems too, not text.
    for path in [
        "/v1/retention/plan?limit=many",
        "/v1/requests?overdue=maybe",
    ] {
        let unreadable = s.call("GET", path, Some(dpo), None);
        assert_eq!(unreadable.status, 400, "{path}: {}", unreadable.body);
        assert_eq!(
            unreadable.header("content-type"),
            Some("application/problem+json"),
            "{path}"
        );
        assert_eq!(unreadable.json()["field"], "query", "{path}");
    }
    let version = s.get("/privacy-policy/versions/first");
    assert_eq!(version.status, 400);
    assert_eq!(version.json()["type"], "/problems/bad-request");

    // Every `type` is a page of this server.
    for kind in ["not-found", "unprocessable", "unauthorized"] {
        let page = s.get(&format!("/problems/{kind}"));
        assert_eq!(page.status, 200, "/problems/{kind}");
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
    }
    let index = s.get("/problems");
    assert!(
        index.body.contains("/problems/too-many-requests"),
        "{}",
        index.body
    );
    assert_eq!(s.get("/problems/no-such-kind").status, 404);
}
