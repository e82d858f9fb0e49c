//! What `deploy/` ships, exercised: the systemd unit (`systemd-analyze`, and its
//! command line and environment serving with the master key as a credential).

use crate::support::{Server, custodia};
use std::path::{Path, PathBuf};
use std::process::Command;

fn systemd_analyze() -> Option<PathBuf> {
    let found = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CUSTODIA_REQUIRE_SYSTEMD").is_none(),
            "CUSTODIA_REQUIRE_SYSTEMD is set but systemd-analyze is not installed"
        );
        eprintln!("SKIPPED: systemd-analyze is not installed (apt-get install systemd)");
    }
    found
}

fn unit_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/custodia.service")
}

/// Where the unit expects `cargo install --root /usr/local` to have put the binary.
const INSTALLED: &str = "/usr/local/bin/custodia";

#[test]
fn the_systemd_unit_verifies_without_a_warning_and_keeps_its_sandbox() {
    let Some(analyze) = systemd_analyze() else {
        return;
    };
    let unit = std::fs::read_to_string(unit_file()).unwrap();
    for needed in [
        "User=custodia",
        "Restart=on-failure",
        "StateDirectory=custodia",
        "StateDirectoryMode=0700",
        "UMask=0077",
        "LoadCredentialEncrypted=master.key:",
        "Environment=CUSTODIA_MASTER_KEY_FILE=%d/master.key",
        "Environment=CUSTODIA_DATA_DIR=%S/custodia",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=\n",
        "SystemCallFilter=@system-service",
        "MemoryDenyWriteExecute=yes",
    ] {
        assert!(unit.contains(needed), "the unit lacks {needed:?}");
    }
    // verify checks that ExecStart is executable, so a copy runs the built
    // binary (the only change); any message at all fails the test.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("custodia.service");
    let exec = format!("ExecStart={INSTALLED} ");
    assert_eq!(unit.matches(&exec).count(), 1, "{exec:?} once in the unit");
    let built = format!("ExecStart={} ", env!("CARGO_BIN_EXE_custodia"));
    std::fs::write(&copy, unit.replace(&exec, &built)).unwrap();
    let out = Command::new(&analyze)
        .arg("verify")
        .arg(&copy)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "systemd-analyze verify: {said}"
    );
    // systemd's own score of the sandbox (0 best, 10 worst); 1.4 when written.
    let out = Command::new(&analyze)
        .args(["security", "--offline=true", "--no-pager"])
        .arg(&copy)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let exposure: f64 = report
        .lines()
        .find_map(|l| {
            l.split("Overall exposure level for custodia.service: ")
                .nth(1)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no exposure level: {report}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert!(exposure <= 2.0, "exposure {exposure}:\n{report}");
}

/// The unit's `Environment=` settings and `ExecStart=` arguments, with `%S` (the
/// state root) and `%d` (the credentials directory) filled in as systemd would.
fn unit_command(state: &Path, credentials: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let unit = std::fs::read_to_string(unit_file()).unwrap();
    let fill = |v: &str| {
        v.replace("%S", &state.display().to_string())
            .replace("%d", &credentials.display().to_string())
    };
    let env = unit
        .lines()
        .filter_map(|l| l.strip_prefix("Environment="))
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), fill(v))
        })
        .collect();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix(&format!("ExecStart={INSTALLED} ")))
        .expect("ExecStart runs the installed binary");
    (env, exec.split_whitespace().map(fill).collect())
}

#[test]
fn the_units_command_and_environment_serve_with_the_master_key_as_a_credential() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    // The README's steps: `custodia init` makes the key, which becomes the
    // credential; systemd hands it over read-only in a directory of its own.
    let made = root.path().join("made");
    crate::install::init_data_dir(&made);
    let credentials = root.path().join("credentials");
    std::fs::create_dir(&credentials).unwrap();
    let key = credentials.join("master.key");
    std::fs::rename(made.join("master.key"), &key).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o500)).unwrap();
    // StateDirectory=custodia, mode 0700, empty at the first start.
    let state = root.path().join("state");
    let data = state.join("custodia");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();

    let (mut env, args) = unit_command(&state, &credentials);
    // systemd tells the service where its credentials are.
    let credentials_env = (
        "CREDENTIALS_DIRECTORY".to_owned(),
        credentials.display().to_string(),
    );
    env.push(credentials_env.clone());
    let serve = || {
        let mut cmd = custodia();
        cmd.args(&args).current_dir(root.path());
        for (k, v) in &env {
            // The unit's port may be taken here.
            let v = if k == "CUSTODIA_LISTEN" {
                "127.0.0.1:0"
            } else {
                v.as_str()
            };
            cmd.env(k, v);
        }
        Server::start_with(&mut cmd)
    };
    let server = serve();
    assert_eq!(server.get("/privacy-policy").status, 200);
    assert!(data.join("config.toml").exists() && data.join("register.toml").exists());
    assert!(
        !data.join("master.key").exists(),
        "the first start must not write a second master key beside the data"
    );
    assert!(server.terminate().success());
    // Started again, the credential opens what the first start encrypted.
    let server = serve();
    // A command run beside it (`systemd-run -p LoadCredentialEncrypted=...`)
    // finds the key through CREDENTIALS_DIRECTORY alone.
    let made = custodia()
        .args([
            "apikeys",
            "create",
            "--role",
            "auditor",
            "--name",
            "ops",
            "--data-dir",
        ])
        .arg(&data)
        .env(credentials_env.0, credentials_env.1)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let key = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    let r = server.call("GET", "/v1/audit?limit=1", Some(&key), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(server.terminate().success());
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o700)).unwrap();
}
