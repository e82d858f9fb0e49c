use super::*;
use crate::tests::{example, examples};
use serde_json::Value;

const DAY: time::Date = time::macros::date!(2026 - 12 - 7);

/// The CSV and the JSON-LD of every example, in every language it publishes.
#[test]
fn snapshots_of_every_example() {
    for path in examples() {
        let register = custodia_register::load(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for &lang in &register.languages {
            let csv = render_record(&register, lang, RecordFormat::Csv, DAY).unwrap();
            insta::assert_snapshot!(format!("record-{stem}-{}-csv", lang.code()), csv);
        }
        let first = register.languages[0];
        let dpv = render_record(&register, first, RecordFormat::Dpv, DAY).unwrap();
        insta::assert_snapshot!(format!("record-{stem}-dpv"), dpv);
    }
}

/// One row per purpose, each as long as the header, the purpose's facts in place.
#[test]
fn one_row_per_purpose_with_every_column() {
    let register = example("saas");
    let record = record(&register, Lang::EN, DAY).unwrap();
    assert_eq!(record.rows.len(), register.purposes.len());
    assert_eq!(record.columns.len(), COLUMNS.len());
    for (row, purpose) in record.rows.iter().zip(&register.purposes) {
        assert_eq!(row.len(), COLUMNS.len());
        assert_eq!(row[0], purpose.id);
        assert!(row[2].starts_with(&register.controller.legal_name));
        assert_eq!(row[14], "7 December 2026");
    }
    let contract = register
        .purposes
        .iter()
        .position(|p| p.legal_basis == Some(LegalBasis::Contract))
        .unwrap();
    assert!(
        record.rows[contract][6].contains("Article 6(1)(b)"),
        "{}",
        record.rows[contract][6]
    );
}

#[test]
fn csv_is_rfc_4180_with_a_header() {
    let register = example("contact-site");
    let csv = render_record(&register, Lang::EN, RecordFormat::Csv, DAY).unwrap();
    assert!(csv.starts_with("Id,Processing activity,Controller,"));
    assert!(csv.ends_with("\r\n"));
    // The header is the translated column names, through the one CSV writer.
    let record = record(&register, Lang::EN, DAY).unwrap();
    let mut expected = String::new();
    csv_line(&mut expected, &record.columns);
    assert!(csv.starts_with(&expected));
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let register = example("nocode");
    let lang = register.languages[0];
    let html = render_record(&register, lang, RecordFormat::Html, DAY).unwrap();
    assert!(html.starts_with("<!doctype html>\n<html lang=\""));
    assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
    assert!(html.contains("size: A4 landscape"));
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.contains("<script"));
    assert_eq!(
        html.matches("<tr>").count(),
        register.purposes.len() + 1,
        "a header row and one row per purpose"
    );
}

#[test]
fn html_escapes_register_text() {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contact-site.toml"),
    )
    .unwrap();
    let register = example("contact-site");
    let title = register.purposes[0].title.in_lang(Lang::EN).to_owned();
    let edited = source.replacen(&title, "<b>Contact</b> & co", 1);
    let register = custodia_register::parse("contact-site.toml", &edited).unwrap();
    let html = render_record(&register, Lang::EN, RecordFormat::Html, DAY).unwrap();
    assert!(
        html.contains("&#60;b&#62;Contact&#60;/b&#62; &#38; co")
            || html.contains("&lt;b&gt;Contact&lt;/b&gt; &amp; co"),
        "{html}"
    );
    assert!(!html.contains("<b>Contact"));
}

#[test]
fn a_language_not_published_is_refused() {
    let register = example("contact-site");
    let missing = Lang::ALL
        .into_iter()
        .find(|l| !register.languages.contains(l));
    if let Some(lang) = missing {
        assert!(matches!(
            render_record(&register, lang, RecordFormat::Csv, DAY),
            Err(PolicyError::LanguageNotPublished(_))
        ));
    }
}

#[test]
fn formats_parse_from_their_ids() {
    for format in RecordFormat::ALL {
        assert_eq!(format.id().parse::<RecordFormat>().unwrap(), format);
    }
    assert!("pdf".parse::<RecordFormat>().is_err());
}

#[test]
fn dpv_names_gdpr_legal_bases_and_dpv_terms() {
    let register = example("saas");
    let dpv = render_record(&register, register.languages[0], RecordFormat::Dpv, DAY).unwrap();
    let doc: Value = serde_json::from_str(&dpv).unwrap();
    assert_eq!(doc["@context"]["dpv"], "https://w3id.org/dpv#");
    assert_eq!(
        doc["@context"]["eu-gdpr"],
        "https://w3id.org/dpv/legal/eu/gdpr#"
    );
    let processes: Vec<&Value> = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == "dpv:Process")
        .collect();
    assert_eq!(processes.len(), register.purposes.len());
    assert!(
        processes
            .iter()
            .any(|p| p["dpv:hasLegalBasis"]["@id"] == "eu-gdpr:A6-1-b")
    );
    for p in processes {
        assert_eq!(p["dpv:hasDataController"]["@id"], "urn:custodia:controller");
        assert!(p["dpv:hasPurpose"]["@id"].is_string());
    }
}
