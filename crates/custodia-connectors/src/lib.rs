//! Rights requests that reach the company's own databases (`[[datasets]]` of the
//! register): a person is found from their identities, rows are followed along the
//! declared references, read for access, and changed for erasure by each column's
//! strategy in one transaction per dataset.
//!
//! The traversal and the erasure plan are written once here ([`Dataset`]); each
//! database is a [`Backend`] that runs a few shapes of parameterised statement. Table
//! and column names are plain identifiers (checked by the register) and are checked
//! against the live schema by [`Dataset::check`] before they are quoted into SQL;
//! every value is a bound parameter. Every statement's WHERE comes from the person's
//! identities or from keys of rows already found, never from nothing.
//!
//! Errors carry the SQL error class, never the database's message text (which may
//! quote a value) nor the connection URL (which may hold a password).

pub mod fixture;
pub mod http;
pub mod mysql;
pub mod postgres;
pub mod sqlite;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use custodia_register::{EraseStrategy, IdentityKind};
use serde::Serialize;
use serde_json::{Map, Value};

/// Rows of one table for one person at most: past it, nothing is read or changed.
pub const ROW_CAP: usize = 10_000;

/// The prefix of a pseudonym written by erasure: a value that has it is not
/// pseudonymised again, so a second erasure changes nothing.
pub const PSEUDONYM_PREFIX: &str = "pseud_";

#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("dataset `{dataset}`: {reason}")]
    Backend { dataset: String, reason: String },
    #[error(
        "dataset `{dataset}`: more than {cap} rows of `{table}` for one person; nothing was read or changed"
    )]
    TooManyRows {
        dataset: String,
        table: String,
        cap: usize,
    },
    #[error("{0}")]
    Identity(String),
    /// A tool over HTTP took the question and will post its answer later.
    #[error("dataset `{dataset}`: the tool answers later, at the request's answer address")]
    AnswersLater { dataset: String },
}

/// What a backend reports: an error class, never values.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

/// How a column is compared with a value.
#[derive(Debug, Clone, Copy)]
pub enum Match<'a> {
    /// `lower(column) = value` (the value is normalised already): an index on
    /// `lower(column)` serves it.
    Email(&'a str),
    /// `column = value`.
    Exact(&'a str),
    /// The column as text equals the value (a customer id of any type).
    Text(&'a str),
    /// The column is one of these keys (numbers or strings, as read).
    Keys(&'a [Value]),
    /// The column (a date or timestamp) is before this day (`YYYY-MM-DD`).
    Before(&'a str),
}

/// One change of an erasure, applied with the others in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Delete {
        table: String,
        key_column: String,
        keys: Vec<Value>,
    },
    /// Sets columns of one row; `None` is NULL.
    Set {
        table: String,
        key_column: String,
        key: Value,
        columns: Vec<(String, Option<String>)>,
    },
}

impl Change {
    /// The table the change is in.
    pub fn table(&self) -> &str {
        match self {
            Change::Delete { table, .. } | Change::Set { table, .. } => table,
        }
    }

    /// Whether the change names the rows it touches (keys that are not null).
    pub fn is_bounded(&self) -> bool {
        match self {
            Change::Delete { keys, .. } => !keys.is_empty() && keys.iter().all(|k| !k.is_null()),
            Change::Set { key, columns, .. } => !key.is_null() && !columns.is_empty(),
        }
    }
}

/// A column of the live schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveColumn {
    pub name: String,
    /// The declared type, lowercased (`text`, `character varying`, `integer`...).
    pub data_type: String,
    pub nullable: bool,
}

impl LiveColumn {
    /// Whether a text (a pseudonym, a fixed value) can be written to it.
    fn takes_text(&self) -> bool {
        let t = self.data_type.as_str();
        t.is_empty()
            || ["char", "text", "clob", "string"]
                .iter()
                .any(|k| t.contains(k))
    }
}

/// A database: the few statements the traversal and the erasure need.
#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// Rows of `table` whose `column` matches, as objects of `columns`, at most
    /// `limit`.
    async fn select(
        &self,
        table: &str,
        columns: &[&str],
        column: &str,
        matching: Match<'_>,
        limit: usize,
    ) -> Result<Vec<Map<String, Value>>, BackendError>;

    /// Applies every change in one transaction, or none.
    async fn apply(&self, changes: &[Change]) -> Result<(), BackendError>;

    /// The table's columns; `None` when there is no such table.
    async fn columns(&self, table: &str) -> Result<Option<Vec<LiveColumn>>, BackendError>;

    /// The table's foreign keys in the live schema: (column, referenced table).
    async fn foreign_keys(&self, table: &str) -> Result<Vec<(String, String)>, BackendError>;
}

/// The person a request is about, by normalised identity.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub(crate) identities: Vec<(IdentityKind, String)>,
}

impl Person {
    /// Normalises each identity as the vault's blind indexes do.
    pub fn new(identities: &[(IdentityKind, &str)]) -> Result<Person, ConnectorError> {
        use custodia_crypto::normalize;
        let mut out = Vec::new();
        for (kind, value) in identities {
            let normalised = match kind {
                IdentityKind::Email => normalize::email(value),
                IdentityKind::Phone => normalize::phone(value),
                IdentityKind::Login => normalize::login(value),
                IdentityKind::CustomerId => Ok(value.trim().to_owned()),
            }
            .map_err(|e| ConnectorError::Identity(format!("{}: {e}", kind.id())))?;
            if normalised.is_empty() {
                return Err(ConnectorError::Identity(format!("{}: empty", kind.id())));
            }
            out.push((*kind, normalised));
        }
        if out.is_empty() {
            return Err(ConnectorError::Identity(
                "give at least one identity (email, phone, login or customer_id)".to_owned(),
            ));
        }
        Ok(Person { identities: out })
    }

    /// Adds `other`'s identities that this person does not have yet.
    pub fn extend(&mut self, other: Person) {
        for identity in other.identities {
            if !self.identities.contains(&identity) {
                self.identities.push(identity);
            }
        }
    }
}

/// One row found for the person: its key and the declared columns' values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundRow {
    pub key: Value,
    /// Personal columns by name (the register's `fields`).
    pub fields: BTreeMap<String, Value>,
    /// Reference columns, to follow and to check sharing; not shown to the person.
    #[serde(skip)]
    pub(crate) references: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundTable {
    pub table: String,
    pub rows: Vec<FoundRow>,
}

/// Everything a dataset holds about a person, table by table in declaration order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub dataset: String,
    pub tables: Vec<FoundTable>,
}

impl Found {
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// What a plan (an erasure, a rectification) changes, or would change, in one table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TablePlan {
    pub table: String,
    pub rows_deleted: usize,
    pub rows_updated: usize,
    /// Columns written (set to NULL, pseudonymised or rewritten).
    pub columns: BTreeSet<String>,
    /// Rows left alone because another person's row refers to them.
    pub rows_shared: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// The changes to make in a dataset, with what they amount to per table.
pub struct Plan {
    pub dataset: String,
    pub tables: Vec<TablePlan>,
    #[serde(skip)]
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// "customers: 1 deleted; orders: 3 updated (email)" — counts and column
    /// names only, for the audit.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .tables
            .iter()
            .filter(|t| t.rows_deleted + t.rows_updated + t.rows_shared > 0)
            .map(|t| {
                let mut s = format!("{}:", t.table);
                if t.rows_deleted > 0 {
                    s.push_str(&format!(" {} deleted", t.rows_deleted));
                }
                if t.rows_updated > 0 {
                    let columns: Vec<&str> = t.columns.iter().map(String::as_str).collect();
                    s.push_str(&format!(
                        " {} updated ({})",
                        t.rows_updated,
                        columns.join(", ")
                    ));
                }
                if t.rows_shared > 0 {
                    s.push_str(&format!(" {} shared, kept", t.rows_shared));
                }
                s
            })
            .collect();
        if parts.is_empty() {
            "nothing to change".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// A problem `check` found between the register and the live schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    pub table: String,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}.{}: {}", self.table, c, self.message),
            None => write!(f, "{}: {}", self.table, self.message),
        }
    }
}

/// A register's dataset with the backends that read and write it.
pub struct Dataset<'d> {
    pub spec: &'d custodia_register::Dataset,
    pub reader: &'d dyn Backend,
    pub writer: &'d dyn Backend,
}

fn key_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Dataset<'_> {
    fn failed(&self, e: BackendError) -> ConnectorError {
        ConnectorError::Backend {
            dataset: self.spec.id.clone(),
            reason: e.0,
        }
    }

    fn table(&self, name: &str) -> Option<&custodia_register::DatasetTable> {
        self.spec.tables.iter().find(|t| t.name == name)
    }

    /// Every table, column, type and strategy the register declares, against the
    /// live schema (the reading connection).
    pub async fn check(&self) -> Result<Vec<SchemaProblem>, ConnectorError> {
        let mut problems = Vec::new();
        for table in &self.spec.tables {
            let Some(live) = self
                .reader
                .columns(&table.name)
                .await
                .map_err(|e| self.failed(e))?
            else {
                problems.push(SchemaProblem {
                    table: table.name.clone(),
                    column: None,
                    message: "no such table".to_owned(),
                });
                continue;
            };
            let mut want: Vec<(&str, Option<EraseStrategy>)> = vec![(table.key.as_str(), None)];
            want.extend(table.retention.iter().map(|r| (r.from.as_str(), None)));
            want.extend(table.identities.iter().map(|i| (i.column.as_str(), None)));
            want.extend(table.references.iter().map(|r| (r.column.as_str(), None)));
            want.extend(
                table
                    .fields
                    .iter()
                    .map(|f| (f.column.as_str(), Some(f.erase))),
            );
            // A kept column takes its `after` when its retention ends.
            want.extend(
                table
                    .fields
                    .iter()
                    .filter(|f| f.erase == EraseStrategy::Keep)
                    .map(|f| (f.column.as_str(), Some(f.strategy(true)))),
            );
            let mut seen = BTreeSet::new();
            for (column, erase) in want {
                let Some(col) = live.iter().find(|c| c.name == column) else {
                    if seen.insert(column) {
                        problems.push(SchemaProblem {
                            table: table.name.clone(),
                            column: Some(column.to_owned()),
                            message: "no such column".to_owned(),
                        });
                    }
                    continue;
                };
                let refused = match erase {
                    Some(EraseStrategy::Null) if !col.nullable => {
                        Some("is NOT NULL: null (erase or after) cannot apply")
                    }
                    Some(EraseStrategy::Pseudonymise | EraseStrategy::Fixed)
                        if !col.takes_text() =>
                    {
                        Some(
                            "does not hold text: a pseudonym or a fixed text cannot be written to it",
                        )
                    }
                    _ => None,
                };
                if let Some(message) = refused {
                    problems.push(SchemaProblem {
                        table: table.name.clone(),
                        column: Some(column.to_owned()),
                        message: format!("({}) {message}", col.data_type),
                    });
                }
            }
        }
        Ok(problems)
    }

    /// The spec with each live foreign key between two declared tables added as a
    /// reference, unless declared already.
    async fn with_schema_references(&self) -> Result<custodia_register::Dataset, ConnectorError> {
        let mut spec = self.spec.clone();
        for (table, reference) in self.undeclared_foreign_keys().await? {
            if let Some(table) = spec.tables.iter_mut().find(|t| t.name == table) {
                table.references.push(reference);
            }
        }
        Ok(spec)
    }

    /// Foreign keys of the live schema between two declared tables that the register
    /// does not declare as references: rows reached only through them are not found.
    /// Not a problem (a reference may be left out on purpose), so told apart; with
    /// `references_from_schema`, followed.
    pub async fn undeclared_references(&self) -> Result<Vec<SchemaProblem>, ConnectorError> {
        let followed = self.spec.references_from_schema;
        Ok(self
            .undeclared_foreign_keys()
            .await?
            .into_iter()
            .map(|(table, r)| SchemaProblem {
                table,
                message: if followed {
                    format!("refers to `{}` in the database: followed (references_from_schema)", r.table)
                } else {
                    format!("refers to `{}` in the database, but the register declares no such reference: rows reached only through it are not found", r.table)
                },
                column: Some(r.column),
            })
            .collect())
    }

    /// (table, reference) for each live foreign key between two declared tables that
    /// the register does not declare.
    async fn undeclared_foreign_keys(
        &self,
    ) -> Result<Vec<(String, custodia_register::Reference)>, ConnectorError> {
        let mut out = Vec::new();
        for table in &self.spec.tables {
            let keys = self
                .reader
                .foreign_keys(&table.name)
                .await
                .map_err(|e| self.failed(e))?;
            for (column, target) in keys {
                let declared_table = self.spec.tables.iter().any(|t| t.name == target);
                let declared = table
                    .references
                    .iter()
                    .any(|r| r.column == column && r.table == target);
                if declared_table && !declared {
                    out.push((
                        table.name.clone(),
                        custodia_register::Reference {
                            column,
                            table: target,
                        },
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Every row of the dataset about the person: the rows their identities match,
    /// then the rows that refer to those (orders of a customer) and those they refer
    /// to (a customer's address), until nothing new is found. A row reached only
    /// because one of the person's rows refers to it (an address) is a leaf: rows
    /// referring to it belong to whoever they belong to (a neighbour shipping to the
    /// same address), so nothing is followed down from it.
    pub async fn find(&self, person: &Person) -> Result<Found, ConnectorError> {
        let mut rows: HashMap<&str, BTreeMap<String, FoundRow>> = HashMap::new();
        // Keys of rows that are the person's own (found by identity or by referring
        // to the person's rows), by table.
        let mut owned: HashMap<&str, BTreeSet<String>> = HashMap::new();
        for table in &self.spec.tables {
            for identity in &table.identities {
                for (kind, value) in &person.identities {
                    if *kind != identity.kind {
                        continue;
                    }
                    let matching = match kind {
                        IdentityKind::Email => Match::Email(value),
                        IdentityKind::CustomerId => Match::Text(value),
                        IdentityKind::Phone | IdentityKind::Login => Match::Exact(value),
                    };
                    let found = self.select(table, &identity.column, matching).await?;
                    owned
                        .entry(table.name.as_str())
                        .or_default()
                        .extend(found.iter().map(|r| key_string(&r.key)));
                    self.add(&mut rows, table, found)?;
                }
            }
        }
        // Follow references until no table grows; each round queries only keys and
        // values not followed before.
        let mut followed: BTreeSet<(String, String, String)> = BTreeSet::new();
        loop {
            let mut grew = false;
            for table in &self.spec.tables {
                for reference in &table.references {
                    let Some(target) = self.table(&reference.table) else {
                        continue;
                    };
                    // Down: rows of `table` referring to the person's own target rows.
                    let keys: Vec<Value> = rows
                        .get(target.name.as_str())
                        .into_iter()
                        .flat_map(|r| r.values().map(|row| row.key.clone()))
                        .filter(|k| {
                            owned
                                .get(target.name.as_str())
                                .is_some_and(|o| o.contains(&key_string(k)))
                        })
                        .filter(|k| {
                            followed.insert((
                                format!("down:{}", table.name),
                                reference.column.clone(),
                                key_string(k),
                            ))
                        })
                        .collect();
                    if !keys.is_empty() {
                        let found = self
                            .select(table, &reference.column, Match::Keys(&keys))
                            .await?;
                        let mine = owned.entry(table.name.as_str()).or_default();
                        let before = mine.len();
                        mine.extend(found.iter().map(|r| key_string(&r.key)));
                        grew |= mine.len() > before;
                        grew |= self.add(&mut rows, table, found)?;
                    }
                    // Up: target rows the person's own rows of `table` refer to.
                    let mine = owned.get(table.name.as_str());
                    let values: Vec<Value> = rows
                        .get(table.name.as_str())
                        .into_iter()
                        .flat_map(|r| r.values())
                        .filter(|row| mine.is_some_and(|m| m.contains(&key_string(&row.key))))
                        .filter_map(|row| row.references.get(&reference.column).cloned())
                        .filter(|v| !v.is_null())
                        .filter(|v| {
                            followed.insert((
                                format!("up:{}", target.name),
                                target.key.clone(),
                                key_string(v),
                            ))
                        })
                        .collect();
                    if !values.is_empty() {
                        let found = self
                            .select(target, &target.key, Match::Keys(&values))
                            .await?;
                        grew |= self.add(&mut rows, target, found)?;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        Ok(Found {
            dataset: self.spec.id.clone(),
            tables: self
                .spec
                .tables
                .iter()
                .map(|t| FoundTable {
                    table: t.name.clone(),
                    rows: rows
                        .remove(t.name.as_str())
                        .map(|r| r.into_values().collect())
                        .unwrap_or_default(),
                })
                .collect(),
        })
    }

    async fn select(
        &self,
        table: &custodia_register::DatasetTable,
        column: &str,
        matching: Match<'_>,
    ) -> Result<Vec<FoundRow>, ConnectorError> {
        let mut columns: Vec<&str> = vec![table.key.as_str()];
        columns.extend(table.references.iter().map(|r| r.column.as_str()));
        columns.extend(table.fields.iter().map(|f| f.column.as_str()));
        columns.sort_unstable();
        columns.dedup();
        let raw = self
            .reader
            .select(&table.name, &columns, column, matching, ROW_CAP + 1)
            .await
            .map_err(|e| self.failed(e))?;
        if raw.len() > ROW_CAP {
            return Err(ConnectorError::TooManyRows {
                dataset: self.spec.id.clone(),
                table: table.name.clone(),
                cap: ROW_CAP,
            });
        }
        Ok(raw
            .into_iter()
            .map(|object| row_of(table, object))
            .collect())
    }

    /// Adds rows not seen yet; whether any was new.
    fn add<'t>(
        &self,
        rows: &mut HashMap<&'t str, BTreeMap<String, FoundRow>>,
        table: &'t custodia_register::DatasetTable,
        found: Vec<FoundRow>,
    ) -> Result<bool, ConnectorError> {
        let entry = rows.entry(table.name.as_str()).or_default();
        let before = entry.len();
        for row in found {
            entry.entry(key_string(&row.key)).or_insert(row);
        }
        if entry.len() > ROW_CAP {
            return Err(ConnectorError::TooManyRows {
                dataset: self.spec.id.clone(),
                table: table.name.clone(),
                cap: ROW_CAP,
            });
        }
        Ok(entry.len() > before)
    }

    /// Rows of `table` past its retention at `now`: their `from` column, then the
    /// rule's phases one after another, at or before `now`. At most [`ROW_CAP`] a
    /// call: a sweep takes the rest next time.
    pub async fn expired(
        &self,
        table: &custodia_register::DatasetTable,
        phases: &[custodia_register::IsoDuration],
        now: time::OffsetDateTime,
    ) -> Result<Found, ConnectorError> {
        let Some(retention) = &table.retention else {
            return Ok(self.only(table, Vec::new()));
        };
        // A row can only be due if it is older than the shortest the phases can be.
        let shortest: u64 = phases.iter().map(|p| p.min_days()).sum();
        let bound = now.date()
            - time::Duration::days(
                i64::try_from(shortest)
                    .unwrap_or(i64::MAX / 2)
                    .min(3_000_000),
            )
            + time::Duration::days(1);
        let day = format!(
            "{:04}-{:02}-{:02}",
            bound.year(),
            u8::from(bound.month()),
            bound.day()
        );
        let mut columns: Vec<&str> = vec![table.key.as_str(), retention.from.as_str()];
        columns.extend(table.references.iter().map(|r| r.column.as_str()));
        columns.extend(table.fields.iter().map(|f| f.column.as_str()));
        columns.sort_unstable();
        columns.dedup();
        let raw = self
            .reader
            .select(
                &table.name,
                &columns,
                &retention.from,
                Match::Before(&day),
                ROW_CAP,
            )
            .await
            .map_err(|e| self.failed(e))?;
        let due = |object: &Map<String, Value>| {
            let from = object
                .get(&retention.from)
                .and_then(Value::as_str)
                .and_then(parse_instant);
            from.and_then(|start| phases.iter().try_fold(start, |at, p| p.after(at)))
                .is_some_and(|end| end <= now)
        };
        let rows = raw
            .into_iter()
            .filter(due)
            .map(|object| row_of(table, object))
            .collect();
        Ok(self.only(table, rows))
    }

    /// A `Found` with rows in one table only.
    fn only(&self, table: &custodia_register::DatasetTable, rows: Vec<FoundRow>) -> Found {
        Found {
            dataset: self.spec.id.clone(),
            tables: vec![FoundTable {
                table: table.name.clone(),
                rows,
            }],
        }
    }

    /// What erasing the person changes: each column's strategy on each row found,
    /// except rows another person's row refers to. `pseudonym` turns a value into
    /// its keyed HMAC (hex).
    pub async fn plan_erasure(
        &self,
        found: &Found,
        pseudonym: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<Plan, ConnectorError> {
        self.plan(found, pseudonym, false).await
    }

    /// What the end of their table's retention changes in rows `expired` found:
    /// each column's strategy, a kept column's `after`. Rows others refer to are
    /// updated all the same (their references still hold); only deleting them waits.
    pub async fn plan_retention_end(
        &self,
        found: &Found,
        pseudonym: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<Plan, ConnectorError> {
        self.plan(found, pseudonym, true).await
    }

    async fn plan(
        &self,
        found: &Found,
        pseudonym: &(dyn Fn(&str) -> String + Sync),
        retention_ended: bool,
    ) -> Result<Plan, ConnectorError> {
        let found_keys = found_keys(found);
        let mut sets = Vec::new();
        let mut deletes = Vec::new();
        let mut tables = Vec::new();
        for found_table in &found.tables {
            let Some(table) = self.table(&found_table.table) else {
                continue;
            };
            let shared = if retention_ended && !table.deletes_rows() {
                BTreeSet::new()
            } else {
                self.shared_keys(table, found_table, &found_keys).await?
            };
            let mut tally = TablePlan {
                table: table.name.clone(),
                rows_shared: shared.len(),
                ..TablePlan::default()
            };
            let mut delete_keys = Vec::new();
            for row in &found_table.rows {
                if shared.contains(&key_string(&row.key)) {
                    continue;
                }
                if table.deletes_rows() {
                    delete_keys.push(row.key.clone());
                    continue;
                }
                let mut columns = Vec::new();
                for field in &table.fields {
                    let current = row.fields.get(&field.column).unwrap_or(&Value::Null);
                    let new = match field.strategy(retention_ended) {
                        EraseStrategy::Keep | EraseStrategy::DeleteRow => continue,
                        EraseStrategy::Null if current.is_null() => continue,
                        EraseStrategy::Null => None,
                        EraseStrategy::Fixed => {
                            let value = field.value.clone().unwrap_or_default();
                            if current.as_str() == Some(value.as_str()) {
                                continue;
                            }
                            Some(value)
                        }
                        EraseStrategy::Pseudonymise => match current {
                            Value::Null => continue,
                            Value::String(s) if s.starts_with(PSEUDONYM_PREFIX) => continue,
                            Value::String(s) => Some(format!("{PSEUDONYM_PREFIX}{}", pseudonym(s))),
                            other => Some(format!(
                                "{PSEUDONYM_PREFIX}{}",
                                pseudonym(&other.to_string())
                            )),
                        },
                    };
                    tally.columns.insert(field.column.clone());
                    columns.push((field.column.clone(), new));
                }
                if !columns.is_empty() {
                    tally.rows_updated += 1;
                    sets.push(Change::Set {
                        table: table.name.clone(),
                        key_column: table.key.clone(),
                        key: row.key.clone(),
                        columns,
                    });
                }
            }
            tally.rows_deleted = delete_keys.len();
            if !delete_keys.is_empty() {
                deletes.push((
                    table,
                    Change::Delete {
                        table: table.name.clone(),
                        key_column: table.key.clone(),
                        keys: delete_keys,
                    },
                ));
            }
            tables.push(tally);
        }
        // Rows that refer to others go first, so foreign keys hold at each step.
        deletes.sort_by_key(|(table, _)| std::cmp::Reverse(self.depth(table)));
        let mut changes = sets;
        changes.extend(deletes.into_iter().map(|(_, c)| c));
        Ok(Plan {
            dataset: self.spec.id.clone(),
            tables,
            changes,
        })
    }

    /// How many references lead from this table down to a table with none: a
    /// table deeper in the chain is deleted before the tables it refers to.
    fn depth(&self, table: &custodia_register::DatasetTable) -> usize {
        let mut depth = 0;
        let mut current = vec![table];
        while depth < self.spec.tables.len() {
            let next: Vec<&custodia_register::DatasetTable> = current
                .iter()
                .flat_map(|t| t.references.iter())
                .filter_map(|r| self.table(&r.table))
                .collect();
            if next.is_empty() {
                break;
            }
            depth += 1;
            current = next;
        }
        depth
    }

    /// A rectification: the person's columns of each category in `changes` set to
    /// the new value (`None`: emptied), except rows other people refer to.
    pub async fn plan_rectification(
        &self,
        found: &Found,
        changes: &BTreeMap<String, Option<String>>,
    ) -> Result<Plan, ConnectorError> {
        let found_keys = found_keys(found);
        let mut plan = Plan {
            dataset: self.spec.id.clone(),
            tables: Vec::new(),
            changes: Vec::new(),
        };
        for found_table in &found.tables {
            let Some(table) = self.table(&found_table.table) else {
                continue;
            };
            let fields: Vec<_> = table
                .fields
                .iter()
                .filter_map(|f| changes.get(&f.category).map(|v| (f, v)))
                .collect();
            if fields.is_empty() {
                continue;
            }
            let shared = self.shared_keys(table, found_table, &found_keys).await?;
            let mut tally = TablePlan {
                table: table.name.clone(),
                rows_shared: shared.len(),
                ..TablePlan::default()
            };
            for row in &found_table.rows {
                if shared.contains(&key_string(&row.key)) {
                    continue;
                }
                let columns: Vec<(String, Option<String>)> = fields
                    .iter()
                    .filter(|(f, new)| {
                        let current = row.fields.get(&f.column).unwrap_or(&Value::Null);
                        current.as_str() != new.as_deref() || (current.is_null() != new.is_none())
                    })
                    .map(|(f, new)| (f.column.clone(), (*new).clone()))
                    .collect();
                if columns.is_empty() {
                    continue;
                }
                tally.rows_updated += 1;
                tally.columns.extend(columns.iter().map(|(c, _)| c.clone()));
                plan.changes.push(Change::Set {
                    table: table.name.clone(),
                    key_column: table.key.clone(),
                    key: row.key.clone(),
                    columns,
                });
            }
            plan.tables.push(tally);
        }
        Ok(plan)
    }

    /// Keys of rows of `table` that a row outside the person's rows refers to.
    async fn shared_keys(
        &self,
        table: &custodia_register::DatasetTable,
        found_table: &FoundTable,
        found_keys: &HashMap<&str, BTreeSet<String>>,
    ) -> Result<BTreeSet<String>, ConnectorError> {
        let mut shared = BTreeSet::new();
        let keys: Vec<Value> = found_table.rows.iter().map(|r| r.key.clone()).collect();
        if keys.is_empty() {
            return Ok(shared);
        }
        for referrer in &self.spec.tables {
            for reference in referrer.references.iter().filter(|r| r.table == table.name) {
                let columns = [referrer.key.as_str(), reference.column.as_str()];
                let rows = self
                    .reader
                    .select(
                        &referrer.name,
                        &columns,
                        &reference.column,
                        Match::Keys(&keys),
                        ROW_CAP + 1,
                    )
                    .await
                    .map_err(|e| self.failed(e))?;
                let ours = found_keys.get(referrer.name.as_str());
                for row in rows {
                    let referrer_key = row.get(&referrer.key).map(key_string).unwrap_or_default();
                    if !ours.is_some_and(|k| k.contains(&referrer_key))
                        && let Some(target) = row.get(&reference.column)
                    {
                        shared.insert(key_string(target));
                    }
                }
            }
        }
        Ok(shared)
    }

    /// Carries a plan out in one transaction (the writing connection). Every
    /// change names the rows it touches by key: a change without keys is refused
    /// before anything runs, so no statement can reach the whole table.
    pub async fn apply(&self, erasure: &Plan) -> Result<(), ConnectorError> {
        if erasure.is_empty() {
            return Ok(());
        }
        if let Some(unbounded) = erasure.changes.iter().find(|c| !c.is_bounded()) {
            return Err(ConnectorError::Backend {
                dataset: self.spec.id.clone(),
                reason: format!(
                    "refused a change of `{}` without row keys",
                    unbounded.table()
                ),
            });
        }
        self.writer
            .apply(&erasure.changes)
            .await
            .map_err(|e| self.failed(e))
    }
}

/// One row as read: its key, reference columns and declared columns.
fn row_of(table: &custodia_register::DatasetTable, mut object: Map<String, Value>) -> FoundRow {
    FoundRow {
        key: object.get(&table.key).cloned().unwrap_or(Value::Null),
        references: table
            .references
            .iter()
            .map(|r| {
                let v = object.get(&r.column).cloned().unwrap_or(Value::Null);
                (r.column.clone(), v)
            })
            .collect(),
        fields: table
            .fields
            .iter()
            .map(|f| {
                (
                    f.column.clone(),
                    object.remove(&f.column).unwrap_or(Value::Null),
                )
            })
            .collect(),
    }
}

/// A date or timestamp as databases write them in JSON: RFC 3339, `YYYY-MM-DD
/// HH:MM:SS[.fraction]` (taken as UTC) or `YYYY-MM-DD` (its midnight, UTC).
fn parse_instant(text: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Some(at);
    }
    let date = time::Date::parse(
        text.get(..10)?,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let rest = text
        .get(10..)
        .unwrap_or_default()
        .trim_start_matches([' ', 'T']);
    let time = match rest.get(..8) {
        Some(hms) => time::Time::parse(
            hms,
            time::macros::format_description!("[hour]:[minute]:[second]"),
        )
        .ok()?,
        None => time::Time::MIDNIGHT,
    };
    Some(time::PrimitiveDateTime::new(date, time).assume_utc())
}

/// `schema.table` as (schema, table); a bare table is in the connection's default
/// schema (`None`).
pub(crate) fn schema_and_name(table: &str) -> (Option<String>, String) {
    match table.split_once('.') {
        Some((schema, name)) => (Some(schema.to_owned()), name.to_owned()),
        None => (None, table.to_owned()),
    }
}

/// The keys of the rows found, by table.
fn found_keys(found: &Found) -> HashMap<&str, BTreeSet<String>> {
    found
        .tables
        .iter()
        .map(|t| {
            (
                t.table.as_str(),
                t.rows.iter().map(|r| key_string(&r.key)).collect(),
            )
        })
        .collect()
}

/// `"name"` or `"schema"."table"`: only for names the register already checked are
/// plain identifiers.
pub(crate) fn quoted(name: &str) -> String {
    quoted_with(name, '"')
}

/// [`quoted`] with another quote (MySQL's backtick).
pub(crate) fn quoted_with(name: &str, quote: char) -> String {
    name.split('.')
        .map(|part| format!("{quote}{part}{quote}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// Keys as integers when every one is, for a typed comparison that can use an
/// index; else as text.
pub(crate) enum KeyList {
    Integers(Vec<i64>),
    Texts(Vec<String>),
}

pub(crate) fn key_list(keys: &[Value]) -> KeyList {
    let ints: Option<Vec<i64>> = keys.iter().map(Value::as_i64).collect();
    match ints {
        Some(ints) => KeyList::Integers(ints),
        None => KeyList::Texts(keys.iter().map(key_string).collect()),
    }
}

/// How a dataset is reached.
pub enum Link {
    /// A database: a reading and a writing connection.
    Sql {
        reader: std::sync::Arc<dyn Backend>,
        writer: std::sync::Arc<dyn Backend>,
    },
    /// A tool that answers signed questions over HTTP.
    Http(http::HttpTool),
}

/// A dataset as it is reached, for the one match each operation makes.
enum Side<'c> {
    Sql(Dataset<'c>),
    Http(&'c http::HttpTool),
}

/// A dataset of the register with the way to reach it.
pub struct Connected {
    pub spec: custodia_register::Dataset,
    pub link: Link,
    /// With `references_from_schema`: the spec with the live foreign keys added,
    /// read on first use (a database down at start-up is no reason to miss them).
    with_schema_references: tokio::sync::OnceCell<custodia_register::Dataset>,
}

impl Connected {
    pub fn new(spec: custodia_register::Dataset, link: Link) -> Connected {
        Connected {
            spec,
            link,
            with_schema_references: tokio::sync::OnceCell::new(),
        }
    }

    /// The database side, when the dataset is a database, with the references it
    /// follows.
    pub async fn sql(&self) -> Result<Option<Dataset<'_>>, ConnectorError> {
        Ok(match self.side().await? {
            Side::Sql(dataset) => Some(dataset),
            Side::Http(_) => None,
        })
    }

    /// The database side with the references the register declares only.
    fn declared(&self) -> Option<Dataset<'_>> {
        match self.declared_side() {
            Side::Sql(dataset) => Some(dataset),
            Side::Http(_) => None,
        }
    }

    fn declared_side(&self) -> Side<'_> {
        match &self.link {
            Link::Sql { reader, writer } => Side::Sql(Dataset {
                spec: &self.spec,
                reader: reader.as_ref(),
                writer: writer.as_ref(),
            }),
            Link::Http(tool) => Side::Http(tool),
        }
    }

    async fn side(&self) -> Result<Side<'_>, ConnectorError> {
        match self.declared_side() {
            Side::Sql(declared) if self.spec.references_from_schema => {
                let spec = self
                    .with_schema_references
                    .get_or_try_init(|| declared.with_schema_references())
                    .await?;
                Ok(Side::Sql(Dataset { spec, ..declared }))
            }
            side => Ok(side),
        }
    }

    fn failed(&self, e: BackendError) -> ConnectorError {
        ConnectorError::Backend {
            dataset: self.spec.id.clone(),
            reason: e.0,
        }
    }

    /// Live foreign keys the register does not declare (none for a tool over HTTP).
    pub async fn undeclared_references(&self) -> Result<Vec<SchemaProblem>, ConnectorError> {
        match self.declared() {
            Some(dataset) => dataset.undeclared_references().await,
            None => Ok(Vec::new()),
        }
    }

    /// Problems against the live schema (a tool over HTTP has none to check).
    pub async fn check(&self) -> Result<Vec<SchemaProblem>, ConnectorError> {
        match self.declared() {
            Some(dataset) => dataset.check().await,
            None => Ok(Vec::new()),
        }
    }

    /// The person's rows. `reply` matters to a tool over HTTP only.
    pub async fn find(
        &self,
        person: &Person,
        reply: http::Reply<'_>,
        now_unix: i64,
    ) -> Result<Found, ConnectorError> {
        match self.side().await? {
            Side::Sql(dataset) => dataset.find(person).await,
            Side::Http(tool) => tool
                .find(&self.spec, person, reply, now_unix)
                .await
                .map_err(|e| self.failed(e))?
                .ok_or_else(|| self.answers_later()),
        }
    }

    fn answers_later(&self) -> ConnectorError {
        ConnectorError::AnswersLater {
            dataset: self.spec.id.clone(),
        }
    }

    /// The tool reached over HTTP, for checking the answers it posts.
    pub fn http_tool(&self) -> Option<&http::HttpTool> {
        match self.declared_side() {
            Side::Http(tool) => Some(tool),
            Side::Sql(_) => None,
        }
    }

    /// Erases the person (what `find` found): by each column's strategy in a
    /// database, or by asking the tool. What was done.
    pub async fn erase(
        &self,
        person: &Person,
        found: &Found,
        pseudonym: &(dyn Fn(&str) -> String + Sync),
        reply: http::Reply<'_>,
        now_unix: i64,
    ) -> Result<Plan, ConnectorError> {
        match self.side().await? {
            Side::Sql(dataset) => {
                let plan = dataset.plan_erasure(found, pseudonym).await?;
                dataset.apply(&plan).await?;
                Ok(plan)
            }
            Side::Http(tool) => tool
                .change(&self.spec, person, None, reply, now_unix)
                .await
                .map_err(|e| self.failed(e))?
                .ok_or_else(|| self.answers_later()),
        }
    }

    /// Sets the person's columns of each category in `changes`. What was done.
    pub async fn rectify(
        &self,
        person: &Person,
        found: &Found,
        changes: &BTreeMap<String, Option<String>>,
        reply: http::Reply<'_>,
        now_unix: i64,
    ) -> Result<Plan, ConnectorError> {
        match self.side().await? {
            Side::Sql(dataset) => {
                let plan = dataset.plan_rectification(found, changes).await?;
                dataset.apply(&plan).await?;
                Ok(plan)
            }
            Side::Http(tool) => tool
                .change(&self.spec, person, Some(changes), reply, now_unix)
                .await
                .map_err(|e| self.failed(e))?
                .ok_or_else(|| self.answers_later()),
        }
    }
}

/// The backend a URL names: `postgres://` or `postgresql://`, `mysql://` or
/// `mariadb://`, or an SQLite file (`sqlite://PATH`). Errors never repeat the URL.
pub fn open(url: &str, read_only: bool) -> Result<std::sync::Arc<dyn Backend>, BackendError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(std::sync::Arc::new(postgres::PostgresBackend::connect(
            url, read_only,
        )?));
    }
    if url.starts_with("mysql://") || url.starts_with("mariadb://") {
        return Ok(std::sync::Arc::new(mysql::MysqlBackend::connect(
            url, read_only,
        )?));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(std::sync::Arc::new(sqlite::SqliteBackend::new(
            path, read_only,
        )));
    }
    Err(BackendError(
        "unsupported connection URL: use postgres://…, mysql://… (MariaDB too) or sqlite://PATH"
            .to_owned(),
    ))
}
