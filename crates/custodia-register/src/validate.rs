//! Semantic checks the TOML schema cannot express. Each problem names the field it
//! is about; `Diagnostics::locate` turns that into a line.

use crate::authorities::german_regions;
use crate::datasets::{EraseStrategy, is_plain_identifier};
use crate::diagnostic::FieldPath;
use crate::duration::IsoDuration;
use crate::geography::{adequacy_country, in_eea};
use crate::model::*;
use crate::text::{Lang, Text};
use std::collections::{BTreeSet, HashMap, HashSet};

type Problems = Vec<(FieldPath, String)>;

/// What validation found: problems refuse the register, warnings do not.
pub(crate) struct Findings {
    pub problems: Problems,
    pub warnings: Problems,
}

pub(crate) fn validate(r: &Register) -> Findings {
    let mut v = Validator {
        r,
        out: Vec::new(),
        warnings: Vec::new(),
    };
    v.languages();
    v.controller();
    v.ids();
    v.categories();
    v.purposes();
    v.recipients_and_services();
    v.transfers();
    v.retention();
    v.cookies();
    v.rights();
    v.datasets();
    v.texts();
    v.dates();
    Findings {
        problems: v.out,
        warnings: v.warnings,
    }
}

struct Validator<'a> {
    r: &'a Register,
    out: Problems,
    warnings: Problems,
}

fn root() -> FieldPath {
    FieldPath::root()
}

impl<'a> Validator<'a> {
    fn problem(&mut self, at: FieldPath, message: impl Into<String>) {
        self.out.push((at, message.into()));
    }

    /// Allowed, but most likely not what the law allows or the reader expects.
    fn warning(&mut self, at: FieldPath, message: impl Into<String>) {
        self.warnings.push((at, message.into()));
    }

    /// Whether the purpose uses an e-mail address (a category holding e-mails).
    fn emails(&self, p: &Purpose) -> bool {
        p.categories.iter().any(|id| {
            self.r.categories.iter().any(|c| {
                &c.id == id && (c.value == Some(ValueKind::Email) || c.id.ends_with(".email"))
            })
        })
    }

    fn category_ids(&self) -> HashSet<&'a str> {
        self.r.categories.iter().map(|c| c.id.as_str()).collect()
    }

    fn check_refs(&mut self, at: FieldPath, refs: &[String], known: &HashSet<&str>, what: &str) {
        for (i, id) in refs.iter().enumerate() {
            if !known.contains(id.as_str()) {
                let mut choices: Vec<&str> = known.iter().copied().collect();
                choices.sort_unstable();
                self.problem(
                    at.index(i),
                    format!("unknown {what} `{id}` (declared: {})", choices.join(", ")),
                );
            }
        }
    }

    fn languages(&mut self) {
        if self.r.format != 1 {
            self.problem(root().key("format"), "only format 1 exists");
        }
        if self.r.languages.is_empty() {
            self.problem(
                root().key("languages"),
                format!("name at least one of {}", Lang::codes()),
            );
        }
    }

    fn controller(&mut self) {
        let c = &self.r.controller;
        let at = root().key("controller");
        if c.legal_name.trim().is_empty() {
            self.problem(
                at.key("legal_name"),
                "the controller's identity is required (Art. 13(1)(a))",
            );
        }
        if c.address.trim().is_empty() {
            self.problem(
                at.key("address"),
                "the controller's address is required (Art. 13(1)(a))",
            );
        } else if !postal_address(&c.address) {
            self.warning(
                at.key("address"),
                format!("`{}` does not look like a postal address: give the street with its number, then the postcode and town", c.address),
            );
        }
        if c.country == "FR" && !self.r.rights.offered.contains(&Right::PostMortem) {
            self.problem(
                root().key("rights").key("offered"),
                "a controller established in France must tell people they can leave directives for after their death (article 85 of the French Data Protection Act): offer `post_mortem`",
            );
        }
        check_country(&mut self.out, at.key("country"), &c.country);
        if c.email.is_none() && c.contact_url.is_none() && c.phone.is_none() {
            self.problem(
                at.clone(),
                "give a contact point: email, contact_url or phone (Art. 13(1)(a))",
            );
        }
        if let Some(dpo) = &c.dpo
            && dpo.email.is_none()
            && dpo.url.is_none()
            && dpo.phone.is_none()
            && dpo.address.is_none()
        {
            self.problem(
                at.key("dpo"),
                "the DPO needs contact details (Art. 13(1)(b))",
            );
        }
        if c.country == "DE"
            && let Some(region) = &c.region
            && !german_regions().any(|r| r.eq_ignore_ascii_case(region.trim()))
        {
            self.problem(
                at.key("region"),
                format!(
                    "`{region}` is not a German Land; use its ISO 3166-2 code: {}",
                    german_regions().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        match &c.supervisory_authority {
            // `parse` fills in the authority of the countries Custodia knows.
            None if c.country == "DE" => self.problem(
                at.key("supervisory_authority"),
                "name the supervisory authority, or give `region` (the Land of the seat, e.g. \"DE-BY\") so the Land's authority is named (Art. 13(2)(d), BDSG § 40)",
            ),
            None => self.problem(
                at.key("supervisory_authority"),
                "name the supervisory authority and its address so people can complain (Art. 13(2)(d))",
            ),
            Some(a) if a.address.trim().is_empty() => self.problem(
                at.key("supervisory_authority").key("address"),
                "the supervisory authority's address is required",
            ),
            Some(_) => {}
        }
    }

    fn ids(&mut self) {
        fn unique<'b>(out: &mut Problems, list: &str, ids: impl Iterator<Item = &'b str>) {
            let mut seen = HashSet::new();
            for (i, id) in ids.enumerate() {
                let at = root().key(list).index(i).key("id");
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                {
                    out.push((
                        at.clone(),
                        format!("`{id}` is not a valid id (letters, digits, `.`, `_`, `-`)"),
                    ));
                }
                if !seen.insert(id) {
                    out.push((at, format!("`{id}` is declared twice")));
                }
            }
        }
        let r = self.r;
        unique(
            &mut self.out,
            "categories",
            r.categories.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "subject_kinds",
            r.subject_kinds.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "custom_events",
            r.custom_events.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "purposes",
            r.purposes.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "recipients",
            r.recipients.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "services",
            r.services.iter().map(|c| c.id.as_str()),
        );
        unique(
            &mut self.out,
            "retention",
            r.retention.iter().map(|c| c.id.as_str()),
        );
        for (i, event) in r.custom_events.iter().enumerate() {
            let reserved = BUILTIN_EVENTS.contains(&event.id.as_str())
                || [UNDER_AGE_EVENT, PARENTAL_CONSENT_EVENT].contains(&event.id.as_str());
            if reserved {
                self.problem(
                    root().key("custom_events").index(i).key("id"),
                    format!(
                        "`{}` is an event Custodia already records: choose another id",
                        event.id
                    ),
                );
            }
        }
        unique(
            &mut self.out,
            "datasets",
            r.datasets.iter().map(|c| c.id.as_str()),
        );
        let builtin_roles = ["admin", "dpo", "auditor"];
        for (i, handler) in r.rights.handlers.iter().enumerate() {
            let internal = r
                .recipients
                .iter()
                .any(|rec| rec.kind == RecipientKind::Internal && &rec.id == handler);
            if !internal {
                self.problem(
                    root().key("rights").key("handlers").index(i),
                    format!(
                        "`{handler}` is not an internal recipient (a staff role) of this register"
                    ),
                );
            }
        }
        for (i, rec) in r.recipients.iter().enumerate() {
            if rec.kind == RecipientKind::Internal && builtin_roles.contains(&rec.id.as_str()) {
                self.problem(
                    root().key("recipients").index(i).key("id"),
                    format!(
                        "`{}` is a built-in Custodia role; choose another id",
                        rec.id
                    ),
                );
            }
        }
        if r.subject_kinds.is_empty() {
            self.problem(
                root().key("subject_kinds"),
                "declare at least one kind of data subject",
            );
        }
        if r.purposes.is_empty() {
            self.problem(
                root().key("purposes"),
                "declare at least one purpose (Art. 13(1)(c))",
            );
        }
    }

    fn categories(&mut self) {
        for (country, age) in &self.r.children.ages {
            check_country(
                &mut self.out,
                root().key("children").key("ages").key(country),
                country,
            );
            if !(13..=16).contains(age) {
                self.problem(root().key("children").key("ages").key(country), format!("the age of digital consent is between 13 and 16 (GDPR Art. 8, COPPA), not {age}"));
            }
        }
        if self
            .r
            .children
            .parental_consent_within
            .as_ref()
            .is_some_and(IsoDuration::is_zero)
        {
            self.problem(
                root().key("children").key("parental_consent_within"),
                "give the delay a parent has to consent before the child's data is erased (e.g. \"P30D\"), not zero",
            );
        }
        if !(13..=16).contains(&self.r.children.default_age) {
            self.problem(
                root().key("children").key("default_age"),
                "the age of digital consent is between 13 and 16",
            );
        }
        for (i, c) in self.r.categories.iter().enumerate() {
            for lang in Gender::AGREEING {
                if self.r.languages.contains(&lang) && !c.gender.contains_key(&lang) {
                    self.problem(
                        root().key("categories").index(i).key("gender"),
                        format!("the {} text agrees with this category's name: give its gender, e.g. gender = {{ {} = \"feminine\" }} (masculine, feminine, masculine_plural or feminine_plural)", lang.code(), lang.code()),
                    );
                }
            }
            if c.sensitive && c.never_stored {
                self.problem(
                    root().key("categories").index(i).key("never_stored"),
                    "a never-stored category cannot also be a special category: pick one",
                );
            }
        }
    }

    fn purposes(&mut self) {
        let categories = self.category_ids();
        let kinds: HashSet<&str> = self.r.subject_kinds.iter().map(|k| k.id.as_str()).collect();
        let recipients: HashSet<&str> = self.r.recipients.iter().map(|k| k.id.as_str()).collect();
        let services: HashSet<&str> = self.r.services.iter().map(|k| k.id.as_str()).collect();
        for (i, p) in self.r.purposes.iter().enumerate() {
            let at = root().key("purposes").index(i);
            if p.service_messages {
                if p.direct_marketing || p.advertising {
                    self.problem(
                        at.key("service_messages"),
                        format!("purpose `{}` sends service messages, which cannot be refused, so they may carry no marketing or advertising: put the offers in a purpose of their own", p.id),
                    );
                }
                if p.legal_basis == Some(LegalBasis::Consent) {
                    self.problem(
                        at.key("service_messages"),
                        format!("purpose `{}` sends service messages, which cannot be refused while the account exists: they rest on the contract (or a legal obligation), not on consent", p.id),
                    );
                }
            }
            match p.legal_basis {
                None => self.problem(
                    at.key("legal_basis"),
                    format!(
                        "purpose `{}` has no legal basis; choose one of {}",
                        p.id,
                        LegalBasis::ALL.map(LegalBasis::id).join(", ")
                    ),
                ),
                Some(LegalBasis::LegitimateInterest) if p.legitimate_interest.is_none() => self
                    .problem(
                        at.key("legitimate_interest"),
                        format!("purpose `{}` relies on legitimate interest but does not state the interest (Art. 13(1)(d))", p.id),
                    ),
                Some(LegalBasis::LegalObligation)
                    if p.legal_reference.as_ref().is_none_or(|t| Lang::ALL.iter().all(|l| t.get(*l).is_none())) =>
                {
                    self.problem(
                        at.key("legal_reference"),
                        format!("purpose `{}` is required by law: name the law (legal_reference), so people can check it (Art. 6(3))", p.id),
                    );
                }
                Some(basis) if basis != LegalBasis::Consent && p.direct_marketing && !p.professional_audience && self.emails(p) => {
                    let kinds: Vec<&str> = p
                        .subjects
                        .iter()
                        .filter(|id| !self.r.subject_kinds.iter().any(|k| &&k.id == id && k.customer))
                        .map(String::as_str)
                        .collect();
                    if !kinds.is_empty() {
                        self.problem(
                            at.key("legal_basis"),
                            format!("purpose `{}` sends offers by e-mail to people who are not customers ({}): that needs their prior consent (e-Privacy Art. 13, French CPCE L34-5); base it on consent, keep it to customer kinds (subject_kinds.customer = true), or set professional_audience = true for professionals addressed about their work", p.id, kinds.join(", ")),
                        );
                    }
                }
                Some(LegalBasis::Consent) => {
                    let none = p.consent.as_ref().is_none_or(|c| c.collected_by.is_empty());
                    if none {
                        self.problem(
                            at.key("consent"),
                            format!("purpose `{}` is based on consent but has no way to collect it: add consent.collected_by = [\"banner\" | \"form\" | \"api\"]", p.id),
                        );
                    }
                }
                Some(_) => {}
            }
            if p.legal_basis.is_some_and(|b| b != LegalBasis::Consent) && p.consent.is_some() {
                self.problem(
                    at.key("consent"),
                    format!(
                        "purpose `{}` collects consent but its legal basis is not consent",
                        p.id
                    ),
                );
            }
            if p.categories.is_empty() {
                self.problem(
                    at.key("categories"),
                    "list the categories of data this purpose uses",
                );
            }
            self.check_refs(at.key("categories"), &p.categories, &categories, "category");
            if p.subjects.is_empty() {
                self.problem(
                    at.key("subjects"),
                    "list the kinds of subject this purpose concerns",
                );
            }
            self.check_refs(at.key("subjects"), &p.subjects, &kinds, "subject kind");
            self.check_refs(
                at.key("recipients"),
                &p.recipients,
                &recipients,
                "recipient",
            );
            self.check_refs(at.key("services"), &p.services, &services, "service");
            for (j, m) in p.mandatory.iter().enumerate() {
                if !p.categories.contains(m) {
                    self.problem(
                        at.key("mandatory").index(j),
                        format!("`{m}` is mandatory but not among this purpose's categories"),
                    );
                }
            }
            if !p.mandatory.is_empty() {
                if p.requirement.is_none() {
                    self.problem(at.key("requirement"), "say whether providing the mandatory data is a statutory or contractual requirement (Art. 13(2)(e)): statutory, contractual, contract_prerequisite, service_prerequisite or voluntary");
                }
                if p.consequence_if_not_provided.is_none() {
                    self.problem(
                        at.key("consequence_if_not_provided"),
                        "say what happens if the mandatory data is not provided (Art. 13(2)(e))",
                    );
                }
            }
        }
    }

    fn recipients_and_services(&mut self) {
        let categories = self.category_ids();
        let providers: HashSet<&str> = self.r.recipients.iter().map(|k| k.id.as_str()).collect();
        for (i, rec) in self.r.recipients.iter().enumerate() {
            let at = root().key("recipients").index(i);
            self.check_refs(
                at.key("categories"),
                &rec.categories,
                &categories,
                "category",
            );
            if !matches!(
                rec.kind,
                RecipientKind::Internal | RecipientKind::Authority | RecipientKind::Public
            ) && rec.countries.is_empty()
            {
                self.problem(at.key("countries"), format!("recipient `{}`: give the countries where it processes data (Art. 13(1)(f)), or EU / EEA", rec.id));
            }
            for (j, c) in rec.countries.iter().enumerate() {
                if !crate::geography::REGIONS.contains(&c.as_str()) {
                    check_country(&mut self.out, at.key("countries").index(j), c);
                }
            }
            if rec.anonymous_aggregates && !rec.categories.is_empty() {
                self.problem(at.key("categories"), format!("recipient `{}` receives only anonymous aggregates: it receives no category of personal data", rec.id));
            }
        }
        for (i, s) in self.r.services.iter().enumerate() {
            let at = root().key("services").index(i);
            if !providers.contains(s.provider.as_str()) {
                self.problem(
                    at.key("provider"),
                    format!("unknown recipient `{}`", s.provider),
                );
            }
            self.check_refs(at.key("categories"), &s.categories, &categories, "category");
        }
    }

    fn transfers(&mut self) {
        let recipients: HashMap<&str, &Recipient> = self
            .r
            .recipients
            .iter()
            .map(|k| (k.id.as_str(), k))
            .collect();
        for (i, t) in self.r.transfers.iter().enumerate() {
            let at = root().key("transfers").index(i);
            check_country(&mut self.out, at.key("country"), &t.country);
            match recipients.get(t.recipient.as_str()) {
                None => self.problem(
                    at.key("recipient"),
                    format!("unknown recipient `{}`", t.recipient),
                ),
                Some(rec) if !rec.countries.contains(&t.country) => self.problem(
                    at.key("country"),
                    format!(
                        "recipient `{}` does not list {} among its countries",
                        rec.id, t.country
                    ),
                ),
                // EDPB Guidelines 2/2018: Art. 49 covers occasional transfers, and a
                // processor's work for us is systematic.
                Some(rec)
                    if t.mechanism == TransferMechanism::Derogation
                        && rec.kind == RecipientKind::Processor =>
                {
                    self.warning(
                        at.key("mechanism"),
                        format!("`{}` is a processor: its transfers are systematic, which an Art. 49 derogation does not cover (EDPB Guidelines 2/2018); use an adequacy decision, standard contractual clauses or binding corporate rules", rec.id),
                    );
                }
                Some(_) => {}
            }
            match t.mechanism {
                TransferMechanism::Scc if !matches!(t.scc_module, Some(1..=4)) => self.problem(
                    at.key("scc_module"),
                    "standard contractual clauses need the module used: 1, 2, 3 or 4",
                ),
                TransferMechanism::Derogation if t.derogation.is_none() => self.problem(
                    at.key("derogation"),
                    "state the Art. 49(1) ground the derogation relies on",
                ),
                TransferMechanism::Adequacy if !adequacy_country(&t.country) => self.problem(
                    at.key("mechanism"),
                    format!(
                        "{} has no adequacy decision{}",
                        t.country,
                        if t.country == "US" {
                            "; use `dpf` for a certified organisation, or `scc`"
                        } else {
                            ""
                        }
                    ),
                ),
                TransferMechanism::Dpf if t.country != "US" => self.problem(
                    at.key("mechanism"),
                    "the Data Privacy Framework only covers transfers to the United States",
                ),
                _ => {}
            }
        }
        for (i, rec) in self.r.recipients.iter().enumerate() {
            for (j, country) in rec.countries.iter().enumerate() {
                if in_eea(country) || adequacy_country(country) {
                    continue;
                }
                let covered = self
                    .r
                    .transfers
                    .iter()
                    .any(|t| t.recipient == rec.id && &t.country == country);
                if !covered {
                    self.problem(
                        root().key("recipients").index(i).key("countries").index(j),
                        format!("recipient `{}` receives data in {country}, outside the EEA, without a transfer mechanism: add a [[transfers]] entry (dpf, scc, bcr or derogation)", rec.id),
                    );
                }
            }
        }
    }

    fn retention(&mut self) {
        let categories = self.category_ids();
        let kinds: HashSet<&str> = self.r.subject_kinds.iter().map(|k| k.id.as_str()).collect();
        let events: HashSet<&str> = self.r.custom_events.iter().map(|k| k.id.as_str()).collect();
        let roles: HashSet<&str> = self
            .r
            .recipients
            .iter()
            .filter(|r| r.kind == RecipientKind::Internal)
            .map(|r| r.id.as_str())
            .chain(["admin", "dpo", "auditor"])
            .collect();
        for (i, rule) in self.r.retention.iter().enumerate() {
            let at = root().key("retention").index(i);
            self.check_refs(
                at.key("categories"),
                &rule.categories,
                &categories,
                "category",
            );
            self.check_refs(at.key("subjects"), &rule.subjects, &kinds, "subject kind");
            let triggers = [(at.key("trigger"), &rule.trigger)]
                .into_iter()
                .chain(
                    rule.or_earlier
                        .iter()
                        .enumerate()
                        .map(|(j, t)| (at.key("or_earlier").index(j), t)),
                )
                .chain(
                    rule.or_later
                        .iter()
                        .enumerate()
                        .map(|(j, t)| (at.key("or_later").index(j), t)),
                );
            for (tat, trigger) in triggers {
                if let Trigger::Custom(event) = trigger
                    && !events.contains(event.as_str())
                {
                    self.problem(tat, format!("unknown event `{event}`: use a built-in trigger (collected, last_contact, account_closed, last_connection, transaction, debit, deferred_debit, invoice, consent_given, identity_verified, ...) or declare it in [[custom_events]]"));
                }
            }
            if !rule.or_earlier.is_empty() && !rule.or_later.is_empty() {
                self.problem(
                    at.key("or_later"),
                    "give either or_earlier (whichever comes first) or or_later (whichever is later), not both",
                );
            }
            if let Some(purpose) = &rule.while_consent {
                match self.r.purposes.iter().find(|p| &p.id == purpose) {
                    None => self.problem(
                        at.key("while_consent"),
                        format!("unknown purpose `{purpose}`"),
                    ),
                    Some(p) if p.legal_basis != Some(LegalBasis::Consent) => self.problem(
                        at.key("while_consent"),
                        format!("purpose `{purpose}` does not rest on consent: data kept while a consent is in force needs a consent-based purpose"),
                    ),
                    Some(_) => {}
                }
            }
            let answers_by_contact = rule.trigger == Trigger::LastContact
                || rule.or_later.contains(&Trigger::LastContact);
            match (rule.then, rule.answer_within) {
                (FinalAction::AskAgain, None) => self.problem(
                    at.key("answer_within"),
                    "say how long the person has to answer before the data is deleted (e.g. answer_within = \"P30D\")",
                ),
                (FinalAction::AskAgain, Some(d)) if d.is_zero() => self.problem(
                    at.key("answer_within"),
                    "the person needs at least one day to answer",
                ),
                (FinalAction::AskAgain, Some(_)) if !answers_by_contact => self.problem(
                    at.key("then"),
                    "the answer to \"ask again\" is a contact from the person: the rule must count from last_contact (as its trigger or in or_later), so that the answer restarts it",
                ),
                (FinalAction::Delete | FinalAction::Anonymise, Some(_)) => self.problem(
                    at.key("answer_within"),
                    "answer_within applies only with then = \"ask_again\"",
                ),
                _ => {}
            }
            if rule.phases.is_empty() {
                self.problem(
                    at.key("phases"),
                    "a retention rule needs at least one phase",
                );
            }
            for (j, phase) in rule.phases.iter().enumerate() {
                let pat = at.key("phases").index(j);
                if phase.duration.is_zero() {
                    self.problem(pat.key("duration"), "a phase must last at least one day");
                }
                if phase.stage == Stage::Archive {
                    if phase.reason.is_none() {
                        self.problem(
                            pat.key("reason"),
                            "say why archived data is kept (legal obligation, proof, disputes)",
                        );
                    }
                    if phase.access.is_empty() {
                        self.problem(
                            pat.key("access"),
                            "name the roles that may read the archive",
                        );
                    }
                }
                for (k, role) in phase.access.iter().enumerate() {
                    if !roles.contains(role.as_str()) {
                        self.problem(
                            pat.key("access").index(k),
                            format!(
                                "unknown role `{role}` (internal recipients, admin, dpo, auditor)"
                            ),
                        );
                    }
                }
            }
            for c in &rule.categories {
                if self
                    .r
                    .categories
                    .iter()
                    .any(|k| &k.id == c && k.never_stored)
                {
                    self.problem(
                        at.key("categories"),
                        format!("`{c}` is never stored, so it has no retention"),
                    );
                }
            }
        }
        // Every stored category must have a rule for every kind of subject whose data
        // a purpose holds in it (Art. 5(1)(e), Art. 13(2)(a)).
        let mut needed: BTreeSet<(&str, &str)> = BTreeSet::new();
        for p in &self.r.purposes {
            for c in &p.categories {
                for k in &p.subjects {
                    needed.insert((c.as_str(), k.as_str()));
                }
            }
        }
        for (i, category) in self.r.categories.iter().enumerate() {
            if category.never_stored {
                continue;
            }
            let kinds_needed: Vec<&str> = needed
                .iter()
                .filter(|(c, _)| *c == category.id)
                .map(|(_, k)| *k)
                .collect();
            let covers = |kind: &str| {
                self.r.retention.iter().any(|rule| {
                    rule.categories.contains(&category.id)
                        && (rule.subjects.is_empty() || rule.subjects.iter().any(|s| s == kind))
                })
            };
            let any_rule = self
                .r
                .retention
                .iter()
                .any(|rule| rule.categories.contains(&category.id));
            let missing: Vec<&str> = kinds_needed
                .iter()
                .copied()
                .filter(|k| !covers(k))
                .collect();
            let at = root().key("categories").index(i).key("id");
            if !any_rule {
                self.problem(at, format!("category `{}` has no retention rule: add a [[retention]] rule that lists it (Art. 5(1)(e))", category.id));
            } else if !missing.is_empty() {
                self.problem(
                    at,
                    format!(
                        "category `{}` has no retention rule for subject kind(s) {}",
                        category.id,
                        missing.join(", ")
                    ),
                );
            }
        }
    }

    fn cookies(&mut self) {
        let ceiling = self.r.consent.tracker_max_lifetime;
        let providers: HashSet<&str> = self.r.recipients.iter().map(|k| k.id.as_str()).collect();
        let services: HashSet<&str> = self.r.services.iter().map(|k| k.id.as_str()).collect();
        for (i, c) in self.r.cookies.iter().enumerate() {
            let at = root().key("cookies").index(i);
            match c.lifetime {
                None => self.problem(at.key("lifetime"), format!("cookie `{}` has no lifetime: give an ISO 8601 duration (P13M), `session`, or `none` for a pixel that stores nothing", c.name)),
                Some(Lifetime::NotStored) if c.kind.stores() => self.problem(
                    at.key("lifetime"),
                    format!("`{}` stores something on the device, so it has a lifetime: an ISO 8601 duration (P13M) or `session`", c.name),
                ),
                Some(Lifetime::For(d)) if !c.exempt && d.may_exceed(&ceiling) => self.problem(
                    at.key("lifetime"),
                    format!("cookie `{}` lives {d}, longer than the {ceiling} allowed for trackers that need consent", c.name),
                ),
                // The exemption for audience measurement holds only within the same
                // ceiling (CNIL guidelines on trackers, art. 82 LIL).
                Some(Lifetime::For(d)) if c.exempt && c.category == CookieCategory::Analytics && d.may_exceed(&ceiling) => self.problem(
                    at.key("lifetime"),
                    format!("cookie `{}` lives {d}: an audience-measurement cookie is exempt from consent only if it lives at most {ceiling}", c.name),
                ),
                _ => {}
            }
            if c.exempt
                && matches!(
                    c.category,
                    CookieCategory::Marketing
                        | CookieCategory::Social
                        | CookieCategory::Personalisation
                )
            {
                self.problem(
                    at.key("exempt"),
                    format!("cookie `{}` is a {} tracker: advertising, social network and personalisation trackers always need consent, so it cannot be exempt", c.name, c.category.id()),
                );
            }
            if c.provider != "self" && !providers.contains(c.provider.as_str()) {
                self.problem(
                    at.key("provider"),
                    format!(
                        "unknown recipient `{}` (or `self` for your own cookies)",
                        c.provider
                    ),
                );
            }
            if let Some(s) = &c.service
                && !services.contains(s.as_str())
            {
                self.problem(at.key("service"), format!("unknown service `{s}`"));
            }
            if c.category == CookieCategory::Necessary && !c.exempt {
                self.problem(at.key("exempt"), "strictly necessary cookies are exempt from consent: set exempt = true or change the category");
            }
            match (&c.consent_purpose, c.exempt) {
                (None, false) => self.problem(at.key("consent_purpose"), format!("cookie `{}` needs consent: name the consent purpose that governs it", c.name)),
                (Some(p), _) => match self.r.purposes.iter().find(|x| &x.id == p) {
                    None => self.problem(at.key("consent_purpose"), format!("unknown purpose `{p}`")),
                    Some(purpose) if !c.exempt && purpose.legal_basis != Some(LegalBasis::Consent) => self.problem(
                        at.key("consent_purpose"),
                        format!("purpose `{p}` is not based on consent, but this cookie is not exempt"),
                    ),
                    // E-mail pixels are allowed where the address is given (a form).
                    Some(purpose) if !c.exempt && !purpose.consent.as_ref().is_some_and(|k| k.collected_by.contains(&consent_place(c.kind))) => self.problem(
                        at.key("consent_purpose"),
                        format!("purpose `{p}` does not collect consent by {}, so this tracker could never be allowed", if c.kind == TrackerKind::EmailPixel { "form" } else { "banner" }),
                    ),
                    Some(_) => {}
                },
                (None, true) => {}
            }
        }
    }

    fn rights(&mut self) {
        let at = root().key("rights").key("offered");
        for right in Right::GDPR {
            if !self.r.rights.offered.contains(&right) {
                self.problem(
                    at.clone(),
                    format!("the right `{}` must be stated (Art. 13(2))", right.id()),
                );
            }
        }
        if !self.r.rights.ccpa_applies
            && let Some(i) = self.r.rights.offered.iter().position(|r| r.is_ccpa())
        {
            self.problem(at.index(i), format!("`{}` is a right under the California Consumer Privacy Act: set `rights.ccpa_applies = true` if the CCPA applies to you (Cal. Civ. Code 1798.140(d)), or do not offer it", self.r.rights.offered[i].id()));
        }
        if self.r.rights.offered.contains(&Right::PostMortem) && self.r.controller.country != "FR" {
            self.problem(at.clone(), "post-mortem directives are a French right; the controller is not established in France");
        }
        // Art. 12(3): an answer within one month, extendable by two further months.
        let rights = root().key("rights");
        let (response, extension) = (self.r.rights.response_time, self.r.rights.extension);
        let (month, two_months) = (
            IsoDuration {
                months: 1,
                ..IsoDuration::default()
            },
            IsoDuration {
                months: 2,
                ..IsoDuration::default()
            },
        );
        if response.is_zero() || response.may_exceed(&month) {
            self.problem(rights.key("response_time"), format!("requests must be answered within one month at most (Art. 12(3)); {response} is not a valid answer deadline"));
        }
        if extension.may_exceed(&two_months) {
            self.problem(rights.key("extension"), format!("the answer deadline can be extended by two months at most (Art. 12(3)), not {extension}"));
        }
    }

    fn dates(&mut self) {
        let mut dates = vec![(
            root().key("policy").key("last_updated"),
            self.r.policy.last_updated.as_deref(),
        )];
        for (i, t) in self.r.transfers.iter().enumerate() {
            dates.push((
                root().key("transfers").index(i).key("dpf_checked_on"),
                t.dpf_checked_on.as_deref(),
            ));
        }
        for (at, date) in dates {
            if let Some(date) = date
                && parse_date(date).is_none()
            {
                self.problem(at, format!("`{date}` is not a date: write YYYY-MM-DD"));
            }
        }
    }

    fn texts(&mut self) {
        let langs = self.r.languages.clone();
        let mut texts: Vec<(FieldPath, &Text)> = Vec::new();
        let r = self.r;
        let c = &r.controller;
        let at = root().key("controller");
        push_opt(&mut texts, at.key("registration"), c.registration.as_ref());
        push_opt(&mut texts, at.key("service_name"), c.service_name.as_ref());
        if let Some(a) = &c.supervisory_authority {
            texts.push((at.key("supervisory_authority").key("name"), &a.name));
        }
        for (i, x) in r.categories.iter().enumerate() {
            let at = root().key("categories").index(i);
            texts.push((at.key("name"), &x.name));
            push_opt(&mut texts, at.key("description"), x.description.as_ref());
            push_opt(
                &mut texts,
                at.key("source_detail"),
                x.source_detail.as_ref(),
            );
        }
        for (i, x) in r.subject_kinds.iter().enumerate() {
            let at = root().key("subject_kinds").index(i);
            texts.push((at.key("name"), &x.name));
            push_opt(&mut texts, at.key("description"), x.description.as_ref());
        }
        for (i, x) in r.custom_events.iter().enumerate() {
            texts.push((root().key("custom_events").index(i).key("name"), &x.name));
        }
        for (i, x) in r.purposes.iter().enumerate() {
            let at = root().key("purposes").index(i);
            texts.push((at.key("title"), &x.title));
            texts.push((at.key("description"), &x.description));
            push_opt(
                &mut texts,
                at.key("legitimate_interest"),
                x.legitimate_interest.as_ref(),
            );
            push_opt(
                &mut texts,
                at.key("legal_reference"),
                x.legal_reference.as_ref(),
            );
            push_opt(
                &mut texts,
                at.key("consequence_if_not_provided"),
                x.consequence_if_not_provided.as_ref(),
            );
            if let Some(a) = &x.automated_decision {
                let at = at.key("automated_decision");
                texts.push((at.key("logic"), &a.logic));
                texts.push((at.key("significance"), &a.significance));
                texts.push((at.key("human_review"), &a.human_review));
            }
        }
        for (i, x) in r.recipients.iter().enumerate() {
            let at = root().key("recipients").index(i);
            texts.push((at.key("name"), &x.name));
            texts.push((at.key("role"), &x.role));
        }
        for (i, x) in r.services.iter().enumerate() {
            push_opt(
                &mut texts,
                root().key("services").index(i).key("description"),
                x.description.as_ref(),
            );
        }
        for (i, x) in r.transfers.iter().enumerate() {
            let at = root().key("transfers").index(i);
            push_opt(&mut texts, at.key("derogation"), x.derogation.as_ref());
            push_opt(
                &mut texts,
                at.key("safeguards_copy"),
                x.safeguards_copy.as_ref(),
            );
        }
        for (i, x) in r.retention.iter().enumerate() {
            let at = root().key("retention").index(i);
            push_opt(&mut texts, at.key("title"), x.title.as_ref());
            push_opt(
                &mut texts,
                at.key("before_trigger"),
                x.before_trigger.as_ref(),
            );
            for (j, p) in x.phases.iter().enumerate() {
                push_opt(
                    &mut texts,
                    at.key("phases").index(j).key("reason"),
                    p.reason.as_ref(),
                );
            }
        }
        for (i, x) in r.cookies.iter().enumerate() {
            texts.push((root().key("cookies").index(i).key("purpose"), &x.purpose));
        }
        for (i, x) in r.security.organisational.iter().enumerate() {
            texts.push((root().key("security").key("organisational").index(i), x));
        }
        for (i, x) in r.security.technical.iter().enumerate() {
            texts.push((root().key("security").key("technical").index(i), x));
        }
        texts.push((
            root().key("rights").key("how_to_exercise"),
            &r.rights.how_to_exercise,
        ));
        for (i, x) in r.rights.notes.iter().enumerate() {
            texts.push((
                root().key("rights").key("notes").index(i).key("text"),
                &x.text,
            ));
        }
        push_opt(
            &mut texts,
            root().key("policy").key("introduction"),
            r.policy.introduction.as_ref(),
        );
        push_opt(
            &mut texts,
            root().key("policy").key("changes"),
            r.policy.changes.as_ref(),
        );
        for (i, x) in r.policy.sections.iter().enumerate() {
            let at = root().key("policy").key("sections").index(i);
            texts.push((at.key("title"), &x.title));
            for (j, b) in x.body.iter().enumerate() {
                texts.push((at.key("body").index(j), b));
            }
        }
        if r.security.organisational.is_empty() && r.security.technical.is_empty() {
            self.problem(
                root().key("security"),
                "describe at least one security measure (Art. 30(1)(g))",
            );
        }
        for (path, text) in texts {
            for code in text.unknown_codes() {
                self.problem(
                    path.key(code),
                    format!(
                        "unknown language `{code}`, expected one of {}",
                        Lang::codes()
                    ),
                );
            }
            for lang in &langs {
                if text.get(*lang).is_none() {
                    self.problem(path.clone(), format!("missing {} text", lang_name(*lang)));
                }
            }
        }
    }
}

fn push_opt<'t>(texts: &mut Vec<(FieldPath, &'t Text)>, at: FieldPath, text: Option<&'t Text>) {
    if let Some(t) = text {
        texts.push((at, t));
    }
}

fn lang_name(lang: Lang) -> String {
    format!("{} (`{}`)", lang.info().english, lang.code())
}

fn check_country(out: &mut Problems, at: FieldPath, country: &str) {
    if !crate::geography::iso_country(country) {
        let hint = crate::geography::suggest_country(country)
            .map(|code| format!(": did you mean `{code}`?"))
            .unwrap_or_else(|| " such as FR or US".to_owned());
        out.push((
            at,
            format!("`{country}` is not an ISO 3166-1 alpha-2 country code{hint}"),
        ));
    }
}

/// A street with a number and a postcode or town: at least two parts (commas or
/// lines) and a digit somewhere.
fn postal_address(address: &str) -> bool {
    let parts = address
        .split([',', '\n'])
        .filter(|p| !p.trim().is_empty())
        .count();
    parts >= 2 && address.chars().any(|c| c.is_ascii_digit())
}

/// Where a tracker's consent is asked: in the banner, or for a pixel in our
/// e-mails in the form where the address is given.
fn consent_place(kind: TrackerKind) -> ConsentMethod {
    if kind == TrackerKind::EmailPixel {
        ConsentMethod::Form
    } else {
        ConsentMethod::Banner
    }
}

impl Validator<'_> {
    fn datasets(&mut self) {
        let categories = self.category_ids();
        let holders: HashSet<&str> = self
            .r
            .purposes
            .iter()
            .filter(|p| p.legal_basis == Some(LegalBasis::LegalObligation))
            .map(|p| p.id.as_str())
            .chain(self.r.retention.iter().map(|r| r.id.as_str()))
            .collect();
        for (i, dataset) in self.r.datasets.iter().enumerate() {
            let at = root().key("datasets").index(i);
            if !is_plain_identifier(&dataset.connection) || dataset.connection.contains('.') {
                self.problem(
                    at.key("connection"),
                    "name a connection of config.toml ([connections.NAME]): letters, digits and _",
                );
            }
            if dataset.tables.is_empty() {
                self.problem(at.key("tables"), "declare at least one table");
            }
            if !dataset.tables.iter().any(|t| !t.identities.is_empty()) {
                self.problem(
                    at.key("tables"),
                    "no table has identities: give the columns that find a person (email, phone, login or customer_id)",
                );
            }
            let names: Vec<&str> = dataset.tables.iter().map(|t| t.name.as_str()).collect();
            for (j, table) in dataset.tables.iter().enumerate() {
                let tat = at.key("tables").index(j);
                if names[..j].contains(&table.name.as_str()) {
                    self.problem(
                        tat.key("name"),
                        format!("table `{}` is declared twice", table.name),
                    );
                }
                for (what, name) in [("name", &table.name), ("key", &table.key)] {
                    if !is_plain_identifier(name) || (what == "key" && name.contains('.')) {
                        self.problem(tat.key(what), format!("`{name}` is not a plain SQL identifier (letters, digits, _; a table may be schema.table)"));
                    }
                }
                let columns =
                    table
                        .identities
                        .iter()
                        .enumerate()
                        .map(|(k, x)| (tat.key("identities").index(k).key("column"), &x.column))
                        .chain(table.references.iter().enumerate().map(|(k, x)| {
                            (tat.key("references").index(k).key("column"), &x.column)
                        }))
                        .chain(
                            table.fields.iter().enumerate().map(|(k, x)| {
                                (tat.key("fields").index(k).key("column"), &x.column)
                            }),
                        );
                let mut bad = Vec::new();
                for (cat, column) in columns {
                    if !is_plain_identifier(column) || column.contains('.') {
                        bad.push((
                            cat,
                            format!(
                                "`{column}` is not a plain SQL column name (letters, digits, _)"
                            ),
                        ));
                    }
                }
                for (cat, message) in bad {
                    self.problem(cat, message);
                }
                for (k, identity) in table.identities.iter().enumerate() {
                    if let Some(category) = &identity.category
                        && !categories.contains(category.as_str())
                    {
                        self.problem(
                            tat.key("identities").index(k).key("category"),
                            format!("unknown category `{category}`"),
                        );
                    }
                }
                for (k, reference) in table.references.iter().enumerate() {
                    if !names.contains(&reference.table.as_str()) {
                        self.problem(
                            tat.key("references").index(k).key("table"),
                            format!("unknown table `{}`: a reference points to a table of the same dataset (declared: {})", reference.table, names.join(", ")),
                        );
                    }
                }
                if table.fields.is_empty() {
                    self.problem(
                        tat.key("fields"),
                        "declare the table's personal columns (column, category, erase)",
                    );
                }
                if let Some(retention) = &table.retention {
                    if !self.r.retention.iter().any(|r| r.id == retention.rule) {
                        self.problem(
                            tat.key("retention").key("rule"),
                            format!("unknown retention rule `{}`", retention.rule),
                        );
                    }
                    if !is_plain_identifier(&retention.from) || retention.from.contains('.') {
                        self.problem(
                            tat.key("retention").key("from"),
                            format!(
                                "`{}` is not a plain SQL column name (letters, digits, _)",
                                retention.from
                            ),
                        );
                    }
                }
                let kept: Vec<&str> = table
                    .fields
                    .iter()
                    .filter(|f| f.erase == EraseStrategy::Keep)
                    .map(|f| f.column.as_str())
                    .collect();
                for (k, field) in table.fields.iter().enumerate() {
                    let fat = tat.key("fields").index(k);
                    if table.fields[..k].iter().any(|f| f.column == field.column) {
                        self.problem(
                            fat.key("column"),
                            format!("column `{}` is declared twice", field.column),
                        );
                    }
                    if !categories.contains(field.category.as_str()) {
                        self.problem(
                            fat.key("category"),
                            format!("unknown category `{}`", field.category),
                        );
                    }
                    if field.erase == EraseStrategy::Keep {
                        match &table.retention {
                            None => self.problem(
                                fat.key("kept_by"),
                                "a kept column needs an end: give the table retention = { rule, from }, whose end lets the sweep apply the column's `after`",
                            ),
                            Some(r) => {
                                if let Some(k) = &field.kept_by
                                    && *k != r.rule
                                    && self.r.retention.iter().any(|x| x.id == *k)
                                {
                                    self.problem(
                                        fat.key("kept_by"),
                                        format!("kept by the retention rule `{k}`, but the table's retention counts `{}`", r.rule),
                                    );
                                }
                            }
                        }
                    }
                    match (field.erase, field.after) {
                        (
                            EraseStrategy::Keep,
                            Some(EraseStrategy::Keep | EraseStrategy::DeleteRow),
                        ) => self.problem(
                            fat.key("after"),
                            "after takes null, pseudonymise or fixed (with value)",
                        ),
                        (EraseStrategy::Keep, Some(EraseStrategy::Fixed))
                            if field.value.is_none() =>
                        {
                            self.problem(
                                fat.key("value"),
                                "give the value the sweep writes (value = \"...\")",
                            )
                        }
                        (erase, Some(_)) if erase != EraseStrategy::Keep => self.problem(
                            fat.key("after"),
                            "only a kept column (erase = \"keep\") has an `after`",
                        ),
                        _ => {}
                    }
                    match (field.erase, &field.value, &field.kept_by) {
                        (EraseStrategy::Fixed, None, _) => self.problem(
                            fat.key("value"),
                            "give the value erasure writes (value = \"...\")",
                        ),
                        (EraseStrategy::Keep, _, None) => self.problem(
                            fat.key("kept_by"),
                            "name the legal-obligation purpose or the retention rule that keeps this column",
                        ),
                        (EraseStrategy::Keep, _, Some(holder)) if !holders.contains(holder.as_str()) => self.problem(
                            fat.key("kept_by"),
                            format!("`{holder}` is neither a legal-obligation purpose nor a retention rule"),
                        ),
                        (EraseStrategy::DeleteRow, _, _) if !kept.is_empty() => self.problem(
                            fat.key("erase"),
                            format!("erasure cannot delete the row while it keeps {}", kept.join(", ")),
                        ),
                        _ => {}
                    }
                    if field.value.is_some()
                        && field.erase != EraseStrategy::Fixed
                        && field.after != Some(EraseStrategy::Fixed)
                    {
                        self.problem(
                            fat.key("value"),
                            "value applies only with erase = \"fixed\" or after = \"fixed\"",
                        );
                    }
                    if field.kept_by.is_some() && field.erase != EraseStrategy::Keep {
                        self.problem(
                            fat.key("kept_by"),
                            "kept_by applies only with erase = \"keep\"",
                        );
                    }
                }
            }
            // A row cannot go while rows that are kept still refer to it.
            for (j, table) in dataset.tables.iter().enumerate() {
                if !table.deletes_rows() {
                    continue;
                }
                for referrer in &dataset.tables {
                    if !referrer.deletes_rows()
                        && referrer.references.iter().any(|r| r.table == table.name)
                    {
                        self.problem(
                            at.key("tables").index(j).key("fields"),
                            format!("rows of `{}` are deleted but rows of `{}` that refer to them are kept: null or pseudonymise its columns instead, or delete those rows too", table.name, referrer.name),
                        );
                    }
                }
            }
            // Every table must be reachable from a table that finds the person.
            let mut reached: HashSet<&str> = dataset
                .tables
                .iter()
                .filter(|t| !t.identities.is_empty())
                .map(|t| t.name.as_str())
                .collect();
            loop {
                let before = reached.len();
                for t in &dataset.tables {
                    for r in &t.references {
                        if reached.contains(t.name.as_str()) || reached.contains(r.table.as_str()) {
                            reached.insert(t.name.as_str());
                            reached.insert(r.table.as_str());
                        }
                    }
                }
                if reached.len() == before {
                    break;
                }
            }
            // With the live schema's references, only the database can tell.
            for (j, table) in dataset.tables.iter().enumerate() {
                if !dataset.references_from_schema && !reached.contains(table.name.as_str()) {
                    self.problem(
                        at.key("tables").index(j).key("references"),
                        format!("table `{}` is never reached: no identity column and no reference links it to a table that has one", table.name),
                    );
                }
            }
        }
    }
}
