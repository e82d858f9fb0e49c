//! Where GDPR transfer rules start to apply.

/// EU member states plus Iceland, Liechtenstein and Norway.
const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Countries with a Commission adequacy decision (Art. 45), per LEGAL-NOTES section 7. The US is
/// not here: its adequacy covers only DPF-certified organisations, which the
/// register states with the `dpf` mechanism. Canada's covers commercial
/// organisations only.
const ADEQUATE: [&str; 14] = [
    "AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY",
];

/// Where a recipient may be said to be without naming a member state.
pub const REGIONS: [&str; 2] = ["EU", "EEA"];

/// Whether `country` (a code, or `EU` / `EEA` for a recipient located somewhere
/// in them) lies in the EEA.
pub fn in_eea(country: &str) -> bool {
    EEA.contains(&country) || REGIONS.contains(&country)
}

pub fn adequacy_country(country: &str) -> bool {
    ADEQUATE.contains(&country)
}

/// Every ISO 3166-1 alpha-2 code in use (249).
const ISO_3166_1: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

pub fn iso_country(code: &str) -> bool {
    ISO_3166_1.contains(&code)
}

/// The code meant by a common mistake: lower case, the EU's own codes (UK, EL),
/// or an alpha-3 code of a country people often name.
pub fn suggest_country(written: &str) -> Option<&'static str> {
    let upper = written.trim().to_ascii_uppercase();
    let alias = match upper.as_str() {
        "UK" | "GBR" => Some("GB"),
        "EL" | "GRC" => Some("GR"),
        "FRA" => Some("FR"),
        "DEU" => Some("DE"),
        "USA" => Some("US"),
        "ESP" => Some("ES"),
        "ITA" => Some("IT"),
        "NLD" => Some("NL"),
        "BEL" => Some("BE"),
        "CHE" => Some("CH"),
        "IRL" => Some("IE"),
        "CAN" => Some("CA"),
        _ => None,
    };
    alias.or_else(|| ISO_3166_1.iter().copied().find(|code| *code == upper))
}
