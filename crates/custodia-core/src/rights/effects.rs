//! What completing a request does. Each effect acts through the vault and the
//! consent records with the DPO's reach over the requester's own subjects only, under
//! the completing staff member's name in the audit log.

use super::letters::{Letter, PackageLink};
use super::package::{self, Format};
use super::rules::Effect;
use super::{
    AfterDeath, DirectiveAction, HistoryEntry, Loaded, RightsError, Status, invalid, parse_right,
};
use crate::access::{Principal, Role};
use crate::audit::AuditAction;
use crate::consent::{ChoiceInput, ChoiceState, Owner, Proof, Recorder};
use custodia_crypto::field_aad;
use custodia_register::{LegalBasis, Right};
use custodia_store::{DownloadRow, OppositionEntry, Restriction, Write};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// What a request does in the company's own databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Read,
    Erase,
    Rectify,
}

/// What the company's own databases gave a request.
#[derive(Default)]
struct DatasetsReached {
    found: Vec<custodia_connectors::Found>,
    /// "dataset shop: customers: 1 updated (email)", one per dataset.
    summaries: Vec<String>,
}

/// What an effect leaves behind: a line for the history, the letter to the
/// requester, and writes committed with the request's completion.
struct Done {
    outcome: String,
    letter: Letter,
    writes: Vec<Write>,
}

/// What completing did: closed the request, or (a handler's rectification that
/// names categories outside its role's reach) applied what the role reaches and left
/// the rest to the DPO, the request staying open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Completed,
    LeftForDpo {
        applied: Vec<String>,
        pending_for_dpo: Vec<String>,
    },
}

impl super::Rights {
    /// Carries out a verified request and closes it.
    pub async fn complete(&self, who: &Principal, id: &str) -> Result<Completion, RightsError> {
        self.require_staff(who, AuditAction::RequestComplete)
            .await?;
        let mut loaded = self.load(id).await?;
        Self::require_verified(&loaded)?;
        let right = loaded.right().ok_or(RightsError::NotFound)?;
        let effect = super::rules::rules(right).effect;
        if effect == Effect::Rectify {
            let (_, beyond) = self.split_by_reach(who, loaded.body.changes.as_ref());
            if !beyond.is_empty() {
                return self.rectify_within_reach(who, loaded).await;
            }
        }
        let acting = Principal {
            id: who.id.clone(),
            role: Role::Dpo,
        };
        // The company's own databases first: if one is down, nothing in the vault
        // has changed yet and the request stays open, partly done, for a retry
        // (each dataset's erasure is idempotent).
        let reach = match effect {
            Effect::Package { .. } => Some(Reach::Read),
            Effect::Erase => Some(Reach::Erase),
            Effect::Rectify => Some(Reach::Rectify),
            _ => None,
        };
        let reached = match reach {
            Some(reach) if !self.datasets.is_empty() => {
                let person = self.dataset_person(&loaded).await?;
                match self.reach_datasets(&loaded, &person, reach, who).await {
                    Ok(reached) => reached,
                    Err(e) => return Err(self.partly_done(loaded, who, e).await),
                }
            }
            _ => DatasetsReached::default(),
        };
        let mut done = match effect {
            Effect::Package { portable } => {
                self.prepare_package(
                    &loaded,
                    &loaded.body.subject_ids.clone(),
                    &reached.found,
                    portable,
                    &acting,
                )
                .await?
            }
            Effect::Rectify => self.rectify(&loaded, &acting).await?,
            Effect::Erase => {
                let ids = loaded.body.subject_ids.clone();
                self.erase(&loaded, &ids, &acting).await?
            }
            Effect::Restrict => self.restrict(&loaded)?,
            Effect::Object => self.object(&loaded).await?,
            Effect::Withdraw => self.withdraw(&loaded).await?,
            Effect::OptOut => self.opt_out(&loaded).await?,
            Effect::ShineTheLight => self.shine_the_light(&loaded).await?,
            Effect::PostMortem => self.post_mortem(&mut loaded, &acting).await?,
            Effect::NotARequest => {
                return Err(invalid(
                    "kind",
                    "a complaint goes to the supervisory authority",
                ));
            }
        };
        if !reached.summaries.is_empty() {
            done.outcome = format!("{}; {}", done.outcome, reached.summaries.join("; "));
        }
        loaded.row.status = Status::Completed.id().to_owned();
        loaded.body.outcome = Some(done.outcome.clone());
        let entry = HistoryEntry {
            at: self.now(),
            action: "completed".to_owned(),
            by: who.id.clone(),
            note: Some(done.outcome),
        };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestComplete,
            "ok",
            Some(done.letter),
            done.writes,
        )
        .await?;
        Ok(Completion::Completed)
    }

    /// A rectification by a handler whose role does not reach every category it
    /// names: the categories the role reaches are corrected (with their Art. 19
    /// notices), the others stay in the request, which stays open for the DPO.
    async fn rectify_within_reach(
        &self,
        who: &Principal,
        mut loaded: Loaded,
    ) -> Result<Completion, RightsError> {
        let (mine, beyond) = self.split_by_reach(who, loaded.body.changes.as_ref());
        let acting = Principal {
            id: who.id.clone(),
            role: Role::Dpo,
        };
        if !mine.is_empty() {
            for id in &loaded.body.subject_ids {
                self.vault
                    .update(&acting, id, None, mine.clone(), None)
                    .await?;
            }
        }
        let applied: Vec<String> = mine.keys().cloned().collect();
        let pending_for_dpo: Vec<String> = beyond.keys().cloned().collect();
        let notices = if applied.is_empty() {
            None
        } else {
            Some(
                self.recipient_notices(&loaded, "rectification", &applied)
                    .await?,
            )
        };
        loaded.body.changes = Some(beyond);
        if loaded.status() == Status::Verified {
            loaded.row.status = Status::InProgress.id().to_owned();
        }
        let entry = HistoryEntry {
            at: self.now(),
            action: "rectified_in_part".to_owned(),
            by: who.id.clone(),
            note: Some(format!(
                "corrected: {}; left for the DPO (outside the role's categories): {}",
                if applied.is_empty() {
                    "-".to_owned()
                } else {
                    applied.join(", ")
                },
                pending_for_dpo.join(", ")
            )),
        };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestComplete,
            "left_for_dpo",
            None,
            notices.map(|n| n.writes).unwrap_or_default(),
        )
        .await?;
        Ok(Completion::LeftForDpo {
            applied,
            pending_for_dpo,
        })
    }

    /// Ends a restriction. The requester is told in the same commit, before the
    /// restriction ends (Art. 18(3)).
    pub async fn lift_restriction(&self, who: &Principal, id: &str) -> Result<(), RightsError> {
        self.require_staff(who, AuditAction::RequestLiftRestriction)
            .await?;
        let loaded = self.load(id).await?;
        if loaded.right() != Some(Right::Restriction) || loaded.status() != Status::Completed {
            return Err(RightsError::Conflict(
                "only a completed restriction request can be lifted".to_owned(),
            ));
        }
        let writes = loaded
            .body
            .subject_ids
            .iter()
            .map(|s| Write::SetRestriction {
                subject_id: s.clone(),
                restriction: None,
            })
            .collect();
        let entry = HistoryEntry {
            at: self.now(),
            action: "restriction_lifted".to_owned(),
            by: who.id.clone(),
            note: None,
        };
        self.save(
            loaded,
            Some(entry),
            AuditAction::RequestLiftRestriction,
            "ok",
            Some(Letter::RestrictionLifted),
            writes,
        )
        .await
    }

    /// Who the requester is in the datasets: the request's verified address, and
    /// each identity the datasets look for that the vault holds for the request's
    /// subjects (under the identity's category). A vault value that does not
    /// normalise (a malformed phone number) is no identity. Read for the request's
    /// own completion, which the dataset steps audit.
    async fn dataset_person(
        &self,
        loaded: &Loaded,
    ) -> Result<custodia_connectors::Person, RightsError> {
        let mut person = custodia_connectors::Person::new(&[(
            custodia_register::IdentityKind::Email,
            loaded.body.email.as_str(),
        )])
        .map_err(RightsError::Dataset)?;
        let wanted: BTreeSet<(custodia_register::IdentityKind, &str)> = self
            .register
            .datasets
            .iter()
            .flat_map(|d| &d.tables)
            .flat_map(|t| {
                t.identities
                    .iter()
                    .filter_map(move |i| Some((i.kind, t.identity_category(i)?)))
            })
            .collect();
        if !wanted.is_empty() {
            let categories: BTreeSet<&str> = wanted.iter().map(|(_, c)| *c).collect();
            let is_wanted = |category: &str| categories.contains(category);
            for id in &loaded.body.subject_ids {
                let values = self.vault.values_of(id, &is_wanted).await?;
                for (category, value) in values {
                    let value = match value {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        _ => continue,
                    };
                    for (kind, _) in wanted.iter().filter(|(_, c)| *c == category) {
                        if let Ok(one) = custodia_connectors::Person::new(&[(*kind, &value)]) {
                            person.extend(one);
                        }
                    }
                }
            }
        }
        Ok(person)
    }

    /// Reads (access) or erases (erasure) the requester in every dataset, found by
    /// their identities; each dataset audited as it is done, with counts and column
    /// names only.
    async fn reach_datasets(
        &self,
        loaded: &Loaded,
        person: &custodia_connectors::Person,
        reach: Reach,
        who: &Principal,
    ) -> Result<DatasetsReached, custodia_connectors::ConnectorError> {
        let pseudonym = |value: &str| self.vault.dataset_pseudonym(value);
        let mut reached = DatasetsReached::default();
        let now = self.now().unix_timestamp();
        for connected in self.datasets.iter() {
            let id = &connected.spec.id;
            let answer_to = connected
                .http_tool()
                .map(|_| self.dataset_answer_url(&loaded.row.id, id));
            let reply = |event: &str| custodia_connectors::http::Reply {
                answer_to: answer_to.as_deref(),
                given: loaded.body.dataset_answers.get(&answer_key(id, event)),
            };
            let found = connected.find(person, reply("dataset.access"), now).await?;
            let (action, summary) = match reach {
                Reach::Erase => {
                    let plan = connected
                        .erase(person, &found, &pseudonym, reply("dataset.erase"), now)
                        .await?;
                    (AuditAction::DatasetErase, plan.summary())
                }
                Reach::Rectify => {
                    let changes = loaded
                        .body
                        .changes
                        .iter()
                        .flatten()
                        .map(|(category, value)| {
                            let value = match value {
                                Value::Null => None,
                                Value::String(s) => Some(s.clone()),
                                other => Some(other.to_string()),
                            };
                            (category.clone(), value)
                        })
                        .collect();
                    let plan = connected
                        .rectify(person, &found, &changes, reply("dataset.rectify"), now)
                        .await?;
                    (AuditAction::DatasetRectify, plan.summary())
                }
                Reach::Read => (AuditAction::DatasetRead, format!("{} rows", found.rows())),
            };
            let summary = format!("dataset {}: {summary}", connected.spec.id);
            self.audit_dataset(who, action, "ok", &loaded.row.id, &summary)
                .await;
            reached.summaries.push(summary);
            reached.found.push(found);
        }
        Ok(reached)
    }

    /// Where a tool over HTTP posts an answer it gives later.
    fn dataset_answer_url(&self, request: &str, dataset: &str) -> String {
        format!(
            "{}/v1/requests/{request}/datasets/{dataset}/answer",
            self.settings.public_url.trim_end_matches('/')
        )
    }

    /// A tool over HTTP posts the answer it promised (`{"pending": true}`): checked
    /// against the dataset's secret, the address it names and the event's shape,
    /// kept sealed in the request, and the request completed again at once through
    /// the outbox.
    pub async fn dataset_answer(
        &self,
        id: &str,
        dataset: &str,
        signature: &str,
        body: &[u8],
    ) -> Result<(), RightsError> {
        let connected = self
            .datasets
            .iter()
            .find(|d| d.spec.id == dataset)
            .ok_or(RightsError::NotFound)?;
        let tool = connected.http_tool().ok_or(RightsError::NotFound)?;
        if !tool.signed(signature, body, self.now().unix_timestamp()) {
            return Err(RightsError::Forbidden(
                "Custodia-Signature does not sign this body with the connection's secret, or is too old"
                    .to_owned(),
            ));
        }
        let answer: Value =
            serde_json::from_slice(body).map_err(|_| invalid("body", "not JSON"))?;
        let event =
            custodia_connectors::http::check_answer(&answer, &self.dataset_answer_url(id, dataset))
                .map_err(|e| invalid("body", e.to_string()))?
                .to_owned();
        // A tool may answer while a retry of the same request saves: read again.
        for attempt in 1.. {
            let mut loaded = self.load(id).await?;
            if !matches!(loaded.status(), Status::Verified | Status::InProgress) {
                return Err(RightsError::Conflict(
                    "the request is not waiting for this answer".to_owned(),
                ));
            }
            loaded
                .body
                .dataset_answers
                .insert(answer_key(dataset, &event), answer.clone());
            let now = self.now();
            let entry = HistoryEntry {
                at: now,
                action: "dataset_answered".to_owned(),
                by: format!("dataset:{dataset}"),
                note: Some(format!("{event} from dataset `{dataset}`")),
            };
            let retry = self.outbox.retry(id, now, now)?;
            let saved = self
                .save(
                    loaded,
                    Some(entry),
                    AuditAction::DatasetAnswered,
                    "ok",
                    None,
                    vec![retry],
                )
                .await;
            match saved {
                Err(RightsError::Conflict(_)) if attempt < 5 => continue,
                other => other?,
            }
            break;
        }
        self.outbox.wake();
        Ok(())
    }

    /// Audits one dataset step of a request; the request id stands for the person.
    async fn audit_dataset(
        &self,
        who: &Principal,
        action: AuditAction,
        outcome: &str,
        request: &str,
        detail: &str,
    ) {
        let record = crate::audit::AuditRecord::new(self.now(), &who.id, action, outcome)
            .detail(format!("request {request}, {detail}"));
        // The dataset change is done; a lost audit line must not undo the request.
        let _ = self.vault.record(record).await;
    }

    /// A dataset failed: the request stays open (in progress) with the failing
    /// dataset named in its history, and completing it again retries.
    async fn partly_done(
        &self,
        mut loaded: Loaded,
        who: &Principal,
        error: custodia_connectors::ConnectorError,
    ) -> RightsError {
        let note = error.to_string();
        let outcome = match error {
            custodia_connectors::ConnectorError::AnswersLater { .. } => "answers_later",
            _ => "failed",
        };
        self.audit_dataset(
            who,
            AuditAction::DatasetFailed,
            outcome,
            &loaded.row.id,
            &note,
        )
        .await;
        if loaded.status() == Status::Verified {
            loaded.row.status = Status::InProgress.id().to_owned();
        }
        // A retry that fails is rescheduled by the outbox item it runs from.
        let mut writes = Vec::new();
        if who.id != super::DATASET_RETRY_PRINCIPAL {
            let now = self.now();
            let first = self.settings.dataset_retry.delay(1).unwrap_or_default();
            match self.outbox.retry(&loaded.row.id, now, now + first) {
                Ok(w) => writes.push(w),
                Err(e) => return e,
            }
        }
        let entry = HistoryEntry {
            at: self.now(),
            action: "partly_done".to_owned(),
            by: who.id.clone(),
            note: Some(note),
        };
        if let Err(e) = self
            .save(
                loaded,
                Some(entry),
                AuditAction::RequestComplete,
                "failed",
                None,
                writes,
            )
            .await
        {
            return e;
        }
        self.outbox.wake();
        RightsError::Dataset(error)
    }

    async fn prepare_package(
        &self,
        loaded: &Loaded,
        subject_ids: &[String],
        datasets: &[custodia_connectors::Found],
        portable_only: bool,
        acting: &Principal,
    ) -> Result<Done, RightsError> {
        let lang = loaded.lang();
        let mut subjects = Vec::with_capacity(subject_ids.len());
        for id in subject_ids {
            let view = self.vault.get(acting, id, None).await?;
            let consents = self.consents.book().current(&Owner::Subject(id.clone()));
            subjects.push((view, consents));
        }
        let doc = package::build(
            &self.register,
            &loaded.row.kind,
            self.now(),
            &subjects,
            datasets,
            portable_only,
            lang,
        );
        let now = self.now();
        let expires_at = now + self.settings.download_lifetime;
        let mut writes = Vec::new();
        let mut links = Vec::new();
        for format in [Format::Html, Format::Json, Format::Csv] {
            let rendered = package::render(&doc, format, lang)?;
            let (token, hash) = custodia_crypto::generate_token("cus_dl")?;
            let sealed = loaded
                .key
                .seal(rendered.as_bytes(), &field_aad(&loaded.row.id, format.id()))?;
            writes.push(Write::PutDownload(DownloadRow {
                token_hash: hash.to_vec(),
                request_id: loaded.row.id.clone(),
                format: format.id().to_owned(),
                created_at: now,
                expires_at,
                body: sealed,
            }));
            links.push(PackageLink {
                format: format.id().to_owned(),
                url: format!(
                    "{}/download/{token}",
                    self.settings.public_url.trim_end_matches('/')
                ),
            });
        }
        Ok(Done {
            outcome: format!(
                "package of {} subject record(s) ready until {}",
                subject_ids.len(),
                expires_at.date()
            ),
            letter: Letter::PackageReady {
                links,
                expires: expires_at,
            },
            writes,
        })
    }

    async fn rectify(&self, loaded: &Loaded, acting: &Principal) -> Result<Done, RightsError> {
        let changes = loaded.body.changes.clone().unwrap_or_default();
        for id in &loaded.body.subject_ids {
            self.vault
                .update(acting, id, None, changes.clone(), None)
                .await?;
        }
        let categories: Vec<String> = changes.keys().cloned().collect();
        let notices = self
            .recipient_notices(loaded, "rectification", &categories)
            .await?;
        Ok(Done {
            outcome: format!(
                "corrected {} in {} record(s)",
                categories.join(", "),
                loaded.body.subject_ids.len()
            ),
            letter: Letter::Completed {
                kind: loaded.row.kind.clone(),
                recipients: notices.names,
            },
            writes: notices.writes,
        })
    }

    /// Erases each subject, except the categories a legal obligation keeps, which
    /// stay with the reason; every recipient that received data is told (Art. 19).
    async fn erase(
        &self,
        loaded: &Loaded,
        subject_ids: &[String],
        acting: &Principal,
    ) -> Result<Done, RightsError> {
        let notices = self.recipient_notices(loaded, "erasure", &[]).await?;
        let mut kept_all = BTreeSet::new();
        for id in subject_ids {
            let stored = self.store.subject(id).await?;
            let Some(stored) = stored.filter(|s| s.record.erased_at.is_none()) else {
                continue;
            };
            let kept = self.kept_by_legal_obligation(&stored.record.kind);
            let to_keep: Vec<String> = stored
                .fields
                .iter()
                .map(|f| f.category.clone())
                .filter(|c| kept.contains(c))
                .collect();
            if to_keep.is_empty() {
                self.vault.erase(acting, id).await?;
            } else {
                let removed: Map<String, Value> = stored
                    .fields
                    .iter()
                    .filter(|f| !kept.contains(&f.category))
                    .map(|f| (f.category.clone(), Value::Null))
                    .collect();
                if !removed.is_empty() {
                    self.vault.update(acting, id, None, removed, None).await?;
                }
                kept_all.extend(to_keep);
            }
        }
        let outcome = if kept_all.is_empty() {
            format!("erased {} record(s)", subject_ids.len())
        } else {
            format!(
                "erased, except {} kept under a legal obligation",
                kept_all.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        Ok(Done {
            outcome,
            letter: Letter::Erased {
                recipients: notices.names,
                kept: kept_all.into_iter().collect(),
            },
            writes: notices.writes,
        })
    }

    /// Categories a legal obligation makes us keep (Art. 17(3)(b)): used by a purpose
    /// resting on a legal obligation for this kind of subject, and given an archive
    /// phase by the register's retention rules (invoices, say).
    fn kept_by_legal_obligation(&self, kind: &str) -> BTreeSet<String> {
        let applies =
            |subjects: &[String]| subjects.is_empty() || subjects.iter().any(|s| s == kind);
        let archived: BTreeSet<&String> = self
            .register
            .retention
            .iter()
            .filter(|r| applies(&r.subjects))
            .filter(|r| {
                r.phases
                    .iter()
                    .any(|p| p.stage == custodia_register::Stage::Archive)
            })
            .flat_map(|r| r.categories.iter())
            .collect();
        self.register
            .purposes
            .iter()
            .filter(|p| p.legal_basis == Some(LegalBasis::LegalObligation) && applies(&p.subjects))
            .flat_map(|p| p.categories.iter())
            .filter(|c| archived.contains(c))
            .cloned()
            .collect()
    }

    fn restrict(&self, loaded: &Loaded) -> Result<Done, RightsError> {
        let now = self.now();
        let writes = loaded
            .body
            .subject_ids
            .iter()
            .map(|s| Write::SetRestriction {
                subject_id: s.clone(),
                restriction: Some(Restriction {
                    subject_id: s.clone(),
                    since: now,
                    request_id: Some(loaded.row.id.clone()),
                }),
            })
            .collect();
        Ok(Done {
            outcome: format!(
                "processing restricted for {} record(s)",
                loaded.body.subject_ids.len()
            ),
            letter: Letter::Completed {
                kind: loaded.row.kind.clone(),
                recipients: Vec::new(),
            },
            writes,
        })
    }

    /// Records a choice on each purpose for each of the requester's subjects:
    /// `withdrawn` where consent is the basis, `refused` (an objection) on legitimate
    /// interests.
    async fn record_choices(
        &self,
        loaded: &Loaded,
        purposes: &[String],
    ) -> Result<usize, RightsError> {
        let proof = Proof {
            method: "portal".to_owned(),
            ..Proof::default()
        };
        let mut recorded = 0;
        for subject in &loaded.body.subject_ids {
            let current = self
                .consents
                .book()
                .current(&Owner::Subject(subject.clone()));
            let choices: Vec<ChoiceInput> = purposes
                .iter()
                .filter_map(|p| {
                    let rules = self.consents.book().catalog().purpose(p)?;
                    let state = match rules.basis {
                        Some(LegalBasis::Consent) => {
                            let given = current.iter().any(|c| {
                                &c.purpose == p
                                    && c.service.is_none()
                                    && c.state == ChoiceState::Given
                            });
                            given.then_some("withdrawn")?
                        }
                        Some(LegalBasis::LegitimateInterest) => "refused",
                        _ => return None,
                    };
                    Some(ChoiceInput {
                        purpose: p.clone(),
                        service: None,
                        state: state.to_owned(),
                    })
                })
                .collect();
            if choices.is_empty() {
                continue;
            }
            match self
                .consents
                .record(
                    Recorder::Subject,
                    Owner::Subject(subject.clone()),
                    &choices,
                    &proof,
                )
                .await
            {
                Ok(records) => recorded += records.len(),
                // Erased since the request came in: nothing left to stop.
                Err(crate::consent::ConsentError::Erased) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(recorded)
    }

    fn purposes_or(
        &self,
        loaded: &Loaded,
        all: impl Fn(&custodia_register::Purpose) -> bool,
    ) -> Vec<String> {
        if loaded.body.purposes.is_empty() {
            self.register
                .purposes
                .iter()
                .filter(|p| all(p))
                .map(|p| p.id.clone())
                .collect()
        } else {
            loaded.body.purposes.clone()
        }
    }

    /// Art. 21: objection; to direct marketing it is absolute and the address goes
    /// on the opposition list so that a later import stays suppressed.
    async fn object(&self, loaded: &Loaded) -> Result<Done, RightsError> {
        let purposes = self.purposes_or(loaded, |p| {
            p.direct_marketing || p.legal_basis == Some(LegalBasis::LegitimateInterest)
        });
        let recorded = self.record_choices(loaded, &purposes).await?;
        let marketing = purposes.iter().any(|id| {
            self.register
                .purposes
                .iter()
                .any(|p| &p.id == id && p.direct_marketing)
        });
        let mut writes = Vec::new();
        if marketing {
            let now = self.now();
            let expires_at =
                self.settings.opposition_kept.after(now).ok_or_else(|| {
                    invalid("opposition", "the retention ends past the year 9999")
                })?;
            writes.push(Write::AddOpposition(OppositionEntry {
                digest: loaded.row.email_index.clone(),
                added_at: now,
                expires_at,
            }));
        }
        Ok(Done {
            outcome: format!(
                "objection recorded on {} purpose(s), {recorded} record(s){}",
                purposes.len(),
                if marketing {
                    "; address on the opposition list"
                } else {
                    ""
                }
            ),
            letter: Letter::Completed {
                kind: loaded.row.kind.clone(),
                recipients: Vec::new(),
            },
            writes,
        })
    }

    async fn withdraw(&self, loaded: &Loaded) -> Result<Done, RightsError> {
        let purposes = self.purposes_or(loaded, |p| p.legal_basis == Some(LegalBasis::Consent));
        let recorded = self.record_choices(loaded, &purposes).await?;
        Ok(Done {
            outcome: format!("consent withdrawn: {recorded} record(s)"),
            letter: Letter::Completed {
                kind: loaded.row.kind.clone(),
                recipients: Vec::new(),
            },
            writes: Vec::new(),
        })
    }

    /// California opt-out of sale or sharing: advertising purposes refused.
    async fn opt_out(&self, loaded: &Loaded) -> Result<Done, RightsError> {
        let purposes: Vec<String> = self
            .register
            .purposes
            .iter()
            .filter(|p| p.advertising)
            .map(|p| p.id.clone())
            .collect();
        let proof = Proof {
            method: "portal".to_owned(),
            ..Proof::default()
        };
        let choices: Vec<ChoiceInput> = purposes
            .iter()
            .map(|p| ChoiceInput {
                purpose: p.clone(),
                service: None,
                state: "refused".to_owned(),
            })
            .collect();
        let mut recorded = 0;
        if !choices.is_empty() {
            for subject in &loaded.body.subject_ids {
                match self
                    .consents
                    .record(
                        Recorder::Subject,
                        Owner::Subject(subject.clone()),
                        &choices,
                        &proof,
                    )
                    .await
                {
                    Ok(r) => recorded += r.len(),
                    Err(crate::consent::ConsentError::Erased) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(Done {
            outcome: format!("opted out of sale and sharing: {recorded} record(s)"),
            letter: Letter::Completed {
                kind: loaded.row.kind.clone(),
                recipients: Vec::new(),
            },
            writes: Vec::new(),
        })
    }

    /// California Civ. Code 1798.83: third parties that received the customer's
    /// data for their own direct marketing in the previous calendar year; one
    /// answer per customer per calendar year.
    async fn shine_the_light(&self, loaded: &Loaded) -> Result<Done, RightsError> {
        let now = self.now();
        let this_year = now.year();
        let earlier = self
            .store
            .rights_requests_by_email(&loaded.row.email_index)
            .await?
            .into_iter()
            .any(|r| {
                r.id != loaded.row.id
                    && parse_right(&r.kind) == Some(Right::ShineTheLight)
                    && r.status == Status::Completed.id()
                    && r.closed_at.is_some_and(|c| c.year() == this_year)
            });
        if earlier {
            return Err(RightsError::Conflict(
                "this customer already had this year's answer; refuse it with that reason"
                    .to_owned(),
            ));
        }
        let mut lines: Vec<String> = Vec::new();
        for id in &loaded.body.subject_ids {
            let Some(stored) = self.store.subject(id).await? else {
                continue;
            };
            for d in stored
                .disclosures
                .iter()
                .filter(|d| d.at.year() == this_year - 1)
            {
                let Some(r) = self
                    .register
                    .recipients
                    .iter()
                    .find(|r| r.id == d.recipient && r.direct_marketing_use)
                else {
                    continue;
                };
                let line = format!(
                    "{} ({}): {}",
                    r.name.in_lang(loaded.lang()),
                    r.address.as_deref().unwrap_or("-"),
                    d.categories.join(", ")
                );
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        Ok(Done {
            outcome: format!(
                "{} third part(ies) listed for {}",
                lines.len(),
                this_year - 1
            ),
            letter: Letter::ShineTheLight {
                year: this_year - 1,
                lines,
            },
            writes: Vec::new(),
        })
    }

    async fn post_mortem(
        &self,
        loaded: &mut Loaded,
        acting: &Principal,
    ) -> Result<Done, RightsError> {
        let directive = loaded
            .body
            .directive
            .clone()
            .ok_or_else(|| invalid("directive", "missing"))?;
        let kind = loaded.row.kind.clone();
        let completed = || Letter::Completed {
            kind: kind.clone(),
            recipients: Vec::new(),
        };
        match directive.action {
            DirectiveAction::Record => Ok(Done {
                outcome: "directive recorded".to_owned(),
                letter: completed(),
                writes: Vec::new(),
            }),
            DirectiveAction::Revoke => {
                let recorded = self.open_directives(&loaded.row.email_index, None).await?;
                let count = recorded.len();
                for other in recorded {
                    self.close_directive(other, &acting.id, "revoked").await?;
                }
                Ok(Done {
                    outcome: format!("{count} directive(s) revoked"),
                    letter: completed(),
                    writes: Vec::new(),
                })
            }
            DirectiveAction::Execute => {
                let deceased = directive.other_email.clone().unwrap_or_default();
                let deceased = custodia_crypto::normalize::email(&deceased)
                    .map_err(|e| invalid("directive.other_email", e.to_string()))?;
                let deceased_index = self.vault.index_digest("email", &deceased)?.to_vec();
                let mut directives = self
                    .open_directives(&deceased_index, Some(&loaded.body.email))
                    .await?;
                let Some(found) = directives.pop() else {
                    return Err(RightsError::Conflict(
                        "no directive recorded by this person names the requester".to_owned(),
                    ));
                };
                let instructions = found
                    .body
                    .directive
                    .as_ref()
                    .and_then(|d| d.instructions)
                    .unwrap_or(AfterDeath::Keep);
                let subjects = self.vault_subjects(&deceased_index);
                self.close_directive(found, &acting.id, "carried_out")
                    .await?;
                let mut done = match instructions {
                    AfterDeath::Erase => self.erase(loaded, &subjects, acting).await?,
                    AfterDeath::Transmit => {
                        // The deceased's own databases are not searched by the heir's
                        // address: only the vault's records are transmitted.
                        self.prepare_package(loaded, &subjects, &[], false, acting)
                            .await?
                    }
                    AfterDeath::Keep => Done {
                        outcome: String::new(),
                        letter: completed(),
                        writes: Vec::new(),
                    },
                };
                done.outcome = format!("directive carried out ({instructions:?}) {}", done.outcome)
                    .trim()
                    .to_owned();
                Ok(done)
            }
        }
    }

    /// Recorded, completed and still open post-mortem directives of the address with
    /// this index; with `trustee`, only those naming that person.
    async fn open_directives(
        &self,
        email_index: &[u8],
        trustee: Option<&str>,
    ) -> Result<Vec<Loaded>, RightsError> {
        let mut out = Vec::new();
        for row in self.store.rights_requests_by_email(email_index).await? {
            if parse_right(&row.kind) != Some(Right::PostMortem)
                || row.status != Status::Completed.id()
            {
                continue;
            }
            let other = self.load(&row.id).await?;
            let Some(d) = &other.body.directive else {
                continue;
            };
            let names_trustee = trustee.is_none_or(|t| {
                d.other_email
                    .as_deref()
                    .and_then(|e| custodia_crypto::normalize::email(e).ok())
                    .is_some_and(|e| e == t)
            });
            if d.action == DirectiveAction::Record && !other.body.directive_closed && names_trustee
            {
                out.push(other);
            }
        }
        Ok(out)
    }

    async fn close_directive(
        &self,
        mut directive: Loaded,
        by: &str,
        action: &str,
    ) -> Result<(), RightsError> {
        directive.body.directive_closed = true;
        let entry = HistoryEntry {
            at: self.now(),
            action: action.to_owned(),
            by: by.to_owned(),
            note: None,
        };
        self.save(
            directive,
            Some(entry),
            AuditAction::RequestDirective,
            action,
            None,
            Vec::new(),
        )
        .await
    }

    /// Art. 19 notices to every recipient the requester's data was disclosed to,
    /// through the channel configured for it.
    async fn recipient_notices(
        &self,
        loaded: &Loaded,
        event: &str,
        categories: &[String],
    ) -> Result<Notices, RightsError> {
        let now = self.now();
        let mut notices = Notices::default();
        let mut seen = BTreeSet::new();
        for subject in &loaded.body.subject_ids {
            let Some(stored) = self.store.subject(subject).await? else {
                continue;
            };
            for d in &stored.disclosures {
                if !seen.insert((subject.clone(), d.recipient.clone())) {
                    continue;
                }
                let name = self
                    .register
                    .recipients
                    .iter()
                    .find(|r| r.id == d.recipient)
                    .map(|r| r.name.in_lang(loaded.lang()).to_owned())
                    .unwrap_or_else(|| d.recipient.clone());
                let payload = json!({
                    "event": event,
                    "request_id": loaded.row.id,
                    "subject_id": subject,
                    "categories": if categories.is_empty() { d.categories.clone() } else { categories.to_vec() },
                    "at": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                });
                match self.settings.recipients.get(&d.recipient) {
                    Some(channel) => {
                        notices.writes.push(self.outbox.recipient_notice(
                            &loaded.row.id,
                            &d.recipient,
                            channel,
                            event,
                            &payload,
                            now,
                        )?);
                        if !notices.names.contains(&name) {
                            notices.names.push(name);
                        }
                    }
                    None => tracing::warn!(
                        recipient = %d.recipient,
                        "no notice channel configured for this recipient: tell it by hand"
                    ),
                }
            }
        }
        Ok(notices)
    }
}

#[derive(Default)]
struct Notices {
    names: Vec<String>,
    writes: Vec<Write>,
}

/// The key of a tool's later answer in a request: `DATASET EVENT`.
fn answer_key(dataset: &str, event: &str) -> String {
    format!("{dataset} {event}")
}
