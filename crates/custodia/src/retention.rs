//! `custodia retention run`: a sweep from the command line, with its progress
//! (`crate::progress`) and a report by rule. With the embedded SQLite database the server
//! caches subjects, so a real sweep refuses to run beside a server (it holds the
//! database's serve lock) and points to the server's own schedule; a dry run only
//! reads and always runs.

use crate::config::ServeArgs;
use crate::context::Context;
use anyhow::Context as _;
use clap::Subcommand;
use custodia_core::retention::sweep::DEFAULT_PAGE;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Carry out every retention step due now: archive, delete, anonymise; purge expired
    /// opposition entries and closed requests past their keeping.
    Run {
        /// Report what would be done, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also write the report as JSON to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Act as if it were this instant (RFC 3339), to rehearse a future sweep; a
        /// real run may not be later than a day from now.
        #[arg(long, value_parser = parse_instant)]
        now: Option<OffsetDateTime>,
        /// Subjects per page (one key-store and one data commit each).
        #[arg(long, default_value_t = DEFAULT_PAGE)]
        page: u32,
        #[command(flatten)]
        args: ServeArgs,
    },
}

fn parse_instant(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("`{text}` is not an RFC 3339 instant: {e}"))
}

/// The lock a server holds on its embedded database, so that nothing else changes
/// subjects behind its read cache.
pub fn serve_lock_path(database_url: &str) -> Option<PathBuf> {
    let path = crate::context::sqlite_path(database_url)?;
    let mut name = path.file_name()?.to_os_string();
    name.push(".serve-lock");
    Some(path.with_file_name(name))
}

/// Takes the serve lock; `Ok(None)` when someone else holds it. The lock lasts as
/// long as the returned file is open (the kernel drops it if the process dies).
pub fn try_serve_lock(path: &Path) -> anyhow::Result<Option<File>> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("{}: cannot open the lock file", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("{}: cannot lock", path.display()))
        }
    }
}

pub fn run(command: RetentionCommand) -> anyhow::Result<ExitCode> {
    let RetentionCommand::Run {
        dry_run,
        report,
        now,
        page,
        args,
    } = command;
    let (settings, register) = match crate::context::settings(&args)? {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let _lock = match serve_lock_path(&settings.database_url) {
        Some(path) if !dry_run => match try_serve_lock(&path)? {
            Some(lock) => Some(lock),
            None => {
                eprintln!(
                    "custodia: a server is running on this database; it sweeps on its own schedule ([retention] interval_minutes), or ask it now with `POST /v1/retention/run` (a dry run works here too: --dry-run)"
                );
                return Ok(ExitCode::FAILURE);
            }
        },
        _ => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let ctx = Context::open(settings, register).await?;
        crate::datasets::attach(&ctx)?;
        let wall = ctx.clock.now();
        let now = now.unwrap_or(wall);
        if !dry_run && now > wall + time::Duration::days(1) {
            // A real sweep in the future would destroy data before its time.
            anyhow::bail!(
                "--now: a real sweep cannot act as if it were later than tomorrow; use --dry-run to rehearse"
            );
        }
        let total = ctx.store.retention_facts_count().await.unwrap_or(0);
        let bar = crate::progress::Progress::new(
            if dry_run { "retention dry run" } else { "retention run" },
            "subjects",
            (total > 0).then_some(total),
        );
        let result = ctx
            .retention
            .sweep(now, dry_run, page.max(1), &|scanned| bar.set(scanned))
            .await?;
        bar.finish();
        if let Some(path) = &report {
            let json = serde_json::to_string_pretty(&result)?;
            std::fs::write(path, json + "\n")
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
        }
        print!("{}", result.table());
        ctx.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_sits_beside_the_database() {
        assert_eq!(
            serve_lock_path("sqlite:///srv/c/custodia.db"),
            Some(PathBuf::from("/srv/c/custodia.db.serve-lock"))
        );
        assert_eq!(serve_lock_path("postgres://u@h/db"), None);
    }
}
