//! The cookie policy: what trackers are, one table per category, how to choose.

use custodia_register::{Cookie, CookieCategory, Document, Lifetime, TrackerKind};

use crate::Body;
use crate::ctx::{Ctx, capitalise};
use crate::doc::{Block, Inline, Section};

pub(crate) fn build(ctx: &Ctx<'_>) -> Body {
    let intro = ctx.ta(
        "cookies-intro",
        &[
            ("controller", ctx.controller_name().into()),
            ("service", ctx.service_or("site-default").into()),
        ],
    );
    let mut sections = vec![
        what_trackers_are(ctx),
        trackers_used(ctx),
        choices(ctx),
        browser(ctx),
    ];
    sections.extend(crate::extra_sections(ctx, Document::Cookies));
    sections.push(contact(ctx));
    Body {
        intro: vec![Block::Paragraph { text: intro.into() }],
        sections,
    }
}

fn what_trackers_are(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("trackers", ctx.t("section-trackers"));
    s.para(ctx.t("trackers-what"));
    s.para(ctx.t("trackers-consent-rule"));
    s
}

/// Heading and explanation of a category.
fn category_ids(category: CookieCategory) -> (&'static str, &'static str) {
    match category {
        CookieCategory::Necessary => (
            "cookie-category-necessary",
            "cookie-category-necessary-text",
        ),
        CookieCategory::Functional => (
            "cookie-category-functional",
            "cookie-category-functional-text",
        ),
        CookieCategory::Personalisation => (
            "cookie-category-personalisation",
            "cookie-category-personalisation-text",
        ),
        CookieCategory::Analytics => (
            "cookie-category-analytics",
            "cookie-category-analytics-text",
        ),
        CookieCategory::Marketing => (
            "cookie-category-marketing",
            "cookie-category-marketing-text",
        ),
        CookieCategory::Social => ("cookie-category-social", "cookie-category-social-text"),
    }
}

fn tracker_kind(kind: TrackerKind) -> (&'static str, &'static str) {
    match kind {
        TrackerKind::Cookie => ("cookie", "tracker-kind-cookie"),
        TrackerKind::LocalStorage => ("local_storage", "tracker-kind-local-storage"),
        TrackerKind::Pixel => ("pixel", "tracker-kind-pixel"),
        TrackerKind::EmailPixel => ("email_pixel", "tracker-kind-email-pixel"),
        TrackerKind::Fingerprint => ("fingerprint", "tracker-kind-fingerprint"),
    }
}

fn lifetime(ctx: &Ctx<'_>, lifetime: Option<Lifetime>) -> String {
    match lifetime {
        Some(Lifetime::Session) => ctx.t("lifetime-session"),
        Some(Lifetime::NotStored) => ctx.t("lifetime-not-stored"),
        Some(Lifetime::For(d)) => ctx.duration(&d),
        None => "—".to_owned(),
    }
}

fn trackers_used(ctx: &Ctx<'_>) -> Section {
    let cookies = &ctx.r.cookies;
    let mut s = Section::new("trackers_used", ctx.t("section-trackers-used"));
    if cookies.is_empty() {
        s.para(ctx.t("trackers-none"));
        return s;
    }
    s.para(ctx.ta(
        "trackers-used-intro",
        &[("service", ctx.service_or("site-default").into())],
    ));
    let with_service = cookies.iter().any(|c| c.service.is_some());
    for category in CookieCategory::ALL {
        let members: Vec<&Cookie> = cookies.iter().filter(|c| c.category == category).collect();
        if members.is_empty() {
            continue;
        }
        let (heading, text) = category_ids(category);
        let mut sub = Section::new(format!("cookies-{}", category.id()), ctx.t(heading));
        sub.para(ctx.t(text));
        let mut columns = vec![
            ctx.column("name", "col-name"),
            ctx.column("kind", "col-kind"),
            ctx.column("provider", "col-provider"),
        ];
        if with_service {
            columns.push(ctx.column("service", "col-service"));
        }
        columns.extend([
            ctx.column("purpose", "col-purpose"),
            ctx.column("lifetime", "col-lifetime"),
            ctx.column("consent", "col-consent"),
        ]);
        let rows = members
            .iter()
            .map(|c| {
                let mut row: Vec<Inline> = vec![
                    c.name.as_str().into(),
                    ctx.t(tracker_kind(c.kind).1).into(),
                    ctx.provider_name(&c.provider).into(),
                ];
                if with_service {
                    let service = c.service.as_deref().map(|id| {
                        ctx.service(id)
                            .map_or_else(|| id.to_owned(), |svc| svc.name.clone())
                    });
                    row.push(service.unwrap_or_else(|| "—".to_owned()).into());
                }
                let consent = if c.exempt {
                    "consent-not-required"
                } else if c.kind == TrackerKind::EmailPixel {
                    "consent-required-form"
                } else {
                    "consent-required"
                };
                row.extend([
                    capitalise(&ctx.tx(&c.purpose)).into(),
                    lifetime(ctx, c.lifetime).into(),
                    ctx.t(consent).into(),
                ]);
                row
            })
            .collect();
        sub.table(columns, rows);
        sub.fact("category", category.id());
        sub.fact(
            "trackers",
            members
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "name": c.name,
                        "kind": tracker_kind(c.kind).0,
                        "provider": c.provider,
                        "service": c.service,
                        "lifetime": c.lifetime,
                        "exempt": c.exempt,
                        "consent_purpose": c.consent_purpose,
                    })
                })
                .collect::<Vec<_>>(),
        );
        s.sections.push(sub);
    }
    s
}

fn choices(ctx: &Ctx<'_>) -> Section {
    let consent = &ctx.r.consent;
    let mut s = Section::new("choices", ctx.t("section-choices"));
    let banner = ctx
        .r
        .cookies
        .iter()
        .any(|c| !c.exempt && c.kind != TrackerKind::EmailPixel);
    if banner {
        s.para(ctx.ta(
            "choices-banner",
            &[
                ("accept", ctx.t("banner-accept-all").into()),
                ("refuse", ctx.t("banner-refuse-all").into()),
                ("customise", ctx.t("banner-customise").into()),
            ],
        ));
        s.para(ctx.ta(
            "choices-withdraw",
            &[("link", ctx.t("banner-preferences-link").into())],
        ));
        s.para(ctx.ta("choices-kept", &ctx.duration_args(&consent.reask_after)));
        s.para(ctx.ta(
            "choices-max-lifetime",
            &ctx.duration_args(&consent.tracker_max_lifetime),
        ));
    } else {
        s.para(ctx.t("choices-none-needed"));
    }
    s.fact("banner", banner);
    s.fact("reask_after", consent.reask_after.to_string());
    s.fact(
        "tracker_max_lifetime",
        consent.tracker_max_lifetime.to_string(),
    );
    s
}

fn browser(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("browser", ctx.t("section-browser"));
    s.para(ctx.t("browser-text"));
    s
}

fn contact(ctx: &Ctx<'_>) -> Section {
    let mut s = Section::new("contact", ctx.t("section-contact"));
    s.para(ctx.rich("contact-text", &[], &[("contact", ctx.reach_us())]));
    s.para(ctx.t("privacy-pointer"));
    s
}
