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
