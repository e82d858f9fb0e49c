//! A complete, self-contained HTML page: inline CSS only, no scripts, no external
//! resources, every text escaped.

use std::fmt::Write;

use crate::doc::{Block, Inline, PolicyDoc, Section, safe_href};

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

pub(crate) fn emit(doc: &PolicyDoc) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let title = format!("{} — {}", doc.title, doc.controller);
    out.push_str("<!doctype html>\n");
    let _ = writeln!(out, "<html lang=\"{}\">", doc.lang.code());
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str("</head>\n<body>\n<main>\n<header>\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&doc.controller));
    if let Some(date) = &doc.effective_date_text {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(date));
    }
    out.push_str("</header>\n");
    toc(&mut out, doc);
    for block in &doc.intro {
        emit_block(&mut out, block);
    }
    for section in &doc.sections {
        emit_section(&mut out, section, 2);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// In-page contents: fragment links to the top-level sections.
fn toc(out: &mut String, doc: &PolicyDoc) {
    let _ = writeln!(
        out,
        "<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">{}</h2>\n<ol>",
        escape(&doc.ui.contents)
    );
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&s.id),
            escape(&s.heading)
        );
    }
    out.push_str("</ol>\n</nav>\n");
}

fn emit_section(out: &mut String, section: &Section, level: usize) {
    let level = level.min(6);
    let _ = writeln!(out, "<section id=\"{}\">", escape(&section.id));
    let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(&section.heading));
    for block in &section.blocks {
        emit_block(out, block);
    }
    for sub in &section.sections {
        emit_section(out, sub, level + 1);
    }
    out.push_str("</section>\n");
}

fn emit_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph { text } => {
            let _ = writeln!(out, "<p>{}</p>", inline(text));
        }
        Block::List { items } => {
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", inline(item));
            }
            out.push_str("</ul>\n");
        }
        Block::Fields { fields } => {
            out.push_str("<div class=\"table\"><table class=\"fields\">\n<tbody>\n");
            for f in fields {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                    escape(&f.label),
                    inline(&f.value)
                );
            }
            out.push_str("</tbody>\n</table></div>\n");
        }
        Block::Table { columns, rows } => {
            out.push_str("<div class=\"table\"><table>\n<thead>\n<tr>");
            for c in columns {
                let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&c.label));
            }
            out.push_str("</tr>\n</thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(out, "<td>{}</td>", inline(cell));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table></div>\n");
        }
    }
}

fn inline(text: &Inline) -> String {
    let mut out = String::new();
    for span in &text.0 {
        match span.href.as_deref().and_then(safe_href) {
            Some(href) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\">{}</a>",
                    escape(&href),
                    escape(&span.text)
                );
            }
            None => out.push_str(&escape(&span.text)),
        }
    }
    out
}

/// Text and attribute values (always double-quoted) alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
