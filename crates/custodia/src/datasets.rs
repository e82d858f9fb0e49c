//! `custodia datasets check`: every dataset of the register against its live
//! schema; and the connections the server hands the rights desk.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Subcommand;
use custodia_connectors::http::HttpTool;
use custodia_connectors::{Connected, Link};

use crate::config::{ServeArgs, Settings};

#[derive(Subcommand)]
pub enum DatasetsCommand {
    /// Connect to each dataset's database and report every table or column the
    /// register names that does not exist there, and every column that cannot take
    /// its erasure strategy: exit 0 when all match, 1 otherwise.
    Check {
        #[command(flatten)]
        args: ServeArgs,
    },
    /// A dry run for one person: the rows an access request would return and what
    /// an erasure would change in each dataset, as JSON on stdout; nothing changes.
    Preview {
        /// The person's e-mail address.
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        login: Option<String>,
        /// The company's own id for the person.
        #[arg(long)]
        customer_id: Option<String>,
        #[command(flatten)]
        args: ServeArgs,
    },
}

/// The register's datasets with their connections from `[connections]`; inside a
/// Tokio runtime (pools connect lazily on it).
pub fn connect(
    settings: &Settings,
    register: &custodia_register::ValidRegister,
) -> anyhow::Result<Vec<Connected>> {
    register
        .datasets
        .iter()
        .map(|spec| {
            let urls = settings.connections.get(&spec.connection).with_context(|| {
                format!(
                    "dataset `{}`: no [connections.{}] in config.toml (url = \"postgres://…\" or \"sqlite://PATH\")",
                    spec.id, spec.connection
                )
            })?;
            let failed = |e: custodia_connectors::BackendError| {
                anyhow::anyhow!("connections.{}: {e}", spec.connection)
            };
            let link = if urls.read.starts_with("https://") || urls.read.starts_with("http://") {
                let secret = urls.secret.as_deref().with_context(|| {
                    format!(
                        "connections.{}: a tool reached over HTTP needs `secret` to sign its requests",
                        spec.connection
                    )
                })?;
                Link::Http(HttpTool::new(&urls.read, secret).map_err(failed)?)
            } else {
                Link::Sql {
                    reader: custodia_connectors::open(&urls.read, true).map_err(failed)?,
                    writer: custodia_connectors::open(&urls.write, false).map_err(failed)?,
                }
            };
            Ok(Connected::new(spec.clone(), link))
        })
        .collect()
}

/// Connects the register's datasets and hands them to the retention sweeps (with
/// the vault's pseudonym); the same list goes to the rights desk.
pub fn attach(ctx: &crate::context::Context) -> anyhow::Result<Arc<Vec<Connected>>> {
    let datasets = Arc::new(connect(&ctx.settings, &ctx.register)?);
    let vault = Arc::clone(&ctx.vault);
    ctx.retention.set_datasets(
        Arc::clone(&datasets),
        Arc::new(move |value: &str| vault.dataset_pseudonym(value)),
    );
    Ok(datasets)
}

pub fn run(command: DatasetsCommand) -> anyhow::Result<ExitCode> {
    let args = match command {
        DatasetsCommand::Check { args } => args,
        DatasetsCommand::Preview {
            email,
            phone,
            login,
            customer_id,
            args,
        } => {
            use custodia_register::IdentityKind;
            let identities: Vec<(IdentityKind, String)> = [
                (IdentityKind::Email, email),
                (IdentityKind::Phone, phone),
                (IdentityKind::Login, login),
                (IdentityKind::CustomerId, customer_id),
            ]
            .into_iter()
            .filter_map(|(kind, value)| Some((kind, value?)))
            .collect();
            return preview(args, &identities);
        }
    };
    let (settings, register) = match crate::context::settings(&args)? {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if register.datasets.is_empty() {
        println!("the register declares no dataset");
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        // Pools start inside the runtime.
        let datasets = connect(&settings, &register)?;
        let mut ok = true;
        for connected in &datasets {
            let id = &connected.spec.id;
            match connected.undeclared_references().await {
                Ok(notes) => {
                    for note in notes {
                        println!("{id}: {note} (warning)");
                    }
                }
                Err(e) => {
                    ok = false;
                    println!("{e}");
                    continue;
                }
            }
            match connected.check().await {
                Ok(problems) if problems.is_empty() => println!(
                    "{id}: {} tables match the live schema",
                    connected.spec.tables.len()
                ),
                Ok(problems) => {
                    ok = false;
                    for p in problems {
                        println!("{id}: {p}");
                    }
                }
                Err(e) => {
                    ok = false;
                    println!("{e}");
                }
            }
        }
        Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

fn preview(
    args: ServeArgs,
    identities: &[(custodia_register::IdentityKind, String)],
) -> anyhow::Result<ExitCode> {
    let borrowed: Vec<(custodia_register::IdentityKind, &str)> =
        identities.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let person = custodia_connectors::Person::new(&borrowed)?;
    let (settings, register) = match crate::context::settings(&args)? {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let datasets = connect(&settings, &register)?;
        let mut out = Vec::new();
        let now = custodia_core::Clock::now(&custodia_core::SystemClock).unix_timestamp();
        for connected in &datasets {
            let found = connected
                .find(&person, custodia_connectors::http::Reply::default(), now)
                .await?;
            let erasure = match connected.sql().await? {
                Some(dataset) => {
                    // Which columns change depends on the current values only.
                    let plan = dataset
                        .plan_erasure(&found, &|_| "(keyed pseudonym)".to_owned())
                        .await?;
                    serde_json::json!({"summary": plan.summary(), "tables": plan.tables})
                }
                None => serde_json::json!({"summary": "the tool erases on its side"}),
            };
            out.push(serde_json::json!({
                "dataset": connected.spec.id,
                "access": found,
                "erasure": erasure,
            }));
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        Ok(ExitCode::SUCCESS)
    })
}
