//! Privacy and cookie policies rendered from the register, in English and French,
//! as HTML, Markdown or JSON; and the Art. 30 record of processing activities as
//! CSV, HTML or W3C DPV JSON-LD (`record`).
//!
//! One builder per kind of document produces a [`PolicyDoc`] (sections of
//! paragraphs, lists, label/value fields and tables, all text already translated);
//! one emitter per format lays it out.

mod cookies;
pub mod csv;
mod ctx;
pub mod doc;
mod dpv;
mod html;
pub mod i18n;
mod markdown;
mod privacy;
mod record;

use custodia_register::{Document, Lang, ValidRegister};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

pub use doc::{Block, Column, Field, Inline, PolicyDoc, Section, Span};
/// HTML text and attribute escaping, shared by every page Custodia renders.
pub use i18n::{I18nError, Messages};
pub use privacy::{ART13_SECTIONS, REQUEST_CODE_MINUTES, UNVERIFIED_REQUEST_KEPT_HOURS};
pub use record::{Record, RecordFormat, record, render_record};

use ctx::Ctx;
use doc::Ui;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Privacy,
    Cookies,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Privacy, Kind::Cookies];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Privacy => "privacy",
            Kind::Cookies => "cookies",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Kind {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Kind, PolicyError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "privacy" => Ok(Kind::Privacy),
            "cookies" | "cookie" => Ok(Kind::Cookies),
            _ => Err(PolicyError::UnknownKind(s.to_owned())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Markdown,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Html, Format::Markdown, Format::Json];

    pub fn id(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Format {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Format, PolicyError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" | "htm" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            _ => Err(PolicyError::UnknownFormat(s.to_owned())),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Shown under the title when set.
    pub effective_date: Option<time::Date>,
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("unknown policy `{0}`: expected privacy or cookies")]
    UnknownKind(String),
    #[error("unknown format `{0}`: expected html, md or json")]
    UnknownFormat(String),
    #[error("unknown format `{0}`: expected csv, html or dpv")]
    UnknownRecordFormat(String),
    #[error("the register does not publish its policies in `{0}`")]
    LanguageNotPublished(&'static str),
    #[error(transparent)]
    Messages(#[from] I18nError),
    #[error("cannot write the JSON document: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the HTML document: {0}")]
    Html(#[from] askama::Error),
}

/// The policy as text in the requested format.
pub fn render(
    register: &ValidRegister,
    kind: Kind,
    lang: Lang,
    format: Format,
    options: &RenderOptions,
) -> Result<String, PolicyError> {
    let doc = document(register, kind, lang, options)?;
    match format {
        Format::Html => Ok(html::emit(&doc)?),
        Format::Markdown => Ok(markdown::emit(&doc)),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&doc)?;
            out.push('\n');
            Ok(out)
        }
    }
}

/// The structured document all formats are emitted from.
pub fn document(
    register: &ValidRegister,
    kind: Kind,
    lang: Lang,
    options: &RenderOptions,
) -> Result<PolicyDoc, PolicyError> {
    if !register.languages.contains(&lang) {
        return Err(PolicyError::LanguageNotPublished(lang.code()));
    }
    let messages = i18n::messages()?;
    let ctx = Ctx::new(register, lang, messages);
    let (title, body) = match kind {
        Kind::Privacy => (ctx.t("privacy-title"), privacy::build(&ctx)),
        Kind::Cookies => (ctx.t("cookies-title"), cookies::build(&ctx)),
    };
    let effective_date_text = options
        .effective_date
        .map(|d| ctx.ta("effective-date", &[("date", ctx.date(d).into())]));
    let last_updated = register
        .policy
        .last_updated
        .as_deref()
        .and_then(custodia_register::parse_date);
    let doc = PolicyDoc {
        last_updated: last_updated.map(i18n::iso_date),
        last_updated_text: last_updated
            .map(|d| ctx.ta("last-updated", &[("date", ctx.date(d).into())])),
        kind,
        lang,
        title,
        controller: ctx.controller_name(),
        effective_date: options.effective_date.map(i18n::iso_date),
        effective_date_text,
        register_sha256: register.sha256().to_owned(),
        intro: body.intro,
        sections: body.sections,
        ui: Ui {
            contents: ctx.t("ui-contents"),
            label_separator: ctx.t("ui-label-separator"),
        },
    };
    ctx.finish(doc)
}

/// What a builder produces under the title.
pub(crate) struct Body {
    intro: Vec<Block>,
    sections: Vec<Section>,
}

/// `[[policy.sections]]` for one document. Ids come from the English title (the
/// same in every language) so links survive translation.
pub(crate) fn extra_sections(ctx: &Ctx<'_>, document: Document) -> Vec<Section> {
    let mut used: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, extra) in ctx.r.policy.sections.iter().enumerate() {
        if extra.document != document {
            continue;
        }
        let slug = slug(extra.title.in_lang(Lang::EN));
        let mut id = if slug.is_empty() {
            format!("extra-{}", i + 1)
        } else {
            format!("extra-{slug}")
        };
        if used.contains(&id) {
            id = format!("{id}-{}", i + 1);
        }
        used.push(id.clone());
        let mut s = Section::new(id, ctx.tx(&extra.title));
        for paragraph in &extra.body {
            s.para(ctx.tx(paragraph));
        }
        out.push(s);
    }
    out
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests;
