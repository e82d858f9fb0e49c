//! `custodia serve`: validate the register, open the store, publish the policy
//! version, listen, and stop cleanly on SIGINT or SIGTERM.

use crate::config::{ServeArgs, Settings};
use crate::context::{Context, redact};
use anyhow::Context as _;
use custodia_server::limits::Limiter;
use custodia_server::{AppState, Services};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Dropped last: the lines still buffered are written before the process exits.
    let _log_writer = init_logging(args.log_format);
    // Every setting is parsed and checked first: a bad one leaves a new data
    // directory uncreated and nothing announced.
    Settings::check_before_init(&args)?;
    let key_elsewhere = Settings::master_key_elsewhere(&args);
    for path in crate::init::init_if_new(&args.data_dir, key_elsewhere)? {
        tracing::info!(path = %path.display(), "created");
    }
    crate::init::warn_loose_modes(&args.data_dir);
    let (settings, register) = match crate::context::settings(&args)? {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("custodia: refusing to start with an invalid register");
            return Ok(ExitCode::FAILURE);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let snapshot = args.data_dir.join(BOOK_SNAPSHOT);
    runtime.block_on(serve(settings, register, snapshot))?;
    Ok(ExitCode::SUCCESS)
}

/// The consent book written at a graceful stop, read back at the next start
/// (`custodia_core::consent::snapshot`).
pub(crate) const BOOK_SNAPSHOT: &str = "consent-book.snapshot";

async fn serve(
    settings: Settings,
    register: custodia_register::ValidRegister,
    snapshot_path: std::path::PathBuf,
) -> anyhow::Result<()> {
    // Held until the process ends: this server's read cache owns the embedded
    // database's subjects (see `custodia retention run`).
    let _serve_lock = match crate::retention::serve_lock_path(&settings.database_url) {
        Some(path) => Some(crate::retention::try_serve_lock(&path)?.with_context(|| {
            format!(
                "another custodia server uses {}; one server per embedded database",
                redact(&settings.database_url)
            )
        })?),
        None => None,
    };
    if let Some(path) = &settings.witness.file {
        // Refuse to start rather than run without the witness the operator asked
        // for, and before the database is opened (or created).
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .with_context(|| format!("audit.witness.file: cannot append to {}", path.display()))?;
    }
    let trusted_proxies = settings.trusted_proxies.clone();
    let http = settings.http;
    let ctx = Context::open(settings, register).await?;
    let published =
        custodia_core::publishing::publish(ctx.store.as_ref(), &ctx.register, ctx.clock.as_ref())
            .await?;
    let current = ctx
        .store
        .policy_version(published.version.number)
        .await?
        .context("the published policy version cannot be read back")?;
    tracing::info!(
        version = current.number,
        new = published.created,
        backend = ctx.store.backend(),
        "policy version in force"
    );
    let first_admin = ctx.staff.ensure_first_admin().await?;
    // The consent state is loaded once the listener is open (see `load_state`).
    let readiness = Arc::new(custodia_server::health::Readiness::default());
    let consents = Arc::new(custodia_core::consent::Consents::new(
        Arc::clone(&ctx.book),
        Arc::clone(&ctx.store),
        ctx.writer.clone(),
        Arc::clone(&ctx.register),
        Arc::clone(&ctx.clock),
        current.number,
    ));
    let banner = custodia_server::banner::Banner::build(
        &ctx.register,
        ctx.book.catalog(),
        current.number,
        ctx.clock.now(),
    )
    .map_err(|e| anyhow::anyhow!("building the cookie banner: {e}"))?;
    // Follow `custodia keys rotate` run beside this server: pick up a new primary key.
    let keyring = std::sync::Arc::clone(&ctx.keyring);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            if let Err(e) = keyring.reload() {
                tracing::error!(error = %e, "cannot re-read the master key files");
            }
        }
    });
    let settings = &ctx.settings;
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("listen: cannot listen on {}", settings.listen))?;
    let address = listener.local_addr().context("reading the bound address")?;
    // Every setting is checked before "listening" is announced.
    let rights_settings = rights_settings(settings, &ctx.register, address)?;
    let mailer = settings.mailer.clone();
    if mailer.is_none() {
        tracing::warn!("no [smtp] configured: rights e-mails wait in the outbox");
    }
    let sweep_every = settings.sweep_every;
    // The "listening" line comes last so that whoever waits for it has seen the rest,
    // and a closed stdout must not stop the server.
    let mut out = std::io::stdout().lock();
    if let Some((email, password)) = first_admin {
        // Shown once: only its hash is stored.
        let _ = writeln!(
            out,
            "First start: an admin account was created. Sign in at http://{address}/login"
        );
        let _ = writeln!(out, "  e-mail:   {email}");
        let _ = writeln!(out, "  password: {password}");
        let _ = writeln!(
            out,
            "  (shown once; replace it with `custodia users reset-password --email {email}`, add staff with `custodia users add`)"
        );
    }
    let _ = writeln!(out, "Register:       {}", settings.register.display());
    let _ = writeln!(out, "Database:       {}", redact(&settings.database_url));
    let _ = writeln!(out, "Privacy policy: http://{address}/privacy-policy");
    let _ = writeln!(out, "Custodia is listening on http://{address}/");
    let _ = out.flush();
    drop(out);
    let rights = Arc::new(
        custodia_core::rights::Rights::new(
            Arc::clone(&ctx.store),
            ctx.writer.clone(),
            Arc::clone(&ctx.vault),
            Arc::clone(&consents),
            Arc::clone(&ctx.register),
            Arc::clone(&ctx.clock),
            rights_settings,
        )
        .await
        .context("opening the rights desk")?
        .with_datasets(crate::datasets::attach(&ctx)?),
    );
    ctx.retention.set_asker(Arc::new(
        custodia_core::rights::ask_again::AskAgainMail::new(
            Arc::clone(&rights),
            Arc::clone(&ctx.vault),
            ctx.register.languages.clone(),
        ),
    ));
    let (stop_delivery, delivery_stopped) = tokio::sync::watch::channel(false);
    let delivery = {
        let rights = Arc::clone(&rights);
        let transports = custodia_core::rights::outbox::Transports {
            mailer,
            webhooks: custodia_notify::WebhookSender::new(std::time::Duration::from_secs(10)),
            recipients: settings.rights.recipients.clone(),
            retry: Some(Arc::clone(&rights)),
        };
        let (store, writer, clock) = (
            Arc::clone(&ctx.store),
            ctx.writer.clone(),
            Arc::clone(&ctx.clock),
        );
        tokio::spawn(async move {
            rights
                .outbox()
                .run(store, writer, clock, transports, delivery_stopped)
                .await;
        })
    };
    let checkpoints = tokio::spawn(Arc::clone(&ctx.checkpointer).run(stop_delivery.subscribe()));
    let sweeps = schedule_retention(
        Arc::clone(&ctx.retention),
        Arc::clone(&ctx.clock),
        sweep_every,
        Arc::clone(&readiness),
        stop_delivery.subscribe(),
    );
    let outlook = Arc::new(custodia_core::retention::outlook::Outlook::new(
        Arc::clone(&ctx.retention),
        Arc::clone(&ctx.clock),
    ));
    let planning = tokio::spawn(Arc::clone(&outlook).run(
        custodia_core::retention::outlook::OUTLOOK_EVERY,
        stop_delivery.subscribe(),
    ));
    let statistics = Arc::new(custodia_core::statistics::Statistics::new(
        Arc::clone(&ctx.store),
        Arc::clone(&ctx.clock),
        settings.k_anonymity,
    ));
    let kept_statistics = Arc::new(custodia_core::statistics::KeptReport::new(Arc::clone(
        &statistics,
    )));
    let counting = tokio::spawn(Arc::clone(&kept_statistics).run(
        custodia_core::statistics::KEPT_REPORT_EVERY,
        stop_delivery.subscribe(),
    ));
    let breaches = Arc::new(custodia_core::breach::Breaches::new(
        Arc::clone(&ctx.store),
        ctx.writer.clone(),
        Arc::clone(&ctx.vault),
        Arc::clone(&rights),
        Arc::clone(&ctx.register),
        Arc::clone(&ctx.clock),
        settings.breach_notify_hours,
    ));
    let flushes = schedule_use_flush(Arc::clone(&ctx.staff), stop_delivery.subscribe());
    let metrics = custodia_server::metrics::Metrics::new(
        custodia_server::metrics::CoreFigures {
            writer: ctx.writer.stats().clone(),
            outbox: rights.outbox().stats().clone(),
            sweeps: ctx.retention.stats().clone(),
            checkpoints: ctx.checkpointer.stats().clone(),
            durable_head: ctx.writer.durable_head(),
        },
        settings.metrics_allow.clone(),
        custodia_core::telemetry::unix_seconds(ctx.clock.now()),
    );
    let state = AppState::new(Services {
        register: Arc::clone(&ctx.register),
        clock: Arc::clone(&ctx.clock),
        publications: Arc::new(custodia_core::publishing::Publications::new(
            Arc::clone(&ctx.store),
            current,
        )),
        vault: Arc::clone(&ctx.vault),
        staff: Arc::clone(&ctx.staff),
        consents,
        tokens: Arc::new(custodia_core::consent::Tokens::new(Arc::clone(&ctx.vault))),
        banner: Arc::new(banner),
        // A person clicks a banner a few times a minute; a burst of 30, then one a second.
        banner_limiter: Arc::new(Limiter::new(30, Duration::from_secs(1))),
        rights,
        // Rights requests and their pages: a burst of 20, then one every 3 seconds.
        requests_limiter: Arc::new(Limiter::new(20, Duration::from_secs(3))),
        // Refused credentials: a burst of 30, then one a second, then 429.
        unauthenticated_limiter: Arc::new(Limiter::new(30, Duration::from_secs(1))),
        refusals: Arc::new(custodia_server::limits::Refusals::new(Duration::from_secs(
            60,
        ))),
        login_throttle: Arc::new(custodia_server::limits::LoginThrottle::default()),
        trusted_proxies,
        retention: Arc::clone(&ctx.retention),
        outlook,
        breaches,
        statistics,
        kept_statistics,
        public_url: settings.public_url.clone(),
        readiness: Arc::clone(&readiness),
        metrics: Arc::new(metrics),
    });
    let following = ctx.writer.following();
    // Where one process writes, the book may start from the snapshot its last stop
    // left (`load_state`).
    let single_writer = !ctx.store.keeps_change_feed();
    let loading = tokio::spawn(load_state(
        Arc::clone(&following),
        Arc::clone(&readiness),
        single_writer.then(|| Snapshot {
            path: snapshot_path.clone(),
            book: Arc::clone(&ctx.book),
            store: Arc::clone(&ctx.store),
            register: ctx.register.sha256().to_owned(),
        }),
    ));
    let follower = tokio::spawn(following.run(stop_delivery.subscribe()));
    custodia_server::serve(listener, state, http, shutdown).await?;
    loading.abort();
    let _ = stop_delivery.send(true);
    let _ = follower.await;
    let _ = delivery.await;
    if let Some(sweeps) = sweeps {
        let _ = sweeps.await;
    }
    let _ = flushes.await;
    // A plan for the console being made is of no use any more.
    planning.abort();
    counting.abort();
    // API keys' last uses noted since the last hourly flush (access review).
    if let Err(e) = ctx.staff.flush_uses().await {
        tracing::error!(error = %e, "cannot write API keys' last uses");
    }
    let _ = checkpoints.await;
    // Last: the final checkpoint covers everything written before the stop.
    ctx.checkpointer.flush().await;
    if single_writer && readiness.is_loaded() {
        write_snapshot(&ctx, &snapshot_path).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Loads the consent state while the listener already answers (`/healthz` at once,
/// `/readyz` and the routes that need the state with 503 until then), retrying after
/// a store error: a load balancer keeps traffic away meanwhile.
async fn load_state(
    following: Arc<custodia_core::follow::Following>,
    readiness: Arc<custodia_server::health::Readiness>,
    snapshot: Option<Snapshot>,
) {
    let started = std::time::Instant::now();
    // Without a file (a first start, after a crash) the row counts are not taken:
    // at 1,000,000 subjects they cost a second before the full load.
    if let Some(snapshot) = snapshot.filter(|s| s.path.exists()) {
        // Read while nothing the book follows can be written (those routes answer 503
        // until it is loaded); any other write moves the log's head, and the
        // snapshot is set aside.
        let reading = match mark_of(snapshot.store.as_ref(), &snapshot.register).await {
            Ok(Some(mark)) => {
                let (book, path) = (Arc::clone(&snapshot.book), snapshot.path.clone());
                tokio::task::spawn_blocking(move || book.read_snapshot(&path, &mark))
                    .await
                    .unwrap_or_else(|e| Err(std::io::Error::other(e)))
            }
            Ok(None) => Ok(false),
            Err(e) => Err(std::io::Error::other(e)),
        };
        let path = &snapshot.path;
        match reading {
            Ok(true) => {
                following.loaded_from_snapshot().await;
                readiness.set_loaded();
                tracing::info!(
                    elapsed = ?started.elapsed(),
                    "consent state read from the snapshot of the last stop: ready"
                );
                return;
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "cannot read the consent state's snapshot; loading from the database");
                // The book moves on from the database: the file would only go stale.
                let _ = std::fs::remove_file(path);
            }
        }
    }
    loop {
        match following.load().await {
            Ok(()) => break,
            Err(e) => {
                tracing::error!(error = %e, "cannot load the consent state; retrying in 5 s");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
    readiness.set_loaded();
    tracing::info!(
        elapsed = ?started.elapsed(),
        "consent state loaded: ready"
    );
}

/// Where a single-writer server finds the consent book its last stop left.
struct Snapshot {
    path: std::path::PathBuf,
    book: Arc<custodia_core::consent::ConsentBook>,
    store: Arc<dyn custodia_store::Store>,
    /// The register's SHA-256.
    register: String,
}

/// What the consent book's snapshot is checked against: the register, the log's
/// last entry and the book's row counts (`None`: the store keeps no stamp).
async fn mark_of(
    store: &dyn custodia_store::Store,
    register: &str,
) -> Result<Option<custodia_core::consent::snapshot::Mark>, custodia_store::StoreError> {
    let Some(rows) = store.book_stamp().await? else {
        return Ok(None);
    };
    Ok(Some(custodia_core::consent::snapshot::Mark {
        register: register.to_owned(),
        audit_head: store.audit_head().await?,
        rows,
    }))
}

/// Leaves the consent book for the next start, marked with the log's last entry.
async fn write_snapshot(ctx: &Context, path: &std::path::Path) {
    let mark = match mark_of(ctx.store.as_ref(), ctx.register.sha256()).await {
        Ok(Some(mark)) => mark,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "no snapshot of the consent state: the next start loads it from the database");
            return;
        }
    };
    let book = Arc::clone(&ctx.book);
    let path = path.to_owned();
    let written = tokio::task::spawn_blocking(move || book.write_snapshot(&path, &mark)).await;
    match written {
        Ok(Ok(())) => tracing::info!("consent state written for the next start"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot write the consent state's snapshot; the next start loads it from the database")
        }
        Err(e) => tracing::warn!(error = %e, "cannot write the consent state's snapshot"),
    }
}

/// Writes API keys' last uses every hour until `stop` (and `serve` once more after):
/// a request never waits for that write, and the access review needs days only.
fn schedule_use_flush(
    staff: Arc<custodia_core::staff::Staff>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
                _ = stop.changed() => return,
            }
            if let Err(e) = staff.flush_uses().await {
                tracing::error!(error = %e, "cannot write API keys' last uses; retried in an hour");
            }
        }
    })
}

/// Sweeps every `every` (none when `None`), once the consent state is loaded, until
/// `stop` turns true; a sweep under way
/// finishes its page commits before the server stops.
fn schedule_retention(
    retention: Arc<custodia_core::retention::sweep::Retention>,
    clock: Arc<dyn custodia_core::Clock>,
    every: Option<std::time::Duration>,
    readiness: Arc<custodia_server::health::Readiness>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    let Some(every) = every else {
        tracing::info!("retention schedule off ([retention] interval_minutes = 0)");
        return None;
    };
    Some(tokio::spawn(async move {
        // A sweep's erasures change the consent state: none before it is loaded.
        tokio::select! {
            () = readiness.loaded() => {}
            _ = stop.changed() => return,
        }
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
            let page = custodia_core::retention::sweep::DEFAULT_PAGE;
            match retention.sweep(clock.now(), false, page, &|_| {}).await {
                Ok(report) => tracing::info!(
                    scanned = report.subjects_scanned,
                    erased = report.subjects_erased,
                    reduced = report.subjects_reduced,
                    "retention sweep done"
                ),
                Err(e) => {
                    tracing::error!(error = %e, "retention sweep failed; retried next interval")
                }
            }
        }
    }))
}

fn rights_settings(
    settings: &crate::config::Settings,
    register: &custodia_register::ValidRegister,
    address: std::net::SocketAddr,
) -> anyhow::Result<custodia_core::rights::RightsSettings> {
    use custodia_core::deadline::WorkingDayCalendar;
    let country = settings
        .rights
        .holidays
        .clone()
        .unwrap_or_else(|| register.controller.country.clone());
    let calendar = WorkingDayCalendar::for_country(&country)
        .with_extra_holidays(settings.extra_holidays.clone());
    if !calendar.is_known_country() {
        tracing::warn!(%country, "no public holidays known for this country: deadlines skip weekends only");
    }
    // Rights e-mails fall back on the listening address (never on a request's Host):
    // right for a local trial, wrong behind a proxy, hence the warning. Links minted
    // through the API (unsubscribe, preferences) need `public_url` itself.
    let public_url = settings.public_url.clone().unwrap_or_else(|| {
        tracing::warn!(%address, "public_url is not set in config.toml: links in rights e-mails use http://LISTEN, and the API refuses to mint unsubscribe and preferences links");
        format!("http://{address}")
    });
    let mut rights = custodia_core::rights::RightsSettings::new(public_url, calendar);
    if let Some(years) = settings.rights.opposition_years {
        rights.opposition_kept = custodia_register::IsoDuration {
            years,
            ..custodia_register::IsoDuration::default()
        };
    }
    rights.recipients = settings.rights.recipients.clone();
    rights.dataset_retry = settings.dataset_retry;
    Ok(rights)
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

/// Log lines go to standard error in batches (`log_writer`): a line per request
/// costs an append to a buffer, not a write.
fn init_logging(
    format: crate::config::LogFormat,
) -> crate::log_writer::FlushOnDrop<std::io::Stderr> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("CUSTODIA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) = crate::log_writer::batched(std::io::stderr());
    // Colour codes only where a person reads them, never in a file or a collector.
    let lines = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        crate::config::LogFormat::Text => lines
            .event_format(crate::log_format::TextLine(custodia_core::SystemClock))
            .fmt_fields(crate::log_format::TextFields)
            .init(),
        crate::config::LogFormat::Json => lines.json().init(),
    }
    guard
}
