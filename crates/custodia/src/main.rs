//! The `custodia` command: serve, init, register check and export, policy render, openapi.

mod admin;
mod backup;
mod config;
mod context;
mod datasets;
mod init;
mod log_format;
mod log_writer;
mod progress;
mod retention;
mod serve;

/// glibc's allocator took about a tenth of the server's CPU under load, much of it
/// consolidating free lists (measured with perf: BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use custodia_core::Clock;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "custodia",
    // The commit comes from build.rs: a bug report names the exact build.
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("CUSTODIA_COMMIT"), ")"),
    about = "Self-hosted personal-data protection engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start-up: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the server (creates ./custodia-data on first run).
    Serve(config::ServeArgs),
    /// Write a data directory (config, master key, example register) without serving.
    Init {
        #[arg(long, env = "CUSTODIA_DATA_DIR", default_value = config::DEFAULT_DATA_DIR)]
        data_dir: PathBuf,
    },
    /// Work with register files.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Render policy documents from a register.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Print the OpenAPI 3.1 description of the HTTP API.
    Openapi,
    /// Staff accounts.
    Users {
        #[command(subcommand)]
        command: admin::UsersCommand,
    },
    /// API keys for services.
    Apikeys {
        #[command(subcommand)]
        command: admin::ApiKeysCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: admin::AuditCommand,
    },
    /// The master key.
    Keys {
        #[command(subcommand)]
        command: admin::KeysCommand,
    },
    /// Back up an installation while it runs (`--out DIR`), or check a backup (`verify DIR`).
    Backup(backup::BackupArgs),
    /// Restore a backup, then erase again everyone erased since (the erasure journal).
    /// The server must be stopped.
    Restore(backup::RestoreArgs),
    /// Retention: carry out the register's retention periods.
    Retention {
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// The company's own databases the register declares (`[[datasets]]`).
    Datasets {
        #[command(subcommand)]
        command: datasets::DatasetsCommand,
    },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Validate register files: exit 0 when all are valid, 1 with `FILE:LINE: field: problem` lines otherwise.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the Art. 30 record of processing activities to stdout: one row per purpose.
    Export {
        /// The register file.
        #[arg(env = "CUSTODIA_REGISTER")]
        register: PathBuf,
        /// csv, html or dpv (W3C DPV as JSON-LD)
        #[arg(long, default_value = "csv")]
        format: custodia_policy::RecordFormat,
        /// en or fr; default: the register's first published language
        #[arg(long, value_parser = parse_lang)]
        lang: Option<custodia_register::Lang>,
        /// The record's date, YYYY-MM-DD; default: today (UTC)
        #[arg(long, value_parser = parse_date)]
        date: Option<time::Date>,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Write a policy document to stdout.
    Render {
        #[arg(long, env = "CUSTODIA_REGISTER")]
        register: PathBuf,
        /// privacy or cookies
        #[arg(long, default_value = "privacy")]
        kind: custodia_policy::Kind,
        /// en, fr, de, es or it
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: custodia_register::Lang,
        /// html, md or json
        #[arg(long, default_value = "html")]
        format: custodia_policy::Format,
        /// The effective date shown under the title (YYYY-MM-DD), as the server
        /// shows the date a version was published.
        #[arg(long, value_parser = parse_date)]
        date: Option<time::Date>,
    },
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    custodia_register::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date: write YYYY-MM-DD"))
}

fn parse_lang(code: &str) -> Result<custodia_register::Lang, String> {
    custodia_register::Lang::from_code(code).ok_or_else(|| {
        format!(
            "`{code}` is not one of {}",
            custodia_register::Lang::codes()
        )
    })
}

fn main() -> ExitCode {
    // Every file a command creates (databases and their WAL, config.toml with its
    // passwords, lock files) is its owner's only, whatever umask it was started with.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("custodia: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Init { data_dir } => {
            let created = init::init(&data_dir)?;
            for path in created {
                println!("created {}", path.display());
            }
            println!(
                "edit {} then run `custodia serve --data-dir {}`",
                data_dir.join(init::REGISTER_FILE).display(),
                data_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Register {
            command: RegisterCommand::Check { files },
        } => Ok(check_registers(&files)),
        Command::Register {
            command:
                RegisterCommand::Export {
                    register,
                    format,
                    lang,
                    date,
                },
        } => {
            let Some(register) = load_or_report(&register) else {
                return Ok(ExitCode::FAILURE);
            };
            let lang = match lang.or_else(|| register.languages.first().copied()) {
                Some(lang) => lang,
                None => anyhow::bail!("the register publishes no language"),
            };
            let date = match date {
                Some(date) => date,
                None => custodia_core::SystemClock.now().date(),
            };
            let text = custodia_policy::render_record(&register, lang, format, date)?;
            write_stdout(&text)
        }
        Command::Policy {
            command:
                PolicyCommand::Render {
                    register,
                    kind,
                    lang,
                    format,
                    date,
                },
        } => {
            let Some(register) = load_or_report(&register) else {
                return Ok(ExitCode::FAILURE);
            };
            let options = custodia_policy::RenderOptions {
                effective_date: date,
            };
            let text = custodia_policy::render(&register, kind, lang, format, &options)?;
            write_stdout(&text)
        }
        Command::Users { command } => admin::users(command),
        Command::Apikeys { command } => admin::apikeys(command),
        Command::Audit { command } => admin::audit(command),
        Command::Keys { command } => admin::keys(command),
        Command::Retention { command } => retention::run(command),
        Command::Datasets { command } => datasets::run(command),
        Command::Backup(command) => backup::backup(command),
        Command::Restore(command) => backup::restore(command),
        Command::Openapi => {
            println!("{}", custodia_server::openapi().to_pretty_json()?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The register, or its problems on standard error (FILE:LINE each).
fn load_or_report(path: &std::path::Path) -> Option<custodia_register::ValidRegister> {
    custodia_register::load(path)
        .map_err(|e| eprintln!("{e}"))
        .ok()
}

fn write_stdout(text: &str) -> anyhow::Result<ExitCode> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

fn check_registers(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match custodia_register::load(file) {
            Ok(register) => {
                for warning in register.warnings() {
                    eprintln!("{warning} (warning)");
                }
                match register.warnings().len() {
                    0 => println!("{}: valid", file.display()),
                    n => println!("{}: valid, {n} warning(s)", file.display()),
                }
            }
            Err(e) => {
                ok = false;
                eprintln!("{e}");
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
