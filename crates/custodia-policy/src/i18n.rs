//! A small Fluent wrapper shared by everything Custodia shows to people (policies,
//! cookie banner, rights portal, access packages): one catalogue per language of
//! `Lang::ALL`, embedded in the binary, plus the few formatters every text needs (durations,
//! dates, lists, country names).
//!
//! A missing message never panics: `try_*` functions return an [`I18nError`], the
//! plain ones return a visible fallback such as `[message-id]`.

use custodia_register::{IsoDuration, Lang};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;

/// The Fluent catalogue of each language code of `Lang`'s table.
const CATALOGUES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en.ftl")),
    ("fr", include_str!("../locales/fr.ftl")),
    ("de", include_str!("../locales/de.ftl")),
    ("es", include_str!("../locales/es.ftl")),
    ("it", include_str!("../locales/it.ftl")),
];

/// Named arguments of a message: `&[("count", 3.into()), ("name", "Ana".into())]`.
pub type Args<'a> = [(&'a str, FluentValue<'a>)];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum I18nError {
    #[error("the {lang} messages do not load: {detail}")]
    Load { lang: &'static str, detail: String },
    #[error("no message `{id}` in the {lang} messages")]
    Missing { lang: &'static str, id: String },
    #[error("message `{id}` ({lang}) cannot be formatted: {detail}")]
    Format {
        lang: &'static str,
        id: String,
        detail: String,
    },
}

/// How the last item of a list is joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conjunction {
    And,
    Or,
}

/// The grammatical case a sentence needs its duration in (see `try_duration_in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Nominative,
    Accusative,
    Dative,
    Genitive,
}

impl Case {
    /// The `$case` selector's value in the catalogues.
    pub fn name(self) -> &'static str {
        match self {
            Case::Nominative => "nominative",
            Case::Accusative => "accusative",
            Case::Dative => "dative",
            Case::Genitive => "genitive",
        }
    }
}

struct Locale {
    bundle: FluentBundle<FluentResource>,
    ids: Vec<String>,
}

/// The message catalogues of every supported language. Send + Sync: build it once
/// (or use [`messages`]) and share it.
pub struct Messages {
    /// Indexed by `Lang::index`.
    locales: Vec<Locale>,
}

static GLOBAL: LazyLock<Result<Messages, I18nError>> = LazyLock::new(Messages::new);

/// The process-wide catalogues, parsed on first use.
pub fn messages() -> Result<&'static Messages, I18nError> {
    GLOBAL.as_ref().map_err(Clone::clone)
}

/// "3 years", "1 an et 6 mois"; the ISO form if the catalogues failed to load.
pub fn duration(lang: Lang, d: &IsoDuration) -> String {
    match messages() {
        Ok(m) => m.duration(lang, d),
        Err(_) => d.to_string(),
    }
}

/// "22 November 2026", "1er avril 2026"; the ISO form if the catalogues failed to load.
pub fn date(lang: Lang, d: time::Date) -> String {
    match messages() {
        Ok(m) => m.date(lang, d),
        Err(_) => iso_date(d),
    }
}

/// `YYYY-MM-DD`, without depending on `time`'s formatting machinery.
pub fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Messages {
    pub fn new() -> Result<Messages, I18nError> {
        let locales = Lang::ALL
            .into_iter()
            .map(|lang| {
                let source = CATALOGUES
                    .iter()
                    .find(|(code, _)| *code == lang.code())
                    .map(|(_, source)| *source)
                    .ok_or_else(|| I18nError::Load {
                        lang: lang.code(),
                        detail: "no catalogue".to_owned(),
                    })?;
                load(lang, source)
            })
            .collect::<Result<_, _>>()?;
        Ok(Messages { locales })
    }

    fn locale(&self, lang: Lang) -> &Locale {
        // Every `Lang` has a locale: `new` built one per row.
        &self.locales[lang.index()]
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.locale(lang).bundle.has_message(id)
    }

    /// Every message id of a language, in file order.
    pub fn ids(&self, lang: Lang) -> &[String] {
        &self.locale(lang).ids
    }

    pub fn try_text(&self, lang: Lang, id: &str, args: &Args<'_>) -> Result<String, I18nError> {
        let bundle = &self.locale(lang).bundle;
        let missing = || I18nError::Missing {
            lang: lang.code(),
            id: id.to_owned(),
        };
        let pattern = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(missing)?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(first) = errors.first() {
            return Err(I18nError::Format {
                lang: lang.code(),
                id: id.to_owned(),
                detail: first.to_string(),
            });
        }
        Ok(out.into_owned())
    }

    /// The message, or `[id]` when it is missing so the gap shows in the output.
    pub fn text(&self, lang: Lang, id: &str, args: &Args<'_>) -> String {
        self.try_text(lang, id, args)
            .unwrap_or_else(|_| format!("[{id}]"))
    }

    pub fn try_duration(&self, lang: Lang, d: &IsoDuration) -> Result<String, I18nError> {
        self.try_duration_in(lang, d, Case::Nominative)
    }

    /// The duration in a grammatical case, for languages that decline numbers and
    /// nouns (German "innerhalb eines Monats", "für einen Monat"); the others
    /// ignore `$case`.
    pub fn try_duration_in(
        &self,
        lang: Lang,
        d: &IsoDuration,
        case: Case,
    ) -> Result<String, I18nError> {
        let case: FluentValue<'_> = case.name().into();
        let units = [
            (d.years, "duration-years"),
            (d.months, "duration-months"),
            (d.weeks, "duration-weeks"),
            (d.days, "duration-days"),
        ];
        let mut parts = Vec::new();
        for (count, id) in units {
            if count > 0 {
                let args = [("count", count.into()), ("case", case.clone())];
                parts.push(self.try_text(lang, id, &args)?);
            }
        }
        if parts.is_empty() {
            let args = [("count", 0.into()), ("case", case)];
            parts.push(self.try_text(lang, "duration-days", &args)?);
        }
        self.try_list(lang, &parts, Conjunction::And)
    }

    pub fn duration(&self, lang: Lang, d: &IsoDuration) -> String {
        self.try_duration(lang, d).unwrap_or_else(|_| d.to_string())
    }

    pub fn try_date(&self, lang: Lang, d: time::Date) -> Result<String, I18nError> {
        let month = self.try_text(lang, &format!("month-{}", u8::from(d.month())), &[])?;
        self.try_text(
            lang,
            "date",
            &[
                ("day", d.day().into()),
                ("month", month.into()),
                ("year", d.year().into()),
            ],
        )
    }

    pub fn date(&self, lang: Lang, d: time::Date) -> String {
        self.try_date(lang, d).unwrap_or_else(|_| iso_date(d))
    }

    /// "a, b and c" / "a, b et c".
    pub fn try_list(
        &self,
        lang: Lang,
        items: &[String],
        conjunction: Conjunction,
    ) -> Result<String, I18nError> {
        let Some((last, init)) = items.split_last() else {
            return Ok(String::new());
        };
        if init.is_empty() {
            return Ok(last.clone());
        }
        let (separator, final_word) = self.list_glue(lang, conjunction, last)?;
        Ok(format!("{}{final_word}{last}", init.join(&separator)))
    }

    pub fn list(&self, lang: Lang, items: &[String], conjunction: Conjunction) -> String {
        self.try_list(lang, items, conjunction)
            .unwrap_or_else(|_| items.join(", "))
    }

    /// The separator between items and the one before the last item, which may
    /// depend on how `next` (the last item) sounds: Spanish "y" becomes "e" before
    /// an i sound ("padres e hijos"), "o" becomes "u" before an o sound.
    pub fn list_glue(
        &self,
        lang: Lang,
        conjunction: Conjunction,
        next: &str,
    ) -> Result<(String, String), I18nError> {
        let last = match conjunction {
            Conjunction::And => "list-and",
            Conjunction::Or => "list-or",
        };
        Ok((
            self.try_text(lang, "list-separator", &[])?,
            self.try_text(lang, last, &[("sound", initial_sound(next).into())])?,
        ))
    }

    /// The country's name from an ISO 3166-1 alpha-2 code; the code itself for a
    /// country the catalogues do not name (any code is valid in a register).
    pub fn country(&self, lang: Lang, code: &str) -> String {
        self.try_text(lang, &format!("country-{code}"), &[])
            .unwrap_or_else(|_| code.to_owned())
    }
}

/// The vowel sound a word starts with, as spelt: "i" for i/hi not followed by a
/// vowel ("hielo" starts with a y sound), "o" for o/ho, else "other".
fn initial_sound(word: &str) -> &'static str {
    let lower = word.trim_start().to_lowercase();
    let mut chars = lower.strip_prefix('h').unwrap_or(&lower).chars();
    let vowel = |c: Option<char>| c.is_some_and(|c| "aeiouáéíóú".contains(c));
    match (chars.next(), chars.next()) {
        (Some('i' | 'í'), next) if !vowel(next) => "i",
        (Some('o' | 'ó'), _) => "o",
        _ => "other",
    }
}

fn load(lang: Lang, source: &str) -> Result<Locale, I18nError> {
    let fail = |detail: String| I18nError::Load {
        lang: lang.code(),
        detail,
    };
    let id: LanguageIdentifier = lang
        .code()
        .parse()
        .map_err(|e| fail(format!("language tag: {e}")))?;
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| fail(format!("{errors:?}")))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) would end up in HTML, Markdown and JSON.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).map_err(|errors| {
        fail(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(Locale {
        bundle,
        ids: message_ids(source),
    })
}

/// Message ids as written at the start of a line (`id = ...`); terms (`-term`)
/// and comments are skipped.
fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::{Date, Month};

    fn d(s: &str) -> IsoDuration {
        s.parse().unwrap()
    }

    #[test]
    fn messages_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Messages>();
    }

    #[test]
    fn every_language_has_the_same_messages() {
        let m = messages().unwrap();
        let en: std::collections::BTreeSet<_> = m.ids(Lang::EN).iter().collect();
        assert!(en.len() > 100, "ids not read: {}", en.len());
        for lang in Lang::ALL {
            let other: std::collections::BTreeSet<_> = m.ids(lang).iter().collect();
            let only_en: Vec<_> = en.difference(&other).collect();
            let only_other: Vec<_> = other.difference(&en).collect();
            assert!(
                only_en.is_empty() && only_other.is_empty(),
                "only en: {only_en:?}; only {lang}: {only_other:?}"
            );
        }
        assert_eq!(CATALOGUES.len(), Lang::ALL.len());
        for lang in Lang::ALL {
            for id in m.ids(lang) {
                assert!(m.has(lang, id), "{id} listed but not loaded ({lang:?})");
            }
        }
    }

    #[test]
    fn durations_in_words() {
        let cases = [
            ("P3Y", "three years", "trois ans"),
            ("P1Y", "one year", "un an"),
            ("P13M", "13 months", "13 mois"),
            ("P1M", "one month", "un mois"),
            ("P90D", "90 days", "90 jours"),
            ("P1D", "one day", "un jour"),
            ("P10Y", "10 years", "10 ans"),
            ("P1Y6M", "one year and six months", "un an et six mois"),
            ("P2W", "two weeks", "deux semaines"),
            ("P1W", "one week", "une semaine"),
            (
                "P2Y1M1W3D",
                "two years, one month, one week and three days",
                "deux ans, un mois, une semaine et trois jours",
            ),
        ];
        for (iso, en, fr) in cases {
            assert_eq!(duration(Lang::EN, &d(iso)), en);
            assert_eq!(duration(Lang::FR, &d(iso)), fr);
        }
    }

    #[test]
    fn dates_in_words() {
        let nov = Date::from_calendar_date(2026, Month::November, 22).unwrap();
        assert_eq!(date(Lang::EN, nov), "22 November 2026");
        assert_eq!(date(Lang::FR, nov), "22 novembre 2026");
        let april = Date::from_calendar_date(2026, Month::April, 1).unwrap();
        assert_eq!(date(Lang::EN, april), "1 April 2026");
        assert_eq!(date(Lang::FR, april), "1er avril 2026");
        let m = messages().unwrap();
        for month in 1..=12u8 {
            let first = Date::from_calendar_date(2027, Month::try_from(month).unwrap(), 2).unwrap();
            for lang in Lang::ALL {
                let text = m.try_date(lang, first).unwrap();
                assert!(text.starts_with('2') && text.ends_with(" 2027"), "{text}");
            }
        }
        let dec = Date::from_calendar_date(2026, Month::December, 7).unwrap();
        assert_eq!(date(Lang::DE, dec), "7. Dezember 2026");
        assert_eq!(date(Lang::ES, dec), "7 de diciembre de 2026");
        assert_eq!(date(Lang::IT, dec), "7 dicembre 2026");
        assert_eq!(date(Lang::IT, april), "1º aprile 2026");
    }

    #[test]
    fn german_spanish_and_italian_durations_and_lists() {
        let cases = [
            (
                "P1Y6M",
                "ein Jahr und sechs Monate",
                "un año y seis meses",
                "un anno e sei mesi",
            ),
            (
                "P2W1D",
                "zwei Wochen und ein Tag",
                "dos semanas y un día",
                "due settimane e un giorno",
            ),
            ("P3D", "drei Tage", "tres días", "tre giorni"),
            ("P1W", "eine Woche", "una semana", "una settimana"),
            ("P9M", "neun Monate", "nueve meses", "nove mesi"),
            ("P10Y", "10 Jahre", "10 años", "10 anni"),
            ("P13M", "13 Monate", "13 meses", "13 mesi"),
        ];
        for (iso, de, es, it) in cases {
            assert_eq!(duration(Lang::DE, &d(iso)), de);
            assert_eq!(duration(Lang::ES, &d(iso)), es);
            assert_eq!(duration(Lang::IT, &d(iso)), it);
        }
        let m = messages().unwrap();
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(m.list(Lang::DE, &items, Conjunction::Or), "a, b oder c");
        assert_eq!(m.list(Lang::ES, &items, Conjunction::And), "a, b y c");
        assert_eq!(m.list(Lang::IT, &items, Conjunction::Or), "a, b o c");
        let words = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let es = |v: &[&str], c| m.list(Lang::ES, &words(v), c);
        assert_eq!(es(&["padres", "hijos"], Conjunction::And), "padres e hijos");
        assert_eq!(
            es(&["España", "Italia"], Conjunction::And),
            "España e Italia"
        );
        assert_eq!(es(&["agua", "hielo"], Conjunction::And), "agua y hielo");
        assert_eq!(es(&["siete", "ocho"], Conjunction::Or), "siete u ocho");
        assert_eq!(es(&["uno", "dos"], Conjunction::Or), "uno o dos");
        assert_eq!(
            m.list(Lang::IT, &words(&["padri", "figli"]), Conjunction::And),
            "padri e figli"
        );
        assert_eq!(m.country(Lang::DE, "US"), "Vereinigte Staaten");
        assert_eq!(m.country(Lang::IT, "DE"), "Germania");
    }

    /// German declines "ein" and the dative plural; the other languages ignore the case.
    #[test]
    fn german_durations_in_each_case() {
        let m = messages().unwrap();
        let cases = [
            ("P1M", Case::Nominative, "ein Monat"),
            ("P1M", Case::Accusative, "einen Monat"),
            ("P1M", Case::Dative, "einem Monat"),
            ("P1M", Case::Genitive, "eines Monats"),
            ("P1Y", Case::Genitive, "eines Jahres"),
            ("P1W", Case::Dative, "einer Woche"),
            ("P1D", Case::Accusative, "einen Tag"),
            ("P1D", Case::Genitive, "eines Tages"),
            ("P3M", Case::Dative, "drei Monaten"),
            ("P2Y", Case::Dative, "zwei Jahren"),
            ("P12D", Case::Dative, "12 Tagen"),
            ("P1Y2W", Case::Dative, "einem Jahr und zwei Wochen"),
        ];
        for (iso, case, de) in cases {
            assert_eq!(m.try_duration_in(Lang::DE, &d(iso), case).unwrap(), de);
        }
        for lang in [Lang::EN, Lang::FR, Lang::ES, Lang::IT] {
            assert_eq!(
                m.try_duration_in(lang, &d("P1M"), Case::Genitive).unwrap(),
                m.duration(lang, &d("P1M"))
            );
        }
    }

    #[test]
    fn lists_and_countries() {
        let m = messages().unwrap();
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            m.list(Lang::EN, &items(&["a", "b", "c"]), Conjunction::And),
            "a, b and c"
        );
        assert_eq!(
            m.list(Lang::FR, &items(&["a", "b"]), Conjunction::Or),
            "a ou b"
        );
        assert_eq!(m.list(Lang::FR, &items(&[]), Conjunction::And), "");
        assert_eq!(m.country(Lang::FR, "US"), "États-Unis");
        assert_eq!(m.country(Lang::EN, "ZZ"), "ZZ");
    }

    #[test]
    fn missing_message_is_an_error_or_a_visible_fallback() {
        let m = messages().unwrap();
        assert!(matches!(
            m.try_text(Lang::EN, "no-such-message", &[]),
            Err(I18nError::Missing { .. })
        ));
        assert_eq!(
            m.text(Lang::FR, "no-such-message", &[]),
            "[no-such-message]"
        );
        // A missing argument is reported, not silently rendered.
        assert!(matches!(
            m.try_text(Lang::EN, "effective-date", &[]),
            Err(I18nError::Format { .. })
        ));
    }
}
