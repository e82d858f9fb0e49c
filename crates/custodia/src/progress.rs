//! Progress of long commands (backup, restore, retention run, key rotation): an
//! indicatif bar when standard error is a terminal, otherwise plain lines (a log or a
//! pipe has no use for redrawn bars), at most one every [`PLAIN_EVERY`] plus the last.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Least time between two plain lines.
const PLAIN_EVERY: Duration = Duration::from_secs(2);

pub struct Progress {
    label: String,
    unit: &'static str,
    bar: Option<ProgressBar>,
    plain: Mutex<Plain>,
}

struct Plain {
    total: Option<u64>,
    done: u64,
    started: Instant,
    printed: Option<Instant>,
}

impl Progress {
    /// `label` says what is done (`backup custodia.db`), `unit` what is counted
    /// (`pages`, `subjects`); `total` when known.
    pub fn new(label: impl Into<String>, unit: &'static str, total: Option<u64>) -> Progress {
        Self::with_terminal(label, unit, total, std::io::stderr().is_terminal())
    }

    fn with_terminal(
        label: impl Into<String>,
        unit: &'static str,
        total: Option<u64>,
        terminal: bool,
    ) -> Progress {
        let label = label.into();
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                format!("{{msg}} [{{bar:30}}] {{percent:>3}}% {{pos}}/{{len}} {unit}, {{per_sec}}, {{eta}} left")
            } else {
                format!("{{msg}} {{spinner}} {{pos}} {unit}, {{per_sec}}")
            };
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("#>."));
            }
            bar.set_message(label.clone());
            bar
        });
        Progress {
            label,
            unit,
            bar,
            plain: Mutex::new(Plain {
                total,
                done: 0,
                started: Instant::now(),
                printed: None,
            }),
        }
    }

    pub fn set_total(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
        self.lock().total = Some(total);
    }

    /// Records how much is done so far.
    pub fn set(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            return;
        }
        let line = {
            let mut plain = self.lock();
            plain.done = done;
            let due = plain.printed.is_none_or(|at| at.elapsed() >= PLAIN_EVERY);
            if !due {
                return;
            }
            plain.printed = Some(Instant::now());
            self.line(&plain, false)
        };
        print_line(&line);
    }

    /// Ends the bar (or prints the last line) with what was done.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
            return;
        }
        let line = self.line(&self.lock(), true);
        print_line(&line);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Plain> {
        self.plain.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `backup custodia.db: 500/1000 pages (50%)`, or `...: 1000 pages, done in 1.2 s`.
    fn line(&self, plain: &Plain, finished: bool) -> String {
        let Plain { total, done, .. } = *plain;
        let (label, unit) = (&self.label, self.unit);
        if finished {
            let secs = plain.started.elapsed().as_secs_f64();
            return format!("{label}: {done} {unit}, done in {secs:.1} s");
        }
        match total {
            Some(total) if total > 0 => format!(
                "{label}: {done}/{total} {unit} ({}%)",
                done.min(total) * 100 / total
            ),
            _ => format!("{label}: {done} {unit}"),
        }
    }
}

fn print_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_say_how_far() {
        let p = Progress::with_terminal("backup custodia.db", "pages", Some(1000), false);
        let plain = Plain {
            total: Some(1000),
            done: 500,
            started: Instant::now(),
            printed: None,
        };
        assert_eq!(
            p.line(&plain, false),
            "backup custodia.db: 500/1000 pages (50%)"
        );
        assert!(
            p.line(&plain, true)
                .starts_with("backup custodia.db: 500 pages, done in ")
        );
        let unknown = Plain {
            total: None,
            ..plain
        };
        assert_eq!(p.line(&unknown, false), "backup custodia.db: 500 pages");
    }

    #[test]
    fn off_a_terminal_there_is_no_bar() {
        let p = Progress::with_terminal("x", "keys", None, false);
        assert!(p.bar.is_none());
        p.set(3);
        assert_eq!(p.lock().done, 3);
    }
}
