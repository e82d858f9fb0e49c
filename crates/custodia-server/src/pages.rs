//! Plain HTML pages (sign-in, unsubscribe, preferences): one layout, inline styles,
//! no scripts and no external assets.

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub fn page(title: &str, body: &str) -> String {
    page_in("en", title, body)
}

/// A page in `lang` (`en` or `fr`).
pub fn page_in(lang: &str, title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — Custodia</title>\n<style>\n\
         body {{ font: 1rem/1.5 system-ui, sans-serif; background: #f4f4f1; color: #1f2328; margin: 0; }}\n\
         main {{ max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border: 1px solid #d0d7de; border-radius: 8px; }}\n\
         label {{ display: block; margin: 1rem 0 .25rem; font-weight: 600; }}\n\
         input {{ width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #57606a; border-radius: 4px; }}\n\
         button {{ margin-top: 1.5rem; padding: .6rem 1.2rem; font: inherit; font-weight: 600; color: #fff; background: #0a58ca; border: 0; border-radius: 4px; cursor: pointer; }}\n\
         :focus-visible {{ outline: 3px solid #1f6feb; outline-offset: 2px; }}\n\
         .error {{ color: #a40e26; font-weight: 600; }}\n\
         </style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

/// The one rule for the language of every page (policies, portal, subject pages):
/// `?lang=` when it names a language the register publishes, else the browser's
/// most preferred published language (Accept-Language), else the register's first
/// published language. A page never answers in a language the register does not
/// publish, so its texts and the register's agree.
pub fn page_lang(
    published: &[custodia_register::Lang],
    query: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> custodia_register::Lang {
    use custodia_register::Lang;
    let is_published = |l: &Lang| published.contains(l);
    if let Some(lang) = query.and_then(Lang::from_code).filter(is_published) {
        return lang;
    }
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Lang)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(lang) = Lang::from_code(primary).filter(is_published)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
        .or_else(|| published.first().copied())
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::page_lang;
    use axum::http::{HeaderMap, HeaderValue, header};
    use custodia_register::Lang;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn only_published_languages_are_chosen() {
        let both = [Lang::En, Lang::Fr];
        let fr = [Lang::Fr];
        assert_eq!(page_lang(&both, None, &accept("fr-FR,en;q=0.8")), Lang::Fr);
        assert_eq!(page_lang(&both, Some("en"), &accept("fr")), Lang::En);
        assert_eq!(page_lang(&both, Some("de"), &accept("fr")), Lang::Fr);
        assert_eq!(page_lang(&both, None, &HeaderMap::new()), Lang::En);
        assert_eq!(page_lang(&fr, None, &accept("en")), Lang::Fr);
        assert_eq!(page_lang(&fr, Some("en"), &accept("en")), Lang::Fr);
        assert_eq!(page_lang(&fr, None, &accept("en, fr;q=0.5")), Lang::Fr);
        assert_eq!(page_lang(&[], None, &accept("fr")), Lang::En);
    }
}
