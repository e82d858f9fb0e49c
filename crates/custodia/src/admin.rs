//! Admin commands run against an installation's data directory: staff accounts,
//! API keys, audit verification and master-key rotation. They may run while the
//! server runs; their actions are audited as `cli`.

use crate::config::ServeArgs;
use crate::context::Context;
use anyhow::Context as _;
use clap::Subcommand;
use custodia_core::audit::{AuditAction, AuditRecord, Verdict};
use custodia_core::checkpoints::Checkpointer;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

const CLI: &str = "cli";

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Add a staff account (an arrival). The password is read from stdin, or generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// admin, dpo, auditor, or an internal recipient of the register.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// Replace an account's password (from stdin, or generated and printed once); its sessions end.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// Disable an account (a departure): it can no longer sign in and its sessions end.
    Disable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// List accounts with their role and status.
    List {
        #[command(flatten)]
        args: ServeArgs,
    },
}

#[derive(Subcommand)]
pub enum ApiKeysCommand {
    /// Create an API key for a service; the key is printed once and stored hashed.
    Create {
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// List API keys (never the keys themselves).
    List {
        #[command(flatten)]
        args: ServeArgs,
    },
    /// Revoke an API key by id.
    Revoke {
        id: String,
        #[command(flatten)]
        args: ServeArgs,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole audit chain and compare it with the signed checkpoints of the
    /// key store (and of a witness file): exit 0 when intact, 1 naming the first bad
    /// entry or the checkpoint the log disagrees with.
    Verify {
        /// A witness file (`[audit] witness.file`) whose checkpoints the log must match.
        #[arg(long)]
        witness: Option<std::path::PathBuf>,
        #[command(flatten)]
        args: ServeArgs,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Replace the master key: rewrap every data key under a new one, without
    /// re-encrypting data and without stopping the server.
    Rotate {
        /// Seconds to wait after switching keys so running servers pick the new one up.
        #[arg(long, default_value_t = 12)]
        grace: u64,
        #[command(flatten)]
        args: ServeArgs,
    },
}

async fn open(args: &ServeArgs) -> anyhow::Result<Result<Context, ExitCode>> {
    match crate::context::settings(args)? {
        Ok((settings, register)) => {
            let ctx = Context::open(settings, register).await?;
            OPENED
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Arc::clone(&ctx.checkpointer));
            Ok(Ok(ctx))
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            Ok(Err(ExitCode::FAILURE))
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The checkpointers of the installations a command opened: flushed when the command
/// ends, however it ends, so that its own audit entries are checkpointed.
static OPENED: Mutex<Vec<Arc<Checkpointer>>> = Mutex::new(Vec::new());

/// Runs a command on a fresh runtime, then checkpoints what it wrote.
fn run(command: impl Future<Output = anyhow::Result<ExitCode>>) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let result = command.await;
        let opened = std::mem::take(&mut *OPENED.lock().unwrap_or_else(|p| p.into_inner()));
        for checkpointer in opened {
            checkpointer.flush().await;
        }
        result
    })
}

macro_rules! open_or_exit {
    ($args:expr) => {
        match open($args).await? {
            Ok(ctx) => ctx,
            Err(code) => return Ok(code),
        }
    };
}

fn read_password(from_stdin: bool) -> anyhow::Result<Option<String>> {
    if !from_stdin {
        return Ok(None);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

pub fn users(command: UsersCommand) -> anyhow::Result<ExitCode> {
    run(async {
        match command {
            UsersCommand::Add {
                email,
                role,
                password_stdin,
                args,
            } => {
                let password = read_password(password_stdin)?;
                let ctx = open_or_exit!(&args);
                let (user, generated) = ctx.staff.add_user(CLI, &email, &role, password).await?;
                println!("added {} with role {}", user.email, user.role);
                if let Some(p) = generated {
                    println!("password (shown once): {p}");
                }
            }
            UsersCommand::ResetPassword {
                email,
                password_stdin,
                args,
            } => {
                let password = read_password(password_stdin)?;
                let ctx = open_or_exit!(&args);
                let generated = ctx.staff.reset_password(CLI, &email, password).await?;
                println!("password replaced; sessions of that account ended");
                if let Some(p) = generated {
                    println!("password (shown once): {p}");
                }
            }
            UsersCommand::Disable { email, args } => {
                let ctx = open_or_exit!(&args);
                let user = ctx.staff.set_disabled(CLI, &email, true).await?;
                println!("disabled {}", user.email);
            }
            UsersCommand::Enable { email, args } => {
                let ctx = open_or_exit!(&args);
                let user = ctx.staff.set_disabled(CLI, &email, false).await?;
                println!("enabled {}", user.email);
            }
            UsersCommand::List { args } => {
                let ctx = open_or_exit!(&args);
                for u in ctx.staff.users().await? {
                    let status = if u.disabled_at.is_some() {
                        "disabled"
                    } else {
                        "active"
                    };
                    println!("{}\t{}\t{}", u.email, u.role, status);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn apikeys(command: ApiKeysCommand) -> anyhow::Result<ExitCode> {
    run(async {
        match command {
            ApiKeysCommand::Create { role, name, args } => {
                let ctx = open_or_exit!(&args);
                let (key, api_key) = ctx.staff.create_api_key(CLI, &name, &role).await?;
                if std::io::stdout().is_terminal() {
                    println!(
                        "API key {} ({}, role {}); shown once:",
                        api_key.id, api_key.name, api_key.role
                    );
                }
                println!("{key}");
            }
            ApiKeysCommand::List { args } => {
                let ctx = open_or_exit!(&args);
                for k in ctx.staff.api_keys().await? {
                    let status = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!("{}\t{}\t{}\t{}", k.id, k.name, k.role, status);
                }
            }
            ApiKeysCommand::Revoke { id, args } => {
                let ctx = open_or_exit!(&args);
                ctx.staff.revoke_api_key(CLI, &id).await?;
                println!("revoked {id}");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn audit(command: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { witness, args } = command;
    run(async {
        let witnessed = match &witness {
            Some(path) => custodia_core::checkpoints::read_witness_file(path)?,
            None => Vec::new(),
        };
        let ctx = open_or_exit!(&args);
        let verdict = custodia_core::audit::verify(
            ctx.store.as_ref(),
            ctx.keys.as_ref(),
            &ctx.audit_key,
            &witnessed,
        )
        .await?;
        let (outcome, detail, code) = match &verdict {
            Verdict::Intact {
                entries,
                head,
                chains,
                checkpoint,
                checkpoints,
            } => {
                let agreed = match checkpoint {
                    Some((seq, at, source)) => format!(
                        "; agrees with {checkpoints} checkpoints, the latest of entry {seq} taken at {} ({source})",
                        at.format(&time::format_description::well_known::Rfc3339)
                            .unwrap_or_default()
                    ),
                    None => String::new(),
                };
                let chained = if *chains > 1 {
                    format!(" in {chains} chains")
                } else {
                    String::new()
                };
                println!("audit log intact: {entries} entries{chained}, head {head}{agreed}");
                ("ok", format!("{entries} entries intact"), ExitCode::SUCCESS)
            }
            Verdict::Broken { seq, problem } => {
                eprintln!("audit log broken at entry {seq}: {problem}");
                (
                    "broken",
                    format!("broken at entry {seq}"),
                    ExitCode::FAILURE,
                )
            }
        };
        // The verification itself is audited, after the walk so it is not its subject.
        let record = AuditRecord::new(ctx.clock.now(), CLI, AuditAction::AuditVerify, outcome)
            .detail(detail);
        ctx.writer.audit(record).await?;
        Ok(code)
    })
}

pub fn keys(command: KeysCommand) -> anyhow::Result<ExitCode> {
    let KeysCommand::Rotate { grace, args } = command;
    run(async {
        let ctx = open_or_exit!(&args);
        if std::env::var_os("CUSTODIA_MASTER_KEY").is_some() {
            anyhow::bail!(
                "the master key comes from CUSTODIA_MASTER_KEY: rotate it where it is kept, then run `custodia keys rotate` with key files"
            );
        }
        let bar = crate::progress::Progress::new("keys rotate: rewrapping", "keys", None);
        let rotated = custodia_core::rotation::rotate(
            &ctx.settings.master_key_file,
            &ctx.keyring,
            ctx.keys.as_ref(),
            std::time::Duration::from_secs(grace),
            |done| bar.set(done),
        )
        .await;
        bar.finish();
        let report = match rotated {
            Ok(report) => report,
            Err(e) => {
                let record =
                    AuditRecord::new(ctx.clock.now(), CLI, AuditAction::KeysRotate, "failed")
                        .detail(e.to_string());
                ctx.writer.audit(record).await?;
                return Err(e.into());
            }
        };
        let record =
            AuditRecord::new(ctx.clock.now(), CLI, AuditAction::KeysRotate, "ok").detail(format!(
                "new master key {}; {} data keys and {} system keys rewrapped",
                report.new_key_id, report.data_keys, report.system_keys
            ));
        ctx.writer.audit(record).await?;
        println!(
            "master key rotated: new key {}, {} data keys and {} system keys rewrapped",
            report.new_key_id, report.data_keys, report.system_keys
        );
        println!(
            "the old key is kept as {} so that key-store backups taken before now stay readable; delete it once they have expired",
            report.retired_file.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}
