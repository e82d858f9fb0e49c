//! `custodia serve`: validate the register, open the store, publish the policy
//! version, listen, and stop cleanly on SIGINT or SIGTERM.

use crate::config::{FileConfig, ServeArgs, Settings};
use anyhow::Context;
use custodia_core::{Clock, SystemClock};
use custodia_crypto::MasterKey;
use custodia_server::AppState;
use custodia_store::Store;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    for path in crate::init::init(&args.data_dir)? {
        tracing::info!(path = %path.display(), "created");
    }
    let settings = Settings::resolve(&args, FileConfig::read(&args.data_dir)?);
    let register = match custodia_register::load(&settings.register) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("custodia: refusing to start with an invalid register");
            return Ok(ExitCode::FAILURE);
        }
    };
    let _master_key = load_master_key(&settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(settings, register))?;
    Ok(ExitCode::SUCCESS)
}

fn load_master_key(settings: &Settings) -> anyhow::Result<MasterKey> {
    if let Ok(hex) = std::env::var("CUSTODIA_MASTER_KEY") {
        return Ok(MasterKey::from_hex("CUSTODIA_MASTER_KEY", &hex)?);
    }
    Ok(MasterKey::read(&settings.master_key_file)?)
}

async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            custodia_store_postgres::PostgresStore::connect(url).await?,
        ))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(
            custodia_store_sqlite::SqliteStore::open_url(url).await?,
        ))
    } else {
        anyhow::bail!(
            "database_url: `{}` must start with sqlite:// or postgres://",
            redact(url)
        )
    }
}

/// Drops the password from a database URL before it reaches a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

async fn serve(
    settings: Settings,
    register: custodia_register::ValidRegister,
) -> anyhow::Result<()> {
    let store = open_store(&settings.database_url).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let published =
        custodia_core::publishing::publish(store.as_ref(), &register, clock.as_ref()).await?;
    let current = store
        .policy_version(published.version.number)
        .await?
        .context("the published policy version cannot be read back")?;
    tracing::info!(
        version = current.number,
        new = published.created,
        backend = store.backend(),
        "policy version in force"
    );
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("listen: cannot listen on {}", settings.listen))?;
    let address = listener.local_addr().context("reading the bound address")?;
    // The "listening" line comes last so that whoever waits for it has seen the rest,
    // and a closed stdout must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Register:       {}", settings.register.display());
    let _ = writeln!(out, "Database:       {}", redact(&settings.database_url));
    let _ = writeln!(out, "Privacy policy: http://{address}/privacy-policy");
    let _ = writeln!(out, "Custodia is listening on http://{address}/");
    let _ = out.flush();
    drop(out);
    let state = AppState {
        store,
        register: Arc::new(register),
        clock,
        current: Arc::new(current),
    };
    custodia_server::serve(listener, state, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Installs the SIGINT and SIGTERM handlers now, so that a signal arriving as soon
/// as the "listening" line is out already means "shut down gracefully".
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let mut terminate =
        signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down");
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CUSTODIA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_passwords_never_reach_messages() {
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://***@h:5432/db"
        );
        assert_eq!(super::redact("sqlite:///x.db"), "sqlite:///x.db");
    }
}
