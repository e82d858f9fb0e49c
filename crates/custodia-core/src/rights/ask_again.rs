//! The message of a retention rule that asks again before deleting
//! (`then = "ask_again"`): an e-mail through the outbox with a link that keeps the
//! data. Following the link is a contact the person initiates (`last_contact`),
//! which restarts the rule.

use std::sync::Arc;

use async_trait::async_trait;
use custodia_register::Lang;
use custodia_store::Write;
use time::OffsetDateTime;

use super::Rights;
use super::letters::Letter;
use crate::consent::Tokens;
use crate::retention::sweep::{AskAgain, RetentionError};
use crate::vault::Vault;

/// The label keep links are signed under; their payload is `SUBJECT:RULE`.
pub const KEEP_LINK: &str = "keep";

pub struct AskAgainMail {
    rights: Arc<Rights>,
    vault: Arc<Vault>,
    tokens: Tokens,
    languages: Vec<Lang>,
}

impl AskAgainMail {
    pub fn new(rights: Arc<Rights>, vault: Arc<Vault>, languages: Vec<Lang>) -> AskAgainMail {
        AskAgainMail {
            rights,
            tokens: Tokens::new(Arc::clone(&vault)),
            vault,
            languages,
        }
    }
}

fn failed(e: impl std::fmt::Display) -> RetentionError {
    RetentionError::Ask(e.to_string())
}

#[async_trait]
impl AskAgain for AskAgainMail {
    async fn message(
        &self,
        subject_id: &str,
        rule: &str,
        delete_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Option<(String, Write)>, RetentionError> {
        let Some((category, address)) = self.vault.email_of(subject_id).await.map_err(failed)?
        else {
            return Ok(None);
        };
        let token = self.tokens.sign(KEEP_LINK, &format!("{subject_id}:{rule}"));
        let link = format!(
            "{}/keep/{token}",
            self.rights.settings().public_url.trim_end_matches('/')
        );
        let letter = Letter::AskAgain { link, delete_at };
        let write = self
            .rights
            .outbox()
            .letter_in_languages(&address, &letter, &self.languages, now)
            .map_err(failed)?;
        Ok(Some((category, write)))
    }
}
