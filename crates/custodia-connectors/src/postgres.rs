//! A dataset in PostgreSQL, through sqlx (the driver the project already links).
//! Rows come back as `json_build_object(...)::text`, so any column type reads as
//! JSON without a decoder per type. Each statement runs under a statement timeout;
//! a reading pool opens read-only transactions.

use std::str::FromStr;
use std::time::Duration;

use serde_json::{Map, Value};
use sqlx::AssertSqlSafe;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::{
    Backend, BackendError, Change, KeyList, LiveColumn, Match, key_list, quoted, schema_and_name,
};

/// A statement of a rights request that runs longer than this is cut.
const STATEMENT_TIMEOUT: &str = "5s";
// A dataset that is down fails its request quickly; the request is retried later.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
const MAX_CONNECTIONS: u32 = 4;

fn failed(e: sqlx::Error) -> BackendError {
    BackendError(custodia_store::sqlx_support::describe(&e))
}

pub struct PostgresBackend {
    pool: PgPool,
}

impl PostgresBackend {
    /// A pool to `url`; `read_only` makes every transaction read-only, so that the
    /// access side cannot write even with a writer's credentials. Connects lazily.
    pub fn connect(url: &str, read_only: bool) -> Result<PostgresBackend, BackendError> {
        let mut settings = vec![("statement_timeout", STATEMENT_TIMEOUT), ("jit", "off")];
        if read_only {
            settings.push(("default_transaction_read_only", "on"));
        }
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| BackendError("invalid PostgreSQL connection URL".to_owned()))?
            .options(settings);
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok(PostgresBackend { pool })
    }
}

#[async_trait::async_trait]
impl Backend for PostgresBackend {
    async fn select(
        &self,
        table: &str,
        columns: &[&str],
        column: &str,
        matching: Match<'_>,
        limit: usize,
    ) -> Result<Vec<Map<String, Value>>, BackendError> {
        let object = columns
            .iter()
            .map(|c| format!("'{c}', {}", quoted(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let col = quoted(column);
        let condition = match matching {
            Match::Email(_) => format!("lower({col}) = $1"),
            Match::Exact(_) => format!("{col} = $1"),
            Match::Text(_) => format!("{col}::text = $1"),
            Match::Before(_) => format!("{col} < $1::date"),
            Match::Keys(keys) => match key_list(keys) {
                KeyList::Integers(_) => format!("{col} = ANY($1)"),
                KeyList::Texts(_) => format!("{col}::text = ANY($1)"),
            },
        };
        let sql = format!(
            "SELECT json_build_object({object})::text FROM {} WHERE {condition} LIMIT {limit}",
            quoted(table)
        );
        // Names are plain identifiers checked by the register, quoted; values are bound.
        let query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
        let query = match matching {
            Match::Email(v) | Match::Exact(v) | Match::Text(v) | Match::Before(v) => {
                query.bind(v.to_owned())
            }
            Match::Keys(keys) => match key_list(keys) {
                KeyList::Integers(ints) => query.bind(ints),
                KeyList::Texts(texts) => query.bind(texts),
            },
        };
        let rows = query.fetch_all(&self.pool).await.map_err(failed)?;
        rows.into_iter()
            .map(|text| match serde_json::from_str(&text) {
                Ok(Value::Object(object)) => Ok(object),
                _ => Err(BackendError("a row did not read as an object".to_owned())),
            })
            .collect()
    }

    async fn apply(&self, changes: &[Change]) -> Result<(), BackendError> {
        let mut tx = self.pool.begin().await.map_err(failed)?;
        for change in changes {
            match change {
                Change::Delete {
                    table,
                    key_column,
                    keys,
                } => {
                    let col = quoted(key_column);
                    let (condition, query) = match key_list(keys) {
                        KeyList::Integers(ints) => (format!("{col} = ANY($1)"), Ok(ints)),
                        KeyList::Texts(texts) => (format!("{col}::text = ANY($1)"), Err(texts)),
                    };
                    let sql = format!("DELETE FROM {} WHERE {condition}", quoted(table));
                    let q = sqlx::query(AssertSqlSafe(sql));
                    let q = match query {
                        Ok(ints) => q.bind(ints),
                        Err(texts) => q.bind(texts),
                    };
                    q.execute(&mut *tx).await.map_err(failed)?;
                }
                Change::Set {
                    table,
                    key_column,
                    key,
                    columns,
                } => {
                    let sets: Vec<String> = columns
                        .iter()
                        .enumerate()
                        .map(|(i, (c, _))| format!("{} = $${}", quoted(c), i + 2))
                        .collect();
                    let (condition, int_key) = match key.as_i64() {
                        Some(i) => (format!("{} = $1", quoted(key_column)), Some(i)),
                        None => (format!("{}::text = $1", quoted(key_column)), None),
                    };
                    let sql = format!(
                        "UPDATE {} SET {} WHERE {condition}",
                        quoted(table),
                        sets.join(", ").replace("$$", "$")
                    );
                    let mut q = sqlx::query(AssertSqlSafe(sql));
                    q = match int_key {
                        Some(i) => q.bind(i),
                        None => q.bind(match key {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        }),
                    };
                    for (_, value) in columns {
                        q = q.bind(value.clone());
                    }
                    q.execute(&mut *tx).await.map_err(failed)?;
                }
            }
        }
        tx.commit().await.map_err(failed)
    }

    async fn foreign_keys(&self, table: &str) -> Result<Vec<(String, String)>, BackendError> {
        let (schema, name) = schema_and_name(table);
        sqlx::query_as(
            "SELECT kcu.column_name::text, ccu.table_name::text \
             FROM information_schema.table_constraints tc \
             JOIN information_schema.key_column_usage kcu \
               ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
             JOIN information_schema.constraint_column_usage ccu \
               ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' \
               AND tc.table_schema = coalesce($1, current_schema()) AND tc.table_name = $2 \
             ORDER BY 1",
        )
        .bind(schema)
        .bind(name)
        .fetch_all(&self.pool)
        .await
        .map_err(failed)
    }

    async fn columns(&self, table: &str) -> Result<Option<Vec<LiveColumn>>, BackendError> {
        let (schema, name) = schema_and_name(table);
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, lower(data_type::text), is_nullable::text \
             FROM information_schema.columns \
             WHERE table_schema = coalesce($1, current_schema()) AND table_name = $2 \
             ORDER BY ordinal_position",
        )
        .bind(schema)
        .bind(name)
        .fetch_all(&self.pool)
        .await
        .map_err(failed)?;
        let columns: Vec<LiveColumn> = rows
            .into_iter()
            .map(|(name, data_type, nullable)| LiveColumn {
                name,
                data_type,
                nullable: nullable == "YES",
            })
            .collect();
        Ok((!columns.is_empty()).then_some(columns))
    }
}
