//! Layered configuration: built-in defaults, then `config.toml` in the data
//! directory, then `CUSTODIA_*` environment variables and command-line flags.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATA_DIR: &str = "custodia-data";
pub const CONFIG_FILE: &str = "config.toml";
/// The erasure journal's default file name, in the data directory.
pub const ERASURE_JOURNAL: &str = "erasures.journal";

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Directory holding the configuration, master key, register and SQLite database.
    #[arg(long, env = "CUSTODIA_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    pub data_dir: PathBuf,
    /// Address and port to listen on [config: listen; default 127.0.0.1:8080].
    #[arg(long, env = "CUSTODIA_LISTEN")]
    pub listen: Option<String>,
    /// Register of processing (TOML) [config: register; default DATA_DIR/register.toml].
    #[arg(long, env = "CUSTODIA_REGISTER")]
    pub register: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://...` [config: database_url; default sqlite://custodia.db in DATA_DIR].
    #[arg(long, env = "CUSTODIA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Key store for subjects' data keys: its own SQLite file by default, so that
    /// destroying a key destroys it in the one place that matters
    /// [config: key_database_url; default sqlite://keys.db in DATA_DIR, or the
    /// PostgreSQL database when database_url is PostgreSQL].
    #[arg(long, env = "CUSTODIA_KEY_DATABASE_URL")]
    pub key_database_url: Option<String>,
    /// File holding the master key [config: master_key_file; default
    /// $CREDENTIALS_DIRECTORY/master.key when systemd passes that credential, else
    /// DATA_DIR/master.key]. The key may instead be given in hex in CUSTODIA_MASTER_KEY.
    #[arg(long, env = "CUSTODIA_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// Append-only record of erasures (subject ids and times) that `custodia restore`
    /// re-applies; keep it where a restore does not overwrite it, ideally another disk
    /// [config: erasure_journal; default DATA_DIR/erasures.journal].
    #[arg(long, env = "CUSTODIA_ERASURE_JOURNAL")]
    pub erasure_journal: Option<PathBuf>,
    /// Reverse proxies (CIDRs, comma-separated) whose X-Forwarded-For / Forwarded
    /// and X-Forwarded-Proto headers name the client [config: trusted_proxies;
    /// default none: those headers are ignored].
    #[arg(long, env = "CUSTODIA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Option<Vec<String>>,
    /// Client addresses (CIDRs, comma-separated) that may read `/metrics`
    /// [config: metrics_allow; default loopback: 127.0.0.0/8, ::1/128].
    #[arg(long, env = "CUSTODIA_METRICS_ALLOW", value_delimiter = ',')]
    pub metrics_allow: Option<Vec<String>>,
    /// Log lines on standard error as `text` (coloured only on a terminal) or `json`
    /// (one object per line, for a log collector).
    #[arg(long, env = "CUSTODIA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How `serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The contents of `config.toml`. Relative paths are relative to the data directory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: String,
    pub database_url: String,
    pub register: PathBuf,
    pub master_key_file: PathBuf,
    #[serde(default)]
    pub key_database_url: Option<String>,
    /// The erasure journal (default `erasures.journal` in the data directory).
    #[serde(default)]
    pub erasure_journal: Option<PathBuf>,
    /// Base of the links Custodia puts in e-mails (default `http://LISTEN`) and of
    /// the unsubscribe and preferences links the API mints (required there).
    #[serde(default)]
    pub public_url: Option<String>,
    /// Outgoing mail for rights requests; without it letters wait in the outbox.
    #[serde(default)]
    pub smtp: Option<custodia_notify::SmtpConfig>,
    #[serde(default)]
    pub rights: RightsConfig,
    #[serde(default)]
    pub retention: RetentionConfig,
    #[serde(default)]
    pub breaches: BreachesConfig,
    #[serde(default)]
    pub audit: AuditConfig,
    /// Reverse proxies whose forwarding headers are believed (CIDRs).
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Clients that may read `/metrics` (CIDRs); loopback by default.
    #[serde(default = "FileConfig::default_metrics_allow")]
    pub metrics_allow: Vec<String>,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default)]
    pub staff: StaffConfig,
    #[serde(default)]
    pub statistics: StatisticsConfig,
    /// The company's databases the register's `[[datasets]]` name.
    #[serde(default)]
    pub connections: std::collections::BTreeMap<String, ConnectionConfig>,
}

/// `[connections.NAME]`: where a dataset lives. `url` serves both sides unless
/// `read_url` (access: a read-only account) or `write_url` (erasure) is given.
/// `CUSTODIA_CONNECTION_<NAME>_URL` (and `_READ_URL`, `_WRITE_URL`, `_SECRET`)
/// override them, so passwords need not be written in the file. An `https://` or
/// `http://` URL is a tool answering signed JSON questions, with `secret`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionConfig {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub read_url: Option<String>,
    #[serde(default)]
    pub write_url: Option<String>,
    /// For a tool reached over HTTP: the secret that signs each request
    /// (`Custodia-Signature`), at least 16 characters.
    #[serde(default)]
    pub secret: Option<String>,
}

/// A connection's two URLs, environment applied and SQLite paths resolved, and the
/// signing secret of a tool reached over HTTP.
#[derive(Clone, PartialEq)]
pub struct ConnectionUrls {
    pub read: String,
    pub write: String,
    pub secret: Option<String>,
}

// URLs may hold passwords: never printed.
impl std::fmt::Debug for ConnectionUrls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConnectionUrls { .. }")
    }
}

impl ConnectionConfig {
    fn resolve(&self, name: &str, dir: &Path) -> anyhow::Result<ConnectionUrls> {
        let env = |suffix: &str| {
            std::env::var(format!(
                "CUSTODIA_CONNECTION_{}_{suffix}",
                name.to_uppercase()
            ))
            .ok()
        };
        let url = env("URL").or_else(|| self.url.clone());
        let read = env("READ_URL")
            .or_else(|| self.read_url.clone())
            .or_else(|| url.clone());
        let write = env("WRITE_URL").or_else(|| self.write_url.clone()).or(url);
        let (Some(read), Some(write)) = (read, write) else {
            anyhow::bail!(
                "connections.{name}: give url (or read_url and write_url), in config.toml or CUSTODIA_CONNECTION_{}_URL",
                name.to_uppercase()
            );
        };
        Ok(ConnectionUrls {
            read: resolve_sqlite_url(dir, &read),
            write: resolve_sqlite_url(dir, &write),
            secret: env("SECRET").or_else(|| self.secret.clone()),
        })
    }
}

/// `[staff]`: sign-in rules for staff accounts and the access review's thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffConfig {
    /// Roles whose accounts must confirm a second factor (TOTP) before doing
    /// anything but enrol, e.g. `["dpo", "admin"]`.
    #[serde(default)]
    pub require_second_factor: Vec<String>,
    /// An account or API key not used for this many days is flagged (default 90).
    #[serde(default = "StaffConfig::default_unused")]
    pub unused_after_days: u32,
    /// A new access review is due this many months after the last (default 3).
    #[serde(default = "StaffConfig::default_review")]
    pub review_every_months: u32,
}

impl StaffConfig {
    fn default_unused() -> u32 {
        90
    }

    fn default_review() -> u32 {
        3
    }

    fn settings(&self) -> anyhow::Result<custodia_core::access_review::ReviewSettings> {
        if self.unused_after_days == 0 || self.unused_after_days > 3660 {
            anyhow::bail!(
                "staff.unused_after_days: `{}` must be 1 to 3660 days",
                self.unused_after_days
            );
        }
        if self.review_every_months == 0 || self.review_every_months > 120 {
            anyhow::bail!(
                "staff.review_every_months: `{}` must be 1 to 120 months",
                self.review_every_months
            );
        }
        Ok(custodia_core::access_review::ReviewSettings {
            unused_after_days: self.unused_after_days,
            review_every_months: self.review_every_months,
        })
    }
}

/// `[statistics]`: what the export suppresses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsConfig {
    /// A cell counting fewer people than this is left empty in the CSV export
    /// (default 5).
    #[serde(default = "StatisticsConfig::default_k")]
    pub k_anonymity: u32,
}

impl StatisticsConfig {
    fn default_k() -> u32 {
        5
    }
}

impl Default for StatisticsConfig {
    fn default() -> Self {
        StatisticsConfig {
            k_anonymity: StatisticsConfig::default_k(),
        }
    }
}

impl Default for StaffConfig {
    fn default() -> Self {
        StaffConfig {
            require_second_factor: Vec::new(),
            unused_after_days: StaffConfig::default_unused(),
            review_every_months: StaffConfig::default_review(),
        }
    }
}

/// `[audit]`: where audit checkpoints go besides the key store.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// `{ file = "...", url = "...", secret = "..." }`: an append-only file and/or a
    /// webhook receiving every signed checkpoint.
    #[serde(default)]
    pub witness: Option<custodia_core::checkpoints::Witness>,
}

/// `[http]`: limits on connections, against slow and greedy clients.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Seconds a client has to send a request's headers; a keep-alive connection
    /// idle this long is closed too.
    #[serde(default = "HttpConfig::default_header_timeout")]
    pub header_timeout_seconds: f64,
    /// Connections open at once per client address (trusted proxies excepted).
    #[serde(default = "HttpConfig::default_max_connections")]
    pub max_connections_per_address: usize,
}

impl HttpConfig {
    fn default_header_timeout() -> f64 {
        10.0
    }

    fn default_max_connections() -> usize {
        128
    }

    pub fn settings(&self) -> anyhow::Result<custodia_server::HttpSettings> {
        let seconds = self.header_timeout_seconds;
        let header_timeout = std::time::Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|d| !d.is_zero() && d.as_secs() <= 3600)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "http.header_timeout_seconds: `{seconds}` must be a number of seconds above 0, at most 3600"
                )
            })?;
        if self.max_connections_per_address == 0 {
            anyhow::bail!("http.max_connections_per_address: must be at least 1");
        }
        Ok(custodia_server::HttpSettings {
            header_timeout,
            max_connections_per_address: self.max_connections_per_address,
        })
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            header_timeout_seconds: HttpConfig::default_header_timeout(),
            max_connections_per_address: HttpConfig::default_max_connections(),
        }
    }
}

/// `[retention]`: the server's sweep schedule.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// Minutes between sweeps, the first one an interval after start; 0 turns the
    /// schedule off (then run `custodia retention run` from cron, or
    /// `POST /v1/retention/run`). Instances sharing a PostgreSQL database take turns
    /// (a lease in the database).
    #[serde(default = "RetentionConfig::default_interval")]
    pub interval_minutes: f64,
}

impl RetentionConfig {
    fn default_interval() -> f64 {
        60.0
    }

    /// Time between sweeps; `None` when the schedule is off.
    pub fn interval(&self) -> anyhow::Result<Option<std::time::Duration>> {
        let minutes = self.interval_minutes;
        if !minutes.is_finite() || minutes < 0.0 {
            anyhow::bail!(
                "retention.interval_minutes: `{minutes}` must be 0 (off) or a positive number of minutes"
            );
        }
        if minutes == 0.0 {
            return Ok(None);
        }
        std::time::Duration::try_from_secs_f64(minutes * 60.0)
            .map(Some)
            .map_err(|_| anyhow::anyhow!("retention.interval_minutes: `{minutes}` is too large"))
    }
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            interval_minutes: RetentionConfig::default_interval(),
        }
    }
}

/// `[breaches]`: the breach register's clock.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreachesConfig {
    /// Hours from awareness within which the supervisory authority must be notified
    /// (Art. 33(1): 72); a breach with no authority decision by then is overdue.
    #[serde(default = "BreachesConfig::default_hours")]
    pub notify_within_hours: i64,
}

impl BreachesConfig {
    fn default_hours() -> i64 {
        i64::from(custodia_core::breach::DEFAULT_NOTIFY_WITHIN_HOURS)
    }

    /// The checked number of hours.
    pub fn hours(&self) -> anyhow::Result<u32> {
        let h = self.notify_within_hours;
        match u32::try_from(h) {
            Ok(hours @ 1..=8760) => Ok(hours),
            _ => anyhow::bail!(
                "breaches.notify_within_hours: `{h}` must be a number of hours from 1 to 8760 (the GDPR says 72)"
            ),
        }
    }
}

impl Default for BreachesConfig {
    fn default() -> Self {
        BreachesConfig {
            notify_within_hours: BreachesConfig::default_hours(),
        }
    }
}

/// `[rights]`: deadlines and the Art. 19 notice channels.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightsConfig {
    /// Country whose public holidays move deadlines (default: the controller's).
    #[serde(default)]
    pub holidays: Option<String>,
    /// Extra non-working days, `YYYY-MM-DD`.
    #[serde(default)]
    pub extra_holidays: Vec<String>,
    /// Years an address stays on the marketing opposition list (default 3).
    #[serde(default)]
    pub opposition_years: Option<u32>,
    /// Per register recipient id: `{ webhook = { url, secret } }` or `{ email = { address } }`.
    #[serde(default)]
    pub recipients: std::collections::BTreeMap<String, custodia_core::rights::RecipientChannel>,
    /// Seconds before a request a dataset left partly done is completed again
    /// (default 30); the wait doubles after each failure, up to 6 hours, 12 times.
    #[serde(default)]
    pub dataset_retry_seconds: Option<f64>,
}

impl RightsConfig {
    /// `dataset_retry_seconds` as the outbox's schedule for dataset retries.
    pub fn dataset_retry(&self) -> anyhow::Result<custodia_notify::Backoff> {
        let mut backoff = custodia_notify::Backoff::default();
        if let Some(seconds) = self.dataset_retry_seconds {
            if !seconds.is_finite() || !(0.1..=21_600.0).contains(&seconds) {
                anyhow::bail!(
                    "rights.dataset_retry_seconds: `{seconds}` must be between 0.1 and 21600 (6 hours)"
                );
            }
            backoff.first = time::Duration::seconds_f64(seconds);
        }
        Ok(backoff)
    }
}

impl Default for FileConfig {
    fn default() -> Self {
        FileConfig {
            listen: "127.0.0.1:8080".to_owned(),
            database_url: "sqlite://custodia.db".to_owned(),
            register: PathBuf::from(crate::init::REGISTER_FILE),
            master_key_file: PathBuf::from(crate::init::KEY_FILE),
            key_database_url: None,
            erasure_journal: None,
            public_url: None,
            smtp: None,
            rights: RightsConfig::default(),
            retention: RetentionConfig::default(),
            breaches: BreachesConfig::default(),
            audit: AuditConfig::default(),
            trusted_proxies: Vec::new(),
            metrics_allow: FileConfig::default_metrics_allow(),
            http: HttpConfig::default(),
            staff: StaffConfig::default(),
            statistics: StatisticsConfig::default(),
            connections: Default::default(),
        }
    }
}

impl FileConfig {
    fn default_metrics_allow() -> Vec<String> {
        vec!["127.0.0.0/8".to_owned(), "::1/128".to_owned()]
    }

    pub fn render_default() -> String {
        let d = FileConfig::default();
        format!(
            "# Custodia configuration. CUSTODIA_* environment variables and command-line\n\
             # flags override these values; relative paths are relative to this directory.\n\n\
             # Address to listen on. Put a TLS-terminating proxy in front for the Internet.\n\
             listen = \"{}\"\n\n\
             # Embedded SQLite (default) or PostgreSQL: \"postgres://user:password@host/db\".\n\
             database_url = \"{}\"\n\n\
             # The register of processing: edit it, `custodia register check` it, restart.\n\
             register = \"{}\"\n\n\
             # 256-bit master key (mode 0600). Back it up apart from the database: without\n\
             # it, encrypted personal data cannot be read.\n\
             master_key_file = \"{}\"\n\n\
             # Where subjects' data keys live. Default: keys.db beside the database for\n\
             # SQLite, the same database for PostgreSQL. Back it up on a short cycle:\n\
             # an erased subject stays readable in key backups until they expire.\n\
             # key_database_url = \"sqlite://keys.db\"\n\n\
             # Every erasure is recorded here (subject id and time, nothing else) before\n\
             # its key is destroyed; `custodia restore` erases them again after restoring\n\
             # a backup. Put it on another disk than the databases and backups.\n\
             # erasure_journal = \"erasures.journal\"\n\n\
             # The address people reach Custodia at: the base of every link in e-mails and\n\
             # of unsubscribe and preferences links (required to mint those).\n\
             # public_url = \"https://privacy.example.org\"\n\n\
             # Behind a reverse proxy, list its addresses (CIDRs) so that rate limits,\n\
             # consent proofs and the audit see each client's address (taken from\n\
             # X-Forwarded-For, else Forwarded); from any other peer those headers are\n\
             # ignored. Env: CUSTODIA_TRUSTED_PROXIES=\"127.0.0.1/32,::1/128\".\n\
             # trusted_proxies = [\"127.0.0.1/32\", \"::1/128\"]\n\n\
             # Who may read /metrics (Prometheus text): the client's address as above.\n\
             # Env: CUSTODIA_METRICS_ALLOW=\"127.0.0.0/8,::1/128,10.0.0.0/8\".\n\
             # metrics_allow = [\"127.0.0.0/8\", \"::1/128\"]\n\n\
             # Retention: the server carries out the register's retention rules every\n\
             # interval (minutes; 0 turns it off). See `custodia retention run --help`.\n\
             # [retention]\n\
             # interval_minutes = 60\n\n\
             # Breaches: hours from awareness to notify the supervisory authority (Art. 33).\n\
             # [breaches]\n\
             # notify_within_hours = 72\n\n\
             # Access review: accounts and API keys unused this long are flagged; a\n\
             # review is due this many months after the last one.\n\
             # [staff]\n\
             # unused_after_days = 90\n\
             # review_every_months = 3\n\n\
             # Statistics export: counts of fewer people than this are left empty.\n\
             # [statistics]\n\
             # k_anonymity = 5\n\n\
             # Audit checkpoints (signed (seq, head) of the audit log) are kept in the key\n\
             # store; a witness also receives each one, so that even a holder of the\n\
             # master key cannot cut the log unnoticed (`custodia audit verify --witness`).\n\
             # [audit]\n\
             # witness = {{ file = \"/mnt/append-only/custodia-checkpoints.jsonl\" }}\n\
             # witness = {{ url = \"https://witness.example.org/custodia\", secret = \"...\" }}\n\n\
             # Connections: seconds a client has to send a request's headers (a keep-alive\n\
             # connection idle that long is closed too), connections per client address.\n\
             # [http]\n\
             # header_timeout_seconds = 10\n\
             # max_connections_per_address = 128\n",
            d.listen,
            d.database_url,
            d.register.display(),
            d.master_key_file.display()
        )
    }

    pub fn read(data_dir: &Path) -> anyhow::Result<FileConfig> {
        let path = data_dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .with_context(|| format!("{}: invalid configuration", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(crate::init::missing(&path, "the configuration", data_dir))
            }
            Err(e) => Err(e).with_context(|| format!("{}: cannot read", path.display())),
        }
    }
}

/// The settings the server runs with: every path resolved, every value parsed and
/// checked ([`Settings::resolve`] fails on the first bad one, naming it).
pub struct Settings {
    pub key_database_url: String,
    /// None: `http://` and the address actually bound.
    pub public_url: Option<String>,
    /// Built from `[smtp]`; None without one (letters wait in the outbox).
    pub mailer: Option<custodia_notify::Mailer>,
    pub rights: RightsConfig,
    /// `rights.extra_holidays`, parsed.
    pub extra_holidays: Vec<time::Date>,
    /// Time between retention sweeps; None when the schedule is off.
    pub sweep_every: Option<std::time::Duration>,
    /// `[breaches] notify_within_hours`, checked.
    pub breach_notify_hours: u32,
    /// Witness file resolved against the data directory.
    pub witness: custodia_core::checkpoints::Witness,
    pub trusted_proxies: custodia_server::client::TrustedProxies,
    pub metrics_allow: custodia_server::client::Networks,
    pub http: custodia_server::HttpSettings,
    /// `staff.require_second_factor`: role names, each once (checked against the
    /// register's roles when the register is read).
    pub require_second_factor: Vec<String>,
    /// `[staff]`, checked.
    pub review: custodia_core::access_review::ReviewSettings,
    /// `[statistics] k_anonymity`, at least 1.
    pub k_anonymity: u32,
    pub listen: String,
    pub register: PathBuf,
    pub database_url: String,
    pub master_key_file: PathBuf,
    /// The erasure journal, resolved against the data directory.
    pub erasure_journal: PathBuf,
    /// `[connections]`, resolved.
    pub connections: std::collections::BTreeMap<String, ConnectionUrls>,
    /// `rights.dataset_retry_seconds`, checked.
    pub dataset_retry: custodia_notify::Backoff,
}

impl Settings {
    /// Layers flags and environment over `file`, resolves paths and checks every
    /// value: nothing is created or printed before this has passed.
    pub fn resolve(args: &ServeArgs, file: FileConfig) -> anyhow::Result<Settings> {
        let dir = &args.data_dir;
        let database_url = args.database_url.clone().unwrap_or(file.database_url);
        let kind = database_kind("database_url", &database_url)?;
        let key_database_url = args
            .key_database_url
            .clone()
            .or(file.key_database_url)
            .unwrap_or_else(|| {
                if kind == DatabaseKind::Postgres {
                    database_url.clone()
                } else {
                    "sqlite://keys.db".to_owned()
                }
            });
        database_kind("key_database_url", &key_database_url)?;
        let listen = args.listen.clone().unwrap_or(file.listen);
        check_listen(&listen)?;
        let trusted_proxies = args.trusted_proxies.clone().unwrap_or(file.trusted_proxies);
        let trusted_proxies = custodia_server::client::TrustedProxies::parse(&trusted_proxies)
            .map_err(|e| {
                anyhow::anyhow!("trusted_proxies (config.toml or CUSTODIA_TRUSTED_PROXIES): {e}")
            })?;
        let metrics_allow = args.metrics_allow.clone().unwrap_or(file.metrics_allow);
        let metrics_allow =
            custodia_server::client::Networks::parse(&metrics_allow).map_err(|e| {
                anyhow::anyhow!("metrics_allow (config.toml or CUSTODIA_METRICS_ALLOW): {e}")
            })?;
        let mailer = file
            .smtp
            .as_ref()
            .map(custodia_notify::Mailer::new)
            .transpose()
            .map_err(|e| anyhow::anyhow!("smtp: {e}"))?;
        let date = time::macros::format_description!("[year]-[month]-[day]");
        let extra_holidays = file
            .rights
            .extra_holidays
            .iter()
            .map(|d| {
                time::Date::parse(d, &date).with_context(|| {
                    format!("rights.extra_holidays: `{d}` is not a YYYY-MM-DD date")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let witness = file
            .audit
            .witness
            .map(|mut w| {
                w.file = w.file.map(|f| dir.join(f));
                w
            })
            .unwrap_or_default();
        // The URL may carry a token: never repeat it.
        if let Some(url) = &witness.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                anyhow::bail!("audit.witness.url: must start with https:// or http://");
            }
            if witness.secret.as_deref().is_none_or(str::is_empty) {
                anyhow::bail!(
                    "audit.witness.secret: required with audit.witness.url (the receiver checks each checkpoint's Custodia-Signature with it)"
                );
            }
        }
        let mut require_second_factor = Vec::new();
        for role in file.staff.require_second_factor.clone() {
            let role = role.trim().to_owned();
            if role.is_empty() || require_second_factor.contains(&role) {
                anyhow::bail!(
                    "staff.require_second_factor: `{role}` is empty or listed twice; list role names such as \"dpo\", \"admin\""
                );
            }
            require_second_factor.push(role);
        }
        let connections = file
            .connections
            .iter()
            .map(|(name, c)| Ok((name.clone(), c.resolve(name, dir)?)))
            .collect::<anyhow::Result<_>>()?;
        Ok(Settings {
            connections,
            dataset_retry: file.rights.dataset_retry()?,
            require_second_factor,
            key_database_url: resolve_sqlite_url(dir, &key_database_url),
            public_url: file.public_url,
            mailer,
            extra_holidays,
            sweep_every: file.retention.interval()?,
            breach_notify_hours: file.breaches.hours()?,
            http: file.http.settings()?,
            review: file.staff.settings()?,
            k_anonymity: match file.statistics.k_anonymity {
                0 => anyhow::bail!("statistics.k_anonymity: must be at least 1 (5 by default)"),
                k => k,
            },
            rights: file.rights,
            witness,
            trusted_proxies,
            metrics_allow,
            listen,
            register: args
                .register
                .clone()
                .unwrap_or_else(|| dir.join(file.register)),
            database_url: resolve_sqlite_url(dir, &database_url),
            master_key_file: args
                .master_key_file
                .clone()
                .or_else(credential_key)
                .unwrap_or_else(|| dir.join(file.master_key_file)),
            erasure_journal: args.erasure_journal.clone().unwrap_or_else(|| {
                dir.join(
                    file.erasure_journal
                        .unwrap_or_else(|| PathBuf::from(ERASURE_JOURNAL)),
                )
            }),
        })
    }

    /// Whether the master key comes from somewhere else than the data directory
    /// (a flag, the environment, a systemd credential): a new data directory
    /// then gets no key file of its own.
    pub fn master_key_elsewhere(args: &ServeArgs) -> bool {
        args.master_key_file.is_some()
            || std::env::var_os("CUSTODIA_MASTER_KEY").is_some()
            || credential_key().is_some()
    }

    /// Checks the settings `serve` would run with in `args.data_dir`, before
    /// anything is created there: `config.toml` when present, else the defaults a
    /// new installation gets (with the flags and environment over them).
    pub fn check_before_init(args: &ServeArgs) -> anyhow::Result<()> {
        let file = if args.data_dir.join(CONFIG_FILE).exists() {
            FileConfig::read(&args.data_dir)?
        } else {
            FileConfig::default()
        };
        Settings::resolve(args, file).map(drop)
    }
}

/// The credential systemd passes to a unit with `LoadCredential[Encrypted]=master.key:...`
/// (and to a command run with `systemd-run -p LoadCredential...`).
fn credential_key() -> Option<PathBuf> {
    let dir = std::env::var_os("CREDENTIALS_DIRECTORY")?;
    Some(PathBuf::from(dir).join(crate::init::KEY_FILE)).filter(|p| p.exists())
}

/// The database backends a URL can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// The backend `url` names; `field` says which setting it came from.
pub fn database_kind(field: &str, url: &str) -> anyhow::Result<DatabaseKind> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DatabaseKind::Postgres)
    } else if url.starts_with("sqlite:") {
        Ok(DatabaseKind::Sqlite)
    } else {
        anyhow::bail!(
            "{field}: `{}` must start with sqlite:// or postgres://",
            crate::context::redact(url)
        )
    }
}

/// `listen` is `HOST:PORT` (a name or an address; the name is resolved at bind).
fn check_listen(listen: &str) -> anyhow::Result<()> {
    let port = listen
        .rsplit_once(':')
        .map(|(host, port)| (host, port.parse::<u16>()));
    match port {
        Some((host, Ok(_))) if !host.is_empty() => Ok(()),
        _ => anyhow::bail!("listen: `{listen}` must be HOST:PORT, e.g. 127.0.0.1:8080"),
    }
}

/// A relative SQLite path is taken relative to the data directory.
fn resolve_sqlite_url(data_dir: &Path, url: &str) -> String {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"));
    match path {
        Some(p) if !Path::new(p).is_absolute() => {
            format!("sqlite://{}", data_dir.join(p).display())
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_sqlite_paths_live_in_the_data_dir() {
        let dir = Path::new("/srv/custodia");
        assert_eq!(
            resolve_sqlite_url(dir, "sqlite://db.sqlite"),
            "sqlite:///srv/custodia/db.sqlite"
        );
        assert_eq!(
            resolve_sqlite_url(dir, "sqlite:///var/x.db"),
            "sqlite:///var/x.db"
        );
        assert_eq!(
            resolve_sqlite_url(dir, "postgres://u@h/db"),
            "postgres://u@h/db"
        );
    }

    #[test]
    fn the_retention_interval_is_checked() {
        let config = |minutes| RetentionConfig {
            interval_minutes: minutes,
        };
        assert_eq!(config(0.0).interval().unwrap(), None);
        assert_eq!(
            config(0.5).interval().unwrap(),
            Some(std::time::Duration::from_secs(30))
        );
        let bad = config(-1.0).interval().unwrap_err().to_string();
        assert!(bad.starts_with("retention.interval_minutes:"), "{bad}");
        assert!(config(f64::NAN).interval().is_err());
    }

    #[test]
    fn the_access_review_settings_are_checked() {
        let config = |days, months| StaffConfig {
            unused_after_days: days,
            review_every_months: months,
            ..StaffConfig::default()
        };
        assert_eq!(
            config(90, 3).settings().unwrap(),
            custodia_core::access_review::ReviewSettings::default()
        );
        let bad = config(0, 3).settings().unwrap_err().to_string();
        assert!(bad.starts_with("staff.unused_after_days:"), "{bad}");
        let bad = config(90, 0).settings().unwrap_err().to_string();
        assert!(bad.starts_with("staff.review_every_months:"), "{bad}");
    }

    #[test]
    fn default_config_file_parses_to_the_defaults() {
        let parsed: FileConfig = toml::from_str(&FileConfig::render_default()).unwrap();
        assert_eq!(parsed, FileConfig::default());
    }
}
