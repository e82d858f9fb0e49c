//! The privacy policy: every GDPR Art. 13/14 item as its own section.

use custodia_register::{
    Audience, AutomatedDecision, Category, ConsentMethod, Contact, DataSource, Document,
    FinalAction, Gender, LegalBasis, Purpose, Recipient, RecipientKind, Requirement,
    RetentionPhase, RetentionRule, Right, Stage, Transfer, TransferMechanism, Trigger,
    adequacy_country, in_eea, parse_date,
};
use serde_json::json;

use crate::Body;
use crate::ctx::{Ctx, capitalise, email_link, url_link};
use crate::doc::{Block, Field, Inline, Section};
use crate::i18n::FluentValue;

/// Sections every privacy policy has, whatever the register says (Art. 13/14).
pub const ART13_SECTIONS: [&str; 14] = [
    "controller",
    "dpo",
    "data_categories",
    "purposes",
    "recipients",
    "transfers",
    "retention",
    "rights",
    "withdraw_consent",
    "exercise_rights",
    "complaint",
    "automated_decisions",
    "security",
    "changes",
];

pub(crate) fn build(ctx: &Ctx<'_>) -> Body {
    let intro = match ctx.opt_tx(ctx.r.policy.introduction.as_ref()) {
        Some(text) => text,
        None => ctx.ta(
            "privacy-intro-default",
            &[
                ("controller", ctx.controller_name().into()),
                ("service", ctx.service_or("service-default").into()),
            ],
        ),
    };
    let mut sections = vec![controller(ctx), dpo(ctx)];
    sections.extend(representative(ctx));
    sections.extend([
        data_categories(ctx),
        purposes(ctx),
        recipients(ctx),
        transfers(ctx),
        retention(ctx),
        rights(ctx),
        withdraw_consent(ctx),
        exercise_rights(ctx),
        complaint(ctx),
        automated_decisions(ctx),
        children(ctx),
        security(ctx),
    ]);
    sections.extend(cookies_pointer(ctx));
    sections.extend(crate::extra_sections(ctx, Document::Privacy));
    sections.push(changes(ctx));
    Body {
        intro: vec![Block::Paragraph { text: intro.into() }],
        sections,
    }
}

fn controller(ctx: &Ctx<'_>) -> Section {
    let c = &ctx.r.controller;
    let mut s = Section::new("controller", ctx.t("section-controller"));
    // The controller is the legal entity; a brand is only how people know it.
    s.para(match c.trading_name.as_deref() {
        Some(brand) if brand != c.legal_name => ctx.ta(
            "controller-intro-brand",
            &[
                ("legal_name", c.legal_name.as_str().into()),
                ("brand", brand.into()),
            ],
        ),
        _ => ctx.ta(
            "controller-intro",
            &[("controller", c.legal_name.as_str().into())],
        ),
    });
    let mut f = vec![ctx.field("legal_name", "field-legal-name", c.legal_name.as_str())];
    if let Some(v) = &c.trading_name {
        f.push(ctx.field("trading_name", "field-trading-name", v.as_str()));
    }
    if let Some(v) = &c.legal_form {
        f.push(ctx.field("legal_form", "field-legal-form", v.as_str()));
    }
    if let Some(v) = &c.share_capital {
        f.push(ctx.field("share_capital", "field-share-capital", v.as_str()));
    }
    if let Some(v) = ctx.opt_tx(c.registration.as_ref()) {
        f.push(ctx.field("registration", "field-registration", v));
    }
    f.push(ctx.field("address", "field-address", c.address.as_str()));
    if let Some(v) = &c.email {
        f.push(ctx.field("email", "field-email", email_link(v)));
    }
    if let Some(v) = &c.phone {
        f.push(ctx.field("phone", "field-phone", v.as_str()));
    }
    if let Some(v) = &c.website {
        f.push(ctx.field("website", "field-website", url_link(v)));
    }
    if let Some(v) = &c.contact_url {
        f.push(ctx.field("contact_url", "field-contact-url", url_link(v)));
    }
    if let Some(v) = ctx.opt_tx(c.service_name.as_ref()) {
        f.push(ctx.field("service_name", "field-service", capitalise(&v)));
    }
    s.fields(f);
    s.fact("country", c.country.as_str());
    s
}

fn contact_fields(ctx: &Ctx<'_>, c: &Contact) -> Vec<Field> {
    let mut f = Vec::new();
    if let Some(v) = &c.name {
        f.push(ctx.field("name", "field-name", v.as_str()));
    }
    if let Some(v) = &c.email {
        f.push(ctx.field("email", "field-email", email_link(v)));
    }
    if let Some(v) = &c.phone {
        f.push(ctx.field("phone", "field-phone", v.as_str()));
    }
    if let Some(v) = &c.address {
        f.push(ctx.field("address", "field-address", v.as_str()));
    }
    if let Some(v) = &c.url {
        f.push(ctx.field("url", "field-contact-url", url_link(v)));
    }
    f
}

fn dpo(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("dpo", ctx.t("section-dpo"));
    match &ctx.r.controller.dpo {
        Some(dpo) => {
            s.para(ctx.t("dpo-intro"));
            s.fields(contact_fields(ctx, dpo));
            s.fact("appointed", true);
        }
        None => {
            s.para(ctx.rich("dpo-none", &[], &[("contact", ctx.reach_us())]));
            s.fact("appointed", false);
        }
    }
    s
}

fn representative(ctx: &Ctx<'_>) -> Option<Section> {
    let rep = ctx.r.controller.representative.as_ref()?;
    let mut s = Section::new("representative", ctx.t("section-representative"));
    s.para(ctx.t("representative-intro"));
    s.fields(contact_fields(ctx, rep));
    Some(s)
}

fn data_categories(ctx: &Ctx<'_>) -> Section {
    let r = ctx.r;
    let mut s = Section::new("data_categories", ctx.t("section-data"));
    s.para(ctx.t("data-subjects-intro"));
    s.list(
        r.subject_kinds
            .iter()
            .map(|k| {
                let name = capitalise(&ctx.tx(&k.name));
                match ctx.opt_tx(k.description.as_ref()) {
                    Some(d) => format!("{name} — {d}").into(),
                    None => name.into(),
                }
            })
            .collect(),
    );
    s.para(ctx.t("data-table-intro"));
    let rows = r
        .categories
        .iter()
        .map(|c| {
            let mut details: Vec<String> = ctx.opt_tx(c.description.as_ref()).into_iter().collect();
            if c.sensitive {
                details.push(ctx.t("data-sensitive-mark"));
            }
            // Words that agree with the category's name ("Mot de passe — Fourni").
            let gender: &[(&str, FluentValue<'_>)] = &[(
                "gender",
                c.gender
                    .get(&ctx.lang)
                    .map_or(Gender::FemininePlural, |g| *g)
                    .id()
                    .into(),
            )];
            if c.never_stored {
                details.push(ctx.ta("data-never-stored-mark", gender));
            }
            let source = ctx.ta(source_id(c.source), gender);
            let source = match ctx.opt_tx(c.source_detail.as_ref()) {
                Some(detail) => ctx.ta(
                    "source-with-detail",
                    &[("source", source.into()), ("detail", detail.into())],
                ),
                None => source,
            };
            vec![
                capitalise(&ctx.tx(&c.name)).into(),
                sentences(&details).into(),
                source.into(),
            ]
        })
        .collect();
    s.table(
        vec![
            ctx.column("data", "col-data"),
            ctx.column("details", "col-details"),
            ctx.column("source", "col-source"),
        ],
        rows,
    );
    let names = |pick: fn(&Category) -> bool| -> Vec<String> {
        r.categories
            .iter()
            .filter(|c| pick(c))
            .map(|c| ctx.tx(&c.name))
            .collect()
    };
    let sensitive = names(|c| c.sensitive);
    if sensitive.is_empty() {
        s.para(ctx.t("data-no-sensitive"));
    } else {
        s.para(ctx.ta(
            "data-sensitive",
            &[("categories", ctx.name_list(&sensitive).into())],
        ));
    }
    let never_stored = names(|c| c.never_stored);
    if !never_stored.is_empty() {
        s.para(ctx.ta(
            "data-never-stored",
            &[("categories", ctx.name_list(&never_stored).into())],
        ));
    }
    let ids = |pick: fn(&Category) -> bool| -> Vec<&str> {
        r.categories
            .iter()
            .filter(|c| pick(c))
            .map(|c| c.id.as_str())
            .collect()
    };
    s.fact("categories", ids(|_| true));
    s.fact("sensitive", ids(|c| c.sensitive));
    s.fact("never_stored", ids(|c| c.never_stored));
    s.fact(
        "sources",
        r.categories
            .iter()
            .map(|c| (c.id.clone(), json!(source_key(c.source))))
            .collect::<serde_json::Map<_, _>>(),
    );
    s.fact(
        "subject_kinds",
        r.subject_kinds
            .iter()
            .map(|k| k.id.as_str())
            .collect::<Vec<_>>(),
    );
    s
}

/// Short texts as sentences: "Stored hashed. Never stored".
fn sentences(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| capitalise(p.trim().trim_end_matches('.')))
        .collect::<Vec<_>>()
        .join(". ")
}

fn source_id(source: DataSource) -> &'static str {
    match source {
        DataSource::Subject => "source-subject",
        DataSource::Observed => "source-observed",
        DataSource::ThirdParty => "source-third-party",
        DataSource::Inferred => "source-inferred",
    }
}

fn source_key(source: DataSource) -> &'static str {
    match source {
        DataSource::Subject => "subject",
        DataSource::Observed => "observed",
        DataSource::ThirdParty => "third_party",
        DataSource::Inferred => "inferred",
    }
}

fn purposes(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("purposes", ctx.t("section-purposes"));
    s.para(ctx.t("purposes-intro"));
    s.sections = ctx.r.purposes.iter().map(|p| purpose(ctx, p)).collect();
    s
}

fn basis_id(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Consent => "basis-consent",
        LegalBasis::Contract => "basis-contract",
        LegalBasis::LegalObligation => "basis-legal-obligation",
        LegalBasis::LegitimateInterest => "basis-legitimate-interest",
        LegalBasis::VitalInterest => "basis-vital-interest",
        LegalBasis::PublicTask => "basis-public-task",
    }
}

fn requirement_id(requirement: Requirement) -> (&'static str, &'static str) {
    match requirement {
        Requirement::Statutory => ("statutory", "requirement-statutory"),
        Requirement::Contractual => ("contractual", "requirement-contractual"),
        Requirement::ContractPrerequisite => {
            ("contract_prerequisite", "requirement-contract-prerequisite")
        }
        Requirement::ServicePrerequisite => {
            ("service_prerequisite", "requirement-service-prerequisite")
        }
        Requirement::Voluntary => ("voluntary", "requirement-voluntary"),
    }
}

fn consent_method_id(method: ConsentMethod) -> &'static str {
    match method {
        ConsentMethod::Banner => "consent-by-banner",
        ConsentMethod::Form => "consent-by-form",
        ConsentMethod::Api => "consent-by-api",
    }
}

fn purpose(ctx: &Ctx<'_>, p: &Purpose) -> Section {
    let mut s = Section::new(format!("purpose-{}", p.id), ctx.tx(&p.title));
    s.para(ctx.tx(&p.description));
    let mut f = Vec::new();
    if let Some(basis) = p.legal_basis {
        f.push(ctx.field("legal_basis", "field-legal-basis", ctx.t(basis_id(basis))));
        s.fact("legal_basis", basis.id());
    }
    if let Some(v) = ctx.opt_tx(p.legitimate_interest.as_ref()) {
        f.push(ctx.field("legitimate_interest", "field-legitimate-interest", v));
    }
    if let Some(v) = ctx.opt_tx(p.legal_reference.as_ref()) {
        f.push(ctx.field("legal_reference", "field-legal-reference", v));
    }
    f.push(ctx.field(
        "subjects",
        "field-subjects",
        capitalise(&ctx.name_list(&ctx.subject_names(&p.subjects))),
    ));
    if p.mandatory.is_empty() {
        f.push(ctx.field(
            "categories",
            "field-data-used",
            capitalise(&ctx.category_list(&p.categories)),
        ));
    } else {
        f.push(ctx.field(
            "mandatory",
            "field-data-required",
            capitalise(&ctx.category_list(&p.mandatory)),
        ));
        let optional: Vec<String> = p
            .categories
            .iter()
            .filter(|c| !p.mandatory.contains(c))
            .cloned()
            .collect();
        if !optional.is_empty() {
            f.push(ctx.field(
                "optional",
                "field-data-optional",
                capitalise(&ctx.category_list(&optional)),
            ));
        }
    }
    if let Some(requirement) = p.requirement {
        let (key, id) = requirement_id(requirement);
        f.push(ctx.field("requirement", "field-requirement", ctx.t(id)));
        s.fact("requirement", key);
    }
    if let Some(v) = ctx.opt_tx(p.consequence_if_not_provided.as_ref()) {
        f.push(ctx.field("consequence", "field-consequence", v));
    }
    if !p.recipients.is_empty() {
        let names: Vec<String> = p
            .recipients
            .iter()
            .map(|id| ctx.recipient_in_sentence(id))
            .collect();
        f.push(ctx.field(
            "recipients",
            "field-recipients",
            capitalise(&ctx.name_list(&names)),
        ));
    }
    if let Some(consent) = &p.consent {
        let methods: Vec<Inline> = consent
            .collected_by
            .iter()
            .map(|m| ctx.t(consent_method_id(*m)).into())
            .collect();
        let mut value = ctx.rich(
            "consent-collected",
            &[],
            &[("methods", ctx.or_list_inline(methods))],
        );
        if let Some(lifetime) = &consent.lifetime {
            value.push_text(" ");
            value.push_text(ctx.ta("consent-lifetime", &ctx.duration_args(lifetime)));
            s.fact("consent_lifetime", lifetime.to_string());
        }
        f.push(ctx.field("consent", "field-consent", value));
    }
    // The rights this use gives follow its legal basis (Art. 7(3), 17(3)(b), 20, 21).
    let rights = match p.legal_basis {
        Some(LegalBasis::Consent) => Some("purpose-rights-consent"),
        Some(LegalBasis::Contract) => Some("purpose-rights-contract"),
        Some(LegalBasis::LegitimateInterest | LegalBasis::PublicTask) => {
            Some("purpose-rights-objection")
        }
        Some(LegalBasis::LegalObligation) => Some("purpose-rights-legal-obligation"),
        Some(LegalBasis::VitalInterest) | None => None,
    };
    if let Some(rights) = rights {
        f.push(ctx.field("purpose_rights", "field-purpose-rights", ctx.t(rights)));
    }
    s.fields(f);
    if p.direct_marketing {
        // Under consent the right is withdrawal; otherwise Art. 21(2)'s objection.
        s.para(ctx.t(if p.legal_basis == Some(LegalBasis::Consent) {
            "purpose-direct-marketing-consent"
        } else {
            "purpose-direct-marketing"
        }));
    }
    // The same predicate decides whether the API mints the link.
    if p.unsubscribe_link_in_messages() {
        s.para(ctx.t("purpose-unsubscribe-link"));
        s.fact("unsubscribe_link", true);
    }
    if p.service_messages {
        s.para(ctx.t("purpose-service-messages"));
        s.fact("service_messages", true);
    }
    if !p.services.is_empty() {
        s.para(ctx.t("purpose-services-intro"));
        let rows = p
            .services
            .iter()
            .filter_map(|id| ctx.service(id))
            .map(|svc| {
                let mut name = Inline::text(svc.name.as_str());
                if let Some(d) = ctx.opt_tx(svc.description.as_ref()) {
                    name.push_text(format!(" — {d}"));
                }
                let mut links = Vec::new();
                if let Some(url) = svc.privacy_policy_url.as_deref() {
                    links.push(Inline::link(ctx.t("link-privacy-policy"), url));
                }
                if let Some(url) = svc.opt_out_url.as_deref() {
                    links.push(Inline::link(ctx.t("link-opt-out"), url));
                }
                vec![
                    name,
                    ctx.provider_name(&svc.provider).into(),
                    capitalise(&ctx.category_list(&svc.categories)).into(),
                    join_inline(links, " · "),
                ]
            });
        s.table(
            vec![
                ctx.column("service", "col-service"),
                ctx.column("provider", "col-provider"),
                ctx.column("data", "col-data-collected"),
                ctx.column("links", "col-links"),
            ],
            rows.collect(),
        );
    }
    s.fact("purpose", p.id.as_str());
    s.fact("categories", p.categories.clone());
    s.fact("mandatory", p.mandatory.clone());
    s.fact("subjects", p.subjects.clone());
    s.fact("recipients", p.recipients.clone());
    s.fact("services", p.services.clone());
    s.fact("direct_marketing", p.direct_marketing);
    s.fact("advertising", p.advertising);
    s.fact("automated_decision", p.automated_decision.is_some());
    s
}

fn join_inline(items: Vec<Inline>, separator: &str) -> Inline {
    let mut out = Inline::default();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_text(separator);
        }
        out.append(item);
    }
    if out.is_empty() {
        out.push_text("—");
    }
    out
}

fn recipient_kind(kind: RecipientKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        RecipientKind::Internal => (
            "internal",
            "recipients-internal",
            "recipients-internal-intro",
        ),
        RecipientKind::Processor => (
            "processor",
            "recipients-processor",
            "recipients-processor-intro",
        ),
        RecipientKind::ThirdParty => (
            "third_party",
            "recipients-third-party",
            "recipients-third-party-intro",
        ),
        RecipientKind::JointController => (
            "joint_controller",
            "recipients-joint-controller",
            "recipients-joint-controller-intro",
        ),
        RecipientKind::Authority => (
            "authority",
            "recipients-authority",
            "recipients-authority-intro",
        ),
        RecipientKind::Public => ("public", "recipients-public", "recipients-public-intro"),
    }
}

fn recipients(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("recipients", ctx.t("section-recipients"));
    s.para(ctx.t("recipients-intro"));
    let kinds = [
        RecipientKind::Internal,
        RecipientKind::Processor,
        RecipientKind::ThirdParty,
        RecipientKind::JointController,
        RecipientKind::Authority,
        RecipientKind::Public,
    ];
    for kind in kinds {
        let members: Vec<&Recipient> = ctx.r.recipients.iter().filter(|r| r.kind == kind).collect();
        if members.is_empty() {
            continue;
        }
        let (key, heading, intro) = recipient_kind(kind);
        let mut sub = Section::new(format!("recipients-{key}"), ctx.t(heading));
        sub.para(ctx.t(intro));
        if kind == RecipientKind::Processor && members.iter().all(|r| r.dpa_signed) {
            sub.para(ctx.t("recipients-processor-contract"));
        }
        let with_countries = members.iter().any(|r| !r.countries.is_empty());
        let mut columns = vec![
            ctx.column("recipient", "col-recipient"),
            ctx.column("role", "col-role"),
        ];
        if with_countries {
            columns.push(ctx.column("countries", "col-countries"));
        }
        let with_data = members
            .iter()
            .any(|r| !r.categories.is_empty() || r.anonymous_aggregates);
        if with_data {
            columns.push(ctx.column("data", "col-data"));
        }
        let rows = members
            .iter()
            .map(|rec| {
                let mut name = Inline::text(ctx.tx(&rec.name));
                if let Some(address) = &rec.address {
                    name.push_text(format!(" — {address}"));
                }
                if let Some(url) = rec.privacy_policy_url.as_deref() {
                    name.push_text(" — ");
                    name.append(Inline::link(ctx.t("link-privacy-policy"), url));
                }
                let mut role = capitalise(&ctx.tx(&rec.role));
                if let Some(when) = ctx.opt_tx(rec.only_when.as_ref()) {
                    role.push(' ');
                    role.push_str(&ctx.ta("recipient-only-when", &[("when", when.into())]));
                }
                let mut row = vec![name, role.into()];
                if with_countries {
                    row.push(dash_if_empty(ctx.countries(&rec.countries)));
                }
                if with_data && rec.anonymous_aggregates {
                    row.push(ctx.t("recipient-anonymous-aggregates").into());
                } else if with_data {
                    row.push(dash_if_empty(capitalise(
                        &ctx.category_list(&rec.categories),
                    )));
                }
                row
            })
            .collect();
        sub.table(columns, rows);
        sub.fact("kind", key);
        sub.fact(
            "recipients",
            members.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        );
        s.sections.push(sub);
    }
    s
}

fn dash_if_empty(text: String) -> Inline {
    if text.trim().is_empty() {
        "—".into()
    } else {
        text.into()
    }
}

/// A transfer outside the EEA, declared or implied by an adequacy country.
pub(crate) struct TransferRow<'a> {
    pub recipient: &'a str,
    pub country: &'a str,
    declared: Option<&'a Transfer>,
}

pub(crate) fn transfer_rows<'a>(ctx: &Ctx<'a>) -> Vec<TransferRow<'a>> {
    let r = ctx.r;
    let mut rows: Vec<TransferRow<'a>> = r
        .transfers
        .iter()
        .filter(|t| !in_eea(&t.country))
        .map(|t| TransferRow {
            recipient: &t.recipient,
            country: &t.country,
            declared: Some(t),
        })
        .collect();
    // Validation lets adequacy countries go without a [[transfers]] entry, but the
    // policy must still say the data goes there.
    for rec in r
        .recipients
        .iter()
        .filter(|x| x.kind != RecipientKind::Internal)
    {
        for country in &rec.countries {
            let covered = rows
                .iter()
                .any(|t| t.recipient == rec.id && t.country == country);
            if !in_eea(country) && !covered {
                rows.push(TransferRow {
                    recipient: &rec.id,
                    country,
                    declared: None,
                });
            }
        }
    }
    rows
}

fn mechanism_key(m: TransferMechanism) -> &'static str {
    match m {
        TransferMechanism::Adequacy => "adequacy",
        TransferMechanism::Dpf => "dpf",
        TransferMechanism::Scc => "scc",
        TransferMechanism::Bcr => "bcr",
        TransferMechanism::Derogation => "derogation",
    }
}

fn scc_module_id(module: u8) -> Option<&'static str> {
    match module {
        1 => Some("scc-module-1"),
        2 => Some("scc-module-2"),
        3 => Some("scc-module-3"),
        4 => Some("scc-module-4"),
        _ => None,
    }
}

fn transfers(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("transfers", ctx.t("section-transfers"));
    let rows = transfer_rows(ctx);
    if rows.is_empty() {
        s.para(ctx.t("transfers-none"));
        s.fact("outside_eea", false);
        return s;
    }
    s.para(ctx.t("transfers-intro"));
    let mut facts = Vec::new();
    // Art. 49 derogations are not safeguards: shown apart, with their situation.
    let (derogations, safeguarded): (Vec<_>, Vec<_>) = rows.iter().partition(|row| {
        row.declared
            .is_some_and(|t| t.mechanism == TransferMechanism::Derogation)
    });
    let table = safeguarded
        .iter()
        .map(|row| {
            let mechanism = row
                .declared
                .map_or(TransferMechanism::Adequacy, |t| t.mechanism);
            let safeguard = safeguard(ctx, row);
            let copy = match row
                .declared
                .and_then(|t| ctx.opt_tx(t.safeguards_copy.as_ref()))
            {
                Some(text) => text.into(),
                None if matches!(
                    mechanism,
                    TransferMechanism::Adequacy | TransferMechanism::Dpf
                ) =>
                {
                    ctx.t("transfers-copy-public").into()
                }
                None => ctx.rich(
                    "transfers-copy-default",
                    &[],
                    &[("contact", ctx.reach_us())],
                ),
            };
            facts.push(json!({
                "recipient": row.recipient,
                "country": row.country,
                "mechanism": mechanism_key(mechanism),
                "scc_module": row.declared.and_then(|t| t.scc_module),
                "adequacy_country": adequacy_country(row.country),
            }));
            vec![
                ctx.recipient_name(row.recipient).into(),
                ctx.country(row.country).into(),
                safeguard.into(),
                copy,
            ]
        })
        .collect::<Vec<_>>();
    if !table.is_empty() {
        s.para(ctx.t("transfers-safeguarded"));
    }
    s.table(
        vec![
            ctx.column("recipient", "col-recipient"),
            ctx.column("country", "col-country"),
            ctx.column("safeguard", "col-safeguard"),
            ctx.column("copy", "col-copy"),
        ],
        table,
    );
    if !derogations.is_empty() {
        s.para(ctx.t("transfers-derogations"));
        let rows = derogations
            .iter()
            .map(|row| {
                facts.push(json!({
                    "recipient": row.recipient,
                    "country": row.country,
                    "mechanism": mechanism_key(TransferMechanism::Derogation),
                    "scc_module": null,
                    "adequacy_country": adequacy_country(row.country),
                }));
                let situation = row
                    .declared
                    .and_then(|t| ctx.opt_tx(t.derogation.as_ref()))
                    .unwrap_or_default();
                vec![
                    ctx.recipient_name(row.recipient).into(),
                    ctx.country(row.country).into(),
                    situation.into(),
                ]
            })
            .collect();
        s.table(
            vec![
                ctx.column("recipient", "col-recipient"),
                ctx.column("country", "col-country"),
                ctx.column("situation", "col-situation"),
            ],
            rows,
        );
    }
    s.fact("outside_eea", true);
    s.fact("transfers", facts);
    s
}

/// The safeguard of a transfer as the policy and the record state it.
pub(crate) fn safeguard(ctx: &Ctx<'_>, row: &TransferRow<'_>) -> String {
    let mechanism = row
        .declared
        .map_or(TransferMechanism::Adequacy, |t| t.mechanism);
    match (mechanism, row.declared) {
        (TransferMechanism::Dpf, Some(t)) => {
            let mut text = ctx.t("mechanism-dpf");
            if let Some(date) = t.dpf_checked_on.as_deref().and_then(parse_date) {
                text.push(' ');
                text.push_str(&ctx.ta("mechanism-dpf-checked", &[("date", ctx.date(date).into())]));
            }
            text
        }
        (TransferMechanism::Scc, Some(t)) => {
            let module = t.scc_module.unwrap_or_default();
            let name = scc_module_id(module)
                .map(|id| ctx.t(id))
                .unwrap_or_default();
            ctx.ta(
                "mechanism-scc",
                &[("module", module.into()), ("name", name.into())],
            )
        }
        (TransferMechanism::Derogation, Some(t)) => ctx.ta(
            "mechanism-derogation",
            &[(
                "ground",
                ctx.opt_tx(t.derogation.as_ref()).unwrap_or_default().into(),
            )],
        ),
        (TransferMechanism::Bcr, _) => ctx.t("mechanism-bcr"),
        (TransferMechanism::Dpf, None) => ctx.t("mechanism-dpf"),
        _ => ctx.t("mechanism-adequacy"),
    }
}

pub(crate) fn trigger(ctx: &Ctx<'_>, trigger: &Trigger) -> (String, String) {
    let (key, id) = match trigger {
        Trigger::Collected => ("collected", "trigger-collected"),
        Trigger::LastContact => ("last_contact", "trigger-last-contact"),
        Trigger::AccountOpened => ("account_opened", "trigger-account-opened"),
        Trigger::AccountClosed => ("account_closed", "trigger-account-closed"),
        Trigger::LastConnection => ("last_connection", "trigger-last-connection"),
        Trigger::Transaction => ("transaction", "trigger-transaction"),
        Trigger::Debit => ("debit", "trigger-debit"),
        Trigger::DeferredDebit => ("deferred_debit", "trigger-deferred-debit"),
        Trigger::Invoice => ("invoice", "trigger-invoice"),
        Trigger::ConsentGiven => ("consent_given", "trigger-consent-given"),
        Trigger::IdentityVerified => ("identity_verified", "trigger-identity-verified"),
        Trigger::RequestClosed => ("request_closed", "trigger-request-closed"),
        Trigger::OppositionRecorded => ("opposition_recorded", "trigger-opposition-recorded"),
        Trigger::ContractEnd => ("contract_end", "trigger-contract-end"),
        Trigger::Custom(event) => {
            let name = ctx
                .r
                .custom_events
                .iter()
                .find(|e| &e.id == event)
                .map_or_else(|| event.clone(), |e| ctx.tx(&e.name));
            return (
                event.clone(),
                ctx.ta("trigger-custom", &[("event", name.into())]),
            );
        }
    };
    (key.to_owned(), ctx.t(id))
}

/// A rule's start: its trigger, or "X or Y, whichever comes first / is later".
pub(crate) fn rule_trigger(ctx: &Ctx<'_>, rule: &RetentionRule) -> (String, String) {
    if let Some(purpose) = &rule.while_consent {
        // The data exists only under the consent: its phases count from the end.
        return (
            format!("consent_ended({purpose})"),
            ctx.t("trigger-consent-ended"),
        );
    }
    let (others, key, id) = if rule.or_later.is_empty() {
        (&rule.or_earlier, "first_of", "trigger-whichever-first")
    } else {
        (&rule.or_later, "last_of", "trigger-whichever-later")
    };
    if others.is_empty() {
        return trigger(ctx, &rule.trigger);
    }
    let (keys, texts): (Vec<String>, Vec<String>) = std::iter::once(&rule.trigger)
        .chain(others)
        .map(|t| trigger(ctx, t))
        .unzip();
    (
        format!("{key}({})", keys.join(",")),
        ctx.ta(id, &[("triggers", ctx.or_list(&texts).into())]),
    )
}

/// A phase's duration as the policy says it ("three years", "at least three
/// years"), in the forms [`Ctx::duration_args`] gives.
pub(crate) fn phase_duration_args(
    ctx: &Ctx<'_>,
    phase: &RetentionPhase,
) -> Vec<(&'static str, FluentValue<'static>)> {
    let mut args = ctx.duration_args(&phase.duration);
    if phase.at_least {
        let mut vowel = false;
        for (name, value) in &mut args {
            if let (true, FluentValue::String(text)) = (name.starts_with("duration"), &*value) {
                let minimum = ctx.ta(
                    "retention-at-least",
                    &[("duration", text.to_string().into())],
                );
                if *name == "duration" {
                    vowel = crate::ctx::starts_with_vowel(&minimum);
                }
                *value = minimum.into();
            }
        }
        for (name, value) in &mut args {
            if *name == "vowel" {
                *value = if vowel { "yes" } else { "no" }.into();
            }
        }
    }
    args
}

/// How long the code e-mailed to a rights requester works, and how long a request
/// never verified is kept after it expired. The engine (`custodia_core::rights`)
/// takes its values from here, so the policy says what the sweep does.
pub const REQUEST_CODE_MINUTES: i64 = 30;
pub const UNVERIFIED_REQUEST_KEPT_HOURS: i64 = 24;

fn retention(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("retention", ctx.t("section-retention"));
    s.para(ctx.t("retention-intro"));
    if ctx.r.rights.offered.iter().any(|r| *r != Right::Complaint) {
        s.para(ctx.ta(
            "retention-unverified-requests",
            &[
                ("minutes", REQUEST_CODE_MINUTES.into()),
                ("hours", UNVERIFIED_REQUEST_KEPT_HOURS.into()),
            ],
        ));
    }
    s.sections = ctx
        .r
        .retention
        .iter()
        .map(|rule| retention_rule(ctx, rule))
        .collect();
    s
}

fn retention_rule(ctx: &Ctx<'_>, rule: &RetentionRule) -> Section {
    let categories = capitalise(&ctx.category_names(&rule.categories).join(", "));
    let people = ctx.subject_names(&rule.subjects).join(", ");
    let mut s = match ctx.opt_tx(rule.title.as_ref()) {
        Some(title) => {
            let mut s = Section::new(format!("retention-{}", rule.id), title);
            let mut fields = vec![ctx.field("categories", "field-data-used", categories)];
            if !rule.subjects.is_empty() {
                fields.push(ctx.field("subjects", "field-subjects", capitalise(&people)));
            }
            s.fields(fields);
            s
        }
        None if rule.subjects.is_empty() => {
            Section::new(format!("retention-{}", rule.id), categories)
        }
        None => Section::new(
            format!("retention-{}", rule.id),
            format!("{categories} — {people}"),
        ),
    };
    if let Some(before) = ctx.opt_tx(rule.before_trigger.as_ref()) {
        s.para(ctx.ta("retention-before", &[("before", before.into())]));
    }
    if let Some(purpose) = rule.while_consent.as_deref().and_then(|id| ctx.purpose(id)) {
        s.para(ctx.ta(
            "retention-while-consent",
            &[("purpose", ctx.tx(&purpose.title).into())],
        ));
    }
    let (trigger_key, trigger_text) = rule_trigger(ctx, rule);
    let mut phases = Vec::new();
    let mut items = Vec::new();
    for (i, phase) in rule.phases.iter().enumerate() {
        let mut args = phase_duration_args(ctx, phase);
        let when = if i == 0 {
            // A list item: "Three years after …" (durations may be in words).
            args.push(("trigger", trigger_text.clone().into()));
            capitalise(&ctx.ta("retention-first", &args))
        } else {
            ctx.ta("retention-next", &args)
        };
        let reason = match (
            ctx.opt_tx(phase.reason.as_ref()),
            ctx.opt_tx(phase.required_by.as_ref()),
        ) {
            (reason, None) => reason,
            (None, Some(law)) => Some(ctx.ta("retention-law", &[("law", law.into())])),
            (Some(reason), Some(law)) => Some(ctx.ta(
                "retention-reason-law",
                &[("reason", reason.into()), ("law", law.into())],
            )),
        };
        let item = match (phase.stage, reason) {
            (Stage::Active, None) => ctx.ta("retention-active", &[("when", when.into())]),
            (Stage::Active, Some(reason)) => ctx.ta(
                "retention-active-reason",
                &[("when", when.into()), ("reason", reason.into())],
            ),
            (Stage::Archive, reason) => {
                let roles = if phase.access.is_empty() {
                    ctx.t("role-authorised")
                } else {
                    let names: Vec<String> =
                        phase.access.iter().map(|r| ctx.role_name(r)).collect();
                    ctx.name_list(&names)
                };
                let mut args: Vec<(&str, FluentValue<'_>)> =
                    vec![("when", when.into()), ("roles", roles.into())];
                match reason {
                    Some(reason) => {
                        args.push(("reason", reason.into()));
                        ctx.ta("retention-archive-reason", &args)
                    }
                    None => ctx.ta("retention-archive", &args),
                }
            }
        };
        items.push(Inline::from(item));
        phases.push(json!({
            "duration": phase.duration.to_string(),
            "stage": match phase.stage { Stage::Active => "active", Stage::Archive => "archive" },
            "access": phase.access,
            "at_least": phase.at_least,
        }));
    }
    s.list(items);
    let then_key = match (rule.then, rule.answer_within) {
        (FinalAction::Delete, _) => {
            s.para(ctx.t("retention-end-delete"));
            "delete"
        }
        (FinalAction::Anonymise, _) => {
            s.para(ctx.t("retention-end-anonymise"));
            "anonymise"
        }
        (FinalAction::AskAgain, wait) => {
            if let Some(wait) = wait {
                s.para(ctx.ta("retention-end-ask-again", &ctx.duration_args(&wait)));
                s.fact("answer_within", wait.to_string());
            }
            "ask_again"
        }
    };
    if let Some(purpose) = &rule.while_consent {
        s.fact("while_consent", purpose.as_str());
    }
    s.fact("rule", rule.id.as_str());
    s.fact("categories", rule.categories.clone());
    s.fact("subjects", rule.subjects.clone());
    s.fact("trigger", trigger_key);
    s.fact("phases", phases);
    s.fact("then", then_key);
    s
}

/// GDPR rights and French post-mortem directives, in the order a reader expects.
const GENERAL_RIGHTS: [Right; 9] = [
    Right::Access,
    Right::Rectification,
    Right::Erasure,
    Right::Restriction,
    Right::Portability,
    Right::Objection,
    Right::WithdrawConsent,
    Right::PostMortem,
    Right::Complaint,
];

const CALIFORNIA_RIGHTS: [Right; 5] = [
    Right::CaliforniaKnow,
    Right::CaliforniaDelete,
    Right::CaliforniaCorrect,
    Right::CaliforniaOptOut,
    Right::ShineTheLight,
];

fn right_ids(right: Right) -> (&'static str, &'static str) {
    match right {
        Right::Access => ("right-access", "right-access-text"),
        Right::Rectification => ("right-rectification", "right-rectification-text"),
        Right::Erasure => ("right-erasure", "right-erasure-text"),
        Right::Restriction => ("right-restriction", "right-restriction-text"),
        Right::Portability => ("right-portability", "right-portability-text"),
        Right::Objection => ("right-objection", "right-objection-text"),
        Right::WithdrawConsent => ("right-withdraw-consent", "right-withdraw-consent-text"),
        Right::Complaint => ("right-complaint", "right-complaint-text"),
        Right::PostMortem => ("right-post-mortem", "right-post-mortem-text"),
        Right::CaliforniaKnow => ("right-california-know", "right-california-know-text"),
        Right::CaliforniaDelete => ("right-california-delete", "right-california-delete-text"),
        Right::CaliforniaCorrect => ("right-california-correct", "right-california-correct-text"),
        Right::CaliforniaOptOut => ("right-california-opt-out", "right-california-opt-out-text"),
        Right::ShineTheLight => ("right-shine-the-light", "right-shine-the-light-text"),
    }
}

fn right_field(ctx: &Ctx<'_>, right: Right) -> Field {
    let (label, text) = right_ids(right);
    let mut value = ctx.t(text);
    let marketing = ctx.r.purposes.iter().any(|p| p.direct_marketing);
    if right == Right::Objection && marketing {
        value.push(' ');
        value.push_str(&ctx.t("right-objection-marketing-text"));
    }
    let has_note = ctx.r.rights.notes.iter().any(|n| n.right == right);
    // The register's own note takes precedence over the derived statement.
    if right == Right::ShineTheLight
        && !has_note
        && !ctx.r.recipients.iter().any(|r| r.direct_marketing_use)
    {
        value.push(' ');
        value.push_str(&ctx.t("right-shine-the-light-none"));
    }
    for note in ctx.r.rights.notes.iter().filter(|n| n.right == right) {
        value.push(' ');
        value.push_str(&ctx.tx(&note.text));
    }
    ctx.field(right.id(), label, value)
}

fn rights(ctx: &Ctx<'_>) -> Section {
    let offered = &ctx.r.rights.offered;
    let mut s = Section::new("rights", ctx.t("section-rights"));
    s.para(ctx.t("rights-intro"));
    s.fields(
        GENERAL_RIGHTS
            .iter()
            .filter(|r| offered.contains(r))
            .map(|r| right_field(ctx, *r))
            .collect(),
    );
    // Each California right under its own law: the CCPA's only when it applies
    // (validation), "Shine the Light" (Civil Code 1798.83) on its own.
    let ccpa: Vec<Right> = CALIFORNIA_RIGHTS
        .iter()
        .copied()
        .filter(|r| r.is_ccpa() && offered.contains(r))
        .collect();
    let shine = offered.contains(&Right::ShineTheLight);
    if !ccpa.is_empty() || shine {
        let mut sub = Section::new("rights_california", ctx.t("section-rights-california"));
        if !ccpa.is_empty() {
            sub.para(ctx.t("rights-california-ccpa-intro"));
            sub.fields(ccpa.iter().map(|r| right_field(ctx, *r)).collect());
            sub.para(ctx.t("rights-california-non-discrimination"));
        }
        if shine {
            sub.para(ctx.t("rights-california-shine-intro"));
            sub.fields(vec![right_field(ctx, Right::ShineTheLight)]);
        }
        let mut listed = ccpa;
        listed.extend(shine.then_some(Right::ShineTheLight));
        sub.fact("offered", listed.iter().map(|r| r.id()).collect::<Vec<_>>());
        s.sections.push(sub);
    }
    s.fact(
        "offered",
        offered.iter().map(|r| r.id()).collect::<Vec<_>>(),
    );
    s
}

/// Art. 7(3) and 13(2)(c): said on its own, beyond the list of rights, because
/// every consent-based purpose depends on it.
fn withdraw_consent(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("withdraw_consent", ctx.t("section-withdraw-consent"));
    let consent_purposes: Vec<&Purpose> = ctx
        .r
        .purposes
        .iter()
        .filter(|p| p.legal_basis == Some(LegalBasis::Consent))
        .collect();
    if consent_purposes.is_empty() {
        s.para(ctx.t("withdraw-consent-none"));
    } else {
        let titles: Vec<String> = consent_purposes.iter().map(|p| ctx.tx(&p.title)).collect();
        s.para(ctx.t("withdraw-consent-intro"));
        s.list(titles.into_iter().map(Inline::from).collect());
        s.para(ctx.rich("withdraw-consent-how", &[], &[("contact", ctx.reach_us())]));
        s.para(ctx.t("withdraw-consent-effect"));
    }
    s.fact(
        "purposes",
        consent_purposes
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
    );
    s
}

fn exercise_rights(ctx: &Ctx<'_>) -> Section {
    let rights = &ctx.r.rights;
    let mut s = Section::new("exercise_rights", ctx.t("section-exercise"));
    s.para(ctx.tx(&rights.how_to_exercise));
    s.para(ctx.ta(
        "exercise-response",
        &ctx.duration_args(&rights.response_time),
    ));
    if !rights.extension.is_zero() {
        s.para(ctx.ta("exercise-extension", &ctx.duration_args(&rights.extension)));
    }
    if rights.id_document_only_on_doubt {
        s.para(ctx.t("exercise-id-doubt"));
    }
    s.para(ctx.t("exercise-free"));
    s.fact("response_time", rights.response_time.to_string());
    s.fact("extension", rights.extension.to_string());
    s.fact(
        "id_document_only_on_doubt",
        rights.id_document_only_on_doubt,
    );
    s
}

fn complaint(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("complaint", ctx.t("section-complaint"));
    if let Some(a) = &ctx.r.controller.supervisory_authority {
        s.para(ctx.t("complaint-intro"));
        let mut f = vec![
            ctx.field("authority", "field-authority", ctx.tx(&a.name)),
            ctx.field("address", "field-address", a.address.as_str()),
        ];
        if let Some(v) = &a.phone {
            f.push(ctx.field("phone", "field-phone", v.as_str()));
        }
        if let Some(v) = &a.website {
            f.push(ctx.field("website", "field-website", url_link(v)));
        }
        if let Some(v) = &a.complaint_url {
            f.push(ctx.field("complaint_url", "field-complaint-url", url_link(v)));
        }
        s.fields(f);
    }
    s.para(ctx.t("complaint-any-authority"));
    s
}

fn automated_decisions(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("automated_decisions", ctx.t("section-automated"));
    let decisions: Vec<(&Purpose, &AutomatedDecision)> = ctx
        .r
        .purposes
        .iter()
        .filter_map(|p| p.automated_decision.as_ref().map(|a| (p, a)))
        .collect();
    if decisions.is_empty() {
        s.para(ctx.t("automated-none"));
        return s;
    }
    s.para(ctx.t("automated-intro"));
    for (p, a) in decisions {
        let mut sub = Section::new(format!("automated-{}", p.id), ctx.tx(&p.title));
        sub.fields(vec![
            ctx.field("logic", "field-logic", ctx.tx(&a.logic)),
            ctx.field(
                "significance",
                "field-significance",
                ctx.tx(&a.significance),
            ),
            ctx.field(
                "human_review",
                "field-human-review",
                ctx.tx(&a.human_review),
            ),
        ]);
        sub.fact("purpose", p.id.as_str());
        s.sections.push(sub);
    }
    s
}

fn children(ctx: &Ctx<'_>) -> Section {
    let settings = &ctx.r.children;
    let mut s = Section::new("children", ctx.t("section-children"));
    let (audience, intro) = match settings.audience {
        Audience::Adults => ("adults", "children-adults"),
        Audience::Everyone => ("everyone", "children-everyone"),
    };
    s.fact("audience", audience);
    s.para(ctx.t(intro));
    s.para(ctx.t("children-ages"));
    let mut ages: Vec<Inline> = settings
        .ages
        .iter()
        .map(|(country, age)| {
            ctx.ta(
                "children-age-country",
                &[
                    ("country", ctx.country(country).into()),
                    ("age", (*age).into()),
                ],
            )
            .into()
        })
        .collect();
    ages.push(
        ctx.ta(
            "children-age-elsewhere",
            &[("age", settings.default_age.into())],
        )
        .into(),
    );
    s.list(ages);
    match &settings.parental_consent_within {
        Some(delay) => s.para(ctx.ta("children-found-erase", &ctx.duration_args(delay))),
        None => s.para(ctx.t("children-found")),
    }
    s
}

fn security(ctx: &Ctx<'_>) -> Section {
    let sec = &ctx.r.security;
    let mut s = Section::new("security", ctx.t("section-security"));
    s.para(ctx.t("security-intro"));
    if !sec.organisational.is_empty() {
        s.para(ctx.t("security-organisational"));
        s.list(
            sec.organisational
                .iter()
                .map(|t| ctx.tx(t).into())
                .collect(),
        );
    }
    if !sec.technical.is_empty() {
        s.para(ctx.t("security-technical"));
        s.list(sec.technical.iter().map(|t| ctx.tx(t).into()).collect());
    }
    s
}

fn cookies_pointer(ctx: &Ctx<'_>) -> Option<Section> {
    if ctx.r.cookies.is_empty() {
        return None;
    }
    let mut s = Section::new("cookies", ctx.t("section-cookies"));
    s.para(ctx.ta(
        "cookies-pointer",
        &[("service", ctx.service_or("site-default").into())],
    ));
    Some(s)
}

fn changes(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("changes", ctx.t("section-changes"));
    match ctx.opt_tx(ctx.r.policy.changes.as_ref()) {
        Some(text) => s.para(text),
        None => s.para(ctx.t("changes-default")),
    }
    s
}
