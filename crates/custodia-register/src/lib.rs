//! The register of processing (GDPR Art. 30) as code: the TOML file, its model and
//! its validation. Every other part of Custodia reads facts about processing from a
//! [`ValidRegister`]; nothing re-declares them.

mod authorities;
mod datasets;
mod diagnostic;
mod duration;
#[cfg(test)]
mod examples_tests;
mod geography;
mod model;
mod text;
mod validate;

pub use authorities::default_authority;
pub use datasets::{
    Dataset, DatasetField, DatasetTable, EraseStrategy, Identity, IdentityKind, Reference,
    TableRetention, is_plain_identifier,
};
pub use diagnostic::{Diagnostic, Diagnostics, FieldPath};
pub use duration::{DurationError, IsoDuration};
pub use geography::{adequacy_country, in_eea};
pub use model::*;
pub use text::{Lang, LangInfo, Text};

use sha2::{Digest, Sha256};
use std::path::Path;

/// A register that passed validation: the only kind the engine accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRegister {
    register: Register,
    source: String,
    sha256: String,
    warnings: Vec<Diagnostic>,
}

impl ValidRegister {
    pub fn register(&self) -> &Register {
        &self.register
    }

    /// The TOML text it was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// What validation allowed but questions (`register check` shows them).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// SHA-256 (hex) of the TOML text: the register's content identity.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

impl std::ops::Deref for ValidRegister {
    type Target = Register;
    fn deref(&self) -> &Register {
        &self.register
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read the register: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Reads and validates a register file; diagnostics name the file and line.
pub fn load(path: &Path) -> Result<ValidRegister, LoadError> {
    let display = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: display.clone(),
        source,
    })?;
    parse(&display, &source).map_err(LoadError::Invalid)
}

/// Parses and validates register text; `file` is only used in diagnostics.
pub fn parse(file: &str, source: &str) -> Result<ValidRegister, Diagnostics> {
    let mut register: Register = toml::from_str(source)
        .map_err(|e| Diagnostics::from_toml_errors::<Register>(file, source, &e))?;
    let c = &mut register.controller;
    if c.supervisory_authority.is_none() {
        c.supervisory_authority = default_authority(&c.country, c.region.as_deref());
    }
    let findings = validate::validate(&register);
    if !findings.problems.is_empty() {
        return Err(Diagnostics::locate(file, source, findings.problems));
    }
    Ok(ValidRegister {
        register,
        source: source.to_owned(),
        sha256: hex::encode(Sha256::digest(source.as_bytes())),
        warnings: Diagnostics::locate(file, source, findings.warnings).0,
    })
}

#[cfg(test)]
mod trigger_tests {
    use super::*;

    #[test]
    fn builtin_event_names_are_the_builtin_triggers() {
        for name in BUILTIN_EVENTS {
            let trigger: Trigger = serde_json::from_value(name.into()).unwrap();
            assert!(!matches!(trigger, Trigger::Custom(_)), "{name}");
        }
        let custom: Trigger = serde_json::from_value("renewal".into()).unwrap();
        assert_eq!(custom, Trigger::Custom("renewal".into()));
    }
}
