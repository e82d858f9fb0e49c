//! `custodia backup`, `custodia backup verify` and `custodia restore`.
//!
//! A backup directory holds `manifest.json` (format, when, Custodia's version, the
//! store kind, the audit head, the SHA-256 of every file), `register.toml`,
//! `config.toml` and, on SQLite, `custodia.db` and `keys.db` copied online (the data
//! database first, then the key store: a subject erased in between is erased again by
//! the journal; a checkpoint signed in between is dropped from the copy). Never the
//! master key, nor the erasure journal. On PostgreSQL the operator dumps the
//! databases with `pg_dump`.
//!
//! `restore` puts the files back (the previous ones kept aside until it succeeded),
//! then erases again everyone the erasure journal names, so a restored installation
//! never shows a person erased after the backup.

use crate::config::{CONFIG_FILE, DatabaseKind, FileConfig, ServeArgs, Settings, database_kind};
use crate::context::{Context, redact, sqlite_path};
use crate::progress::Progress;
use anyhow::Context as _;
use clap::Subcommand;
use custodia_core::audit::{AuditAction, AuditRecord, Verdict};
use custodia_core::erasure_journal::{self, RESTORE_PRINCIPAL};
use custodia_core::keyring::Keyring;
use custodia_core::{Clock, SystemClock};
use custodia_store::Store as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;

pub const MANIFEST: &str = "manifest.json";
const FORMAT: u32 = 1;
const DATA_FILE: &str = "custodia.db";
const KEYS_FILE: &str = "keys.db";
const REGISTER_FILE: &str = "register.toml";

#[derive(clap::Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,
    /// Directory to write the backup to (created; must be new or empty).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub args: ServeArgs,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Check a backup: every file against the manifest's SHA-256, then (SQLite) open
    /// copies of its databases and verify their audit log with this installation's
    /// master key. The backup itself is never modified.
    Verify {
        dir: PathBuf,
        #[command(flatten)]
        args: ServeArgs,
    },
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A directory written by `custodia backup`.
    pub dir: PathBuf,
    /// Another erasure journal to re-apply (on PostgreSQL, each instance's own);
    /// the configured one is always read.
    #[arg(long = "journal")]
    pub journals: Vec<PathBuf>,
    /// Restore although the configured erasure journal is missing: people erased
    /// after the backup was taken come back.
    #[arg(long)]
    pub without_journal: bool,
    #[command(flatten)]
    pub args: ServeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoreKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Serialize, Deserialize)]
struct AuditHead {
    seq: i64,
    hash: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: u32,
    /// RFC 3339; the data database was copied as of an instant just after.
    taken_at: String,
    custodia_version: String,
    store: StoreKind,
    /// The last entry of the copied audit log (SQLite; PostgreSQL: the live log's
    /// when the files were written, the dump comes after).
    audit_head: Option<AuditHead>,
    /// File name in the directory → SHA-256 (hex).
    files: BTreeMap<String, String>,
}

pub fn backup(command: BackupArgs) -> anyhow::Result<ExitCode> {
    match command {
        BackupArgs {
            command: Some(BackupCommand::Verify { dir, args }),
            ..
        } => verify(&dir, &args),
        BackupArgs {
            command: None,
            out: Some(out),
            args,
        } => take(&out, &args),
        BackupArgs { out: None, .. } => {
            anyhow::bail!("--out DIR: say where to write the backup (or `backup verify DIR`)")
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Settings with the register checked; `Err` when the register has problems (printed).
fn settings(args: &ServeArgs) -> anyhow::Result<Result<Settings, ExitCode>> {
    Ok(match crate::context::settings(args)? {
        Ok((settings, _)) => Ok(settings),
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            Err(ExitCode::FAILURE)
        }
    })
}

fn store_kind(settings: &Settings) -> anyhow::Result<StoreKind> {
    let data = database_kind("database_url", &settings.database_url)?;
    let keys = database_kind("key_database_url", &settings.key_database_url)?;
    match (data, keys) {
        (DatabaseKind::Sqlite, DatabaseKind::Sqlite) => Ok(StoreKind::Sqlite),
        (DatabaseKind::Postgres, DatabaseKind::Postgres) => Ok(StoreKind::Postgres),
        _ => anyhow::bail!(
            "database_url and key_database_url: one is SQLite, the other PostgreSQL; backups cover both on SQLite or both on PostgreSQL"
        ),
    }
}

fn sqlite_file(url: &str, setting: &str) -> anyhow::Result<PathBuf> {
    sqlite_path(url)
        .map(Path::to_path_buf)
        .with_context(|| format!("{setting}: no SQLite path"))
}

/// Creates the backup directory (0700), refusing one that holds anything.
fn create_out(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out)
            .with_context(|| format!("{}: cannot read the directory", out.display()))?;
        if entries.next().is_some() {
            anyhow::bail!(
                "{}: not empty; give a new directory for each backup",
                out.display()
            );
        }
    } else {
        std::fs::create_dir_all(out)
            .with_context(|| format!("{}: cannot create the directory", out.display()))?;
    }
    set_mode(out, 0o700)
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("{}: cannot set its mode to {mode:o}", path.display()))
}

/// Copies a file and flushes the copy to disk (0600).
fn copy_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    set_mode(to, 0o600)?;
    sync(to)
}

fn sync(path: &Path) -> anyhow::Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("{}: cannot flush to disk", path.display()))
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Copies a live SQLite database into the backup with its progress.
fn copy_database(from: &Path, to: &Path, name: &str) -> anyhow::Result<()> {
    let bar = Progress::new(format!("backup {name}"), "pages", None);
    let mut sized = false;
    custodia_store_sqlite::backup::copy_online(from, to, &mut |done, total| {
        if !sized {
            bar.set_total(total);
            sized = true;
        }
        bar.set(done);
    })
    .with_context(|| format!("{}: cannot back up the database", from.display()))?;
    bar.finish();
    set_mode(to, 0o600)?;
    sync(to)
}

fn take(out: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = match settings(args)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let kind = store_kind(&settings)?;
    create_out(out)?;
    let taken_at = SystemClock.now();
    let audit_head = match kind {
        StoreKind::Sqlite => {
            let data = sqlite_file(&settings.database_url, "database_url")?;
            let keys = sqlite_file(&settings.key_database_url, "key_database_url")?;
            // Data first, keys second: see the module's comment.
            copy_database(&data, &out.join(DATA_FILE), DATA_FILE)?;
            copy_database(&keys, &out.join(KEYS_FILE), KEYS_FILE)?;
            let head = custodia_store_sqlite::backup::audit_head(&out.join(DATA_FILE))?;
            custodia_store_sqlite::backup::drop_checkpoints_after(
                &out.join(KEYS_FILE),
                head.as_ref().map(|(seq, _)| *seq),
            )?;
            sync(&out.join(KEYS_FILE))?;
            head
        }
        StoreKind::Postgres => runtime()?.block_on(async {
            let store = crate::context::open_store(&settings.database_url).await?;
            anyhow::Ok(store.audit_head().await?)
        })?,
    };
    copy_file(&settings.register, &out.join(REGISTER_FILE))?;
    let config = args.data_dir.join(CONFIG_FILE);
    if config.exists() {
        copy_file(&config, &out.join(CONFIG_FILE))?;
    }
    let mut files = BTreeMap::new();
    for name in [DATA_FILE, KEYS_FILE, REGISTER_FILE, CONFIG_FILE] {
        let path = out.join(name);
        if path.exists() {
            files.insert(name.to_owned(), sha256_file(&path)?);
        }
    }
    let manifest = Manifest {
        format: FORMAT,
        taken_at: taken_at.format(&Rfc3339)?,
        custodia_version: env!("CARGO_PKG_VERSION").to_owned(),
        store: kind,
        audit_head: audit_head.map(|(seq, hash)| AuditHead { seq, hash }),
        files,
    };
    // Written last, through a temporary file: a directory without it is no backup.
    let tmp = out.join(format!("{MANIFEST}.tmp"));
    std::fs::write(&tmp, serde_json::to_string_pretty(&manifest)? + "\n")
        .with_context(|| format!("{}: cannot write", tmp.display()))?;
    set_mode(&tmp, 0o600)?;
    sync(&tmp)?;
    std::fs::rename(&tmp, out.join(MANIFEST))
        .with_context(|| format!("{}: cannot write the manifest", out.display()))?;
    sync(out)?;
    println!(
        "backup written to {} (taken at {}, {} files); the master key is not in it: keep it apart",
        out.display(),
        manifest.taken_at,
        manifest.files.len() + 1
    );
    if kind == StoreKind::Postgres {
        println!("now dump the PostgreSQL database(s) into the same directory:");
        println!(
            "  pg_dump --format=custom --file {} '{}'",
            out.join("custodia.pgdump").display(),
            redact(&settings.database_url)
        );
        if settings.key_database_url != settings.database_url {
            println!(
                "  pg_dump --format=custom --file {} '{}'",
                out.join("keys.pgdump").display(),
                redact(&settings.key_database_url)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_manifest(dir: &Path) -> anyhow::Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{}: cannot read the manifest (not a backup, or an unfinished one)",
            path.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a backup manifest", path.display()))?;
    if manifest.format != FORMAT {
        anyhow::bail!(
            "{}: backup format {} is not {FORMAT}, the one this Custodia reads",
            path.display(),
            manifest.format
        );
    }
    Ok(manifest)
}

/// Every file the manifest lists, with its SHA-256, and nothing listed missing.
fn check_files(dir: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let mut needed = vec![REGISTER_FILE];
    if manifest.store == StoreKind::Sqlite {
        needed.extend([DATA_FILE, KEYS_FILE]);
    }
    for name in needed {
        if !manifest.files.contains_key(name) {
            anyhow::bail!("{}: the manifest lists no {name}", dir.display());
        }
    }
    for (name, expected) in &manifest.files {
        if name.contains('/') || name.contains("..") {
            anyhow::bail!(
                "{}: the manifest names `{name}`, not a file of the backup",
                dir.display()
            );
        }
        let path = dir.join(name);
        let actual = sha256_file(&path)?;
        if &actual != expected {
            anyhow::bail!(
                "{}: its SHA-256 is not the manifest's: the backup is damaged",
                path.display()
            );
        }
    }
    Ok(())
}

/// A directory of our own removed when dropped: the copies `verify` opens.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let nanos = SystemClock.now().unix_timestamp_nanos();
        let dir =
            std::env::temp_dir().join(format!("custodia-verify-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        set_mode(&dir, 0o700)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Opens copies of a SQLite backup's databases and verifies their audit log;
/// `Err` names what failed.
fn verify_databases(dir: &Path, manifest: &Manifest, keyring: &Keyring) -> anyhow::Result<String> {
    let scratch = Scratch::new()?;
    for name in [DATA_FILE, KEYS_FILE] {
        copy_file(&dir.join(name), &scratch.0.join(name))?;
    }
    let verdict = runtime()?.block_on(async {
        let store = custodia_store_sqlite::SqliteStore::open(&scratch.0.join(DATA_FILE))
            .await
            .context("the backup's data database does not open")?;
        let keys = custodia_store_sqlite::SqliteKeyStore::open(&scratch.0.join(KEYS_FILE))
            .await
            .context("the backup's key store does not open")?;
        let audit_key = custodia_core::audit::open_key(&keys, keyring)
            .await
            .context("the backup's audit key does not open with this installation's master key")?;
        let head = store.audit_head().await?;
        let verdict = custodia_core::audit::verify(&store, &keys, &audit_key, &[]).await?;
        anyhow::Ok((head, verdict))
    })?;
    match verdict {
        (head, Verdict::Intact { entries, .. }) => {
            let expected = manifest
                .audit_head
                .as_ref()
                .map(|h| (h.seq, h.hash.as_str()));
            if head.as_ref().map(|(s, h)| (*s, h.as_str())) != expected {
                anyhow::bail!(
                    "{}: the audit log does not end where the manifest says",
                    dir.display()
                );
            }
            Ok(format!("audit log intact ({entries} entries)"))
        }
        (_, Verdict::Broken { seq, problem }) => {
            anyhow::bail!(
                "{}: audit log broken at entry {seq}: {problem}",
                dir.display()
            )
        }
    }
}

fn verify(dir: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let manifest = read_manifest(dir)?;
    check_files(dir, &manifest)?;
    match manifest.store {
        StoreKind::Sqlite => {
            let settings = match settings(args)? {
                Ok(s) => s,
                Err(code) => return Ok(code),
            };
            let keyring = crate::context::keyring(&settings)?;
            let audit = verify_databases(dir, &manifest, &keyring)?;
            println!(
                "backup intact: taken at {}, {} files match the manifest, {audit}",
                manifest.taken_at,
                manifest.files.len()
            );
        }
        StoreKind::Postgres => println!(
            "backup files intact: taken at {}, {} files match the manifest; the PostgreSQL dump is checked by `pg_restore --list`",
            manifest.taken_at,
            manifest.files.len()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// A file put in place by a restore, the one it replaced kept aside until the
/// restore succeeded.
struct Placed {
    target: PathBuf,
    /// (original path, where it was put aside), with a database's `-wal` and `-shm`.
    aside: Vec<(PathBuf, PathBuf)>,
    database: bool,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

const DATABASE_SIDES: [&str; 3] = ["", "-wal", "-shm"];

fn place(from: &Path, target: &Path, stamp: &str, database: bool) -> anyhow::Result<Placed> {
    let restoring = with_suffix(target, ".restoring");
    copy_file(from, &restoring)?;
    let sides: &[&str] = if database { &DATABASE_SIDES } else { &[""] };
    let mut placed = Placed {
        target: target.to_owned(),
        aside: Vec::new(),
        database,
    };
    for side in sides {
        let original = with_suffix(target, side);
        if original.exists() {
            // `NAME.before-restore-STAMP-wal` stays the WAL of the set-aside database.
            let aside = with_suffix(target, &format!(".before-restore-{stamp}{side}"));
            std::fs::rename(&original, &aside).with_context(|| {
                format!(
                    "{}: cannot set aside before the restore",
                    original.display()
                )
            })?;
            placed.aside.push((original, aside));
        }
    }
    std::fs::rename(&restoring, target).with_context(|| {
        format!(
            "{}: cannot put the restored file in place",
            target.display()
        )
    })?;
    Ok(placed)
}

impl Placed {
    /// Puts the replaced files back (the restore failed).
    fn undo(&self) -> anyhow::Result<()> {
        let sides: &[&str] = if self.database {
            &DATABASE_SIDES
        } else {
            &[""]
        };
        for side in sides {
            let path = with_suffix(&self.target, side);
            if path.exists() {
                std::fs::remove_file(&path)
                    .with_context(|| format!("{}: cannot remove", path.display()))?;
            }
        }
        for (original, aside) in &self.aside {
            std::fs::rename(aside, original).with_context(|| {
                format!(
                    "{}: cannot put back {}",
                    original.display(),
                    aside.display()
                )
            })?;
        }
        Ok(())
    }

    /// Removes the replaced files (the restore succeeded).
    fn commit(&self) -> anyhow::Result<()> {
        for (_, aside) in &self.aside {
            std::fs::remove_file(aside)
                .with_context(|| format!("{}: cannot remove", aside.display()))?;
        }
        Ok(())
    }
}

pub fn restore(command: RestoreArgs) -> anyhow::Result<ExitCode> {
    let RestoreArgs {
        dir,
        journals,
        without_journal,
        args,
    } = command;
    let manifest = read_manifest(&dir)?;
    check_files(&dir, &manifest)?;
    // The settings the restored installation will run with: the backup's config.toml
    // (or the one in place), with flags and environment over it.
    let backup_config = dir.join(CONFIG_FILE);
    let file = if backup_config.exists() {
        let text = std::fs::read_to_string(&backup_config)
            .with_context(|| format!("{}: cannot read", backup_config.display()))?;
        toml::from_str::<FileConfig>(&text)
            .with_context(|| format!("{}: invalid configuration", backup_config.display()))?
    } else {
        FileConfig::read(&args.data_dir)?
    };
    let settings = Settings::resolve(&args, file)?;
    let kind = store_kind(&settings)?;
    if kind != manifest.store {
        anyhow::bail!(
            "{}: a backup of a {:?} installation cannot be restored onto {:?}",
            dir.display(),
            manifest.store,
            kind
        );
    }
    let register = match custodia_register::load(&dir.join(REGISTER_FILE)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let keyring = crate::context::keyring(&settings)?;
    if kind == StoreKind::Sqlite {
        verify_databases(&dir, &manifest, &keyring)
            .context("the backup does not verify; nothing was restored")?;
    }
    // Every journal is read before anything changes.
    let mut ids = Vec::new();
    let mut unreadable = 0;
    let mut sources = vec![settings.erasure_journal.clone()];
    sources.extend(journals);
    for (n, path) in sources.iter().enumerate() {
        if n == 0 && !path.exists() {
            if without_journal {
                eprintln!(
                    "custodia: {}: no erasure journal; restoring without (--without-journal)",
                    path.display()
                );
                continue;
            }
            anyhow::bail!(
                "{}: the erasure journal is missing, so erasures made after the backup cannot be re-applied; restore it (or point erasure_journal / --erasure-journal at it), or pass --without-journal to restore anyway",
                path.display()
            );
        }
        let read = erasure_journal::read(path)?;
        unreadable += read.unreadable;
        ids.extend(read.entries.into_iter().map(|(_, id)| id));
    }
    // Nothing may run on the databases being replaced.
    let mut locks = Vec::new();
    let mut lock_urls = vec![settings.database_url.clone()];
    if let Ok(current) = FileConfig::read(&args.data_dir).and_then(|f| Settings::resolve(&args, f))
        && current.database_url != settings.database_url
    {
        lock_urls.push(current.database_url);
    }
    for url in lock_urls {
        if let Some(path) = crate::retention::serve_lock_path(&url) {
            match crate::retention::try_serve_lock(&path)? {
                Some(lock) => locks.push(lock),
                None => anyhow::bail!(
                    "a server is running on {}: stop it, then restore",
                    redact(&url)
                ),
            }
        }
    }
    let stamp = SystemClock.now().unix_timestamp().to_string();
    let mut placed = Vec::new();
    let result = put_in_place(&dir, &args, &settings, kind, &stamp, &mut placed).and_then(|()| {
        let _ = std::fs::remove_file(args.data_dir.join(crate::serve::BOOK_SNAPSHOT));
        runtime()?.block_on(reapply(settings, register, &manifest, ids, unreadable))
    });
    match result {
        Ok(report) => {
            for p in &placed {
                p.commit()?;
            }
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for p in placed.iter().rev() {
                if let Err(undo) = p.undo() {
                    eprintln!("custodia: {undo:#}");
                }
            }
            Err(e.context("the restore failed; the previous files are back in place"))
        }
    }
}

fn put_in_place(
    dir: &Path,
    args: &ServeArgs,
    settings: &Settings,
    kind: StoreKind,
    stamp: &str,
    placed: &mut Vec<Placed>,
) -> anyhow::Result<()> {
    if kind == StoreKind::Sqlite {
        let data = sqlite_file(&settings.database_url, "database_url")?;
        let keys = sqlite_file(&settings.key_database_url, "key_database_url")?;
        placed.push(place(&dir.join(DATA_FILE), &data, stamp, true)?);
        placed.push(place(&dir.join(KEYS_FILE), &keys, stamp, true)?);
    }
    placed.push(place(
        &dir.join(REGISTER_FILE),
        &settings.register,
        stamp,
        false,
    )?);
    if dir.join(CONFIG_FILE).exists() {
        placed.push(place(
            &dir.join(CONFIG_FILE),
            &args.data_dir.join(CONFIG_FILE),
            stamp,
            false,
        )?);
    }
    Ok(())
}

/// Opens the restored installation and erases again everyone the journals name.
async fn reapply(
    settings: Settings,
    register: custodia_register::ValidRegister,
    manifest: &Manifest,
    ids: Vec<String>,
    unreadable: u64,
) -> anyhow::Result<String> {
    let ctx = Context::open(settings, register).await?;
    let bar = Progress::new(
        "restore: re-applying erasures",
        "ids",
        Some(ids.len() as u64),
    );
    let done = erasure_journal::reapply(
        ctx.store.as_ref(),
        ctx.unjournaled_keys.as_ref(),
        &ctx.writer,
        ctx.clock.as_ref(),
        &ids,
        &|n| bar.set(n),
    )
    .await
    .context("re-applying the erasure journal")?;
    bar.finish();
    let summary = format!(
        "backup taken at {}; erasure journal: {} ids, {} subjects erased again, {} data keys destroyed",
        manifest.taken_at, done.ids, done.subjects_erased, done.keys_destroyed
    );
    let record = AuditRecord::new(
        ctx.clock.now(),
        RESTORE_PRINCIPAL,
        AuditAction::BackupRestore,
        "ok",
    )
    .detail(summary.clone());
    ctx.writer.audit(record).await?;
    ctx.close().await;
    let skipped = if unreadable > 0 {
        format!(
            " ({unreadable} unreadable journal lines skipped: writes cut short, whose keys were never destroyed)"
        )
    } else {
        String::new()
    };
    Ok(format!("restored: {summary}{skipped}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_aside_database_keeps_its_wal_beside_it() {
        let aside = with_suffix(Path::new("/d/custodia.db"), ".before-restore-7-wal");
        assert_eq!(aside, PathBuf::from("/d/custodia.db.before-restore-7-wal"));
    }

    #[test]
    fn a_manifest_reads_back() {
        let manifest = Manifest {
            format: FORMAT,
            taken_at: "2026-12-07T03:30:00Z".to_owned(),
            custodia_version: "0.1.0".to_owned(),
            store: StoreKind::Sqlite,
            audit_head: Some(AuditHead {
                seq: 3,
                hash: "ab".to_owned(),
            }),
            files: BTreeMap::from([("custodia.db".to_owned(), "00".to_owned())]),
        };
        let text = serde_json::to_string(&manifest).unwrap_or_default();
        assert!(text.contains("\"store\":\"sqlite\""), "{text}");
        let back: Manifest = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.files, manifest.files);
    }
}
