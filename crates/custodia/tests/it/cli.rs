//! The command line: `register check`, `policy render` and `--version`.

use crate::support::{all_examples, custodia, example};

fn line_of(text: &str, needle: &str) -> usize {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    text[..offset].matches('\n').count() + 1
}

#[test]
fn register_check_accepts_the_three_examples() {
    let out = custodia()
        .args(["register", "check"])
        .args(all_examples())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.matches(": valid").count(),
        all_examples().len(),
        "{stdout}"
    );
}

#[test]
fn register_check_rejects_a_broken_copy_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(example("contact-site.toml")).unwrap();
    // Remove the legal basis of the first purpose and misspell a category.
    let broken = source
        .replacen("legal_basis = \"consent\"\n", "", 1)
        .replacen(
            "categories = [\"user.name\", \"user.contact.email\"]",
            "categories = [\"user.name\", \"user.contact.emial\"]",
            1,
        );
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).unwrap();

    let out = custodia()
        .args(["register", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = path.display().to_string();
    let purpose_line = line_of(&broken, "[[purposes]]");
    assert!(
        stderr.contains(&format!("{file}:{purpose_line}: purposes[0].legal_basis: ")),
        "{stderr}"
    );
    let typo_line = line_of(&broken, "user.contact.emial");
    assert!(
        stderr.contains(&format!("{file}:{typo_line}: purposes[")),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown category `user.contact.emial`"),
        "{stderr}"
    );
}

#[test]
fn register_check_reports_toml_syntax_errors_with_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("syntax.toml");
    std::fs::write(&path, "format = 1\nlanguages = [\"en\"\n").unwrap();
    let out = custodia()
        .args(["register", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("{}:2: ", path.display())),
        "{stderr}"
    );
}

/// French words for a single-unit ISO duration, written independently of the
/// renderer so the test can disagree with it.
fn french_duration(iso: &str) -> Option<String> {
    let (n, unit) = iso.strip_prefix('P')?.split_at(iso.len() - 2);
    let n: u32 = n.parse().ok()?;
    let word = match (unit, n) {
        ("Y", 1) => "an",
        ("Y", _) => "ans",
        ("M", _) => "mois",
        ("D", 1) => "jour",
        ("D", _) => "jours",
        ("W", 1) => "semaine",
        ("W", _) => "semaines",
        _ => return None,
    };
    // French prose writes one to nine in words ("trois ans", "une semaine").
    const WORDS: [&str; 9] = [
        "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    ];
    Some(match n {
        1 if unit == "W" => format!("une {word}"),
        1..=9 => format!("{} {word}", WORDS[n as usize - 1]),
        _ => format!("{n} {word}"),
    })
}

fn render(register: &std::path::Path, kind: &str, lang: &str, format: &str) -> String {
    let out = custodia()
        .args([
            "policy",
            "render",
            "--kind",
            kind,
            "--lang",
            lang,
            "--format",
            format,
            "--register",
        ])
        .arg(register)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of HTML escaped by askama (numeric references) or by hand (named).
fn html_text(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

#[test]
fn french_privacy_policy_of_each_example_states_every_art13_item() {
    for path in all_examples() {
        let register: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !register["languages"]
            .as_array()
            .is_some_and(|l| l.iter().any(|c| c.as_str() == Some("fr")))
        {
            continue; // werkstatt.toml: German, Spanish and Italian only
        }
        let html = html_text(&render(&path, "privacy", "fr", "html"));
        let name = path.display();
        assert!(
            html.starts_with("<!doctype html>") || html.starts_with("<!DOCTYPE html>"),
            "{name}"
        );
        assert!(html.contains("lang=\"fr\""), "{name}");
        for purpose in register["purposes"].as_array().unwrap() {
            let title = purpose["title"]["fr"].as_str().unwrap();
            assert!(
                html.contains(title),
                "{name}: purpose title `{title}` missing"
            );
        }
        for basis in [
            "Consentement",
            "Exécution",
            "Obligation légale",
            "Intérêt légitime",
        ] {
            let used = register["purposes"].as_array().unwrap().iter().any(|p| {
                let b = p["legal_basis"].as_str().unwrap();
                matches!(
                    (basis, b),
                    ("Consentement", "consent")
                        | ("Exécution", "contract")
                        | ("Obligation légale", "legal_obligation")
                        | ("Intérêt légitime", "legitimate_interest")
                )
            });
            if used {
                assert!(
                    html.to_lowercase().contains(&basis.to_lowercase()),
                    "{name}: legal basis `{basis}` missing"
                );
            }
        }
        for recipient in register["recipients"].as_array().unwrap() {
            let n = &recipient["name"];
            let text = n.as_str().or_else(|| n["fr"].as_str()).unwrap();
            assert!(html.contains(text), "{name}: recipient `{text}` missing");
        }
        for rule in register
            .get("retention")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            for phase in rule["phases"].as_array().unwrap() {
                if let Some(words) = french_duration(phase["duration"].as_str().unwrap()) {
                    assert!(
                        html.to_lowercase().contains(&words),
                        "{name}: retention `{words}` missing"
                    );
                }
            }
        }
        let authority = &register["controller"]["supervisory_authority"];
        assert!(
            html.contains(authority["address"].as_str().unwrap()),
            "{name}: authority address missing"
        );
        for right in [
            "accès",
            "rectification",
            "effacement",
            "limitation",
            "portabilité",
            "opposition",
            "retirer votre consentement",
            "réclamation",
        ] {
            assert!(
                html.to_lowercase().contains(right),
                "{name}: right `{right}` missing"
            );
        }
        for transfer in register
            .get("transfers")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            let mechanism = transfer["mechanism"].as_str().unwrap();
            let words = match mechanism {
                "dpf" => "Data Privacy Framework",
                "scc" => "clauses contractuelles types",
                "adequacy" => "adéquation",
                "bcr" => "règles d'entreprise contraignantes",
                _ => "dérogation",
            };
            assert!(
                html.to_lowercase().contains(&words.to_lowercase()),
                "{name}: transfer mechanism `{words}` missing"
            );
        }
    }
}

#[test]
fn policy_render_writes_markdown_and_json() {
    let path = example("contact-site.toml");
    let md = render(&path, "cookies", "en", "md");
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("custodia\\_consent"));
    let json: serde_json::Value =
        serde_json::from_str(&render(&path, "privacy", "en", "json")).unwrap();
    assert!(json.is_object());
}

#[test]
fn policy_render_refuses_an_invalid_register() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    let source = std::fs::read_to_string(example("contact-site.toml")).unwrap();
    std::fs::write(&path, source.replacen("lifetime = \"session\"\n", "", 1)).unwrap();
    let out = custodia()
        .args(["policy", "render", "--kind", "cookies", "--register"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no lifetime"));
    assert!(out.stdout.is_empty());
}

#[test]
fn custodia_version_names_the_version_and_the_commit() {
    let out = custodia().arg("--version").output().unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let commit = std::process::Command::new("git")
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    match commit {
        Some(commit) => assert_eq!(line.trim(), format!("custodia {version} ({commit})")),
        // Built outside a checkout: CUSTODIA_COMMIT or "unknown".
        None => assert!(line.starts_with(&format!("custodia {version} (")), "{line}"),
    }
}

/// A warning (here: an Art. 49 derogation for a processor's systematic transfers)
/// is shown with its file and line, and the register is still valid.
#[test]
fn register_check_shows_warnings_and_still_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(example("saas.toml")).unwrap();
    let from = "recipient = \"stripe\"\ncountry = \"US\"\nmechanism = \"dpf\"";
    assert!(source.contains(from));
    let questioned = source.replacen(
        from,
        "recipient = \"stripe\"\ncountry = \"US\"\nmechanism = \"derogation\"\nderogation = \"when you ask for it\"",
        1,
    );
    let path = dir.path().join("saas.toml");
    std::fs::write(&path, &questioned).unwrap();
    let out = custodia()
        .args(["register", "check"])
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("saas.toml: valid, 1 warning(s)"),
        "{stdout}"
    );
    let line = line_of(&questioned, "mechanism = \"derogation\"");
    assert!(
        stderr.contains(&format!(
            "saas.toml:{line}: transfers[0].mechanism: `stripe` is a processor"
        )) && stderr.trim_end().ends_with("(warning)"),
        "{stderr}"
    );
}
