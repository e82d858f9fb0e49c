//! The HTTP face of Custodia: public policy pages, the JSON API and its OpenAPI
//! document, generated from the handlers themselves.

mod audit;
mod auth;
pub mod banner;
mod consent_proof;
mod consents;
mod error;
mod health;
mod json;
mod login;
mod pages;
mod policies;
mod portal;
mod register;
mod retention;
mod rights;
mod subject_pages;
mod subjects;

pub use error::ApiError;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use custodia_core::Clock;
use custodia_register::ValidRegister;
use custodia_store::{PolicyVersion, Store};
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What every handler shares: one reference count to clone per request, not one per
/// service.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> AppState {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services behind [`AppState`].
pub struct Services {
    pub store: Arc<dyn Store>,
    pub register: Arc<ValidRegister>,
    pub clock: Arc<dyn Clock>,
    /// The policy version in force, kept in memory so that policy pages cost no
    /// database round trip.
    pub current: Arc<PolicyVersion>,
    pub vault: Arc<custodia_core::vault::Vault>,
    pub staff: Arc<custodia_core::staff::Staff>,
    pub consents: Arc<custodia_core::consent::Consents>,
    pub tokens: Arc<custodia_core::consent::Tokens>,
    pub banner: Arc<banner::Banner>,
    pub banner_limiter: Arc<banner::RateLimiter>,
    pub rights: Arc<custodia_core::rights::Rights>,
    /// Public rights endpoints (intake, codes, downloads), per IP.
    pub requests_limiter: Arc<banner::RateLimiter>,
    pub retention: Arc<custodia_core::retention::sweep::Retention>,
    /// `public_url` from config.toml: the base of every link minted through the API;
    /// without it minting is refused (never built from the request's `Host`).
    pub public_url: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Custodia",
        description = "Self-hosted personal-data protection engine: register of processing, published policies and, later, consent, rights, retention and audit."
    ),
    tags(
        (name = "policies", description = "Privacy and cookie policies generated from the register, and their published versions"),
        (name = "register", description = "The validated register of processing"),
        (name = "operations", description = "Health and service description"),
        (name = "subjects", description = "Data subjects and their personal data, sealed in the vault"),
        (name = "audit", description = "The tamper-evident audit log"),
        (name = "staff", description = "Staff sign-in"),
        (name = "consent", description = "Consent records, the cookie banner, decisions, and withdrawal links"),
        (name = "rights", description = "Data-subject rights requests: the public portal, verification, the staff workflow and downloads"),
        (name = "retention", description = "Retention carried out: the plan of a time window, sweeps and legal holds")
    ),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(register::get_register))
        .routes(routes!(policies::privacy_policy))
        .routes(routes!(policies::cookie_policy))
        .routes(routes!(policies::privacy_versions))
        .routes(routes!(policies::privacy_version))
        .routes(routes!(policies::cookie_version))
        .routes(routes!(policies::privacy_diff))
        .routes(routes!(policies::cookie_diff))
        .routes(routes!(subjects::create_subject, subjects::lookup_subjects))
        .routes(routes!(
            subjects::get_subject,
            subjects::update_subject,
            subjects::erase_subject
        ))
        .routes(routes!(subjects::add_event))
        .routes(routes!(subjects::add_disclosure))
        .routes(routes!(subjects::parental_consent))
        .routes(routes!(audit::list_audit))
        .routes(routes!(login::login_page, login::login))
        .routes(routes!(login::account))
        .routes(routes!(login::logout))
        .routes(routes!(banner::script))
        .routes(routes!(banner::styles))
        .routes(routes!(banner::demo))
        .routes(routes!(banner::submit))
        .routes(routes!(consents::record))
        .routes(routes!(consents::subject_consents))
        .routes(routes!(consents::export))
        .routes(routes!(consents::visitor_consents))
        .routes(routes!(consents::link_visitor))
        .routes(routes!(consents::decide))
        .routes(routes!(consents::decide_batch))
        .routes(routes!(subject_pages::unsubscribe_link))
        .routes(routes!(subject_pages::preferences_link))
        .routes(routes!(
            subject_pages::unsubscribe_page,
            subject_pages::unsubscribe
        ))
        .routes(routes!(
            subject_pages::preferences_page,
            subject_pages::preferences_submit
        ))
        .routes(routes!(rights::submit, rights::list))
        .routes(routes!(rights::get))
        .routes(routes!(rights::verify))
        .routes(routes!(rights::step))
        .merge(rights::document_routes())
        .routes(routes!(rights::deliveries))
        .routes(routes!(portal::download_page, portal::download))
        .routes(routes!(portal::form, portal::submit))
        .routes(routes!(portal::code_page, portal::confirm))
        .routes(routes!(retention::plan))
        .routes(routes!(retention::run))
        .routes(routes!(retention::list_holds, retention::place_hold))
        .routes(routes!(retention::release_hold))
}

/// The OpenAPI 3.1 description of every route, built from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

pub fn router(state: AppState) -> Router {
    let (router, api) = api_router().split_for_parts();
    let api_json = Arc::new(api.to_pretty_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot serialise the OpenAPI document");
        "{}".to_owned()
    }));
    router
        .route(
            "/v1/banner/consents",
            axum::routing::options(banner::submit_preflight),
        )
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let body = Arc::clone(&api_json);
                async move { ([(header::CONTENT_TYPE, "application/json")], (*body).clone()) }
            }),
        )
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(default_header(
            header::CONTENT_SECURITY_POLICY,
            // Pages carry their own inline styles and nothing else; only this origin
            // may frame them (the banner demo shows the privacy policy in a frame).
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
        ))
        .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(default_header(header::REFERRER_POLICY, "no-referrer"))
}

fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Each response goes out in one write: Nagle's algorithm would only hold a small
    // one back until the client's delayed acknowledgement.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
