//! What both document builders share: translated messages in one language, register
//! texts in that language, and look-ups of register ids.
//!
//! Message errors are collected instead of returned at each call so that builders
//! read like the document they write; `finish` turns the first one into an error.

use custodia_register::{
    Category, IsoDuration, Lang, Recipient, RecipientKind, Register, Service, SubjectKind, Text,
};
use std::cell::RefCell;

use crate::PolicyError;
use crate::doc::{Column, Field, Inline};
use crate::i18n::{Args, Case, Conjunction, FluentValue, I18nError, Messages};

/// Marks where a rich argument (a link) goes in a formatted message; private-use
/// characters cannot come from the catalogues.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

pub(crate) struct Ctx<'a> {
    pub r: &'a Register,
    pub lang: Lang,
    messages: &'a Messages,
    error: RefCell<Option<I18nError>>,
}

impl<'a> Ctx<'a> {
    pub fn new(r: &'a Register, lang: Lang, messages: &'a Messages) -> Ctx<'a> {
        Ctx {
            r,
            lang,
            messages,
            error: RefCell::new(None),
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, PolicyError> {
        match self.error.into_inner() {
            Some(e) => Err(e.into()),
            None => Ok(value),
        }
    }

    fn record<T>(&self, result: Result<T, I18nError>, fallback: impl FnOnce() -> T) -> T {
        result.unwrap_or_else(|e| {
            self.error.borrow_mut().get_or_insert(e);
            fallback()
        })
    }

    pub fn t(&self, id: &str) -> String {
        self.ta(id, &[])
    }

    pub fn ta(&self, id: &str, args: &Args<'_>) -> String {
        let result = self.messages.try_text(self.lang, id, args);
        self.record(result, || format!("[{id}]"))
    }

    /// A message whose arguments include links: each rich argument is formatted as
    /// a marker, then the markers are replaced by the inline runs.
    pub fn rich(&self, id: &str, args: &Args<'_>, rich: &[(&str, Inline)]) -> Inline {
        let mut all: Vec<(&str, FluentValue<'_>)> = args.to_vec();
        for (i, (name, _)) in rich.iter().enumerate() {
            all.push((name, format!("{OPEN}{i}{CLOSE}").into()));
        }
        let text = self.ta(id, &all);
        let mut out = Inline::default();
        let mut rest = text.as_str();
        while let Some(start) = rest.find(OPEN) {
            out.push_text(&rest[..start]);
            let after = &rest[start + OPEN.len_utf8()..];
            let Some(end) = after.find(CLOSE) else {
                rest = after;
                break;
            };
            if let Some((_, inline)) = after[..end].parse::<usize>().ok().and_then(|i| rich.get(i))
            {
                out.append(inline.clone());
            }
            rest = &after[end + CLOSE.len_utf8()..];
        }
        out.push_text(rest);
        out
    }

    /// A register text in the document's language.
    pub fn tx(&self, text: &Text) -> String {
        text.in_lang(self.lang).to_owned()
    }

    pub fn opt_tx(&self, text: Option<&Text>) -> Option<String> {
        text.map(|t| self.tx(t)).filter(|s| !s.trim().is_empty())
    }

    pub fn duration(&self, d: &IsoDuration) -> String {
        let result = self.messages.try_duration(self.lang, d);
        self.record(result, || d.to_string())
    }

    /// `duration` (nominative), `duration_accusative`, `_dative` and `_genitive`
    /// for languages that decline it; `single` ("yes"/"no"): one unit counted once,
    /// which German can put in the genitive ("innerhalb eines Monats", but
    /// "innerhalb von drei Monaten"); `vowel` ("yes"/"no"): whether the text
    /// starts with a vowel sound, for languages that elide before one ("d'un
    /// mois", "de deux mois").
    pub fn duration_args(&self, d: &IsoDuration) -> Vec<(&'static str, FluentValue<'static>)> {
        let text = self.duration(d);
        let vowel = starts_with_vowel(&text);
        let counts = [d.years, d.months, d.weeks, d.days];
        let single = counts.iter().filter(|&&n| n > 0).count() == 1 && counts.contains(&1);
        let yes_no = |b: bool| FluentValue::from(if b { "yes" } else { "no" });
        let mut args = vec![
            ("duration", text.into()),
            ("vowel", yes_no(vowel)),
            ("single", yes_no(single)),
        ];
        for (name, case) in [
            ("duration_accusative", Case::Accusative),
            ("duration_dative", Case::Dative),
            ("duration_genitive", Case::Genitive),
        ] {
            let result = self.messages.try_duration_in(self.lang, d, case);
            args.push((name, self.record(result, || d.to_string()).into()));
        }
        args
    }

    pub fn date(&self, d: time::Date) -> String {
        let result = self.messages.try_date(self.lang, d);
        self.record(result, || crate::i18n::iso_date(d))
    }

    pub fn and_list(&self, items: &[String]) -> String {
        let result = self.messages.try_list(self.lang, items, Conjunction::And);
        self.record(result, || items.join(", "))
    }

    pub fn or_list(&self, items: &[String]) -> String {
        let result = self.messages.try_list(self.lang, items, Conjunction::Or);
        self.record(result, || items.join(", "))
    }

    pub fn or_list_inline(&self, items: Vec<Inline>) -> Inline {
        // Inline items have no plain text to look at: the conjunction's plain form.
        let glue = self.messages.list_glue(self.lang, Conjunction::Or, "");
        let (separator, last_word) = self.record(glue, || (", ".into(), ", ".into()));
        let count = items.len();
        let mut out = Inline::default();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push_text(if i + 1 == count {
                    &last_word
                } else {
                    &separator
                });
            }
            out.append(item);
        }
        out
    }

    pub fn country(&self, code: &str) -> String {
        self.messages.country(self.lang, code)
    }

    pub fn countries(&self, codes: &[String]) -> String {
        let names: Vec<String> = codes.iter().map(|c| self.country(c)).collect();
        self.and_list(&names)
    }

    pub fn field(&self, id: &str, label_id: &str, value: impl Into<Inline>) -> Field {
        Field {
            id: id.to_owned(),
            label: self.t(label_id),
            value: value.into(),
        }
    }

    pub fn column(&self, id: &str, label_id: &str) -> Column {
        Column {
            id: id.to_owned(),
            label: self.t(label_id),
        }
    }

    // --- The controller -------------------------------------------------------

    /// The name the policy uses for the controller.
    pub fn controller_name(&self) -> String {
        let c = &self.r.controller;
        c.trading_name
            .clone()
            .unwrap_or_else(|| c.legal_name.clone())
    }

    /// The service the policy covers, or the given default message.
    pub fn service_or(&self, default_id: &str) -> String {
        match self.opt_tx(self.r.controller.service_name.as_ref()) {
            Some(name) => name,
            None => self.t(default_id),
        }
    }

    /// "by e-mail at x or through https://..." for the controller's contact point.
    pub fn reach_us(&self) -> Inline {
        let c = &self.r.controller;
        self.reach(
            c.email.as_deref(),
            c.contact_url.as_deref(),
            c.phone.as_deref(),
        )
    }

    fn reach(&self, email: Option<&str>, url: Option<&str>, phone: Option<&str>) -> Inline {
        let mut ways = Vec::new();
        if let Some(email) = email {
            ways.push(self.rich("reach-email", &[], &[("contact", email_link(email))]));
        }
        if let Some(url) = url {
            ways.push(self.rich("reach-url", &[], &[("contact", url_link(url))]));
        }
        if let Some(phone) = phone {
            ways.push(self.rich("reach-phone", &[], &[("contact", Inline::text(phone))]));
        }
        self.or_list_inline(ways)
    }

    // --- Register look-ups ----------------------------------------------------

    pub fn category(&self, id: &str) -> Option<&'a Category> {
        self.r.categories.iter().find(|c| c.id == id)
    }

    pub fn category_name(&self, id: &str) -> String {
        self.category(id)
            .map_or_else(|| id.to_owned(), |c| self.tx(&c.name))
    }

    /// Names in the register's declaration order, whatever order the ids come in,
    /// so that the same data reads the same way everywhere.
    pub fn category_names(&self, ids: &[String]) -> Vec<String> {
        let position = |id: &String| self.r.categories.iter().position(|c| &c.id == id);
        let mut sorted: Vec<&String> = ids.iter().collect();
        sorted.sort_by_key(|id| position(id).unwrap_or(usize::MAX));
        sorted
            .into_iter()
            .map(|id| self.category_name(id))
            .collect()
    }

    pub fn category_list(&self, ids: &[String]) -> String {
        self.name_list(&self.category_names(ids))
    }

    /// "full name, e-mail address": register names joined by separators only,
    /// because names often contain "and" themselves ("nom et prénom"); semicolons
    /// when a name has a comma of its own ("MongoDB, Inc.").
    pub fn name_list(&self, names: &[String]) -> String {
        let separator = if names.iter().any(|n| n.contains(',')) {
            self.t("list-separator-strong")
        } else {
            self.t("list-separator")
        };
        names.join(&separator)
    }

    pub fn subject(&self, id: &str) -> Option<&'a SubjectKind> {
        self.r.subject_kinds.iter().find(|k| k.id == id)
    }

    pub fn subject_names(&self, ids: &[String]) -> Vec<String> {
        ids.iter()
            .map(|id| {
                self.subject(id)
                    .map_or_else(|| id.clone(), |k| self.tx(&k.name))
            })
            .collect()
    }

    pub fn recipient(&self, id: &str) -> Option<&'a Recipient> {
        self.r.recipients.iter().find(|r| r.id == id)
    }

    pub fn recipient_name(&self, id: &str) -> String {
        self.recipient(id)
            .map_or_else(|| id.to_owned(), |r| self.tx(&r.name))
    }

    /// A tracker or service provider: a recipient, or the controller for `self`.
    pub fn provider_name(&self, id: &str) -> String {
        if id == "self" {
            self.controller_name()
        } else {
            self.recipient_name(id)
        }
    }

    pub fn service(&self, id: &str) -> Option<&'a Service> {
        self.r.services.iter().find(|s| s.id == id)
    }

    pub fn purpose(&self, id: &str) -> Option<&'a custodia_register::Purpose> {
        self.r.purposes.iter().find(|p| p.id == id)
    }

    /// A role that may read archived data: an internal recipient or a built-in role.
    pub fn role_name(&self, id: &str) -> String {
        match id {
            "admin" => self.t("role-admin"),
            "dpo" => self.t("role-dpo"),
            "auditor" => self.t("role-auditor"),
            _ => self.recipient_in_sentence(id),
        }
    }

    /// A recipient's name inside a sentence: a team of ours, a class of
    /// authorities or the public is a common noun ("access restricted to: internal control"); a
    /// company keeps its name.
    pub fn recipient_in_sentence(&self, id: &str) -> String {
        let name = self.recipient_name(id);
        match self.recipient(id) {
            Some(r)
                if matches!(
                    r.kind,
                    RecipientKind::Internal | RecipientKind::Authority | RecipientKind::Public
                ) =>
            {
                decapitalise(&name)
            }
            _ => name,
        }
    }
}

pub(crate) fn email_link(email: &str) -> Inline {
    Inline::link(email, &format!("mailto:{email}"))
}

pub(crate) fn url_link(url: &str) -> Inline {
    Inline::link(url, url)
}

/// First letter in upper case, for register names placed at the start of a cell
/// or heading.
/// "Internal control" → "internal control"; an acronym ("IT team") is kept.
pub(crate) fn decapitalise(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a text starts with a vowel sound, for elision ("d'un mois"); not h:
/// "huit" takes none ("de huit mois").
pub fn starts_with_vowel(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| "aeiouàâéèêëîïôûAEIOUÉ".contains(c))
}
