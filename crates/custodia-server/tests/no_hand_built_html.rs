//! HTML is rendered by askama templates only (`templates/`), so that askama's
//! escaping is the one escaping rule: no source file of the crate may assemble
//! markup itself.

// Helpers outside #[test] functions count as non-test code for clippy.
#![allow(clippy::unwrap_used)]

use std::path::Path;

/// Ways of starting to build markup in Rust: a formatting or appending call whose
/// string begins with a tag, a doctype anywhere, or a continued string literal
/// line that starts with a tag.
fn hand_built_html(source: &str) -> Vec<(usize, String)> {
    const BUILDERS: &[&str] = &[
        "format!(",
        "write!(",
        "writeln!(",
        "push_str(",
        "concat!(",
        "Html(",
    ];
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let starts_with_tag = |s: &str| {
            let mut chars = s.chars();
            chars.next() == Some('<')
                && chars
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase() || c == '/' || c == '!')
        };
        let built = BUILDERS.iter().any(|b| {
            line.match_indices(b).any(|(at, _)| {
                // The first string argument, wherever it comes in the call.
                line[at + b.len()..]
                    .split_once('"')
                    .is_some_and(|(_, rest)| has_tag(literal(rest)))
            })
        });
        if built || code.to_ascii_lowercase().contains("<!doctype") || starts_with_tag(code) {
            found.push((number + 1, line.to_owned()));
        }
    }
    found
}

/// A string literal's text up to its closing quote (escaped quotes skipped).
fn literal(rest: &str) -> &str {
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return &rest[..i],
            _ => escaped = false,
        }
    }
    rest
}

/// Whether `text` holds a tag: `<` then a lowercase letter, `/` or `!`.
fn has_tag(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        text[at + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '/' || c == '!')
    })
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_builds_html_by_hand() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 10, "the crate's sources were not found");
    let offences: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            hand_built_html(&text)
                .into_iter()
                .map(move |(n, line)| format!("{}:{n}: {}", f.display(), line.trim()))
        })
        .collect();
    assert!(
        offences.is_empty(),
        "HTML built by hand; render an askama template (templates/) instead:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scan_sees_markup_built_by_hand() {
    let caught = [
        r#"let s = format!("<p>{}</p>", x);"#,
        r#"out.push_str("</ul>");"#,
        r#"    writeln!(out, "<li>{x}</li>")?;"#,
        r#"Html(String::from("<!DOCTYPE html>"))"#,
        "         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\\n\\",
        r#"let page = format!("{head}<main>{body}</main>");"#,
        r#"let b = format!("x=\"1\" <b>{y}</b>");"#,
    ];
    for line in caught {
        assert_eq!(hand_built_html(line).len(), 1, "not caught: {line}");
    }
    let innocent = [
        r#"list_unsubscribe: format!("<{url}>"),"#,
        r#"let start = html.find("<style>")?;"#,
        "fn rows(v: Vec<String>) -> Option<&str> {",
        r#"format!("send `Authorization: Bearer <API key>`")"#,
        "// format!(\"<p>\") in a comment",
    ];
    for line in innocent {
        assert!(hand_built_html(line).is_empty(), "wrongly caught: {line}");
    }
}
