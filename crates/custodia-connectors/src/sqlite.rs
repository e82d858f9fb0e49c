//! A dataset in an SQLite file, through rusqlite (the driver the project already
//! links). Each call opens the file on a blocking thread: a rights request reads a
//! few tables once, so there is no pool to keep.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};

use crate::{Backend, BackendError, Change, KeyList, LiveColumn, Match, key_list, quoted};

/// How long a statement waits for a lock held by the company's application.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteBackend {
    path: PathBuf,
    read_only: bool,
}

impl SqliteBackend {
    /// The database at `path`; a reader opens it read-only.
    pub fn new(path: impl Into<PathBuf>, read_only: bool) -> SqliteBackend {
        SqliteBackend {
            path: path.into(),
            read_only,
        }
    }

    async fn with<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, BackendError> {
        let path = self.path.clone();
        let flags = if self.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        tokio::task::spawn_blocking(move || {
            let mut conn = Connection::open_with_flags(&path, flags)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.execute_batch("PRAGMA foreign_keys = ON")?;
            job(&mut conn)
        })
        .await
        .map_err(|_| BackendError("the database thread stopped".to_owned()))?
        .map_err(|e| BackendError(custodia_store::rusqlite_support::describe(&e)))
    }
}

/// SQLite's own value as JSON: integers and reals as numbers, text as strings,
/// blobs as hex.
fn json_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

fn param(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Number(n) => match n.as_i64() {
            Some(i) => rusqlite::types::Value::Integer(i),
            None => rusqlite::types::Value::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => rusqlite::types::Value::Text(s.clone()),
        other => rusqlite::types::Value::Text(other.to_string()),
    }
}

/// `?1, ?2, ...` from `start`.
fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait::async_trait]
impl Backend for SqliteBackend {
    async fn select(
        &self,
        table: &str,
        columns: &[&str],
        column: &str,
        matching: Match<'_>,
        limit: usize,
    ) -> Result<Vec<Map<String, Value>>, BackendError> {
        let names: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
        let list = names
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let col = quoted(column);
        let (condition, params): (String, Vec<rusqlite::types::Value>) = match matching {
            Match::Email(v) => (
                format!("lower({col}) = ?1"),
                vec![rusqlite::types::Value::Text(v.to_owned())],
            ),
            Match::Exact(v) => (
                format!("{col} = ?1"),
                vec![rusqlite::types::Value::Text(v.to_owned())],
            ),
            // Dates are compared as text: ISO dates and timestamps sort by time.
            Match::Before(v) => (
                format!("{col} < ?1"),
                vec![rusqlite::types::Value::Text(v.to_owned())],
            ),
            Match::Text(v) => (
                format!("CAST({col} AS TEXT) = ?1"),
                vec![rusqlite::types::Value::Text(v.to_owned())],
            ),
            Match::Keys(keys) => match key_list(keys) {
                KeyList::Integers(ints) => (
                    format!("{col} IN ({})", placeholders(1, ints.len())),
                    ints.into_iter()
                        .map(rusqlite::types::Value::Integer)
                        .collect(),
                ),
                KeyList::Texts(texts) => (
                    format!("CAST({col} AS TEXT) IN ({})", placeholders(1, texts.len())),
                    texts
                        .into_iter()
                        .map(rusqlite::types::Value::Text)
                        .collect(),
                ),
            },
        };
        let sql = format!(
            "SELECT {list} FROM {} WHERE {condition} LIMIT {limit}",
            quoted(table)
        );
        self.with(move |conn| {
            let mut statement = conn.prepare(&sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let mut object = Map::new();
                for (i, name) in names.iter().enumerate() {
                    object.insert(name.clone(), json_of(row.get_ref(i)?));
                }
                out.push(object);
            }
            Ok(out)
        })
        .await
    }

    async fn apply(&self, changes: &[Change]) -> Result<(), BackendError> {
        let changes = changes.to_vec();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            for change in &changes {
                match change {
                    Change::Delete {
                        table,
                        key_column,
                        keys,
                    } => {
                        for chunk in keys.chunks(500) {
                            let sql = format!(
                                "DELETE FROM {} WHERE {} IN ({})",
                                quoted(table),
                                quoted(key_column),
                                placeholders(1, chunk.len())
                            );
                            let params: Vec<_> = chunk.iter().map(param).collect();
                            tx.execute(&sql, rusqlite::params_from_iter(params.iter()))?;
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
                            .enumerate()
                            .map(|(i, (c, _))| format!("{} = ?{}", quoted(c), i + 2))
                            .collect();
                        let sql = format!(
                            "UPDATE {} SET {} WHERE {} = ?1",
                            quoted(table),
                            sets.join(", "),
                            quoted(key_column)
                        );
                        let mut params = vec![param(key)];
                        params.extend(columns.iter().map(|(_, v)| match v {
                            Some(s) => rusqlite::types::Value::Text(s.clone()),
                            None => rusqlite::types::Value::Null,
                        }));
                        tx.execute(&sql, rusqlite::params_from_iter(params.iter()))?;
                    }
                }
            }
            tx.commit()
        })
        .await
    }

    async fn foreign_keys(&self, table: &str) -> Result<Vec<(String, String)>, BackendError> {
        let table = table.to_owned();
        self.with(move |conn| {
            let mut statement = conn.prepare(
                "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?1) ORDER BY 1",
            )?;
            statement
                .query_map([&table], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .await
    }

    async fn columns(&self, table: &str) -> Result<Option<Vec<LiveColumn>>, BackendError> {
        let table = table.to_owned();
        self.with(move |conn| {
            let mut statement =
                conn.prepare("SELECT name, lower(type), \"notnull\" FROM pragma_table_info(?1)")?;
            let columns: Vec<LiveColumn> = statement
                .query_map([&table], |row| {
                    Ok(LiveColumn {
                        name: row.get(0)?,
                        data_type: row.get(1)?,
                        nullable: row.get::<_, i64>(2)? == 0,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok((!columns.is_empty()).then_some(columns))
        })
        .await
    }
}
