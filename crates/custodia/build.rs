//! Names the commit the binary is built from, for `custodia --version`.
//!
//! In a git checkout (a worktree too) git itself is asked; otherwise (a tarball,
//! a vendored copy) `CUSTODIA_COMMIT` from the build environment, else "unknown".
//! Nothing is downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A path git prints relative to `dir` (`--git-path` does), made absolute.
fn git_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(git(dir, &["rev-parse", "--git-path", name])?);
    Some(if path.is_absolute() {
        path
    } else {
        dir.join(path)
    })
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CUSTODIA_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = git(&dir, &["rev-parse", "--short", "HEAD"]);
    if commit.is_some() {
        // A new commit moves HEAD (detached) or the branch it names; `--git-path`
        // resolves both in a linked worktree, where `.git` is a file.
        let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
        if let Some(branch) = git(&dir, &["symbolic-ref", "-q", "HEAD"]) {
            watched.push(branch);
        }
        for name in watched {
            // A missing path would make cargo rerun this script on every build.
            if let Some(path) = git_path(&dir, &name).filter(|p| p.exists()) {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    let commit = commit
        .or_else(|| std::env::var("CUSTODIA_COMMIT").ok())
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=CUSTODIA_COMMIT={}", commit.trim());
}
