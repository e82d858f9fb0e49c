//! The Art. 30 record of processing activities (issue 20, item 16): the real
//! binary's `register export`, and `GET /v1/register/record` for the DPO only.

use crate::install::{ROLES, install};
use crate::support::{custodia, example};

#[test]
fn record_export_on_the_command_line() {
    let register = example("saas.toml");
    let out = custodia()
        .args(["register", "export", "--format", "csv", "--lang", "fr"])
        .args(["--date", "2026-12-07"])
        .arg(&register)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("Identifiant,Activité de traitement,Responsable du traitement,"),
        "{csv}"
    );
    assert!(csv.contains("7 décembre 2026"), "{csv}");
    assert!(csv.contains("article 6.1.b du RGPD"), "{csv}");

    for (format, start) in [
        ("html", "<!doctype html>"),
        ("dpv", "{"),
        ("csv", "Id,Processing activity,"),
    ] {
        let out = custodia()
            .args(["register", "export", "--format", format, "--lang", "en"])
            .arg(&register)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with(start),
            "{format}"
        );
    }
}

#[test]
fn record_export_refuses_a_broken_register_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(example("contact-site.toml")).unwrap();
    let broken = source.replacen("legal_basis = \"consent\"\n", "", 1);
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let out = custodia()
        .args(["register", "export", "--format", "csv"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:", path.display())) && stderr.contains("legal_basis"),
        "{stderr}"
    );
    let out = custodia()
        .args(["register", "export", "--format", "pdf"])
        .arg(example("saas.toml"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("csv, html or dpv"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn record_api_for_the_dpo_only_audited() {
    let inst = install(None);
    let s = inst.server();
    let r = s.call("GET", "/v1/register/record", None, None);
    assert_eq!(r.status, 401, "{}", r.body);
    for role in ROLES.iter().filter(|r| **r != "dpo") {
        let r = s.call("GET", "/v1/register/record", Some(inst.key(role)), None);
        assert_eq!(r.status, 403, "{role}: {}", r.body);
    }
    let dpo = Some(inst.key("dpo"));
    for (format, media_type) in [
        ("csv", "text/csv; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("dpv", "application/ld+json"),
    ] {
        let r = s.call(
            "GET",
            &format!("/v1/register/record?format={format}&lang=en"),
            dpo,
            None,
        );
        assert_eq!(r.status, 200, "{format}: {}", r.body);
        assert_eq!(r.header("content-type").unwrap(), media_type);
        if format == "html" {
            assert!(r.body.contains("<html lang=\"en\">"));
            let csp = r.header("content-security-policy").unwrap();
            assert!(csp.contains("style-src 'sha256-"), "{csp}");
        }
        if format == "dpv" {
            let doc = r.json();
            assert_eq!(doc["@context"]["dpv"], "https://w3id.org/dpv#");
        }
    }
    let r = s.call("GET", "/v1/register/record?format=pdf", dpo, None);
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.call("GET", "/v1/register/record?lang=xx", dpo, None);
    assert_eq!(r.status, 400, "{}", r.body);

    let audit = s.call("GET", "/v1/audit?limit=1000", dpo, None).json();
    let entries = audit.as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["action"] == "register.record"
            && e["outcome"] == "ok"
            && e["detail"] == "dpv, en"),
        "the export is audited: {audit}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "register.record" && e["outcome"] == "denied"),
        "refusals are audited: {audit}"
    );
}
