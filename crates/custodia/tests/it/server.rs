//! The real binary over HTTP, on SQLite and on PostgreSQL.

use crate::support::{Server, custodia, example};
use std::path::Path;

/// A data directory holding `register` as its register file.
fn data_dir_with(register: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let init = custodia()
        .args(["init", "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    std::fs::write(dir.path().join("data/register.toml"), register).unwrap();
    dir
}

fn contact_site() -> String {
    std::fs::read_to_string(example("contact-site.toml")).unwrap()
}

fn start(dir: &Path, database_url: Option<&str>) -> Server {
    let data = dir.join("data");
    let mut args = vec![
        "--data-dir",
        data.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ];
    if let Some(url) = database_url {
        args.extend(["--database-url", url]);
    }
    Server::start(dir, &args)
}

#[test]
fn serve_with_no_flags_in_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    assert_eq!(server.base, "http://127.0.0.1:8080");
    // The first start creates an admin and shows its password once.
    let out = &server.stdout;
    assert_eq!(out.len(), 8, "{out:?}");
    assert_eq!(
        out[0],
        "First start: an admin account was created. Sign in at http://127.0.0.1:8080/login"
    );
    assert_eq!(out[1], "  e-mail:   admin@custodia.localhost");
    let password = out[2].strip_prefix("  password: ").unwrap();
    assert!(password.len() >= 20, "{password}");
    assert_eq!(
        out[4..],
        [
            "Register:       custodia-data/register.toml",
            "Database:       sqlite://custodia-data/custodia.db",
            "Privacy policy: http://127.0.0.1:8080/privacy-policy",
            "Custodia is listening on http://127.0.0.1:8080/",
        ]
    );
    let data = dir.path().join("custodia-data");
    for file in [
        "custodia.db",
        "keys.db",
        "master.key",
        "config.toml",
        "register.toml",
    ] {
        assert!(data.join(file).is_file(), "{file} missing");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("master.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["database"], "sqlite");
    // The copied example is valid and published as version 1.
    assert_eq!(health.json()["policy_version"], 1);
    // The printed credential signs in.
    let page = server.get("/login");
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = cookie.split_once('=').unwrap().1.to_owned();
    let form = format!("email=admin%40custodia.localhost&password={password}&csrf={csrf}");
    let signed_in = crate::support::request(
        "POST",
        &server.url("/login"),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &cookie),
        ],
        Some(&form),
    );
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
}

#[test]
fn refuses_to_start_on_an_invalid_register() {
    let dir = data_dir_with(&contact_site().replacen("legal_basis = \"consent\"\n", "", 1));
    let out = custodia()
        .current_dir(dir.path())
        .args(["serve", "--data-dir", "data", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("register.toml:"), "{stderr}");
    assert!(stderr.contains("legal_basis"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));
}

fn policies_and_versions(database_url: Option<&str>) {
    let dir = data_dir_with(&contact_site());
    let server = start(dir.path(), database_url);

    // Language from the query, else Accept-Language; formats.
    let fr = server.get("/privacy-policy?lang=fr");
    assert_eq!(fr.status, 200);
    assert_eq!(fr.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(fr.body.contains("lang=\"fr\""));
    // The page's one inline style is allowed by its hash, nothing else inline.
    let csp = fr.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let style = fr.body.split("<style>").nth(1).unwrap();
    let style = &style[..style.find("</style>").unwrap()];
    let hash = {
        use base64ct::Encoding;
        use sha2::Digest;
        base64ct::Base64::encode_string(&sha2::Sha256::digest(style.as_bytes()))
    };
    assert!(csp.contains(&format!("style-src 'sha256-{hash}'")), "{csp}");
    let negotiated = server.get_with(
        "/privacy-policy",
        &[("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")],
    );
    assert_eq!(negotiated.body, fr.body);
    let en = server.get_with("/privacy-policy", &[("accept-language", "de, en;q=0.4")]);
    assert!(en.body.contains("lang=\"en\""));
    let md = server.get("/cookie-policy?lang=en&format=md");
    assert_eq!(
        md.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    assert!(md.body.contains("custodia\\_consent"));
    assert!(server.get("/privacy-policy?format=json").json().is_object());
    let bad = server.get("/privacy-policy?lang=de");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["detail"].as_str().unwrap().starts_with("lang:"));
    assert_eq!(server.get("/privacy-policy?format=pdf").status, 400);

    let register = server.get("/v1/register").json();
    assert_eq!(register["controller"]["legal_name"], "Lavandes Lab");

    let versions = server.get("/privacy-policy/versions").json();
    assert_eq!(versions.as_array().unwrap().len(), 1);
    let v1_fr_html = fr.body.clone();
    let v1_sha = versions[0]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "privacy" && d["lang"] == "fr" && d["format"] == "html")
        .unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(fr.header("etag"), Some(format!("\"{v1_sha}\"").as_str()));
    assert!(server.terminate().success());

    // Same register again: no new version.
    let server = start(dir.path(), database_url);
    assert_eq!(
        server
            .get("/privacy-policy/versions")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(server.terminate().success());

    // A changed register publishes version 2; version 1 stays readable, unchanged.
    let changed = contact_site()
        .replace("Answering contact requests", "Replying to contact requests")
        .replace(
            "Gestion et réponse aux demandes de contact",
            "Réponse aux demandes de contact",
        );
    std::fs::write(dir.path().join("data/register.toml"), changed).unwrap();
    let server = start(dir.path(), database_url);
    let versions = server.get("/privacy-policy/versions").json();
    let list = versions.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["number"], 2);
    assert_eq!(list[1]["in_force"], true);
    assert_eq!(list[0]["in_force"], false);
    assert_ne!(list[0]["register_sha256"], list[1]["register_sha256"]);
    let old = server.get("/privacy-policy/versions/1?lang=fr");
    assert_eq!(old.status, 200);
    assert_eq!(old.body, v1_fr_html);
    let current = server.get("/privacy-policy?lang=fr");
    assert!(current.body.contains("Réponse aux demandes de contact"));
    assert_eq!(current.header("x-policy-version"), Some("2"));
    assert_eq!(server.get("/privacy-policy/versions/3").status, 404);
    assert_eq!(
        server
            .get("/cookie-policy/versions/1?lang=en&format=md")
            .status,
        200
    );

    let diff = server.get("/privacy-policy/diff?from=1&to=2&lang=fr");
    assert_eq!(diff.status, 200);
    assert!(diff.body.lines().any(|l| l.starts_with('-') && l.contains("Gestion et réponse aux demandes de contact")), "{}", diff.body);
    assert!(
        diff.body
            .lines()
            .any(|l| l.starts_with('+') && l.contains("Réponse aux demandes de contact")),
        "{}",
        diff.body
    );
    let cookie_diff = server.get("/cookie-policy/diff?from=1&to=2&lang=en");
    let changed_lines = cookie_diff.body.lines().filter(|l| {
        (l.starts_with('+') || l.starts_with('-')) && !l.starts_with("+++") && !l.starts_with("---")
    });
    assert_eq!(
        changed_lines.count(),
        0,
        "the cookie policy did not change: {}",
        cookie_diff.body
    );
    assert_eq!(server.get("/privacy-policy/diff?from=1&to=9").status, 404);
    assert!(server.terminate().success());
}

#[test]
fn policies_and_versions_on_sqlite() {
    policies_and_versions(None);
}

#[test]
fn policies_and_versions_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    policies_and_versions(Some(&url));
}

#[test]
fn openapi_describes_every_route() {
    let dir = data_dir_with(&contact_site());
    let server = start(dir.path(), None);
    let api = server.get("/openapi.json").json();
    assert!(api["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/healthz",
        "/v1/register",
        "/privacy-policy",
        "/cookie-policy",
        "/privacy-policy/versions",
        "/privacy-policy/versions/{number}",
        "/cookie-policy/versions/{number}",
        "/privacy-policy/diff",
        "/cookie-policy/diff",
    ] {
        assert!(
            api["paths"][path]["get"].is_object(),
            "{path} missing from OpenAPI"
        );
        // Every documented route answers (with its parameters where needed).
        let concrete = path.replace("{number}", "1");
        let query = if concrete.ends_with("diff") {
            "?from=1&to=1"
        } else {
            ""
        };
        assert_eq!(
            server.get(&format!("{concrete}{query}")).status,
            200,
            "{concrete}"
        );
    }
    // The CLI prints the same document.
    let out = custodia().arg("openapi").output().unwrap();
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["paths"], api["paths"]);
}

#[test]
fn settings_come_from_the_environment_and_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("elsewhere");
    // First run through the environment alone.
    let server = Server::start_with(
        custodia()
            .current_dir(dir.path())
            .arg("serve")
            .env("CUSTODIA_DATA_DIR", &data)
            .env("CUSTODIA_LISTEN", "127.0.0.1:0"),
    );
    assert!(data.join("custodia.db").is_file());
    assert!(!dir.path().join("custodia-data").exists());
    assert!(server.terminate().success());

    // The config file chooses the database; a flag beats the environment.
    let config = std::fs::read_to_string(data.join("config.toml")).unwrap();
    std::fs::write(
        data.join("config.toml"),
        config.replace("sqlite://custodia.db", "sqlite://other.db"),
    )
    .unwrap();
    let server = Server::start_with(
        custodia()
            .current_dir(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("CUSTODIA_DATA_DIR", &data)
            .env("CUSTODIA_LISTEN", "256.0.0.1:1"),
    );
    assert!(data.join("other.db").is_file());
    assert_eq!(server.get("/healthz").status, 200);
    let status = server.stop("-INT");
    assert!(status.success(), "exit status after SIGINT: {status:?}");
}

#[test]
fn init_never_replaces_a_key_or_register() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let first = custodia()
        .args(["init", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(first.status.success());
    let key = std::fs::read(data.join("master.key")).unwrap();
    std::fs::write(data.join("register.toml"), contact_site()).unwrap();
    let again = custodia()
        .args(["init", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stdout).contains("created"));
    assert_eq!(std::fs::read(data.join("master.key")).unwrap(), key);
    assert_eq!(
        std::fs::read_to_string(data.join("register.toml")).unwrap(),
        contact_site()
    );

    // A database without its key is not given a fresh key that could not read it.
    std::fs::write(data.join("custodia.db"), b"").unwrap();
    std::fs::remove_file(data.join("master.key")).unwrap();
    let out = custodia()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("master key is missing"));
    assert!(!data.join("master.key").exists());
}

/// `custodia policy render --date D` gives exactly what the server publishes on D,
/// for every policy, language and format; both show the register's
/// `policy.last_updated` at the top.
#[test]
fn policy_render_and_the_server_give_the_same_text() {
    let register = std::fs::read_to_string(example("saas.toml")).unwrap();
    let dir = data_dir_with(&register);
    let server = start(dir.path(), None);
    let published = server.get("/privacy-policy?format=json").json();
    let date = published["effective_date"].as_str().unwrap().to_owned();
    assert_eq!(published["last_updated"], "2026-11-22");
    let register_path = dir.path().join("data/register.toml");
    for (kind, path) in [
        ("privacy", "/privacy-policy"),
        ("cookies", "/cookie-policy"),
    ] {
        for lang in ["en", "fr"] {
            for format in ["md", "html", "json"] {
                let served = server.get(&format!("{path}?lang={lang}&format={format}"));
                assert_eq!(served.status, 200, "{kind} {lang} {format}");
                let out = custodia()
                    .args(["policy", "render", "--kind", kind, "--lang", lang])
                    .args(["--format", format, "--date", &date, "--register"])
                    .arg(&register_path)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let rendered = String::from_utf8(out.stdout).unwrap();
                assert!(rendered == served.body, "{kind} {lang} {format} differ");
            }
        }
    }
    let md = server.get("/privacy-policy?lang=fr&format=md").body;
    assert!(
        md.contains("*Dernière mise à jour : 22 novembre 2026*"),
        "{md}"
    );
}
