//! The cookie banner: its script (configured from the register), its styles, a demo
//! page, and the public endpoint its choices are posted to.
//!
//! The configuration is built once at start and inlined into `banner.js`, so that
//! embedding the banner costs one request and Consent Mode's `default` is pushed
//! before anything else runs. The submission endpoint is public, answers any origin
//! (no credentials), accepts only visitor ids this server signed, and is rate
//! limited per client address.

use crate::client::ClientAddr;
use crate::json::JsonBody;
use crate::json::Query;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use custodia_core::consent::{Catalog, ChoiceInput, Owner, Proof, Recorder};
use custodia_register::{CookieCategory, Lang, ValidRegister};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

const SCRIPT: &str = include_str!("../assets/banner.js");
const STYLES: &str = include_str!("../assets/banner.css");

/// The demo page (`templates/banner-demo.html`).
#[derive(askama::Template)]
#[template(path = "banner-demo.html")]
struct DemoPage<'a> {
    lang: &'static str,
    title: &'static str,
    nonce: &'a str,
}
const CONFIG_PLACEHOLDER: &str = "__CUSTODIA_CONFIG__";
const SUBMIT_PATH: &str = "/v1/banner/consents";

/// UI strings of the banner, by Fluent id.
const TEXT_IDS: [&str; 12] = [
    "banner-title",
    "banner-body",
    "banner-accept-all",
    "banner-refuse-all",
    "banner-customise",
    "banner-save",
    "banner-back",
    "banner-services",
    "banner-gpc-notice",
    "banner-changed",
    "banner-preferences-link",
    "banner-policy-link",
];

/// The banner as served, built once from the register.
pub struct Banner {
    script: String,
    /// Names this script, its configuration included: `/banner.js?v=VERSION` with
    /// the current version may be cached for a year.
    pub script_version: String,
    etag: String,
    /// Configuration version the banner posts back.
    pub version: String,
    /// SHA-256 of every text the banner shows, per language.
    text_sha256: HashMap<Lang, String>,
}

impl Banner {
    pub fn build(
        register: &ValidRegister,
        catalog: &Catalog,
        policy_version: i64,
        now: time::OffsetDateTime,
    ) -> Result<Banner, String> {
        let messages = custodia_policy::i18n::messages().map_err(|e| e.to_string())?;
        let controller = register
            .controller
            .trading_name
            .clone()
            .unwrap_or_else(|| register.controller.legal_name.clone());
        let mut texts = serde_json::Map::new();
        let mut policy_url = serde_json::Map::new();
        for lang in Lang::ALL {
            let mut strings = serde_json::Map::new();
            for id in TEXT_IDS {
                let args = [("controller", controller.as_str().into())];
                let text = messages
                    .try_text(lang, id, &args)
                    .map_err(|e| e.to_string())?;
                // The script reads keys with underscores: `accept_all`.
                let key = match id {
                    "banner-preferences-link" => "preferences".to_owned(),
                    other => other.trim_start_matches("banner-").replace('-', "_"),
                };
                strings.insert(key, Value::String(text));
            }
            texts.insert(lang.code().to_owned(), Value::Object(strings));
            policy_url.insert(
                lang.code().to_owned(),
                Value::String(format!("/cookie-policy?lang={}", lang.code())),
            );
        }
        let days = |d: Option<custodia_register::IsoDuration>| {
            d.and_then(|d| d.after(now)).map(|t| (t - now).whole_days())
        };
        let purposes: Vec<Value> = catalog
            .banner_purposes()
            .filter_map(|rules| {
                let purpose = register.purposes.iter().find(|p| p.id == rules.id)?;
                let services: Vec<Value> = rules
                    .services
                    .iter()
                    .filter_map(|id| register.services.iter().find(|s| &s.id == id))
                    .map(|s| json!({"id": s.id, "name": s.name}))
                    .collect();
                Some(json!({
                    "id": rules.id,
                    "fingerprint": rules.fingerprint,
                    "advertising": rules.advertising,
                    "given_days": days(rules.given_lifetime),
                    "refused_days": days(Some(rules.reask_after)),
                    "consent_mode": consent_mode(register, rules),
                    "services": services,
                    "title": per_lang(&purpose.title),
                    "description": per_lang(&purpose.description),
                }))
            })
            .collect();
        let gpc_refuses: Vec<&str> = catalog
            .banner_purposes()
            .filter(|p| p.refused_under_gpc())
            .map(|p| p.id.as_str())
            .collect();
        let mut config = json!({
            "policy_version": policy_version,
            // The stylesheet is fetched by version, so it may be cached for good.
            "styles_version": styles_version(),
            "endpoint": SUBMIT_PATH,
            "gpc_refuses": gpc_refuses,
            "purposes": purposes,
            "texts": texts,
            "policy_url": policy_url,
        });
        let mut text_sha256 = HashMap::new();
        for lang in Lang::ALL {
            let shown = json!({
                "texts": config["texts"][lang.code()],
                "purposes": config["purposes"].as_array().map(|ps| ps.iter().map(|p| json!([p["title"][lang.code()], p["description"][lang.code()], p["services"]])).collect::<Vec<_>>()),
            });
            text_sha256.insert(lang, sha256_hex(shown.to_string().as_bytes()));
        }
        let version = sha256_hex(config.to_string().as_bytes())[..12].to_owned();
        config["version"] = Value::String(version.clone());
        if SCRIPT.matches(CONFIG_PLACEHOLDER).count() != 1 {
            return Err("assets/banner.js must hold the configuration placeholder once".to_owned());
        }
        let script = SCRIPT.replace(CONFIG_PLACEHOLDER, &config.to_string());
        let script_version = sha256_hex(script.as_bytes())[..16].to_owned();
        Ok(Banner {
            script,
            etag: format!("\"{script_version}\""),
            script_version,
            version,
            text_sha256,
        })
    }
}

/// Names the stylesheet the binary carries.
fn styles_version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| sha256_hex(STYLES.as_bytes())[..16].to_owned());
    &VERSION
}

/// A file fetched by the version it names never changes: caches keep it for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssetQuery {
    /// The version of the file wanted. When it is the current one, the answer may be
    /// cached for a year; otherwise (or without it) caches must ask again each time.
    v: Option<String>,
}

fn lang_error() -> ApiError {
    ApiError::BadRequest(format!("lang: use one of {}", Lang::codes()))
}

/// A register text in every language, keyed by code, as the script reads it.
fn per_lang(text: &custodia_register::Text) -> Value {
    Lang::ALL
        .into_iter()
        .map(|lang| (lang.code().to_owned(), Value::from(text.in_lang(lang))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Google Consent Mode v2 storage types a purpose's trackers need.
fn consent_mode(
    register: &ValidRegister,
    rules: &custodia_core::consent::PurposeRules,
) -> Vec<&'static str> {
    const ADS: [&str; 3] = ["ad_storage", "ad_user_data", "ad_personalization"];
    let mut kinds: Vec<&'static str> = Vec::new();
    let categories = register
        .cookies
        .iter()
        .filter(|c| c.consent_purpose.as_deref() == Some(rules.id.as_str()))
        .map(|c| c.category);
    for category in categories {
        let add: &[&'static str] = match category {
            CookieCategory::Analytics => &["analytics_storage"],
            CookieCategory::Marketing => &ADS,
            // Social and embedded-content trackers are not set by Google tags; the
            // banner blocks them by their tags instead.
            CookieCategory::Social => &[],
            CookieCategory::Functional => &["functionality_storage"],
            CookieCategory::Personalisation => &["personalization_storage"],
            CookieCategory::Necessary => &[],
        };
        kinds.extend(add);
    }
    if rules.advertising {
        kinds.extend(ADS);
    }
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Any site may embed the banner and post choices to it; no credentials travel.
fn cross_origin(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// The banner script, its configuration inlined. Its version is its `ETag`
/// without the quotes.
#[utoipa::path(get, operation_id = "banner_script", path = "/banner.js", tag = "consent", params(AssetQuery),
    responses((status = 200, description = "The banner script", content_type = "text/javascript"),
              (status = 304, description = "Not modified (If-None-Match)")))]
pub async fn script(
    State(state): State<AppState>,
    Query(q): Query<AssetQuery>,
    headers: HeaderMap,
) -> Response {
    let banner = &state.banner;
    let cache_control = if q.v.as_deref() == Some(banner.script_version.as_str()) {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let cache = [
        (header::CACHE_CONTROL, cache_control),
        (header::ETAG, banner.etag.as_str()),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == banner.etag.as_bytes())
    {
        return cross_origin((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    cross_origin(
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            cache,
            banner.script.clone(),
        )
            .into_response(),
    )
}

/// The banner's styles (the script asks for them by version).
#[utoipa::path(get, operation_id = "banner_styles", path = "/banner.css", tag = "consent", params(AssetQuery),
    responses((status = 200, description = "The banner styles", content_type = "text/css")))]
pub async fn styles(Query(q): Query<AssetQuery>) -> Response {
    let cache_control = if q.v.as_deref() == Some(styles_version()) {
        IMMUTABLE
    } else {
        "no-cache"
    };
    cross_origin(
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, cache_control),
            ],
            STYLES,
        )
            .into_response(),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DemoQuery {
    /// A supported language code (`en`, `fr`, `de`, `es`, `it`).
    lang: Option<String>,
}

/// A page embedding the banner with tagged scripts, an image and an iframe, to try
/// the banner and to test it.
#[utoipa::path(get, operation_id = "banner_demo", path = "/banner/demo", tag = "consent", params(DemoQuery),
    responses((status = 200, description = "Demo page", content_type = "text/html")))]
pub async fn demo(Query(q): Query<DemoQuery>) -> Result<Response, ApiError> {
    let lang = match q.lang.as_deref() {
        None => Lang::EN.code(),
        Some(code) => Lang::from_code(code)
            .map(Lang::code)
            .ok_or_else(lang_error)?,
    };
    let (nonce, _) =
        custodia_crypto::generate_token("n").map_err(|e| ApiError::Internal(e.to_string()))?;
    let csp = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; \
         img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    let mut response = crate::pages::render(
        StatusCode::OK,
        &DemoPage {
            lang,
            title: "Consent banner demo",
            nonce: &nonce,
        },
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&csp).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(response)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BannerSubmission {
    /// The id this endpoint gave the browser earlier; `null` on a first choice.
    visitor_id: Option<String>,
    banner_version: String,
    /// The language code the texts were shown in.
    lang: Option<String>,
    #[serde(default)]
    gpc: bool,
    choices: Vec<crate::consents::ChoiceBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BannerRecorded {
    visitor_id: String,
    recorded: usize,
    /// Purpose (or `purpose/service`) -> state as recorded (GPC may turn a consent
    /// into a refusal).
    #[schema(value_type = BTreeMap<String, crate::wire::ChoiceState>)]
    states: BTreeMap<String, String>,
}

/// Records the banner's choices for a visitor: public, rate limited per address.
#[utoipa::path(post, operation_id = "record_banner_consents", path = "/v1/banner/consents", tag = "consent", request_body = BannerSubmission,
    responses((status = 201, body = BannerRecorded), (status = 400, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
              (status = 429, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    JsonBody(body): JsonBody<BannerSubmission>,
) -> Response {
    cross_origin(
        match submit_inner(&state, client.ip, &headers, body).await {
            Ok(recorded) => (StatusCode::CREATED, Json(recorded)).into_response(),
            Err(e) => e.into_response(),
        },
    )
}

async fn submit_inner(
    state: &AppState,
    ip: IpAddr,
    headers: &HeaderMap,
    body: BannerSubmission,
) -> Result<BannerRecorded, ApiError> {
    state.banner_limiter.admit(ip, "consent submissions")?;
    if body.banner_version != state.banner.version {
        return Err(ApiError::Conflict(
            "banner_version: the banner changed since this page was loaded; reload it".to_owned(),
        ));
    }
    let visitor_id = match body.visitor_id {
        Some(id) if state.tokens.is_visitor_id(&id) => id,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "visitor_id: not an id issued by this banner".to_owned(),
            ));
        }
        None => state.tokens.new_visitor_id(),
    };
    let lang = match body.lang.as_deref() {
        None => Lang::EN,
        Some(code) => Lang::from_code(code).ok_or_else(lang_error)?,
    };
    let header_gpc = headers.get("sec-gpc").is_some_and(|v| v.as_bytes() == b"1");
    let choices: Vec<ChoiceInput> = body.choices.into_iter().map(Into::into).collect();
    if let Some((i, _)) = choices
        .iter()
        .enumerate()
        .find(|(_, c)| !matches!(c.state.as_str(), "given" | "refused"))
    {
        return Err(ApiError::Unprocessable(format!(
            "choices[{i}].state: the banner records given or refused"
        )));
    }
    let proof = Proof {
        method: "banner".to_owned(),
        ip: Some(ip),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        gpc: body.gpc || header_gpc,
        jurisdiction: None,
        banner_version: Some(state.banner.version.clone()),
        text_sha256: state.banner.text_sha256.get(&lang).cloned(),
        lang: Some(lang),
    };
    let records = state
        .consents
        .record(
            Recorder::Visitor,
            Owner::Visitor(visitor_id.clone()),
            &choices,
            &proof,
        )
        .await?;
    let states = records
        .iter()
        .map(|r| {
            let key = match &r.service {
                Some(s) => format!("{}/{s}", r.purpose),
                None => r.purpose.clone(),
            };
            (key, r.state.clone())
        })
        .collect();
    Ok(BannerRecorded {
        visitor_id,
        recorded: records.len(),
        states,
    })
}

/// CORS preflight of the submission endpoint (JSON bodies need one).
pub async fn submit_preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    cross_origin(response)
}
