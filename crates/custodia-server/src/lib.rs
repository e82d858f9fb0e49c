//! The HTTP face of Custodia: public policy pages, the JSON API and its OpenAPI
//! document, generated from the handlers themselves.

mod audit;
mod auth;
pub mod banner;
mod breaches;
pub mod charts;
pub mod client;
mod consent_proof;
mod consents;
mod console;
mod contract;
mod error;
pub mod health;
mod json;
pub mod limits;
mod login;
pub mod metrics;
mod pages;
mod policies;
mod portal;
mod problems;
mod register;
mod retention;
mod rights;
mod second_factor_page;
mod staff;
mod staff_auth;
mod statistics;
mod subject_pages;
mod subjects;
mod wire;

pub use error::ApiError;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use custodia_core::Clock;
use custodia_register::ValidRegister;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
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
    pub register: Arc<ValidRegister>,
    pub clock: Arc<dyn Clock>,
    /// Published policy versions; the one in force is kept in memory.
    pub publications: Arc<custodia_core::publishing::Publications>,
    pub vault: Arc<custodia_core::vault::Vault>,
    pub staff: Arc<custodia_core::staff::Staff>,
    pub consents: Arc<custodia_core::consent::Consents>,
    pub tokens: Arc<custodia_core::consent::Tokens>,
    pub banner: Arc<banner::Banner>,
    pub banner_limiter: Arc<limits::Limiter>,
    pub rights: Arc<custodia_core::rights::Rights>,
    /// Public rights endpoints (intake, codes, downloads), per client address.
    pub requests_limiter: Arc<limits::Limiter>,
    /// Callers refused authentication, per client address (429 once spent).
    pub unauthenticated_limiter: Arc<limits::Limiter>,
    /// Refusals audited once per source and window.
    pub refusals: Arc<limits::Refusals>,
    pub login_throttle: Arc<limits::LoginThrottle>,
    /// Peers whose forwarding headers name the client (`trusted_proxies`).
    pub trusted_proxies: client::TrustedProxies,
    pub retention: Arc<custodia_core::retention::sweep::Retention>,
    /// The dashboard's statistics, kept between refreshes.
    pub kept_statistics: Arc<custodia_core::statistics::KeptReport>,
    /// The retention plan kept for the console's pages.
    pub outlook: Arc<custodia_core::retention::outlook::Outlook>,
    /// The breach register (Art. 33/34).
    pub breaches: Arc<custodia_core::breach::Breaches>,
    pub statistics: Arc<custodia_core::statistics::Statistics>,
    /// Whether the consent state is loaded (`/readyz`; 503 before for routes that need
    /// it).
    pub readiness: Arc<health::Readiness>,
    /// Request counts and latencies, and what `/metrics` reads.
    pub metrics: Arc<metrics::Metrics>,
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
        (name = "staff", description = "Staff sign-in, accounts, API keys and the access review"),
        (name = "consent", description = "Consent records, the cookie banner, decisions, and withdrawal links"),
        (name = "rights", description = "Data-subject rights requests: the public portal, verification, the staff workflow and downloads"),
        (name = "retention", description = "Retention carried out: the plan of a time window, sweeps and legal holds"),
        (name = "breaches", description = "The breach register (Art. 33/34): the 72-hour clock, decisions, letters and timelines"),
        (name = "statistics", description = "Aggregate statistics: consents, requests and retention outcomes, as JSON and as a k-anonymous CSV export")
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
        .routes(routes!(health::readyz))
        .routes(routes!(metrics::metrics))
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
        .routes(routes!(subjects::under_age))
        .routes(routes!(audit::list_audit))
        .routes(routes!(login::login_page, login::login))
        .routes(routes!(login::account))
        .routes(routes!(login::logout))
        .routes(routes!(
            second_factor_page::code_page,
            second_factor_page::submit
        ))
        .routes(routes!(staff_auth::enrol, staff_auth::disable))
        .routes(routes!(staff_auth::confirm))
        .routes(routes!(staff_auth::recovery_codes))
        .routes(routes!(staff_auth::my_sessions, staff_auth::revoke_others))
        .routes(routes!(staff_auth::revoke_mine))
        .routes(routes!(
            staff_auth::user_sessions,
            staff_auth::revoke_user_sessions
        ))
        .routes(routes!(staff_auth::remove_user_second_factor))
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
        .routes(routes!(subject_pages::keep_page, subject_pages::keep))
        .routes(routes!(rights::submit, rights::list))
        .routes(routes!(rights::get))
        .routes(routes!(rights::verify))
        .routes(routes!(rights::step))
        .routes(routes!(rights::answer_dataset_question))
        .merge(rights::document_routes())
        .routes(routes!(rights::deliveries))
        .routes(routes!(portal::download_page, portal::download))
        .routes(routes!(portal::form, portal::submit))
        .routes(routes!(portal::code_page, portal::confirm))
        .routes(routes!(retention::plan))
        .routes(routes!(retention::run))
        .routes(routes!(retention::list_holds, retention::place_hold))
        .routes(routes!(retention::release_hold))
        .routes(routes!(breaches::list, breaches::record))
        .routes(routes!(breaches::get, breaches::update))
        .routes(routes!(breaches::authority))
        .routes(routes!(breaches::people))
        .routes(routes!(breaches::timeline))
        .routes(routes!(staff::list_users, staff::add_user))
        .routes(routes!(staff::disable_user))
        .routes(routes!(staff::enable_user))
        .routes(routes!(staff::list_keys, staff::create_key))
        .routes(routes!(staff::revoke_key))
        .routes(routes!(staff::access_review, staff::record_review))
        .routes(routes!(statistics::json))
        .routes(routes!(statistics::csv))
        .routes(routes!(register::record))
        .routes(routes!(problems::index))
        .routes(routes!(problems::kind))
        .routes(routes!(pages::stylesheet))
}

/// The OpenAPI 3.1 description of every route, built from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut api = api_router().into_openapi();
    contract::finish(&mut api);
    api
}

/// Every route with its layers. [`serve`] adds what runs once per request around
/// them: the client's address, compression, and the request's count and log line.
pub fn router(state: AppState) -> Router {
    let remember_lang = axum::middleware::from_fn_with_state(state.clone(), pages::remember_lang);
    let gate = axum::middleware::from_fn_with_state(state.clone(), health::gate);
    let (router, mut api) = api_router().split_for_parts();
    contract::finish(&mut api);
    let api_json = Arc::new(api.to_pretty_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot serialise the OpenAPI document");
        "{}".to_owned()
    }));
    router
        .route(
            "/v1/banner/consents",
            axum::routing::options(banner::submit_preflight),
        )
        // The console is the home page (a redirect, so not in the API document).
        .route(
            "/",
            axum::routing::get(|| async { axum::response::Redirect::to("/console") }),
        )
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let body = Arc::clone(&api_json);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        (*body).clone(),
                    )
                }
            }),
        )
        // The staff console (issue 17): HTML pages over the same core calls.
        .merge(console::routes())
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(gate)
        .layer(axum::middleware::from_fn(no_store))
        .layer(remember_lang)
        .layer(default_header(
            header::CONTENT_SECURITY_POLICY,
            // Pages load the one stylesheet and nothing else (policy documents, whose
            // styles are inline, allow them by hash); only this origin may frame them
            // (the banner demo shows the privacy policy in a frame).
            PAGE_CSP,
        ))
        .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(default_header(header::REFERRER_POLICY, "no-referrer"))
}

/// Answers to authenticated callers and the JSON API may carry personal data: no
/// cache (browser, proxy) may keep them. Responses that chose their own policy
/// keep it. Also hands the route template to [`metrics::Metrics::record`], which
/// runs outside the routes.
async fn no_store(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let private = path.starts_with("/v1/")
        || path == "/account"
        || request.headers().contains_key(header::AUTHORIZATION)
        || auth::cookie(request.headers(), auth::SESSION_COOKIE).is_some();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    if private && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Answers worth compressing: 1 KiB or more (smaller ones gain too little for the
/// work), and not already compressed formats.
fn worth_compressing() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
}

/// gzip or brotli as the client's `Accept-Encoding` chooses (tower-http's
/// negotiation, which also adds `Vary`), for the answers worth it. The compressing
/// body is built only for those: it is 5.8 KB, and every other answer would pay
/// for moving it.
async fn compress(accept_encoding: Option<HeaderValue>, response: Response) -> Response {
    use tower::ServiceExt;
    use tower_http::compression::{CompressionLayer, Predicate};
    if !worth_compressing().should_compress(&response) {
        return response;
    }
    let mut probe = axum::extract::Request::new(axum::body::Body::empty());
    if let Some(accept) = accept_encoding {
        probe.headers_mut().insert(header::ACCEPT_ENCODING, accept);
    }
    let mut answer = Some(response);
    let answered = tower::service_fn(move |_| {
        std::future::ready(Ok::<_, std::convert::Infallible>(
            answer.take().unwrap_or_default(),
        ))
    });
    let compressing = tower::Layer::layer(
        &CompressionLayer::new().compress_when(worth_compressing()),
        answered,
    );
    match compressing.oneshot(probe).await {
        Ok(compressed) => compressed.map(axum::body::Body::new),
        Err(never) => match never {},
    }
}

/// The Content-Security-Policy of every answer that sets none of its own.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// How connections are served: what `axum::serve` lacks against slow clients.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    /// A request's headers must arrive within this time; a keep-alive connection
    /// idle this long is closed too (hyper starts the same timer while it waits).
    pub header_timeout: Duration,
    /// Open connections per client address (IPv6: per /64); trusted proxies are
    /// not capped.
    pub max_connections_per_address: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            header_timeout: Duration::from_secs(10),
            max_connections_per_address: 128,
        }
    }
}

/// Open connections per TCP peer.
struct Connections {
    max: usize,
    open: std::sync::Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection, counted until dropped.
struct Slot {
    connections: Arc<Connections>,
    key: IpAddr,
}

impl Connections {
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let key = limits::source_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot {
            connections: Arc::clone(self),
            key,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Serves until `shutdown` completes, then lets requests in flight finish (for at
/// most 30 s) and writes the refusals still counted to the audit log.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    http: HttpSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    // What runs once per request is around the routes here: a Router::layer would
    // wrap each route's stack, and an outer Router would route twice.
    let app = router(state.clone());
    let connections = Arc::new(Connections {
        max: http.max_connections_per_address.max(1),
        open: std::sync::Mutex::new(HashMap::new()),
    });
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let housekeeping = tokio::spawn(housekeeping(state.clone(), stopped));
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, or a connection reset before accept: wait
                    // a little rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = if state.trusted_proxies.contains(peer.ip()) {
            None
        } else {
            match connections.enter(peer.ip()) {
                Some(slot) => Some(slot),
                None => {
                    tracing::warn!("connection refused: too many open from one address");
                    continue;
                }
            }
        };
        // Each response goes out in one write: Nagle's algorithm would only hold a
        // small one back until the client's delayed acknowledgement.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let state = state.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
            // Every answer is counted with its whole time (503 while loading, 429s).
            let started = std::time::Instant::now();
            let method = request.method().clone();
            let client =
                client::ClientAddr::resolve(peer.ip(), request.headers(), &state.trusted_proxies);
            let accept_encoding = request.headers().get(header::ACCEPT_ENCODING).cloned();
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(client);
            let answer = app.clone().oneshot(request);
            let metrics = Arc::clone(&state.metrics);
            async move {
                let response = compress(accept_encoding, answer.await?).await;
                metrics.record(&method, &response, started);
                Ok::<_, std::convert::Infallible>(response)
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(http.header_timeout)
            .serve_connection(TokioIo::new(tcp), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open 30 s after shutdown began; closing them");
    }
    let _ = stop.send(true);
    let _ = housekeeping.await;
    Ok(())
}

/// Writes refusal counts as their windows close, and lets limiters forget idle
/// sources; on stop, writes every count still open.
async fn housekeeping(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut ticks: u64 = 0;
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => false,
            _ = stop.changed() => true,
        };
        for record in state.refusals.closed(state.vault.now(), stopping) {
            if let Err(e) = state.vault.record(record).await {
                tracing::error!(error = %e, "cannot audit counted refusals");
            }
        }
        if stopping {
            return;
        }
        ticks += 1;
        if ticks.is_multiple_of(12) {
            state.banner_limiter.housekeep();
            state.requests_limiter.housekeep();
            state.unauthenticated_limiter.housekeep();
            state.login_throttle.housekeep();
        }
    }
}
