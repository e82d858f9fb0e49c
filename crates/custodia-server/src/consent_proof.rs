//! Proof of consent in two interchange shapes: a record after ISO/IEC TS 27560
//! (header, processing, parties, events) and a Kantara Initiative consent receipt
//! (v1.1 field names). Both are built from the stored records and the register; the
//! subject appears only by its pseudonymous id.

use crate::AppState;
use custodia_core::consent::ConsentRecord;
use custodia_register::{Lang, Purpose};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn purposes_of<'a>(state: &'a AppState, records: &[ConsentRecord]) -> Vec<&'a Purpose> {
    let ids: BTreeSet<&str> = records.iter().map(|r| r.purpose.as_str()).collect();
    state
        .register
        .purposes
        .iter()
        .filter(|p| ids.contains(p.id.as_str()))
        .collect()
}

fn controller(state: &AppState) -> Value {
    let c = &state.register.controller;
    json!({
        "name": c.legal_name,
        "address": c.address,
        "country": c.country,
        "email": c.email,
        "phone": c.phone,
        "url": c.website,
    })
}

/// ISO/IEC TS 27560-shaped consent record.
pub fn iso27560(
    state: &AppState,
    subject_id: &str,
    records: &[ConsentRecord],
    now: OffsetDateTime,
) -> Value {
    let processing: Vec<Value> = purposes_of(state, records)
        .into_iter()
        .map(|p| {
            json!({
                "purpose_id": p.id,
                "purpose": p.title.in_lang(Lang::EN),
                "description": p.description.in_lang(Lang::EN),
                "legal_basis": p.legal_basis.map(|b| b.id()),
                "personal_data_categories": p.categories,
                "recipients": p.recipients,
                "services": p.services,
            })
        })
        .collect();
    let events: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "event_id": r.id,
                "time": rfc3339(r.recorded_at),
                "purpose_id": r.purpose,
                "service": r.service,
                "state": r.state,
                "method": r.method,
                "valid_until": r.expires_at.map(rfc3339),
                "actor": if r.visitor_id.is_some() { "data_subject (banner visitor)" } else if r.recorded_by.starts_with("user:") || r.recorded_by.starts_with("apikey:") { "controller on behalf of the data subject" } else { "data_subject" },
                "recorded_by": r.recorded_by,
                "notice": {
                    "policy_version": r.policy_version,
                    "text_sha256": r.text_sha256,
                    "banner_version": r.banner_version,
                    "purpose_fingerprint": r.purpose_fingerprint,
                },
                "context": {
                    "ip_prefix": r.ip_prefix,
                    "user_agent": r.user_agent,
                    "jurisdiction": r.jurisdiction,
                    "global_privacy_control": r.gpc,
                },
            })
        })
        .collect();
    json!({
        "header": {
            "schema": "ISO/IEC TS 27560 consent record (Custodia rendering)",
            "schema_version": "1",
            "record_id": format!("urn:custodia:consent-record:{subject_id}"),
            "generated_at": rfc3339(now),
            "policy_version": state.publications.current().number,
            "subject": {"id": subject_id, "id_kind": "pseudonymous"},
        },
        "processing": processing,
        "parties": {
            "controller": controller(state),
            "data_protection_officer": state.register.controller.dpo.as_ref().map(|d| json!({"name": d.name, "email": d.email})),
            "data_subject": {"id": subject_id},
        },
        "events": events,
    })
}

/// Kantara Initiative Consent Receipt (v1.1 field names), for the consents in force
/// and the history behind them.
pub fn kantara(
    state: &AppState,
    subject_id: &str,
    records: &[ConsentRecord],
    now: OffsetDateTime,
) -> Value {
    let c = &state.register.controller;
    let purposes: Vec<Value> = purposes_of(state, records)
        .into_iter()
        .map(|p| {
            let latest = records.iter().rev().find(|r| r.purpose == p.id && r.service.is_none());
            json!({
                "purpose": p.title.in_lang(Lang::EN),
                "purposeCategory": [p.id],
                "consentType": if latest.is_some_and(|r| r.method == "banner" || r.method == "form") { "EXPLICIT" } else { "IMPLICIT" },
                "piiCategory": p.categories,
                "primaryPurpose": false,
                "termination": latest.and_then(|r| r.expires_at).map(rfc3339).unwrap_or_else(|| "until withdrawn".to_owned()),
                "thirdPartyDisclosure": !p.recipients.is_empty(),
                "thirdPartyName": p.recipients.join(", "),
                "state": latest.map(|r| r.state.as_str()),
            })
        })
        .collect();
    let first = records.first();
    json!({
        "version": "KI-CR-v1.1.0",
        "jurisdiction": c.country,
        "consentTimestamp": first.map(|r| r.recorded_at.unix_timestamp()),
        "receiptTimestamp": now.unix_timestamp(),
        "collectionMethod": first.map(|r| r.method.as_str()),
        "consentReceiptID": format!("urn:custodia:receipt:{subject_id}:{}", now.unix_timestamp()),
        "language": "en",
        "piiPrincipalId": subject_id,
        "piiControllers": [{
            "piiController": c.legal_name,
            "contact": c.dpo.as_ref().and_then(|d| d.name.clone()),
            "address": {"streetAddress": c.address, "addressCountry": c.country},
            "email": c.dpo.as_ref().and_then(|d| d.email.clone()).or_else(|| c.email.clone()),
            "phone": c.phone,
            "piiControllerUrl": c.website,
        }],
        "policyUrl": "/privacy-policy",
        "services": [{"service": c.trading_name.clone().unwrap_or_else(|| c.legal_name.clone()), "purposes": purposes}],
        "sensitive": false,
        "spiCat": [],
        "history": records,
    })
}
