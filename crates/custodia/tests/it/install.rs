//! An installation for vault tests: a data directory with the SaaS example
//! register, a running server, and an API key per role made with the real CLI.

use crate::support::{Server, custodia, example};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const ROLES: [&str; 7] = [
    "admin",
    "dpo",
    "auditor",
    "support",
    "sales",
    "accounting",
    "engineering",
];

/// The `public_url` of a test installation unless its configuration gives one.
pub const PUBLIC_URL: &str = "https://privacy.example.test";

pub struct Install {
    pub dir: tempfile::TempDir,
    pub server: Option<Server>,
    pub keys: HashMap<&'static str, String>,
    pub database_url: Option<String>,
}

impl Install {
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `custodia` with this installation's flags.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = custodia();
        cmd.args(args).arg("--data-dir").arg(self.data());
        if let Some(url) = &self.database_url {
            cmd.args(["--database-url", url]);
        }
        cmd.output().unwrap()
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().unwrap()
    }

    pub fn start(&mut self) {
        let data = self.data();
        let mut args = vec![
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ];
        if let Some(url) = &self.database_url {
            args.extend(["--database-url", url.as_str()]);
        }
        self.server = Some(Server::start(self.dir.path(), &args));
    }

    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            assert!(s.terminate().success());
        }
    }

    /// A link minted on [`PUBLIC_URL`], made to reach this installation's server.
    pub fn reach(&self, url: &str) -> String {
        url.replace(PUBLIC_URL, &self.server().base)
    }

    pub fn key(&self, role: &str) -> &str {
        &self.keys[role]
    }

    /// A customer with this e-mail, created by the DPO through the API; its id.
    pub fn create_customer(&self, email: &str) -> String {
        let body = serde_json::json!({"kind": "customer", "data": {"user.contact.email": email}});
        let r = self.server().call(
            "POST",
            "/v1/subjects",
            Some(self.key("dpo")),
            Some(&body.to_string()),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    }

    /// Erases a subject as the DPO through the API.
    pub fn erase(&self, id: &str) {
        let r = self.server().call(
            "DELETE",
            &format!("/v1/subjects/{id}"),
            Some(self.key("dpo")),
            None,
        );
        assert_eq!(r.status, 204, "{}", r.body);
    }
}

pub fn install(database_url: Option<String>) -> Install {
    install_prepared(database_url, "", |_| {})
}

/// [`install`] with `config` appended to `config.toml` and the register edited
/// before the first start.
pub fn install_with_config(config: &str, edit_register: impl FnOnce(&mut String)) -> Install {
    install_prepared(None, config, edit_register)
}

/// `custodia init` of a new data directory.
pub fn init_data_dir(data: &Path) {
    let init = custodia()
        .args(["init", "--data-dir"])
        .arg(data)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
}

pub fn install_prepared(
    database_url: Option<String>,
    config: &str,
    edit_register: impl FnOnce(&mut String),
) -> Install {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init_data_dir(&data);
    let mut register = std::fs::read_to_string(example("saas.toml")).unwrap();
    edit_register(&mut register);
    std::fs::write(data.join("register.toml"), register).unwrap();
    // Links minted through the API need `public_url`; tests that follow such a link
    // put their server's address in its place (`Install::reach`).
    let config = if config.contains("public_url") {
        config.to_owned()
    } else {
        format!("public_url = \"{PUBLIC_URL}\"\n{config}")
    };
    let path = data.join("config.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push('\n');
    text.push_str(&config);
    std::fs::write(path, text).unwrap();
    let mut install = Install {
        dir,
        server: None,
        keys: HashMap::new(),
        database_url,
    };
    install.start();
    for role in ROLES {
        let out = install.cli(&[
            "apikeys",
            "create",
            "--role",
            role,
            "--name",
            &format!("test {role}"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert!(key.starts_with("cusk_"), "{key}");
        install.keys.insert(role, key);
    }
    install
}

/// Every byte of the files of a SQLite database (main file and WAL).
pub fn sqlite_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(more) = std::fs::read(PathBuf::from(wal)) {
        bytes.extend(more);
    }
    bytes
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
