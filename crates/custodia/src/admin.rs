//! Admin commands run against an installation's data directory: staff accounts,
//! API keys, audit verification and master-key rotation. They may run while the
//! server runs; their actions are audited as `cli`.

use crate::config::ServeArgs;
use crate::context::Context;
use anyhow::Context as _;
use clap::Subcommand;
use custodia_core::audit::Verdict;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

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
    /// Check the whole audit chain: exit 0 when intact, 1 naming the first bad entry.
    Verify {
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
        Ok((settings, register)) => Ok(Ok(Context::open(settings, register).await?)),
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
    runtime()?.block_on(async {
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
    runtime()?.block_on(async {
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
    let AuditCommand::Verify { args } = command;
    runtime()?.block_on(async {
        let ctx = open_or_exit!(&args);
        match custodia_core::audit::verify(ctx.store.as_ref()).await? {
            Verdict::Intact { entries, head } => {
                println!("audit log intact: {entries} entries, head {head}");
                Ok(ExitCode::SUCCESS)
            }
            Verdict::Broken { seq, problem } => {
                eprintln!("audit log broken at entry {seq}: {problem}");
                Ok(ExitCode::FAILURE)
            }
        }
    })
}

pub fn keys(command: KeysCommand) -> anyhow::Result<ExitCode> {
    let KeysCommand::Rotate { grace, args } = command;
    runtime()?.block_on(async {
        let ctx = open_or_exit!(&args);
        if std::env::var_os("CUSTODIA_MASTER_KEY").is_some() {
            anyhow::bail!("the master key comes from CUSTODIA_MASTER_KEY: rotate it where it is kept, then run `custodia keys rotate` with key files");
        }
        let report = custodia_core::rotation::rotate(
            &ctx.settings.master_key_file,
            &ctx.keyring,
            ctx.keys.as_ref(),
            std::time::Duration::from_secs(grace),
            |done| {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\rrewrapped {done} keys");
                let _ = err.flush();
            },
        )
        .await?;
        eprintln!();
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
