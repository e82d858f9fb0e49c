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
    if !key_path.exists() {
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

fn write_file(path: &Path, content: &str) -> anyhow::Result<()> {
    std::fs::write(path, content).with_context(|| format!("{}: cannot write", path.display()))
}
