//! The server's HTML pages (askama templates): values reaching a page come out
//! escaped, every page loads the one stylesheet under a CSP without
//! `'unsafe-inline'`, and `/` leads to the console.

use crate::install::install_with_config;
use crate::support::{Response, request};
use serde_json::json;

/// What a hostile register author or requester might slip into a page.
const HOSTILE: &str = r#"<script>alert("x")</script> & 'y'"#;
/// [`HOSTILE`] as askama escapes it.
const ESCAPED: &str = "&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;y&#39;";

/// A page of ours: the base layout, the stylesheet, no inline style, no raw
/// hostile text, and a CSP that allows styles from this origin only.
fn assert_page(page: &Response, what: &str) {
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{what}: {:?}",
        page.header("content-type")
    );
    let body = &page.body;
    assert!(
        body.contains(r#"<link rel="stylesheet" href="/assets/custodia.css">"#),
        "{what}: {body}"
    );
    assert!(
        body.contains(r##"<a class="skip" href="#main">"##),
        "{what}: {body}"
    );
    assert!(body.contains(r#"<main id="main">"#), "{what}: {body}");
    assert!(
        !body.contains("<style") && !body.contains("style="),
        "{what}: {body}"
    );
    assert!(!body.contains("<script>alert"), "{what}: {body}");
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"),
        "{what}: {csp}"
    );
}

#[test]
fn values_reaching_pages_are_escaped_and_pages_use_the_stylesheet() {
    let hostile_toml = HOSTILE.replace('"', "\\\"");
    let inst = install_with_config("", |register| {
        *register = register
            .replace(
                r#"title = { en = "Newsletter","#,
                &format!(r#"title = {{ en = "{hostile_toml}","#),
            )
            .replace(
                r#"name = { en = "e-mail address","#,
                &format!(r#"name = {{ en = "{hostile_toml}","#),
            );
    });
    let s = inst.server();
    let dpo = inst.key("dpo");

    // Register text: the portal's categories, the unsubscribe and preferences pages.
    let portal = s.get("/portal?lang=en");
    assert_eq!(portal.status, 200);
    assert_page(&portal, "portal");
    assert!(portal.body.contains(ESCAPED), "{}", portal.body);

    let body = json!({"kind": "customer", "data": {"user.contact.email": "bea@example.org"}});
    let r = s.call("POST", "/v1/subjects", Some(dpo), Some(&body.to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
    let bea = r.json()["id"].as_str().unwrap().to_owned();
    let link = s.call(
        "POST",
        &format!("/v1/subjects/{bea}/unsubscribe-link"),
        Some(dpo),
        Some(r#"{"purpose":"newsletter"}"#),
    );
    assert_eq!(link.status, 200, "{}", link.body);
    let url = inst.reach(link.json()["url"].as_str().unwrap());
    let page = request("GET", &format!("{url}?lang=en"), &[], None);
    assert_eq!(page.status, 200);
    assert_page(&page, "unsubscribe");
    assert!(page.body.contains(ESCAPED), "{}", page.body);
    let done = request(
        "POST",
        &format!("{url}?lang=en"),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_page(&done, "unsubscribed");
    assert!(done.body.contains(ESCAPED), "{}", done.body);

    let link = s.call(
        "POST",
        &format!("/v1/subjects/{bea}/preferences-link"),
        Some(dpo),
        None,
    );
    assert_eq!(link.status, 200, "{}", link.body);
    let url = inst.reach(link.json()["url"].as_str().unwrap());
    let page = request("GET", &format!("{url}?lang=en"), &[], None);
    assert_eq!(page.status, 200);
    assert_page(&page, "preferences");
    assert!(page.body.contains(ESCAPED), "{}", page.body);

    // A request id from the address bar, echoed in the portal's forms and errors.
    let id = "%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E%20%26%20'y'";
    for path in [
        format!("/portal/requests/{id}?lang=en"),
        format!("/portal/requests/{id}/document?lang=en"),
    ] {
        let page = s.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert_page(&page, &path);
        assert!(page.body.contains(ESCAPED), "{path}: {}", page.body);
    }
    let wrong = request(
        "POST",
        &s.url(&format!("/portal/requests/{id}?lang=en")),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("code=123456"),
    );
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_page(&wrong, "wrong code");
    assert!(wrong.body.contains(r#"role="alert""#), "{}", wrong.body);
    let token = "%3Cb%3E%26%22";
    let gone = s.get(&format!("/download/{token}?lang=en"));
    assert_eq!(gone.status, 404);
    assert_page(&gone, "download");

    // Pages whose values are the server's own: sign-in, account, error kinds.
    let login = s.get("/login");
    assert_eq!(login.status, 200);
    assert_page(&login, "sign-in");
    let refused = request(
        "POST",
        &s.url("/login"),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("email=a%40example.org&password=x&csrf=x"),
    );
    assert_eq!(refused.status, 403, "a post without the form's cookie");
    for path in ["/problems", "/problems/not-found"] {
        let page = s.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_page(&page, path);
    }
}

#[test]
fn the_stylesheet_is_served_and_home_leads_to_the_console() {
    let inst = install_with_config("", |_| {});
    let s = inst.server();
    let css = s.get("/assets/custodia.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains("main {"), "{}", css.body);
    assert!(
        css.header("cache-control")
            .is_some_and(|c| c.contains("max-age")),
        "{:?}",
        css.header("cache-control")
    );
    let etag = css.header("etag").unwrap().to_owned();
    let again = s.get_with("/assets/custodia.css", &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);

    let home = s.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/console"));

    // Policy documents keep their inline styles, allowed by hash alone.
    let policy = s.get("/privacy-policy?lang=en");
    assert_eq!(policy.status, 200);
    let csp = policy.header("content-security-policy").unwrap();
    assert!(
        csp.contains("style-src 'sha256-") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // The banner demo: its script by nonce, its styles from the stylesheet.
    let demo = s.get("/banner/demo?lang=fr");
    assert_eq!(demo.status, 200);
    assert!(demo.body.contains(r#"<html lang="fr">"#), "{}", demo.body);
    assert!(
        demo.body.contains(r#"<body class="demo">"#),
        "{}",
        demo.body
    );
    let csp = demo.header("content-security-policy").unwrap();
    assert!(
        csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
}
