//! The register of processing as tables (every staff role: it is what the published
//! policies already say), read from the validated register in memory.

use super::{Frame, Staff, Texts, render};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// A closed-set value as the register spells it (`legal_obligation`, `scc`...).
fn id_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) struct Row {
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/register.html")]
struct RegisterPage {
    frame: Frame,
    purposes: Vec<Row>,
    categories: Vec<Row>,
    recipients: Vec<Row>,
    transfers: Vec<Row>,
    retention: Vec<Row>,
    versions: Vec<Version>,
}

pub(crate) struct Version {
    number: i64,
    effective: String,
    in_force: bool,
    /// The diff with the version before, when there is one.
    diff: Option<String>,
}

pub(crate) async fn register(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, super::PageError> {
    let texts: Texts = staff.texts;
    let lang = texts.0;
    let frame = staff.frame(
        &state,
        "/console/register",
        texts.t("console-register-title"),
    );
    let published = match state.publications.versions().await {
        Ok(v) => v,
        Err(e) => return Err(frame.fail(e)),
    };
    let in_force = state.publications.current().number;
    let mut numbers: Vec<i64> = published.iter().map(|v| v.number).collect();
    numbers.sort_unstable();
    let versions = published
        .iter()
        .rev()
        .map(|v| {
            let before = numbers.iter().rev().find(|n| **n < v.number);
            Version {
                number: v.number,
                effective: texts.instant(v.effective_at),
                in_force: v.number == in_force,
                diff: before.map(|b| {
                    format!(
                        "/privacy-policy/diff?from={b}&to={}&lang={}",
                        v.number,
                        lang.code()
                    )
                }),
            }
        })
        .collect();
    let r = &state.register;
    let purposes = r
        .purposes
        .iter()
        .map(|p| Row {
            cells: vec![
                p.id.clone(),
                p.title.in_lang(lang).to_owned(),
                p.legal_basis.as_ref().map(id_of).unwrap_or_default(),
                p.categories.join(", "),
                p.recipients.join(", "),
            ],
        })
        .collect();
    let categories = r
        .categories
        .iter()
        .map(|c| Row {
            cells: vec![
                c.id.clone(),
                c.name.in_lang(lang).to_owned(),
                texts.t(if c.sensitive {
                    "console-yes"
                } else {
                    "console-no"
                }),
            ],
        })
        .collect();
    let recipients = r
        .recipients
        .iter()
        .map(|x| Row {
            cells: vec![
                x.id.clone(),
                x.name.in_lang(lang).to_owned(),
                id_of(&x.kind),
                x.countries.join(", "),
            ],
        })
        .collect();
    let transfers = r
        .transfers
        .iter()
        .map(|t| Row {
            cells: vec![t.recipient.clone(), t.country.clone(), id_of(&t.mechanism)],
        })
        .collect();
    let retention = r
        .retention
        .iter()
        .map(|rule| Row {
            cells: vec![
                rule.id.clone(),
                rule.categories.join(", "),
                rule_trigger_ids(rule),
                rule.phases
                    .iter()
                    .map(|ph| {
                        format!(
                            "{} ({})",
                            custodia_policy::i18n::duration(lang, &ph.duration),
                            id_of(&ph.stage)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" → "),
            ],
        })
        .collect();
    Ok(render(&RegisterPage {
        frame,
        purposes,
        categories,
        recipients,
        transfers,
        retention,
        versions,
    }))
}

/// The trigger as the register writes it: `collected | last_contact (later)`,
/// `+ while consent to P` when the rule depends on one.
fn rule_trigger_ids(rule: &custodia_register::RetentionRule) -> String {
    let (others, which) = if rule.or_later.is_empty() {
        (&rule.or_earlier, "earlier")
    } else {
        (&rule.or_later, "later")
    };
    let mut out = std::iter::once(&rule.trigger)
        .chain(others)
        .map(id_of)
        .collect::<Vec<_>>()
        .join(" | ");
    if !others.is_empty() {
        out.push_str(&format!(" ({which})"));
    }
    if let Some(purpose) = &rule.while_consent {
        out.push_str(&format!(" + while consent to {purpose}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rule_trigger_ids;

    #[test]
    fn a_rule_with_several_triggers_or_a_consent_shows_them_all() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/nocode.toml");
        let register = custodia_register::load(std::path::Path::new(path)).unwrap();
        let prospects = register
            .retention
            .iter()
            .find(|r| r.id == "prospects")
            .unwrap();
        assert_eq!(
            rule_trigger_ids(prospects),
            "collected | last_contact (later)"
        );
        let mut consent_bound = prospects.clone();
        consent_bound.or_later.clear();
        consent_bound.while_consent = Some("newsletter".to_owned());
        assert_eq!(
            rule_trigger_ids(&consent_bound),
            "collected + while consent to newsletter"
        );
    }
}
