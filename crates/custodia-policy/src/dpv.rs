//! The record of processing as W3C Data Privacy Vocabulary (DPV 2) in JSON-LD:
//! register ids become `urn:custodia:` nodes, typed with DPV's concepts.

use custodia_register::{IsoDuration, Lang, RecipientKind, ValidRegister};
use serde_json::{Value, json};

use crate::PolicyError;
use crate::ctx::Ctx;
use crate::i18n;
use crate::record::{basis, contact_cell, recipient_ids, retention_text, rules_of};

const NODE: &str = "urn:custodia:";

/// DPV-PD concepts for the fideslang ids that name the same data.
fn dpv_pd(category: &str) -> Option<&'static str> {
    Some(match category {
        "user.contact.email" => "dpv-pd:EmailAddress",
        "user.contact.phone_number" => "dpv-pd:TelephoneNumber",
        "user.name" => "dpv-pd:Name",
        "user.account.username" => "dpv-pd:Username",
        "user.device.ip_address" => "dpv-pd:IPAddress",
        "user.demographic.date_of_birth" => "dpv-pd:BirthDate",
        "user.financial.credit_card" => "dpv-pd:CreditCardNumber",
        "user.behavior.browsing_history" => "dpv-pd:BrowsingHistory",
        _ => return None,
    })
}

fn recipient_types(kind: RecipientKind) -> &'static [&'static str] {
    match kind {
        RecipientKind::Internal => &["dpv:Recipient"],
        RecipientKind::Processor => &["dpv:Recipient", "dpv:DataProcessor"],
        RecipientKind::ThirdParty => &["dpv:Recipient", "dpv:ThirdParty"],
        RecipientKind::JointController => &["dpv:Recipient", "dpv:JointDataControllers"],
        RecipientKind::Authority => &["dpv:Recipient", "dpv:Authority"],
        RecipientKind::Public => &["dpv:Recipient"],
    }
}

fn node(kind: &str, id: &str) -> Value {
    json!({ "@id": format!("{NODE}{kind}:{id}") })
}

/// The record as a DPV graph: one `dpv:Process` per purpose linking its purpose,
/// legal basis (DPV's GDPR extension), data, people, recipients, processors,
/// storage durations and measures, which are nodes of their own.
pub(crate) fn dpv(
    register: &ValidRegister,
    lang: Lang,
    date: time::Date,
) -> Result<Value, PolicyError> {
    if !register.languages.contains(&lang) {
        return Err(PolicyError::LanguageNotPublished(lang.code()));
    }
    let ctx = Ctx::new(register, lang, i18n::messages()?);
    let text = |s: String| json!({ "@value": s, "@language": lang.code() });
    let c = &ctx.r.controller;
    let mut controller = json!({
        "@id": format!("{NODE}controller"),
        "@type": "dpv:DataController",
        "rdfs:label": c.legal_name,
    });
    for (property, kind, contact) in [
        (
            "dpv:hasDataProtectionOfficer",
            "dpv:DataProtectionOfficer",
            &c.dpo,
        ),
        (
            "dpv:hasRepresentative",
            "dpv:Representative",
            &c.representative,
        ),
    ] {
        if let Some(contact) = contact {
            let label = contact_cell(&ctx, Some(contact));
            controller[property] = json!({ "@type": kind, "rdfs:label": label });
        }
    }
    let mut graph = vec![controller];
    for k in &ctx.r.subject_kinds {
        graph.push(json!({
            "@id": format!("{NODE}subject:{}", k.id),
            "@type": "dpv:DataSubject",
            "rdfs:label": text(ctx.tx(&k.name)),
        }));
    }
    for cat in &ctx.r.categories {
        let mut types = vec!["dpv:PersonalData"];
        types.extend(dpv_pd(&cat.id));
        if cat.sensitive {
            types.push("dpv:SpecialCategoryPersonalData");
        }
        graph.push(json!({
            "@id": format!("{NODE}category:{}", cat.id),
            "@type": types,
            "rdfs:label": text(ctx.tx(&cat.name)),
        }));
    }
    for r in &ctx.r.recipients {
        let countries: Vec<Value> = r
            .countries
            .iter()
            .map(|code| json!({ "@id": format!("https://w3id.org/dpv/loc#{code}") }))
            .collect();
        graph.push(json!({
            "@id": format!("{NODE}recipient:{}", r.id),
            "@type": recipient_types(r.kind),
            "rdfs:label": text(ctx.tx(&r.name)),
            "dpv:hasCountry": countries,
        }));
    }
    for rule in &ctx.r.retention {
        // xsd:duration has no weeks: they are counted as days.
        let total = rule
            .phases
            .iter()
            .fold(IsoDuration::default(), |sum, phase| {
                let d = &phase.duration;
                IsoDuration {
                    years: sum.years + d.years,
                    months: sum.months + d.months,
                    weeks: 0,
                    days: sum.days + d.days + 7 * d.weeks,
                }
            });
        graph.push(json!({
            "@id": format!("{NODE}retention:{}", rule.id),
            "@type": "dpv:StorageDuration",
            "rdf:value": { "@value": total.to_string(), "@type": "xsd:duration" },
            "rdfs:label": text(retention_text(&ctx, rule, &rule.categories)),
        }));
    }
    let s = &ctx.r.security;
    let measures: Vec<(String, &str, String)> = s
        .organisational
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                format!("organisational-{}", i + 1),
                "dpv:OrganisationalMeasure",
                ctx.tx(m),
            )
        })
        .chain(s.technical.iter().enumerate().map(|(i, m)| {
            (
                format!("technical-{}", i + 1),
                "dpv:TechnicalMeasure",
                ctx.tx(m),
            )
        }))
        .collect();
    for (id, kind, label) in &measures {
        graph.push(json!({
            "@id": format!("{NODE}measure:{id}"),
            "@type": kind,
            "rdfs:label": text(label.clone()),
        }));
    }
    for p in &ctx.r.purposes {
        let recipients = recipient_ids(&ctx, p);
        let processors: Vec<Value> = recipients
            .iter()
            .filter(|id| {
                ctx.recipient(id)
                    .is_some_and(|r| r.kind == RecipientKind::Processor)
            })
            .map(|id| node("recipient", id))
            .collect();
        let mut process = json!({
            "@id": format!("{NODE}process:{}", p.id),
            "@type": "dpv:Process",
            "rdfs:label": text(ctx.tx(&p.title)),
            "dpv:hasDataController": { "@id": format!("{NODE}controller") },
            "dpv:hasPurpose": {
                "@id": format!("{NODE}purpose:{}", p.id),
                "@type": "dpv:Purpose",
                "rdfs:label": text(ctx.tx(&p.title)),
                "dct:description": text(ctx.tx(&p.description)),
            },
            "dpv:hasPersonalData": p.categories.iter().map(|id| node("category", id)).collect::<Vec<_>>(),
            "dpv:hasDataSubject": p.subjects.iter().map(|id| node("subject", id)).collect::<Vec<_>>(),
            "dpv:hasRecipient": recipients.iter().map(|id| node("recipient", id)).collect::<Vec<_>>(),
            "dpv:hasProcessor": processors,
            "dpv:hasStorageCondition": rules_of(&ctx, p).map(|r| node("retention", &r.id)).collect::<Vec<_>>(),
            "dpv:hasTechnicalOrganisationalMeasure": measures.iter().map(|(id, _, _)| node("measure", id)).collect::<Vec<_>>(),
            "dct:modified": { "@value": i18n::iso_date(date), "@type": "xsd:date" },
        });
        if let Some(b) = p.legal_basis {
            process["dpv:hasLegalBasis"] = json!({ "@id": basis(b).1 });
        }
        graph.push(process);
    }
    let doc = json!({
        "@context": {
            "dpv": "https://w3id.org/dpv#",
            "dpv-pd": "https://w3id.org/dpv/pd#",
            "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
            "dct": "http://purl.org/dc/terms/",
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": graph,
    });
    ctx.finish(doc)
}
