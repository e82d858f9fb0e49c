//! The registers in `examples/`: each one validates, says what it is meant to say, and
//! a copy broken by one targeted edit is refused with a diagnostic on the edited line.

use crate::{
    Diagnostic, Diagnostics, FinalAction, IsoDuration, LegalBasis, Lifetime, RecipientKind,
    Register, RetentionRule, Right, Stage, Trigger, ValidRegister, load, parse,
};
use std::collections::BTreeSet;
use std::path::Path;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn source(name: &str) -> String {
    let path = Path::new(EXAMPLES).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn valid(name: &str) -> ValidRegister {
    parse(name, &source(name)).unwrap_or_else(|d| panic!("{name} does not validate:\n{d}"))
}

fn d(s: &str) -> IsoDuration {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn rule<'r>(r: &'r Register, id: &str) -> &'r RetentionRule {
    r.retention
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no retention rule `{id}`"))
}

fn purpose_index(r: &Register, id: &str) -> usize {
    r.purposes
        .iter()
        .position(|p| p.id == id)
        .unwrap_or_else(|| panic!("no purpose `{id}`"))
}

fn phases(rule: &RetentionRule) -> Vec<(IsoDuration, Stage)> {
    rule.phases.iter().map(|p| (p.duration, p.stage)).collect()
}

// ------------------------------------------------------------------ (a) all validate

#[test]
fn every_example_validates() {
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    let entries = std::fs::read_dir(EXAMPLES).unwrap_or_else(|e| panic!("{EXAMPLES}: {e}"));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_some_and(|x| x == "toml") {
            if let Err(e) = load(&path) {
                failures.push(e.to_string());
            }
            checked.push(path.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
    }
    assert!(
        failures.is_empty(),
        "invalid examples:\n{}",
        failures.join("\n")
    );
    for name in ["contact-site.toml", "saas.toml", "nocode.toml"] {
        assert!(
            checked.contains(&Some(name.to_owned())),
            "{name} was not checked"
        );
    }
}

// ------------------------------------------------------------------ (b) facts: saas

#[test]
fn saas_card_data_is_held_by_stripe_and_the_security_code_never_stored() {
    let r = valid("saas.toml");
    let cvv = r
        .categories
        .iter()
        .find(|c| c.id == "user.financial.credit_card.security_code")
        .unwrap_or_else(|| panic!("no security code category"));
    assert!(cvv.never_stored);
    assert!(!r.retention.iter().any(|x| x.categories.contains(&cvv.id)));

    let card = "user.financial.credit_card".to_owned();
    let stripe = r
        .recipients
        .iter()
        .find(|x| x.id == "stripe")
        .unwrap_or_else(|| panic!("no stripe"));
    assert_eq!(stripe.kind, RecipientKind::Processor);
    assert!(stripe.categories.contains(&card) && stripe.categories.contains(&cvv.id));

    let proof = rule(&r, "card-proof");
    assert_eq!(proof.trigger, Trigger::Debit);
    assert_eq!(phases(proof), [(d("P13M"), Stage::Archive)]);
    let deferred = rule(&r, "card-proof-deferred");
    assert_eq!(deferred.trigger, Trigger::DeferredDebit);
    assert_eq!(phases(deferred), [(d("P15M"), Stage::Archive)]);
    assert!(proof.categories.contains(&card) && deferred.categories.contains(&card));
}

#[test]
fn saas_customer_data_is_chained_active_prospecting_then_archive() {
    let r = valid("saas.toml");
    let customers = rule(&r, "customers");
    assert_eq!(customers.trigger, Trigger::AccountClosed);
    assert_eq!(
        phases(customers),
        [
            (d("P90D"), Stage::Active),
            (d("P3Y"), Stage::Active),
            (d("P5Y"), Stage::Archive),
        ]
    );
    let archive = &customers.phases[2];
    assert!(archive.reason.is_some());
    assert!(archive.access.iter().any(|a| a == "dpo"));
    assert!(archive.access.iter().any(|a| a == "accounting"));
    assert_eq!(customers.then, FinalAction::Delete);
}

#[test]
fn saas_states_the_standard_french_durations() {
    let r = valid("saas.toml");
    let expect = [
        ("prospects", Trigger::LastContact, "P3Y"),
        ("connection-logs", Trigger::LastConnection, "P1Y"),
        ("invoices", Trigger::Invoice, "P10Y"),
        ("cookie-choices", Trigger::ConsentGiven, "P6M"),
        ("trackers", Trigger::ConsentGiven, "P13M"),
        ("opposition-list", Trigger::OppositionRecorded, "P3Y"),
    ];
    for (id, trigger, total) in expect {
        let x = rule(&r, id);
        assert_eq!(x.trigger, trigger, "{id}");
        assert_eq!(x.phases.len(), 1, "{id}");
        assert_eq!(x.phases[0].duration, d(total), "{id}");
    }
    assert_eq!(rule(&r, "invoices").phases[0].stage, Stage::Archive);
    // Transactions: five years in all, the last four in the archive.
    let tx = rule(&r, "transactions");
    assert_eq!(tx.trigger, Trigger::Transaction);
    let months: u32 = tx.phases.iter().map(|p| p.duration.total_months()).sum();
    assert_eq!(months, 60);
    // ID copies go as soon as identity is verified.
    let ids = rule(&r, "id-documents");
    assert_eq!(ids.trigger, Trigger::IdentityVerified);
    assert_eq!(ids.then, FinalAction::Delete);
    assert!(ids.phases.iter().all(|p| p.duration.max_days() <= 1));
}

#[test]
fn saas_offers_california_rights_from_a_french_controller() {
    let r = valid("saas.toml");
    assert_eq!(r.controller.country, "FR");
    assert!(r.controller.representative.is_none());
    for right in [
        Right::CaliforniaKnow,
        Right::CaliforniaDelete,
        Right::CaliforniaCorrect,
        Right::CaliforniaOptOut,
        Right::ShineTheLight,
    ] {
        assert!(
            r.rights.offered.contains(&right),
            "{} not offered",
            right.id()
        );
    }
    for right in Right::GDPR {
        assert!(
            r.rights.offered.contains(&right),
            "{} not offered",
            right.id()
        );
    }
}

#[test]
fn saas_advertising_and_marketing_purposes_are_flagged() {
    let r = valid("saas.toml");
    let p = |id: &str| &r.purposes[purpose_index(&r, id)];
    for id in ["remarketing", "custom_audience"] {
        assert!(p(id).advertising, "{id}");
        assert_eq!(p(id).legal_basis, Some(LegalBasis::Consent), "{id}");
    }
    for id in ["newsletter", "customer_prospecting"] {
        assert!(p(id).direct_marketing, "{id}");
    }
    assert_eq!(p("newsletter").legal_basis, Some(LegalBasis::Consent));
    assert_eq!(p("payments").legal_basis, Some(LegalBasis::Contract));
    let automated: Vec<&str> = r
        .purposes
        .iter()
        .filter(|x| x.automated_decision.is_some())
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(automated, ["fraud_prevention"]);
    assert_eq!(
        p("fraud_prevention").legal_basis,
        Some(LegalBasis::LegitimateInterest)
    );
}

#[test]
fn saas_us_recipients_have_a_transfer_mechanism() {
    let r = valid("saas.toml");
    for rec in r
        .recipients
        .iter()
        .filter(|x| x.countries.iter().any(|c| c == "US"))
    {
        let mechanisms: Vec<_> = r
            .transfers
            .iter()
            .filter(|t| t.recipient == rec.id && t.country == "US")
            .map(|t| (t.mechanism, t.scc_module))
            .collect();
        assert!(!mechanisms.is_empty(), "{} has no transfer", rec.id);
    }
    assert!(r.transfers.iter().any(|t| t.scc_module == Some(2)));
}

#[test]
fn saas_consent_trackers_stay_within_thirteen_months() {
    let r = valid("saas.toml");
    let ceiling = d("P13M");
    let mut consented = 0;
    for c in r.cookies.iter().filter(|c| !c.exempt) {
        consented += 1;
        match c.lifetime {
            Some(Lifetime::Session | Lifetime::NotStored) => {}
            Some(Lifetime::For(x)) => assert!(!x.may_exceed(&ceiling), "{}", c.name),
            None => panic!("{} has no lifetime", c.name),
        }
        assert!(c.consent_purpose.is_some(), "{}", c.name);
    }
    assert!(consented >= 10);
}

// ------------------------------------------------------------------ (b) facts: nocode

#[test]
fn nocode_chains_user_data_and_anonymises_it() {
    let r = valid("nocode.toml");
    let users = rule(&r, "users-customers");
    assert_eq!(
        users.trigger,
        Trigger::Custom("relationship_ended".to_owned())
    );
    assert!(r.custom_events.iter().any(|e| e.id == "relationship_ended"));
    assert_eq!(
        phases(users),
        [
            (d("P90D"), Stage::Active),
            (d("P3Y"), Stage::Active),
            (d("P5Y"), Stage::Archive),
        ]
    );
    assert_eq!(users.then, FinalAction::Anonymise);
    assert!(
        r.retention
            .iter()
            .filter(|x| x.then == FinalAction::Anonymise)
            .count()
            >= 2
    );

    let expect = [
        ("prospects", Trigger::Collected, "P3Y", Stage::Active),
        (
            "connection-data",
            Trigger::LastConnection,
            "P1Y",
            Stage::Active,
        ),
        ("cookies", Trigger::ConsentGiven, "P13M", Stage::Active),
        ("billing", Trigger::Invoice, "P10Y", Stage::Archive),
    ];
    for (id, trigger, duration, stage) in expect {
        let x = rule(&r, id);
        assert_eq!(x.trigger, trigger, "{id}");
        assert_eq!(phases(x), [(d(duration), stage)], "{id}");
    }
    let prospects = rule(&r, "prospects");
    assert_eq!(prospects.subjects, ["prospect"]);
    // Collection or last contact, whichever is later; then ask before deleting.
    assert_eq!(prospects.or_later, [Trigger::LastContact]);
    assert_eq!(
        (prospects.then, prospects.answer_within),
        (FinalAction::AskAgain, Some(d("P30D")))
    );
    assert!(rule(&r, "billing").phases[0].required_by.is_some());
}

#[test]
fn nocode_recipients_are_roles_processors_and_authorities() {
    let r = valid("nocode.toml");
    let internal: BTreeSet<&str> = r
        .recipients
        .iter()
        .filter(|x| x.kind == RecipientKind::Internal)
        .map(|x| x.id.as_str())
        .collect();
    let roles = [
        "administration",
        "customer_relations",
        "internal_control",
        "marketing",
        "sales",
        "technical",
    ];
    assert_eq!(internal, BTreeSet::from(roles));
    let bailiffs = r
        .recipients
        .iter()
        .find(|x| x.id == "bailiffs")
        .unwrap_or_else(|| panic!("no bailiffs"));
    assert_eq!(bailiffs.kind, RecipientKind::Authority);
    assert!(
        r.recipients
            .iter()
            .filter(|x| x.kind == RecipientKind::Authority)
            .count()
            >= 2
    );

    // Card data: never held by the company, received only by the payment processor.
    let card = r
        .categories
        .iter()
        .find(|c| c.id == "user.financial.credit_card")
        .unwrap_or_else(|| panic!("no card category"));
    assert!(card.never_stored);
    let holders: Vec<(&str, RecipientKind)> = r
        .recipients
        .iter()
        .filter(|x| x.categories.contains(&card.id))
        .map(|x| (x.id.as_str(), x.kind))
        .collect();
    assert_eq!(holders, [("payment", RecipientKind::Processor)]);
}

#[test]
fn nocode_rights_and_contact_points() {
    let r = valid("nocode.toml");
    for right in Right::GDPR {
        assert!(
            r.rights.offered.contains(&right),
            "{} not offered",
            right.id()
        );
    }
    assert!(
        r.rights
            .notes
            .iter()
            .any(|n| n.right == Right::Rectification)
    );
    assert_eq!(r.rights.response_time, d("P1M"));
    assert_eq!(r.rights.extension, d("P2M"));
    assert!(r.rights.id_document_only_on_doubt);
    let dpo = r
        .controller
        .dpo
        .as_ref()
        .unwrap_or_else(|| panic!("no DPO"));
    assert!(dpo.url.is_some() && dpo.email.is_none());
    assert!(r.policy.changes.is_some() && r.policy.introduction.is_some());
    assert!(r.security.organisational.len() >= 4 && r.security.technical.len() >= 5);
    let categories: BTreeSet<&str> = r.cookies.iter().map(|c| c.category.id()).collect();
    assert_eq!(
        categories,
        BTreeSet::from(["analytics", "functional", "marketing", "necessary"])
    );
}

// ------------------------------------------------------------------ (c) broken copies

/// `src` with the first `from` after `anchor` replaced by `to`.
fn edit_after(src: &str, anchor: &str, from: &str, to: &str) -> String {
    let at = src
        .find(anchor)
        .unwrap_or_else(|| panic!("`{anchor}` not found"));
    let (head, tail) = src.split_at(at);
    assert!(tail.contains(from), "`{from}` not found after `{anchor}`");
    format!("{head}{}", tail.replacen(from, to, 1))
}

/// The first line starting with `prefix` at or after the line holding `anchor`: its
/// 1-based number and its text, newline included.
fn line_after<'s>(src: &'s str, anchor: &str, prefix: &str) -> (usize, &'s str) {
    let first = line_of(src, anchor);
    src.split_inclusive('\n')
        .enumerate()
        .skip(first - 1)
        .find(|(_, l)| l.starts_with(prefix))
        .map(|(n, l)| (n + 1, l))
        .unwrap_or_else(|| panic!("no line `{prefix}` after `{anchor}`"))
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(src: &str, needle: &str) -> usize {
    let at = src
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    src[..at].matches('\n').count() + 1
}

/// 1-based line of the last `header` before `anchor`: where a missing key is reported.
fn header_line(src: &str, header: &str, anchor: &str) -> usize {
    let at = src
        .find(anchor)
        .unwrap_or_else(|| panic!("`{anchor}` not found"));
    let header_at = src[..at]
        .rfind(header)
        .unwrap_or_else(|| panic!("no `{header}` before `{anchor}`"));
    src[..header_at].matches('\n').count() + 1
}

fn rejected(name: &str, src: &str) -> Diagnostics {
    match parse(name, src) {
        Ok(_) => panic!("the broken copy of {name} was accepted"),
        Err(d) => d,
    }
}

/// The diagnostic on `line` whose field is `field` (empty for a parse error) and whose
/// message contains every word of `words`.
fn expect(d: &Diagnostics, line: usize, field: &str, words: &[&str]) -> Diagnostic {
    d.0.iter()
        .find(|x| {
            x.line == Some(line) && x.field == field && words.iter().all(|w| x.message.contains(w))
        })
        .cloned()
        .unwrap_or_else(|| {
            panic!("no diagnostic at line {line} on `{field}` mentioning {words:?}; got:\n{d}")
        })
}

#[test]
fn missing_legal_basis_is_reported_on_the_purpose() {
    let src = source("saas.toml");
    let i = purpose_index(&valid("saas.toml"), "invoicing");
    let anchor = "id = \"invoicing\"";
    let broken = edit_after(&src, anchor, "legal_basis = \"legal_obligation\"\n", "");
    let d = rejected("saas.toml", &broken);
    let x = expect(
        &d,
        header_line(&broken, "[[purposes]]", anchor),
        &format!("purposes[{i}].legal_basis"),
        &["invoicing", "no legal basis"],
    );
    assert!(d.to_string().contains(&format!(
        "saas.toml:{}: purposes[{i}].legal_basis: ",
        x.line.unwrap_or(0)
    )));
}

#[test]
fn misspelt_category_is_reported_on_its_line() {
    let src = source("nocode.toml");
    let r = valid("nocode.toml");
    let i = purpose_index(&r, "prospecting");
    let j = r.purposes[i]
        .categories
        .iter()
        .position(|c| c == "user.professional_information.job_title")
        .unwrap_or_else(|| panic!("job title not used by prospecting"));
    let typo = "\"user.profesional_information.job_title\"";
    let broken = edit_after(
        &src,
        "id = \"prospecting\"",
        "\"user.professional_information.job_title\"",
        typo,
    );
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, typo),
        &format!("purposes[{i}].categories[{j}]"),
        &["unknown category", "user.profesional_information.job_title"],
    );
}

#[test]
fn consent_cookie_longer_than_thirteen_months_is_refused() {
    let src = source("saas.toml");
    let i = valid("saas.toml")
        .cookies
        .iter()
        .position(|c| c.name == "_fbp")
        .unwrap_or_else(|| panic!("no _fbp"));
    let broken = edit_after(
        &src,
        "name = \"_fbp\"",
        "lifetime = \"P3M\"",
        "lifetime = \"P2Y\"",
    );
    let d = rejected("saas.toml", &broken);
    let line = line_of(&broken, "lifetime = \"P2Y\"");
    expect(
        &d,
        line,
        &format!("cookies[{i}].lifetime"),
        &["_fbp", "P2Y", "P13M"],
    );
}

#[test]
fn cookie_without_lifetime_is_reported_on_the_cookie() {
    let src = source("nocode.toml");
    let name = "_pk_id.<site-id>";
    let i = valid("nocode.toml")
        .cookies
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    let anchor = "name = \"_pk_id.<site-id>\"";
    let broken = edit_after(&src, anchor, "lifetime = \"P13M\"\n", "");
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        header_line(&broken, "[[cookies]]", anchor),
        &format!("cookies[{i}].lifetime"),
        &[name, "no lifetime"],
    );
}

#[test]
fn us_recipient_without_transfer_mechanism_is_refused() {
    let src = source("saas.toml");
    let r = valid("saas.toml");
    let i = r
        .recipients
        .iter()
        .position(|x| x.id == "x-corp")
        .unwrap_or_else(|| panic!("no x-corp"));
    assert_eq!(
        r.transfers
            .iter()
            .filter(|t| t.recipient == "x-corp")
            .count(),
        1
    );
    // Its only transfer now names another recipient: nothing covers X Corp. in the US.
    let broken = src.replacen(
        "[[transfers]]\nrecipient = \"x-corp\"",
        "[[transfers]]\nrecipient = \"linkedin\"",
        1,
    );
    assert_ne!(broken, src);
    let d = rejected("saas.toml", &broken);
    let (countries, _) = line_after(&broken, "id = \"x-corp\"", "countries = ");
    expect(
        &d,
        countries,
        &format!("recipients[{i}].countries[0]"),
        &["x-corp", "US", "outside the EEA"],
    );
}

#[test]
fn adequacy_is_not_a_mechanism_for_the_us() {
    let src = source("nocode.toml");
    let r = valid("nocode.toml");
    let i = r
        .transfers
        .iter()
        .position(|t| t.recipient == "messaging")
        .unwrap_or_else(|| panic!("no messaging transfer"));
    let anchor = "recipient = \"messaging\"";
    let broken = edit_after(
        &src,
        anchor,
        "mechanism = \"dpf\"",
        "mechanism = \"adequacy\"",
    );
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, "mechanism = \"adequacy\"\ndpf_checked_on"),
        &format!("transfers[{i}].mechanism"),
        &["US has no adequacy decision", "dpf"],
    );
}

#[test]
fn category_without_retention_rule_is_refused() {
    let src = source("nocode.toml");
    let n = valid("nocode.toml").categories.len();
    let added = "[[categories]]\nid = \"user.demographic.gender\"\nname = { en = \"gender\", fr = \"genre\" }\n\n";
    let broken = src.replacen("[[purposes]]", &format!("{added}[[purposes]]"), 1);
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, "id = \"user.demographic.gender\""),
        &format!("categories[{n}].id"),
        &["user.demographic.gender", "no retention rule"],
    );
}

#[test]
fn category_without_retention_for_a_subject_kind_is_refused() {
    let src = source("nocode.toml");
    let r = valid("nocode.toml");
    let i = r
        .categories
        .iter()
        .position(|c| c.id == "user.professional_information.job_title")
        .unwrap_or_else(|| panic!("no job title"));
    let broken = edit_after(
        &src,
        "id = \"prospects\"",
        "subjects = [\"prospect\"]",
        "subjects = [\"customer\"]",
    );
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, "id = \"user.professional_information.job_title\""),
        &format!("categories[{i}].id"),
        &["user.professional_information.job_title", "prospect"],
    );
}

#[test]
fn consent_purpose_without_consent_mechanism_is_refused() {
    let src = source("saas.toml");
    let i = purpose_index(&valid("saas.toml"), "newsletter");
    let anchor = "id = \"newsletter\"";
    let broken = edit_after(
        &src,
        anchor,
        "consent = { collected_by = [\"form\", \"api\"] }\n",
        "",
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        header_line(&broken, "[[purposes]]", anchor),
        &format!("purposes[{i}].consent"),
        &["newsletter", "based on consent", "collected_by"],
    );
}

#[test]
fn legitimate_interest_without_the_interest_is_refused() {
    let src = source("nocode.toml");
    let i = purpose_index(&valid("nocode.toml"), "debt_collection");
    let anchor = "id = \"debt_collection\"";
    let (_, interest) = line_after(&src, anchor, "legitimate_interest = ");
    let broken = edit_after(&src, anchor, interest, "");
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        header_line(&broken, "[[purposes]]", anchor),
        &format!("purposes[{i}].legitimate_interest"),
        &["debt_collection", "legitimate interest"],
    );
}

#[test]
fn unknown_field_is_reported_on_its_line() {
    let src = source("saas.toml");
    let broken = edit_after(
        &src,
        "id = \"registration\"",
        "legal_basis = \"contract\"",
        "legal_bsis = \"contract\"",
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "legal_bsis"),
        "purposes[0].legal_bsis",
        &["did you mean `legal_basis`?"],
    );
}

#[test]
fn archive_phase_without_access_is_reported_on_the_phase() {
    let src = source("nocode.toml");
    let r = valid("nocode.toml");
    let i = r
        .retention
        .iter()
        .position(|x| x.id == "billing")
        .unwrap_or_else(|| panic!("no billing"));
    let anchor = "id = \"billing\"";
    let broken = edit_after(
        &src,
        anchor,
        ", access = [\"administration\", \"internal_control\", \"dpo\"]",
        "",
    );
    let d = rejected("nocode.toml", &broken);
    let (phase, _) = line_after(&broken, anchor, "phases = ");
    expect(
        &d,
        phase,
        &format!("retention[{i}].phases[0].access"),
        &["roles"],
    );
}

#[test]
fn advertising_cookie_cannot_be_exempt() {
    let src = source("saas.toml");
    let i = valid("saas.toml")
        .cookies
        .iter()
        .position(|c| c.name == "_fbp")
        .unwrap_or_else(|| panic!("no _fbp"));
    let broken = edit_after(
        &src,
        "name = \"_fbp\"",
        "consent_purpose = \"remarketing\"",
        "exempt = true",
    );
    let d = rejected("saas.toml", &broken);
    let (line, _) = line_after(&broken, "name = \"_fbp\"", "exempt = true");
    expect(
        &d,
        line,
        &format!("cookies[{i}].exempt"),
        &["_fbp", "always need consent"],
    );
}

#[test]
fn exempt_audience_cookie_must_stay_within_the_ceiling() {
    let src = source("nocode.toml");
    let name = "_pk_id.<site-id>";
    let i = valid("nocode.toml")
        .cookies
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    let anchor = "name = \"_pk_id.<site-id>\"";
    let exempt = edit_after(
        &src,
        anchor,
        "consent_purpose = \"audience_measurement\"",
        "exempt = true",
    );
    assert!(
        parse("nocode.toml", &exempt).is_ok(),
        "a 13-month exempt audience cookie is allowed"
    );
    let broken = edit_after(
        &exempt,
        anchor,
        "lifetime = \"P13M\"",
        "lifetime = \"P25M\"",
    );
    let d = rejected("nocode.toml", &broken);
    let (line, _) = line_after(&broken, anchor, "lifetime = ");
    expect(
        &d,
        line,
        &format!("cookies[{i}].lifetime"),
        &[name, "P25M", "exempt"],
    );
}

#[test]
fn answer_deadlines_stay_within_article_12() {
    let src = source("nocode.toml");
    let broken = src.replacen("response_time = \"P1M\"", "response_time = \"P2M\"", 1);
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, "response_time = "),
        "rights.response_time",
        &["one month", "P2M"],
    );
    let broken = src.replacen("extension = \"P2M\"", "extension = \"P3M\"", 1);
    let d = rejected("nocode.toml", &broken);
    expect(
        &d,
        line_of(&broken, "extension = "),
        "rights.extension",
        &["two months", "P3M"],
    );
}

#[test]
fn zero_length_retention_phase_is_rejected() {
    let src = source("contact-site.toml");
    let anchor = "id = \"cookie-choices\"";
    let broken = edit_after(&src, anchor, "duration = \"P6M\"", "duration = \"P0D\"");
    let d = rejected("contact-site.toml", &broken);
    let line = line_after(&broken, anchor, "phases = ").0;
    let i = valid("contact-site.toml")
        .retention
        .iter()
        .position(|r| r.id == "cookie-choices")
        .unwrap();
    expect(
        &d,
        line,
        &format!("retention[{i}].phases[0].duration"),
        &["at least one day"],
    );
}

// ------------------------------------------------------------------ (d) languages and authorities

#[test]
fn werkstatt_publishes_in_german_spanish_and_italian_with_the_land_authority() {
    use crate::Lang;
    let r = valid("werkstatt.toml");
    assert_eq!(r.languages, [Lang::DE, Lang::ES, Lang::IT]);
    let authority = r.controller.supervisory_authority.as_ref().unwrap();
    assert!(authority.address.contains("Ansbach"), "{authority:?}");
    let german_only = source("werkstatt.toml").replace(
        "languages = [\"de\", \"es\", \"it\"]",
        "languages = [\"de\"]",
    );
    assert_eq!(
        parse("werkstatt.toml", &german_only).unwrap().languages,
        [Lang::DE]
    );
}

/// Spanish and Italian words agree with a category's name, as French ones do: a
/// category published in either gives its gender there; German needs none.
#[test]
fn spanish_and_italian_categories_give_their_gender() {
    use crate::Lang;
    let r = valid("werkstatt.toml");
    for c in &r.categories {
        for lang in [Lang::ES, Lang::IT] {
            assert!(c.gender.contains_key(&lang), "{}: no {lang:?} gender", c.id);
        }
    }
    let src = source("werkstatt.toml");
    for (from, to, lang) in [
        (r#"es = "feminine", "#, "", "es"),
        (r#", it = "masculine""#, "", "it"),
    ] {
        let broken = edit_after(&src, r#"id = "user.contact.email""#, from, to);
        let d = rejected("werkstatt.toml", &broken);
        let agrees = format!("the {lang} text agrees with this category's name");
        assert!(
            d.0.iter()
                .any(|x| x.field == "categories[1].gender" && x.message.contains(&agrees)),
            "{d}"
        );
    }
    let german_only: String = src
        .replace(r#"languages = ["de", "es", "it"]"#, r#"languages = ["de"]"#)
        .lines()
        .filter(|l| !l.starts_with("gender = "))
        .map(|l| format!("{l}\n"))
        .collect();
    parse("werkstatt.toml", &german_only).unwrap();
}

#[test]
fn a_german_controller_without_region_or_authority_is_refused() {
    let src = source("werkstatt.toml");
    let broken = edit_after(&src, "[controller]", "region = \"DE-BY\"\n", "");
    let d = rejected("werkstatt.toml", &broken);
    expect(
        &d,
        line_of(&broken, "[controller]"),
        "controller.supervisory_authority",
        &["region", "DE-BY"],
    );
    let unknown = edit_after(&src, "[controller]", "\"DE-BY\"", "\"DE-XX\"");
    let d = rejected("werkstatt.toml", &unknown);
    expect(
        &d,
        line_of(&unknown, "region ="),
        "controller.region",
        &["DE-XX", "DE-NW"],
    );
}

#[test]
fn spanish_and_italian_controllers_get_their_authority_by_default() {
    let src = source("werkstatt.toml");
    for (country, words) in [
        ("ES", "Jorge Juan"),
        ("IT", "Piazza Venezia"),
        ("FR", "Fontenoy"),
    ] {
        let moved = edit_after(
            &src,
            "[controller]",
            "country = \"DE\"",
            &format!("country = \"{country}\""),
        )
        .replace("region = \"DE-BY\"\n", "");
        // A French controller must also offer post-mortem directives.
        let moved = if country == "FR" {
            moved.replace(
                "\"portability\", \"complaint\"]",
                "\"portability\", \"complaint\", \"post_mortem\"]",
            )
        } else {
            moved
        };
        let r = parse("werkstatt.toml", &moved).unwrap_or_else(|d| panic!("{country}: {d}"));
        let authority = r.controller.supervisory_authority.as_ref().unwrap();
        assert!(
            authority.address.contains(words),
            "{country}: {authority:?}"
        );
    }
}

#[test]
fn a_missing_or_unknown_language_in_a_text_is_reported_on_its_line() {
    let src = source("werkstatt.toml");
    let anchor = "id = \"bookkeeping\"";
    let missing = edit_after(&src, anchor, ", it = \"Contabilità\"", "");
    let d = rejected("werkstatt.toml", &missing);
    let i = purpose_index(&valid("werkstatt.toml"), "bookkeeping");
    let (line, _) = line_after(&missing, anchor, "title =");
    expect(
        &d,
        line,
        &format!("purposes[{i}].title"),
        &["missing Italian (`it`) text"],
    );
    let unknown = edit_after(
        &src,
        anchor,
        "it = \"Contabilità\"",
        "pt = \"Contabilidade\"",
    );
    let d = rejected("werkstatt.toml", &unknown);
    expect(
        &d,
        line,
        &format!("purposes[{i}].title.pt"),
        &["unknown language `pt`", "en, fr, de, es, it"],
    );
    let bad_list = src.replace(
        "languages = [\"de\", \"es\", \"it\"]",
        "languages = [\"de\", \"pt\"]",
    );
    let d = rejected("werkstatt.toml", &bad_list);
    expect(
        &d,
        line_of(&bad_list, "languages ="),
        "",
        &["unknown language `pt`"],
    );
}

// ------------------------------------------------------------------ validation that helps

/// `name` with each edit applied once: the register's problems, one per line.
fn problems_after(name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = source(name);
    for (from, to) in edits {
        assert!(text.contains(from), "{from} not in {name}");
        text = text.replacen(from, to, 1);
    }
    match crate::parse(name, &text) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_legal_obligation_names_its_law() {
    let text = source("nocode.toml");
    let start = text.find("legal_basis = \"legal_obligation\"").unwrap();
    let line = &text[start..];
    let reference = line[line.find("legal_reference = ").unwrap()..]
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let errors = problems_after("nocode.toml", &[(&format!("{reference}\n"), "")]);
    assert!(
        errors.contains("is required by law: name the law (legal_reference)"),
        "{errors}"
    );
}

#[test]
fn a_french_controller_offers_post_mortem_directives() {
    let errors = problems_after(
        "contact-site.toml",
        &[("\"portability\", \"post_mortem\",", "\"portability\",")],
    );
    assert!(errors.contains("rights.offered: a controller established in France must tell people they can leave directives"), "{errors}");
}

#[test]
fn countries_are_iso_3166_codes_with_a_suggestion() {
    let errors = problems_after("saas.toml", &[("country = \"US\"", "country = \"USA\"")]);
    assert!(
        errors.contains("`USA` is not an ISO 3166-1 alpha-2 country code: did you mean `US`?"),
        "{errors}"
    );
    let errors = problems_after(
        "contact-site.toml",
        &[("country = \"FR\"", "country = \"UK\"")],
    );
    assert!(
        errors.contains("`UK` is not an ISO 3166-1 alpha-2 country code: did you mean `GB`?"),
        "{errors}"
    );
    let errors = problems_after(
        "contact-site.toml",
        &[("country = \"FR\"", "country = \"XX\"")],
    );
    assert!(
        errors.contains("`XX` is not an ISO 3166-1 alpha-2 country code such as FR or US"),
        "{errors}"
    );
}

/// E-mail offers to people who are not customers need their prior consent
/// (e-Privacy Art. 13, CPCE L34-5), unless addressed to professionals about their work.
#[test]
fn email_prospecting_of_non_customers_needs_consent() {
    let errors = problems_after(
        "saas.toml",
        &[(
            "gratuit ou payant\" }\ncustomer = true\n",
            "gratuit ou payant\" }\n",
        )],
    );
    assert!(errors.contains("purpose `customer_prospecting` sends offers by e-mail to people who are not customers (user)"), "{errors}");
    let errors = problems_after(
        "nocode.toml",
        &[(
            "direct_marketing = true\nprofessional_audience = true",
            "direct_marketing = true",
        )],
    );
    assert!(errors.contains("purpose `prospecting` sends offers by e-mail to people who are not customers (prospect, user, customer)"), "{errors}");
}

#[test]
fn an_address_without_street_and_town_is_questioned() {
    let text = source("contact-site.toml");
    let address = text
        .lines()
        .find(|l| l.starts_with("address = "))
        .unwrap()
        .to_owned();
    let mut edited = text.replacen(&address, "address = \"Lavandes Lab\"", 1);
    let register = crate::parse("contact-site.toml", &edited).unwrap();
    let warnings: Vec<String> = register
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.iter().any(|w| w
            .contains("controller.address: `Lavandes Lab` does not look like a postal address")),
        "{warnings:?}"
    );
    edited = text;
    assert!(
        crate::parse("contact-site.toml", &edited)
            .unwrap()
            .warnings()
            .is_empty()
    );
}

/// Every misspelt key is reported at once, each on its line with the key meant.
#[test]
fn every_unknown_key_is_reported_at_once_with_the_key_meant() {
    let text = source("saas.toml")
        .replacen(
            "legal_basis = \"contract\"",
            "legal_bassis = \"contract\"",
            1,
        )
        .replacen("trading_name = ", "tradingname = ", 1)
        .replacen("reask_after = ", "reask_afer = ", 1)
        .replacen(
            "{ collected_by = [\"form\"] }",
            "{ colected_by = [\"form\"] }",
            1,
        );
    let errors = crate::parse("saas.toml", &text).unwrap_err();
    let shown: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    let line = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    for (needle, path, meant) in [
        ("tradingname = ", "controller.tradingname", "trading_name"),
        ("reask_afer = ", "consent.reask_afer", "reask_after"),
        ("legal_bassis = ", "purposes[", "legal_basis"),
        ("colected_by = ", ".consent.colected_by", "collected_by"),
    ] {
        let expected = format!("saas.toml:{}: ", line(needle));
        assert!(
            shown.iter().any(|s| s.starts_with(&expected)
                && s.contains(path)
                && s.contains(&format!("did you mean `{meant}`?"))),
            "{needle}: {shown:#?}"
        );
    }
}

#[test]
fn children_delay_and_reserved_event_ids_are_checked() {
    let src = source("saas.toml");
    let broken = edit_after(
        &src,
        "[children]",
        "parental_consent_within = \"P30D\"",
        "parental_consent_within = \"P0D\"",
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "parental_consent_within"),
        "children.parental_consent_within",
        &["not zero"],
    );
    let broken = format!(
        "{src}\n[[custom_events]]\nid = \"under_age\"\nname = {{ en = \"x\", fr = \"x\" }}\n"
    );
    let d = rejected("saas.toml", &broken);
    assert!(
        d.0.iter()
            .any(|x| x.field.ends_with(".id") && x.message.contains("already records")),
        "{d}"
    );
}

#[test]
fn service_messages_carry_no_marketing_and_rest_on_the_contract() {
    let src = source("saas.toml");
    let i = purpose_index(&valid("saas.toml"), "service_messages");
    let anchor = "id = \"service_messages\"";
    let broken = edit_after(
        &src,
        anchor,
        "service_messages = true\n",
        "service_messages = true\ndirect_marketing = true\n",
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "service_messages = true"),
        &format!("purposes[{i}].service_messages"),
        &["no marketing"],
    );
    let broken = edit_after(
        &src,
        anchor,
        "legal_basis = \"contract\"",
        "legal_basis = \"consent\"",
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "service_messages = true"),
        &format!("purposes[{i}].service_messages"),
        &["cannot be refused", "not on consent"],
    );
}

/// saas.toml with the shop's datasets (examples/datasets/shop.toml) appended.
fn with_shop_datasets() -> String {
    let mut src = source("saas.toml");
    src.push_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/datasets/shop.toml"),
        )
        .unwrap(),
    );
    src
}

#[test]
fn datasets_are_checked_against_the_register_on_their_lines() {
    let src = with_shop_datasets();
    parse("saas.toml", &src).unwrap_or_else(|e| panic!("{e}"));
    let broken = edit_after(
        &src,
        "name = \"orders\"",
        "kept_by = \"invoices\"",
        "kept_by = \"marketing\"",
    )
    .replacen(
        "category = \"user.name.first\"",
        "category = \"user.name.firts\"",
        1,
    );
    let broken = edit_after(
        &broken,
        "name = \"order_lines\"",
        "table = \"orders\"",
        "table = \"carts\"",
    )
    .replacen(
        "column = \"phone\" }",
        "column = \"phone\", category = \"user.contact.fax\" }",
        1,
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "user.contact.fax"),
        "datasets[0].tables[0].identities[1].category",
        &["unknown category `user.contact.fax`"],
    );
    expect(
        &d,
        line_of(&broken, "user.name.firts"),
        "datasets[0].tables[0].fields[1].category",
        &["unknown category"],
    );
    expect(
        &d,
        line_of(&broken, "kept_by = \"marketing\""),
        "datasets[0].tables[2].fields[0].kept_by",
        &["neither a legal-obligation purpose nor a retention rule"],
    );
    expect(
        &d,
        line_of(&broken, "table = \"carts\""),
        "datasets[0].tables[3].references[0].table",
        &["unknown table `carts`"],
    );
    // A kept column needs the end its table's retention gives, and a way to end.
    let broken = edit_after(
        &src,
        "name = \"orders\"",
        "retention = { rule = \"invoices\", from = \"ordered_on\" }",
        "",
    )
    .replacen(
        "after = \"fixed\", value",
        "after = \"delete_row\", value",
        1,
    );
    let d = rejected("saas.toml", &broken);
    expect(
        &d,
        line_of(&broken, "after = \"delete_row\""),
        "datasets[0].tables[2].fields[0].kept_by",
        &["a kept column needs an end"],
    );
    expect(
        &d,
        line_of(&broken, "after = \"delete_row\""),
        "datasets[0].tables[2].fields[0].after",
        &["after takes null, pseudonymise or fixed"],
    );
    // Deleting customers while their orders are kept would break the orders.
    let broken = edit_after(
        &src,
        "name = \"customers\"",
        "erase = \"null\" }",
        "erase = \"delete_row\" }",
    );
    let d = rejected("saas.toml", &broken);
    assert!(
        d.0.iter().any(|x| x
            .message
            .contains("rows of `customers` are deleted but rows of `orders`")),
        "{d}"
    );
}
