//! The access package (Art. 15, CCPA "know") and the portability export (Art. 20),
//! built from the vault and the register: the data itself, then what the register
//! says about it (purposes, recipients, transfers, retention, rights, source).

use crate::consent::Choice;
use crate::vault::SubjectView;
use custodia_policy::escape_html as escape;
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
pub const MESSAGE_IDS: [&str; 10] = [
    "package-title",
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

/// The package as JSON: the one source the three formats render.
pub fn build(
    register: &ValidRegister,
    request_kind: &str,
    now: OffsetDateTime,
    subjects: &[(SubjectView, Vec<Choice>)],
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
pub fn render(doc: &Value, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(doc).unwrap_or_default(),
        Format::Csv => csv(doc),
        Format::Html => html(doc, lang),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

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
            let cats = d["categories"]
                .as_array()
                .map(|a| a.iter().map(plain).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
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
    out
}

fn table(out: &mut String, head: &[&str], rows: Vec<Vec<String>>) {
    out.push_str("<table><thead><tr>");
    for h in head {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            out.push_str(&format!("<td>{}</td>", escape(&c)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// A self-contained page: no script, no external asset.
fn html(doc: &Value, lang: Lang) -> String {
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
    let mut body = format!(
        "<h1>{}</h1>\n<p>{} {}</p>\n",
        escape(&title),
        escape(&t("package-intro")),
        escape(&plain(&doc["generated_at"]))
    );
    for s in doc["subjects"].as_array().into_iter().flatten() {
        body.push_str(&format!(
            "<h2>{} <code>{}</code></h2>\n",
            escape(&t("package-data")),
            escape(&plain(&s["id"]))
        ));
        let rows = s["data"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| vec![k.clone(), plain(v)])
            .collect();
        table(&mut body, &["category", "value"], rows);
        for (section, key, cols) in [
            ("package-events", "events", ["event", "at", ""]),
            (
                "package-disclosures",
                "disclosures",
                ["recipient", "purpose", "at"],
            ),
            ("package-consents", "consents", ["purpose", "state", "at"]),
        ] {
            let items = s[key].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                continue;
            }
            body.push_str(&format!("<h3>{}</h3>\n", escape(&t(section))));
            let head: Vec<&str> = cols.iter().copied().filter(|c| !c.is_empty()).collect();
            let rows = items
                .iter()
                .map(|i| head.iter().map(|c| plain(&i[*c])).collect())
                .collect();
            table(&mut body, &head, rows);
        }
    }
    if !portable {
        body.push_str(&format!("<h2>{}</h2>\n", escape(&t("package-purposes"))));
        let rows = doc["purposes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                vec![
                    plain(&p["title"]),
                    plain(&p["legal_basis"]),
                    plain(&p["description"]),
                ]
            })
            .collect();
        table(&mut body, &["purpose", "legal basis", "description"], rows);
        body.push_str(&format!("<h2>{}</h2>\n", escape(&t("package-recipients"))));
        let rows = doc["recipients"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| vec![plain(&r["name"]), plain(&r["role"]), plain(&r["countries"])])
            .collect();
        table(&mut body, &["recipient", "role", "countries"], rows);
        body.push_str(&format!("<h2>{}</h2>\n", escape(&t("package-retention"))));
        let rows = doc["retention"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                vec![
                    plain(&r["categories"]),
                    plain(&r["trigger"]),
                    plain(&r["phases"]),
                ]
            })
            .collect();
        table(&mut body, &["categories", "from", "phases"], rows);
    }
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         table{{border-collapse:collapse;width:100%;margin-bottom:1rem}}td,th{{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}}</style>\
         </head><body>\n{}</body></html>\n",
        lang.code(),
        escape(&title),
        body
    )
}
