//! MariaDB for tests: each test gets a database of its own on the server named by
//! `CUSTODIA_TEST_MARIADB_URL` (`scripts/test` starts a throwaway one from Debian's
//! mariadb-server). Without it the MariaDB tests are skipped loudly, or fail when
//! `CUSTODIA_REQUIRE_MARIADB=1` (CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use sqlx::{AssertSqlSafe, Connection, MySqlConnection};

pub const URL_VAR: &str = "CUSTODIA_TEST_MARIADB_URL";
pub const REQUIRE_VAR: &str = "CUSTODIA_REQUIRE_MARIADB";

/// Creates an empty, uniquely named database and returns its URL; `None` when the
/// MariaDB tests are skipped.
pub async fn fresh_mariadb_database() -> Option<String> {
    let admin = match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") => panic!(
            "{REQUIRE_VAR}=1 but {URL_VAR} is not set: run scripts/test (it starts a \
             throwaway MariaDB) or set {URL_VAR}=mysql://USER:PASSWORD@HOST:PORT/mysql"
        ),
        _ => {
            eprintln!(
                "\n*** skipping MariaDB: set {URL_VAR} (scripts/test starts a throwaway server) ***\n"
            );
            return None;
        }
    };
    let name = crate::pg::unique_name();
    let mut conn = MySqlConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}: {e}"));
    // The name is [a-z0-9_] only, so quoting makes it a safe identifier.
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE `{name}`")))
        .execute(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    Some(crate::pg::with_database(&admin, &name))
}
