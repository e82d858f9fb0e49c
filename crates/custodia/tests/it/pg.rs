//! PostgreSQL for tests: each test gets a database of its own on the server named by
//! `CUSTODIA_TEST_POSTGRES_URL` (`scripts/test` starts a throwaway one). Without it the
//! PostgreSQL tests are skipped loudly, or fail when `CUSTODIA_REQUIRE_POSTGRES=1` (CI).

// Test support: clippy counts helpers outside #[test] fns as production code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub const URL_VAR: &str = "CUSTODIA_TEST_POSTGRES_URL";
pub const REQUIRE_VAR: &str = "CUSTODIA_REQUIRE_POSTGRES";

/// The admin URL from `CUSTODIA_TEST_POSTGRES_URL`; `None` (after a loud notice) when
/// unset, a panic instead when `CUSTODIA_REQUIRE_POSTGRES=1`.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") => panic!(
            "{REQUIRE_VAR}=1 but {URL_VAR} is not set: run scripts/test (it starts a \
             throwaway PostgreSQL) or set {URL_VAR}=postgres://USER@HOST:PORT/postgres"
        ),
        _ => {
            eprintln!(
                "\n*** skipping PostgreSQL: set {URL_VAR} (scripts/test starts a throwaway server) ***\n"
            );
            None
        }
    }
}

/// Creates an empty, uniquely named database and returns its URL; `None` when PostgreSQL
/// tests are skipped (see [`postgres_admin_url`]). Works from any tokio runtime.
pub async fn fresh_postgres_database() -> Option<String> {
    let admin = postgres_admin_url()?;
    let name = unique_name();
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}: {e}"));
    // The name is [a-z0-9_] only, so quoting makes it a safe identifier.
    let sql = format!("CREATE DATABASE \"{name}\"");
    let mut attempt = 0;
    loop {
        attempt += 1;
        match sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
        {
            Ok(_) => break,
            // 55006: the template database is briefly in use by a concurrent CREATE.
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("55006") && attempt < 20 =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot create the test database {name}: {e}"),
        }
    }
    let _ = conn.close().await;
    Some(with_database(&admin, &name))
}

/// A new database copied from the one at `url` (which nobody may be connected to),
/// and its URL.
pub async fn copy_postgres_database(url: &str) -> String {
    let admin = postgres_admin_url().unwrap();
    let source = url
        .split('?')
        .next()
        .and_then(|base| base.rsplit('/').next())
        .unwrap()
        .to_owned();
    let name = unique_name();
    let mut conn = PgConnection::connect(&admin).await.unwrap();
    // Both names are [a-z0-9_] only (made by unique_name), so quoting makes them safe.
    assert!(
        source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    );
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{source}\"");
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    with_database(&admin, &name)
}

/// `custodia_test_<pid>_<counter>_<random>`: unique across test processes and runs.
pub(crate) fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = RandomState::new().hash_one(n) as u32;
    format!("custodia_test_{}_{n}_{random:08x}", std::process::id())
}

/// `url` with its database path replaced by `name`, keeping the query string.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[test]
fn database_is_swapped_in_urls() {
    for (url, want) in [
        ("postgres://u@h:5432/postgres", "postgres://u@h:5432/db"),
        ("postgres://u:p@h:5432", "postgres://u:p@h:5432/db"),
        (
            "postgresql://u@h/postgres?sslmode=disable",
            "postgresql://u@h/db?sslmode=disable",
        ),
        (
            "postgres:///postgres?host=/run/pg",
            "postgres:///db?host=/run/pg",
        ),
    ] {
        assert_eq!(with_database(url, "db"), want, "{url}");
    }
}

#[test]
fn database_names_are_unique_identifiers() {
    let a = unique_name();
    let b = unique_name();
    assert_ne!(a, b);
    assert!(a.len() < 63, "{a} is longer than a PostgreSQL identifier");
    assert!(
        a.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    );
}

/// A PostgreSQL server of the test's own (Debian's binaries, on 127.0.0.1), for a test
/// that stops and starts it under load without disturbing the others. Started only
/// where the PostgreSQL tests run (see [`postgres_admin_url`]); stopped on drop.
pub struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    port: u16,
}

impl OwnPostgres {
    pub fn start() -> Option<OwnPostgres> {
        postgres_admin_url()?;
        let initdb = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries in /usr/lib/postgresql")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin/initdb")))
            .filter(|p| p.exists())
            .max()
            .expect("an initdb under /usr/lib/postgresql/*/bin");
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = OwnPostgres {
            bin: initdb.parent().unwrap().to_owned(),
            dir,
            port,
        };
        if is_root() {
            let status = std::process::Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(server.dir.path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let data = server.data();
        let out = server
            .as_owner(&initdb)
            .args(["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        server.up();
        Some(server)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_str().unwrap().to_owned()
    }

    fn as_owner(&self, program: &std::path::Path) -> std::process::Command {
        if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            std::process::Command::new(program)
        }
    }

    fn ctl(&self, args: &[&str]) {
        let data = self.data();
        let out = self
            .as_owner(&self.bin.join("pg_ctl"))
            .args(["-D", &data])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    pub fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        self.ctl(&[
            "-l",
            log.to_str().unwrap(),
            "-w",
            "-t",
            "30",
            "-o",
            &options,
            "start",
        ]);
    }

    /// Stops the server, disconnecting every client (what a restart does).
    pub fn down(&self) {
        self.ctl(&["-m", "fast", "-w", "stop"]);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .as_owner(&self.bin.join("pg_ctl"))
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}
