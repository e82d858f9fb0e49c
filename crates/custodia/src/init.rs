//! First run: a data directory a newcomer can read and edit.

use crate::config::{CONFIG_FILE, FileConfig};
use anyhow::Context;
use custodia_crypto::MasterKey;
use std::path::{Path, PathBuf};

pub const REGISTER_FILE: &str = "register.toml";
pub const KEY_FILE: &str = "master.key";
/// The register a new installation starts from: the richest example, to edit.
const EXAMPLE_REGISTER: &str = include_str!("../../../examples/saas.toml");

/// Creates whatever is missing in `data_dir` and returns what it created. Never
/// overwrites: an existing key or register is the operator's.
pub fn init(data_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    init_with(data_dir, false)
}

/// [`init`]; with `key_elsewhere` (the master key named by a flag or the
/// environment, e.g. a systemd credential) no key is written into `data_dir`: it
/// would be a second, unused plaintext key beside the data.
fn init_with(data_dir: &Path, key_elsewhere: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut created = Vec::new();
    if !data_dir.exists() {
        create_private_dir(data_dir)?;
        created.push(data_dir.to_path_buf());
    }
    let config_path = data_dir.join(CONFIG_FILE);
    if !config_path.exists() {
        write_file(&config_path, &FileConfig::render_default())?;
        created.push(config_path);
    }
    let config = FileConfig::read(data_dir)?;
    let key_path = data_dir.join(&config.master_key_file);
    if !key_elsewhere && !key_path.exists() {
        let database = data_dir.join("custodia.db");
        if database.exists() {
            anyhow::bail!(
                "{}: the master key is missing but {} exists; restore the key from your backup instead of creating a new one",
                key_path.display(),
                database.display()
            );
        }
        MasterKey::generate()?.write_new(&key_path)?;
        created.push(key_path);
    }
    let register_path = data_dir.join(&config.register);
    if !register_path.exists() {
        write_file(&register_path, EXAMPLE_REGISTER)?;
        created.push(register_path);
    }
    Ok(created)
}

/// `serve`'s first run: a data directory that does not exist yet, or is empty, is
/// initialised. Any other is an installation: nothing is created in it, and a
/// missing file stops the start ([`missing`]) rather than being replaced by an
/// example (a new register would be published as a permanent policy version).
pub fn init_if_new(data_dir: &Path, key_elsewhere: bool) -> anyhow::Result<Vec<PathBuf>> {
    let new = match std::fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => {
            return Err(e).with_context(|| {
                format!("{}: cannot read the data directory", data_dir.display())
            });
        }
    };
    if new {
        init_with(data_dir, key_elsewhere)
    } else {
        Ok(Vec::new())
    }
}

/// The error for a file an installation lacks; says what to do.
pub fn missing(path: &Path, what: &str, data_dir: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: {what} is missing. Custodia creates it only in a new, empty data directory, \
         and {} is not one: restore the file from your backup, or run \
         `custodia init --data-dir {}` to write a default one",
        path.display(),
        data_dir.display(),
        data_dir.display()
    )
}

/// Warns (names and modes only) when the data directory or `config.toml`, which
/// holds SMTP, webhook and database passwords, is open to group or others.
pub fn warn_loose_modes(data_dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for (path, what, fix) in [
        (data_dir.to_path_buf(), "the data directory", "700"),
        (data_dir.join(CONFIG_FILE), "config.toml", "600"),
    ] {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = %format_args!("{mode:o}"),
                "{what} is open to group or others (it holds secrets): chmod {fix} it"
            );
        }
    }
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("{}: cannot create the data directory", dir.display()))
}

/// Writes a new file readable by its owner only (config.toml holds passwords).
fn write_file(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(content.as_bytes()))
        .with_context(|| format!("{}: cannot write", path.display()))
}
