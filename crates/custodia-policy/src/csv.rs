//! The one CSV writer of every CSV Custodia produces (access packages, breach
//! timelines, statistics, the record of processing): RFC 4180 cells and CRLF lines.

/// One CSV cell. A cell a spreadsheet would read as a formula (starting with `=`,
/// `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP, CSV injection): text written
/// by a requester or by staff must not run when opened.
pub fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// Appends one line of cells, ended by CRLF.
pub fn csv_line<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(cell.as_ref()));
    }
    out.push_str("\r\n");
}
