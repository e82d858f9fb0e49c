//! Everything a command needs to act on an installation: settings, the register,
//! the stores, the master keys and the services built on them. `serve` and the
//! admin commands (`users`, `apikeys`, `audit`, `keys`) open it the same way.

use crate::config::{DatabaseKind, FileConfig, ServeArgs, Settings, database_kind};
use anyhow::Context as _;
use custodia_core::audit::{AuditAction, AuditRecord};
use custodia_core::checkpoints::Checkpointer;
use custodia_core::consent::{Catalog, ConsentBook};
use custodia_core::erasure_journal::{ErasureJournal, JournaledKeys};
use custodia_core::keyring::Keyring;
use custodia_core::retention::sweep::Retention;
use custodia_core::staff::Staff;
use custodia_core::vault::Vault;
use custodia_core::writer::Writer;
use custodia_core::{Clock, SystemClock};
use custodia_crypto::{AuditKey, MasterKey};
use custodia_register::ValidRegister;
use custodia_store::{KeyStore, Store};
use std::path::Path;
use std::sync::Arc;

pub struct Context {
    pub settings: Settings,
    pub register: Arc<ValidRegister>,
    pub store: Arc<dyn Store>,
    /// The key store, recording every destroyed data key in the erasure journal first.
    pub keys: Arc<dyn KeyStore>,
    /// The same key store without the journal: for re-applying the journal itself.
    pub unjournaled_keys: Arc<dyn KeyStore>,
    pub keyring: Arc<Keyring>,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<Vault>,
    pub staff: Arc<Staff>,
    /// Consent state for decisions; empty until [`ConsentBook::load`] (only the
    /// server needs it), then kept current by the writer.
    pub book: Arc<ConsentBook>,
    pub writer: Writer,
    pub retention: Arc<Retention>,
    pub audit_key: Arc<AuditKey>,
    /// Signs checkpoints of the audit log; `serve` runs it, commands [`Context::close`].
    pub checkpointer: Arc<Checkpointer>,
}

/// Settings and the validated register; `Err` carries the diagnostics to print.
pub fn settings(args: &ServeArgs) -> anyhow::Result<Result<(Settings, ValidRegister), String>> {
    let settings = Settings::resolve(args, FileConfig::read(&args.data_dir)?)?;
    if !settings.register.exists() {
        return Err(crate::init::missing(
            &settings.register,
            "the register of processing",
            &args.data_dir,
        ));
    }
    Ok(match custodia_register::load(&settings.register) {
        Ok(register) => {
            for warning in register.warnings() {
                tracing::warn!(target: "custodia::register", "{warning}");
            }
            Ok((settings, register))
        }
        Err(e) => Err(e.to_string()),
    })
}

pub fn keyring(settings: &Settings) -> anyhow::Result<Keyring> {
    if let Ok(hex) = std::env::var("CUSTODIA_MASTER_KEY") {
        return Ok(Keyring::from_key(MasterKey::from_hex(
            "CUSTODIA_MASTER_KEY",
            &hex,
        )?));
    }
    if !settings.master_key_file.exists() {
        anyhow::bail!(
            "{}: the master key is missing; restore it from your backup (without it the \
             encrypted data cannot be read). `custodia init` creates one only for a new \
             installation",
            settings.master_key_file.display()
        );
    }
    Ok(Keyring::from_file(&settings.master_key_file)?)
}

pub fn sqlite_path(url: &str) -> Option<&Path> {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(Path::new)
}

pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match database_kind("database_url", url)? {
        DatabaseKind::Postgres => {
            Arc::new(custodia_store_postgres::PostgresStore::connect(url).await?)
        }
        // One process owns an embedded database's subjects, so its reads can be cached.
        DatabaseKind::Sqlite => Arc::new(custodia_store::cache::CachingStore::new(
            custodia_store_sqlite::SqliteStore::open_url(url).await?,
        )),
    })
}

pub async fn open_key_store(url: &str) -> anyhow::Result<Arc<dyn KeyStore>> {
    Ok(match database_kind("key_database_url", url)? {
        DatabaseKind::Postgres => {
            Arc::new(custodia_store_postgres::PostgresKeyStore::connect(url).await?)
        }
        DatabaseKind::Sqlite => {
            let path = sqlite_path(url).context("key_database_url: no SQLite path")?;
            Arc::new(custodia_store::cache::CachingKeyStore::new(
                custodia_store_sqlite::SqliteKeyStore::open(path).await?,
            ))
        }
    })
}

/// Drops the password from a database URL before it reaches a message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

impl Context {
    pub async fn open(settings: Settings, register: ValidRegister) -> anyhow::Result<Context> {
        let keyring = Arc::new(keyring(&settings)?);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        // Opened first: no key may be destroyed without its line in the journal.
        let journal = Arc::new(
            ErasureJournal::open(&settings.erasure_journal)
                .context("erasure_journal (config.toml or CUSTODIA_ERASURE_JOURNAL)")?,
        );
        let store = open_store(&settings.database_url).await?;
        let unjournaled_keys = open_key_store(&settings.key_database_url).await?;
        let keys: Arc<dyn KeyStore> = Arc::new(JournaledKeys::new(
            Arc::clone(&unjournaled_keys),
            journal,
            Arc::clone(&clock),
        ));
        let register = Arc::new(register);
        let book = Arc::new(ConsentBook::new(Arc::new(Catalog::new(&register))));
        let audit_key = Arc::new(
            custodia_core::audit::open_key(keys.as_ref(), &keyring)
                .await
                .context("opening the audit key")?,
        );
        // Before any keyed entry: a checkpoint of the log as it is.
        let anchor =
            custodia_core::audit::anchor(store.as_ref(), keys.as_ref(), &audit_key, clock.now())
                .await
                .context("anchoring the audit log")?;
        let writer = Writer::start_observed(
            Arc::clone(&store),
            Arc::clone(&keys),
            Arc::clone(&audit_key),
            book.clone(),
        )
        .await
        .context("starting the writer")?;
        if let Some(entries) = anchor.anchored_unkeyed {
            let record =
                AuditRecord::new(clock.now(), "system:audit", AuditAction::AuditAnchor, "ok").detail(format!(
                    "entries 1-{entries} carry unkeyed links; a signed checkpoint of entry {entries} now fixes them"
                ));
            writer
                .audit(record)
                .await
                .context("auditing the anchor of the audit log")?;
        }
        let checkpointer = Arc::new(Checkpointer::new(
            Arc::clone(&keys),
            Arc::clone(&audit_key),
            Arc::clone(&clock),
            writer.clone(),
            anchor.keyed_from,
            settings.witness.clone(),
        ));
        let vault = Vault::open(
            Arc::clone(&store),
            Arc::clone(&keys),
            writer.clone(),
            Arc::clone(&keyring),
            Arc::clone(&register),
            Arc::clone(&clock),
        )
        .await
        .context("opening the vault")?;
        let mut staff = Staff::new(
            Arc::clone(&store),
            writer.clone(),
            Arc::clone(&register),
            Arc::clone(&clock),
        )
        .with_review_settings(settings.review);
        staff
            .configure_second_factor(keys.as_ref(), &keyring, &settings.require_second_factor)
            .await
            .context("setting up staff second factors")?;
        let retention = Retention::new(
            Arc::clone(&store),
            Arc::clone(&keys),
            writer.clone(),
            &register,
            Arc::clone(&clock),
        );
        // Only a holder of the serve lock sweeps an embedded database (`serve`, or
        // `retention run` without a server).
        let retention = if sqlite_path(&settings.database_url).is_some() {
            retention.locked_elsewhere()
        } else {
            retention
        };
        let staff = Arc::new(staff);
        // A key revoked or an account disabled through another instance stops working
        // here as soon as its change is read.
        let cached = Arc::downgrade(&staff);
        writer.following().on_credentials_changed(move || {
            if let Some(staff) = cached.upgrade() {
                staff.clear_caches();
            }
        });
        Ok(Context {
            retention: Arc::new(retention),
            settings,
            register,
            store,
            keys,
            unjournaled_keys,
            keyring,
            clock,
            vault: Arc::new(vault),
            staff,
            book,
            writer,
            audit_key,
            checkpointer,
        })
    }

    /// Checkpoints the audit log as this command leaves it.
    pub async fn close(&self) {
        self.checkpointer.flush().await;
    }
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
