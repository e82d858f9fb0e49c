//! Publishing: every distinct register content becomes a numbered policy version
//! with its rendered documents and their SHA-256, so that what was in force on any
//! date can be shown later.

use crate::clock::Clock;
use custodia_policy::{Format, Kind, RenderOptions};
use custodia_register::{Lang, ValidRegister};
use custodia_store::{NewPolicyVersion, PolicyDocument, Published, Store, StoreError};
pub use custodia_store::{PolicyVersion, PolicyVersionSummary};
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub const KINDS: [Kind; 2] = [Kind::Privacy, Kind::Cookies];
pub const FORMATS: [Format; 3] = [Format::Html, Format::Markdown, Format::Json];

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("rendering the {kind} policy in {lang}: {source}")]
    Render {
        kind: &'static str,
        lang: &'static str,
        #[source]
        source: custodia_policy::PolicyError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Published policy versions as pages read them: the one in force from memory (no
/// database round trip), earlier ones from the store.
pub struct Publications {
    store: Arc<dyn Store>,
    current: PolicyVersion,
}

impl Publications {
    pub fn new(store: Arc<dyn Store>, current: PolicyVersion) -> Publications {
        Publications { store, current }
    }

    pub fn current(&self) -> &PolicyVersion {
        &self.current
    }

    /// Every version, oldest first, with the digest of each document.
    pub async fn versions(&self) -> Result<Vec<PolicyVersionSummary>, PublishError> {
        Ok(self.store.policy_versions().await?)
    }

    pub async fn version(&self, number: i64) -> Result<Option<PolicyVersion>, PublishError> {
        if number == self.current.number {
            return Ok(Some(self.current.clone()));
        }
        Ok(self.store.policy_version(number).await?)
    }
}

/// Stores a new version when the register's content differs from the latest one;
/// otherwise returns the version already in force.
pub async fn publish(
    store: &dyn Store,
    register: &ValidRegister,
    clock: &dyn Clock,
) -> Result<Published, PublishError> {
    if let Some(latest) = store.latest_policy_version().await?
        && latest.register_sha256 == register.sha256()
    {
        return Ok(Published {
            version: latest.summary(),
            created: false,
        });
    }
    let effective_at = clock.now();
    let options = RenderOptions {
        effective_date: Some(effective_at.date()),
    };
    let mut documents = Vec::new();
    for kind in KINDS {
        for lang in register.languages.iter().copied() {
            for format in FORMATS {
                let content = custodia_policy::render(register, kind, lang, format, &options)
                    .map_err(|source| PublishError::Render {
                        kind: kind.id(),
                        lang: lang.code(),
                        source,
                    })?;
                documents.push(PolicyDocument {
                    kind: kind.id().to_owned(),
                    lang: lang.code().to_owned(),
                    format: format.id().to_owned(),
                    sha256: sha256_hex(&content),
                    content,
                });
            }
        }
    }
    Ok(store
        .publish_policy_version(NewPolicyVersion {
            register_sha256: register.sha256().to_owned(),
            register_source: register.source().to_owned(),
            effective_at,
            documents,
        })
        .await?)
}

pub fn sha256_hex(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// A unified diff of one document's Markdown between two versions.
pub fn diff(from: &PolicyVersion, to: &PolicyVersion, kind: Kind, lang: Lang) -> Option<String> {
    let old = from.document(kind.id(), lang.code(), Format::Markdown.id())?;
    let new = to.document(kind.id(), lang.code(), Format::Markdown.id())?;
    let text = similar::TextDiff::from_lines(&old.content, &new.content);
    Some(
        text.unified_diff()
            .context_radius(3)
            .header(
                &format!("version {}", from.number),
                &format!("version {}", to.number),
            )
            .to_string(),
    )
}
