//! The HTTP face of Custodia: public policy pages, the JSON API and its OpenAPI
//! document, generated from the handlers themselves.

mod error;
mod health;
mod policies;
mod register;

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

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub register: Arc<ValidRegister>,
    pub clock: Arc<dyn Clock>,
    /// The policy version in force, kept in memory so that policy pages cost no
    /// database round trip.
    pub current: Arc<PolicyVersion>,
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
        (name = "operations", description = "Health and service description")
    )
)]
struct ApiDoc;

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
            "/openapi.json",
            axum::routing::get(move || {
                let body = Arc::clone(&api_json);
                async move { ([(header::CONTENT_TYPE, "application/json")], (*body).clone()) }
            }),
        )
        .with_state(state)
        .layer(default_header(
            header::CONTENT_SECURITY_POLICY,
            // Pages carry their own inline styles and nothing else.
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
