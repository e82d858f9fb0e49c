use super::*;
use custodia_register::{LegalBasis, adequacy_country, in_eea};
use std::path::{Path, PathBuf};

pub(crate) fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no example in {}", dir.display());
    out
}

pub(crate) fn example(stem: &str) -> ValidRegister {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{stem}.toml"));
    custodia_register::load(&path).unwrap()
}

/// contact-site.toml with some text replaced.
fn contact_site_with(edits: &[(&str, &str)]) -> ValidRegister {
    example_with("contact-site", edits)
}

/// An example register's text with some text replaced (each edit must apply once).
fn edited(stem: &str, edits: &[(&str, &str)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{stem}.toml"));
    let mut source = std::fs::read_to_string(path).unwrap();
    for (from, to) in edits {
        assert!(source.contains(from), "{from} not in {stem}.toml");
        source = source.replacen(from, to, 1);
    }
    source
}

/// An example register with some text replaced, which must stay valid.
fn example_with(stem: &str, edits: &[(&str, &str)]) -> ValidRegister {
    custodia_register::parse(&format!("{stem}.toml"), &edited(stem, edits))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The problems of an example register with some text replaced.
fn example_error(stem: &str, edits: &[(&str, &str)]) -> String {
    match custodia_register::parse(&format!("{stem}.toml"), &edited(stem, edits)) {
        Ok(_) => panic!("{stem}.toml stayed valid after {edits:?}"),
        Err(e) => e.to_string(),
    }
}

fn effective() -> RenderOptions {
    RenderOptions {
        effective_date: Some(time::macros::date!(2026 - 11 - 22)),
    }
}

#[test]
fn markdown_snapshots_of_every_example() {
    for path in examples() {
        let register = custodia_register::load(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for kind in Kind::ALL {
            for lang in register.languages.clone() {
                let md = render(&register, kind, lang, Format::Markdown, &effective()).unwrap();
                insta::assert_snapshot!(format!("{stem}-{kind}-{}", lang.code()), md);
            }
        }
    }
}

#[test]
fn html_and_json_snapshots() {
    let register = example("contact-site");
    let html = render(
        &register,
        Kind::Privacy,
        Lang::FR,
        Format::Html,
        &effective(),
    )
    .unwrap();
    insta::assert_snapshot!("contact-site-privacy-fr-html", html);
    let json = render(
        &register,
        Kind::Privacy,
        Lang::EN,
        Format::Json,
        &effective(),
    )
    .unwrap();
    insta::assert_snapshot!("contact-site-privacy-en-json", json);
}

#[test]
fn every_example_renders_in_every_format() {
    for path in examples() {
        let register = custodia_register::load(&path).unwrap();
        for kind in Kind::ALL {
            for lang in register.languages.clone() {
                for format in Format::ALL {
                    let out = render(&register, kind, lang, format, &RenderOptions::default())
                        .unwrap_or_else(|e| {
                            panic!("{}: {kind} {lang:?} {format}: {e}", path.display())
                        });
                    assert!(!out.contains("[missing"), "{}", path.display());
                }
                let json = render(
                    &register,
                    kind,
                    lang,
                    Format::Json,
                    &RenderOptions::default(),
                )
                .unwrap();
                let value: serde_json::Value = serde_json::from_str(&json).unwrap();
                assert_eq!(value["kind"], kind.id());
                assert_eq!(value["lang"], lang.code());
            }
        }
    }
}

#[test]
fn french_privacy_policy_of_contact_site() {
    let register = example("contact-site");
    let md = render(
        &register,
        Kind::Privacy,
        Lang::FR,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    for expected in [
        "Politique de confidentialité",
        "Date d'entrée en vigueur : 22 novembre 2026",
        "Responsable du traitement",
        "Base légale",
        "Durées de conservation",
        "Vos droits",
        "Trois ans à compter de votre dernier contact avec nous",
        "30 jours à compter de la clôture de votre demande",
        "Votre consentement (article 6.1.a du RGPD)",
        "Le respect d'une obligation légale (article 6.1.c du RGPD)",
        "Articles 12 à 22 du RGPD",
        "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
        "Introduire une réclamation auprès de l'autorité de contrôle",
        "Directives post-mortem",
        "Nous vous répondons dans un délai d'un mois à compter",
        "ce délai peut être prolongé de deux mois ;",
    ] {
        assert!(md.contains(expected), "missing {expected:?}");
    }
    // No English left over in the French text.
    for english in ["Legal basis", "years", "Your rights", "consent ("] {
        assert!(
            !md.contains(english),
            "English {english:?} in the French policy"
        );
    }
}

#[test]
fn english_privacy_policy_of_contact_site() {
    let register = example("contact-site");
    let doc = document(&register, Kind::Privacy, Lang::EN, &effective()).unwrap();
    assert_eq!(
        doc.effective_date_text.as_deref(),
        Some("Effective date: 22 November 2026")
    );
    let purpose = doc.section("purpose-rights_requests").unwrap();
    assert_eq!(purpose.facts["legal_basis"], "legal_obligation");
    assert_eq!(purpose.facts["requirement"], "statutory");
    let md = render(
        &register,
        Kind::Privacy,
        Lang::EN,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    for expected in [
        "Three years after your last contact with us",
        "Compliance with a legal obligation (Article 6(1)(c) GDPR)",
        "without giving any reason", // absolute objection to direct marketing
        "does not affect the lawfulness",
        "reasonable doubts",
        "Your data stays in the European Economic Area",
        "We do not make any decision based solely on automated processing",
        "Links to other websites",
        "If the change is significant",
    ] {
        assert!(md.contains(expected), "missing {expected:?}");
    }
}

/// werkstatt.toml, a German controller, with some text replaced.
fn werkstatt_with(edits: &[(&str, &str)]) -> ValidRegister {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/werkstatt.toml");
    let mut source = std::fs::read_to_string(path).unwrap();
    for (from, to) in edits {
        assert!(source.contains(from), "{from} not in werkstatt.toml");
        source = source.replace(from, to);
    }
    custodia_register::parse("werkstatt.toml", &source).unwrap()
}

/// The privacy policy of werkstatt.toml in `lang` uses each country's legal terms and
/// names the authority defaulted from the controller's establishment.
#[test]
fn german_spanish_and_italian_privacy_policies_use_their_legal_terms() {
    let cases: [(Lang, &[&str]); 3] = [
        (
            Lang::DE,
            &[
                "Stand: 22. November 2026",
                "Verantwortlicher für die Verarbeitung Ihrer personenbezogenen Daten im Sinne der DSGVO ist",
                "Auftragsverarbeiter",
                "Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
                "betroffener Personen",
                "Beschwerde bei der Aufsichtsbehörde",
                "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)",
                "Promenade 18, 91522 Ansbach",
                "Drei Jahre ab dem Ende des Vertrags",
            ],
        ),
        (
            Lang::ES,
            &[
                "22 de noviembre de 2026",
                "es el responsable del tratamiento",
                "encargados del tratamiento",
                "Su consentimiento (artículo 6.1.a del RGPD)",
                "interesados",
                "autoridad de control",
                "Bayerisches Landesamt für Datenschutzaufsicht",
                "Tres años desde la finalización del contrato",
            ],
        ),
        (
            Lang::IT,
            &[
                "22 novembre 2026",
                "è il titolare del trattamento",
                "responsabili del trattamento",
                "Il Suo consenso (art. 6, par. 1, lett. a) GDPR)",
                "interessati",
                "autorità di controllo",
                "Bayerisches Landesamt für Datenschutzaufsicht",
                "Tre anni dalla cessazione del contratto",
            ],
        ),
    ];
    let register = example("werkstatt");
    for (lang, expected) in cases {
        let md = render(
            &register,
            Kind::Privacy,
            lang,
            Format::Markdown,
            &effective(),
        )
        .unwrap();
        for text in expected {
            assert!(md.contains(text), "{lang}: missing {text:?}");
        }
        for english in ["Your rights", "controller", "Legal basis", "[missing"] {
            assert!(!md.contains(english), "{lang}: {english:?} in the policy");
        }
    }
}

#[test]
fn a_register_published_in_german_only_renders() {
    let register = werkstatt_with(&[(
        "languages = [\"de\", \"es\", \"it\"]",
        "languages = [\"de\"]",
    )]);
    for kind in Kind::ALL {
        for format in Format::ALL {
            render(&register, kind, Lang::DE, format, &effective()).unwrap();
        }
        assert!(matches!(
            render(&register, kind, Lang::IT, Format::Html, &effective()),
            Err(PolicyError::LanguageNotPublished("it"))
        ));
    }
    let html = render(
        &register,
        Kind::Privacy,
        Lang::DE,
        Format::Html,
        &effective(),
    )
    .unwrap();
    assert!(html.contains("<html lang=\"de\""), "{html}");
}

#[test]
fn spanish_and_italian_controllers_name_their_authority_by_default() {
    for (country, lang, expected) in [
        (
            "ES",
            Lang::ES,
            [
                "Agencia Española de Protección de Datos (AEPD)",
                "C/ Jorge Juan, 6, 28001 Madrid",
            ],
        ),
        (
            "IT",
            Lang::IT,
            [
                "Garante per la protezione dei dati personali",
                "Piazza Venezia 11, 00187 Roma",
            ],
        ),
    ] {
        let register = werkstatt_with(&[
            ("country = \"DE\"", &format!("country = \"{country}\"")),
            ("region = \"DE-BY\"\n", ""),
        ]);
        let md = render(
            &register,
            Kind::Privacy,
            lang,
            Format::Markdown,
            &effective(),
        )
        .unwrap();
        for text in expected {
            assert!(md.contains(text), "{country}: missing {text:?}");
        }
    }
}

#[test]
fn every_privacy_policy_has_the_art13_sections() {
    for path in examples() {
        let register = custodia_register::load(&path).unwrap();
        for lang in register.languages.clone() {
            let doc = document(&register, Kind::Privacy, lang, &RenderOptions::default()).unwrap();
            for id in ART13_SECTIONS {
                assert!(
                    doc.section(id).is_some(),
                    "{}: no section {id}",
                    path.display()
                );
            }
            for p in &register.purposes {
                let s = doc.section(&format!("purpose-{}", p.id)).unwrap();
                assert!(s.facts.contains_key("legal_basis"), "{}", p.id);
            }
            for rule in &register.retention {
                assert!(doc.section(&format!("retention-{}", rule.id)).is_some());
            }
            if !register.cookies.is_empty() {
                assert!(doc.section("cookies").is_some());
            }
            let ids = doc.section_ids();
            let unique: std::collections::BTreeSet<_> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "duplicate section ids: {ids:?}");
        }
    }
}

#[test]
fn section_ids_are_the_same_in_every_language() {
    for path in examples() {
        let register = custodia_register::load(&path).unwrap();
        for kind in Kind::ALL {
            let ids: Vec<Vec<String>> = register
                .languages
                .iter()
                .map(|lang| {
                    let doc = document(&register, kind, *lang, &RenderOptions::default()).unwrap();
                    doc.section_ids().into_iter().map(str::to_owned).collect()
                })
                .collect();
            assert!(ids.windows(2).all(|w| w[0] == w[1]), "{}", path.display());
        }
    }
}

#[test]
fn cookie_policy_of_contact_site() {
    let register = example("contact-site");
    let md = render(
        &register,
        Kind::Cookies,
        Lang::FR,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    for expected in [
        "Strictement nécessaires",
        "Fonctionnels",
        "durée de la session",
        "six mois",
        "un an",
        "Non requis",
    ] {
        assert!(md.contains(expected), "missing {expected:?}");
    }
    let doc = document(&register, Kind::Cookies, Lang::EN, &effective()).unwrap();
    assert!(doc.section("cookies-necessary").is_some());
    assert!(doc.section("cookies-marketing").is_none());
}

#[test]
fn cookie_banner_text_when_a_tracker_needs_consent() {
    let register = contact_site_with(&[
        (
            "lifetime = \"P1Y\"\nexempt = true",
            "lifetime = \"P1Y\"\nexempt = false\nconsent_purpose = \"prospecting\"",
        ),
        // The governing purpose must collect consent by banner.
        (
            "collected_by = [\"form\", \"api\"]",
            "collected_by = [\"form\", \"api\", \"banner\"]",
        ),
    ]);
    let en = render(
        &register,
        Kind::Cookies,
        Lang::EN,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    for expected in [
        "“Accept all”",
        "“Refuse all”",
        "“Customise”",
        "“Cookie preferences”",
        "six months",
        "13 months",
        "at any time",
    ] {
        assert!(en.contains(expected), "missing {expected:?}");
    }
    let fr = render(
        &register,
        Kind::Cookies,
        Lang::FR,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    for expected in [
        "« Tout accepter »",
        "« Tout refuser »",
        "« Personnaliser »",
        "« Préférences cookies »",
        "13 mois",
    ] {
        assert!(fr.contains(expected), "missing {expected:?}");
    }
}

#[test]
fn html_is_self_contained_and_escaped() {
    let register = contact_site_with(&[
        (
            "legal_name = \"Lavandes Lab\"",
            "legal_name = \"Lavandes <b>Lab</b> & \\\"Co\\\"\"",
        ),
        (
            "website = \"https://lavandes-lab.example\"",
            "website = \"javascript:alert(1)\"",
        ),
    ]);
    for kind in Kind::ALL {
        for lang in register.languages.clone() {
            let html = render(&register, kind, lang, Format::Html, &effective()).unwrap();
            let lower = html.to_ascii_lowercase();
            assert!(html.starts_with("<!doctype html>\n"));
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert!(html.contains("name=\"viewport\""));
            assert!(html.contains("<title>"));
            assert!(html.contains("@media print"));
            for forbidden in [
                "<script",
                "<link",
                "@import",
                "src=",
                "url(",
                "<img",
                "<iframe",
                "javascript:alert(1)\"",
            ] {
                assert!(!lower.contains(forbidden), "{forbidden} in the HTML");
            }
            assert!(!html.contains("<b>"), "unescaped register text");
            assert!(html.contains("Lavandes &#60;b&#62;Lab&#60;/b&#62; &#38; &#34;Co&#34;"));
            for href in html.split("href=\"").skip(1) {
                let ok = ["https://", "http://", "mailto:", "#"]
                    .iter()
                    .any(|p| href.starts_with(p));
                assert!(ok, "unexpected link {}", &href[..href.len().min(40)]);
            }
        }
    }
    let md = render(
        &register,
        Kind::Privacy,
        Lang::EN,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    assert!(md.contains("Lavandes \\<b\\>Lab\\</b\\> \\& \"Co\""));
    assert!(!md.contains("](javascript"));
}

#[test]
fn a_language_the_register_does_not_publish_is_refused() {
    let register = contact_site_with(&[("languages = [\"en\", \"fr\"]", "languages = [\"en\"]")]);
    assert!(matches!(
        render(
            &register,
            Kind::Privacy,
            Lang::FR,
            Format::Html,
            &RenderOptions::default()
        ),
        Err(PolicyError::LanguageNotPublished("fr"))
    ));
    assert!(
        render(
            &register,
            Kind::Privacy,
            Lang::EN,
            Format::Html,
            &RenderOptions::default()
        )
        .is_ok()
    );
}

#[test]
fn kinds_and_formats_parse() {
    assert_eq!("privacy".parse::<Kind>().unwrap(), Kind::Privacy);
    assert_eq!("Cookies".parse::<Kind>().unwrap(), Kind::Cookies);
    assert!("terms".parse::<Kind>().is_err());
    assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
    assert_eq!("markdown".parse::<Format>().unwrap(), Format::Markdown);
    assert_eq!("HTML".parse::<Format>().unwrap(), Format::Html);
    assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
    assert!("pdf".parse::<Format>().is_err());
    for kind in Kind::ALL {
        assert_eq!(kind.id().parse::<Kind>().unwrap(), kind);
    }
    for format in Format::ALL {
        assert_eq!(format.id().parse::<Format>().unwrap(), format);
    }
}

/// Every message id written in the builders (kebab-case string literals) exists in
/// both catalogues. Ids built at run time (months, countries) are tested in i18n.
#[test]
fn every_message_id_used_exists_in_both_languages() {
    let sources = [
        include_str!("lib.rs"),
        include_str!("ctx.rs"),
        include_str!("i18n.rs"),
        include_str!("privacy.rs"),
        include_str!("cookies.rs"),
        include_str!("record.rs"),
    ];
    // The banner and the subject pages take their texts from these catalogues.
    let server_sources = [
        include_str!("../../custodia-server/src/banner.rs"),
        include_str!("../../custodia-server/src/subject_pages.rs"),
        include_str!("../../custodia-server/src/portal.rs"),
        include_str!("../../custodia-core/src/rights/letters.rs"),
        include_str!("../../custodia-core/src/rights/package.rs"),
        include_str!("../../custodia-server/src/console/mod.rs"),
        include_str!("../../custodia-server/src/console/requests.rs"),
        include_str!("../../custodia-server/src/console/subjects.rs"),
        include_str!("../../custodia-server/src/console/audit.rs"),
        include_str!("../../custodia-server/src/console/register.rs"),
        include_str!("../../custodia-server/src/console/retention.rs"),
        include_str!("../../custodia-server/src/console/breaches.rs"),
        include_str!("../../custodia-server/src/console/staff.rs"),
        include_str!("../../custodia-server/src/console/account.rs"),
        include_str!("../../custodia-server/src/console/dashboard.rs"),
        include_str!("../../custodia-server/src/second_factor_page.rs"),
    ];
    // Every template of the server's pages, wherever it sits.
    let mut templates = Vec::new();
    let mut dirs =
        vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../custodia-server/templates")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                templates.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    assert!(
        templates.len() > 20,
        "only {} templates found",
        templates.len()
    );
    let server_sources = server_sources
        .iter()
        .copied()
        .chain(templates.iter().map(String::as_str));
    let messages = i18n::messages().unwrap();
    let mut used = std::collections::BTreeSet::new();
    for source in sources {
        let code = source.split("#[cfg(test)]").next().unwrap();
        used.extend(
            string_literals(code)
                .into_iter()
                .filter(|s| is_message_id(s)),
        );
    }
    for source in server_sources {
        used.extend(string_literals(source).into_iter().filter(|s| {
            is_message_id(s)
                && [
                    "banner-", "subject-", "portal-", "mail-", "package-", "console-",
                ]
                .iter()
                .any(|p| s.starts_with(p))
        }));
    }
    assert!(used.len() > 150, "only {} ids found", used.len());
    for id in &used {
        for lang in Lang::ALL {
            assert!(
                messages.has(lang, id),
                "`{id}` is used but missing in {lang:?}"
            );
        }
    }
    // And no catalogue entry is dead, apart from run-time ids.
    for id in messages.ids(Lang::EN) {
        let dynamic = id == "date" || id.starts_with("month-") || id.starts_with("country-");
        assert!(
            dynamic || used.contains(id.as_str()),
            "`{id}` is never used"
        );
    }
}

#[test]
fn eea_and_adequacy_countries_have_names() {
    let messages = i18n::messages().unwrap();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = String::from_utf8(vec![a, b]).unwrap();
            if in_eea(&code) || adequacy_country(&code) || code == "US" {
                for lang in Lang::ALL {
                    assert!(
                        messages.has(lang, &format!("country-{code}")),
                        "{code} {lang:?}"
                    );
                }
            }
        }
    }
}

fn string_literals(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => break,
                _ => literal.push(c),
            }
        }
        out.push(literal);
    }
    out
}

fn is_message_id(s: &str) -> bool {
    s.contains('-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn privacy_md(register: &ValidRegister, lang: Lang) -> String {
    render(
        register,
        Kind::Privacy,
        lang,
        Format::Markdown,
        &effective(),
    )
    .unwrap()
}

/// "Shine the Light" is Civil Code 1798.83, not the CCPA: offered alone, it is
/// attributed to its own law and no CCPA right or promise is claimed.
#[test]
fn california_rights_are_each_attributed_to_their_own_law() {
    let shine_only = contact_site_with(&[(
        r#""post_mortem", "complaint"]"#,
        r#""post_mortem", "complaint", "shine_the_light"]"#,
    )]);
    for lang in [Lang::EN, Lang::FR] {
        let md = privacy_md(&shine_only, lang);
        assert!(md.contains("1798.83"), "{md}");
        assert!(!md.contains("Consumer Privacy Act"), "{md}");
        assert!(!md.contains("CCPA"), "{md}");
    }
    let md = privacy_md(&example("saas"), Lang::EN);
    let california = md
        .split("Additional rights for California residents")
        .nth(1)
        .unwrap();
    let ccpa_at = california
        .find("California Consumer Privacy Act (CCPA) gives you")
        .unwrap();
    let promise_at = california
        .find("As the CCPA requires, we will not treat you differently")
        .unwrap();
    let shine_at = california
        .find("section 1798.83 of the California Civil Code")
        .unwrap();
    assert!(
        ccpa_at < promise_at && promise_at < shine_at,
        "{california}"
    );

    let error = example_error("saas", &[("ccpa_applies = true\n", "")]);
    assert!(
        error.contains("rights.offered[9]: `california_know` is a right under the California Consumer Privacy Act: set `rights.ccpa_applies = true`"),
        "{error}"
    );
}

/// A consent-based purpose offers withdrawal, not objection; each purpose states
/// the rights its legal basis gives.
#[test]
fn each_purpose_states_the_rights_of_its_legal_basis() {
    let doc = document(&example("saas"), Kind::Privacy, Lang::EN, &effective()).unwrap();
    let register = example("saas");
    for purpose in &register.purposes {
        let section = doc.section(&format!("purpose-{}", purpose.id)).unwrap();
        let text = serde_json::to_string(section).unwrap();
        match purpose.legal_basis {
            Some(LegalBasis::Consent) => {
                assert!(
                    text.contains("You can withdraw your consent at any time"),
                    "{}: {text}",
                    purpose.id
                );
                assert!(!text.contains("object"), "{}: {text}", purpose.id);
            }
            Some(LegalBasis::LegitimateInterest) => {
                assert!(text.contains("You can object"), "{}: {text}", purpose.id);
            }
            Some(LegalBasis::Contract) => {
                assert!(
                    text.contains("cannot object to it while the contract runs"),
                    "{}: {text}",
                    purpose.id
                );
            }
            Some(LegalBasis::LegalObligation) => {
                assert!(
                    text.contains("The law requires this use"),
                    "{}: {text}",
                    purpose.id
                );
            }
            _ => {}
        }
    }
    assert!(
        register
            .purposes
            .iter()
            .any(|p| p.direct_marketing && p.legal_basis == Some(LegalBasis::Consent)),
        "saas has a consent-based marketing purpose"
    );
}

/// A team of ours named inside a sentence is a common noun: no capital after
/// "restricted to:" or in the middle of a list; companies keep their names.
#[test]
fn lists_inside_sentences_have_no_capitals_mid_sentence() {
    let en = privacy_md(&example("nocode"), Lang::EN);
    assert!(
        en.contains("access restricted to: internal control, data protection officer"),
        "{en}"
    );
    assert!(!en.contains("restricted to: Internal control"), "{en}");
    let fr = privacy_md(&example("nocode"), Lang::FR);
    assert!(fr.contains("contrôle interne"), "{fr}");
    assert!(fr.contains("Destinataires** : Contrôle interne, service administratif et financier, autorités légalement habilitées"), "{fr}");
    assert_eq!(ctx::decapitalise("IT team"), "IT team");
    assert_eq!(ctx::decapitalise("Our staff"), "our staff");
}

/// An Art. 49 derogation is not a safeguard: it is shown apart with its situation,
/// never under "covered by one of the safeguards" nor with "ask us for a copy";
/// for a processor (systematic transfers) validation warns.
#[test]
fn derogations_are_shown_apart_and_questioned_for_a_processor() {
    let derogation = |recipient: &str| {
        (
            format!(
                "recipient = \"{recipient}\"\ncountry = \"US\"\nmechanism = \"dpf\"\ndpf_checked_on = \"2026-11-02\""
            ),
            format!(
                "recipient = \"{recipient}\"\ncountry = \"US\"\nmechanism = \"derogation\"\nderogation = {{ en = \"when you ask us to pay a US supplier\", fr = \"lorsque vous nous demandez de payer un fournisseur américain\" }}"
            ),
        )
    };
    let (from, to) = derogation("google");
    let register = example_with("saas", &[(&from, &to)]);
    assert!(register.warnings().is_empty(), "{:?}", register.warnings());
    let doc = document(&register, Kind::Privacy, Lang::EN, &effective()).unwrap();
    let md = markdown::emit(&doc);
    let transfers = md
        .split("Each of the following transfers is covered")
        .nth(1)
        .unwrap();
    let (safeguarded, derogations) = transfers
        .split_once("They rely on a derogation for a specific situation (Article 49 GDPR)")
        .unwrap();
    assert!(
        !safeguarded.contains("when you ask us to pay"),
        "{safeguarded}"
    );
    let derogations = derogations.split("\n## ").next().unwrap();
    assert!(
        derogations.contains(
            "| Google Ireland Limited | United States | when you ask us to pay a US supplier |"
        ),
        "{derogations}"
    );
    assert!(!derogations.contains("Ask us for a copy"), "{derogations}");

    let (from, to) = derogation("stripe");
    let register = example_with("saas", &[(&from, &to)]);
    let warnings: Vec<String> = register
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("saas.toml:")
            && warnings[0].contains(
                "transfers[0].mechanism: `stripe` is a processor: its transfers are systematic"
            ),
        "{warnings:?}"
    );
}

/// The controller is the legal entity, not its brand: both are named.
#[test]
fn the_controller_is_the_legal_entity_known_by_its_brand() {
    let en = privacy_md(&example("nocode"), Lang::EN);
    assert!(
        en.contains("Maillon Solutions (“Maillon”) is the controller of your personal data"),
        "{en}"
    );
    assert!(!en.contains("\nMaillon is the controller"), "{en}");
    let fr = privacy_md(&example("nocode"), Lang::FR);
    assert!(
        fr.contains("Maillon Solutions (« Maillon ») est responsable du traitement"),
        "{fr}"
    );
    let plain = privacy_md(&example("contact-site"), Lang::EN);
    assert!(plain.contains("Lavandes Lab is the controller"), "{plain}");
}

/// French participles agree with the category's name, whose gender the register
/// gives; small numbers are written in words ("dans un délai d'un mois").
#[test]
fn french_words_agree_with_each_category_and_small_numbers_are_words() {
    let nocode = privacy_md(&example("nocode"), Lang::FR);
    assert!(
        nocode.contains(
            "| Mot de passe | Conservé uniquement sous forme d'empreinte salée | Fourni par vous |"
        ),
        "{nocode}"
    );
    assert!(
        nocode.contains("| Adresse IP |") && nocode.contains("Collectée automatiquement"),
        "{nocode}"
    );
    let saas = privacy_md(&example("saas"), Lang::FR);
    let line = saas
        .lines()
        .find(|l| l.starts_with("| Cryptogramme visuel de la carte |"))
        .unwrap();
    assert!(
        line.contains("Utilisé au moment nécessaire, jamais conservé"),
        "{line}"
    );
    assert!(saas.contains("dans un délai d'un mois"), "{saas}");
    // "huit" takes no elision.
    let eight_days = example_with(
        "saas",
        &[("response_time = \"P1M\"", "response_time = \"P8D\"")],
    );
    let fr = privacy_md(&eight_days, Lang::FR);
    assert!(fr.contains("dans un délai de huit jours"), "{fr}");
    assert!(privacy_md(&example("saas"), Lang::EN).contains("within one month"));

    let error = example_error("nocode", &[("gender = { fr = \"masculine\" }\n", "")]);
    assert!(
        error.contains(".gender: the fr text agrees with this category's name"),
        "{error}"
    );
}

/// German, Spanish and Italian write small numbers in words, and each German
/// sentence puts the duration in the case its preposition or verb governs.
#[test]
fn german_spanish_and_italian_durations_are_words_in_the_right_case() {
    let werkstatt = example("werkstatt");
    let cookies = |register: &ValidRegister, lang| {
        render(
            register,
            Kind::Cookies,
            lang,
            Format::Markdown,
            &effective(),
        )
        .unwrap()
    };
    let de = privacy_md(&werkstatt, Lang::DE);
    for text in [
        "Wir antworten innerhalb eines Monats nach Eingang Ihres Antrags.",
        "können wir diese Frist um zwei Monate verlängern",
        "- Drei Jahre ab dem Ende des Vertrags:",
        "- Sechs Monate ab der Erteilung Ihrer Einwilligung:",
    ] {
        assert!(de.contains(text), "{text:?} not in {de}");
    }
    let de_cookies = cookies(&werkstatt, Lang::DE);
    assert!(de_cookies.contains("Wir speichern Ihre Entscheidung für sechs Monate;"));
    assert!(de_cookies.contains("verbleiben höchstens 13 Monate"));
    assert!(de_cookies.contains("| sechs Monate |"), "{de_cookies}");
    let es = privacy_md(&werkstatt, Lang::ES);
    assert!(es.contains("en el plazo de un mes a partir"), "{es}");
    assert!(es.contains("prorrogarse dos meses más"), "{es}");
    let it = privacy_md(&werkstatt, Lang::IT);
    assert!(it.contains("entro un mese dal ricevimento"), "{it}");
    assert!(it.contains("prorogato di due mesi"), "{it}");
    assert!(cookies(&werkstatt, Lang::IT).contains("per sei mesi"));

    // One unit counted once has a genitive; anything else takes "von" and the dative.
    let longer = example_with(
        "werkstatt",
        &[(
            "[rights]\n",
            "[rights]\nresponse_time = \"P2W3D\"\nextension = \"P1M2W\"\n",
        )],
    );
    let de = privacy_md(&longer, Lang::DE);
    assert!(
        de.contains("innerhalb von zwei Wochen und drei Tagen nach Eingang"),
        "{de}"
    );
    assert!(
        de.contains("um einen Monat und zwei Wochen verlängern"),
        "{de}"
    );
    let one_week = example_with(
        "werkstatt",
        &[("[rights]\n", "[rights]\nresponse_time = \"P1W\"\n")],
    );
    assert!(privacy_md(&one_week, Lang::DE).contains("innerhalb einer Woche nach"));
    assert!(privacy_md(&one_week, Lang::ES).contains("en el plazo de una semana"));
    assert!(privacy_md(&one_week, Lang::IT).contains("entro una settimana"));
}

/// Spanish and Italian participles agree with each category's name, whose gender
/// the register gives, as French ones do.
#[test]
fn spanish_and_italian_words_agree_with_each_category() {
    let werkstatt = example("werkstatt");
    let es = privacy_md(&werkstatt, Lang::ES);
    for row in [
        "| Nombre y apellidos |  | Facilitados por usted |",
        "| Dirección de correo electrónico |  | Facilitada por usted |",
        "| Dirección de entrega |  | Facilitada por usted |",
        "| Identificadores de cookies |  | Recogidos automáticamente",
    ] {
        assert!(es.contains(row), "{row:?} not in {es}");
    }
    let it = privacy_md(&werkstatt, Lang::IT);
    for row in [
        "| Nome e cognome |  | Forniti da Lei |",
        "| Indirizzo e-mail |  | Fornito da Lei |",
        "| Dati dell'ordine | Articoli ordinati, importi e fatture | Forniti da Lei |",
    ] {
        assert!(it.contains(row), "{row:?} not in {it}");
    }
    // A feminine name never stored, and a feminine plural one.
    let edits = [
        (
            "[[purposes]]",
            r#"[[categories]]
id = "user.authorization.password"
name = { de = "Passwort", es = "contraseña", it = "password" }
gender = { es = "feminine", it = "feminine" }
never_stored = true

[[purposes]]"#,
        ),
        (
            r#"gender = { es = "masculine_plural", it = "masculine_plural" }
source"#,
            r#"gender = { es = "feminine_plural", it = "feminine_plural" }
source"#,
        ),
        ("identificadores de cookies", "cookies de sesión"),
        ("identificativi dei cookie", "informazioni di sessione"),
    ];
    let edited = example_with("werkstatt", &edits);
    let es = privacy_md(&edited, Lang::ES);
    assert!(
        es.contains("Utilizada cuando es necesario, nunca conservada"),
        "{es}"
    );
    assert!(
        es.contains("| Cookies de sesión |  | Recogidas automáticamente"),
        "{es}"
    );
    let it = privacy_md(&edited, Lang::IT);
    assert!(
        it.contains("Utilizzata quando necessario, mai conservata"),
        "{it}"
    );
    assert!(
        it.contains("| Informazioni di sessione |  | Raccolte automaticamente"),
        "{it}"
    );
}

/// Phrases that read as a translation (of the French "archivage intermédiaire",
/// "base active", of "service concerned") or are ungrammatical, and what a lawyer
/// of each country writes instead.
#[test]
fn german_spanish_and_italian_read_as_written_there() {
    let werkstatt = example("werkstatt");
    let cases: [(Lang, &[&str], &[&str]); 3] = [
        (
            Lang::DE,
            &[
                "Zwischenarchiv",
                "Betroffener Dienst",
                "kann sich diese Frist",
                "Aufenthaltsort oder Arbeitsplatz",
            ],
            &[
                "Geltungsbereich",
                "können wir diese Frist um zwei Monate verlängern",
                "gesperrt aufbewahrt, getrennt von den aktiven Daten",
                "gewöhnlichen Aufenthalt",
                // A company's name needs an article German cannot guess.
                "wie wir (Holzwerkstatt Lindenhof GmbH) personenbezogene Daten erheben",
                "welche Cookies und ähnlichen Technologien wir (Holzwerkstatt Lindenhof GmbH)",
            ],
        ),
        (
            Lang::ES,
            &[
                "archivo intermedio",
                "base activa",
                "Servicio afectado",
                "a lo realizado con anterioridad",
            ],
            &[
                "Ámbito de aplicación",
                "bloqueados, separados de los datos activos",
                "el acceso no autorizado y la divulgación no autorizada",
                "a la licitud del tratamiento realizado con anterioridad",
            ],
        ),
        (
            Lang::IT,
            &[
                "archivio intermedio",
                "base attiva",
                "oppure del luogo",
                "quanto fatto in precedenza",
            ],
            &[
                "in cui risiede abitualmente o lavora, oppure in cui si è verificata",
                "archiviati con accesso limitato, separati dai dati in uso",
                "accesso non autorizzato e divulgazione non autorizzata",
                "la liceità del trattamento effettuato in precedenza",
            ],
        ),
    ];
    for (lang, translated, written) in cases {
        let day = time::macros::date!(2026 - 12 - 7);
        let text = [
            privacy_md(&werkstatt, lang),
            render(
                &werkstatt,
                Kind::Cookies,
                lang,
                Format::Markdown,
                &effective(),
            )
            .unwrap(),
            crate::render_record(&werkstatt, lang, crate::RecordFormat::Csv, day).unwrap(),
        ]
        .concat();
        for phrase in translated {
            assert!(!text.contains(phrase), "{lang}: {phrase:?} in {text}");
        }
        for phrase in written {
            assert!(text.contains(phrase), "{lang}: {phrase:?} not in {text}");
        }
    }
}

/// A pixel in our e-mails: consent asked in the sign-up form, not in the banner,
/// and nothing stored on the device (not "session"). Content personalisation is
/// its own category, distinct from functional, and always needs consent.
#[test]
fn email_pixels_and_personalisation_trackers_are_said_as_what_they_are() {
    let saas = example("saas");
    let md = render(
        &saas,
        Kind::Cookies,
        Lang::EN,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    let line = md
        .lines()
        .find(|l| l.starts_with("| mailjet\\_open |"))
        .unwrap();
    assert!(line.contains("| Pixel in our e-mails |"), "{line}");
    assert!(line.contains("| nothing stored on your device | Required, asked in the form where you give your e-mail address |"), "{line}");
    let fr = render(
        &saas,
        Kind::Cookies,
        Lang::FR,
        Format::Markdown,
        &effective(),
    )
    .unwrap();
    assert!(fr.contains("rien n'est stocké sur votre terminal"), "{fr}");

    // A personalisation tracker may not be exempt; a cookie must have a lifetime.
    let error = example_error(
        "saas",
        &[(
            "category = \"necessary\"\npurpose = { en = \"keeps you signed in\"",
            "category = \"personalisation\"\npurpose = { en = \"keeps you signed in\"",
        )],
    );
    assert!(error.contains("personalisation tracker: advertising, social network and personalisation trackers always need consent"), "{error}");
    let error = example_error("saas", &[("lifetime = \"session\"", "lifetime = \"none\"")]);
    assert!(
        error.contains("`pivoine_session` stores something on the device, so it has a lifetime"),
        "{error}"
    );
    // Asked in the banner, an e-mail pixel could never be allowed.
    let error = example_error(
        "saas",
        &[(
            "consent_purpose = \"newsletter\"",
            "consent_purpose = \"analytics\"",
        )],
    );
    assert!(
        error.contains("purpose `analytics` does not collect consent by form"),
        "{error}"
    );
}

/// Recipients as registers need them: the public (what a person publishes), one
/// located in the EU without a member state, one that receives data only if
/// something happens, and one that receives anonymous aggregates only.
#[test]
fn recipients_can_be_the_public_contingent_anonymous_or_in_the_eu() {
    let saas = example("saas");
    let md = privacy_md(&saas, Lang::EN);
    let public = md.split("### The public").nth(1).unwrap();
    assert!(public.contains("can be read by anyone"), "{public}");
    assert!(
        public.contains("| Anyone on the Internet | Sees the public profile you choose to show |"),
        "{public}"
    );

    let extra = r#"[[recipients]]
id = "buyer"
name = { en = "A buyer of our business", fr = "Un acquéreur de notre activité" }
kind = "third_party"
role = { en = "would take over your account and its data", fr = "reprendrait votre compte et ses données" }
only_when = { en = "in a merger, an acquisition or an insolvency", fr = "en cas de fusion, d'acquisition ou de procédure collective" }
countries = ["EU"]

[[recipients]]
id = "partners"
name = { en = "Our partners", fr = "Nos partenaires" }
kind = "third_party"
role = { en = "receive usage statistics", fr = "reçoivent des statistiques d'utilisation" }
anonymous_aggregates = true
countries = ["FR"]

[[recipients]]"#;
    let register = example_with("saas", &[("[[recipients]]", extra)]);
    let en = privacy_md(&register, Lang::EN);
    let fr = privacy_md(&register, Lang::FR);
    let buyer = en
        .lines()
        .find(|l| l.starts_with("| A buyer of our business |"))
        .unwrap();
    assert!(buyer.contains("Would take over your account and its data (only in a merger, an acquisition or an insolvency) | the European Union |"), "{buyer}");
    let partners = en
        .lines()
        .find(|l| l.starts_with("| Our partners |"))
        .unwrap();
    assert!(
        partners.contains("Aggregated, anonymous statistics only: no personal data"),
        "{partners}"
    );
    assert!(fr.contains("Reprendrait votre compte et ses données (uniquement en cas de fusion, d'acquisition ou de procédure collective)"), "{fr}");
    // An "EU" recipient is not a transfer outside the EEA.
    let doc = document(&register, Kind::Privacy, Lang::EN, &effective()).unwrap();
    let transfers = serde_json::to_string(doc.section("transfers").unwrap()).unwrap();
    assert!(!transfers.contains("\"buyer\""), "{transfers}");
}

/// A minimum period says "at least", and a rule kept only under a consent says so
/// and counts from the consent's end; several triggers read "whichever comes first".
#[test]
fn minimum_periods_consent_bound_rules_and_several_triggers_are_said() {
    let prospects_phase = "phases = [{ duration = \"P3Y\", stage = \"active\", reason = { en = \"canvassing\", fr = \"prospection\" } }]";
    let r = example_with(
        "nocode",
        &[
            (
                prospects_phase,
                "phases = [{ duration = \"P3Y\", stage = \"active\", at_least = true, reason = { en = \"canvassing\", fr = \"prospection\" } }]",
            ),
            (
                "trigger = \"invoice\"",
                "trigger = \"invoice\"\nor_earlier = [\"account_closed\"]",
            ),
            (
                "trigger = \"collected\"\nphases = [{ duration = \"P25M\"",
                "trigger = \"collected\"\nwhile_consent = \"audience_measurement\"\nphases = [{ duration = \"P25M\"",
            ),
        ],
    );
    let en = privacy_md(&r, Lang::EN);
    assert!(
        en.contains("At least three years after it is collected or after your last contact with us, whichever is later"),
        "{en}"
    );
    assert!(
        en.contains(
            "after the invoice is issued or after your account is closed, whichever comes first"
        ),
        "{en}"
    );
    assert!(
        en.contains("We keep this data only while your consent to “Performance and audience statistics” is in force")
            && en.contains("25 months after your consent ends"),
        "{en}"
    );
    let fr = privacy_md(&r, Lang::FR);
    assert!(
        fr.contains("Au moins trois ans à compter de leur collecte"),
        "{fr}"
    );

    let both = example_error(
        "nocode",
        &[(
            "trigger = \"invoice\"",
            "trigger = \"invoice\"\nor_earlier = [\"account_closed\"]\nor_later = [\"collected\"]",
        )],
    );
    assert!(both.contains("not both"), "{both}");
    let no_wait = example_error("nocode", &[("answer_within = \"P30D\"\n", "")]);
    assert!(
        no_wait.contains("how long the person has to answer"),
        "{no_wait}"
    );
    let no_contact = example_error("nocode", &[("or_later = [\"last_contact\"]\n", "")]);
    assert!(
        no_contact.contains("must count from last_contact"),
        "{no_contact}"
    );
    let not_consent = example_error(
        "nocode",
        &[(
            "trigger = \"invoice\"",
            "trigger = \"invoice\"\nwhile_consent = \"prospecting\"",
        )],
    );
    assert!(
        not_consent.contains("does not rest on consent"),
        "{not_consent}"
    );
}
