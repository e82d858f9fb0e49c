//! A dataset in MySQL or MariaDB, through sqlx. Rows come back as
//! `CAST(JSON_OBJECT(...) AS CHAR)`; each session gets a statement time limit
//! (`max_statement_time` on MariaDB, `max_execution_time` on MySQL) and, on the
//! reading pool, read-only transactions.

use std::str::FromStr;
use std::time::Duration;

use serde_json::{Map, Value};
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::{AssertSqlSafe, Executor};

use crate::{
    Backend, BackendError, Change, KeyList, LiveColumn, Match, key_list, quoted_with,
    schema_and_name,
};

const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
const MAX_CONNECTIONS: u32 = 4;

fn failed(e: sqlx::Error) -> BackendError {
    BackendError(custodia_store::sqlx_support::describe(&e))
}

fn q(name: &str) -> String {
    quoted_with(name, '`')
}

/// `?, ?, ...`
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

pub struct MysqlBackend {
    pool: MySqlPool,
}

impl MysqlBackend {
    /// A pool to `url` (`mysql://` or `mariadb://`); connects lazily.
    pub fn connect(url: &str, read_only: bool) -> Result<MysqlBackend, BackendError> {
        let url = url.replacen("mariadb://", "mysql://", 1);
        let options = MySqlConnectOptions::from_str(&url)
            .map_err(|_| BackendError("invalid MySQL connection URL".to_owned()))?;
        let pool = MySqlPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    // MariaDB and MySQL name the limit differently; the other is ignored.
                    let limits = "SET SESSION max_statement_time = 5";
                    if conn.execute(limits).await.is_err() {
                        conn.execute("SET SESSION max_execution_time = 5000")
                            .await?;
                    }
                    if read_only {
                        conn.execute("SET SESSION TRANSACTION READ ONLY").await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy_with(options);
        Ok(MysqlBackend { pool })
    }
}

fn bind_value<'q>(
    query: sqlx::query::Query<'q, sqlx::MySql, sqlx::mysql::MySqlArguments>,
    v: &Value,
) -> sqlx::query::Query<'q, sqlx::MySql, sqlx::mysql::MySqlArguments> {
    match v {
        Value::Number(n) if n.as_i64().is_some() => query.bind(n.as_i64()),
        Value::String(s) => query.bind(s.clone()),
        other => query.bind(other.to_string()),
    }
}

#[async_trait::async_trait]
impl Backend for MysqlBackend {
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
            .map(|c| format!("'{c}', {}", q(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let col = q(column);
        let (condition, binds): (String, Vec<Value>) = match matching {
            Match::Email(v) => (format!("LOWER({col}) = ?"), vec![Value::from(v)]),
            Match::Exact(v) => (format!("{col} = ?"), vec![Value::from(v)]),
            Match::Text(v) => (format!("CAST({col} AS CHAR) = ?"), vec![Value::from(v)]),
            Match::Before(v) => (format!("{col} < ?"), vec![Value::from(v)]),
            Match::Keys(keys) => match key_list(keys) {
                KeyList::Integers(ints) => (
                    format!("{col} IN ({})", marks(ints.len())),
                    ints.into_iter().map(Value::from).collect(),
                ),
                KeyList::Texts(texts) => (
                    format!("CAST({col} AS CHAR) IN ({})", marks(texts.len())),
                    texts.into_iter().map(Value::from).collect(),
                ),
            },
        };
        let sql = format!(
            "SELECT CAST(JSON_OBJECT({object}) AS CHAR) FROM {} WHERE {condition} LIMIT {limit}",
            q(table)
        );
        // Names are plain identifiers checked by the register, quoted; values are bound.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for v in &binds {
            query = bind_value(query, v);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(failed)?;
        rows.into_iter()
            .map(|row| {
                let text: String = sqlx::Row::try_get(&row, 0).map_err(failed)?;
                match serde_json::from_str(&text) {
                    Ok(Value::Object(object)) => Ok(object),
                    _ => Err(BackendError("a row did not read as an object".to_owned())),
                }
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
                    for chunk in keys.chunks(500) {
                        let sql = format!(
                            "DELETE FROM {} WHERE {} IN ({})",
                            q(table),
                            q(key_column),
                            marks(chunk.len())
                        );
                        let mut query = sqlx::query(AssertSqlSafe(sql));
                        for key in chunk {
                            query = bind_value(query, key);
                        }
                        query.execute(&mut *tx).await.map_err(failed)?;
                    }
                }
                Change::Set {
                    table,
                    key_column,
                    key,
                    columns,
                } => {
                    let sets: Vec<String> = columns
                        .iter()
                        .map(|(c, _)| format!("{} = ?", q(c)))
                        .collect();
                    let sql = format!(
                        "UPDATE {} SET {} WHERE {} = ?",
                        q(table),
                        sets.join(", "),
                        q(key_column)
                    );
                    let mut query = sqlx::query(AssertSqlSafe(sql));
                    for (_, value) in columns {
                        query = query.bind(value.clone());
                    }
                    query = bind_value(query, key);
                    query.execute(&mut *tx).await.map_err(failed)?;
                }
            }
        }
        tx.commit().await.map_err(failed)
    }

    async fn foreign_keys(&self, table: &str) -> Result<Vec<(String, String)>, BackendError> {
        let (schema, name) = schema_and_name(table);
        sqlx::query_as(
            "SELECT CAST(column_name AS CHAR), CAST(referenced_table_name AS CHAR) \
             FROM information_schema.key_column_usage \
             WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? \
               AND referenced_table_name IS NOT NULL ORDER BY 1",
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
            "SELECT CAST(column_name AS CHAR), CAST(LOWER(data_type) AS CHAR), \
             CAST(is_nullable AS CHAR) FROM information_schema.columns \
             WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? \
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
