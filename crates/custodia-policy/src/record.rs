//! The record of processing activities (GDPR Art. 30(1)), one row per purpose, with
//! the columns of the CNIL's model register: as CSV, as a printable HTML page, and
//! as W3C DPV in JSON-LD.
//!
//! The date is a parameter: the record says when it was drawn up, and library code
//! reads no clock.

use custodia_register::{
    Contact, FinalAction, Lang, LegalBasis, Purpose, RecipientKind, RetentionRule, Stage,
    ValidRegister,
};
use std::fmt;
use std::str::FromStr;

use crate::PolicyError;
use crate::csv::csv_line;
use crate::ctx::Ctx;
use crate::i18n::{self, FluentValue};
use crate::privacy::{phase_duration_args, rule_trigger, safeguard, transfer_rows};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordFormat {
    Csv,
    Html,
    /// W3C Data Privacy Vocabulary, as JSON-LD.
    Dpv,
}

impl RecordFormat {
    pub const ALL: [RecordFormat; 3] = [RecordFormat::Csv, RecordFormat::Html, RecordFormat::Dpv];

    pub fn id(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Html => "html",
            RecordFormat::Dpv => "dpv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            RecordFormat::Csv => "text/csv; charset=utf-8",
            RecordFormat::Html => "text/html; charset=utf-8",
            RecordFormat::Dpv => "application/ld+json",
        }
    }

    /// File name extension of a saved export.
    pub fn extension(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Html => "html",
            RecordFormat::Dpv => "jsonld",
        }
    }
}

impl fmt::Display for RecordFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for RecordFormat {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<RecordFormat, PolicyError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(RecordFormat::Csv),
            "html" | "htm" => Ok(RecordFormat::Html),
            "dpv" | "jsonld" => Ok(RecordFormat::Dpv),
            _ => Err(PolicyError::UnknownRecordFormat(s.to_owned())),
        }
    }
}

/// The record as text: every cell translated into `lang`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub lang: Lang,
    pub title: String,
    /// The controller's legal name.
    pub controller: String,
    /// "Updated on 7 December 2026".
    pub updated: String,
    pub columns: Vec<String>,
    /// One per purpose, in register order, as many cells as columns.
    pub rows: Vec<Vec<String>>,
}

/// Column message ids, in the order of the CNIL's model register.
const COLUMNS: [&str; 15] = [
    "record-col-id",
    "record-col-activity",
    "record-col-controller",
    "record-col-representative",
    "record-col-dpo",
    "record-col-purpose",
    "record-col-legal-basis",
    "record-col-subjects",
    "record-col-data",
    "record-col-special",
    "record-col-recipients",
    "record-col-transfers",
    "record-col-retention",
    "record-col-security",
    "record-col-updated",
];

/// The record drawn up on `date`, in `lang` (a language the register publishes).
pub fn record(
    register: &ValidRegister,
    lang: Lang,
    date: time::Date,
) -> Result<Record, PolicyError> {
    if !register.languages.contains(&lang) {
        return Err(PolicyError::LanguageNotPublished(lang.code()));
    }
    let ctx = Ctx::new(register, lang, i18n::messages()?);
    let updated = ctx.date(date);
    let controller = controller_cell(&ctx);
    let representative = contact_cell(&ctx, ctx.r.controller.representative.as_ref());
    let dpo = contact_cell(&ctx, ctx.r.controller.dpo.as_ref());
    let security = security_cell(&ctx);
    let rows = ctx
        .r
        .purposes
        .iter()
        .map(|p| {
            let (special, ordinary): (Vec<String>, Vec<String>) = p
                .categories
                .iter()
                .cloned()
                .partition(|id| ctx.category(id).is_some_and(|c| c.sensitive));
            vec![
                p.id.clone(),
                ctx.tx(&p.title),
                controller.clone(),
                representative.clone(),
                dpo.clone(),
                ctx.tx(&p.description),
                basis_cell(&ctx, p),
                or_none(&ctx, ctx.name_list(&ctx.subject_names(&p.subjects))),
                or_none(&ctx, ctx.category_list(&ordinary)),
                or_none(&ctx, ctx.category_list(&special)),
                recipients_cell(&ctx, p),
                transfers_cell(&ctx, p),
                retention_cell(&ctx, p),
                security.clone(),
                updated.clone(),
            ]
        })
        .collect();
    let record = Record {
        lang,
        title: ctx.t("record-title"),
        controller: ctx.r.controller.legal_name.clone(),
        updated: ctx.ta("record-updated", &[("date", updated.as_str().into())]),
        columns: COLUMNS.iter().map(|id| ctx.t(id)).collect(),
        rows,
    };
    ctx.finish(record)
}

/// The record in `format`.
pub fn render_record(
    register: &ValidRegister,
    lang: Lang,
    format: RecordFormat,
    date: time::Date,
) -> Result<String, PolicyError> {
    match format {
        RecordFormat::Csv => Ok(csv(&record(register, lang, date)?)),
        RecordFormat::Html => Ok(crate::html::emit_record(&record(register, lang, date)?)?),
        RecordFormat::Dpv => {
            let mut out = serde_json::to_string_pretty(&crate::dpv::dpv(register, lang, date)?)?;
            out.push('\n');
            Ok(out)
        }
    }
}

/// Between the long items of a cell (transfers, retention rules, measures): a line
/// break, kept by CSV's quoting and shown by the page's `white-space: pre-line`.
const LINE: &str = "\n";

fn csv(record: &Record) -> String {
    let mut out = String::new();
    csv_line(&mut out, &record.columns);
    for row in &record.rows {
        csv_line(&mut out, row);
    }
    out
}

fn or_none(ctx: &Ctx<'_>, text: String) -> String {
    if text.trim().is_empty() {
        ctx.t("record-none")
    } else {
        text
    }
}

fn controller_cell(ctx: &Ctx<'_>) -> String {
    let c = &ctx.r.controller;
    let mut parts = vec![match &c.trading_name {
        Some(brand) if brand != &c.legal_name => format!("{} ({brand})", c.legal_name),
        _ => c.legal_name.clone(),
    }];
    parts.push(c.address.clone());
    parts.extend(
        c.email
            .iter()
            .chain(&c.phone)
            .chain(&c.contact_url)
            .cloned(),
    );
    parts.join(&ctx.t("list-separator-strong"))
}

pub(crate) fn contact_cell(ctx: &Ctx<'_>, contact: Option<&Contact>) -> String {
    let parts: Vec<String> = contact
        .into_iter()
        .flat_map(|c| [&c.name, &c.address, &c.email, &c.phone, &c.url])
        .flatten()
        .cloned()
        .collect();
    or_none(ctx, parts.join(&ctx.t("list-separator-strong")))
}

/// The basis's message and its concept in DPV's GDPR extension.
pub(crate) fn basis(basis: LegalBasis) -> (&'static str, &'static str) {
    match basis {
        LegalBasis::Consent => ("record-basis-consent", "eu-gdpr:A6-1-a"),
        LegalBasis::Contract => ("record-basis-contract", "eu-gdpr:A6-1-b"),
        LegalBasis::LegalObligation => ("record-basis-legal-obligation", "eu-gdpr:A6-1-c"),
        LegalBasis::VitalInterest => ("record-basis-vital-interest", "eu-gdpr:A6-1-d"),
        LegalBasis::PublicTask => ("record-basis-public-task", "eu-gdpr:A6-1-e"),
        LegalBasis::LegitimateInterest => ("record-basis-legitimate-interest", "eu-gdpr:A6-1-f"),
    }
}

fn basis_cell(ctx: &Ctx<'_>, p: &Purpose) -> String {
    let mut parts: Vec<String> = p
        .legal_basis
        .map(|b| ctx.t(basis(b).0))
        .into_iter()
        .collect();
    let separator = ctx.t("ui-label-separator");
    for (label, text) in [
        ("field-legitimate-interest", &p.legitimate_interest),
        ("record-law", &p.legal_reference),
    ] {
        if let Some(text) = ctx.opt_tx(text.as_ref()) {
            parts.push(format!("{}{separator}{text}", ctx.t(label)));
        }
    }
    parts.join(&ctx.t("list-separator-strong"))
}

/// The purpose's recipients, then the providers of its services, each once.
pub(crate) fn recipient_ids<'a>(ctx: &Ctx<'a>, p: &'a Purpose) -> Vec<&'a str> {
    let providers = p
        .services
        .iter()
        .filter_map(|id| ctx.service(id))
        .map(|s| s.provider.as_str());
    let mut ids: Vec<&str> = Vec::new();
    for id in p.recipients.iter().map(String::as_str).chain(providers) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn kind_id(kind: RecipientKind) -> &'static str {
    match kind {
        RecipientKind::Internal => "record-kind-internal",
        RecipientKind::Processor => "record-kind-processor",
        RecipientKind::ThirdParty => "record-kind-third-party",
        RecipientKind::JointController => "record-kind-joint-controller",
        RecipientKind::Authority => "record-kind-authority",
        RecipientKind::Public => "record-kind-public",
    }
}

fn recipients_cell(ctx: &Ctx<'_>, p: &Purpose) -> String {
    let names: Vec<String> = recipient_ids(ctx, p)
        .into_iter()
        .filter_map(|id| ctx.recipient(id))
        .map(|r| {
            ctx.ta(
                "record-recipient",
                &[
                    ("name", ctx.tx(&r.name).into()),
                    ("kind", ctx.t(kind_id(r.kind)).into()),
                ],
            )
        })
        .collect();
    or_none(ctx, ctx.name_list(&names))
}

fn transfers_cell(ctx: &Ctx<'_>, p: &Purpose) -> String {
    let ids = recipient_ids(ctx, p);
    let lines: Vec<String> = transfer_rows(ctx)
        .iter()
        .filter(|row| ids.contains(&row.recipient))
        .map(|row| {
            ctx.ta(
                "record-transfer",
                &[
                    ("recipient", ctx.recipient_name(row.recipient).into()),
                    ("country", ctx.country(row.country).into()),
                    ("safeguard", safeguard(ctx, row).into()),
                ],
            )
        })
        .collect();
    or_none(ctx, lines.join(LINE))
}

/// Rules that keep some of the purpose's categories for some of its people.
pub(crate) fn rules_of<'a>(
    ctx: &Ctx<'a>,
    p: &'a Purpose,
) -> impl Iterator<Item = &'a RetentionRule> {
    ctx.r.retention.iter().filter(move |rule| {
        rule.categories.iter().any(|c| p.categories.contains(c))
            && (rule.subjects.is_empty() || rule.subjects.iter().any(|s| p.subjects.contains(s)))
    })
}

fn retention_cell(ctx: &Ctx<'_>, p: &Purpose) -> String {
    let rules: Vec<String> = rules_of(ctx, p)
        .map(|rule| {
            let shared: Vec<String> = rule
                .categories
                .iter()
                .filter(|c| p.categories.contains(c))
                .cloned()
                .collect();
            retention_text(ctx, rule, &shared)
        })
        .collect();
    or_none(ctx, rules.join(LINE))
}

/// "e-mail address (after your account is closed): 3 years in active use, then 5
/// years in intermediate archive; then deleted", for `categories` of the rule.
pub(crate) fn retention_text(ctx: &Ctx<'_>, rule: &RetentionRule, categories: &[String]) -> String {
    let phases: Vec<String> = rule
        .phases
        .iter()
        .map(|phase| {
            let id = match phase.stage {
                Stage::Active => "record-phase-active",
                Stage::Archive => "record-phase-archive",
            };
            ctx.ta(id, &phase_duration_args(ctx, phase))
        })
        .collect();
    let end = match (rule.then, rule.answer_within) {
        (FinalAction::Delete, _) => ctx.t("record-end-delete"),
        (FinalAction::Anonymise, _) => ctx.t("record-end-anonymise"),
        (FinalAction::AskAgain, wait) => ctx.ta(
            "record-end-ask-again",
            &[(
                "duration",
                wait.map(|w| ctx.duration(&w)).unwrap_or_default().into(),
            )],
        ),
    };
    let args: [(&str, FluentValue<'_>); 4] = [
        ("categories", ctx.category_list(categories).into()),
        ("trigger", rule_trigger(ctx, rule).1.into()),
        ("phases", phases.join(&ctx.t("record-phase-then")).into()),
        ("end", end.into()),
    ];
    ctx.ta("record-retention", &args)
}

fn security_cell(ctx: &Ctx<'_>) -> String {
    let s = &ctx.r.security;
    let parts: Vec<String> = [
        ("security-organisational", &s.organisational),
        ("security-technical", &s.technical),
    ]
    .into_iter()
    .filter(|(_, measures)| !measures.is_empty())
    .map(|(label, measures)| {
        let mut lines = vec![ctx.t(label)];
        lines.extend(measures.iter().map(|m| format!("– {}", ctx.tx(m))));
        lines.join(LINE)
    })
    .collect();
    or_none(ctx, parts.join(LINE))
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
