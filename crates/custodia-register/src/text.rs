//! Policy text: one string for every language, or one per language; and the table
//! of languages Custodia can publish in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// One language Custodia can publish in. Its messages are the Fluent catalogue
/// `locales/<code>.ftl` of custodia-policy; plural rules come from the code (CLDR).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangInfo {
    /// ISO 639-1 code, also the BCP 47 tag of pages and Accept-Language.
    pub code: &'static str,
    /// Its name in English, for diagnostics.
    pub english: &'static str,
    /// Its name in itself, for language switchers.
    pub native: &'static str,
}

/// Every supported language; a new one is a row here and a catalogue. The order is
/// `Lang`'s order (maps of texts serialise in it), so rows are only appended.
const LANGS: [LangInfo; 5] = [
    LangInfo {
        code: "en",
        english: "English",
        native: "English",
    },
    LangInfo {
        code: "fr",
        english: "French",
        native: "Français",
    },
    LangInfo {
        code: "de",
        english: "German",
        native: "Deutsch",
    },
    LangInfo {
        code: "es",
        english: "Spanish",
        native: "Español",
    },
    LangInfo {
        code: "it",
        english: "Italian",
        native: "Italiano",
    },
];

/// A language of [`LANGS`], by its row. Serialised as its code ("en").
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    pub const EN: Lang = Lang(0);
    pub const FR: Lang = Lang(1);
    pub const DE: Lang = Lang(2);
    pub const ES: Lang = Lang(3);
    pub const IT: Lang = Lang(4);

    pub const ALL: [Lang; LANGS.len()] = {
        let mut all = [Lang(0); LANGS.len()];
        let mut i = 0;
        while i < LANGS.len() {
            all[i] = Lang(i as u8);
            i += 1;
        }
        all
    };

    pub fn info(self) -> &'static LangInfo {
        &LANGS[usize::from(self.0)]
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// Its row in the table: 0 for the first language.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// "en, fr, de, es, it", for messages that list the choices.
    pub fn codes() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }

    /// Picks the first supported language of an HTTP Accept-Language header,
    /// honouring q-values.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::from_code(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(d)?;
        Lang::from_code(&code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown language `{code}`, expected one of {}",
                Lang::codes()
            ))
        })
    }
}

/// A text shown to people. Written in TOML either as a plain string (the same in
/// every language: names, addresses) or as a table `{ en = "...", fr = "..." }`.
/// Keys are kept as written so validation can point at an unknown code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Same(String),
    PerLang(BTreeMap<String, String>),
}

impl Text {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match self {
            Text::Same(s) => Some(s.as_str()),
            Text::PerLang(texts) => texts.get(lang.code()).map(String::as_str),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The text in `lang`; validation guarantees every published language is
    /// present, so the fallback only shows on unvalidated input.
    pub fn in_lang(&self, lang: Lang) -> &str {
        self.get(lang)
            .or_else(|| Lang::ALL.iter().find_map(|l| self.get(*l)))
            .unwrap_or("")
    }

    /// Keys of a per-language table that name no supported language.
    pub fn unknown_codes(&self) -> impl Iterator<Item = &str> {
        let keys = match self {
            Text::Same(_) => None,
            Text::PerLang(texts) => Some(texts.keys()),
        };
        keys.into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|k| Lang::from_code(k).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(Lang::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Some(Lang::FR));
        assert_eq!(Lang::negotiate("de-DE,en;q=0.5,fr;q=0.7"), Some(Lang::DE));
        assert_eq!(Lang::negotiate("pt-BR,es;q=0.5,it;q=0.7"), Some(Lang::IT));
        assert_eq!(Lang::negotiate("pt"), None);
        assert_eq!(Lang::negotiate("fr;q=0, en"), Some(Lang::EN));
    }

    #[test]
    fn the_table_is_the_type() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), i);
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(Lang::from_code(&lang.code().to_uppercase()), Some(lang));
        }
        assert_eq!(Lang::codes(), "en, fr, de, es, it");
    }

    #[test]
    fn texts_keep_their_toml_and_json_forms() {
        let t: Text = toml::from_str::<BTreeMap<String, Text>>("t = { en = \"a\", fr = \"b\" }")
            .unwrap()
            .remove("t")
            .unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"en":"a","fr":"b"}"#);
        assert_eq!(t.get(Lang::FR), Some("b"));
        assert_eq!(t.get(Lang::DE), None);
        let odd: Text = serde_json::from_str(r#"{"en":"a","xx":"b","de":"c"}"#).unwrap();
        assert_eq!(odd.get(Lang::DE), Some("c"));
        assert_eq!(odd.unknown_codes().collect::<Vec<_>>(), ["xx"]);
        let lang: Lang = serde_json::from_str("\"it\"").unwrap();
        assert_eq!(serde_json::to_string(&lang).unwrap(), "\"it\"");
        let err = serde_json::from_str::<Lang>("\"pt\"").unwrap_err();
        assert!(err.to_string().contains("en, fr, de, es, it"), "{err}");
    }
}
