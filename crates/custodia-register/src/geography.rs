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

pub fn in_eea(country: &str) -> bool {
    EEA.contains(&country)
}

pub fn adequacy_country(country: &str) -> bool {
    ADEQUATE.contains(&country)
}
