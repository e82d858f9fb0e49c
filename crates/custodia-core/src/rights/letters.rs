//! The e-mails a requester receives, worded in Fluent (`mail-*` messages of
//! custodia-policy) in the language of the request.

use custodia_policy::i18n::{Args, FluentValue, messages};
use custodia_register::Lang;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageLink {
    pub format: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Letter {
    Code {
        code: String,
        minutes: i64,
    },
    Received {
        due: OffsetDateTime,
    },
    InProgress {
        due: OffsetDateTime,
    },
    Extended {
        due: OffsetDateTime,
        reason: String,
    },
    Refused {
        reasons: String,
        unfounded: bool,
        authority: String,
    },
    IdentityNeeded {
        link: String,
    },
    PackageReady {
        links: Vec<PackageLink>,
        expires: OffsetDateTime,
    },
    Erased {
        recipients: Vec<String>,
        kept: Vec<String>,
    },
    Completed {
        kind: String,
        recipients: Vec<String>,
    },
    RestrictionLifted,
    ShineTheLight {
        year: i32,
        lines: Vec<String>,
    },
    /// Art. 34(2): a personal data breach told to a person concerned, with what
    /// Art. 33(3)(b)-(d) asks (contact, likely consequences, measures).
    Breach {
        description: String,
        consequences: String,
        measures: String,
        contact: String,
    },
    /// The end of a retention rule that asks again: keep the data, or it is deleted
    /// on `delete_at`.
    AskAgain {
        link: String,
        delete_at: OffsetDateTime,
    },
}

/// Every message id a letter may use, for the test that both languages have them.
pub const MESSAGE_IDS: [&str; 33] = [
    "mail-ask-again-subject",
    "mail-ask-again-body",
    "mail-breach-subject",
    "mail-breach-body",
    "mail-breach-consequences",
    "mail-breach-measures",
    "mail-breach-contact",
    "mail-progress-subject",
    "mail-progress-body",
    "mail-code-subject",
    "mail-code-body",
    "mail-received-subject",
    "mail-received-body",
    "mail-extended-subject",
    "mail-extended-body",
    "mail-refused-subject",
    "mail-refused-body",
    "mail-refused-unfounded",
    "mail-identity-subject",
    "mail-identity-body",
    "mail-package-subject",
    "mail-package-body",
    "mail-erased-subject",
    "mail-erased-body",
    "mail-erased-kept",
    "mail-notified",
    "mail-completed-subject",
    "mail-completed-body",
    "mail-lifted-subject",
    "mail-lifted-body",
    "mail-stl-subject",
    "mail-stl-body",
    "mail-stl-none",
];

fn text(lang: Lang, id: &str, args: &Args<'_>) -> String {
    messages()
        .map(|m| m.text(lang, id, args))
        .unwrap_or_else(|_| format!("[{id}]"))
}

fn date(lang: Lang, at: OffsetDateTime) -> String {
    custodia_policy::i18n::date(lang, at.date())
}

impl Letter {
    /// Subject line and plain-text body.
    pub fn render(&self, lang: Lang, controller: &str) -> (String, String) {
        let who: FluentValue<'_> = controller.into();
        let (name, mut lines): (&str, Vec<String>) = match self {
            Letter::Code { code, minutes } => (
                "code",
                vec![text(
                    lang,
                    "mail-code-body",
                    &[
                        ("code", code.as_str().into()),
                        ("minutes", (*minutes).into()),
                    ],
                )],
            ),
            Letter::Received { due } => (
                "received",
                vec![text(
                    lang,
                    "mail-received-body",
                    &[("due", date(lang, *due).into())],
                )],
            ),
            Letter::InProgress { due } => (
                "progress",
                vec![text(
                    lang,
                    "mail-progress-body",
                    &[("due", date(lang, *due).into())],
                )],
            ),
            Letter::Extended { due, reason } => (
                "extended",
                vec![text(
                    lang,
                    "mail-extended-body",
                    &[
                        ("due", date(lang, *due).into()),
                        ("reason", reason.as_str().into()),
                    ],
                )],
            ),
            Letter::Refused {
                reasons,
                unfounded,
                authority,
            } => {
                let mut lines = Vec::new();
                if *unfounded {
                    lines.push(text(lang, "mail-refused-unfounded", &[]));
                }
                lines.push(text(
                    lang,
                    "mail-refused-body",
                    &[
                        ("reasons", reasons.as_str().into()),
                        ("authority", authority.as_str().into()),
                    ],
                ));
                ("refused", lines)
            }
            Letter::IdentityNeeded { link } => (
                "identity",
                vec![text(
                    lang,
                    "mail-identity-body",
                    &[("link", link.as_str().into())],
                )],
            ),
            Letter::PackageReady { links, expires } => {
                let mut lines = vec![text(
                    lang,
                    "mail-package-body",
                    &[("expires", date(lang, *expires).into())],
                )];
                lines.extend(
                    links
                        .iter()
                        .map(|l| format!("{}: {}", l.format.to_uppercase(), l.url)),
                );
                ("package", lines)
            }
            Letter::Erased { recipients, kept } => {
                let mut lines = vec![text(lang, "mail-erased-body", &[])];
                if !kept.is_empty() {
                    lines.push(text(
                        lang,
                        "mail-erased-kept",
                        &[("categories", kept.join(", ").into())],
                    ));
                }
                lines.extend(notified(lang, recipients));
                ("erased", lines)
            }
            Letter::Completed { kind, recipients } => {
                let mut lines = vec![text(
                    lang,
                    "mail-completed-body",
                    &[("kind", right_label(lang, kind).into())],
                )];
                lines.extend(notified(lang, recipients));
                ("completed", lines)
            }
            Letter::RestrictionLifted => ("lifted", vec![text(lang, "mail-lifted-body", &[])]),
            Letter::ShineTheLight { year, lines } => {
                let mut out = vec![text(lang, "mail-stl-body", &[("year", (*year).into())])];
                if lines.is_empty() {
                    out.push(text(lang, "mail-stl-none", &[]));
                }
                out.extend(lines.iter().map(|l| format!("- {l}")));
                ("stl", out)
            }
            Letter::AskAgain { link, delete_at } => (
                "ask-again",
                vec![text(
                    lang,
                    "mail-ask-again-body",
                    &[
                        ("link", link.as_str().into()),
                        ("date", date(lang, *delete_at).into()),
                    ],
                )],
            ),
            Letter::Breach {
                description,
                consequences,
                measures,
                contact,
            } => (
                "breach",
                vec![
                    text(
                        lang,
                        "mail-breach-body",
                        &[("description", description.as_str().into())],
                    ),
                    text(
                        lang,
                        "mail-breach-consequences",
                        &[("consequences", consequences.as_str().into())],
                    ),
                    text(
                        lang,
                        "mail-breach-measures",
                        &[("measures", measures.as_str().into())],
                    ),
                    text(
                        lang,
                        "mail-breach-contact",
                        &[("contact", contact.as_str().into())],
                    ),
                ],
            ),
        };
        let subject = text(
            lang,
            &format!("mail-{name}-subject"),
            &[("controller", who)],
        );
        lines.push(String::new());
        lines.push(format!("-- \n{controller}"));
        (subject, lines.join("\n\n"))
    }
}

/// The right's name as the policy words it (`right-access`...), else its id.
pub fn right_label(lang: Lang, kind: &str) -> String {
    let id = format!("right-{}", kind.replace('_', "-"));
    messages()
        .ok()
        .filter(|m| m.has(lang, &id))
        .map(|m| m.text(lang, &id, &[]))
        .unwrap_or_else(|| kind.to_owned())
}

fn notified(lang: Lang, recipients: &[String]) -> Option<String> {
    (!recipients.is_empty()).then(|| {
        text(
            lang,
            "mail-notified",
            &[("recipients", recipients.join(", ").into())],
        )
    })
}
