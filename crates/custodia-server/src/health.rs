use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    /// Storage backend in use: `sqlite` or `postgres`.
    database: &'static str,
    /// Number of the policy version in force.
    policy_version: i64,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Serving, database reachable", body = Health),
              (status = 500, description = "Database unreachable", body = crate::error::Problem)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let database = state.vault.health().await?;
    Ok(Json(Health {
        status: "ok",
        database,
        policy_version: state.publications.current().number,
    }))
}

/// Seconds a caller is told to wait while the server is not ready.
const RETRY_AFTER_SECONDS: u64 = 1;

/// Whether the consent state is loaded. The listener opens before the load ends:
/// until then `/readyz` answers 503 and so does every route but those in
/// [`needs_no_state`].
#[derive(Debug)]
pub struct Readiness {
    loaded: tokio::sync::watch::Sender<bool>,
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            loaded: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl Readiness {
    pub fn is_loaded(&self) -> bool {
        *self.loaded.borrow()
    }

    pub fn set_loaded(&self) {
        self.loaded.send_replace(true);
    }

    /// Returns once the state is loaded.
    pub async fn loaded(&self) {
        let mut loaded = self.loaded.subscribe();
        // The sender lives as long as `self`: `wait_for` cannot fail while borrowed.
        let _ = loaded.wait_for(|loaded| *loaded).await;
    }
}

/// How long a failed request waits for the stores to answer before it is a 503.
const STORE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

fn unavailable(detail: &str) -> ApiError {
    ApiError::Unavailable {
        detail: detail.to_owned(),
        retry_after: RETRY_AFTER_SECONDS,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Ready {
    status: &'static str,
}

/// Readiness, for a load balancer: 200 once the consent state is loaded and the
/// database and key store answer; 503 (with `Retry-After`) before and meanwhile.
/// `/healthz` only says the process is alive and answers from the first second.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready: the consent state is loaded, the database and key store answer", body = Ready),
              (status = 503, description = "Not ready: starting (the consent state is loading), or the database or key store unreachable",
               body = crate::error::Problem,
               headers(("Retry-After" = u64, description = "Seconds to wait before asking again")))))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Ready>, ApiError> {
    if !state.readiness.is_loaded() {
        return Err(unavailable("starting: the consent state is loading"));
    }
    if let Err(e) = state.vault.reachable().await {
        tracing::warn!(error = %e, "not ready: a store does not answer");
        return Err(unavailable(
            "the database or the key store does not answer; see the server's log",
        ));
    }
    Ok(Json(Ready { status: "ready" }))
}

/// Routes that answer while the consent state loads: liveness and readiness, the
/// API document, the register, the policy documents, error kinds and static assets.
/// Everything else reads or changes the state (decisions, consents, subjects whose
/// writes update it, rights, retention, the console) and waits, so that no write can
/// slip past a load under way.
pub(crate) fn needs_no_state(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    if method != Method::GET && method != Method::HEAD {
        return false;
    }
    matches!(
        path,
        "/healthz"
            | "/readyz"
            | "/metrics"
            | "/openapi.json"
            | "/v1/register"
            | "/assets/custodia.css"
            | "/banner.js"
            | "/banner.css"
    ) || ["/privacy-policy", "/cookie-policy", "/problems"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Answers 503 with `Retry-After` to requests that need the consent state until it
/// is loaded, and in place of a 500 when the database or key store does not answer.
pub(crate) async fn gate(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !state.readiness.is_loaded() && !needs_no_state(request.method(), request.uri().path()) {
        return unavailable("starting: the consent state is loading; retry shortly")
            .into_response();
    }
    let unreachable_before = state.vault.unreachable_errors();
    let response = next.run(request).await;
    if response.status() == axum::http::StatusCode::INTERNAL_SERVER_ERROR
        && is_problem(&response)
        && (state.vault.unreachable_errors() != unreachable_before || !stores_answer(&state).await)
    {
        // The database went away (a restart, a lost connection): nothing was
        // acknowledged, and the same request will succeed once it is back.
        return unavailable("the database or the key store does not answer; retry shortly")
            .into_response();
    }
    response
}

fn is_problem(response: &axum::response::Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/problem+json")
}

/// Whether the database and key store answer within a second.
async fn stores_answer(state: &AppState) -> bool {
    matches!(
        tokio::time::timeout(STORE_CHECK, state.vault.reachable()).await,
        Ok(Ok(()))
    )
}
