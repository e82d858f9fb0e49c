//! Normal forms of the values that get blind indexes, also used to validate input.
//! Two spellings of the same address or number must give the same normal form, or
//! a lookup by blind index would miss. Errors say what is wrong and never repeat the
//! value (it is personal data and may end up in logs).

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    #[error("the {what} is empty")]
    Empty { what: &'static str },
    #[error("the {what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("the {what} contains a space or a control character")]
    ForbiddenCharacter { what: &'static str },
    #[error("an e-mail address needs exactly one '@'")]
    EmailAt,
    #[error("the part of the e-mail address before '@' is empty")]
    EmailLocalEmpty,
    #[error(
        "the part of the e-mail address before '@' may hold only letters, digits, dots and \
         ! # $ % & ' * + - / = ? ^ _ ` {{ | }} ~ (no display name, angle brackets, quotes, \
         parentheses or commas), and no dot first, last or twice in a row"
    )]
    EmailLocalCharacter,
    #[error(
        "the domain of the e-mail address must be names of letters, digits and hyphens \
         separated by dots: at least one dot, each name 1 to 63 characters, not starting or \
         ending with a hyphen, the last one not all digits"
    )]
    EmailDomain,
    #[error(
        "a phone number must start with '+' or '00' and the country code (international E.164 form)"
    )]
    PhonePrefix,
    #[error(
        "a phone number may contain only digits, after a leading '+', with spaces, dots, dashes and parentheses"
    )]
    PhoneCharacter,
    #[error("a phone number has 8 to 15 digits including the country code; this one has {found}")]
    PhoneDigits { found: usize },
}

const EMAIL: &str = "e-mail address";
const EMAIL_LOCAL: &str = "part of the e-mail address before '@'";
/// RFC 5321 §4.5.3.1: 64 octets for the local part, 254 for a usable address.
pub const EMAIL_MAX_LEN: usize = 254;
pub const EMAIL_LOCAL_MAX_LEN: usize = 64;
pub const LOGIN_MAX_CHARS: usize = 128;
const PHONE: &str = "phone number";
const LOGIN: &str = "login";

/// Trims, lowercases the whole address (local part included: mailboxes that differ
/// only by case are taken as the same person), and checks it is an RFC 5322
/// `addr-spec` a mail server delivers to one mailbox: exactly one '@', a dot-atom
/// local part of 1 to 64 bytes (RFC 6532: non-ASCII letters allowed; quoted local
/// parts, comments, display names and angle brackets refused, as they let one
/// mailbox be spelt many ways), a domain of valid names with at least one dot (no
/// address literal), no space or control character, 254 bytes at most.
pub fn email(input: &str) -> Result<String, NormalizeError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NormalizeError::Empty { what: EMAIL });
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(NormalizeError::ForbiddenCharacter { what: EMAIL });
    }
    let lowered = trimmed.to_lowercase();
    if lowered.len() > EMAIL_MAX_LEN {
        return Err(NormalizeError::TooLong {
            what: EMAIL,
            max: EMAIL_MAX_LEN,
        });
    }
    let mut parts = lowered.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NormalizeError::EmailAt);
    };
    if local.is_empty() {
        return Err(NormalizeError::EmailLocalEmpty);
    }
    if local.len() > EMAIL_LOCAL_MAX_LEN {
        return Err(NormalizeError::TooLong {
            what: EMAIL_LOCAL,
            max: EMAIL_LOCAL_MAX_LEN,
        });
    }
    if !dot_atom(local) {
        return Err(NormalizeError::EmailLocalCharacter);
    }
    if !valid_domain(domain) {
        return Err(NormalizeError::EmailDomain);
    }
    Ok(lowered)
}

/// The mailbox an address delivers to, for counting only: [`email`]'s normal form
/// with a `+tag` dropped from the local part (`Victim+1@Example.net` and
/// `victim@example.net` reach the same inbox at most providers). Never stored as
/// the address: a tag may matter to the person.
pub fn email_mailbox(input: &str) -> Result<String, NormalizeError> {
    let normal = email(input)?;
    match normal.split_once('@') {
        Some((local, domain)) => match local.split_once('+') {
            Some((base, _)) if !base.is_empty() => Ok(format!("{base}@{domain}")),
            _ => Ok(normal),
        },
        None => Ok(normal),
    }
}

/// RFC 5322 `dot-atom-text`, with RFC 6532's non-ASCII characters.
fn dot_atom(local: &str) -> bool {
    let atext = |c: char| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric())
    };
    local
        .split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(atext))
}

/// Host names (RFC 1035, with RFC 5890 U-labels): at least two labels of letters,
/// digits and hyphens, 1 to 63 bytes, no hyphen first or last; a top-level label
/// that is not all digits (so no IPv4 address).
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| {
                c == '-' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
            })
    };
    labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// The E.164 form `+<country code><number>`. Accepts `+33 6 12 34 56 78`,
/// `+1 (415) 555-0100`, `0033612345678` and the European `+33 (0)6 12 34 56 78`
/// (the trunk `(0)` is dropped); spaces (including no-break spaces), dots, dashes
/// and parentheses are ignored. Needs a leading `+` or `00` and 8 to 15 digits, the
/// first one not 0.
pub fn phone(input: &str) -> Result<String, NormalizeError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NormalizeError::Empty { what: PHONE });
    }
    let rest = if let Some(rest) = trimmed.strip_prefix('+') {
        rest
    } else if let Some(rest) = trimmed.strip_prefix("00") {
        rest
    } else {
        return Err(NormalizeError::PhonePrefix);
    };
    // "+33 (0)6..." : the (0) is the national trunk prefix, not part of the number.
    let rest = rest.replacen("(0)", "", 1);
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '\u{a0}' | '\u{202f}' | '.' | '-' | '(' | ')' => {}
            _ => return Err(NormalizeError::PhoneCharacter),
        }
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(NormalizeError::PhoneDigits {
            found: digits.len(),
        });
    }
    if digits.starts_with('0') {
        return Err(NormalizeError::PhonePrefix);
    }
    Ok(format!("+{digits}"))
}

/// Trims and lowercases; 1 to 128 characters, no control character (inner spaces
/// are allowed).
pub fn login(input: &str) -> Result<String, NormalizeError> {
    let lowered = input.trim().to_lowercase();
    if lowered.is_empty() {
        return Err(NormalizeError::Empty { what: LOGIN });
    }
    if lowered.chars().any(char::is_control) {
        return Err(NormalizeError::ForbiddenCharacter { what: LOGIN });
    }
    if lowered.chars().count() > LOGIN_MAX_CHARS {
        return Err(NormalizeError::TooLong {
            what: LOGIN,
            max: LOGIN_MAX_CHARS,
        });
    }
    Ok(lowered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_and_normalises() {
        for (input, expected) in [
            ("alice@example.org", "alice@example.org"),
            ("  Alice.Smith@Example.ORG \n", "alice.smith@example.org"),
            (
                "ALICE+news@sub.example.co.uk",
                "alice+news@sub.example.co.uk",
            ),
            ("élise@exemple.fr", "élise@exemple.fr"),
            ("Élise@Exemple.FR", "élise@exemple.fr"),
            (
                "o'brien.j-k_l~m!n#o$p%q&r*s/t=u?v^w`x{y|z}@x-1.example.com",
                "o'brien.j-k_l~m!n#o$p%q&r*s/t=u?v^w`x{y|z}@x-1.example.com",
            ),
            ("user@münchen.de", "user@münchen.de"),
            ("user@xn--mnchen-3ya.de", "user@xn--mnchen-3ya.de"),
            ("user@123.example", "user@123.example"),
        ] {
            assert_eq!(email(input).as_deref(), Ok(expected), "{input}");
        }
        let local = "a".repeat(64);
        assert!(email(&format!("{local}@example.org")).is_ok());
        // Names of at most 63 characters, 252 in all.
        let label = "d".repeat(63);
        let long_domain = format!("{label}.{label}.{label}.{}", "d".repeat(60));
        assert_eq!(email(&format!("a@{long_domain}")).map(|s| s.len()), Ok(254));
    }

    #[test]
    fn email_rejects() {
        use NormalizeError::*;
        let too_long = format!("a@{}.org", "d".repeat(250));
        let local_too_long = format!("{}@example.org", "a".repeat(65));
        let label_too_long = format!("a@{}.org", "d".repeat(64));
        for (input, expected) in [
            ("", Empty { what: EMAIL }),
            ("   ", Empty { what: EMAIL }),
            ("alice", EmailAt),
            ("alice@bob@example.org", EmailAt),
            ("@example.org", EmailLocalEmpty),
            ("alice@", EmailDomain),
            ("alice@localhost", EmailDomain),
            ("alice@.example.org", EmailDomain),
            ("alice@example..org", EmailDomain),
            ("alice@example.org.", EmailDomain),
            ("a<victim@example.net>", EmailLocalCharacter),
            ("victim@example.net>", EmailDomain),
            ("\"victim\"@example.net", EmailLocalCharacter),
            ("victim(comment)@example.net", EmailLocalCharacter),
            ("a,victim@example.net", EmailLocalCharacter),
            ("vic;tim@example.net", EmailLocalCharacter),
            ("vic[tim@example.net", EmailLocalCharacter),
            ("vic\\tim@example.net", EmailLocalCharacter),
            (".victim@example.net", EmailLocalCharacter),
            ("victim.@example.net", EmailLocalCharacter),
            ("vic..tim@example.net", EmailLocalCharacter),
            ("victim@[192.0.2.1]", EmailDomain),
            ("victim@192.0.2.1", EmailDomain),
            ("victim@-example.net", EmailDomain),
            ("victim@example-.net", EmailDomain),
            ("victim@exa_mple.net", EmailDomain),
            (label_too_long.as_str(), EmailDomain),
            ("victim@example.net(comment)", EmailDomain),
            (
                "Victim <victim@example.net>",
                ForbiddenCharacter { what: EMAIL },
            ),
            (
                "victim@exam\u{a0}ple.net",
                ForbiddenCharacter { what: EMAIL },
            ),
            ("ali ce@example.org", ForbiddenCharacter { what: EMAIL }),
            ("alice@exam\tple.org", ForbiddenCharacter { what: EMAIL }),
            ("alice\u{0}@example.org", ForbiddenCharacter { what: EMAIL }),
            (
                too_long.as_str(),
                TooLong {
                    what: EMAIL,
                    max: 254,
                },
            ),
            (
                local_too_long.as_str(),
                TooLong {
                    what: EMAIL_LOCAL,
                    max: 64,
                },
            ),
        ] {
            assert_eq!(email(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn mailboxes_fold_plus_tags_for_counting() {
        for (input, expected) in [
            ("victim@example.net", "victim@example.net"),
            ("Victim+1@Example.NET", "victim@example.net"),
            ("victim+a+b@example.net", "victim@example.net"),
            ("victim+@example.net", "victim@example.net"),
            ("+tag@example.net", "+tag@example.net"),
            ("vic.tim@example.net", "vic.tim@example.net"),
        ] {
            assert_eq!(email_mailbox(input).as_deref(), Ok(expected), "{input}");
        }
        assert_eq!(
            email_mailbox("a<victim@example.net>"),
            Err(NormalizeError::EmailLocalCharacter)
        );
    }

    #[test]
    fn phone_accepts_and_normalises() {
        for (input, expected) in [
            ("+33 6 12 34 56 78", "+33612345678"),
            ("+1 (415) 555-0100", "+14155550100"),
            ("0033612345678", "+33612345678"),
            ("0033 6.12.34.56.78", "+33612345678"),
            ("+33 (0)6 12 34 56 78", "+33612345678"),
            ("+33\u{a0}6\u{a0}12\u{a0}34\u{a0}56\u{a0}78", "+33612345678"),
            ("  +44 20 7946 0958 ", "+442079460958"),
            ("+4912345678", "+4912345678"),
            ("+123456789012345", "+123456789012345"),
        ] {
            assert_eq!(phone(input).as_deref(), Ok(expected), "{input}");
        }
    }

    #[test]
    fn phone_rejects() {
        use NormalizeError::*;
        for (input, expected) in [
            ("", Empty { what: PHONE }),
            ("06 12 34 56 78", PhonePrefix),
            ("33612345678", PhonePrefix),
            ("+0612345678", PhonePrefix),
            ("000612345678", PhonePrefix),
            ("+33 6 12 34 56 7a", PhoneCharacter),
            ("+33/612345678", PhoneCharacter),
            ("++33612345678", PhoneCharacter),
            ("+33 6 12 34 56 78 ext. 5", PhoneCharacter),
            ("+3361234", PhoneDigits { found: 7 }),
            ("+1234567890123456", PhoneDigits { found: 16 }),
            ("+", PhoneDigits { found: 0 }),
        ] {
            assert_eq!(phone(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn login_accepts_and_rejects() {
        use NormalizeError::*;
        assert_eq!(login("  Alice ").as_deref(), Ok("alice"));
        assert_eq!(login("Jean Dupont").as_deref(), Ok("jean dupont"));
        assert_eq!(login("ÉLODIE").as_deref(), Ok("élodie"));
        assert!(login(&"é".repeat(128)).is_ok());
        assert_eq!(login(""), Err(Empty { what: LOGIN }));
        assert_eq!(login(" \t "), Err(Empty { what: LOGIN }));
        assert_eq!(login("al\u{7}ice"), Err(ForbiddenCharacter { what: LOGIN }));
        assert_eq!(
            login(&"a".repeat(129)),
            Err(TooLong {
                what: LOGIN,
                max: 128
            })
        );
    }

    #[test]
    fn errors_never_echo_the_value() {
        let secret = "zq9secretvalue";
        for result in [
            email(secret),
            email(&format!("{secret} @x.org")),
            phone(&format!("+33{secret}")),
            login(&format!("{secret}\u{1}")),
        ] {
            let message = result.unwrap_err().to_string();
            assert!(!message.contains(secret), "{message}");
        }
    }
}
