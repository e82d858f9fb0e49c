//! Complete, self-contained HTML pages: inline CSS only, no scripts, no external
//! resources, every text escaped by the template (`templates/policy.html`,
//! `templates/record.html`).

use crate::doc::{Block, Inline, PolicyDoc, Section, safe_href};
use crate::record::Record;

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f4f1; color: #1f2328; font: 1rem/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; background: #fff; }
header { margin-bottom: 2rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; line-height: 1.3; margin: 2.5rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 1.15rem; line-height: 1.35; margin: 1.75rem 0 .5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
p, ul, ol { margin: 0 0 1rem; }
li { margin: .25rem 0; }
a { color: #0a58ca; overflow-wrap: anywhere; }
.meta { color: #57606a; margin: 0; }
nav { background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: .75rem 1.25rem; margin: 0 0 2rem; }
nav h2 { font-size: 1rem; margin: 0 0 .25rem; padding: 0; border: 0; }
nav ol { margin: 0; padding-left: 1.25rem; }
.table { overflow-x: auto; margin: 0 0 1.25rem; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .65rem; border: 1px solid #d0d7de; }
thead th { background: #f6f8fa; }
table.fields th { width: 32%; font-weight: 600; background: #fafbfc; }
@page { margin: 2cm; }
@media print {
  body, main { background: none !important; color: #000; padding: 0; max-width: none; font-size: 11pt; }
  * { background: transparent !important; box-shadow: none !important; }
  nav { display: none; }
  a { color: #000; text-decoration: underline; }
  a[href^="http"]::after, a[href^="mailto:"]::after { content: " (" attr(href) ")"; font-size: 90%; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; break-inside: avoid; page-break-inside: avoid; }
  tr, th, td, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table { overflow: visible; }
  th, td { border-color: #000; }
}
"#;

/// The record of processing is a wide table: printed across A4 landscape pages.
const RECORD_STYLE: &str = r#"
main.record { max-width: none; }
main.record table { font-size: .8rem; }
main.record th, main.record td { overflow-wrap: anywhere; }
main.record td { white-space: pre-line; }
@page { size: A4 landscape; margin: 1cm; }
@media print {
  main.record table { font-size: 7.5pt; }
}
"#;

/// A link or plain text, its URL already checked by [`safe_href`].
struct Span<'a> {
    text: &'a str,
    href: Option<String>,
}

/// The document flattened in reading order, so that the template needs no recursion.
enum Node<'a> {
    Open {
        id: &'a str,
        heading: &'a str,
        level: usize,
    },
    Close,
    Paragraph(Vec<Span<'a>>),
    List(Vec<Vec<Span<'a>>>),
    Fields(Vec<(&'a str, Vec<Span<'a>>)>),
    Table {
        columns: Vec<&'a str>,
        rows: Vec<Vec<Vec<Span<'a>>>>,
    },
}

#[derive(askama::Template)]
#[template(path = "policy.html")]
struct Page<'a> {
    doc: &'a PolicyDoc,
    lang: &'static str,
    contents: &'a str,
    style: &'static str,
    nodes: Vec<Node<'a>>,
}

pub(crate) fn emit(doc: &PolicyDoc) -> Result<String, askama::Error> {
    let mut nodes = Vec::new();
    for block in &doc.intro {
        nodes.push(node(block));
    }
    for section in &doc.sections {
        flatten(&mut nodes, section, 2);
    }
    let page = Page {
        doc,
        lang: doc.lang.code(),
        contents: &doc.ui.contents,
        style: STYLE,
        nodes,
    };
    let mut out = askama::Template::render(&page)?;
    out.push('\n');
    Ok(out)
}

fn flatten<'a>(nodes: &mut Vec<Node<'a>>, section: &'a Section, level: usize) {
    nodes.push(Node::Open {
        id: &section.id,
        heading: &section.heading,
        level: level.min(6),
    });
    for block in &section.blocks {
        nodes.push(node(block));
    }
    for sub in &section.sections {
        flatten(nodes, sub, level + 1);
    }
    nodes.push(Node::Close);
}

fn node(block: &Block) -> Node<'_> {
    match block {
        Block::Paragraph { text } => Node::Paragraph(spans(text)),
        Block::List { items } => Node::List(items.iter().map(spans).collect()),
        Block::Fields { fields } => Node::Fields(
            fields
                .iter()
                .map(|f| (f.label.as_str(), spans(&f.value)))
                .collect(),
        ),
        Block::Table { columns, rows } => Node::Table {
            columns: columns.iter().map(|c| c.label.as_str()).collect(),
            rows: rows
                .iter()
                .map(|row| row.iter().map(spans).collect())
                .collect(),
        },
    }
}

fn spans(text: &Inline) -> Vec<Span<'_>> {
    text.0
        .iter()
        .map(|s| Span {
            text: &s.text,
            href: s.href.as_deref().and_then(safe_href),
        })
        .collect()
}

#[derive(askama::Template)]
#[template(path = "record.html")]
struct RecordPage<'a> {
    record: &'a Record,
    lang: &'static str,
    style: String,
}

pub(crate) fn emit_record(record: &Record) -> Result<String, askama::Error> {
    let page = RecordPage {
        record,
        lang: record.lang.code(),
        // One <style> element: the server allows a document's styles by its hash.
        style: format!("{STYLE}{RECORD_STYLE}"),
    };
    let mut out = askama::Template::render(&page)?;
    out.push('\n');
    Ok(out)
}
