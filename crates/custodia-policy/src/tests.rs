use super::*;
use custodia_register::{adequacy_country, in_eea};
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
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

fn example(stem: &str) -> ValidRegister {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{stem}.toml"));
    custodia_register::load(&path).unwrap()
}

/// contact-site.toml with some text replaced.
fn contact_site_with(edits: &[(&str, &str)]) -> ValidRegister {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contact-site.toml");
    let mut source = std::fs::read_to_string(path).unwrap();
    for (from, to) in edits {
        assert!(source.contains(from), "{from} not in contact-site.toml");
        source = source.replace(from, to);
    }
    custodia_register::parse("contact-site.toml", &source).unwrap()
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
        "3 ans à compter de votre dernier contact avec nous",
        "30 jours à compter de la clôture de votre demande",
        "Votre consentement (article 6.1.a du RGPD)",
        "Le respect d'une obligation légale (article 6.1.c du RGPD)",
        "Articles 12 à 22 du RGPD",
        "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
        "Introduire une réclamation auprès de l'autorité de contrôle",
        "Directives post-mortem",
        "1 mois",
        "2 mois",
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
        "3 years after your last contact with us",
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
                "ist Verantwortlicher für die Verarbeitung",
                "Auftragsverarbeiter",
                "Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
                "betroffener Personen",
                "Beschwerde bei der Aufsichtsbehörde",
                "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)",
                "Promenade 18, 91522 Ansbach",
                "3 Jahre ab dem Ende des Vertrags",
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
                "3 años desde la finalización del contrato",
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
                "3 anni dalla cessazione del contratto",
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
        "6 mois",
        "1 an",
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
        "6 months",
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
