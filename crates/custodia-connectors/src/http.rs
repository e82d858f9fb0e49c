//! A dataset held by a SaaS tool (a CRM, an e-mailing tool) or by a service of the
//! operator's own, reached over HTTP: each question is a JSON `POST` signed like
//! Custodia's webhooks (`Custodia-Signature`, HMAC-SHA256 with the connection's
//! secret), answered at once with JSON. The tool applies the strategies itself; a
//! tool that does not answer leaves the request partly done, and completing it again
//! asks again.
//!
//! Events and bodies (`identities` maps `email`, `phone`, `login`, `customer_id` to
//! the normalised values; `tables` is the register's declaration):
//! - `dataset.access` `{dataset, identities, tables}` → `{"tables": [{"name",
//!   "rows": [{"key", "data": {column: value}}]}]}`
//! - `dataset.erase` `{dataset, identities, tables}` (each field with its `erase`
//!   and `value`) → `{"tables": [{"name", "rows_deleted", "rows_updated",
//!   "columns"}]}`
//! - `dataset.rectify` `{dataset, identities, tables, changes: {category: value}}`
//!   → the same as erase.

use std::collections::BTreeMap;
use std::time::Duration;

use custodia_notify::{Webhook, WebhookSender};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{BackendError, Found, FoundRow, FoundTable, Person, Plan, TablePlan};

/// A question the tool must answer within this.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct HttpTool {
    url: String,
    secret: Vec<u8>,
    sender: WebhookSender,
}

impl HttpTool {
    pub fn new(url: &str, secret: &str) -> Result<HttpTool, BackendError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(BackendError(
                "the URL must start with https:// or http://".to_owned(),
            ));
        }
        if secret.len() < 16 {
            return Err(BackendError(
                "give a secret of at least 16 characters to sign the requests".to_owned(),
            ));
        }
        Ok(HttpTool {
            url: url.to_owned(),
            secret: secret.as_bytes().to_vec(),
            sender: WebhookSender::new(TIMEOUT),
        })
    }

    async fn ask<T: for<'de> Deserialize<'de>>(
        &self,
        event: &str,
        body: &Value,
        now_unix: i64,
    ) -> Result<T, BackendError> {
        let hook = Webhook {
            url: self.url.clone(),
            event: event.to_owned(),
            delivery_id: format!("{event}-{now_unix}"),
            body: body.to_string(),
        };
        let answer = self
            .sender
            .call(&hook, &self.secret, now_unix)
            .await
            .map_err(|e| BackendError(format!("the tool did not answer: {e}")))?;
        serde_json::from_str(&answer)
            .map_err(|_| BackendError("the tool's answer is not the expected JSON".to_owned()))
    }
}

#[derive(Deserialize)]
struct AccessAnswer {
    tables: Vec<AnswerTable>,
}

#[derive(Deserialize)]
struct AnswerTable {
    name: String,
    #[serde(default)]
    rows: Vec<AnswerRow>,
}

#[derive(Deserialize)]
struct AnswerRow {
    key: Value,
    #[serde(default)]
    data: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct ChangeAnswer {
    tables: Vec<ChangedTable>,
}

#[derive(Deserialize)]
struct ChangedTable {
    name: String,
    #[serde(default)]
    rows_deleted: usize,
    #[serde(default)]
    rows_updated: usize,
    #[serde(default)]
    columns: Vec<String>,
}

fn question(spec: &custodia_register::Dataset, person: &Person) -> Value {
    let identities: serde_json::Map<String, Value> = person
        .identities
        .iter()
        .map(|(kind, value)| (kind.id().to_owned(), Value::from(value.as_str())))
        .collect();
    json!({
        "dataset": spec.id,
        "identities": identities,
        "tables": spec.tables.iter().map(|t| json!({
            "name": t.name,
            "fields": t.fields.iter().map(|f| json!({
                "column": f.column, "category": f.category, "erase": f.erase.id(), "value": f.value,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

impl HttpTool {
    /// The person's records: only the declared tables and columns are kept.
    pub async fn find(
        &self,
        spec: &custodia_register::Dataset,
        person: &Person,
        now_unix: i64,
    ) -> Result<Found, BackendError> {
        let answer: AccessAnswer = self
            .ask("dataset.access", &question(spec, person), now_unix)
            .await?;
        Ok(Found {
            dataset: spec.id.clone(),
            tables: spec
                .tables
                .iter()
                .map(|t| FoundTable {
                    table: t.name.clone(),
                    rows: answer
                        .tables
                        .iter()
                        .filter(|a| a.name == t.name)
                        .flat_map(|a| &a.rows)
                        .map(|r| FoundRow {
                            key: r.key.clone(),
                            fields: t
                                .fields
                                .iter()
                                .map(|f| {
                                    let v = r.data.get(&f.column).cloned().unwrap_or(Value::Null);
                                    (f.column.clone(), v)
                                })
                                .collect(),
                            references: BTreeMap::new(),
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// Asks the tool to erase (`changes` None) or rectify the person; what it did.
    pub async fn change(
        &self,
        spec: &custodia_register::Dataset,
        person: &Person,
        changes: Option<&BTreeMap<String, Option<String>>>,
        now_unix: i64,
    ) -> Result<Plan, BackendError> {
        let mut body = question(spec, person);
        let event = match changes {
            Some(changes) => {
                body["changes"] = json!(changes);
                "dataset.rectify"
            }
            None => "dataset.erase",
        };
        let answer: ChangeAnswer = self.ask(event, &body, now_unix).await?;
        Ok(Plan {
            dataset: spec.id.clone(),
            tables: answer
                .tables
                .into_iter()
                .map(|t| TablePlan {
                    table: t.name,
                    rows_deleted: t.rows_deleted,
                    rows_updated: t.rows_updated,
                    columns: t.columns.into_iter().collect(),
                    rows_shared: 0,
                })
                .collect(),
            changes: Vec::new(),
        })
    }
}
