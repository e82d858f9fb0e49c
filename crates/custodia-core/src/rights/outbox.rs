//! Messages leave through an outbox: queued in the same commit as the step that
//! caused them (a letter is never lost, nor sent for a step that did not happen),
//! sealed with a system key of their own, delivered by [`Outbox::run`] with retries
//! and backoff, and emptied once delivered.

use super::letters::Letter;
use super::{RecipientChannel, RightsError};
use crate::clock::Clock;
use crate::telemetry::OutboxStats;
use crate::vault::Vault;
use crate::writer::{Job, WriteError, Writer};
use custodia_crypto::{SecretKey, field_aad};
use custodia_notify::{Backoff, Email, Mailer, Webhook, WebhookSender};
use custodia_register::Lang;
use custodia_store::{OutboxItem, Store, StoreError, Write};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::Notify;

const OUTBOX_KEY: &str = "outbox";
const BATCH: u32 = 100;
/// How long a claimed item is left to the instance sending it. Longer than a send
/// can take (the SMTP and webhook clients time out sooner); should that instance
/// die, the item is sent again after it.
const CLAIM_LEASE: time::Duration = time::Duration::minutes(5);

/// What a queued item holds, sealed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Envelope {
    Email {
        to: String,
        subject: String,
        text: String,
        #[serde(default)]
        headers: Vec<(String, String)>,
    },
    /// The URL and secret are read from the settings at delivery, so a rotated
    /// secret applies to queued notices too.
    Webhook { event: String, payload: String },
    /// A request a dataset left partly done, completed again when due: the
    /// outbox's claims and backoff make the retry durable and done once.
    Retry,
}

/// The channel of [`Envelope::Retry`] items.
pub(crate) const RETRY_CHANNEL: &str = "retry";

pub struct Outbox {
    key: SecretKey,
    controller: String,
    wake: Notify,
    stats: OutboxStats,
}

/// What delivers: the SMTP mailer and the webhook client, with the recipients'
/// channels.
pub struct Transports {
    pub mailer: Option<Mailer>,
    pub webhooks: WebhookSender,
    pub recipients: BTreeMap<String, RecipientChannel>,
    /// What completes partly done requests again, on its settings' schedule;
    /// without it they wait for staff.
    pub retry: Option<Arc<super::Rights>>,
}

impl Outbox {
    pub(crate) async fn open(vault: Arc<Vault>) -> Result<Outbox, RightsError> {
        Ok(Outbox {
            key: vault.system_secret(OUTBOX_KEY).await?,
            controller: vault.controller_name(),
            wake: Notify::new(),
            stats: OutboxStats::default(),
        })
    }

    /// Delivery attempts by outcome, for `/metrics`.
    pub fn stats(&self) -> &OutboxStats {
        &self.stats
    }

    /// Tells the delivery loop there is something new.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn item(
        &self,
        request_id: Option<&str>,
        recipient: Option<&str>,
        channel: &str,
        envelope: &Envelope,
        now: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let id = uuid::Uuid::now_v7().to_string();
        let json = serde_json::to_vec(envelope)
            .map(custodia_crypto::Zeroizing::new)
            .map_err(|_| super::invalid("message", "not encodable"))?;
        let body = self.key.seal(&json, &field_aad(&id, OUTBOX_KEY))?;
        Ok(Write::PutOutbox(OutboxItem {
            id,
            channel: channel.to_owned(),
            request_id: request_id.map(str::to_owned),
            recipient: recipient.map(str::to_owned),
            created_at: now,
            next_attempt_at: now,
            attempts: 0,
            status: "pending".to_owned(),
            last_error: None,
            delivered_at: None,
            body,
        }))
    }

    /// A letter to the requester, as a write for the step's commit.
    pub(crate) fn email(
        &self,
        request_id: &str,
        to: &str,
        lang: Lang,
        letter: &Letter,
        now: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let (subject, text) = letter.render(lang, &self.controller);
        let envelope = Envelope::Email {
            to: to.to_owned(),
            subject,
            text,
            headers: Vec::new(),
        };
        self.item(Some(request_id), None, "email", &envelope, now)
    }

    /// A letter about no request (a breach notice to a person concerned), already
    /// rendered, as a write for the commit of the decision that sends it.
    pub(crate) fn letter(
        &self,
        to: &str,
        subject: String,
        text: String,
        now: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let envelope = Envelope::Email {
            to: to.to_owned(),
            subject,
            text,
            headers: Vec::new(),
        };
        self.item(None, None, "email", &envelope, now)
    }

    /// A letter to a person whose language is not known: in every language the
    /// register publishes, under the first language's subject line.
    pub(crate) fn letter_in_languages(
        &self,
        to: &str,
        letter: &Letter,
        languages: &[Lang],
        now: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let mut subject = None;
        let mut parts = Vec::new();
        for lang in languages {
            let (s, t) = letter.render(*lang, &self.controller);
            subject.get_or_insert(s);
            parts.push(t);
        }
        let subject = subject.unwrap_or_default();
        self.letter(to, subject, parts.join("\n\n* * *\n\n"), now)
    }

    /// An Art. 19 notice to a recipient of the register.
    pub(crate) fn recipient_notice(
        &self,
        request_id: &str,
        recipient: &str,
        channel: &RecipientChannel,
        event: &str,
        payload: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let envelope = match channel {
            RecipientChannel::Webhook { .. } => Envelope::Webhook {
                event: event.to_owned(),
                payload: payload.to_string(),
            },
            RecipientChannel::Email { address } => Envelope::Email {
                to: address.clone(),
                subject: format!("{}: {event}", self.controller),
                text: serde_json::to_string_pretty(payload).unwrap_or_default(),
                headers: Vec::new(),
            },
        };
        let kind = match channel {
            RecipientChannel::Webhook { .. } => "webhook",
            RecipientChannel::Email { .. } => "email",
        };
        self.item(Some(request_id), Some(recipient), kind, &envelope, now)
    }

    /// A retry of a partly done request, due at `due`, as a write for the commit
    /// that leaves it so.
    pub(crate) fn retry(
        &self,
        request_id: &str,
        now: OffsetDateTime,
        due: OffsetDateTime,
    ) -> Result<Write, RightsError> {
        let mut write = self.item(Some(request_id), None, RETRY_CHANNEL, &Envelope::Retry, now)?;
        if let Write::PutOutbox(item) = &mut write {
            item.next_attempt_at = due;
        }
        Ok(write)
    }

    /// The recipient and text of a queued e-mail, for tests and benchmarks that have
    /// no SMTP server; `None` for webhooks and delivered items.
    pub fn open_letter(&self, item: &OutboxItem) -> Option<(String, String)> {
        let plain = self
            .key
            .open(&item.body, &field_aad(&item.id, OUTBOX_KEY))
            .ok()?;
        match serde_json::from_slice(&plain).ok()? {
            Envelope::Email { to, text, .. } => Some((to, text)),
            Envelope::Webhook { .. } | Envelope::Retry => None,
        }
    }

    /// Delivers what is due until `stop` resolves; wakes on new items and every few
    /// seconds for retries.
    pub async fn run(
        &self,
        store: Arc<dyn Store>,
        writer: Writer,
        clock: Arc<dyn Clock>,
        transports: Transports,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            match self
                .deliver_due(&*store, &writer, &*clock, &transports)
                .await
            {
                Ok(n) if n == BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery failed; retrying later"),
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
        }
    }

    /// One pass over the due items; returns how many were attempted.
    pub async fn deliver_due(
        &self,
        store: &dyn Store,
        writer: &Writer,
        clock: &dyn Clock,
        transports: &Transports,
    ) -> Result<usize, RightsError> {
        let due = store.outbox_due(clock.now(), BATCH).await?;
        let count = due.len();
        for mut item in due {
            // Several instances may read the same due items: the one whose claim
            // commits sends; the others skip it.
            let claimed = writer
                .submit(Job {
                    writes: vec![Write::ClaimOutbox {
                        id: item.id.clone(),
                        due_at: item.next_attempt_at,
                        until: clock.now() + CLAIM_LEASE,
                    }],
                    ..Job::default()
                })
                .await;
            match claimed {
                Ok(()) => {}
                Err(WriteError::Store(StoreError::VersionConflict { .. })) => continue,
                Err(e) => return Err(e.into()),
            }
            let result = self
                .send(&item, transports, clock.now().unix_timestamp())
                .await;
            let now = clock.now();
            item.attempts += 1;
            match result {
                Ok(()) => {
                    self.stats.count("delivered");
                    item.status = "delivered".to_owned();
                    item.delivered_at = Some(now);
                    item.last_error = None;
                    // Delivered: the address and the text have no reason to stay.
                    item.body = Vec::new();
                }
                Err((permanent, reason)) => {
                    item.last_error = Some(reason);
                    let backoff = match &transports.retry {
                        Some(rights) if item.channel == RETRY_CHANNEL => {
                            rights.settings().dataset_retry
                        }
                        _ => Backoff::default(),
                    };
                    let retry = u32::try_from(item.attempts)
                        .ok()
                        .and_then(|n| backoff.delay(n))
                        .filter(|_| !permanent);
                    match retry {
                        Some(delay) => {
                            self.stats.count("retry");
                            item.next_attempt_at = now + delay;
                        }
                        None => {
                            self.stats.count("failed");
                            item.status = "failed".to_owned();
                            // A failed item is never due again: its next attempt
                            // time records when delivery gave up.
                            item.next_attempt_at = now;
                            item.body = Vec::new();
                        }
                    }
                }
            }
            writer
                .submit(Job {
                    writes: vec![Write::PutOutbox(item)],
                    ..Job::default()
                })
                .await?;
        }
        Ok(count)
    }

    /// Sends one item; an error says whether retrying is pointless and why, in words
    /// that hold no personal data.
    async fn send(
        &self,
        item: &OutboxItem,
        t: &Transports,
        now_unix: i64,
    ) -> Result<(), (bool, String)> {
        let plain = self
            .key
            .open(&item.body, &field_aad(&item.id, OUTBOX_KEY))
            .map_err(|_| (true, "the sealed message does not open".to_owned()))?;
        let envelope: Envelope = serde_json::from_slice(&plain)
            .map_err(|_| (true, "the sealed message is not readable".to_owned()))?;
        match envelope {
            Envelope::Email {
                to,
                subject,
                text,
                headers,
            } => {
                let Some(mailer) = &t.mailer else {
                    return Err((false, "no SMTP server is configured".to_owned()));
                };
                let email = Email {
                    to,
                    subject,
                    text,
                    headers,
                };
                mailer
                    .send(&email)
                    .await
                    .map_err(|e| (e.is_permanent(), e.to_string()))
            }
            Envelope::Webhook { event, payload } => {
                let recipient = item.recipient.as_deref().unwrap_or_default();
                let Some(RecipientChannel::Webhook { url, secret }) = t.recipients.get(recipient)
                else {
                    return Err((false, format!("no webhook configured for {recipient}")));
                };
                let hook = Webhook {
                    url: url.clone(),
                    event,
                    delivery_id: item.id.clone(),
                    body: payload,
                };
                t.webhooks
                    .send(&hook, secret.as_bytes(), now_unix)
                    .await
                    .map_err(|e| (e.is_permanent(), e.to_string()))
            }
            Envelope::Retry => {
                let Some(rights) = &t.retry else {
                    return Err((
                        false,
                        "partly done requests are not retried here".to_owned(),
                    ));
                };
                let id = item.request_id.as_deref().unwrap_or_default();
                rights
                    .retry_partly_done(id)
                    .await
                    .map_err(|e| (matches!(e, RightsError::NotFound), e.to_string()))
            }
        }
    }
}
