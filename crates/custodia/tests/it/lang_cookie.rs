//! A language chosen with `?lang=` is kept across links: remembered in the
//! `custodia_lang` cookie that `pages::page_lang` reads after the query.

use crate::console::{page_of, sign_in};
use crate::install::install;
use crate::support::request;

#[test]
fn a_language_chosen_in_the_query_follows_the_console_links() {
    let inst = install(None);
    let (dpo, _) = sign_in(&inst, "dpo", "");
    // The browser prefers English; the DPO picks French once.
    let s = inst.server();
    let chosen = request(
        "GET",
        &s.url("/console?lang=fr"),
        &[("cookie", &dpo.cookie), ("accept-language", "en")],
        None,
    );
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    assert!(chosen.body.contains("<html lang=\"fr\">"));
    let set = chosen
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("custodia_lang="))
        .map(|(_, v)| v.clone())
        .expect("the choice is remembered");
    assert!(
        set.starts_with("custodia_lang=fr;")
            && set.contains("Path=/")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Lax"),
        "{set}"
    );
    // A nav link carries no `lang`: the remembered choice keeps the page French.
    let cookies = format!("{}; custodia_lang=fr", dpo.cookie);
    let requests = request(
        "GET",
        &s.url("/console/requests"),
        &[("cookie", &cookies), ("accept-language", "en")],
        None,
    );
    assert_eq!(requests.status, 200, "{}", requests.body);
    assert!(
        requests.body.contains("<html lang=\"fr\">") && requests.body.contains("Demandes"),
        "{}",
        requests.body
    );
    // The query still wins over the cookie, and changes it.
    let en = request(
        "GET",
        &s.url("/console/requests?lang=en"),
        &[("cookie", &cookies)],
        None,
    );
    assert!(en.body.contains("<html lang=\"en\">"), "{}", en.body);
    assert_eq!(
        en.cookie("custodia_lang").as_deref(),
        Some("custodia_lang=en")
    );
    // Without the cookie the browser's language rules again.
    let plain = page_of(&inst, &dpo.cookie, "/console/requests");
    assert!(plain.body.contains("<html lang=\"en\">"));
}

#[test]
fn public_pages_keep_the_chosen_language_too() {
    let inst = install(None);
    let s = inst.server();
    let fr = request(
        "GET",
        &s.url("/portal?lang=fr"),
        &[("accept-language", "en")],
        None,
    );
    assert_eq!(fr.status, 200, "{}", fr.body);
    let remembered = fr.cookie("custodia_lang").expect("remembered");
    assert_eq!(remembered, "custodia_lang=fr");
    let again = request(
        "GET",
        &s.url("/portal"),
        &[("cookie", &remembered), ("accept-language", "en")],
        None,
    );
    assert!(
        again.body.contains("<html lang=\"fr\">") && again.body.contains("Exercer vos droits"),
        "{}",
        again.body
    );
    // An unpublished language is not remembered, and the API sets no cookie.
    let de = request("GET", &s.url("/portal?lang=de"), &[], None);
    assert_eq!(de.cookie("custodia_lang"), None);
    let api = request("GET", &s.url("/v1/requests?lang=fr"), &[], None);
    assert_eq!(api.cookie("custodia_lang"), None);
}
