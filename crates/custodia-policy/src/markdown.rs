//! GitHub-flavoured Markdown. Register text is escaped so that it can never become
//! markup (a `|` would break a table, a `<b>` would become HTML).

use crate::doc::{Block, Inline, PolicyDoc, Section, safe_href};

pub(crate) fn emit(doc: &PolicyDoc) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("# ");
    out.push_str(&escape_line(&doc.title));
    out.push_str("\n\n");
    out.push_str(&escape_line(&doc.controller));
    out.push_str("\n\n");
    for date in [&doc.last_updated_text, &doc.effective_date_text]
        .into_iter()
        .flatten()
    {
        out.push('*');
        out.push_str(&escape(date));
        out.push_str("*\n\n");
    }
    for block in &doc.intro {
        emit_block(&mut out, block, doc);
    }
    for section in &doc.sections {
        emit_section(&mut out, section, 2, doc);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn emit_section(out: &mut String, section: &Section, level: usize, doc: &PolicyDoc) {
    out.push_str(&"#".repeat(level.min(6)));
    out.push(' ');
    out.push_str(&escape_line(&section.heading));
    out.push_str("\n\n");
    for block in &section.blocks {
        emit_block(out, block, doc);
    }
    for sub in &section.sections {
        emit_section(out, sub, level + 1, doc);
    }
}

fn emit_block(out: &mut String, block: &Block, doc: &PolicyDoc) {
    match block {
        Block::Paragraph { text } => {
            out.push_str(&inline(text, true));
            out.push_str("\n\n");
        }
        Block::List { items } => {
            for item in items {
                out.push_str("- ");
                out.push_str(&inline(item, true));
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Fields { fields } => {
            for f in fields {
                out.push_str("- **");
                out.push_str(&escape(&f.label));
                out.push_str("**");
                out.push_str(&doc.ui.label_separator);
                out.push_str(&inline(&f.value, false));
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Table { columns, rows } => {
            let labels: Vec<String> = columns.iter().map(|c| escape(&c.label)).collect();
            out.push_str(&format!("| {} |\n", labels.join(" | ")));
            out.push_str(&format!("|{}\n", " --- |".repeat(columns.len())));
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| inline(c, true)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out.push('\n');
        }
    }
}

/// `at_start`: the text opens a block, where `-`, `+` or `1.` would start a list.
fn inline(text: &Inline, at_start: bool) -> String {
    let mut out = String::new();
    for (i, span) in text.0.iter().enumerate() {
        let label = if i == 0 && at_start {
            escape_line(&span.text)
        } else {
            escape(&span.text)
        };
        match span.href.as_deref().and_then(safe_href) {
            Some(href) => {
                // Parentheses and pipes would end the link or the table cell.
                let href = href
                    .replace('(', "%28")
                    .replace(')', "%29")
                    .replace('|', "%7C");
                out.push_str(&format!("[{label}]({href})"));
            }
            None => out.push_str(&label),
        }
    }
    out
}

/// Escapes a text that starts a line (heading, paragraph, list item, cell).
fn escape_line(text: &str) -> String {
    let escaped = escape(text);
    let starts_list = escaped.starts_with(['-', '+', '='])
        || escaped
            .find(|c: char| !c.is_ascii_digit())
            .is_some_and(|i| i > 0 && escaped[i..].starts_with(['.', ')']));
    if starts_list {
        let digits = escaped.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        if digits == 0 {
            format!("\\{escaped}")
        } else {
            format!("{}\\{}", &escaped[..digits], &escaped[digits..])
        }
    } else {
        escaped
    }
}

/// Backslash-escapes the characters Markdown (and GitHub's extensions) give a
/// meaning anywhere in a line, and folds line breaks into spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '$' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_text_cannot_become_markup() {
        assert_eq!(
            escape("a | b <b>x</b> *y* [l](javascript:x)"),
            "a \\| b \\<b\\>x\\</b\\> \\*y\\* \\[l\\](javascript:x)"
        );
        assert_eq!(escape_line("- not a list"), "\\- not a list");
        assert_eq!(escape_line("1986. A year"), "1986\\. A year");
        assert_eq!(escape_line("12 rue"), "12 rue");
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
