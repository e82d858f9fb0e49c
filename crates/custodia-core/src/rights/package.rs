//! The access package (Art. 15, CCPA "know") and the portability export (Art. 20),
//! built from the vault and the register: the data itself, then what the register
//! says about it (purposes, recipients, transfers, retention, rights, source).

use crate::consent::Choice;
use crate::vault::SubjectView;
use custodia_policy::i18n::messages;
use custodia_register::{DataSource, Lang, LegalBasis, ValidRegister};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
    Csv,
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        [Format::Html, Format::Json, Format::Csv]
            .into_iter()
            .find(|f| f.id() == text)
    }
}

/// Message ids the HTML rendering uses.
pub const MESSAGE_IDS: [&str; 11] = [
    "package-title",
    "package-datasets",
    "package-portable-title",
    "package-intro",
    "package-data",
    "package-events",
    "package-disclosures",
    "package-consents",
    "package-purposes",
    "package-recipients",
    "package-retention",
];

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// Categories a portability export carries: provided or observed, and used by a
/// purpose resting on consent or a contract for this kind of subject.
fn portable(register: &ValidRegister, kind: &str, category: &str) -> bool {
    let source_ok = register
        .categories
        .iter()
        .find(|c| c.id == category)
        .is_some_and(|c| matches!(c.source, DataSource::Subject | DataSource::Observed));
    source_ok
        && register.purposes.iter().any(|p| {
            matches!(
                p.legal_basis,
                Some(LegalBasis::Consent | LegalBasis::Contract)
            ) && (p.subjects.is_empty() || p.subjects.iter().any(|s| s == kind))
                && p.categories.iter().any(|c| c == category)
        })
}

/// A category a portability export carries, whatever kind of subject uses it.
fn portable_anywhere(register: &ValidRegister, category: &str) -> bool {
    register
        .subject_kinds
        .iter()
        .any(|k| portable(register, &k.id, category))
}

/// The register's purposes that use `category`, by id.
fn purposes_using<'r>(register: &'r ValidRegister, category: &str) -> Vec<&'r str> {
    register
        .purposes
        .iter()
        .filter(|p| p.categories.iter().any(|c| c == category))
        .map(|p| p.id.as_str())
        .collect()
}

/// What the company's own databases hold: dataset, table, then each row's columns
/// with their register category and the purposes that use it.
fn datasets_json(
    register: &ValidRegister,
    found: &[custodia_connectors::Found],
    portable_only: bool,
    lang: Lang,
) -> Vec<Value> {
    found
        .iter()
        .filter(|f| f.rows() > 0)
        .map(|f| {
            let spec = register.datasets.iter().find(|d| d.id == f.dataset);
            let name = spec
                .and_then(|d| d.name.as_ref())
                .map_or_else(|| f.dataset.clone(), |n| n.in_lang(lang).to_owned());
            let tables: Vec<Value> = f
                .tables
                .iter()
                .filter(|t| !t.rows.is_empty())
                .map(|t| {
                    let fields = spec
                        .and_then(|d| d.tables.iter().find(|x| x.name == t.table))
                        .map(|x| x.fields.as_slice())
                        .unwrap_or_default();
                    let rows: Vec<Value> = t
                        .rows
                        .iter()
                        .map(|r| {
                            let data: serde_json::Map<String, Value> = fields
                                .iter()
                                .filter(|fd| {
                                    !portable_only || portable_anywhere(register, &fd.category)
                                })
                                .map(|fd| {
                                    let value =
                                        r.fields.get(&fd.column).cloned().unwrap_or(Value::Null);
                                    (
                                        fd.column.clone(),
                                        json!({
                                            "category": fd.category,
                                            "purposes": purposes_using(register, &fd.category),
                                            "value": value,
                                        }),
                                    )
                                })
                                .collect();
                            json!({"key": r.key, "data": data})
                        })
                        .collect();
                    json!({"table": t.table, "rows": rows})
                })
                .collect();
            json!({"dataset": f.dataset, "name": name, "tables": tables})
        })
        .collect()
}

/// The package as JSON: the one source the three formats render.
pub fn build(
    register: &ValidRegister,
    request_kind: &str,
    now: OffsetDateTime,
    subjects: &[(SubjectView, Vec<Choice>)],
    datasets: &[custodia_connectors::Found],
    portable_only: bool,
    lang: Lang,
) -> Value {
    let mut kinds: Vec<&str> = subjects.iter().map(|(v, _)| v.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let subjects_json: Vec<Value> = subjects
        .iter()
        .map(|(v, consents)| {
            let data: serde_json::Map<String, Value> = v
                .data
                .iter()
                .filter(|(c, _)| !portable_only || portable(register, &v.kind, c))
                .map(|(c, value)| (c.clone(), value.clone()))
                .collect();
            if portable_only {
                return json!({ "id": v.id, "kind": v.kind, "data": data });
            }
            json!({
                "id": v.id,
                "kind": v.kind,
                "created_at": rfc3339(v.created_at),
                "data": data,
                "events": v.events.iter().map(|e| json!({"event": e.event, "at": rfc3339(e.at)})).collect::<Vec<_>>(),
                "disclosures": v.disclosures.iter().map(|d| json!({
                    "recipient": d.recipient, "categories": d.categories, "purpose": d.purpose, "at": rfc3339(d.at)
                })).collect::<Vec<_>>(),
                "consents": consents.iter().map(|c| json!({
                    "purpose": c.purpose, "service": c.service, "state": c.state.id(), "at": rfc3339(c.at),
                    "expires_at": c.expires_at.map(rfc3339),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut doc = json!({
        "request": request_kind,
        "generated_at": rfc3339(now),
        "controller": {
            "name": register.controller.legal_name,
            "address": register.controller.address,
            "email": register.controller.email,
        },
        "subjects": subjects_json,
        "datasets": datasets_json(register, datasets, portable_only, lang),
    });
    if portable_only {
        return doc;
    }
    let applies = |subjects: &[String]| {
        subjects.is_empty() || subjects.iter().any(|s| kinds.contains(&s.as_str()))
    };
    let purposes: Vec<Value> = register
        .purposes
        .iter()
        .filter(|p| applies(&p.subjects))
        .map(|p| {
            json!({
                "id": p.id,
                "title": p.title.in_lang(lang),
                "description": p.description.in_lang(lang),
                "legal_basis": p.legal_basis,
                "legitimate_interest": p.legitimate_interest.as_ref().map(|t| t.in_lang(lang)),
                "categories": p.categories,
                "recipients": p.recipients,
                "automated_decision": p.automated_decision.is_some(),
            })
        })
        .collect();
    let recipients: Vec<Value> = register
        .recipients
        .iter()
        .map(|r| {
            let transfers: Vec<Value> = register
                .transfers
                .iter()
                .filter(|t| t.recipient == r.id)
                .map(|t| json!({"country": t.country, "mechanism": t.mechanism}))
                .collect();
            json!({
                "id": r.id,
                "name": r.name.in_lang(lang),
                "kind": r.kind,
                "role": r.role.in_lang(lang),
                "countries": r.countries,
                "transfers": transfers,
            })
        })
        .collect();
    let retention: Vec<Value> = register
        .retention
        .iter()
        .filter(|r| applies(&r.subjects))
        .map(|r| {
            json!({
                "categories": r.categories,
                "trigger": r.trigger,
                "phases": r.phases.iter().map(|p| json!({
                    "duration": p.duration.to_string(), "stage": p.stage,
                })).collect::<Vec<_>>(),
                "then": r.then,
            })
        })
        .collect();
    let categories: Vec<Value> = register
        .categories
        .iter()
        .filter(|c| !c.never_stored)
        .map(|c| json!({"id": c.id, "name": c.name.in_lang(lang), "source": c.source}))
        .collect();
    let authority = register.controller.supervisory_authority.as_ref().map(|a| {
        json!({"name": a.name.in_lang(lang), "website": a.website, "complaint_url": a.complaint_url})
    });
    if let Some(map) = doc.as_object_mut() {
        map.insert("purposes".to_owned(), Value::Array(purposes));
        map.insert("categories".to_owned(), Value::Array(categories));
        map.insert("recipients".to_owned(), Value::Array(recipients));
        map.insert("retention".to_owned(), Value::Array(retention));
        map.insert("rights".to_owned(), json!(register.rights.offered));
        map.insert("complaint_authority".to_owned(), json!(authority));
    }
    doc
}

/// The package in one format.
pub fn render(doc: &Value, format: Format, lang: Lang) -> Result<String, RenderError> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(doc)?,
        Format::Csv => csv(doc),
        Format::Html => html(doc, lang)?,
    })
}

/// Each item of a JSON array as [`plain`] text; nothing for anything else.
fn plain_list(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().map(plain).collect()
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One CSV cell: the one writer lives beside the record of processing.
pub(crate) use custodia_policy::csv::csv_field;

/// One row per fact: `section,subject_id,name,value,at`.
fn csv(doc: &Value) -> String {
    let mut out = String::from("section,subject_id,name,value,at\r\n");
    let mut row = |cells: [&str; 5]| {
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    for s in doc["subjects"].as_array().into_iter().flatten() {
        let id = s["id"].as_str().unwrap_or_default();
        for (category, value) in s["data"].as_object().into_iter().flatten() {
            row(["data", id, category, &plain(value), ""]);
        }
        for e in s["events"].as_array().into_iter().flatten() {
            row(["event", id, &plain(&e["event"]), "", &plain(&e["at"])]);
        }
        for d in s["disclosures"].as_array().into_iter().flatten() {
            let cats = plain_list(&d["categories"]).join(" ");
            row([
                "disclosure",
                id,
                &plain(&d["recipient"]),
                &cats,
                &plain(&d["at"]),
            ]);
        }
        for c in s["consents"].as_array().into_iter().flatten() {
            row([
                "consent",
                id,
                &plain(&c["purpose"]),
                &plain(&c["state"]),
                &plain(&c["at"]),
            ]);
        }
    }
    for d in doc["datasets"].as_array().into_iter().flatten() {
        for t in d["tables"].as_array().into_iter().flatten() {
            for r in t["rows"].as_array().into_iter().flatten() {
                let row_id = format!(
                    "{}.{}#{}",
                    plain(&d["dataset"]),
                    plain(&t["table"]),
                    plain(&r["key"])
                );
                for (column, cell) in r["data"].as_object().into_iter().flatten() {
                    let name = format!(
                        "{column} ({}; for: {})",
                        plain(&cell["category"]),
                        plain_list(&cell["purposes"]).join(" ")
                    );
                    row(["dataset", &row_id, &name, &plain(&cell["value"]), ""]);
                }
            }
        }
    }
    out
}

/// Rendering a package failed (a fault of the server, never of the requester).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the HTML package: {0}")]
    Html(#[from] askama::Error),
    #[error("cannot write the JSON package: {0}")]
    Json(#[from] serde_json::Error),
}

struct Table {
    head: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

struct SubjectPart {
    id: String,
    data: Table,
    /// Events, disclosures and consents, each under its heading when it has rows.
    sections: Vec<(String, Table)>,
}

#[derive(askama::Template)]
#[template(path = "package.html")]
struct Page {
    lang: &'static str,
    title: String,
    intro: String,
    generated_at: String,
    data_heading: String,
    style: &'static str,
    subjects: Vec<SubjectPart>,
    datasets_heading: String,
    /// The company's own databases: one table per dataset table.
    datasets: Vec<(String, Table)>,
    /// What the register says: purposes, recipients, retention (access only).
    register: Vec<(String, Table)>,
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
table{border-collapse:collapse;width:100%;margin-bottom:1rem}\
td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}";

fn rows_of(doc: &Value, key: &str, columns: &[&str]) -> Vec<Vec<String>> {
    doc[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| columns.iter().map(|c| plain(&item[*c])).collect())
        .collect()
}

/// A self-contained page: no script, no external asset.
fn html(doc: &Value, lang: Lang) -> Result<String, askama::Error> {
    let t = |id: &str| {
        messages()
            .map(|m| m.text(lang, id, &[]))
            .unwrap_or_else(|_| id.to_owned())
    };
    let portable = doc.get("purposes").is_none();
    let title = t(if portable {
        "package-portable-title"
    } else {
        "package-title"
    });
    let mut subjects = Vec::new();
    for s in doc["subjects"].as_array().into_iter().flatten() {
        let data = Table {
            head: vec!["category", "value"],
            rows: s["data"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| vec![k.clone(), plain(v)])
                .collect(),
        };
        let mut sections = Vec::new();
        for (heading, key, head) in [
            ("package-events", "events", vec!["event", "at"]),
            (
                "package-disclosures",
                "disclosures",
                vec!["recipient", "purpose", "at"],
            ),
            (
                "package-consents",
                "consents",
                vec!["purpose", "state", "at"],
            ),
        ] {
            let rows = rows_of(s, key, &head);
            if !rows.is_empty() {
                sections.push((t(heading), Table { head, rows }));
            }
        }
        subjects.push(SubjectPart {
            id: plain(&s["id"]),
            data,
            sections,
        });
    }
    let mut datasets = Vec::new();
    for d in doc["datasets"].as_array().into_iter().flatten() {
        for t in d["tables"].as_array().into_iter().flatten() {
            let rows = t["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| {
                    let key = plain(&r["key"]);
                    r["data"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(move |(column, cell)| {
                            vec![
                                key.clone(),
                                column.clone(),
                                plain(&cell["category"]),
                                plain_list(&cell["purposes"]).join(", "),
                                plain(&cell["value"]),
                            ]
                        })
                })
                .collect();
            datasets.push((
                format!("{} — {}", plain(&d["name"]), plain(&t["table"])),
                Table {
                    head: vec!["row", "column", "category", "purposes", "value"],
                    rows,
                },
            ));
        }
    }
    let mut register = Vec::new();
    if !portable {
        register.push((
            t("package-purposes"),
            Table {
                head: vec!["purpose", "legal basis", "description"],
                rows: rows_of(doc, "purposes", &["title", "legal_basis", "description"]),
            },
        ));
        register.push((
            t("package-recipients"),
            Table {
                head: vec!["recipient", "role", "countries"],
                rows: rows_of(doc, "recipients", &["name", "role", "countries"]),
            },
        ));
        register.push((
            t("package-retention"),
            Table {
                head: vec!["categories", "from", "phases"],
                rows: rows_of(doc, "retention", &["categories", "trigger", "phases"]),
            },
        ));
    }
    let page = Page {
        lang: lang.code(),
        title,
        intro: t("package-intro"),
        generated_at: plain(&doc["generated_at"]),
        data_heading: t("package-data"),
        style: STYLE,
        subjects,
        datasets_heading: t("package-datasets"),
        datasets,
        register,
    };
    let mut out = askama::Template::render(&page)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_defused() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("+33 6 12"), "'+33 6 12");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("a=b, c"), "\"a=b, c\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn dataset_rows_carry_their_category_and_purposes_in_every_format() {
        let doc = json!({
            "generated_at": "2026-12-06T10:00:00Z",
            "subjects": [],
            "datasets": [{
                "dataset": "shop",
                "name": "Our shop",
                "tables": [{
                    "table": "customers",
                    "rows": [{"key": 7, "data": {"first_name": {
                        "category": "user.name.first",
                        "purposes": ["registration", "newsletter"],
                        "value": "Ada",
                    }}}],
                }],
            }],
        });
        let csv = render(&doc, Format::Csv, Lang::EN).unwrap();
        assert!(
            csv.contains(
                "dataset,shop.customers#7,first_name (user.name.first; for: registration newsletter),Ada,"
            ),
            "{csv}"
        );
        let html = render(&doc, Format::Html, Lang::EN).unwrap();
        assert!(html.contains("<th scope=\"col\">purposes</th>"), "{html}");
        assert!(html.contains("<td>registration, newsletter</td>"), "{html}");
    }

    #[test]
    fn html_escapes_what_the_subject_and_register_hold() {
        let doc = json!({
            "generated_at": "2026-12-06T10:00:00Z",
            "subjects": [{
                "id": "s-1",
                "data": {"user.name.first": "<script>alert(1)</script> & \"Ada\""},
                "events": [{"event": "<b>login</b>", "at": "2026-12-01T00:00:00Z"}],
                "disclosures": [],
                "consents": [],
            }],
            "purposes": [{"title": "Shop <i>orders</i>", "legal_basis": "contract", "description": "x"}],
            "recipients": [],
            "retention": [],
        });
        let html = render(&doc, Format::Html, Lang::EN).unwrap();
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"));
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Ada&#34;"));
        assert!(html.contains("<td>&#60;b&#62;login&#60;/b&#62;</td>"));
        assert!(html.contains("<th scope=\"col\">legal basis</th>"));
        // Events have rows, so their heading is there; disclosures have none.
        assert_eq!(html.matches("<h3>").count(), 1);
    }
}
