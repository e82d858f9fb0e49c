//! A small Fluent wrapper shared by everything Custodia shows to people (policies,
//! cookie banner, rights portal, access packages): English and French messages
//! embedded in the binary, plus the few formatters every text needs (durations,
//! dates, lists, country names).
//!
//! A missing message never panics: `try_*` functions return an [`I18nError`], the
//! plain ones return a visible fallback such as `[message-id]`.

use custodia_register::{IsoDuration, Lang};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;
use unic_langid::{LanguageIdentifier, langid};

pub use fluent_bundle::FluentValue;

const EN_FTL: &str = include_str!("../locales/en.ftl");
const FR_FTL: &str = include_str!("../locales/fr.ftl");

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

struct Locale {
    bundle: FluentBundle<FluentResource>,
    ids: Vec<String>,
}

/// The message catalogues of every supported language. Send + Sync: build it once
/// (or use [`messages`]) and share it.
pub struct Messages {
    en: Locale,
    fr: Locale,
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
        Ok(Messages {
            en: load(Lang::En, langid!("en"), EN_FTL)?,
            fr: load(Lang::Fr, langid!("fr"), FR_FTL)?,
        })
    }

    fn locale(&self, lang: Lang) -> &Locale {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
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
        let units = [
            (d.years, "duration-years"),
            (d.months, "duration-months"),
            (d.weeks, "duration-weeks"),
            (d.days, "duration-days"),
        ];
        let mut parts = Vec::new();
        for (count, id) in units {
            if count > 0 {
                parts.push(self.try_text(lang, id, &[("count", count.into())])?);
            }
        }
        if parts.is_empty() {
            parts.push(self.try_text(lang, "duration-days", &[("count", 0.into())])?);
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
        let (separator, final_word) = self.list_glue(lang, conjunction)?;
        Ok(format!("{}{final_word}{last}", init.join(&separator)))
    }

    pub fn list(&self, lang: Lang, items: &[String], conjunction: Conjunction) -> String {
        self.try_list(lang, items, conjunction)
            .unwrap_or_else(|_| items.join(", "))
    }

    /// The separator between items and the one before the last item.
    pub fn list_glue(
        &self,
        lang: Lang,
        conjunction: Conjunction,
    ) -> Result<(String, String), I18nError> {
        let last = match conjunction {
            Conjunction::And => "list-and",
            Conjunction::Or => "list-or",
        };
        Ok((
            self.try_text(lang, "list-separator", &[])?,
            self.try_text(lang, last, &[])?,
        ))
    }

    /// The country's name from an ISO 3166-1 alpha-2 code; the code itself for a
    /// country the catalogues do not name (any code is valid in a register).
    pub fn country(&self, lang: Lang, code: &str) -> String {
        self.try_text(lang, &format!("country-{code}"), &[])
            .unwrap_or_else(|_| code.to_owned())
    }
}

fn load(lang: Lang, id: LanguageIdentifier, source: &str) -> Result<Locale, I18nError> {
    let fail = |detail: String| I18nError::Load {
        lang: lang.code(),
        detail,
    };
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
    fn both_languages_have_the_same_messages() {
        let m = messages().unwrap();
        let en: std::collections::BTreeSet<_> = m.ids(Lang::En).iter().collect();
        let fr: std::collections::BTreeSet<_> = m.ids(Lang::Fr).iter().collect();
        assert!(en.len() > 100, "ids not read: {}", en.len());
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_fr.is_empty(),
            "only en: {only_en:?}; only fr: {only_fr:?}"
        );
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
            assert_eq!(duration(Lang::En, &d(iso)), en);
            assert_eq!(duration(Lang::Fr, &d(iso)), fr);
        }
    }

    #[test]
    fn dates_in_words() {
        let nov = Date::from_calendar_date(2026, Month::November, 22).unwrap();
        assert_eq!(date(Lang::En, nov), "22 November 2026");
        assert_eq!(date(Lang::Fr, nov), "22 novembre 2026");
        let april = Date::from_calendar_date(2026, Month::April, 1).unwrap();
        assert_eq!(date(Lang::En, april), "1 April 2026");
        assert_eq!(date(Lang::Fr, april), "1er avril 2026");
        let m = messages().unwrap();
        for month in 1..=12u8 {
            let first = Date::from_calendar_date(2027, Month::try_from(month).unwrap(), 2).unwrap();
            for lang in Lang::ALL {
                let text = m.try_date(lang, first).unwrap();
                assert!(text.starts_with("2 ") && text.ends_with(" 2027"), "{text}");
            }
        }
    }

    #[test]
    fn lists_and_countries() {
        let m = messages().unwrap();
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            m.list(Lang::En, &items(&["a", "b", "c"]), Conjunction::And),
            "a, b and c"
        );
        assert_eq!(
            m.list(Lang::Fr, &items(&["a", "b"]), Conjunction::Or),
            "a ou b"
        );
        assert_eq!(m.list(Lang::Fr, &items(&[]), Conjunction::And), "");
        assert_eq!(m.country(Lang::Fr, "US"), "États-Unis");
        assert_eq!(m.country(Lang::En, "ZZ"), "ZZ");
    }

    #[test]
    fn missing_message_is_an_error_or_a_visible_fallback() {
        let m = messages().unwrap();
        assert!(matches!(
            m.try_text(Lang::En, "no-such-message", &[]),
            Err(I18nError::Missing { .. })
        ));
        assert_eq!(
            m.text(Lang::Fr, "no-such-message", &[]),
            "[no-such-message]"
        );
        // A missing argument is reported, not silently rendered.
        assert!(matches!(
            m.try_text(Lang::En, "effective-date", &[]),
            Err(I18nError::Format { .. })
        ));
    }
}
