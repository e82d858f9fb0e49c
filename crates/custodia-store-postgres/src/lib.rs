//! The PostgreSQL store. Timestamps are `timestamptz` (microsecond precision); numbering
//! relies on primary keys and retries, never on sequences or advisory locks, so the
//! schema and queries also suit CockroachDB and YugabyteDB.

mod policy;

use std::str::FromStr;
use std::time::Duration;

use custodia_store::sqlx_support::{connect_error, migrate_error, query_error};
use custodia_store::{
    NewPolicyVersion, PolicyVersion, PolicyVersionSummary, Published, Store, StoreError,
};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

const BACKEND: &str = "postgres";

const MAX_CONNECTIONS: u32 = 16;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

// The migrator holds a PostgreSQL advisory lock while it runs so that instances starting
// together do not migrate twice. CockroachDB has no advisory locks: there, call
// `set_locking(false)` on a copy of this migrator and let one instance migrate at a time.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database?...`) and applies
    /// pending migrations. Errors never repeat the URL, which may hold a password.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| connect_error(BACKEND, &e))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(BACKEND, &e))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| migrate_error(BACKEND, &e))?;
        Ok(PostgresStore { pool })
    }

    /// Waits for open connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(|e| query_error(BACKEND, "check health", &e))
    }

    async fn publish_policy_version(&self, new: NewPolicyVersion) -> Result<Published, StoreError> {
        policy::publish(&self.pool, &new).await
    }

    async fn latest_policy_version(&self) -> Result<Option<PolicyVersion>, StoreError> {
        policy::latest(&self.pool).await
    }

    async fn policy_versions(&self) -> Result<Vec<PolicyVersionSummary>, StoreError> {
        policy::list(&self.pool).await
    }

    async fn policy_version(&self, number: i64) -> Result<Option<PolicyVersion>, StoreError> {
        policy::get(&self.pool, number).await
    }
}
