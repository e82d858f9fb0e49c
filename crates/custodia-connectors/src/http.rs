//! A dataset held by a SaaS tool (a CRM, an e-mailing tool) or by a service of the
//! operator's own, reached over HTTP: each question is a JSON `POST` signed like
//! Custodia's webhooks (`Custodia-Signature`, HMAC-SHA256 with the connection's
//! secret), answered with JSON. The tool applies the strategies itself; a tool that
//! does not answer leaves the request partly done, and completing it again asks
//! again.
//!
//! A tool that needs time answers `{"pending": true}` at once instead, then posts the
//! answer to the `answer_to` URL the question carried, signed the same way, with
//! `answer_to` and `event` (the question's `Custodia-Event`) copied into it: the
//! signature then binds the answer to its request, dataset and question. The request
//! then completes with it.
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

/// How long a signed answer stays acceptable after its timestamp.
const ANSWER_TOLERANCE_SECS: i64 = 300;

/// The events a tool answers.
pub const EVENTS: [&str; 3] = ["dataset.access", "dataset.erase", "dataset.rectify"];

/// For one question: where the tool may post its answer later, and the answer it
/// already posted there, if any (then the tool is not asked again).
#[derive(Debug, Default, Clone, Copy)]
pub struct Reply<'a> {
    pub answer_to: Option<&'a str>,
    pub given: Option<&'a Value>,
}

/// What asking gave: the answer, or the tool's word that it answers later.
enum Asked<T> {
    Now(T),
    Later,
}

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

    /// Asks, unless `reply` holds the answer already.
    async fn ask<T: for<'de> Deserialize<'de>>(
        &self,
        event: &str,
        mut body: Value,
        reply: Reply<'_>,
        now_unix: i64,
    ) -> Result<Asked<T>, BackendError> {
        if let Some(given) = reply.given {
            return parse(given).map(Asked::Now);
        }
        if let Some(url) = reply.answer_to {
            body["answer_to"] = Value::from(url);
        }
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
        let answer: Value = serde_json::from_str(&answer)
            .map_err(|_| BackendError("the tool's answer is not the expected JSON".to_owned()))?;
        if answer.get("pending") == Some(&Value::Bool(true)) {
            return match reply.answer_to {
                Some(_) => Ok(Asked::Later),
                None => Err(BackendError(
                    "the tool would answer later, but this question has no answer address"
                        .to_owned(),
                )),
            };
        }
        parse(&answer).map(Asked::Now)
    }

    /// Whether `signature` (`Custodia-Signature`) signs `body` with this tool's
    /// secret, recently enough.
    pub fn signed(&self, signature: &str, body: &[u8], now_unix: i64) -> bool {
        custodia_notify::verify_signature(
            &self.secret,
            signature,
            body,
            now_unix,
            ANSWER_TOLERANCE_SECS,
        )
    }
}

/// An answer posted later, checked before it is kept: it names the `answer_to` it
/// was posted to and the `event` it answers, and has the shape of that event's
/// answer. The event.
pub fn check_answer<'a>(answer: &'a Value, answer_to: &str) -> Result<&'a str, BackendError> {
    if answer.get("answer_to").and_then(Value::as_str) != Some(answer_to) {
        return Err(BackendError(
            "answer_to: give the URL this answer is posted to, as the question had it".to_owned(),
        ));
    }
    let event = answer
        .get("event")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match event {
        "dataset.access" => parse::<AccessAnswer>(answer).map(|_| event),
        "dataset.erase" | "dataset.rectify" => parse::<ChangeAnswer>(answer).map(|_| event),
        _ => Err(BackendError(format!(
            "event: give the event answered ({})",
            EVENTS.join(", ")
        ))),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(answer: &Value) -> Result<T, BackendError> {
    T::deserialize(answer)
        .map_err(|_| BackendError("the tool's answer is not the expected JSON".to_owned()))
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
    /// `None`: the tool answers later.
    pub async fn find(
        &self,
        spec: &custodia_register::Dataset,
        person: &Person,
        reply: Reply<'_>,
        now_unix: i64,
    ) -> Result<Option<Found>, BackendError> {
        let answer: AccessAnswer = match self
            .ask("dataset.access", question(spec, person), reply, now_unix)
            .await?
        {
            Asked::Now(answer) => answer,
            Asked::Later => return Ok(None),
        };
        Ok(Some(Found {
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
        }))
    }

    /// Asks the tool to erase (`changes` None) or rectify the person; what it did,
    /// or `None` when it answers later.
    pub async fn change(
        &self,
        spec: &custodia_register::Dataset,
        person: &Person,
        changes: Option<&BTreeMap<String, Option<String>>>,
        reply: Reply<'_>,
        now_unix: i64,
    ) -> Result<Option<Plan>, BackendError> {
        let mut body = question(spec, person);
        let event = match changes {
            Some(changes) => {
                body["changes"] = json!(changes);
                "dataset.rectify"
            }
            None => "dataset.erase",
        };
        let answer: ChangeAnswer = match self.ask(event, body, reply, now_unix).await? {
            Asked::Now(answer) => answer,
            Asked::Later => return Ok(None),
        };
        Ok(Some(Plan {
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
        }))
    }
}
