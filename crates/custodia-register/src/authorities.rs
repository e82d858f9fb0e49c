//! The supervisory authority of a controller established in a country whose
//! authority Custodia knows, so a register need not copy its address.
//!
//! Germany has no single authority for companies: the Federal Commissioner (BfDI)
//! supervises federal public bodies (and telecoms and postal services), while a
//! private controller answers to the authority of the Land of its seat (BDSG
//! § 40). The default for a German controller is therefore chosen by its
//! `region` (ISO 3166-2, "DE-BY"); without one no authority can be defaulted and
//! validation asks for either. Bavaria's private sector has its own office
//! (BayLDA, Ansbach), distinct from the Land commissioner for public bodies.

use crate::model::Authority;
use crate::text::Text;

/// An authority as the table holds it: name, postal address, website.
type Row = (&'static str, &'static str, &'static str);

const NATIONAL: [(&str, Row); 3] = [
    (
        "FR",
        (
            "Commission nationale de l'informatique et des libertés (CNIL)",
            "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France",
            "https://www.cnil.fr",
        ),
    ),
    (
        "ES",
        (
            "Agencia Española de Protección de Datos (AEPD)",
            "C/ Jorge Juan, 6, 28001 Madrid, España",
            "https://www.aepd.es",
        ),
    ),
    (
        "IT",
        (
            "Garante per la protezione dei dati personali",
            "Piazza Venezia 11, 00187 Roma, Italia",
            "https://www.garanteprivacy.it",
        ),
    ),
];

/// The authorities of the 16 Länder for private controllers (BDSG § 40), named
/// without the article, which follows the office holder's gender.
const LAENDER: [(&str, Row); 16] = [
    (
        "DE-BW",
        (
            "Landesbeauftragte für den Datenschutz und die Informationsfreiheit Baden-Württemberg",
            "Lautenschlagerstraße 20, 70173 Stuttgart, Deutschland",
            "https://www.baden-wuerttemberg.datenschutz.de",
        ),
    ),
    (
        "DE-BY",
        (
            "Bayerisches Landesamt für Datenschutzaufsicht (BayLDA)",
            // Promenade 27, still on some older pages, is its former address.
            "Promenade 18, 91522 Ansbach, Deutschland",
            "https://www.lda.bayern.de",
        ),
    ),
    (
        "DE-BE",
        (
            "Berliner Beauftragte für Datenschutz und Informationsfreiheit",
            "Alt-Moabit 59–61, 10555 Berlin, Deutschland",
            "https://www.datenschutz-berlin.de",
        ),
    ),
    (
        "DE-BB",
        (
            "Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht Brandenburg",
            "Stahnsdorfer Damm 77, 14532 Kleinmachnow, Deutschland",
            "https://www.lda.brandenburg.de",
        ),
    ),
    (
        "DE-HB",
        (
            "Landesbeauftragte für Datenschutz und Informationsfreiheit der Freien Hansestadt Bremen",
            "Arndtstraße 1, 27570 Bremerhaven, Deutschland",
            "https://www.datenschutz.bremen.de",
        ),
    ),
    (
        "DE-HH",
        (
            "Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
            "Ludwig-Erhard-Straße 22, 20459 Hamburg, Deutschland",
            "https://datenschutz-hamburg.de",
        ),
    ),
    (
        "DE-HE",
        (
            "Hessische Beauftragte für Datenschutz und Informationsfreiheit",
            "Gustav-Stresemann-Ring 1, 65189 Wiesbaden, Deutschland",
            "https://datenschutz.hessen.de",
        ),
    ),
    (
        "DE-MV",
        (
            "Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern",
            // The office is at Werderstraße 74a; the authority gives the castle
            // as its postal address.
            "Schloss Schwerin, Lennéstraße 1, 19053 Schwerin, Deutschland",
            "https://www.datenschutz-mv.de",
        ),
    ),
    (
        "DE-NI",
        (
            "Landesbeauftragte für den Datenschutz Niedersachsen",
            "Prinzenstraße 5, 30159 Hannover, Deutschland",
            "https://www.lfd.niedersachsen.de",
        ),
    ),
    (
        "DE-NW",
        (
            "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
            "Kavalleriestraße 2–4, 40213 Düsseldorf, Deutschland",
            "https://www.ldi.nrw.de",
        ),
    ),
    (
        "DE-RP",
        (
            "Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz",
            "Hintere Bleiche 34, 55116 Mainz, Deutschland",
            "https://www.datenschutz.rlp.de",
        ),
    ),
    (
        "DE-SL",
        (
            "Unabhängiges Datenschutzzentrum Saarland",
            "Fritz-Dobisch-Straße 12, 66111 Saarbrücken, Deutschland",
            "https://www.datenschutz.saarland.de",
        ),
    ),
    (
        "DE-SN",
        (
            "Sächsische Datenschutz- und Transparenzbeauftragte",
            "Devrientstraße 5, 01067 Dresden, Deutschland",
            "https://www.datenschutz.sachsen.de",
        ),
    ),
    (
        "DE-ST",
        (
            "Landesbeauftragte für den Datenschutz Sachsen-Anhalt",
            "Otto-von-Guericke-Straße 34a, 39104 Magdeburg, Deutschland",
            "https://datenschutz.sachsen-anhalt.de",
        ),
    ),
    (
        "DE-SH",
        (
            "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein (ULD)",
            "Holstenstraße 98, 24103 Kiel, Deutschland",
            "https://www.datenschutzzentrum.de",
        ),
    ),
    (
        "DE-TH",
        (
            "Thüringer Landesbeauftragter für den Datenschutz und die Informationsfreiheit (TLfDI)",
            "Häßlerstraße 8, 99096 Erfurt, Deutschland",
            "https://www.tlfdi.de",
        ),
    ),
];

/// The authority Custodia names for a controller established in `country`
/// (ISO 3166-1 alpha-2) and, for Germany, `region` (ISO 3166-2); `None` when
/// the register must name one.
pub fn default_authority(country: &str, region: Option<&str>) -> Option<Authority> {
    let row = match country {
        "DE" => {
            let region = region?.trim().to_ascii_uppercase();
            LAENDER.iter().find(|(code, _)| *code == region)?.1
        }
        _ => NATIONAL.iter().find(|(code, _)| *code == country)?.1,
    };
    let (name, address, website) = row;
    Some(Authority {
        name: Text::Same(name.to_owned()),
        address: address.to_owned(),
        phone: None,
        website: Some(website.to_owned()),
        complaint_url: None,
    })
}

/// The ISO 3166-2 codes of the German Länder, for diagnostics.
pub(crate) fn german_regions() -> impl Iterator<Item = &'static str> {
    LAENDER.iter().map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_land_authorities() {
        let cnil = default_authority("FR", None).unwrap();
        assert!(cnil.address.contains("Fontenoy"));
        assert!(
            default_authority("ES", None)
                .unwrap()
                .address
                .contains("Jorge Juan")
        );
        assert!(
            default_authority("IT", Some("IT-RM"))
                .unwrap()
                .address
                .contains("Piazza Venezia")
        );
        assert!(default_authority("DE", None).is_none());
        assert!(default_authority("DE", Some("DE-XX")).is_none());
        let by = default_authority("DE", Some("de-by")).unwrap();
        assert!(by.address.contains("Ansbach"));
        assert_eq!(german_regions().count(), 16);
        assert!(default_authority("US", None).is_none());
    }

    /// Addresses checked against public sources: BayLDA moved from Promenade 27 to
    /// Promenade 18; Mecklenburg-Vorpommern's office is not where its post goes.
    #[test]
    fn land_authorities_at_their_postal_address() {
        let address = |region| default_authority("DE", Some(region)).unwrap().address;
        assert_eq!(address("DE-BY"), "Promenade 18, 91522 Ansbach, Deutschland");
        assert_eq!(
            address("DE-MV"),
            "Schloss Schwerin, Lennéstraße 1, 19053 Schwerin, Deutschland"
        );
        assert!(address("DE-ST").starts_with("Otto-von-Guericke-Straße 34a, 39104"));
        assert!(address("DE-HH").starts_with("Ludwig-Erhard-Straße 22, 20459"));
    }
}
