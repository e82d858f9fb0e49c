//! Start-up that fails before it announces, and one language rule for every page.

use crate::install::install_with_config;
use crate::support::custodia;

/// Each bad setting given by flag or environment to `serve` on a new data
/// directory: it stops the start, names the setting, prints nothing on stdout and
/// leaves the directory uncreated.
#[test]
fn a_bad_setting_leaves_a_new_data_directory_uncreated() {
    let cases: [(&str, &str, &str); 5] = [
        ("CUSTODIA_DATABASE_URL", "mysql://u@h/db", "database_url:"),
        (
            "CUSTODIA_KEY_DATABASE_URL",
            "redis://h",
            "key_database_url:",
        ),
        ("CUSTODIA_TRUSTED_PROXIES", "10.0.0.0/99", "trusted_proxies"),
        ("CUSTODIA_LISTEN", "no-port", "listen:"),
        ("CUSTODIA_DATABASE_URL", "custodia.db", "database_url:"),
    ];
    for (variable, value, named) in cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let out = custodia()
            .args(["serve", "--data-dir"])
            .arg(&data)
            .env(variable, value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{variable}={value}: {stderr}");
        assert!(stderr.contains(named), "{variable}={value}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{variable}={value}: stdout not empty"
        );
        assert!(
            !data.exists(),
            "{variable}={value}: the data directory was created"
        );
    }
}

/// In an initialised installation, a bad `config.toml` value stops the start before
/// the database is created or anything is printed (no first-admin password).
#[test]
fn a_bad_setting_in_config_toml_stops_before_anything_is_announced() {
    for (config, named) in [
        (
            "[rights]\nextra_holidays = [\"2026-13-01\"]\n",
            "rights.extra_holidays",
        ),
        (
            "[smtp]\nhost = \"mail.example.test\"\nfrom = \"not an address\"\n",
            "smtp",
        ),
        (
            "[retention]\ninterval_minutes = -5\n",
            "retention.interval_minutes",
        ),
        (
            "[audit]\nwitness = { url = \"ftp://witness.example.test\", secret = \"s\" }\n",
            "audit.witness.url",
        ),
        (
            "[audit]\nwitness = { url = \"https://witness.example.test/hook?token=t0ps3cret\" }\n",
            "audit.witness.secret",
        ),
        (
            "[audit]\nwitness = { file = \"no/such/directory/witness.jsonl\" }\n",
            "audit.witness.file",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        crate::install::init_data_dir(&data);
        let path = data.join("config.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push('\n');
        text.push_str(config);
        std::fs::write(&path, text).unwrap();
        let out = custodia()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{config}: {stderr}");
        assert!(stderr.contains(named), "{config}: {stderr}");
        assert!(
            !stderr.contains("t0ps3cret"),
            "{config}: a secret repeated: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{config}: stdout not empty");
        assert!(
            !data.join("custodia.db").exists(),
            "{config}: the database was created"
        );
    }
}

/// A register publishing only French, a browser asking for English: the privacy
/// policy and the portal both answer in French.
#[test]
fn every_page_answers_in_a_published_language() {
    let install = install_with_config("", |register| {
        *register = register.replacen("languages = [\"en\", \"fr\"]", "languages = [\"fr\"]", 1);
    });
    let server = install.server();
    for path in [
        "/privacy-policy",
        "/portal",
        "/portal?lang=en",
        "/portal/requests/00000000-0000-0000-0000-000000000000",
    ] {
        let page = server.get_with(path, &[("accept-language", "en-GB,en;q=0.9")]);
        assert!(
            page.body.contains("<html lang=\"fr\">"),
            "{path} ({}): {}",
            page.status,
            &page.body[..page.body.len().min(300)]
        );
    }
}
