//! The structured document every format is emitted from. Builders put finished,
//! translated text in it; emitters only lay it out and escape it.

use custodia_register::Lang;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::Kind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDoc {
    pub kind: Kind,
    pub lang: Lang,
    pub title: String,
    /// The organisation the policy speaks for.
    pub controller: String,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<String>,
    /// The effective date as a sentence ("Effective date: 22 November 2026").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date_text: Option<String>,
    /// When the content last changed (`YYYY-MM-DD`, the register's
    /// `policy.last_updated`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// "Last updated: 22 November 2026".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated_text: Option<String>,
    /// SHA-256 of the register the document was built from.
    pub register_sha256: String,
    /// Text shown before the first section.
    pub intro: Vec<Block>,
    pub sections: Vec<Section>,
    #[serde(skip)]
    pub(crate) ui: Ui,
}

/// Layout words the emitters need that are not part of the content.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Ui {
    /// Heading of the table of contents.
    pub contents: String,
    /// Between a label and its value (": " in English, " : " in French).
    pub label_separator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable across languages and register edits: anchors and checks rely on it.
    pub id: String,
    pub heading: String,
    /// Machine-readable facts behind the text (purpose id, legal basis id...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, Value>,
    pub blocks: Vec<Block>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        text: Inline,
    },
    List {
        items: Vec<Inline>,
    },
    /// Label/value pairs (identity card, purpose details).
    Fields {
        fields: Vec<Field>,
    },
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<Inline>>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub value: Inline,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub id: String,
    pub label: String,
}

/// A run of text, some of it linked.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct Inline(pub Vec<Span>);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub text: String,
    /// Only http, https and mailto URLs taken from the register (see [`safe_href`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Inline {
        let mut out = Inline::default();
        out.push_text(text);
        out
    }

    /// A link when `href` is a safe URL, plain text otherwise.
    pub fn link(text: impl Into<String>, href: &str) -> Inline {
        let text = text.into();
        match safe_href(href) {
            Some(href) => Inline(vec![Span {
                text,
                href: Some(href),
            }]),
            None => Inline::text(text),
        }
    }

    pub fn push_text(&mut self, text: impl Into<String>) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.href.is_none() => last.text.push_str(&text),
            _ => self.0.push(Span { text, href: None }),
        }
    }

    pub fn append(&mut self, other: Inline) {
        for span in other.0 {
            match span.href {
                None => self.push_text(span.text),
                Some(_) => self.0.push(span),
            }
        }
    }

    /// The text without links.
    pub fn plain(&self) -> String {
        self.0.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|s| s.text.is_empty())
    }
}

impl From<String> for Inline {
    fn from(text: String) -> Inline {
        Inline::text(text)
    }
}

impl From<&str> for Inline {
    fn from(text: &str) -> Inline {
        Inline::text(text)
    }
}

/// The URL when it may become a link: http, https or mailto, with nothing that
/// could break out of an attribute or a Markdown link.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s) && lower.len() > s.len());
    let chars_ok = url.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | '"' | '\'' | '`' | '\\')
    });
    (scheme_ok && chars_ok).then(|| url.to_owned())
}

impl Section {
    pub fn new(id: impl Into<String>, heading: impl Into<String>) -> Section {
        Section {
            id: id.into(),
            heading: heading.into(),
            facts: BTreeMap::new(),
            blocks: Vec::new(),
            sections: Vec::new(),
        }
    }

    pub fn para(&mut self, text: impl Into<Inline>) {
        let text = text.into();
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph { text });
        }
    }

    pub fn list(&mut self, items: Vec<Inline>) {
        if !items.is_empty() {
            self.blocks.push(Block::List { items });
        }
    }

    pub fn fields(&mut self, fields: Vec<Field>) {
        if !fields.is_empty() {
            self.blocks.push(Block::Fields { fields });
        }
    }

    pub fn table(&mut self, columns: Vec<Column>, rows: Vec<Vec<Inline>>) {
        if !rows.is_empty() {
            self.blocks.push(Block::Table { columns, rows });
        }
    }

    pub fn fact(&mut self, key: &str, value: impl Into<Value>) {
        self.facts.insert(key.to_owned(), value.into());
    }

    /// Finds a section by id at any depth.
    pub fn find(&self, id: &str) -> Option<&Section> {
        if self.id == id {
            return Some(self);
        }
        self.sections.iter().find_map(|s| s.find(id))
    }
}

impl PolicyDoc {
    /// Finds a section by id at any depth.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find_map(|s| s.find(id))
    }

    /// Every section id, depth first.
    pub fn section_ids(&self) -> Vec<&str> {
        fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a str>) {
            for s in sections {
                out.push(&s.id);
                walk(&s.sections, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.sections, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_and_mail_urls_become_links() {
        assert!(safe_href("https://www.cnil.fr/fr/plaintes").is_some());
        assert!(safe_href("mailto:dpo@example.org").is_some());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://x\" onclick=\"y",
            "http://",
            "//evil.example",
            "https://a b",
        ] {
            assert!(safe_href(bad).is_none(), "{bad}");
        }
        assert_eq!(Inline::link("x", "javascript:alert(1)").0[0].href, None);
    }
}
