//! The text log line, in tracing-subscriber's "full" layout
//! (`2026-12-07T06:35:12.123456Z  INFO target: message key=value`) at a fraction of
//! its cost: a line per request must be cheap next to the request (issue 19).
//! The date is formatted once a second, values are written without going through
//! `core::fmt` where they can be, and colour is only the level's, on a terminal.
//!
//! Every value is one line: control characters (newlines, escape sequences) are
//! written escaped, so a value cannot forge a log line or drive a terminal.

use custodia_core::Clock;
use std::cell::RefCell;
use std::fmt::{self, Write};
use time::OffsetDateTime;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// Formats events (and the spans around them) as text lines, stamped by `clock`.
pub struct TextLine<C>(pub C);

/// Formats fields as `key=value`, the message bare and first.
pub struct TextFields;

impl<S, N, C: Clock> FormatEvent<S, N> for TextLine<C>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        write_timestamp(&mut writer, self.0.now())?;
        let level = match *meta.level() {
            Level::ERROR => ("ERROR", "\x1b[31m"),
            Level::WARN => (" WARN", "\x1b[33m"),
            Level::INFO => (" INFO", "\x1b[32m"),
            Level::DEBUG => ("DEBUG", "\x1b[34m"),
            Level::TRACE => ("TRACE", "\x1b[35m"),
        };
        if writer.has_ansi_escapes() {
            writer.write_str(" ")?;
            writer.write_str(level.1)?;
            writer.write_str(level.0)?;
            writer.write_str("\x1b[0m ")?;
        } else {
            writer.write_str(" ")?;
            writer.write_str(level.0)?;
            writer.write_str(" ")?;
        }
        if let Some(scope) = ctx.event_scope() {
            let mut seen = false;
            for span in scope.from_root() {
                writer.write_str(span.metadata().name())?;
                let extensions = span.extensions();
                if let Some(fields) = extensions.get::<FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    writer.write_char('{')?;
                    writer.write_str(fields)?;
                    writer.write_char('}')?;
                }
                writer.write_char(':')?;
                seen = true;
            }
            if seen {
                writer.write_char(' ')?;
            }
        }
        writer.write_str(meta.target())?;
        writer.write_str(": ")?;
        ctx.format_fields(writer.by_ref(), event)?;
        writer.write_char('\n')
    }
}

impl<'writer> FormatFields<'writer> for TextFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'writer>, fields: R) -> fmt::Result {
        let mut visitor = FieldWriter {
            writer,
            result: Ok(()),
            first: true,
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct FieldWriter<'writer> {
    writer: Writer<'writer>,
    result: fmt::Result,
    first: bool,
}

impl FieldWriter<'_> {
    /// Writes the separator and `name=` (nothing for the message): whether to go on.
    fn start(&mut self, field: &Field) -> bool {
        if self.result.is_err() {
            return false;
        }
        let name = field.name();
        // The `log` crate's metadata, already in the line's target.
        if name.starts_with("log.") {
            return false;
        }
        if !self.first {
            self.result = self.writer.write_char(' ');
        }
        self.first = false;
        if name != "message" {
            self.result = self
                .result
                .and_then(|()| self.writer.write_str(name))
                .and_then(|()| self.writer.write_char('='));
        }
        self.result.is_ok()
    }
}

impl Visit for FieldWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if !self.start(field) {
            return;
        }
        self.result = if field.name() == "message" {
            Escaped(&mut self.writer).write_str(value)
        } else if value
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        {
            // Nothing to escape: what `{:?}` would write, without its machinery.
            self.writer
                .write_char('"')
                .and_then(|()| self.writer.write_str(value))
                .and_then(|()| self.writer.write_char('"'))
        } else {
            write!(self.writer, "{value:?}")
        };
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if self.start(field) {
            self.result = self.writer.write_str(itoa::Buffer::new().format(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if self.start(field) {
            self.result = self.writer.write_str(itoa::Buffer::new().format(value));
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if self.start(field) {
            self.result = self.writer.write_str(if value { "true" } else { "false" });
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        if !self.start(field) {
            return;
        }
        let mut out = Escaped(&mut self.writer);
        let mut result = write!(out, "{value}");
        let mut source = value.source();
        while let Some(cause) = source {
            result = result.and_then(|()| write!(out, ": {cause}"));
            source = cause.source();
        }
        self.result = result;
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.start(field) {
            self.result = write!(Escaped(&mut self.writer), "{value:?}");
        }
    }
}

/// Writes through, with control characters escaped (`\n` as `\x0a`).
struct Escaped<'a, 'writer>(&'a mut Writer<'writer>);

impl Write for Escaped<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text;
        while let Some(at) = rest.find(char::is_control) {
            self.0.write_str(&rest[..at])?;
            let control = rest[at..].chars().next().unwrap_or('\0');
            write!(self.0, "\\x{:02x}", u32::from(control))?;
            rest = &rest[at + control.len_utf8()..];
        }
        self.0.write_str(rest)
    }
}

thread_local! {
    /// The last second formatted on this thread, and its text.
    static SECOND: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
}

/// `2026-12-07T06:35:12.123456Z` (UTC): the date and time to the second are
/// formatted once a second per thread.
fn write_timestamp(writer: &mut impl Write, at: OffsetDateTime) -> fmt::Result {
    let at = at.to_offset(time::UtcOffset::UTC);
    let second = at.unix_timestamp();
    SECOND.with_borrow_mut(|(cached, text)| {
        if *cached != second {
            text.clear();
            write!(
                text,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            )?;
            *cached = second;
        }
        writer.write_str(text)
    })?;
    let mut micros = at.microsecond();
    let mut digits = *b"000000Z";
    for digit in digits[..6].iter_mut().rev() {
        *digit = b'0' + (micros % 10) as u8;
        micros /= 10;
    }
    writer.write_str(std::str::from_utf8(&digits).unwrap_or("000000Z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use time::macros::datetime;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(with: impl FnOnce()) -> String {
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .event_format(TextLine(custodia_core::SystemClock))
            .fmt_fields(TextFields)
            .with_writer(move || sink.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, with);
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_line_has_time_level_spans_target_message_and_fields() {
        let line = logged(|| {
            let span = tracing::info_span!("sweep", run = 3);
            let _in = span.enter();
            tracing::info!(target: "custodia::http", method = %"GET", route = "/v1/subjects/{id}", status = 200u16, latency_ms = 0.25, ok = true, "request");
        });
        let (time, rest) = line.split_at(27);
        assert!(
            time::OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
                .is_ok(),
            "{time}"
        );
        assert_eq!(
            rest,
            "  INFO sweep{run=3}: custodia::http: request method=GET route=\"/v1/subjects/{id}\" status=200 latency_ms=0.25 ok=true\n"
        );
    }

    #[test]
    fn values_cannot_forge_a_line_or_drive_a_terminal() {
        let line = logged(|| {
            let error = std::io::Error::other("disk\nfull");
            tracing::warn!(path = "a\"b\nc", shown = %"x\ny\x1b[31m", error = &error as &dyn std::error::Error, "cannot\nwrite {}", "\u{9b}2J");
        });
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(!line.contains('\x1b') && !line.contains('\u{9b}'), "{line}");
        assert!(
            line.ends_with(
                " WARN custodia::log_format::tests: cannot\\x0awrite \\x9b2J path=\"a\\\"b\\nc\" shown=x\\x0ay\\x1b[31m error=disk\\x0afull\n"
            ),
            "{line}"
        );
    }

    #[test]
    fn the_time_is_utc_to_the_microsecond() {
        let mut text = String::new();
        let at = datetime!(2026-12-07 07:35:12.000042 +01:00);
        write_timestamp(&mut text, at).unwrap();
        assert_eq!(text, "2026-12-07T06:35:12.000042Z");
        text.clear();
        write_timestamp(&mut text, at + time::Duration::milliseconds(1500)).unwrap();
        assert_eq!(text, "2026-12-07T06:35:13.500042Z");
    }
}
